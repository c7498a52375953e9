"""The main window's smaller parts: the structure tree's view, the Edit/Read tabs, the
splitters that hold the central parts, and a dock around a widget."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QTreeView,
    QWidget,
)

from ..i18n import _
from .editor_pane import EditorPane
from .language import LanguageAware
from .reading_view import ReadingView


def structure_tree() -> QTreeView:
    """The report's structure: parts, sections, paragraphs (renamed in place, dragged)."""
    view = QTreeView()
    view.setObjectName("structureTree")
    view.setUniformRowHeights(True)
    view.setAlternatingRowColors(True)
    view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
    view.setDefaultDropAction(Qt.DropAction.MoveAction)
    view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                         | QAbstractItemView.EditTrigger.DoubleClicked)
    return view


class TextTabs(LanguageAware, QTabWidget):
    """The selected node's texts: Edit (both languages side by side) and Read."""

    def __init__(self, editor: EditorPane, reading: ReadingView) -> None:
        super().__init__()
        self.setObjectName("textTabs")
        self.addTab(editor, "")
        self.addTab(reading, "")
        self.translateUI()

    def translateUI(self) -> None:
        self.setTabText(0, _("Edit"))
        self.setTabText(1, _("Read"))


def central_splitter(tree: QWidget, texts: QWidget, tables: QWidget) -> QSplitter:
    """The tree on the left; the texts above the tables on the right."""
    right = QSplitter(Qt.Orientation.Vertical)
    right.setObjectName("rightSplitter")
    right.addWidget(texts)
    right.addWidget(tables)
    right.setSizes([460, 340])
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("mainSplitter")
    splitter.addWidget(tree)
    splitter.addWidget(right)
    splitter.setSizes([380, 980])
    return splitter


def dock(parent: QMainWindow, widget: QWidget, name: str) -> QDockWidget:
    """A dock of ``parent`` showing ``widget`` (its title is set by the window)."""
    dock = QDockWidget(parent)
    dock.setObjectName(name)
    dock.setWidget(widget)
    return dock
