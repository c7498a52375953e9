"""Help → Keyboard Shortcuts: every action and its keys, made from the action registry.

Nothing here is a list kept by hand: the main window's actions and their shortcuts come
from its :class:`~.actions.ActionRegistry` (the keys as the actions really have them), the
menu of each from :data:`~.actions.MENUS`, and the actions of the PDF preview, the indicator
tables and the glossary window from their specs in :mod:`.actions`. The same rows make the
table on the manual's shortcuts page (:func:`shortcuts_html`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..i18n import N_, _, ngettext
from .actions import (
    GLOSSARY_ACTIONS,
    MENUS,
    PREVIEW_ACTIONS,
    TABLE_ACTIONS,
    TOOLBAR,
    TREE_MENU,
    ActionRegistry,
    ActionSpec,
)
from .language import LanguageAware

#: Where the actions of the other parts are (their own registries' specs).
PART_ACTIONS: tuple[tuple[str, tuple[ActionSpec, ...]], ...] = (
    (N_("PDF preview"), PREVIEW_ACTIONS),
    (N_("Indicator table"), TABLE_ACTIONS),
    (N_("Glossary window"), GLOSSARY_ACTIONS),
)
_MNEMONIC_SUFFIX = re.compile(r"\(&.\)")  # 文件(&F)


@dataclass(frozen=True)
class ShortcutRow:
    """One action: its name, its keys (as the platform writes them) and where it is."""

    action: str
    keys: str
    where: str


def plain(text: str) -> str:
    """A menu text without its mnemonic: ``&File`` → ``File``, ``文件(&F)`` → ``文件``."""
    return _MNEMONIC_SUFFIX.sub("", text).replace("&&", "\0").replace("&", "").replace("\0", "&")


def key_text(keys: list[QKeySequence]) -> str:
    """Key sequences as the platform writes them, one after another."""
    shown = [key.toString(QKeySequence.SequenceFormat.NativeText) for key in keys]
    return ", ".join(dict.fromkeys(text for text in shown if text))


def _where(action_id: str) -> str:
    """The menu that holds a main window's action (or the toolbar, or the tree's menu)."""
    for _menu_id, title, items in MENUS:
        if action_id in items:
            return plain(_(title))
    if action_id in TOOLBAR:
        return _("Toolbar")
    if action_id in TREE_MENU:
        return _("Structure tree's context menu")
    return ""


def shortcut_rows(registry: ActionRegistry | None) -> list[ShortcutRow]:
    """Every action of the main window (``registry``) and of the other parts, in the
    current UI language."""
    rows = []
    if registry is not None:
        for action_id, spec in registry.specs.items():
            action = registry[action_id]
            rows.append(ShortcutRow(plain(_(spec.text)), key_text(action.shortcuts()),
                                    _where(action_id)))
    for where, specs in PART_ACTIONS:
        for spec in specs:
            keys = [QKeySequence(key) for key in spec.shortcuts]
            rows.append(ShortcutRow(plain(_(spec.text)), key_text(keys), _(where)))
    return rows


def shortcuts_html(registry: ActionRegistry | None) -> str:
    """The rows with keys as an HTML table (for the manual's page)."""
    cells = "".join(
        f"<tr><td>{html.escape(row.action)}</td><td><b>{html.escape(row.keys)}</b></td>"
        f"<td>{html.escape(row.where)}</td></tr>"
        for row in shortcut_rows(registry) if row.keys)
    head = "".join(f"<th align='left'>{html.escape(text)}</th>"
                   for text in (_("Action"), _("Shortcut"), _("Where")))
    return f"<table cellpadding='3'><tr>{head}</tr>{cells}</table>"


class ShortcutsDialog(LanguageAware, QDialog):
    """A searchable table of every action, its shortcuts and its menu."""

    def __init__(self, registry: ActionRegistry | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.registry = registry
        self.resize(640, 560)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.table = QTableWidget(0, 3)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.count = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.translateUI()

    def translateUI(self) -> None:
        """Titles, and the rows again (the actions' names follow the language)."""
        self.setWindowTitle(_("Keyboard Shortcuts"))
        self.search.setPlaceholderText(_("Search actions, keys or menus"))
        self.search.setAccessibleName(_("Search actions, keys or menus"))
        self.table.setAccessibleName(_("Keyboard Shortcuts"))
        self.table.setHorizontalHeaderLabels([_("Action"), _("Shortcut"), _("Where")])
        rows = shortcut_rows(self.registry)
        self.table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            for column, text in enumerate((row.action, row.keys, row.where)):
                self.table.setItem(number, column, QTableWidgetItem(text))
        self.table.resizeColumnToContents(1)
        self.table.resizeColumnToContents(2)
        self._filter(self.search.text())

    def rows_shown(self) -> list[tuple[str, str, str]]:
        """The rows the filter leaves, as (action, keys, where)."""
        return [tuple(self.table.item(r, c).text() for c in range(3))
                for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]

    def _filter(self, text: str) -> None:
        needle = plain(text).strip().casefold()
        shown = 0
        for row in range(self.table.rowCount()):
            words = " ".join(self.table.item(row, c).text() for c in range(3)).casefold()
            hidden = bool(needle) and needle not in words
            self.table.setRowHidden(row, hidden)
            shown += not hidden
        total = self.table.rowCount()
        self.count.setText(ngettext("{shown} of {total} action", "{shown} of {total} actions",
                                    total).format(shown=shown, total=total))

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # Enter in the search box does not close the dialog
        super().keyPressEvent(event)
