"""The glossary as a Qt table: filtered and sorted in the model, every edit an undo command."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QUndoCommand, QUndoStack

from ..i18n import N_, _, ngettext
from ..terms.exchange import MergeReport, merge
from ..terms.glossary import Glossary, GlossaryError, Term

_INVALID = QModelIndex()

#: (Term attribute, header) in display order.
COLUMNS = (
    ("english", N_("English")),
    ("chinese", N_("Chinese")),
    ("field", N_("Field")),
    ("note", N_("Note")),
    ("approved", N_("Approved")),
)
#: Status filters: (key, label).
FILTERS = (
    ("all", N_("All terms")),
    ("untranslated", N_("Untranslated")),
    ("fuzzy", N_("Not approved (fuzzy)")),
    ("approved", N_("Approved")),
)


class GlossaryTableModel(QAbstractTableModel):
    """Terms of a :class:`Glossary`, as rows; edits go through ``undo_stack``."""

    #: An edit was refused; the argument says why (the old value is kept).
    refused = Signal(str)

    def __init__(self, glossary: Glossary, undo_stack: QUndoStack,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.glossary = glossary
        self.undo_stack = undo_stack
        self.pushing = False
        self._rows: list[Term] = []
        self._search = ""
        self._status = "all"
        self._sort_column = -1
        self._descending = False
        self.last_error = ""
        self.refresh()

    # -- the visible rows ---------------------------------------------------------------

    def set_search(self, text: str) -> None:
        """Show only terms whose English, Chinese or note contains ``text`` (any case)."""
        self._search = text.strip().casefold()
        self.refresh()

    def set_status(self, status: str) -> None:
        """Show all terms, or only untranslated / fuzzy / approved ones."""
        self._status = status
        self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column = column
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the visible rows from the glossary (file order unless sorted)."""
        self.beginResetModel()
        rows = [t for t in self.glossary.terms() if self._shown(t)]
        if 0 <= self._sort_column < len(COLUMNS):
            name = COLUMNS[self._sort_column][0]
            rows.sort(key=lambda t: _sort_key(getattr(t, name)), reverse=self._descending)
        self._rows = rows
        self.endResetModel()

    def _shown(self, term: Term) -> bool:
        if self._status != "all" and term.status != self._status:
            return False
        if not self._search:
            return True
        return any(self._search in text.casefold()
                   for text in (term.english, term.chinese, term.note))

    def term(self, row: int) -> Term:
        """The term shown at ``row``."""
        return self._rows[row]

    def row_of(self, english: str, field: str) -> int:
        """The row showing (english, field), or -1."""
        for row, term in enumerate(self._rows):
            if term.english == english and term.field == field:
                return row
        return -1

    # -- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = _INVALID) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = _INVALID) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section][1])
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COLUMNS[index.column()][0] == "approved":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        term = self._rows[index.row()]
        name = COLUMNS[index.column()][0]
        if name == "approved":
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if term.approved else Qt.CheckState.Unchecked
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return getattr(term, name)
        if role == Qt.ItemDataRole.ForegroundRole and name == "chinese" and not term.approved:
            return QBrush(QColor("#b35900"))  # not approved: visibly different
        if role == Qt.ItemDataRole.ToolTipRole and name == "chinese":
            if not term.chinese:
                return _("Not translated yet")
            if term.forbidden:
                return _("Do not use: {variants}").format(variants="; ".join(term.forbidden))
            if not term.approved:
                return _("Not approved yet")
        return None

    def setData(self, index: QModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        term = self._rows[index.row()]
        name = COLUMNS[index.column()][0]
        if name == "approved" and role == Qt.ItemDataRole.CheckStateRole:
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif isinstance(value, str):
            value = value.strip()
        if getattr(term, name) == value:
            return False
        return self.push(EditTermCommand(self, term, {name: value}))

    def push(self, command: QUndoCommand) -> bool:
        """Run an edit through the undo stack; False (and ``last_error``) if refused."""
        self.last_error = ""
        self.pushing = True  # an edit, not an undo: an open cell editor stays
        try:
            self.undo_stack.push(command)
        finally:
            self.pushing = False
        if getattr(command, "failed", False):
            self.last_error = command.error
            self.refused.emit(command.error)
            return False
        return True

    def retranslate(self) -> None:
        """Headers and tooltips follow the UI language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)


def _sort_key(value: Any) -> tuple:
    if isinstance(value, bool):
        return (value,)
    return (value == "", str(value).casefold())


class _GlossaryCommand(QUndoCommand):
    """Base of the glossary's undo commands: a refused first run removes itself."""

    def __init__(self, model: GlossaryTableModel, text: str) -> None:
        super().__init__(text)
        self.model = model
        self.failed = False
        self.error = ""

    def _attempt(self, action) -> None:
        try:
            action()
        except GlossaryError as exc:
            self.failed, self.error = True, str(exc)
            self.setObsolete(True)  # dropped from the stack: nothing happened
        self.model.refresh()


class EditTermCommand(_GlossaryCommand):
    """Change attributes of one term (renames included)."""

    def __init__(self, model: GlossaryTableModel, term: Term, changes: dict[str, Any]) -> None:
        super().__init__(model, _("Edit “{term}”").format(term=term.english))
        self.before = term
        self.after = dataclasses.replace(term, **changes)
        self.changes = changes

    def redo(self) -> None:
        self._attempt(lambda: self.model.glossary.edit(
            self.before.english, self.before.field, **self.changes))

    def undo(self) -> None:
        old = {name: getattr(self.before, name) for name in self.changes}
        self.model.glossary.edit(self.after.english, self.after.field, **old)
        self.model.refresh()


class AddTermCommand(_GlossaryCommand):
    """Add a new term."""

    def __init__(self, model: GlossaryTableModel, term: Term) -> None:
        super().__init__(model, _("Add “{term}”").format(term=term.english))
        self.term = term

    def redo(self) -> None:
        self._attempt(lambda: self.model.glossary.add(self.term))

    def undo(self) -> None:
        self.model.glossary.delete(self.term.english, self.term.field)
        self.model.refresh()


class DeleteTermsCommand(_GlossaryCommand):
    """Delete terms; undo puts them back."""

    def __init__(self, model: GlossaryTableModel, terms: list[Term]) -> None:
        super().__init__(model, ngettext("Delete {count} term", "Delete {count} terms",
                                         len(terms)).format(count=len(terms)))
        self.terms = terms

    def redo(self) -> None:
        def delete_all() -> None:
            for term in self.terms:
                self.model.glossary.delete(term.english, term.field)
        self._attempt(delete_all)

    def undo(self) -> None:
        for term in self.terms:
            self.model.glossary.add(term)
        self.model.refresh()


class ImportTermsCommand(_GlossaryCommand):
    """Merge imported terms (new ones added, conflicts left alone); undo restores the glossary."""

    def __init__(self, model: GlossaryTableModel, terms: list[Term], name: str) -> None:
        super().__init__(model, _("Import {file}").format(file=name))
        self.terms = terms
        self.before = model.glossary.to_bytes()
        self.after: bytes | None = None
        self.report = MergeReport()

    def redo(self) -> None:
        if self.after is None:
            self.report = merge(self.model.glossary, self.terms, overwrite=False)
            self.after = self.model.glossary.to_bytes()
        else:
            self._restore(self.after)
        self.model.refresh()

    def undo(self) -> None:
        self._restore(self.before)
        self.model.refresh()

    def _restore(self, data: bytes) -> None:
        self.model.glossary = Glossary.from_bytes(data, self.model.glossary.path)
