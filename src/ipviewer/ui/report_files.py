"""File → Open… (and Open Recent) and File → Start Next Year's Report…: choosing a report
file, showing it in the window instead of the current one, and writing next year's report
from the one shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from ..i18n import _
from ..new_year import start_next_year
from ..safe_write import OutputError, check_output
from ..store import StoreError
from .opening import REPORT_FILTER, open_report, recovery_folder
from .saving import may_discard


class ReportFiles:
    """The File menu's report choices for a main window.

    The window gives: ``report_path``, ``year``, ``store``, ``opened``, ``issues_panel``,
    ``inputs()`` (files never to be written over), ``commit_editors()``, ``show_report()``
    and what :func:`.saving.may_discard` asks of it.
    """

    def __init__(self, window: QMainWindow) -> None:
        self.window = window

    def choose_report(self) -> None:
        """Ask for a report file and open it in the window."""
        window = self.window
        name, _filter = QFileDialog.getOpenFileName(
            window, _("Open report"), str(window.report_path.parent), _(REPORT_FILTER))
        if name:
            self.open_report(Path(name))

    def open_report(self, path: Path, readonly: bool = False) -> bool:
        """Show the report at ``path`` instead (asking about unsaved changes first);
        explain if it cannot be opened, keeping the current one."""
        window = self.window
        if Path(path).absolute() == window.report_path.absolute():
            return True  # already shown, edits and all
        if not may_discard(window):
            return False
        try:
            opened = open_report(Path(path), recovery_folder(), window, readonly=readonly)
        except StoreError as exc:
            QMessageBox.warning(window, _("Cannot open report"), str(exc))
            return False
        if opened is None:
            return False
        old = window.opened
        window.issues_panel.cancel()  # the checks of the old report: never waited for
        window.show_report(opened)
        old.close()
        return True

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
        if not self.open_report(target):
            return False
        window.statusBar().showMessage(
            _("{path}: the {year} report; {count} indicator values and {nodes} paragraphs "
              "marked to update").format(path=target, year=result.year,
                                         count=result.indicators,
                                         nodes=result.nodes_to_update)
            + (" " + result.left_over(window.report_path) if result.left_from_source else ""))
        return True
