"""The checks added to the first ones: direction words, terminology, figures that could be
bound, indicators no text uses, parts beyond their total. Each has a correct bilingual pair
that passes and a broken one that is found; the bundled sample passes them all but one
terminology warning that is a real deviation from the glossary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ipviewer.checks import TermChecker, run_checks
from ipviewer.cli import cli
from ipviewer.cli.shared import default_catalog
from ipviewer.model import Node, ParsedReport
from ipviewer.store import ReportStore
from ipviewer.terms import Glossary, Term

NEW_CODES = {"direction", "terminology", "forbidden-term", "unbound-figure", "unused-indicator",
             "parts-exceed-total"}


# --------------------------------------------------------------------------- helpers


def make_report(tmp_path: Path, pairs: list[tuple[str, str]], indicators=(),
                year: int = 2024) -> ReportStore:
    """A report of one part holding a paragraph per (English, Chinese) pair.

    ``indicators``: (key, year, value) or (key, year, value, {column: value}).
    """
    paragraphs = [Node("paragraph", text_en=en, text_zh=zh) for en, zh in pairs]
    part = Node("part", title_en="Protection", title_zh="保护", number="I", children=paragraphs)
    store = ReportStore.create(tmp_path / "r.sqlite", ParsedReport("en", title="T", nodes=[part]),
                               year)
    rows = []
    for key, row_year, value, *extra in indicators:
        row = {"key": key, "year": row_year, "value": value, "unit": "", "qualifier": "",
               "yoy_pct": None, "label_en": key.replace("_", " "), "label_zh": ""}
        row.update(extra[0] if extra else {})
        rows.append(row)
    if rows:
        store.upsert_indicators(rows)
    return store


def check(tmp_path, pairs, indicators=(), glossary=None, codes=NEW_CODES):
    with make_report(tmp_path, pairs, indicators) as store:
        return [f for f in run_checks(store, glossary) if f.code in codes]


def paragraph_ids(store: ReportStore) -> list[int]:
    return [child.id for child in store.load_tree()[0].children]


@pytest.fixture
def glossary() -> Glossary:
    """A small glossary: checked terms, and terms the checks leave out on purpose."""
    glossary = Glossary.new()
    for term in [
        Term("pledge financing", "质押融资", "finance", forbidden=["抵押融资"], approved=True),
        Term("invention patent", "发明专利", "patent", approved=True),
        Term("design patent", "外观设计专利", "patent", forbidden=["外观专利"], approved=True),
        Term("well-known trademark", "驰名商标", "trademark", forbidden=["著名商标"],
             approved=True),
        Term("valid registered trademark", "有效注册商标", "trademark",
             forbidden=["effective registered trademark"], approved=True),
        Term("registered trademark", "注册商标", "trademark", approved=True),
        Term("trademark agency", "商标代理机构", "services", approved=True),
        Term("copyright case", "版权案件", "copyright", approved=True),
        Term("administrative adjudication", "行政裁决", "enforcement"),  # fuzzy: not applied
        Term("year-on-year growth", "同比增长", "general", approved=True),  # everyday words
        Term("typical case", "典型案例", "general", approved=True),
        Term("patents granted", "专利授权量", "indicator", approved=True),  # a table's name
        Term("copyright", "版权", "copyright", approved=True),  # one word: 版权 or 著作权
        Term("CPC Shanghai Municipal Committee", "中共上海市委", "institution", approved=True),
    ]:
        glossary.add(term)
    return glossary


@pytest.fixture
def sample(sample_copy) -> Path:
    """The bilingual sample, a fresh copy (conftest builds it once per session)."""
    return sample_copy


@pytest.fixture(scope="module")
def shipped_glossary() -> Glossary:
    path = default_catalog()
    if path is None:
        pytest.skip("the bundled terminology catalog is not installed as a file")
    return Glossary.load(path)


def edit_sample(path: Path, lang: str, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in the one ``lang`` text that has it; its node id."""
    with ReportStore.open(path) as store:
        nodes = [n for root in store.load_tree() for n in root.walk() if old in n.text(lang)]
        assert len(nodes) == 1, f"{old!r} is in {len(nodes)} {lang} texts"
        node = nodes[0]
        setattr(node, f"text_{lang}", node.text(lang).replace(old, new))
        store.set_node_texts(lang, [node])
        return node.id


