"""Catalog validation (like ``msgfmt -c``) and lossless saving of terminology .po files."""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po

from ipviewer.terms import catalog as catalog_module
from ipviewer.terms import problems as problems_module
from ipviewer.terms.catalog import Catalog
from ipviewer.terms.glossary import Glossary
from ipviewer.terms.problems import CatalogError, errors_in
from ipviewer.terms.term import Term
from ipviewer.terms.validation import check_bytes, check_file

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
)  # 11 lines: the first entry after a blank line starts on line 13

#: A catalog as Poedit 3.4 writes it: header comments, X- headers, references, flags,
#: previous msgids, wrapped strings, obsolete entries with a previous msgid.
POEDIT = """\
# Terminology of the Shanghai IP white paper.
# Copyright (C) 2024 Shanghai Intellectual Property Administration
# This file is distributed under the same license as the ipviewer package.
# Li Ming <liming@example.org>, 2024.
#
msgid ""
msgstr ""
"Project-Id-Version: ipviewer terminology 2024\\n"
"Report-Msgid-Bugs-To: terms@example.org\\n"
"POT-Creation-Date: 2024-03-01 09:00+0800\\n"
"PO-Revision-Date: 2024-04-12 16:35+0800\\n"
"Last-Translator: Li Ming <liming@example.org>\\n"
"Language-Team: Chinese (Simplified) <zh@example.org>\\n"
"Language: zh_CN\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"X-Generator: Poedit 3.4\\n"
"X-Poedit-SourceCharset: UTF-8\\n"
"X-Poedit-Basepath: ../../..\\n"

# The most common patent type; counted in the indicator table.
# forbidden: 发明专利权; 创造专利
#. source: CNIPA official English name
#: db/report.md:12
msgctxt "patent"
msgid "invention patent"
msgstr "发明专利"

#. source: WIPO
#, fuzzy
#| msgid "PCT application"
msgctxt "patent"
msgid "PCT international application"
msgstr "PCT国际专利申请"

msgctxt "finance"
msgid "pledge financing"
msgstr "质押融资"

# Poedit wraps long strings at 79 columns, polib at other places.
msgctxt "enforcement"
msgid ""
"administrative adjudication of patent infringement disputes under the Patent Law "
"of the People's Republic of China"
msgstr ""
"专利侵权纠纷行政裁决（依据《中华人民共和国专利法》），由知识产权行政部门处理，不经过法院"
"审理"

#, fuzzy, python-brace-format
msgctxt "indicator"
msgid "{count} patents granted"
msgstr "授权专利{count}件"

msgctxt "trademark"
msgid "registered trademark"
msgstr ""

#~ msgctxt "patent"
#~ msgid "utility model patent"
#~ msgstr "实用新型专利"

#, fuzzy
#~| msgid "old term"
#~ msgid "obsolete term"
#~ msgstr "废弃术语"
"""


def po(*entries: str, header: str = HEADER) -> bytes:
    """A catalog: ``header`` then the entries, separated by blank lines."""
    return "\n".join([header, *entries]).encode("utf-8")


def only_error(data: bytes, name: str = "t.po"):
    errors = errors_in(check_bytes(data, name))
    assert len(errors) == 1, errors
    return errors[0]


# -- validation: one test per kind of error ------------------------------------------------


def test_a_valid_catalog_has_no_problem():
    assert check_bytes(po('msgid "patent"\nmsgstr "专利"\n'), "t.po") == []
    assert check_bytes(POEDIT.encode(), "t.po") == []


def test_header_line_without_colon_is_reported_with_its_line():
    header = HEADER.replace('"Language: zh_CN\\n"', '"Language zh_CN\\n"')
    error = only_error(po('msgid "a"\nmsgstr "b"\n', header=header))
    assert error.line == 7
    assert 'header line "Language zh_CN" is not "Name: value"' in error.message
    assert str(error).startswith("t.po:7: ")


