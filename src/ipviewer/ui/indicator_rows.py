"""The rows of the indicator table: which indicators (of some nodes, or all; filtered by
text and year), fetched from SQLite in batches and sorted in SQL, and kept up to date in
place as the document changes (an edit, undo or redo). The cells are
:class:`~.indicator_model.IndicatorTableModel`'s.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal

from ..i18n import N_
from ..store import INDICATOR_SORT_COLUMNS, ReportStore
from .document import ReportDocument

_INVALID = QModelIndex()


class IndicatorRows(QAbstractTableModel):
    """The indicators a table shows, read from the store a batch at a time."""

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
        # L10N: year-on-year change computed from the prior year's value held, in per cent
        ("yoy_computed", N_("YoY computed")),
        ("year", N_("Year")),
        ("key", N_("Key")),
    )

    #: How many indicators match changed without a model reset (an edit moved one into or
    #: out of the filter): the new total.
    totalChanged = Signal(int)

    def __init__(self, store: ReportStore, parent: QObject | None = None,
                 document: ReportDocument | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._document = document
        self._node_ids: list[int] | None = []
        self._text = ""
        self._year: int | None = None
        self._rows: list[dict[str, Any]] = []
        self._total = 0
        self._sort = "id"
        self._descending = False
        if document is not None:
            document.indicatorsChanged.connect(self._indicators_changed)

    # -- what is shown ---------------------------------------------------------------------

    def set_nodes(self, node_ids: list[int] | None) -> None:
        """Show the indicators of these nodes (``None``: every indicator)."""
        self._node_ids = node_ids
        self._reload()

    def set_filter(self, text: str) -> None:
        """Show only indicators whose key or name (either language) contains ``text``."""
        self._text = text.strip()
        self._reload()

    def set_year(self, year: int | None) -> None:
        """Show only the indicators of ``year`` (``None``: every year)."""
        self._year = year
        self._reload()

    def filter_text(self) -> str:
        return self._text

    def year(self) -> int | None:
        return self._year

    @property
    def store(self) -> ReportStore:
        return self._store

    @property
    def document(self) -> ReportDocument | None:
        return self._document

    def editable(self) -> bool:
        """Whether cells may be edited at all (a writable document was given)."""
        return self._document is not None and not self._document.readonly

    def _reload(self) -> None:
        self.beginResetModel()
        self._total = self._store.indicator_count(self._node_ids, self._text, self._year)
        self._rows = self._fetch(0)
        self.endResetModel()

    def _fetch(self, offset: int, limit: int | None = None) -> list[dict[str, Any]]:
        return self._store.indicators(self._node_ids, sort=self._sort,
                                      descending=self._descending,
                                      limit=limit or self.BATCH, offset=offset,
                                      text=self._text, year=self._year)

    def total(self) -> int:
        """How many indicators match, including those not fetched yet."""
        return self._total

    def row(self, row: int) -> dict[str, Any]:
        """The store row shown at ``row``."""
        return self._rows[row]

    def row_of(self, indicator_id: int) -> int:
        """The loaded row showing this indicator, or -1."""
        for number, record in enumerate(self._rows):
            if record["id"] == indicator_id:
                return number
        return -1

    def column_of(self, name: str) -> int:
        """The column showing the store column ``name`` (or ``yoy_computed``), or -1."""
        for number, (column, _header) in enumerate(self.COLUMNS):
            if column == name:
                return number
        return -1

    def column_name(self, column: int) -> str:
        return self.COLUMNS[column][0]

    def canFetchMore(self, parent: QModelIndex = _INVALID) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex = _INVALID) -> None:
        more = self._fetch(len(self._rows))
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()
        else:  # fewer rows than counted (changed under us): stop asking
            self._total = len(self._rows)

    def sortable(self, column: int) -> bool:
        """Whether SQL can sort on this column (the computed YoY it cannot)."""
        return column < 0 or self.COLUMNS[column][0] in INDICATOR_SORT_COLUMNS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # A column of -1 (no sort indicator) means report order.
        if 0 <= column < len(self.COLUMNS) and not self.sortable(column):
            return  # the view puts its sort indicator back
        self._sort = self.COLUMNS[column][0] if 0 <= column < len(self.COLUMNS) else "id"
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._reload()

    def rowCount(self, parent: QModelIndex = _INVALID) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = _INVALID) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    # -- following the document ----------------------------------------------------------

    def _indicators_changed(self, ids: list[int]) -> None:
        """Re-read the changed rows (and the loaded rows of the same keys, whose prior-year
        value may have changed) in place; re-read the loaded window when an edit moves a
        row in the sort order or out of the filter."""
        if not ids:
            return
        loaded = {record["id"]: number for number, record in enumerate(self._rows)}
        keys = {r["key"] for r in self._read(sorted(set(ids)), filtered=False)}
        targets = set(ids) | {r["id"] for r in self._rows if r["key"] in keys}
        fresh = {r["id"]: r for r in self._read(sorted(targets), filtered=True)}
        moved = False
        for indicator in targets:
            if indicator in loaded:
                old = self._rows[loaded[indicator]]
                new = fresh.get(indicator)
                if new is None or (self._sort != "id" and new[self._sort] != old[self._sort]):
                    moved = True
            elif indicator in fresh:  # now matches the filter, or lies beyond the window
                if self._comes_later(indicator):
                    self._set_total(self._store.indicator_count(self._node_ids, self._text,
                                                                self._year))
                else:
                    moved = True
        if moved:
            self._reread_window()
            return
        changed = []
        for indicator, new in fresh.items():
            if indicator in loaded:
                self._rows[loaded[indicator]] = new
                changed.append(loaded[indicator])
        if changed:  # one signal for the lot: a pasted block may change thousands of rows
            self.dataChanged.emit(self.index(min(changed), 0),
                                  self.index(max(changed), len(self.COLUMNS) - 1))

    def _read(self, ids: list[int], filtered: bool) -> list[dict[str, Any]]:
        """These rows from the store (those matching the table's filters when ``filtered``),
        in chunks that stay under SQLite's limit of query parameters."""
        rows: list[dict[str, Any]] = []
        for start in range(0, len(ids), 5000):
            chunk = ids[start:start + 5000]
            rows += (self._store.indicators(self._node_ids, text=self._text, year=self._year,
                                            ids=chunk) if filtered
                     else self._store.indicators(ids=chunk))
        return rows

    def _comes_later(self, indicator: int) -> bool:
        """Whether a row not loaded yet will come with a later batch (in report order)."""
        if self._sort != "id" or not self._rows or not self.canFetchMore():
            return False
        last = self._rows[-1]["id"]
        return indicator < last if self._descending else indicator > last

    def _reread_window(self) -> None:
        """Read the rows loaded so far again from SQL (no more than that); the view keeps
        its current cell and selection on the same indicators where they are still shown."""
        total = self._store.indicator_count(self._node_ids, self._text, self._year)
        rows = self._fetch(0, max(len(self._rows), self.BATCH))
        if len(rows) != len(self._rows):
            self.beginResetModel()
            self._rows, self._total = rows, total
            self.endResetModel()
            return
        self.layoutAboutToBeChanged.emit()
        where = {record["id"]: number for number, record in enumerate(rows)}
        old_ids = [record["id"] for record in self._rows]
        before = self.persistentIndexList()
        after = []
        for index in before:
            number = where.get(old_ids[index.row()], -1) if index.row() < len(old_ids) else -1
            after.append(self.index(number, index.column()) if number >= 0 else QModelIndex())
        self._rows = rows
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()
        self._set_total(total)

    def _set_total(self, total: int) -> None:
        if total != self._total:
            self._total = total
            self.totalChanged.emit(total)
