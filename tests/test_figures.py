"""Figures found in prose (ipviewer.prose.extract), in English and Chinese.

The sentences here are our own, written in the style of IP white papers and press
releases; the seed test reads the user's real document from ../shared when present.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from ipviewer.model import Figure
from ipviewer.prose.extract import extract_figures, split_sentences

D = Decimal
SEED = Path("/work/shared/samples/shanghai-ip-2024.en.txt")


def figs(text: str, lang: str = "en") -> list[Figure]:
    """Extract, checking the offsets and sentences of every figure on the way."""
    found = extract_figures(text, lang)
    for fig in found:
        assert text[fig.start:fig.end] == fig.text
        assert fig.sentence in text and fig.text in fig.sentence
        assert isinstance(fig.value, Decimal)
    return found


def by_value(found: list[Figure], value: str) -> Figure:
    matches = [f for f in found if f.value == D(value)]
    assert matches, f"no figure {value} in {[(f.text, f.value) for f in found]}"
    return matches[0]


def values(found: list[Figure]) -> list[Decimal]:
    return [f.value for f in found]


# ---------------------------------------------------------------------- sentences


def test_split_sentences_english() -> None:
    text = ("Fines reached 17.9858 million RMB under Decree No. 5 of the bureau. "
            "It was e.g. the largest sum. Next year? Yes!")
    parts = [text[a:b] for a, b in split_sentences(text, "en")]
    assert parts == [
        "Fines reached 17.9858 million RMB under Decree No. 5 of the bureau.",
        "It was e.g. the largest sum.",
        "Next year?",
        "Yes!",
    ]


def test_split_sentences_chinese() -> None:
    text = "全年专利授权15.08万件；发明专利5.07万件。增长了吗？是的！"
    parts = [text[a:b] for a, b in split_sentences(text, "zh")]
    assert parts == ["全年专利授权15.08万件；", "发明专利5.07万件。", "增长了吗？", "是的！"]


def test_blank_line_ends_a_sentence() -> None:
    text = "The city granted 1,200 patents\n\nIn 2023 it granted 1,100 patents."
    assert len(split_sentences(text, "en")) == 2


def test_unknown_language() -> None:
    with pytest.raises(ValueError):
        extract_figures("150,800", "fr")


# ---------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The province granted 150,800 patents.", "150800", ""),
        ("Pledge financing reached 32 billion RMB.", "32000000000", "RMB"),
        ("Fines came to 17.9858 million RMB.", "17985800", "RMB"),
        ("Valid trademarks numbered 2.7893 million.", "2789300", ""),
        ("The office received 36, 800 PCT filings.", "36800", ""),
        ("The office received １５０，８００ applications.", "150800", ""),
        ("Licensing income reached RMB 4.25 billion.", "4250000000", "RMB"),
        ("Customs seized goods worth 110 million yuan.", "110000000", "RMB"),
        ("The conclusion rate for IP cases was 96.5%.", "96.5", "%"),
        ("Trademark holders filed 1,000,000 oppositions.", "1000000", ""),
        ("全年专利授权15.08万件。", "150800", ""),
        ("质押融资金额320亿元。", "32000000000", "RMB"),
        ("涉案金额3.2亿元。", "320000000", "RMB"),
        ("全年PCT国际专利申请６，８２２件。", "6822", ""),
        ("罚没款1798.58万元。", "17985800", "RMB"),
    ],
)
def test_values(text: str, value: str, unit: str) -> None:
    lang = "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"
    found = figs(text, lang)
    assert len(found) == 1, [(f.text, f.value) for f in found]
    assert (found[0].value, found[0].unit) == (D(value), unit)
    assert str(found[0].value) == value


def test_per_capita_unit() -> None:
    found = figs("The city had 12.3 high-value invention patents per 10,000 people, "
                 "an increase of 1.8% year-on-year.")
    assert values(found) == [D("12.3")]
    assert found[0].unit == "per 10,000 people"
    assert found[0].label == "high-value invention patents"
    assert found[0].yoy_pct == D("1.8")
    zh = figs("每万人口高价值发明专利拥有量达12.3件，较上年增长1.8%。", "zh")
    assert [(f.value, f.unit, f.yoy_pct) for f in zh] == [
        (D("12.3"), "per 10,000 people", D("1.8"))]


def test_number_words_count() -> None:
    found = figs("The district held four coordination meetings and set up three new "
                 "patent navigation centers, while one-stop windows opened in Top ten malls.")
    assert [(f.value, f.text) for f in found] == [(D(4), "four"), (D(3), "three")]
    zh = figs("市政府召开四次常务会议，新增三家示范园区，落实“两个确立”，推进“十四五”规划。", "zh")
    assert [(f.value, f.label) for f in zh] == [(D(4), "常务会议"), (D(3), "新增示范园区")]


# ---------------------------------------------------------------------- YoY


def test_yoy_attaches_to_nearest_figure() -> None:
    found = figs("Patents granted in the province totaled 96,300, including 24,100 "
                 "invention patents, an increase of 9.4% year-on-year.")
    assert values(found) == [D(96300), D(24100)]
    assert by_value(found, "96300").yoy_pct is None
    assert by_value(found, "24100").yoy_pct == D("9.4")


@pytest.mark.parametrize(
    ("text", "yoy"),
    [
        ("Valid invention patents reached 96,400, up by 18.2% year-on-year.", "18.2"),
        ("PCT filings reached 2,410, up 3% on the previous year.", "3"),
        ("The province recorded 120,000 copyright filings, reflecting a 11.3% increase.", "11.3"),
        ("Trademark registrations reached 88,000, an increase of 2.7%.", "2.7"),
        ("Software registrations stood at 51,000, a growth of 14.4% over the year 2009.", "14.4"),
        ("Registered licences totaled 4,120, down 3% year-on-year.", "-3"),
        ("Invalidation requests totaled 730, which fell by 6.25% over 2022.", "-6.25"),
        ("Design patents totaled 12,900, a decrease of 0.8%.", "-0.8"),
        ("Court filings numbered 8,812, a year-on-year decline of 4.1%.", "-4.1"),
        ("Trademark applications fell by 7.5% to 288,400.", "-7.5"),
        ("Invention patent grants were up 8% at 92,100.", "8"),
        ("Licensing income was 3.5% lower at RMB 2.5 billion.", "-3.5"),
        ("Licensing income reached RMB 2.5 billion, a year-on-year change of -3.5%.", "-3.5"),
    ],
)
def test_yoy_phrasings(text: str, yoy: str) -> None:
    found = figs(text)
    assert len(found) == 1, [(f.text, f.value) for f in found]
    assert found[0].yoy_pct == D(yoy)
    assert found[0].unit != "%"  # the rate itself is not a figure


def test_respectively_growth() -> None:
    found = figs("The municipality now has 410 patent agencies, 3,105 patent agents and "
                 "2,250 trademark agencies, reflecting year-on-year growth of 5.1%, 9.8%, "
                 "and 12.6%, respectively.")
    assert [(f.value, f.yoy_pct) for f in found] == [
        (D(410), D("5.1")), (D(3105), D("9.8")), (D(2250), D("12.6"))]


def test_respectively_decrease_with_qualifiers() -> None:
    found = figs("Courts across the province accepted more than 30,512 IP cases and closed "
                 "over 29,870, showing a decrease of 4.2% and 1.9%, respectively, compared "
                 "with 2022.")
    assert [(f.value, f.yoy_pct, f.qualifier) for f in found] == [
        (D(30512), D("-4.2"), "more than"), (D(29870), D("-1.9"), "over")]
    assert found[0].label == "IP cases accepted"
    assert found[1].label == "IP cases closed"


def test_two_rates_without_respectively() -> None:
    found = figs("In 2010, the city received 71,196 patent applications and granted 48,215 "
                 "patents, a growth of 14.4% and 38.1% over the year 2009.")
    assert [(f.value, f.yoy_pct) for f in found] == [(D(71196), D("14.4")), (D(48215), D("38.1"))]
    assert [f.label for f in found] == ["patent applications received", "patents granted"]


def test_pledge_pair_money_and_count() -> None:
    found = figs("Over the year, 1,150 patent pledge financing transactions were registered, "
                 "amounting to 12.6 billion RMB, reflecting year-on-year growth of 21.2% and "
                 "33.9%, respectively.")
    assert [(f.value, f.unit, f.yoy_pct) for f in found] == [
        (D(1150), "", D("21.2")), (D(12600000000), "RMB", D("33.9"))]
    assert found[0].label == "patent pledge financing transactions"
    assert "pledge financing" in found[1].label and found[1].label.endswith("amount")


def test_mixed_direction_rates() -> None:
    found = figs("Customs seized 1.3 million infringing goods worth 25 million yuan, an "
                 "increase of 12.5% and a decrease of 3.1%, respectively.")
    assert [(f.value, f.yoy_pct) for f in found] == [
        (D(1300000), D("12.5")), (D(25000000), D("-3.1"))]


def test_percent_indicator_is_kept() -> None:
    found = figs("The appeal rate for first-instance IP cases was 5.12%, and the share of "
                 "foreign-related cases stood at 12.4%.")
    assert [(f.value, f.unit, f.yoy_pct) for f in found] == [
        (D("5.12"), "%", None), (D("12.4"), "%", None)]
    assert found[0].label == "appeal rate for first-instance IP cases"


def test_rate_without_figure_is_dropped() -> None:
    assert figs("PCT filings were up 3% on the previous year.") == []
    assert figs("发明专利授权同比增长14.28%。", "zh") == []


def test_no_yoy_for_earlier_figure() -> None:
    found = figs("The province saw 301,000 trademark applications and 205,400 trademark "
                 "registrations, an increase of 4.4% year-on-year.")
    assert by_value(found, "301000").yoy_pct is None
    assert by_value(found, "205400").yoy_pct == D("4.4")


# ---------------------------------------------------------------------- Chinese


def test_chinese_patents() -> None:
    found = figs("全年专利授权15.08万件，其中发明专利授权5.07万件，同比增长14.28%。", "zh")
    assert [(f.value, f.yoy_pct, f.text) for f in found] == [
        (D(150800), None, "15.08万"), (D(50700), D("14.28"), "5.07万")]
    assert found[0].label == "专利授权"
    assert found[1].label == "发明专利授权"


def test_chinese_trademarks() -> None:
    found = figs("有效注册商标278.93万件，同比增长6.7%。", "zh")
    assert [(f.value, f.yoy_pct, f.label) for f in found] == [(D(2789300), D("6.7"), "有效注册商标")]


def test_chinese_respectively_decrease() -> None:
    found = figs("全市法院受理知识产权案件47388件、审结52061件，同比分别下降28.28%和11.74%。", "zh")
    assert [(f.value, f.yoy_pct) for f in found] == [
        (D(47388), D("-28.28")), (D(52061), D("-11.74"))]
    assert "知识产权案件" in found[0].label


def test_chinese_respectively_growth_money() -> None:
    found = figs("专利商标质押融资登记2223笔、金额320亿元，同比分别增长40.6%和62.3%。", "zh")
    assert [(f.value, f.unit, f.yoy_pct) for f in found] == [
        (D(2223), "", D("40.6")), (D(32000000000), "RMB", D("62.3"))]
    assert found[0].label == "专利商标质押融资登记"
    assert found[1].text == "320亿元"


def test_chinese_three_rates_and_semicolon() -> None:
    text = ("2023年，全省专利授权12.6万件，同比增长8.1%；其中发明专利授权3.2万件，同比下降2.4%。"
            "全省专利代理机构410家、专利代理师3105人、商标代理机构2250家，"
            "同比分别增长5.1%、9.8%和12.6%。")
    found = figs(text, "zh")
    assert [(f.value, f.yoy_pct) for f in found] == [
        (D(126000), D("8.1")), (D(32000), D("-2.4")),
        (D(410), D("5.1")), (D(3105), D("9.8")), (D(2250), D("12.6"))]


@pytest.mark.parametrize(
    ("text", "yoy"),
    [
        ("作品登记量45.1万件，增长5.4%。", "5.4"),
        ("商标申请量28.8万件，同比减少7.5%。", "-7.5"),
        ("专利许可备案1200件，比上年下降3%。", "-3"),
        ("专利质押金额86.5亿元，增幅为12.2%。", "12.2"),
    ],
)
def test_chinese_yoy_words(text: str, yoy: str) -> None:
    found = figs(text, "zh")
    assert len(found) == 1
    assert found[0].yoy_pct == D(yoy)


def test_chinese_percent_indicator() -> None:
    found = figs("知识产权案件上诉率为4.34%，结收案比达到105.2%。", "zh")
    assert [(f.value, f.unit, f.yoy_pct) for f in found] == [
        (D("4.34"), "%", None), (D("105.2"), "%", None)]
    assert found[0].label == "知识产权案件上诉率"


# ---------------------------------------------------------------------- qualifiers


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("The courts handled over 5,000 cases.", "over"),
        ("The courts handled more than 5,000 cases.", "more than"),
        ("Mediators settled nearly 23,000 disputes.", "nearly"),
        ("Mediators settled almost 23,000 disputes.", "nearly"),
        ("The office examined about 1.2 million applications.", "about"),
        ("The office examined approximately 1.2 million applications.", "about"),
        ("Certified products generated sales exceeding 9.5 billion RMB.", "exceeding"),
        ("The fund can lend at least 500 million RMB to small firms.", "at least"),
        ("Each award carries up to 200,000 RMB in prize money.", "up to"),
        ("Damages awarded totaled over RMB 110 million.", "over"),
        ("The office registered 2,400 licences.", ""),
    ],
)
def test_english_qualifiers(text: str, qualifier: str) -> None:
    found = figs(text)
    assert len(found) == 1
    assert found[0].qualifier == qualifier


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("全年受理案件超过45万件。", "450000", "over"),
        ("快速登记近2.3万件。", "23000", "nearly"),
        ("调解组织受理纠纷45万余件。", "450000", "more than"),
        ("调解成功1.3万多件。", "13000", "more than"),
        ("涉案金额约3.2亿元。", "320000000", "about"),
        ("培训人员逾1200人次。", "1200", "over"),
        ("技术合同成交额突破4800亿元。", "480000000000", "exceeding"),
        ("年度培训300人次以上。", "300", "over"),
    ],
)
def test_chinese_qualifiers(text: str, value: str, qualifier: str) -> None:
    found = figs(text, "zh")
    assert [(f.value, f.qualifier) for f in found] == [(D(value), qualifier)]


def test_chinese_qualifier_is_not_in_the_span_or_label() -> None:
    found = figs("调解组织受理纠纷45万余件。", "zh")
    assert found[0].text == "45万"
    assert "余" not in found[0].label
    found = figs("全年受理案件超过45万件。", "zh")
    assert "超过" not in found[0].label


# ---------------------------------------------------------------------- not indicators


@pytest.mark.parametrize(
    "text",
    [
        "In 2024, the office kept to the Outline (2021-2035) and the Plan (2024–2026).",
        "The 15th and 16th batches of the key trademark list were issued in April 2025.",
        "The 21st forum was held on 26 April 2024 after the 20th CPC National Congress.",
        "The plan was issued on April 26, 2025 as Document No. 12 under Article 15.",
        "The 14th Five-Year Plan set up a 1+1+X service system for 5G and G20 firms.",
        "The firm entered the Top 10 list for the second year, as in the year 2009.",
        "1. Strengthen the institutional safeguards.",
        "(3) Improve public services in Industry 4.0 parks.",
        "The 2023 White Paper was released in 2024.",
        "The share rose by 2.5 percentage points.",
        "Output was 3 times the level of 2019.",
        "The bureau worked for three consecutive years on the “Two Sessions” proposals.",
    ],
)
def test_english_non_indicators(text: str) -> None:
    assert figs(text) == [], [(f.text, f.value) for f in figs(text)]


@pytest.mark.parametrize(
    "text",
    [
        "2025年4月26日，第21届论坛在上海举行。",
        "发布《纲要（2021—2035年）》和“十四五”规划。",
        "党的二十届三中全会精神得到贯彻，第3批名单公布。",
        "“1+1+X”服务体系覆盖G20国家和5G企业。",
        "占比提高2个百分点，规模增长1.2倍。",
        "沪知局〔2024〕5号文件印发。",
        "前10名企业全部入选。",
    ],
)
def test_chinese_non_indicators(text: str) -> None:
    assert figs(text, "zh") == [], [(f.text, f.value) for f in figs(text, "zh")]


def test_four_digit_count_is_not_a_year_in_chinese() -> None:
    found = figs("全年受理案件2024件，审结2010件。", "zh")
    assert values(found) == [D(2024), D(2010)]


def test_year_with_qualifier_is_a_count() -> None:
    found = figs("Mediators handled over 2000 cases in 2023.")
    assert [(f.value, f.qualifier) for f in found] == [(D(2000), "over")]


# ---------------------------------------------------------------------- sentence starts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("362 patent agencies were registered.", [("362", "patent agencies registered")]),
        ("RMB 12.5 billion in pledge financing was raised.",
         [("12500000000", "pledge financing")]),
        ("45 agencies were closed; 12 agencies were established.",
         [("45", "agencies closed"), ("12", "agencies established")]),
        ("Patent agencies:362, patent agents:2,484.",
         [("362", "patent agencies"), ("2484", "patent agents")]),
        ("Patent agencies: 362; patent agents: 2,484.",
         [("362", "patent agencies"), ("2484", "patent agents")]),
        ("Pledge financing reached 32 billion RMB", [("32000000000", "pledge financing")]),
        ("Results: Two patent pools were established; Three centers were accredited.",
         [("2", "patent pools established"), ("3", "centers accredited")]),
        ("19家检察院进驻28个重点科技园区。", [("19", "检察院"), ("28", "重点科技园区")]),
        ("全市19家检察院进驻28个重点科技园区。", [("19", "检察院"), ("28", "重点科技园区")]),
        ("全年新增代理机构12家；36家代理机构入选诚信名单。",
         [("12", "新增代理机构"), ("36", "代理机构")]),
        ("检察工作：19家检察院进驻园区。", [("19", "检察院")]),
        ("主要成效：两个案例入选典型案例；三家企业获评示范企业。", [("2", "案例"), ("3", "企业")]),
        ("质押融资金额320亿元", [("32000000000", "质押融资金额")]),
    ],
)
def test_figure_at_sentence_or_clause_start(text: str, expected: list[tuple[str, str]]) -> None:
    """A figure opening a sentence, following ；/： or ending the paragraph is kept."""
    lang = "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"
    found = figs(text, lang)
    assert [(f.value, f.label) for f in found] == [(D(v), label) for v, label in expected]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("1. Strengthen the institutional safeguards.", "en"),
        ("1.Strengthen the institutional safeguards.", "en"),
        ("2) Improve public services.", "en"),
        ("The hearing began at 10:30 on Monday.", "en"),
        ("3、加强知识产权保护。", "zh"),
        ("1．完善知识产权制度。", "zh"),
        ("2）健全知识产权服务体系。", "zh"),
        ("（4）提升公共服务水平。", "zh"),
        ("一是完善制度；2、加强保护。", "zh"),
    ],
)
def test_list_numbers_at_sentence_start(text: str, lang: str) -> None:
    """A list number is followed by '.', ')' or '、' and then text, not by a counter."""
    assert figs(text, lang) == [], [(f.text, f.value) for f in figs(text, lang)]


# ---------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("In 2023, patents granted in the province totaled 96,300.", "96300", "patents granted"),
        ("The office granted 24,100 invention patents.", "24100", "invention patents granted"),
        ("PCT international patent filings reached 2,410.", "2410",
         "PCT international patent filings"),
        ("By year-end, the number of registered geographical indications in the region reached 412.",
         "412", "registered geographical indications"),
        ("The courts handled over 5,117 IP cases.", "5117", "IP cases handled"),
        ("The province saw 301,000 trademark applications.", "301000", "trademark applications"),
        ("The bureau investigated 88 cases and collected fines totaling 310,500 RMB.", "310500",
         "fines"),
        ("Arbitrators accepted 91 IP cases, involving disputes worth 2.6 billion RMB.",
         "2600000000", "dispute value"),
        ("Beijing recorded RMB 12.5 billion in pledge financing.", "12500000000",
         "pledge financing"),
        ("Listing brought the total number of protected brands to 1,420.", "1420",
         "protected brands"),
        ("A total of 46 training sessions for examiners were held.", "46",
         "training sessions for examiners"),
        ("专利商标质押融资登记2223笔。", "2223", "专利商标质押融资登记"),
        ("其中发明专利授权量5.07万件。", "50700", "发明专利授权量"),
        ("新认定6家市级知识产权培训基地。", "6", "新认定市级知识产权培训基地"),
        ("两个案例入选第三批知识产权强国建设典型案例。", "2", "案例"),
        ("“浦东模式”等两个案例入选第一批版权强国建设典型案例。", "2", "案例"),
        ("市政府召开四次常务会议研究部署知识产权工作。", "4", "常务会议"),
        ("市检察院推行法治副园长机制，19家检察院进驻28个重点科技园区。", "19", "检察院"),
        ("市检察院推行法治副园长机制，19家检察院进驻28个重点科技园区。", "28", "重点科技园区"),
        ("召开3场新闻发布会。", "3", "召开新闻发布会"),
        ("认定首批125家知识产权质押融资特色银行网点。", "125", "知识产权质押融资特色银行网点"),
        ("新建5家研究院。", "5", "新建研究院"),
    ],
)
def test_labels(text: str, value: str, label: str) -> None:
    lang = "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"
    assert by_value(figs(text, lang), value).label == label


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("New plant variety rights were granted for 109 agricultural and 10 forestry varieties.",
         ["agricultural varieties", "forestry varieties"]),
        ("The office granted 120 design, 45 invention and 30 utility model patents.",
         ["design patents granted", "invention patents granted", "utility model patents granted"]),
        ("The courts closed 1,303 criminal and 584 civil cases.",
         ["criminal cases closed", "civil cases closed"]),
        ("The fair drew 1,200 staff and 300 foreign experts.", ["staff", "foreign experts"]),
        ("The city has 362 patent agencies and 2,484 patent agents.",
         ["patent agencies", "patent agents"]),
    ],
)
def test_coordinated_figures_share_their_noun(text: str, labels: list[str]) -> None:
    """In "A X and B Y nouns" X has no noun of its own and takes Y's head noun."""
    assert [f.label for f in figs(text)] == labels


