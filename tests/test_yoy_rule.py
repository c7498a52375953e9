"""The year-on-year rule (ipviewer.indicators): one rule for the window and the checks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipviewer.checks.report_checks import yoy_findings
from ipviewer.indicators import (
    half_unit,
    rate_agrees,
    rate_step,
    shown_change,
    yoy_change,
    yoy_range,
    yoy_verdict,
)
from ipviewer.model import Indicator, decimal_text
from ipviewer.ui.indicator_model import _computed_yoy

D = Decimal
#: Stored values as a report holds them: up to 3 decimals, either sign.
amounts = st.builds(lambda n, places: D(n).scaleb(-places),
                    st.integers(-10**9, 10**9), st.integers(0, 3))


def test_half_unit_and_step_follow_the_printed_digits():
    assert half_unit(D(278700)) == 50 and half_unit(D("57.9")) == D("0.05")
    assert half_unit(D(2223)) == 0 and half_unit(D(150)) == 0
    assert rate_step(D("14.28")) == D("0.01") and rate_step(D(14)) == 1
    assert shown_change(D("14.2857"), D("14.3")) == D("14.3")
    assert shown_change(D("14.2857"), None) == D("14.29")


def test_no_change_against_nothing_or_a_negative_base():
    assert yoy_change(D(5), D(0)) is None and yoy_range(D(5), D(0)) is None
    assert yoy_change(D(-5), D(-10)) is None and yoy_verdict(D(5), D(-10), D(1)) is None
    assert yoy_change(D(150800), D(132000)).quantize(D("0.01")) == D("14.24")


def test_a_negative_value_against_a_rounded_prior_is_judged_at_the_right_corners():
    # -3.5 against 100 (rounded to the hundred) is -107.1 % … -102.3 %: the old checks'
    # formula gave an empty range here and called every stated rate wrong.
    low, high = yoy_range(D("-3.5"), D(100))
    assert low < high
    assert rate_agrees(D("-103.5"), (low, high)) and not rate_agrees(D("-110"), (low, high))


@settings(max_examples=300, deadline=None)
@given(amounts, amounts.filter(lambda d: d > 0), st.integers(0, 3))
def test_the_rate_the_figures_give_is_always_accepted(value, prior, places):
    stated = shown_change(yoy_change(value, prior), D(1).scaleb(-places))
    assert yoy_verdict(value, prior, stated) == (stated, False)


@settings(max_examples=300, deadline=None)
@given(amounts, amounts, st.one_of(st.none(), amounts))
def test_the_window_and_the_checks_agree(value, prior, stated):
    """The computed column is coloured exactly when the checks report a ``yoy`` error."""
    row = {"value": decimal_text(value), "prior_value": decimal_text(prior),
           "yoy_pct": None if stated is None else decimal_text(stated)}
    window = _computed_yoy(row)
    indicators = [Indicator("k", 2024, value, yoy_pct=stated, node_id=1),
                  Indicator("k", 2023, prior)]
    flagged = bool(yoy_findings(indicators, 2024))
    assert (window is not None and window[1]) == flagged
    if window is not None:
        assert window[0] == shown_change(yoy_change(value, prior), stated)


@pytest.mark.parametrize("text", ["-0", "-0.0", "0.00"])
def test_zero_is_stored_without_a_sign(text):
    assert decimal_text(D(text)) == text.lstrip("-")
