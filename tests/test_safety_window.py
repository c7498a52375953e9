"""The real window on a damaged report: values that are not numbers and bytes that are not
UTF-8 are shown as they are (never a traceback), the checks name them, an export says why it
cannot print them, and they can be corrected and saved. The window also cleans up what a
killed ipviewer left in its folders."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ipviewer.pdf.export import ExportOptions
from ipviewer.safe_write import temporary_name
from ipviewer.store import ReportStore
from ipviewer.ui.app import make_application, open_window
from ipviewer.ui.main_window import MainWindow
from ipviewer.ui.opening import open_report

ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.EditRole,
         Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole)


def stored(path: Path, sql: str, *params):
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchone()[0]


def hand_edit(path: Path, *statements: str) -> None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.commit()


@pytest.fixture
def damaged(sample_copy) -> Path:
    hand_edit(sample_copy,
              "UPDATE indicators SET value = 'abc' WHERE key = 'patents_granted' AND year = 2024",
              "UPDATE indicators SET yoy_pct = 'x%' WHERE key = 'pct_international_applications' "
              "AND year = 2024",
              "UPDATE nodes SET text_en = CAST(x'48696768fffe' AS TEXT) WHERE id = (SELECT "
              "min(id) FROM nodes WHERE kind = 'paragraph')")
    return sample_copy


@pytest.fixture
def window(qtbot, damaged, tmp_path, monkeypatch):
    win = MainWindow(open_report(damaged, tmp_path / "recovery"))
    win.show()
    yield win
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    win.close()


def every_cell(model) -> list:
    return [model.data(model.index(r, c), role) for r in range(model.rowCount())
            for c in range(model.columnCount()) for role in ROLES]


def test_damaged_cells_are_shown_as_they_are(window, damaged, qtbot):
    node = stored(damaged, "SELECT node_id FROM indicators WHERE key = 'patents_granted' "
                  "AND year = 2024")
    window.select_node(node)
    cells = every_cell(window.indicators.node_model)
    assert "'abc'" in cells
    every_cell(window.indicators.all_model)
    for row in range(window.indicators.all_model.rowCount()):  # the chart of each, damaged ones too
        window.indicators.choose(window.indicators.all_model,
                                 window.indicators.all_model.index(row, 0))
    first = stored(damaged, "SELECT min(id) FROM nodes WHERE kind = 'paragraph'")
    window.select_node(first)
    assert "\ufffd" in window.editor.texts["en"].source()
    window.issues_panel.wait()
    qtbot.waitUntil(lambda: any(f.code == "damaged" for f in window.issues_panel.findings))
    messages = [f.message for f in window.issues_panel.findings if f.code == "damaged"]
    assert any("'abc' is not a number" in m for m in messages)
    assert any("not UTF-8" in m for m in messages)


def test_an_export_says_why_and_a_correction_saves(window, damaged, tmp_path, monkeypatch,
                                                    qtbot):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    assert window.exporter.export(tmp_path / "x.pdf", ExportOptions(lang="en", charts=False))
    # Not waitSignal(worker.failed): a quick failure may come before it would listen.
    qtbot.waitUntil(lambda: bool(warned), timeout=60_000)
    assert "'abc' is not a number" in warned[0]
    assert not (tmp_path / "x.pdf").exists()
    row = stored(damaged, "SELECT id FROM indicators WHERE key = 'patents_granted' AND year "
                 "= 2024")
    window.document.apply_indicators({row: {"value": "150800"}})
    window.undo_stack.resetClean()
    assert window.save()
    with ReportStore.open(damaged, readonly=True) as store:
        assert [d.column for d in store.damage()] == ["yoy_pct", "text_en"]


def test_the_window_removes_what_a_killed_ipviewer_left(sample_copy, tmp_path, qtbot,
                                                        monkeypatch):
    """Temporary files of a dead ipviewer beside the report and in the data folder go when
    the next window opens; other files stay."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    make_application()
    from ipviewer.ui.opening import data_folder, recovery_folder

    left = []
    for folder in (sample_copy.parent, data_folder(), recovery_folder()):
        folder.mkdir(parents=True, exist_ok=True)
        fresh = temporary_name(folder / "x.sqlite")
        name = fresh.name.replace(f"-{__import__('os').getpid()}-", f"-{child.pid}-")
        (folder / name).write_bytes(b"half")
        left.append(folder / name)
    keep = sample_copy.parent / "notes.tmp"
    keep.write_bytes(b"mine")
    window = open_window(sample_copy)
    qtbot.addWidget(window)
    assert not any(p.exists() for p in left)
    assert keep.exists()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.close()
