"""The File menu's report jobs: New…, Open… (and Open Recent), Import Text…, Save As…,
Close and Start Next Year's Report…: choosing or writing a report file and showing it in
the window instead of the current one.

After Close of the last report the window stays, hidden, with no report, while the start
screen (:mod:`.welcome`) offers what to open next; what it opens shows in this window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMainWindow, QMessageBox

from ..i18n import _
from ..importing.pipeline import create_report, parse_file
from ..importing.source import SourceError
from ..importing.years import infer_year
from ..new_year import start_next_year
from ..safe_write import OutputError, check_output, same_file
from ..store import StoreError
from .import_text_dialog import ImportChoice, ImportTextDialog, choose_text_file
from .new_report_dialog import NewReport, NewReportDialog, write_new_report
from .opening import REPORT_FILTER, ReportLock, data_folder, open_report, recovery_folder
from .save_as import choose_save_as, save_as
from .saving import may_discard
from .text_import import import_into_open
from .welcome import Welcome
from .window_settings import save_layout


class ReportFiles:
    """The File menu's report choices for a main window.

    The window gives: ``report_path``, ``year``, ``store``, ``opened``, ``issues_panel``,
    ``inputs()`` (files never to be written over), ``commit_editors()``, ``show_report()``
    and what :func:`.saving.may_discard` asks of it.
    """

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        #: File → Close closed the report; the window is hidden behind the start screen.
        self.report_closed = False
        self.welcome: Welcome | None = None

    def folder(self) -> Path:
        """Where file dialogs start: the report's folder (Documents for the sample's copy)."""
        folder = self.window.report_path.parent
        if folder == data_folder():
            documents = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation)
            return Path(documents) if documents else Path.home()
        return folder

    def _may_leave(self) -> bool:
        """Whether the report shown may be replaced (asking about unsaved changes)."""
        return self.report_closed or may_discard(self.window)

    # -- Open ----------------------------------------------------------------------------------

    def choose_report(self) -> bool:
        """Ask for a report file and open it in the window."""
        window = self.window
        name, _filter = QFileDialog.getOpenFileName(
            window, _("Open report"), str(self.folder()), _(REPORT_FILTER))
        return self.open_report(Path(name)) if name else False

    def open_report(self, path: Path, readonly: bool = False) -> bool:
        """Show the report at ``path`` instead (asking about unsaved changes first);
        explain if it cannot be opened, keeping the current one."""
        window = self.window
        if not self.report_closed and Path(path).absolute() == window.report_path.absolute():
            return True  # already shown, edits and all
        if not self._may_leave():
            return False
        return self._show(Path(path), readonly)

    def _show(self, path: Path, readonly: bool = False) -> bool:
        """Open ``path`` and show it in place of the report shown (no question asked)."""
        window = self.window
        try:
            opened = open_report(path, recovery_folder(), window, readonly=readonly)
        except StoreError as exc:
            QMessageBox.warning(window, _("Cannot open report"), str(exc))
            return False
        if opened is None:
            return False
        old = window.opened
        window.issues_panel.cancel()  # the checks of the old report: never waited for
        window.show_report(opened)
        if self.report_closed:
            self.report_closed = False
            window.show()
        else:
            old.close()
        return True

    def open_sample(self) -> bool:
        """Open the user's copy of the bundled sample (made on first use)."""
        from ..sample import ensure_sample  # the importer builds the copy, only when needed

        try:
            path = ensure_sample(data_folder())
        except StoreError as exc:
            QMessageBox.warning(self.window, _("Cannot open report"), str(exc))
            return False
        return self.open_report(path)

    # -- New -----------------------------------------------------------------------------------

    def new_report(self) -> bool:
        """File → New…: ask for the year, titles, start and file; write it and show it."""
        window = self.window
        dialog = NewReportDialog(window, self.folder(), window.inputs)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.create_report(dialog.choice())

    def create_report(self, choice: NewReport) -> bool:
        """Write the new report ``choice`` describes and show it (asking about the unsaved
        changes of the report shown first); explain if that fails."""
        window = self.window
        title = _("Cannot create the report")
        if not self._free(choice.path, title) or not self._may_leave():
            return False
        try:
            write_new_report(choice)
        except StoreError as exc:
            QMessageBox.warning(window, title, str(exc))
            return False
        return self._show(choice.path)

    def _free(self, path: Path, title: str) -> bool:
        """Whether ``path`` may be written: not a report some window is editing."""
        if self.report_closed is False and same_file(path, self.window.report_path):
            QMessageBox.warning(self.window, title, _(
                "{path} is the report shown: choose another file").format(path=path))
            return False
        lock = ReportLock(Path(path).absolute())
        if lock.acquire():
            lock.release()
            return True
        if lock.cannot_write():
            return True  # check_output said where it cannot be written
        QMessageBox.warning(self.window, title, _("{path} is being edited by {holder}").format(
            path=path, holder=lock.holder()))
        return False

    # -- Import Text ---------------------------------------------------------------------------

    def choose_import(self) -> bool:
        """File → Import Text…: ask for a department's text file, then import it."""
        source = choose_text_file(self.window, self.folder())
        return self.import_text(source) if source is not None else False

    def import_dialog(self, source: Path) -> ImportTextDialog | None:
        """The preview of importing ``source``; None (and a message naming the file) when
        the file is no text."""
        window = self.window
        if self.report_closed:
            into, lang = None, ""
        else:
            into = _("the report is open read-only") if window.readonly else ""
            lang = window.store.report()["source_lang"]
        try:
            return ImportTextDialog(window, source, self.folder(), window.inputs, into, lang)
        except SourceError as exc:
            QMessageBox.warning(window, _("Cannot import {file}").format(file=Path(source).name),
                                str(exc))
            return None

    def import_text(self, source: Path) -> bool:
        """Show what importing ``source`` would make; on OK, import it as chosen."""
        dialog = self.import_dialog(source)
        if dialog is None or dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.import_chosen(dialog.choice())

    def import_chosen(self, choice: ImportChoice) -> bool:
        """Carry out an import the dialog gathered: a new report, or into the open one."""
        if choice.into:
            return import_into_open(self.window, choice)
        window = self.window
        title = _("Cannot import {file}").format(file=choice.source.name)
        if choice.path is None or not self._free(choice.path, title) or not self._may_leave():
            return False
        try:  # as `ipviewer import -o`: the same reading, year and writing
            parsed = parse_file(choice.source, choice.lang, choice.encoding)
            year = infer_year(parsed, choice.year)
            create_report(choice.path, parsed, choice.year, year.node_years,
                          window.glossary if parsed.lang == "zh" else None).close()
        except (SourceError, StoreError) as exc:
            QMessageBox.warning(window, title, str(exc))
            return False
        if not self._show(choice.path):
            return False
        window.statusBar().showMessage(_("{path}: imported from {source}").format(
            path=choice.path, source=choice.source), 8000)
        return True

    # -- Save As and Close ---------------------------------------------------------------------

    def choose_save_as(self) -> bool:
        """File → Save As…: ask for a new file, write the report there and edit it."""
        return choose_save_as(self.window)

    def save_as(self, target: Path, confirmed: bool = False) -> bool:
        """Write the report with its edits to ``target`` and edit that file from now on."""
        return save_as(self.window, target, confirmed)

    def close_report(self) -> bool:
        """File → Close: close the report (asking about unsaved changes). The last report
        window then shows the start screen instead of leaving nothing on the screen."""
        window = self.window
        if self.report_closed or not may_discard(window):
            return False
        others = [w for w in QApplication.topLevelWidgets()
                  if w is not window and isinstance(w, QMainWindow) and w.isVisible()]
        if not others and window.glossary_window is not None \
                and not window.glossary_window.close():
            return False  # the glossary's own unsaved changes: the user chose Cancel
        window.undo_stack.clear()  # saved or discarded: nothing more to ask
        if others:
            return window.close()
        window.issues_panel.cancel()  # never waits for the checks
        save_layout(window, window.splitter)
        window.opened.close()
        self.report_closed = True
        self.welcome = Welcome(self, None, report_shown=False, on_dismiss=window.close)
        self.welcome.show()
        window.hide()
        return True

    def choose_next_year(self) -> None:
        """Ask where to write next year's report, write it, and open it."""
        window = self.window
        suggested = self.folder() / f"report-{window.year + 1}.sqlite"
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
