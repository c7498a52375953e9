"""What exists works as a user expects: the chart follows every edit of its indicator, Ctrl+Z
in a one-line field undoes the report's last step once the field's own typing is undone,
the glossary has its own undo history, the Issues panel follows edits without a full run,
and closing a window never waits for its checks."""

from __future__ import annotations

import shutil
import sqlite3
import time
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from ipviewer.checks import run_checks
from ipviewer.store import ReportStore

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def _no_modifier_left_held():
    """QTest's Ctrl+key clicks that trigger the window's shortcuts can leave Ctrl held in
    Qt's modifier state: release it, or the next test's selections would be Ctrl+clicks."""
    yield
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    if QApplication.keyboardModifiers() != Qt.KeyboardModifier.NoModifier:
        spare = QWidget()
        QTest.keyRelease(spare, Qt.Key.Key_Control)
        QTest.keyRelease(spare, Qt.Key.Key_Shift)
        spare.deleteLater()


def stored(path: Path, sql: str, *params):
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchone()[0]


def value_of(path: Path, key: str, year: int = 2024) -> str:
    return stored(path, "SELECT value FROM indicators WHERE key = ? AND year = ?", key, year)


def chart_value(window, year: int = 2024) -> Decimal:
    return next(p.value for p in window.chart_pane._points if p.year == year)


def focus(qtbot, window, widget) -> None:
    window.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=3000)


# -- the chart -------------------------------------------------------------------------------

def test_the_chart_shows_each_edit_of_its_indicator_and_each_undo(open_editor, qtbot):
    window = open_editor()
    tabs = window.indicators
    tabs.setCurrentIndex(1)  # All Indicators: the chart's row is not in the other table
    model, view = tabs.all_model, tabs.all_view
    row = next(r for r in range(model.rowCount())
               if model.row(r)["key"] == "patents_granted" and model.row(r)["year"] == 2024)
    value = model.index(row, model.column_of("value"))
    view.setCurrentIndex(value)
    assert window.chart_pane.key == "patents_granted"
    assert chart_value(window) == Decimal(150800)
    other = window.indicators.node_view  # another table's current row: not what is charted
    other.setCurrentIndex(window.indicators.node_model.index(1, 0))
    view.setCurrentIndex(value)

    assert model.setData(value, "15.2万", Qt.ItemDataRole.EditRole)
    assert window.chart_pane.key == "patents_granted"
    assert chart_value(window) == Decimal(152000)
    window.undo_stack.undo()
    assert chart_value(window) == Decimal(150800)
    window.undo_stack.redo()
    assert chart_value(window) == Decimal(152000)
    QGuiApplication.clipboard().setText("160000")  # a paste is one more edit
    view.setCurrentIndex(value)
    view.selectionModel().clearSelection()
    assert view.paste()
    assert chart_value(window) == Decimal(160000)
    assert value_of(window.store.path, "patents_granted") == "160000"


# -- Ctrl+Z in one-line fields ----------------------------------------------------------------

def _value_cell(window):
    window.select_node(window.tree_model.roots()[0].id)
    view, model = window.indicators.node_view, window.indicators.node_model
    row = next(r for r in range(model.rowCount()) if model.row(r)["key"] == "patents_granted")
    return view, model, model.index(row, model.column_of("value"))


def test_ctrl_z_in_an_open_cell_editor_undoes_the_reports_last_step(open_editor, qtbot):
    window = open_editor()
    view, _model, cell = _value_cell(window)
    view.setCurrentIndex(cell)
    focus(qtbot, window, view)
    view.edit(cell)
    editor = view.current_editor()
    editor.selectAll()
    qtbot.keyClicks(editor, "151000")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # committed: one step of the report
    qtbot.waitUntil(lambda: view.current_editor() is None, timeout=3000)  # queued by Qt
    assert value_of(window.store.path, "patents_granted") == "151000"

    view.setCurrentIndex(cell)
    view.edit(cell)  # a new editor, nothing typed in it yet
    editor = view.current_editor()
    qtbot.waitUntil(editor.hasFocus, timeout=3000)
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert value_of(window.store.path, "patents_granted") == "150800"
    assert view.current_editor() is None  # its old text is never written back
    QApplication.processEvents()
    assert value_of(window.store.path, "patents_granted") == "150800"
    assert window.undo_stack.count() == 1 and window.undo_stack.index() == 0
    focus(qtbot, window, view)
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)  # and Redo from the table
    assert value_of(window.store.path, "patents_granted") == "151000"