# --------------------------------------------------------------------------- direction


def test_direction_words_agree(tmp_path):
    assert not check(tmp_path, [("The city handled 47,388 cases, down 28.28% year-on-year.",
                                 "全市受理案件47388件，同比下降28.28%。")])


def test_direction_up_in_english_down_in_chinese(tmp_path):
    found = check(tmp_path, [("The city handled 47,388 cases, up 28.28% year-on-year.",
                              "全市受理案件47388件，同比下降28.28%。")])
    assert [(f.code, f.severity) for f in found] == [("direction", "error")]
    assert "47,388" in found[0].message and "up 28.28%" in found[0].message
    assert "down 28.28%" in found[0].message and found[0].node_id is not None


def test_direction_of_a_bound_figure_names_its_indicator(tmp_path):
    """The rate is bound, the direction words are the prose's own: they can disagree."""
    found = check(tmp_path, [(("Courts handled {{ip_cases}} cases, an increase of "
                              "{{ip_cases:rate}} year-on-year."),
                              "法院受理案件{{ip_cases}}件，同比减少{{ip_cases:rate}}。")],
                  [("ip_cases", 2024, "47388", {"yoy_pct": "28.28"})])
    assert [(f.code, f.key) for f in found] == [("direction", "ip_cases")]


def test_a_rate_without_direction_words_is_no_statement(tmp_path):
    assert not check(tmp_path, [(("The city granted 50,700 invention patents, 14.28% "
                                 "year-on-year."), "发明专利授权50700件，同比下降14.28%。")])


def test_direction_in_the_sample(sample):
    node_id = edit_sample(sample, "zh", "{{invention_patents_granted:yoy}}",
                          "同比下降{{invention_patents_granted:rate}}")
    with ReportStore.open(sample, readonly=True) as store:
        found = [f for f in run_checks(store) if f.code == "direction"]
    assert [(f.key, f.node_id) for f in found] == [("invention_patents_granted", node_id)]


# --------------------------------------------------------------------------- terminology


def test_terms_translated_with_their_approved_terms(tmp_path, glossary):
    assert not check(tmp_path, [
        ("Pledge financing reached {{amount}}, and 5,000 invention patents were granted.",
         "质押融资金额{{amount}}，授权发明专利5000件。")],
        [("amount", 2024, "32000000000", {"unit": "RMB"})], glossary)


def test_english_term_without_its_chinese(tmp_path, glossary):
    found = check(tmp_path, [("The city granted 5,000 invention patents.",
                              "全市授权实用新型专利5000件。")], glossary=glossary)
    assert [(f.code, f.severity) for f in found] == [("terminology", "warning")]
    assert '"invention patents"' in found[0].message and '"发明专利"' in found[0].message
    assert found[0].where.endswith("(zh)") and found[0].node_id is not None


def test_chinese_term_without_its_english(tmp_path, glossary):
    found = check(tmp_path, [("The city granted 5,000 utility model patents.",
                              "全市授权外观设计专利5000件。")], glossary=glossary)
    assert [f.code for f in found] == ["terminology"]
    assert '"外观设计专利"' in found[0].message and '"design patent"' in found[0].message
    assert found[0].where.endswith("(en)")


def test_english_inflection_and_word_order_are_tolerated(tmp_path, glossary):
    """发明专利 is found in "invention patents" and in "Invention-patent"."""
    assert not check(tmp_path, [("Invention-patent grants rose.", "发明专利授权增加。")],
                     glossary=glossary)


def test_forbidden_variant_is_an_error_naming_the_approved_term(tmp_path, glossary):
    found = check(tmp_path, [("Pledge financing reached 32 billion RMB.",
                              "抵押融资金额320亿元。")], glossary=glossary)
    assert [(f.code, f.severity) for f in found] == [("forbidden-term", "error")]
    assert '"抵押融资"' in found[0].message and '"质押融资"' in found[0].message


def test_forbidden_variant_without_the_other_language(tmp_path, glossary):
    found = check(tmp_path, [("", "认定著名商标10件。")], glossary=glossary)
    assert [f.code for f in found] == ["forbidden-term"]
    assert "驰名商标" in found[0].message


