"""What the commands share: the bad-input error and exit codes, the options several
commands take, the guards on output files, opening a report, finding the glossary.

Exit codes: :data:`EXIT_DONE` (0), :data:`EXIT_FINDINGS` (1: ``check`` found an error,
``terms import`` left conflicts …), :data:`EXIT_BAD_INPUT` (2: could not do it; a one-line
message naming the file, line or cell and what is wrong; never a traceback).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ..i18n import N_, _
from ..model import FIRST_YEAR, LAST_YEAR
from ..safe_write import OutputError, check_output, same_file
from ..store import ReportStore, StoreError
from .help_text import option

if TYPE_CHECKING:
    from ..terms import Glossary

EXIT_DONE = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def exit_with_findings() -> NoReturn:
    """End the command with :data:`EXIT_FINDINGS` (what it printed stands)."""
    click.get_current_context().exit(EXIT_FINDINGS)


class BadInput(click.ClickException):
    """A user mistake: reported in one line, exit code :data:`EXIT_BAD_INPUT`."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file: Any = None) -> None:
        """``Error: …`` on standard error, with ``Error:`` in the language in use."""
        # L10N: a command could not do what was asked; {message} says why
        click.echo(_("Error: {message}").format(message=self.format_message()), file=file,
                   err=True, color=getattr(self, "show_color", None))


#: Report years ipviewer accepts (a typo such as 20244 or -5 is refused, not stored).
YEARS = click.IntRange(FIRST_YEAR, LAST_YEAR)

#: The click type of a file the user gives us to read. Click does not check it: our reader
#: (:mod:`ipviewer.input_files`) says in one line what is wrong (click's usage errors take
#: several lines); folders, unreadable files, pipes … are all refused there.
INPUT_FILE = click.Path(path_type=Path, readable=False)


def catalog_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--catalog PATH`` option of the commands that use the glossary."""
    return option(
        "--catalog", type=INPUT_FILE,
        help=N_("The glossary catalog (.po) to use instead of the bundled one."))(command)


def _check_encoding(_ctx: click.Context, _param: click.Parameter,
                    value: str | None) -> str | None:
    from ..text_decoding import DecodeError, check_encoding

    if value is None:
        return None
    try:
        return check_encoding(value)
    except DecodeError as exc:
        raise BadInput(_("--encoding: {reason}").format(reason=exc.reason)) from exc


def encoding_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--encoding NAME`` option of the commands that read CSV or plain text: the
    codec to decode with instead of deciding it from the bytes (an unknown name: exit 2)."""
    return option(
        "--encoding", metavar="NAME", callback=_check_encoding,
        help=N_("The text encoding of the file (utf-8, gb18030, big5, utf-16, cp1252 …), "
                "when it cannot be recognised."))(command)


def warn(message: object) -> None:
    """A warning on standard error: ``warning: …``."""
    click.echo(_("warning: {message}").format(message=message), err=True)


def refuse_output(path: Path, *inputs: Path | None, force: bool = False) -> None:
    """Refuse ``path`` as the output before any work: one of ``inputs``, a folder, an
    existing file without ``--force``, a read-only file (see ``safe_write.check_output``)."""
    try:
        check_output(path, inputs, replace=force)
    except OutputError as exc:
        raise BadInput(str(exc)) from exc


def refuse_same_file(source: Path, target: Path, message: str) -> None:
    """Refuse reading ``source`` into ``target`` when they are the same file; ``message``
    (translated) has a ``{path}`` placeholder for ``source``."""
    if source.exists() and target.exists() and same_file(source, target):
        raise BadInput(message.format(path=source))


def refuse_the_report(source: Path, report: Path) -> None:
    """Refuse reading ``source`` into ``report`` when they are the same file."""
    refuse_same_file(source, report, _("{path}: is the report itself; give the file to read"))


def open_report(path: Path) -> ReportStore:
    """A report opened read-only (bad input when it cannot be)."""
    try:
        return ReportStore.open(path, readonly=True)
    except StoreError as exc:
        raise BadInput(str(exc)) from exc


def open_sound_report(path: Path) -> ReportStore:
    """A report opened read-only whose cells can all be used (see ``store.integrity``)."""
    store = open_report(path)
    try:
        store.require_sound()
    except StoreError as exc:
        store.close()
        raise BadInput(str(exc)) from exc
    return store


def open_for_writing(path: Path) -> ReportStore:
    """A report opened to be changed (bad input when it cannot be)."""
    try:
        return ReportStore.open(path)
    except StoreError as exc:
        raise BadInput(str(exc)) from exc


def default_catalog() -> Path | None:
    """The bundled terminology catalog, when it is a real file."""
    from ..i18n import catalog_path

    try:
        path = catalog_path("zh_CN", "terminology")
    except (ModuleNotFoundError, OSError):
        return None
    if isinstance(path, os.PathLike) and Path(path).is_file():
        return Path(path)
    return None


def catalog_file(catalog: Path | None) -> Path:
    """The glossary catalog to use: ``catalog`` (``--catalog``), else the bundled one."""
    if catalog is not None:
        return catalog
    found = default_catalog()
    if found is None:
        raise BadInput(_(
            "no terminology catalog found (translations/zh_CN/LC_MESSAGES/terminology.po); "
            "give one with --catalog PATH"))
    return found


def load_glossary(path: Path) -> Glossary:
    """The glossary in ``path``; a catalog that cannot be read is bad input."""
    from ..terms import CatalogError, Glossary

    try:
        return Glossary.load(path)
    except CatalogError as exc:
        # L10N: {error} is "file:line: what is wrong"; {path} is the catalog file
        raise BadInput(_("{error} (see: ipviewer terms check {path})").format(
            error=exc, path=path)) from exc


def shipped_glossary() -> Glossary | None:
    """The bundled glossary, which names indicators in the PDF (None when it cannot be
    read: the PDF then names them as the report does)."""
    from ..terms import CatalogError, Glossary

    path = default_catalog()
    try:
        return Glossary.load(path) if path else None
    except CatalogError:
        return None
