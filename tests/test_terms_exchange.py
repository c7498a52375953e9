"""CSV and TBX import/export of the glossary, unsafe XML refused, merging with conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipviewer.terms import (
    ExchangeError,
    Glossary,
    Term,
    merge,
    read_csv,
    read_tbx,
    read_terms,
    write_csv,
    write_tbx,
    write_terms,
)
from ipviewer.terms import problems as problems_module

TERMS = [
    Term("invention patent", "发明专利", "patent", note="Count it.\nTwo lines, a comma",
         forbidden=["发明专利权", "创造专利"], sources=["CNIPA"], approved=True),
    Term("PCT international application", "PCT国际专利申请", "patent", sources=["WIPO", "CNIPA"]),
    Term("pledge financing", "质押融资", "finance", approved=True),
    Term("well-known trademark", "", "trademark"),
    Term('the "quoted" term', "“引号”术语", "", note="=SUM(A1)", approved=True),
]


def write(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


# -- CSV -----------------------------------------------------------------------------------


def test_csv_round_trip(tmp_path):
    path = tmp_path / "terms.csv"
    write_csv(TERMS, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfenglish,chinese,field,note,approved")
    assert read_csv(path) == TERMS
    write_csv(TERMS, path, bom=False)
    assert read_csv(path) == TERMS


@pytest.mark.parametrize("bom", [False, True])
def test_csv_with_or_without_bom_and_only_the_required_columns(tmp_path, bom):
    path = write(tmp_path / "t.csv", "Chinese,English\r\n发明专利,invention patent\r\n", bom)
    assert read_csv(path) == [Term("invention patent", "发明专利")]


def test_csv_origin_names_file_and_line_even_after_a_multiline_cell(tmp_path):
    path = write(tmp_path / "t.csv", 'english,chinese,note\na,甲,"one\ntwo"\n\nb,乙,\n')
    terms = read_csv(path)
    assert [t.origin for t in terms] == [f"{path}:2", f"{path}:5"]


@pytest.mark.parametrize("body, line, message", [
    ("a,甲,patent,,yes\nb,乙,patent\n", 3, "3 cells, but the header has 5 columns"),
    ("a,甲,patent,,yes\n,乙,patent,,no\n", 3, "the english cell is empty"),
    ("a,甲,astrology,,yes\n", 2, 'unknown field "astrology"'),
    ("a,甲,patent,,maybe\n", 2, 'approved must be yes or no, not "maybe"'),
    ('a,甲,patent,"unterminated,yes\n', 2, "not valid CSV"),
])
def test_malformed_csv_rows_name_file_and_line(tmp_path, body, line, message):
    path = write(tmp_path / "bad.csv", "english,chinese,field,note,approved\n" + body)
    with pytest.raises(ExchangeError) as caught:
        read_csv(path)
    problem = caught.value.problems[0]
    assert (problem.line, problem.path) == (line, str(path))
    assert message in problem.message
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_every_bad_row_is_listed(tmp_path):
    path = write(tmp_path / "bad.csv", "english,chinese,field\na,甲,x\nb,乙,y\nc,丙,patent\n")
    with pytest.raises(ExchangeError) as caught:
        read_csv(path)
    assert [p.line for p in caught.value.problems] == [2, 3]
    assert "(and 1 more problem)" in str(caught.value)


@pytest.mark.parametrize("text, message", [
    ("english,colour\na,red\n", "the header row must name the columns"),
    ("chinese,field\n甲,patent\n", "the header row must name the columns"),
    ("english,chinese,english\na,b,c\n", "the header row must name the columns"),
    ("", r"h.csv: is empty \(0 bytes\)"),
    ("\n \n", "empty: no header row"),
])
def test_bad_csv_headers(tmp_path, text, message):
    with pytest.raises(ExchangeError, match=message):
        read_csv(write(tmp_path / "h.csv", text))


def test_csv_that_is_not_utf8(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("english,chinese\na,甲\n".encode("gbk"))
    with pytest.raises(ExchangeError, match=r"gbk.csv:2: not valid UTF-8"):
        read_csv(path)


def test_huge_csv_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(problems_module, "MAX_BYTES", 100)
    path = write(tmp_path / "big.csv", "english,chinese\n" + "a,甲\n" * 100)
    with pytest.raises(ExchangeError, match="too large"):
        read_csv(path)


# -- TBX -----------------------------------------------------------------------------------


def test_tbx_round_trip(tmp_path):
    path = tmp_path / "terms.tbx"
    write_tbx(TERMS, path)
    text = path.read_text("utf-8")
    assert "<martif" in text and '<langSet xml:lang="zh">' in text
    assert "deprecatedTerm-admn-sts" in text
    assert read_tbx(path) == TERMS


TBX_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en">
  <text><body>
    <termEntry id="c1">
      <descrip type="subjectField">patent</descrip>
      <langSet xml:lang="en-US"><tig><term>utility model</term></tig></langSet>
      <langSet xml:lang="zh-CN">
        <tig><term>实用新型</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
      </langSet>
    </termEntry>
    <termEntry id="c2">
      <langSet xml:lang="zh"><ntig><termGrp><term>商标</term></termGrp></ntig></langSet>
    </termEntry>
  </body></text>
</martif>
"""


