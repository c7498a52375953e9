"""The To Update panel: what a new year's report still has to update (values carried over,
paragraphs not yet rewritten); a click goes there, one button confirms the chosen ones
unchanged."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..i18n import _, ngettext, report_language
from ..new_year import ToUpdateItem, ToUpdateList
from ..numbers import format_number
from ..store import ReportStore
from .language import LanguageAware

#: The colour that marks what is still to update, in the tree, the tables and this panel.
TO_UPDATE_COLOUR = "#c77700"
TO_UPDATE_BACKGROUND = "#fff1d6"


def to_update_badge() -> QIcon:
    """A small filled circle in the to-update colour (made once a QApplication exists)."""
    global _BADGE
    if _BADGE is None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(TO_UPDATE_COLOUR))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(2, 2, 8, 8)
        painter.end()
        _BADGE = QIcon(pixmap)
    return _BADGE


_BADGE: QIcon | None = None
_INVALID = QModelIndex()


def to_update_summary(items: list[ToUpdateItem]) -> str:
    """'3 values and 1 text to update' (empty when nothing is left)."""
    values = sum(i.kind == "value" for i in items)
    texts = len(items) - values
    if not items:
        return ""
    # L10N: the status bar and the To Update panel; {values} and {texts} are counted phrases
    return _("To update: {values}, {texts}").format(
        values=ngettext("{n} value", "{n} values", values).format(n=values),
        texts=ngettext("{n} text", "{n} texts", texts).format(n=texts))


class ToUpdateModel(QAbstractTableModel):
    """The rows of a :class:`~ipviewer.new_year.ToUpdateList`: kind, what, where. Kept
    current row by row (an edit touches a few of 100,000), so the selection survives."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source: ToUpdateList | None = None
        self.items: list[ToUpdateItem] = []

    def set_source(self, source: ToUpdateList | None) -> None:
        """Show this list (none: empty); the model shows its ``items`` as they change."""
        self.beginResetModel()
        self.source = source
        self.items = source.items if source is not None else []
        self.endResetModel()

    def marks_changed(self, indicator_ids: list[int], node_ids: list[int]) -> None:
        """These rows' marks may have changed: remove and insert just those rows."""
        source = self.source
        if source is None:
            return
        if source.needs_reload(node_ids):
            source.reload()
            self.set_source(source)
            return
        for kind, row_id in source.touched(indicator_ids, node_ids):
            row = source.row_of(kind, row_id)
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                source.pop(row)
                self.endRemoveRows()
        for item in source.read(indicator_ids, node_ids):
            row = source.insertion_row(item)
            self.beginInsertRows(QModelIndex(), row, row)
            source.insert(row, item)
            self.endInsertRows()

    def rowCount(self, parent: QModelIndex = _INVALID) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex = _INVALID) -> int:
        return 0 if parent.isValid() else 3

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item, column = self.items[index.row()], index.column()
        lang = report_language()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return _("value") if item.kind == "value" else _("text")
            if column == 1:
                if item.kind == "text":
                    return _("paragraph to rewrite")
                value = "" if item.value is None else format_number(item.value, lang)
                return f"{item.label(lang)} = {value}"
            return item.place(lang)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return to_update_badge()
        if role == Qt.ItemDataRole.ToolTipRole and column == 1 and item.key:
            return item.key
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_("Kind"), _("What"), _("Where"))[section]
        return None

    def retranslate(self) -> None:
        """Headers and rows in the UI language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)
        if self.items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.items) - 1, 2))


class ToUpdatePanel(LanguageAware, QDockWidget):
    """A dock listing what the report still has to update."""

    #: An item was chosen: (node id or -1, indicator key or "").
    item_chosen = Signal(int, str)
    #: Confirm these unchanged: (indicator ids, node ids).
    confirm_requested = Signal(list, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toUpdatePanel")
        self.model = ToUpdateModel(self)
        self.list = QTableView()  # not a tree view: that lays out every row on each change
        self.list.setModel(self.model)
        self.list.verticalHeader().hide()
        self.list.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.list.setShowGrid(False)
        self.list.setWordWrap(False)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.horizontalHeader().resizeSection(0, 80)  # "value" / "text" and the badge
        self.list.horizontalHeader().resizeSection(1, 260)
        self.list.activated.connect(self._chosen)
        self.list.clicked.connect(self._chosen)
        self.list.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.summary = QLabel()
        self.confirm_button = QPushButton()
        self.confirm_button.clicked.connect(self._confirm)
        self.confirm_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.confirm_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.setWidget(body)
        self.editable = True
        self.translateUI()

    @property
    def items(self) -> list[ToUpdateItem]:
        """What is listed."""
        return self.model.items

    def show_report(self, store: ReportStore) -> None:
        """List what ``store`` still has to update (read afresh)."""
        self.model.set_source(ToUpdateList(store))
        self.translateUI()

    def marks_changed(self, indicator_ids: list[int], node_ids: list[int]) -> None:
        """These rows' marks may have changed (an edit, a confirmation, an undo)."""
        self.model.marks_changed(indicator_ids, node_ids)
        self.translateUI()

    def reload(self) -> None:
        """Read everything again (the tree changed: places may have)."""
        if self.model.source is not None:
            self.model.source.reload()
            self.model.set_source(self.model.source)
            self.translateUI()

    def selected(self) -> list[ToUpdateItem]:
        """The items selected in the list."""
        rows = sorted({index.row() for index in self.list.selectionModel().selectedRows()})
        return [self.model.items[row] for row in rows]

    def _chosen(self, index: QModelIndex) -> None:
        item = self.model.items[index.row()]
        self.item_chosen.emit(item.node_id if item.node_id is not None else -1, item.key)

    def _selection_changed(self) -> None:
        self.confirm_button.setEnabled(self.editable and bool(self.selected()))

    def _confirm(self) -> None:
        chosen = self.selected()
        self.confirm_requested.emit([i.id for i in chosen if i.kind == "value"],
                                    [i.id for i in chosen if i.kind == "text"])

    def translateUI(self) -> None:
        """Title, headers, rows and the count in the UI language."""
        self.model.retranslate()
        count = len(self.items)
        self.setWindowTitle(ngettext("To Update ({count})", "To Update ({count})", count).format(
            count=count) if count else _("To Update: nothing left"))
        self.confirm_button.setText(_("Confirm Unchanged"))
        self.confirm_button.setToolTip(_("The selected values and texts are the same this year: "
                                         "no longer to update (your name and the time are "
                                         "recorded)"))
        self.summary.setText(to_update_summary(self.items) or _(
            "Every value and text of this year's report is updated or confirmed."))
        self.list.setAccessibleName(_("Values and texts still to update"))
