"""What one chart of the PDF prints: an indicator over the years with every label, in the
document's language or both (plain text and numbers, before any drawing)."""

from __future__ import annotations

from dataclasses import dataclass

from ..chart_axis import (
    axis_scale,
    axis_unit,
    axis_unit_in_english,
    nice_ticks,
    tick_labels,
    value_labels,
)
from ..indicators import CURRENCIES
from ..model import Indicator
from .styles import LAYOUT_LANGS, doc_text


@dataclass
class ChartSeries:
    """One indicator over the years, with every label the chart prints.

    ``title`` and ``unit_line`` hold a line per language ('both': Chinese, then English).
    """

    key: str
    title: str
    unit_line: str
    years: list[int]
    #: Bar heights and value-axis ticks in the axis' scale (:mod:`ipviewer.chart_axis`).
    values: list[float]
    bar_labels: list[str]
    ticks: list[float]
    tick_labels: list[str]
    #: The first and last year of the time axis (0, 0: the series' own); the charts of one
    #: figure share one span, so a year stands at the same place in each.
    span: tuple[int, int] = (0, 0)


def chart_series(key: str, rows: list[Indicator], lang: str, names: dict[str, str],
                 zh_unit: str = "", counter: str = "") -> ChartSeries:
    """The chart of ``rows`` (one indicator, oldest year first) in ``lang`` ('zh', 'en' or
    'both'). ``names`` is the indicator's name per language, ``zh_unit`` its unit in
    Chinese (每万人) and ``counter`` the counter word of the Chinese text (件).

    Ticks and bar labels share the axis' scale and number form. In 'both' the numbers are
    counted in Chinese scales (万, 亿) with grouped digits, which both readers read, and
    the unit is given in both languages (单位：万件 / Unit: 10,000 pieces).
    """
    values = [r.value for r in rows]
    unit = rows[-1].unit
    code = "en" if lang == "en" else "zh"
    group = True if lang == "both" else None
    ticks = nice_ticks(min(values), max(values))
    power, _word = axis_scale(max(abs(v) for v in values), code)
    units = {}
    for each in LAYOUT_LANGS[lang]:
        if unit in CURRENCIES or unit == "%":
            named = ""
        else:
            named = (zh_unit or counter) if each == "zh" else unit
        units[each] = (axis_unit(power, unit, each, named) if each == code
                       else axis_unit_in_english(power, unit, counter, named))
    return ChartSeries(
        key=key, title="\n".join(dict.fromkeys(n for n in names.values() if n)),
        unit_line="\n".join(doc_text("chart_unit", each, unit=u) for each, u in units.items()
                            if u),
        years=[r.year for r in rows],
        values=[float(v.scaleb(-power)) for v in values],
        bar_labels=value_labels(values, power, code, group),
        ticks=[float(t.scaleb(-power)) for t in ticks],
        tick_labels=tick_labels(ticks, power, code, group))
