"""What is wrong with a catalog file and where (:class:`Problem`), and reading its bytes.

Shared by the validation (:mod:`.validation`), the lossless catalog (:mod:`.catalog`) and
the exchange formats (:mod:`.exchange`).
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass

from ..i18n import _, ngettext
from ..input_files import InputError, read_input

#: Files larger than this are refused before they are read (a glossary is a few hundred KB).
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is and what it is."""

    path: str
    line: int | None
    message: str
    severity: str = "error"  #: "error" (the file is refused) or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.severity == "warning":
            return _("{where}: warning: {message}").format(where=where, message=self.message)
        return f"{where}: {self.message}"


class CatalogError(Exception):
    """A catalog that cannot be used (or written); ``problems`` lists what is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"] or problems
        text = str(errors[0])
        if len(errors) > 1:
            more = len(errors) - 1
            text += " " + ngettext("(and {count} more problem)", "(and {count} more problems)",
                                   more).format(count=more)
        super().__init__(text)

    @classmethod
    def single(cls, path: str | os.PathLike[str], message: str,
               line: int | None = None) -> CatalogError:
        """An error about one file, with one message."""
        return cls([Problem(str(path), line, message)])

def errors_in(problems: list[Problem]) -> list[Problem]:
    """The problems that make a file unusable (not the warnings)."""
    return [p for p in problems if p.severity == "error"]


def read_limited(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of ``path`` (see :func:`ipviewer.input_files.read_input`); a clear
    :class:`CatalogError` if missing, not a regular file, empty or larger than ``limit``
    bytes (default :data:`MAX_BYTES`)."""
    try:
        return read_input(path, MAX_BYTES if limit is None else limit)
    except InputError as exc:
        raise CatalogError.single(path, exc.reason) from exc


def decode_utf8(data: bytes, path: str, problems: list[Problem]) -> str:
    """``data`` as text; a BOM or invalid UTF-8 is reported (and replaced) in ``problems``."""
    if data.startswith(codecs.BOM_UTF8):
        problems.append(Problem(path, 1, _(
            "the file starts with a UTF-8 byte order mark (BOM), which msgfmt refuses and "
            "Babel reads as part of the header; save it as UTF-8 without BOM")))
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        problems.append(Problem(path, line, _(
            "not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8").format(
                byte=data[exc.start])))
        return data.decode("utf-8", errors="replace")