def test_tbx_with_a_doctype_is_read_but_the_dtd_is_not_fetched(tmp_path):
    path = write(tmp_path / "v2.tbx", TBX_V2.replace("<termEntry id=\"c2\">", "<x>").replace(
        "</termEntry>\n  </body>", "</x>\n  </body>"))
    assert read_tbx(path) == [Term("utility model", "实用新型", "patent", approved=True)]


def test_tbx_entry_without_english_is_reported_with_its_line(tmp_path):
    path = write(tmp_path / "v2.tbx", TBX_V2)
    with pytest.raises(ExchangeError, match=r"v2.tbx:13: a term entry without an English term"):
        read_tbx(path)


def test_tbx_v3_is_read(tmp_path):
    path = write(tmp_path / "v3.tbx", """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <text><body>
    <conceptEntry id="1">
      <descrip type="subjectField">finance</descrip>
      <langSec xml:lang="en"><termSec><term>pledge financing</term></termSec></langSec>
      <langSec xml:lang="zh">
        <termSec><term>质押融资</term></termSec>
        <termSec><term>抵押融资</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
  </body></text>
</tbx>
""")
    assert read_tbx(path) == [Term("pledge financing", "质押融资", "finance",
                                   forbidden=["抵押融资"])]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE martif [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<martif><text><body><termEntry>
  <langSet xml:lang="en"><tig><term>&lol9;</term></tig></langSet>
</termEntry></body></text></martif>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<martif><text><body><termEntry>
  <langSet xml:lang="en"><tig><term>&secret;</term></tig></langSet>
</termEntry></body></text></martif>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_tbx_entities_are_refused(tmp_path, text):
    path = write(tmp_path / "evil.tbx", text)
    with pytest.raises(ExchangeError) as caught:
        read_tbx(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:") and "refused" in message
    assert "EntitiesForbidden" in message


def test_tbx_that_is_not_well_formed(tmp_path):
    path = write(tmp_path / "broken.tbx", "<martif>\n<text>\n<body>\n</text>\n</martif>\n")
    with pytest.raises(ExchangeError, match=r"broken.tbx:4: not well-formed XML"):
        read_tbx(path)


def test_xml_that_is_not_tbx(tmp_path):
    path = write(tmp_path / "other.tbx", "<html><body/></html>")
    with pytest.raises(ExchangeError, match=r"not a TBX file \(the root element is <html>"):
        read_tbx(path)


def test_tbx_with_unknown_subject_field(tmp_path):
    path = write(tmp_path / "f.tbx", TBX_V2.replace(">patent<", ">Patent law<"))
    with pytest.raises(ExchangeError, match=r'f.tbx:5: unknown subject field "Patent law"'):
        read_tbx(path)


# -- by file name --------------------------------------------------------------------------


def test_read_and_write_by_extension(tmp_path):
    glossary = Glossary.new()
    for term in TERMS:
        glossary.add(term)
    for name in ("g.csv", "g.tbx", "g.po"):
        write_terms(glossary, tmp_path / name)
        assert read_terms(tmp_path / name) == TERMS, name
    write_terms(glossary, tmp_path / "g.pot")
    assert [t.english for t in read_terms(tmp_path / "g.pot")] == [t.english for t in TERMS]
    assert all(not t.chinese for t in read_terms(tmp_path / "g.pot"))
    with pytest.raises(ExchangeError, match="unknown file type .xlsx"):
        read_terms(tmp_path / "g.xlsx")
    with pytest.raises(ExchangeError, match="unknown file type .txt"):
        write_terms(glossary, tmp_path / "g.txt")


# -- merging -------------------------------------------------------------------------------


@pytest.fixture
def glossary() -> Glossary:
    glossary = Glossary.new()
    glossary.add(Term("invention patent", "发明专利", "patent", approved=True))
    glossary.add(Term("pledge financing", "质押融资", "finance"))
    glossary.add(Term("well-known trademark", "", "trademark"))
    return glossary


def test_merge_reports_added_updated_unchanged_and_conflicts(glossary):
    incoming = [
        Term("Invention Patent", "发明专利", "patent", approved=True),  # same, any case
        Term("invention patent", "发明专利权", "patent", origin="in.csv:3"),  # conflict
        Term("pledge financing", "质押融资", "finance", approved=True),  # approval
        Term("well-known trademark", "驰名商标", "trademark"),  # fills a gap
        Term("utility model patent", "实用新型专利", "patent"),  # new
        Term("utility model patent", "实用新型", "patent"),  # conflicts with the line above
    ]
    report = merge(glossary, incoming)
    assert [t.english for t in report.added] == ["utility model patent"]
    assert [t.english for t in report.updated] == ["pledge financing", "well-known trademark"]
    assert [t.english for t in report.unchanged] == ["invention patent"]
    assert [(c.existing.chinese, c.incoming.chinese, c.incoming.origin)
            for c in report.conflicts] == [("发明专利", "发明专利权", "in.csv:3"),
                                            ("实用新型专利", "实用新型", "")]
    assert report.changed and not report.overwritten
    assert glossary.translate("invention patent") == "发明专利"  # nothing overwritten
    assert glossary.get("utility model patent", "patent").chinese == "实用新型专利"
    assert glossary.translate("pledge financing") == "质押融资"
    assert glossary.get("well-known trademark", "trademark").status == "fuzzy"


def test_merge_with_overwrite_takes_the_incoming_term(glossary):
    report = merge(glossary, [Term("invention patent", "发明专利权", "patent", approved=True)],
                   overwrite=True)
    assert len(report.conflicts) == 1 and report.overwritten and report.changed
    assert glossary.translate("invention patent") == "发明专利权"


def test_merge_adds_notes_forbidden_variants_and_sources(glossary):
    report = merge(glossary, [Term("invention patent", "", "patent", note="n",
                                   forbidden=["发明专利权"], sources=["CNIPA"])])
    assert len(report.updated) == 1
    term = glossary.get("invention patent", "patent")
    assert (term.note, term.forbidden, term.sources, term.chinese) == (
        "n", ["发明专利权"], ["CNIPA"], "发明专利")


def test_merge_without_changes_changes_nothing(glossary):
    before = glossary.to_bytes()
    report = merge(glossary, [Term("invention patent", "发明专利", "patent")])
    assert not report.changed and len(report.unchanged) == 1
    assert glossary.to_bytes() == before


def test_merge_rejects_invalid_terms_and_goes_on(glossary):
    report = merge(glossary, [Term("{n} patents", "专利", "indicator"),
                              Term("design patent", "外观设计专利", "patent")])
    assert [(t.english, "placeholders" in reason) for t, reason in report.rejected] == [
        ("{n} patents", True)]
    assert [t.english for t in report.added] == ["design patent"]
