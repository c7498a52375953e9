"""The main window: the report's structure on the left; text and indicators on the right."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ..model import Node, display_title
from ..store import ReportStore, StoreError
from .models import IndicatorTableModel, ReportTreeModel


class MainWindow(QMainWindow):
    """One window per open report."""

    def __init__(self, store: ReportStore) -> None:
        super().__init__()
        self.store = store
        self.resize(1280, 800)

        self.tree_view = QTreeView()
        self.tree_view.setObjectName("structureTree")
        self.tree_view.setUniformRowHeights(True)
        self.tree_view.setAlternatingRowColors(True)
        self.text_view = QTextBrowser()
        self.text_view.setObjectName("nodeText")
        self.table_view = QTableView()
        self.table_view.setObjectName("indicatorTable")
        self.table_view.setSortingEnabled(True)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table_view.verticalHeader().setDefaultSectionSize(
            self.table_view.fontMetrics().height() + 8)
        self.table_caption = QLabel()

        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        inner = QSplitter(Qt.Orientation.Vertical)
        inner.addWidget(self.text_view)
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table_caption)
        table_layout.addWidget(self.table_view)
        inner.addWidget(table_box)
        inner.setSizes([420, 380])
        layout.addWidget(inner)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree_view)
        splitter.addWidget(right)
        splitter.setSizes([420, 860])
        self.setCentralWidget(splitter)

        self._make_menus()
        self._set_indicator_model(store)
        self._load_tree()

    def _set_indicator_model(self, store: ReportStore) -> None:
        self.indicator_model = IndicatorTableModel(store, self)
        self.table_view.setModel(self.indicator_model)
        # Report order until the user clicks a header.
        self.table_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        open_action = QAction("&Open…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.choose_report)
        file_menu.addAction(open_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About ipviewer", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _load_tree(self) -> None:
        info = self.store.report()
        self.setWindowTitle(f"{info['title_en'] or info['title_zh']} — {self.store.path.name}"
                            " — ipviewer")
        self.tree_model = ReportTreeModel(self.store.load_tree(), self)
        self.tree_view.setModel(self.tree_model)
        self.tree_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree_view.setColumnWidth(0, 240)
        self.tree_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.tree_view.expandToDepth(0)
        self.tree_view.setCurrentIndex(self.tree_model.index(0, 0))
        self.statusBar().showMessage(
            f"{info['year']} · {self.store.indicator_count()} indicators · {self.store.path}")

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        self.show_node(self.tree_model.node(indexes[0]) if indexes else None)

    def select_node(self, node_id: int) -> None:
        """Select the node with this store id in the tree."""
        index = self.tree_model.find(node_id)
        if index.isValid():
            self.tree_view.setCurrentIndex(index)

    def show_node(self, node: Node | None) -> None:
        """Show a node's text in both languages and the indicators it (and its children) hold."""
        if node is None:
            self.text_view.clear()
            self.indicator_model.set_nodes([])
            return
        self.text_view.setHtml(_node_html(node))
        ids = [n.id for n in node.walk() if n.id is not None]
        self.indicator_model.set_nodes(ids)
        self.table_view.resizeColumnsToContents()
        total = self.indicator_model.total()
        self.table_caption.setText(
            f"<b>Indicators</b> in “{html.escape(display_title(node, 'en') or display_title(node, 'zh'))}”: {total}")

    def current_index(self) -> QModelIndex:
        """The tree's current index."""
        return self.tree_view.currentIndex()

    def choose_report(self) -> None:
        """Ask for a report file and open it in this window."""
        name, _ = QFileDialog.getOpenFileName(
            self, "Open report", str(self.store.path.parent),
            "ipviewer reports (*.sqlite *.db);;All files (*)")
        if name:
            self.open_report(Path(name))

    def open_report(self, path: Path) -> bool:
        """Replace the shown report by the one at ``path``; explain if it cannot be opened."""
        try:
            store = ReportStore.open(path, readonly=True)
        except StoreError as exc:
            QMessageBox.warning(self, "Cannot open report", str(exc))
            return False
        self.indicator_model.deleteLater()
        self.store.close()
        self.store = store
        self._set_indicator_model(store)
        self._load_tree()
        return True

    def _about(self) -> None:
        QMessageBox.about(self, "About ipviewer",
                          "ipviewer — an editor for bilingual intellectual-property white papers.")

    def closeEvent(self, event) -> None:
        self.store.close()
        super().closeEvent(event)


def _node_html(node: Node) -> str:
    """The node's titles and paragraph texts, English beside Chinese, escaped."""
    rows = []
    for item in node.walk():
        cells = []
        for lang in ("en", "zh"):
            title = display_title(item, lang) if item.kind != "paragraph" else ""
            text = item.text(lang)
            parts = []
            if title:
                parts.append(f"<h3>{html.escape(title)}</h3>")
            if text:
                parts.append(f"<p>{html.escape(text)}</p>")
            cells.append("".join(parts) or "<p style='color:gray'>—</p>")
        rows.append("<tr>" + "".join(f"<td width='50%' valign='top'>{c}</td>" for c in cells)
                    + "</tr>")
    head = "<tr><th align='left'>English</th><th align='left'>中文</th></tr>"
    return f"<table width='100%' cellspacing='8'>{head}{''.join(rows)}</table>"
