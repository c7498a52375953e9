"""Text for reportlab paragraphs: escaping, and Chinese line breaking done properly.

Two jobs, both needed before any report text reaches a ``Paragraph``:

* :func:`clean_text` / :func:`markup` — report text is *text*, never markup. ``Paragraph``
  parses XML-ish markup (``<img src=...>`` reads local files, ``<para>`` or an unclosed
  ``<b>`` breaks the layout), so every piece of user text is escaped here and control
  characters are removed; the only markup in a paragraph comes from our own templates.
* :class:`CJKParagraph` — reportlab's ``wordWrap='CJK'`` cuts "like a knife" between any two
  characters and only hangs a single closing mark; it happily starts a line with ``，`` after a
  Latin run, ends one with ``《`` and splits ``150,800件`` or ``15.08万`` between digits and
  unit. :class:`CJKParagraph` replaces that line breaker with one that only breaks where
  Chinese typesetting allows (:func:`break_opportunities`): never before closing punctuation,
  never after opening punctuation, never inside a number with its unit, a Latin word, a
  ``——`` or ``……``. Lines are otherwise filled greedily, the same line objects reportlab
  makes, so drawing, splitting across pages and ``blPara.lines`` work as usual.

Pure functions apart from the paragraph class; no Qt.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate, groupby
from operator import attrgetter

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import (
    _FUZZ,
    FragLine,
    Paragraph,
    ParaLines,
    _handleBulletWidth,
    cjkU,
    imgNormV,
    imgVRange,
)

from ..indicators import ZH_COUNTERS
from ..numbers import ZH_SCALES
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
    register_callbacks,
)
from .font_variants import LATIN, variant

__all__ = [
    "CLOSING",
    "OPENING",
    "CJKParagraph",
    "break_opportunities",
    "break_ranks",
    "clean_text",
    "control_characters",
    "escape",
    "line_texts",
    "markup",
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
_QUOTES = frozenset("‘’“”")
_FRAG_OF = attrgetter("_frag")
#: Ascent and descent by (font, size).
_ASCENT: dict[tuple[str, float], tuple[float, float]] = {}
#: Marks that may be squeezed to half width (:mod:`.cjk_justify`).
_MARKS = CLOSE_SQUEEZE | OPEN_SQUEEZE
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

_CONTROL_KEEP = {"\t", "\n"}

#: Anything but a Han character (ideographs are all alike for line breaking).
_NOT_HAN = re.compile("[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


#: Bidi overrides and isolates: they reorder what follows them (a "Trojan Source" trick).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_characters(text: str) -> list[str]:
    """The control and other invisible-format characters of ``text`` that we remove.

    Tab and newline are kept (they are white space); C0/C1 controls, lone surrogates, the
    non-characters U+FFFE/U+FFFF and the bidi overrides are not printable in a PDF.
    """
    found: list[str] = []
    for ch in text:
        if ch in _CONTROL_KEEP:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs") or ch in "\ufffe\uffff" or ch in _BIDI_CONTROLS:
            found.append(ch)
    return found


def clean_text(text: str) -> str:
    """``text`` without control characters (tab and newline kept), NFC-normalised."""
    bad = set(control_characters(text))
    if bad:
        text = "".join(ch for ch in text if ch not in bad)
    return unicodedata.normalize("NFC", text)


def escape(text: str) -> str:
    """``text`` made safe for reportlab's paragraph parser: ``& < >`` and quotes escaped."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def markup(text: str, runs: Sequence[tuple[str | None, str]] | None = None) -> str:
    """Paragraph markup for plain ``text``: escaped, line breaks as ``<br/>``.

    ``runs`` (``text`` cut into runs, as ``fonts.font_runs`` does) names, for each run,
    the font to switch to with ``<font name="...">``, or None to keep the paragraph's
    font. The font names come from our font set, never from the text.
    """
    if runs is None:
        runs = [(None, text)]
    out: list[str] = []
    for font, run in runs:
        body = escape(clean_text(run)).replace("\n", "<br/>")
        out.append(f'<font name="{escape(font)}">{body}</font>' if font else body)
    return "".join(out)


