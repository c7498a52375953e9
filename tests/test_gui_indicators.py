"""The editable indicator table, driven as a user would (pytest-qt, offscreen): typing into
cells, the unit and qualifier lists, refused values shown beside their cell, undo/redo,
Copy/Paste of cell ranges, the computed year-on-year change, and the filters."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import QApplication

from ipviewer.store import ReportStore
from ipviewer.ui.document import ReportDocument
from ipviewer.ui.indicator_model import IndicatorTableModel
from ipviewer.ui.indicator_view import IndicatorTableView
from ipviewer.ui.table_clipboard import format_block, parse_block

VALUE, UNIT, QUALIFIER, YOY, COMPUTED = 2, 3, 4, 5, 6


@pytest.fixture
def report(sample_copy):
    return sample_copy


def open_document(path, readonly=False) -> ReportDocument:
    return ReportDocument(ReportStore.open(path, readonly=readonly), QUndoStack())


def make_view(qtbot, document: ReportDocument, year: int | None = None) -> IndicatorTableView:
    model = IndicatorTableModel(document.store, document=document)
    view = IndicatorTableView()
    view.setModel(model)
    model.set_nodes(None)
    model.set_year(year)
    view.resize(1100, 520)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def document(report):
    doc = open_document(report)
    yield doc
    doc.store.close()


@pytest.fixture
def view(qtbot, document):
    return make_view(qtbot, document)


def stored(path, key: str, column: str = "value", year: int = 2024):
    """A cell as the file holds it, read through a connection of its own."""
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT {column} FROM indicators WHERE key = ? AND year = ?",
                            [key, year]).fetchone()[0]


def row_of(view: IndicatorTableView, key: str, year: int = 2024) -> int:
    model = view.model()
    while model.canFetchMore():
        model.fetchMore()
    return next(r for r in range(model.rowCount())
                if model.row(r)["key"] == key and model.row(r)["year"] == year)


def press(qtbot, widget, key) -> None:
    """A key in an editor; Enter commits through a queued call, so let it run."""
    qtbot.keyClick(widget, key)
    QApplication.processEvents()


def type_into(qtbot, view: IndicatorTableView, row: int, column: int, text: str,
              key=Qt.Key.Key_Return) -> None:
    """Open the cell's editor, replace its text and press Enter (or ``key``)."""
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.current_editor()
    assert editor is not None, "the cell did not open an editor"
    if text.isascii():  # QTest types ASCII; an input method would type the rest
        editor.selectAll()
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
        qtbot.keyClicks(editor, text)
    else:
        editor.setText(text)
    assert editor.text() == text
    press(qtbot, editor, key)


# -- typing values ---------------------------------------------------------------------------

@pytest.mark.parametrize("typed, value, unit", [
    ("150,800", "150800", ""),
    ("15.08万", "150800", ""),
    ("3.2亿", "320000000", ""),
    ("１５０８００", "150800", ""),
    ("５.０７万件", "50700", ""),
    ("32 billion RMB", "32000000000", "RMB"),
    ("320亿元", "32000000000", "RMB"),
    ("14.28%", "14.28", "%"),
    ("17.9858", "17.9858", ""),
])
def test_a_typed_value_is_stored_exactly(qtbot, view, report, typed, value, unit):
    row = row_of(view, "trademark_applications")
    editor_start = view.model().index(row, VALUE).data(Qt.ItemDataRole.EditRole)
    assert editor_start == "349100"  # exact and ungrouped, so it can be edited
    type_into(qtbot, view, row, VALUE, typed)
    assert view.model().last_error == ""
    assert stored(report, "trademark_applications") == value
    assert stored(report, "trademark_applications", "unit") == unit
    assert not view.refusal.isVisible()
    assert view.model().document.undo_stack.count() == 1


