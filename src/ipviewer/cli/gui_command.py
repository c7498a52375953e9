"""``ipviewer gui``: open the desktop window. Qt is imported only when the window opens."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..i18n import N_, _
from .help_text import command, option
from .shared import BadInput, open_report, refuse_output


@command(help=N_("Open the desktop window (on REPORT, or on the bundled sample)."))
@click.argument("report", required=False, type=click.Path(path_type=Path))
@option("--screenshot", type=click.Path(path_type=Path),
        help=N_("Render the main window to this PNG file and exit."))
@option("--force", is_flag=True, help=N_("Replace the screenshot file if it exists."))
def gui(report: Path | None, screenshot: Path | None, force: bool) -> None:
    """Open the desktop window (on REPORT, or on the bundled sample)."""
    if report is not None:
        open_report(report).close()  # bad input is reported here, before Qt starts
    if screenshot is not None:
        refuse_output(screenshot, report, force=force)
    if screenshot is None and not has_display():
        raise BadInput(_("no display to open a window on (DISPLAY and WAYLAND_DISPLAY are not "
                         "set); run ipviewer on a desktop, or use --screenshot FILE.png"))
    from ..ui.app import run  # Qt is loaded only now

    sys.exit(run(report, screenshot))


def has_display() -> bool:
    """Whether a window can be shown (always on Windows and macOS; X11/Wayland on Linux)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