def test_comma_after_a_figure_ends_its_phrase() -> None:
    found = figs("Agencies numbered 362, patent agents numbered 2,484.")
    assert [(f.value, f.label) for f in found] == [(D(362), "agencies"), (D(2484), "patent agents")]


def test_labels_are_short() -> None:
    found = figs("Altogether 97 refresher workshops for customs officers and market regulation "
                 "staff of county bureaus were organised.")
    assert found[0].label == "refresher workshops"


def test_label_from_were_and_share() -> None:
    found = figs("In 2009, the number of patent applications in the city reached 62,241, of which "
                 "19,955 were invention patent applications, accounting for 32.1% of the total.")
    assert [(f.value, f.label) for f in found] == [
        (D(62241), "patent applications"),
        (D(19955), "invention patent applications"),
        (D("32.1"), "share of invention patent applications"),
    ]


def test_per_capita_in_subject_and_absolute_change() -> None:
    found = figs("The number of high-value invention patents per 10,000 people reached 11.8, "
                 "up 1.4 from 2022.")
    assert [(f.value, f.unit, f.label) for f in found] == [
        (D("11.8"), "per 10,000 people", "high-value invention patents")]
    zh = figs("每万人口高价值发明专利拥有量达到11.8件，较上年提高1.4件。", "zh")
    assert values(zh) == [D("11.8")]


