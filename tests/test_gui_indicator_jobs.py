"""Indicator jobs from the window, driven as a user would (pytest-qt, offscreen): import a
CSV/XLSX file through its preview, export the table, add an indicator, insert a figure
into a text and go from a figure to its indicator; each checked in the report file."""

from __future__ import annotations

import contextlib
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox

from ipviewer import i18n
from ipviewer.indicator_files import read_indicator_file, write_indicator_file
from ipviewer.model import Indicator
from ipviewer.store import ReportStore
from ipviewer.terms.glossary import Glossary
from ipviewer.ui.language import apply_language

Button = QMessageBox.StandardButton
HEADER = "key,year,value,unit,qualifier,label_en,label_zh\n"


def stored_row(path: Path, key: str, year: int = 2024) -> dict | None:
    """An indicator row as the file holds it (a connection of its own)."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM indicators WHERE key = ? AND year = ?",
                           [key, year]).fetchone()
        return dict(row) if row else None


def go_to_paragraph(window, words: str) -> int:
    """Select the first paragraph whose English text contains ``words``."""
    with contextlib.closing(sqlite3.connect(window.store.path)) as conn:
        node_id = conn.execute("SELECT id FROM nodes WHERE kind = 'paragraph' AND text_en "
                               "LIKE ? ORDER BY id", [f"%{words}%"]).fetchone()[0]
    window.select_node(node_id)
    assert window.editor.node.id == node_id
    return node_id


def activate(qtbot, window) -> None:
    """Shortcuts need an active window, which the offscreen platform does not give itself."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def problems_shown(dialog) -> list[str]:
    return [dialog.problem_list.item(i).text() for i in range(dialog.problem_list.count())]


@pytest.fixture
def english():
    apply_language("en", remember=False)
    yield
    apply_language("en", remember=False)


# -- import ------------------------------------------------------------------------------------


def test_import_previews_lists_bad_rows_and_writes_nothing_until_they_are_fixed(
        open_editor, qtbot, sample_copy, tmp_path, english):
    window = open_editor()
    table = tmp_path / "values.csv"
    table.write_text(HEADER
                     + "patents_granted,2024,16.2万,,,patents granted,专利授权量\n"
                     + "design_patents_granted,2024,\"48,000\",,,design patents granted,外观设计专利授权量\n"
                     + "trademark_disputes,2024,abc,,,trademark disputes,商标纠纷\n"
                     + "old_figure,1800,12,,,an old figure,旧数字\n"
                     + "court_cases,2024,300,,roughly,court cases,法院案件\n", encoding="utf-8")
    before = stored_row(sample_copy, "patents_granted")["value"]
    total = window.indicators.all_model.total()

    dialog = window.indicator_jobs.import_file(table)
    assert dialog.isVisible()
    shown = problems_shown(dialog)
    assert any(p.startswith("Line 4: value:") and "abc" in p for p in shown), shown
    assert any(p.startswith("Line 5: year:") and "1800" in p for p in shown), shown
    assert any(p.startswith("Line 6: qualifier:") and "roughly" in p for p in shown), shown
    assert dialog.preview.rowCount() == 2  # the good rows, previewed
    keys = [dialog.preview.item(r, 0).text() for r in range(2)]
    assert keys == ["patents_granted", "design_patents_granted"]
    assert dialog.preview.item(0, 8).text() == "replaces 150,800"
    assert dialog.preview.item(1, 8).text() == "new"
    assert not dialog.import_button.isEnabled(), "refused while the file has problems"
    assert "Nothing is imported" in dialog.advice.text()
    assert not dialog.import_rows()
    assert stored_row(window.store.path, "patents_granted")["value"] == before
    assert stored_row(window.store.path, "design_patents_granted") is None
    assert window.undo_stack.count() == 0

    # the user corrects the file and reads it again
    lines = table.read_text(encoding="utf-8").splitlines()
    table.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    dialog.reload_button.click()
    assert problems_shown(dialog) == []
    assert dialog.import_button.isEnabled()
    assert dialog.import_button.text() == "Import 2 Rows"
    dialog.import_button.click()
    assert not dialog.isVisible()

    working = window.store.path
    assert stored_row(working, "patents_granted")["value"] == "162000"
    added = stored_row(working, "design_patents_granted")
    assert (added["value"], added["label_zh"]) == ("48000", "外观设计专利授权量")
    assert window.undo_stack.count() == 1, "one undoable step"
    assert window.indicators.all_model.total() == total + 1

    window.undo_stack.undo()
    assert stored_row(working, "patents_granted")["value"] == before
    assert stored_row(working, "design_patents_granted") is None
    assert window.indicators.all_model.total() == total
    window.undo_stack.redo()
    assert stored_row(working, "design_patents_granted")["value"] == "48000"

    assert window.save()
    assert stored_row(sample_copy, "patents_granted")["value"] == "162000"
    assert stored_row(sample_copy, "design_patents_granted")["value"] == "48000"


