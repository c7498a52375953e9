"""The indicator tables under the texts: "Indicators of This Part" (those the selected node
and its children hold) and "All Indicators" (filtered by name or key and by year)."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import i18n
from ..i18n import _, ngettext
from ..model import Node, display_title
from ..terms.glossary import Glossary
from .document import ReportDocument
from .indicator_model import IndicatorTableModel
from .indicator_view import IndicatorTableView
from .language import LanguageAware


class IndicatorTabs(LanguageAware, QTabWidget):
    """Two tables of indicators; choosing a row says which indicator (for the chart)."""

    #: the key of the indicator whose row became current
    indicatorChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tableTabs")
        self.node_model: IndicatorTableModel | None = None
        self.all_model: IndicatorTableModel | None = None
        self._node: Node | None = None

        self.node_view = IndicatorTableView()
        self.node_view.setObjectName("indicatorTable")
        self.node_caption = QLabel()
        self.node_caption.setObjectName("indicatorCaption")
        node_box = QWidget()
        node_layout = QVBoxLayout(node_box)
        node_layout.setContentsMargins(0, 0, 0, 0)
        node_layout.addWidget(self.node_caption)
        node_layout.addWidget(self.node_view)

        self.all_view = IndicatorTableView()
        self.all_view.setObjectName("allIndicatorsTable")
        self.filter_box = QLineEdit()
        self.filter_box.setObjectName("indicatorFilter")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(lambda text: self.all_model.set_filter(text))
        self.year_box = QComboBox()
        self.year_box.setObjectName("indicatorYear")
        self.year_box.currentIndexChanged.connect(
            lambda _i: self.all_model.set_year(self.year_box.currentData()))
        self.all_caption = QLabel()
        all_box = QWidget()
        all_layout = QVBoxLayout(all_box)
        all_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_box, 1)
        filters.addWidget(self.year_box)
        filters.addWidget(self.all_caption)
        all_layout.addLayout(filters)
        all_layout.addWidget(self.all_view)
        self.addTab(node_box, "")
        self.addTab(all_box, "")
        self.translateUI()

    def set_document(self, document: ReportDocument, glossary: Glossary | None) -> None:
        """Show the indicators of this report (new models; the old ones are deleted)."""
        for old in (self.node_model, self.all_model):
            if old is not None:
                old.deleteLater()
        self.node_model = self._model(self.node_view, document, glossary)
        self.node_model.totalChanged.connect(self._update_captions)
        self.all_model = self._model(self.all_view, document, glossary)
        self.all_model.set_nodes(None)
        self.all_model.modelReset.connect(self._update_captions)
        self.all_model.totalChanged.connect(self._update_captions)
        self.year_box.blockSignals(True)
        self.year_box.clear()
        self.year_box.addItem("", None)
        for year in document.store.years():
            self.year_box.addItem(str(year), year)
        self.year_box.blockSignals(False)
        self.filter_box.clear()
        self._node = None
        self.translateUI()

    def _model(self, view: IndicatorTableView, document: ReportDocument,
               glossary: Glossary | None) -> IndicatorTableModel:
        model = IndicatorTableModel(document.store, glossary, self, document=document)
        view.setModel(model)
        view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        view.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self.choose(model, current))
        return model

    def models(self) -> tuple[IndicatorTableModel, ...]:
        """Both tables' models (none before a report is shown)."""
        return tuple(m for m in (self.node_model, self.all_model) if m is not None)

    def show_node(self, node: Node | None) -> None:
        """List the indicators that ``node`` and the nodes below it hold."""
        self._node = node
        self.node_model.set_nodes([] if node is None else
                                  [n.id for n in node.walk() if n.id is not None])
        self._update_captions()

    def choose(self, model: IndicatorTableModel, current: QModelIndex) -> None:
        """Say which indicator the row ``current`` of ``model`` is (the chart follows); a
        table on the tab not shown (its rows read again after an edit) chooses nothing."""
        shown = self.node_model if self.currentIndex() == 0 else self.all_model
        if model is shown and current.isValid() and current.row() < model.rowCount():
            self.indicatorChosen.emit(model.row(current.row())["key"])

    def current_key(self) -> str:
        """The key of the current row of this part's table ("" if none)."""
        current = self.node_view.currentIndex()
        if current.isValid() and current.row() < self.node_model.rowCount():
            return self.node_model.row(current.row())["key"]
        return ""

    def selected_ids(self) -> list[int]:
        """The indicator ids of the rows selected in the table shown (none if the tables do
        not have the focus: then the selection is not what the user acts on)."""
        view = self.node_view if self.currentIndex() == 0 else self.all_view
        model = view.model()
        if not view.hasFocus() or model is None:
            return []
        rows = sorted({index.row() for index in view.selectionModel().selectedIndexes()})
        return [model.row(row)["id"] for row in rows if row < model.rowCount()]

    def select(self, key: str, year: int) -> bool:
        """Select indicator ``key`` of ``year`` in this part's table, if the table shows it."""
        model = self.node_model
        while model.canFetchMore():
            model.fetchMore()
        for row in range(model.rowCount()):
            if model.row(row)["key"] == key and model.row(row)["year"] == year:
                self.node_view.selectRow(row)
                self.node_view.scrollTo(model.index(row, 0))
                self.setCurrentIndex(0)
                return True
        return False

    def set_glossary(self, glossary: Glossary | None) -> None:
        """Name the indicators after this glossary."""
        for model in self.models():
            model.set_glossary(glossary)

    def refresh_names(self) -> None:
        """Name the indicators again (the glossary was edited)."""
        for model in self.models():
            model.retranslate()

    def commit_editors(self) -> None:
        """Finish an open cell editor in either table."""
        self.node_view.commit_editor()
        self.all_view.commit_editor()

    def translateUI(self) -> None:
        self.setTabText(0, _("Indicators of This Part"))
        self.setTabText(1, _("All Indicators"))
        self.filter_box.setPlaceholderText(_("Filter by name or key"))
        if self.year_box.count():
            self.year_box.setItemText(0, _("All years"))
        self.refresh_names()
        self._update_captions()

    def _update_captions(self) -> None:
        if self.all_model is not None:
            total = self.all_model.total()
            self.all_caption.setText(ngettext("{count} indicator", "{count} indicators",
                                              total).format(count=total))
        node = self._node
        if node is None or self.node_model is None:
            self.node_caption.setText("")
            return
        lang = i18n.report_language()
        name = display_title(node, lang) or display_title(node, "en" if lang == "zh" else "zh")
        name = name.rstrip("。.")  # a lead sentence's stop before the colon
        total = self.node_model.total()
        self.node_caption.setText(
            # L10N: caption above the indicator table: the node's name, how many indicators
            ngettext("{name}: <b>{count}</b> indicator", "{name}: <b>{count}</b> indicators",
                     total).format(count=total, name=html.escape(name)))
