"""The indicator table's view: fixed row heights, cell editors, Copy/Paste of cell ranges,
and a refused edit's reason shown beside its cell."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QGuiApplication, QStatusTipEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QFrame,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

from .actions import TABLE_ACTIONS, ActionRegistry
from .indicator_delegates import QualifierDelegate, TextDelegate, UnitDelegate
from .indicator_model import IndicatorTableModel
from .language import LanguageAware
from .table_clipboard import format_block, parse_block, selection_bounds

#: How long a refused edit's reason stays beside its cell.
REFUSAL_MS = 6000


#: Default column widths, in average characters.
COLUMN_CHARS = {"label_en": 30, "label_zh": 22, "value": 18, "unit": 8, "qualifier": 10,
                "yoy_pct": 11, "yoy_computed": 16, "year": 7, "key": 28}


class IndicatorTableView(LanguageAware, QTableView):
    """A table of indicators (an :class:`IndicatorTableModel`), edited cell by cell.

    Rows have one fixed height (never sized to their contents: the table may hold 100k
    rows). Ctrl+C copies the selected cells as tab-separated exact values; Ctrl+V pastes
    such a block at the current cell, as one undo step or not at all.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indicatorTable")
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().sortIndicatorChanged.connect(self._sort_indicator_changed)
        self._sort_shown: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

        self.text_delegate = TextDelegate(self)
        self.unit_delegate = UnitDelegate(None, self)
        self.qualifier_delegate = QualifierDelegate(self)
        self.setItemDelegate(self.text_delegate)

        #: A refused edit's reason, beside its cell (hidden on the next edit, on scrolling,
        #: or after a few seconds).
        self.refusal = QLabel(self.viewport())
        self.refusal.setObjectName("indicatorRefusal")
        self.refusal.setFrameShape(QFrame.Shape.Box)
        self.refusal.setWordWrap(True)
        self.refusal.setTextFormat(Qt.TextFormat.PlainText)
        self.refusal.setStyleSheet(
            "QLabel#indicatorRefusal { background: #fff4e5; color: #5f2100;"
            " border: 1px solid #d9822b; border-radius: 3px; padding: 3px 6px; }")
        self.refusal.hide()
        self.refused_index = QModelIndex()
        self._refusal_timer = QTimer(self)
        self._refusal_timer.setSingleShot(True)
        self._refusal_timer.setInterval(REFUSAL_MS)
        self._refusal_timer.timeout.connect(self.hide_refusal)
        self._refused_in_commit = False
        self._committing = False
        self._open_editor: QWidget | None = None

        self.registry = ActionRegistry(self, TABLE_ACTIONS)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.translateUI()

    # -- model and delegates ---------------------------------------------------------------

    def setModel(self, model: QAbstractItemModel | None) -> None:
        old = self.model()
        if isinstance(old, IndicatorTableModel):
            with contextlib.suppress(RuntimeError, TypeError, AttributeError):  # gone with it
                old.document.undo_stack.indexChanged.disconnect(self._undo_stack_moved)
            old.refused.disconnect(self.show_refusal)
            old.modelReset.disconnect(self.hide_refusal)
            old.layoutChanged.disconnect(self.hide_refusal)
        self.hide_refusal()
        super().setModel(model)
        if isinstance(model, IndicatorTableModel):
            model.refused.connect(self.show_refusal)
            if model.document is not None:
                model.document.undo_stack.indexChanged.connect(self._undo_stack_moved)
            model.modelReset.connect(self.hide_refusal)
            model.layoutChanged.connect(self.hide_refusal)
            self.unit_delegate.store = model.store
            for column in range(model.columnCount()):
                name = model.column_name(column)
                delegate = {"unit": self.unit_delegate,
                            "qualifier": self.qualifier_delegate}.get(name, self.text_delegate)
                self.setItemDelegateForColumn(column, delegate)
                # fixed widths from the font: never sized to the contents of a big table
                self.setColumnWidth(column, self.fontMetrics().averageCharWidth()
                                    * COLUMN_CHARS.get(name, 10))
            self.registry["paste"].setEnabled(model.editable())
        # Report order until the user clicks a header.
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._sort_shown = (-1, Qt.SortOrder.AscendingOrder)

    def indicator_model(self) -> IndicatorTableModel | None:
        model = self.model()
        return model if isinstance(model, IndicatorTableModel) else None

    def _sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        """A click on a column SQL cannot sort (the computed YoY) leaves the order as it is."""
        model = self.indicator_model()
        if model is not None and column >= 0 and not model.sortable(column):
            header = self.horizontalHeader()
            blocked = header.blockSignals(True)
            header.setSortIndicator(*self._sort_shown)
            header.blockSignals(blocked)
            return
        self._sort_shown = (column, order)

    def translateUI(self) -> None:
        """Action names in the current UI language."""
        self.registry.translateUI()

    # -- editing ---------------------------------------------------------------------------

    def edit(self, index: QModelIndex, trigger=None, event=None) -> bool:
        if trigger is None:  # the public edit(index): Qt calls back with a trigger
            return super().edit(index)
        opened = super().edit(index, trigger, event)
        if opened:
            self.hide_refusal()
            self._open_editor = self.indexWidget(index)
        return opened

    def commit_editor(self) -> bool:
        """Commit and close the open cell editor, if any (before save, export or close).

        False when its text was refused (the old value stays; the reason is shown)."""
        editor = self.current_editor()
        if editor is None:
            return True
        self.hide_refusal()
        self.commitData(editor)
        refused = self._refused_in_commit
        self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        return not refused

    def commitData(self, editor: QWidget) -> None:
        self._refused_in_commit = False
        self._committing = True
        try:
            super().commitData(editor)
        finally:
            self._committing = False

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if self._refused_in_commit:
            # Stay on the refused cell (Tab would open the next one and hide the reason).
            hint = QAbstractItemDelegate.EndEditHint.NoHint
            self._refused_in_commit = False
        if editor is self._open_editor:
            self._open_editor = None
        super().closeEditor(editor, hint)

    def _undo_stack_moved(self, _index: int) -> None:
        """An undo or redo (Ctrl+Z with nothing typed in the open cell editor, or the menu)
        changed the report: an open editor holds an old text, and would write it back when
        it closed. It is closed without writing."""
        editor = self.current_editor()
        if editor is not None and not self._committing:
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)

    def current_editor(self) -> QWidget | None:
        """The open cell editor, if any."""
        if self.state() != QAbstractItemView.State.EditingState:
            return None
        return self._open_editor

    # -- a refused edit ----------------------------------------------------------------------

    def show_refusal(self, index: QModelIndex, reason: str) -> None:
        """Show ``reason`` beside the cell at ``index`` (and as the status tip)."""
        if self._committing:
            self._refused_in_commit = True
        self.refused_index = index
        self.refusal.setText(reason)
        self.setStatusTip(reason)
        QApplication.sendEvent(self, QStatusTipEvent(reason))
        self._place_refusal(index)
        self.refusal.show()
        self.refusal.raise_()
        self._refusal_timer.start()

    def _place_refusal(self, index: QModelIndex) -> None:
        """Beside the cell: to its right, else to its left, else below it; inside the view."""
        area = self.viewport().rect()
        cell = self.visualRect(index) if index.isValid() else QRect(area.topLeft(), QSize(0, 0))
        label = self.refusal
        widest = max(160, min(440, area.width() - 8))
        margins = label.contentsMargins()
        width = min(widest, label.fontMetrics().horizontalAdvance(label.text())
                    + margins.left() + margins.right() + 2 * label.frameWidth() + 16)
        height = max(label.heightForWidth(width), label.fontMetrics().height() + 10)
        label.resize(width, height)
        gap = 4
        if cell.right() + gap + width <= area.right():
            spot = QPoint(cell.right() + gap, cell.top())
        elif cell.left() - gap - width >= area.left():
            spot = QPoint(cell.left() - gap - width, cell.top())
        else:
            spot = QPoint(cell.left(), cell.bottom() + gap)
        spot.setX(max(area.left(), min(spot.x(), area.right() - width)))
        if spot.y() + height > area.bottom():  # no room below: above the cell
            spot.setY(max(area.top(), cell.top() - gap - height))
        label.move(spot)

    def hide_refusal(self) -> None:
        """Hide a refused edit's reason."""
        self._refusal_timer.stop()
        self.refusal.hide()
        if self.statusTip():
            self.setStatusTip("")

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.hide_refusal()
        super().scrollContentsBy(dx, dy)

    # -- copy and paste ----------------------------------------------------------------------

    def _selection_bounds(self) -> tuple[int, int, int, int] | None:
        """(top, left, bottom, right) around the selected cells, from the selection's ranges
        (not one index per cell: a selection may span 100k rows)."""
        selection = self.selectionModel()
        if selection is None:
            return None
        corners = []
        for part in selection.selection():
            corners += [(part.top(), part.left()), (part.bottom(), part.right())]
        return selection_bounds(corners)

    def selected_block(self) -> list[list[str]]:
        """The selected cells' exact texts, row by row (their bounding rectangle)."""
        model = self.model()
        if model is None:
            return []
        bounds = self._selection_bounds()
        if bounds is None:
            current = self.currentIndex()
            if not current.isValid():
                return []
            bounds = (current.row(), current.column(), current.row(), current.column())
        top, left, bottom, right = bounds
        block = []
        for row in range(top, bottom + 1):
            cells = []
            for column in range(left, right + 1):
                value = model.index(row, column).data(Qt.ItemDataRole.EditRole)
                cells.append("" if value is None else str(value))
            block.append(cells)
        return block

    def copy_selection(self) -> str:
        """Copy the selected cells (Ctrl+C) as tab-separated exact values; returns the text."""
        text = format_block(self.selected_block())
        if text or self._selection_bounds() is not None:
            QGuiApplication.clipboard().setText(text)
        return text

    def paste(self) -> bool:
        """Paste the clipboard's cells (Ctrl+V) at the current cell: all of them as one undo
        step, or none if one cannot be read (the reason is shown beside that cell).

        One copied cell fills every selected cell."""
        model = self.indicator_model()
        if model is None:
            return False
        self.commit_editor()
        block = parse_block(QGuiApplication.clipboard().text())
        bounds = self._selection_bounds()
        current = self.currentIndex()
        if bounds is not None:  # at the selection's top-left corner, as spreadsheets do
            top, left, bottom, right = bounds
            if len(block) == 1 and len(block[0]) == 1:
                block = [[block[0][0]] * (right - left + 1) for _row in range(bottom - top + 1)]
        elif current.isValid():
            top, left = current.row(), current.column()
        else:
            top, left = 0, 0
        done = model.paste(top, left, block)
        if done:
            self._select_block(top, left, block)
        return done

    def _select_block(self, top: int, left: int, block: list[list[str]]) -> None:
        model = self.model()
        width = max(len(row) for row in block)
        bottom = min(top + len(block), model.rowCount()) - 1
        right = min(left + width, model.columnCount()) - 1
        if bottom < top or right < left:
            return
        self.selectionModel().select(QItemSelection(model.index(top, left), model.index(bottom, right)),
                         QItemSelectionModel.SelectionFlag.ClearAndSelect)
