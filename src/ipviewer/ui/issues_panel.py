"""The Issues panel: what the checks found (F5 runs them again); a click goes to the place."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem, QWidget

from ..checks import Finding, run_checks
from ..i18n import _, ngettext
from ..store import ReportStore
from ..terms.glossary import Glossary


class IssuesPanel(QDockWidget):
    """A dock listing the findings of :func:`run_checks`, errors first."""

    #: A finding was chosen: (node id or -1, indicator key or "").
    finding_chosen = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("issuesPanel")
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._chosen)
        self.list.itemClicked.connect(self._chosen)
        self.setWidget(self.list)
        self.findings: list[Finding] = []
        self.translateUI()

    def run(self, store: ReportStore, glossary: Glossary | None = None) -> list[Finding]:
        """Run the checks on ``store`` (terminology too, with a glossary); show the findings."""
        self.findings = sorted(run_checks(store, glossary), key=lambda f: f.severity != "error")
        self.list.clear()
        for finding in self.findings:
            item = QListWidgetItem(str(finding))
            item.setData(Qt.ItemDataRole.UserRole, finding)
            if finding.severity == "error":
                item.setForeground(QBrush(QColor("#b00020")))
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
        self.setWindowTitle(ngettext("Issues ({count})", "Issues ({count})", count).format(
            count=count) if count else _("Issues: none found"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.translateUI()
        super().changeEvent(event)
