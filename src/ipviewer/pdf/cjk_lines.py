"""Chinese line breaking proper: the lines of a :class:`.cjk.CJKParagraph`.

:func:`break_frags` turns a paragraph's frags into reportlab's CJK line objects: glyph units
with their widths, the break ranks of :func:`.cjk_rules.break_ranks`, line ends found by bisection
over the cumulative widths (a line ends at the best break before the first glyph that does
not fit), adjacent punctuation squeezed and a closing mark kept at a line's end by
squeezing it (:mod:`.cjk_justify`), justified lines, and no last line of one or two
characters. Speed matters here: every paragraph of a report passes through it (see
``benchmarks/bench_linebreak.py``). No Qt.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate, groupby
from operator import attrgetter

from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import (
    _FUZZ,
    FragLine,
    cjkU,
    imgNormV,
    imgVRange,
)

from .cjk_justify import CLOSE as CLOSE_KIND
from .cjk_justify import (
    CLOSE_SQUEEZE,
    OPEN_SQUEEZE,
    half_unit,
    is_injected,
    is_narrow,
    justified_units,
    kind_of,
    pair_squeeze,
    spacing_plan,
    spacing_unit,
)
from .cjk_rules import (
    BAD,
    GOOD,
    SPLITS_NUMBER,
    SPLITS_WORD,
    break_ranks,
    is_latin,
    is_wide,
)
from .font_variants import HALF, LATIN, variant

__all__ = ["break_frags"]

_QUOTES = frozenset("‘’“”")
_FRAG_OF = attrgetter("_frag")
#: Ascent and descent by (font, size).
_ASCENT: dict[tuple[str, float], tuple[float, float]] = {}
#: Marks that may be squeezed to half width (:mod:`.cjk_justify`).
_MARKS = CLOSE_SQUEEZE | OPEN_SQUEEZE
_MARKS_RE = re.compile("[" + re.escape("".join(sorted(_MARKS))) + "]")


def _narrow_pattern(narrow: set[str]) -> re.Pattern[str]:
    """A pattern for the characters ``narrow`` (the few above U+1100 named one by one)."""
    high = "".join(sorted(c for c in narrow if c >= "\u1100"))
    low = "[^\\s\u1100-\U0010ffff]"
    return re.compile(f"{low}|[{re.escape(high)}]" if high else low)


#: Character widths by (character, font, size): measuring each glyph of a long report
#: again and again was most of the layout time.
_WIDTHS: dict[tuple[str, str, float], float] = {}


def _unit(char: str, frag) -> cjkU:
    """``cjkU(char, frag)`` with the width taken from :data:`_WIDTHS` when known."""
    if hasattr(frag, "cbDefn"):
        return cjkU(char, frag, "utf8")
    key = (char, frag.fontName, frag.fontSize)
    width = _WIDTHS.get(key)
    if width is None:
        width = _WIDTHS[key] = stringWidth(char, frag.fontName, frag.fontSize)
    unit = str.__new__(cjkU, char)
    unit._frag = frag
    unit._width = width
    return unit


def _glyphs(frags) -> tuple[list[cjkU], list[int], bool]:
    """The units of ``frags`` (one per character, zero-width ones for images, anchors and
    ``<br/>``), where the ``<br/>`` are, and whether any unit is not a character."""
    units: list[cjkU] = []
    line_breaks: list[int] = []
    special = False
    for f in frags:
        if is_injected(f):  # spacing of lines broken before (a paragraph split)
            continue
        text = f.text
        if isinstance(text, bytes):
            text = text.decode("utf8")
        if text and not hasattr(f, "cbDefn"):
            # one unit per distinct character of the frag (units are never changed)
            made = {t: _unit(t, f) for t in set(text)}
            units.extend(map(made.__getitem__, text))
        else:
            special = True
            if hasattr(f, "lineBreak"):
                line_breaks.append(len(units))
            if text:
                units.extend(_unit(t, f) for t in text)
            else:
                units.append(cjkU(text, f, "utf8"))
    return units, line_breaks, special


def _width(u: cjkU, max_width: float) -> float:
    w = u.width
    if hasattr(w, "normalizedValue"):
        w._normalizer = max_width
        w = w.normalizedValue(max_width)
    return w


def break_frags(frags, max_widths: Sequence[float], calc_bounds: bool = False,
                justify: bool = False) -> list:
    """Reportlab line objects for ``frags`` broken at the best places within ``max_widths``.

    Adjacent full-width punctuation is squeezed (:mod:`.cjk_justify`), and a closing mark
    that would overflow a line by half its width stays on it, squeezed. With ``justify``,
    every line but the last of the paragraph (or before a ``<br/>``) ends exactly at the
    right margin, and a last line of one or two characters takes a few from the line above.
    White space after a line's end stays on that line (drawn beyond its width, invisible),
    so that the frags of a paragraph split across pages keep every space of the text.
    """
    frag = frags[0] if len(frags) == 1 else None
    plain = frag is not None and _is_plain(frag)
    latin_at: list[int] = []
    if plain:  # one run of text in one font (most paragraphs): its characters are the units
        units = joined = frag.text.decode("utf8") if isinstance(frag.text, bytes) else frag.text
        n = len(units)
        line_breaks: list[int] = []
        widths = _char_widths(joined, frag.fontName, frag.fontSize)
        if any(q in joined for q in _QUOTES):
            latin_at = _latin_quotes(joined)
            latin = variant(frag.fontName, LATIN)
            for i in latin_at:
                widths[i] = stringWidth(joined[i], latin, frag.fontSize)
        rank_at = break_ranks(joined)
        rank_at[n] = GOOD
    else:
        units, line_breaks, special = _glyphs(frags)
        joined = "".join(units)
        if any(q in joined for q in _QUOTES):
            _narrow_latin_quotes(units)
        n = len(units)
        widths = [u._width for u in units]
        if special:  # images, anchors, <br/>: invisible units, maybe percentage widths
            positions = [i for i, u in enumerate(units) if u]
            text = "".join(units[i] for i in positions)
            ranks_text = break_ranks(text)
            # rank_at[i]: how good a line end before units[i] is (only before a character)
            rank_at = [BAD] * (n + 1)
            for m, i in enumerate(positions):
                rank_at[i] = ranks_text[m]
            rank_at[n] = GOOD
            for i, w in enumerate(widths):
                if not isinstance(w, (int, float)):
                    widths[i] = _width(units[i], max_widths[0])
        else:
            rank_at = break_ranks(joined)
            rank_at[n] = GOOD
    chars = set(joined)
    kinds = [0] * n
    marks = chars & _MARKS
    if not marks:
        mark_at = []
    elif len(joined) == n:  # one character per unit: find them in the text
        mark_at = [m.start() for m in _MARKS_RE.finditer(joined)]
    else:
        mark_at = [i for i, u in enumerate(units) if u in marks]
    for i in mark_at:
        kinds[i] = _kind(units[i], widths[i], frag if plain else units[i]._frag)
    squeeze = pair_squeeze(kinds, widths)
    squeezed = [j for j in mark_at if squeeze[j]]
    narrow = {c for c in chars if not "\u3400" <= c <= "\u9fff" and is_narrow(c)}
    if not narrow:
        narrow_at = []
    elif len(joined) == n:
        narrow_at = [m.start() for m in _narrow_pattern(narrow).finditer(joined)]
    else:
        narrow_at = [i for i, u in enumerate(units) if u in narrow]
    # reach[i]: the width of units[:i] set on one line (squeezed pairs included)
    if squeezed:
        eff = widths[:]
        for j in squeezed:
            eff[j + 1] -= squeeze[j]
        reach = [0.0, *accumulate(eff)]
    else:
        reach = [0.0, *accumulate(widths)]

    specs: list[list] = []  # [start, content end, stop, forced, end squeeze]
    start = 0
    while start < n:
        max_width = max_widths[min(len(specs), len(max_widths) - 1)]
        # the first unit that does not fit (a pair squeezed across the start does not count)
        offset = reach[start] - (squeeze[start - 1] if start else 0.0)
        i = max(bisect_right(reach, offset + max_width + _FUZZ, start + 1) - 1, start + 1)
        while i < n and (not units[i] or units[i].isspace()):  # white space may hang
            i += 1
        end = None
        forced = False
        end_sq = 0.0
        b = bisect_left(line_breaks, start)
        if b < len(line_breaks) and line_breaks[b] < i:  # <br/>
            end, forced = line_breaks[b] + 1, True
        elif i < n:
            used = reach[i] - offset
            fit = _squeezed_end(units, widths, squeeze, kinds, rank_at, i, used, max_width)
            if fit:
                end, end_sq = fit
            else:
                end = _best_break(rank_at, start, i)
        if end is None:
            end = n
        stop = end
        while stop < n and _is_space(units[stop]):  # spaces after the break stay here
            stop += 1
        k = end
        while k > start and (units[k - 1].isspace()
                             or hasattr(getattr(units[k - 1], "_frag", None), "lineBreak")):
            k -= 1
        specs.append([start, k, stop, forced, end_sq])
        start = stop
    if justify:
        _lengthen_last_lines(specs, units, widths, squeeze, rank_at, max_widths)

    lines = []
    last = len(specs) - 1
    for number, (start, k, stop, forced, end_sq) in enumerate(specs):
        max_width = max_widths[min(number, len(max_widths) - 1)]
        width = sum(widths[start:k])
        # squeezed pairs: the mark with the white goes half
        halves = []
        for j in squeezed[bisect_left(squeezed, start):bisect_left(squeezed, k - 1)]:
            halves.append(j if kinds[j] == CLOSE_KIND else j + 1)
            width -= squeeze[j]
        if end_sq:
            halves.append(k - 1)
            width -= end_sq
        extra = max_width - width if justify and not forced and number < last else 0.0
        narrow_line = [i - start for i in
                       narrow_at[bisect_left(narrow_at, start):bisect_left(narrow_at, k)]]
        if plain:
            words = _plain_words(frag, joined, start, k, stop, halves, latin_at, extra,
                                 narrow_line)
            lines.append(_plain_line(frag, words, max_width, width + max(extra, 0.0)))
            continue
        content = list(units[start:k])
        for m in halves:
            content[m - start] = half_unit(units[m])
        line_units = content + units[k:stop]
        if extra > 1e-6:
            line_units = justified_units(content, extra, narrow_line) + units[k:stop]
            width += extra
        lines.append(_make_line(line_units, max_width, width, forced, calc_bounds))
    return lines


def _is_plain(frag) -> bool:
    """A frag of text only (no image, anchor, ``<br/>`` or spacing of an earlier break)."""
    return (bool(frag.text) and not hasattr(frag, "cbDefn") and not hasattr(frag, "lineBreak")
            and not is_injected(frag))


#: Character widths by (font, size), then by character.
_FONT_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def _char_widths(text: str, font: str, size: float) -> list[float]:
    """The width of each character of ``text`` in ``font`` at ``size``."""
    table = _FONT_WIDTHS.setdefault((font, size), {})
    for ch in set(text).difference(table):
        table[ch] = stringWidth(ch, font, size)
    return list(map(table.__getitem__, text))


def _latin_quotes(text: str) -> list[int]:
    """Where ``text`` has curly quotes of English words (set narrow, see
    :func:`_narrow_latin_quotes`)."""
    found = []
    for i, ch in enumerate(text):
        if ch in _QUOTES:
            around = [text[j] for j in (i - 1, i + 1) if 0 <= j < len(text)]
            if all(not is_wide(c) for c in around) and any(is_latin(c) for c in around):
                found.append(i)
    return found


def _word(frag, text: str, font: str | None = None):
    """A copy of ``frag`` holding ``text`` (as ``frag.clone(text=...)``, without its
    keyword-argument round trip: a line makes several)."""
    word = object.__new__(type(frag))
    attributes = frag.__dict__.copy()
    attributes["text"] = text
    if font:
        attributes["fontName"] = font
    word.__dict__ = attributes
    return word


def _plain_words(frag, text: str, start: int, k: int, stop: int, halves: list[int],
                 latin_at: list[int], extra: float, narrow: list[int]) -> list:
    """The words of the line ``text[start:k]`` (and its trailing spaces up to ``stop``) of a
    one-frag paragraph: runs of text, the squeezed marks and English quotes in their
    variant fonts, and the spacing frags that justify it."""
    fonts: dict[int, str] = {}
    if halves:
        half = variant(frag.fontName, HALF)
        fonts.update((m, half) for m in halves)
    if latin_at:
        latin = variant(frag.fontName, LATIN)
        fonts.update((i, latin) for i in latin_at if start <= i < k and i not in fonts)
    changes: list[tuple[int, bool]] = []
    share = 0.0
    if extra > 1e-6 and k - start > 1:
        gaps, plan = spacing_plan(k - start, narrow)
        if gaps > 0:
            share = extra / gaps
            changes = [(start + at, widen) for at, widen in plan]
    if not fonts and not changes:  # a line of one run of text
        words = [_word(frag, text[start:k])]
        if stop > k:
            words.append(_word(frag, text[k:stop]))
        return words
    words = []
    pos = start
    on = False
    c = 0
    events = [at for at, _w in changes]
    if fonts:
        events = sorted(set(events).union(fonts))
    for p in events:
        if p > pos:
            words.append(_word(frag, text[pos:p]))
            pos = p
        while c < len(changes) and changes[c][0] == p:
            on = changes[c][1]
            words.append(spacing_unit(frag, share if on else 0.0)._frag)
            c += 1
        if p in fonts:
            words.append(_word(frag, text[p], fonts[p]))
            pos = p + 1
    if k > pos:
        words.append(_word(frag, text[pos:k]))
    if on:
        words.append(spacing_unit(frag, 0.0, last=True)._frag)
    if stop > k:
        words.append(_word(frag, text[k:stop]))
    return words


def _plain_line(frag, words: list, max_width: float, width: float) -> FragLine:
    size = frag.fontSize
    key = (frag.fontName, size)
    metrics = _ASCENT.get(key)
    if metrics is None:
        metrics = _ASCENT[key] = getAscentDescent(frag.fontName, size)
    ascent, descent = metrics
    return FragLine(kind=1, extraSpace=max_width - width, wordCount=1, words=words,
                    fontSize=size, ascent=ascent, descent=min(descent, 0),
                    maxWidth=max_width, currentWidth=width, lineBreak=False)


def _make_line(units: Sequence[cjkU], max_width: float, width: float, forced: bool,
               calc_bounds: bool) -> FragLine:
    """Reportlab's line object for ``units`` (as ``makeCJKParaLine`` makes it, faster:
    glyphs of one frag make one word, and each frag's metrics are looked up once)."""
    words = []
    max_size = max_ascent = min_descent = 0
    for frag, group in groupby(units, _FRAG_OF):
        if is_injected(frag):  # a spacing frag: no text, used as it is
            words.append(frag)
        else:
            word = frag.clone()
            word.text = "".join(group)
            words.append(word)
        size = frag.fontSize
        cb = getattr(frag, "cbDefn", None) if calc_bounds else None
        if cb is not None and getattr(cb, "width", 0):
            descent, ascent = imgVRange(imgNormV(cb.height, size), cb.valign, size)
        else:
            key = (frag.fontName, size)
            metrics = _ASCENT.get(key)
            if metrics is None:
                metrics = _ASCENT[key] = getAscentDescent(frag.fontName, size)
            ascent, descent = metrics
        max_size = max(max_size, size)
        max_ascent = max(max_ascent, ascent)
        min_descent = min(min_descent, descent)
    return FragLine(kind=1, extraSpace=max_width - width, wordCount=1, words=words,
                    fontSize=max_size, ascent=max_ascent, descent=min_descent,
                    maxWidth=max_width, currentWidth=width, lineBreak=forced)


