"""The chart pane (one indicator over the years) and the PDF preview, offscreen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from ipviewer import i18n
from ipviewer.chart_axis import axis_unit, nice_ticks, tick_labels
from ipviewer.ui.chart_pane import ChartPane
from ipviewer.ui.language import apply_language
from ipviewer.ui.pdf_preview import PdfPreview, QPdfDocument


def row(year: int, value: str, unit: str = "", yoy: str | None = None, **extra) -> dict:
    return {"key": "patents_granted", "year": year, "value": value, "unit": unit,
            "qualifier": "", "label_en": "patents granted", "label_zh": "专利授权量",
            "yoy_pct": yoy, **extra}


@pytest.fixture
def english(qapp):
    """The test switches language itself; English again afterwards whatever happens."""
    apply_language("en", remember=False)
    yield
    apply_language("en", remember=False)
    QApplication.processEvents()


@pytest.fixture
def pane(qtbot, english):
    widget = ChartPane()
    qtbot.addWidget(widget)
    widget.resize(480, 360)
    widget.show()
    return widget


def value_axis_labels(pane: ChartPane) -> list[str]:
    (axis,) = [a for a in pane.chart().axes() if a is not pane._years_axis]
    return list(axis.categoriesLabels())


# -- the chart pane ------------------------------------------------------------------------


def test_years_ascending_with_exact_values(pane):
    pane.show_indicator("patents_granted", [row(2024, "150800", yoy="14.28"),
                                            row(2022, "127000"), row(2023, "132000.5")])
    (series,) = pane.chart().series()
    (bars,) = series.barSets()
    assert [bars.at(i) for i in range(bars.count())] == [127000.0, 132000.5, 150800.0]
    (years,) = [a for a in pane.chart().axes() if a is pane._years_axis]
    assert list(years.categories()) == ["2022", "2023", "2024"]
    assert pane.years() == [2022, 2023, 2024]
    assert pane.title() == pane.chart().title() == "Patents granted"
    assert pane.windowTitle() == "Chart"
    assert pane.objectName() == "chartPane"
    assert not pane.note.isVisible()
    # 150,800 in English: thousands on the axis, named in its title.
    assert value_axis_labels(pane) == ["0", "50", "100", "150", "200"]
    assert "thousands" in pane._value_axis.titleText()


def test_title_and_axes_follow_the_language(pane, qtbot):
    pane.show_indicator("patents_granted", [row(2023, "25000000000", "RMB"),
                                            row(2024, "32000000000", "RMB")])
    assert pane.chart().title() == "Patents granted"
    assert pane._value_axis.titleText() == "Value (billion RMB)"
    assert value_axis_labels(pane) == ["0", "10", "20", "30", "40"]

    apply_language("zh_CN", remember=False)
    QApplication.processEvents()
    assert i18n.report_language() == "zh"
    assert pane.chart().title() == "专利授权量"
    assert "亿元" in pane._value_axis.titleText()  # 320亿元: the axis counts in 亿元
    assert value_axis_labels(pane) == ["0", "100", "200", "300", "400"]
    assert pane.windowTitle() == i18n._("Chart")
    assert pane._years_axis.titleText() == i18n._("Year")

    apply_language("en", remember=False)
    QApplication.processEvents()
    assert pane.chart().title() == "Patents granted"
    assert pane._value_axis.titleText() == "Value (billion RMB)"


def test_chinese_counts_in_wan_and_label_fallback(pane):
    apply_language("zh_CN", remember=False)
    rows = [row(2023, "132000", label_zh=""), row(2024, "150800", label_zh="")]
    pane.show_indicator("patents_granted", rows)
    assert pane.chart().title() == "patents granted"  # no Chinese label: the English one
    assert value_axis_labels(pane) == ["0", "5", "10", "15", "20"]  # 万
    assert pane._value_axis.titleText().endswith(("万)", "万）"))


def test_one_year_shows_one_bar_and_a_note(pane):
    pane.show_indicator("patents_granted", [row(2024, "57.9", "per 10,000 people")])
    (bars,) = pane.chart().series()[0].barSets()
    assert bars.count() == 1 and bars.at(0) == pytest.approx(57.9)
    assert pane.note.isVisible()
    assert "2024" in pane.note.text() and "more years" in pane.note.text()
    assert value_axis_labels(pane) == ["0", "20", "40", "60"]
    assert pane._value_axis.titleText() == "Value"  # per 10,000 people is in the name


def test_clear(pane):
    pane.show_indicator("patents_granted", [row(2023, "1"), row(2024, "2")])
    pane.clear()
    assert pane.chart().series()[0].barSets()[0].count() == 0
    assert pane.years() == [] and pane.chart().title() == ""
    assert pane.note.isVisible() and pane.note.text()


def test_long_titles_wrap_instead_of_being_cut(pane):
    name = "high-value invention patents per 10,000 people in Shanghai this year"
    pane.resize(340, 360)
    pane.show_indicator("patents_granted", [row(2024, "57.9", label_en=name)])
    QApplication.processEvents()
    assert pane.title() == name[0].upper() + name[1:]
    assert "<br>" in pane.chart().title()
    assert "..." not in pane.chart().title()


def test_dark_palette_gives_a_dark_chart(qtbot, english):
    from PySide6.QtCharts import QChart
    from PySide6.QtGui import QColor, QPalette

    app = QApplication.instance()
    old = app.palette()
    dark = QPalette(old)
    for role, colour in ((QPalette.ColorRole.Window, "#202020"),
                         (QPalette.ColorRole.Base, "#181818"),
                         (QPalette.ColorRole.Text, "#e8e8e8"),
                         (QPalette.ColorRole.WindowText, "#e8e8e8")):
        dark.setColor(role, QColor(colour))
    light = ChartPane()
    qtbot.addWidget(light)
    assert light.chart().theme() == QChart.ChartTheme.ChartThemeLight
    app.setPalette(dark)
    QApplication.processEvents()  # the palette change reaches the widgets as posted events
    try:
        widget = ChartPane()
        qtbot.addWidget(widget)
        for chart in (widget.chart(), light.chart()):  # new, and switched live
            assert chart.theme() == QChart.ChartTheme.ChartThemeDark
            assert chart.titleBrush().color().lightness() > 128  # light text, never black
    finally:
        app.setPalette(old)
        QApplication.processEvents()
    assert light.chart().theme() == QChart.ChartTheme.ChartThemeLight


def test_hovering_a_bar_shows_the_figure(pane):
    from PySide6.QtWidgets import QToolTip

    pane.show_indicator("patents_granted", [row(2023, "132000"), row(2024, "150800", yoy="14.28")])
    pane._bars.hovered.emit(True, 1)
    assert QToolTip.text() == "2024: 150,800, up 14.28%"
    pane._bars.hovered.emit(True, 0)
    assert QToolTip.text() == "2023: 132,000"
    pane._bars.hovered.emit(False, 0)


def test_axis_helpers():
    from decimal import Decimal as D

    assert nice_ticks(D("-3.5"), D("14.28")) == [D(-5), D(0), D(5), D(10), D(15)]
    assert nice_ticks(D(0), D(0)) == [D(0), D("0.2"), D("0.4"), D("0.6"), D("0.8"), D(1)]
    assert tick_labels([D(0), D(25000), D(50000)], 4, "zh") == ["0.0", "2.5", "5.0"]
    assert tick_labels([D(0), D(5000), D(10000)], 0, "en") == ["0", "5,000", "10,000"]
    assert tick_labels([D(0), D(5000), D(10000)], 0, "zh") == ["0", "5000", "10000"]
    assert axis_unit(8, "RMB", "zh") == "亿元" and axis_unit(0, "%", "en") == "%"
    assert axis_unit(6, "USD", "en") == "million USD"


# -- the PDF preview -----------------------------------------------------------------------


def three_pages(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    for number in range(1, 4):
        pdf.setFont("Helvetica", 36)
        pdf.drawString(72, 720, f"Page {number}")
        pdf.rect(72, 200, 300, 400, fill=1)
        pdf.showPage()
    pdf.save()
    return path


def open_fds_to(path: Path) -> list[str]:
    """The open file descriptors of this process that point at ``path`` (Linux)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == str(path.resolve()):
                found.append(fd)
        except OSError:
            pass
    return found