def test_value_and_unit_typed_together_are_one_undo_step(qtbot, view, document, report):
    row = row_of(view, "trademark_applications")
    type_into(qtbot, view, row, VALUE, "3.2 billion USD")
    assert (stored(report, "trademark_applications"),
            stored(report, "trademark_applications", "unit")) == ("3200000000", "USD")
    model = view.model()
    assert model.index(row, VALUE).data() == "3,200,000,000"
    assert model.index(row, UNIT).data() == "USD"
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert (stored(report, "trademark_applications"),
            stored(report, "trademark_applications", "unit")) == ("349100", "")
    assert model.index(row, VALUE).data() == "349,100" and model.index(row, UNIT).data() == ""


@pytest.mark.parametrize("typed, reason", [
    ("abc", "not a valid number: 'abc'"),
    ("1,50,800", "thousands groups must have exactly three digits"),
    ("1e5", "not a valid number"),
    ("", "empty"),
])
def test_a_bad_value_is_refused_beside_its_cell(qtbot, view, document, report, typed, reason):
    model = view.model()
    row = row_of(view, "patents_granted")
    type_into(qtbot, view, row, VALUE, typed)
    assert stored(report, "patents_granted") == "150800"  # the old value is kept
    assert model.index(row, VALUE).data() == "150,800"
    assert document.undo_stack.count() == 0
    assert model.last_error.startswith("Value of “patents granted”: ")
    assert reason in model.last_error
    label = view.refusal
    assert label.isVisible() and label.text() == model.last_error
    assert view.statusTip() == model.last_error
    cell = view.visualRect(model.index(row, VALUE))
    box = label.geometry()
    assert box.top() <= cell.bottom() and box.bottom() >= cell.top(), "level with the cell"
    assert box.left() >= cell.right() or box.right() <= cell.left(), "beside, not over it"
    assert view.viewport().rect().contains(box)


def test_tab_after_a_refused_value_stays_on_the_cell(qtbot, view, report):
    row = row_of(view, "patents_granted")
    type_into(qtbot, view, row, VALUE, "lots", key=Qt.Key.Key_Tab)
    assert view.refusal.isVisible(), "the next cell's editor did not hide the reason"
    assert view.current_editor() is None
    assert view.currentIndex() == view.model().index(row, VALUE)


def test_the_reason_goes_away(qtbot, view):
    model = view.model()
    row = row_of(view, "patents_granted")
    view.scrollToTop()
    type_into(qtbot, view, row, VALUE, "abc")
    assert view.refusal.isVisible()
    view.edit(model.index(row, VALUE))  # the next edit
    assert not view.refusal.isVisible() and view.statusTip() == ""
    qtbot.keyClick(view.current_editor(), Qt.Key.Key_Escape)

    type_into(qtbot, view, row, VALUE, "abc")
    view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 3)  # scrolling
    assert not view.refusal.isVisible()

    view.scrollToTop()
    type_into(qtbot, view, row, VALUE, "abc")
    assert view.refusal.isVisible()
    view._refusal_timer.start(50)
    qtbot.waitUntil(lambda: not view.refusal.isVisible(), timeout=2000)  # after a while


def test_each_edit_is_undone_and_redone(qtbot, view, document, report):
    row = row_of(view, "patents_granted")
    for typed in ("150,801", "15.09万", "１５１０００"):
        type_into(qtbot, view, row, VALUE, typed)
    assert stored(report, "patents_granted") == "151000"
    stack = document.undo_stack
    assert stack.count() == 3
    assert stack.undoText() == "Edit Value of “patents granted”"
    expected = ["150900", "150801", "150800"]
    for value in expected:
        stack.undo()
        assert stored(report, "patents_granted") == value
        assert view.model().index(row, VALUE).data(Qt.ItemDataRole.EditRole) == value
    for value in reversed(["151000", *expected[:2]]):
        stack.redo()
        assert stored(report, "patents_granted") == value
    assert view.model().index(row, VALUE).data() == "151,000"


