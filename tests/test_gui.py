"""The first desktop window, driven as a user would (pytest-qt, offscreen)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QModelIndex, Qt

from ipviewer.sample import SAMPLE_FILE_NAME
from ipviewer.ui.app import data_folder, make_application, open_window


@pytest.fixture
def window(sample_window):
    win = sample_window
    win.text_tabs.setCurrentIndex(1)  # the reading view: the node's text, figures filled in
    return win


def test_tree_is_populated(window):
    model = window.tree_model
    top = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert top[:2] == ["Overview", "I. Strengthen IP Institutional Safeguards"]
    assert [t.split(".")[0] for t in top[1:]] == ["I", "II", "III", "IV", "V"]
    assert model.index(1, 1).data() == "一、强化知识产权制度保障"
    part = model.index(1, 0)
    sections = [model.index(r, 0, part).data() for r in range(model.rowCount(part))]
    assert sections[0] == "Raise Shanghai's standing as a strong IP city."
    assert len(sections) == 4
    assert model.parent(model.index(0, 0, part)) == part
    assert model.parent(part) == QModelIndex()


def test_selecting_a_node_shows_its_text_and_indicators(window, qtbot):
    model = window.tree_model
    part = model.index(1, 0)
    five_centers = model.index(2, 0, part)
    window.tree_view.setCurrentIndex(five_centers)
    table = window.indicators.node_model
    values = {table.index(r, 2).data() for r in range(table.rowCount())}
    assert {"2,223", "32,000,000,000", "260", "150", "125"} <= values
    labels_zh = {table.row(r)["label_zh"] for r in range(table.rowCount())}
    assert any(labels_zh), "the Chinese labels of aligned figures are filled in"
    html = window.text_view.toPlainText()
    assert "came to 2,223 transactions worth 32 billion RMB" in html
    assert "专利商标质押融资登记2223笔，金额320亿元" in html
    assert window.indicators.node_caption.text().endswith("<b>6</b> indicators")

    window.tree_view.setCurrentIndex(model.index(0, 0))
    values = {table.index(r, 2).data() for r in range(table.rowCount())}
    assert {"150,800", "50,700", "6,822"} <= values
    assert "2,223" not in values


def test_indicator_table_sorts_in_sql(window):
    window.tree_view.setCurrentIndex(window.tree_model.index(0, 0))
    table = window.indicators.node_model
    ids = [table.row(r)["id"] for r in range(table.rowCount())]
    assert ids == sorted(ids), "report order until a header is clicked"
    window.indicators.node_view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    first = table.index(0, 2).data()
    assert first == "2,789,300"
    window.indicators.node_view.sortByColumn(5, Qt.SortOrder.AscendingOrder)
    yoys = [table.row(r)["yoy_pct"] for r in range(table.rowCount())
            if table.row(r)["yoy_pct"] is not None]
    assert [float(y) for y in yoys] == sorted(float(y) for y in yoys)
    right = table.index(0, 2).data(Qt.ItemDataRole.TextAlignmentRole)
    assert right & int(Qt.AlignmentFlag.AlignRight)


def test_text_is_escaped(window):
    node = window.tree_model.node(window.tree_model.index(0, 0)).children[0]
    node.text_en = "<b>not bold</b> & <img src='/etc/passwd'>"
    window.show_node(node)
    assert "<b>not bold</b> & <img src='/etc/passwd'>" in window.text_view.toPlainText()


def test_open_window_on_the_sample_copies_it_to_the_data_folder(qtbot):
    make_application()
    win = open_window(None)
    qtbot.addWidget(win)
    copy = data_folder() / SAMPLE_FILE_NAME
    assert copy.exists() and win.report_path == copy
    assert win.tree_model.rowCount() == 6


def test_opening_a_bad_report_keeps_the_current_one(window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database " * 100)
    shown = []
    monkeypatch.setattr("ipviewer.ui.main_window.QMessageBox.warning",
                        lambda *args: shown.append(args[2]))
    assert window.files.open_report(bad) is False
    assert shown and "bad.sqlite" in shown[0]
    assert window.tree_model.rowCount() == 6


def test_screenshot_command(tmp_path, sample_copy):
    report = sample_copy
    png = tmp_path / "window.png"
    done = subprocess.run(
        [sys.executable, "-m", "ipviewer", "gui", "--screenshot", str(png), str(report)],
        capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000


def test_gui_on_a_bad_report_exits_2_without_qt(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "ipviewer", "gui", str(tmp_path / "none.sqlite")],
        capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 2
    assert "none.sqlite" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux needs DISPLAY")
def test_no_display_is_a_clear_message(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "ipviewer"], capture_output=True, text=True, check=False,
                          timeout=60, env=env)
    assert done.returncode == 2
    assert "no display" in done.stderr and "Traceback" not in done.stderr


def test_tree_shows_paragraphs_with_figures_filled_in(window):
    model = window.tree_model
    paragraph = model.index(1, 0, model.index(0, 0))
    assert "150,800" in paragraph.data() and "{{" not in paragraph.data()
    assert "{{" not in model.index(1, 1, model.index(0, 0)).data()


def test_start_next_years_report_from_the_menu(window, tmp_path, monkeypatch):
    target = tmp_path / "report-2025.sqlite"
    assert window.files.start_next_year(target)
    assert window.report_path == target and window.year == 2025
    assert "2025" in window.windowTitle()
    shown = []
    monkeypatch.setattr("ipviewer.ui.main_window.QMessageBox.warning",
                        lambda *args: shown.append(args[2]))
    assert not window.files.start_next_year(target)  # the open report itself: refused
    assert "another file" in shown[0]


def test_next_year_into_an_impossible_place(window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("ipviewer.ui.main_window.QMessageBox.warning",
                        lambda *args: shown.append(args[2]))
    assert not window.files.start_next_year(tmp_path / "missing" / "r.sqlite")
    assert shown and "missing" in shown[0] and window.year == 2024


def test_issues_panel_lists_the_checks_and_goes_to_the_place(window, qtbot):
    panel = window.issues_panel
    qtbot.waitUntil(lambda: not panel.is_running())  # the checks run in the background
    assert panel.model.rowCount() == 1  # the sample's swapped pledge-financing rates
    item = panel.model.index(0)
    assert "swapped" in item.data()
    window.tree_view.setCurrentIndex(window.tree_model.index(0, 0))
    panel._chosen(item)
    node = window.tree_model.node(window.tree_view.currentIndex())
    assert node.kind == "paragraph" and "{{pledge_financing_amount}}" in node.text_en
    selected = window.indicators.node_view.selectionModel().selectedRows()
    assert selected and window.indicators.node_model.row(selected[0].row())["key"] == \
        "pledge_financing_amount"
    with qtbot.waitSignal(panel.checked):
        window.registry["checks"].trigger()
        assert panel.windowTitle() == "Issues: checking…"
    assert "1 error," in window.statusBar().currentMessage()  # ngettext: not "1 errors"


def test_find_in_both_languages(window, qtbot):
    window.search_box.setText("质押融资")  # an input method types it; QTest sends ASCII only
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    found = window.tree_model.node(window.tree_view.currentIndex())
    assert "质押融资" in found.text_zh
    assert "1 match" in window.statusBar().currentMessage()
    window.search_box.setText("专利")  # two characters: found by a substring scan
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    first = window.tree_model.node(window.tree_view.currentIndex())
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    second = window.tree_model.node(window.tree_view.currentIndex())
    assert "专利" in first.text_zh + first.title_zh and second.id != first.id
    window.search_box.clear()
    qtbot.keyClicks(window.search_box, "pledge financing")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert "pledge financing" in window.tree_model.node(
        window.tree_view.currentIndex()).text_en.lower()
    window.search_box.clear()
    qtbot.keyClicks(window.search_box, "no such words anywhere")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert "No match" in window.statusBar().currentMessage()