def _narrow_latin_quotes(units: list[cjkU]) -> None:
    """Curly quotes of English words (Shanghai’s, “Pudong”) drawn narrow, as English sets
    them; quotes next to a Chinese character stay full-width."""
    for i, u in enumerate(units):
        if u not in _QUOTES:
            continue
        around = [units[j] for j in (i - 1, i + 1) if 0 <= j < len(units) and units[j]]
        if all(not is_wide(ch) for ch in around) and any(is_latin(ch) for ch in around):
            f = u.frag.clone()
            f.fontName = variant(f.fontName, LATIN)
            units[i] = _unit(str(u), f)


#: Squeezing kind by (character, font, size, width): a font's marks are looked at once.
_KINDS: dict[tuple[str, str, float, float], int] = {}


def _kind(u: str, width: float, f) -> int:
    key = (str(u), f.fontName, f.fontSize, width)
    found = _KINDS.get(key)
    if found is None:
        found = _KINDS[key] = kind_of(key[0], width, f.fontName, f.fontSize)
    return found


def _is_space(u) -> bool:
    return bool(u) and u.isspace() and not hasattr(getattr(u, "_frag", None), "lineBreak")


def _squeezed_end(units, widths, squeeze, kinds, rank_at, overflow: int, used: float,
                  max_width: float) -> tuple[int, float] | None:
    """A line end after the closing marks at ``overflow`` (at most two, like ``。」``) if
    taking the empty half of the last one makes them fit: (end, squeeze), else None."""
    j = overflow
    while j < len(units) and j < overflow + 2 and kinds[j] == CLOSE_KIND:
        used += widths[j] - squeeze[j - 1]
        half = widths[j] / 2
        if used - half <= max_width + _FUZZ and rank_at[j + 1] == GOOD:
            return j + 1, half
        j += 1
    return None


