"""The main window: the report's structure on the left; the bilingual editor, the reading
view and the indicator tables on the right; Issues, Chart and PDF preview as docks.

Every edit goes through one undo stack (``ReportDocument.undo_stack``) and is written at
once to the report's working copy (``store/edit_session.py``); Save writes the working copy
into the report file (``ui/saving.py``). The window title marks unsaved changes from the
stack's clean state. How the window is built and translated is :mod:`.window_building`; the
edits of the tree and texts are :mod:`.node_editing`; this module shows the report, follows
the selection, finds, checks, opens and exports.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, Qt, Slot
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHeaderView,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
)

from .. import __version__, i18n
from ..i18n import _, ngettext
from ..model import Node, display_title
from ..new_year import start_next_year
from ..prose.bindings import BindingError, render
from ..safe_write import OutputError, check_output
from ..store import ReportStore, StoreError
from ..terms.glossary import Glossary
from ..terms.labels import indicator_name
from .chart_pane import ChartPane
from .document import ReportDocument
from .glossary_window import GlossaryWindow
from .indicator_model import IndicatorTableModel
from .issues_panel import IssuesPanel
from .node_editing import NodeEditing
from .opening import OpenedReport, open_report, recovery_folder
from .pdf_export import ExportDialog, ExportWorker
from .pdf_preview import PdfPreview
from .saving import save_report
from .threads import run_in_thread
from .tree_model import ReportTreeModel
from .window_building import WindowBuilding, dock

if TYPE_CHECKING:
    from ..pdf.export import ExportOptions  # reportlab is loaded on the first export only

class MainWindow(QMainWindow, WindowBuilding, NodeEditing):
    """One window per open report."""

    def __init__(self, report: ReportStore | OpenedReport, glossary: Glossary | None = None
                 ) -> None:
        super().__init__()
        self.glossary = glossary
        self.glossary_window: GlossaryWindow | None = None
        self.glossary_problem = ""
        self.last_export = None  # the result of the last PDF export, if any
        self._node: Node | None = None
        self._matches: list[int] = []
        self._match_text = ""
        self.resize(1360, 860)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)

        self._make_central()
        self.issues_panel = IssuesPanel(self)
        self.issues_panel.finding_chosen.connect(self._finding_chosen)
        self.issues_panel.checked.connect(self._checked)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.issues_panel)
        self.chart_pane = ChartPane(self, glossary)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.chart_pane)
        self.preview = PdfPreview(self)
        self.preview_dock = dock(self, self.preview, "previewDock")
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.preview_dock)
        self.tabifyDockWidget(self.chart_pane, self.preview_dock)
        self.chart_pane.raise_()
        self.resizeDocks([self.issues_panel], [120], Qt.Orientation.Vertical)
        self.resizeDocks([self.chart_pane], [360], Qt.Orientation.Horizontal)
        self._make_actions()
        self._make_menus()
        self._restore_layout()
        self._set_report(report if isinstance(report, OpenedReport)
                         else OpenedReport(report, report.path,
                                           readonly_reason=_("opened read-only")))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and not self.store.closed:
            self.translateUI()
        super().changeEvent(event)

    # -- the report shown -------------------------------------------------------------------

    @property
    def store(self) -> ReportStore:
        """The store being shown (the working copy while editing)."""
        return self.document.store

    @property
    def report_path(self) -> Path:
        """The user's report file."""
        return self.opened.path

    @property
    def readonly(self) -> bool:
        """Whether this window may change the report."""
        return self.opened.session is None

    @property
    def year(self) -> int:
        """The report's year."""
        return self.document.year

    @property
    def figure_values(self) -> dict:
        """Indicator values by (key, year), for rendering bound figures."""
        return self.document.values

    def _set_report(self, opened: OpenedReport) -> None:
        self.opened = opened
        self.undo_stack.clear()
        document = ReportDocument(opened.store, self.undo_stack, self)
        document.nodeFieldChanged.connect(self._node_field_changed)
        document.nodeInserted.connect(self._node_inserted)
        document.nodeRemoved.connect(self._node_removed)
        document.nodeMoved.connect(self._node_moved)
        document.indicatorsChanged.connect(self._indicators_changed)
        document.failed.connect(lambda message: QMessageBox.warning(
            self, _("Cannot change the report"), message))

        for old in ("indicator_model", "all_model", "tree_model", "document"):
            if hasattr(self, old):
                getattr(self, old).deleteLater()
        self.document = document
        self.indicator_model = IndicatorTableModel(document.store, self.glossary, self,
                                                   document=document)
        self.table_view.setModel(self.indicator_model)
        self.table_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table_view.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._show_chart(self.indicator_model, current))
        self.all_model = IndicatorTableModel(document.store, self.glossary, self,
                                             document=document)
        self.all_model.set_nodes(None)
        self.all_view.setModel(self.all_model)
        self.all_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.all_view.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._show_chart(self.all_model, current))
        self.all_model.modelReset.connect(self._update_all_caption)
        self.all_model.totalChanged.connect(self._update_all_caption)
        self.indicator_model.totalChanged.connect(self._update_caption)
        self.year_box.blockSignals(True)
        self.year_box.clear()
        self.year_box.addItem("", None)
        for year in document.store.years():
            self.year_box.addItem(str(year), year)
        self.year_box.blockSignals(False)
        self.filter_box.clear()

        self.tree_model = ReportTreeModel(document.store.load_tree(), self, self._render_text)
        self.tree_model.editable = not self.readonly
        self.tree_model.renameRequested.connect(self._rename_requested)
        self.tree_model.moveRequested.connect(self._move_requested)
        self.tree_view.setModel(self.tree_model)
        self.tree_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree_view.setColumnWidth(0, 200)
        self.tree_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.tree_view.expandToDepth(0)
        self.editor.set_readonly(self.readonly)
        self.editor.set_name_lookup(self._indicator_label)
        self.editor.set_values(document.values, document.year)
        for act in (self.save_action, self.add_part_action, self.add_section_action,
                    self.add_paragraph_action, self.delete_action, self.move_up_action,
                    self.move_down_action, self.rename_action):
            act.setEnabled(not self.readonly)
        self.tree_view.setCurrentIndex(self.tree_model.index(0, 0))
        self.chart_pane.clear()
        self._matches, self._match_text = [], ""
        if not self.readonly:
            self._remember_recent(opened.path)
        self.translateUI()
        self.run_checks()
        if opened.session is not None and opened.session.dirty:
            # recovered edits: not in the report file until saved
            self.undo_stack.resetClean()
            self._clean_changed(False)

    def _inputs(self) -> list[Path]:
        """The files this window reads: never to be written over by an export."""
        session = self.opened.session
        extra = [session.working, session.base] if session is not None else []
        return [self.report_path, self.store.path, *extra]

    def reload_report(self) -> None:
        """Show the report again from its store (another program's changes were combined
        into the working copy): the edits are unsaved, the undo history starts anew."""
        self.issues_panel.wait()
        self._set_report(self.opened)

    def _update_title(self) -> None:
        info = self.store.report()
        title = info["title_en"] or info["title_zh"]
        if i18n.report_language() == "zh" and info["title_zh"]:
            title = info["title_zh"]
        # L10N: window title: report title, file name (with [*] for unsaved changes), app name
        text = _("{title} — {file}[*] — ipviewer").format(title=title,
                                                          file=self.report_path.name)
        if self.readonly:
            # L10N: added to the window title of a report that cannot be changed here
            text += " " + _("[read-only: {reason}]").format(reason=self.opened.readonly_reason)
        self.setWindowTitle(text)

    def _update_status(self) -> None:
        info = self.store.report()
        count = self.store.indicator_count()
        self.statusBar().showMessage(
            # L10N: status bar: report year, number of indicators, file path
            ngettext("{year} · {count} indicator · {path}", "{year} · {count} indicators · {path}",
                     count).format(year=info["year"], count=count, path=self.report_path))

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)
        if self.opened.session is not None:
            self.opened.session.mark_dirty(not clean)

    def _render_text(self, text: str, lang: str) -> str:
        """A text with its bound figures filled in (left as written if one is broken)."""
        try:
            return render(text, lang, self.figure_values, self.year)
        except BindingError:
            return text

    def _indicator_label(self, key: str) -> str:
        row = next((r for r in self.store.indicator_history(key) if r["year"] == self.year),
                   None)
        if row is None:
            return key
        name, _approved = indicator_name(self.glossary, row["label_en"], row["label_zh"],
                                         i18n.report_language())
        return name or key

    # -- selection ------------------------------------------------------------------------

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        self.show_node(self.tree_model.node(indexes[0]) if indexes else None)

    def select_node(self, node_id: int) -> None:
        """Select the node with this store id in the tree."""
        index = self.tree_model.find(node_id)
        if index.isValid():
            self.tree_view.setCurrentIndex(index)
            self.tree_view.scrollTo(index)

    def show_node(self, node: Node | None) -> None:
        """Edit a node in both languages; show the indicators it (and its children) hold."""
        self._seal_typing()
        self._node = node
        self.editor.show_node(node)
        self._render_reading_view()
        self.indicator_model.set_nodes([] if node is None else
                                       [n.id for n in node.walk() if n.id is not None])
        self._update_caption()

    def _render_reading_view(self) -> None:
        if self.text_tabs.currentWidget() is not self.text_view:
            return  # rendered when the tab is shown
        self.text_view.show_node(self._node, self.figure_values, self.year)

    def _update_caption(self) -> None:
        node = self._node
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

    def _update_all_caption(self) -> None:
        total = self.all_model.total()
        self.all_caption.setText(ngettext("{count} indicator", "{count} indicators",
                                          total).format(count=total))

    def _show_chart(self, model: IndicatorTableModel, current: QModelIndex) -> None:
        if current.isValid() and current.row() < model.rowCount():
            key = model.row(current.row())["key"]
            self.chart_pane.show_indicator(key, self.store.indicator_history(key))

    def select_indicator(self, key: str) -> bool:
        """Select this year's indicator ``key`` in the table, if the table shows it."""
        model = self.indicator_model
        while model.canFetchMore():
            model.fetchMore()
        for row in range(model.rowCount()):
            if model.row(row)["key"] == key and model.row(row)["year"] == self.year:
                self.table_view.selectRow(row)
                self.table_view.scrollTo(model.index(row, 0))
                self.table_tabs.setCurrentIndex(0)
                return True
        return False

    def _figure_hovered(self, key: str) -> None:
        if key:
            # L10N: status bar while the mouse is over a figure bound to an indicator
            self.statusBar().showMessage(_("Bound to the indicator “{key}”").format(key=key),
                                         4000)

    def current_index(self) -> QModelIndex:
        """The tree's current index."""
        return self.tree_view.currentIndex()

    # -- saving -------------------------------------------------------------------------------

    def commit_editors(self) -> None:
        """Finish any open cell editor so that what was typed is kept."""
        self.table_view.commit_editor()
        self.all_view.commit_editor()
        if self.glossary_window is not None:
            self.glossary_window.commit_editor()

    def save(self) -> bool:
        """Write the report (and the glossary, if it was edited) to disk; True when saved."""
        self.commit_editors()
        self._seal_typing()
        if self.readonly:
            return False
        if not save_report(self, self.opened.session, self.reload_report):
            return False
        glossary = self.glossary_window
        if glossary is not None and glossary.edited() and not glossary.save_file():
            return False
        self.undo_stack.setClean()
        self.statusBar().showMessage(_("Saved {path}").format(path=self.report_path), 5000)
        return True

    def _may_discard(self) -> bool:
        """Ask about unsaved changes; False when the user wants to keep working."""
        self.commit_editors()
        if self.undo_stack.isClean():
            return True
        answer = QMessageBox.question(
            self, _("Unsaved changes"),
            _("Save the changes to {file}?").format(file=self.report_path.name),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.store.closed:  # closed before (a second close only hides the window)
            super().closeEvent(event)
            return
        if not self._may_discard():
            event.ignore()
            return
        if self.glossary_window is not None:
            self.glossary_window.close()
        self.issues_panel.wait()
        self._save_layout()
        self.opened.close()
        super().closeEvent(event)

    # -- find and checks ----------------------------------------------------------------------

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
        """Run the checks (F5) in the background; the Issues panel shows what they found."""
        self.commit_editors()
        self.issues_panel.start(self.store.path, self.glossary)

    def _checked(self, findings: list) -> None:
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

    # -- files --------------------------------------------------------------------------------

    def choose_report(self) -> None:
        """Ask for a report file and open it in this window."""
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Open report"), str(self.report_path.parent),
            _("ipviewer reports (*.sqlite *.db);;All files (*)"))
        if name:
            self.open_report(Path(name))

    def open_report(self, path: Path, readonly: bool = False) -> bool:
        """Show the report at ``path`` instead (asking about unsaved changes first);
        explain if it cannot be opened, keeping the current one."""
        if Path(path).absolute() == self.report_path.absolute():
            return True  # already shown, edits and all
        if not self._may_discard():
            return False
        try:
            opened = open_report(Path(path), recovery_folder(), self, readonly=readonly)
        except StoreError as exc:
            QMessageBox.warning(self, _("Cannot open report"), str(exc))
            return False
        if opened is None:
            return False
        old = self.opened
        self.issues_panel.wait()
        self._set_report(opened)
        old.close()
        return True

    def choose_export(self) -> None:
        """Ask for the PDF's file and options, then export it with a progress bar."""
        dialog = ExportDialog(self.report_path.with_suffix(".pdf"), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.path.text().strip():
            self.export_pdf(Path(dialog.path.text().strip()), dialog.options())

    def export_pdf(self, target: Path, options: ExportOptions) -> ExportWorker | None:
        """Export what is shown (saved or not) in a worker thread; a progress dialog can
        cancel it; the PDF opens in the preview when done."""
        self.commit_editors()
        try:  # the file dialog asked before replacing a file; an input is never an output
            check_output(target, self._inputs(), replace=True)
        except OutputError as exc:
            QMessageBox.warning(self, _("Cannot export the PDF"), str(exc))
            return None
        worker = ExportWorker(self.store.path, target, options, self.glossary)
        progress = QProgressDialog(_("Exporting {file}…").format(file=target.name),
                                   _("Cancel"), 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        # A slot of this window (UI thread): the worker's own thread is busy exporting.
        progress.canceled.connect(self._cancel_export)
        self._export_progress = progress
        # Bound methods of this window: Qt queues the calls into the GUI thread.
        worker.progress.connect(self._export_step)
        worker.finished.connect(self._export_done)
        worker.failed.connect(self._export_failed)
        self._export_worker = worker  # keep a reference while it runs
        run_in_thread(self, worker)
        return worker

    @Slot()
    def _cancel_export(self) -> None:
        if self._export_worker is not None:
            self._export_worker.cancel()

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
        self.preview.show_pdf(Path(result.path))
        self.preview_dock.show()
        self.preview_dock.raise_()
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
        suggested = self.report_path.with_name(f"report-{self.year + 1}.sqlite")
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Start next year's report"), str(suggested),
            _("ipviewer reports (*.sqlite *.db);;All files (*)"))
        if name:
            self.start_next_year(Path(name))

    def start_next_year(self, target: Path) -> bool:
        """Write next year's report to ``target`` and show it; explain if that fails."""
        try:
            check_output(target, self._inputs(), replace=True)
        except OutputError as exc:
            QMessageBox.warning(self, _("Cannot start next year's report"), str(exc))
            return False
        self.commit_editors()
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

    def show_glossary(self) -> None:
        """Open the glossary window (one per main window); its edits share the undo stack."""
        if self.glossary is None:
            QMessageBox.warning(self, _("Glossary"), self.glossary_problem or _("No glossary."))
            return
        if self.glossary_window is None:
            self.glossary_window = GlossaryWindow(self.glossary, self, self.undo_stack,
                                                  self.save)
            self.glossary_window.setWindowFlag(Qt.WindowType.Window)
            self.undo_stack.indexChanged.connect(self._glossary_edited)
        self.glossary_window.show()
        self.glossary_window.raise_()

    def _glossary_edited(self) -> None:
        """Indicator names follow the glossary as it is edited (an undone import swaps it)."""
        if self.glossary_window is not None and self.glossary is not self.glossary_window.glossary:
            self.glossary = self.glossary_window.glossary
            self.indicator_model.set_glossary(self.glossary)
            self.all_model.set_glossary(self.glossary)
        else:
            self.indicator_model.retranslate()
            self.all_model.retranslate()

    def _about(self) -> None:
        QMessageBox.about(self, _("About ipviewer"),
                          _("ipviewer {version} — an editor for bilingual intellectual-property "
                            "white papers.").format(version=__version__))


