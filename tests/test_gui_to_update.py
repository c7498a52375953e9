"""The window shows what a new year's report still has to update — a badge in the tree, a
coloured value in the indicator tables, a count in the status bar, the To Update panel —
and confirming "unchanged" is one undoable action."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from PySide6.QtCore import QItemSelectionModel, Qt

from ipviewer.ui.to_update_panel import TO_UPDATE_BACKGROUND


def marked(path, table="indicators") -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table} WHERE needs_update = 1").fetchone()[0]


def value_row(window, key):
    model = window.indicators.node_model
    while model.canFetchMore():
        model.fetchMore()
    return next(r for r in range(model.rowCount())
                if model.row(r)["key"] == key and model.row(r)["year"] == 2025)


def test_the_window_shows_what_is_left(open_editor, next_year_copy):
    window = open_editor(next_year_copy)
    panel = window.to_update_panel
    assert len(panel.items) == 92 + 17 and panel.model.rowCount() == 109
    assert "To update: 92 values, 17 texts" in window.statusBar().currentMessage()
    assert panel.windowTitle() == "To Update (109)"
    tree = window.tree_model
    node_id = next(i.id for i in panel.items if i.kind == "text")
    index = tree.find(node_id)
    assert tree.data(index, Qt.ItemDataRole.DecorationRole) is not None
    assert "Still to update" in tree.data(index, Qt.ItemDataRole.ToolTipRole)
    part = tree.find(tree.roots()[1].id)  # the part above: how many below
    assert "still to update" in tree.data(part, Qt.ItemDataRole.ToolTipRole)
    window.select_node(tree.roots()[0].id)
    model = window.indicators.node_model
    row = value_row(window, "patents_granted")
    value = model.index(row, model.column_of("value"))
    assert model.data(value, Qt.ItemDataRole.BackgroundRole).color().name() == TO_UPDATE_BACKGROUND
    assert "still to update" in model.data(value, Qt.ItemDataRole.ToolTipRole)


def test_confirm_in_the_panel_is_one_undoable_step(open_editor, next_year_copy, monkeypatch):
    monkeypatch.setenv("IPVIEWER_EDITOR", "Wang Fang")
    window = open_editor(next_year_copy)
    panel = window.to_update_panel
    store_path = window.store.path
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(3):  # the first three: texts
        panel.list.selectionModel().select(panel.model.index(row, 0), flags)
    assert panel.confirm_button.isEnabled()
    panel.confirm_button.click()
    assert len(panel.items) == 106
    assert "To update: 92 values, 14 texts" in window.statusBar().currentMessage() or \
        "106" in panel.windowTitle()
    with closing(sqlite3.connect(store_path)) as conn:
        assert conn.execute("SELECT count(*) FROM nodes WHERE confirmed_by = 'Wang Fang'"
                            ).fetchone()[0] == 3
    assert window.undo_stack.undoText() == "Confirm 3 unchanged"
    window.registry["undo"].trigger()
    assert len(panel.items) == 109 and marked(store_path, "nodes") == 17
    window.registry["redo"].trigger()
    assert len(panel.items) == 106


def test_confirm_unchanged_action_on_the_selected_node_and_table_rows(open_editor,
                                                                      next_year_copy, qtbot):
    window = open_editor(next_year_copy)
    node_id = next(i.id for i in window.to_update_panel.items if i.kind == "text")
    window.select_node(node_id)
    window.tree_view.setFocus()
    window.registry["confirm_unchanged"].trigger()
    assert node_id not in window.tree_model.to_update
    assert window.tree_model.data(window.tree_model.find(node_id),
                                  Qt.ItemDataRole.DecorationRole) is None
    window.select_node(window.tree_model.roots()[0].id)
    view = window.indicators.node_view
    row = value_row(window, "patents_granted")
    view.selectRow(row)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=2000)
    before = marked(window.store.path)
    window.registry["confirm_unchanged"].trigger()
    assert marked(window.store.path) == before - 1
    model = window.indicators.node_model
    value = model.index(row, model.column_of("value"))
    assert model.data(value, Qt.ItemDataRole.BackgroundRole) is None
    assert "Confirmed unchanged by" in model.data(value, Qt.ItemDataRole.ToolTipRole)


def test_a_new_value_clears_the_mark_and_its_undo_brings_it_back(open_editor, next_year_copy):
    window = open_editor(next_year_copy)
    window.select_node(window.tree_model.roots()[0].id)
    model = window.indicators.node_model
    row = value_row(window, "patents_granted")
    value = model.index(row, model.column_of("value"))
    assert model.setData(value, "16.2万")
    assert len(window.to_update_panel.items) == 108
    assert model.data(value, Qt.ItemDataRole.BackgroundRole) is None
    window.undo_stack.undo()
    assert len(window.to_update_panel.items) == 109
    assert model.data(value, Qt.ItemDataRole.BackgroundRole) is not None


def test_a_rewritten_text_clears_the_mark_and_its_undo_brings_it_back(open_editor,
                                                                      next_year_copy):
    window = open_editor(next_year_copy)
    node_id = next(i.id for i in window.to_update_panel.items if i.kind == "text")
    window.select_node(node_id)
    edit = window.editor.texts["en"]
    before = edit.source()
    edit.setFocus()
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    edit.insertPlainText(" Updated.")
    window._seal_typing()
    assert node_id not in window.tree_model.to_update
    assert marked(window.store.path, "nodes") == 16
    window.undo_stack.undo()
    assert edit.source() == before
    assert node_id in window.tree_model.to_update and marked(window.store.path, "nodes") == 17


def test_the_tree_writes_in_what_it_can_of_a_text_still_missing_its_changes(open_editor,
                                                                           next_year_copy):
    """A rolled-forward paragraph refers to changes 2025 does not have yet: its line in the
    tree shows the figures and marks each missing change, never the raw reference."""
    window = open_editor(next_year_copy)
    tree = window.tree_model
    overview = tree.roots()[0]
    line = tree.data(tree.find(overview.children[1].id).siblingAtColumn(0))
    assert "{{" not in line and "150,800" in line
    tip = tree.data(tree.find(overview.children[1].id).siblingAtColumn(0),
                    Qt.ItemDataRole.ToolTipRole)
    assert "[?invention_patents_granted:yoy]" in tip and "{{" not in tip


def test_the_shortcut_confirms_the_panels_selection_when_the_panel_has_the_focus(
        open_editor, next_year_copy, qtbot):
    window = open_editor(next_year_copy)
    panel = window.to_update_panel
    panel.show()
    panel.raise_()
    values = [row for row, item in enumerate(panel.items) if item.kind == "value"][:2]
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in values:
        panel.list.selectionModel().select(panel.model.index(row, 0), flags)
    chosen = {panel.items[row].id for row in values}
    tree_node = window.tree_model.roots()[0].children[1].id  # selected in the tree, marked
    window.select_node(tree_node)
    panel.list.setFocus()
    qtbot.waitUntil(panel.list.hasFocus, timeout=2000)
    window.registry["confirm_unchanged"].trigger()
    left = {(i.kind, i.id) for i in panel.items}
    assert not {("value", i) for i in chosen} & left
    assert ("text", tree_node) in left, "not the tree's node: the panel had the focus"
