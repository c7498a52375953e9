"""The start screen: what a first start (and File → Close of the last report) offers —
the sample, a new report, an imported text, a report file, the reports opened lately.

It shows over the sample's window on the first start (no recent reports in the settings),
and alone after File → Close; never when a report is named on the command line, for a
screenshot, or when ``IPVIEWER_NO_WELCOME`` is set or the settings say not to (tests). Its
jobs are the window's (:class:`~.report_files.ReportFiles`): each returns True once a report
is shown, and then the welcome closes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..i18n import _
from .language import LanguageAware
from .window_settings import RecentFiles

#: Set (to anything but "" or "0") to never show the welcome (tests, scripted runs).
NO_WELCOME_ENV = "IPVIEWER_NO_WELCOME"
#: QSettings key: false to never show the welcome.
SETTINGS_KEY = "ui/showWelcome"


class WelcomeJobs(Protocol):
    """What the welcome asks of its window's report files (each True once a report shows)."""

    def new_report(self) -> bool: ...

    def choose_import(self) -> bool: ...

    def choose_report(self) -> bool: ...

    def open_report(self, path: Path) -> bool: ...

    def open_sample(self) -> bool: ...


def welcome_allowed() -> bool:
    """Whether the welcome may show at all (not switched off for tests or scripts)."""
    if os.environ.get(NO_WELCOME_ENV, "") not in ("", "0"):
        return False
    return QSettings().value(SETTINGS_KEY, True, type=bool)


def first_start() -> bool:
    """A first start: no report was opened before (none in the recent list)."""
    return not RecentFiles.paths()


class Welcome(LanguageAware, QDialog):
    """The start screen. ``report_shown``: a report's window is behind it (the first
    start: "Explore the sample" just closes it); otherwise it stands alone (after Close)
    and ``on_dismiss`` runs when it is closed without opening anything."""

    def __init__(self, jobs: WelcomeJobs, parent: QWidget | None = None,
                 report_shown: bool = True,
                 on_dismiss: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self._built = False  # no translateUI() before every part is made
        self.jobs = jobs
        self.report_shown = report_shown
        self._on_dismiss = on_dismiss
        self.opened = False
        self.heading = QLabel()
        self.heading.setObjectName("welcomeHeading")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.sample = QPushButton()
        self.sample.setDefault(True)
        self.sample.clicked.connect(self._sample)
        self.new = QPushButton()
        self.new.clicked.connect(lambda: self._run(self.jobs.new_report))
        self.import_text = QPushButton()
        self.import_text.clicked.connect(lambda: self._run(self.jobs.choose_import))
        self.open_file = QPushButton()
        self.open_file.clicked.connect(lambda: self._run(self.jobs.choose_report))
        self.recent_label = QLabel()
        self.recent = QListWidget()
        self.recent.setObjectName("welcomeRecent")
        self.recent.itemActivated.connect(self._recent_chosen)
        self.recent_label.setBuddy(self.recent)

        buttons = QVBoxLayout()
        for button in (self.sample, self.new, self.import_text, self.open_file):
            button.setMinimumHeight(34)
            buttons.addWidget(button)
        buttons.addStretch(1)
        recent = QVBoxLayout()
        recent.addWidget(self.recent_label)
        recent.addWidget(self.recent, 1)
        body = QHBoxLayout()
        body.addLayout(buttons, 2)
        body.addLayout(recent, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(body, 1)
        self._built = True
        self.fill_recent()
        self.translateUI()
        self.resize(640, 380)

    def may_translate(self) -> bool:
        return self._built

    def translateUI(self) -> None:
        self.setWindowTitle(_("Welcome to ipviewer"))
        self.heading.setText("<h2>{}</h2>".format(_("Welcome to ipviewer")))
        self.intro.setText(_("An editor for the bilingual white paper on intellectual "
                             "property: its parts and sections in a tree, the figures in "
                             "tables bound to the text in English and Chinese, checks "
                             "before publishing, and a print-ready PDF."))
        self.sample.setText(_("&Explore the Sample") if self.report_shown
                            else _("Open the &Sample"))
        self.sample.setToolTip(_("The 2024 white paper in both languages, every figure "
                                 "bound: a safe place to try everything."))
        self.new.setText(_("&New Report…"))
        self.import_text.setText(_("&Import a Text…"))
        self.open_file.setText(_("&Open…"))
        self.recent_label.setText(_("&Recent reports:"))
        if self.recent.count() == 1 and not self.recent.item(0).data(Qt.ItemDataRole.UserRole):
            self.recent.item(0).setText(_("No recent reports"))

    def fill_recent(self) -> None:
        """List the reports opened lately (a file that is gone is shown, not chosen)."""
        self.recent.clear()
        for path in RecentFiles.paths():
            item = QListWidgetItem(f"{path.name} — {path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            if not path.exists():
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.recent.addItem(item)
        if not self.recent.count():
            item = QListWidgetItem(_("No recent reports"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(item)

    # -- the jobs -----------------------------------------------------------------------------

    def _run(self, job: Callable[[], bool]) -> bool:
        """Do a job; close when a report is shown (a cancelled job leaves the welcome)."""
        if not job():
            return False
        self.opened = True
        self.accept()
        return True

    def _sample(self) -> None:
        if self.report_shown:
            self.opened = True
            self.accept()
        else:
            self._run(self.jobs.open_sample)

    def _recent_chosen(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self._run(lambda: self.jobs.open_report(Path(path)))

    def done(self, result: int) -> None:
        super().done(result)
        if not self.opened and self._on_dismiss is not None:
            self._on_dismiss()
