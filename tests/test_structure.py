"""Tests for ipviewer.importing.structure: converted report text -> ParsedReport."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from ipviewer.importing.structure import parse_report
from ipviewer.model import Node, ParsedReport

SEED = Path("/work/shared/samples/shanghai-ip-2024.en.txt")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.replace("*", "").replace("#", ""))


def _body_words(source: str, report: ParsedReport) -> list[str]:
    """Words of ``source`` without its title, publisher and date lines."""
    matter = {report.title, report.publisher, report.date}
    body = [
        line for line in source.splitlines()
        if " ".join(line.replace("*", "").replace("#", "").split()) not in matter
    ]
    return _words("\n".join(body))


def _stored(report: ParsedReport) -> str:
    """Everything the tree holds, in reading order."""
    lang = report.lang
    return " ".join(f"{n.number} {n.title(lang)} {n.text(lang)}" for n in report.walk())


def _shape(nodes: list[Node]) -> list:
    """(kind, number, children shape) of each node, for compact structure asserts."""
    return [(n.kind, n.number, _shape(n.children)) for n in nodes if n.kind != "paragraph"]


def _paragraphs(node: Node, lang: str = "en") -> list[str]:
    return [c.text(lang) for c in node.children if c.kind == "paragraph"]


# --- the real 2024 report ------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed report not available at {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> ParsedReport:
    return parse_report(seed_text)


def test_seed_front_and_back_matter(seed: ParsedReport) -> None:
    assert seed.lang == "en"
    assert seed.title == "Intellectual Property Development in Shanghai in the Year 2024"
    assert seed.publisher == "The General Office of Shanghai Intellectual Property Joint Committee"
    assert seed.date == "April, 2025"


def test_seed_structure(seed: ParsedReport) -> None:
    assert [n.kind for n in seed.nodes] == ["overview"] + ["part"] * 5
    overview, *parts = seed.nodes
    assert overview.title_en == "" and overview.number == ""
    assert [c.kind for c in overview.children] == ["paragraph", "paragraph"]
    assert [p.number for p in parts] == ["I", "II", "III", "IV", "V"]
    assert [p.title_en for p in parts] == [
        "Strengthen IP Institutional Safeguards",
        "Accelerate the Release of IP Utilization Benefits",
        "Strengthening IP Protection",
        "Optimizing IP Services",
        "Strengthening the Foundations for IP Development",
    ]
    assert [len(p.children) for p in parts] == [4, 3, 3, 3, 3]
    assert all(c.kind == "section" and c.children for p in parts for c in p.children)
    assert [s.title_en for s in parts[2].children] == [
        "Enhancing IP protection system.",
        "Enhance judicial protection efforts for IP.",
        "Enhancing administrative protection for IP.",
    ]
    # Part V, second section: a plain paragraph follows the lead paragraph.
    assert len(parts[4].children[1].children) == 2


def test_seed_node_fields(seed: ParsedReport) -> None:
    for node in seed.walk():
        assert node.title_zh == node.text_zh == ""
        if node.kind == "paragraph":
            assert node.text_en and not node.title_en and not node.children
        else:
            assert node.text_en == ""
        for value in (node.title_en, node.text_en):
            assert "*" not in value and "  " not in value and value == value.strip()


def test_seed_page_break_joins(seed: ParsedReport) -> None:
    texts = [n.text_en for n in seed.walk() if n.kind == "paragraph"]
    for joined in (
        "Efforts to build national IP protection demonstration zones progressed",
        "and updating the list of administrative services",
        "customs in the Yangtze River Delta strengthened cooperation",
        "has continued to enhance overseas IP rights protection services",
    ):
        assert sum(joined in text for text in texts) == 1, joined


def test_seed_loses_no_text(seed_text: str, seed: ParsedReport) -> None:
    assert _words(_stored(seed)) == _body_words(seed_text, seed)


def test_seed_parses_fast(seed_text: str) -> None:
    parse_report(seed_text)
    start = time.perf_counter()
    parse_report(seed_text)
    assert time.perf_counter() - start < 0.1


# --- our own English report ----------------------------------------------------------

HANGZHOU_EN = """\
   \n \n# **Intellectual Property Development in Hangzhou in the Year 2019**

## Intellectual Property Development in Hangzhou in the Year 2019

In 2019, Hangzhou pressed ahead with its IP work and kept a steady pace of reform.

Patents granted in Hangzhou totaled 61,200, up 12.5% year-on-year.

## **I. Build a Stronger IP System**

The city reviewed its rules early in the year.

**Refine the local rules.** The Municipal People's Congress adopted *the Hangzhou
Regulations on Patent Protection*, the first of their kind in the province.

**Improve coordination.** A joint meeting of twelve departments now meets every quarter \
to plan the work of the

   \n\t\t

coming year and to share enforcement data.

Departments also agreed on common data formats.

### II.Expand IP Services

**Open new service centres.** Three service centres opened in the *West Lake*

*District* and in Xiaoshan, giving “one-stop” help — from filing to licensing (2019–2021).

#### **III. Protect IP Rights**

**Strengthen court protection.** Hangzhou courts concluded 15,300 IP cases.