def _visible_count(units, start: int, stop: int) -> int:
    return sum(1 for u in units[start:stop] if u and not u.isspace())


def _lengthen_last_lines(specs: list[list], units, widths, squeeze, rank_at,
                         max_widths: Sequence[float]) -> None:
    """Give each last line (of the paragraph, or before a ``<br/>``) of one or two
    characters a few more from the line above, by ending that line at an earlier break."""
    for number in range(1, len(specs)):
        last = specs[number]
        before = specs[number - 1]
        is_last = number == len(specs) - 1 or last[3]
        if not is_last or before[3] or _visible_count(units, last[0], last[1]) > 2:
            continue
        max_width = max_widths[min(number, len(max_widths) - 1)]
        seg_end = last[1]
        for b in range(before[1] - 1, before[0] + 1, -1):
            if rank_at[b] != GOOD or _visible_count(units, b, seg_end) < 3:
                continue
            width = sum(widths[b:seg_end]) - sum(squeeze[b:seg_end - 1]) - last[4]
            if width > max_width + _FUZZ:
                break
            k = b
            while k > before[0] and _is_space(units[k - 1]):
                k -= 1
            before[1], before[2], before[4] = k, b, 0.0
            last[0] = b
            break


def _best_break(rank_at: list[int], start: int, overflow: int) -> int:
    """Where a line from ``start`` that overflows at ``overflow`` ends: the last break of
    the best rank available on it, else right before the overflowing character."""
    for wanted in (GOOD, SPLITS_WORD, SPLITS_NUMBER):
        for b in range(overflow, start, -1):
            if rank_at[b] >= wanted:
                return b
    return overflow
