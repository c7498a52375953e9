"""The indicator table as a Qt model over the store: fetched in batches, sorted in SQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ..i18n import N_, _
from ..numbers import format_number
from ..store import ReportStore
from ..terms.glossary import Glossary
from ..terms.labels import indicator_name

_INVALID = QModelIndex()

#: The qualifiers the importer writes, as the table shows them.
QUALIFIER_NAMES = {
    "over": N_("over"), "more than": N_("more than"), "exceeding": N_("exceeding"),
    "nearly": N_("nearly"), "about": N_("about"), "at least": N_("at least"),
    "up to": N_("up to"), "less than": N_("less than"),
}


class IndicatorTableModel(QAbstractTableModel):
    """Indicators of the selected nodes, read from SQLite in batches, sorted in SQL."""

    BATCH = 500
    #: (store column, header) in display order.
    COLUMNS = (
        ("label_en", N_("English name")),
        ("label_zh", N_("Chinese name")),
        ("value", N_("Value")),
        ("unit", N_("Unit")),
        ("qualifier", N_("Qualifier")),
        # L10N: year-on-year change, in per cent
        ("yoy_pct", N_("YoY %")),
        ("year", N_("Year")),
        ("key", N_("Key")),
    )

    NUMERIC = frozenset({"value", "yoy_pct", "year"})

    def __init__(self, store: ReportStore, glossary: Glossary | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._glossary = glossary
        self._node_ids: list[int] | None = []
        self._rows: list[dict[str, Any]] = []
        self._total = 0
        self._sort = "id"
        self._descending = False

    def set_nodes(self, node_ids: list[int] | None) -> None:
        """Show the indicators of these nodes (``None``: every indicator)."""
        self._node_ids = node_ids
        self._reload()

    def _reload(self) -> None:
        self.beginResetModel()
        self._total = self._store.indicator_count(self._node_ids)
        self._rows = self._fetch(0)
        self.endResetModel()

    def _fetch(self, offset: int) -> list[dict[str, Any]]:
        return self._store.indicators(self._node_ids, sort=self._sort,
                                      descending=self._descending,
                                      limit=self.BATCH, offset=offset)

    def set_glossary(self, glossary: Glossary | None) -> None:
        """Take indicator names from ``glossary`` (after it was edited or replaced)."""
        self._glossary = glossary
        self.retranslate()

    def name(self, row: int, lang: str) -> tuple[str, bool]:
        """The indicator's name in ``lang`` and whether the glossary approves it."""
        record = self._rows[row]
        return indicator_name(self._glossary, record["label_en"], record["label_zh"], lang)

    def total(self) -> int:
        """How many indicators match, including those not fetched yet."""
        return self._total

    def row(self, row: int) -> dict[str, Any]:
        """The store row shown at ``row``."""
        return self._rows[row]

    def canFetchMore(self, parent: QModelIndex = _INVALID) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex = _INVALID) -> None:
        more = self._fetch(len(self._rows))
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # A column of -1 (no sort indicator) means report order.
        self._sort = self.COLUMNS[column][0] if 0 <= column < len(self.COLUMNS) else "id"
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._reload()

    def rowCount(self, parent: QModelIndex = _INVALID) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = _INVALID) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        name = self.COLUMNS[index.column()][0]
        if name in ("label_en", "label_zh"):
            return self._name_data(index.row(), name[-2:], role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, name)
        if role == Qt.ItemDataRole.TextAlignmentRole and name in self.NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row["source_text"] or None
        return None

    def _name_data(self, row: int, lang: str, role: int) -> Any:
        """An indicator name; one the glossary does not approve is marked (italic, orange)."""
        text, approved = self.name(row, lang)
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if approved:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#b35900"))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return (_("No approved translation in the glossary; this name was taken from "
                      "the text") if text else _("No name in this language yet"))
        return None

    @staticmethod
    def _display(row: dict[str, Any], name: str) -> str:
        value = row[name]
        if value is None:
            return ""
        if name == "value":
            return format_number(Decimal(value), "en")
        if name == "yoy_pct":
            return f"{'+' if not value.startswith('-') else ''}{value}"
        if name == "qualifier" and value in QUALIFIER_NAMES:
            return _(QUALIFIER_NAMES[value])
        return str(value)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.COLUMNS[section][1])
        return None

    def retranslate(self) -> None:
        """Headers and translated cells (qualifiers, names) follow the UI language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.COLUMNS) - 1))
