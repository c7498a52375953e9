"""File → Save without freezing the window and without overwriting another program's work.

The save runs in a thread of its own while a modal dialog keeps the window painted (and
lets the user stop waiting for a report another program is writing). When another program
changed the report file since it was opened, the user chooses: combine (their changes kept,
this window's edits re-applied on top) and save, save a copy, or cancel.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from ..i18n import _, ngettext
from ..safe_write import OutputError, check_output
from ..store import StoreError
from ..store.edit_session import EditSession, SaveConflict
from .opening import REPORT_FILTER
from .threads import run_in_thread

#: The user's answers to a conflict.
COMBINE, SAVE_COPY, CANCEL = "combine", "copy", "cancel"


class SaveWorker(QObject):
    """Runs :meth:`EditSession.save` off the UI thread."""

    finished = Signal()
    failed = Signal(object)  # the StoreError (a SaveConflict when the file was changed)

    def __init__(self, session: EditSession) -> None:
        super().__init__()
        self.session = session
        self._stop = threading.Event()

    def cancel(self) -> None:
        """Stop waiting for a busy report (a save already writing finishes)."""
        self._stop.set()

    @Slot()
    def run(self) -> None:
        try:
            self.session.save(self._stop.is_set)
        except StoreError as exc:
            self.failed.emit(exc)
            return
        except Exception as exc:  # noqa: BLE001 (never a traceback in a thread nobody watches)
            self.failed.emit(StoreError(_("{path}: not saved ({reason}); your edits are "
                                          "kept").format(path=self.session.original,
                                                         reason=exc)))
            return
        self.finished.emit()


class _Waiter(QObject):
    """Lives in the UI thread: receives the worker's signals (queued) and ends the wait."""

    def __init__(self, loop: QEventLoop, worker: SaveWorker) -> None:
        super().__init__()
        self.loop = loop
        self.worker = worker
        self.error: StoreError | None = None

    @Slot()
    def stop_waiting(self) -> None:
        """Called in the UI thread; the worker's thread is busy, so it is told directly."""
        self.worker.cancel()

    @Slot()
    def done(self) -> None:
        self.loop.quit()

    @Slot(object)
    def failed(self, error: StoreError) -> None:
        self.error = error
        self.loop.quit()


def run_save(parent: QWidget, session: EditSession) -> StoreError | None:
    """Save in a worker thread, the window responsive behind a modal "Saving…" dialog;
    returns the error (None when saved)."""
    loop = QEventLoop()
    worker = SaveWorker(session)
    waiter = _Waiter(loop, worker)
    worker.finished.connect(waiter.done)
    worker.failed.connect(waiter.failed)
    progress = QProgressDialog(_("Saving {file}…").format(file=session.original.name),
                               _("Stop Waiting"), 0, 0, parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.canceled.connect(waiter.stop_waiting)
    later = QTimer(progress)  # a save that takes a moment shows the dialog (a quick one never)
    later.setSingleShot(True)
    later.timeout.connect(progress.show)
    later.start(400)
    run_in_thread(parent, worker)
    loop.exec()
    later.stop()
    progress.reset()
    progress.hide()
    progress.deleteLater()
    return waiter.error


def ask_about_conflict(parent: QWidget, conflict: SaveConflict) -> str:
    """COMBINE, SAVE_COPY or CANCEL: what to do about another program's changes."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("The report was changed elsewhere"))
    box.setText(str(conflict))
    if conflict.can_combine:
        box.setInformativeText(_(
            "Combine keeps the other program's changes and applies your edits on top of "
            "them, then saves; where both changed the same thing, yours is kept and listed. "
            "Save a Copy writes your version to another file and leaves the report as the "
            "other program left it."))
        combine = box.addButton(_("Combine and Save"), QMessageBox.ButtonRole.AcceptRole)
    else:
        box.setInformativeText(_(
            "It is no longer the report you opened, so your edits cannot be combined with "
            "it. Save a Copy writes your version to another file.") if conflict.replaced
            else _("Your edits cannot be combined with it. Save a Copy writes your version to "
                   "another file; then compare the two."))
        combine = None
    copy = box.addButton(_("Save a Copy…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(combine or copy)
    box.exec()
    clicked = box.clickedButton()
    return COMBINE if clicked is combine and combine is not None else (
        SAVE_COPY if clicked is copy else CANCEL)


def choose_copy_path(parent: QWidget, original: Path) -> Path | None:
    """Where to save a copy (the file dialog asks before replacing a file)."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, _("Save a Copy"), str(original.with_name(f"{original.stem}-mine.sqlite")),
        _(REPORT_FILTER))
    return Path(name) if name else None


def save_report(window: QMainWindow, session: EditSession, reload: Callable[[], None]) -> bool:
    """Save the report ``session`` edits; True when the report file now holds its edits.
    ``reload`` shows the report again after another program's changes were combined in."""
    conflicts: list[str] = []
    while True:
        error = run_save(window, session)
        if error is None:
            if conflicts:
                show_merge_conflicts(window, conflicts)
            return True
        if not isinstance(error, SaveConflict):
            QMessageBox.warning(window, _("Cannot save the report"), str(error))
            return False
        answer = ask_about_conflict(window, error)
        if answer == SAVE_COPY:
            _save_copy(window, session)
            return False
        if answer != COMBINE:
            return False
        try:
            result = session.combine()
        except StoreError as exc:
            QMessageBox.warning(window, _("Cannot combine the changes"), str(exc))
            return False
        reload()
        conflicts += result.conflicts
        # and save again: the base is now the file as the other program left it


def show_merge_conflicts(parent: QWidget, conflicts: list[str]) -> None:
    """After a combined save: where both changed the same thing and this window's edit won."""
    text = ngettext("In {count} place both you and the other program changed the same thing; "
                    "your version was kept:",
                    "In {count} places both you and the other program changed the same thing; "
                    "your version was kept:", len(conflicts)).format(count=len(conflicts))
    shown = "\n".join(f"• {line}" for line in conflicts[:30])
    if len(conflicts) > 30:
        shown += "\n" + _("… and {count} more").format(count=len(conflicts) - 30)
    QMessageBox.information(parent, _("Changes combined"), f"{text}\n\n{shown}")


def _save_copy(window: QMainWindow, session: EditSession) -> None:
    target = choose_copy_path(window, session.original)
    if target is None:
        return
    try:
        check_output(target, [session.original, session.working, session.base], replace=True)
        session.save_copy(target)
    except (OutputError, StoreError) as exc:
        QMessageBox.warning(window, _("Cannot save a copy"), str(exc))
        return
    window.statusBar().showMessage(_(
        "Your version was saved as {copy}; {path} keeps the other program's changes").format(
        copy=target, path=session.original))


def may_discard(window: QMainWindow) -> bool:
    """Ask about the window's unsaved changes (Save, Discard, Cancel); False when the user
    wants to keep working. The window gives ``commit_editors()``, ``undo_stack``,
    ``report_path`` and ``save()``."""
    window.commit_editors()
    if window.undo_stack.isClean():
        return True
    answer = QMessageBox.question(
        window, _("Unsaved changes"),
        _("Save the changes to {file}?").format(file=window.report_path.name),
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel)
    if answer == QMessageBox.StandardButton.Save:
        return window.save()
    return answer == QMessageBox.StandardButton.Discard
