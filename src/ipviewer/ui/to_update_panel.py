"""The To Update panel: what a new year's report still has to update (values carried over,
paragraphs not yet rewritten); a click goes there, one button confirms the chosen ones
unchanged."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..i18n import _, ngettext, report_language
from ..new_year import ToUpdateItem, to_update_items
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


class ToUpdatePanel(LanguageAware, QDockWidget):
    """A dock listing :func:`~ipviewer.new_year.to_update_items`."""

    #: An item was chosen: (node id or -1, indicator key or "").
    item_chosen = Signal(int, str)
    #: Confirm these unchanged: (indicator ids, node ids).
    confirm_requested = Signal(list, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toUpdatePanel")
        self.items: list[ToUpdateItem] = []
        self.list = QTreeWidget()
        self.list.setColumnCount(3)
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.itemActivated.connect(self._chosen)
        self.list.itemClicked.connect(self._chosen)
        self.list.itemSelectionChanged.connect(self._selection_changed)
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

    def refresh(self, store: ReportStore) -> list[ToUpdateItem]:
        """Read what is still to update from ``store`` and list it."""
        self.items = to_update_items(store)
        self.translateUI()
        return self.items

    def _fill(self) -> None:
        """The rows, in the UI language (the selection kept)."""
        chosen = {(i.kind, i.id) for i in self.selected()}
        self.list.clear()
        lang = report_language()
        for item in self.items:
            value = "" if item.value is None else format_number(item.value, lang)
            kind = _("value") if item.kind == "value" else _("text")
            what = f"{item.label(lang)} = {value}" if item.kind == "value" else _(
                "paragraph to rewrite")
            row = QTreeWidgetItem([kind, what, item.place(lang)])
            row.setData(0, Qt.ItemDataRole.UserRole, item)
            row.setIcon(0, to_update_badge())
            row.setToolTip(1, item.key or what)
            self.list.addTopLevelItem(row)
            if (item.kind, item.id) in chosen:
                row.setSelected(True)
        self.list.resizeColumnToContents(0)

    def selected(self) -> list[ToUpdateItem]:
        """The items selected in the list."""
        return [row.data(0, Qt.ItemDataRole.UserRole) for row in self.list.selectedItems()]

    def _chosen(self, row: QTreeWidgetItem) -> None:
        item: ToUpdateItem = row.data(0, Qt.ItemDataRole.UserRole)
        self.item_chosen.emit(item.node_id if item.node_id is not None else -1, item.key)

    def _selection_changed(self) -> None:
        self.confirm_button.setEnabled(self.editable and bool(self.selected()))

    def _confirm(self) -> None:
        chosen = self.selected()
        self.confirm_requested.emit([i.id for i in chosen if i.kind == "value"],
                                    [i.id for i in chosen if i.kind == "text"])

    def translateUI(self) -> None:
        """Titles, headers, rows and the count in the UI language."""
        self._fill()
        count = len(self.items)
        self.setWindowTitle(ngettext("To Update ({count})", "To Update ({count})", count).format(
            count=count) if count else _("To Update: nothing left"))
        self.list.setHeaderLabels([_("Kind"), _("What"), _("Where")])
        self.confirm_button.setText(_("Confirm Unchanged"))
        self.confirm_button.setToolTip(_("The selected values and texts are the same this year: "
                                         "no longer to update (your name and the time are "
                                         "recorded)"))
        self.summary.setText(to_update_summary(self.items) or _(
            "Every value and text of this year's report is updated or confirmed."))
        self.list.setAccessibleName(_("Values and texts still to update"))
