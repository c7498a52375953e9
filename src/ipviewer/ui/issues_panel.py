"""The Issues panel: what the checks found; a click goes to the place.

Opening a report and F5 run every check in a worker thread (``ChecksWorker``), which keeps
its findings by what they concern (:class:`ipviewer.checks.CheckState`). After that, an
edit re-runs only the checks of what it touched, as the document's signals name it (a
node's text or title, indicator rows, to-update marks), a moment after the typing stops;
a change of the tree runs every check again. A run in progress is cancelled, never waited
for, when the window closes or shows another report (the worker stops at its next step).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QDockWidget, QListView, QWidget
from shiboken6 import isValid

from .. import i18n
from ..checks import ChecksCancelled, CheckState, Finding
from ..i18n import _, ngettext
from ..store import ReportStore, StoreError
from ..terms.glossary import Glossary
from .document import ReportDocument
from .language import LanguageAware
from .locations import finding_text

#: How long after the last edit its checks run (typing is not checked keystroke by keystroke).
UPDATE_DELAY_MS = 300
#: How long a cancelled run may take to reach its next step when its report is closed.
CANCEL_SETTLE_MS = 150


@dataclass
class Touched:
    """What edits touched since the checks last ran."""

    nodes: set[int] = field(default_factory=set)
    indicators: set[int] = field(default_factory=set)
    titles: set[int] = field(default_factory=set)
    tree: bool = False  # nodes added, removed or moved, or a number: every check again

    def __bool__(self) -> bool:
        return bool(self.nodes or self.indicators or self.titles or self.tree)


class FindingsModel(QAbstractListModel):
    """The findings as a list (errors first); a new list replaces only the rows that
    differ, so the view keeps its place after an edit."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.findings: list[Finding] = []
        self.error_colour = QColor("#b00020")
        #: Where a node is, in the UI language (the window's tree tells): ui/locations.py
        self.place_of: Callable[[int], str] | None = None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.findings)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.findings):
            return None
        finding = self.findings[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return finding_text(finding, self.place_of)
        if role == Qt.ItemDataRole.ForegroundRole and finding.severity == "error":
            return QBrush(self.error_colour)
        if role == Qt.ItemDataRole.UserRole:
            return finding
        return None

    def set_findings(self, findings: list[Finding]) -> None:
        """Show ``findings``: the rows between the unchanged start and end are replaced."""
        old = self.findings

        def same(a: Finding, b: Finding) -> bool:
            return a is b or a == b  # the checks keep the findings an edit left alone

        start, shorter = 0, min(len(old), len(findings))
        while start < shorter and same(old[start], findings[start]):
            start += 1
        end_old, end_new = len(old), len(findings)
        while end_old > start and end_new > start and same(old[end_old - 1],
                                                           findings[end_new - 1]):
            end_old, end_new = end_old - 1, end_new - 1
        if end_old > start:
            self.beginRemoveRows(QModelIndex(), start, end_old - 1)
            self.findings = old[:start] + old[end_old:]
            self.endRemoveRows()
        if end_new > start:
            self.beginInsertRows(QModelIndex(), start, end_new - 1)
            self.findings = findings
            self.endInsertRows()
        self.findings = findings

    def retranslate(self) -> None:
        """The severities and places are named in the UI language."""
        if self.findings:
            self.dataChanged.emit(self.index(0), self.index(len(self.findings) - 1))


class IssuesPanel(LanguageAware, QDockWidget):
    """A dock listing the findings of the checks, errors first."""

    #: A finding was chosen: (node id or -1, indicator key or "").
    finding_chosen = Signal(int, str)
    #: A full run of the checks is done: the findings shown.
    checked = Signal(list)
    #: The checks of an edit ran: the findings shown.
    updated = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("issuesPanel")
        self.model = FindingsModel(self)
        self.list = QListView()
        self.list.setObjectName("issuesList")
        self.list.setUniformItemSizes(True)  # 40,000 findings lay out at once
        self.list.setModel(self.model)
        self.list.activated.connect(self._chosen)
        self.list.clicked.connect(self._chosen)
        self.setWidget(self.list)
        self.state: CheckState | None = None
        self.findings_language = ""  #: the UI language the findings were written in
        self.pending = Touched()
        self._document: ReportDocument | None = None
        self._run: tuple[Path, Glossary | None] | None = None
        self._worker: ChecksWorker | None = None
        self._thread: QThread | None = None
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(UPDATE_DELAY_MS)
        self._timer.timeout.connect(self.apply_edits)
        self._apply_theme()
        self.translateUI()

    @property
    def findings(self) -> list[Finding]:
        """The findings shown, errors first."""
        return self.model.findings

    # -- following the document's edits ---------------------------------------------------

    def follow(self, document: ReportDocument) -> None:
        """Re-run the checks of what each edit of ``document`` touches (the findings so far
        belong to another report: forgotten)."""
        self._document = document
        self.state, self.pending = None, Touched()
        self.model.set_findings([])  # another report's: their places are not in this one
        document.nodeFieldChanged.connect(self._field_changed)
        document.nodeInserted.connect(self._tree_changed)
        document.nodeRemoved.connect(self._tree_changed)
        document.nodeMoved.connect(self._tree_changed)
        document.indicatorsChanged.connect(self._indicators_changed)
        document.marksChanged.connect(self._marks_changed)

    def _field_changed(self, node_id: int, column: str, _value: str) -> None:
        if column.startswith("text_"):
            self.pending.nodes.add(node_id)
        elif column.startswith("title_"):
            self.pending.titles.add(node_id)
        else:  # a number: the numbers of what follows may change
            self.pending.tree = True
        self._timer.start()

    def _tree_changed(self, *_args: object) -> None:
        self.pending.tree = True
        self._timer.start()

    def glossary_changed(self, glossary: Glossary | None) -> None:
        """The glossary was edited: the terminology of every text is checked again with
        it, a moment after the editing stops."""
        if self._run is not None:
            self._run = (self._run[0], glossary)
        self._tree_changed()

    def report_changed(self) -> None:
        """Much of the report changed at once (a text imported into it): every check runs
        again, a moment later."""
        self._tree_changed()

    def _indicators_changed(self, ids: list) -> None:
        self.pending.indicators.update(ids)
        self._timer.start()

    def _marks_changed(self, indicator_ids: list, node_ids: list) -> None:
        self.pending.indicators.update(indicator_ids)
        self.pending.nodes.update(node_ids)
        self._timer.start()

    @Slot()
    def apply_edits(self) -> None:
        """Run the checks of the edits made since the last run (a full run if the tree
        changed); while a full run goes on, after it."""
        self._timer.stop()
        if self._running_full() or not self.pending:
            return
        touched, self.pending = self.pending, Touched()
        document = self._document
        if document is None or document.store.closed:
            return
        if self.state is None or touched.tree or not self.state.update(
                document.store, touched.nodes, touched.indicators, touched.titles):
            if self._run is not None:
                self.start(*self._run)
            return
        self.show_findings(self.state.findings())
        self.updated.emit(self.findings)

    # -- full runs ------------------------------------------------------------------------

    def start(self, report: Path, glossary: Glossary | None = None) -> None:
        """Run every check on the report file in a worker thread (a big report takes
        seconds); ``checked`` tells when the findings are shown. A run already going on
        is cancelled: this one replaces it."""
        self.cancel(settle_ms=0)
        self._run = (report, glossary)
        self.pending = Touched()  # the run reads them all
        self._generation += 1
        worker = ChecksWorker(report, glossary, self._generation)
        worker.finished.connect(self._worker_done)
        worker.failed.connect(self._worker_failed)
        thread = QThread(QCoreApplication.instance())  # outlives the window if need be
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # in the worker's thread: the window's thread may be waiting for this one to end
        worker.ended.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        live_checks().add(thread)
        thread.finished.connect(thread.deleteLater)
        # the thread holds its worker, which goes with it once it ended (a deleteLater of
        # the Python-owned worker at the thread's end freed it there: a crash in CI)
        thread.worker = worker
        self._worker, self._thread = worker, thread
        self.translateUI()
        thread.start()

    def cancel(self, settle_ms: int = CANCEL_SETTLE_MS) -> None:
        """Stop a run in progress (its result is dropped) without waiting for it to finish:
        it stops at its next step, and only that is waited for, ``settle_ms`` at most, so
        that its connection is closed before the report's files go away."""
        self._timer.stop()
        worker, thread = self._worker, self._thread
        self._worker, self._thread = None, None
        self._generation += 1
        if worker is not None:
            worker.stop.set()
            if settle_ms > 0 and thread is not None and isValid(thread):
                thread.wait(settle_ms)
        self.translateUI()

    def wait(self) -> None:
        """Let a run in progress finish and show its findings (tests, screenshots)."""
        thread = self._thread
        if thread is not None:
            thread.wait()
            for _attempt in range(100):  # deliver its result
                QCoreApplication.processEvents()
                if self._thread is not thread:
                    break

    def is_running(self) -> bool:
        """Whether a full run of the checks goes on in the background."""
        return self._running_full()

    def _running_full(self) -> bool:
        return self._worker is not None

    @Slot(int, object)
    def _worker_done(self, generation: int, state: CheckState) -> None:
        if generation != self._generation:
            return  # a cancelled run
        self._worker, self._thread = None, None
        self.state = state
        if self.pending:
            self.apply_edits()  # edits made while it ran (it may have read before them)
        self.show_findings(state.findings())
        self.checked.emit(self.findings)

    @Slot(int, str)
    def _worker_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._worker, self._thread = None, None
        self.state = None
        self.model.set_findings([])
        self.translateUI()
        self.setWindowTitle(_("The checks could not run: {reason}").format(reason=message))
        self.checked.emit([])

    # -- showing --------------------------------------------------------------------------

    def show_findings(self, findings: list[Finding]) -> list[Finding]:
        """List ``findings``, errors first."""
        self.model.set_findings(sorted(findings, key=lambda f: f.severity != "error"))
        self.findings_language = i18n.current_language()
        self.translateUI()
        return self.findings

    def _chosen(self, index: QModelIndex) -> None:
        finding = index.data(Qt.ItemDataRole.UserRole)
        if finding is None:
            return
        self.finding_chosen.emit(finding.node_id if finding.node_id is not None else -1,
                                 finding.key)

    def _apply_theme(self) -> None:
        dark = self.list.palette().color(QPalette.ColorRole.Base).lightness() < 128
        self.model.error_colour = QColor("#ff7a7a" if dark else "#b00020")  # either theme

    def translateUI(self) -> None:
        """The title, with the number of findings, in the UI language."""
        self.model.retranslate()
        count = len(self.findings)
        if self._running_full():
            self.setWindowTitle(_("Issues: checking…"))
            return
        self.setWindowTitle(ngettext("Issues ({count})", "Issues ({count})", count).format(
            count=count) if count else _("Issues: none found"))


class LiveChecks(QObject):
    """The threads of full runs still going, a cancelled one included (its window may be
    closed): the application waits for them as it quits, which takes a moment, since a
    cancelled run stops at its next step."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.threads: set[QThread] = set()
        app.aboutToQuit.connect(self.wait_all)

    def add(self, thread: QThread) -> None:
        self.threads.add(thread)
        thread.finished.connect(self._ended)  # before its deleteLater

    @Slot()
    def _ended(self) -> None:
        self.threads.discard(self.sender())

    def wait_all(self) -> None:
        """Wait for every run (cancel it first: they are the windows' to cancel)."""
        for thread in list(self.threads):
            if isValid(thread):
                thread.wait()
        self.threads.clear()


_live: LiveChecks | None = None


def live_checks() -> LiveChecks:
    """The application's :class:`LiveChecks`."""
    global _live
    if _live is None or not isValid(_live):
        _live = LiveChecks(QCoreApplication.instance())
    return _live


def checks_summary(findings: list[Finding]) -> str:
    """The status bar's line after the checks ran (F5)."""
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    # L10N: after the checks ran (F5); {errors} and {warnings} are counted phrases
    return _("Checks: {errors}, {warnings}").format(
        errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
        warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings))


class ChecksWorker(QObject):
    """Runs every check in a worker thread, with its own read-only connection; ``stop``
    (set from the window's thread) ends it at its next step."""

    finished = Signal(int, object)  # generation, CheckState
    failed = Signal(int, str)
    ended = Signal()

    def __init__(self, report: Path, glossary: Glossary | None, generation: int = 0) -> None:
        super().__init__()
        self.report, self.glossary, self.generation = report, glossary, generation
        self.stop = threading.Event()

    @Slot()
    def run(self) -> None:
        """Check the report (SQLite connections belong to one thread: this one opens its own)."""
        try:
            with ReportStore.open(self.report, readonly=True) as store:
                state = CheckState.full(store, self.glossary, self.stop.is_set)
            self.finished.emit(self.generation, state)
        except ChecksCancelled:
            pass
        except (StoreError, sqlite3.Error, OSError) as exc:
            if not self.stop.is_set():  # a cancelled run's report may be gone already
                self.failed.emit(self.generation, str(exc))
        finally:
            self.ended.emit()