def test_ctrl_z_in_a_cell_editor_undoes_the_typing_first(open_editor, qtbot):
    window = open_editor()
    view, model, cell = _value_cell(window)
    assert model.setData(cell, "151000", Qt.ItemDataRole.EditRole)  # the report's last step
    view.setCurrentIndex(cell)
    focus(qtbot, window, view)
    view.edit(cell)
    editor = view.current_editor()
    qtbot.waitUntil(editor.hasFocus, timeout=3000)
    editor.selectAll()
    qtbot.keyClicks(editor, "99")
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)  # the typing, not the report
    assert view.current_editor() is editor and editor.text() == "151000"
    assert value_of(window.store.path, "patents_granted") == "151000"
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)  # now the report's step
    assert value_of(window.store.path, "patents_granted") == "150800"
    assert view.current_editor() is None


def test_the_undo_button_undoes_a_cell_editors_typing_first(open_editor, qtbot):
    window = open_editor()
    view, model, cell = _value_cell(window)
    assert model.setData(cell, "151000", Qt.ItemDataRole.EditRole)
    view.setCurrentIndex(cell)
    focus(qtbot, window, view)
    view.edit(cell)
    editor = view.current_editor()
    qtbot.waitUntil(editor.hasFocus, timeout=3000)
    editor.selectAll()
    qtbot.keyClicks(editor, "99")
    window.registry["undo"].trigger()  # the toolbar's Undo, the editor still focused
    assert view.current_editor() is editor and editor.text() == "151000"
    assert value_of(window.store.path, "patents_granted") == "151000"
    window.registry["undo"].trigger()
    assert value_of(window.store.path, "patents_granted") == "150800"
    assert view.current_editor() is None


