"""The value axis of the charts (ipviewer.chart_axis): round ticks that hold every value."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from ipviewer.chart_axis import axis_scale, axis_unit, tick_labels, value_axis

D = Decimal
values = st.lists(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False,
                              allow_infinity=False), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(values, st.sampled_from(["en", "zh"]), st.sampled_from(["", "RMB", "%"]))
def test_ticks_hold_every_value_in_at_most_six_round_steps(numbers, lang, unit):
    ticks, power, labels, _unit = value_axis(numbers, unit, lang)
    assert ticks[0] <= min(min(numbers), 0) and ticks[-1] >= max(max(numbers), 0)
    assert D(0) in ticks and 2 <= len(ticks) <= 7
    steps = {b - a for a, b in pairwise(ticks)}
    assert len(steps) == 1
    (step,) = steps
    assert step.normalize().as_tuple().digits in ((1,), (2,), (2, 5), (5,))
    assert len(labels) == len(ticks) and len(set(labels)) == len(labels)
    assert power in (0, 3, 4, 6, 8, 9)


def test_scales_and_units_read_like_the_report():
    assert axis_scale(D(278700), "zh") == (4, "万")
    assert axis_scale(D(278700), "en") == (3, "thousands")
    assert axis_scale(D(6822), "en") == (0, "")  # below 10,000 grouped digits read well
    assert axis_scale(D(32000000000), "zh") == (8, "亿")
    assert axis_unit(9, "RMB", "en") == "billion RMB"
    assert axis_unit(0, "per 10,000 people", "en") == ""  # the window: left to the name
    assert axis_unit(0, "per 10,000 people", "en", "per 10,000 people") == "per 10,000 people"
    assert axis_unit(4, "", "zh", "件") == "万件"
    assert tick_labels([D(0), D(20000), D(40000)], 4, "zh") == ["0", "2", "4"]
    assert tick_labels([D(-5), D(0), D(5)], 0, "en") == ["-5", "0", "5"]