def test_import_from_the_file_menu_reads_xlsx(open_editor, qtbot, sample_copy, tmp_path,
                                              monkeypatch, english):
    window = open_editor()
    book = tmp_path / "values.xlsx"
    write_indicator_file([Indicator(key="pct_international_applications", year=2021,
                                    value=Decimal(7001), label_en="PCT filings"),
                          Indicator(key="new_xlsx_figure", year=2023, value=Decimal("15.30"),
                                    unit="%", label_en="a rate")], book)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(book), ""))
    window.registry["import_indicators"].trigger()
    dialog = window.indicator_jobs.dialog
    assert dialog.isVisible() and dialog.preview.rowCount() == 2
    dialog.import_button.click()
    assert window.save()
    assert stored_row(sample_copy, "pct_international_applications", 2021)["value"] == "7001"
    years = window.indicators.year_box
    assert [years.itemData(i) for i in range(years.count())] == [None, 2024, 2023, 2022, 2021,
                                                                 2020], "a new year is listed"
    row = stored_row(sample_copy, "new_xlsx_figure", 2023)
    assert (row["value"], row["unit"]) == ("15.30", "%")


def test_a_bad_xlsx_cell_is_named(open_editor, tmp_path, english):
    import openpyxl

    window = open_editor()
    book = tmp_path / "bad.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "indicators"
    sheet.append(["key", "year", "value"])
    sheet.append(["patents_granted", 2024, 150900])
    sheet.append(["court_cases", 2024, "many"])
    workbook.save(book)
    dialog = window.indicator_jobs.import_file(book)
    assert dialog.preview.rowCount() == 1
    assert any(p.startswith("sheet indicators, cell C3: value:") for p in problems_shown(dialog))
    assert not dialog.import_button.isEnabled()
    dialog.reject()


def test_an_unreadable_header_is_shown_and_nothing_can_be_imported(open_editor, tmp_path,
                                                                    english):
    window = open_editor()
    table = tmp_path / "wrong.csv"
    table.write_text("name,amount\npatents,12\n", encoding="utf-8")
    dialog = window.indicator_jobs.import_file(table)
    assert dialog.preview.rowCount() == 0
    assert any("missing required column" in p for p in problems_shown(dialog))
    assert not dialog.import_button.isEnabled()
    dialog.reject()


# -- export ------------------------------------------------------------------------------------


def test_export_asks_before_replacing_and_writes_what_is_shown(open_editor, tmp_path,
                                                               monkeypatch, english):
    window = open_editor()
    target = tmp_path / "out"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "Excel workbook (*.xlsx)"))
    window.registry["export_indicators"].trigger()
    written = tmp_path / "out.xlsx"  # the suffix of the chosen filter
    rows = read_indicator_file(written)
    assert len(rows) == len(window.store.indicator_values())

    asked = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return Button.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    written.write_bytes(b"keep me")
    assert not window.indicator_jobs.export_to(written)
    assert asked and "already exists" in asked[0]
    assert written.read_bytes() == b"keep me"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: Button.Yes)
    assert window.indicator_jobs.export_to(written)
    assert len(read_indicator_file(written)) == len(rows)


