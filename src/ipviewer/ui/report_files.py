"""File → Open… and File → Start Next Year's Report…: choosing a report file, and writing
next year's report from the one shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from ..i18n import N_, _
from ..new_year import start_next_year
from ..safe_write import OutputError, check_output
from ..store import StoreError

#: The file dialogs' filter for report files (translated when shown).
REPORT_FILTER = N_("ipviewer reports (*.sqlite *.db);;All files (*)")


class ReportFiles:
    """The File menu's report choices for a main window.

    The window gives: ``report_path``, ``year``, ``store``, ``inputs()`` (files never to be
    written over), ``commit_editors()`` and ``open_report(path) -> bool``.
    """

    def __init__(self, window: QMainWindow) -> None:
        self.window = window

    def choose_report(self) -> None:
        """Ask for a report file and open it in the window."""
        window = self.window
        name, _filter = QFileDialog.getOpenFileName(
            window, _("Open report"), str(window.report_path.parent), _(REPORT_FILTER))
        if name:
            window.open_report(Path(name))

    def choose_next_year(self) -> None:
        """Ask where to write next year's report, write it, and open it."""
        window = self.window
        suggested = window.report_path.with_name(f"report-{window.year + 1}.sqlite")
        name, _filter = QFileDialog.getSaveFileName(
            window, _("Start next year's report"), str(suggested), _(REPORT_FILTER))
        if name:
            self.start_next_year(Path(name))

    def start_next_year(self, target: Path) -> bool:
        """Write next year's report to ``target`` and show it; explain if that fails."""
        window = self.window
        try:
            check_output(target, window.inputs(), replace=True)
        except OutputError as exc:
            QMessageBox.warning(window, _("Cannot start next year's report"), str(exc))
            return False
        window.commit_editors()
        try:
            result = start_next_year(window.store.path, target)
        except (StoreError, OSError) as exc:
            QMessageBox.warning(window, _("Cannot start next year's report"), str(exc))
            return False
        if not window.open_report(target):
            return False
        window.statusBar().showMessage(
            _("{path}: the {year} report; {count} indicator values and {nodes} paragraphs "
              "marked to update").format(path=target, year=result.year,
                                         count=result.indicators,
                                         nodes=result.nodes_to_update))
        return True
