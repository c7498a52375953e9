"""The indicator table as a Qt model over the store: fetched in batches, sorted and filtered
in SQL, and edited cell by cell (or a pasted block at a time) through the undo stack.

Every typed value is read exactly (``numbers.parse_quantity``: ``150,800``, ``15.08万``,
``3.2亿``, ``32 billion RMB``) before anything is written; a value that cannot be read is
refused with a reason naming the cell (``refused``) and the old value stays. An accepted
edit is one :func:`commands.edit_indicators` call, so one undo step.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ..i18n import N_, _, ngettext, report_language
from ..indicators import QUALIFIER_LABELS, signed_rate, yoy_verdict
from ..numbers import (
    NumberError,
    canonical_unit,
    format_number,
    parse_number,
    parse_quantity,
)
from ..script import fold_for_number
from ..store import INDICATOR_SORT_COLUMNS, ReportStore, StoreError
from ..store.integrity import shown_value, stored_decimal
from ..terms.glossary import Glossary
from ..terms.labels import indicator_name
from .commands import edit_indicators
from .document import ReportDocument

_INVALID = QModelIndex()

#: The qualifiers the importer writes, as the table shows them.
QUALIFIER_NAMES = QUALIFIER_LABELS

#: A computed year-on-year change that disagrees with the stated one.
MISMATCH_FOREGROUND = "#b00020"
MISMATCH_BACKGROUND = "#fde7ea"


class CellError(ValueError):
    """A typed or pasted cell that cannot be stored; the message says why."""


class IndicatorTableModel(QAbstractTableModel):
    """Indicators of the selected nodes (or all of them), read from SQLite in batches,
    sorted and filtered in SQL; editable when given a writable :class:`ReportDocument`."""

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

    NUMERIC = frozenset({"value", "yoy_pct", "yoy_computed", "year"})
    #: Columns a user may edit (when the document is writable).
    EDITABLE = frozenset({"label_en", "label_zh", "value", "unit", "qualifier", "yoy_pct"})

    #: An edit or paste was refused (old values kept): the cell it concerns and why.
    refused = Signal(QModelIndex, str)
    #: How many indicators match changed without a model reset (an edit moved one into or
    #: out of the filter): the new total.
    totalChanged = Signal(int)

    def __init__(self, store: ReportStore, glossary: Glossary | None = None,
                 parent: QObject | None = None, document: ReportDocument | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._glossary = glossary
        self._document = document
        self._node_ids: list[int] | None = []
        self._text = ""
        self._year: int | None = None
        self._rows: list[dict[str, Any]] = []
        self._total = 0
        self._sort = "id"
        self._descending = False
        self.last_error = ""
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

    # -- reading cells -------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = _INVALID) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = _INVALID) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable() and self.COLUMNS[index.column()][0] in self.EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        name = self.COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.EditRole:
            return self.raw_text(index.row(), name)
        if name in ("label_en", "label_zh"):
            return self._name_data(index.row(), name[-2:], role)
        if name == "yoy_computed":
            return self._computed_data(row, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, name)
        if role == Qt.ItemDataRole.TextAlignmentRole and name in self.NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row["source_text"] or None
        return None

    def raw_text(self, row: int, name: str) -> str:
        """A cell as exact, ungrouped text: what an editor starts from and Copy puts on
        the clipboard (``150800``, ``-28.28``, ``over``)."""
        record = self._rows[row]
        if name in ("label_en", "label_zh"):
            return record[name] or self.name(row, name[-2:])[0]
        if name == "yoy_computed":
            computed = _computed_yoy(record)
            return "" if computed is None else format(computed[0], "f")
        value = record[name]
        return "" if value is None else str(value)

    def _name_data(self, row: int, lang: str, role: int) -> Any:
        """An indicator name; one the glossary does not approve is marked (italic, orange)."""
        text, approved = self.name(row, lang)
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if approved:
            label = self._rows[row][f"label_{lang}"]
            if role == Qt.ItemDataRole.ToolTipRole and label and label != text:
                return _("Approved name from the glossary; the report's own label is "
                         "“{label}”").format(label=label)
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

    def _computed_data(self, row: dict[str, Any], role: int) -> Any:
        """The YoY change the prior year's value gives; coloured when the stated one
        disagrees beyond what the rounding of the figures allows."""
        computed = _computed_yoy(row)
        if computed is None:
            return None
        change, mismatch = computed
        if role == Qt.ItemDataRole.DisplayRole:
            return signed_rate(change)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and mismatch:
            return QBrush(QColor(MISMATCH_FOREGROUND))
        if role == Qt.ItemDataRole.BackgroundRole and mismatch:
            return QBrush(QColor(MISMATCH_BACKGROUND))
        if role == Qt.ItemDataRole.ToolTipRole:
            value, prior = stored_decimal(row["value"]), stored_decimal(row["prior_value"])
            facts = {"value": format_number(value, "en"), "prior": format_number(prior, "en"),
                     "year": row["year"] - 1, "computed": signed_rate(change)}
            if mismatch:
                return _("The stated {stated}% does not match: {value} against {prior} in "
                         "{year} gives {computed}%").format(
                    stated=signed_rate(stored_decimal(row["yoy_pct"])), **facts)
            return _("{value} against {prior} in {year} gives {computed}%").format(**facts)
        return None

    @staticmethod
    def _display(row: dict[str, Any], name: str) -> str:
        value = row[name]
        if value is None:
            return ""
        number = stored_decimal(value) if name in ("value", "yoy_pct") else None
        if name in ("value", "yoy_pct") and number is None:
            return shown_value(value)  # a hand-edited report: shown as it is, check names it
        if name == "value":
            return format_number(number, "en")
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

    # -- editing -------------------------------------------------------------------------

    def setData(self, index: QModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Check a typed cell and write it as one undo step; refuse it (``last_error``,
        ``refused``) and keep the old value if it cannot be read."""
        self.last_error = ""
        if (role != Qt.ItemDataRole.EditRole or not index.isValid()
                or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable)):
            return False
        name = self.COLUMNS[index.column()][0]
        record = self._rows[index.row()]
        try:
            fields = self._cell_fields(index.row(), name, "" if value is None else str(value))
        except CellError as exc:
            return self._refuse(index, self.cell_message(index.row(), name, str(exc)))
        changes = {record["id"]: {c: (record[c], new) for c, new in fields.items()}}
        # L10N: undo step: a column of the indicator table, the indicator's name
        text = _("Edit {column} of “{name}”").format(column=_(self.COLUMNS[index.column()][1]),
                                                     name=self._display_name(index.row()))
        try:
            edit_indicators(self._document, changes, text)
        except StoreError as exc:
            return self._refuse(index, self.cell_message(index.row(), name, str(exc)))
        return True

    def _cell_fields(self, row: int, name: str, text: str) -> dict[str, Any]:
        """What a text typed or pasted into a cell changes (nothing when it is the text the
        cell's editor starts from: a name shown from the glossary is not stored by Enter)."""
        if name in ("label_en", "label_zh") and " ".join(text.split()) == self.raw_text(row, name):
            return {}
        return self.parse_cell(name, text)

    def parse_cell(self, name: str, text: str) -> dict[str, Any]:
        """The store fields a text typed into column ``name`` sets; raises :class:`CellError`.

        A value may carry its unit (``32 billion RMB``): the unit is set too.
        """
        if name in ("label_en", "label_zh"):
            clean = " ".join(text.split())  # one line, single spaces
            if not clean:
                raise CellError(_("empty"))
            return {name: clean}
        if name == "value":
            try:
                number, unit = parse_quantity(text)
            except NumberError as exc:
                raise CellError(str(exc)) from None
            return {"value": _exact(number), **({"unit": unit} if unit else {})}
        if name == "yoy_pct":
            clean = fold_for_number(text).strip()
            if not clean:
                return {"yoy_pct": None}  # no stated change
            if clean.endswith("%"):
                clean = clean[:-1].rstrip()
            try:
                return {"yoy_pct": _exact(parse_number(clean))}
            except NumberError as exc:
                raise CellError(str(NumberError(text, exc.reason))) from None
        if name == "unit":
            clean = " ".join(fold_for_number(text).split())
            try:
                return {"unit": canonical_unit(clean)}
            except NumberError:
                return {"unit": clean}  # free text (``months``, ``per capita``)
        if name == "qualifier":
            clean = " ".join(text.split())
            if not clean:
                return {"qualifier": ""}
            for key, label in QUALIFIER_NAMES.items():
                if clean.lower() == key or clean == _(label):
                    return {"qualifier": key}
            raise CellError(_("\"{qualifier}\" is not one of: {allowed}").format(
                qualifier=clean, allowed=", ".join(QUALIFIER_NAMES)))
        raise ValueError(f"not an editable indicator column: {name!r}")

    def paste(self, top: int, left: int, block: list[list[str]]) -> bool:
        """Paste a block of texts with its top-left cell at (``top``, ``left``): every cell
        is checked first, and if one cannot be read nothing changes; otherwise the block is
        written as one undo step. Cells in columns that cannot be edited are skipped."""
        self.last_error = ""
        anchor = self.index(top, left)
        if not self.editable():
            return self._refuse(anchor, self._readonly_message())
        if not block:
            return self._refuse(anchor, _("The clipboard holds no cells to paste"))
        width = max(len(row) for row in block)
        if left + width > len(self.COLUMNS):
            return self._refuse(anchor, _("The pasted cells reach past the last column "
                                          "of the table"))
        while top + len(block) > len(self._rows) and self.canFetchMore():
            self.fetchMore()
        if top + len(block) > len(self._rows):
            return self._refuse(anchor, _("The pasted cells reach past the last row of "
                                          "the table"))
        changes: dict[int, dict[str, tuple[Any, Any]]] = {}
        cells = 0
        for offset, texts in enumerate(block):
            record = self._rows[top + offset]
            for shift, text in enumerate(texts):
                name = self.COLUMNS[left + shift][0]
                if name not in self.EDITABLE:
                    continue
                try:
                    fields = self._cell_fields(top + offset, name, text)
                except CellError as exc:
                    return self._refuse(self.index(top + offset, left + shift),
                                        self.cell_message(top + offset, name, str(exc),
                                                          pasted=True))
                cells += 1
                cols = changes.setdefault(record["id"], {})
                for column, new in fields.items():
                    cols[column] = (record[column], new)
        if not cells:
            return self._refuse(anchor, _("Nothing to paste: these columns cannot be edited"))
        # L10N: undo step: a block of cells pasted into the indicator table
        text = ngettext("Paste {count} cell", "Paste {count} cells", cells).format(count=cells)
        try:
            edit_indicators(self._document, changes, text)
        except StoreError as exc:
            return self._refuse(anchor, str(exc))
        return True

    def cell_message(self, row: int, name: str, reason: str, pasted: bool = False) -> str:
        """A reason naming the cell: ``Value of “patents granted”: …`` (with the row number
        for a paste)."""
        column = _(self.COLUMNS[self.column_of(name)][1])
        if pasted:
            # L10N: a pasted cell that cannot be read: row number, column, indicator, why
            return _("Row {row}, {column} of “{name}”: {reason}").format(
                row=row + 1, column=column, name=self._display_name(row), reason=reason)
        # L10N: a typed cell that cannot be read: column, indicator, why
        return _("{column} of “{name}”: {reason}").format(
            column=column, name=self._display_name(row), reason=reason)

    def _display_name(self, row: int) -> str:
        lang = report_language()
        other = "zh" if lang == "en" else "en"
        return self.name(row, lang)[0] or self.name(row, other)[0] or self._rows[row]["key"]

    def _readonly_message(self) -> str:
        return _("{path}: opened read-only").format(path=self._store.path)

    def _refuse(self, index: QModelIndex, message: str) -> bool:
        self.last_error = message
        self.refused.emit(index, message)
        return False

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


def _exact(number: Decimal) -> str:
    """A value as the store keeps it: exact decimal text, never an exponent (``0`` not ``-0``)."""
    if number == 0:
        number = abs(number)
    return format(number, "f")


def _computed_yoy(row: dict[str, Any]) -> tuple[Decimal, bool] | None:
    """(the change the prior year's value gives, rounded like the stated rate or to two
    decimals; whether the stated rate disagrees): :func:`ipviewer.indicators.yoy_verdict`.

    None when no prior year's value is held (or it is not above zero, or a hand-edited
    cell is no number)."""
    value, prior = stored_decimal(row.get("value")), stored_decimal(row.get("prior_value"))
    if value is None or prior is None:
        return None
    return yoy_verdict(value, prior, stored_decimal(row.get("yoy_pct")))