def test_catalog_without_header_is_an_error():
    error = only_error(b'msgid "patent"\nmsgstr "\xe4\xb8\x93\xe5\x88\xa9"\n')
    assert "no header entry" in error.message
    assert error.line is None and str(error).startswith("t.po: ")


def test_wrong_charset_is_refused():
    header = HEADER.replace("charset=UTF-8", "charset=GBK")
    error = only_error(po('msgid "a"\nmsgstr "b"\n', header=header))
    assert error.line == 9
    assert "charset GBK" in error.message


def test_missing_charset_is_refused():
    header = HEADER.replace("text/plain; charset=UTF-8", "text/plain")
    assert "no charset declared" in only_error(po(header=header)).message


def test_bytes_that_are_not_utf8_are_reported_with_their_line():
    data = po('msgid "patent"\nmsgstr "专利"\n').replace("专利".encode(), "专利".encode("gbk"))
    error = only_error(data)
    assert error.line == 14 and "not valid UTF-8" in error.message


def test_bom_is_refused_at_line_1():
    error = only_error(b"\xef\xbb\xbf" + po('msgid "a"\nmsgstr "b"\n'))
    assert error.line == 1 and "byte order mark" in error.message


def test_babel_loses_the_header_after_a_bom():
    """Why the BOM is refused: Babel reads the catalog, but without its header."""
    catalog = read_po(io.BytesIO(b"\xef\xbb\xbf" + po('msgid "a"\nmsgstr "b"\n')))
    assert catalog.fuzzy and catalog.num_plurals == 2  # Chinese has one form: header lost
    assert catalog.language_team == "LANGUAGE <LL@li.org>"


def test_duplicate_entries_report_both_lines():
    data = po('msgctxt "patent"\nmsgid "patent"\nmsgstr "专利"\n',
              'msgid "x"\nmsgstr "y"\n',
              'msgctxt "patent"\nmsgid "patent"\nmsgstr "专利权"\n')
    error = only_error(data)
    assert error.line == 21
    assert "first defined at line 14, again at line 21" in error.message
    assert 'msgctxt "patent", msgid "patent"' in error.message
    # Babel silently keeps one of the two
    assert len(read_po(io.BytesIO(data))) == 2


def test_same_msgid_in_different_fields_is_fine():
    data = po('msgctxt "patent"\nmsgid "agency"\nmsgstr "代理机构"\n',
              'msgctxt "institution"\nmsgid "agency"\nmsgstr "机构"\n')
    assert check_bytes(data, "t.po") == []


def test_unterminated_string_is_reported_with_its_line():
    data = po('msgid "a"\nmsgstr "b"\n', 'msgid "patent\nmsgstr "专利"\n',
              'msgid "c"\nmsgstr "d"\n')
    error = only_error(data)
    assert error.line == 16 and "unterminated string" in error.message
    # Babel drops such an entry without a word
    assert "patent" not in [m.id for m in read_po(io.BytesIO(data))]


@pytest.mark.parametrize("entry, line, message", [
    ('msgid "a"\nmsgstr "b"\nbogus "c"\n', 15, '"bogus" is not a PO keyword'),
    ('msgstr "b"\n', 13, "msgstr without msgid"),
    ('msgid "a"\n\nmsgid "c"\nmsgstr "d"\n', 13, "msgid without msgstr"),
    ('msgid "a"\nmsgstr "b" x\n', 14, "unexpected text after the closing quote"),
    ('msgid "a\\q"\nmsgstr "b"\n', 13, "invalid escape sequence"),
    ('msgid "a"\nmsgstr[0] "b"\n', 14, "msgstr[0] without msgid_plural"),
    ('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', 15, "msgstr without msgid"),
    ('msgid "a"\nmsgid_plural "b"\nmsgstr[1] "c"\n', 15, "msgstr[1] out of order"),
    ('msgctxt "a"\nmsgctxt "b"\nmsgid "c"\nmsgstr "d"\n', 13, "msgctxt without msgid"),
    ('#~ msgid "a"\nmsgstr "b"\n', 14, "obsolete (#~) and active lines mixed"),
])
def test_syntax_errors_are_reported_with_their_line(entry, line, message):
    errors = errors_in(check_bytes(po(entry), "t.po"))
    assert errors and errors[0].line == line and message in errors[0].message, errors


