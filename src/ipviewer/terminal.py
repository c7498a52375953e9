"""What the command line prints cannot drive the user's terminal (no Qt here).

Text stored in a report or a catalog may hold characters a terminal obeys instead of
showing: C0 controls (ESC starts sequences that move the cursor, recolour or retitle the
window, ``ESC ] 0 ; … BEL``), DEL, C1 controls (U+009B is a one-character CSI), and the
bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make a line read
differently from what it holds. :func:`visible` replaces each of them by a readable escape:
``\\u001b``, ``\\u009b``, ``\\u202e`` (``\\r`` for CR; lone surrogates, which no terminal
encoding can carry, likewise). Newline and tab stay: they are layout.

The escapes are JSON's own, so the JSON the CLI prints stays valid and exact: such a
character can only stand inside a JSON string (``json.dumps`` escapes C0 itself), where
``\\u009b`` reads back as U+009B. Ordinary text (Chinese, English, punctuation, tabs and
newlines) is never changed, so Markdown from ``render`` and CSV output read back exactly.

The one path: every command runs inside :func:`visible_output` (the CLI's click group is a
:class:`VisibleOutputGroup`), which puts :class:`VisibleText` in front of ``sys.stdout``
and ``sys.stderr`` for the whole run, so ``click.echo``, error messages (``Error: …``),
usage errors, help and warnings all pass through :func:`visible`.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import traceback
import unicodedata
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any, TextIO

import click

__all__ = [
    "UNSAFE",
    "VisibleOutputGroup",
    "VisibleText",
    "display_width",
    "table",
    "unsafe_characters",
    "visible",
    "visible_excepthook",
    "visible_output",
]

#: Characters a terminal may act on instead of showing, or that reorder what it shows:
#: C0 controls, DEL, C1 controls, bidi embeddings/overrides and isolates, lone surrogates.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: :data:`UNSAFE` without newline and tab: what :func:`visible` escapes by default.
_UNSAFE_IN_LAYOUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                               "\ud800-\udfff]")
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT.get(char) or f"\\u{ord(char):04x}"


def visible(text: str, layout: bool = True) -> str:
    """``text`` with every :data:`UNSAFE` character written as an escape (``\\u001b``).

    ``layout`` keeps newlines and tabs as they are (the default, for whole outputs); pass
    ``False`` for a piece of text that must stay on one line, such as a table cell.
    """
    return (_UNSAFE_IN_LAYOUT if layout else UNSAFE).sub(_escape, text)


def unsafe_characters(text: str) -> list[str]:
    """The distinct :data:`UNSAFE` characters in ``text`` other than newline and tab, in
    order of appearance (for checks that report them, e.g. ``U+001B``)."""
    return list(dict.fromkeys(_UNSAFE_IN_LAYOUT.findall(text)))


class VisibleText(io.TextIOBase):
    """A text stream that writes :func:`visible` text to another one.

    It has no ``buffer``: nothing (click included) can go around it to the bytes below.
    A character the stream's encoding cannot hold is written as a backslash escape
    instead of failing.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.stream, "errors", None)

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        safe = visible(text)
        try:
            self.stream.write(safe)
        except UnicodeEncodeError:
            self.stream.write(safe.encode(self.encoding, "backslashreplace")
                              .decode(self.encoding))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()


@contextlib.contextmanager
def visible_output() -> Iterator[None]:
    """Within the block, everything written to ``sys.stdout``/``sys.stderr`` is
    :func:`visible`; the streams are put back afterwards (also on ``sys.exit``)."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None and not isinstance(sys.stdout, VisibleText):
        sys.stdout = VisibleText(sys.stdout)
    if sys.stderr is not None and not isinstance(sys.stderr, VisibleText):
        sys.stderr = VisibleText(sys.stderr)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, VisibleText):
                with contextlib.suppress(Exception):
                    stream.flush()
        sys.stdout, sys.stderr = saved


class VisibleOutputGroup(click.Group):
    """A click group whose whole run (parsing, commands, messages) prints visibly.

    Its contexts say ``color=True``: click would otherwise delete colour codes (only those,
    and only when not writing to a terminal) from what is printed, losing stored text
    silently; here every escape sequence is shown instead, whatever the output is.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        settings = dict(kwargs.pop("context_settings", None) or {})
        settings.setdefault("color", True)
        super().__init__(*args, context_settings=settings, **kwargs)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with visible_output():
            return super().main(*args, **kwargs)


def visible_excepthook(kind: type[BaseException], value: BaseException,
                       tb: TracebackType | None) -> None:
    """``sys.excepthook`` for the console entry point: an unexpected traceback, whose
    message may quote stored text, is printed :func:`visible` too."""
    text = "".join(traceback.format_exception(kind, value, tb))
    with visible_output():
        sys.stderr.write(text)
        sys.stderr.flush()


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK wide and full-width characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """Plain text columns, aligned by display width; each cell on one line (newlines and
    tabs inside a cell, like every :data:`UNSAFE` character, shown as escapes)."""
    cells = [[visible(str(c), layout=False) for c in row] for row in [header, *rows]]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for row in cells:
        padded = [c + " " * (w - display_width(c)) for c, w in zip(row, widths)]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)