# **Intellectual Property Development in Hangzhou in the Year 2019**

**Hangzhou Intellectual Property Office**

**March, 2020**
"""


def test_english_report() -> None:
    report = parse_report(HANGZHOU_EN)
    assert report.lang == "en"
    assert report.title == "Intellectual Property Development in Hangzhou in the Year 2019"
    assert report.publisher == "Hangzhou Intellectual Property Office"
    assert report.date == "March, 2020"
    assert _shape(report.nodes) == [
        ("overview", "", []),
        ("part", "I", [("section", "", []), ("section", "", [])]),
        ("part", "II", [("section", "", [])]),
        ("part", "III", [("section", "", [])]),
    ]
    overview, one, two, three = report.nodes
    assert len(overview.children) == 2
    assert [p.title_en for p in (one, two, three)] == [
        "Build a Stronger IP System", "Expand IP Services", "Protect IP Rights"]
    # Text before the first lead sits directly under the part.
    assert [c.kind for c in one.children] == ["paragraph", "section", "section"]
    refine, coordinate = one.children[1:]
    assert refine.title_en == "Refine the local rules."
    assert _paragraphs(refine) == [
        ("The Municipal People's Congress adopted the Hangzhou Regulations on Patent "
        "Protection, the first of their kind in the province.")]
    assert _paragraphs(coordinate) == [
        ("A joint meeting of twelve departments now meets every quarter to plan the work of "
        "the coming year and to share enforcement data."),
        "Departments also agreed on common data formats.",
    ]
    assert _paragraphs(two.children[0]) == [
        ("Three service centres opened in the West Lake District and in Xiaoshan, giving "
        "“one-stop” help — from filing to licensing (2019–2021).")]
    assert _words(_stored(report)) == _body_words(HANGZHOU_EN, report)


# --- our own Chinese report ----------------------------------------------------------

HANGZHOU_ZH = """\
2019年杭州市知识产权发展状况

2019年，杭州市坚持以新发展理念为引领，全面加强知识产权工作。

全年专利授权量达到61,200件，同比增长12.5%。

一、加强知识产权制度保障

【强化制度供给】杭州市人民政府出台了《杭州市知识产权保护若干规定》，推动知识产权

\u3000\u3000

强国建设示范城市工作取得新进展。

**完善工作机制。**市知识产权局会同有关部门建立联席会议制度。

二、加快知识产权转化运用

（一）推进专利转化。杭州市开展专利开放许可试点，全年许可专利1,200件。

（二）培育商标品牌

市市场监管局指导企业开展商标品牌建设，新增地理标志商标3件。

## 第三部分 强化知识产权保护

**加大司法保护力度**\u3000全市法院共受理知识产权案件15,300件。

2019年杭州市知识产权发展状况

杭州市知识产权联席会议办公室

