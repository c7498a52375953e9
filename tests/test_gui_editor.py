"""The editor driven as a user would: edit both languages, the tree and indicator values,
undo and redo each, save, reopen; unsaved changes asked about; a report in use opened
read-only."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox

from ipviewer.ui.main_window import MainWindow
from ipviewer.ui.opening import open_report

Button = QMessageBox.StandardButton


@pytest.fixture
def report(sample_copy):
    return sample_copy


def answer_with(monkeypatch, *answers, asked=None):
    """Make QMessageBox.question answer ``answers`` in turn (recording the titles)."""
    queue = list(answers)

    def question(parent, title, text, *args, **kwargs):
        if asked is not None:
            asked.append((title, text))
        return queue.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)


def stored(path, sql, *params):
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchone()[0]


def go_to_paragraph(window, words: str):
    """Select the first paragraph whose English text contains ``words``."""
    node_id = stored(window.store.path, "SELECT id FROM nodes WHERE kind = 'paragraph' "
                     "AND text_en LIKE ? ORDER BY id", f"%{words}%")
    window.select_node(node_id)
    assert window.editor.node.id == node_id
    return node_id


def type_at_end(qtbot, edit, text: str):
    """Type at the end of a text: key by key (ASCII), or as an input method commits
    Chinese (QTest can only type ASCII keys)."""
    edit.setFocus()
    edit.moveCursor(QTextCursor.MoveOperation.End)
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(edit, event)


def activate(qtbot, window):
    """Shortcuts need an active window, which the offscreen platform does not give by itself."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_edit_both_languages_save_and_reopen(open_editor, qtbot, report):
    window = open_editor()
    node_id = go_to_paragraph(window, "pledge financing")
    type_at_end(qtbot, window.editor.texts["en"], " Checked.")
    type_at_end(qtbot, window.editor.texts["zh"], "已核对。")
    working = window.store.path
    assert stored(working, "SELECT text_en FROM nodes WHERE id = ?", node_id).endswith(
        " Checked.")
    assert stored(working, "SELECT text_zh FROM nodes WHERE id = ?", node_id).endswith(
        "已核对。")
    assert window.isWindowModified()
    assert not stored(report, "SELECT text_en FROM nodes WHERE id = ?", node_id).endswith(
        " Checked."), "the report file changes only on Save"
    assert window.undo_stack.count() == 2  # one step per field: keystrokes merged

    activate(qtbot, window)
    qtbot.keyClick(window.editor.texts["zh"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.isWindowModified()
    assert stored(report, "SELECT text_zh FROM nodes WHERE id = ?", node_id).endswith("已核对。")
    window.close()
    assert not working.exists(), "the working copy goes once saved and closed"

    again = open_editor()
    go_to_paragraph(again, "pledge financing")
    assert again.editor.texts["en"].source().endswith(" Checked.")
    assert "{{" in again.editor.texts["en"].source(), "bound figures kept"


def test_undo_and_redo_a_text_edit_from_the_keyboard(open_editor, qtbot):
    window = open_editor()
    node_id = go_to_paragraph(window, "pledge financing")
    edit = window.editor.texts["zh"]
    before = edit.source()
    activate(qtbot, window)
    type_at_end(qtbot, edit, "补充")
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert edit.source() == before
    assert stored(window.store.path, "SELECT text_zh FROM nodes WHERE id = ?", node_id) == before
    assert not window.isWindowModified(), "back at the saved state"
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert edit.source() == before + "补充"
    assert window.tree_model.node_by_id(node_id).text_zh == before + "补充", "the tree follows"


def test_undo_goes_to_the_paragraph_it_changes(open_editor, qtbot):
    window = open_editor()
    first = go_to_paragraph(window, "pledge financing")
    type_at_end(qtbot, window.editor.texts["en"], " X")
    window.select_node(window.tree_model.roots()[0].id)  # elsewhere
    window.registry["undo"].trigger()
    assert window.editor.node.id == first
    assert not window.editor.texts["en"].source().endswith(" X")


def test_rename_add_move_delete_in_the_tree_and_undo_each(open_editor):
    window = open_editor()
    model = window.tree_model
    part = model.roots()[1]
    section = part.children[0]
    window.select_node(section.id)

    # rename in place (the tree's editor commits through setData)
    model.setData(model.find(section.id).siblingAtColumn(1), "新的节标题")
    assert section.title_zh == "新的节标题"
    assert stored(window.store.path, "SELECT title_zh FROM nodes WHERE id = ?",
                  section.id) == "新的节标题"

    # add a paragraph at the end of the section, type into it
    count = len(section.children)
    new_id = window.add_node("paragraph")
    assert len(section.children) == count + 1 and section.children[-1].id == new_id
    assert window.editor.node.id == new_id

    # move the section down, then delete it
    window.select_node(section.id)
    window.registry["move_down"].trigger()
    assert part.children[1] is section
    window.select_node(section.id)
    window.delete_current()
    assert section.id not in [c.id for c in part.children]
    assert stored(window.store.path, "SELECT count(*) FROM nodes WHERE id = ?", new_id) == 0

    for expected in ("deleted back", "moved back", "paragraph gone", "title back"):
        window.registry["undo"].trigger()
        ids = [c.id for c in part.children]
        if expected == "deleted back":
            assert ids[1] == section.id
            assert stored(window.store.path, "SELECT count(*) FROM nodes WHERE id = ?",
                          new_id) == 1, "the paragraph inside came back too"
        elif expected == "moved back":
            assert ids[0] == section.id
        elif expected == "paragraph gone":
            assert len(model.node_by_id(section.id).children) == count
    assert model.node_by_id(section.id).title_zh != "新的节标题"
    assert not window.isWindowModified()
    for _step in range(3):  # rename, add, move again
        window.registry["redo"].trigger()
    assert [c.id for c in part.children][1] == section.id
    assert model.node_by_id(section.id).title_zh == "新的节标题"
    assert model.node_by_id(new_id) is not None
    window.registry["redo"].trigger()  # and delete
    assert model.node_by_id(section.id) is None and model.node_by_id(new_id) is None


def test_drag_a_paragraph_to_another_section(open_editor):
    window = open_editor()
    model = window.tree_model
    part = model.roots()[1]
    source, target = part.children[0], part.children[1]
    paragraph = source.children[0]
    data = model.mimeData([model.find(paragraph.id)])
    target_index = model.find(target.id)
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, target_index)
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0,
                                     model.find(paragraph.id)), "not into a paragraph"
    model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, target_index)
    assert target.children[0] is paragraph and paragraph not in source.children
    assert stored(window.store.path, "SELECT parent_id FROM nodes WHERE id = ?",
                  paragraph.id) == target.id
    window.registry["undo"].trigger()
    assert source.children[0] is paragraph


