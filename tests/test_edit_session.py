"""Editing through a working copy: the report file changes only on Save; unsaved edits
survive a crash and are offered for recovery."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ipviewer.store import ReportStore, StoreError
from ipviewer.store.edit_session import EditSession
from test_store import small_report


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "r.sqlite"
    ReportStore.create(path, small_report(), 2030).close()
    return path


def stored_text(path, node_id):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT text_zh FROM nodes WHERE id = ?", [node_id]).fetchone()[0]


def first_paragraph(store):
    return store.load_tree()[0].children[0].id


def test_edits_reach_the_file_only_on_save(report, tmp_path):
    session = EditSession.open(report, tmp_path / "recovery")
    node = first_paragraph(session.store)
    session.store.set_node_field(node, "text_zh", "授权专利。")
    session.mark_dirty(True)
    assert stored_text(report, node) == ""
    session.save()
    assert stored_text(report, node) == "授权专利。"
    assert not session.dirty
    session.close()
    assert list((tmp_path / "recovery").iterdir()) == []
    assert EditSession.find_recovery(report, tmp_path / "recovery") is None


def test_a_reader_of_the_file_sees_whole_saves(report, tmp_path):
    reader = ReportStore.open(report, readonly=True)
    session = EditSession.open(report, tmp_path / "recovery")
    node = first_paragraph(session.store)
    session.store.set_node_field(node, "text_zh", "一")
    session.save()
    assert reader.node_row(node)["text_zh"] == "一"
    assert reader.db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    reader.close()
    session.close()


def test_a_crash_leaves_edits_to_recover(report, tmp_path):
    folder = tmp_path / "recovery"
    session = EditSession.open(report, folder)
    node = first_paragraph(session.store)
    session.store.set_node_field(node, "text_zh", "未保存的修改")
    session.mark_dirty(True)
    session.abandon()  # as a crash would leave it
    found = EditSession.find_recovery(report, folder)
    assert found is not None and not found.original_changed
    assert found.original == report.resolve()
    recovered = EditSession.open(report, folder, recover=True)
    assert recovered.dirty
    assert recovered.store.node_row(node)["text_zh"] == "未保存的修改"
    assert stored_text(report, node) == ""  # the report itself still as saved
    recovered.close()


def test_declining_recovery_starts_from_the_file(report, tmp_path):
    folder = tmp_path / "recovery"
    session = EditSession.open(report, folder)
    node = first_paragraph(session.store)
    session.store.set_node_field(node, "text_zh", "丢弃")
    session.mark_dirty(True)
    session.abandon()
    fresh = EditSession.open(report, folder)
    assert fresh.store.node_row(node)["text_zh"] == ""
    assert EditSession.find_recovery(report, folder) is None
    fresh.close()


def test_clean_leftover_is_not_offered(report, tmp_path):
    folder = tmp_path / "recovery"
    EditSession.open(report, folder).abandon()
    assert EditSession.find_recovery(report, folder) is None


def test_not_a_report_is_refused_before_any_copy(tmp_path):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("hello")
    with pytest.raises(StoreError, match="notes.sqlite"):
        EditSession.open(bad, tmp_path / "recovery")
    assert not (tmp_path / "recovery").exists()


def test_a_damaged_recovery_copy_is_explained_and_can_be_discarded(report, tmp_path):
    folder = tmp_path / "recovery"
    session = EditSession.open(report, folder)
    session.store.set_node_field(first_paragraph(session.store), "text_zh", "x")
    session.mark_dirty(True)
    session.abandon()
    session.working.write_bytes(b"garbage" * 1000)
    for leftover in (f"{session.working}-wal", f"{session.working}-shm"):
        Path(leftover).unlink(missing_ok=True)
    with pytest.raises(StoreError, match="choose Discard"):
        EditSession.open(report, folder, recover=True)
    fresh = EditSession.open(report, folder)  # Discard: a new copy of the report file
    assert fresh.store.node_row(first_paragraph(fresh.store))["text_zh"] == ""
    fresh.close()