def test_forbidden_english_variant(tmp_path, glossary):
    found = check(tmp_path, [("There were 2,789,300 effective registered trademarks.",
                              "有效注册商标278.93万件。")], glossary=glossary)
    assert [f.code for f in found] == ["forbidden-term"]
    assert "valid registered trademark" in found[0].message


def test_terms_left_out_on_purpose(tmp_path, glossary):
    """Fuzzy terms, everyday words, indicator names, one-word terms, Chinese institutions
    inside longer names, and phrases the Chinese words another way are not reported."""
    assert not check(tmp_path, [
        ("The administrative adjudication took 30 days.", "行政处理用时30天。"),
        ("Patents granted numbered 150,800, year-on-year growth of 3%.",
         "全市专利授权15.08万件，同比上升3%。"),
        ("Copyright protection improved.", "著作权保护加强。"),
        ("The Municipal Financial Work Office issued the opinions.",
         "中共上海市委金融委员会办公室印发意见。"),
        ("There were 1,131 registered trademark agencies.", "备案商标代理机构1131家。"),
        ("The bureau published the top ten typical copyright cases.",
         "市版权局发布十大版权典型案例。"),
    ], glossary=glossary)


def test_terms_are_matched_in_the_rendered_text(tmp_path, glossary):
    """A term split by a placeholder's figure is still found: ``{{n}} invention patents``."""
    found = check(tmp_path, [("The city granted {{n}} invention patents.",
                              "全市授权专利{{n}}件。")], [("n", 2024, "50700")], glossary)
    assert [f.code for f in found] == ["terminology"]


def test_no_terminology_without_a_glossary(tmp_path):
    assert not check(tmp_path, [("Pledge financing reached 32 billion RMB.",
                                 "抵押融资金额320亿元。")])


def test_glossary_edits_are_seen(tmp_path, glossary):
    pairs = [("The city granted 5,000 invention patents.", "全市授权发明型专利5000件。")]
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    assert [f.code for f in check(tmp_path / "a", pairs, glossary=glossary)] == ["terminology"]
    glossary.edit("invention patent", "patent", chinese="发明型专利")
    assert not check(tmp_path / "b", pairs, glossary=glossary)
    assert TermChecker.for_glossary(glossary) is TermChecker.for_glossary(glossary)


def test_sample_with_the_shipped_glossary(sample, shipped_glossary):
    """The sample is clean against the glossary (it once said "special campaign" for 专项整治,
    where the glossary and the published English edition say "special rectification")."""
    with ReportStore.open(sample, readonly=True) as store:
        findings = run_checks(store, shipped_glossary)
    assert [(f.code, f.message) for f in findings if f.code in NEW_CODES] == []
    assert [f.code for f in findings if f.code not in NEW_CODES] == ["yoy-swapped"]


def test_broken_terms_in_the_sample_are_found(sample, shipped_glossary):
    forbidden = edit_sample(sample, "zh", "全年专利商标质押融资登记", "全年专利商标抵押融资登记")
    missing = edit_sample(sample, "zh", "其中发明专利授权", "其中实用新型专利授权")
    with ReportStore.open(sample, readonly=True) as store:
        found = [(f.code, f.node_id) for f in run_checks(store, shipped_glossary)
                 if f.code in ("terminology", "forbidden-term")]
    assert ("forbidden-term", forbidden) in found
    assert ("terminology", missing) in found


# --------------------------------------------------------------------------- bindings


def test_typed_in_figure_that_could_be_bound(tmp_path):
    found = check(tmp_path, [("Courts accepted 1,000 cases.", "法院受理案件{{court_cases}}件。")],
                  [("court_cases", 2024, "1000")])
    assert [(f.code, f.key, f.severity) for f in found] == [
        ("unbound-figure", "court_cases", "warning")]
    assert '"1,000"' in found[0].message and "court_cases" in found[0].message
    assert found[0].where.endswith("(en)") and found[0].node_id is not None


def test_typed_in_figures_that_are_not_reported(tmp_path):
    """Bound, another year's, two indicators with the value, a number in words."""
    assert not check(tmp_path, [
        ("Courts accepted {{court_cases}} cases.", "法院受理案件{{court_cases}}件。"),
        ("In 2023 there were 900 cases.", "2023年受理案件900件。"),
        ("The city had 77 centres and 77 stations.", "全市有中心77个、工作站77个。"),
        ("The government held four executive meetings.", "市政府召开四次常务会议。"),
    ], [("court_cases", 2024, "1000"), ("court_cases", 2023, "900"), ("centres", 2024, "77"),
        ("stations", 2024, "77"), ("meetings", 2024, "4")],
        codes={"unbound-figure"})


