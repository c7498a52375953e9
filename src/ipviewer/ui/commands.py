"""Undo commands for every edit of a report: texts, the tree and indicator values.

A command is pushed after its first change was written (``ReportDocument`` raises on a
store error, and nothing is pushed), so the first ``redo`` that ``QUndoStack.push`` calls
does nothing. Later undos and redos write through the document; a failure there is
reported through ``document.failed`` instead of escaping into Qt.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from ..bind_report import TextChange
from ..i18n import _, ngettext
from ..store import StoreError
from ..store.report_store import NodeSnapshot
from ..store.to_update import Mark
from .document import ReportDocument

#: Keystrokes in the same field merge into one undo step while they come this close.
MERGE_SECONDS = 2.0


class _Command(QUndoCommand):
    """Skips the redo that ``push`` calls; later ones, and undos, report failures."""

    def __init__(self, document: ReportDocument, text: str) -> None:
        super().__init__(text)
        self.document = document
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._attempt(self.do)

    def undo(self) -> None:
        self._attempt(self.undo_change)

    def _attempt(self, action: Callable[[], None]) -> None:
        try:
            action()
        except (StoreError, OSError) as exc:
            self.setObsolete(True)
            self.document.failed.emit(str(exc))

    def do(self) -> None:
        raise NotImplementedError

    def undo_change(self) -> None:
        raise NotImplementedError


class EditFieldCommand(_Command):
    """A node's title, text or number changed; keystrokes in one field merge."""

    ID = 1001

    def __init__(self, document: ReportDocument, node_id: int, field: str, old: str,
                 new: str, was_marked: bool = False) -> None:
        super().__init__(document, _("Edit text"))
        self.node_id, self.field, self.old, self.new = node_id, field, old, new
        #: the node was still to update before: undo puts the mark back
        self.was_marked = was_marked
        self.when = time.monotonic()
        self.sealed = False  # no more merging (the editor lost focus, or a save)

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (not isinstance(other, EditFieldCommand) or self.sealed
                or (other.node_id, other.field) != (self.node_id, self.field)
                or other.when - self.when > MERGE_SECONDS):
            return False
        self.new, self.when = other.new, other.when
        if self.new == self.old:
            self.setObsolete(True)  # typed and deleted again: nothing to undo
            if self.was_marked:  # ... and the text is last year's again
                self._attempt(self.undo_change)
        return True

    def do(self) -> None:
        self.document.apply_node_field(self.node_id, self.field, self.new,
                                       False if self.was_marked else None)

    def undo_change(self) -> None:
        self.document.apply_node_field(self.node_id, self.field, self.old,
                                       True if self.was_marked else None)


class InsertNodeCommand(_Command):
    """A new part, section or paragraph."""

    def __init__(self, document: ReportDocument, parent_id: int | None, position: int,
                 row: dict[str, Any], node_id: int) -> None:
        super().__init__(document, _("Add {kind}").format(kind=kind_name(row["kind"])))
        self.parent_id, self.position = parent_id, position
        self.row = {**row, "id": node_id}

    def do(self) -> None:
        self.document.apply_insert(self.parent_id, self.position, self.row)

    def undo_change(self) -> None:
        self.document.apply_delete(self.row["id"])


class DeleteNodeCommand(_Command):
    """A node removed with everything below it."""

    def __init__(self, document: ReportDocument, snapshot: NodeSnapshot) -> None:
        super().__init__(document, _("Delete {kind}").format(
            kind=kind_name(snapshot.rows[0]["kind"])))
        self.snapshot = snapshot

    def do(self) -> None:
        self.snapshot = self.document.apply_delete(self.snapshot.rows[0]["id"])

    def undo_change(self) -> None:
        self.document.apply_restore(self.snapshot)


class MoveNodeCommand(_Command):
    """A node dragged (or moved up/down) to another place."""

    def __init__(self, document: ReportDocument, node_id: int, old: tuple[int | None, int],
                 new: tuple[int | None, int]) -> None:
        super().__init__(document, _("Move"))
        self.node_id, self.old, self.new = node_id, old, new

    def do(self) -> None:
        self.document.apply_move(self.node_id, *self.new)

    def undo_change(self) -> None:
        self.document.apply_move(self.node_id, *self.old)


class SetIndicatorsCommand(_Command):
    """New values for some cells of the indicator table (one cell, or a pasted range)."""

    def __init__(self, document: ReportDocument, changes: dict[int, dict[str, tuple[Any, Any]]],
                 text: str = "") -> None:
        super().__init__(document, text or _("Edit indicators"))
        self.changes = changes

    def do(self) -> None:
        self.document.apply_indicators(
            {i: {c: new for c, (_old, new) in cols.items()} for i, cols in self.changes.items()})

    def undo_change(self) -> None:
        self.document.apply_indicators(
            {i: {c: old for c, (old, _new) in cols.items()} for i, cols in self.changes.items()})