def test_commit_editor_saves_what_is_being_typed(qtbot, view, report):
    model = view.model()
    row = row_of(view, "patents_granted")
    index = model.index(row, VALUE)
    view.setCurrentIndex(index)
    view.edit(index)
    view.current_editor().setText("150,900")
    assert view.commit_editor() is True  # the window calls it before save, export, close
    assert stored(report, "patents_granted") == "150900" and view.current_editor() is None
    view.edit(index)
    view.current_editor().setText("nine")
    assert view.commit_editor() is False
    assert stored(report, "patents_granted") == "150900" and view.refusal.isVisible()
    assert view.commit_editor() is True  # nothing open


# -- units, qualifiers, stated rates, names ----------------------------------------------------

def test_unit_from_its_list_or_typed(qtbot, view, document, report):
    model = view.model()
    row = row_of(view, "patents_granted")
    index = model.index(row, UNIT)
    view.setCurrentIndex(index)
    view.edit(index)
    combo = view.current_editor()
    choices = [combo.itemText(i) for i in range(combo.count())]
    assert choices[0] == "" and {"RMB", "USD", "%", "per 10,000 people"} <= set(choices)
    combo.showPopup()  # pick USD from the list with the mouse
    popup = combo.view()
    item = popup.model().index(choices.index("USD"), 0)
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton,
                     pos=popup.visualRect(item).center())
    QApplication.processEvents()
    assert stored(report, "patents_granted", "unit") == "USD"
    assert view.current_editor() is None, "a choice from the list commits"

    view.edit(index)
    combo = view.current_editor()
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "yuan")  # a name we know: kept as RMB
    press(qtbot, combo.lineEdit(), Qt.Key.Key_Return)
    assert stored(report, "patents_granted", "unit") == "RMB"
    view.edit(index)
    combo = view.current_editor()
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "  per  capita ")  # free text, tidied
    press(qtbot, combo.lineEdit(), Qt.Key.Key_Return)
    assert stored(report, "patents_granted", "unit") == "per capita"
    assert document.undo_stack.count() == 3
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert stored(report, "patents_granted", "unit") == "USD"


def test_qualifier_from_its_list(qtbot, view, document, report):
    model = view.model()
    row = row_of(view, "copyright_registrations")
    index = model.index(row, QUALIFIER)
    assert index.data() == "over" and index.data(Qt.ItemDataRole.EditRole) == "over"
    view.setCurrentIndex(index)
    view.edit(index)
    combo = view.current_editor()
    assert combo.currentData() == "over" and not combo.isEditable()
    assert combo.itemText(0) == "" and combo.itemData(0) == ""
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # moving through the list does not commit
    assert view.current_editor() is combo and combo.currentData() == "more than"
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    press(qtbot, combo, Qt.Key.Key_Return)
    assert stored(report, "copyright_registrations", "qualifier") == "exceeding"
    assert document.undo_stack.count() == 1

    view.edit(index)
    combo = view.current_editor()
    combo.showPopup()
    popup = combo.view()
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton,
                     pos=popup.visualRect(popup.model().index(0, 0)).center())
    assert stored(report, "copyright_registrations", "qualifier") == ""  # the empty choice
    assert model.index(row, QUALIFIER).data() == ""
    document.undo_stack.undo()
    assert stored(report, "copyright_registrations", "qualifier") == "exceeding"
    assert not model.setData(index, "roughly")
    assert "is not one of" in model.last_error


@pytest.mark.parametrize("typed, expected", [
    ("+14.3%", "14.3"), ("-3.50", "-3.50"), ("\u22123.5", "-3.5"), ("１２．５％", "12.5"),
    ("15", "15"), ("", None),
])
def test_stated_rate(qtbot, view, report, typed, expected):
    row = row_of(view, "invention_patents_granted")
    type_into(qtbot, view, row, YOY, typed)
    assert view.model().last_error == ""
    assert stored(report, "invention_patents_granted", "yoy_pct") == expected


