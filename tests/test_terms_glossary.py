"""The glossary: lookups in both directions, finding terms in a text, edits, templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipviewer.i18n import catalog_path
from ipviewer.terms import FIELDS, Glossary, GlossaryError, Term, check_glossary
from ipviewer.terms.problems import errors_in
from ipviewer.terms.validation import check_file

HEADER = (
    '# Test glossary.\n'
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

ENTRIES = [
    # (field, english, chinese, fuzzy, comments)
    ("patent", "patent", "专利", False, ""),
    ("patent", "invention patent", "发明专利", False,
     ("# Count in the indicator table.\n# forbidden: 发明专利权; 创造专利\n"
      "#. source: CNIPA official English name\n")),
    ("patent", "high-value invention patent", "高价值发明专利", False, ""),
    ("patent", "PCT international application", "PCT国际专利申请", True, "#. source: WIPO\n"),
    ("finance", "pledge financing", "质押融资", False, ""),
    ("finance", "patent pledge financing", "专利质押融资", False, ""),
    ("trademark", "registered trademark", "注册商标", False, "# forbidden: 有效商标\n"),
    ("trademark", "trademark", "商标", False, ""),
    ("institution", "agency", "机构", False, ""),
    ("patent", "agency", "代理机构", False, ""),
    ("patent", "patent agency", "专利代理机构", False, ""),
    ("enforcement", "administrative adjudication", "行政裁决", False, ""),
    ("general", "year-on-year", "同比", False, ""),
    ("trademark", "well-known trademark", "", False, ""),
    ("judicial", "IP (intellectual property)", "知识产权", False, ""),
]


def glossary_text() -> str:
    parts = [HEADER]
    for field, english, chinese, fuzzy, comments in ENTRIES:
        flags = "#, fuzzy\n" if fuzzy else ""
        parts.append(f'{comments}{flags}msgctxt "{field}"\nmsgid "{english}"\n'
                     f'msgstr "{chinese}"\n')
    return "\n".join(parts)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    file = tmp_path / "terminology.po"
    file.write_text(glossary_text(), encoding="utf-8")
    return file


@pytest.fixture
def glossary(path: Path) -> Glossary:
    return Glossary.load(path)


def found(matches) -> list[tuple[str, list[str]]]:
    return [(m.text, sorted(f"{t.field}:{t.english}" for t in m.terms)) for m in matches]


# -- reading -------------------------------------------------------------------------------


def test_terms_are_read_with_notes_forbidden_sources_and_status(glossary, path):
    term = glossary.get("invention patent", "patent")
    assert term == Term("invention patent", "发明专利", "patent",
                        note="Count in the indicator table.", forbidden=["发明专利权", "创造专利"],
                        sources=["CNIPA official English name"], approved=True)
    assert term.origin.startswith(f"{path}:")
    pct = glossary.get("PCT international application", "patent")
    assert not pct.approved and pct.status == "fuzzy"
    assert glossary.get("well-known trademark", "trademark").status == "untranslated"
    assert len(glossary) == len(ENTRIES)


def test_lookup_english_is_case_insensitive_and_spans_fields(glossary):
    terms = glossary.lookup("AGENCY", "en")
    assert [(t.field, t.chinese) for t in terms] == [("institution", "机构"), ("patent", "代理机构")]
    assert glossary.lookup("  Invention   Patent ", "en")[0].chinese == "发明专利"
    assert glossary.lookup("invention patents", "en") == []  # exact terms only
    assert glossary.lookup("nothing", "en") == []


def test_lookup_chinese(glossary):
    assert [t.english for t in glossary.lookup("发明专利", "zh")] == ["invention patent"]
    assert [t.english for t in glossary.lookup("pct国际专利申请", "zh")] == [
        "PCT international application"]
    assert glossary.lookup("专", "zh") == []
    with pytest.raises(ValueError):
        glossary.lookup("x", "fr")


def test_translate_gives_only_approved_terms(glossary):
    assert glossary.translate("invention patent") == "发明专利"
    assert glossary.translate("PCT international application") is None  # fuzzy
    assert glossary.translate("well-known trademark") is None  # untranslated
    assert glossary.translate("unknown") is None


def test_translate_with_several_fields(glossary):
    assert glossary.translate("agency") is None  # 机构 or 代理机构: the caller must choose
    assert glossary.translate("agency", "patent") == "代理机构"
    assert glossary.translate("agency", "institution") == "机构"
    glossary.add(Term("agency", "机构", "general", approved=True))
    assert glossary.translate("agency") == "机构"  # the general one wins


# -- finding terms in a text ---------------------------------------------------------------


def test_find_prefers_the_longest_match(glossary):
    text = "High-value invention patents and patent pledge financing grew."
    assert found(glossary.find_terms(text, "en")) == [
        ("High-value invention patents", ["patent:high-value invention patent"]),
        ("patent pledge financing", ["finance:patent pledge financing"]),
    ]


def test_find_positions_are_offsets_in_the_text(glossary):
    text = "The invention patent count."
    (match,) = glossary.find_terms(text, "en")
    assert (match.start, match.end) == (4, 20) and text[match.start:match.end] == match.text


def test_find_respects_word_boundaries(glossary):
    """Decision: "patent" is not found inside "patented" or "patentee"; plurals are found."""
    assert found(glossary.find_terms("patented products by a patentee", "en")) == []
    assert found(glossary.find_terms("Patents and trademarks", "en")) == [
        ("Patents", ["patent:patent"]), ("trademarks", ["trademark:trademark"])]
    assert found(glossary.find_terms("two patent agencies", "en")) == [
        ("patent agencies", ["patent:patent agency"])]


def test_find_treats_hyphens_and_spaces_alike_but_not_punctuation(glossary):
    assert found(glossary.find_terms("year on year, invention-patent", "en")) == [
        ("year on year", ["general:year-on-year"]),
        ("invention-patent", ["patent:invention patent"])]
    assert found(glossary.find_terms("an invention. Patent law", "en")) == [
        ("Patent", ["patent:patent"])]
    assert found(glossary.find_terms("IP (Intellectual Property) rights", "en")) == [
        ("IP (Intellectual Property", ["judicial:IP (intellectual property)"])]


def test_find_gives_every_field_of_a_term(glossary):
    assert found(glossary.find_terms("an agency", "en")) == [
        ("agency", ["institution:agency", "patent:agency"])]


def test_find_chinese_without_word_boundaries(glossary):
    text = "高价值发明专利和专利质押融资增长，PCT国际专利申请增加；发明专利权人"
    assert found(glossary.find_terms(text, "zh")) == [
        ("高价值发明专利", ["patent:high-value invention patent"]),
        ("专利质押融资", ["finance:patent pledge financing"]),
        ("PCT国际专利申请", ["patent:PCT international application"]),
        ("发明专利", ["patent:invention patent"]),
    ]
    match = glossary.find_terms(text, "zh")[1]
    assert text[match.start:match.end] == "专利质押融资"


def test_find_detects_the_language(glossary):
    assert found(glossary.find_terms("注册商标")) == [
        ("注册商标", ["trademark:registered trademark"])]
    assert found(glossary.find_terms("registered trademark")) == [
        ("registered trademark", ["trademark:registered trademark"])]


def test_find_forbidden_variants(glossary):
    matches = glossary.find_forbidden("有效商标和发明专利权")
    assert [(m.text, m.terms[0].chinese) for m in matches] == [
        ("有效商标", "注册商标"), ("发明专利权", "发明专利")]


def test_find_on_a_big_glossary():
    """Finds the right terms among 10,000 (its speed: benchmarks/bench_terms.py)."""
    glossary = Glossary.new()
    words = ["patent", "trademark", "pledge", "financing", "registration", "design",
             "copyright", "enforcement", "customs", "protection", "invention", "agency"]
    for n in range(10_000):
        english = f"{words[n % 12]} {words[n // 12 % 12]} term{n}"
        glossary.add(Term(english, f"术语{n}号", FIELDS[n % len(FIELDS)], approved=True))
    text = " ".join(f"the patent pledge term{n} financing" for n in range(0, 5000, 5))
    matches = glossary.find_terms(text, "en")
    expected = {f"patent pledge term{n}" for n in range(0, 5000, 5)
                if n % 12 == 0 and n // 12 % 12 == 2}
    assert expected and {m.terms[0].english for m in matches} == expected


# -- editing -------------------------------------------------------------------------------


def test_add_edit_approve_delete(glossary, path):
    added = glossary.add(Term("utility model patent", "实用新型专利", "patent", note="new"))
    assert added.status == "fuzzy"
    assert glossary.approve("utility model patent", "patent").approved
    glossary.edit("pledge financing", "finance", chinese="质押贷款", forbidden=["质押借款"])
    glossary.delete("trademark", "trademark")
    glossary.save()
    again = Glossary.load(path)
    assert again.get("utility model patent", "patent") == Term(
        "utility model patent", "实用新型专利", "patent", note="new", approved=True)
    assert again.get("pledge financing", "finance").forbidden == ["质押借款"]
    assert again.get("trademark", "trademark") is None
    assert again.find_terms("质押贷款", "zh")[0].terms[0].english == "pledge financing"


def test_terms_handed_out_are_copies(glossary):
    term = glossary.get("invention patent", "patent")
    term.forbidden.append("专利发明")
    assert glossary.get("invention patent", "patent").forbidden == ["发明专利权", "创造专利"]
    glossary.edit("invention patent", "patent", forbidden=term.forbidden)
    assert glossary.get("invention patent", "patent").forbidden == [
        "发明专利权", "创造专利", "专利发明"]
    assert "# forbidden: 发明专利权; 创造专利; 专利发明" in glossary.to_bytes().decode()


def test_edit_can_rename_and_move_to_another_field(glossary):
    glossary.edit("agency", "institution", english="agencies", field="general")
    assert glossary.get("agency", "institution") is None
    assert glossary.get("agencies", "general").chinese == "机构"
    assert [t.english for t in glossary.terms()][8] == "agencies"  # same place in the file


def test_edits_update_the_indexes(glossary):
    assert glossary.lookup("商标", "zh")
    glossary.edit("trademark", "trademark", chinese="商标标识")
    assert glossary.lookup("商标", "zh") == []
    assert found(glossary.find_terms("商标标识", "zh")) == [("商标标识", ["trademark:trademark"])]


def test_get_falls_back_to_any_case(glossary):
    assert glossary.get("Invention Patent", "patent").english == "invention patent"
    assert glossary.get("invention patent", "trademark") is None


@pytest.mark.parametrize("term, message", [
    (Term("patent", "专利", "patent"), "already in field"),
    (Term("PATENT", "专利", "patent"), "already in field"),
    (Term("  ", "空", "patent"), "needs its English"),
    (Term("thing", "东西", "nonsense"), "unknown field"),
    (Term("{n} patents", "专利", "indicator"), "placeholders"),
    (Term("bell", "\x07", "general"), "control characters"),
    (Term("two\nlines", "两行", "general"), "line breaks"),
    (Term("x", "甲", "general", note="bell\x07"), "control characters are not allowed in notes"),
    (Term("x", "甲", "general", forbidden=["乙;丙"]), "semicolon"),
])
def test_invalid_additions_are_refused(glossary, term, message):
    with pytest.raises(GlossaryError, match=message):
        glossary.add(term)
    assert not glossary.modified


def test_unknown_terms_cannot_be_edited(glossary):
    with pytest.raises(GlossaryError, match='no term "nothing"'):
        glossary.edit("nothing", "patent", chinese="无")
    with pytest.raises(GlossaryError, match="no Chinese term to approve"):
        glossary.approve("well-known trademark", "trademark")
    with pytest.raises(TypeError):
        glossary.edit("patent", "patent", colour="red")


def test_approving_drops_fuzzy_and_previous_msgid(tmp_path):
    path = tmp_path / "g.po"
    path.write_text(HEADER + '\n#, fuzzy\n#| msgid "PCT application"\n'
                    'msgid "PCT international application"\nmsgstr "PCT国际申请"\n', "utf-8")
    glossary = Glossary.load(path)
    glossary.approve("PCT international application")
    assert glossary.to_bytes().decode().endswith(
        '\nmsgid "PCT international application"\nmsgstr "PCT国际申请"\n')


def test_unapproving_marks_fuzzy(glossary):
    glossary.edit("patent", "patent", approved=False)
    assert '#, fuzzy\nmsgctxt "patent"\nmsgid "patent"\n' in glossary.to_bytes().decode()


def test_glossary_warnings(tmp_path):
    path = tmp_path / "w.po"
    path.write_text(HEADER + '\nmsgctxt "astrology"\nmsgid "star"\nmsgstr "星"\n\n'
                    '# forbidden: 商标\nmsgid "trademark"\nmsgstr "商标"\n\n'
                    'msgid "Trademark"\nmsgstr "商标"\n', "utf-8")
    problems = check_glossary(path)
    assert [(p.line, p.severity) for p in problems] == [
        (16, "warning"), (20, "warning"), (23, "warning")]
    assert 'unknown field "astrology"' in problems[0].message
    assert "both the translation and a forbidden variant" in problems[1].message
    assert "differs only in case" in problems[2].message


# -- the template --------------------------------------------------------------------------


def test_template_has_every_term_without_translations(glossary, tmp_path):
    pot = tmp_path / "terminology.pot"
    assert glossary.save_template(pot)
    text = pot.read_text("utf-8")
    assert errors_in(check_file(pot)) == []
    assert text.count('msgstr ""') == len(ENTRIES) + 1
    assert "#. source: CNIPA official English name" in text
    assert "forbidden" not in text and "发明专利" not in text
    assert not glossary.save_template(pot)  # up to date: not rewritten, same date
    assert pot.read_text("utf-8") == text


# -- the shipped catalog -------------------------------------------------------------------


def test_the_shipped_terminology_catalog_loads():
    path = catalog_path("zh_CN", "terminology")
    if not path.is_file():
        pytest.skip("translations/zh_CN/LC_MESSAGES/terminology.po is not there yet")
    glossary = Glossary.load(path)
    assert len(glossary) > 0
    assert errors_in(check_glossary(path)) == []
    assert glossary.to_bytes() == path.read_bytes()  # lossless on the real file too