@pytest.mark.parametrize("entry", [
    'msgid "patent\nmsgstr "专利"\n',  # unterminated: polib reads "paten"
    'msgid "a"\nmsgstr[0] "b"\n',  # polib drops the translation
    'msgid "a\\q"\nmsgstr "b"\n',
    'msgid "a"\nmsgid_plural "b"\nmsgstr[1] "c"\n',
    '#~ msgid "a"\nmsgstr "b"\n',
])
def test_polib_accepts_what_msgfmt_refuses(entry):
    """Why ipviewer/po_reader.py reads every .po file, not polib (which only holds and
    writes the entries): polib reads these without a word."""
    assert len(polib.pofile(po(entry).decode())) == 1
    assert errors_in(check_bytes(po(entry), "t.po"))


def test_division_by_zero_in_plural_expression_is_refused():
    header = HEADER.replace("nplurals=1; plural=0;", "nplurals=2; plural=(n/0);")
    error = only_error(po(header=header))
    assert error.line == 11 and "divides by zero" in error.message


@pytest.mark.parametrize("forms, message", [
    ("nplurals=0; plural=0;", "nplurals must be a whole number from 1 to 100"),
    ("nplurals=x; plural=0;", "nplurals must be a whole number"),
    ("nplurals=1; plural=(n;", "is not valid"),
    ("nplurals=1; plural=n;", "gives form 1 for n = 1, but nplurals is 1"),
    ("plural=0;", 'is not "nplurals=N; plural=EXPRESSION;"'),
])
def test_insane_plural_forms_are_refused(forms, message):
    header = HEADER.replace("nplurals=1; plural=0;", forms)
    error = only_error(po(header=header))
    assert error.line == 11 and message in error.message


def test_missing_plural_forms_is_refused():
    header = HEADER.replace('"Plural-Forms: nplurals=1; plural=0;\\n"\n', "")
    assert "no Plural-Forms header" in only_error(po(header=header)).message


def test_plural_entry_with_wrong_number_of_forms_is_refused():
    data = po('msgid "patent"\nmsgid_plural "patents"\nmsgstr[0] "专利"\nmsgstr[1] "专利"\n')
    error = only_error(data)
    assert error.line == 15
    assert "2 plural forms" in error.message and "nplurals=1" in error.message


def test_plural_entry_with_the_right_number_of_forms_is_fine():
    data = po('msgid "{n} patent"\nmsgid_plural "{n} patents"\nmsgstr[0] "{n}件专利"\n')
    assert check_bytes(data, "t.po") == []


def test_placeholders_that_differ_are_refused():
    data = po('#, python-brace-format\nmsgid "{count} patents granted"\n'
              'msgstr "授权专利{number}件"\n')
    error = only_error(data)
    assert error.line == 15
    assert "placeholders differ: msgid has {count}, msgstr has {number}" in error.message


def test_placeholders_are_checked_without_the_flag_too():
    error = only_error(po('msgid "up {pct}%"\nmsgstr "增长"\n'))
    assert "msgid has {pct}, msgstr has -" in error.message


def test_differing_placeholders_in_a_fuzzy_entry_are_a_warning():
    problems = check_bytes(po('#, fuzzy\nmsgid "{a} b"\nmsgstr "{c}乙"\n'), "t.po")
    assert [p.severity for p in problems] == ["warning"]


def test_python_format_placeholders_are_compared():
    data = po('#, python-format\nmsgid "%(n)d patents"\nmsgstr "专利%(count)d件"\n')
    assert "python-format placeholders differ" in only_error(data).message


