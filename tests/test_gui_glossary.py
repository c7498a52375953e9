"""The glossary window and indicator names taken from the glossary (pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ipviewer.store import ReportStore
from ipviewer.terms.glossary import Glossary
from ipviewer.ui.app import data_folder, load_glossary, make_application
from ipviewer.ui.glossary_model import COLUMNS
from ipviewer.ui.glossary_window import GlossaryWindow
from ipviewer.ui.main_window import MainWindow

COL = {name: i for i, (name, _header) in enumerate(COLUMNS)}


@pytest.fixture
def window(qtbot, glossary_file):
    make_application()
    win = GlossaryWindow(Glossary.load(glossary_file))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.undo_stack.setClean()  # closing must not stop to ask


def english_column(win: GlossaryWindow) -> list[str]:
    model = win.model
    return [model.index(r, COL["english"]).data() for r in range(model.rowCount())]


def test_table_shows_terms_and_status(window):
    assert english_column(window) == ["invention patent", "pledge financing",
                                      "patents granted", "well-known trademark"]
    model = window.model
    approved = model.index(0, COL["approved"]).data(Qt.ItemDataRole.CheckStateRole)
    assert approved == Qt.CheckState.Checked
    fuzzy = model.index(1, COL["chinese"])
    assert fuzzy.data(Qt.ItemDataRole.ForegroundRole) is not None  # marked
    assert "4 terms shown" in window.statusBar().currentMessage()


def test_search_filter_and_sort(window):
    window.search.setText("专利")
    assert english_column(window) == ["invention patent", "patents granted"]
    window.search.clear()
    window.status_filter.setCurrentIndex(window.status_filter.findData("untranslated"))
    assert english_column(window) == ["well-known trademark"]
    window.status_filter.setCurrentIndex(window.status_filter.findData("fuzzy"))
    assert english_column(window) == ["pledge financing"]
    window.status_filter.setCurrentIndex(0)
    window.view.sortByColumn(COL["english"], Qt.SortOrder.AscendingOrder)
    assert english_column(window) == sorted(english_column(window))


def test_edit_undo_redo_and_save(window, glossary_file):
    model = window.model
    index = model.index(3, COL["chinese"])
    assert model.setData(index, "  驰名商标 ", Qt.ItemDataRole.EditRole)
    assert window.glossary.get("well-known trademark", "trademark").chinese == "驰名商标"
    assert window.isWindowModified()
    approve = model.index(1, COL["approved"])
    assert model.setData(approve, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert window.glossary.get("pledge financing", "finance").approved
    window.undo_stack.undo()
    assert not window.glossary.get("pledge financing", "finance").approved
    window.undo_stack.redo()
    assert window.glossary.get("pledge financing", "finance").approved
    assert window.save()
    assert not window.isWindowModified()
    saved = glossary_file.read_text(encoding="utf-8")
    assert '"X-Generator: Poedit 3.4.2\\n"' in saved and "# the usual term" in saved
    reread = Glossary.load(glossary_file)
    assert reread.get("well-known trademark", "trademark").chinese == "驰名商标"
    assert reread.get("pledge financing", "finance").approved


def test_refused_edit_keeps_the_old_value(window):
    model = window.model
    assert not model.setData(model.index(0, COL["english"]), "", Qt.ItemDataRole.EditRole)
    assert window.glossary.get("invention patent", "patent") is not None
    assert "English" in window.message.text()  # the reason is shown under the table
    assert window.undo_stack.count() == 0  # nothing happened, nothing to undo
    field = model.index(0, COL["field"])
    assert not model.setData(field, "astrology", Qt.ItemDataRole.EditRole)
    assert "astrology" in window.message.text()


def test_add_and_delete_with_undo(window):
    window.add_term()
    assert "new term" in english_column(window)
    window.undo_stack.undo()
    assert "new term" not in english_column(window)
    window.view.selectRow(0)
    window.delete_selected()
    assert "invention patent" not in english_column(window)
    window.undo_stack.undo()
    assert "invention patent" in english_column(window)
    assert window.glossary.get("invention patent", "patent").chinese == "发明专利"


def test_import_reports_conflicts_and_undoes(window, tmp_path):
    incoming = tmp_path / "in.csv"
    incoming.write_text(
        "english,chinese,field,note,approved\n"
        "invention patent,发明专利权,patent,,yes\n"
        "utility model,实用新型,patent,,yes\n", encoding="utf-8")
    window.import_file(incoming)
    assert "utility model" in english_column(window)
    assert "1 added" in window.message.text() and "1 conflicts" in window.message.text()
    assert window.glossary.get("invention patent", "patent").chinese == "发明专利"
    window.undo_stack.undo()
    assert "utility model" not in english_column(window)


def test_bad_import_changes_nothing(window, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("english,chinese\n\"unclosed,quote\n", encoding="utf-8")
    before = window.glossary.to_bytes()
    window.import_file(bad)
    assert "bad.csv" in window.message.text()
    assert window.glossary.to_bytes() == before
    assert window.undo_stack.count() == 0


def test_close_with_unsaved_changes_asks(window, monkeypatch, glossary_file):
    window.model.setData(window.model.index(3, COL["chinese"]), "驰名商标")
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert not window.close()
    assert asked and window.isVisible()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert window.close()
    assert "驰名商标" not in glossary_file.read_text(encoding="utf-8")


def test_indicator_names_come_from_the_glossary(app, qtbot, sample_copy, glossary_file):
    win = MainWindow(ReportStore.open(sample_copy, readonly=True),
                     Glossary.load(glossary_file))
    qtbot.addWidget(win)
    win.tree_view.setCurrentIndex(win.tree_model.index(0, 0))
    table = win.indicators.node_model
    rows = {table.row(r)["label_en"]: r for r in range(table.rowCount())}
    granted = rows["patents granted"]
    assert table.index(granted, 1).data() == "专利授权量"
    assert table.index(granted, 1).data(Qt.ItemDataRole.FontRole) is None
    other = rows["invention patents granted"]  # not in this small glossary: as stored
    assert table.index(other, 1).data() == table.row(other)["label_zh"]
    assert table.index(other, 1).data(Qt.ItemDataRole.FontRole).italic()
    assert "glossary" in table.index(other, 1).data(Qt.ItemDataRole.ToolTipRole)

    win.show_glossary()  # editing the glossary renames the indicator at once
    glossary_window = win.glossary_window
    model = glossary_window.model
    row = model.row_of("patents granted", "indicator")
    model.setData(model.index(row, COL["chinese"]), "专利授权数")
    assert table.index(granted, 1).data() == "专利授权数"
    glossary_window.undo_stack.setClean()


def test_app_copies_the_shipped_glossary_once():
    make_application()
    glossary, problem = load_glossary()
    assert problem == "" and len(glossary) > 250
    path = data_folder() / "terminology.zh_CN.po"
    assert glossary.path == path
    path.write_bytes(path.read_bytes().replace(b"Project-Id-Version", b"Broken-Header", 1)
                     .replace(b'msgid ""\nmsgstr ""', b'msgid ""', 1))
    glossary, problem = load_glossary()
    assert glossary is None and "terminology.zh_CN.po" in problem
