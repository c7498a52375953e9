"""Tools → Compare With…: the window shows both years' indicators and the chosen text's
changes highlighted, in English and Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from conftest import run_cli
from test_compare import COURTS, fill_all_rates, set_2025


@pytest.fixture
def last_year(sample_copy: Path, tmp_path: Path) -> Path:
    """The sample (2024) as a separate file, and ``sample_copy`` becomes its 2025 report."""
    target = tmp_path / "report-2025.sqlite"
    assert run_cli("new-year", sample_copy, "-o", target).exit_code == 0
    fill_all_rates(target)
    set_2025(target, {"patents_granted": ("1508000", "900.0"), COURTS: ("48388", "2.11")})
    return target


def _compare_from_menu(window, other: Path, monkeypatch, qtbot):
    """Tools → Compare With… with ``other`` chosen in the file dialog; the view, once the
    comparison (made in the background) is shown."""
    from ipviewer.ui import compare_view

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(other), ""))
    asked = []
    original = compare_view.open_comparison
    monkeypatch.setattr(compare_view, "open_comparison",
                        lambda *a: asked.append(original(*a)) or asked[-1])
    window.registry["compare"].trigger()
    assert asked and asked[0] is not None
    qtbot.waitUntil(lambda: asked[0].view is not None, timeout=20_000)
    return asked[0].view


def test_the_tools_menu_opens_the_comparison(app, qtbot, sample_copy, last_year,
                                             monkeypatch):
    from ipviewer.store import ReportStore
    from ipviewer.ui.compare_view import DELETED_CSS, INSERTED_CSS
    from ipviewer.ui.main_window import MainWindow

    window = MainWindow(ReportStore.open(last_year, readonly=True))  # the 2025 report
    qtbot.addWidget(window)
    assert window.registry["compare"] in window.registry.menus["tools"].actions()
    view = _compare_from_menu(window, sample_copy, monkeypatch, qtbot)  # against 2024
    qtbot.addWidget(view)
    assert view.isVisible() and "2024" in view.windowTitle() and "2025" in view.windowTitle()
    table = view.table
    assert table.rowCount() == 92
    row = next(r for r in range(92) if table.item(r, 0).text() == "patents granted")
    assert [table.item(row, c).text() for c in (1, 2)] == ["150,800", "1,508,000"]
    assert table.item(row, 7).text() == "implausible change"
    assert table.item(row, 0).background().color().name() == "#fce8b2"  # a warning
    assert "10 times the 150,800 of 2024" in table.item(row, 0).toolTip()
    plain = next(r for r in range(92) if table.item(r, 0).text() == "trademark applications")
    assert table.item(plain, 0).background().style() == Qt.BrushStyle.NoBrush  # not coloured
    # choosing the indicator shows its paragraph, the change highlighted on each side
    table.setCurrentCell(row, 0)
    assert "1,508,000" in view.text_b.toPlainText()
    assert "150,800" in view.text_a.toPlainText()
    html_b, html_a = view.text_b.toHtml(), view.text_a.toHtml()
    assert "#c8ecc8" in html_b and "#f6c6c6" in html_a
    assert INSERTED_CSS.split(":")[1] in html_b and DELETED_CSS.split(";")[0].split(":")[1] in html_a
    view.lang_box.setCurrentIndex(1)  # the Chinese texts
    assert "150.8万" in view.text_b.toPlainText()


def test_the_comparison_speaks_chinese(app, qtbot, sample_copy, last_year, monkeypatch):
    from ipviewer.store import ReportStore
    from ipviewer.ui.language import apply_language
    from ipviewer.ui.main_window import MainWindow

    window = MainWindow(ReportStore.open(last_year, readonly=True))
    qtbot.addWidget(window)
    view = _compare_from_menu(window, sample_copy, monkeypatch, qtbot)
    qtbot.addWidget(view)
    try:
        apply_language("zh_CN", remember=False)
        QApplication.processEvents()
        assert view.refreshing is not None  # the findings are made again, in Chinese
        qtbot.waitUntil(lambda: not view.refreshing.running, timeout=20_000)
        headers = [view.table.horizontalHeaderItem(c).text() for c in range(8)]
        assert all(not any("a" <= ch.lower() <= "z" for ch in h) for h in headers), headers
        assert "对比" in view.windowTitle()
        row = next(r for r in range(92) if view.table.item(r, 1).text() == "150,800")
        assert view.table.item(row, 0).text() == "专利授权量"
        assert not any("a" <= ch <= "z" for ch in view.table.item(row, 7).text())
        assert "150,800" in view.table.item(row, 0).toolTip()
        assert "倍" in view.table.item(row, 0).toolTip()  # the message in Chinese
        assert "所述同比不符" in view.heading.text() and "Stated" not in view.heading.text()
        assert view.lang_box.itemText(1) == "中文" or "中" in view.lang_box.itemText(1)
    finally:
        apply_language("en", remember=False)
        QApplication.processEvents()
    assert view.table.horizontalHeaderItem(0).text() == "Indicator"


@pytest.mark.parametrize("case", ["same", "same-year", "not-a-report"])
def test_what_cannot_be_compared_is_said(case, app, qtbot, sample_copy, tmp_path,
                                         monkeypatch):
    import shutil

    from ipviewer.store import ReportStore
    from ipviewer.ui.main_window import MainWindow

    window = MainWindow(ReportStore.open(sample_copy, readonly=True))
    qtbot.addWidget(window)
    other = {"same": sample_copy, "same-year": tmp_path / "copy.sqlite",
             "not-a-report": tmp_path / "notes.sqlite"}[case]
    if case == "same-year":
        shutil.copy(sample_copy, other)
    elif case == "not-a-report":
        other.write_text("not a report", encoding="utf-8")
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _w, title, text, *a: said.append(text))
    from ipviewer.ui.compare_view import open_comparison

    pending = open_comparison(window, other)
    if case == "same":
        assert pending is None  # said at once, nothing computed
    else:
        qtbot.waitUntil(lambda: bool(pending.problem), timeout=20_000)
        assert pending.view is None
    assert len(said) == 1 and str(other.name) in said[0]


def test_a_comparison_whose_window_closed_meanwhile_is_dropped(app, qtbot, sample_copy,
                                                               last_year):
    from ipviewer.store import ReportStore
    from ipviewer.ui.compare_view import CompareWindow, open_comparison
    from ipviewer.ui.main_window import MainWindow

    window = MainWindow(ReportStore.open(last_year, readonly=True))
    qtbot.addWidget(window)
    pending = open_comparison(window, sample_copy)
    thread = pending.work._thread
    shiboken6.delete(pending)  # what closing the main window does to it
    thread.join(20)
    assert not thread.is_alive()
    QApplication.processEvents()
    assert not window.findChildren(CompareWindow)