def test_newline_at_end_must_agree():
    assert "end with a newline" in only_error(po('msgid "a\\n"\nmsgstr "b"\n')).message


def test_untranslated_entries_are_not_errors():
    assert check_bytes(po('msgid "{a} b"\nmsgstr ""\n'), "t.po") == []


def test_missing_standard_header_fields_are_warnings():
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' \
             '"Plural-Forms: nplurals=1; plural=0;\\n"\n'
    problems = check_bytes(po('msgid "a"\nmsgstr "b"\n', header=header), "t.po")
    assert [p.severity for p in problems] == ["warning"]
    assert "Project-Id-Version" in problems[0].message


def test_all_problems_are_reported_not_just_the_first():
    header = HEADER.replace("charset=UTF-8", "charset=latin1")
    data = po('msgid "a"\nmsgstr "b"\n', 'msgid "a"\nmsgstr "c"\n', 'msgid "x\nmsgstr "y"\n',
              header=header)
    lines = [p.line for p in errors_in(check_bytes(data, "t.po"))]
    assert lines == [9, 16, 19]


def test_template_placeholders_are_allowed_in_a_pot(tmp_path):
    pot = tmp_path / "terminology.pot"
    pot.write_text('#, fuzzy\nmsgid ""\nmsgstr ""\n'
                   '"Content-Type: text/plain; charset=CHARSET\\n"\n'
                   '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"\n\n'
                   'msgid "patent"\nmsgstr ""\n', encoding="utf-8")
    assert errors_in(check_file(pot)) == []
    assert "charset CHARSET" in str(errors_in(check_file(pot.rename(tmp_path / "x.po")))[0])


def test_too_large_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(problems_module, "MAX_BYTES", 1000)
    path = tmp_path / "big.po"
    path.write_bytes(po(*[f'msgid "t{i}"\nmsgstr "x"\n' for i in range(100)]))
    problems = check_file(path)
    assert len(problems) == 1 and "too large" in problems[0].message
    with pytest.raises(CatalogError, match="big.po: is too large"):
        Catalog.load(path)


def test_missing_file_and_folder_are_clear_errors(tmp_path):
    with pytest.raises(CatalogError, match="nothere.po: no such file"):
        Catalog.load(tmp_path / "nothere.po")
    with pytest.raises(CatalogError, match="is a folder"):
        Catalog.load(tmp_path)


def test_loading_refuses_a_catalog_with_errors_naming_file_and_line(tmp_path):
    path = tmp_path / "bad.po"
    path.write_bytes(po('msgid "a"\nmsgstr "b"\n', 'msgid "a"\nmsgstr "c"\n'))
    with pytest.raises(CatalogError) as caught:
        Glossary.load(path)
    assert str(caught.value).startswith(f"{path}:16: duplicate entry")


def test_loading_accepts_warnings_and_keeps_them(tmp_path):
    path = tmp_path / "warn.po"
    path.write_bytes(po('#, fuzzy\nmsgid "{a}"\nmsgstr "{b}"\n'))
    catalog = Catalog.load(path)
    assert [p.severity for p in catalog.warnings] == ["warning"]


# -- lossless saving -----------------------------------------------------------------------


@pytest.fixture
def poedit_file(tmp_path: Path) -> Path:
    path = tmp_path / "terminology.po"
    path.write_bytes(POEDIT.encode("utf-8"))
    return path


def test_load_and_save_unchanged_gives_identical_bytes(poedit_file):
    original = poedit_file.read_bytes()
    glossary = Glossary.load(poedit_file)
    assert not glossary.modified
    assert glossary.to_bytes() == original
    glossary.save()
    assert poedit_file.read_bytes() == original


def test_polib_alone_would_not_round_trip():
    """Why untouched entries are written from the original text, not by polib."""
    assert str(polib.pofile(POEDIT)) != POEDIT


