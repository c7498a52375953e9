"""The value axis of a chart of one indicator over the years: its ticks, the power of ten
its labels are divided by, the labels and what the axis counts in (no Qt).

One rule for the window's chart pane and the PDF's charts, so that both show the same axis:
ticks are round (1, 2, 2.5 or 5 times a power of ten, at most six steps, zero included),
figures are scaled to 万/亿 in Chinese and thousands/millions/billions in English and
formatted as :mod:`ipviewer.numbers` formats them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .indicators import CURRENCIES, ZH_UNIT_WORDS
from .numbers import format_number

#: Scales of the value axis by report language: (power of ten, word), largest first.
#: The words are the report's own (as ``numbers`` prints figures), not UI strings.
_SCALES = {
    "zh": ((8, "亿"), (4, "万")),
    "en": ((9, "billions"), (6, "millions"), (3, "thousands")),
}
#: The same scales before a currency: "billion RMB", "亿元".
_EN_SCALE_BEFORE_UNIT = {9: "billion", 6: "million", 3: "thousand"}
#: The smallest value that gets an English scale (below, grouped digits read well).
_EN_SCALE_FROM = Decimal(10_000)
_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def nice_ticks(low: Decimal, high: Decimal, intervals: int = 5) -> list[Decimal]:
    """Round tick values from at most ``low`` to at least ``high``, zero included.

    Steps are 1, 2, 2.5 or 5 times a power of ten, the smallest of those that covers the
    range in ``intervals`` steps; rounding both ends out to a step may add one more.
    """
    low, high = min(low, Decimal(0)), max(high, Decimal(0))
    if low == high:
        high = low + 1
    raw = (high - low) / intervals
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(m * magnitude for m in _STEPS if m * magnitude >= raw)
    start = (low / step).to_integral_value(ROUND_FLOOR) * step
    end = (high / step).to_integral_value(ROUND_CEILING) * step
    count = int((end - start) / step)
    return [start + step * i for i in range(count + 1)]


def axis_scale(largest: Decimal, lang: str) -> tuple[int, str]:
    """The power of ten and its word to divide axis values by, for the largest absolute
    value: 278,700 is counted in 万 in Chinese and in thousands in English."""
    for power, word in _SCALES["zh" if lang == "zh" else "en"]:
        if largest >= Decimal(10) ** power and (lang == "zh" or largest >= _EN_SCALE_FROM):
            return power, word
    return 0, ""


def axis_unit(power: int, unit: str, lang: str, unit_name: str = "") -> str:
    """What the value axis counts in: ``万``, ``亿元``, ``%``, ``thousands``, ``billion RMB``.

    Like :func:`numbers.format_figure`, currencies and ``%`` are named; another unit
    (``per 10,000 people``) is named only when the caller gives ``unit_name``, the unit as
    ``lang`` writes it (the PDF does; the window leaves it to the indicator's name).
    """
    shown = unit if unit in CURRENCIES or unit == "%" else ""
    if lang == "zh":
        word = dict(_SCALES["zh"]).get(power, "")
        return word + (ZH_UNIT_WORDS.get(shown, shown) if shown else unit_name)
    if not shown and not unit_name:
        return dict(_SCALES["en"]).get(power, "")
    return " ".join(w for w in (_EN_SCALE_BEFORE_UNIT.get(power, ""), shown or unit_name) if w)


def tick_labels(ticks: Sequence[Decimal], power: int, lang: str) -> list[str]:
    """``ticks`` divided by ``10**power``, formatted for ``lang`` with one number of decimals."""
    scaled = [t.scaleb(-power) for t in ticks]
    decimals = max((max(0, -s.normalize().as_tuple().exponent) for s in scaled), default=0)
    quantum = Decimal(1).scaleb(-decimals)
    return [format_number(s.quantize(quantum), lang, group=lang != "zh") for s in scaled]


def value_axis(values: Sequence[Decimal], unit: str, lang: str, unit_name: str = ""
               ) -> tuple[list[Decimal], int, list[str], str]:
    """The whole axis for ``values`` (not empty): (ticks, power of ten, tick labels, what
    it counts in — see :func:`axis_unit`)."""
    ticks = nice_ticks(min(values), max(values))
    power, _word = axis_scale(max(abs(v) for v in values), lang)
    return ticks, power, tick_labels(ticks, power, lang), axis_unit(power, unit, lang, unit_name)


def axis_titles(unit: str, plain: str, with_unit: str) -> list[str]:
    """The value axis's possible titles, longest first: ``with_unit`` (a template with
    ``{unit}``, "Value ({unit})"), then the unit alone; ``plain`` ("Value") without a unit."""
    if not unit:
        return [plain]
    return [with_unit.format(unit=unit), unit]


def fitting_title(titles: Sequence[str], width_of: Callable[[str], float], room: float) -> str:
    """The first of ``titles`` whose width fits ``room`` (the axis's length: a rotated
    title longer than that is cut to "…"); "" when none does."""
    return next((title for title in titles if width_of(title) <= room), "")
