"""``ipviewer terms``: list, find, import, export, check (good and bad input, exit codes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ipviewer.cli import shared
from ipviewer.cli.terms_commands import terms
from ipviewer.terms import Glossary, Term, read_csv

HEADER = (
    'msgid ""\n'
    'msgstr ""\n'
    '"Project-Id-Version: test\\n"\n'
    '"PO-Revision-Date: 2024-04-12 16:35+0800\\n"\n'
    '"Last-Translator: Test <t@example.org>\\n"\n'
    '"Language-Team: zh <zh@example.org>\\n"\n'
    '"Language: zh_CN\\n"\n'
    '"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=1; plural=0;\\n"\n'
    '"X-Generator: Poedit 3.4\\n"\n'
)
CATALOG = HEADER + """
msgctxt "patent"
msgid "invention patent"
msgstr "发明专利"

#, fuzzy
msgctxt "patent"
msgid "PCT international application"
msgstr "PCT国际专利申请"

msgctxt "finance"
msgid "pledge financing"
msgstr "质押融资"

msgctxt "trademark"
msgid "well-known trademark"
msgstr ""

#~ msgid "old"
#~ msgstr "旧"
"""


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "terminology.po"
    path.write_text(CATALOG, encoding="utf-8")
    return path


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(terms, [str(a) for a in args], input=input)


# -- list ----------------------------------------------------------------------------------


def test_list_table(catalog):
    result = run("list", "--catalog", catalog)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["field", "English", "Chinese", "status"]
    assert lines[1].split() == ["patent", "invention", "patent", "发明专利", "approved"]
    assert len(lines) == 5 and "old" not in result.output


def test_list_filters_and_formats(catalog):
    result = run("list", "--catalog", catalog, "--fuzzy", "--untranslated", "--format", "json")
    assert result.exit_code == 0
    assert [(t["english"], t["status"]) for t in json.loads(result.output)] == [
        ("PCT international application", "fuzzy"), ("well-known trademark", "untranslated")]
    result = run("list", "--catalog", catalog, "--field", "finance", "--format", "csv")
    assert result.output.splitlines() == [
        "english,chinese,field,note,approved,forbidden,sources",
        "pledge financing,质押融资,finance,,yes,,"]
    assert run("list", "--catalog", catalog, "--field", "customs").output == "no terms\n"


def test_list_with_an_unknown_field_is_bad_input(catalog):
    result = run("list", "--catalog", catalog, "--field", "astrology")
    assert result.exit_code == 2 and 'unknown field "astrology"' in result.output


def test_invalid_catalog_is_bad_input_naming_file_and_line(tmp_path):
    path = tmp_path / "bad.po"
    path.write_text(CATALOG.replace('msgid "pledge financing"', 'msgid "pledge financing'),
                    encoding="utf-8")
    result = run("list", "--catalog", path)
    assert result.exit_code == 2
    assert f"{path}:24: unterminated string" in result.output
    assert "Traceback" not in result.output


def test_missing_catalog_is_bad_input(tmp_path):
    result = run("list", "--catalog", tmp_path / "none.po")
    assert result.exit_code == 2 and "none.po: no such file" in result.output


def test_without_a_catalog_anywhere(monkeypatch):
    monkeypatch.setattr(shared, "default_catalog", lambda: None)
    result = run("list")
    assert result.exit_code == 2 and "give one with --catalog PATH" in result.output


# -- find ----------------------------------------------------------------------------------


def test_find_english_text(catalog):
    result = run("find", "--catalog", catalog, "Invention", "patents", "and", "pledge",
                 "financing")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines()]
    assert rows[0] == ["at", "found", "Chinese", "field", "status"]
    assert rows[1] == ["0", "Invention", "patents", "发明专利", "patent", "approved"]
    assert rows[2] == ["22", "pledge", "financing", "质押融资", "finance", "approved"]


def test_find_in_a_chinese_file_gives_lines_and_columns(catalog, tmp_path):
    text = tmp_path / "zh.txt"
    text.write_text("\ufeff第一行\n发明专利和PCT国际专利申请\n", encoding="utf-8")
    result = run("find", "--catalog", catalog, "--file", text, "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert [(m["at"], m["text"], m["terms"][0]["english"]) for m in found] == [
        ("2:1", "发明专利", "invention patent"),
        ("2:6", "PCT国际专利申请", "PCT international application")]


def test_find_from_standard_input_with_a_language(catalog):
    result = run("find", "--catalog", catalog, "--file", "-", "--lang", "zh", input="质押融资")
    assert result.exit_code == 0 and "pledge financing" in result.output


def test_find_nothing(catalog):
    result = run("find", "--catalog", catalog, "nothing", "here")
    assert result.exit_code == 0 and result.output == "no glossary terms found\n"


def test_find_bad_input(catalog, tmp_path):
    assert run("find", "--catalog", catalog).exit_code == 2
    both = run("find", "--catalog", catalog, "--file", catalog, "text")
    assert both.exit_code == 2 and "either as arguments or with --file" in both.output
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("line\ncafé".encode("latin-1"))
    result = run("find", "--catalog", catalog, "--file", latin)
    assert result.exit_code == 2 and f"{latin}:2: not valid UTF-8" in result.output
    missing = run("find", "--catalog", catalog, "--file", tmp_path / "none.txt")
    assert missing.exit_code == 2 and "none.txt: no such file" in missing.output


# -- import --------------------------------------------------------------------------------


def write_csv_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_text("english,chinese,field,approved\n" + body, encoding="utf-8")
    return path


def test_import_adds_and_reports(catalog, tmp_path):
    source = write_csv_file(tmp_path, "utility model patent,实用新型专利,patent,yes\n"
                                      "invention patent,发明专利,patent,yes\n")
    result = run("import", "--catalog", catalog, source)
    assert result.exit_code == 0, result.output
    assert result.output == (f"{catalog}: 1 added, 0 updated, 1 unchanged, 0 conflicts\n")
    glossary = Glossary.load(catalog)
    assert glossary.translate("utility model patent") == "实用新型专利"
    assert '#~ msgid "old"' in catalog.read_text("utf-8")  # the rest is kept


def test_import_with_conflicts_exits_1_and_imports_the_rest(catalog, tmp_path):
    source = write_csv_file(tmp_path, "invention patent,发明专利权,patent,yes\n"
                                      "design patent,外观设计专利,patent,yes\n")
    result = run("import", "--catalog", catalog, source)
    assert result.exit_code == 1
    assert "1 added, 0 updated, 0 unchanged, 1 conflicts" in result.output
    assert f'invention patent [patent]: catalog "发明专利", {source}:2 "发明专利权"' in (
        result.output)
    glossary = Glossary.load(catalog)
    assert glossary.translate("invention patent") == "发明专利"
    assert glossary.translate("design patent") == "外观设计专利"


def test_import_with_overwrite(catalog, tmp_path):
    source = write_csv_file(tmp_path, "invention patent,发明专利权,patent,yes\n")
    result = run("import", "--catalog", catalog, "--overwrite", source)
    assert result.exit_code == 0 and "(overwritten)" in result.output
    assert Glossary.load(catalog).translate("invention patent") == "发明专利权"


def test_import_dry_run_writes_nothing(catalog, tmp_path):
    before = catalog.read_bytes()
    source = write_csv_file(tmp_path, "design patent,外观设计专利,patent,yes\n")
    result = run("import", "--catalog", catalog, "--dry-run", source)
    assert result.exit_code == 0 and "dry run" in result.output and "1 added" in result.output
    assert catalog.read_bytes() == before


@pytest.mark.parametrize("name, content", [
    ("bad.csv", "english,chinese,field\na,甲,patent\nb,乙\n"),
    ("bad.tbx", '<!DOCTYPE m [<!ENTITY a "b">]><martif>&a;</martif>'),
    ("bad.po", 'msgid "a"\nmsgstr "b"\n'),
    ("bad.xlsx", "whatever"),
])
def test_refused_import_leaves_the_catalog_untouched(catalog, tmp_path, name, content):
    before = catalog.read_bytes()
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    result = run("import", "--catalog", catalog, source)
    assert result.exit_code == 2, result.output
    assert str(source) in result.output and "Traceback" not in result.output
    assert catalog.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([catalog.name, name])


def test_import_into_an_invalid_catalog_is_refused(tmp_path):
    catalog = tmp_path / "dup.po"
    catalog.write_text(HEADER + '\nmsgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', "utf-8")
    before = catalog.read_bytes()
    source = write_csv_file(tmp_path, "design patent,外观设计专利,patent,yes\n")
    result = run("import", "--catalog", catalog, source)
    assert result.exit_code == 2 and "duplicate entry" in result.output
    assert catalog.read_bytes() == before


def test_import_creates_a_new_catalog_given_with_catalog(tmp_path):
    source = write_csv_file(tmp_path, "design patent,外观设计专利,patent,yes\n")
    new = tmp_path / "new.po"
    assert run("import", "--catalog", new, source).exit_code == 0
    assert Glossary.load(new).translate("design patent") == "外观设计专利"


# -- export --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["out.csv", "out.tbx", "out.po", "out.pot"])
def test_export(catalog, tmp_path, name):
    target = tmp_path / name
    result = run("export", "--catalog", catalog, target)
    assert result.exit_code == 0 and result.output == f"{target}: 4 terms exported\n"
    assert target.exists()
    if name == "out.po":
        assert target.read_bytes() == catalog.read_bytes()
    if name == "out.csv":
        assert read_csv(target)[0] == Term("invention patent", "发明专利", "patent",
                                           approved=True)


def test_export_unknown_type_is_bad_input(catalog, tmp_path):
    result = run("export", "--catalog", catalog, tmp_path / "out.docx")
    assert result.exit_code == 2 and "unknown file type .docx" in result.output
    assert not (tmp_path / "out.docx").exists()


# -- check ---------------------------------------------------------------------------------


def test_check_good_catalog(catalog):
    result = run("check", catalog)
    assert result.exit_code == 0 and result.output == f"{catalog}: no problems\n"


def test_check_reports_every_problem_as_file_line_message(tmp_path):
    path = tmp_path / "bad.po"
    path.write_text(CATALOG.replace("plural=0;", "plural=(n/0);").replace(
        'msgctxt "finance"\nmsgid "pledge financing"\nmsgstr "质押融资"',
        'msgctxt "patent"\nmsgid "invention patent"\nmsgstr "发明专利"'), encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f'{path}:11: the plural expression "(n/0)" divides by zero (n = 0)',
        (f'{path}:24: duplicate entry (msgctxt "patent", msgid "invention patent"): first '
         "defined at line 15, again at line 24"),
        f"{path}: 2 errors, 0 warnings",
    ]


def test_check_warnings_fail_only_with_strict(tmp_path):
    path = tmp_path / "warn.po"
    path.write_text(CATALOG.replace('msgctxt "finance"', 'msgctxt "astrology"'), "utf-8")
    result = run("check", path)
    assert result.exit_code == 0
    assert f'{path}:24: warning: unknown field "astrology"' in result.output
    assert run("check", "--strict", path).exit_code == 1


def test_check_missing_file_is_bad_input(tmp_path):
    result = run("check", tmp_path / "none.po")
    assert result.exit_code == 2 and "none.po: no such file" in result.output


def test_check_defaults_to_the_bundled_catalog(catalog, monkeypatch):
    monkeypatch.setattr(shared, "default_catalog", lambda: catalog)
    result = run("check")
    assert result.exit_code == 0 and str(catalog) in result.output


def test_the_group_can_be_added_to_the_main_cli():
    import click

    from ipviewer.cli import cli

    group = click.Group(commands=dict(cli.commands))
    group.add_command(terms)
    result = CliRunner().invoke(group, ["terms", "--help"])
    assert result.exit_code == 0
    for command in ("list", "find", "import", "export", "check"):
        assert command in result.output
