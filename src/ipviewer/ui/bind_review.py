"""Tools → Bind Figures…: what ``ipviewer bind`` does, reviewed before it is written.

:func:`ipviewer.bind_report.propose_bindings` proposes one binding per literal figure; the
review dialog lists them (the paragraph, the sentence with the figure highlighted, the
language, the indicator: key, name, value), each with a check box. Apply writes the
accepted ones as one undoable step (:func:`.commands.bind_figures`); the editor then shows
them as chips. :class:`FigureBinder` is the window's side of it (the proposals are found
in a worker thread, :class:`ProposeWorker`: a big report takes seconds).
"""

from __future__ import annotations

import html
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..bind_report import BindingError, BindPlan, Cancelled, Proposal, propose_bindings
from ..i18n import N_, _, ngettext, report_language
from ..store import ReportStore, StoreError
from . import commands
from .language import LanguageAware
from .threads import run_in_thread

Index = QModelIndex | QPersistentModelIndex
_INVALID = QModelIndex()

#: The columns: header (marked), and what each shows of a proposal.
COLUMNS = (N_("Paragraph"), N_("Figure in its sentence"), N_("Language"), N_("Indicator"),
           N_("Name"), N_("Value"))
CONTEXT = 1
#: The sentence as HTML, the figure in bold on a highlight (for the delegate).
HTML_ROLE = Qt.ItemDataRole.UserRole + 1
LANGUAGE_NAMES = {"en": N_("English"), "zh": N_("Chinese")}


class ProposalModel(QAbstractTableModel):
    """The proposals of a plan, each accepted or not (all accepted at first)."""

    acceptedChanged = Signal()

    def __init__(self, proposals: list[Proposal], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.proposals = proposals
        self.accepted = [True] * len(proposals)

    def rowCount(self, parent: Index = _INVALID) -> int:
        return 0 if parent.isValid() else len(self.proposals)

    def columnCount(self, parent: Index = _INVALID) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        proposal, column = self.proposals[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return (Qt.CheckState.Checked if self.accepted[index.row()]
                    else Qt.CheckState.Unchecked)
        if role == HTML_ROLE and column == CONTEXT:
            return highlighted(proposal)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (proposal.place(report_language()), proposal.context,
                    _(LANGUAGE_NAMES[proposal.lang]), proposal.key, proposal.name,
                    proposal.value)[column]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        self.set_accepted([index.row()], Qt.CheckState(value) == Qt.CheckState.Checked)
        return True

    def set_accepted(self, rows: list[int], accepted: bool) -> None:
        """Accept (or reject) the proposals in these rows."""
        for row in rows:
            self.accepted[row] = accepted
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), 0),
                                  [Qt.ItemDataRole.CheckStateRole])
            self.acceptedChanged.emit()

    def chosen(self) -> set[int]:
        """The numbers of the accepted proposals."""
        return {p.number for p, ok in zip(self.proposals, self.accepted, strict=True) if ok}

    def retranslate(self) -> None:
        """Headers and language names in the UI language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.proposals:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self.proposals) - 1, 2))


#: How much of the sentence before the figure the list shows (the rest is "…").
LEAD = 30


def highlighted(proposal: Proposal) -> str:
    """The proposal's sentence as HTML, its figure highlighted (a long lead cut short, so
    that the figure shows in a narrow column; the tooltip has the whole sentence)."""
    start, end = proposal.span
    text = proposal.context
    lead = text[:start] if start <= LEAD else "…" + text[start - LEAD:start].lstrip()
    return (html.escape(lead) + '<b style="background-color:#fde68a">'
            + html.escape(text[start:end]) + "</b>" + html.escape(text[end:]))


class HighlightDelegate(QStyledItemDelegate):
    """Draws a cell's :data:`HTML_ROLE` text (one line, elided by the cell's width)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        markup = index.data(HTML_ROLE)
        if not markup:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(2)
        document.setHtml(markup)
        painter.save()
        top = max(0.0, (option.rect.height() - document.size().height()) / 2)
        painter.translate(option.rect.left(), option.rect.top() + top)
        painter.setClipRect(QRectF(0, -top, option.rect.width(), option.rect.height()))
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text,
                                     option.palette.color(QPalette.ColorRole.HighlightedText))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(min(size.width(), 480), size.height())


