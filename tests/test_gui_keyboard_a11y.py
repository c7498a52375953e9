"""The window from the keyboard, for a screen reader, and on a small screen.

- every menu and menu item has a mnemonic, unique within its menu (in both languages);
  no two actions answer the same shortcut where both are active;
- Tab walks the main window in reading order: tree → English → Chinese → indicator table;
- every widget that takes the focus has an accessible name, in both languages (the
  editor's fields say which language and which paragraph; the chips say what they hold);
- the window fits the screen it opens on.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QMenu, QTabBar, QWidget

from ipviewer import i18n
from ipviewer.terms.glossary import Glossary
from ipviewer.ui.language import apply_language
from ipviewer.ui.main_window import MainWindow
from ipviewer.ui.opening import open_report
from ipviewer.ui.window_settings import fit_to_screen
from zh_walk import (
    DialogRecorder,
    close_other_windows,
    top_level_windows,
    trigger_every_action,
)

LANGS = ["en", "zh_CN"]


@pytest.fixture(params=LANGS)
def lang(request, app):
    apply_language(request.param, remember=False)
    yield request.param
    apply_language("en", remember=False)
    QApplication.processEvents()


@pytest.fixture
def window(lang, qtbot, sample_copy, tmp_path, glossary_file, monkeypatch):
    """An editable window on the sample, with its glossary window open."""
    from PySide6.QtWidgets import QMessageBox

    opened = open_report(sample_copy, tmp_path / "recovery")
    win = MainWindow(opened, Glossary.load(glossary_file))
    win.show()
    win.issues_panel.wait()
    win.show_glossary()
    yield win
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    close_other_windows(keep=win)
    win.close()


# -- mnemonics ------------------------------------------------------------------------------


def mnemonic(text: str) -> str:
    """The letter after the single ``&`` of a text ("" when it has none)."""
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].lower() if 0 <= at < len(plain) - 1 else ""


def menu_problems(menu: QMenu, where: str) -> list[str]:
    """Items of ``menu`` (and its submenus) without a mnemonic, or sharing one."""
    problems, seen = [], defaultdict(list)
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        text = action.menu().title() if action.menu() else action.text()
        key = mnemonic(text)
        if not key and action.isEnabled():
            problems.append(f"{where}: {text!r} has no mnemonic")
        if key:
            seen[key].append(text)
        if action.menu() is not None:
            action.menu().aboutToShow.emit()  # filled when shown (Open Recent)
            problems += menu_problems(action.menu(), f"{where} › {text}")
    problems += [f"{where}: {texts} share &{key}" for key, texts in seen.items()
                 if len(texts) > 1]
    return problems


def test_every_menu_item_has_its_own_mnemonic(window, lang):
    bar = window.menuBar()
    titles = [a.text() for a in bar.actions()]
    problems = [f"menu bar: {t!r} has no mnemonic" for t in titles if not mnemonic(t)]
    keys = [mnemonic(t) for t in titles]
    problems += [f"menu bar: &{k} twice" for k in set(keys) if keys.count(k) > 1]
    for action in bar.actions():
        problems += menu_problems(action.menu(), action.text())
    context = QMenu()
    context.addActions(window.tree_view.actions())
    problems += menu_problems(context, "tree's context menu")
    for view in (window.indicators.node_view, window.indicators.all_view):
        context = QMenu()
        context.addActions(view.actions())
        problems += menu_problems(context, f"{view.objectName()}'s context menu")
    assert not problems, f"({lang})\n" + "\n".join(problems)


def test_undo_keeps_its_mnemonic_when_it_names_the_edit(window, qtbot):
    window.tree_view.setCurrentIndex(window.tree_model.index(1, 0))
    qtbot.keyClicks(window.editor.titles["en"], "x")
    text = window.registry["undo"].text()
    assert ":" in text or "：" in text
    assert mnemonic(text) == mnemonic(i18n._("&Undo"))


# -- shortcuts ------------------------------------------------------------------------------


def shortcut_owners(root: QWidget) -> dict[str, list[str]]:
    """Each key sequence and the actions that answer it in ``root``'s window: a window
    shortcut everywhere in its window, a widget shortcut only on its widget."""
    owners: dict[str, list[str]] = defaultdict(list)
    seen: set[int] = set()
    for widget in [root, *root.findChildren(QWidget)]:
        for action in widget.actions():
            if id(action) in seen or not action.shortcuts():
                continue
            seen.add(id(action))
            context = action.shortcutContext()
            scope = (widget.window().objectName() or type(widget.window()).__name__
                     if context in (Qt.ShortcutContext.WindowShortcut,
                                    Qt.ShortcutContext.ApplicationShortcut)
                     else f"{type(widget).__name__}#{widget.objectName()}")
            for key in action.shortcuts():
                name = action.objectName() or action.text()
                owners[f"{key.toString()} in {scope}"].append(name)
    return owners


def test_no_two_actions_share_a_shortcut(window):
    for root in (window, window.glossary_window):
        clashes = {key: names for key, names in shortcut_owners(root).items()
                   if len(set(names)) > 1}
        assert not clashes, clashes


def test_frequent_actions_have_shortcuts(window):
    frequent = ("open", "save", "export", "undo", "redo", "add_paragraph", "delete",
                "rename", "move_up", "move_down", "confirm_unchanged", "find", "checks",
                "glossary", "quit")
    assert not [a for a in frequent if not window.registry[a].shortcuts()]


# -- tab order ------------------------------------------------------------------------------


def test_tab_walks_the_window_in_reading_order(window, qtbot):
    """From the tree, Tab goes to the English title and text, the Chinese title and text,
    then the indicator table."""
    window.tree_view.setCurrentIndex(window.tree_model.index(1, 0))  # a part: titles shown
    QApplication.processEvents()
    wanted = [window.tree_view, window.editor.titles["en"], window.editor.texts["en"],
              window.editor.titles["zh"], window.editor.texts["zh"],
              window.indicators.node_view]
    window.activateWindow()
    window.tree_view.setFocus()
    order = [window.tree_view]
    widget = window.tree_view
    for _step in range(len(wanted) - 1):
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible()
                   and widget.isEnabled()):
            widget = widget.nextInFocusChain()
        order.append(widget)
    assert [w.objectName() for w in order] == [w.objectName() for w in wanted]


# -- accessible names -----------------------------------------------------------------------


def focusable(root: QWidget) -> list[QWidget]:
    """The widgets of ``root`` a user can Tab or click into."""
    return [w for w in [root, *root.findChildren(QWidget)]
            if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisible()
            and w.focusProxy() is None  # a spin box's line edit: the spin box is named
            and not isinstance(w, QMenu | QTabBar)]  # a tab bar's tabs are named by their text


def accessible_name(widget: QWidget) -> str:
    """What a screen reader calls ``widget``: its accessible name, else Qt's own choice (a
    button's text, the label whose buddy it is)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def nameless(root: QWidget) -> list[str]:
    """The focusable widgets of ``root`` a screen reader has no name for."""
    found = []
    for widget in focusable(root):
        if not accessible_name(widget).strip():
            parent = widget.parentWidget()
            found.append(f"{type(root).__name__}: {type(widget).__name__}#"
                         f"{widget.objectName()} in {type(parent).__name__}")
    return found


