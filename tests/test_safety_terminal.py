"""What the CLI prints cannot drive the terminal (issue 11): stored escape sequences, C1
controls and bidi overrides are shown as escapes by every command, in messages too; ordinary
text, tabs and newlines are printed exactly; JSON stays valid and exact."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ipviewer import terminal
from ipviewer.cli import cli
from ipviewer.store import ReportStore
from ipviewer.terms import read_csv

#: Stored text an attacker would like a terminal to obey: an OSC window title ending in BEL,
#: a CSI "clear screen", a C1 CSI (U+009B), a right-to-left override and isolates, NUL,
#: DEL, backspace, CR and NEL.
HOSTILE = ("\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\u2066x\u2069\u202a\u202b\u202c\u202d"
           "\u2067\u2068\x00\x7f\x08\r\x85")
#: The same on one line, for catalogs and CSV files (CR and NEL would end the line).
HOSTILE_LINE = HOSTILE.replace("\r", "").replace("\x85", "")
#: The same as a CSV file may hold it (a NUL or a run of C0 controls makes a file binary,
#: refused before anything is echoed; see test_safety_encodings.py).
HOSTILE_CSV = "\x1b]0;pwned\x07\x9b31m\u202eevil\u2066x\u2069"
#: The same in a file name (no NUL possible there).
HOSTILE_NAME = "\x1b]0;pwned\x07\u202e\x9b"
#: How the start of both appears in what is printed.
SHOWN = "\\u001b]0;pwned\\u0007"
#: C1 and bidi characters only (text files with C0 controls are refused as binary).
BIDI = "\u202eevil\x9b31m\u2066"
BIDI_SHOWN = "\\u202eevil\\u009b31m\\u2066"
#: What must never reach stdout or stderr (written out here, not taken from the module).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

PO_HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: test\\n"\n"Language: zh_CN\\n"\n'
    '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n'
)


def run(*args: object, input: str | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input,
                              catch_exceptions=False)


def assert_safe(result, where: str) -> None:
    for name, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        found = UNSAFE.search(text)
        assert found is None, (
            f"{where}: {found.group()!r} reaches {name}: "
            f"{text[max(0, found.start() - 60):found.end() + 20]!r}")


def leaf_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> set[str]:
    names: set[str] = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names |= leaf_commands(command, (*prefix, name))
        else:
            names.add(" ".join((*prefix, name)))
    return names


# -- hostile files -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    """A report, a catalog, import files and a source text holding HOSTILE everywhere text
    is stored (written as an attacker would: straight into the SQLite file)."""
    folder = tmp_path_factory.mktemp("hostile")
    report = folder / "report.sqlite"
    assert run("sample", "-o", report).exit_code == 0
    db = sqlite3.connect(report)
    with db:
        db.execute("UPDATE report SET title_en = title_en || ?, title_zh = title_zh || ?",
                   (HOSTILE, HOSTILE))
        db.execute("UPDATE nodes SET title_en = title_en || ?, title_zh = title_zh || ? "
                   "WHERE kind != 'paragraph'", (HOSTILE, HOSTILE))
        db.execute("UPDATE nodes SET text_en = text_en || ? || ' 4242', "
                   "text_zh = text_zh || ? || '4242' WHERE kind = 'paragraph'",
                   (HOSTILE, HOSTILE))
        db.execute("UPDATE indicators SET label_en = label_en || ?, label_zh = label_zh || ?, "
                   "unit = unit || ?, source_text = source_text || ?, source = ?",
                   (HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE))
    db.close()
    catalog = folder / "terminology.po"
    catalog.write_text(PO_HEADER + f"""
#. {HOSTILE_LINE}
msgctxt "patent"
msgid "invention patent{HOSTILE_LINE}"
msgstr "发明专利{HOSTILE_LINE}"

