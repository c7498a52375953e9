"""File → Export PDF: the export runs in a worker thread and reports back."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from ipviewer.pdf.export import ExportOptions
from ipviewer.sample import build_sample
from ipviewer.store import ReportStore
from ipviewer.ui.app import make_application
from ipviewer.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path):
    make_application()
    build_sample(tmp_path / "s.sqlite").close()
    win = MainWindow(ReportStore.open(tmp_path / "s.sqlite", readonly=True))
    qtbot.addWidget(win)
    return win


def test_export_in_the_background(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("ipviewer.ui.main_window.QMessageBox.warning", lambda *a: None)
    target = tmp_path / "out.pdf"
    worker = window.export_pdf(target, ExportOptions(lang="zh", charts=False))
    with qtbot.waitSignal(worker.finished, timeout=120_000):
        pass
    assert window.last_export.pages > 3
    assert len(PdfReader(target).pages) == window.last_export.pages
    assert "out.pdf" in window.statusBar().currentMessage()


def test_export_failure_is_reported(window, qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("ipviewer.ui.main_window.QMessageBox.warning",
                        lambda *args: shown.append(args[2]))
    target = tmp_path / "a-folder.pdf"
    target.mkdir()
    worker = window.export_pdf(target, ExportOptions(lang="en", charts=False))
    assert worker is None  # refused before any work: an output must be a file
    assert "a-folder.pdf" in shown[0] and "is a folder" in shown[0]
    assert window.last_export is None