2020年4月
"""


def test_chinese_report() -> None:
    report = parse_report(HANGZHOU_ZH)
    assert report.lang == "zh"
    assert report.title == "2019年杭州市知识产权发展状况"
    assert report.publisher == "杭州市知识产权联席会议办公室"
    assert report.date == "2020年4月"
    assert [(n.kind, n.number, n.title_zh) for n in report.nodes] == [
        ("overview", "", ""),
        ("part", "一", "加强知识产权制度保障"),
        ("part", "二", "加快知识产权转化运用"),
        ("part", "三", "强化知识产权保护"),
    ]
    overview, one, two, three = report.nodes
    assert len(_paragraphs(overview, "zh")) == 2
    assert [s.title_zh for s in one.children] == ["强化制度供给", "完善工作机制。"]
    assert _paragraphs(one.children[0], "zh") == [
        "杭州市人民政府出台了《杭州市知识产权保护若干规定》，推动知识产权强国建设示范城市工作取得新进展。"]
    assert [(s.number, s.title_zh) for s in two.children] == [
        ("一", "推进专利转化。"), ("二", "培育商标品牌")]
    assert _paragraphs(two.children[0], "zh") == ["杭州市开展专利开放许可试点，全年许可专利1,200件。"]
    assert _paragraphs(two.children[1], "zh") == ["市市场监管局指导企业开展商标品牌建设，新增地理标志商标3件。"]
    assert [s.title_zh for s in three.children] == ["加大司法保护力度"]
    assert all(n.title_en == n.text_en == "" for n in report.walk())
    # Chinese joins page-break halves without a space: compare the characters;
    # "第三部分" is kept as the part number "三".
    expected = "".join(_body_words(HANGZHOU_ZH, report)).replace("第三部分", "三")
    assert "".join(_words(_stored(report))) == expected


def test_chinese_headings_and_ordinal_parts() -> None:
    text = "# 标题\n\n## 第一部分：总体情况\n\n### （一）专利\n\n专利数量增长。\n"
    report = parse_report(text, "zh")
    assert report.title == "标题"
    (part,) = report.nodes
    assert (part.number, part.title_zh) == ("一", "总体情况")
    assert (part.children[0].number, part.children[0].title_zh) == ("一", "专利")
    assert _paragraphs(part.children[0], "zh") == ["专利数量增长。"]


def test_chinese_lines_without_blank_lines() -> None:
    text = "第一段文字。\n第二段文字被分页\n打断了。\n"
    (overview,) = parse_report(text).nodes
    assert _paragraphs(overview, "zh") == ["第一段文字。", "第二段文字被分页打断了。"]


# --- edge cases ----------------------------------------------------------------------


def test_crlf_bom_and_tabs() -> None:
    text = "\ufeff# Title Here\r\n\r\n## I. First\r\n\r\n\tText\twith  tabs.\r\nMore.\r\rLast.\r\n"
    report = parse_report(text)
    assert report.title == "Title Here"
    (part,) = report.nodes
    assert _paragraphs(part) == ["Text with tabs. More.", "Last."]


def test_no_headings_keeps_every_paragraph() -> None:
    text = "Patents rose this year.\n\n  \nTrademarks fell\n\n\nsharply in spring.\n\nThe end.\n"
    report = parse_report(text)
    assert report.title == ""
    (overview,) = report.nodes
    assert overview.kind == "overview" and overview.title_en == ""
    assert _paragraphs(overview) == [
        "Patents rose this year.", "Trademarks fell sharply in spring.", "The end."]


def test_single_line_is_text_not_title() -> None:
    (overview,) = parse_report("Patent Work in Brief").nodes
    assert _paragraphs(overview) == ["Patent Work in Brief"]


def test_heading_only_file() -> None:
    report = parse_report("# Only a Title\n\n")
    assert report.title == "Only a Title" and report.nodes == []
    report = parse_report("## II. Lonely Part\n")
    assert [(n.kind, n.number, n.title_en, n.children) for n in report.nodes] == [
        ("part", "II", "Lonely Part", [])]


def test_empty_and_whitespace_text() -> None:
    for text in ("", " \n\t\n\u3000\n"):
        report = parse_report(text)
        assert report.nodes == [] and report.title == ""


def test_page_break_before_heading_does_not_join() -> None:
    text = "## I. One\n\nThe office kept the list of\n\n\n## II. Two\n\n**Lead.** Body.\n"
    one, two = parse_report(text).nodes
    assert _paragraphs(one) == ["The office kept the list of"]
    assert two.title_en == "Two"
    assert two.children[0].title_en == "Lead."


def test_page_break_before_bold_lead_does_not_join() -> None:
    text = "## I. One\n\n**First.** It ends without a stop\n\n**Second.** More text.\n"
    (part,) = parse_report(text).nodes
    assert [s.title_en for s in part.children] == ["First.", "Second."]
    assert _paragraphs(part.children[0]) == ["It ends without a stop"]


def test_bold_inside_continuation_is_joined() -> None:
    text = "## I. One\n\nThe work was led by the\n\n**Shanghai** office and partners.\n"
    (part,) = parse_report(text).nodes
    assert _paragraphs(part) == ["The work was led by the Shanghai office and partners."]


def test_bold_only_line_opens_a_section() -> None:
    text = "## I. One\n\n**Protect trade secrets**\n\nA pilot zone was set up.\n"
    (part,) = parse_report(text).nodes
    (section,) = part.children
    assert section.title_en == "Protect trade secrets"
    assert _paragraphs(section) == ["A pilot zone was set up."]


def test_lead_in_spanning_lines_and_keeping_characters() -> None:
    text = '## I. One\n\n**Build the "Five\nCenters."** A “Blue Sky” plan — 2024–2026 — a * b.\n'
    (part,) = parse_report(text).nodes
    (section,) = part.children
    assert section.title_en == 'Build the "Five Centers."'
    assert _paragraphs(section) == ["A “Blue Sky” plan — 2024–2026 — a * b."]


def test_unnumbered_headings_become_parts_without_numbers() -> None:
    text = ("# Report Title\n\nIntro text.\n\n## Patents\n\n### Grants\n\nUp.\n\n"
            "## Trademarks\n\nDown.\n")
    overview, patents, marks = parse_report(text).nodes
    assert _paragraphs(overview) == ["Intro text."]
    assert (patents.kind, patents.number, patents.title_en) == ("part", "", "Patents")
    assert patents.children[0].kind == "section" and patents.children[0].title_en == "Grants"
    assert (marks.kind, marks.title_en, _paragraphs(marks)) == ("part", "Trademarks", ["Down."])


def test_part_word_numbering() -> None:
    (part,) = parse_report("# T\n\n## Part IV: Services\n\nText.\n").nodes
    assert (part.number, part.title_en) == ("IV", "Services")


def test_cover_page_front_matter() -> None:
    text = "# A Report Title\n\n**Some IP Office**\n\n15 April 2025\n\n## I. One\n\nText.\n"
    report = parse_report(text)
    assert (report.title, report.publisher, report.date) == (
        "A Report Title", "Some IP Office", "15 April 2025")
    assert [n.kind for n in report.nodes] == ["part"]


def test_empty_heading_marks_are_ignored() -> None:
    report = parse_report("#\n\n# Title\n\n##\n\nBody text.\n")
    assert report.title == "Title"
    assert _paragraphs(report.nodes[0]) == ["Body text."]


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="fr"):
        parse_report("text", "fr")