class ConfirmUnchangedCommand(_Command):
    """Values and texts confirmed unchanged since last year (no longer to update)."""

    def __init__(self, document: ReportDocument, before: list[Mark], after: list[Mark]) -> None:
        super().__init__(document, ngettext("Confirm {n} unchanged", "Confirm {n} unchanged",
                                            len(before)).format(n=len(before)))
        self.before, self.after = before, after

    def do(self) -> None:
        self.document.apply_marks(self.after)

    def undo_change(self) -> None:
        self.document.apply_marks(self.before)


class BindFiguresCommand(_Command):
    """Literal figures of several texts bound to indicators (Tools → Bind Figures…)."""

    def __init__(self, document: ReportDocument, changes: list[TextChange], marks: list[Mark],
                 count: int) -> None:
        super().__init__(document, ngettext("Bind {n} figure", "Bind {n} figures",
                                            count).format(n=count))
        self.changes, self.marks = changes, marks

    def do(self) -> None:
        self.document.apply_texts([(c.node_id, c.field, c.new) for c in self.changes],
                                  self.marks)

    def undo_change(self) -> None:
        self.document.apply_texts([(c.node_id, c.field, c.old) for c in self.changes],
                                  self.marks)


def kind_name(kind: str) -> str:
    """A node kind in the UI language."""
    return {"part": _("part"), "section": _("section"), "paragraph": _("paragraph"),
            "overview": _("overview")}.get(kind, kind)


# -- making an edit: write it, then push its command (a StoreError reaches the caller) --------

def edit_field(document: ReportDocument, node_id: int, field: str, old: str, new: str) -> None:
    """Change a node's title, text or number, undoably (a changed text is no longer to
    update; its undo makes it so again)."""
    was_marked = field.startswith("text_") and any(
        m.needs_update for m in document.store.marks("nodes", [node_id]))
    document.apply_node_field(node_id, field, new, False if was_marked else None)
    document.undo_stack.push(EditFieldCommand(document, node_id, field, old, new, was_marked))


def insert_node(document: ReportDocument, parent_id: int | None, position: int,
                row: dict[str, Any]) -> int:
    """Add a node, undoably; returns its id."""
    node_id = document.apply_insert(parent_id, position, row)
    document.undo_stack.push(InsertNodeCommand(document, parent_id, position, row, node_id))
    return node_id


def delete_node(document: ReportDocument, node_id: int) -> None:
    """Delete a node with what is below it, undoably."""
    snapshot = document.apply_delete(node_id)
    document.undo_stack.push(DeleteNodeCommand(document, snapshot))


def move_node(document: ReportDocument, node_id: int, parent_id: int | None,
              position: int) -> None:
    """Move a node to ``position`` (counted without it) under ``parent_id``, undoably."""
    row = document.store.node_row(node_id)
    old = (row["parent_id"], row["position"])
    if old == (parent_id, position):
        return
    document.apply_move(node_id, parent_id, position)
    document.undo_stack.push(MoveNodeCommand(document, node_id, old, (parent_id, position)))


def indicator_changes(document: ReportDocument,
                      changes: dict[int, dict[str, tuple[Any, Any]]]
                      ) -> dict[int, dict[str, tuple[Any, Any]]]:
    """``{id: {column: (old, new)}}`` without the cells that stay the same, and with the
    to-update mark a new value clears (so that its undo sets it again)."""
    changes = {i: {c: v for c, v in cols.items() if v[0] != v[1]} for i, cols in changes.items()}
    changes = {i: cols for i, cols in changes.items() if cols}
    valued = [i for i, cols in changes.items() if "value" in cols and "needs_update" not in cols]
    for mark in document.store.marks("indicators", valued):
        if mark.needs_update:  # a new value is no longer to update; its undo makes it so again
            changes[mark.id]["needs_update"] = (1, 0)
    return changes


def edit_indicators(document: ReportDocument, changes: dict[int, dict[str, tuple[Any, Any]]],
                    text: str = "") -> None:
    """Give indicator cells new (checked) values, undoably: ``{id: {column: (old, new)}}``."""
    changes = indicator_changes(document, changes)
    if not changes:
        return
    document.apply_indicators(
        {i: {c: new for c, (_old, new) in cols.items()} for i, cols in changes.items()})
    document.undo_stack.push(SetIndicatorsCommand(document, changes, text))


def confirm_unchanged(document: ReportDocument, indicator_ids: list[int], node_ids: list[int],
                      by: str | None = None) -> int:
    """Confirm values and texts unchanged, undoably; how many were still to update."""
    before = document.confirm_unchanged(indicator_ids, node_ids, by)
    if not before:
        return 0
    after = [m for table in ("indicators", "nodes")
             for m in document.store.marks(table, [b.id for b in before if b.table == table])]
    document.undo_stack.push(ConfirmUnchangedCommand(document, before, after))
    return len(before)


def bind_figures(document: ReportDocument, changes: list[TextChange], count: int) -> None:
    """Write the texts with ``count`` figures bound, as one undoable step; the texts' to-update
    marks stay as they were."""
    if not changes:
        return
    marks = document.store.marks("nodes", sorted({c.node_id for c in changes}))
    document.apply_texts([(c.node_id, c.field, c.new) for c in changes], marks)
    document.undo_stack.push(BindFiguresCommand(document, changes, marks, count))