@pytest.fixture
def preview(qtbot, english):
    if QPdfDocument is None:
        pytest.skip("QtPdf is missing: install PySide6-Pdf")
    widget = PdfPreview()
    qtbot.addWidget(widget)
    widget.resize(600, 700)
    widget.show()
    return widget


def test_preview_shows_every_page_and_renders(preview, tmp_path, qtbot):
    pdf = three_pages(tmp_path / "report.pdf")
    assert preview.show_pdf(pdf) is True
    qtbot.waitUntil(lambda: preview.document.status() == QPdfDocument.Status.Ready)
    assert preview.page_count() == 3
    assert preview.page_label.text() == "3 pages"
    assert preview.is_showing() and preview.problem() == ""
    assert preview.objectName() == "pdfPreview"
    assert preview.registry["fit_width"].isChecked()

    def rendered() -> bool:
        """More than one colour, and the black box drawn on the page among them."""
        image: QImage = preview.view.grab().toImage()
        colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 5)
                   for y in range(0, image.height(), 5)}
        return len(colours) > 1 and "#000000" in colours

    qtbot.waitUntil(rendered, timeout=5000)


def test_preview_does_not_hold_the_file(preview, tmp_path, qtbot):
    pdf = three_pages(tmp_path / "report.pdf")
    before = open_fds_to(pdf)
    assert preview.show_pdf(pdf)
    QApplication.processEvents()
    if os.path.isdir("/proc/self/fd"):
        assert open_fds_to(pdf) == before == []
    renamed = pdf.rename(tmp_path / "renamed.pdf")
    renamed.unlink()  # would fail on Windows if the preview kept it open
    three_pages(pdf)  # exported again under the same name
    assert preview.show_pdf(pdf) and preview.page_count() == 3


