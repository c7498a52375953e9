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

import itertools
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
LOOSE = 1.5
#: ... and beyond this one even right after a hyphenated line.
TOO_LOOSE = 2.0
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


#: Demerits (Knuth and Plass, simplified): per line, per hyphenated line end, and for a
#: hyphenated line end right after another one.
_LINE, _HYPHEN, _DOUBLE_HYPHEN = 10, 150**2, 60000
#: Demerits for spaces wider than TOO_LOOSE (per unit of ratio above it).
_RIVER = 10**7
#: How far spaces may shrink to take a line's last word (× a normal space).
SHRINK = 0.85


def _badness(ratio: float) -> float:
    """How bad spaces of ``ratio`` × normal look: 0 at 1, 100 at LOOSE or SHRINK."""
    if ratio >= 1:
        return 100 * ((ratio - 1) / (TOO_LOOSE - 1)) ** 3
    return 100 * ((1 - ratio) / (1 - SHRINK)) ** 3


def _pieces(word: str) -> list[str]:
    """``word`` cut at every place it may break (its hyphenation and compound points)."""
    points = sorted(set(hyphen_points(word)) | set(_compound_points(word)))
    if not points:
        return [word]
    cuts = [0, *points, len(word)]
    return [word[x:y] for x, y in itertools.pairwise(cuts)]


def break_words(words: Sequence[str], max_widths: Sequence[float], font: str,
                size: float) -> list[tuple[float, list[str]]]:
    """Lines ``(extra space, words)`` for reportlab's simple paragraph lines (kind 0).

    The breaks of the whole paragraph are chosen together (dynamic programming over every
    space and hyphenation point) so that the spaces stay near their normal width: a word
    is hyphenated when that makes the lines around it tighter, rarely twice in a row.
    """
    space = _width(" ", font, size)
    hyphen = _width("-", font, size)
    tokens: list[str] = []
    ends_word: list[bool] = []
    for word in words:
        pieces = _pieces(word)
        tokens.extend(pieces)
        ends_word.extend([False] * (len(pieces) - 1) + [True])
    n = len(tokens)
    if not n:
        return []
    cum_w = [0.0]
    cum_b = [0]
    for t, end in zip(tokens, ends_word, strict=True):
        cum_w.append(cum_w[-1] + _width(t, font, size))
        cum_b.append(cum_b[-1] + end)
    inf = float("inf")
    best = [inf] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    for i in range(n):
        if best[i] == inf:
            continue
        max_width = max_widths[0] if i == 0 else max_widths[-1]
        hyph_in = i > 0 and not ends_word[i - 1]
        for j in range(i + 1, n + 1):
            spaces = cum_b[j - 1] - cum_b[i]
            hyph_out = j < n and not ends_word[j - 1]
            natural = cum_w[j] - cum_w[i] + spaces * space
            if hyph_out and not tokens[j - 1].endswith("-"):
                natural += hyphen
            if natural - spaces * space * (1 - SHRINK) > max_width + 1e-6 and j > i + 1:
                break
            if j == n:  # the last line: ragged, only shrinking costs
                ratio = 1.0 if natural <= max_width or not spaces else \
                    1 - (natural - max_width) / (spaces * space)
                cost = (_LINE + _badness(min(ratio, 1.0))) ** 2
            else:
                ratio = (space + (max_width - natural) / spaces) / space if spaces else \
                    (1.0 if natural >= max_width - 1e-6 else 4.0)
                cost = (_LINE + _badness(ratio)) ** 2
                if ratio > TOO_LOOSE:  # a river: any hyphenation that avoids it is better
                    cost += _RIVER * (ratio - TOO_LOOSE + 0.1)
                if hyph_out:
                    cost += _HYPHEN + (_DOUBLE_HYPHEN if hyph_in else 0)
            if best[i] + cost < best[j]:
                best[j], back[j] = best[i] + cost, i
    breaks = [n]
    while breaks[-1]:
        breaks.append(back[breaks[-1]])
    breaks.reverse()
    lines: list[tuple[float, list[str]]] = []
    for number, (i, j) in enumerate(itertools.pairwise(breaks)):
        max_width = max_widths[min(number, len(max_widths) - 1)]
        line_words: list[str] = []
        current = ""
        for t in range(i, j):
            current += tokens[t]
            if ends_word[t]:
                line_words.append(current)
                current = ""
        if current:  # the line ends inside a word: its head, with a hyphen
            line_words.append(current if current.endswith("-") else current + "-")
        spaces = len(line_words) - 1
        natural = sum(_width(w, font, size) for w in line_words) + spaces * space
        lines.append((max_width - natural, line_words))
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
