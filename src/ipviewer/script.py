"""The writing systems of the two languages, in one place (no Qt).

Which characters are Chinese ideographs (:data:`HAN`), which are set in a full em box and may
break a line anywhere (:func:`is_wide`), which language a text is written in
(:func:`language_of`; traditional characters are Chinese too), full-width forms folded to
ASCII (:func:`fold_width`, :func:`fold_for_number`), and traditional characters read as
simplified (:func:`to_simplified`, with OpenCC). Everything that asks "is this Chinese?"
asks here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

#: Chinese ideographs: Extension A, the unified block, the compatibility block, and the
#: supplementary planes (Extension B onwards: rare characters found in names).
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))

#: Characters set in a full em box, between any two of which a line may break: radicals,
#: CJK punctuation, kana and ideographs (U+2E80–U+9FFF), compatibility ideographs, full-width
#: forms, and the supplementary ideographs.
WIDE_RANGES = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"{chr(low)}-{chr(high)}" for low, high in ranges)


#: The character class of :data:`HAN_RANGES`, for regular expressions.
HAN_CLASS = _char_class(HAN_RANGES)
#: The character class of :data:`WIDE_RANGES`, for regular expressions.
WIDE_CLASS = _char_class(WIDE_RANGES)
#: One Chinese ideograph.
HAN = re.compile(f"[{HAN_CLASS}]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
#: How much of a text :func:`language_of` reads (a long text is decided by its beginning).
LANGUAGE_SAMPLE = 5000


def is_han(ch: str) -> bool:
    """Whether ``ch`` is a Chinese ideograph."""
    code = ord(ch)
    return any(low <= code <= high for low, high in HAN_RANGES)


def is_wide(ch: str) -> bool:
    """Whether ``ch`` is set in a full em box (ideographs, CJK punctuation, full-width forms)."""
    code = ord(ch)
    return any(low <= code <= high for low, high in WIDE_RANGES)


def has_han(text: str) -> bool:
    """Whether ``text`` contains a Chinese ideograph."""
    return HAN.search(text) is not None


def language_of(text: str) -> str:
    """``"zh"`` when Chinese ideographs outnumber Latin words (in the first
    :data:`LANGUAGE_SAMPLE` characters), else ``"en"`` (also for a text with neither)."""
    sample = text[:LANGUAGE_SAMPLE]
    return "zh" if len(HAN.findall(sample)) > len(_LATIN_WORD.findall(sample)) else "en"


def fold_width(text: str) -> str:
    """Same-length copy of ``text`` with full-width ASCII folded and odd minus/blank signs plain.

    A full-width comma becomes a thousands separator only between full-width digits, so
    Chinese prose commas stay what they are. Positions in the copy are positions in ``text``.
    """
    out = []
    for i, ch in enumerate(text):
        code = ord(ch)
        if ch == "\uff0c":
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            digits = "\uff10" <= before <= "\uff19" and "\uff10" <= after <= "\uff19"
            out.append("," if digits else ch)
        elif 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        elif ch in "\u2212\ufe63":
            out.append("-")
        elif ch in "\u00a0\u3000\u2009\u202f":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def fold_for_number(text: str) -> str:
    """``text`` as a number is read from it: NFKC (full-width digits, commas, percent, spaces)
    and every minus sign as ``-``. Unlike :func:`fold_width`, lengths may change."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u2212", "-").replace("\ufe63", "-")


#: Where :func:`to_simplified` may cut a text to convert it piece by piece.
_PIECES = re.compile(r"[^，。；：！？、,;:!?\n]*[，。；：！？、,;:!?\n]?")


@functools.cache
def _t2s() -> Callable[[str], str] | None:
    """OpenCC's traditional-to-simplified conversion (None when OpenCC cannot be loaded:
    text is then read as it is)."""
    try:
        import opencc  # only here: loading its dictionaries takes time

        return opencc.OpenCC("t2s").convert
    except (ImportError, OSError, RuntimeError, ValueError):  # pragma: no cover
        return None  # a broken install: figures are still read, 萬 and 億 too


def to_simplified(text: str) -> str:
    """Same-length copy of ``text`` with traditional Chinese written in simplified
    (同比增長 -> 同比增长, 萬 -> 万, 億 -> 億): what the figure reader reads, so that the
    positions it finds are positions in ``text``, which is kept as it is.

    OpenCC's conversion keeps lengths for almost everything; a piece (a clause between
    punctuation) whose conversion changes its length is converted character by character,
    and a character that would become several (or none) stays as it is.
    """
    convert = _t2s()
    if convert is None or not has_han(text):
        return text
    whole = _converted(convert, text)
    if whole is not None and len(whole) == len(text):
        return whole
    out = []
    for match in _PIECES.finditer(text):
        piece = match.group()
        if not piece:
            continue
        simple = _converted(convert, piece)
        if simple is None or len(simple) != len(piece):
            simple = "".join(c if (c := _converted(convert, ch)) is not None and len(c) == 1
                             else ch for ch in piece)
        out.append(simple)
    return "".join(out)


def _converted(convert: Callable[[str], str], text: str) -> str | None:
    """``convert(text)``, or None for text OpenCC cannot take (a lone surrogate, which
    cannot be encoded as UTF-8)."""
    try:
        return convert(text)
    except UnicodeError:
        return None
