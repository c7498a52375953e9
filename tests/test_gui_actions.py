"""The window's actions, declared once in ``ui/actions.py``: where they show, their keys,
their texts in both languages, and what a read-only window allows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QToolBar

from ipviewer.i18n import N_
from ipviewer.ui.actions import (
    MENUS,
    SEPARATOR,
    SUBMENUS,
    TOOLBAR,
    TREE_MENU,
    WINDOW_ACTIONS,
    ActionRegistry,
    ActionSpec,
)
from ipviewer.ui.language import apply_language

IDS = [spec.id for spec in WINDOW_ACTIONS]

def keys() -> dict[str, list[QKeySequence]]:
    """The keys each action had before the registry (standard keys as this platform gives
    them; only with a QApplication)."""
    return {
        "new": [QKeySequence(QKeySequence.StandardKey.New)],
        "open": [QKeySequence(QKeySequence.StandardKey.Open)],
        "save_as": [QKeySequence("Ctrl+Shift+S")],
        "close_report": [QKeySequence("Ctrl+W")],
        "save": [QKeySequence(QKeySequence.StandardKey.Save)],
        "export": [QKeySequence("Ctrl+E")],
        "quit": [QKeySequence(QKeySequence.StandardKey.Quit)],
        "undo": [QKeySequence(QKeySequence.StandardKey.Undo)],
        "redo": [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")],
        "add_paragraph": [QKeySequence("Ctrl+Return")],
        "delete": [QKeySequence(QKeySequence.StandardKey.Delete)],
        "move_up": [QKeySequence("Alt+Up")],
        "move_down": [QKeySequence("Alt+Down")],
        "rename": [QKeySequence("F2")],
        "find": [QKeySequence(QKeySequence.StandardKey.Find)],
        "checks": [QKeySequence("F5")],
        "glossary": [QKeySequence("Ctrl+G")],
        "confirm_unchanged": [QKeySequence("Ctrl+Shift+U")],
        "insert_figure": [QKeySequence("Ctrl+Shift+I")],
        "go_to_indicator": [QKeySequence("F12")],
        "manual": [QKeySequence(QKeySequence.StandardKey.HelpContents)],
        "preferences": [QKeySequence("Ctrl+,")],
    }


def test_ids_are_unique_and_every_layout_names_declared_actions():
    assert len(IDS) == len(set(IDS))
    named = [item for _id, _title, items in MENUS for item in items]
    named += [*TOOLBAR, *TREE_MENU]
    unknown = {item for item in named if item != SEPARATOR} - set(IDS) - set(SUBMENUS)
    assert not unknown
    in_menus = {item for _id, _title, items in MENUS for item in items}
    assert set(IDS) <= in_menus, "every action can be found in a menu"


def test_keys_are_kept(sample_window):
    registry, expected = sample_window.registry, keys()
    for action_id in IDS:
        assert registry[action_id].shortcuts() == expected.get(action_id, []), action_id
    widget_only = {i for i in IDS
                   if registry[i].shortcutContext() == Qt.ShortcutContext.WidgetShortcut}
    assert widget_only == {"rename", "delete"}  # not while typing a text
    tree = sample_window.tree_view
    assert [a for a in tree.actions() if not a.isSeparator()] == [
        registry[i] for i in TREE_MENU if i != SEPARATOR]
    assert tree.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu


def test_no_key_reaches_two_actions(sample_window):
    seen: dict[str, str] = {}
    for action_id in IDS:
        for key in sample_window.registry[action_id].shortcuts():
            if not key.isEmpty():
                assert key.toString() not in seen, (action_id, seen.get(key.toString()))
                seen[key.toString()] = action_id


def test_menus_and_toolbar_follow_the_layouts(sample_window):
    registry = sample_window.registry
    bar = sample_window.menuBar().actions()
    assert [a.menu() for a in bar] == [registry.menus[m] for m, _t, _i in MENUS]
    for menu_id, _title, items in MENUS:
        shown = registry.menus[menu_id].actions()
        assert len(shown) == len(items)
        for action, item in zip(shown, items):
            if item == SEPARATOR:
                assert action.isSeparator()
            elif item in SUBMENUS:
                assert action.menu() is registry.menus[item]
            else:
                assert action is registry[item]
    toolbar = sample_window.findChild(QToolBar, "mainToolbar")
    expected = [registry[i] if i != SEPARATOR else None for i in TOOLBAR]
    shown = toolbar.actions()[:len(TOOLBAR)]
    assert [None if a.isSeparator() else a for a in shown] == expected
    assert toolbar.widgetForAction(toolbar.actions()[-1]) is sample_window.search_box


def test_texts_follow_the_language(sample_window):
    registry = sample_window.registry
    english = {i: registry[i].text() for i in IDS}
    assert english["open"] == "&Open…" and english["issues"] == "&Issues"
    try:
        apply_language("zh_CN", remember=False)
        QApplication.processEvents()
        chinese = {i: registry[i].text() for i in IDS}
        assert not [i for i in IDS if chinese[i] == english[i]]
        assert registry.menus["recent"].title() == "最近打开(&R)"
    finally:
        apply_language("en", remember=False)
        QApplication.processEvents()
    assert {i: registry[i].text() for i in IDS} == english


@pytest.mark.parametrize("editable", [False, True])
def test_editing_actions_follow_the_window(editable, sample_window, open_editor):
    window = open_editor() if editable else sample_window
    editing = {spec.id for spec in WINDOW_ACTIONS if spec.editing}
    assert editing == {"save", "add_part", "add_section", "add_paragraph", "delete",
                       "move_up", "move_down", "rename", "confirm_unchanged",
                       "import_indicators", "add_indicator", "insert_figure", "bind_figures"}
    assert all(window.registry[i].isEnabled() == editable for i in editing)
    assert all(window.registry[i].isEnabled() for i in ("open", "export", "find", "checks"))


def test_undo_and_redo_say_what_they_would_do(open_editor):
    window = open_editor()
    undo, redo = window.registry["undo"], window.registry["redo"]
    assert not undo.isEnabled() and undo.text() == "&Undo"
    window.registry["add_paragraph"].trigger()
    assert undo.isEnabled() and undo.text().startswith("Undo: ")
    undo.trigger()
    assert not undo.isEnabled() and redo.isEnabled() and redo.text().startswith("Redo: ")


def test_adding_an_action_is_one_entry(app, qtbot):
    """The registry serves any window: an entry gives the action, its key, its text and its
    call; a layout shows it."""
    calls = []

    class Window(QMainWindow):
        def hello(self, name: str) -> None:
            calls.append(name)

    window = Window()
    qtbot.addWidget(window)
    registry = ActionRegistry(window, [ActionSpec("hello", N_("&About ipviewer"), "hello",
                                                  ("world",), shortcuts=("Ctrl+H",))])
    registry.build_menus([("help", N_("&Help"), ("hello",))])
    registry.translateUI()
    assert registry["hello"].text() == "&About ipviewer"
    assert registry["hello"].shortcut() == QKeySequence("Ctrl+H")
    assert registry.menus["help"].actions() == [registry["hello"]]
    assert registry["hello"] in window.actions()
    registry["hello"].trigger()
    assert calls == ["world"]


def test_a_misspelt_slot_fails_at_once(app, qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    with pytest.raises(AttributeError):
        ActionRegistry(window, [ActionSpec("oops", N_("&Save"), "no_such_method")])


def test_dock_actions_show_and_hide_their_docks_under_their_own_names(sample_window):
    window = sample_window
    window.issues_panel.wait()
    assert window.issues_panel.windowTitle() == "Issues (1)"
    issues = window.registry["issues"]
    assert issues.text() == "&Issues", "the menu item keeps its name and mnemonic"
    assert issues.isChecked() and window.issues_panel.isVisible()
    issues.trigger()
    assert not window.issues_panel.isVisible() and not issues.isChecked()
    issues.trigger()
    assert window.issues_panel.isVisible() and issues.isChecked()
    window.issues_panel.close()  # its own close button
    assert not issues.isChecked()
    window.run_checks()
    window.issues_panel.wait()
    assert issues.text() == "&Issues"


def test_glossary_window_actions(app, qtbot, glossary_file):
    """The glossary window's actions come from the same registry: its keys, and an Undo
    named in the UI language (Qt's own "Undo %1" showed English in a Chinese UI)."""
    from ipviewer.terms.glossary import Glossary
    from ipviewer.ui.glossary_window import GlossaryWindow

    window = GlossaryWindow(Glossary.load(glossary_file))
    qtbot.addWidget(window)
    registry = window.registry
    assert registry["add"].shortcut() == QKeySequence("Ctrl+N")
    assert registry["redo"].shortcuts() == [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
    toolbar = window.findChild(QToolBar, "glossaryToolbar")
    assert toolbar.actions()[:7] == [registry[i] for i in
                                     ("add", "delete", "undo", "redo", "save", "import", "export")]
    try:
        apply_language("zh_CN", remember=False)
        QApplication.processEvents()
        assert not registry["undo"].isEnabled() and registry["undo"].text() == "撤销"
        window.add_term()
        assert registry["undo"].isEnabled() and registry["undo"].text().startswith("撤销: 添加")
    finally:
        apply_language("en", remember=False)
        QApplication.processEvents()
        window.undo_stack.setClean()
    assert registry["undo"].text().startswith("Undo: ")