def test_not_a_pdf_and_missing_files_are_named(preview, tmp_path, qtbot):
    text = tmp_path / "notes.txt"
    text.write_text("plain text, not a PDF", encoding="utf-8")
    assert preview.show_pdf(text) is False
    assert "notes.txt" in preview.problem() and "not a PDF" in preview.problem()
    assert preview.page_count() == 0 and not preview.open_button.isEnabled()
    assert preview.page_label.text() == ""

    missing = tmp_path / "gone.pdf"
    assert preview.show_pdf(missing) is False
    assert "gone.pdf" in preview.problem() and "does not exist" in preview.problem()

    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\nthis is no PDF body\n")
    assert preview.show_pdf(damaged) is False
    assert "damaged.pdf" in preview.problem()
    assert preview.open_button.isEnabled()  # the system's viewer may still cope

    assert preview.show_pdf(three_pages(tmp_path / "good.pdf"))  # and it recovers
    assert preview.problem() == "" and preview.page_count() == 3


def test_open_in_system_viewer_uses_the_opener(preview, tmp_path, qtbot):
    pdf = three_pages(tmp_path / "report.pdf")
    opened: list[QUrl] = []
    preview.opener = lambda url: opened.append(url) or True
    assert preview.show_pdf(pdf)
    qtbot.mouseClick(preview.open_button, Qt.MouseButton.LeftButton)
    assert [url.toLocalFile() for url in opened] == [str(pdf)]


def test_zoom(preview, tmp_path, qtbot):
    assert preview.show_pdf(three_pages(tmp_path / "report.pdf"))
    QApplication.processEvents()
    fitted = preview.zoom_factor()
    preview.registry["zoom_in"].trigger()
    assert preview.zoom_factor() == pytest.approx(fitted * 1.25)
    assert not preview.registry["fit_width"].isChecked()
    preview.registry["zoom_out"].trigger()
    preview.registry["zoom_out"].trigger()
    assert preview.zoom_factor() == pytest.approx(fitted / 1.25)
    preview.registry["fit_width"].trigger()
    assert preview.registry["fit_width"].isChecked()
    assert preview.zoom_factor() == pytest.approx(fitted)


def test_preview_follows_the_language(preview, tmp_path):
    preview.show_pdf(tmp_path / "gone.pdf")
    english = (preview.open_button.text(), preview.problem(), preview.windowTitle())
    apply_language("zh_CN", remember=False)
    QApplication.processEvents()
    chinese = (preview.open_button.text(), preview.problem(), preview.windowTitle())
    assert chinese == (i18n._("Open in System Viewer"),
                       i18n._("Cannot show {name}: {reason}.").format(
                           name="gone.pdf", reason=i18n._("the file does not exist")),
                       "gone.pdf – " + i18n._("PDF Preview"))
    apply_language("en", remember=False)
    QApplication.processEvents()
    assert (preview.open_button.text(), preview.problem(), preview.windowTitle()) == english


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_window_and_the_pdf_draw_the_same_value_axis(pane, sample_copy, lang):
    """One scale (ipviewer.chart_axis): every chart of the sample PDF has the ticks the
    chart pane shows for the same indicator."""
    from ipviewer.pdf.content import build_content
    from ipviewer.store import ReportStore

    apply_language(lang, remember=False)
    with ReportStore.open(sample_copy, readonly=True) as store:
        content = build_content(store, lang, charts=True)
        charts = [s for b in content.blocks if type(b).__name__ == "Charts" for s in b.series]
        assert len(charts) >= 3
        for series in charts:
            pane.show_indicator(series.key, store.indicator_history(series.key))
            assert value_axis_labels(pane) == series.tick_labels, series.key
