"""Absurd figures get a clear refusal, never a traceback (issue 11, item 5).

``1万万万万万`` was stored as 10^20 and thirty 万 raised ``decimal.InvalidOperation`` in the
command line and in the window's cell editor. A repeated or misordered scale is a parse
error; the compound scales reports really write (千万, 万亿, hundred million) stay; values
are bounded (30 digits written, 30 digits before the decimal point, 200 characters).
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest
from click.testing import CliRunner

from ipviewer.cli import cli
from ipviewer.numbers import (
    MAX_DIGITS,
    MAX_FIGURE_TEXT,
    NumberError,
    canonical_unit,
    parse_number,
    parse_quantity,
    scale_power,
    scale_value,
)
from ipviewer.prose.extract import extract_figures

THIRTY_WAN = "1" + "万" * 30


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# -- scales ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "1万万", "1万万万万万", THIRTY_WAN, "1亿亿", "3亿万", "2千百", "5百千万", "1萬萬", "1億億",
    "1 million million", "1 billion billion", "1 thousand thousand", "2 hundred hundred",
    "3 million thousand", "4 billion million", "5 thousand million", "6 Million  MILLION",
    "1 " + "million " * 20,
])
def test_a_repeated_or_misordered_scale_is_refused(text):
    with pytest.raises(NumberError) as info:
        parse_quantity(text)
    assert "repeated or out of order" in info.value.reason


@pytest.mark.parametrize("text, value", [
    ("3千万", 30_000_000), ("5百万", 5_000_000), ("2十万", 200_000), ("2万亿", 2 * 10**12),
    ("3.5万亿元", 35 * 10**11), ("1十亿", 10**9), ("4千亿", 4 * 10**11),
    ("1千万亿", 10**15), ("8十万亿", 8 * 10**13),
    ("4 hundred million", 4 * 10**8), ("2 hundred thousand", 200_000),
    ("3 hundred billion", 3 * 10**11), ("1.2 trillion", 12 * 10**11),
])
def test_compound_scales_reports_write_are_read(text, value):
    assert parse_quantity(text)[0] == value


def test_scale_power_names_the_problem():
    assert scale_power("万亿") == 12 and scale_power("hundred million") == 8
    for bad in ("万万", "亿万", "million million", "thousand million"):
        with pytest.raises(NumberError, match="repeated or out of order"):
            scale_power(bad)


# -- bounds -----------------------------------------------------------------------------------

def test_values_are_bounded():
    biggest = "9" * MAX_DIGITS
    assert parse_quantity(biggest)[0] == Decimal(biggest)
    with pytest.raises(NumberError, match="more than 30 digits"):
        parse_quantity("9" * (MAX_DIGITS + 1))
    with pytest.raises(NumberError, match="before the decimal point"):
        parse_quantity(biggest + "万")  # 34 digits once scaled
    assert parse_quantity("9" * 26 + "万")[0] == Decimal("9" * 26 + "0000")
    with pytest.raises(NumberError, match="before the decimal point"):
        scale_value(Decimal(1), MAX_DIGITS)
    with pytest.raises(NumberError, match="scale is too large"):
        scale_value(Decimal(1), 10**6)
    for not_finite in (Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity")):
        with pytest.raises(NumberError):
            scale_value(not_finite, 4)


def test_a_long_text_is_refused_before_any_pattern_runs_and_quoted_short():
    pasted = "1," * 50_000
    for parse in (parse_number, parse_quantity, scale_power, canonical_unit):
        with pytest.raises(NumberError) as info:
            parse(pasted)
        assert info.value.reason == "too long for a figure"
        message = str(info.value)
        assert len(message) < 200 and "100,000 characters" in message.replace("100000", "100,000")
    assert len("RMB 1,234,567,890.12 hundred million") < MAX_FIGURE_TEXT


@pytest.mark.parametrize("value", [None, 12, 1.5, b"12", ["12"]])
def test_not_a_text_is_a_number_error(value):
    for parse in (parse_number, parse_quantity, scale_power, canonical_unit):
        with pytest.raises(NumberError):
            parse(value)


# -- where figures come from: prose, the command line, the window ----------------------------

def test_absurd_figures_in_prose_are_not_indicators_and_do_not_stop_the_import():
    text = f"全年罚没款{THIRTY_WAN}元，受理案件1万万件，授权发明专利5.07万件。"
    figures = extract_figures(text, "zh")
    assert [(f.text, f.value) for f in figures] == [("5.07万", Decimal(50700))]
    english = "Fines reached 3 million million RMB and 1,402 cases were handled."
    assert [f.value for f in extract_figures(english, "en")] == [1402]


@pytest.fixture
def report(sample_copy):
    return sample_copy


def stored_value(path, key: str, year: int = 2024) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT value FROM indicators WHERE key = ? AND year = ?",
                            [key, year]).fetchone()[0]


@pytest.mark.parametrize("value", ["1万万万万万", THIRTY_WAN, "2 million million",
                                   "9" * 31, "9" * 30 + "亿"])
def test_indicators_import_refuses_an_absurd_value_naming_the_line(report, tmp_path, value):
    source = tmp_path / "values.csv"
    source.write_text(f"key,year,value\npatents_granted,2024,150900\n"
                      f"patents_granted,2023,{value}\n", encoding="utf-8")
    before = report.read_bytes()
    result = run("indicators", "import", str(report), str(source))
    assert result.exit_code == 2, result.output
    assert "values.csv:3" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert report.read_bytes() == before  # all or nothing
    assert stored_value(report, "patents_granted") == "150800"


def test_the_cell_editor_refuses_an_absurd_value_beside_the_cell(qtbot, report):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from ipviewer.store import ReportStore
    from ipviewer.ui.document import ReportDocument
    from ipviewer.ui.indicator_model import IndicatorTableModel
    from ipviewer.ui.indicator_view import IndicatorTableView

    document = ReportDocument(ReportStore.open(report), QUndoStack())
    try:
        model = IndicatorTableModel(document.store, document=document)
        view = IndicatorTableView()
        view.setModel(model)
        model.set_nodes(None)
        model.set_year(None)
        view.resize(1100, 520)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitExposed(view)
        while model.canFetchMore():
            model.fetchMore()
        row = next(r for r in range(model.rowCount())
                   if model.row(r)["key"] == "patents_granted" and model.row(r)["year"] == 2024)
        value_column = next(c for c, column in enumerate(model.COLUMNS) if column[0] == "value")
        for typed, reason in ((THIRTY_WAN, "repeated or out of order"),
                              ("1万万万万万", "repeated or out of order"),
                              ("9" * 30 + "亿", "before the decimal point"),
                              ("1," * 5000, "too long for a figure")):
            index = model.index(row, value_column)
            view.setCurrentIndex(index)
            view.edit(index)
            editor = view.current_editor()
            assert editor is not None
            editor.setText(typed)
            qtbot.keyClick(editor, Qt.Key.Key_Return)
            QApplication.processEvents()
            assert reason in model.last_error, model.last_error
            assert model.last_error.startswith("Value of ")
            assert view.refusal.isVisible() and view.refusal.text() == model.last_error
            assert len(model.last_error) < 300  # a pasted page is quoted short
            assert model.index(row, value_column).data() == "150,800"
            assert document.undo_stack.count() == 0
        assert stored_value(report, "patents_granted") == "150800"
    finally:
        document.store.close()
