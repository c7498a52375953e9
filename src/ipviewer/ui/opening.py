"""Opening a report for editing: the lock that keeps a second window from writing it, the
offer to recover unsaved edits after a crash, and the working copy edits go to."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLockFile, QStandardPaths
from PySide6.QtWidgets import QMessageBox, QWidget

from ..i18n import N_, _
from ..store import ReportStore
from ..store.edit_session import EditSession

#: The file dialogs' filter for report files (translated when shown).
REPORT_FILTER = N_("ipviewer reports (*.sqlite *.db);;All files (*)")


def data_folder() -> Path:
    """The user's data folder for ipviewer (the sample's own copy, working copies)."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def recovery_folder() -> Path:
    """Where working copies of open reports are kept until saved or discarded."""
    return data_folder() / "recovery"


class ReportLock:
    """``REPORT.lock`` beside the report while one ipviewer window edits it.

    A lock left by a process that no longer runs (a crash) is taken over; one held by a
    running ipviewer is not, whatever its age.
    """

    def __init__(self, report: Path) -> None:
        self.path = report.with_name(report.name + ".lock")
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone

    def acquire(self) -> bool:
        """Take the lock if nobody holds it."""
        return self._lock.tryLock(0)

    def cannot_write(self) -> bool:
        """The lock failed because the folder cannot be written (not because it is held)."""
        return self._lock.error() != QLockFile.LockError.LockFailedError

    def holder(self) -> str:
        """Who holds the lock, for the message: 'process 123 on host'."""
        info = self._lock.getLockInfo()
        if isinstance(info, tuple) and len(info) == 4:  # older bindings: (ok, pid, host, app)
            info = info[1:]
        if isinstance(info, tuple) and len(info) == 3 and info[0]:
            # L10N: who holds a report open: process number and computer name
            return _("process {pid} on {host}").format(pid=info[0], host=info[1])
        return _("another ipviewer window")

    def release(self) -> None:
        """Let others edit the report."""
        self._lock.unlock()


@dataclass
class OpenedReport:
    """A report ready for a window: editable (``session`` and ``lock``) or read-only."""

    store: ReportStore
    path: Path
    session: EditSession | None = None
    lock: ReportLock | None = None
    #: Why the report is read-only, when it is ('' when editable).
    readonly_reason: str = ""

    def close(self, keep_working_copy: bool = False) -> None:
        """Close the report: remove the working copy (unless kept) and release the lock."""
        if self.session is not None:
            if keep_working_copy:
                self.session.abandon()
            else:
                self.session.close()
        elif not self.store.closed:
            self.store.close()
        if self.lock is not None:
            self.lock.release()


def open_report(path: Path, recovery_folder: Path, parent: QWidget | None = None,
                readonly: bool = False) -> OpenedReport | None:
    """Open ``path`` for editing, asking what to do when another window has it or when
    unsaved edits were left by a crash; None when the user cancels.

    Raises ``StoreError`` for a file that cannot be opened at all.
    """
    path = Path(path).absolute()
    if readonly:
        return _read_only(path, _("opened read-only"))
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    if path.exists() and not writable:
        return _read_only(path, _("the file or its folder cannot be written"))
    lock = ReportLock(path)
    if not lock.acquire():
        if lock.cannot_write():
            return _read_only(path, _("the file or its folder cannot be written"))
        answer = QMessageBox.question(
            parent, _("Report in use"),
            _("{path} is being edited by {holder}.\n\nOpen it read-only?").format(
                path=path, holder=lock.holder()),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Open:
            return None
        return _read_only(path, _("in use by {holder}").format(holder=lock.holder()))
    try:
        recover = False
        found = EditSession.find_recovery(path, recovery_folder)
        if found is not None:
            when = datetime.fromtimestamp(found.edited).strftime("%Y-%m-%d %H:%M:%S")
            text = _("Unsaved changes to {path} from {time} were kept when ipviewer stopped "
                     "unexpectedly.\n\nRecover them?").format(path=path.name, time=when)
            if found.original_changed:
                text += "\n\n" + _("The report file has been changed since then; recovering "
                                   "replaces those changes when you save.")
            answer = QMessageBox.question(
                parent, _("Recover unsaved changes"), text,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel:
                lock.release()
                return None
            recover = answer == QMessageBox.StandardButton.Yes
        session = EditSession.open(path, recovery_folder, recover=recover)
    except BaseException:
        lock.release()
        raise
    return OpenedReport(session.store, path, session, lock)


def _read_only(path: Path, reason: str) -> OpenedReport:
    return OpenedReport(ReportStore.open_for_viewing(path), path, readonly_reason=reason)
