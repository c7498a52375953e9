"""Save never overwrites another program's work: a report changed (or replaced) by another
process while the window had it open is noticed before anything is written, and the user
chooses to combine, save a copy or cancel. Save waits for a busy report without freezing
the window, and can stop waiting."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QPushButton

from conftest import run_cli
from ipviewer.store import ReportStore, StoreError, report_file
from ipviewer.store.edit_session import EditSession, SaveConflict, file_identity
from ipviewer.ui import saving
from ipviewer.ui.main_window import MainWindow
from test_safety_concurrency import hold_write_lock


def paragraph(path: Path) -> int:
    return stored(path, "SELECT id FROM nodes WHERE kind = 'paragraph' ORDER BY id")


def stored(path: Path, sql: str, *params):
    with contextlib.closing(sqlite3.connect(path)) as conn:  # `with conn` alone keeps it open
        return conn.execute(sql, params).fetchone()[0]


def another_program_sets(report: Path, key: str, value: str, tmp_path: Path) -> None:
    """A real second process (the CLI) changes an indicator value in the report file."""
    values = tmp_path / f"{key}-{value}.csv"
    values.write_text(f"key,year,value\n{key},2024,{value}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "ipviewer", "indicators", "import",
                           str(report), str(values)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr


VALUE = "SELECT value FROM indicators WHERE key = 'patents_granted' AND year = 2024"


# -- the session ---------------------------------------------------------------------------


def edited_then_changed_elsewhere(report: Path, tmp_path: Path) -> tuple[EditSession, int]:
    """A session with an unsaved edit of the first paragraph, while another process changes
    an indicator value in the report file."""
    session = EditSession.open(report, tmp_path / "recovery")
    node = paragraph(report)
    session.store.set_node_field(node, "text_zh", "我的修改")
    session.mark_dirty(True)
    another_program_sets(report, "patents_granted", "150900", tmp_path)
    return session, node


def test_save_refuses_to_overwrite_another_programs_change(sample_copy, tmp_path):
    session, node = edited_then_changed_elsewhere(sample_copy, tmp_path)
    before = sample_copy.read_bytes()
    with pytest.raises(SaveConflict, match="changed by another program") as caught:
        session.save()
    assert caught.value.can_combine and not caught.value.replaced
    assert sample_copy.read_bytes() == before  # nothing written
    assert session.dirty and session.store.node_row(node)["text_zh"] == "我的修改"
    session.close()


def test_a_replaced_report_cannot_be_combined(sample_copy, tmp_path):
    session = EditSession.open(sample_copy, tmp_path / "recovery")
    session.store.set_node_field(paragraph(sample_copy), "text_zh", "我的修改")
    assert run_cli("sample", "-o", sample_copy, "--force").exit_code == 0  # a new file
    with pytest.raises(SaveConflict, match="replaced by another file") as caught:
        session.save()
    assert caught.value.replaced and not caught.value.can_combine
    session.close()


def test_saves_in_a_row_and_after_an_unrelated_change(sample_copy, tmp_path):
    session = EditSession.open(sample_copy, tmp_path / "recovery")
    node = paragraph(sample_copy)
    for text in ("一", "二"):
        session.store.set_node_field(node, "text_zh", text)
        session.save()
        assert stored(sample_copy, "SELECT text_zh FROM nodes WHERE id = ?", node) == text
    another_program_sets(sample_copy, "patents_granted", "150900", tmp_path)
    session.store.set_node_field(node, "text_zh", "三")
    with pytest.raises(SaveConflict):
        session.save()  # noticed after earlier saves too (the base moved with each save)
    session.close()


def test_save_writes_only_what_changed(sample_copy, tmp_path):
    """One edited paragraph: the report file's change counter moves by that row (and the
    report row), not by every row of the report."""
    session = EditSession.open(sample_copy, tmp_path / "recovery")
    before = stored(sample_copy, "SELECT revision FROM report")
    session.store.set_node_field(paragraph(sample_copy), "text_en", "Changed.")
    session.save()
    assert stored(sample_copy, "SELECT revision FROM report") - before <= 3
    with ReportStore.open(sample_copy, readonly=True) as store:
        assert [r["id"] for r in store.search("Changed.")] == [paragraph(sample_copy)]
        assert store.damage() == []
    session.close()


def test_save_a_copy_keeps_both(sample_copy, tmp_path):
    session = EditSession.open(sample_copy, tmp_path / "recovery")
    node = paragraph(sample_copy)
    session.store.set_node_field(node, "text_zh", "我的版本")
    another_program_sets(sample_copy, "patents_granted", "150900", tmp_path)
    copy = tmp_path / "mine.sqlite"
    session.save_copy(copy)
    assert stored(copy, "SELECT text_zh FROM nodes WHERE id = ?", node) == "我的版本"
    assert stored(copy, VALUE) == "150800"
    assert stored(sample_copy, VALUE) == "150900"
    assert file_identity(copy)[0] != file_identity(sample_copy)[0]
    assert run_cli("check", copy, "--no-terms").exit_code in (0, 1)
    session.close()


def test_recovery_says_when_the_file_changed_meanwhile(sample_copy, tmp_path):
    folder = tmp_path / "recovery"
    session = EditSession.open(sample_copy, folder)
    session.store.set_node_field(paragraph(sample_copy), "text_zh", "x")
    session.mark_dirty(True)
    session.abandon()
    assert not EditSession.find_recovery(sample_copy, folder).original_changed
    another_program_sets(sample_copy, "patents_granted", "150900", tmp_path)
    assert EditSession.find_recovery(sample_copy, folder).original_changed


def test_save_waits_for_a_busy_report_and_can_stop_waiting(sample_copy, tmp_path, monkeypatch):
    session = EditSession.open(sample_copy, tmp_path / "recovery")
    node = paragraph(sample_copy)
    session.store.set_node_field(node, "text_zh", "等待")
    holder = hold_write_lock(sample_copy, 1.0)
    session.save()  # waits for the other write, then saves
    holder.wait(timeout=30)
    assert stored(sample_copy, "SELECT text_zh FROM nodes WHERE id = ?", node) == "等待"
    session.store.set_node_field(node, "text_zh", "停止")
    holder = hold_write_lock(sample_copy, 10.0)
    try:
        started = time.monotonic()
        with pytest.raises(StoreError, match="being changed by another program"):
            session.save(cancelled=lambda: time.monotonic() - started > 0.5)
        assert time.monotonic() - started < 3
    finally:
        holder.kill()
        holder.wait()
    session.close()


# -- the window ----------------------------------------------------------------------------


@pytest.fixture
def window(open_editor):
    return open_editor()


def edit_paragraph(win: MainWindow, text: str) -> int:
    node = paragraph(win.report_path)
    win.select_node(node)
    win.document.apply_node_field(node, "text_zh", text)
    win.undo_stack.resetClean()
    return node


def test_the_window_asks_and_cancel_writes_nothing(window, tmp_path, monkeypatch):
    edit_paragraph(window, "窗口里的修改")
    another_program_sets(window.report_path, "patents_granted", "150900", tmp_path)
    before = window.report_path.read_bytes()
    asked = []
    monkeypatch.setattr(saving, "ask_about_conflict",
                        lambda parent, conflict: asked.append(conflict) or saving.CANCEL)
    assert not window.save()
    assert len(asked) == 1 and asked[0].can_combine
    assert window.report_path.read_bytes() == before
    assert window.isWindowModified()


def test_the_window_saves_a_copy(window, tmp_path, monkeypatch):
    node = edit_paragraph(window, "另存的版本")
    another_program_sets(window.report_path, "patents_granted", "150900", tmp_path)
    copy = tmp_path / "copy.sqlite"
    monkeypatch.setattr(saving, "ask_about_conflict", lambda parent, c: saving.SAVE_COPY)
    monkeypatch.setattr(saving, "choose_copy_path", lambda parent, original: copy)
    assert not window.save()
    assert stored(copy, "SELECT text_zh FROM nodes WHERE id = ?", node) == "另存的版本"
    assert stored(window.report_path, VALUE) == "150900"
    assert "copy.sqlite" in window.statusBar().currentMessage()


def test_the_window_refuses_to_save_a_copy_over_the_report(window, tmp_path, monkeypatch):
    edit_paragraph(window, "x")
    another_program_sets(window.report_path, "patents_granted", "150900", tmp_path)
    before = window.report_path.read_bytes()
    warned = []
    monkeypatch.setattr(saving, "ask_about_conflict", lambda parent, c: saving.SAVE_COPY)
    monkeypatch.setattr(saving, "choose_copy_path", lambda parent, original: original)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    assert not window.save()
    assert warned and "input" in warned[0]
    assert window.report_path.read_bytes() == before


def test_saving_does_not_freeze_the_window(window, monkeypatch):
    """While Save waits for another program's write, the window's event loop runs (timers
    fire, the "Saving…" dialog shows); then the save completes."""
    edit_paragraph(window, "不冻结")
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    holder = hold_write_lock(window.report_path, 1.2)
    try:
        assert window.save()
    finally:
        timer.stop()
        holder.wait(timeout=30)
    assert len(ticks) >= 10
    assert not window.isWindowModified()


def test_stop_waiting_leaves_the_edits_unsaved(window, monkeypatch, qtbot):
    monkeypatch.setattr(report_file, "BUSY_TIMEOUT_MS", 60_000)
    edit_paragraph(window, "停止等待")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))

    shown = []

    def press_stop():
        dialog = window.findChildren(saving.QProgressDialog)[-1]
        shown.append(dialog.isVisible())
        dialog.findChild(QPushButton).click()

    holder = hold_write_lock(window.report_path, 30.0)
    try:
        QTimer.singleShot(900, press_stop)
        started = time.monotonic()
        assert not window.save()
        assert time.monotonic() - started < 10
    finally:
        holder.kill()
        holder.wait()
    assert warned and "being changed by another program" in warned[0]
    assert window.isWindowModified()
    assert shown == [True]  # the "Saving…" dialog was up, its button stopped the wait


def test_the_export_dialogs_cancel_reaches_the_busy_worker(window, tmp_path, monkeypatch,
                                                          qtbot):
    """The Cancel button of the export's progress dialog stops an export in progress (the
    worker's thread is busy, so the request must not wait in its event queue)."""
    from ipviewer.pdf import export
    from ipviewer.pdf.export import ExportOptions
    from ipviewer.pdf.layout import Cancelled

    def slow_layout(content, fonts, setup, progress, cancelled):
        started = time.monotonic()
        while time.monotonic() - started < 20:
            if cancelled():
                raise Cancelled()
            time.sleep(0.02)
        raise AssertionError("never cancelled")

    monkeypatch.setattr(export, "layout_pdf", slow_layout)
    failed = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: failed.append(a[2]))
    monkeypatch.setattr(QMessageBox, "question",  # replace the old PDF: yes
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    target = tmp_path / "paper.pdf"
    target.write_bytes(b"%PDF old")
    worker = window.exporter.export(target, ExportOptions(lang="en", charts=False, draft=True))
    qtbot.waitUntil(lambda: window.exporter.progress.isVisible(), timeout=10_000)
    assert worker is not None
    started = time.monotonic()
    window.exporter.progress.findChild(QPushButton).click()
    # the window's own slot reports it (no signal blocker on the worker's thread: one once
    # waited past its timeout in CI)
    qtbot.waitUntil(lambda: bool(failed), timeout=10_000)
    assert time.monotonic() - started < 5
    assert "cancelled" in failed[0] and target.read_bytes() == b"%PDF old"


# -- combining -------------------------------------------------------------------------------


def test_combine_keeps_their_change_and_mine(sample_copy, tmp_path):
    session, node = edited_then_changed_elsewhere(sample_copy, tmp_path)
    with pytest.raises(SaveConflict):
        session.save()
    result = session.combine()
    assert result.conflicts == []
    session.save()  # the base is now their version: no conflict
    assert stored(sample_copy, VALUE) == "150900"
    assert stored(sample_copy, "SELECT text_zh FROM nodes WHERE id = ?", node) == "我的修改"
    with ReportStore.open(sample_copy, readonly=True) as store:
        assert store.damage() == []
    another_program_sets(sample_copy, "patents_granted", "151000", tmp_path)
    session.store.set_node_field(node, "text_zh", "再改")
    with pytest.raises(SaveConflict):  # a later change by them is noticed again
        session.save()
    session.close()


def test_combine_in_the_window_lists_where_both_changed(window, tmp_path, monkeypatch):
    """Both changed the same value: Combine and Save keeps the window's and says so; their
    other change is kept; the window shows the combined report, saved."""
    node = edit_paragraph(window, "窗口的修改")
    ind = stored(window.report_path, "SELECT id FROM indicators WHERE key = "
                 "'patents_granted' AND year = 2024")
    window.document.apply_indicators({ind: {"value": "150700"}})
    another_program_sets(window.report_path, "patents_granted", "150900", tmp_path)
    another_program_sets(window.report_path, "pct_applications", "7000", tmp_path)
    told = []
    monkeypatch.setattr(saving, "ask_about_conflict", lambda parent, c: saving.COMBINE)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    assert window.save()
    assert stored(window.report_path, VALUE) == "150700"  # both changed it: mine kept
    assert stored(window.report_path, "SELECT text_zh FROM nodes WHERE id = ?", node) \
        == "窗口的修改"
    assert stored(window.report_path, "SELECT value FROM indicators WHERE key = "
                  "'pct_applications' AND year = 2024") == "7000"  # theirs kept
    assert told and "patents_granted" in told[0] and "150,700" in told[0]
    assert not window.isWindowModified()
    assert window.undo_stack.count() == 0  # the history described the report before


def test_a_lost_info_file_does_not_stop_a_save(sample_copy, tmp_path):
    session = EditSession.open(sample_copy, tmp_path / "recovery")
    node = paragraph(sample_copy)
    session.store.set_node_field(node, "text_zh", "照常保存")
    session.working.with_suffix(".json").unlink()
    session.save()
    assert stored(sample_copy, "SELECT text_zh FROM nodes WHERE id = ?", node) == "照常保存"
    session.close()


def test_edits_kept_by_an_older_ipviewer_are_never_written_blindly(sample_copy, tmp_path):
    """A working copy left without a record of the file it came from: Save cannot tell
    whether the file changed, so it asks (a copy can always be saved)."""
    folder = tmp_path / "recovery"
    session = EditSession.open(sample_copy, folder)
    session.store.set_node_field(paragraph(sample_copy), "text_zh", "旧版本留下的")
    session.mark_dirty(True)
    session.abandon()
    info = session.working.with_suffix(".json")
    info.write_text(info.read_text().replace('"base_identity"', '"base"'), encoding="utf-8")
    recovered = EditSession.open(sample_copy, folder, recover=True)
    with pytest.raises(SaveConflict) as caught:
        recovered.save()
    assert not caught.value.replaced and not caught.value.can_combine
    assert "cannot tell" in str(caught.value)
    recovered.save_copy(tmp_path / "kept.sqlite")
    assert stored(tmp_path / "kept.sqlite", "SELECT count(*) FROM nodes WHERE text_zh = ?",
                  "旧版本留下的") == 1
    recovered.close()


def test_an_edit_session_leaves_nothing_beside_the_report(sample_copy, tmp_path):
    folder = tmp_path / "recovery"
    session = EditSession.open(sample_copy, folder)
    session.store.set_node_field(paragraph(sample_copy), "text_zh", "整洁")
    session.save()
    assert EditSession.find_recovery(sample_copy, folder) is None
    session.close()
    assert sorted(p.name for p in sample_copy.parent.iterdir()) == ["recovery", "report.sqlite"]
    assert list(folder.iterdir()) == []