def reading_order_problems(dialog: QWidget) -> list[str]:
    """Where Tab goes back up, or leftwards within a row, in ``dialog`` (shown for it)."""
    dialog.show()
    QApplication.processEvents()
    chain, widget = [], dialog.nextInFocusChain()
    while widget is not dialog and len(chain) < 200:
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible()
                and widget.isEnabled() and dialog.isAncestorOf(widget)
                and widget.focusProxy() is None):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    problems = []
    for first, second in pairwise(chain):
        a = QRect(first.mapTo(dialog, QPoint(0, 0)), first.size())
        b = QRect(second.mapTo(dialog, QPoint(0, 0)), second.size())
        same_row = abs(a.center().y() - b.center().y()) < max(a.height(), b.height()) / 2
        if (b.left() < a.left()) if same_row else (b.center().y() < a.center().y()):
            problems.append(f"{type(dialog).__name__}: Tab from {type(first).__name__}#"
                            f"{first.objectName()} back to {type(second).__name__}#"
                            f"{second.objectName()}")
    dialog.hide()
    return problems


def test_every_part_and_dialog_can_be_reached_and_named(window, lang, qtbot, next_year_copy,
                                                       monkeypatch):
    """Every window and dialog the actions open: each focusable widget has a name a screen
    reader says (in both languages), and Tab goes through a dialog in reading order."""
    window.tree_view.setCurrentIndex(window.tree_model.index(1, 0))
    window.indicators.node_view.setCurrentIndex(window.indicators.node_model.index(0, 2))
    QApplication.processEvents()
    problems = nameless(window) + nameless(window.glossary_window)
    recorder = DialogRecorder()
    recorder.install(monkeypatch)

    def inspect(dialog: QWidget) -> None:
        problems.extend(reading_order_problems(dialog))
        dialog.show()
        problems.extend(nameless(dialog))
        dialog.hide()

    recorder.inspect = inspect
    windows: dict[int, QWidget] = {}

    def after(_label: str) -> None:
        for widget in top_level_windows():
            windows.setdefault(id(widget), widget)

    trigger_every_action(window, recorder, qtbot, next_year_copy, after)
    for widget in windows.values():
        if widget not in (window, window.glossary_window):
            problems += nameless(widget)
    assert {type(d).__name__ for d in recorder.widgets} >= {"ExportDialog"}
    assert not problems, f"({lang})\n" + "\n".join(sorted(set(problems)))
    close_other_windows(keep=window)


def test_the_editors_fields_say_what_they_hold(window, lang):
    window.tree_view.setCurrentIndex(window.tree_model.index(0, 0, window.tree_model.index(0, 0)))
    QApplication.processEvents()
    english, chinese = window.editor.texts["en"], window.editor.texts["zh"]
    assert english.accessibleName() != chinese.accessibleName()
    assert "1" in english.accessibleName() and "1" in chinese.accessibleName()
    if lang == "zh_CN":
        assert "英文" in english.accessibleName() and "中文" in chinese.accessibleName()
    else:
        assert "English" in english.accessibleName() and "paragraph 1" in english.accessibleName()


