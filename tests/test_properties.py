"""Properties over open-ended input (hypothesis), issue 11.

- the number parser never raises anything but :class:`NumberError`, and what it accepts
  is in bounds; what ``format_quantity`` / ``format_figure`` write, ``parse_quantity``
  reads back exactly, in both languages;
- the figure extractor never raises, its spans lie inside the text and say what they
  hold, and its time grows linearly;
- the binding mask is the pattern it replaced, without its time; placeholders and
  binding raise only :class:`BindingError`;
- the importer, on any text, raises nothing but its own errors.
"""

from __future__ import annotations

import re
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipviewer.importing.pipeline import create_report, parse_text
from ipviewer.importing.structure import ParagraphTooLong
from ipviewer.model import Indicator
from ipviewer.numbers import (
    MAX_DIGITS,
    NumberError,
    canonical_unit,
    format_figure,
    format_quantity,
    parse_number,
    parse_quantity,
    scale_power,
)
from ipviewer.prose.bindings import BindingError, bind_literals, find_bindings, render
from ipviewer.prose.extract import extract_figures, mask_bindings
from ipviewer.report_text import stored_figure_values
from test_safety_linear_time import LIMIT, growth

FAST = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

#: Pieces figures are made of, in both languages, and what surrounds them in prose.
PIECES = [*"0123456789", ",", ".", " ", "%", "-", "+", "−", "１", "２", "，", "．", "％",
          "万", "亿", "千", "百", "十", "萬", "億", "元", "件", "家", "余", "多", "$", "¥", "e",
          "million", "billion", "hundred", "thousand", "trillion", " RMB", " yuan", " USD",
          " per ", "people", "\n", "\t", "\u00a0", "\u3000", "nan", "inf", "_", "(", ")"]
PROSE = [*PIECES, "。", "；", "：", "、", "“", "”", '"', "up ", "down ", "over ", "nearly ",
         "an increase of ", "a decrease of ", "year-on-year", " respectively", "同比增长",
         "下降", "超过", "近", "分别", "其中", "of which ", "including ", " cases", " patents",
         "reached ", "totaled ", "worth ", "No. ", "Article ", "2024", "年", "月", "第",
         "两", "三", "个", "{{", "}}", "{{key}}", "{{k:yoy@2023}}", "**", "#", "【", "】",
         "（一）", "I. ", "Part ", "a", "B", "z", "专利", "发明", ". ", "! ", "? "]

numberish = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
prose = st.lists(st.sampled_from(PROSE), max_size=60).map("".join)
anything = st.text(alphabet=st.characters(exclude_categories=()), max_size=80)  # surrogates too


# -- the number parser ------------------------------------------------------------------------

@FAST
@given(st.one_of(numberish, anything))
def test_the_number_parser_raises_only_number_error(text):
    for parse in (parse_number, scale_power, canonical_unit):
        try:
            parse(text)
        except NumberError:
            pass
    try:
        value, unit = parse_quantity(text)
    except NumberError as err:
        assert err.reason and str(err)
    else:
        assert value.is_finite() and (not value or value.adjusted() < MAX_DIGITS)
        assert isinstance(unit, str)


@st.composite
def figures(draw):
    """A value with at most 27 digits before and 6 after the point, and a unit."""
    coefficient = draw(st.integers(-(10**20), 10**20))
    exponent = draw(st.integers(-6, 6))
    return Decimal(coefficient).scaleb(exponent), draw(
        st.sampled_from(["", "RMB", "USD", "EUR", "%", "per 10,000 people"]))


@FAST
@given(figures(), st.sampled_from(["en", "zh"]), st.sampled_from([None, True, False]))
def test_format_then_parse_gives_the_value_back(figure, lang, compact):
    value, unit = figure
    written = format_quantity(value, unit, lang, compact)
    assert parse_quantity(written) == (value, unit), written
    shown = format_figure(value, unit, "", lang)
    expected_unit = unit if unit in ("RMB", "USD", "EUR", "%") else ""
    assert parse_quantity(shown) == (value, expected_unit), shown


# -- the figure extractor -----------------------------------------------------------------------

@FAST
@given(st.one_of(prose, anything), st.sampled_from(["en", "zh"]))
def test_the_extractor_never_raises_and_its_spans_hold_the_figures(text, lang):
    found = extract_figures(text, lang)
    last = -1
    for figure in found:
        assert 0 <= figure.start < figure.end <= len(text)
        assert text[figure.start:figure.end] == figure.text
        assert figure.start >= last  # in order of appearance
        last = figure.start
        assert figure.value.is_finite() and figure.sentence
        assert figure.yoy_pct is None or figure.yoy_pct.is_finite()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PROSE), min_size=1, max_size=6).map("".join),
       st.sampled_from(["en", "zh"]))
def test_the_extractor_takes_linear_time(unit, lang):
    assert growth(lambda text: extract_figures(text, lang),
                  lambda n: unit * max(1, n // len(unit)), least=0.002) < LIMIT


# -- placeholders -------------------------------------------------------------------------------

_REFERENCE = re.compile(r"\{\{.*?\}\}")  # what the mask does, in quadratic time


@FAST
@given(st.one_of(prose, st.text(alphabet="{}a\n :@", max_size=40), anything))
def test_the_mask_is_the_pattern_it_replaced(text):
    masked = mask_bindings(text)
    assert masked == _REFERENCE.sub(lambda m: " " * len(m.group()), text)
    assert len(masked) == len(text)


VALUES = {("key", 2024): Indicator("key", 2024, Decimal(2024)),
          ("k", 2023): Indicator("k", 2023, Decimal(3))}


@FAST
@given(st.one_of(prose, anything), st.sampled_from(["en", "zh"]))
def test_placeholders_and_binding_raise_only_binding_error(text, lang):
    try:
        bindings = find_bindings(text, "¶1")
    except BindingError as err:
        assert err.problem and "\n" not in str(err)
    else:
        assert all(text[b.start:b.end].startswith("{{") for b in bindings)
    try:
        bind_literals(text, lang, VALUES, 2024)
    except BindingError:
        pass


# -- the importer -------------------------------------------------------------------------------

@FAST
@given(st.lists(st.one_of(prose, anything), max_size=8).map("\n".join),
       st.sampled_from(["en", "zh", None]))
def test_the_importer_raises_only_its_own_errors(text, lang):
    try:
        parsed = parse_text(text, lang)
    except ParagraphTooLong:
        return
    for node in parsed.walk():
        body = node.text(parsed.lang)
        for figure in node.figures:
            assert body[figure.start:figure.end] == figure.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(prose, min_size=1, max_size=4).map("\n\n".join), st.sampled_from(["en", "zh"]))
def test_the_importer_binds_only_what_renders(text, lang):
    """``import`` raises only its own errors, keeps a text with a malformed reference as
    written, and every reference it writes renders (its indicator exists, with a YoY where
    the reference asks for one)."""
    try:
        parsed = parse_text("# Report 2024\n\n" + text, lang)
    except ParagraphTooLong:
        return
    source = {id(node): node.text(lang) for node in parsed.walk()}
    with tempfile.TemporaryDirectory() as tmp, \
            create_report(Path(tmp) / "r.sqlite", parsed, 2024) as store:
        values = {**stored_figure_values(store), **VALUES,
                  ("k", 2023): Indicator("k", 2023, Decimal(3), yoy_pct=Decimal(1))}
    for node in parsed.walk():
        before, after = source[id(node)], node.text(lang)
        try:
            render(before, lang, values, 2024)
        except BindingError:
            assert after == before
            continue
        render(after, lang, values, 2024)