def test_durations_are_units() -> None:
    found = figs("The average pendency of invention patent examination was shortened to 16 months.")
    assert [(f.value, f.unit, f.label) for f in found] == [
        (D(16), "months", "average pendency of invention patent examination")]
    zh = figs("发明专利审查周期压减至15.5个月。", "zh")
    assert [(f.value, f.unit, f.label) for f in zh] == [(D("15.5"), "months", "发明专利审查周期")]


def test_year_on_year_without_hyphens() -> None:
    found = figs("Valid trademarks rose 6.2% year on year to 46.1 million.")
    assert [(f.value, f.yoy_pct, f.label) for f in found] == [
        (D(46100000), D("6.2"), "valid trademarks")]


def test_chinese_label_starts_at_the_verb() -> None:
    found = figs("全国知识产权系统处理专利侵权纠纷行政案件2.3万件，同比增长25.1%。", "zh")
    assert [(f.value, f.yoy_pct, f.label) for f in found] == [
        (D(23000), D("25.1"), "处理专利侵权纠纷行政案件")]


def test_long_paragraph() -> None:
    # how its time grows with length: tests/test_safety_linear_time.py, benchmarks/bench_import.py
    text = "the city handled 1,234 cases, up 5.5%, and 2,345 patents were granted, " * 1500
    found = extract_figures(text, "en")
    assert len(found) == 3000
    assert found[-2].yoy_pct == D("5.5")


