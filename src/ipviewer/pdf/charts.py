"""Vector bar charts of an indicator over the years (reportlab.graphics, no raster images)."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from .colours import SCREEN, Palette
from .content import ChartSeries

#: ``runs(text, font)`` -> [(font name, run)]: ``text`` in ``font``, except the runs that
#: only the fallback font can draw.
Runs = Callable[[str, str], list[tuple[str, str]]]


def _tick_label(series: ChartSeries, value: float) -> str:
    """The label of the tick nearest ``value`` (reportlab asks by value)."""
    nearest = min(range(len(series.ticks)), key=lambda i: abs(series.ticks[i] - value))
    return series.tick_labels[nearest]


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


def bar_chart(series: ChartSeries, width: float, height: float, body_font: str,
              heading_font: str, runs: Runs, colours: Palette = SCREEN) -> Drawing:
    """A bar chart of ``series``: title, unit, one bar per year with its value on top.

    The latest year's bar is drawn in the accent colour. All text is in the document's
    fonts (``runs`` switches to the fallback font for characters the body font lacks),
    in the colours of ``colours`` (:mod:`.colours`), every label included.
    """
    drawing = Drawing(width, height, initialFontName=body_font)
    title_size, label_size = 8.5, 7
    top = height - 4
    for line in _wrap(series.title, heading_font, title_size, width - 8):
        top -= title_size * 1.3
        drawing.add(_runs_group(line, width / 2, top, heading_font, title_size, runs,
                                fill=colours.text))
    if series.unit_line:
        top -= label_size * 1.5
        drawing.add(_runs_group(series.unit_line, width / 2, top, body_font, label_size, runs,
                                fill=colours.muted))
    chart = VerticalBarChart()
    left_room = 34
    chart.x, chart.y = left_room, 16
    chart.width = width - left_room - 8
    chart.height = max(30, top - 12 - chart.y - label_size * 1.2)
    chart.data = [series.values]
    ticks = series.ticks
    chart.valueAxis.valueMin = ticks[0]
    chart.valueAxis.valueMax = ticks[-1]
    chart.valueAxis.valueSteps = ticks
    chart.valueAxis.labelTextFormat = lambda v: _tick_label(series, v)
    chart.valueAxis.labels.fontName = body_font
    chart.valueAxis.labels.fontSize = label_size - 0.5
    chart.valueAxis.labels.fillColor = colours.text
    chart.valueAxis.strokeColor = colours.axis
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colours.grid
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.categoryAxis.categoryNames = [str(y) for y in series.years]
    chart.categoryAxis.labels.fontName = body_font
    chart.categoryAxis.labels.fontSize = label_size
    chart.categoryAxis.labels.dy = -2
    chart.categoryAxis.labels.fillColor = colours.text
    chart.categoryAxis.strokeColor = colours.axis
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = colours.bar
    chart.bars[(0, len(series.values) - 1)].fillColor = colours.accent
    chart.barSpacing = 0
    chart.groupSpacing = 10
    chart.barLabelFormat = "values"
    chart.barLabelArray = [series.bar_labels]
    chart.barLabels.fontName = body_font
    chart.barLabels.fontSize = label_size - 0.5
    chart.barLabels.fillColor = colours.text
    chart.barLabels.nudge = 6
    chart.barLabels.boxAnchor = "s"
    chart.barLabels.dy = -4
    drawing.add(chart)
    return drawing

