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
#: A Chinese scale in English words, for a chart both languages read (yearbook style).
_ZH_SCALE_IN_EN = {8: "100 million", 4: "10,000"}
_CURRENCY_AFTER_ZH_SCALE = {"RMB": "yuan", "USD": "US dollars", "EUR": "euros"}
#: Chinese counter words (what a count is counted in: 件, 家) as bilingual yearbooks
#: translate them; a counter not here is left out of the English.
COUNTER_WORDS = {"件": "pieces", "个": "units", "项": "items", "人": "persons",
                 "人次": "person-times", "次": "times", "笔": "transactions", "家": "units",
                 "张": "certificates", "篇": "articles", "部": "works", "名": "persons"}
#: Most decimals a bar's label shows.
BAR_DECIMALS = 2
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


def tick_labels(ticks: Sequence[Decimal], power: int, lang: str,
                group: bool | None = None) -> list[str]:
    """``ticks`` divided by ``10**power``, formatted for ``lang`` with one number of decimals.

    Digits are grouped as the report's text groups them (English ``8,000``, Chinese
    ``8000``) unless ``group`` says otherwise (a chart both languages read).
    """
    scaled = [t.scaleb(-power) for t in ticks]
    decimals = max((max(0, -s.normalize().as_tuple().exponent) for s in scaled), default=0)
    quantum = Decimal(1).scaleb(-decimals)
    grouped = lang != "zh" if group is None else group
    return [format_number(s.quantize(quantum), lang, group=grouped) for s in scaled]


def value_labels(values: Sequence[Decimal], power: int, lang: str,
                 group: bool | None = None, decimals: int = BAR_DECIMALS) -> list[str]:
    """The labels on the bars: ``values`` in the axis's scale (divided by ``10**power``),
    grouped like :func:`tick_labels` (the axis says ``8000`` where the bar says ``6822``,
    never ``8,000`` next to ``6822``), rounded to at most ``decimals`` places (a chart is
    read at a glance; the table and the text keep every digit)."""
    quantum = Decimal(1).scaleb(-decimals)
    grouped = lang != "zh" if group is None else group
    labels = []
    for value in values:
        scaled = value.scaleb(-power)
        if -scaled.normalize().as_tuple().exponent > decimals:
            scaled = scaled.quantize(quantum)
        labels.append(format_number(_plain(scaled), lang, group=grouped))
    return labels


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros after the decimal point, never in exponent form."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def axis_unit_in_english(power: int, unit: str, counter: str = "", unit_name: str = "") -> str:
    """The English of a Chinese-scaled axis (``万件`` -> ``10,000 pieces``, ``亿元`` ->
    ``100 million yuan``), as bilingual statistical yearbooks write it; ``counter`` is the
    Chinese counter word the text uses after the figure (``件``), ``unit_name`` the unit in
    English for other units."""
    scale = _ZH_SCALE_IN_EN.get(power, "")
    if unit in CURRENCIES:
        what = _CURRENCY_AFTER_ZH_SCALE.get(unit, unit)
    elif unit == "%":
        what = "%"
    else:
        what = unit_name or COUNTER_WORDS.get(counter, "")
    return " ".join(w for w in (scale, what) if w)


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
