"""The chart pane: one indicator over the years held, as bars (QtCharts).

The value axis is labelled by us, not by QtCharts' printf formats, as the PDF's charts are
(:mod:`ipviewer.chart_axis`): the series keeps the exact values while the labels read like
the report.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
)
from PySide6.QtCore import QEvent, QMargins, Qt
from PySide6.QtGui import QCursor, QFontMetricsF, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..chart_axis import axis_titles, fitting_title, value_axis
from ..i18n import _, report_language
from ..numbers import format_figure, format_yoy
from ..script import WIDE_CLASS
from ..store.integrity import stored_decimal
from ..terms.glossary import Glossary
from ..terms.labels import indicator_name
from .document import ReportDocument
from .language import LanguageAware

#: Where a title may break: after a space, or between any two CJK characters.
_BREAKS = re.compile(f"[{WIDE_CLASS}]|[^\\s{WIDE_CLASS}]+\\s*|\\s+")


@dataclass(frozen=True)
class _Point:
    year: int
    value: Decimal
    unit: str
    qualifier: str
    yoy_pct: Decimal | None


def wrap_title(text: str, metrics: QFontMetricsF, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` (a word longer than that gets a line)."""
    lines, line = [], ""
    for piece in _BREAKS.findall(text):
        if line and metrics.horizontalAdvance((line + piece).rstrip()) > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