def test_indicator_bound_nowhere(tmp_path):
    found = check(tmp_path, [("Courts accepted {{court_cases}} cases.",
                              "法院受理案件{{court_cases}}件。")],
                  [("court_cases", 2024, "1000"), ("mediations", 2024, "13000"),
                   ("old_only", 2023, "5")])
    assert [(f.code, f.key, f.severity) for f in found] == [
        ("unused-indicator", "mediations", "warning")]
    assert "mediations" in found[0].message


def test_any_form_and_year_counts_as_used(tmp_path):
    assert not check(tmp_path, [
        ("Rates: {{a:yoy}}, {{b:rate}}; before: {{c@2023}}.",
         "增速：{{a:yoy}}，{{b:rate}}；上年：{{c@2023}}。")],
        [("a", 2024, "1", {"yoy_pct": "5"}), ("b", 2024, "2", {"yoy_pct": "6"}),
         ("c", 2024, "3"), ("c", 2023, "2")], codes={"unused-indicator"})


def test_an_unbound_figure_is_not_reported_twice(tmp_path):
    found = check(tmp_path, [("Courts accepted 1,000 cases.", "法院受理案件1000件。")],
                  [("court_cases", 2024, "1000")])
    assert {f.code for f in found} == {"unbound-figure"}


def test_bindings_in_the_sample(sample):
    node_id = edit_sample(sample, "en", "Shanghai granted {{patents_granted}} patents",
                          "Shanghai granted 150,800 patents")
    with ReportStore.open(sample) as store:
        store.upsert_indicators([{"key": "spare_indicator", "year": 2024, "value": "31",
                                  "label_en": "spare indicator"}])
        found = [(f.code, f.key, f.node_id) for f in run_checks(store) if f.code in NEW_CODES]
    assert found == [("unbound-figure", "patents_granted", node_id),
                     ("unused-indicator", "spare_indicator", None)]


# --------------------------------------------------------------------------- totals


def test_parts_within_their_total(tmp_path):
    assert not check(tmp_path, [
        ("Shanghai granted 150,800 patents, 50,700 of them invention patents.",
         "全市专利授权15.08万件，其中发明专利授权5.07万件。"),
        ("The organizations handled nearly 23,000 cases and settled 13,000 of them.",
         "调解组织受理纠纷近2.3万件，调解成功1.3万件。"),
        (("Across the city, 1,402 cases were filed, with fines of 17.9858 million RMB, "
         "including 24 cases of patent counterfeiting."),
         "全市立案查处案件1402件，其中假冒专利案件24件，罚没款1798.58万元。"),
        ("Courts accepted 1,000 cases, including 600 civil and 400 criminal cases.",
         "法院受理案件1000件，其中民事案件600件、刑事案件400件。"),
    ])


def test_a_part_beyond_its_total(tmp_path):
    found = check(tmp_path, [(("Shanghai granted 150,800 patents, 250,700 of them invention "
                              "patents."), "全市专利授权15.08万件，其中发明专利授权25.07万件。")])
    assert [(f.code, f.severity, f.where[-4:]) for f in found] == [
        ("parts-exceed-total", "error", "(en)"), ("parts-exceed-total", "error", "(zh)")]
    assert "250,700" in found[0].message and "150,800" in found[0].message
    assert "25.07万" in found[1].message and "15.08万" in found[1].message


def test_parts_that_add_up_beyond_their_total(tmp_path):
    found = check(tmp_path, [
        ("Courts accepted 1,000 cases, including 600 civil and 500 criminal cases.",
         "法院受理案件1000件。其中，民事案件600件，刑事案件500件。")])
    assert [f.code for f in found] == ["parts-exceed-total"] * 2
    assert "600 + 500" in found[0].message and "1,100" in found[0].message
    assert "1,000" in found[0].message