def number_spans(text: str) -> list[tuple[int, int]]:
    """Where the numbers with their units are in ``text`` (start, end): never broken."""
    return [(m.start(), m.end()) for m in _NUMBER.finditer(text) if m.end() - m.start() > 1]


def _is_latin(ch: str) -> bool:
    """A character of a Latin/Greek/Cyrillic word (not CJK, not space, not punctuation)."""
    return ord(ch) < 0x2E80 and bool(_LATIN_JOIN.match(ch))


def _is_wide(ch: str) -> bool:
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
    inside = [False] * (n + 1)
    # between two Han characters the end is GOOD: only the places next to anything else
    # (punctuation, Latin, digits, spaces) and inside numbers with their units are ranked
    todo = set()
    for start, end in number_spans(text):
        for k in range(start + 1, end):
            inside[k] = True
            todo.add(k)
    for m in _NOT_HAN.finditer(text):
        todo.add(m.start())
        todo.add(m.start() + 1)
    for k in sorted(todo):
        if not 0 < k < n:
            continue
        a, b = text[k - 1], text[k]
        if b in CLOSING or a in OPENING:
            ranks[k] = BAD
        elif inside[k]:
            ranks[k] = SPLITS_NUMBER
        elif b.isspace():
            ranks[k] = SPLITS_WORD  # the space ends the line instead
        elif a.isspace():
            ranks[k] = GOOD
        elif a in _DOUBLED and b == a:
            ranks[k] = SPLITS_WORD
        elif a in "-/" and k >= 2 and _is_latin(text[k - 2]) and _is_latin(b):
            ranks[k] = GOOD
        elif not _is_wide(a) and not _is_wide(b):
            # Latin text (words, "e.g.", "(WIPO)", "1+1+X"): breaks only at spaces
            ranks[k] = SPLITS_WORD
    return ranks


def break_opportunities(text: str) -> list[bool]:
    """``allowed[k]``: may a line end between ``text[k-1]`` and ``text[k]`` by all rules?"""
    return [rank == GOOD for rank in break_ranks(text)]


