"""The main window: the report's structure on the left; the bilingual editor, the reading
view and the indicator tables on the right; Issues, Chart and PDF preview as docks.

This module is the window's table of contents: it builds the parts and connects them. Every
edit goes through one undo stack (``ReportDocument.undo_stack``) and is written at once to the
report's working copy (``store/edit_session.py``); Save writes the working copy into the
report file (``ui/saving.py``). The window title marks unsaved changes from the stack's clean
state. Where the rest lives:

- the actions, menus and toolbar: :mod:`.actions` (one registry, by id);
- the parts: :mod:`.window_parts`, :mod:`.indicator_tabs`, :mod:`.issues_panel`,
  :mod:`.chart_pane`, :mod:`.pdf_preview`; the search box: :mod:`.report_search`;
- editing the tree and texts: :mod:`.node_editing` (mixed in: the window's own commands);
- exporting: :mod:`.pdf_export`; the layout and recent reports: :mod:`.window_settings`;
- opening and saving: :mod:`.opening`, :mod:`.saving`; live language switching:
  :class:`.language.LanguageAware`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import QHeaderView, QMainWindow, QMessageBox

from .. import i18n
from ..i18n import _, ngettext
from ..model import Node
from ..store import ReportStore, StoreError
from ..store.to_update import editor_name
from ..terms.glossary import Glossary
from . import commands
from .accessibility import name_editor, name_main_window
from .actions import ActionRegistry
from .bind_review import FigureBinder
from .chart_pane import ChartPane
from .document import ReportDocument
from .editor_pane import EditorPane
from .field_undo import FocusedUndo
from .glossary_window import GlossaryWindow
from .help_actions import HelpActions
from .indicator_jobs import IndicatorJobs
from .indicator_tabs import IndicatorTabs
from .issues_panel import IssuesPanel, checks_summary
from .language import LanguageAware, retranslate_undo_stack
from .node_editing import NodeEditing
from .opening import OpenedReport
from .pdf_export import PdfExporter
from .pdf_preview import PdfPreview
from .reading_view import ReadingView
from .report_files import ReportFiles
from .report_search import ReportSearch
from .saving import may_discard, save_report
from .to_update_panel import ToUpdatePanel, to_update_summary
from .tree_model import ReportTreeModel
from .window_parts import (
    TextTabs,
    central_splitter,
    dock,
    reading_order,
    status_line,
    structure_tree,
    window_title,
)
from .window_settings import RecentFiles, restore_layout, save_layout


class MainWindow(LanguageAware, QMainWindow, NodeEditing):
    """One window per open report."""

    def __init__(self, report: ReportStore | OpenedReport, glossary: Glossary | None = None
                 ) -> None:
        super().__init__()
        self.glossary = glossary
        self.glossary_window: GlossaryWindow | None = None
        self.glossary_problem = ""
        self._node: Node | None = None
        self.resize(1360, 860)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.undo_keys = FocusedUndo(self.undo_stack)  # Undo: a field's own typing first

        # The central parts: the tree; the texts above the indicator tables.
        self.tree_view = structure_tree()
        self.editor = EditorPane()
        self.editor.fieldEdited.connect(self._field_edited)
        self.text_view = ReadingView()
        self.text_view.figureClicked.connect(self.select_indicator)
        self.text_view.figureHovered.connect(self._figure_hovered)
        self.text_tabs = TextTabs(self.editor, self.text_view)
        self.text_tabs.currentChanged.connect(lambda _i: self._render_reading_view())
        self.indicators = IndicatorTabs()
        self.indicators.indicatorChosen.connect(self._show_chart)
        self.splitter = central_splitter(self.tree_view, self.text_tabs, self.indicators)
        self.setCentralWidget(self.splitter)

        # The docks: Issues below; Chart and PDF Preview on the right, as tabs.
        self.issues_panel = IssuesPanel(self)
        self.issues_panel.finding_chosen.connect(self._finding_chosen)
        self.issues_panel.checked.connect(
            lambda findings: self.statusBar().showMessage(checks_summary(findings), 5000))
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.issues_panel)
        self.to_update_panel = ToUpdatePanel(self)
        self.to_update_panel.item_chosen.connect(self._finding_chosen)
        self.to_update_panel.confirm_requested.connect(self.confirm_items)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.to_update_panel)
        self.tabifyDockWidget(self.issues_panel, self.to_update_panel)
        self.issues_panel.raise_()
        self.chart_pane = ChartPane(self, glossary)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.chart_pane)
        self.preview = PdfPreview(self)
        self.preview_dock = dock(self, self.preview, "previewDock")
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.preview_dock)
        self.tabifyDockWidget(self.chart_pane, self.preview_dock)
        self.chart_pane.raise_()
        self.resizeDocks([self.issues_panel], [120], Qt.Orientation.Vertical)
        self.resizeDocks([self.chart_pane], [360], Qt.Orientation.Horizontal)

        # The collaborators, then the actions that call them, and where the actions show.
        self.finder = ReportSearch(lambda: self.store, self.select_node, self.statusBar())
        self.search_box = self.finder.box
        self.exporter = PdfExporter(self)
        self.binder = FigureBinder(self)
        self.files = ReportFiles(self)
        self.indicator_jobs = IndicatorJobs(self)
        self.recent = RecentFiles(self.files.open_report)
        self.help_actions = HelpActions(self)  # Help menu, Preferences, autosave
        self.registry = ActionRegistry(self)
        self.registry.follow_undo_stack(self.undo_stack)
        self.registry.build_toolbar().addWidget(self.search_box)
        self.registry.build_menus()
        self.registry.add_to(self.tree_view)
        self.recent.attach(self.registry.menus["recent"])
        reading_order(self.tree_view, self.editor.titles["en"], self.editor.texts["en"],
                      self.editor.titles["zh"], self.editor.texts["zh"],
                      self.indicators.node_view)
        restore_layout(self, self.splitter)
        self.show_report(report if isinstance(report, OpenedReport)
                         else OpenedReport(report, report.path,
                                           readonly_reason=_("opened read-only")))

    def may_translate(self) -> bool:
        return not self.store.closed

    def translateUI(self) -> None:
        """Set the window's own strings in the current UI language (its parts set theirs)."""
        retranslate_undo_stack(self.undo_stack)
        self.registry.translateUI()
        self.preview_dock.setWindowTitle(_("PDF Preview"))
        name_main_window(self)
        self.finder.translateUI()
        self.menuBar().updateGeometry()  # Chinese titles may be taller than the Latin ones
        self.layout().activate()
        self._update_title()
        self._render_reading_view()
        self.tree_model.retranslate()
        if self.issues_panel.findings_language not in ("", i18n.current_language()):
            self.run_checks()  # the findings' messages, in the new language

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

    def show_report(self, opened: OpenedReport) -> None:
        """Show this opened report (the one shown before is the caller's to close)."""
        self.opened = opened
        self.undo_stack.clear()
        document = ReportDocument(opened.store, self.undo_stack, self)
        document.nodeFieldChanged.connect(self._node_field_changed)
        document.nodeInserted.connect(self._node_inserted)
        document.nodeRemoved.connect(self._node_removed)
        document.nodeMoved.connect(self._node_moved)
        document.indicatorsChanged.connect(self._indicators_changed)
        document.marksChanged.connect(self._marks_changed)
        document.nodeMoved.connect(lambda *_a: self.to_update_panel.reload())
        self.issues_panel.follow(document)  # an edit re-runs only the checks it touched
        self.chart_pane.follow(document)  # the chart shows every edit of its indicator
        document.failed.connect(lambda message: QMessageBox.warning(
            self, _("Cannot change the report"), message))

        for old in ("tree_model", "document"):
            if hasattr(self, old):
                getattr(self, old).deleteLater()
        self.document = document
        self.indicators.set_document(document, self.glossary)
        self.tree_model = ReportTreeModel(document.store.load_tree(), self,
                                          document.render_text)
        self.tree_model.editable = not self.readonly
        self.tree_model.renameRequested.connect(self._rename_requested)
        self.tree_model.moveRequested.connect(self._move_requested)
        self.tree_view.setModel(self.tree_model)
        self.issues_panel.model.place_of = self.tree_model.place  # places in the UI language
        self.tree_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree_view.setColumnWidth(0, 200)
        self.tree_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.tree_view.expandToDepth(0)
        self.editor.set_readonly(self.readonly)
        self.editor.set_name_lookup(lambda key: self.document.indicator_label(key, self.glossary))
        self.editor.set_values(document.values, document.year)
        self.editor.set_numbers(self.tree_model.numbers())
        self.registry.set_editable(not self.readonly)
        self.tree_view.setCurrentIndex(self.tree_model.index(0, 0))
        self.chart_pane.clear()
        self.finder.forget()
        if not self.readonly:
            self.recent.remember(opened.path)
        self.to_update_panel.editable = not self.readonly
        self.translateUI()
        self.show_to_update()
        if self.to_update_panel.items:  # a new year's report: what is left comes first
            self.to_update_panel.raise_()
        self.run_checks()
        if opened.session is not None and opened.session.dirty:
            # recovered edits: not in the report file until saved
            self.undo_stack.resetClean()
            self._clean_changed(False)

    def inputs(self) -> list[Path]:
        """The files this window reads: never to be written over by an export."""
        session = self.opened.session
        extra = [session.working, session.base] if session is not None else []
        return [self.report_path, self.store.path, *extra]

    def reload_report(self) -> None:
        """Show the report again from its store (another program's changes were combined
        into the working copy): the edits are unsaved, the undo history starts anew."""
        self.issues_panel.cancel()
        self.show_report(self.opened)

    def _update_title(self) -> None:
        """The window title and the status bar's report line."""
        info, reason = self.store.report(), self.opened.readonly_reason if self.readonly else None
        self.setWindowTitle(window_title(info, self.report_path, reason))
        line = status_line(info, self.store.indicator_count(), self.report_path)
        left = to_update_summary(self.to_update_panel.items)
        self.statusBar().showMessage(f"{line} · {left}" if left else line)

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)
        if self.opened.session is not None:
            self.opened.session.mark_dirty(not clean)

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
        name_editor(self)
        self._render_reading_view()
        self.indicators.show_node(node)

    def _render_reading_view(self) -> None:
        if self.text_tabs.currentWidget() is not self.text_view:
            return  # rendered when the tab is shown
        self.text_view.show_node(self._node, self.figure_values, self.year,
                                 self.tree_model.numbers())

    def _show_chart(self, key: str) -> None:
        self.chart_pane.show_indicator(key, self.store.indicator_history(key))

    def select_indicator(self, key: str) -> bool:
        """Select this year's indicator ``key`` in the table, if the table shows it."""
        return self.indicators.select(key, self.year)

    def _figure_hovered(self, key: str) -> None:
        if key:
            # L10N: status bar while the mouse is over a figure bound to an indicator
            self.statusBar().showMessage(_("Bound to the indicator “{key}”").format(key=key),
                                         4000)

    # -- saving -------------------------------------------------------------------------------

    def commit_editors(self) -> None:
        """Finish any open cell editor so that what was typed is kept."""
        self.indicators.commit_editors()
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

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.store.closed:  # closed before (a second close only hides the window)
            super().closeEvent(event)
            return
        if not may_discard(self):
            event.ignore()
            return
        if self.glossary_window is not None and not self.glossary_window.close():
            event.ignore()  # its own unsaved changes: the user chose Cancel
            return
        self.issues_panel.cancel()  # never waits for the checks
        self.binder.wait()
        save_layout(self, self.splitter)
        self.opened.close()
        super().closeEvent(event)

    # -- checks ----------------------------------------------------------------------------

    def run_checks(self) -> None:
        """Run the checks (F5) in the background; the Issues panel shows what they found."""
        self.commit_editors()
        self.issues_panel.start(self.store.path, self.glossary)

    # -- what is still to update -----------------------------------------------------------

    def show_to_update(self) -> None:
        """Show what the report still has to update: the panel, the tree's badges, the
        status bar (read afresh)."""
        self.to_update_panel.show_report(self.store)
        self._to_update_shown()

    def _marks_changed(self, indicator_ids: list[int], node_ids: list[int]) -> None:
        self.to_update_panel.marks_changed(indicator_ids, node_ids)
        self._to_update_shown(tree=bool(node_ids))

    def _to_update_shown(self, tree: bool = True) -> None:
        if tree:
            self.tree_model.set_to_update({i.id for i in self.to_update_panel.items
                                           if i.kind == "text"})
        self._update_title()

    def confirm_unchanged(self) -> None:
        """Confirm unchanged what is selected where the focus is: rows of the To Update
        panel, rows of an indicator table, else the tree's part, section or paragraph — one
        undoable step."""
        if self.to_update_panel.list.hasFocus():
            chosen = self.to_update_panel.selected()
            self.confirm_items([i.id for i in chosen if i.kind == "value"],
                               [i.id for i in chosen if i.kind == "text"])
            return
        indicator_ids = self.indicators.selected_ids()
        node_ids = [] if indicator_ids or self._node is None else [self._node.id]
        self.confirm_items(indicator_ids, node_ids)

    def confirm_items(self, indicator_ids: list[int], node_ids: list[int]) -> None:
        """Confirm these values and texts unchanged, undoably; say how many."""
        if self.readonly:
            return
        try:
            count = commands.confirm_unchanged(self.document, indicator_ids, node_ids,
                                               editor_name() or None)
        except StoreError as exc:
            QMessageBox.warning(self, _("Cannot change the report"), str(exc))
            return
        self.statusBar().showMessage(
            ngettext("{n} confirmed unchanged", "{n} confirmed unchanged", count).format(n=count)
            if count else _("Nothing selected is still to update"), 5000)

    def _finding_chosen(self, node_id: int, key: str) -> None:
        """Go to the place of a finding: its node, and its indicator if it names one."""
        if node_id >= 0:
            self.select_node(node_id)
        if key:
            self.select_indicator(key)

    # -- the glossary, and Help ----------------------------------------------------------------

    def show_glossary(self) -> None:
        """Open the glossary window (one per main window), with an undo history of its own;
        the window's Save saves an edited glossary too."""
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
        if self.glossary_window is not None and self.glossary is not self.glossary_window.glossary:
            self.glossary = self.glossary_window.glossary
            self.indicators.set_glossary(self.glossary)
        else:
            self.indicators.refresh_names()
        self.issues_panel.glossary_changed(self.glossary)  # its terms are checked again

    def compare_with(self) -> None:
        """Tools → Compare With…: this report against another year's (ui/compare_view)."""
        from .compare_view import choose_and_compare

        choose_and_compare(self)

    def about(self) -> None:
        """Help → About: the version, what ipviewer is, its components and their licences."""
        self.help_actions.about()