def test_what_is_not_a_part(tmp_path):
    """A lower-bound total, a rounded part within the rounding, clauses that are no longer
    the list of parts, another counter (家 is not 件), a share in %."""
    assert not check(tmp_path, [
        ("The city received over 1,000 applications, of which 1,200 were approved.",
         "全市受理申请超过1000件，其中批准1200件。"),
        ("There were 2.3 million filings, of which 2.33 million were online.",
         "全市申请约230万件，其中网上申请233万件。"),
        (("The review covered 4,000 patents; 3,000 of them were listed, and 2,000 patents "
         "were commercialized in the year."),
         "共盘点存量专利4000件，其中3000件纳入资源库并上架，实现转化专利2000件。"),
        ("The city accepted 2,964 cases, including 12 from abroad, and concluded 2,970.",
         "全市受理案件2964件，其中涉外案件12件，办结2970件。"),
        ("The city has 362 agencies, among them 5 with 400 staff.",
         "全市有代理机构362家，其中5家共有代理师400人。"),
        ("The city granted 5,000 patents, of which 35% were invention patents.",
         "全市授权专利5000件，其中发明专利占35%。"),
    ])


def test_totals_in_the_sample(sample):
    with ReportStore.open(sample) as store:
        store.upsert_indicators([{"key": "patent_counterfeiting_cases", "year": 2024,
                                  "value": "2000"}])
        found = [(f.code, f.key, f.where[-4:]) for f in run_checks(store)
                 if f.code == "parts-exceed-total"]
    assert found == [("parts-exceed-total", "trademark_patent_violation_cases", "(en)"),
                     ("parts-exceed-total", "trademark_patent_violation_cases", "(zh)")]


# --------------------------------------------------------------------------- CLI


def test_check_command_with_terms(sample, tmp_path):
    runner = CliRunner()
    edit_sample(sample, "zh", "全年专利商标质押融资登记", "全年专利商标抵押融资登记")
    result = runner.invoke(cli, ["check", str(sample), "--format", "json"])
    assert result.exit_code == 1
    codes = [f["code"] for f in json.loads(result.output)]
    assert codes[0] == "yoy-swapped" and "forbidden-term" in codes  # terms on by default
    plain = runner.invoke(cli, ["check", str(sample), "--no-terms", "--format", "json"])
    assert [f["code"] for f in json.loads(plain.output)] == ["yoy-swapped"]
    bad = tmp_path / "bad.po"
    bad.write_text('msgid "x"\n', encoding="utf-8")
    refused = runner.invoke(cli, ["check", str(sample), "--catalog", str(bad)])
    assert refused.exit_code == 2 and "bad.po" in refused.output


# --------------------------------------------------------------------------- every reference, --strict


def test_every_unresolved_reference_of_a_text_is_reported(sample):
    """Not only the first: an editor fixing one missing figure should see all of them."""
    node_id = edit_sample(sample, "en", "In 2024", "With {{no_such_a}} and {{no_such_b@2019}}, in 2024")
    with ReportStore.open(sample, readonly=True) as store:
        findings = [f for f in run_checks(store) if f.code == "reference"]
    assert [(f.severity, f.key, f.node_id) for f in findings] == [
        ("error", "no_such_a", node_id), ("error", "no_such_b", node_id)]
    assert "2024" in findings[0].message and "2019" in findings[1].message


def test_a_malformed_text_gives_its_one_error(sample):
    edit_sample(sample, "en", "In 2024", "With {{no such}} and {{also_missing}}, in 2024")
    with ReportStore.open(sample, readonly=True) as store:
        assert len([f for f in run_checks(store) if f.code == "reference"]) == 1


def test_strict_makes_warnings_count(tmp_path):
    source = tmp_path / "r.txt"
    source.write_text("Intellectual Property in Shanghai in 2024\n\n"
                      "The city granted 150,800 patents.\n", encoding="utf-8")
    report = tmp_path / "r.sqlite"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(source), "-o", str(report)]).exit_code == 0
    plain = runner.invoke(cli, ["check", str(report), "--no-terms"])
    strict = runner.invoke(cli, ["check", str(report), "--no-terms", "--strict"])
    assert "0 errors" in plain.output and "0 warnings" not in plain.output
    assert (plain.exit_code, strict.exit_code) == (0, 1)
    assert plain.output == strict.output
    missing = runner.invoke(cli, ["check", str(tmp_path / "none.sqlite"), "--strict"])
    assert missing.exit_code == 2