def test_export_refuses_the_report_itself(open_editor, monkeypatch, sample_copy, english):
    window = open_editor()
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    assert not window.indicator_jobs.export_to(sample_copy)
    assert warned and str(sample_copy) in warned[0]


# -- add ---------------------------------------------------------------------------------------


def test_add_indicator_checks_as_you_type_and_stores_an_exact_value(
        open_editor, qtbot, sample_copy, glossary_file, english):
    window = open_editor()
    window.glossary = Glossary.load(glossary_file)
    node_id = go_to_paragraph(window, "pledge financing")
    dialog = window.indicator_jobs.add_indicator()
    assert dialog.isVisible() and dialog.year.value() == 2024
    add = dialog.add_button
    assert not add.isEnabled()

    qtbot.keyClicks(dialog.label_en, "patents granted")
    assert dialog.label_zh.text() == "专利授权量", "the glossary's approved Chinese"
    assert dialog.key.text() == "patents_granted_2", "a key not yet used in 2024"
    dialog.key.clear()
    qtbot.keyClicks(dialog.key, "Bad Key")
    assert "may use only lower-case" in dialog.message.text() and not add.isEnabled()
    dialog.key.clear()
    qtbot.keyClicks(dialog.key, "patents_granted")
    assert "already has the indicator" in dialog.message.text() and not add.isEnabled()
    dialog.year.setValue(2021)  # a year the indicator has no value for yet
    assert "already an indicator of" in dialog.key_note.text() and "2021" in \
        dialog.key_note.text()
    dialog.year.setValue(2024)
    dialog.key.clear()
    qtbot.keyClicks(dialog.key, "utility_patents_granted")
    qtbot.keyClicks(dialog.value, "15.08 million")
    assert dialog.message.text() == ""
    dialog.value.clear()
    qtbot.keyClicks(dialog.value, "lots")
    assert dialog.message.text().startswith("Value:") and not add.isEnabled()
    dialog.value.clear()
    dialog.value.setText("15.08万")
    dialog.unit.setEditText("%")
    assert "is in RMB" not in dialog.message.text()
    dialog.value.setText("15.08万 RMB")
    assert "RMB" in dialog.message.text() and not add.isEnabled(), "value and unit disagree"
    dialog.value.setText("15.08万")
    dialog.unit.setCurrentIndex(dialog.unit.findText("RMB"))
    dialog.qualifier.setCurrentIndex(dialog.qualifier.findData("over"))
    dialog.year.setValue(2023)
    assert add.isEnabled(), dialog.message.text()
    add.click()
    assert not dialog.isVisible()

    row = stored_row(window.store.path, "utility_patents_granted", 2023)
    assert Decimal(row["value"]) == Decimal(150800) and row["value"] == "150800"
    assert (row["unit"], row["qualifier"], row["year"]) == ("RMB", "over", 2023)
    assert (row["label_en"], row["label_zh"], row["node_id"]) == (
        "patents granted", "专利授权量", node_id)
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Add indicator “utility_patents_granted”"
    window.undo_stack.undo()
    assert stored_row(window.store.path, "utility_patents_granted", 2023) is None
    window.undo_stack.redo()
    assert window.save()
    assert stored_row(sample_copy, "utility_patents_granted", 2023)["value"] == "150800"


def test_a_known_key_brings_its_names_and_unit(open_editor, qtbot, english):
    window = open_editor()
    dialog = window.indicator_jobs.add_indicator()
    dialog.year.setValue(2025)
    qtbot.keyClicks(dialog.key, "pledge_financing_amount")
    assert dialog.key.text() == "pledge_financing_amount"
    assert dialog.label_en.text() and dialog.label_zh.text()
    assert dialog.unit.currentText() == "RMB"
    dialog.value.setText("400亿")  # as an input method commits it
    assert dialog.add_button.isEnabled(), dialog.message.text()
    dialog.add_button.click()
    row = stored_row(window.store.path, "pledge_financing_amount", 2025)
    assert (row["value"], row["unit"]) == ("40000000000", "RMB")


