"""The indicator table as a Qt model over the store: its cells (names from the glossary, the
computed year-on-year change) and their editing, cell by cell (or a pasted block at a time)
through the undo stack. Which rows it holds, and how it follows the document, is
:mod:`.indicator_rows`.

Every typed value is read exactly (``numbers.parse_quantity``: ``150,800``, ``15.08万``,
``3.2亿``, ``32 billion RMB``) before anything is written; a value that cannot be read is
refused with a reason naming the cell (``refused``) and the old value stays. An accepted
edit is one :func:`commands.edit_indicators` call, so one undo step.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ..i18n import _, ngettext, report_language
from ..indicators import QUALIFIER_LABELS, signed_rate, yoy_verdict
from ..model import decimal_text
from ..numbers import (
    NumberError,
    canonical_unit,
    format_number,
    parse_number,
    parse_quantity,
)
from ..script import fold_for_number
from ..store import ReportStore, StoreError
from ..store.integrity import shown_value, stored_decimal
from ..terms.glossary import Glossary
from ..terms.labels import indicator_name
from .commands import edit_indicators
from .document import ReportDocument
from .indicator_rows import IndicatorRows
from .to_update_panel import TO_UPDATE_BACKGROUND

#: The qualifiers the importer writes, as the table shows them.
QUALIFIER_NAMES = QUALIFIER_LABELS

#: A computed year-on-year change that disagrees with the stated one.
MISMATCH_FOREGROUND = "#b00020"
MISMATCH_BACKGROUND = "#fde7ea"


class CellError(ValueError):
    """A typed or pasted cell that cannot be stored; the message says why."""


class IndicatorTableModel(IndicatorRows):
    """Indicators of the selected nodes (or all of them), as cells: names from the glossary,
    values and rates as the report prints them, the computed YoY change; editable cell by
    cell (or a pasted block) when given a writable :class:`ReportDocument`."""

    NUMERIC = frozenset({"value", "yoy_pct", "yoy_computed", "year"})
    #: Columns a user may edit (when the document is writable).
    EDITABLE = frozenset({"label_en", "label_zh", "value", "unit", "qualifier", "yoy_pct"})

    #: An edit or paste was refused (old values kept): the cell it concerns and why.
    refused = Signal(QModelIndex, str)

    def __init__(self, store: ReportStore, glossary: Glossary | None = None,
                 parent: QObject | None = None, document: ReportDocument | None = None) -> None:
        super().__init__(store, parent, document)
        self._glossary = glossary
        self.last_error = ""

    # -- names -----------------------------------------------------------------------------

    def set_glossary(self, glossary: Glossary | None) -> None:
        """Take indicator names from ``glossary`` (after it was edited or replaced)."""
        self._glossary = glossary
        self.retranslate()

    def name(self, row: int, lang: str) -> tuple[str, bool]:
        """The indicator's name in ``lang`` and whether the glossary approves it."""
        record = self._rows[row]
        return indicator_name(self._glossary, record["label_en"], record["label_zh"], lang)

    # -- reading cells -------------------------------------------------------------------

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
        if name == "value" and role in (Qt.ItemDataRole.BackgroundRole,
                                        Qt.ItemDataRole.ForegroundRole,
                                        Qt.ItemDataRole.ToolTipRole):
            marked = self._mark_data(row, role)
            if marked is not None:
                return marked
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, name)
        if role == Qt.ItemDataRole.TextAlignmentRole and name in self.NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row["source_text"] or None
        return None

    @staticmethod
    def _mark_data(row: dict[str, Any], role: int) -> Any:
        """A value still to update (carried over from last year) is coloured; its tooltip
        says so, or who confirmed it unchanged and when."""
        if row.get("needs_update"):
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(TO_UPDATE_BACKGROUND))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#000000"))  # readable on the light mark in a dark theme
            return _("Carried over from {year}: still to update. Enter this year's value, or "
                     "confirm it unchanged (Ctrl+Shift+U)").format(year=row["year"] - 1)
        if role == Qt.ItemDataRole.ToolTipRole and row.get("confirmed_at"):
            said = _("Confirmed unchanged by {name} on {when}").format(
                name=row.get("confirmed_by") or "—", when=row["confirmed_at"])
            return said + ("\n\n" + row["source_text"] if row.get("source_text") else "")
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
                # L10N: {stated} and {computed} carry their own % sign ("+5.0%")
                return _("The stated {stated} does not match: {value} against {prior} in "
                         "{year} gives {computed}").format(
                    stated=signed_rate(stored_decimal(row["yoy_pct"])) + "%",
                    **{**facts, "computed": facts["computed"] + "%"})
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
            return {"value": decimal_text(number), **({"unit": unit} if unit else {})}
        if name == "yoy_pct":
            clean = fold_for_number(text).strip()
            if not clean:
                return {"yoy_pct": None}  # no stated change
            if clean.endswith("%"):
                clean = clean[:-1].rstrip()
            try:
                return {"yoy_pct": decimal_text(parse_number(clean))}
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

def _computed_yoy(row: dict[str, Any]) -> tuple[Decimal, bool] | None:
    """(the change the prior year's value gives, rounded like the stated rate or to two
    decimals; whether the stated rate disagrees): :func:`ipviewer.indicators.yoy_verdict`.

    None when no prior year's value is held (or it is not above zero, or a hand-edited
    cell is no number)."""
    value, prior = stored_decimal(row.get("value")), stored_decimal(row.get("prior_value"))
    if value is None or prior is None:
        return None
    return yoy_verdict(value, prior, stored_decimal(row.get("yoy_pct")))