def test_indicator_edit_updates_the_figures_in_the_text_and_undoes(open_editor):
    window = open_editor()
    go_to_paragraph(window, "pledge financing")
    model = window.indicators.node_model
    column = next(i for i, (name, _h) in enumerate(model.COLUMNS) if name == "value")
    row = next(r for r in range(model.rowCount()) if model.row(r)["value"] == "2223")
    assert model.setData(model.index(row, column), "2,300", Qt.ItemDataRole.EditRole)
    assert stored(window.store.path, "SELECT value FROM indicators WHERE id = ?",
                  model.row(row)["id"]) == "2300"
    window.text_tabs.setCurrentIndex(1)
    assert "2,300 transactions" in window.text_view.toPlainText()
    assert "2300笔" in window.text_view.toPlainText()
    assert not model.setData(model.index(row, column), "abc", Qt.ItemDataRole.EditRole)
    assert model.row(row)["value"] == "2300"
    window.registry["undo"].trigger()
    assert model.row(row)["value"] == "2223"
    assert "2,223 transactions" in window.text_view.toPlainText()


def test_closing_with_unsaved_changes_asks(open_editor, qtbot, monkeypatch, report):
    window = open_editor()
    node_id = go_to_paragraph(window, "pledge financing")
    type_at_end(qtbot, window.editor.texts["en"], " Z")
    asked = []
    answer_with(monkeypatch, Button.Cancel, asked=asked)
    assert not window.close()
    assert window.isVisible() and asked[0][0] == "Unsaved changes"
    answer_with(monkeypatch, Button.Save)
    assert window.close()
    assert stored(report, "SELECT text_en FROM nodes WHERE id = ?", node_id).endswith(" Z")


