"""Starting the desktop application: QApplication, the report to show, the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from .. import __version__
from ..i18n import _
from ..safe_write import replacing, sweep_leftovers
from ..store import StoreError
from ..terms.catalog import CatalogError
from ..terms.glossary import Glossary
from ..terms.user_copy import ensure_user_glossary
from .collector import install as install_collector
from .language import apply_language, saved_language
from .main_window import MainWindow
from .opening import data_folder, open_report, recovery_folder
from .welcome import Welcome, first_start, welcome_allowed


def make_application() -> QApplication:
    """The one QApplication, with the names QSettings and QStandardPaths use; Python's
    cycle collector runs in its GUI thread only (:mod:`.collector`)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_collector(app)
    app.setOrganizationName("ipviewer")
    app.setApplicationName("ipviewer")
    app.setApplicationVersion(__version__)
    return app


def load_glossary() -> tuple[Glossary | None, str]:
    """The user's glossary (copied from the shipped one on first use), or why there is none."""
    try:
        return Glossary.load(ensure_user_glossary(data_folder())), ""
    except (OSError, CatalogError) as exc:
        return None, str(exc)


def open_window(report: Path | None, readonly: bool = False) -> MainWindow | None:
    """A main window on ``report``, or on the user's copy of the bundled sample; None when
    the user chose not to open it (in use elsewhere). Raises ``StoreError``."""
    for folder in (data_folder(), recovery_folder()):  # what a killed ipviewer left
        sweep_leftovers(folder)
    if report is None:
        from ..sample import ensure_sample  # the importer, only to build the sample's copy

        report = ensure_sample(data_folder())
    sweep_leftovers(Path(report).absolute().parent)
    path = report
    opened = open_report(path, recovery_folder(), readonly=readonly)
    if opened is None:
        return None
    glossary, problem = load_glossary()
    window = MainWindow(opened, glossary)
    if problem:
        window.glossary_problem = problem
        window.statusBar().showMessage(_("Glossary not loaded: {reason}").format(reason=problem))
    return window


def run(report: Path | None = None, screenshot: Path | None = None) -> int:
    """Run the application; with ``screenshot``, render the window to a PNG and exit."""
    if screenshot is not None and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen needed for a picture
    app = make_application()
    apply_language(saved_language(), remember=False)
    # the start screen: on a first start, over the sample (never for a named report or a picture)
    welcome = report is None and screenshot is None and welcome_allowed() and first_start()
    try:
        window = open_window(report, readonly=screenshot is not None)
    except StoreError as exc:
        if screenshot is not None:
            print(_("Error: {message}").format(message=exc), file=sys.stderr)
            return 2
        QMessageBox.critical(None, _("Cannot open report"), str(exc))
        return 2
    if window is None:
        return 1
    window.show()
    if welcome:
        window.files.welcome = Welcome(window.files, window)
        window.files.welcome.show()
    if screenshot is not None:
        window.issues_panel.wait()  # show what the checks found
        app.processEvents()
        try:
            with replacing(screenshot) as tmp:
                if not window.grab().save(str(tmp), "PNG"):
                    raise OSError(_("cannot write the screenshot"))
        except OSError as exc:
            print(_("Error: {path}: {reason}").format(path=screenshot,
                                                      reason=exc.strerror or exc),
                  file=sys.stderr)
            return 2
        window.close()
        return 0
    return app.exec()


def main() -> None:
    """GUI entry point (``ipviewer-gui``)."""
    report = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    sys.exit(run(report))
