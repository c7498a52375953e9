"""English hyphenation and justified line breaking with sane word gaps.

Reportlab justifies English by widening the spaces of each line; without hyphenation a long
word that does not fit leaves wide gaps ("rivers") on the line before it, and reportlab's
own hyphenation hyphenates every line it can. :class:`HyphenatedParagraph` breaks a
justified paragraph line by line and hyphenates a word only when the line would otherwise
be loose (its spaces wider than :data:`LOOSE` × a normal space), never two lines in a row
unless the spaces would exceed :data:`TOO_LOOSE` ×, and only where :func:`hyphen_points`
allows: pyphen's en_US patterns, words of at least 6 letters, at least 2 letters before and
3 after the hyphen, no word with digits or in capitals only. A compound word may also break
after its own hyphen. The last line stays ragged. No Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pyphen
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import Paragraph, _processed_frags
from reportlab.platypus.paragraph import split as rl_split

from .font_variants import LATIN, variant

__all__ = ["LOOSE", "TOO_LOOSE", "HyphenatedParagraph", "break_words", "hyphen_points"]

#: A line whose spaces would stretch beyond this × a normal space tries a hyphenation.
LOOSE = 1.8
#: ... and beyond this one even right after a hyphenated line.
TOO_LOOSE = 2.0
#: At most this many hyphenated line ends in a row (a "ladder" of hyphens).
MAX_LADDER = 3
MIN_WORD, MIN_BEFORE, MIN_AFTER = 6, 2, 3

_DICT = pyphen.Pyphen(lang="en_US", left=MIN_BEFORE, right=MIN_AFTER)


def _core(word: str) -> tuple[int, int]:
    """Where the letters of ``word`` are, without leading and trailing punctuation."""
    start, end = 0, len(word)
    while start < end and not word[start].isalpha():
        start += 1
    while end > start and not word[end - 1].isalpha():
        end -= 1
    return start, end


@lru_cache(maxsize=20000)
def hyphen_points(word: str) -> tuple[int, ...]:
    """Positions in ``word`` (as printed, punctuation included) where a hyphen may go."""
    start, end = _core(word)
    core = word[start:end]
    if len(core) < MIN_WORD or not core.isalpha() or core.isupper():
        return ()
    return tuple(start + p for p in _DICT.positions(core)
                 if p >= MIN_BEFORE and len(core) - p >= MIN_AFTER)


def _compound_points(word: str) -> tuple[int, ...]:
    """Positions right after a hyphen inside a compound word (year-on-year)."""
    return tuple(i + 1 for i, ch in enumerate(word)
                 if ch == "-" and 2 <= i < len(word) - 2
                 and word[i - 1].isalpha() and word[i + 1].isalpha())


#: How far spaces may shrink to take a line's last word (× a normal space).
SHRINK = 0.8


def _split(word: str, room: float, font: str, size: float) -> tuple[str, str] | None:
    """The longest head of ``word`` (with its hyphen) that fits in ``room``, and the rest:
    at a hyphenation point (:func:`hyphen_points`) or after a compound's own hyphen."""
    best = None
    for p in _compound_points(word):
        if _width(word[:p], font, size) <= room:
            best = (p, word[:p])
    for p in hyphen_points(word):
        if best is not None and p <= best[0]:
            continue
        head = word[:p] + "-"
        if _width(head, font, size) > room:
            break
        best = (p, head)
    if best is None:
        return None
    return best[1], word[best[0]:]


def break_words(words: Sequence[str], max_widths: Sequence[float], font: str,
                size: float) -> list[tuple[float, list[str]]]:
    """Lines ``(extra space, words)`` for reportlab's simple paragraph lines (kind 0).

    Lines are filled word by word (spaces may shrink to :data:`SHRINK`); the word that
    does not fit is hyphenated when the line would otherwise be loose — spaces wider than
    :data:`LOOSE` × normal, or :data:`TOO_LOOSE` × for a capitalised word (a name) or
    right after a hyphenated line — and
    a hyphenation fits, but never more than :data:`MAX_LADDER` line ends in a row;
    otherwise it starts the next line.
    """
    space = _width(" ", font, size)
    lines: list[tuple[float, list[str]]] = []
    line: list[str] = []
    used = 0.0  # natural width of the line
    ladder = 0  # hyphenated line ends in a row just before this line
    queue = list(words)
    queue.reverse()
    while queue:
        word = queue.pop()
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        w = _width(word, font, size)
        if not line:
            line, used = [word], w
            continue
        spaces = len(line)
        if used + space + w - spaces * space * (1 - SHRINK) <= max_width + 1e-6:
            line.append(word)
            used += space + w
            continue
        # the word does not fit: end the line before it, or with its head
        ratio = 1 + (max_width - used) / ((spaces - 1) * space) if spaces > 1 else 9.0
        split = None
        # a name (Shanghai, Lingang) or a word after a hyphenated line is split only to
        # avoid a loose line
        reluctant = ladder or word[:1].isupper()
        if ratio > (TOO_LOOSE if reluctant else LOOSE) and ladder < MAX_LADDER:
            room = max_width - used - space + spaces * space * (1 - SHRINK)
            split = _split(word, room, font, size)
        if split:
            head, tail = split
            line.append(head)
            used += space + _width(head, font, size)
            queue.append(tail)
        else:
            queue.append(word)
        lines.append((max_width - used, line))
        ladder = ladder + 1 if split else 0
        line, used = [], 0.0
    if line:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        lines.append((max_width - used, line))
    return lines


@lru_cache(maxsize=50000)
def _width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


class HyphenatedParagraph(Paragraph):
    """A ``Paragraph`` whose justified, single-font text is hyphenated (:func:`break_words`);
    anything else (left aligned, several fonts, images) is broken by reportlab as usual.
    Lines are worked out once per width (the document is built twice)."""

    def __init__(self, text, style=None, *args, **kwargs):
        super().__init__(text, style, *args, **kwargs)
        if any(q in (getattr(f, "text", "") or "") for f in self.frags for q in "‘’“”"):
            for frag in self.frags:  # curly quotes set narrow, as English sets them
                name = getattr(frag, "fontName", None)
                if name:
                    frag.fontName = variant(name, LATIN)

    def breakLines(self, width):
        widths = list(width) if isinstance(width, (list, tuple)) else [width]
        frags = self.frags
        style = self.style
        if (style.alignment != TA_JUSTIFY or len(frags) != 1 or style.endDots
                or hasattr(frags[0], "cbDefn") or hasattr(frags[0], "backColor")
                or _processed_frags(frags) or getattr(style, "shaping", 0)
                or self.bulletText):
            return super().breakLines(width)
        key = tuple(widths)
        cached = getattr(self, "_hy_lines", None)
        if cached is not None and cached[0] == key and cached[1] is frags:
            self.height = 0
            self._width_max = cached[3]
            return cached[2]
        f = frags[0]
        words = list(f.words) if hasattr(f, "words") else rl_split(f.text)
        font, size = f.fontName, f.fontSize
        ascent, descent = getAscentDescent(font, size)
        lines = break_words(words, widths, font, size) if words else []
        self.height = 0
        self._width_max = max((widths[min(i, len(widths) - 1)] - extra
                               for i, (extra, _w) in enumerate(lines)), default=0)
        result = f.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=size)
        self._hy_lines = (key, frags, result, self._width_max)
        return result
