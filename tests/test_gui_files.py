"""The File menu's report jobs driven through their real dialogs — New, Save As, Close,
Import Text — and the start screen; each asserts the report file afterwards."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from conftest import run_cli
from ipviewer.sample import sample_text
from ipviewer.store import ReportStore
from ipviewer.store.edit_session import EditSession
from ipviewer.ui import commands
from ipviewer.ui.import_text_dialog import ImportTextDialog
from ipviewer.ui.new_report_dialog import NewReportDialog
from ipviewer.ui.opening import recovery_folder
from ipviewer.ui.welcome import NO_WELCOME_ENV, Welcome, first_start, welcome_allowed
from ipviewer.ui.window_settings import RECENT_KEY

Button = QMessageBox.StandardButton


def answer_dialog(dialog_class, fill, tries: int = 6000):
    """When a modal ``dialog_class`` opens, ``fill`` it (typing, choosing, pressing OK);
    a dialog still open afterwards is cancelled, so a test never hangs. Returns the list
    of dialogs seen; appending None to it stops the watch."""
    seen: list = []
    timer = QTimer(QApplication.instance())  # one timer, stopped when done
    timer.setInterval(10)
    left = [tries]

    def poll():
        dialog = QApplication.activeModalWidget()
        left[0] -= 1
        if seen or left[0] < 0:
            timer.stop()
            timer.deleteLater()
            return
        if not isinstance(dialog, dialog_class):
            return
        seen.append(dialog)
        timer.stop()
        timer.deleteLater()
        try:
            fill(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    timer.timeout.connect(poll)
    timer.start()
    return seen


def type_chinese(edit, text: str) -> None:
    """Type Chinese as an input method commits it (QTest types ASCII keys only)."""
    edit.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)


def press_ok(dialog):
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def answer_questions(monkeypatch, *answers):
    """QMessageBox.question answers ``answers`` in turn; returns the texts asked."""
    queue, asked = list(answers), []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return queue.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def record_warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    return shown


def report_row(path: Path) -> dict:
    with contextlib.closing(ReportStore.open(path, readonly=True)) as store:
        return store.report()


def stored(path: Path, sql: str, *params):
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchone()[0]


# -- New -----------------------------------------------------------------------------------------


def test_new_report_writes_the_year_and_titles(open_editor, qtbot, tmp_path):
    window = open_editor()
    target = tmp_path / "new" / "white-paper-2026.sqlite"
    target.parent.mkdir()

    def fill(dialog: NewReportDialog):
        dialog.year.clear()
        qtbot.keyClicks(dialog.year, "2026")
        qtbot.keyClicks(dialog.title_en, "IP Development in Shanghai in 2026")
        type_chinese(dialog.title_zh, "2026年上海市知识产权发展状况")
        dialog.path.clear()
        qtbot.keyClicks(dialog.path, str(target))
        press_ok(dialog)

    seen = answer_dialog(NewReportDialog, fill)
    assert window.files.new_report()
    assert seen
    info = report_row(target)
    assert info["year"] == 2026
    assert info["title_en"] == "IP Development in Shanghai in 2026"
    assert info["title_zh"] == "2026年上海市知识产权发展状况"
    assert window.report_path == target and window.year == 2026
    assert stored(target, "SELECT COUNT(*) FROM nodes WHERE kind = 'paragraph'") == 1
    assert window.tree_model.rowCount() == 1  # the overview, ready to type into


def test_new_report_from_the_sample_asks_before_replacing(open_editor, qtbot, tmp_path,
                                                          monkeypatch):
    window = open_editor()
    target = tmp_path / "from-sample.sqlite"
    target.write_bytes(b"an older file")
    asked = answer_questions(monkeypatch, Button.No, Button.Yes)

    def fill(dialog: NewReportDialog):
        dialog.sample.click()
        assert not dialog.year.isEnabled() and dialog.year.value() == 2024
        type_chinese(dialog.title_zh, "样本报告")
        dialog.path.clear()
        qtbot.keyClicks(dialog.path, str(target))
        press_ok(dialog)  # No: the dialog stays, the file is not touched
        assert dialog.isVisible() and target.read_bytes() == b"an older file"
        press_ok(dialog)  # Yes

    answer_dialog(NewReportDialog, fill)
    assert window.files.new_report()
    assert len(asked) == 2 and "already exists" in asked[0]
    info = report_row(target)
    assert info["year"] == 2024 and info["title_zh"] == "样本报告"
    assert info["title_en"].startswith("Intellectual Property Development in Shanghai")
    assert stored(target, "SELECT COUNT(*) FROM indicators") > 50


def test_new_report_never_over_the_report_shown(open_editor, qtbot):
    window = open_editor()
    problems = []

    def fill(dialog: NewReportDialog):
        dialog.path.setText(str(window.report_path))
        press_ok(dialog)  # refused before any question about replacing
        problems.append(dialog.problem.text())

    answer_dialog(NewReportDialog, fill)
    assert not window.files.new_report()
    assert "input" in problems[0]
    assert window.year == 2024


# -- Save As -------------------------------------------------------------------------------------


def _edit_first_paragraph(window, text: str) -> int:
    node_id = stored(window.store.path, "SELECT id FROM nodes WHERE kind = 'paragraph' "
                     "ORDER BY id")
    old = stored(window.store.path, "SELECT text_en FROM nodes WHERE id = ?", node_id)
    commands.edit_field(window.document, node_id, "text_en", old, text)
    window._seal_typing()
    return node_id


def test_save_as_writes_the_edits_to_the_new_file_and_edits_it(open_editor, sample_copy,
                                                                tmp_path):
    window = open_editor()
    before = sample_copy.read_bytes()
    node_id = _edit_first_paragraph(window, "Edited before Save As.")
    target = tmp_path / "copy.sqlite"
    assert window.files.save_as(target)

    assert sample_copy.read_bytes() == before, "the old file keeps what it had on disk"
    assert stored(target, "SELECT text_en FROM nodes WHERE id = ?", node_id) == \
        "Edited before Save As."
    assert window.report_path == target and window.undo_stack.isClean()
    assert Path(f"{target}.lock").exists() and not Path(f"{sample_copy}.lock").exists()
    assert stored(target, "SELECT file_id FROM report") != \
        stored(sample_copy, "SELECT file_id FROM report")

    _edit_first_paragraph(window, "Edited after Save As.")
    kept = EditSession.find_recovery(target, recovery_folder())  # what a crash would offer
    assert kept is not None and kept.working == window.store.path
    assert window.save()
    assert stored(target, "SELECT text_en FROM nodes WHERE id = ?", node_id) == \
        "Edited after Save As."
    assert sample_copy.read_bytes() == before


def test_save_as_refuses_the_report_itself_and_asks_before_replacing(open_editor, tmp_path,
                                                                     monkeypatch):
    window = open_editor()
    shown = record_warnings(monkeypatch)
    assert not window.files.save_as(window.report_path)
    assert "input" in shown[0]
    other = tmp_path / "other.sqlite"
    other.write_bytes(b"keep me")
    answer_questions(monkeypatch, Button.No)
    assert not window.files.save_as(other)
    assert other.read_bytes() == b"keep me"


# -- Close and the start screen ------------------------------------------------------------------


def test_close_asks_about_unsaved_changes_then_shows_the_welcome(open_editor, sample_copy,
                                                                 monkeypatch, qtbot):
    window = open_editor()
    before = sample_copy.read_bytes()
    working = window.opened.session.working
    _edit_first_paragraph(window, "Not to be kept.")
    asked = answer_questions(monkeypatch, Button.Cancel, Button.Discard)
    assert not window.files.close_report()  # Cancel: still editing
    assert window.isVisible() and not window.store.closed and not window.undo_stack.isClean()
    assert window.files.close_report()  # Discard
    assert len(asked) == 2 and "Save the changes" in asked[0]
    welcome = window.files.welcome
    assert welcome is not None and welcome.isVisible() and not window.isVisible()
    assert window.store.closed and not working.exists()
    assert sample_copy.read_bytes() == before
    assert not Path(f"{sample_copy}.lock").exists()

    # the start screen opens a recent report in the same window
    recent = [welcome.recent.item(i) for i in range(welcome.recent.count())]
    item = next(i for i in recent if i.toolTip() == str(sample_copy))
    welcome.recent.itemActivated.emit(item)
    assert not welcome.isVisible() and window.isVisible()
    assert window.report_path == sample_copy and not window.store.closed


def test_welcome_closed_without_a_choice_closes_the_hidden_window(open_editor, monkeypatch):
    window = open_editor()
    assert window.files.close_report()
    window.files.welcome.reject()
    assert not window.isVisible() and window.files.report_closed


def test_first_start_welcome_explore_and_new(open_editor, qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv(NO_WELCOME_ENV, raising=False)
    QSettings().remove(RECENT_KEY)  # the settings last for the test session
    assert first_start() and welcome_allowed()
    window = open_editor()
    assert not first_start()  # the report opened is now a recent one
    monkeypatch.setenv(NO_WELCOME_ENV, "1")
    assert not welcome_allowed()

    welcome = Welcome(window.files, window)
    welcome.show()
    welcome.sample.click()  # explore the sample: just closes
    assert not welcome.isVisible() and window.report_path.name == "report.sqlite"

    welcome = Welcome(window.files, window)
    welcome.show()
    target = tmp_path / "fresh.sqlite"

    def fill(dialog: NewReportDialog):
        dialog.path.setText(str(target))
        press_ok(dialog)

    answer_dialog(NewReportDialog, fill)
    welcome.new.click()
    assert not welcome.isVisible()
    assert window.report_path == target and target.exists()


# -- Import Text ---------------------------------------------------------------------------------


def _chinese_sample_lines(count: int = 40) -> str:
    return "\n".join(sample_text("zh").splitlines()[:count]) + "\n"


def test_import_a_gb18030_text_choosing_the_encoding(open_editor, qtbot, tmp_path):
    window = open_editor()
    source = tmp_path / "部门.txt"
    source.write_bytes(_chinese_sample_lines().encode("gb18030"))
    target = tmp_path / "imported.sqlite"
    states = {}

    def fill(dialog: ImportTextDialog):
        dialog.encoding.setCurrentIndex(dialog.encoding.findData("utf-8"))
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        states["utf-8"] = (ok.isEnabled(), dialog.problem.text())
        dialog.encoding.setCurrentIndex(dialog.encoding.findData("gb18030"))
        states["gb18030"] = (ok.isEnabled(), dialog.lines.toPlainText(),
                             dialog.lang.currentData(), dialog.year.value(),
                             dialog.year_reason.text(), dialog.structure.topLevelItemCount())
        dialog.path.setText(str(target))
        press_ok(dialog)

    answer_dialog(ImportTextDialog, fill)
    assert window.files.import_text(source)
    enabled, problem = states["utf-8"]
    assert not enabled and "部门.txt" in problem and "UTF-8" in problem
    enabled, lines, lang, year, reason, parts = states["gb18030"]
    assert enabled and "知识产权" in lines and lang == "zh" and year == 2024
    assert "2024" in reason and parts >= 1
    info = report_row(target)
    assert info["year"] == 2024 and info["source_lang"] == "zh"
    assert "上海" in info["title_zh"]
    assert stored(target, "SELECT COUNT(*) FROM nodes WHERE text_zh LIKE '%专利%'") > 0
    assert window.report_path == target


def test_import_into_the_open_report_adds_the_other_language(open_editor, qtbot, tmp_path):
    english = tmp_path / "en.md"
    english.write_text(sample_text("en"), encoding="utf-8")
    report = tmp_path / "english-only.sqlite"
    assert run_cli("import", english, "-o", report).exit_code == 0
    assert stored(report, "SELECT COUNT(*) FROM nodes WHERE title_zh != ''") == 0
    window = open_editor(report)
    chinese = tmp_path / "zh.md"
    chinese.write_text(sample_text("zh"), encoding="utf-8")

    def fill(dialog: ImportTextDialog):
        assert dialog.into_report.isEnabled()
        dialog.into_report.click()
        press_ok(dialog)

    answer_dialog(ImportTextDialog, fill)
    assert window.files.import_text(chinese)
    assert not window.undo_stack.isClean() or window.isWindowModified()
    working = window.store.path
    assert stored(working, "SELECT COUNT(*) FROM nodes WHERE kind = 'part' "
                           "AND title_zh != ''") == 5
    assert stored(report, "SELECT COUNT(*) FROM nodes WHERE title_zh != ''") == 0
    assert window.tree_model.index(1, 1).data().startswith("一、")
    assert "上海" in window.windowTitle() or "Shanghai" in window.windowTitle()

    window.undo_stack.undo()  # one step takes the whole import back
    assert stored(working, "SELECT COUNT(*) FROM nodes WHERE title_zh != ''") == 0
    assert not window.tree_model.index(1, 1).data()
    window.undo_stack.redo()
    assert window.tree_model.index(1, 1).data().startswith("一、")
    assert window.save()
    assert stored(report, "SELECT COUNT(*) FROM nodes WHERE kind = 'part' "
                          "AND title_zh != ''") == 5
    assert "上海" in report_row(report)["title_zh"]


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, b"",
                                     b"\x00\x01\x02\x03" * 100])
def test_a_file_that_is_no_text_is_named_and_nothing_written(open_editor, tmp_path,
                                                             monkeypatch, content):
    window = open_editor()
    source = tmp_path / "picture.txt"
    source.write_bytes(content)
    before = sorted(p.name for p in tmp_path.iterdir())
    shown = record_warnings(monkeypatch)
    opened = answer_dialog(ImportTextDialog, lambda dialog: None)
    assert not window.files.import_text(source)
    assert not opened, "no preview of a file that is no text"
    opened.append(None)
    assert shown and "picture.txt" in shown[0] and "Traceback" not in shown[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert window.year == 2024 and window.undo_stack.isClean()


def test_the_dialogs_speak_chinese(app, tmp_path):
    from PySide6.QtWidgets import QAbstractButton, QLabel

    from ipviewer.ui.language import apply_language

    source = tmp_path / "部门.txt"
    source.write_bytes(_chinese_sample_lines().encode("gb18030"))
    apply_language("zh_CN", remember=False)
    try:
        class Jobs:  # the welcome's jobs are not run here
            new_report = choose_import = choose_report = open_sample = staticmethod(
                lambda: False)
            open_report = staticmethod(lambda path: False)

        dialogs = [NewReportDialog(None, tmp_path), Welcome(Jobs(), None, report_shown=False),
                   ImportTextDialog(None, source, tmp_path, list, "", "en")]
        for dialog in dialogs:
            texts = [dialog.windowTitle()]
            texts += [w.text() for w in dialog.findChildren(QLabel)
                      if w is not getattr(dialog, "file", None)]
            texts += [w.text() for w in dialog.findChildren(QAbstractButton)]
            english = [t for t in texts
                       if re.search(r"[A-Za-z]{4,}", t.replace("ipviewer", "")
                                    .replace(str(tmp_path), ""))]
            assert not english, (type(dialog).__name__, english)
            dialog.deleteLater()
    finally:
        apply_language("en", remember=False)


def test_save_as_from_a_read_only_window_makes_an_editable_report(sample_window, tmp_path,
                                                                  monkeypatch):
    window = sample_window
    assert window.readonly
    target = tmp_path / "mine.sqlite"
    assert window.files.save_as(target)
    assert not window.readonly and window.report_path == target
    assert report_row(target)["year"] == 2024
    assert stored(target, "SELECT COUNT(*) FROM indicators") == \
        stored(window.store.path, "SELECT COUNT(*) FROM indicators")
    answer_questions(monkeypatch, Button.Discard)
    window.close()


def test_a_text_in_the_report_language_cannot_go_into_it(open_editor, tmp_path):
    window = open_editor()
    english = tmp_path / "en.md"
    english.write_text(sample_text("en"), encoding="utf-8")
    states = []

    def fill(dialog: ImportTextDialog):
        dialog.into_report.click()
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        states.append((ok.isEnabled(), dialog.problem.text()))

    answer_dialog(ImportTextDialog, fill)
    assert not window.files.import_text(english)
    enabled, problem = states[0]
    assert not enabled and "already written in this language" in problem
    assert window.undo_stack.isClean()
