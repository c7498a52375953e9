"""File → Save As…: the report, with the unsaved edits of its working copy, written to a new
file, which the window then edits (its own working copy, recovery and lock).

The old report file keeps what it had on disk: its working copy is closed and removed and
its lock released only once the new file is written and opened. The copy is a new report
(a file id of its own), built whole under a temporary name before it appears
(``ReportStore.building`` through ``EditSession.save_copy``).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from ..i18n import _
from ..safe_write import OutputError, check_output
from ..store import ReportStore, StoreError
from ..store.edit_session import EditSession
from .opening import REPORT_FILTER, OpenedReport, ReportLock, recovery_folder


def choose_save_as(window: QMainWindow) -> bool:
    """Ask where to save the report (the file dialog asks before replacing), then save."""
    suggested = window.report_path.with_name(f"{window.report_path.stem}-copy.sqlite")
    name, _filter = QFileDialog.getSaveFileName(window, _("Save Report As"), str(suggested),
                                                _(REPORT_FILTER))
    return save_as(window, Path(name), confirmed=True) if name else False


def save_as(window: QMainWindow, target: Path, confirmed: bool = False) -> bool:
    """Write the report shown, edits and all, to ``target`` and edit that file from now on;
    True when done. Never one of the window's own files; an existing file only when the
    user agrees (``confirmed``: a file dialog asked already). Explains any failure."""
    window.commit_editors()
    window._seal_typing()
    target = Path(target).expanduser().absolute()
    title = _("Cannot save the report as {file}").format(file=target.name)
    exists = target.exists()
    try:
        check_output(target, window.inputs(), replace=True)
    except OutputError as exc:
        QMessageBox.warning(window, title, str(exc))
        return False
    if exists and not confirmed:
        answer = QMessageBox.question(
            window, _("Replace the file?"),
            _("{path} already exists. Replace it with this report?").format(path=target),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
    lock = ReportLock(target)
    if not lock.acquire():
        reason = (_("{path}: its folder cannot be written").format(path=target)
                  if lock.cannot_write() else
                  _("{path} is being edited by {holder}").format(path=target,
                                                                holder=lock.holder()))
        QMessageBox.warning(window, title, reason)
        return False
    try:
        write_copy(window.opened, target)
        session = EditSession.open(target, recovery_folder())
    except StoreError as exc:
        lock.release()
        QMessageBox.warning(window, title, str(exc))
        return False
    old = window.opened
    window.issues_panel.cancel()  # the checks of the old file: never waited for
    window.show_report(OpenedReport(session.store, target, session, lock))
    old.close()  # its working copy goes: the old file stays as it was last saved
    window.statusBar().showMessage(_("Saved as {path}; {old} is as it was last saved").format(
        path=target, old=old.path.name), 8000)
    return True


def write_copy(opened: OpenedReport, target: Path) -> None:
    """The report ``opened`` holds (the working copy's edits included) as a new report file
    at ``target``. Raises ``StoreError``."""
    if opened.session is not None:
        opened.session.save_copy(target)
        return
    with ReportStore.building(target, copy_of=opened.store) as copy, copy.transaction() as db:
        db.execute("UPDATE report SET file_id = ?", [uuid.uuid4().hex])
