"""The main window's smaller parts: the structure tree's view, the Edit/Read tabs, the
splitters that hold the central parts, a dock around a widget, and the texts of its title
and status bar."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

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

from .. import i18n
from ..i18n import _, ngettext
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


def reading_order(*widgets: QWidget) -> None:
    """Tab goes from each of ``widgets`` to the next (the rest of the chain stays)."""
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)


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


def window_title(info: dict[str, Any], path: Path, readonly_reason: str | None = None) -> str:
    """The title: the report's title (in the report language where it has one), the file
    (``[*]`` marks unsaved changes) and, when it cannot be changed here (a reason is
    given), why."""
    title = info["title_en"] or info["title_zh"]
    if i18n.report_language() == "zh" and info["title_zh"]:
        title = info["title_zh"]
    # L10N: window title: report title, file name (with [*] for unsaved changes), app name
    text = _("{title} — {file}[*] — ipviewer").format(title=title, file=path.name)
    if readonly_reason is not None:
        # L10N: added to the window title of a report that cannot be changed here
        text += " " + _("[read-only: {reason}]").format(reason=readonly_reason)
    return text


def status_line(info: dict[str, Any], count: int, path: Path) -> str:
    """The status bar's report line: year, number of indicators, file."""
    # L10N: status bar: report year, number of indicators, file path
    return ngettext("{year} · {count} indicator · {path}", "{year} · {count} indicators · {path}",
                    count).format(year=info["year"], count=count, path=path)
