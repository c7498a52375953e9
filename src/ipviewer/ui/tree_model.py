"""The report's structure as a Qt tree model: parts, sections and paragraphs in both languages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt

from ..i18n import N_, _
from ..model import Node, display_title

_INVALID = QModelIndex()

#: Headers of the tree's columns, one per report language.
LANGUAGE_COLUMNS = (N_("English"), N_("Chinese"))


class ReportTreeModel(QAbstractItemModel):
    """The report's parts, sections and paragraphs; one column per language."""

    LANGS = ("en", "zh")

    def __init__(self, nodes: list[Node], parent: QObject | None = None,
                 render: Callable[[str, str], str] | None = None) -> None:
        super().__init__(parent)
        self._roots = nodes
        #: fills in bound figures of a text in a language (identity when not given)
        self._render = render or (lambda text, _lang: text)
        self._parent_of: dict[int, Node | None] = {}
        for root in nodes:
            self._index_parents(root, None)

    def _index_parents(self, node: Node, parent: Node | None) -> None:
        self._parent_of[id(node)] = parent
        for child in node.children:
            self._index_parents(child, node)

    def node(self, index: QModelIndex) -> Node | None:
        """The node an index points at (None for the invisible root)."""
        return index.internalPointer() if index.isValid() else None

    def _siblings(self, parent: Node | None) -> list[Node]:
        return parent.children if parent is not None else self._roots

    def index(self, row: int, column: int, parent: QModelIndex = _INVALID) -> QModelIndex:
        siblings = self._siblings(self.node(parent))
        if 0 <= row < len(siblings) and 0 <= column < self.columnCount():
            return self.createIndex(row, column, siblings[row])
        return QModelIndex()

    def parent(self, index: QModelIndex = _INVALID) -> QModelIndex:  # type: ignore[override]
        node = self.node(index)
        if node is None:
            return QModelIndex()
        up = self._parent_of[id(node)]
        if up is None:
            return QModelIndex()
        row = self._siblings(self._parent_of[id(up)]).index(up)
        return self.createIndex(row, 0, up)

    def rowCount(self, parent: QModelIndex = _INVALID) -> int:
        if parent.column() > 0:
            return 0
        return len(self._siblings(self.node(parent)))

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
                    f"text_{lang}": self._render(node.text(lang), lang)}), lang)
            return display_title(node, lang)
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.title(lang) or node.text(lang) or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(LANGUAGE_COLUMNS[section])
        return None

    def retranslate(self) -> None:
        """Tell views the headers changed language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def find(self, node_id: int) -> QModelIndex:
        """The index of the node with the store id ``node_id`` (invalid if absent)."""
        def search(parent: QModelIndex) -> QModelIndex:
            for row in range(self.rowCount(parent)):
                index = self.index(row, 0, parent)
                if self.node(index).id == node_id:
                    return index
                found = search(index)
                if found.isValid():
                    return found
            return QModelIndex()

        return search(QModelIndex())
