"""Figures bound in the prose (ipviewer.prose.bindings): placeholders, rendering, binding."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from indicator_maps import keyed
from indicator_maps import value_of as FV
from ipviewer.model import Indicator
from ipviewer.numbers import parse_quantity
from ipviewer.prose.bindings import (
    Binding,
    BindingError,
    bind_literals,
    candidates,
    find_bindings,
    placeholder,
    render,
    render_spans,
)
from ipviewer.prose.extract import extract_figures

D = Decimal
YEAR = 2024
WHERE = "I. Strengthen IP Institutional Safeguards ¶2 (zh)"

#: Indicators of a made-up but realistic report year (and one of the year before).
VALUES: dict[tuple[str, int], Indicator] = keyed({
    ("patents_granted", 2024): FV(D(150800)),
    ("invention_patents_granted", 2024): FV(D(50700), yoy_pct=D("14.28")),
    ("pct_international_patent_filings", 2024): FV(D(6822), yoy_pct=D("10.3")),
    ("valid_invention_patents", 2024): FV(D(278700), yoy_pct=D("15.44")),
    ("valid_trademarks", 2024): FV(D(2789300), yoy_pct=D("6.7")),
    ("high_value_invention_patents_per_10k", 2024): FV(D("57.9"), "per 10,000 people",
                                                       yoy_pct=D("15.30")),
    ("copyright_registrations", 2024): FV(D(450000), qualifier="over", yoy_pct=D("9.05")),
    ("quick_registrations", 2024): FV(D(23000), qualifier="nearly"),
    ("pledge_financing_transactions", 2024): FV(D(2223), yoy_pct=D("40.6")),
    ("pledge_financing_amount", 2024): FV(D(32000000000), "RMB", yoy_pct=D("62.3")),
    ("pledge_financing_amount", 2023): FV(D(22760000000), "RMB"),
    ("fines_and_confiscations", 2024): FV(D(17985800), "RMB"),
    ("punitive_damages", 2024): FV(D(110000000), "RMB", qualifier="over"),
    ("case_value", 2024): FV(D(8500000000), "RMB", qualifier="exceeding"),
    ("small_fines", 2024): FV(D(628900), "RMB"),
    ("ip_cases_accepted", 2024): FV(D(47388), qualifier="over", yoy_pct=D("-28.28")),
    ("ip_cases_concluded", 2024): FV(D(52061), qualifier="more than", yoy_pct=D("-11.74")),
    ("patent_agencies", 2024): FV(D(362), yoy_pct=D("6.47")),
    ("patent_agents", 2024): FV(D(2484), yoy_pct=D("12.04")),
    ("trademark_agencies", 2024): FV(D(1923), yoy_pct=D("17.55")),
    ("appeal_rate", 2024): FV(D("4.34"), "%"),
    ("flat_indicator", 2024): FV(D(1200), yoy_pct=D("0")),
})


def _render(text: str, lang: str, values=VALUES) -> str:
    return render(text, lang, values, YEAR)


# --------------------------------------------------------------------------- syntax


def test_find_bindings_in_order_with_forms_and_years() -> None:
    text = "A {{a}} b {{b_2:number}} c {{c:yoy}} d {{d:rate@2023}} e {{e@2022}} f {{f@2021:yoy}}."
    found = find_bindings(text)
    assert [(b.key, b.form, b.year) for b in found] == [
        ("a", "figure", None), ("b_2", "number", None), ("c", "yoy", None),
        ("d", "rate", 2023), ("e", "figure", 2022), ("f", "yoy", 2021),
    ]
    assert [text[b.start:b.end] for b in found] == [
        "{{a}}", "{{b_2:number}}", "{{c:yoy}}", "{{d:rate@2023}}", "{{e@2022}}", "{{f@2021:yoy}}",
    ]
    assert found[0] == Binding(2, 7, "a", "figure", None)


def test_find_bindings_without_placeholders() -> None:
    assert find_bindings("") == []
    assert find_bindings("Patents rose {sharply} in 2024.") == []  # single braces are text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("granted {{ patents_granted }} patents", "{{ patents_granted }}"),
        ("granted {{Patents_granted}} patents", "{{Patents_granted}}"),
        ("granted {{patents_granted:colour}} patents", "{{patents_granted:colour}}"),
        ("granted {{patents_granted@20x}} patents", "{{patents_granted@20x}}"),
        ("granted {{patents_granted@24}} patents", "{{patents_granted@24}}"),
        ("granted {{patents_granted:figure}}", "{{patents_granted:figure}}"),
        ("granted {{patents_granted:yoy:rate}}", "{{patents_granted:yoy:rate}}"),
        ("granted {{patents-granted}}", "{{patents-granted}}"),
        ("granted {{}} patents", "{{}}"),
        ("granted {{patents_granted", "{{patents_granted"),
        ("granted {{patents_granted patents", "{{patents_granted"),
        ("granted {{a {{b}}", "{{a"),
        ("granted patents_granted}} patents", "patents_granted}}"),
        ("granted {{a}}}} patents", "{{a}}}}"),
        ("granted {{{a}}", "{{{a}}"),
        ("granted {{专利}}", "{{专利}}"),
    ],
)
def test_malformed_placeholders(text: str, shown: str) -> None:
    with pytest.raises(BindingError) as info:
        find_bindings(text, WHERE)
    message = str(info.value)
    assert message.startswith(WHERE + ": ")
    assert f'"{shown}"' in message
    assert "not a valid figure reference" in message
    assert info.value.where == WHERE
    assert isinstance(info.value, ValueError)


def test_malformed_without_where_has_no_prefix() -> None:
    with pytest.raises(BindingError) as info:
        find_bindings("{{Key}}")
    assert str(info.value) == '"{{Key}}" is not a valid figure reference'


def test_placeholder() -> None:
    assert placeholder("patents_granted") == "{{patents_granted}}"
    assert placeholder("a", "yoy") == "{{a:yoy}}"
    assert placeholder("a", "rate", 2023) == "{{a:rate@2023}}"
    assert placeholder("a", year=2023) == "{{a@2023}}"
    with pytest.raises(ValueError):
        placeholder("Bad key")
    with pytest.raises(ValueError):
        placeholder("a", "colour")
    for code in ("{{a}}", "{{a:yoy}}", "{{a:rate@2023}}", "{{a:number}}"):
        (binding,) = find_bindings(code)
        assert placeholder(binding.key, binding.form, binding.year) == code


# --------------------------------------------------------------------------- rendering

TABLE = [  # docs/bindings.md, row by row
    ("{{patents_granted}}", "150,800", "15.08万"),
    ("{{pct_international_patent_filings}}", "6,822", "6822"),
    ("{{pledge_financing_amount}}", "32 billion RMB", "320亿元"),
    ("{{fines_and_confiscations}}", "17.9858 million RMB", "1798.58万元"),
    ("{{copyright_registrations}}", "over 450,000", "超过45万"),
    ("{{quick_registrations}}", "nearly 23,000", "近2.3万"),
    ("{{invention_patents_granted:yoy}}", "up 14.28%", "同比增长14.28%"),
    ("{{ip_cases_accepted:yoy}}", "down 28.28%", "同比下降28.28%"),
    ("{{ip_cases_accepted:rate}}", "28.28%", "28.28%"),
    ("{{high_value_invention_patents_per_10k}}", "57.9", "57.9"),
]

MORE = [
    ("{{valid_trademarks}}", "2,789,300", "278.93万"),  # a count: never "2.7893 million"
    ("{{invention_patents_granted}}", "50,700", "5.07万"),
    ("{{ip_cases_accepted:number}}", "47,388", "47388"),
    ("{{ip_cases_accepted}}", "over 47,388", "超过47388"),
    ("{{ip_cases_concluded}}", "more than 52,061", "逾52061"),
    ("{{case_value}}", "exceeding 8.5 billion RMB", "超过85亿元"),
    ("{{punitive_damages}}", "over 110 million RMB", "超过1.1亿元"),
    ("{{punitive_damages:number}}", "110 million RMB", "1.1亿元"),
    ("{{small_fines}}", "628,900 RMB", "62.89万元"),
    ("{{trademark_agencies}}", "1,923", "1923"),
    ("{{patent_agents:rate}}", "12.04%", "12.04%"),
    ("{{high_value_invention_patents_per_10k:yoy}}", "up 15.30%", "同比增长15.30%"),
    ("{{high_value_invention_patents_per_10k:rate}}", "15.30%", "15.30%"),
    ("{{flat_indicator:yoy}}", "unchanged", "同比持平"),
    ("{{appeal_rate}}", "4.34%", "4.34%"),
    ("{{pledge_financing_amount@2023}}", "22.76 billion RMB", "227.6亿元"),
]


@pytest.mark.parametrize(("code", "en", "zh"), TABLE + MORE)
def test_render_rows(code: str, en: str, zh: str) -> None:
    assert _render(code, "en") == en
    assert _render(code, "zh") == zh


def test_render_keeps_counters_and_nouns_in_the_prose() -> None:
    assert _render("授权发明专利{{invention_patents_granted}}件", "zh") == "授权发明专利5.07万件"
    assert (_render("{{invention_patents_granted}} invention patents", "en")
            == "50,700 invention patents")
    assert (_render("每万人口高价值发明专利拥有量{{high_value_invention_patents_per_10k}}件", "zh")
            == "每万人口高价值发明专利拥有量57.9件")


def test_render_small_chinese_values() -> None:
    values = {("fee", YEAR): FV(D(500), "RMB"), ("cases", YEAR): FV(D(12345)),
              ("big", YEAR): FV(D(29840000000), "RMB"), ("odd", YEAR): FV(D(123456789))}
    assert render("{{fee}}", "zh", values, YEAR) == "500元"
    assert render("{{fee}}", "en", values, YEAR) == "500 RMB"
    assert render("{{cases}}", "zh", values, YEAR) == "12345"
    assert render("{{big}}", "zh", values, YEAR) == "298.4亿元"
    assert render("{{big}}", "en", values, YEAR) == "29.84 billion RMB"
    assert render("{{odd}}", "zh", values, YEAR) == "123456789"


def test_render_without_placeholders_is_identity() -> None:
    text = "Shanghai ranked fifth among {clusters} in 2024."
    assert _render(text, "en") == text


def test_render_missing_key_names_key_year_and_where() -> None:
    with pytest.raises(BindingError) as info:
        render("granted {{patents_grnted}} patents", "en", VALUES, YEAR, WHERE)
    message = str(info.value)
    assert message.startswith(WHERE + ": ")
    assert "patents_grnted" in message and "2024" in message
    assert (info.value.key, info.value.year, info.value.where) == ("patents_grnted", 2024, WHERE)


def test_render_missing_year() -> None:
    with pytest.raises(BindingError) as info:
        render("{{patents_granted@2019}}", "zh", VALUES, YEAR, WHERE)
    assert "patents_granted" in str(info.value) and "2019" in str(info.value)
    assert WHERE in str(info.value)


@pytest.mark.parametrize("form", ["yoy", "rate"])
def test_render_without_yoy(form: str) -> None:
    with pytest.raises(BindingError) as info:
        render(f"{{{{patents_granted:{form}}}}}", "en", VALUES, YEAR, WHERE)
    message = str(info.value)
    assert "patents_granted" in message and "2024" in message and WHERE in message
    assert "year-on-year" in message


def test_render_malformed_names_where() -> None:
    with pytest.raises(BindingError, match=re.escape(WHERE)):
        render("{{ patents_granted }}", "zh", VALUES, YEAR, WHERE)


def test_render_unknown_qualifier_is_a_binding_error() -> None:
    values = {("odd", YEAR): FV(D(5), qualifier="umpteen")}
    with pytest.raises(BindingError, match="odd"):
        render("{{odd}}", "zh", values, YEAR, WHERE)
    assert render("{{odd:number}}", "zh", values, YEAR) == "5"


def test_render_spans_locate_the_figures() -> None:
    text = ("授权{{patents_granted}}件，其中发明专利{{invention_patents_granted}}件，"
            "{{invention_patents_granted:yoy}}。")
    out, spans = render_spans(text, "zh", VALUES, YEAR)
    assert out == "授权15.08万件，其中发明专利5.07万件，同比增长14.28%。"
    assert [(out[a:b], binding.key, binding.form) for a, b, binding in spans] == [
        ("15.08万", "patents_granted", "figure"),
        ("5.07万", "invention_patents_granted", "figure"),
        ("同比增长14.28%", "invention_patents_granted", "yoy"),
    ]
    assert [binding for _, _, binding in spans] == find_bindings(text)


# --------------------------------------------------------------------------- en / zh agree


def _quantity(shown: str, form: str) -> Decimal:
    """The value a rendered figure shows, in base units (qualifier and direction dropped)."""
    sign = 1
    if form == "yoy":
        if shown in ("unchanged", "同比持平"):
            return D(0)
        sign = -1 if shown.startswith(("down", "同比下降")) else 1
        shown = re.sub(r"^(?:up|down) |^同比(?:增长|下降)", "", shown)
    shown = re.sub(r"^(?:over|more than|exceeding|nearly|about|at least|less than) "
                   r"|^(?:超过|逾|近|约|至少|不足)", "", shown)
    return sign * parse_quantity(shown)[0]


@pytest.mark.parametrize("key", sorted({k for k, y in VALUES if y == YEAR}))
def test_english_and_chinese_show_the_same_numbers(key: str) -> None:
    forms = ["figure", "number"]
    if VALUES[(key, YEAR)].yoy_pct is not None:
        forms += ["yoy", "rate"]
    for form in forms:
        code = placeholder(key, form)
        en, zh = _render(code, "en"), _render(code, "zh")
        assert _quantity(en, form) == _quantity(zh, form), (code, en, zh)
        expected = VALUES[(key, YEAR)]
        want = {"yoy": expected.yoy_pct, "rate": abs(expected.yoy_pct or 0)}.get(
            form, expected.value)
        assert _quantity(en, form) == want


# --------------------------------------------------------------------------- binding


def test_bind_the_briefs_english_sentence_round_trip() -> None:
    text = ("In 2024 the city granted 150,800 patents, including 50,700 invention patents, "
            "up 14.28% year-on-year.")
    bound, left = bind_literals(text, "en", VALUES, YEAR)
    assert bound == (
        "In 2024 the city granted {{patents_granted}} patents, including "
        "{{invention_patents_granted}} invention patents, {{invention_patents_granted:yoy}} "
        "year-on-year."
    )
    assert left == []
    assert _render(bound, "en") == text


def test_bind_the_briefs_chinese_sentence_round_trip() -> None:
    text = "2024年，全市专利授权15.08万件，其中发明专利授权5.07万件，同比增长14.28%。"
    bound, left = bind_literals(text, "zh", VALUES, YEAR)
    assert bound == ("2024年，全市专利授权{{patents_granted}}件，其中发明专利授权"
                     "{{invention_patents_granted}}件，{{invention_patents_granted:yoy}}。")
    assert left == []
    assert _render(bound, "zh") == text


EN_PARAGRAPH = (
    "In 2024 the city granted 150,800 patents, including 50,700 invention patents, up 14.28% "
    "year-on-year. PCT international patent filings reached 6,822, an increase of 10.3%. At the "
    "end of the year the city held 278,700 valid invention patents, up 15.44%, and 57.9 "
    "high-value invention patents per 10,000 people, an increase of 15.30% year-on-year. A total "
    "of 2,223 pledge financing transactions were registered, worth 32 billion RMB, year-on-year "
    "growth of 40.6% and 62.3%, respectively. Courts accepted over 47,388 IP cases, down 28.28%, "
    "and fines and confiscations came to 17.9858 million RMB. Nearly 23,000 works went through "
    "the quick channel. The city now has 362 patent agencies, 2,484 patent agents and 1,923 "
    "trademark agencies, with year-on-year growth of 6.47%, 12.04% and 17.55%, respectively."
)
ZH_PARAGRAPH = (
    "2024年，全市专利授权15.08万件，其中发明专利授权5.07万件，同比增长14.28%。"
    "PCT国际专利申请6822件，同比增长10.3%。"
    "年末全市有效发明专利27.87万件，同比增长15.44%；每万人口高价值发明专利拥有量57.9件，同比增长15.30%。"
    "全年办理专利商标质押融资2223笔、金额320亿元，同比分别增长40.6%和62.3%。"
    "法院受理知识产权案件超过47388件，同比下降28.28%；罚没款1798.58万元。"
    "通过快速通道登记作品近2.3万件。"
    "全市共有专利代理机构362家、专利代理师2484人、商标代理机构1923家，同比分别增长6.47%、12.04%和17.55%。"
)


def _numbers(text: str, lang: str) -> list[tuple[Decimal, str, Decimal | None]]:
    return [(f.value, f.unit, f.yoy_pct) for f in extract_figures(text, lang)]


@pytest.mark.parametrize(("text", "lang"), [(EN_PARAGRAPH, "en"), (ZH_PARAGRAPH, "zh")])
def test_bind_render_round_trip_on_a_paragraph(text: str, lang: str) -> None:
    bound, left = bind_literals(text, lang, VALUES, YEAR)
    assert left == []
    assert not re.search(r"\d", re.sub(r"\{\{.*?\}\}|2024年|In 2024|10,000", "", bound))  # all bound
    rendered = _render(bound, lang)
    assert _numbers(rendered, lang) == _numbers(text, lang)
    assert bind_literals(bound, lang, VALUES, YEAR) == (bound, [])  # binding twice changes nothing


def test_chinese_paragraph_comes_back_word_for_word() -> None:
    bound, _ = bind_literals(ZH_PARAGRAPH, "zh", VALUES, YEAR)
    assert _render(bound, "zh") == ZH_PARAGRAPH


def test_english_paragraph_changes_only_direction_wording() -> None:
    bound, _ = bind_literals(EN_PARAGRAPH, "en", VALUES, YEAR)
    assert _render(bound, "en") == EN_PARAGRAPH.replace("an increase of 10.3%", "up 10.3%").replace(
        "an increase of 15.30%", "up 15.30%")


def test_both_languages_bound_give_the_same_numbers() -> None:
    en_bound, _ = bind_literals(EN_PARAGRAPH, "en", VALUES, YEAR)
    zh_bound, _ = bind_literals(ZH_PARAGRAPH, "zh", VALUES, YEAR)
    assert {b.key for b in find_bindings(en_bound)} == {b.key for b in find_bindings(zh_bound)}
    changed = dict(VALUES)
    changed[("patents_granted", YEAR)] = FV(D(162300))
    changed[("pledge_financing_amount", YEAR)] = FV(D(35250000000), "RMB", yoy_pct=D("10.2"))
    en = _render(en_bound, "en", changed)
    zh = _render(zh_bound, "zh", changed)
    assert "162,300 patents" in en and "35.25 billion RMB" in en
    assert "15.08万" not in zh and "16.23万件" in zh and "352.5亿元" in zh
    assert sorted(_numbers(en, "en"), key=str) == sorted(_numbers(zh, "zh"), key=str)


def test_respectively_pattern_binds_bare_rates() -> None:
    text = ("Pledge financing covered 2,223 transactions and 32 billion RMB, with growth of "
            "40.6% and 62.3%, respectively.")
    bound, left = bind_literals(text, "en", VALUES, YEAR)
    assert bound == (
        "Pledge financing covered {{pledge_financing_transactions}} transactions and "
        "{{pledge_financing_amount}}, with growth of {{pledge_financing_transactions:rate}} and "
        "{{pledge_financing_amount:rate}}, respectively."
    )
    assert left == [] and _render(bound, "en") == text


def test_respectively_pattern_in_chinese() -> None:
    text = "质押融资2223笔、金额320亿元，同比分别增长40.6%和62.3%。"
    bound, left = bind_literals(text, "zh", VALUES, YEAR)
    assert bound == ("质押融资{{pledge_financing_transactions}}笔、金额{{pledge_financing_amount}}，"
                     "同比分别增长{{pledge_financing_transactions:rate}}和"
                     "{{pledge_financing_amount:rate}}。")
    assert left == [] and _render(bound, "zh") == text


def test_respectively_with_a_decrease() -> None:
    text = ("Courts accepted over 47,388 cases and concluded more than 52,061, a decrease of "
            "28.28% and 11.74%, respectively.")
    bound, left = bind_literals(text, "en", VALUES, YEAR)
    assert bound == ("Courts accepted {{ip_cases_accepted}} cases and concluded "
                     "{{ip_cases_concluded}}, a decrease of {{ip_cases_accepted:rate}} and "
                     "{{ip_cases_concluded:rate}}, respectively.")
    assert left == [] and _render(bound, "en") == text


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Shanghai recorded over 450,000 copyright registrations.", "en",
         "Shanghai recorded {{copyright_registrations}} copyright registrations."),
        ("著作权登记量超过45万件。", "zh", "著作权登记量{{copyright_registrations}}件。"),
        ("快速登记近2.3万件。", "zh", "快速登记{{quick_registrations}}件。"),
        ("with a case value exceeding 8.5 billion RMB.", "en", "with a case value {{case_value}}."),
        ("罚款超过1.1亿元。", "zh", "罚款{{punitive_damages}}。"),
        # the prose words it differently: the word stays, the number is bound alone
        ("著作权登记量逾45万件。", "zh", "著作权登记量逾{{copyright_registrations:number}}件。"),
        ("著作权登记45万余件。", "zh", "著作权登记{{copyright_registrations:number}}余件。"),
        ("Over 450,000 works were registered.", "en",
         "Over {{copyright_registrations:number}} works were registered."),
        ("Shanghai recorded 450,000 copyright registrations.", "en",
         "Shanghai recorded {{copyright_registrations:number}} copyright registrations."),
        ("About 2,223 transactions were made.", "en",
         "About {{pledge_financing_transactions:number}} transactions were made."),
    ],
)
def test_qualifiers(text: str, lang: str, expected: str) -> None:
    bound, left = bind_literals(text, lang, VALUES, YEAR)
    assert bound == expected
    assert left == []
    assert _render(bound, lang) == text


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Valid invention patents grew by 15.44% to 278,700.", "en",
         ("Valid invention patents grew by {{valid_invention_patents:rate}} to "
          "{{valid_invention_patents}}.")),
        ("Invention patents reached 50,700, a 14.28% increase.", "en",
         ("Invention patents reached {{invention_patents_granted}}, a "
          "{{invention_patents_granted:rate}} increase.")),
        ("发明专利授权5.07万件，比上年增长14.28%。", "zh",
         "发明专利授权{{invention_patents_granted}}件，比上年增长{{invention_patents_granted:rate}}。"),
        ("PCT filings reached 6,822, up by 10.3% year-on-year.", "en",
         ("PCT filings reached {{pct_international_patent_filings}}, "
          "{{pct_international_patent_filings:yoy}} year-on-year.")),
        ("Valid trademarks totaled 2,789,300, a year-on-year increase of 6.7%.", "en",
         "Valid trademarks totaled {{valid_trademarks}}, {{valid_trademarks:yoy}}."),
        ("知识产权案件超过47388件，同比下降了28.28%。", "zh",
         "知识产权案件{{ip_cases_accepted}}件，{{ip_cases_accepted:yoy}}。"),
    ],
)
def test_rates_bound_as_yoy_or_rate(text: str, lang: str, expected: str) -> None:
    bound, left = bind_literals(text, lang, VALUES, YEAR)
    assert bound == expected
    assert left == []
    assert _numbers(_render(bound, lang), lang) == _numbers(text, lang)


def test_full_width_chinese_digits() -> None:
    text = "发明专利授权５．０７万件，同比增长１４．２８％。"
    bound, left = bind_literals(text, "zh", VALUES, YEAR)
    assert bound == "发明专利授权{{invention_patents_granted}}件，{{invention_patents_granted:yoy}}。"
    assert left == []
    assert _render(bound, "zh") == "发明专利授权5.07万件，同比增长14.28%。"


def test_ambiguous_values_are_reported_not_bound() -> None:
    values = {("data_certificates", YEAR): FV(D(150)), ("bank_branches", YEAR): FV(D(150)),
              ("patents_granted", YEAR): FV(D(150800))}
    text = "The city issued 150 certificates and granted 150,800 patents."
    bound, left = bind_literals(text, "en", values, YEAR)
    assert bound == "The city issued 150 certificates and granted {{patents_granted}} patents."
    assert [(f.text, f.value) for f in left] == [("150", D(150))]
    assert candidates(left[0], values, YEAR) == ["bank_branches", "data_certificates"]


def test_qualifier_breaks_a_tie() -> None:
    values = {("a_count", YEAR): FV(D(2000)), ("b_count", YEAR): FV(D(2000), qualifier="over")}
    bound, left = bind_literals("Inspectors checked over 2,000 shops.", "en", values, YEAR)
    assert (bound, left) == ("Inspectors checked {{b_count}} shops.", [])
    bound, left = bind_literals("Inspectors checked 2,000 shops.", "en", values, YEAR)
    assert (bound, left) == ("Inspectors checked {{a_count}} shops.", [])


def test_unmatched_figures_are_reported() -> None:
    text = "全年新增专利代理机构37家，专利授权15.08万件。"
    bound, left = bind_literals(text, "zh", VALUES, YEAR)
    assert bound == "全年新增专利代理机构37家，专利授权{{patents_granted}}件。"
    assert [(f.text, f.value, f.start) for f in left] == [("37", D(37), 10)]


def test_other_years_are_not_bound() -> None:
    text = "The amount was 22.76 billion RMB in 2023 and 32 billion RMB in 2024."
    bound, left = bind_literals(text, "en", VALUES, YEAR)
    assert bound == ("The amount was 22.76 billion RMB in 2023 and {{pledge_financing_amount}} "
                     "in 2024.")
    assert [f.value for f in left] == [D(22760000000)]


def test_units_must_match() -> None:
    values = {("fee", YEAR): FV(D(500), "RMB")}
    bound, left = bind_literals("The office handled 500 cases.", "en", values, YEAR)
    assert bound == "The office handled 500 cases." and len(left) == 1


def test_a_rate_that_disagrees_with_the_table_stays_and_is_reported() -> None:
    text = "Invention patents reached 50,700, up 12.5% year-on-year."
    bound, left = bind_literals(text, "en", VALUES, YEAR)
    assert bound == ("Invention patents reached {{invention_patents_granted}}, up 12.5% "
                     "year-on-year.")
    assert [(f.text, f.value, f.unit) for f in left] == [("12.5%", D("12.5"), "%")]


def test_a_direction_that_disagrees_with_the_table_stays() -> None:
    text = "发明专利授权5.07万件，同比下降14.28%。"
    bound, left = bind_literals(text, "zh", VALUES, YEAR)
    assert bound == "发明专利授权{{invention_patents_granted}}件，同比下降14.28%。"
    assert [(f.text, f.value) for f in left] == [("14.28%", D("-14.28"))]


def test_a_rate_for_an_indicator_without_yoy_stays() -> None:
    text = "Patents granted totaled 150,800, up 3.1%."
    bound, left = bind_literals(text, "en", VALUES, YEAR)
    assert bound == "Patents granted totaled {{patents_granted}}, up 3.1%."
    assert [f.text for f in left] == ["3.1%"]


def test_percentage_figures_are_bound_as_figures() -> None:
    text = "The appeal rate for IP cases was 4.34%."
    bound, left = bind_literals(text, "en", VALUES, YEAR)
    assert (bound, left) == ("The appeal rate for IP cases was {{appeal_rate}}.", [])


def test_existing_placeholders_are_kept_and_checked() -> None:
    text = "{{patents_granted}} patents, including 50,700 invention patents."
    bound, left = bind_literals(text, "en", VALUES, YEAR)
    assert bound == ("{{patents_granted}} patents, including {{invention_patents_granted}} "
                     "invention patents.")
    assert left == []
    with pytest.raises(BindingError, match=re.escape(WHERE)):
        bind_literals("{{Patents}} and 150,800", "en", VALUES, YEAR, WHERE)


def test_values_are_decimals_and_keep_their_precision() -> None:
    values = {("share", YEAR): FV(D("15.30"), "%", yoy_pct=D("0.50"))}
    assert render("{{share}}, {{share:yoy}}", "en", values, YEAR) == "15.30%, up 0.50%"
    assert render("{{share}}，{{share:yoy}}", "zh", values, YEAR) == "15.30%，同比增长0.50%"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("著作权登记量不超过45万件。", "zh", "著作权登记量不超过{{copyright_registrations:number}}件。"),
        ("There were no more than 52,061 cases.", "en",
         "There were no more than {{ip_cases_concluded:number}} cases."),
    ],
)
def test_negated_qualifiers_stay_in_the_prose(text: str, lang: str, expected: str) -> None:
    bound, _ = bind_literals(text, lang, VALUES, YEAR)
    assert bound == expected
    assert _render(bound, lang) == text


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The government held four executive meetings.", "en"), ("市政府召开四次常务会议。", "zh")],
)
def test_numbers_in_words_keep_their_words(text: str, lang: str) -> None:
    values = {("executive_meetings", YEAR): FV(D(4))}
    bound, left = bind_literals(text, lang, values, YEAR)
    assert bound == text
    assert [f.value for f in left] == [D(4)]


def test_the_seed_report_binds_without_changing_its_numbers(seed_text: str) -> None:
    paragraphs = [p for p in seed_text.split("\n\n") if re.search(r"\d", p)]
    values: dict[tuple[str, int], Indicator] = {}
    for p in paragraphs:
        for f in extract_figures(p, "en"):
            key = f"figure_{len(values)}"
            values[(key, YEAR)] = Indicator(key, YEAR, f.value, f.unit, f.qualifier, f.yoy_pct)
    bound_count = 0
    for p in paragraphs:
        bound, _ = bind_literals(p, "en", values, YEAR)
        bound_count += len(find_bindings(bound))
        assert _numbers(_render(bound, "en", values), "en") == _numbers(p, "en")
    assert bound_count > 60
