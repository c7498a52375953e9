"""What the main window remembers between runs (in QSettings): its layout, and the reports
opened lately (File → Open Recent)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QMenu, QSplitter

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
    """Lay the window out as it was (what was never saved, or is damaged, stays as built)."""
    settings = QSettings()
    for key, restore in (("mainWindow/geometry", window.restoreGeometry),
                         ("mainWindow/state", window.restoreState),
                         ("mainWindow/splitter", splitter.restoreState)):
        value = settings.value(key)
        if isinstance(value, QByteArray | bytes):
            restore(value)


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
        for path in self.paths():
            action = menu.addAction(str(path))
            action.setEnabled(path.exists())
            action.triggered.connect(lambda _checked=False, p=path: self._open(p))
        if menu.isEmpty():
            menu.addAction(_("No recent reports")).setEnabled(False)
