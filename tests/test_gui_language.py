"""Live language switching in the running window (View → Language), Qt's strings included."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

import ipviewer.ui
from ipviewer import i18n
from ipviewer.terms.glossary import Glossary
from ipviewer.ui.app import make_application
from ipviewer.ui.bound_text_edit import BoundTextEdit
from ipviewer.ui.chart_pane import ChartPane
from ipviewer.ui.editor_pane import EditorPane
from ipviewer.ui.glossary_window import GlossaryWindow
from ipviewer.ui.indicator_tabs import IndicatorTabs
from ipviewer.ui.indicator_view import IndicatorTableView
from ipviewer.ui.issues_panel import IssuesPanel
from ipviewer.ui.language import SETTINGS_KEY, LanguageAware, apply_language, saved_language
from ipviewer.ui.main_window import MainWindow
from ipviewer.ui.pdf_preview import PdfPreview
from ipviewer.ui.window_parts import TextTabs

#: Every widget that shows our strings, and so re-translates itself on a switch.
LANGUAGE_AWARE = (MainWindow, GlossaryWindow, IssuesPanel, EditorPane, BoundTextEdit,
                  IndicatorTableView, ChartPane, PdfPreview, IndicatorTabs, TextTabs)



@pytest.fixture
def window(sample_window):
    win = sample_window
    win.issues_panel.wait()  # its "Checks: …" message comes now, not in the middle of a test
    # Show the overview's indicators (qualifier "over" among them), and its reading view.
    win.tree_view.setCurrentIndex(win.tree_model.index(0, 0))
    win.text_tabs.setCurrentIndex(1)
    yield win
    apply_language("en")  # and remembered: a later window or command starts in English
    QApplication.processEvents()


def visible_strings(win: MainWindow) -> list[str]:
    menus = [win.registry.menus[name].title() for name in ("file", "view", "help", "language")]
    menus += [win.registry[name].text() for name in ("open", "quit", "about")]
    tree_headers = [win.tree_model.headerData(c, Qt.Orientation.Horizontal)
                    for c in range(win.tree_model.columnCount())]
    table = win.indicators.node_model
    table_headers = [table.headerData(c, Qt.Orientation.Horizontal)
                     for c in range(table.columnCount())]
    qualifiers = {table.index(r, 4).data() for r in range(table.rowCount())} - {""}
    return [*menus, *tree_headers, *table_headers, *sorted(qualifiers),
            win.indicators.node_caption.text(), win.statusBar().currentMessage()]


def switch(win: MainWindow, code: str) -> None:
    """Choose a language from the View → Language menu, as a user does."""
    action = next(a for a in win.registry.language_group.actions() if a.data() == code)
    action.trigger()
    QApplication.processEvents()
    win.issues_panel.wait()  # the checks run again, their messages in the new language
    win.translateUI()  # the status bar's report line, not the checks' message


def test_switching_to_chinese_and_back(window):
    window.translateUI()  # the status bar's report line, not the checks' passing message
    english = visible_strings(window)
    assert "&File" in english and "Value" in english and "over" in english
    assert window.indicators.node_caption.text().endswith("indicators")

    switch(window, "zh_CN")
    chinese = visible_strings(window)
    changed = [(e, c) for e, c in zip(english, chinese) if e == c]
    assert not changed, f"still in English after switching: {changed}"
    assert "文件(&F)" in chinese and "数值" in chinese and "超过" in chinese
    assert "项指标" in window.statusBar().currentMessage()
    assert window.indicators.node_caption.text().endswith("项指标")
    bar = window.menuBar()
    assert all(bar.actionGeometry(a).bottom() < bar.height() for a in bar.actions())
    assert "中文" in window.text_view.toPlainText() and "英文" in window.text_view.toPlainText()
    assert window.windowTitle().startswith("2024年上海市知识产权发展状况")
    checked = [a.data() for a in window.registry.language_group.actions() if a.isChecked()]
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


def ui_classes() -> list[type]:
    """Every class defined in the ui package."""
    found = []
    for info in pkgutil.iter_modules(ipviewer.ui.__path__):
        module = importlib.import_module(f"ipviewer.ui.{info.name}")
        found += [c for _n, c in inspect.getmembers(module, inspect.isclass)
                  if c.__module__ == module.__name__]
    return found


def test_one_hook_for_live_switching():
    """A widget that sets its strings in translateUI gets the switch from LanguageAware, and
    no module handles Qt's LanguageChange event itself (the window's helpers that are not
    widgets, the action registry and the search box, are translated by the window)."""
    translating = {c for c in ui_classes() if "translateUI" in vars(c) and issubclass(c, QWidget)}
    assert set(LANGUAGE_AWARE) <= translating
    assert all(issubclass(c, LanguageAware) for c in translating), \
        [c.__name__ for c in translating if not issubclass(c, LanguageAware)]
    for info in pkgutil.iter_modules(ipviewer.ui.__path__):
        if info.name != "language":
            source = inspect.getsource(importlib.import_module(f"ipviewer.ui.{info.name}"))
            assert "LanguageChange" not in source, info.name


def part_strings(win: MainWindow, glossary: GlossaryWindow) -> list[str]:
    """A string shown by each part of the window, and by the glossary window."""
    return [win.issues_panel.windowTitle(), win.editor.headings["en"].text(),
            win.editor.titles["zh"].placeholderText(), win.chart_pane.windowTitle(),
            win.chart_pane.note.text(), win.preview.registry["zoom_in"].text(),
            win.preview_dock.windowTitle(), win.indicators.node_view.registry["copy"].text(),
            win.indicators.all_view.registry["paste"].text(), win.indicators.tabText(1),
            win.indicators.filter_box.placeholderText(), win.text_tabs.tabText(0),
            win.search_box.placeholderText(), win.registry.toolbar.windowTitle(),
            win.registry["export"].text(), glossary.windowTitle(),
            glossary.registry["add"].text()]


def test_a_live_switch_reaches_every_part(window, qtbot, glossary_file, monkeypatch):
    """Each language-aware widget is translated on a switch (a part that forgot the hook
    would keep its English strings, and its translateUI would not run)."""
    glossary = GlossaryWindow(Glossary.load(glossary_file))
    qtbot.addWidget(glossary)
    glossary.show()
    english = part_strings(window, glossary)
    calls: dict[type, int] = {cls: 0 for cls in LANGUAGE_AWARE}
    for cls in LANGUAGE_AWARE:
        def counted(self, _cls=cls, _original=cls.translateUI):
            calls[_cls] += 1
            _original(self)
        monkeypatch.setattr(cls, "translateUI", counted)

    switch(window, "zh_CN")
    assert not [cls.__name__ for cls, count in calls.items() if not count]
    chinese = part_strings(window, glossary)
    assert not [(e, c) for e, c in zip(english, chinese) if e == c]
    switch(window, "en")
    assert part_strings(window, glossary) == english


def test_a_closed_window_is_not_translated(window, monkeypatch):
    """The main window's own condition: once its report is closed, a switch leaves it be."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.close()
    assert window.store.closed
    calls = []
    monkeypatch.setattr(MainWindow, "translateUI", lambda self: calls.append(self))
    apply_language("zh_CN", remember=False)
    QApplication.processEvents()
    assert not calls