def test_a_report_in_use_opens_read_only(open_editor, qtbot, monkeypatch, report, tmp_path):
    window = open_editor()
    asked = []
    answer_with(monkeypatch, Button.Open, asked=asked)
    second = open_report(report, tmp_path / "recovery")
    assert asked and "is being edited by process" in asked[0][1]
    assert second is not None and second.session is None and second.store.readonly
    viewer = MainWindow(second)
    qtbot.addWidget(viewer)
    assert viewer.readonly and "[read-only" in viewer.windowTitle()
    assert viewer.editor.texts["en"].isReadOnly()
    assert not viewer.registry["save"].isEnabled()
    assert not viewer.tree_model.flags(viewer.tree_model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    answer_with(monkeypatch, Button.Cancel)
    assert open_report(report, tmp_path / "recovery") is None
    viewer.close()
    window.close()


def test_recent_files_and_layout_are_remembered(open_editor, report):
    window = open_editor()
    window.close()
    assert QSettings().value("mainWindow/state") is not None
    again = open_editor()
    recent = again.registry.menus["recent"]
    recent.aboutToShow.emit()  # as when the user opens File → Open Recent
    assert str(report.absolute()) in [a.text().split(" ", 1)[1] for a in recent.actions()]
    QApplication.processEvents()


def test_save_commits_an_open_cell_editor(open_editor, qtbot, report):
    window = open_editor()
    window.select_node(window.tree_model.roots()[0].id)
    view, model = window.indicators.node_view, window.indicators.node_model
    index = model.index(0, model.column_of("value"))
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.current_editor()
    assert editor is not None
    editor.setText("15.09万")  # typed, Enter not pressed
    assert window.save()
    assert stored(report, "SELECT value FROM indicators WHERE id = ?",
                  model.row(0)["id"]) == "150900"


def test_export_opens_the_preview(open_editor, qtbot, tmp_path):
    from ipviewer.pdf.export import ExportOptions

    window = open_editor()
    target = tmp_path / "paper.pdf"
    worker = window.exporter.export(target, ExportOptions(lang="en", charts=False, draft=True))
    with qtbot.waitSignal(worker.finished, timeout=120_000):
        pass
    qtbot.waitUntil(lambda: window.exporter.last is not None
                    and window.preview.page_count() == window.exporter.last.pages)
    assert window.preview_dock.isVisible()
    target.unlink()  # the preview holds no lock on the file
    opened = []
    window.preview.opener = lambda url: opened.append(url.toLocalFile())
    window.preview.open_button.click()
    assert opened == [str(target)]


def test_where_new_parts_sections_and_paragraphs_go():
    from ipviewer.model import Node
    from ipviewer.ui.tree_model import ReportTreeModel

    paragraph = Node("paragraph", text_en="p", id=4)
    section = Node("section", title_en="s", children=[paragraph], id=3)
    part = Node("part", title_en="p", children=[section], id=2)
    overview = Node("overview", id=1)
    model = ReportTreeModel([overview, part])
    assert model.place_for(paragraph, "paragraph") == (section, 1)  # after it
    assert model.place_for(section, "paragraph") == (section, 1)  # inside, at the end
    assert model.place_for(paragraph, "section") == (part, 1)  # after its section
    assert model.place_for(paragraph, "part") == (None, 2)  # after its part
    assert model.place_for(None, "part") == (None, 2)
    assert model.place_for(None, "paragraph") is None
    assert not model.can_hold(paragraph, section) and not model.can_hold(section, part)
