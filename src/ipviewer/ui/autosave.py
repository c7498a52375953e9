"""Autosave: the window saves a changed report every few minutes (Edit → Preferences…).

Every edit is already in the working copy (``store/edit_session.py``), so nothing is lost in a
crash either way; autosave also writes the edits into the report file, as File → Save does
(the same path: conflicts with another program are asked about). It waits while a dialog is
open or a save runs, never saves a read-only or unchanged report, and says in the status bar
when it saved.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject, QTime, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from .. import preferences
from ..i18n import _

#: How long the status bar shows that the report was saved (ms).
MESSAGE_MS = 8000


class Autosave(QObject):
    """Saves ``window`` (a main window with ``save()``, ``readonly``, ``undo_stack`` and
    ``store``) when it has unsaved changes, every ``minutes`` of the preferences."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setObjectName("autosaveTimer")
        self.timer.timeout.connect(self.save_now)
        self._saving = False
        self.saves = 0  #: how many times it saved (for the status and the tests)
        self.set_minutes(preferences.load().autosave_minutes)

    def set_minutes(self, minutes: int) -> None:
        """Save every ``minutes`` (0: never)."""
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def follow(self, chosen: preferences.Preferences) -> None:
        """New preferences were saved: take their interval."""
        self.set_minutes(chosen.autosave_minutes)

    def save_now(self) -> bool:
        """Save if there is something to save and nothing in the way; True when saved."""
        window = self.window
        if (self._saving or window.readonly or window.store.closed
                or window.undo_stack.isClean()
                or QApplication.activeModalWidget() is not None):
            return False  # the next tick tries again
        self._saving = True
        try:
            saved = window.save()
        finally:
            self._saving = False
        if saved:
            self.saves += 1
            when = QLocale().toString(QTime.currentTime(), QLocale.FormatType.ShortFormat)
            # L10N: status bar after an autosave; {time} is the time of day
            window.statusBar().showMessage(
                _("Autosaved {path} at {time}").format(path=window.report_path, time=when),
                MESSAGE_MS)
        return saved
