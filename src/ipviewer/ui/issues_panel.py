"""The Issues panel: what the checks found (F5 runs them again); a click goes to the place."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem, QWidget

from .. import i18n
from ..checks import Finding, run_checks
from ..i18n import _, ngettext
from ..store import ReportStore, StoreError
from ..terms.glossary import Glossary
from .language import LanguageAware
from .locations import finding_text
from .threads import run_in_thread


class IssuesPanel(LanguageAware, QDockWidget):
    """A dock listing the findings of :func:`run_checks`, errors first."""

    #: A finding was chosen: (node id or -1, indicator key or "").
    finding_chosen = Signal(int, str)
    #: Checks run in the background are done: the findings shown.
    checked = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("issuesPanel")
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._chosen)
        self.list.itemClicked.connect(self._chosen)
        self.setWidget(self.list)
        self.findings: list[Finding] = []
        #: Where a node is, in the UI language (the window's tree tells): ui/locations.py
        self.place_of: Callable[[int], str] | None = None
        self.findings_language = ""  #: the UI language the findings were written in
        self._running = False
        self._again: tuple[Path, Glossary | None] | None = None
        self._worker: ChecksWorker | None = None
        self._thread: QThread | None = None
        self.translateUI()

    def start(self, report: Path, glossary: Glossary | None = None) -> None:
        """Run the checks on the report file in a worker thread (a big report takes seconds);
        ``checked`` tells when the findings are shown. A request while a run is going on
        runs once more after it."""
        if self._running:
            self._again = (report, glossary)
            return
        self._running, self._again = True, None
        self.translateUI()
        worker = ChecksWorker(report, glossary)
        worker.finished.connect(self._worker_done)
        worker.failed.connect(self._worker_failed)
        self._worker = worker  # kept alive while it runs
        self._thread = run_in_thread(self, worker)

    def wait(self) -> None:
        """Let a run in progress finish (before its report is closed); nothing more runs."""
        self._again = None
        if self._running and self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            QCoreApplication.processEvents()  # deliver its result

    def is_running(self) -> bool:
        """Whether checks are running in the background."""
        return self._running

    @Slot(object)
    def _worker_done(self, findings: list[Finding]) -> None:
        self._finish()
        self.show_findings(findings)
        self.checked.emit(self.findings)

    @Slot(str)
    def _worker_failed(self, message: str) -> None:
        self._finish()
        self.findings = []
        self.list.clear()
        self.list.addItem(QListWidgetItem(_("The checks could not run: {reason}").format(
            reason=message)))
        self.checked.emit([])

    def _finish(self) -> None:
        self._running, self._worker, self._thread = False, None, None
        self.translateUI()
        if self._again is not None:
            self.start(*self._again)

    def show_findings(self, findings: list[Finding]) -> list[Finding]:
        """List ``findings``, errors first."""
        self.findings = sorted(findings, key=lambda f: f.severity != "error")
        self.findings_language = i18n.current_language()
        self.list.clear()
        dark = self.list.palette().color(QPalette.ColorRole.Base).lightness() < 128
        error_colour = QColor("#ff7a7a" if dark else "#b00020")  # readable on either theme
        for finding in self.findings:
            item = QListWidgetItem(finding_text(finding, self.place_of))
            item.setData(Qt.ItemDataRole.UserRole, finding)
            if finding.severity == "error":
                item.setForeground(QBrush(error_colour))
            self.list.addItem(item)
        self.translateUI()
        return self.findings

    def _chosen(self, item: QListWidgetItem) -> None:
        finding: Finding = item.data(Qt.ItemDataRole.UserRole)
        self.finding_chosen.emit(finding.node_id if finding.node_id is not None else -1,
                                 finding.key)

    def translateUI(self) -> None:
        """The title, with the number of findings, in the UI language."""
        count = len(self.findings)
        for row in range(self.list.count()):  # the places and severities; not the messages
            item = self.list.item(row)
            finding = item.data(Qt.ItemDataRole.UserRole)
            if isinstance(finding, Finding):
                item.setText(finding_text(finding, self.place_of))
        if self._running:
            self.setWindowTitle(_("Issues: checking…"))
            return
        self.setWindowTitle(ngettext("Issues ({count})", "Issues ({count})", count).format(
            count=count) if count else _("Issues: none found"))


def checks_summary(findings: list[Finding]) -> str:
    """The status bar's line after the checks ran (F5)."""
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    # L10N: after the checks ran (F5); {errors} and {warnings} are counted phrases
    return _("Checks: {errors}, {warnings}").format(
        errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
        warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings))


class ChecksWorker(QObject):
    """Runs the checks in a worker thread, with its own read-only connection."""

    finished = Signal(object)  # list[Finding]
    failed = Signal(str)

    def __init__(self, report: Path, glossary: Glossary | None) -> None:
        super().__init__()
        self.report, self.glossary = report, glossary

    @Slot()
    def run(self) -> None:
        """Check the report (SQLite connections belong to one thread: this one opens its own)."""
        try:
            with ReportStore.open(self.report, readonly=True) as store:
                findings = run_checks(store, self.glossary)
        except (StoreError, sqlite3.Error) as exc:
            self.failed.emit(str(exc))
            return
        self.finished.emit(findings)