class CJKParagraph(Paragraph):
    """A ``Paragraph`` whose CJK line breaking follows :func:`break_opportunities`.

    Use it with a style whose ``wordWrap`` is ``'CJK'`` (Chinese styles only); with any
    other style it behaves exactly like ``Paragraph``. Lines are filled greedily; a
    line that cannot end where the text overflows ends at the last allowed break
    before it (the carried characters start the next line). Only when a line has no
    allowed break at all (a URL wider than the column) is it cut where it overflows.
    """

    def breakLinesCJK(self, maxWidths):
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        style = self.style
        self.height = 0
        _handleBulletWidth(self.bulletText, style, maxWidths)
        frags = self.frags
        if not frags:
            return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName,
                             textColor=style.textColor, lines=[], ascent=style.fontSize,
                             descent=-0.2 * style.fontSize)
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        calc_bounds = auto_leading not in ("", "off")
        # The contents page makes the document build twice, and keeping headings with
        # their text wraps paragraphs more than once: the same frags at the same widths
        # break the same way, so the lines are worked out once.
        key = (tuple(maxWidths), calc_bounds)
        cached = getattr(self, "_cjk_lines", None)
        if cached is not None and cached[0] == key and cached[1] is frags:
            return cached[2]
        justify = style.alignment == TA_JUSTIFY
        lines = ParaLines(kind=1, lines=break_frags(frags, maxWidths, calc_bounds, justify))
        self._cjk_lines = (key, frags, lines)
        return lines

    def breakLines(self, width):
        """Reportlab's line breaking for Latin text, worked out once per width (see
        :meth:`breakLinesCJK`); the attributes it sets are restored from the first run."""
        key = tuple(width) if isinstance(width, (list, tuple)) else (width,)
        cached = getattr(self, "_latin_lines", None)
        if cached is not None and cached[0] == key and cached[1] is self.frags:
            self.height = 0
            self._width_max = cached[3]
            return cached[2]
        lines = super().breakLines(width)
        self._latin_lines = (key, self.frags, lines, getattr(self, "_width_max", 0))
        return lines

    def draw(self):
        register_callbacks(self.canv)
        super().draw()

    def _get_split_blParaFunc(self):
        if self.style.wordWrap == "CJK" and self.blPara.kind == 1:
            return _split_cjk_lines
        return super()._get_split_blParaFunc()


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
    mark_at = [i for i, u in enumerate(units) if u in marks] if marks else []
    for i in mark_at:
        kinds[i] = _kind(units[i], widths[i])
    squeeze = pair_squeeze(kinds, widths)
    squeezed = [j for j in mark_at if squeeze[j]]
    narrow = {c for c in chars if is_narrow(c)}
    narrow_at = [i for i, u in enumerate(units) if u in narrow] if narrow else []
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
        while k > start and (_is_space(units[k - 1]) or hasattr(units[k - 1].frag, "lineBreak")):
            k -= 1
        specs.append([start, k, stop, forced, end_sq])
        start = stop
    if justify:
        _lengthen_last_lines(specs, units, widths, squeeze, rank_at, max_widths)

    lines = []
    last = len(specs) - 1
    for number, (start, k, stop, forced, end_sq) in enumerate(specs):
        max_width = max_widths[min(number, len(max_widths) - 1)]
        content = list(units[start:k])
        width = sum(widths[start:k])
        # squeezed pairs: the mark with the white goes half
        for j in squeezed[bisect_left(squeezed, start):bisect_left(squeezed, k - 1)]:
            m = j if kinds[j] == CLOSE_KIND else j + 1
            content[m - start] = half_unit(units[m])
            width -= squeeze[j]
        if end_sq:
            content[-1] = half_unit(units[k - 1])
            width -= end_sq
        extra = max_width - width if justify and not forced and number < last else 0.0
        line_units = content + units[k:stop]
        if extra > 1e-6:
            at = narrow_at[bisect_left(narrow_at, start):bisect_left(narrow_at, k)]
            line_units = justified_units(content, extra, [i - start for i in at]) + units[k:stop]
            width += extra
        lines.append(_make_line(line_units, max_width, width, forced, calc_bounds))
    return lines


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
        if all(not _is_wide(ch) for ch in around) and any(_is_latin(ch) for ch in around):
            f = u.frag.clone()
            f.fontName = variant(f.fontName, LATIN)
            units[i] = _unit(str(u), f)


#: Squeezing kind by (character, font, size, width): a font's marks are looked at once.
_KINDS: dict[tuple[str, str, float, float], int] = {}


def _kind(u: cjkU, width: float) -> int:
    f = u._frag
    key = (str(u), f.fontName, f.fontSize, width)
    found = _KINDS.get(key)
    if found is None:
        found = _KINDS[key] = kind_of(key[0], width, f.fontName, f.fontSize)
    return found


def _is_space(u) -> bool:
    return bool(u) and u.isspace() and not hasattr(u.frag, "lineBreak")


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


def _split_cjk_lines(blPara, start: int, stop: int) -> list:
    """The frags of lines ``start:stop``, as they are (reportlab's own split adds a space
    at every line end, which is right for Latin text and wrong for Chinese)."""
    return [word for line in blPara.lines[start:stop] for word in line.words]


def line_texts(paragraph: Paragraph) -> list[str]:
    """The text of each line of a wrapped paragraph (for tests and checks)."""
    lines = paragraph.blPara.lines
    out = []
    for line in lines:
        if hasattr(line, "words"):
            out.append("".join(getattr(w, "text", "") for w in line.words))
        else:  # kind 0: (extraSpace, [words])
            out.append(" ".join(line[1]))
    return out
