"""Vector bar charts of an indicator over the years (reportlab.graphics, no raster images)."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from .chart_series import ChartSeries
from .colours import SCREEN, Palette

#: ``runs(text, font)`` -> [(font name, run)]: ``text`` in ``font``, except the runs that
#: only the fallback font can draw.
Runs = Callable[[str, str], list[tuple[str, str]]]


def _runs_group(text: str, x: float, y: float, font: str, size: float, runs: Runs,
                anchor: str = "middle", fill=SCREEN.text) -> Group:
    """``text`` as Strings, one per font run, placed as one string anchored at ``x``."""
    parts = runs(text, font) or [(font, text)]
    widths = [stringWidth(run, face, size) for face, run in parts]
    total = sum(widths)
    left = x - total / 2 if anchor == "middle" else (x - total if anchor == "end" else x)
    group = Group()
    for (face, run), width in zip(parts, widths, strict=True):
        group.add(String(left, y, run, fontName=face, fontSize=size, fillColor=fill,
                         textAnchor="start"))
        left += width
    return group


def _wrap(text: str, font: str, size: float, width: float, max_lines: int = 2) -> list[str]:
    """``text`` in at most ``max_lines`` lines of ``width``: at blanks, or between CJK
    characters; the last line is shortened with an ellipsis if the text does not fit."""
    tokens: list[str] = []
    for word in text.split(" "):
        if any(ord(ch) >= 0x2E80 for ch in word):
            tokens.extend(word)  # CJK: any character boundary
        else:
            tokens.append(word + " ")
    lines: list[str] = []
    current = ""
    for token in tokens:
        trial = current + token
        if current and stringWidth(trial.rstrip(), font, size) > width:
            lines.append(current.rstrip())
            current = token
        else:
            current = trial
    lines.append(current.rstrip())
    if len(lines) > max_lines:
        last = " ".join([lines[max_lines - 1], *lines[max_lines:]])
        while last and stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines


def year_positions(years: list[int], left: float, right: float,
                   span: tuple[int, int] = (0, 0)) -> tuple[list[float], float]:
    """The x of each year's bar on a true time axis from ``left`` to ``right``, and the
    width of one year: every calendar year from the first to the last (of ``span`` when
    given) has its slot, so 2015, 2018, 2019 stand 3 and 1 years apart, not evenly."""
    first, last = span if span[0] else (min(years), max(years))
    first, last = min(first, *years), max(last, *years)
    slot = (right - left) / (last - first + 1)
    return [left + (year - first + 0.5) * slot for year in years], slot


def bar_chart(series: ChartSeries, width: float, height: float, body_font: str,
              heading_font: str, runs: Runs, colours: Palette = SCREEN) -> Drawing:
    """A bar chart of ``series``: title, the unit over the value axis, one bar per year on
    a true time axis with its value on top, in the axis's scale and number form.

    The latest year's bar is drawn in the accent colour. All text is in the document's
    fonts (``runs`` switches to the fallback font for characters the body font lacks).
    A title or unit with a line break (both languages) prints a line per language.
    """
    drawing = Drawing(width, height, initialFontName=body_font)
    title_size, label_size = 8.5, 7
    grey = colours.muted  # every colour from the edition's palette (.colours)
    top = height - 4
    for n, text in enumerate(series.title.split("\n")):
        size = title_size if n == 0 else title_size - 1
        for line in _wrap(text, heading_font, size, width - 8):
            top -= size * 1.3
            drawing.add(_runs_group(line, width / 2, top, heading_font, size, runs,
                                    fill=colours.text))
    top -= 3
    # the value axis' title: what it counts in (单位：万件 / Unit: 10,000 pieces)
    lines = series.unit_line.split("\n") if series.unit_line else []
    for line in lines:
        top -= label_size * 1.3
        drawing.add(_runs_group(line, 2, top, body_font, label_size, runs, anchor="start",
                                fill=grey))
    if not lines:  # the plot at the height of its neighbours' that name a unit
        top -= label_size * 1.3
    tick_size = label_size - 0.5
    # room for the tick labels, at least a four-digit one's: the plots of a figure line up
    left = 6 + max(stringWidth(t, body_font, tick_size) for t in [*series.tick_labels, "0,000"])
    right = width - 6
    bottom = 16
    plot_top = top - label_size * 1.6  # room for the tallest bar's label
    low, high = series.ticks[0], series.ticks[-1]
    span = (high - low) or 1.0

    def y_of(value: float) -> float:
        return bottom + (value - low) / span * (plot_top - bottom)

    for tick, label in zip(series.ticks, series.tick_labels, strict=True):
        y = y_of(tick)
        drawing.add(Line(left, y, right, y, strokeColor=colours.grid, strokeWidth=0.4))
        drawing.add(String(left - 3, y - tick_size / 3, label, fontName=body_font,
                           fontSize=tick_size, textAnchor="end", fillColor=colours.text))
    axis = colours.axis
    drawing.add(Line(left, bottom, left, plot_top, strokeColor=axis, strokeWidth=0.5))
    zero = y_of(0.0)
    drawing.add(Line(left, zero, right, zero, strokeColor=axis, strokeWidth=0.5))
    centres, slot = year_positions(series.years, left, right, series.span)
    bar_w = max(min(slot * 0.62, 26.0), 1.0)
    latest = len(series.values) - 1
    for n, (x, value) in enumerate(zip(centres, series.values, strict=True)):
        y = y_of(value)
        drawing.add(Rect(x - bar_w / 2, min(y, zero), bar_w, abs(y - zero), strokeColor=None,
                         fillColor=colours.accent if n == latest else colours.bar))
        drawing.add(Line(x, bottom, x, bottom - 2, strokeColor=axis, strokeWidth=0.5))
    # the labels, from the latest year back: one that would touch the label to its right
    # is left out (many years close together), the latest is always printed
    tops = [y_of(v) + 2 if v >= 0 else y_of(v) - tick_size - 1 for v in series.values]
    for texts, ys, size in ((series.bar_labels, tops, tick_size),
                            ([str(y) for y in series.years],
                             [bottom - 2 - label_size] * len(centres), label_size)):
        edge = float("inf")
        shown = []
        for x, y, text in reversed(list(zip(centres, ys, texts, strict=True))):
            half = stringWidth(text, body_font, size) / 2
            if x + half + 1.5 <= edge:
                shown.append(String(x, y, text, fontName=body_font, fontSize=size,
                                    textAnchor="middle", fillColor=colours.text))
                edge = x - half
        for string in reversed(shown):  # drawn (and read back) in the years' order
            drawing.add(string)
    return drawing
