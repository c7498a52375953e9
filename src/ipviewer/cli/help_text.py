"""Help pages in the language in use when they are shown, not when the code was imported.

Every ``help=`` of a command or an option is written as ``N_("English text")`` (the
message id) and translated by ``_`` each time click reads it, through the ``help``
property of :class:`TranslatedHelp`. No import order can therefore freeze a help text in
English: that is how ``ipviewer terms --help`` used to stay English under a Chinese locale
(``cli.py`` imported ``terms_cli.py``, whose help texts were translated at import time,
before ``cli.py`` had chosen the language).

The few words click writes itself around our texts (``Usage:``, the ``Options`` and
``Commands`` headings, the ``--help`` option, ``[default: …]``, ``[required]``) are
translated here too, so a Chinese help page shows no English. Use :func:`command`,
:func:`option` and the group classes below instead of click's own.
"""

from __future__ import annotations

import functools
import re

import click
from click_default_group import DefaultGroup

from ..i18n import N_, _, pgettext
from ..terminal import VisibleOutputGroup, display_width

#: The help of click's own ``--help`` option.
# L10N: the help of the --help option of every command
HELP_OPTION_TEXT = N_("Show this message and exit.")
#: The notes click appends to an option's help: ``  [default: table]``, ``  [required]``.
_NOTES = re.compile(r"  \[(?P<notes>[^\[\]]*)\]\Z")


class TranslatedHelp:
    """Mixin: ``help`` is stored as the English message id and read translated."""

    _help_id: str | None = None

    @property
    def help(self) -> str | None:
        return _(self._help_id) if self._help_id else self._help_id

    @help.setter
    def help(self, value: str | None) -> None:
        self._help_id = value


class TranslatedFormatter(click.HelpFormatter):
    """click's help formatter, with click's own headings and ``Usage:`` translated."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            # L10N: starts the usage line of a help page: "Usage: ipviewer tree [OPTIONS] REPORT"
            prefix = pgettext("help page", "Usage:") + " "
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_heading(heading))


def _heading(heading: str) -> str:
    """A heading click writes (in its English) in the language in use."""
    if heading == "Options":
        # L10N: a heading of a command's help page (--help), as in "Options:"
        return pgettext("help page", "Options")
    if heading == "Commands":
        # L10N: a heading of a command's help page (--help), as in "Commands:"
        return pgettext("help page", "Commands")
    if heading == "Positional arguments":
        # L10N: a heading of a command's help page (--help)
        return pgettext("help page", "Positional arguments")
    return heading


class TranslatedContext(click.Context):
    """A context whose help pages are written by :class:`TranslatedFormatter`."""

    formatter_class = TranslatedFormatter


class TranslatedOption(TranslatedHelp, click.Option):
    """An option whose help, and the notes click adds to it, are translated when shown."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None:
            return None
        spec, text = record
        return spec, _NOTES.sub(lambda m: "  [" + _translate_notes(m["notes"]) + "]", text)


def _translate_notes(notes: str) -> str:
    """``default: table; required`` (click's English) in the language in use."""
    translated = []
    for note in notes.split("; "):
        if note == "required":
            # L10N: after an option's help: the option must be given
            note = pgettext("help page", "required")
        elif note.startswith("default: "):
            # L10N: after an option's help: the value used when the option is not given
            note = pgettext("help page", "default: {default}").format(
                default=note.removeprefix("default: "))
        translated.append(note)
    return "; ".join(translated)


class TranslatedCommandMixin(TranslatedHelp):
    """Mixin for commands and groups: translated help, headings and ``--help``."""

    context_class = TranslatedContext

    def get_short_help_str(self, limit: int = 45) -> str:
        """click's short help, which cuts at spaces; Chinese has none, so a help in
        Chinese is cut after its first sentence, to ``limit`` columns."""
        text = self.help or ""
        if self.short_help or not any(display_width(char) == 2 for char in text):
            return super().get_short_help_str(limit)  # type: ignore[misc]
        first = text.split("。")[0] + "。" if "。" in text else text
        if display_width(first) <= limit:
            return first
        while first and display_width(first) > limit - 3:
            first = first[:-1]
        return first.rstrip() + "..."

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _(HELP_OPTION_TEXT)  # asked for each time help is written
        return option


class TranslatedCommand(TranslatedCommandMixin, click.Command):
    """A command whose help is translated when shown."""


class TranslatedGroup(TranslatedCommandMixin, VisibleOutputGroup):
    """A group that prints visibly (see ``terminal``), with translated help; its
    ``@group.command`` commands are translated too."""

    command_class = TranslatedCommand


class TranslatedDefaultGroup(TranslatedCommandMixin, DefaultGroup):
    """A group with a default command (``ipviewer indicators REPORT`` lists), translated."""

    command_class = TranslatedCommand


#: ``@command(...)``: a top-level command with translated help.
command = functools.partial(click.command, cls=TranslatedCommand)
#: ``@option(...)``: an option with translated help.
option = functools.partial(click.option, cls=TranslatedOption)
