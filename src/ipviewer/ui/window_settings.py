"""What the main window remembers between runs (in QSettings): its layout, and the reports
opened lately (File → Open Recent)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QMargins, QObject, QRect, QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QMenu, QSplitter, QWidget

from ..i18n import _

#: How many reports File → Open Recent lists.
RECENT_COUNT = 8
RECENT_KEY = "recentFiles"


def save_layout(window: QMainWindow, splitter: QSplitter) -> None:
    """Remember the window's size, docks, toolbar and the main splitter."""
    settings = QSettings()
    settings.setValue("mainWindow/geometry", window.saveGeometry())
    settings.setValue("mainWindow/state", window.saveState())
    settings.setValue("mainWindow/splitter", splitter.saveState())


def restore_layout(window: QMainWindow, splitter: QSplitter) -> None:
    """Lay the window out as it was (what was never saved, or is damaged, stays as built),
    then bring it inside the screen it is on: a layout saved on a bigger screen, or a
    second screen since unplugged, would open partly out of sight."""
    settings = QSettings()
    for key, restore in (("mainWindow/geometry", window.restoreGeometry),
                         ("mainWindow/state", window.restoreState),
                         ("mainWindow/splitter", splitter.restoreState)):
        value = settings.value(key)
        if isinstance(value, QByteArray | bytes):
            restore(value)
    keep_on_screen(window)
    _FitWhenShown(window)  # its frame is known once shown: fitted again then


class _FitWhenShown(QObject):
    """Fits its window into the screen when it is first shown, then goes."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Show:
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self, self._fit)  # not at all if the window is gone
        return False

    def _fit(self) -> None:
        keep_on_screen(self._window)
        self.deleteLater()


def available_geometry(window: QWidget) -> QRect | None:
    """The part of the window's screen that windows may use (no task bar, no dock)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def keep_on_screen(window: QWidget) -> None:
    """Fit the window (its frame as last shown, else its size) into its screen."""
    room = available_geometry(window)
    if room is None or room.isEmpty():
        return
    frame = window.frameGeometry()
    margins = QMargins(window.geometry().left() - frame.left(),
                       window.geometry().top() - frame.top(),
                       frame.right() - window.geometry().right(),
                       frame.bottom() - window.geometry().bottom())
    fitted = fit_to_screen(frame, room)
    if fitted != frame:
        window.setGeometry(fitted.marginsRemoved(margins))


def fit_to_screen(rect: QRect, room: QRect) -> QRect:
    """``rect`` no larger than ``room`` and moved (as little as it must) inside it."""
    width, height = min(rect.width(), room.width()), min(rect.height(), room.height())
    left = min(max(rect.left(), room.left()), room.left() + room.width() - width)
    top = min(max(rect.top(), room.top()), room.top() + room.height() - height)
    return QRect(left, top, width, height)


class RecentFiles:
    """The reports opened lately, newest first, and the menu that lists them."""

    def __init__(self, open_report: Callable[[Path], object]) -> None:
        self._open = open_report

    @staticmethod
    def paths() -> list[Path]:
        """Reports opened lately, newest first."""
        value = QSettings().value(RECENT_KEY, [])
        paths = [value] if isinstance(value, str) else list(value or [])
        return [Path(p) for p in paths]

    def remember(self, path: Path) -> None:
        """Put ``path`` first (once), keeping the newest :data:`RECENT_COUNT`."""
        paths = [str(path)] + [str(p) for p in self.paths() if p != path]
        QSettings().setValue(RECENT_KEY, paths[:RECENT_COUNT])

    def attach(self, menu: QMenu) -> None:
        """Fill ``menu`` with the recent reports each time it opens."""
        menu.aboutToShow.connect(lambda: self.fill(menu))

    def fill(self, menu: QMenu) -> None:
        """List the recent reports (one that is gone is shown, disabled)."""
        menu.clear()
        for number, path in enumerate(self.paths(), 1):
            # &1 … &8, then &9 for the last one: each reachable by its key
            shown = str(path).replace("&", "&&")
            action = menu.addAction(f"&{min(number, 9)} {shown}")
            action.setEnabled(path.exists())
            action.triggered.connect(lambda _checked=False, p=path: self._open(p))
        if menu.isEmpty():
            menu.addAction(_("No recent reports")).setEnabled(False)