def test_an_added_indicator_appears_in_this_parts_table(open_editor, qtbot, english):
    window = open_editor()
    go_to_paragraph(window, "pledge financing")
    dialog = window.indicator_jobs.add_indicator()
    qtbot.keyClicks(dialog.label_en, "mediated disputes")
    qtbot.keyClicks(dialog.value, "1,234")
    dialog.add_button.click()
    model = window.indicators.node_model
    keys = [model.row(r)["key"] for r in range(model.rowCount())]
    assert "mediated_disputes" in keys
    view = window.indicators.node_view
    assert model.row(view.currentIndex().row())["key"] == "mediated_disputes"


# -- figures in the text -----------------------------------------------------------------------


def test_insert_figure_puts_a_reference_into_the_chosen_language(open_editor, qtbot,
                                                                 sample_copy, english):
    window = open_editor()
    node_id = go_to_paragraph(window, "pledge financing")
    edit = window.editor.texts["zh"]
    edit.setFocus()
    edit.moveCursor(QTextCursor.MoveOperation.End)
    before = edit.source()
    activate(qtbot, window)
    qtbot.keyClick(edit, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    picker = window.indicator_jobs.dialog
    assert picker is not None and picker.isVisible()
    qtbot.keyClicks(picker.filter, "PCT")
    assert picker.visible_keys()[0] == "pct_international_applications"
    picker.filter.clear()
    picker.filter.setText("发明专利授权")  # a Chinese name filters too (as an IME commits it)
    assert picker.visible_keys() == ["invention_patents_granted"]
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert not picker.isVisible()

    expected = before + "{{invention_patents_granted}}"
    assert edit.source() == expected
    with contextlib.closing(sqlite3.connect(window.store.path)) as conn:
        text_zh, text_en = conn.execute("SELECT text_zh, text_en FROM nodes WHERE id = ?",
                                        [node_id]).fetchone()
    assert text_zh == expected and "invention_patents_granted}}" not in text_en[-40:]
    assert any(c.binding and c.binding.key == "invention_patents_granted"
               for c in edit.chips())
    window.undo_stack.undo()
    assert edit.source() == before, "one undo step, like typing"
    window.undo_stack.redo()
    assert window.save()
    with contextlib.closing(sqlite3.connect(sample_copy)) as conn:
        assert conn.execute("SELECT text_zh FROM nodes WHERE id = ?",
                            [node_id]).fetchone()[0] == expected


def test_go_to_indicator_from_a_chip(open_editor, qtbot, english):
    window = open_editor()
    go_to_paragraph(window, "pledge financing")
    edit = window.editor.texts["en"]
    chip = next(c for c in edit.chips() if c.kind == "figure")
    key = chip.binding.key
    cursor = edit.textCursor()
    cursor.setPosition(chip.position)
    edit.setTextCursor(cursor)
    edit.setFocus()
    activate(qtbot, window)
    window.indicators.all_view.setFocus()  # the key works wherever the focus went since
    window.indicators.node_view.clearSelection()
    qtbot.keyClick(window.indicators.all_view, Qt.Key.Key_F12)
    model, view = window.indicators.node_model, window.indicators.node_view
    assert window.indicators.currentIndex() == 0
    assert model.row(view.currentIndex().row())["key"] == key

    # the chip's context menu
    window.indicators.node_view.clearSelection()
    pos = edit.chip_rect(chip.position).center()
    menu = window.editor.chip_menu(edit, pos)
    action = next(a for a in menu.actions() if a.objectName() == "goToIndicatorChipAction")
    assert action.text() == "&Go to Indicator" and action.shortcut().toString() == "F12"
    view.setCurrentIndex(model.index(0, 0))
    action.trigger()
    assert model.row(view.currentIndex().row())["key"] == key
    menu.deleteLater()

    # no figure at a plain word: the menu has no such item, F12 says why
    edit.moveCursor(QTextCursor.MoveOperation.Start)
    assert not window.indicator_jobs.go_to_indicator()
    assert "cursor on a figure" in window.statusBar().currentMessage()
    plain = window.editor.chip_menu(edit, QPoint(2, 2))
    assert all(a.objectName() != "goToIndicatorChipAction" for a in plain.actions())
    plain.deleteLater()


def test_go_to_an_indicator_of_another_part_uses_all_indicators(open_editor, english):
    window = open_editor()
    go_to_paragraph(window, "pledge financing")
    other = next(r for r in window.store.indicator_rows(2024)
                 if r["node_id"] != window.editor.node.id and not any(
                     window.indicators.node_model.row(i)["key"] == r["key"]
                     for i in range(window.indicators.node_model.rowCount())))
    assert window.indicator_jobs.go_to_indicator(other["key"], 2024)
    tabs = window.indicators
    assert tabs.currentIndex() == 1
    assert tabs.all_model.row(tabs.all_view.currentIndex().row())["key"] == other["key"]
    assert not window.indicator_jobs.go_to_indicator("no_such_key", 2024)


# -- language ----------------------------------------------------------------------------------


def test_the_dialogs_speak_chinese(open_editor, tmp_path, english):
    window = open_editor()
    go_to_paragraph(window, "pledge financing")
    table = tmp_path / "v.csv"
    table.write_text(HEADER + "patents_granted,2024,x,,,a,b\n", encoding="utf-8")
    apply_language("zh_CN", remember=False)
    QApplication.processEvents()  # the window's language change
    try:
        importing = window.indicator_jobs.import_file(table)
        assert importing.windowTitle() == "导入指标"
        assert problems_shown(importing)[0].startswith("第 2 行")
        importing.reject()
        adding = window.indicator_jobs.add_indicator()
        assert adding.windowTitle() == "添加指标"
        assert adding.add_button.text() == "添加"
        adding.reject()
        picker = window.indicator_jobs.insert_figure()
        assert picker.windowTitle() == "插入数字"
        assert picker.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "插入"
        picker.reject()
        assert window.registry["go_to_indicator"].text() == "转到指标(&T)"
        # a dialog open during a switch follows it
        picker = window.indicator_jobs.insert_figure()
        apply_language("en", remember=False)
        QApplication.processEvents()
        assert picker.windowTitle() == "Insert Figure"
        picker.reject()
    finally:
        apply_language("en", remember=False)
    assert i18n.current_language() == "en"


def test_a_read_only_window_offers_no_changes(sample_window):
    jobs = sample_window.indicator_jobs
    assert not sample_window.registry["import_indicators"].isEnabled()
    assert not sample_window.registry["add_indicator"].isEnabled()
    assert not sample_window.registry["insert_figure"].isEnabled()
    assert sample_window.registry["go_to_indicator"].isEnabled()
    assert jobs.add_indicator() is None and jobs.insert_figure() is None


def test_the_report_file_is_untouched_by_a_cancelled_import(open_editor, tmp_path, sample_copy,
                                                            english):
    window = open_editor()
    table = tmp_path / "values.csv"
    table.write_text(HEADER + "patents_granted,2024,1,,,,\n", encoding="utf-8")
    dialog = window.indicator_jobs.import_file(table)
    dialog.reject()
    assert window.undo_stack.count() == 0
    with contextlib.closing(ReportStore.open(window.store.path, readonly=True)) as store:
        assert store.indicator_value("patents_granted", 2024).value == Decimal(150800)


def test_save_writes_added_rows_and_removes_deleted_ones(open_editor, sample_copy):
    """Rows the window added or deleted reach the report file on Save (not only changed
    ones)."""
    window = open_editor()
    go_to_paragraph(window, "pledge financing")
    new_id = window.add_node("paragraph")
    assert window.save()
    with contextlib.closing(sqlite3.connect(sample_copy)) as conn:
        assert conn.execute("SELECT count(*) FROM nodes WHERE id = ?", [new_id]).fetchone()[0]
    window.select_node(new_id)
    window.delete_current()
    assert window.save()
    with contextlib.closing(sqlite3.connect(sample_copy)) as conn:
        assert not conn.execute("SELECT count(*) FROM nodes WHERE id = ?",
                                [new_id]).fetchone()[0]