def test_bad_stated_rate_and_empty_name_are_refused(qtbot, view, report):
    model = view.model()
    row = row_of(view, "invention_patents_granted")
    type_into(qtbot, view, row, YOY, "14,28")
    assert stored(report, "invention_patents_granted", "yoy_pct") == "14.28"
    assert model.last_error.startswith("YoY % of “invention patents granted”: not a valid")
    type_into(qtbot, view, row, 0, "   ")
    assert model.last_error == "English name of “invention patents granted”: empty"
    type_into(qtbot, view, row, 0, "  invention patents granted (total) ")
    assert stored(report, "invention_patents_granted", "label_en") == \
        "invention patents granted (total)"
    type_into(qtbot, view, row, 1, "发明专利授权总量")
    assert stored(report, "invention_patents_granted", "label_zh") == "发明专利授权总量"


# -- the computed year-on-year change -------------------------------------------------------------

def test_computed_change_beside_the_stated_one(qtbot, view, document, report):
    model = view.model()
    pct = row_of(view, "pct_international_applications")  # 6822 against 6185: +10.3
    assert model.index(pct, YOY).data() == "+10.3"
    assert model.index(pct, COMPUTED).data() == "+10.3"  # to the stated decimals
    assert model.index(pct, COMPUTED).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "6,822 against 6,185 in 2023" in model.index(pct, COMPUTED).data(
        Qt.ItemDataRole.ToolTipRole)
    rounded = row_of(view, "valid_invention_patents")  # 278,700 is rounded: 15.44 is fine
    assert model.index(rounded, COMPUTED).data() == "+15.45"
    assert model.index(rounded, COMPUTED).data(Qt.ItemDataRole.ForegroundRole) is None
    swapped = row_of(view, "pledge_financing_amount")  # the sample's swapped rates
    cell = model.index(swapped, COMPUTED)
    assert (model.index(swapped, YOY).data(), cell.data()) == ("+62.3", "+40.6")
    assert cell.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert cell.data(Qt.ItemDataRole.ToolTipRole).startswith("The stated +62.3% does not match")
    assert model.index(row_of(view, "patents_granted"), COMPUTED).data() is None  # no 2023
    assert not model.flags(cell) & Qt.ItemFlag.ItemIsEditable

    type_into(qtbot, view, swapped, YOY, "40.6")  # fixed: no longer flagged
    assert cell.data(Qt.ItemDataRole.ForegroundRole) is None
    type_into(qtbot, view, pct, VALUE, "6,804")  # the computed change follows the value
    assert model.index(pct, COMPUTED).data() == "+10.0"
    prior = row_of(view, "pct_international_applications", 2023)
    type_into(qtbot, view, prior, VALUE, "6,001")  # and the prior year's value
    assert model.index(pct, COMPUTED).data() == "+13.4"
    assert model.index(pct, COMPUTED).data(Qt.ItemDataRole.ForegroundRole) is not None
    document.undo_stack.undo()
    assert model.index(pct, COMPUTED).data() == "+10.0"


def test_sorting_on_the_computed_change_keeps_the_order(view):
    model = view.model()
    view.sortByColumn(VALUE, Qt.SortOrder.DescendingOrder)
    order = [model.row(r)["id"] for r in range(model.rowCount())]
    view.horizontalHeader().setSortIndicator(COMPUTED, Qt.SortOrder.AscendingOrder)
    assert [model.row(r)["id"] for r in range(model.rowCount())] == order
    assert view.horizontalHeader().sortIndicatorSection() == VALUE


def test_an_edit_that_moves_the_row_in_the_sort_order(qtbot, view, report):
    model = view.model()
    view.sortByColumn(VALUE, Qt.SortOrder.DescendingOrder)
    row = row_of(view, "patents_granted")
    type_into(qtbot, view, row, VALUE, "9999亿")
    assert model.row(0)["key"] == "patents_granted", "re-sorted in SQL"
    assert view.currentIndex().row() == 0, "the current cell went with it"
    assert model.rowCount() == model.total() == 102


