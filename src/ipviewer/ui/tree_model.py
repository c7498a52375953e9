"""The report's structure as a Qt tree model: parts, sections and paragraphs in both languages.

The model shows ``Node`` objects; it never writes to the store itself. Renaming (editing a
title in place) and dropping a dragged node are handed to the window as requests
(``renameRequested``, ``moveRequested``), which make them undoable edits; the document's
signals then come back here as :meth:`set_field`, :meth:`insert`, :meth:`remove` and
:meth:`move`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from ..i18n import N_, _, ngettext
from ..model import NUMBERED_KINDS, Node, display_title, number_tree
from ..prose.cross_refs import NodeNumbers, cross_ref
from .locations import node_place
from .to_update_panel import TO_UPDATE_COLOUR, to_update_badge

_INVALID = QModelIndex()

#: Headers of the tree's columns, one per report language.
LANGUAGE_COLUMNS = (N_("English"), N_("Chinese"))

#: What may hold what: a node kind → the kinds of parent it may have (None: the top level).
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    "overview": {None},
    "part": {None},
    "section": {"part", "overview"},
    "paragraph": {"overview", "part", "section"},
}

NODE_MIME = "application/x-ipviewer-node"


class ReportTreeModel(QAbstractItemModel):
    """The report's parts, sections and paragraphs; one column per language."""

    LANGS = ("en", "zh")

    #: The user renamed a node in place: (node id, store column, new title).
    renameRequested = Signal(int, str, str)
    #: The user dropped a node: (node id, new parent id or None, position without the node).
    moveRequested = Signal(int, object, int)

    def __init__(self, nodes: list[Node], parent: QObject | None = None,
                 render: Callable[[str, str], str] | None = None) -> None:
        super().__init__(parent)
        self._roots = nodes
        #: fills in bound figures of a text in a language (identity when not given)
        self._render = render or (lambda text, _lang: text)
        self._parent_of: dict[int, Node | None] = {}
        self._by_id: dict[int, Node] = {}
        self.editable = False
        #: ids of the nodes still to update (a new year's report): shown with a badge
        self.to_update: set[int] = set()
        self._to_update_below: dict[int, int] = {}
        for root in nodes:
            self._index_parents(root, None)
        number_tree(nodes)

    def _index_parents(self, node: Node, parent: Node | None) -> None:
        self._parent_of[id(node)] = parent
        if node.id is not None:
            self._by_id[node.id] = node
        for child in node.children:
            self._index_parents(child, node)

    def _renumber(self) -> None:
        """Number the parts and sections from their order again (after a move, an insert,
        a delete, or their undo); the views redraw the nodes whose number changed."""
        for node in number_tree(self._roots):
            self.dataChanged.emit(self._index_of(node, 0), self._index_of(node, 1))

    def _forget(self, node: Node) -> None:
        self._parent_of.pop(id(node), None)
        self._by_id.pop(node.id, None)
        for child in node.children:
            self._forget(child)

    # -- reading ---------------------------------------------------------------------------

    def node(self, index: QModelIndex) -> Node | None:
        """The node an index points at (None for the invisible root)."""
        return index.internalPointer() if index.isValid() else None

    def numbers(self) -> NodeNumbers:
        """The shown nodes by id, numbered from their current order: what a reference to a
        part or section prints (kept up to date through moves, inserts and deletes)."""
        return NodeNumbers(self._by_id)

    def node_by_id(self, node_id: int) -> Node | None:
        """The shown node with this store id."""
        return self._by_id.get(node_id)

    def parent_node(self, node: Node) -> Node | None:
        """The node above ``node`` (None at the top level)."""
        return self._parent_of.get(id(node))

    def place(self, node_id: int) -> str:
        """Where the node with this id is, in the UI language ("" if not shown)."""
        node = self._by_id.get(node_id)
        if node is None:
            return ""
        path, above = [], self.parent_node(node)
        while above is not None:
            path.insert(0, above)
            above = self.parent_node(above)
        return node_place(path, node, self.row_of(node))

    def roots(self) -> list[Node]:
        """The top-level nodes."""
        return self._roots

    def children_of(self, parent: Node | None) -> list[Node]:
        """The nodes under ``parent`` (None: the top level), in order."""
        return parent.children if parent is not None else self._roots

    def row_of(self, node: Node) -> int:
        """The place of ``node`` among its siblings."""
        siblings = self.children_of(self._parent_of.get(id(node)))
        return next(i for i, sibling in enumerate(siblings) if sibling is node)

    def place_for(self, node: Node | None, kind: str) -> tuple[Node | None, int] | None:
        """Where a new node of ``kind`` goes near ``node``: inside it at the end, or after it
        (or after the nearest node above it that can have such a sibling), as
        (parent or None for the top level, position); None when nowhere fits."""
        while node is not None:
            parent = self.parent_node(node)
            if self.can_hold_kind(node, kind):
                return node, len(node.children)
            if self.can_hold_kind(parent, kind):
                return parent, self.row_of(node) + 1
            node = parent
        return (None, len(self._roots)) if self.can_hold_kind(None, kind) else None

    def index(self, row: int, column: int, parent: QModelIndex = _INVALID) -> QModelIndex:
        siblings = self.children_of(self.node(parent))
        if 0 <= row < len(siblings) and 0 <= column < self.columnCount():
            return self.createIndex(row, column, siblings[row])
        return QModelIndex()

    def _index_of(self, node: Node | None, column: int = 0) -> QModelIndex:
        if node is None:
            return QModelIndex()
        return self.createIndex(self.row_of(node), column, node)

    def parent(self, index: QModelIndex = _INVALID) -> QModelIndex:  # type: ignore[override]
        node = self.node(index)
        if node is None:
            return QModelIndex()
        return self._index_of(self._parent_of.get(id(node)))

    def rowCount(self, parent: QModelIndex = _INVALID) -> int:
        if parent.column() > 0:
            return 0
        return len(self.children_of(self.node(parent)))

    def columnCount(self, parent: QModelIndex = _INVALID) -> int:
        return len(self.LANGS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        lang = self.LANGS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if node.kind == "paragraph":
                return display_title(Node("paragraph", **{
                    f"text_{lang}": self._rendered(node.text(lang), lang)}), lang)
            return self.numbers().fill(display_title(node, lang), lang)
        if role == Qt.ItemDataRole.EditRole:
            return node.title(lang)
        marked, below = node.id in self.to_update, self._to_update_below.get(node.id, 0)
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0 and (marked or below):
            return to_update_badge()
        if role == Qt.ItemDataRole.ForegroundRole and marked:
            return QBrush(QColor(TO_UPDATE_COLOUR))
        if role == Qt.ItemDataRole.ToolTipRole:
            shown = node.title(lang) or self._rendered(node.text(lang), lang)
            if node.kind in NUMBERED_KINDS and node.id is not None:
                # L10N: tooltip in the tree: how a text refers to this part or section
                where = _("A text refers to it as {reference}").format(
                    reference=cross_ref(node.id))
                shown = f"{shown}\n{where}" if shown else where
            tips = [shown]
            if marked:
                tips.append(_("Still to update: rewrite it for this year, or confirm it "
                              "unchanged (Ctrl+Shift+U)"))
            if below:
                tips.append(ngettext("{n} paragraph below is still to update",
                                     "{n} paragraphs below are still to update",
                                     below).format(n=below))
            return "\n\n".join(t for t in tips if t) or None
        return None

    def set_to_update(self, node_ids: set[int]) -> None:
        """Mark these nodes as still to update (the others not); the nodes above them say
        how many below are."""
        changed_marks = self.to_update ^ node_ids
        old_below = self._to_update_below
        self.to_update = set(node_ids)
        self._to_update_below = {}
        for node_id in self.to_update:
            node = self._by_id.get(node_id)
            above = self._parent_of.get(id(node)) if node is not None else None
            while above is not None:
                if above.id is not None:
                    self._to_update_below[above.id] = self._to_update_below.get(above.id, 0) + 1
                above = self._parent_of.get(id(above))
        changed = set(old_below) | set(self._to_update_below) | changed_marks
        for node_id in changed:
            index = self.find(node_id)
            if index.isValid():
                self.dataChanged.emit(index, self.index(index.row(), self.columnCount() - 1,
                                                        index.parent()))

    def _rendered(self, text: str, lang: str) -> str:
        """A text with its figures and its references to parts and sections written in."""
        return self.numbers().fill(self._render(text, lang), lang)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(LANGUAGE_COLUMNS[section])
        return None

    def retranslate(self) -> None:
        """Tell views the headers changed language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def refresh_texts(self) -> None:
        """Figures changed: paragraph lines are rendered again."""
        self.layoutAboutToBeChanged.emit()
        self.layoutChanged.emit()

    def find(self, node_id: int) -> QModelIndex:
        """The index of the node with the store id ``node_id`` (invalid if absent)."""
        return self._index_of(self._by_id.get(node_id))

    # -- editing: requests out, changes in ----------------------------------------------------

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        node = self.node(index)
        if not self.editable:
            return flags
        if node is None:
            return flags | Qt.ItemFlag.ItemIsDropEnabled
        flags |= Qt.ItemFlag.ItemIsDragEnabled
        if node.kind != "paragraph":
            flags |= Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
                ) -> bool:
        node = self.node(index)
        if node is None or role != Qt.ItemDataRole.EditRole or node.kind == "paragraph":
            return False
        field = f"title_{self.LANGS[index.column()]}"
        text = " ".join(str(value).split())
        if text != getattr(node, field):
            self.renameRequested.emit(node.id, field, text)
        return False  # the change comes back through set_field once it is written

    def set_field(self, node_id: int, field: str, value: str) -> None:
        """A node's title, text or number was written."""
        node = self._by_id.get(node_id)
        if node is None:
            return
        setattr(node, field, value)
        self.dataChanged.emit(self._index_of(node, 0), self._index_of(node, 1))
        if field == "number":  # whether the report numbers this kind may have changed
            self._renumber()

    def insert(self, parent_id: int | None, position: int, node: Node) -> None:
        """A node (with its subtree) was added."""
        parent = self._by_id.get(parent_id) if parent_id is not None else None
        siblings = self.children_of(parent)
        self.beginInsertRows(self._index_of(parent), position, position)
        siblings.insert(position, node)
        self._index_parents(node, parent)
        self.endInsertRows()
        self._renumber()

    def remove(self, node_id: int) -> None:
        """A node (with its subtree) was deleted."""
        node = self._by_id.get(node_id)
        if node is None:
            return
        parent = self._parent_of.get(id(node))
        row = self.row_of(node)
        self.beginRemoveRows(self._index_of(parent), row, row)
        del self.children_of(parent)[row]
        self._forget(node)
        self.endRemoveRows()
        self._renumber()

    def move(self, node_id: int, parent_id: int | None, position: int) -> None:
        """A node moved to ``position`` (counted without it) under ``parent_id``."""
        node = self._by_id.get(node_id)
        if node is None:
            return
        old_parent = self._parent_of.get(id(node))
        new_parent = self._by_id.get(parent_id) if parent_id is not None else None
        row = self.row_of(node)
        # Qt counts the destination row before the node is taken out.
        dest = position + 1 if new_parent is old_parent and position >= row else position
        if not self.beginMoveRows(self._index_of(old_parent), row, row,
                                  self._index_of(new_parent), dest):
            return
        del self.children_of(old_parent)[row]
        self.children_of(new_parent).insert(position, node)
        self._parent_of[id(node)] = new_parent
        self.endMoveRows()
        self._renumber()

    # -- drag and drop -------------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [NODE_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        data = QMimeData()
        nodes = [self.node(i) for i in indexes if i.isValid()]
        if nodes:
            data.setData(NODE_MIME, QByteArray(str(nodes[0].id).encode()))
        return data

    def _dropped(self, data: QMimeData) -> Node | None:
        if not data.hasFormat(NODE_MIME):
            return None
        try:
            return self._by_id.get(int(bytes(data.data(NODE_MIME)).decode()))
        except ValueError:
            return None

    def can_hold(self, parent: Node | None, node: Node) -> bool:
        """Whether ``node`` may be put under ``parent`` (not into itself, kinds fit)."""
        up = parent
        while up is not None:
            if up is node:
                return False
            up = self._parent_of.get(id(up))
        return (parent.kind if parent is not None else None) in ALLOWED_PARENTS[node.kind]

    def can_hold_kind(self, parent: Node | None, kind: str) -> bool:
        """Whether a new node of ``kind`` may go under ``parent`` (None: the top level)."""
        return (parent.kind if parent is not None else None) in ALLOWED_PARENTS[kind]

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: QModelIndex) -> bool:
        node = self._dropped(data)
        return (self.editable and node is not None
                and self.can_hold(self.node(parent), node))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: QModelIndex) -> bool:
        node = self._dropped(data)
        target = self.node(parent)
        if node is None or not self.canDropMimeData(data, action, row, column, parent):
            return False
        siblings = self.children_of(target)
        if row < 0:
            row = len(siblings)  # dropped onto the parent: at its end
        if self._parent_of.get(id(node)) is target and row > self.row_of(node):
            row -= 1
        self.moveRequested.emit(node.id, target.id if target is not None else None, row)
        return False  # the move comes back through move(); the view must not remove rows
