"""Read a report text file for import: size, binary sniffing, encoding, clean-up.

Every problem is raised as :class:`SourceError`, whose message is one line naming
the file and what is wrong with it, ready to show to the user.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from ..i18n import N_, _

#: Larger files are not report texts (the 2024 white paper is about 40 KB).
MAX_BYTES = 50 * 1024 * 1024

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", N_("a PDF file")),
    (b"SQLite format 3\x00", N_("an SQLite database")),
    (b"PK\x03\x04", N_("a ZIP archive or an Office document (.docx/.xlsx)")),
    (b"\xd0\xcf\x11\xe0", N_("an old Office document (.doc/.xls)")),
    (b"{\\rtf", N_("an RTF document")),
    (b"\x89PNG", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
)
# Bytes that never occur in text (tab, newline, CR, form feed and vertical tab excepted).
_BINARY_BYTES = frozenset(range(32)) - {9, 10, 11, 12, 13} | {127}

# Line separators become "\n"; form feeds mark PDF page breaks and must not glue words.
_LINE_BREAKS = re.compile("\r\n?|[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


class SourceError(Exception):
    """A file that cannot be imported; ``str()`` is ``"<path>: <what is wrong>"``."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def read_source(path: str | os.PathLike[str]) -> str:
    """The cleaned text of ``path``; raises :class:`SourceError` when it is not usable text."""
    data = _read_bytes(Path(path))
    if not data:
        raise SourceError(path, _("is empty"))
    text = clean_text(_decode(data, path))
    if not text.strip():
        raise SourceError(path, _("is empty (only whitespace, no text)"))
    return text


def clean_text(text: str) -> str:
    """Normalise newlines to ``\\n``, drop a leading BOM and control characters (tab kept)."""
    text = _LINE_BREAKS.sub("\n", text.removeprefix("\ufeff"))
    return _CONTROLS.sub("", text)


def detect_lang(text: str) -> str:
    """``"zh"`` when CJK ideographs make up a quarter or more of the letters, else ``"en"``."""
    letters = sum(1 for ch in text if ch.isalpha())
    if not letters:
        return "en"
    return "zh" if len(_CJK.findall(text)) / letters >= 0.25 else "en"


def _read_bytes(path: Path) -> bytes:
    """The raw bytes, with file-system problems turned into :class:`SourceError`."""
    try:
        if path.is_dir():
            raise SourceError(path, _("is a folder, not a text file"))
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(
                path, _("is too large for a report text ({size} MB)").format(size=size // 2**20)
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError(path, _("no such file")) from None
    except PermissionError:
        raise SourceError(path, _("cannot be read: permission denied")) from None
    except OSError as exc:
        raise SourceError(
            path, _("cannot be read: {reason}").format(reason=exc.strerror or exc)
        ) from None


def _decode(data: bytes, path: str | os.PathLike[str]) -> str:
    """Decode UTF-8 (BOM optional), UTF-16 with BOM or GB18030; refuse binary data."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SourceError(path, _("is not valid UTF-16 text")) from None
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise SourceError(path, _("looks like {what}, not text").format(what=_(what)))
    sample = data[:65536]
    controls = sum(b in _BINARY_BYTES for b in sample)
    if b"\x00" in data or controls > max(4, len(sample) // 20):
        raise SourceError(path, _("looks like a binary file, not text"))
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = _("byte 0x{byte:02X} on line {line}").format(byte=data[exc.start], line=line)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and not _looks_misdecoded(text):
        return text
    raise SourceError(
        path, _("is neither UTF-8 nor GB18030 text ({where}); save it as UTF-8").format(where=bad)
    )


def _looks_misdecoded(text: str) -> bool:
    """True when most CJK characters stand alone between Latin letters.

    That is what Windows-1252 or Latin-1 text (curly quotes, accents) turns into
    when read as GB18030; real Chinese text has runs of CJK characters.
    """
    alone = total = 0
    for match in _CJK.finditer(text):
        total += 1
        start, end = match.start(), match.end()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isascii() and before.isalpha() or after.isascii() and after.isalpha():
            alone += 1
    return total > 0 and alone * 2 > total