# -- copy and paste ---------------------------------------------------------------------------------

def select(view: IndicatorTableView, top: int, left: int, bottom: int, right: int) -> None:
    model = view.model()
    view.setCurrentIndex(model.index(top, left))
    view.selectionModel().select(
        QItemSelection(model.index(top, left), model.index(bottom, right)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_copy_a_range_and_paste_it_elsewhere(qtbot, view, document, report):
    model = view.model()
    source = row_of(view, "copyright_registrations")  # 450000, '', over; then 109, '', ''
    select(view, source, VALUE, source + 1, QUALIFIER)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    assert text == "450000\t\tover\n109\t\t"  # exact, ungrouped: a spreadsheet reads numbers
    target = row_of(view, "executive_meetings")
    select(view, target, VALUE, target, VALUE)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.last_error == ""
    assert [stored(report, "executive_meetings", c) for c in ("value", "unit", "qualifier")] \
        == ["450000", "", "over"]
    assert stored(report, "strong_ip_country_exemplary_cases") == "109"
    stack = document.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Paste 6 cells"
    stack.undo()
    assert stored(report, "executive_meetings") == "4"
    assert stored(report, "executive_meetings", "qualifier") == ""
    assert stored(report, "strong_ip_country_exemplary_cases") == "2"
    stack.redo()
    assert stored(report, "strong_ip_country_exemplary_cases") == "109"


def test_paste_with_one_bad_cell_changes_nothing(qtbot, view, document, report):
    model = view.model()
    target = row_of(view, "executive_meetings")
    QGuiApplication.clipboard().setText("5\tRMB\n6\t\n1,50,800\t\n")
    select(view, target, VALUE, target, VALUE)
    assert view.paste() is False
    assert [stored(report, k) for k in ("executive_meetings", "strong_ip_country_exemplary_cases",
                                       "copyright_exemplary_cases")] == ["4", "2", "2"]
    assert stored(report, "executive_meetings", "unit") == ""
    assert document.undo_stack.count() == 0
    assert model.last_error.startswith(
        f"Row {target + 3}, Value of “Shanghai cases selected as exemplary cases for "
        "strengthening copyright protection”: ")
    assert "thousands groups" in model.last_error
    assert view.refusal.isVisible()
    assert view.refused_index == model.index(target + 2, VALUE)


def test_paste_what_a_spreadsheet_copies(qtbot, view, document, report):
    target = row_of(view, "executive_meetings")
    # Excel/LibreOffice: \r\n, a line end after the last row, quotes around special cells.
    QGuiApplication.clipboard().setText(
        '"meetings\theld"\t市政府常务会议\t"4,5"\r\n"cases\n(selected)"\t入选案例\t３\r\n')
    select(view, target, 0, target, 0)
    assert view.paste() is False  # "4,5" is no number: nothing is pasted
    assert "Row" in view.model().last_error and "Value" in view.model().last_error
    QGuiApplication.clipboard().setText(
        '"meetings\theld"\t市政府常务会议\t"4,500"\r\n"cases\n(selected)"\t入选案例\t３\r\n')
    assert view.paste() is True
    assert stored(report, "executive_meetings", "label_en") == "meetings held"  # one line
    assert stored(report, "executive_meetings") == "4500"
    assert stored(report, "strong_ip_country_exemplary_cases", "label_en") == "cases (selected)"
    assert stored(report, "strong_ip_country_exemplary_cases", "label_zh") == "入选案例"
    assert stored(report, "strong_ip_country_exemplary_cases") == "3"
    assert document.undo_stack.count() == 1


def test_paste_skips_columns_that_cannot_be_edited(qtbot, view, report):
    row = row_of(view, "patents_granted")
    QGuiApplication.clipboard().setText("12.5\t+99\t1999\tnew_key")
    select(view, row, YOY, row, YOY)
    assert view.paste() is True
    assert stored(report, "patents_granted", "yoy_pct") == "12.5"
    assert stored(report, "patents_granted", "key", 2024) == "patents_granted"
    select(view, row, COMPUTED, row, COMPUTED)
    QGuiApplication.clipboard().setText("1\t2")
    assert view.paste() is False
    assert view.model().last_error == "Nothing to paste: these columns cannot be edited"
    select(view, row, 7, row, 7)
    QGuiApplication.clipboard().setText("1\t2\t3")
    assert view.paste() is False and "last column" in view.model().last_error


def test_one_value_fills_the_selected_cells(qtbot, view, document, report):
    top = row_of(view, "executive_meetings")
    select(view, top, QUALIFIER, top + 2, QUALIFIER)
    QGuiApplication.clipboard().setText("about\n")
    assert view.paste() is True
    for key in ("executive_meetings", "strong_ip_country_exemplary_cases",
                "copyright_exemplary_cases"):
        assert stored(report, key, "qualifier") == "about"
    assert document.undo_stack.count() == 1


def test_paste_below_the_loaded_rows_fetches_them(qtbot, document, report, monkeypatch):
    monkeypatch.setattr(IndicatorTableModel, "BATCH", 10)
    view = make_view(qtbot, document)
    model = view.model()
    assert model.rowCount() == 10 and model.total() == 102
    select(view, 8, VALUE, 8, VALUE)
    QGuiApplication.clipboard().setText("\n".join(str(n) for n in range(1, 6)))
    assert view.paste() is True
    assert model.rowCount() == 20  # one more batch, not everything
    ids = [model.row(r)["id"] for r in range(8, 13)]
    with sqlite3.connect(report) as conn:
        values = [conn.execute("SELECT value FROM indicators WHERE id = ?", [i]).fetchone()[0]
                  for i in ids]
    assert values == ["1", "2", "3", "4", "5"]
    while model.canFetchMore():
        model.fetchMore()
    last = model.rowCount() - 1
    select(view, last, VALUE, last, VALUE)
    before = document.undo_stack.count()
    QGuiApplication.clipboard().setText("1\n2\n")
    assert view.paste() is False
    assert "past the last row" in model.last_error
    assert document.undo_stack.count() == before


def test_clipboard_text_round_trip():
    block = [["meetings\theld", "4"], ["", 'a "quoted" word'], ["x\ny", ""]]
    assert parse_block(format_block(block)) == block
    assert parse_block("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert parse_block("14.28\r\n\r\n") == [["14.28"], [""]]  # a blank cell copied last
    assert parse_block("") == []


# -- read-only, filters --------------------------------------------------------------------------

def test_a_readonly_report_is_not_editable(qtbot, report):
    document = open_document(report, readonly=True)
    try:
        view = make_view(qtbot, document)
        model = view.model()
        row = row_of(view, "patents_granted")
        for column in range(model.columnCount()):
            assert not model.flags(model.index(row, column)) & Qt.ItemFlag.ItemIsEditable
        index = model.index(row, VALUE)
        view.setCurrentIndex(index)
        view.edit(index)
        assert view.current_editor() is None
        assert not model.setData(index, "1")
        QGuiApplication.clipboard().setText("1")
        assert view.paste() is False and "read-only" in model.last_error
        assert stored(report, "patents_granted") == "150800"
        assert not view.registry["paste"].isEnabled()
    finally:
        document.store.close()


def test_a_table_without_document_is_not_editable(qtbot, report):
    with ReportStore.open(report, readonly=True) as store:
        model = IndicatorTableModel(store)
        model.set_nodes(None)
        assert not model.flags(model.index(0, VALUE)) & Qt.ItemFlag.ItemIsEditable


def test_filters_are_counted_and_read_in_sql(qtbot, view, report, monkeypatch):
    model = view.model()
    asked = []
    real = model.store.indicators
    monkeypatch.setattr(model.store, "indicators",
                        lambda *a, **k: asked.append(k.get("limit")) or real(*a, **k))
    with sqlite3.connect(report) as conn:
        def count(where, params=()):
            return conn.execute(f"SELECT count(*) FROM indicators WHERE {where}",
                                params).fetchone()[0]
        model.set_filter("patent")
        like = "%patent%"
        assert model.total() == count("key LIKE ? OR label_en LIKE ? OR label_zh LIKE ?",
                                      [like] * 3) == model.rowCount()
        model.set_year(2023)
        assert model.total() == count("(key LIKE ? OR label_en LIKE ? OR label_zh LIKE ?) "
                                      "AND year = 2023", [like] * 3)
        assert {model.row(r)["year"] for r in range(model.rowCount())} == {2023}
        model.set_filter("")
        assert model.total() == count("year = 2023")
        model.set_year(None)
        assert model.total() == count("1") == 102
        model.set_filter("专利")
        assert model.total() == count("label_zh LIKE '%专利%'")
    assert asked and all(limit == IndicatorTableModel.BATCH for limit in asked)


def test_the_view_keeps_fixed_row_heights(view):
    header = view.verticalHeader()
    assert header.sectionResizeMode(0) == header.ResizeMode.Fixed
    assert len({view.rowHeight(r) for r in range(view.model().rowCount())}) == 1


def test_glossary_names_stay_marked_and_enter_stores_nothing(qtbot, report):
    from ipviewer.terms.glossary import Glossary
    from ipviewer.terms.term import Term

    glossary = Glossary.new()
    glossary.add(Term("patents granted", "授权专利数", field="indicator", approved=True))
    document = open_document(report)
    try:
        model = IndicatorTableModel(document.store, glossary, document=document)
        view = IndicatorTableView()
        view.setModel(model)
        model.set_nodes(None)
        qtbot.addWidget(view)
        view.show()
        approved = model.index(row_of(view, "patents_granted"), 1)
        assert approved.data() == "授权专利数"  # from the glossary, not the report's label
        assert approved.data(Qt.ItemDataRole.FontRole) is None
        assert "专利授权量" in approved.data(Qt.ItemDataRole.ToolTipRole)
        taken = model.index(row_of(view, "trademark_applications"), 1)
        assert taken.data(Qt.ItemDataRole.FontRole).italic()  # unapproved: marked
        assert taken.data(Qt.ItemDataRole.ForegroundRole) is not None

        type_into(qtbot, view, approved.row(), 1, approved.data(Qt.ItemDataRole.EditRole))
        assert document.undo_stack.count() == 0  # unchanged text: nothing written
        type_into(qtbot, view, approved.row(), 1, "专利授权数")
        assert stored(report, "patents_granted", "label_zh") == "专利授权数"
        assert approved.data() == "授权专利数"  # the glossary still names it
    finally:
        document.store.close()


def test_an_edit_elsewhere_updates_the_table_in_place(qtbot, view, document, report):
    from ipviewer.ui.commands import edit_indicators

    model = view.model()
    row = row_of(view, "patents_granted")
    indicator = model.row(row)["id"]
    changed = []
    model.dataChanged.connect(lambda top, bottom, *_: changed.append((top.row(), bottom.row())))
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    edit_indicators(document, {indicator: {"value": ("150800", "150900")}})
    assert model.index(row, VALUE).data() == "150,900"
    assert changed == [(row, row)] and not resets
    document.undo_stack.undo()
    assert model.index(row, VALUE).data() == "150,800"


def test_a_name_edit_that_leaves_the_filter(qtbot, view, report):
    model = view.model()
    model.set_filter("held")  # in the name "executive meetings held", not in its key
    before = model.total()
    row = row_of(view, "executive_meetings")
    type_into(qtbot, view, row, 0, "executive meetings")
    assert model.total() == before - 1 == model.rowCount()
    assert all(model.row(r)["key"] != "executive_meetings" for r in range(model.rowCount()))
    model.document.undo_stack.undo()
    assert model.total() == before == model.rowCount()
