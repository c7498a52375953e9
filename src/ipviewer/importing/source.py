"""Read a report text file for import: a safe bounded read, the encoding, clean-up.

Every problem is raised as :class:`SourceError`, whose message is one line naming
the file (and the line, for an encoding problem) and what is wrong with it, ready to
show to the user. Reading is :mod:`ipviewer.input_files`'s; deciding the encoding is
:mod:`ipviewer.text_decoding`'s.
"""

from __future__ import annotations

import os
import re

from ..i18n import _
from ..input_files import InputError, read_input
from ..text_decoding import DecodeError, decode_text

#: Larger files are not report texts (the 2024 white paper is about 40 KB).
MAX_BYTES = 50 * 1024 * 1024

# Line separators become "\n"; form feeds mark PDF page breaks and must not glue words.
_LINE_BREAKS = re.compile("\r\n?|[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


class SourceError(Exception):
    """A file that cannot be imported; ``str()`` is ``"<path>: <what is wrong>"``, or
    ``"<path>:<line>: <what is wrong>"`` when a line is known."""

    def __init__(self, path: str | os.PathLike[str], reason: str,
                 line: int | None = None) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {reason}")


def read_source(path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """The cleaned text of ``path``; raises :class:`SourceError` when it is not usable text.

    ``encoding`` (a codec name, ``--encoding``) is used instead of deciding it from the
    bytes; either way invalid bytes are an error, never replaced.
    """
    try:
        data = read_input(path, MAX_BYTES)
    except InputError as exc:
        raise SourceError(path, exc.reason) from None
    try:
        decoded = decode_text(data, encoding)
    except DecodeError as exc:
        raise SourceError(path, exc.reason, exc.line) from None
    text = clean_text(decoded.text)
    if not text.strip():
        raise SourceError(path, _("is empty (only whitespace, no text)"))
    return text


def clean_text(text: str) -> str:
    """Normalise newlines to ``\\n``, drop a leading BOM and control characters (tab kept)."""
    text = _LINE_BREAKS.sub("\n", text.removeprefix("\ufeff"))
    return _CONTROLS.sub("", text)
