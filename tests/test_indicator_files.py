"""Indicator tables to and from CSV and XLSX: exact round trips, strict reading, clear errors."""

from __future__ import annotations

import codecs
import os
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ipviewer import indicator_files
from ipviewer.indicator_files import (
    COLUMNS,
    MAX_PROBLEMS,
    MAX_ROWS,
    IndicatorFileError,
    read_indicator_file,
    write_indicator_file,
)
from ipviewer.model import Indicator
from ipviewer.store.indicator_table import DamagedIndicator, indicator_from_row

PRIOR_YEARS = Path(__file__).resolve().parents[2] / "shared" / "facts" / "prior-years.csv"

ROWS = [
    Indicator("invention_patents_granted", 2024, Decimal(57900), "patents", "",
                 Decimal("14.28"), "invention patents granted", "发明专利授权量",
                 "2024 white paper, part I"),
    Indicator("high_value_patents_per_10k", 2024, Decimal("15.30"), "per 10,000 people",
                 "", None, "high-value invention patents per 10,000 people",
                 "每万人口高价值发明专利拥有量"),
    Indicator("pledge_financing_amount", 2024, Decimal(32000000000), "RMB", "over",
                 Decimal("62.3"), "pledge financing", "质押融资", "seed, part II"),
    Indicator("copyright_registrations", 2024, Decimal(17985800), "", "nearly",
                 Decimal("-28.28"), "copyright registrations", "著作权登记", ""),
    Indicator("share_of_pct", 2024, Decimal("57.9"), "%", "about", Decimal(0),
                 "share", "占比", 'quoted "source", with commas\nand a new line'),
    # Text that a spreadsheet would run as a formula, and an apostrophe that must survive.
    Indicator("formula_like", 2023, Decimal("-3.5"), "-unit", "", Decimal("+1.50"),
                 "=HYPERLINK(\"http://evil\",\"x\")", "+1 中文", "@SUM(A1:A2)"),
    Indicator("apostrophes", 2023, Decimal("0.000123"), "", "", None,
                 "'=not a formula", "'quoted'", "''"),
    # More significant digits than a double holds: written as text in XLSX, still exact.
    Indicator("very_precise", 2022, Decimal("1234567890123456789.25"), "", "", None),
    Indicator("tiny_value", 1900, Decimal("0.000000000000001234"), "", "", Decimal(100)),
]


def store_dicts(rows):
    """Rows as the store sees them: Decimal('15.3') == Decimal('15.30'), the texts differ."""
    return [row.as_store_dict() for row in rows]


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, table: list[list], title: str = "indicators",
               number_formats: dict[str, str] | None = None) -> Path:
    """An XLSX written by openpyxl (as Excel would store typed cells)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in table:
        sheet.append(row)
    for cell, number_format in (number_formats or {}).items():
        sheet[cell].number_format = number_format
    workbook.save(path)
    return path


def write_table(path: Path, table: list[list]) -> Path:
    """``table`` (header first, cells as text) as CSV or XLSX, by ``path``'s extension."""
    if path.suffix == ".xlsx":
        return write_xlsx(path, table)
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    return write_csv(path, buffer.getvalue())


def error_text(path: Path) -> str:
    with pytest.raises(IndicatorFileError) as info:
        read_indicator_file(path)
    message = str(info.value)
    assert "Traceback" not in message
    assert str(path) in message.splitlines()[0]
    return message


# -- rows and the store ---------------------------------------------------------------------


def test_store_dict_keeps_exact_decimal_text():
    row = Indicator("a", 2024, Decimal("15.30"), yoy_pct=Decimal("-28.28"))
    assert row.as_store_dict() == {
        "key": "a", "year": 2024, "value": "15.30", "unit": "", "qualifier": "",
        "yoy_pct": "-28.28", "label_en": "", "label_zh": "", "source": ""}
    assert Indicator("a", 2024, Decimal("3.2E+10")).as_store_dict()["value"] == "32000000000"
    assert Indicator("a", 2024, Decimal(17985800)).as_store_dict()["value"] == "17985800"
    assert Indicator("a", 2024, Decimal(1)).as_store_dict()["yoy_pct"] is None


