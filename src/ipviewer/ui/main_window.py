"""The main window: the report's structure on the left; text and indicators on the right."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QTableView,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from .. import __version__, i18n
from ..bindings import BindingError, render, render_spans
from ..i18n import _, ngettext
from ..model import Node, display_title
from ..new_year import start_next_year
from ..pdf.export import ExportOptions
from ..report_text import figure_values
from ..store import ReportStore, StoreError
from ..terms.glossary import Glossary
from .glossary_window import GlossaryWindow
from .indicator_model import IndicatorTableModel
from .issues_panel import IssuesPanel
from .language import apply_language
from .pdf_export import ExportDialog, ExportWorker, start_export
from .tree_model import ReportTreeModel


class MainWindow(QMainWindow):
    """One window per open report."""

    def __init__(self, store: ReportStore, glossary: Glossary | None = None) -> None:
        super().__init__()
        self.store = store
        self.glossary = glossary
        self.glossary_window: GlossaryWindow | None = None
        self.resize(1280, 800)

        self.tree_view = QTreeView()
        self.tree_view.setObjectName("structureTree")
        self.tree_view.setUniformRowHeights(True)
        self.tree_view.setAlternatingRowColors(True)
        self.text_view = QTextBrowser()
        self.text_view.setObjectName("nodeText")
        self.text_view.setOpenLinks(False)  # a bound figure's link selects its indicator
        self.text_view.anchorClicked.connect(self._figure_clicked)
        self.text_view.highlighted.connect(self._figure_hovered)
        self.table_view = QTableView()
        self.table_view.setObjectName("indicatorTable")
        self.table_view.setSortingEnabled(True)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table_view.verticalHeader().setDefaultSectionSize(
            self.table_view.fontMetrics().height() + 8)
        self.table_caption = QLabel()
        self.table_caption.setObjectName("indicatorCaption")

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

        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMaximumWidth(320)
        self.search_box.returnPressed.connect(self.find_next)
        self._matches: list[int] = []
        self._match_text = ""
        toolbar = self.addToolBar("search")
        toolbar.setObjectName("searchToolbar")
        toolbar.addWidget(self.search_box)
        self._node: Node | None = None
        self.glossary_problem = ""
        self.last_export = None  # the result of the last PDF export, if any
        self.issues_panel = IssuesPanel(self)
        self.issues_panel.finding_chosen.connect(self._finding_chosen)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.issues_panel)
        self.resizeDocks([self.issues_panel], [110], Qt.Orientation.Vertical)
        self._make_menus()
        self._set_indicator_model(store)
        self._load_tree()


    def _set_indicator_model(self, store: ReportStore) -> None:
        self.indicator_model = IndicatorTableModel(store, self.glossary, self)
        self.table_view.setModel(self.indicator_model)
        # Report order until the user clicks a header.
        self.table_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def _make_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.open_action = QAction(self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.choose_report)
        self.file_menu.addAction(self.open_action)
        self.export_action = QAction(self, shortcut=QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.choose_export)
        self.file_menu.addAction(self.export_action)
        self.new_year_action = QAction(self)
        self.new_year_action.triggered.connect(self.choose_next_year)
        self.file_menu.addAction(self.new_year_action)
        self.file_menu.addSeparator()
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)

        self.view_menu = self.menuBar().addMenu("")
        self.language_menu = self.view_menu.addMenu("")
        self.language_actions = QActionGroup(self)
        for code, name in i18n.LANGUAGES.items():
            action = QAction(name, self, checkable=True)  # each language in its own words
            action.setData(code)
            action.triggered.connect(lambda _checked, c=code: apply_language(c))
            self.language_actions.addAction(action)
            self.language_menu.addAction(action)

        self.view_menu.addAction(self.issues_panel.toggleViewAction())
        self.find_action = QAction(self, shortcut=QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(lambda: (self.search_box.setFocus(),
                                                    self.search_box.selectAll()))
        self.addAction(self.find_action)
        self.tools_menu = self.menuBar().addMenu("")
        self.checks_action = QAction(self, shortcut=QKeySequence("F5"))
        self.checks_action.triggered.connect(self.run_checks)
        self.tools_menu.addAction(self.checks_action)
        self.glossary_action = QAction(self, shortcut=QKeySequence("Ctrl+G"))
        self.glossary_action.triggered.connect(self.show_glossary)
        self.tools_menu.addAction(self.glossary_action)

        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.about_action)

    def translateUI(self) -> None:
        """Set every visible string in the current UI language (called on each switch)."""
        self.file_menu.setTitle(_("&File"))
        self.open_action.setText(_("&Open…"))
        self.export_action.setText(_("&Export PDF…"))
        self.new_year_action.setText(_("Start &Next Year's Report…"))
        self.quit_action.setText(_("&Quit"))
        self.view_menu.setTitle(_("&View"))
        self.language_menu.setTitle(_("&Language"))
        self.tools_menu.setTitle(_("&Tools"))
        self.glossary_action.setText(_("&Glossary…"))
        self.checks_action.setText(_("Run &Checks"))
        self.search_box.setPlaceholderText(_("Find in both languages (Ctrl+F)"))
        self.issues_panel.toggleViewAction().setText(_("&Issues"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About ipviewer"))
        self.menuBar().updateGeometry()  # Chinese titles may be taller than the Latin ones
        self.layout().activate()
        for action in self.language_actions.actions():
            action.setChecked(action.data() == i18n.current_language())
        info = self.store.report()
        title = info["title_en"] or info["title_zh"]
        if i18n.report_language() == "zh" and info["title_zh"]:
            title = info["title_zh"]
        # L10N: window title: report title, file name, application name
        self.setWindowTitle(_("{title} — {file} — ipviewer").format(
            title=title, file=self.store.path.name))
        count = self.store.indicator_count()
        self.statusBar().showMessage(
            # L10N: status bar: report year, number of indicators, file path
            ngettext("{year} · {count} indicator · {path}", "{year} · {count} indicators · {path}",
                     count).format(year=info["year"], count=count, path=self.store.path))
        if self._node is not None:
            self.text_view.setHtml(_node_html(self._node, self.figure_values, self.year))
        self._update_caption()
        self.tree_model.retranslate()
        self.indicator_model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and not self.store.closed:
            self.translateUI()
        super().changeEvent(event)

    def _load_tree(self) -> None:
        self.year = self.store.report()["year"]
        self.figure_values = figure_values(self.store.indicator_rows())
        self.tree_model = ReportTreeModel(self.store.load_tree(), self, self._render_text)
        self.tree_view.setModel(self.tree_model)
        self.tree_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree_view.setColumnWidth(0, 240)
        self.tree_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.tree_view.expandToDepth(0)
        self.tree_view.setCurrentIndex(self.tree_model.index(0, 0))
        self.translateUI()
        self.run_checks()

    def _render_text(self, text: str, lang: str) -> str:
        """A text with its bound figures filled in (left as written if one is broken)."""
        try:
            return render(text, lang, self.figure_values, self.year)
        except BindingError:
            return text

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
        self._node = node
        if node is None:
            self.text_view.clear()
            self.indicator_model.set_nodes([])
        else:
            self.text_view.setHtml(_node_html(node, self.figure_values, self.year))
            self.indicator_model.set_nodes([n.id for n in node.walk() if n.id is not None])
            self.table_view.resizeColumnsToContents()
        self._update_caption()

    def _update_caption(self) -> None:
        node = getattr(self, "_node", None)
        if node is None:
            self.table_caption.setText("")
            return
        lang = i18n.report_language()
        name = display_title(node, lang) or display_title(node, "en" if lang == "zh" else "zh")
        name = name.rstrip("。.")  # a lead sentence's stop before the colon
        total = self.indicator_model.total()
        self.table_caption.setText(
            # L10N: caption above the indicator table: the node's name, how many indicators
            ngettext("{name}: <b>{count}</b> indicator", "{name}: <b>{count}</b> indicators",
                     total).format(count=total, name=html.escape(name)))

    def _figure_clicked(self, url) -> None:
        """Select the indicator of a clicked bound figure in the table."""
        self.select_indicator(url.toString().removeprefix("indicator:"))

    def select_indicator(self, key: str) -> bool:
        """Select this year's indicator ``key`` in the table, if the table shows it."""
        model = self.indicator_model
        while model.canFetchMore():
            model.fetchMore()
        for row in range(model.rowCount()):
            if model.row(row)["key"] == key and model.row(row)["year"] == self.year:
                self.table_view.selectRow(row)
                self.table_view.scrollTo(model.index(row, 0))
                return True
        return False

    def find_next(self) -> None:
        """Go to the next part of the report whose text contains the search box's text, in
        either language (Enter again: the next one)."""
        text = self.search_box.text().strip()
        if not text:
            return
        if text != self._match_text:
            self._match_text = text
            self._matches = [row["id"] for row in self.store.search(text)]
        if not self._matches:
            self.statusBar().showMessage(_("No match for “{text}”").format(text=text), 5000)
            return
        node_id = self._matches.pop(0)
        self._matches.append(node_id)  # round and round
        self.select_node(node_id)
        self.statusBar().showMessage(
            ngettext("{count} match for “{text}”", "{count} matches for “{text}”",
                     len(self._matches)).format(count=len(self._matches), text=text), 5000)

    def run_checks(self) -> None:
        """Run the checks (F5) and show what they found in the Issues panel."""
        findings = self.issues_panel.run(self.store)
        errors = sum(f.severity == "error" for f in findings)
        self.statusBar().showMessage(
            # L10N: after the checks ran (F5)
            _("Checks: {errors} errors, {warnings} warnings").format(
                errors=errors, warnings=len(findings) - errors), 5000)

    def _finding_chosen(self, node_id: int, key: str) -> None:
        """Go to the place of a finding: its node, and its indicator if it names one."""
        if node_id >= 0:
            self.select_node(node_id)
        if key:
            self.select_indicator(key)

    def _figure_hovered(self, url) -> None:
        key = url.toString().removeprefix("indicator:")
        if key:
            # L10N: status bar while the mouse is over a figure bound to an indicator
            self.statusBar().showMessage(_("Bound to the indicator “{key}”").format(key=key),
                                         4000)

    def current_index(self) -> QModelIndex:
        """The tree's current index."""
        return self.tree_view.currentIndex()

    def choose_report(self) -> None:
        """Ask for a report file and open it in this window."""
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Open report"), str(self.store.path.parent),
            _("ipviewer reports (*.sqlite *.db);;All files (*)"))
        if name:
            self.open_report(Path(name))

    def choose_export(self) -> None:
        """Ask for the PDF's file and options, then export it with a progress bar."""
        dialog = ExportDialog(self.store.path.with_suffix(".pdf"), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.path.text().strip():
            self.export_pdf(Path(dialog.path.text().strip()), dialog.options())

    def export_pdf(self, target: Path, options: ExportOptions) -> ExportWorker:
        """Export in a worker thread; a progress dialog can cancel it."""
        worker = ExportWorker(self.store.path, target, options, self.glossary)
        progress = QProgressDialog(_("Exporting {file}…").format(file=target.name),
                                   _("Cancel"), 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.canceled.connect(worker.cancel)
        self._export_progress = progress
        # Bound methods of this window: Qt queues the calls into the GUI thread.
        worker.progress.connect(self._export_step)
        worker.finished.connect(self._export_done)
        worker.failed.connect(self._export_failed)
        self._export_worker = worker  # keep a reference while it runs
        start_export(self, worker)
        return worker

    @Slot(int, int)
    def _export_step(self, done: int, total: int) -> None:
        self._export_progress.setMaximum(total)
        self._export_progress.setValue(done)

    @Slot(object)
    def _export_done(self, result) -> None:
        self._export_progress.reset()
        self._export_worker = None
        self.last_export = result
        self.statusBar().showMessage(_("{path}: {pages} pages ({seconds:.1f} s)").format(
            path=result.path, pages=result.pages, seconds=result.seconds))
        if result.warnings:
            QMessageBox.warning(self, _("PDF exported, with warnings"),
                                "\n".join(result.warnings[:20]))

    @Slot(str)
    def _export_failed(self, message: str) -> None:
        self._export_progress.reset()
        self._export_worker = None
        self.last_export = None
        QMessageBox.warning(self, _("Cannot export the PDF"), message)

    def choose_next_year(self) -> None:
        """Ask where to write next year's report, write it, and open it."""
        suggested = self.store.path.with_name(f"report-{self.year + 1}.sqlite")
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Start next year's report"), str(suggested),
            _("ipviewer reports (*.sqlite *.db);;All files (*)"))
        if name:
            self.start_next_year(Path(name))

    def start_next_year(self, target: Path) -> bool:
        """Write next year's report to ``target`` and show it; explain if that fails."""
        if target.resolve() == self.store.path.resolve():
            QMessageBox.warning(self, _("Cannot start next year's report"),
                                _("{path}: give another file for next year's report").format(
                                    path=target))
            return False
        try:
            result = start_next_year(self.store.path, target)
        except (StoreError, OSError) as exc:
            QMessageBox.warning(self, _("Cannot start next year's report"), str(exc))
            return False
        if not self.open_report(target):
            return False
        self.statusBar().showMessage(
            _("{path}: the {year} report; {count} indicator values and {nodes} paragraphs "
              "marked to update").format(path=target, year=result.year,
                                         count=result.indicators,
                                         nodes=result.nodes_to_update))
        return True

    def open_report(self, path: Path) -> bool:
        """Replace the shown report by the one at ``path``; explain if it cannot be opened."""
        try:
            store = ReportStore.open_for_viewing(path)
        except StoreError as exc:
            QMessageBox.warning(self, _("Cannot open report"), str(exc))
            return False
        self.indicator_model.deleteLater()
        self.store.close()
        self.store = store
        self._set_indicator_model(store)
        self._load_tree()
        return True

    def show_glossary(self) -> None:
        """Open the glossary window (one per main window)."""
        if self.glossary is None:
            QMessageBox.warning(self, _("Glossary"), self.glossary_problem or _("No glossary."))
            return
        if self.glossary_window is None:
            self.glossary_window = GlossaryWindow(self.glossary, self)
            self.glossary_window.setWindowFlag(Qt.WindowType.Window)
            self.glossary_window.undo_stack.indexChanged.connect(self._glossary_edited)
        self.glossary_window.show()
        self.glossary_window.raise_()

    def _glossary_edited(self) -> None:
        """Indicator names follow the glossary as it is edited (an undone import swaps it)."""
        self.glossary = self.glossary_window.glossary
        self.indicator_model.set_glossary(self.glossary)

    def _about(self) -> None:
        QMessageBox.about(self, _("About ipviewer"),
                          _("ipviewer {version} — an editor for bilingual intellectual-property "
                            "white papers.").format(version=__version__))

    def closeEvent(self, event) -> None:
        if self.glossary_window is not None and not self.glossary_window.close():
            event.ignore()  # the user chose to keep editing the glossary
            return
        self.store.close()
        super().closeEvent(event)


def _node_html(node: Node, values: dict, year: int) -> str:
    """The node's titles and paragraph texts, English beside Chinese, escaped; bound figures
    filled in and highlighted as links to their indicator (``indicator:KEY``)."""
    english, chinese, missing = _("English"), _("Chinese"), _("(not translated)")
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
                parts.append(f"<p>{_bound_html(text, lang, values, year)}</p>")
            cells.append("".join(parts) or f"<p style='color:gray'>{html.escape(missing)}</p>")
        rows.append("<tr>" + "".join(f"<td width='50%' valign='top'>{c}</td>" for c in cells)
                    + "</tr>")
    head = (f"<tr><th align='left'>{html.escape(english)}</th>"
            f"<th align='left'>{html.escape(chinese)}</th></tr>")
    return f"<table width='100%' cellspacing='8'>{head}{''.join(rows)}</table>"


def _bound_html(text: str, lang: str, values: dict, year: int) -> str:
    """A paragraph as HTML: each bound figure highlighted; a broken reference in red."""
    try:
        rendered, spans = render_spans(text, lang, values, year)
    except BindingError as exc:
        return (f"{html.escape(text)}<br><span style='color:#b00020'>"
                f"{html.escape(str(exc))}</span>")
    out, last = [], 0
    for start, end, binding in spans:
        out.append(html.escape(rendered[last:start]))
        out.append(f"<a href='indicator:{html.escape(binding.key)}' style='background-color:"
                   f"#dcecff; color:#0b3d91; text-decoration:none'>"
                   f"{html.escape(rendered[start:end])}</a>")
        last = end
    out.append(html.escape(rendered[last:]))
    return "".join(out)
