"""Strict parsing and per-language formatting of figures (ipviewer.numbers)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ipviewer.numbers import (
    NumberError,
    canonical_unit,
    format_figure,
    format_number,
    format_qualifier,
    format_quantity,
    format_rate,
    format_yoy,
    parse_number,
    parse_quantity,
    scale_power,
)

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("150800", "150800"),
        ("150,800", "150800"),
        ("2,789,300", "2789300"),
        ("36, 800", "36800"),
        ("17.9858", "17.9858"),
        ("-3.5", "-3.5"),
        ("+4.6", "4.6"),
        ("0", "0"),
        ("0.5", "0.5"),
        ("15.30", "15.30"),
        ("1,000,000.25", "1000000.25"),
        ("１５０，８００", "150800"),
        ("１７．９８５８", "17.9858"),
        ("\u22123.5", "-3.5"),
        ("\uff0d3.5", "-3.5"),
        ("  628,900 ", "628900"),
        ("12\u00a0", "12"),
    ],
)
def test_parse_number_accepts(text: str, expected: str) -> None:
    value = parse_number(text)
    assert isinstance(value, Decimal)
    assert value == D(expected)
    assert str(value) == expected  # exact digits, printed precision kept


@pytest.mark.parametrize(
    "text",
    [
        "1,2,3", "1.234,5", "12,34", "1,2345", "1234,567", "NaN", "nan", "inf", "-Infinity",
        "1e400", "1e5", "1E5", "", "   ", "1..2", "--1", "+-1", "1.", ".5", "0123", "12 345",
        "36,  800", "1,000.5.5", "abc", "15.08万", "1,000,", ",100", "1 000", "2.5%", "0x10",
        "1_000", "9" * 31,
    ],
)
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(NumberError) as info:
        parse_number(text)
    assert repr(text) in str(info.value)


def test_parse_number_refuses_non_text() -> None:
    with pytest.raises(NumberError):
        parse_number(150800)  # type: ignore[arg-type]


def test_number_error_is_a_value_error_with_reason() -> None:
    with pytest.raises(ValueError, match="exactly three digits"):
        parse_number("12,34")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("32 billion RMB", "32000000000", "RMB"),
        ("17.9858 million RMB", "17985800", "RMB"),
        ("2.7893 million", "2789300", ""),
        ("15.08万", "150800", ""),
        ("320亿元", "32000000000", "RMB"),
        ("3.2亿", "320000000", ""),
        ("628,900 RMB", "628900", "RMB"),
        ("110 million yuan", "110000000", "RMB"),
        ("14.28%", "14.28", "%"),
        ("15.30%", "15.30", "%"),
        ("-3.5%", "-3.5", "%"),
        ("5.07万件", "50700", ""),
        ("2223笔", "2223", ""),
        ("362家", "362", ""),
        ("2484人", "2484", ""),
        ("47388 ", "47388", ""),
        ("12 thousand", "12000", ""),
        ("4 hundred million", "400000000", ""),
        ("5千", "5000", ""),
        ("1.5百万", "1500000", ""),
        ("2千万", "20000000", ""),
        ("1798.58万元", "17985800", "RMB"),
        ("RMB 4.25 billion", "4250000000", "RMB"),
        ("1.2 trillion yuan", "1200000000000", "RMB"),
        ("３２０亿元", "32000000000", "RMB"),
        ("6.5 million US dollars", "6500000", "USD"),
        ("0.5万", "5000", ""),
        ("1.23456 thousand", "1234.56", ""),
    ],
)
def test_parse_quantity(text: str, value: str, unit: str) -> None:
    got_value, got_unit = parse_quantity(text)
    assert (got_value, got_unit) == (D(value), unit)
    assert str(got_value) == value  # whole values carry no ".0000" tail


@pytest.mark.parametrize(
    "text",
    ["", "million", "万", "1e5", "5 apples", "3%万", "45万余件", "12,34 million", "NaN 万",
     "RMB 5 USD", "2 billion%", "1.2.3亿"],
)
def test_parse_quantity_refuses(text: str) -> None:
    with pytest.raises(NumberError):
        parse_quantity(text)


def test_scale_power_and_units() -> None:
    assert scale_power("hundred million") == 8
    assert scale_power("千万") == 7
    assert scale_power("") == 0
    with pytest.raises(NumberError):
        scale_power("lakh")
    assert canonical_unit("yuan") == "RMB"
    assert canonical_unit("元") == "RMB"
    assert canonical_unit("件") == ""
    assert canonical_unit("per 10,000 people") == "per 10,000 people"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("150800", "en", "150,800"),
        ("150800", "zh", "150,800"),
        ("15.30", "en", "15.30"),
        ("17.9858", "zh", "17.9858"),
        ("-3.5", "en", "-3.5"),
        ("2789300", "en", "2,789,300"),
    ],
)
def test_format_number(value: str, lang: str, expected: str) -> None:
    assert format_number(D(value), lang) == expected


@pytest.mark.parametrize(
    ("value", "unit", "lang", "expected"),
    [
        ("32000000000", "RMB", "en", "32 billion RMB"),
        ("150800", "", "en", "150,800"),
        ("17985800", "RMB", "en", "17.9858 million RMB"),
        ("628900", "RMB", "en", "628,900 RMB"),
        ("2789300", "", "en", "2,789,300"),
        ("14.28", "%", "en", "14.28%"),
        ("32000000000", "RMB", "zh", "320亿元"),
        ("150800", "", "zh", "15.08万"),
        ("2789300", "", "zh", "278.93万"),
        ("17985800", "RMB", "zh", "1798.58万元"),
        ("628900", "RMB", "zh", "62.89万元"),
        ("47388", "", "zh", "47388"),  # 4.7388万 would show more digits than the report does
        ("6822", "", "zh", "6822"),  # Chinese prints plain digits, never grouped
        ("1923", "", "zh", "1923"),
        ("50700", "", "zh", "5.07万"),
        ("23000", "", "zh", "2.3万"),
        ("10000", "", "zh", "1万"),
        ("110000000", "RMB", "zh", "1.1亿元"),
        ("29840000000", "RMB", "zh", "298.4亿元"),
        ("500", "RMB", "zh", "500元"),
        ("110000000", "RMB", "en", "110 million RMB"),
        ("14.28", "%", "zh", "14.28%"),
        ("15.30", "%", "zh", "15.30%"),
        ("123456789", "", "zh", "123456789"),
        ("1234567800", "", "zh", "123456.78万"),
    ],
)
def test_format_quantity(value: str, unit: str, lang: str, expected: str) -> None:
    assert format_quantity(D(value), unit, lang) == expected


def test_format_quantity_compact_switch() -> None:
    assert format_quantity(D("2789300"), "", "en", compact=True) == "2.7893 million"
    assert format_quantity(D("32000000000"), "RMB", "en", compact=False) == "32,000,000,000 RMB"
    assert format_quantity(D("150800"), "", "zh", compact=False) == "150800"


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "lang", "expected"),
    [
        ("450000", "", "over", "en", "over 450,000"),
        ("450000", "", "over", "zh", "超过45万"),
        ("450000", "", "more than", "zh", "逾45万"),
        ("450000", "", "exceeding", "zh", "超过45万"),
        ("23000", "", "nearly", "zh", "近2.3万"),
        ("23000", "", "about", "zh", "约2.3万"),
        ("8500000000", "RMB", "at least", "zh", "至少85亿元"),
        ("8500000000", "RMB", "less than", "en", "less than 8.5 billion RMB"),
        ("57.9", "per 10,000 people", "", "en", "57.9"),  # the prose words the unit
        ("57.9", "per 10,000 people", "", "zh", "57.9"),
        ("4.34", "%", "", "zh", "4.34%"),
    ],
)
def test_format_figure(value: str, unit: str, qualifier: str, lang: str, expected: str) -> None:
    assert format_figure(D(value), unit, qualifier, lang) == expected


def test_format_qualifier_and_rate() -> None:
    assert format_qualifier("", "zh") == ""
    assert format_qualifier("More  than", "en") == "more than"
    with pytest.raises(ValueError, match="roughly"):
        format_qualifier("roughly", "en")
    assert format_rate(D("-28.28"), "zh") == "28.28%"
    assert format_rate(D("15.30"), "en") == "15.30%"


@pytest.mark.parametrize(
    ("text", "lang"),
    [("32 billion RMB", "en"), ("17.9858 million RMB", "en"), ("150,800", "en"),
     ("320亿元", "zh"), ("15.08万", "zh"), ("14.28%", "zh"), ("1798.58万元", "zh")],
)
def test_format_parse_round_trip(text: str, lang: str) -> None:
    value, unit = parse_quantity(text)
    assert format_quantity(value, unit, lang) == text


@pytest.mark.parametrize(
    ("pct", "lang", "expected"),
    [
        ("14.28", "en", "up 14.28%"),
        ("-28.28", "en", "down 28.28%"),
        ("14.28", "zh", "同比增长14.28%"),
        ("-28.28", "zh", "同比下降28.28%"),
        ("15.30", "en", "up 15.30%"),
        ("0", "en", "unchanged"),
        ("0", "zh", "同比持平"),
    ],
)
def test_format_yoy(pct: str, lang: str, expected: str) -> None:
    assert format_yoy(D(pct), lang) == expected
