"""The export gate in the window: File → Export… asks before replacing a file, and when the
checks find errors it offers "Export as Draft" / "Cancel", never a silent final export."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ipviewer.pdf.export import ExportOptions
from ipviewer.store import ReportStore
from test_export_gate import BROKEN_2024_YOY, PLEDGE_RATES_RIGHT, import_values

Button = QMessageBox.StandardButton


def make_window(qtbot, path):
    from ipviewer.ui.main_window import MainWindow

    window = MainWindow(ReportStore.open(path, readonly=True))
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def clean_window(qtbot, app, sample_copy):
    import_values(sample_copy, PLEDGE_RATES_RIGHT)
    return make_window(qtbot, sample_copy)


@pytest.fixture
def broken_window(qtbot, app, sample_copy):
    """A window on the sample with its own error corrected and a new one made: one error."""
    import_values(sample_copy, PLEDGE_RATES_RIGHT)
    import_values(sample_copy, BROKEN_2024_YOY)
    return make_window(qtbot, sample_copy)


@pytest.fixture
def answer_gate(monkeypatch):
    """Answer the "errors found" box by clicking the button named ``answer[0]``; records
    each box shown (text, informative text, button labels)."""
    shown: list[dict] = []
    answer = ["Export as Draft"]

    def exec_(box):
        buttons = {button.text(): button for button in box.buttons()}
        shown.append({"title": box.windowTitle(), "text": box.text(),
                      "info": box.informativeText(), "buttons": sorted(buttons),
                      "default": box.defaultButton().text()})
        buttons[answer[0]].click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown, answer


def test_errors_offer_a_draft_and_the_draft_is_marked(broken_window, qtbot, tmp_path,
                                                       answer_gate, monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)  # warnings after the export
    shown, _answer = answer_gate
    target = tmp_path / "paper.pdf"
    worker = broken_window.exporter.export(target, ExportOptions(lang="en", charts=False))
    assert worker is not None
    qtbot.waitUntil(lambda: broken_window.exporter.last is not None, timeout=120_000)
    assert len(shown) == 1
    box = shown[0]
    assert "1 error" in box["text"] and "final PDF" in box["text"]
    assert "+50.5%" in box["info"]  # the error itself is named
    assert box["buttons"] == ["Cancel", "Export as Draft"] and box["default"] == "Cancel"
    result = broken_window.exporter.last
    assert result.draft and target.exists()
    reader = PdfReader(target)
    assert reader.metadata.title.endswith("(DRAFT)")
    assert all("DRAFT" in page.extract_text() for page in reader.pages)
    assert "a draft" in broken_window.statusBar().currentMessage()


def test_cancel_writes_nothing(broken_window, qtbot, tmp_path, answer_gate):
    shown, answer = answer_gate
    answer[0] = "Cancel"
    target = tmp_path / "paper.pdf"
    worker = broken_window.exporter.export(target, ExportOptions(lang="en", charts=False))
    assert worker is not None
    qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
    qtbot.wait(200)
    assert broken_window.exporter.last is None and not target.exists()
    assert not [p for p in tmp_path.iterdir() if ".ipv-" in p.name]


def test_a_clean_report_exports_final_without_asking(clean_window, qtbot, tmp_path,
                                                     answer_gate, monkeypatch):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[1:3]))
    shown, _answer = answer_gate
    target = tmp_path / "paper.pdf"
    worker = clean_window.exporter.export(target, ExportOptions(lang="en", charts=False))
    assert worker is not None
    # the window's own slot records the result (after the worker's signal): wait for it
    qtbot.waitUntil(lambda: clean_window.exporter.last is not None or bool(warned),
                    timeout=120_000)
    qtbot.wait(50)
    assert clean_window.exporter.last is not None, warned  # the export failed: why
    assert shown == [] and not clean_window.exporter.last.draft
    assert "DRAFT" not in PdfReader(target).metadata.title


def test_an_existing_file_is_replaced_only_when_the_user_says_so(clean_window, qtbot, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    asked = []
    answers = [Button.Cancel, Button.Yes]

    def question(parent, title, text, buttons, default):
        asked.append((title, text, default))
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    target = tmp_path / "paper.pdf"
    target.write_bytes(b"%PDF old")
    options = ExportOptions(lang="en", charts=False)
    assert clean_window.exporter.export(target, options) is None  # Cancel
    assert target.read_bytes() == b"%PDF old"
    assert asked[0][0] == "Replace the PDF?" and str(target) in asked[0][1]
    assert asked[0][2] == Button.Cancel  # the safe answer is the default
    worker = clean_window.exporter.export(target, options)  # Yes
    with qtbot.waitSignal(worker.finished, timeout=120_000):
        pass
    assert len(asked) == 2 and target.read_bytes().startswith(b"%PDF-1")


def test_the_file_dialog_leaves_the_question_to_the_export_dialog(clean_window, monkeypatch):
    """The Export dialog asks before replacing, whether the name was typed or browsed to:
    the file dialog's own question is turned off so it is never asked twice."""
    from ipviewer.ui.export_dialog import ExportDialog

    seen = {}

    def save_name(*args, **kwargs):
        seen.update(kwargs)
        return "/tmp/x.pdf", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    dialog = ExportDialog(clean_window.report_path, clean_window)
    dialog._browse()
    assert seen["options"] & QFileDialog.Option.DontConfirmOverwrite
    assert dialog.path.text() == "/tmp/x.pdf"
    dialog.deleteLater()


def test_replacing_is_asked_once_then_the_draft_replaces(broken_window, qtbot, tmp_path,
                                                         answer_gate, monkeypatch):
    """An existing PDF and errors: "Replace?" (yes), then "Export as Draft": the draft
    replaces the file without a second question."""
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    shown, _answer = answer_gate
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[1]) or Button.Yes)
    target = tmp_path / "paper.pdf"
    target.write_bytes(b"%PDF old")
    assert broken_window.exporter.export(target, ExportOptions(lang="zh", charts=False))
    qtbot.waitUntil(lambda: broken_window.exporter.last is not None, timeout=120_000)
    assert asked == ["Replace the PDF?"] and len(shown) == 1
    assert broken_window.exporter.last.draft
    reader = PdfReader(target)
    assert reader.metadata.title.endswith("(草稿)")
    assert all("草稿" in page.extract_text() for page in reader.pages)