def test_ctrl_z_in_a_title_field_undoes_the_reports_last_step(open_editor, qtbot):
    window = open_editor()
    parts = [n for n in window.tree_model.roots() if n.kind == "part"]
    first, second = parts[0], parts[1]
    window.select_node(first.id)
    title = window.editor.titles["en"]
    focus(qtbot, window, title)
    title.end(False)
    qtbot.keyClicks(title, " X")
    path = window.store.path
    assert stored(path, "SELECT title_en FROM nodes WHERE id = ?", first.id).endswith(" X")
    window.select_node(second.id)  # another field, nothing typed in it
    focus(qtbot, window, title)
    qtbot.keyClick(title, Qt.Key.Key_Z, CTRL)
    assert not stored(path, "SELECT title_en FROM nodes WHERE id = ?", first.id).endswith(" X")
    qtbot.keyClick(title, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert stored(path, "SELECT title_en FROM nodes WHERE id = ?", first.id).endswith(" X")
    window.select_node(first.id)
    focus(qtbot, window, title)
    qtbot.keyClick(title, Qt.Key.Key_Z, CTRL)  # in its own field too: the whole typing
    assert title.text() == first.title_en
    assert stored(path, "SELECT title_en FROM nodes WHERE id = ?", first.id) == first.title_en


# -- the glossary's own undo ------------------------------------------------------------------

@pytest.fixture
def glossary_window(open_editor, tmp_path, glossary_file):
    from ipviewer.terms.glossary import Glossary

    window = open_editor()
    window.glossary = Glossary.load(glossary_file)
    window.show_glossary()
    return window, window.glossary_window


def _chinese_column(model) -> int:
    return next(i for i in range(model.columnCount())
                if model.headerData(i, Qt.Orientation.Horizontal) == "Chinese")


def test_glossary_undo_and_the_reports_undo_are_apart(glossary_window, glossary_file):
    from ipviewer.terms.glossary import Glossary

    window, glossary = glossary_window
    _view, model, cell = _value_cell(window)
    assert model.setData(cell, "151000", Qt.ItemDataRole.EditRole)  # the report's step
    terms = glossary.model
    term = terms.term(0)
    assert terms.setData(terms.index(0, _chinese_column(terms)), "试验译名",
                         Qt.ItemDataRole.EditRole)
    assert window.undo_stack.count() == 1 and glossary.undo_stack.count() == 1
    assert glossary.isWindowModified() and glossary.edited()

    glossary.registry["undo"].trigger()  # the glossary's Undo: its edit only
    assert window.glossary.get(term.english, term.field).chinese == term.chinese
    assert value_of(window.store.path, "patents_granted") == "151000"
    assert window.undo_stack.index() == 1
    glossary.registry["redo"].trigger()

    window.registry["undo"].trigger()  # the report's Undo: never the glossary's edit
    assert value_of(window.store.path, "patents_granted") == "150800"
    assert window.glossary.get(term.english, term.field).chinese == "试验译名"
    assert glossary.undo_stack.index() == 1
    window.registry["redo"].trigger()

    assert glossary.save()  # the glossary's Save: the glossary file, not the report
    assert not glossary.isWindowModified() and window.isWindowModified()
    assert Glossary.load(glossary_file).get(term.english, term.field).chinese == "试验译名"
    assert value_of(window.report_path, "patents_granted") == "150800"


def test_ctrl_z_in_a_glossary_cell_undoes_the_glossarys_last_step(glossary_window, qtbot):
    window, glossary = glossary_window
    terms, view = glossary.model, glossary.view
    term = terms.term(0)
    column = _chinese_column(terms)
    assert terms.setData(terms.index(0, column), "试验译名", Qt.ItemDataRole.EditRole)
    _view, model, cell = _value_cell(window)
    assert model.setData(cell, "151000", Qt.ItemDataRole.EditRole)  # the report's step
    glossary.activateWindow()
    index = terms.index(terms.row_of(term.english, term.field), column)
    view.setCurrentIndex(index)
    view.setFocus()
    view.edit(index)
    editor = view.indexWidget(index)
    qtbot.waitUntil(editor.hasFocus, timeout=3000)
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)  # nothing typed: the glossary's Undo
    assert window.glossary.get(term.english, term.field).chinese == term.chinese
    assert view.indexWidget(index) is None  # its old text is never written back
    QApplication.processEvents()
    assert window.glossary.get(term.english, term.field).chinese == term.chinese
    assert value_of(window.store.path, "patents_granted") == "151000"


def test_a_glossary_edit_checks_the_terms_again(glossary_window, qtbot):
    window, glossary = glossary_window
    panel = window.issues_panel
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=30_000)
    terms = glossary.model
    with qtbot.waitSignal(panel.checked, timeout=30_000):
        terms.setData(terms.index(0, _chinese_column(terms)), "又一译名",
                      Qt.ItemDataRole.EditRole)
    assert panel._run[1] is window.glossary


def test_the_windows_save_saves_an_edited_glossary(glossary_window, glossary_file):
    from ipviewer.terms.glossary import Glossary

    window, glossary = glossary_window
    terms = glossary.model
    term = terms.term(0)
    terms.setData(terms.index(0, _chinese_column(terms)), "又一译名", Qt.ItemDataRole.EditRole)
    _view, model, cell = _value_cell(window)
    assert model.setData(cell, "151000", Qt.ItemDataRole.EditRole)
    assert window.save()
    assert not glossary.edited() and not window.isWindowModified()
    assert Glossary.load(glossary_file).get(term.english, term.field).chinese == "又一译名"
    assert value_of(window.report_path, "patents_granted") == "151000"