class ChartPane(LanguageAware, QDockWidget):
    """A dock with a bar chart of one indicator, one bar per year, oldest first."""

    def __init__(self, parent: QWidget | None = None, glossary: Glossary | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartPane")
        self.glossary = glossary
        self.key = ""
        self._document: ReportDocument | None = None
        self._rows: list[dict[str, Any]] = []
        self._points: list[_Point] = []
        self._title = ""

        self._chart = QChart()
        self._chart.legend().hide()
        self._chart.setMargins(QMargins(4, 4, 4, 4))
        self._chart.setBackgroundRoundness(0)
        self._chart.geometryChanged.connect(self._fit_title)
        self._chart.plotAreaChanged.connect(lambda _area: self._fit_value_title())
        self._value_titles: list[str] = []
        self._series = QBarSeries()
        self._bars = QBarSet("")
        self._bars.hovered.connect(self._hovered)
        self._series.append(self._bars)
        self._chart.addSeries(self._series)
        self._years_axis = QBarCategoryAxis()
        self._value_axis = QCategoryAxis()
        self._value_axis.setLabelsPosition(  # our labels sit on the tick values
            QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self._chart.addAxis(self._years_axis, Qt.AlignmentFlag.AlignBottom)
        self._chart.addAxis(self._value_axis, Qt.AlignmentFlag.AlignLeft)
        self._series.attachAxis(self._years_axis)
        self._series.attachAxis(self._value_axis)

        self.view = QChartView(self._chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumSize(320, 240)
        self.note = QLabel()
        self.note.setObjectName("chartNote")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        self.setWidget(body)
        self._apply_theme()
        self.clear()

    # -- the API -------------------------------------------------------------------------

    def chart(self) -> QChart:
        """The chart shown (for tests and screenshots)."""
        return self._chart

    def show_indicator(self, key: str, rows: list[dict[str, Any]]) -> None:
        """Show the store rows of indicator ``key`` (one per year); years without a readable
        value are left out."""
        self.key = key
        self._rows = [r for r in rows if r.get("key", key) == key]
        points = []
        for row in self._rows:
            value, year = stored_decimal(row.get("value")), row.get("year")
            if value is None or not isinstance(year, int):
                continue  # a hand-edited value or year that is no number: not charted
            points.append(_Point(year, value, str(row.get("unit") or ""),
                                 str(row.get("qualifier") or ""),
                                 stored_decimal(row.get("yoy_pct"))))
        self._points = sorted(points, key=lambda p: p.year)
        self._bars.remove(0, self._bars.count())
        self._bars.append([float(p.value) for p in self._points])
        self._years_axis.clear()
        self._years_axis.append([str(p.year) for p in self._points])
        self._series.setVisible(bool(self._points))
        # A lone bar as wide as the pane reads as a block, not as a bar.
        self._series.setBarWidth(0.3 if len(self._points) == 1 else 0.6)
        self.translateUI()

    def follow(self, document: ReportDocument) -> None:
        """Show the indicator anew whenever ``document`` changes indicator rows (an edit in
        either table, a paste, an undo or redo): the chart never shows an old history."""
        self._document = document
        document.indicatorsChanged.connect(self._indicators_changed)

    def _indicators_changed(self, _ids: list) -> None:
        document = self._document
        if self.key and document is not None and not document.store.closed:
            self.show_indicator(self.key, document.store.indicator_history(self.key))

    def clear(self) -> None:
        """Show no indicator."""
        self.show_indicator("", [])

    def title(self) -> str:
        """The chart's title as plain text (the chart may show it broken into lines)."""
        return self._title

    def years(self) -> list[int]:
        """The years shown, oldest first."""
        return [p.year for p in self._points]

    # -- texts ---------------------------------------------------------------------------

    def indicator_title(self) -> str:
        """The indicator's name in the report language, or in the other one if it has none."""
        lang = report_language()
        newest = sorted(self._rows, key=lambda r: r.get("year") or 0, reverse=True)
        for row in newest:
            en, zh = row.get("label_en") or "", row.get("label_zh") or ""
            name = indicator_name(self.glossary, en, zh, lang)[0] or (en if lang == "zh" else zh)
            if name:
                return name[:1].upper() + name[1:] if lang == "en" else name
        return self.key

    def translateUI(self) -> None:
        """Title, axes and note in the UI language (figures as the report language prints them)."""
        lang = report_language()
        self.setWindowTitle(_("Chart"))
        self._title = self.indicator_title()
        self._fit_title()
        self._years_axis.setTitleText(_("Year") if self._points else "")
        self._relabel_values(lang)
        if not self._points:
            self.note.setText(_("Choose an indicator to see it over the years.")
                              if not self.key else
                              _("No value of this indicator can be charted."))
        elif len(self._points) == 1:
            self.note.setText(_("Only {year} so far: more years appear here once they are "
                                "entered.").format(year=self._points[0].year))
        else:
            self.note.setText("")
        self.note.setVisible(bool(self.note.text()))

    def _fit_title(self) -> None:
        """The title on as many centred lines as the chart's width needs (QtCharts would
        cut it short with an ellipsis)."""
        width = self._chart.size().width() - 32  # the chart's margins and the title's own
        metrics = QFontMetricsF(self._chart.titleFont())
        if width <= 0 or metrics.horizontalAdvance(self._title) <= width:
            shown = self._title
        else:
            lines = wrap_title(self._title, metrics, width)
            shown = '<p align="center">' + "<br>".join(html.escape(x) for x in lines) + "</p>"
        if self._chart.title() != shown:
            self._chart.setTitle(shown)

    def _relabel_values(self, lang: str) -> None:
        axis = self._value_axis
        for label in axis.categoriesLabels():
            axis.remove(label)
        if not self._points:
            axis.setTitleText("")
            axis.setRange(0, 1)
            return
        ticks, _power, labels, unit = value_axis([p.value for p in self._points],
                                                 self._points[-1].unit, lang)
        axis.setStartValue(float(ticks[0]))
        for tick, label in zip(ticks, labels, strict=True):
            axis.append(label, float(tick))
        axis.setRange(float(ticks[0]), float(ticks[-1]))
        self._value_titles = axis_titles(unit, _("Value"), _("Value ({unit})"))
        self._fit_value_title()

    def _fit_value_title(self) -> None:
        """The longest value axis title that fits its height (QtCharts would cut it to a
        rotated "…", a "⋮"): "Value (亿元)", else "亿元", else nothing."""
        if not self._points:
            return
        metrics = QFontMetricsF(self._value_axis.titleFont())
        height = self._chart.plotArea().height()
        shown = fitting_title(self._value_titles, metrics.horizontalAdvance, height)
        if self._value_axis.titleText() != shown:
            self._value_axis.setTitleText(shown)

    def _hovered(self, status: bool, index: int) -> None:
        if not status or not 0 <= index < len(self._points):
            QToolTip.hideText()
            return
        point, lang = self._points[index], report_language()
        figure = format_figure(point.value, point.unit, point.qualifier, lang)
        if point.yoy_pct is None:
            text = _("{year}: {figure}").format(year=point.year, figure=figure)
        else:
            text = _("{year}: {figure}, {change}").format(
                year=point.year, figure=figure, change=format_yoy(point.yoy_pct, lang))
        QToolTip.showText(QCursor.pos(), text, self.view)

    # -- theme ---------------------------------------------------------------------------

    def _apply_theme(self) -> None:
        """Dark chart on a dark palette, light otherwise; texts take the palette's colours."""
        palette = QApplication.palette()
        dark = palette.window().color().lightness() < 128
        self._chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark
                             else QChart.ChartTheme.ChartThemeLight)
        self._chart.setBackgroundBrush(palette.base())
        text = palette.text()
        self._chart.setTitleBrush(text)
        for axis in (self._years_axis, self._value_axis):
            axis.setLabelsBrush(text)
            axis.setTitleBrush(text)
        title_font = self._chart.titleFont()
        title_font.setPointSizeF(max(title_font.pointSizeF(), 11))
        title_font.setBold(True)
        self._chart.setTitleFont(title_font)
        self._fit_title()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_theme()
        super().changeEvent(event)