# ---------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed_paragraphs() -> list[str]:
    if not SEED.exists():
        pytest.skip(f"the seed text is not here ({SEED})")
    text = SEED.read_text(encoding="utf-8")
    paragraphs = [re.sub(r"[#*]", "", p).strip() for p in re.split(r"\n\s*\n", text)]
    return [p for p in paragraphs if p]


@pytest.fixture(scope="module")
def seed_figures(seed_paragraphs: list[str]) -> list[tuple[str, Figure]]:
    return [(p, f) for p in seed_paragraphs for f in figs(p)]


SEED_EXPECTED = [
    # value, yoy, qualifier, unit, words the label must contain
    ("150800", None, "", "", "patents granted"),
    ("50700", "14.28", "", "", "invention patents"),
    ("6822", "10.3", "", "", "PCT international patent filings"),
    ("278700", "15.44", "", "", "valid invention patents"),
    ("57.9", "15.3", "", "per 10,000 people", "high-value invention patents"),
    ("349100", None, "", "", "trademark applications"),
    ("242200", "2.7", "", "", "trademark registrations"),
    ("2789300", "6.7", "", "", "valid registered trademarks"),
    ("450000", "9.05", "over", "", "copyright registrations"),
    ("2223", "40.6", "", "", "patent and trademark pledge financing transactions"),
    ("32000000000", "62.3", "", "RMB", "pledge financing"),
    ("47388", "-28.28", "over", "", "IP cases"),
    ("52061", "-11.74", "more than", "", "cases"),
    ("362", "6.47", "", "", "patent agencies"),
    ("2484", "12.04", "", "", "patent agents"),
    ("1923", "17.55", "", "", "registered trademark agencies"),
    ("17985800", None, "", "RMB", "fines"),
    ("628900", None, "", "RMB", "fines"),
    ("23000", None, "nearly", "", "registrations"),
    ("4.34", None, "", "%", "appeal rate"),
    ("110000000", None, "over", "RMB", "compensation"),
    ("1176", None, "", "", "protected trademarks"),
]


