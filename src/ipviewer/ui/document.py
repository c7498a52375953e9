"""The open report as the window edits it: the store, the one undo stack, and signals that
tell the views what changed.

Every edit is an undo command (``ui/commands.py``) whose redo and undo call the ``apply_*``
methods here; each writes one transaction to the store and then announces the change. The
figure values used to render bound figures are kept here, refreshed when indicators change.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..i18n import report_language
from ..model import Node
from ..prose.bindings import BindingError, render_spans
from ..report_text import StoredFigureValues
from ..store import ReportStore
from ..store.report_store import NodeSnapshot
from ..store.to_update import Mark
from ..terms.glossary import Glossary
from ..terms.labels import indicator_name


class ReportDocument(QObject):
    """A report being edited (or only read, when ``store.readonly``)."""

    #: A node's title, text or number changed: (node id, store column, new value).
    nodeFieldChanged = Signal(int, str, str)
    #: A node (with what is below it) was put at (parent id or -1, position).
    nodeInserted = Signal(object, int, object)  # parent id | None, position, Node
    #: A node (with what is below it) was removed: node id.
    nodeRemoved = Signal(int)
    #: A node moved: (node id, new parent id | None, new position).
    nodeMoved = Signal(int, object, int)
    #: Indicator rows changed: their ids.
    indicatorsChanged = Signal(list)
    #: What is still to update may have changed for these rows: (indicator ids, node ids).
    marksChanged = Signal(list, list)
    #: An undo or redo could not be written; the message says why.
    failed = Signal(str)

    def __init__(self, store: ReportStore, undo_stack: QUndoStack,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.undo_stack = undo_stack
        self.year: int = store.report()["year"]
        self.values = StoredFigureValues(store)

    @property
    def readonly(self) -> bool:
        """Whether the report may not be changed (opened read-only or in use elsewhere)."""
        return self.store.readonly

    def render_text(self, text: str, lang: str) -> str:
        """A text with its bound figures filled in; one with no value yet (a new year's
        missing change) as ``[?key:yoy]``, the rest written in; left as written if a
        reference cannot even be read."""
        try:
            return render_spans(text, lang, self.values, self.year, missing=[])[0]
        except BindingError:
            return text

    def indicator_label(self, key: str, glossary: Glossary | None) -> str:
        """This year's indicator ``key`` by its name in the report language (the glossary's
        approved one first); the key itself when there is none."""
        row = next((r for r in self.store.indicator_history(key) if r["year"] == self.year),
                   None)
        if row is None:
            return key
        name, _approved = indicator_name(glossary, row["label_en"], row["label_zh"],
                                         report_language())
        return name or key

    # -- nodes ---------------------------------------------------------------------------

    def apply_node_field(self, node_id: int, field: str, value: str,
                         needs_update: bool | None = None) -> None:
        """Write one title, text or number (and, when given, the node's to-update mark)."""
        self.store.set_node_field(node_id, field, value, needs_update)
        self.nodeFieldChanged.emit(node_id, field, value)
        if needs_update is not None:
            self.marksChanged.emit([], [node_id])

    def apply_texts(self, texts: list[tuple[int, str, str]], marks: list[Mark]) -> None:
        """Write several texts ``(node id, field, value)`` in one transaction, and give the
        nodes these to-update states after them (bound figures leave a text's mark as it
        was: the words are the same)."""
        with self.store.transaction():
            for node_id, field, value in texts:
                self.store.set_node_field(node_id, field, value)
            self.store.set_marks(marks)
        for node_id, field, value in texts:
            self.nodeFieldChanged.emit(node_id, field, value)
        self.marksChanged.emit([], [mark.id for mark in marks])

    def apply_insert(self, parent_id: int | None, position: int, row: dict[str, Any]) -> int:
        """Insert a node (``row`` may carry the ``id`` it had before) and return its id."""
        node_id = self.store.insert_node(parent_id, position, row)
        stored = self.store.node_row(node_id)
        self.nodeInserted.emit(parent_id, position, _node_from_rows([stored], node_id))
        return node_id

    def apply_delete(self, node_id: int) -> NodeSnapshot:
        """Delete a node with what is below it; the snapshot brings it back."""
        snapshot = self.store.delete_node(node_id)
        self.nodeRemoved.emit(node_id)
        self._snapshot_marks(snapshot)
        if snapshot.links:
            self.indicatorsChanged.emit([indicator for indicator, _node in snapshot.links])
        return snapshot

    def apply_restore(self, snapshot: NodeSnapshot) -> None:
        """Undo :meth:`apply_delete`."""
        self.store.restore_node(snapshot)
        top = snapshot.rows[0]
        self.nodeInserted.emit(top["parent_id"], top["position"],
                               _node_from_rows(snapshot.rows, top["id"]))
        self._snapshot_marks(snapshot)
        if snapshot.links:
            self.indicatorsChanged.emit([indicator for indicator, _node in snapshot.links])

    def _snapshot_marks(self, snapshot: NodeSnapshot) -> None:
        """Nodes still to update went away or came back with a deletion or its undo."""
        marked = [row["id"] for row in snapshot.rows if row.get("needs_update")]
        if marked:
            self.marksChanged.emit([], marked)

    def apply_move(self, node_id: int, parent_id: int | None, position: int) -> None:
        """Move a node under ``parent_id`` to ``position`` (counted without the node)."""
        self.store.move_node(node_id, parent_id, position)
        self.nodeMoved.emit(node_id, parent_id, position)

    # -- indicators ----------------------------------------------------------------------

    def apply_indicators(self, changes: dict[int, dict[str, Any]]) -> None:
        """Write new column values for indicators (already checked), in one transaction."""
        self.store.set_indicator_fields(changes)
        self.values.forget()
        self.indicatorsChanged.emit(list(changes))
        marked = [i for i, cols in changes.items() if "needs_update" in cols]
        if marked:
            self.marksChanged.emit(marked, [])

    # -- what is still to update -----------------------------------------------------------

    def confirm_unchanged(self, indicator_ids: list[int], node_ids: list[int],
                          by: str | None = None) -> list[Mark]:
        """Confirm these values and texts unchanged (one transaction); the marks before."""
        before = self.store.confirm_unchanged(indicator_ids, node_ids, by)
        self._marks_written(before)
        return before

    def apply_marks(self, marks: list[Mark]) -> None:
        """Give rows these to-update states (undo and redo of a confirmation)."""
        self.store.set_marks(marks)
        self._marks_written(marks)

    def _marks_written(self, marks: list[Mark]) -> None:
        indicators = [m.id for m in marks if m.table == "indicators"]
        if indicators:
            self.indicatorsChanged.emit(indicators)
        self.marksChanged.emit(indicators, [m.id for m in marks if m.table == "nodes"])


def _node_from_rows(rows: list[dict[str, Any]], top_id: int) -> Node:
    """The ``Node`` tree rooted at ``top_id`` from store rows (any order)."""
    by_parent: dict[int | None, list[dict[str, Any]]] = {}
    for row in rows:
        by_parent.setdefault(row["parent_id"], []).append(row)

    def build(row: dict[str, Any]) -> Node:
        children = sorted(by_parent.get(row["id"], []), key=lambda r: r["position"])
        return Node(kind=row["kind"], number=row["number"], title_en=row["title_en"],
                    title_zh=row["title_zh"], text_en=row["text_en"], text_zh=row["text_zh"],
                    id=row["id"], children=[build(child) for child in children])

    return build(next(r for r in rows if r["id"] == top_id))
