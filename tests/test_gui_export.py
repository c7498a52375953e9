"""File → Export… (PDF): the export runs in a worker thread and reports back."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from ipviewer.pdf.export import ExportOptions


@pytest.fixture
def window(sample_window):
    return sample_window


def test_export_in_the_background(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("ipviewer.ui.pdf_export.QMessageBox.warning", lambda *a: None)
    target = tmp_path / "out.pdf"
    # a draft: the sample's own error (its swapped pledge rates) stops a final export
    worker = window.exporter.export(target, ExportOptions(lang="zh", charts=False, draft=True))
    with qtbot.waitSignal(worker.finished, timeout=120_000):
        pass
    assert window.exporter.last.pages > 3
    assert len(PdfReader(target).pages) == window.exporter.last.pages
    assert "out.pdf" in window.statusBar().currentMessage()


def test_export_failure_is_reported(window, qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("ipviewer.ui.pdf_export.QMessageBox.warning",
                        lambda *args: shown.append(args[2]))
    target = tmp_path / "a-folder.pdf"
    target.mkdir()
    worker = window.exporter.export(target, ExportOptions(lang="en", charts=False))
    assert worker is None  # refused before any work: an output must be a file
    assert "a-folder.pdf" in shown[0] and "is a folder" in shown[0]
    assert window.exporter.last is None