def test_closing_asks_about_the_glossarys_own_changes(glossary_window, monkeypatch):
    window, glossary = glossary_window
    terms = glossary.model
    terms.setData(terms.index(0, _chinese_column(terms)), "未存译名", Qt.ItemDataRole.EditRole)
    asked = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    assert not window.close()  # the glossary's question answered Cancel: both stay
    assert asked == ["Save the changes to the glossary?"]
    assert window.isVisible() and not window.store.closed


# -- the Issues panel follows edits -----------------------------------------------------------

def findings_of(store: ReportStore) -> list[tuple]:
    return [(f.code, f.message, f.node_id, f.key) for f in run_checks(store)]


def shown(panel) -> list[tuple]:
    return sorted((f.code, f.message, f.node_id, f.key) for f in panel.findings)


def test_the_issues_follow_an_edit_without_a_full_run(open_editor, qtbot):
    window = open_editor()
    panel = window.issues_panel
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=30_000)
    assert [f.code for f in panel.findings] == ["yoy-swapped"]
    window.select_node(window.tree_model.roots()[0].id)
    tabs = window.indicators
    tabs.setCurrentIndex(1)
    model = tabs.all_model
    row = next(r for r in range(model.rowCount())
               if model.row(r)["key"] == "pledge_financing_amount"
               and model.row(r)["year"] == 2024)
    full_runs = []
    panel.checked.connect(full_runs.append)
    with qtbot.waitSignal(panel.updated, timeout=10_000):
        assert model.setData(model.index(row, model.column_of("value")), "1",
                             Qt.ItemDataRole.EditRole)
    assert not full_runs and not panel.is_running()
    assert shown(panel) == sorted(findings_of(window.store))
    assert "implausible-change" in {f.code for f in panel.findings}
    with qtbot.waitSignal(panel.updated, timeout=10_000):
        window.undo_stack.undo()
    assert [f.code for f in panel.findings] == ["yoy-swapped"] and not full_runs


# -- closing never waits for the checks -------------------------------------------------------

def make_big_report(source: Path, target: Path, keys: int = 8000, nodes: int = 1500) -> None:
    """The sample with many more paragraphs and indicators: its checks take seconds."""
    shutil.copyfile(source, target)
    with closing(sqlite3.connect(target)) as conn, conn:
        part = conn.execute("SELECT id FROM nodes WHERE kind = 'part' LIMIT 1").fetchone()[0]
        first = conn.execute("SELECT max(id) FROM nodes").fetchone()[0] + 1
        conn.executemany(
            "INSERT INTO nodes (id, parent_id, position, kind, number, title_en, title_zh, "
            "text_en, text_zh) VALUES (?, ?, ?, 'paragraph', '', '', '', ?, ?)",
            ((first + n, part, 1000 + n, f"The count reached {{{{k{n}}}}}, up {{{{k{n}:yoy}}}}.",
              f"数量达到{{{{k{n}}}}}，同比增长{{{{k{n}:yoy}}}}。") for n in range(nodes)))
        conn.executemany(
            "INSERT INTO indicators (key, year, label_en, label_zh, value, unit, yoy_pct, "
            "node_id) VALUES (?, ?, ?, ?, ?, '', ?, ?)",
            ((f"k{k}", year, f"count {k}", f"数量{k}", str(1000 + k * 7 + year),
              f"{k % 30}.5", first + k % nodes) for k in range(keys) for year in (2023, 2024)))


def test_closing_with_checks_running_does_not_wait(open_editor, _built_sample, tmp_path, qtbot):
    big = tmp_path / "big.sqlite"
    make_big_report(_built_sample, big)
    window = open_editor(big)
    window.run_checks()
    assert window.issues_panel.is_running()
    start = time.perf_counter()
    window.undo_stack.setClean()
    assert window.close()
    assert time.perf_counter() - start < 0.5
    assert window.store.closed
