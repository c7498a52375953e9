"""Cell editors of the indicator table.

Every editor starts from the cell's exact text (``Qt.EditRole``: a value as ``150800``, not
grouped) and hands back plain text; the model reads and checks it (``setData``). Choosing
from a combo box's list commits at once.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ..i18n import _
from ..store import ReportStore
from .field_undo import DocumentUndoKeys
from .indicator_model import QUALIFIER_NAMES

#: Units offered in the Unit editor besides those the report already uses.
COMMON_UNITS = ("RMB", "USD", "%")


def _text(index: QModelIndex) -> str:
    value = index.data(Qt.ItemDataRole.EditRole)
    return "" if value is None else str(value)


class TextDelegate(QStyledItemDelegate):
    """A line edit for names, values and stated rates."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.setObjectName("indicatorCellEditor")
        DocumentUndoKeys(editor)  # Ctrl+Z: the typing first, then the report's last step
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        editor.setText(_text(index))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex) -> None:
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class ChoiceBox(QComboBox):
    """A combo box that tells a choice made in its popup list (``picked``) from one made by
    arrow keys or the wheel on the closed box, which only moves the choice."""

    picked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._from_popup = False
        self.activated.connect(self._activated)

    def showPopup(self) -> None:
        self._from_popup = True
        super().showPopup()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self._from_popup = False
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._from_popup = False
        super().wheelEvent(event)

    def _activated(self, _row: int) -> None:
        if self._from_popup:
            self._from_popup = False
            self.picked.emit()


class _ComboDelegate(QStyledItemDelegate):
    """A combo box whose choice from the popup list commits and closes the editor."""

    def _commit_on_choice(self, combo: ChoiceBox) -> None:
        def picked() -> None:
            self.commitData.emit(combo)
            self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

        combo.picked.connect(picked)


class UnitDelegate(_ComboDelegate):
    """An editable combo box with the units the report uses, plus RMB, USD and %."""

    def __init__(self, store: ReportStore | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store

    def units(self) -> list[str]:
        """The choices: '' (no unit), the report's units by use, then the common ones."""
        found = self.store.indicator_units() if self.store is not None and \
            not self.store.closed else []
        units: list[str] = []
        for unit in ["", *found, *COMMON_UNITS]:
            if unit is not None and unit not in units:
                units.append(unit)
        return units

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex) -> QWidget:
        combo = ChoiceBox(parent)
        combo.setObjectName("unitEditor")
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        DocumentUndoKeys(combo, combo.lineEdit())
        combo.addItems(self.units())
        self._commit_on_choice(combo)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        text = _text(index)
        found = editor.findText(text, Qt.MatchFlag.MatchExactly)
        if found >= 0:
            editor.setCurrentIndex(found)
        editor.setEditText(text)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex) -> None:
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class QualifierDelegate(_ComboDelegate):
    """A fixed list: no qualifier, or one of the qualifiers by its translated name."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex) -> QWidget:
        combo = ChoiceBox(parent)
        combo.setObjectName("qualifierEditor")
        combo.addItem("", "")
        for key, label in QUALIFIER_NAMES.items():
            combo.addItem(_(label), key)
        self._commit_on_choice(combo)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        found = editor.findData(_text(index))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex) -> None:
        model.setData(index, editor.currentData() or "", Qt.ItemDataRole.EditRole)