msgctxt "patent"
msgid "utility model"
msgstr "实用新型{HOSTILE_LINE}"
""", encoding="utf-8")
    named_catalog = folder / f"terms{HOSTILE_NAME}.po"
    named_catalog.write_bytes(catalog.read_bytes())
    terms_csv = folder / "terms.csv"
    terms_csv.write_text(
        "english,chinese,field\n"
        f"utility model,另一个{HOSTILE_CSV},patent\n"  # a conflict: both Chinese terms are shown
        f"term{HOSTILE_CSV},术语,patent\n",  # rejected: the English term is echoed
        encoding="utf-8")
    bad_terms = folder / "bad-terms.csv"
    bad_terms.write_text(f"english,chinese,field\nx,y,field{HOSTILE_CSV}\n", encoding="utf-8")
    values = folder / "values.csv"
    # (a CSV with C0 controls is refused as binary; C1 and bidi characters get through)
    values.write_text(f"key,year,value,label_en,note{BIDI}\n"  # unknown column: warned
                      f"patents_granted,2024,150800,granted{BIDI},x\n", encoding="utf-8")
    bad_values = folder / "bad-values.csv"
    bad_values.write_text(f"key,year,value\nkey{BIDI},2024,1\n", encoding="utf-8")
    source = folder / "source.md"
    source.write_text(f"# Report 2024{BIDI}\n\n## Part\n\nText.\n", encoding="utf-8")
    binary = folder / "binary.md"
    binary.write_text(f"# Report 2024{HOSTILE}\n\n## Part\n\nText.\n", encoding="utf-8")
    return {"report": report, "catalog": catalog, "named_catalog": named_catalog,
            "terms_csv": terms_csv, "bad_terms": bad_terms, "values": values,
            "bad_values": bad_values, "source": source, "binary": binary, "folder": folder}


def cases(h: dict[str, Path], out: Path) -> dict[str, list[tuple[list[object], bool | str]]]:
    """Each CLI command: invocations, and whether HOSTILE is expected in what it prints
    (or the escaped text expected)."""
    report, catalog = h["report"], h["catalog"]
    missing = out / f"missing{HOSTILE_NAME}.sqlite"
    return {
        "tree": [([report], True), ([report, "--lang", "zh"], True), ([missing], True)],
        "render": [([report], True), ([report, "--lang", "zh"], True)],
        "indicators list": [([report], True), ([report, "--format", "json"], True),
                            ([report, "--format", "csv"], True),
                            ([missing], True)],
        "indicators import": [([report, h["values"]], BIDI_SHOWN),
                              ([report, h["bad_values"]], BIDI_SHOWN),
                              ([report, out / f"v{HOSTILE_NAME}.csv"], True)],
        "indicators export": [([report, out / f"v{HOSTILE_NAME}.csv"], True),
                              ([report, out / f"v{HOSTILE_NAME}.xlsx"], True)],
        "bind": [(["--dry-run", report], True), ([missing], True)],
        "check": [([report, "--catalog", catalog], True),
                  ([report, "--format", "json", "--catalog", catalog], True),
                  ([report, "--catalog", out / f"c{HOSTILE_NAME}.po"], True)],
        "export": [([report, "-o", out / f"out{HOSTILE_NAME}.pdf", "--no-charts"], True)],
        "sample": [(["-o", out / f"s{HOSTILE_NAME}.sqlite"], True),
                   (["-o", out / f"s{HOSTILE_NAME}.sqlite"], True)],  # exists: refused
        "new-year": [([report, "-o", out / f"next{HOSTILE_NAME}.sqlite"], True)],
        "to-update": [([out / f"next{HOSTILE_NAME}.sqlite"], True),  # written by new-year
                      ([out / f"next{HOSTILE_NAME}.sqlite", "--format", "json"], True),
                      ([missing], True)],
        "confirm": [([out / f"next{HOSTILE_NAME}.sqlite", "patents_granted", "--by",
                      f"x{HOSTILE}"], True),
                    ([out / f"next{HOSTILE_NAME}.sqlite", f"k{HOSTILE}"], True),
                    ([missing, "patents_granted"], True)],
        "compare": [([report, out / f"next{HOSTILE_NAME}.sqlite"], True),  # after new-year
                    ([report, out / f"next{HOSTILE_NAME}.sqlite", "--format", "json"], True),
                    ([report, missing], True)],
        "import": [([h["source"], "-o", out / f"i{HOSTILE_NAME}.sqlite"], True),
                   ([h["binary"], "-o", out / "b.sqlite"], False),
                   ([out / f"src{HOSTILE_NAME}.md", "-o", out / "x.sqlite"], True),
                   ([h["source"], "--into", missing], True)],
        "gui": [([missing], True)],
        "terms list": [(["--catalog", catalog], True),
                       (["--catalog", catalog, "--format", "csv"], True),
                       (["--catalog", catalog, "--format", "json"], True),
                       (["--catalog", catalog, "--field", f"x{HOSTILE}"], True)],
        "terms find": [(["--catalog", catalog, "utility", "model"], True),
                       (["--catalog", catalog, "--format", "json", "utility model"], True),
                       (["--catalog", catalog, "--file", out / f"t{HOSTILE_NAME}.txt"], True)],
        "terms import": [([h["terms_csv"], "--catalog", out / "copy.po"], True),
                         ([h["terms_csv"], "--catalog", catalog, "--dry-run"], True),
                         ([h["bad_terms"], "--catalog", catalog], True)],
        "terms export": [([out / f"g{HOSTILE_NAME}.csv", "--catalog", catalog], True)],
        "terms check": [([h["named_catalog"]], True), ([catalog], False)],
    }


def test_every_command_shows_stored_control_characters_as_escapes(hostile, tmp_path):
    report = tmp_path / "report.sqlite"  # a copy: indicators import changes it
    report.write_bytes(hostile["report"].read_bytes())
    table = cases({**hostile, "report": report}, tmp_path)
    assert set(table) == leaf_commands(cli), "a new command needs its hostile cases here"
    (tmp_path / "copy.po").write_bytes(hostile["catalog"].read_bytes())
    for command, invocations in table.items():
        for args, shown in invocations:
            where = f"ipviewer {command} {args}"
            result = run(*command.split(), *args)
            assert_safe(result, where)
            if shown:
                expected = SHOWN if shown is True else shown
                assert expected in result.output, (where, result.output[-500:])


def test_json_output_is_valid_and_gives_the_stored_text_back_exactly(hostile):
    records = json.loads(run("indicators", hostile["report"], "--format", "json").stdout)
    assert records and all(r["label_en"].endswith(HOSTILE) for r in records)
    assert all(r["source_text"].endswith(HOSTILE) for r in records)
    terms = json.loads(run("terms", "list", "--catalog", hostile["catalog"], "--format",
                           "json").stdout)
    assert {t["english"] for t in terms} == {f"invention patent{HOSTILE_LINE}", "utility model"}
    found = json.loads(run("terms", "find", "--catalog", hostile["catalog"], "--format",
                           "json", "a utility model").stdout)
    assert found[0]["terms"][0]["chinese"] == f"实用新型{HOSTILE_LINE}"
    findings = json.loads(run("check", hostile["report"], "--format", "json", "--no-terms")
                          .stdout)
    texts = [f["where"] + f["message"] for f in findings]  # (places are shortened)
    assert any("\x1b]0;pwned\x07" in t for t in texts)
    assert any("\x9b31m\u202eevil" in t for t in texts)


def test_the_terms_import_message_that_echoed_an_escape(hostile, tmp_path):
    copy = tmp_path / "g.po"
    copy.write_bytes(hostile["catalog"].read_bytes())
    result = run("terms", "import", hostile["terms_csv"], "--catalog", copy)
    assert result.exit_code == 1
    assert f"term{SHOWN}" in result.stdout and "not imported" in result.stdout
    assert_safe(result, "terms import")


def test_terms_list_no_longer_passes_the_window_title_sequence(hostile):
    result = run("terms", "list", "--catalog", hostile["catalog"])
    assert "\x1b]0;" not in result.stdout and "\x07" not in result.stdout
    assert f"invention patent{SHOWN}" in result.stdout


def test_colour_codes_are_shown_not_silently_deleted(hostile):
    """click deletes CSI colour codes from output that is not a terminal (and keeps every
    other sequence): the stored text is shown whole instead, the same everywhere."""
    result = run("tree", hostile["report"])
    assert "\\u001b[2J\\u009b31m\\u202eevil\\u2066x\\u2069" in result.stdout


def test_error_messages_show_escapes(tmp_path):
    result = run("tree", tmp_path / f"r{HOSTILE_NAME}.sqlite")
    assert result.exit_code == 2
    assert f"r{SHOWN}\\u202e\\u009b.sqlite" in result.stderr
    assert_safe(result, "tree")
    usage = run("tree", "--lang", f"x{HOSTILE}", tmp_path / "r.sqlite")
    assert usage.exit_code == 2
    assert_safe(usage, "usage error")


# -- ordinary text is printed exactly --------------------------------------------------------


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    report = tmp_path_factory.mktemp("plain") / "report.sqlite"
    assert run("sample", "-o", report).exit_code == 0
    db = sqlite3.connect(report)
    with db:  # a tab and a line break inside a paragraph are layout: printed as they are
        db.execute("UPDATE nodes SET text_zh = text_zh || '\t表格\n第二行' WHERE id = "
                   "(SELECT min(id) FROM nodes WHERE kind = 'paragraph')")
    db.close()
    return report


def test_render_prints_ordinary_text_exactly(plain):
    from ipviewer.report_text import render_report

    with ReportStore.open(plain, readonly=True) as store:
        expected = {lang: render_report(store, lang) for lang in ("en", "zh")}
    for lang, text in expected.items():
        printed = run("render", plain, "--lang", lang).stdout
        assert printed == text
    assert "\t表格\n第二行" in expected["zh"]
    assert "\\u" not in expected["zh"] + expected["en"]


def test_tree_and_tables_keep_chinese_text_and_alignment(plain):
    with ReportStore.open(plain, readonly=True) as store:
        titles = [n.title_zh for n in store.load_tree() if n.title_zh]
        labels = [r["label_zh"] for r in store.indicators()]
    tree = run("tree", plain, "--lang", "zh").stdout
    assert titles and all(title in tree for title in titles)
    table = run("indicators", plain).stdout.splitlines()
    assert len(table) == len(labels) + 1 and any(labels)
    column = terminal.display_width(table[0][:table[0].index("label_zh")])
    for line, label in zip(table[1:], labels):
        assert line.endswith(label)  # the last column, exactly as stored
        assert terminal.display_width(line[:len(line) - len(label)]) == column or not label


def test_indicator_csv_on_stdout_reads_back_as_the_json(plain):
    records = json.loads(run("indicators", plain, "--format", "json").stdout)
    rows = list(csv.DictReader(io.StringIO(run("indicators", plain, "--format", "csv").stdout)))
    assert [r["label_zh"] for r in rows] == [r["label_zh"] for r in records]
    assert [r["source_text"] for r in rows] == [r["source_text"] or "" for r in records]


def test_glossary_csv_on_stdout_reads_back_exactly(tmp_path):
    catalog = tmp_path / "g.po"
    catalog.write_text(PO_HEADER + '\nmsgctxt "patent"\nmsgid "invention patent"\n'
                       'msgstr "发明专利"\n', encoding="utf-8")
    listed = tmp_path / "listed.csv"
    listed.write_text(run("terms", "list", "--catalog", catalog, "--format", "csv").stdout,
                      encoding="utf-8")
    assert [(t.english, t.chinese, t.field) for t in read_csv(listed)] == [
        ("invention patent", "发明专利", "patent")]


def test_a_tab_or_line_break_inside_a_table_cell_is_shown_on_one_line():
    text = terminal.table([["a\tb", "发明\n专利"], ["c", "d"]], ("one", "two"))
    lines = text.splitlines()
    assert lines == ["one   two", "a\\tb  发明\\n专利", "c     d"]


# -- the function and the stream ---------------------------------------------------------------


@pytest.mark.parametrize("char, shown", [
    ("\x1b", "\\u001b"), ("\x07", "\\u0007"), ("\x00", "\\u0000"), ("\r", "\\r"),
    ("\x7f", "\\u007f"), ("\x85", "\\u0085"), ("\x9b", "\\u009b"), ("\u202a", "\\u202a"),
    ("\u202e", "\\u202e"), ("\u2066", "\\u2066"), ("\u2069", "\\u2069"),
    ("\udc9b", "\\udc9b"),
])
def test_each_unsafe_character_has_a_readable_escape(char, shown):
    assert terminal.visible(f"a{char}b") == f"a{shown}b"
    assert terminal.unsafe_characters(f"x{char}y{char}") == [char]


def test_ordinary_text_tabs_and_newlines_are_unchanged():
    text = "发明专利 150,800件，同比增长14.28%\n\tPCT — “quoted” ‘x’ 、。…\u3000½ é ß\U0001f600"
    assert terminal.visible(text) == text
    assert terminal.visible("a\tb\nc", layout=False) == "a\\tb\\nc"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_nothing_unsafe_is_left_and_json_reads_back_exactly(text):
    shown = terminal.visible(text)
    assert not UNSAFE.search(shown)
    if not UNSAFE.search(text):
        assert shown == text
    document = json.dumps({"text": text, "list": [text]}, ensure_ascii=False, indent=2)
    assert json.loads(terminal.visible(document)) == {"text": text, "list": [text]}


def test_the_stream_cannot_be_bypassed_and_survives_a_narrow_encoding():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    visible = terminal.VisibleText(stream)
    assert not hasattr(visible, "buffer")
    with pytest.raises(TypeError):
        visible.write(b"\x1b")  # type: ignore[arg-type]
    visible.write(f"专利{HOSTILE}\n")
    visible.flush()
    assert raw.getvalue().decode("ascii").startswith("\\u4e13\\u5229\\u001b]0;pwned")


def test_streams_are_restored_after_a_command(hostile):
    before = sys.stdout, sys.stderr
    run("tree", hostile["report"])
    run("tree", "missing.sqlite")
    assert (sys.stdout, sys.stderr) == before


def test_an_unexpected_traceback_is_shown_with_escapes(capsys):
    try:
        raise RuntimeError(f"stored {HOSTILE}")
    except RuntimeError as exc:
        terminal.visible_excepthook(type(exc), exc, exc.__traceback__)
    err = capsys.readouterr().err
    assert f"RuntimeError: stored {SHOWN}" in err
    assert not UNSAFE.search(err)


def test_a_real_process_prints_no_control_bytes(hostile):
    """Real stdout and stderr (not click's test runner), as a user's terminal gets them;
    an ASCII-only terminal gets escapes instead of a UnicodeEncodeError traceback."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "ipviewer", "tree", str(hostile["report"])],
                          capture_output=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert SHOWN.encode() in done.stdout
    unsafe = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]"
                        rb"|\xe2\x81[\xa6-\xa9]")
    assert not unsafe.search(done.stdout) and not unsafe.search(done.stderr)
    env["PYTHONIOENCODING"] = "ascii"
    done = subprocess.run([sys.executable, "-m", "ipviewer", "tree", str(hostile["report"]),
                           "--lang", "zh"], capture_output=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr and b"\\u" in done.stdout