def test_edits_change_only_the_edited_entries(poedit_file):
    glossary = Glossary.load(poedit_file)
    glossary.edit("pledge financing", "finance", chinese="知识产权质押融资")
    glossary.approve("PCT international application", "patent")
    glossary.delete("registered trademark", "trademark")
    glossary.add(Term("patent pledge", "专利质押", "finance", approved=True))
    glossary.save()
    diff = [line for line in difflib.unified_diff(
        POEDIT.splitlines(), poedit_file.read_text("utf-8").splitlines(), n=0, lineterm="")
        if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert diff[:2] == ['-"PO-Revision-Date: 2024-04-12 16:35+0800\\n"',
                        diff[1]] and diff[1].startswith('+"PO-Revision-Date: ')
    assert diff[2:] == [
        "-#, fuzzy", '-#| msgid "PCT application"',
        '-msgstr "质押融资"', '+msgstr "知识产权质押融资"',
        '-msgctxt "trademark"', '-msgid "registered trademark"', '-msgstr ""',
        '+msgctxt "finance"', '+msgid "patent pledge"', '+msgstr "专利质押"',
    ]
    text = poedit_file.read_text("utf-8")
    assert '"X-Generator: Poedit 3.4\\n"\n"X-Poedit-SourceCharset: UTF-8\\n"' in text
    assert text.endswith('#, fuzzy\n#~| msgid "old term"\n#~ msgid "obsolete term"\n'
                         '#~ msgstr "废弃术语"\n')


def test_to_bytes_does_not_change_the_catalog(poedit_file):
    glossary = Glossary.load(poedit_file)
    glossary.edit("pledge financing", "finance", chinese="改")
    first = glossary.to_bytes()
    assert b"PO-Revision-Date: 2024-04-12" not in first
    assert glossary.catalog.fields["PO-Revision-Date"] == "2024-04-12 16:35+0800"
    assert glossary.modified

    def undated(data: bytes) -> bytes:
        return re.sub(rb"PO-Revision-Date: [^\\]*", b"", data)

    assert undated(glossary.to_bytes()) == undated(first)  # the same, whatever the minute
    assert Glossary.from_bytes(first).to_bytes() == first
    glossary.save()
    assert glossary.catalog.fields["PO-Revision-Date"] != "2024-04-12 16:35+0800"
    assert not glossary.modified


def test_second_save_is_byte_identical_to_the_first(poedit_file, tmp_path):
    glossary = Glossary.load(poedit_file)
    glossary.edit("invention patent", "patent", note="A new note that is long enough to be "
                  "wrapped by polib when it writes the comment of the entry again.")
    glossary.save()
    first = poedit_file.read_bytes()
    assert not glossary.modified
    glossary.save()
    assert poedit_file.read_bytes() == first
    again = Glossary.load(poedit_file)
    assert again.to_bytes() == first
    assert again.get("invention patent", "patent").note.startswith("A new note")


def test_comment_kinds_keep_gnu_order_in_an_edited_entry(poedit_file):
    glossary = Glossary.load(poedit_file)
    glossary.edit("invention patent", "patent", chinese="发明专利（授权）")
    text = glossary.to_bytes().decode()
    start = text.index("# The most common")
    block = text[start:text.index('msgstr "发明专利（授权）"', start)]
    assert block.splitlines() == [
        "# The most common patent type; counted in the indicator table.",
        "# forbidden: 发明专利权; 创造专利",
        "#. source: CNIPA official English name",
        "#: db/report.md:12",
        'msgctxt "patent"',
        'msgid "invention patent"',
    ]


def test_saved_file_reads_the_same_in_babel_and_polib(poedit_file):
    glossary = Glossary.load(poedit_file)
    glossary.edit("pledge financing", "finance", approved=False)
    glossary.add(Term("copyright registration", "著作权登记", "copyright", note="n",
                      forbidden=["版权登记"], sources=["NCAC"], approved=True))
    glossary.save()
    data = poedit_file.read_bytes()
    babel = read_po(io.BytesIO(data))
    from_babel = {(m.context, m.id): (m.string, m.fuzzy) for m in babel if m.id}
    from_polib = {(e.msgctxt, e.msgid): (e.msgstr, e.fuzzy)
                  for e in polib.pofile(data.decode()) if not e.obsolete}
    assert from_babel == from_polib
    assert from_babel[("copyright", "copyright registration")] == ("著作权登记", False)
    assert from_babel[("finance", "pledge financing")] == ("质押融资", True)
    assert babel.num_plurals == 1 and not babel.fuzzy
    assert {(m.context, m.id) for m in babel.obsolete.values()} >= {(None, "obsolete term")}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt not installed")
def test_msgfmt_accepts_the_saved_file(poedit_file, tmp_path):
    glossary = Glossary.load(poedit_file)
    glossary.edit("registered trademark", "trademark", chinese="注册商标", approved=True)
    glossary.add(Term("{n} trademarks", "{n}件商标", "indicator", approved=True))
    glossary.save()
    result = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(poedit_file)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt not installed")
def test_msgfmt_agrees_with_our_checks(tmp_path):
    for name, data in {
        "dup.po": po('msgid "a"\nmsgstr "b"\n', 'msgid "a"\nmsgstr "c"\n'),
        "div.po": po(header=HEADER.replace("plural=0;", "plural=(n/0);")),
        "bom.po": b"\xef\xbb\xbf" + po(),
        "open.po": po('msgid "a\nmsgstr "b"\n'),
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)],
                                capture_output=True, check=False)
        assert result.returncode != 0, name
        assert errors_in(check_file(path)), name