def test_from_store_round_trip():
    for row in ROWS:
        stored = row.as_store_dict() | {"id": 7, "node_id": None, "needs_update": 0}
        again = indicator_from_row(stored)
        assert again == row
        assert again.as_store_dict() == row.as_store_dict()


def test_from_store_refuses_inexact_text():
    with pytest.raises(DamagedIndicator, match="'1e5' is not a number"):
        indicator_from_row({"key": "a", "year": 2024, "value": "1e5"})
    with pytest.raises(DamagedIndicator, match="'NaN' is not a number"):
        indicator_from_row({"key": "a", "year": 2024, "value": "1", "yoy_pct": "NaN"})
    with pytest.raises(DamagedIndicator, match="'x' is not a year"):
        indicator_from_row({"key": "a", "year": "x", "value": "1"})


# -- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_is_exact(tmp_path, suffix):
    path = tmp_path / f"indicators{suffix}"
    write_indicator_file(ROWS, path)
    rows = read_indicator_file(path)
    assert store_dicts(rows) == store_dicts(ROWS)
    assert rows == ROWS
    assert rows.warnings == []
    values = {row.key: row.as_store_dict()["value"] for row in rows}
    assert values["high_value_patents_per_10k"] == "15.30"
    assert values["copyright_registrations"] == "17985800"
    assert values["pledge_financing_amount"] == "32000000000"
    assert values["share_of_pct"] == "57.9"
    yoy = {row.key: row.as_store_dict()["yoy_pct"] for row in rows}
    assert yoy["copyright_registrations"] == "-28.28"
    assert yoy["high_value_patents_per_10k"] is None
    # A second round trip writes the same rows again.
    write_indicator_file(rows, path)
    assert store_dicts(read_indicator_file(path)) == store_dicts(ROWS)


def test_csv_is_utf8_with_bom_and_guards_formulas(tmp_path):
    path = tmp_path / "out.csv"
    write_indicator_file(ROWS, path)
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(COLUMNS)
    formula_line = next(line for line in lines if line.startswith("formula_like"))
    # Numbers are never prefixed; label, unit and source texts are.
    assert formula_line.startswith("formula_like,2023,-3.5,'-unit,,1.50,")
    assert "'=HYPERLINK" in formula_line and "'+1 中文" in formula_line
    assert "'@SUM(A1:A2)" in formula_line
    assert "-28.28" in next(line for line in lines if line.startswith("copyright"))
    assert "'-28.28" not in data.decode("utf-8-sig")


