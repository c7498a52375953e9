"""The figure vocabulary has one home (ipviewer.indicators): every reader and writer of
qualifiers, counters and units agrees with it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ipviewer import indicators
from ipviewer.indicator_files import (
    IndicatorFileError,
    read_indicator_file,
    write_indicator_file,
)
from ipviewer.indicators import (
    ALLOWED_QUALIFIERS,
    LOWER_BOUNDS,
    QUALIFIERS,
    ROUNDED,
    ZH_COUNTERS,
    qualifier_family,
    qualifier_words,
)
from ipviewer.model import Indicator, ParsedReport
from ipviewer.numbers import canonical_unit, format_figure, format_qualifier, parse_quantity
from ipviewer.prose.candidates import EN_QUALIFIERS, ZH_QUALIFIERS, ZH_QUALIFIERS_AFTER
from ipviewer.prose.extract import extract_figures

D = Decimal


def test_every_prose_qualifier_word_means_a_canonical_qualifier() -> None:
    for table in (EN_QUALIFIERS, ZH_QUALIFIERS, ZH_QUALIFIERS_AFTER):
        for word, name in table.items():
            assert name in QUALIFIERS, (word, name)


def test_the_derived_sets() -> None:
    assert ALLOWED_QUALIFIERS == ("", "over", "more than", "exceeding", "nearly", "about",
                               "at least", "up to", "less than")
    assert LOWER_BOUNDS == {"over", "more than", "exceeding", "at least"}
    assert ROUNDED == set(QUALIFIERS)
    assert list(indicators.QUALIFIER_LABELS) == list(QUALIFIERS)  # the window's names
    assert {qualifier_family(q) for q in ("over", "More  than", "exceeding")} == {"over"}
    assert qualifier_family("nearly") == "nearly" and qualifier_family("") == ""
    assert qualifier_family("roughly") == "roughly"  # unknown: its own family
    assert qualifier_words("zh")[0] in ("超过", "至少", "最多", "不足")  # longest first
    assert set(qualifier_words("en")) == {q.en for q in QUALIFIERS.values()}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(QUALIFIERS))
def test_what_bound_prose_prints_is_read_back_as_the_same_qualifier(name: str, lang: str) -> None:
    """The words a qualifier is printed with are read back by the prose engine as a
    qualifier of the same family (before: 最多, printed for "up to", was not read at all)."""
    figure = format_figure(D(450000), "", name, lang)
    text = (f"The office registered {figure} trademarks." if lang == "en"
            else f"全市登记商标{figure}件。")
    [found] = extract_figures(text, lang)
    assert found.value == D(450000)
    assert qualifier_family(found.qualifier) == qualifier_family(name)
    assert format_qualifier(name, lang) == getattr(QUALIFIERS[name], lang)


def test_indicator_files_accept_exactly_the_canonical_qualifiers(tmp_path: Path) -> None:
    rows = [Indicator(f"k{i}", 2024, D(i), "", name) for i, name in
            enumerate(ALLOWED_QUALIFIERS)]
    path = tmp_path / "q.csv"
    write_indicator_file(rows, path)
    assert [row.qualifier for row in read_indicator_file(path)] == list(ALLOWED_QUALIFIERS)
    path.write_text("key,year,value,qualifier\nk,2024,5,roughly\n", encoding="utf-8")
    with pytest.raises(IndicatorFileError) as err:
        read_indicator_file(path)
    assert "q.csv:2" in str(err.value) and ", ".join(ALLOWED_QUALIFIERS[1:]) in str(err.value)
    with pytest.raises(IndicatorFileError):
        write_indicator_file([Indicator("k", 2024, D(1), "", "roughly")], tmp_path / "w.csv")


def test_every_counter_is_no_unit_and_glues_to_its_number() -> None:
    for counter in ZH_COUNTERS:
        assert canonical_unit(counter) == ""
        assert parse_quantity(f"5万{counter}") == (D(50000), "")
    for unit, word in indicators.ZH_UNIT_WORDS.items():
        if unit in indicators.CURRENCIES:
            assert canonical_unit(word) == unit


@pytest.mark.parametrize(("text", "expected"), [
    ("公安机关破获两起案件。", [(D(2), "案件")]),  # 起 counts cases, as it does after digits
    ("全市新建三座场馆，发放两本手册。", [(D(3), None), (D(2), None)]),
    ("市里举办十届论坛。", []),  # a session, not a count: as 10届 is not one
    ("增速下降两个百分点。", []),  # as 2个百分点 is not one
])
def test_numbers_in_words_take_the_same_counters_as_digits(text: str, expected) -> None:
    found = [(f.value, f.label if expected and expected[0][1] else None)
             for f in extract_figures(text, "zh")]
    assert found == expected


def test_a_lower_bound_total_is_not_checked_but_an_upper_bound_is(tmp_path: Path) -> None:
    from ipviewer.checks import run_checks
    from ipviewer.model import Node
    from ipviewer.store import ReportStore

    def findings(qualifier: str) -> list[str]:
        text = (f"The city received {qualifier} 1,000 applications, of which 2,600 "
                "were approved.")
        report = ParsedReport("en", title="T", nodes=[Node("paragraph", text_en=text)])
        path = tmp_path / f"{qualifier or 'none'}.sqlite".replace(" ", "_")
        with ReportStore.create(path, report, 2024) as store:
            return [f.code for f in run_checks(store) if f.code == "parts-exceed-total"]

    for name in ALLOWED_QUALIFIERS:
        assert findings(name) == ([] if name in LOWER_BOUNDS else ["parts-exceed-total"]), name