def test_crlf_files_stay_crlf(tmp_path):
    path = tmp_path / "crlf.po"
    path.write_bytes(POEDIT.replace("\n", "\r\n").encode())
    glossary = Glossary.load(path)
    assert glossary.to_bytes() == path.read_bytes()
    glossary.edit("pledge financing", "finance", chinese="质押贷款")
    data = glossary.to_bytes()
    assert b'msgstr "\xe8\xb4\xa8\xe6\x8a\xbc\xe8\xb4\xb7\xe6\xac\xbe"\r\n' in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_failed_write_leaves_the_old_file_intact(poedit_file, monkeypatch):
    original = poedit_file.read_bytes()
    glossary = Glossary.load(poedit_file)
    glossary.edit("pledge financing", "finance", chinese="改")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(catalog_module.os, "replace", fail)
    with pytest.raises(CatalogError, match="cannot be written"):
        glossary.save()
    assert poedit_file.read_bytes() == original
    assert sorted(p.name for p in poedit_file.parent.iterdir()) == ["terminology.po"]
    assert glossary.modified  # the edit is still there, to be saved again


def test_saving_an_invalid_result_is_refused(poedit_file):
    original = poedit_file.read_bytes()
    glossary = Glossary.load(poedit_file)
    pledge = glossary.catalog.entries[2]  # changed behind the glossary's back:
    pledge.msgctxt, pledge.msgid = "patent", "invention patent"  # a duplicate
    with pytest.raises(CatalogError, match="duplicate entry"):
        glossary.save()
    assert poedit_file.read_bytes() == original


def test_saving_keeps_the_file_permissions(poedit_file):
    poedit_file.chmod(0o640)
    glossary = Glossary.load(poedit_file)
    glossary.edit("pledge financing", "finance", chinese="改")
    glossary.save()
    assert poedit_file.stat().st_mode & 0o777 == 0o640


def test_new_catalog_is_valid_and_complete(tmp_path):
    catalog = Catalog.new("zh_CN")
    data = catalog.to_bytes()
    assert check_bytes(data, "new.po") == []
    assert b"Plural-Forms: nplurals=1; plural=0;" in data
    glossary = Glossary.new()
    glossary.add(Term("patent", "专利", "patent", approved=True))
    glossary.save(tmp_path / "new.po")
    assert Glossary.load(tmp_path / "new.po").translate("patent") == "专利"