def test_a_chip_under_the_cursor_is_described(window, lang):
    """A screen reader cannot see a chip: the text's description names the figure at the
    cursor, its indicator and its value."""
    window.tree_view.setCurrentIndex(window.tree_model.index(1, 0, window.tree_model.index(0, 0)))
    QApplication.processEvents()
    text = window.editor.texts["en"]
    source = text.source()
    assert "{{" in source
    text.setFocus()
    place = text.accessibleDescription()
    assert place == window.tree_model.place(window.editor.node.id)  # no chip at the start
    found = ""
    cursor = text.textCursor()
    for position in range(len(text.toPlainText()) + 1):
        cursor.setPosition(position)
        text.setTextCursor(cursor)
        found = text.accessibleDescription()
        if found != place:
            break
    assert found != place, "no chip described"
    key = source[source.index("{{") + 2:source.index("}}")].split(":")[0]
    assert key in found


def test_a_language_switch_renames_the_widgets(window, lang):
    before = window.editor.texts["en"].accessibleName()
    other = "en" if lang == "zh_CN" else "zh_CN"
    apply_language(other, remember=False)
    QApplication.processEvents()
    assert window.editor.texts["en"].accessibleName() not in ("", before)
    assert window.tree_view.accessibleName() == i18n._("Structure of the report")


# -- the screen ---------------------------------------------------------------------------


@pytest.mark.parametrize(("saved", "screen", "fitted"), [
    (QRect(0, 0, 1360, 860), QRect(0, 0, 1920, 1080), QRect(0, 0, 1360, 860)),
    (QRect(0, 0, 1360, 860), QRect(0, 0, 1024, 600), QRect(0, 0, 1024, 600)),
    (QRect(2500, 300, 1200, 800), QRect(0, 0, 1920, 1080), QRect(720, 280, 1200, 800)),
    (QRect(-900, -50, 800, 600), QRect(0, 30, 1280, 770), QRect(0, 30, 800, 600)),
    (QRect(100, 100, 3000, 2000), QRect(1920, 0, 1280, 1024), QRect(1920, 0, 1280, 1024)),
])
def test_a_window_is_brought_onto_the_screen(saved, screen, fitted):
    assert fit_to_screen(saved, screen) == fitted


def test_the_window_fits_a_small_screen(app, qtbot, sample_copy, monkeypatch):
    """On a 1024×600 netbook screen the window opens inside the screen, a saved layout
    from a bigger screen included."""
    from PySide6.QtCore import QSettings

    from ipviewer.store import ReportStore
    from ipviewer.ui import window_settings

    small = QRect(0, 0, 1024, 600)
    monkeypatch.setattr(window_settings, "available_geometry", lambda _w: small)
    big = MainWindow(ReportStore.open(sample_copy, readonly=True))
    qtbot.addWidget(big)
    big.setGeometry(QRect(200, 200, 1800, 1000))
    QSettings().setValue("mainWindow/geometry", big.saveGeometry())
    win = MainWindow(ReportStore.open(sample_copy, readonly=True))
    qtbot.addWidget(win)
    win.show()
    frame = win.frameGeometry()
    assert small.contains(win.geometry()), (win.geometry(), frame)
    assert win.size().width() <= 1024 and win.size().height() <= 600
    assert win.minimumSizeHint().width() <= 1024 and win.minimumSizeHint().height() <= 600



#: A window on a small high-DPI screen, in a process of its own (the screen is the
#: offscreen platform's, set by its configuration file): its geometry and minimum size.
SMALL_SCREEN_SCRIPT = """
import json, sys
from PySide6.QtCore import QRect, QSettings
from ipviewer.store import ReportStore
from ipviewer.ui.app import make_application
from ipviewer.ui.main_window import MainWindow
app = make_application()
first = MainWindow(ReportStore.open(sys.argv[1], readonly=True))
first.setGeometry(QRect(300, 200, 1800, 1000))  # as a bigger screen would have left it
QSettings().setValue("mainWindow/geometry", first.saveGeometry())
first.close()
window = MainWindow(ReportStore.open(sys.argv[1], readonly=True))
window.show()
for _ in range(3):
    app.processEvents()
screen = window.screen()
print(json.dumps({"window": window.frameGeometry().getRect(),
                  "screen": screen.availableGeometry().getRect(),
                  "ratio": screen.devicePixelRatio()}))
window.close()
"""


def test_a_small_high_dpi_screen(sample_copy, tmp_path):
    """A 1024×600 screen at 200 %: the window opens inside it, though it was last closed
    at 1800×1000 on a bigger one."""
    import json
    import os
    import subprocess
    import sys

    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [{
        "name": "small", "x": 0, "y": 0, "width": 1024, "height": 600,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 2}]}), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    done = subprocess.run([sys.executable, "-c", SMALL_SCREEN_SCRIPT, str(sample_copy)],
                          check=False, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["ratio"] == 2 and shown["screen"] == [0, 0, 1024, 600]
    assert QRect(*shown["screen"]).contains(QRect(*shown["window"])), shown
