"""Edit → Insert Figure… (Ctrl+Shift+I): choose one of the report's indicators to put into
the text as a ``{{key}}`` reference.

The list shows this year's indicators: key, name in the UI language (the glossary's
approved one first, as the tables show it) and value; typing filters it by key or by name
in either language. Up/Down move in the list while the cursor stays in the filter box;
Enter (or a double click) chooses.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..i18n import _, report_language
from ..numbers import NumberError, format_number
from ..store.integrity import stored_decimal
from ..terms.glossary import Glossary
from ..terms.labels import indicator_name
from .document import ReportDocument
from .language import LanguageAware

#: Data role of an item: the indicator's key.
KEY_ROLE = Qt.ItemDataRole.UserRole
#: Data role of an item: what the filter searches (key and both names, lower case).
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


class FigurePicker(LanguageAware, QDialog):
    """A filtered list of the report's indicators; ``chosen_key()`` after it is accepted."""

    def __init__(self, document: ReportDocument, glossary: Glossary | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figurePicker")
        self.document = document
        self.glossary = glossary
        self.filter = QLineEdit(objectName="figureFilter")
        self.filter.setClearButtonEnabled(True)
        self.list = QTreeWidget(objectName="figureList")
        self.list.setColumnCount(3)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.count = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self.filter.textChanged.connect(self.apply_filter)
        self.filter.installEventFilter(self)
        self.list.itemDoubleClicked.connect(lambda _item, _col: self.accept())
        self.list.currentItemChanged.connect(lambda *_a: self._update_ok())
        self.resize(820, 480)
        self._fill()
        self.translateUI()
        self.filter.setFocus()

    def _fill(self) -> None:
        """One item per indicator of the report's year, in report order."""
        self.list.clear()
        lang = report_language()
        for row in self.document.store.indicator_rows(self.document.year):
            name, _approved = indicator_name(self.glossary, row["label_en"], row["label_zh"],
                                             lang)
            other = row["label_zh"] if lang == "en" else row["label_en"]
            item = QTreeWidgetItem([row["key"], name or other, _value_text(row)])
            item.setData(0, KEY_ROLE, row["key"])
            item.setToolTip(1, "\n".join(n for n in (row["label_en"], row["label_zh"]) if n))
            item.setData(0, SEARCH_ROLE, " ".join(
                (row["key"], name, row["label_en"], row["label_zh"])).lower())
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(item)
        self.list.resizeColumnToContents(0)
        self.list.setColumnWidth(0, min(self.list.columnWidth(0), 220))
        self.list.setColumnWidth(1, 300)
        self.apply_filter(self.filter.text())

    def may_translate(self) -> bool:
        return not self.document.store.closed  # a dialog left over from a closed report

    def translateUI(self) -> None:
        self.setWindowTitle(_("Insert Figure"))
        self.filter.setPlaceholderText(_("Filter by name or key"))
        self.list.setHeaderLabels([_("Key"), _("Name"), _("Value")])
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Insert"))
        if self.list.topLevelItemCount():
            self._fill()  # the names in the new language
        self._update_ok()

    def apply_filter(self, text: str) -> None:
        """Show the indicators whose key or name (either language) holds every word typed;
        the first one shown becomes current."""
        words = text.lower().split()
        first = None
        for index in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(index)
            haystack = item.data(0, SEARCH_ROLE)
            hidden = not all(word in haystack for word in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        current = self.list.currentItem()
        if current is None or current.isHidden():
            self.list.setCurrentItem(first)
        self._update_ok()

    def visible_keys(self) -> list[str]:
        """The keys the list shows now, in order."""
        return [self.list.topLevelItem(i).data(0, KEY_ROLE)
                for i in range(self.list.topLevelItemCount())
                if not self.list.topLevelItem(i).isHidden()]

    def chosen_key(self) -> str:
        """The key of the current indicator ("" when none is shown)."""
        item = self.list.currentItem()
        return item.data(0, KEY_ROLE) if item is not None and not item.isHidden() else ""

    def _update_ok(self) -> None:
        shown = len(self.visible_keys())
        total = self.list.topLevelItemCount()
        self.count.setText(_("{shown} of {total} indicators of {year}").format(
            shown=shown, total=total, year=self.document.year))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.chosen_key()))

    def accept(self) -> None:
        if self.chosen_key():
            super().accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up, Down, Page Up and Page Down in the filter box move in the list."""
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp,
                               Qt.Key.Key_PageDown):
                QCoreApplication.sendEvent(self.list, QKeyEvent(
                    event.type(), event.key(), event.modifiers()))
                return True
        return super().eventFilter(watched, event)


def _value_text(row: dict) -> str:
    """The value as the table shows it, with its unit."""
    number = stored_decimal(row["value"])
    if number is None:
        return str(row["value"])
    try:
        text = format_number(number, "en")
    except NumberError:
        text = str(row["value"])
    return f"{text} {row['unit']}".strip()
