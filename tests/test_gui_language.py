"""Live language switching in the running window (View → Language), Qt's strings included."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication

from ipviewer import i18n
from ipviewer.sample import build_sample
from ipviewer.store import ReportStore
from ipviewer.ui.app import make_application
from ipviewer.ui.language import SETTINGS_KEY, apply_language, saved_language
from ipviewer.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path):
    make_application()
    build_sample(tmp_path / "s.sqlite").close()
    win = MainWindow(ReportStore.open(tmp_path / "s.sqlite", readonly=True))
    qtbot.addWidget(win)
    win.show()
    # Show the overview's indicators (qualifier "over" among them), and its reading view.
    win.tree_view.setCurrentIndex(win.tree_model.index(0, 0))
    win.text_tabs.setCurrentIndex(1)
    yield win
    apply_language("en", remember=False)
    QApplication.processEvents()


def visible_strings(win: MainWindow) -> list[str]:
    menus = [win.file_menu.title(), win.view_menu.title(), win.help_menu.title(),
             win.language_menu.title(), win.open_action.text(), win.quit_action.text(),
             win.about_action.text()]
    tree_headers = [win.tree_model.headerData(c, Qt.Orientation.Horizontal)
                    for c in range(win.tree_model.columnCount())]
    table = win.indicator_model
    table_headers = [table.headerData(c, Qt.Orientation.Horizontal)
                     for c in range(table.columnCount())]
    qualifiers = {table.index(r, 4).data() for r in range(table.rowCount())} - {""}
    return [*menus, *tree_headers, *table_headers, *sorted(qualifiers),
            win.table_caption.text(), win.statusBar().currentMessage()]


def switch(win: MainWindow, code: str) -> None:
    """Choose a language from the View → Language menu, as a user does."""
    action = next(a for a in win.language_actions.actions() if a.data() == code)
    action.trigger()
    QApplication.processEvents()


def test_switching_to_chinese_and_back(window):
    window.translateUI()  # the status bar's report line, not the checks' passing message
    english = visible_strings(window)
    assert "&File" in english and "Value" in english and "over" in english
    assert window.table_caption.text().endswith("indicators")

    switch(window, "zh_CN")
    chinese = visible_strings(window)
    changed = [(e, c) for e, c in zip(english, chinese) if e == c]
    assert not changed, f"still in English after switching: {changed}"
    assert "文件(&F)" in chinese and "数值" in chinese and "超过" in chinese
    assert "项指标" in window.statusBar().currentMessage()
    assert window.table_caption.text().endswith("项指标")
    bar = window.menuBar()
    assert all(bar.actionGeometry(a).bottom() < bar.height() for a in bar.actions())
    assert "中文" in window.text_view.toPlainText() and "英文" in window.text_view.toPlainText()
    assert window.windowTitle().startswith("2024年上海市知识产权发展状况")
    checked = [a.data() for a in window.language_actions.actions() if a.isChecked()]
    assert checked == ["zh_CN"]

    switch(window, "en")
    assert visible_strings(window) == english


def test_qt_own_strings_follow(window):
    switch(window, "zh_CN")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    switch(window, "en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_choice_is_remembered(window):
    switch(window, "zh_CN")
    assert QSettings().value(SETTINGS_KEY) == "zh_CN"
    assert saved_language() == "zh_CN"
    switch(window, "en")
    assert saved_language() == "en"


def test_first_start_follows_the_system(qtbot, monkeypatch):
    make_application()
    QSettings().remove(SETTINGS_KEY)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert saved_language() == "zh_CN"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert saved_language() == "en"
    assert i18n.current_language() == "en"
