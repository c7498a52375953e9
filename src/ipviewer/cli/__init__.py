"""The ``ipviewer`` command line (click). Qt is imported only when the window opens.

One module per group of commands, each importing only :mod:`.shared` and
:mod:`.help_text` from this package, so no module imports one that imports it back:

- :mod:`.report_commands`: ``import``, ``tree``, ``render``, ``bind``, ``export``,
  ``check``, ``sample``, ``new-year``;
- :mod:`.annual_commands`: ``to-update``, ``confirm``;
- :mod:`.indicator_commands`: ``indicators list|import|export``;
- :mod:`.terms_commands`: ``terms list|find|import|export|check``;
- :mod:`.compare_commands`: ``compare`` (two years of a report side by side);
- :mod:`.gui_command`: ``gui`` (also what ``ipviewer`` alone runs);
- :mod:`.shared`: :class:`BadInput`, the exit codes, the shared options and guards;
- :mod:`.help_text`: help pages translated when shown (see there why).

Exit codes: 0 done, 1 findings (``check`` found an error), 2 could not do it (a one-line
message naming the file, line or cell and what is wrong; never a traceback).
"""

from __future__ import annotations

import sys

import click

from .. import i18n
from ..i18n import N_
from ..terminal import visible_excepthook
from .annual_commands import COMMANDS as ANNUAL_COMMANDS
from .compare_commands import COMMANDS as COMPARE_COMMANDS
from .gui_command import gui
from .help_text import TranslatedGroup, TranslatedOption
from .indicator_commands import indicators
from .report_commands import COMMANDS as REPORT_COMMANDS
from .shared import (
    EXIT_BAD_INPUT,
    EXIT_DONE,
    EXIT_FINDINGS,
    INPUT_FILE,
    BadInput,
    catalog_option,
    encoding_option,
)
from .terms_commands import terms

__all__ = [
    "EXIT_BAD_INPUT", "EXIT_DONE", "EXIT_FINDINGS", "INPUT_FILE", "BadInput",
    "catalog_option", "cli", "encoding_option", "main",
]


@click.group(
    cls=TranslatedGroup, invoke_without_command=True,
    help=N_("ipviewer: edit bilingual intellectual-property white papers.\n\n"
            "With no command, opens the desktop window on the bundled sample report."),
)
# L10N: the help of "ipviewer --version"
@click.version_option(package_name="ipviewer", cls=TranslatedOption,
                      help=N_("Show the version and exit."))
@click.pass_context
def cli(ctx: click.Context) -> None:
    """ipviewer: edit bilingual intellectual-property white papers.

    With no command, opens the desktop window on the bundled sample report.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(gui)


for _command in (*REPORT_COMMANDS, *ANNUAL_COMMANDS, *COMPARE_COMMANDS, indicators, terms,
                 gui):
    cli.add_command(_command)


def main() -> None:
    """Console entry point: the command line speaks the system's language."""
    sys.excepthook = visible_excepthook  # a crash's message may quote stored text
    i18n.set_language(i18n.system_language())
    cli(prog_name="ipviewer")