@pytest.mark.parametrize(("value", "yoy", "qualifier", "unit", "label"), SEED_EXPECTED)
def test_seed_key_figures(seed_figures, value, yoy, qualifier, unit, label) -> None:
    found = [f for _, f in seed_figures if f.value == D(value)]
    assert found, f"{value} not found"
    fig = found[0]
    assert fig.yoy_pct == (D(yoy) if yoy else None)
    assert fig.qualifier == qualifier
    assert fig.unit == unit
    assert label in fig.label


def test_seed_nearly_23000_twice(seed_figures) -> None:
    found = [f for _, f in seed_figures if f.value == D(23000)]
    assert len(found) == 2 and all(f.qualifier == "nearly" for f in found)
    assert {f.label for f in found} == {"quick registrations for works", "cases handled"}


def test_seed_no_years_or_ordinals(seed_figures) -> None:
    for paragraph, fig in seed_figures:
        assert not (1990 <= fig.value <= 2040 and fig.value == fig.value.to_integral_value()), fig
        assert not re.match(r"(?:st|nd|rd|th)\b", paragraph[fig.end:]), fig
        assert fig.value not in (D(21), D(15), D(20)), fig  # 21st forum, 15th batch, 20th Congress
        assert not re.search(r"[-–+]$", paragraph[:fig.start]), fig  # 2021-2035, 1+1+X
        assert fig.unit != "%" or fig.yoy_pct is None or fig.value == D("4.34")
    assert not [f for _, f in seed_figures if f.value == D(10000)]  # per 10,000 people


def test_seed_rates_are_not_figures(seed_figures) -> None:
    percents = [f.value for _, f in seed_figures if f.unit == "%"]
    assert percents == [D("4.34")]


