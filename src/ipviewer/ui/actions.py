"""Every action of the main window, declared once (Picard style).

An action is one :class:`ActionSpec` in :data:`WINDOW_ACTIONS` (or, for the PDF preview's,
the indicator tables' and the glossary window's own actions, :data:`PREVIEW_ACTIONS`,
:data:`TABLE_ACTIONS` and :data:`GLOSSARY_ACTIONS`): its id,
its text (marked with ``N_`` and translated when the UI language is set), its shortcuts, the
owner's method it calls, and whether it changes the report. :class:`ActionRegistry` creates
them for their owner and sets their texts again on each language switch; the menus
(:data:`MENUS`), the toolbar (:data:`TOOLBAR`) and the tree's context menu (:data:`TREE_MENU`)
name actions by id, so adding an action is one entry here and its id where it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from operator import attrgetter

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMenu, QToolBar, QWidget
from shiboken6 import isValid

from .. import i18n
from ..i18n import N_, _
from .language import apply_language

Key = QKeySequence.StandardKey

#: In a layout (menu, toolbar): a separator.
SEPARATOR = "-"


@dataclass(frozen=True)
class ActionSpec:
    """One action: what it says, which keys reach it, what it does."""

    id: str
    text: str  #: marked with ``N_``; translated when the UI language is set
    slot: str = ""  #: the window's method to call (a dotted path: ``undo_stack.undo``)
    args: tuple = ()  #: arguments for the slot
    shortcuts: tuple[Key | str, ...] = ()  #: a standard key where one exists
    #: ``WidgetShortcut``: only where the action is added (the tree), not while typing a text
    context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut
    editing: bool = False  #: changes the report: disabled in a read-only window
    checkable: bool = False
    icon: str = ""  #: a freedesktop theme icon name
    dock: str = ""  #: the window's dock this action shows and hides (no slot)


WINDOW_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new", N_("&New…"), "files.new_report", shortcuts=(Key.New,)),
    ActionSpec("open", N_("&Open…"), "files.choose_report", shortcuts=(Key.Open,)),
    ActionSpec("save", N_("&Save"), "save", shortcuts=(Key.Save,), editing=True),
    ActionSpec("save_as", N_("Save &As…"), "files.choose_save_as", shortcuts=("Ctrl+Shift+S",)),
    ActionSpec("import_text", N_("&Import Text…"), "files.choose_import"),
    ActionSpec("close_report", N_("&Close"), "files.close_report", shortcuts=("Ctrl+W",)),
    ActionSpec("export", N_("&Export…"), "exporter.choose", shortcuts=("Ctrl+E",)),
    ActionSpec("new_year", N_("Start Next &Year's Report…"), "files.choose_next_year"),
    ActionSpec("quit", N_("&Quit"), "close", shortcuts=(Key.Quit,)),
    ActionSpec("undo", N_("&Undo"), "undo_keys.undo", shortcuts=(Key.Undo,)),
    ActionSpec("redo", N_("&Redo"), "undo_keys.redo", shortcuts=("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionSpec("add_part", N_("Add &Part"), "add_node", ("part",), editing=True),
    ActionSpec("add_section", N_("Add &Section"), "add_node", ("section",), editing=True),
    ActionSpec("add_paragraph", N_("Add Para&graph"), "add_node", ("paragraph",),
               shortcuts=("Ctrl+Return",), editing=True),
    ActionSpec("delete", N_("&Delete"), "delete_current", shortcuts=(Key.Delete,),
               context=Qt.ShortcutContext.WidgetShortcut, editing=True),
    ActionSpec("move_up", N_("Mo&ve Up"), "move_current", (-1,), shortcuts=("Alt+Up",),
               editing=True),
    ActionSpec("move_down", N_("Move Do&wn"), "move_current", (1,), shortcuts=("Alt+Down",),
               editing=True),
    ActionSpec("rename", N_("Rena&me"), "rename_current", shortcuts=("F2",),
               context=Qt.ShortcutContext.WidgetShortcut, editing=True),
    ActionSpec("confirm_unchanged", N_("&Confirm Unchanged"), "confirm_unchanged",
               shortcuts=("Ctrl+Shift+U",), editing=True),
    ActionSpec("copy_reference", N_("Cop&y Reference"), "copy_reference"),
    ActionSpec("find", N_("&Find…"), "finder.focus", shortcuts=(Key.Find,)),
    ActionSpec("checks", N_("Run &Checks"), "run_checks", shortcuts=("F5",)),
    ActionSpec("glossary", N_("&Glossary…"), "show_glossary", shortcuts=("Ctrl+G",)),
    ActionSpec("compare", N_("Co&mpare With…"), "compare_with"),
    ActionSpec("bind_figures", N_("&Bind Figures…"), "binder.choose", editing=True),
    ActionSpec("about", N_("&About ipviewer"), "about"),
    ActionSpec("import_indicators", N_("Import In&dicators…"), "indicator_jobs.choose_import",
               editing=True),
    ActionSpec("export_indicators", N_("E&xport Indicators…"), "indicator_jobs.choose_export"),
    ActionSpec("add_indicator", N_("Add &Indicator…"), "indicator_jobs.add_indicator",
               editing=True),
    ActionSpec("insert_figure", N_("I&nsert Figure…"), "indicator_jobs.insert_figure",
               shortcuts=("Ctrl+Shift+I",), editing=True),
    ActionSpec("go_to_indicator", N_("Go &to Indicator"), "indicator_jobs.go_to_indicator",
               shortcuts=("F12",)),
    ActionSpec("manual", N_("&Manual"), "help_actions.manual", shortcuts=(Key.HelpContents,)),
    ActionSpec("shortcuts", N_("&Keyboard Shortcuts"), "help_actions.shortcuts"),
    # "Ctrl+," is QKeySequence.Preferences where a platform has one (macOS: ⌘,)
    ActionSpec("preferences", N_("Pr&eferences…"), "help_actions.preferences",
               shortcuts=("Ctrl+,",)),
    ActionSpec("issues", N_("&Issues"), dock="issues_panel"),
    ActionSpec("to_update", N_("&To Update"), dock="to_update_panel"),
    ActionSpec("chart", N_("C&hart"), dock="chart_pane"),
    ActionSpec("preview", N_("PDF &Preview"), dock="preview_dock"),
)

#: The PDF preview's own actions (its buttons; keys where the preview has the focus).
PREVIEW_ACTIONS: tuple[ActionSpec, ...] = tuple(
    ActionSpec(action_id, text, slot, shortcuts=keys, checkable=action_id == "fit_width",
               context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
    for action_id, text, slot, keys in (
        ("zoom_in", N_("Zoom In"), "zoom_in", (Key.ZoomIn,)),
        ("zoom_out", N_("Zoom Out"), "zoom_out", (Key.ZoomOut,)),
        ("fit_width", N_("Fit Width"), "fit_width", ())))

#: An indicator table's own actions (its context menu; keys where the table has the focus).
TABLE_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("copy", N_("&Copy cells"), "copy_selection", shortcuts=(Key.Copy,),
               context=Qt.ShortcutContext.WidgetShortcut),
    ActionSpec("paste", N_("&Paste cells"), "paste", shortcuts=(Key.Paste,),
               context=Qt.ShortcutContext.WidgetShortcut),
)

#: The glossary window's actions (its toolbar, then the search box and the status filter).
GLOSSARY_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("add", N_("Add term"), "add_term", shortcuts=("Ctrl+N",)),
    ActionSpec("delete", N_("Delete"), "delete_selected", shortcuts=(Key.Delete,)),
    ActionSpec("undo", N_("Undo"), "undo_keys.undo", shortcuts=(Key.Undo,)),
    ActionSpec("redo", N_("Redo"), "undo_keys.redo", shortcuts=("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionSpec("save", N_("Save"), "save", shortcuts=(Key.Save,)),
    ActionSpec("import", N_("Import…"), "choose_import"),
    ActionSpec("export", N_("Export…"), "choose_export"),
    ActionSpec("find", N_("&Find…"), "search.setFocus", shortcuts=(Key.Find,)),
)
GLOSSARY_TOOLBAR: tuple[str, ...] = ("add", "delete", "undo", "redo", "save", "import", "export",
                                     SEPARATOR)

#: The menu bar: (id, title, items); an item is an action id, :data:`SEPARATOR`, or the id of
#: a submenu in :data:`SUBMENUS` (filled by its owner).
MENUS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("file", N_("&File"), ("new", "open", "recent", "save", "save_as", SEPARATOR, "import_text",
                           "import_indicators", "export_indicators", SEPARATOR, "export",
                           "new_year", SEPARATOR, "close_report", "quit")),
    ("edit", N_("&Edit"), ("undo", "redo", SEPARATOR, "add_paragraph", "add_section", "add_part",
                           "rename", "move_up", "move_down", "delete", SEPARATOR,
                           "add_indicator", "insert_figure", "go_to_indicator", SEPARATOR,
                           "confirm_unchanged", "copy_reference", SEPARATOR, "find",
                           SEPARATOR, "preferences")),
    ("view", N_("&View"), ("language", "issues", "to_update", "chart", "preview")),
    ("tools", N_("&Tools"), ("checks", "glossary", "compare", "bind_figures")),
    ("help", N_("&Help"), ("manual", "shortcuts", SEPARATOR, "about")),
)
SUBMENUS: dict[str, str] = {"recent": N_("Open &Recent"), "language": N_("&Language")}

#: The toolbar (the search box follows it).
TOOLBAR: tuple[str, ...] = ("save", "undo", "redo", SEPARATOR, "add_paragraph", "delete",
                            SEPARATOR, "checks", "export", SEPARATOR)

#: The structure tree's context menu (its shortcuts work while the tree has the focus).
TREE_MENU: tuple[str, ...] = ("add_paragraph", "add_section", "add_part", "rename", "move_up",
                              "move_down", "delete", "copy_reference", SEPARATOR,
                              "confirm_unchanged")


class ActionRegistry(QObject):
    """A window's (or a panel's) actions by id (``registry["save"]``), and its menus by id
    (``registry.menus["file"]``); one :meth:`translateUI` for both. A child of its owner."""

    def __init__(self, window: QWidget, specs: Iterable[ActionSpec] = WINDOW_ACTIONS) -> None:
        super().__init__(window)
        self.window = window
        self.specs = {spec.id: spec for spec in specs}
        self._actions = {spec.id: self._create(spec) for spec in self.specs.values()}
        self.menus: dict[str, QMenu] = {}
        self._titles: dict[str, str] = {}
        self.language_group = QActionGroup(window)
        self.toolbar: QToolBar | None = None
        self._stack: QUndoStack | None = None

    def _create(self, spec: ActionSpec) -> QAction:
        action = QAction(self.window)
        if spec.dock:  # not the dock's own toggle action: Qt renames that after the dock
            toggle = attrgetter(spec.dock)(self.window).toggleViewAction()
            action.setCheckable(True)
            action.setChecked(toggle.isChecked())
            action.triggered.connect(toggle.trigger)
            toggle.toggled.connect(action.setChecked)
            return action
        action.setObjectName(f"{spec.id}Action")
        if spec.shortcuts:
            action.setShortcuts([QKeySequence(key) for key in spec.shortcuts])
        action.setShortcutContext(spec.context)
        action.setCheckable(spec.checkable)
        if spec.icon:
            action.setIcon(QIcon.fromTheme(spec.icon))
        slot: Callable = attrgetter(spec.slot)(self.window)
        action.triggered.connect(partial(_call, slot, spec.args))
        self.window.addAction(action)
        return action

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._actions)

    def __len__(self) -> int:
        return len(self._actions)

    def values(self) -> list[QAction]:
        """The actions, in the order they were declared."""
        return list(self._actions.values())

    def set_editable(self, editable: bool) -> None:
        """Enable the actions that change the report, or not (a read-only window)."""
        for spec in self.specs.values():
            if spec.editing:
                self._actions[spec.id].setEnabled(editable)

    # -- where the actions show ----------------------------------------------------------------

    def fill(self, target: QWidget, items: Iterable[str]) -> None:
        """Add these actions (and separators, and known submenus) to a menu or toolbar."""
        for item in items:
            if item == SEPARATOR:
                target.addSeparator()
            elif item in SUBMENUS:
                self.menus[item] = target.addMenu("")
                self._titles[item] = SUBMENUS[item]
            else:
                target.addAction(self._actions[item])

    def build_menus(self, menus=MENUS) -> None:
        """The menu bar; then the language submenu, each language in its own words."""
        bar = self.window.menuBar()
        for menu_id, title, items in menus:
            self.menus[menu_id] = bar.addMenu("")
            self._titles[menu_id] = title
            self.fill(self.menus[menu_id], items)
        if "language" in self.menus:
            for code, name in i18n.LANGUAGES.items():
                action = QAction(language_label(code, name), self.window, checkable=True)
                action.setData(code)
                action.triggered.connect(partial(_choose_language, code))
                self.language_group.addAction(action)
                self.menus["language"].addAction(action)

    def build_toolbar(self, items: Iterable[str] = TOOLBAR, name: str = "mainToolbar"
                      ) -> QToolBar:
        """The window's toolbar (``name``: its object name, for the saved layout)."""
        toolbar = self.window.addToolBar("")
        toolbar.setObjectName(name)
        self.fill(toolbar, items)
        self.toolbar = toolbar
        return toolbar

    def add_to(self, widget: QWidget, items: Iterable[str] = TREE_MENU) -> None:
        """Give a widget these actions (its context menu; their widget shortcuts work there)."""
        widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for item in items:
            if item == SEPARATOR:
                separator = QAction(widget)
                separator.setSeparator(True)
                widget.addAction(separator)
            else:
                widget.addAction(self._actions[item])

    # -- language ----------------------------------------------------------------------------

    def translateUI(self) -> None:
        """Every action's text and every menu's title in the current UI language."""
        for action_id, spec in self.specs.items():
            self._actions[action_id].setText(_(spec.text))
        for menu_id, menu in self.menus.items():
            menu.setTitle(_(self._titles[menu_id]))
        if self.toolbar is not None:
            # L10N: the name of the main toolbar (in the menu that shows or hides it)
            self.toolbar.setWindowTitle(_("Toolbar"))
        for action in self.language_group.actions():
            action.setChecked(action.data() == i18n.current_language())
        self._name_undo_redo()

    def follow_undo_stack(self, stack: QUndoStack) -> None:
        """Keep Undo and Redo enabled, and named after what they would do, as ``stack`` goes."""
        self._stack = stack
        stack.canUndoChanged.connect(self["undo"].setEnabled)
        stack.canRedoChanged.connect(self["redo"].setEnabled)
        stack.indexChanged.connect(self._name_undo_redo)
        self["undo"].setEnabled(stack.canUndo())
        self["redo"].setEnabled(stack.canRedo())

    def _name_undo_redo(self, *_args) -> None:
        stack = self._stack
        if stack is not None and isValid(stack):  # not while the window is deleted
            self["undo"].setText(undo_text(stack.undoText(), _(self.specs["undo"].text)))
            self["redo"].setText(undo_text(stack.redoText(), _(self.specs["redo"].text)))


def _call(slot: Callable, args: tuple, _checked: bool = False) -> None:
    slot(*args)


def _choose_language(code: str, _checked: bool = False) -> None:
    apply_language(code)


def undo_text(command_text: str, plain: str) -> str:
    """The Undo/Redo action's text: its name (mnemonic kept) with what it would undo, if
    anything."""
    if not command_text:
        return plain
    # L10N: the Undo or Redo menu item with the edit it would undo: "&Undo: Typing"
    return _("{action}: {edit}").format(action=plain, edit=command_text.replace("&", "&&"))


#: The mnemonic of each language in View → Language (the names are their own words).
LANGUAGE_KEYS = {"en": "E", "zh_CN": "C"}


def language_label(code: str, name: str) -> str:
    """A language's menu item: its own name with a mnemonic ("&English", "简体中文(&C)")."""
    key = LANGUAGE_KEYS.get(code, "")
    if not key:
        return name
    if name[:1].upper() == key:
        return "&" + name
    return f"{name}(&{key})"