def test_xlsx_layout_numbers_and_text_cells(tmp_path):
    path = tmp_path / "out.xlsx"
    write_indicator_file(ROWS, path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["indicators"]
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    by_key = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    value = by_key["high_value_patents_per_10k"][2]
    assert (value.value, value.data_type, value.number_format) == (15.3, "n", "#,##0.00")
    value = by_key["copyright_registrations"][2]
    assert (value.value, value.number_format) == (17985800, "#,##0")
    assert by_key["copyright_registrations"][5].value == pytest.approx(-28.28)
    assert by_key["formula_like"][5].number_format == "0.00"
    # Too precise for a double: text, so the exact value survives.
    precise = by_key["very_precise"][2]
    assert (precise.value, precise.data_type) == ("1234567890123456789.25", "s")
    # Formula-like text is a string cell (with Excel's quote prefix), never a formula.
    label = by_key["formula_like"][6]
    assert label.data_type == "s" and label.value.startswith("=HYPERLINK")
    assert label.quotePrefix
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


# -- the user's own files -------------------------------------------------------------------


def test_prior_years_csv():
    if not PRIOR_YEARS.exists():
        pytest.skip(f"the user's prior-years facts are not here ({PRIOR_YEARS})")
    rows = read_indicator_file(PRIOR_YEARS)
    assert len(rows) == 10
    values = {(row.key, row.year): row.as_store_dict()["value"] for row in rows}
    assert values[("valid_invention_patents", 2023)] == "241400"
    assert values[("pledge_financing_amount", 2023)] == "22760000000"
    assert values[("high_value_invention_patents_per_10k", 2023)] == "50.2"
    assert values[("high_value_invention_patents_per_10k", 2022)] == "40.9"
    assert values[("valid_registered_trademarks", 2020)] == "1730000"
    by_key = {(row.key, row.year): row for row in rows}
    per_10k = by_key[("high_value_invention_patents_per_10k", 2022)]
    # The unit holds an unquoted comma in the user's file: rejoined, with a warning.
    assert per_10k.unit == "patents per 10,000 people"
    assert per_10k.yoy_pct == Decimal("6.7")
    assert by_key[("invention_patents_granted", 2022)].as_store_dict()["yoy_pct"] == "11.98"
    assert by_key[("valid_invention_patents", 2023)].yoy_pct is None
    assert by_key[("pledge_financing_amount", 2023)].source.startswith("en.shio.gov.cn")
    assert len(rows.warnings) == 2
    assert f"{PRIOR_YEARS}:4:" in rows.warnings[0] and "double quotes" in rows.warnings[0]


def test_unquoted_comma_that_is_ambiguous_is_an_error(tmp_path):
    path = write_csv(tmp_path / "t.csv", "key,year,value,unit\nabc,2024,150,800,patents\n")
    message = error_text(path)
    assert f"{path}:2:" in message and "more cells" in message


def test_columns_in_any_order_synonyms_and_unknown_columns(tmp_path):
    path = write_csv(tmp_path / "t.csv",
                     "Notes,Value,Indicator,YEAR,yoy_pct,colour\n"
                     "hello,\"150,800\",patents_granted,2024,14.28%,red\n"
                     "\n"
                     ",15.08万,b,2023,-3.5 %,\n")
    rows = read_indicator_file(path)
    assert store_dicts(rows) == [
        Indicator("patents_granted", 2024, Decimal(150800),
                     yoy_pct=Decimal("14.28")).as_store_dict(),
        Indicator("b", 2023, Decimal(150800), yoy_pct=Decimal("-3.5")).as_store_dict(),
    ]
    assert rows.warnings == [f"{path}:1: unknown columns ignored: Notes, colour"]
    assert rows.columns == ("key", "year", "value", "yoy_pct")


def test_scale_words_and_units_in_value(tmp_path):
    path = write_csv(tmp_path / "t.csv",
                     "key,year,value,unit\n"
                     "pledge,2024,32 billion,RMB\n"
                     "pledge_zh,2024,320亿元,\n"
                     "pledge_yuan,2024,32 billion RMB,yuan\n"
                     "count,2024,17.9858 million,\n")
    rows = read_indicator_file(path)
    assert [(r.as_store_dict()["value"], r.unit) for r in rows] == [
        ("32000000000", "RMB"), ("32000000000", "RMB"), ("32000000000", "yuan"),
        ("17985800", "")]


def test_semicolon_csv_and_gb18030(tmp_path):
    path = write_csv(tmp_path / "t.csv", "key;year;value;label_zh\nabc;2024;15,30;发明专利\n",
                     encoding="gb18030")
    # 15,30 is a European decimal comma: refused, never read as 1530.
    message = str(pytest.raises(IndicatorFileError, read_indicator_file, path,
                                encoding="gb18030").value)
    assert f"{path}:2: value:" in message
    path = write_csv(tmp_path / "t.csv", "key;year;value;label_zh\nabc;2024;15.30;发明专利\n",
                     encoding="gb18030")
    # Four Chinese characters could as well be Korean (cp949): the encoding must be given.
    assert "--encoding" in error_text(path) and "gb18030" in error_text(path)
    rows = read_indicator_file(path, encoding="GB18030")
    assert rows[0].label_zh == "发明专利" and rows[0].as_store_dict()["value"] == "15.30"
    assert not rows.warnings
    # A table with enough Chinese text is recognised, with a warning.
    labels = ["发明专利授权量", "PCT国际专利申请量", "商标注册量", "知识产权质押融资金额",
              "全市法院受理知识产权案件", "版权登记数量"]
    body = "".join(f"k{n};2024;{n};{label}\n" for n, label in enumerate(labels))
    path = write_csv(tmp_path / "t.csv", "key;year;value;label_zh\n" + body, encoding="gb18030")
    rows = read_indicator_file(path)
    assert [row.label_zh for row in rows] == labels
    assert any("GB18030" in warning for warning in rows.warnings)


def test_header_only_gives_no_rows_and_a_warning(tmp_path):
    rows = read_indicator_file(write_csv(tmp_path / "t.csv", "key,year,value\n"))
    assert rows == [] and "no indicator rows" in rows.warnings[0]


# -- Excel cells ----------------------------------------------------------------------------


def test_excel_number_cells(tmp_path):
    path = write_xlsx(tmp_path / "excel.xlsx", [
        ["key", "year", "value", "yoy_pct", "unit"],
        ["typed_float", 2024, 57.9, -28.28, ""],
        # openpyxl writes 16 significant digits, as Excel writes up to 17.
        ["computed", 2024.0, 0.1 + 0.7, 1 / 3 * 100, ""],
        ["formatted", 2024, 15.3, 5, ""],
        ["big_float", 2024, 32000000000.0, None, "RMB"],
        ["integer", 2024, 150800, 0, ""],
        ["text_cell", "2024", "15.08万", "14.28%", ""],
        ["grouped", 2024, 1234.5, 1.5, ""],
    ], number_formats={"C4": "0.00", "D4": "0.0", "C8": "#,##0.000", "D8": "General"})
    rows = read_indicator_file(path)
    got = {row.key: (row.as_store_dict()["value"], row.as_store_dict()["yoy_pct"], row.year)
           for row in rows}
    assert got == {
        "typed_float": ("57.9", "-28.28", 2024),
        # 0.30000000000000004 and 33.33333333333333 are not typed figures: rounded to the
        # 15 significant digits Excel shows, with a warning naming the cell.
        "computed": ("0.8", "33.3333333333333", 2024),
        # A fixed number format restores the decimals Excel shows (15.3 as 0.00 is 15.30).
        "formatted": ("15.30", "5.0", 2024),
        "big_float": ("32000000000", None, 2024),
        "integer": ("150800", "0", 2024),
        "text_cell": ("150800", "14.28", 2024),
        "grouped": ("1234.500", "1.5", 2024),
    }
    assert len(rows.warnings) == 2
    assert rows.warnings[0].startswith(f"{path}: sheet indicators, cell C3: value: ")
    assert "0.7999999999999999" in rows.warnings[0] and "read as 0.8" in rows.warnings[0]
    assert rows.warnings[1].startswith(f"{path}: sheet indicators, cell D3: yoy_pct: ")


def test_excel_cells_that_are_not_numbers(tmp_path):
    path = write_xlsx(tmp_path / "bad.xlsx", [
        ["key", "year", "value"],
        ["a_date", 2024, datetime(2024, 3, 1)],
        ["a_bool", 2024, True],
        ["huge", 2024, 1e300],
        ["infinite", 2024, float("inf")],
        ["year_float", 2024.5, 1],
    ])
    message = error_text(path)
    assert f"{path}: 5 problems; nothing was read" == message.splitlines()[0]
    assert "sheet indicators, cell C2: value: the cell holds a date" in message
    assert "cell C3: value: a TRUE/FALSE cell" in message
    assert "cell C4: value: not a valid number" in message and "digits" in message
    assert "cell C5: value: " in message
    assert "cell B6: year: " in message


def test_excel_error_values(tmp_path):
    path = tmp_path / "errors.xlsx"
    write_xlsx(path, [["key", "year", "value"], ["a", 2024, 1]])
    # Put a cached #DIV/0! error into C2, as Excel saves it.
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    sheet_xml = sheet_xml.replace('<c r="C2" t="n"><v>1</v></c>',
                                  '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    assert "#DIV/0!" in sheet_xml
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert "cell C2: value: the cell holds the Excel error #DIV/0!" in error_text(path)


def test_sheet_named_indicators_is_preferred(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "notes"
    workbook.active.append(["nothing", "here"])
    sheet = workbook.create_sheet("Indicators")
    sheet.append(["key", "year", "value"])
    sheet.append(["a", 2024, 7])
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    rows = read_indicator_file(path)
    assert [row.key for row in rows] == ["a"] and rows.warnings == []
    workbook = openpyxl.Workbook()
    workbook.active.title = "data"
    workbook.active.append(["key", "year", "value"])
    workbook.active.append(["b", 2024, 8])
    workbook.create_sheet("other")
    workbook.save(path)
    rows = read_indicator_file(path)
    assert [row.key for row in rows] == ["b"]
    assert "none is named \"indicators\"" in rows.warnings[0]


# -- bad input: every problem names the file and the line or cell ---------------------------

BAD_ROWS = [
    # (cells of the data row, column letter, text expected in the message)
    (["abc", "2024", "1,2,3"], "C", "value: not a valid number: '1,2,3' (thousands groups"),
    (["abc", "2024", "NaN"], "C", "value: not a valid number: 'NaN'"),
    (["abc", "2024", "1e5"], "C", "value: not a valid number: '1e5' (exponent"),
    (["abc", "2024", "1e400"], "C", "value: not a valid number: '1e400' (exponent"),
    (["abc", "2024", ""], "C", "value: is empty"),
    (["abc", "twenty", "1"], "B", "year: \"twenty\" is not a year"),
    (["abc", "1850", "1"], "B", "year: 1850 is outside 1900–2200"),
    (["Patents Granted", "2024", "1"], "A",
     ("key: \"Patents Granted\" may use only lower-case letters a-z, digits and _ "
     "(for example patents_granted)")),
    (["abc", "2024", "1", "", "roughly"], "E", "qualifier: \"roughly\" is not one of: over,"),
    (["abc", "2024", "32 billion RMB", "USD"], "C",
     "value: \"32 billion RMB\" is in RMB but the unit column says \"USD\""),
    (["abc", "2024", "15.08万", "", "", "NaN%"], "F", "yoy_pct: not a valid number: 'NaN%'"),
    (["abc", "2024", "1", "", "", "1e5%"], "F", "yoy_pct: not a valid number: '1e5%'"),
    (["abc", "2024", "12 patents"], "C", "value: not a valid number: '12 patents' (unknown unit"),
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize(("cells", "column", "expected"), BAD_ROWS)
def test_bad_cells(tmp_path, suffix, cells, column, expected):
    header = ["key", "year", "value", "unit", "qualifier", "yoy_pct"]
    path = write_table(tmp_path / f"bad{suffix}", [header, ["ok", "2024", "1"], cells])
    message = error_text(path)
    where = f"{path}:3: " if suffix == ".csv" else f"{path}: sheet indicators, cell {column}3: "
    assert message == where + expected or message.startswith(where + expected), message


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_missing_required_column(tmp_path, suffix):
    path = write_table(tmp_path / f"t{suffix}", [["indicator", "year", "unit"], ["a", "2024", ""]])
    message = error_text(path)
    where = f"{path}:1: " if suffix == ".csv" else f"{path}: sheet indicators, row 1: "
    assert message.startswith(where + "missing required column: value")
    assert "found: indicator, year, unit" in message


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_duplicate_key_and_year_names_both_places(tmp_path, suffix):
    path = write_table(tmp_path / f"t{suffix}", [
        ["key", "year", "value"], ["a", "2024", "1"], ["b", "2024", "2"], ["a", "2024", "3"]])
    message = error_text(path)
    if suffix == ".csv":
        assert message == f"{path}:4: a 2024 appears twice: also at line 2"
    else:
        assert message == (f"{path}: sheet indicators, cell A4: a 2024 appears twice: "
                           "also at sheet indicators, cell A2")


def test_many_problems_in_one_error(tmp_path):
    lines = ["key,year,value"] + [f"row_{n},2024,bad" for n in range(25)]
    path = write_csv(tmp_path / "many.csv", "\n".join(lines) + "\n")
    with pytest.raises(IndicatorFileError) as info:
        read_indicator_file(path)
    error = info.value
    assert error.count == 25 and len(error.problems) == MAX_PROBLEMS
    lines = str(error).splitlines()
    assert lines[0] == f"{path}: 25 problems; nothing was read"
    assert lines[1].startswith(f"{path}:2: value: ")
    assert lines[-1] == "(and 5 more problems)"
    assert isinstance(error, ValueError)


def test_several_problems_in_one_row(tmp_path):
    path = write_csv(tmp_path / "t.csv", "key,year,value\nBad Key,20x4,1,2,3\n")
    message = error_text(path)
    assert message.splitlines()[0] == f"{path}: 3 problems; nothing was read"
    assert f"{path}:2: key:" in message and f"{path}:2: year:" in message
    assert "more cells than the header" in message


def test_empty_file(tmp_path):
    assert "is empty" in error_text(write_csv(tmp_path / "empty.csv", ""))
    assert "is empty" in error_text(write_csv(tmp_path / "blank.csv", "\ufeff\n \n"))
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    assert "is empty" in error_text(path)


def test_binary_file_named_csv(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(bytes(range(256)) * 10)
    assert "binary" in error_text(path)
    xlsx_as_csv = tmp_path / "really-a-workbook.csv"
    write_indicator_file(ROWS[:1], tmp_path / "real.xlsx")
    xlsx_as_csv.write_bytes((tmp_path / "real.xlsx").read_bytes())
    assert ".xlsx" in error_text(xlsx_as_csv)


def test_neither_utf8_nor_gb18030(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("key,year,value,label_en\nabc,2024,1,Caf\u00e9 \u201cdata\u201d\n"
                     .encode("cp1252"))
    message = error_text(path)
    assert f"{path}:2: not valid UTF-8 (byte 0xE9)" in message and "cp1252" in message
    assert "--encoding" in message
    rows = read_indicator_file(path, encoding="cp1252")
    assert rows[0].label_en == "Caf\u00e9 \u201cdata\u201d"


def test_broken_quotes(tmp_path):
    path = write_csv(tmp_path / "t.csv", 'key,year,value\na,2024,1\nb,2024,"2"x\n')
    assert f"{path}:3: broken CSV quoting" in error_text(path)


def test_corrupt_xlsx(tmp_path):
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(b"this is not a zip archive at all\n" * 100)
    assert "is not an Excel workbook" in error_text(path)
    good = tmp_path / "good.xlsx"
    write_indicator_file(ROWS, good)
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "Excel workbook" in error_text(path)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "a zip, but not a workbook")
    assert "cannot be read as an Excel workbook" in error_text(path)
    # Damaged XML inside a valid zip.
    with zipfile.ZipFile(good) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:300]
    with zipfile.ZipFile(path, "w") as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    assert "Excel workbook" in error_text(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_huge_file_is_refused_before_reading(tmp_path, suffix):
    path = tmp_path / f"huge{suffix}"
    with open(path, "wb") as handle:
        handle.truncate(25 * 1024 * 1024)  # sparse: instant, no disk used
    message = error_text(path)
    assert "is too large (25 MB)" in message and "20 MB" in message


def test_too_many_rows(tmp_path):
    body = "".join(f"k{n},2024,1\n" for n in range(MAX_ROWS + 1))
    path = write_csv(tmp_path / "rows.csv", "key,year,value\n" + body)
    assert f"has more than {MAX_ROWS} rows" in error_text(path)


def test_too_many_rows_xlsx(tmp_path, monkeypatch):
    monkeypatch.setattr(indicator_files.reading, "MAX_ROWS", 3)
    path = write_xlsx(tmp_path / "rows.xlsx", [["key", "year", "value"]]
                      + [[f"k{n}", 2024, n] for n in range(4)])
    assert "has more than 3 rows" in error_text(path)


@pytest.mark.parametrize(("name", "expected"), [
    ("table.txt", "unsupported file type \".txt\""),
    ("table", "unsupported file type \"(no extension)\""),
    ("table.xls", ".xls files are not read; save the sheet as Excel Workbook (.xlsx)"),
])
def test_unknown_extension(tmp_path, name, expected):
    path = write_csv(tmp_path / name, "key,year,value\na,2024,1\n")
    assert expected in error_text(path)
    with pytest.raises(IndicatorFileError, match="unsupported|not read"):
        write_indicator_file(ROWS, path)


def test_missing_file_and_folder(tmp_path):
    assert "no such file" in error_text(tmp_path / "missing.csv")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert "is a folder" in error_text(folder)


# -- writing safely -------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_invalid_rows_are_not_written(tmp_path, suffix):
    path = tmp_path / f"out{suffix}"
    path.write_bytes(b"old content")
    bad = [ROWS[0], Indicator("Bad Key", 1800, Decimal("NaN"), qualifier="roughly"),
           ROWS[0]]
    with pytest.raises(IndicatorFileError) as info:
        write_indicator_file(bad, path)
    message = str(info.value)
    assert message.splitlines()[0] == f"{path}: 5 problems in the rows; nothing was written"
    assert f"{path}: row 2: key:" in message and f"{path}: row 2: year:" in message
    assert f"{path}: row 2: value:" in message and f"{path}: row 2: qualifier:" in message
    assert f"{path}: row 3: invention_patents_granted 2024 appears twice" in message
    assert path.read_bytes() == b"old content"
    assert os.listdir(tmp_path) == [path.name]


def test_control_characters_cannot_go_into_xlsx(tmp_path):
    row = Indicator("a", 2024, Decimal(1), label_en="bell\x07")
    with pytest.raises(IndicatorFileError, match="row 1: label_en: contains control"):
        write_indicator_file([row], tmp_path / "out.xlsx")
    write_indicator_file([row], tmp_path / "out.csv")  # CSV holds it


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_failed_write_leaves_old_file(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"out{suffix}"
    write_indicator_file(ROWS[:2], path)
    before = path.read_bytes()

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(IndicatorFileError, match="No space left on device"):
        write_indicator_file(ROWS, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == [path.name]


def test_write_into_missing_folder(tmp_path):
    path = tmp_path / "nowhere" / "out.csv"
    with pytest.raises(IndicatorFileError, match="cannot be written") as info:
        write_indicator_file(ROWS, path)
    assert str(path) in str(info.value)


def test_write_keeps_permissions(tmp_path):
    path = tmp_path / "out.csv"
    write_indicator_file(ROWS, path)
    path.chmod(0o640)
    write_indicator_file(ROWS[:1], path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert len(read_indicator_file(path)) == 1


def test_excel_seventeen_digit_float(tmp_path):
    """Excel saves up to 17 significant digits: 0.1+0.2 arrives as 0.30000000000000004."""
    path = write_xlsx(tmp_path / "sum.xlsx", [["key", "year", "value"], ["a", 2024, 0.3]])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<v>0.3</v>" in sheet_xml
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace(
        "<v>0.3</v>", "<v>0.30000000000000004</v>").encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    rows = read_indicator_file(path)
    assert rows[0].as_store_dict()["value"] == "0.3"
    assert rows.warnings == [
        (f"{path}: sheet indicators, cell C2: value: 0.30000000000000004 is not a typed figure "
        "(a computed or converted value with more than 15 significant digits); read as 0.3, "
        "as Excel shows it")]