class BindReviewDialog(LanguageAware, QDialog):
    """Every proposed binding, to accept or reject; Apply writes the accepted ones."""

    #: Double-click on a proposal: go to its paragraph (node id).
    paragraphChosen = Signal(int)

    def __init__(self, plan: BindPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.model = ProposalModel(plan.proposals, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setItemDelegateForColumn(CONTEXT, HighlightDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(CONTEXT,
                                                           QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._double_clicked)
        self.select_all = QPushButton()
        self.select_all.clicked.connect(lambda: self._accept_shown(True))
        self.select_none = QPushButton()
        self.select_none.clicked.connect(lambda: self._accept_shown(False))
        self.count = QLabel()
        self.model.acceptedChanged.connect(self._show_count)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.filter_label = QLabel()
        self.filter_label.setBuddy(self.filter)

        top = QHBoxLayout()
        top.addWidget(self.filter_label)
        top.addWidget(self.filter, 1)
        top.addWidget(self.select_all)
        top.addWidget(self.select_none)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(1100, 520)
        self.translateUI()
        self.table.resizeColumnsToContents()
        for column, widest in ((0, 240), (3, 220), (4, 240)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))

    def translateUI(self) -> None:
        self.setWindowTitle(_("Bind Figures"))
        self.intro.setText(_(
            "Each figure typed into a text that exactly one indicator holds can be bound to it: "
            "the text then shows the indicator's value, in both languages. Untick the ones "
            "to leave as they are."))
        self.filter_label.setText(_("&Filter:"))
        self.filter.setPlaceholderText(_("Paragraph, figure or indicator"))
        self.select_all.setText(_("Select &All"))
        self.select_none.setText(_("Select &None"))
        self.apply_button.setText(_("&Apply"))
        self.model.retranslate()
        self._show_count()

    def _show_count(self) -> None:
        total, accepted = len(self.model.proposals), sum(self.model.accepted)
        self.count.setText(ngettext("{accepted} of {n} accepted", "{accepted} of {n} accepted",
                                    total).format(accepted=accepted, n=total))
        self.apply_button.setEnabled(accepted > 0)

    def _accept_shown(self, accepted: bool) -> None:
        """Select All / None: the proposals the filter shows."""
        rows = [self.proxy.mapToSource(self.proxy.index(row, 0)).row()
                for row in range(self.proxy.rowCount())]
        self.model.set_accepted(rows, accepted)

    def _double_clicked(self, index: QModelIndex) -> None:
        proposal = self.model.proposals[self.proxy.mapToSource(index).row()]
        self.paragraphChosen.emit(proposal.node_id)

    def chosen(self) -> set[int]:
        """The numbers of the accepted proposals."""
        return self.model.chosen()


class ProposeWorker(QObject):
    """Proposes the bindings in a worker thread, with its own read-only connection."""

    finished = Signal(object)  # BindPlan, or None when cancelled
    failed = Signal(str)

    def __init__(self, report: Path) -> None:
        super().__init__()
        self.report = report
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop (nothing is written either way)."""
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        """Propose (SQLite connections belong to one thread: this one opens its own)."""
        try:
            with ReportStore.open(self.report, readonly=True) as store:
                plan = propose_bindings(store, cancelled=self._cancel.is_set)
        except Cancelled:
            self.finished.emit(None)
        except (BindingError, StoreError, OSError) as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 (never a progress dialog left waiting)
            self.failed.emit(_("{path}: {problem}").format(path=self.report, problem=exc))
        else:
            self.finished.emit(plan)


class FigureBinder(QObject):
    """Tools → Bind Figures… for a main window: propose (in a worker thread, with a
    progress dialog that can cancel), review, write (undoably).

    The window gives ``commit_editors()``, ``document``, ``readonly``, ``select_node()``
    and ``statusBar()``."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: BindReviewDialog | None = None  #: the review dialog, once open
        self.progress: QProgressDialog | None = None
        self._worker: ProposeWorker | None = None
        self._thread: QThread | None = None

    def choose(self) -> None:
        """Find the figures to bind in the background; then open the review dialog
        (window modal), whose Apply writes the accepted ones."""
        window = self.window
        if window.readonly or self._worker is not None:
            return
        window.commit_editors()
        self.dialog = None
        worker = ProposeWorker(window.store.path)
        progress = QProgressDialog(_("Finding the figures to bind…"), _("Cancel"), 0, 0, window)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.canceled.connect(self._cancel)  # this object's slot: the UI thread
        self.progress = progress
        worker.finished.connect(self._proposed)
        worker.failed.connect(self._failed)
        self._worker = worker  # kept alive while it runs
        self._thread = run_in_thread(self, worker)

    def wait(self) -> None:
        """Stop and wait for a search in progress (before the report is closed)."""
        if self._worker is not None and self._thread is not None:
            self._worker.cancel()
            self._thread.quit()
            self._thread.wait()

    @Slot()
    def _cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    def _done(self) -> None:
        if self.progress is not None:
            self.progress.reset()
        self._worker = self._thread = None

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._done()
        QMessageBox.warning(self.window, _("Cannot bind figures"),
                            _("Nothing bound: {problem}").format(problem=message))

    @Slot(object)
    def _proposed(self, plan: BindPlan | None) -> None:
        self._done()
        if plan is None:  # cancelled
            return
        window = self.window
        if not plan.proposals:
            QMessageBox.information(window, _("Bind Figures"), _(
                "No figure typed into a text is held by exactly one indicator: there is "
                "nothing to bind."))
            return
        dialog = BindReviewDialog(plan, window)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.paragraphChosen.connect(window.select_node)
        dialog.accepted.connect(lambda: self.apply(plan, dialog.chosen()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def apply(self, plan: BindPlan, accepted: set[int]) -> int:
        """Bind the accepted proposals as one undoable step; how many were bound. A text
        changed since the proposals were made is left as it is (and named)."""
        window = self.window
        store = window.document.store
        changes, stale = [], []
        for change in plan.changes(accepted):
            try:
                current = store.node_row(change.node_id)[change.field]
            except StoreError:  # deleted meanwhile
                current = None
            (changes if current == change.old else stale).append(change)
        kept = {(c.node_id, c.lang) for c in changes}
        count = sum(1 for p in plan.proposals
                    if p.number in accepted and (p.node_id, p.lang) in kept)
        try:
            commands.bind_figures(window.document, changes, count)
        except StoreError as exc:
            QMessageBox.warning(window, _("Cannot change the report"), str(exc))
            return 0
        if changes:
            window.select_node(changes[0].node_id)
        window.statusBar().showMessage(ngettext(
            "{n} figure bound; Undo (Ctrl+Z) takes it back",
            "{n} figures bound; Undo (Ctrl+Z) takes them back", count).format(n=count), 8000)
        if stale:
            places = {p.where for p in plan.proposals
                      if (p.node_id, p.lang) in {(c.node_id, c.lang) for c in stale}}
            QMessageBox.warning(window, _("Bind Figures"), _(
                "These texts changed while the figures were being found; they were left as "
                "they are:\n{places}").format(places="\n".join(sorted(places))))
        return count
