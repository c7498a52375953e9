"""The rules of Chinese line breaking: where a line may end, and how acceptable that is.

Never before closing punctuation, never after opening punctuation, never inside a number
with its unit (``150,800件``, ``15.08万``), a Latin word, a ``——`` or ``……``
(:func:`break_ranks`, :func:`break_opportunities`). Used by :mod:`.cjk_lines` to break
lines and by :mod:`.content` to split long paragraphs; re-exported by :mod:`.cjk`.
Pure functions; no Qt.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..indicators import ZH_COUNTERS
from ..numbers import ZH_SCALES

__all__ = [
    "BAD",
    "CLOSING",
    "GOOD",
    "OPENING",
    "SPLITS_NUMBER",
    "SPLITS_WORD",
    "break_opportunities",
    "break_ranks",
    "is_latin",
    "is_wide",
    "number_spans",
]

#: May not start a line (Chinese closing punctuation, Latin stops, percent signs ...).
CLOSING = frozenset(
    "，。、；：？！）》」』”’】〕〉〗〙…‥·・―%％‰℃°′″"
    "!,.:;?)]}"
    "\u3001\u3002\uff0c\uff0e\uff1a\uff1b\uff01\uff1f\uff09\uff3d\uff5d"
    "ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々"
)
#: May not end a line (opening brackets and quotes, currency signs written before numbers).
OPENING = frozenset("（《「『“‘【〔〈〖〘([{\uff08\uff3b\uff5b$£¥€￥＄#@§")
#: Marks written twice that must stay on one line (``——``, ``……``).
_DOUBLED = frozenset("—…―")

#: What may be glued after a number and stay on its line: scales, counters, 元, and the
#: date and time words (2024年, 3倍, 16天).
_SCALE_AND_COUNTER = "".join(ZH_SCALES) + ZH_COUNTERS + "元年月日号倍天周岁"
#: A number with its separators, an optional sign, and what is glued to it: ``150,800件``,
#: ``14.28%``, ``15.08万``, ``320亿元``, ``2024年``, ``１５０，８００``.
_NUMBER = re.compile(
    r"[+\-−]?[0-9０-９]+(?:[,，.．:][0-9０-９]+)*"
    r"(?:\s?[%％‰]|[" + _SCALE_AND_COUNTER + r"]{1,3})?"
)
#: Characters that belong to Latin words (letters, digits, marks, apostrophes inside words).
_LATIN_JOIN = re.compile(r"[^\W_]", re.UNICODE)

#: Anything but a Han character (ideographs are all alike for line breaking).
_NOT_HAN = re.compile("[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def number_spans(text: str) -> list[tuple[int, int]]:
    """Where the numbers with their units are in ``text`` (start, end): never broken."""
    return [(m.start(), m.end()) for m in _NUMBER.finditer(text) if m.end() - m.start() > 1]


@lru_cache(maxsize=4096)
def is_latin(ch: str) -> bool:
    """A character of a Latin/Greek/Cyrillic word (not CJK, not space, not punctuation)."""
    return ord(ch) < 0x2E80 and bool(_LATIN_JOIN.match(ch))


@lru_cache(maxsize=4096)
def is_wide(ch: str) -> bool:
    """A wide or full-width (East Asian) character."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


#: How acceptable a line break is (see :func:`break_ranks`).
GOOD, SPLITS_WORD, SPLITS_NUMBER, BAD = 3, 2, 1, 0


def break_ranks(text: str) -> list[int]:
    """``ranks[k]``: how acceptable a line end between ``text[k-1]`` and ``text[k]`` is.

    :data:`GOOD`: after white space (unless closing punctuation follows), between CJK
    characters, at a change between Latin and CJK, after a hyphen or slash inside a Latin
    word. :data:`SPLITS_WORD`: inside a Latin word (``WIPO``, ``Shanghai's``), between
    doubled dashes or ellipses (``——``), before white space. :data:`SPLITS_NUMBER`: inside a
    number with its unit (:func:`number_spans`). :data:`BAD`: before :data:`CLOSING` or
    after :data:`OPENING` punctuation. ``ranks[0]`` is BAD (nothing before the text).
    The line breaker uses the best rank a line offers, so a worse break is only taken when
    a line (narrow table cell) has no better one.
    """
    n = len(text)
    ranks = [GOOD] * (n + 1)
    ranks[0] = BAD
    # between two Han characters the end is GOOD: only the places next to anything else
    # (punctuation, Latin, digits, spaces) and inside numbers with their units are ranked
    inside = set()
    for start, end in number_spans(text):
        inside.update(range(start + 1, end))
    starts = [m.start() for m in _NOT_HAN.finditer(text)]
    todo = inside.union(starts)
    todo.update(k + 1 for k in starts)
    closing, opening, wide, latin = CLOSING, OPENING, is_wide, is_latin
    for k in sorted(todo):
        if not 0 < k < n:
            continue
        a, b = text[k - 1], text[k]
        if b in closing or a in opening:
            ranks[k] = BAD
        elif k in inside:
            ranks[k] = SPLITS_NUMBER
        elif b.isspace():
            ranks[k] = SPLITS_WORD  # the space ends the line instead
        elif a.isspace():
            ranks[k] = GOOD
        elif a in _DOUBLED and b == a:
            ranks[k] = SPLITS_WORD
        elif a in "-/" and k >= 2 and latin(text[k - 2]) and latin(b):
            ranks[k] = GOOD
        elif not wide(a) and not wide(b):
            # Latin text (words, "e.g.", "(WIPO)", "1+1+X"): breaks only at spaces
            ranks[k] = SPLITS_WORD
    return ranks


def break_opportunities(text: str) -> list[bool]:
    """``allowed[k]``: may a line end between ``text[k-1]`` and ``text[k]`` by all rules?"""
    return [rank == GOOD for rank in break_ranks(text)]
