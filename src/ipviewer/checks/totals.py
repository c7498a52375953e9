"""Parts never exceed their total: "1,402 cases …, 24 of them for patent counterfeiting",
"共盘点存量专利4.9万件，其中3.8万件纳入…".

A total is stated, then parts of it: after "of which", "among which", "including" (Chinese
其中), or as "24 of them". Only parts in the total's unit count (and, in Chinese, with the
same counter: 件 is not 家). Whether the parts are all of the total the text rarely says,
so only a sum of parts that EXCEEDS the total is reported — that is always wrong. Printed
figures are rounded: the sum must exceed the total by more than the rounding allows. A total
that is only a lower bound ("over 450,000", 超过) is not checked.

Which figures are parts is read conservatively, so that a correct text is never flagged:
the first figure right after the marker, then further figures only while they continue a
list (a comma or "and" between short phrases; in Chinese 、/，/和 after a figure that ends
its clause). A figure in another unit, a semicolon or the sentence end closes the list.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from decimal import Decimal

from ..i18n import _
from ..indicators import LOWER_BOUNDS, ROUNDED, ZH_COUNTERS, half_unit
from ..model import Figure
from ..numbers import format_figure
from ..prose.extract import split_sentences
from ..script import fold_for_number
from .finding import Finding, RenderedText

#: Markers before the parts ("of which 19,955 were invention patents").
_EN_BEFORE = re.compile(
    r"\b(?:of which|among which|of whom|among whom|among them|of these|among these"
    r"|including|which included|comprising)\b", re.IGNORECASE)
#: Markers right after a part ("50,700 of them invention patents").
_EN_AFTER = re.compile(r"\s+(?:of (?:them|which|these|whom)|among them)\b", re.IGNORECASE)
_ZH_BEFORE = re.compile(r"其中")
#: How far (characters) the first part may stand from its marker.
_FIRST_PART_WITHIN = {"en": 60, "zh": 30}
#: Most parts read after one marker, and most figures looked back over for the total:
#: prose never lists more, and the bounds keep a text of thousands of figures linear.
_MAX_PARTS = 40
_LOOK_BACK = 40
#: Between two parts in English: a short phrase, then a comma or and/or right before the
#: next figure (only a qualifier or currency between): "600 civil and 500 criminal cases",
#: "19,955 were invention patents, 3,000 were utility models"; not ", and concluded 2,950".
_EN_LIST_GAP = re.compile(
    r"(?:\s+[^\s,;]+){0,6}?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
    r"(?:(?:over|nearly|almost|about|around|some|more than|another|a further|RMB|US\$|\$)\s*)?",
    re.IGNORECASE)
_ZH_SEPARATORS = "，、,和及与"
#: A Chinese clause that starts with a verb or a new total is no longer the list of parts:
#: "其中…24件，办结2950件".
_ZH_NEW_CLAUSE = re.compile(
    r"(?:同比|较上年|共|累计|合计|总计|办结|审结|结案|实现|完成|调解成功|受理|办理|处理|查处|认定|新增"
    r"|发放|批准|立案|举办|开展|达到|涉及|新认定|培训|占)")


_NUMBER = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def _slack(figure: Figure) -> Decimal:
    """How far the true value may be from the printed one: half a unit of the last digit
    printed ("2.3万" ±500, "32 billion" ±0.5 billion, "1,402" exact), or of the rounding of
    an approximate figure ("nearly 23,000" ±500)."""
    if figure.qualifier in ROUNDED:
        return half_unit(figure.value)
    found = _NUMBER.search(fold_for_number(figure.text))
    if not found:
        return Decimal(0)
    try:
        printed = Decimal(found.group().replace(",", ""))
    except ArithmeticError:
        return Decimal(0)
    if not printed:
        return Decimal(0)
    scale = abs(figure.value / printed)
    return scale * Decimal(1).scaleb(-len(found.group(1) or "")) / 2 if (
        scale > 1 or found.group(1)) else Decimal(0)


def _counter(text: str, figure: Figure) -> str:
    """The Chinese counter right after a figure (件, 家 …), or ''."""
    rest = text[figure.end:figure.end + 3].lstrip("余多")
    return rest[:1] if rest[:1] and rest[:1] in ZH_COUNTERS else ""


def _same_unit(text: str, lang: str, a: Figure, b: Figure) -> bool:
    if a.unit != b.unit or a.unit == "%":
        return False
    if lang == "zh":
        ca, cb = _counter(text, a), _counter(text, b)
        return not ca or not cb or ca == cb
    return True


def _continues_list(text: str, lang: str, previous: Figure, nxt: Figure) -> bool:
    """Is ``nxt`` the next item of a list of parts that ``previous`` is in?"""
    gap = text[previous.end:nxt.start]
    if lang == "zh":  # 发明专利5万件，实用新型8万件: the part ends its clause
        rest = gap.lstrip("余多")[len(_counter(text, previous)):]
        return (bool(rest) and rest[0] in _ZH_SEPARATORS and len(rest) <= 12
                and not _ZH_NEW_CLAUSE.match(rest[1:].lstrip("和及与")))
    return bool(_EN_LIST_GAP.fullmatch(gap))


class _Sentences:
    def __init__(self, text: str, lang: str) -> None:
        self.spans = split_sentences(text, lang)
        self.starts = [s for s, _e in self.spans]

    def index(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)


class _Figures:
    """The figures of a text in order, found by position with a binary search."""

    def __init__(self, figures: list[Figure]) -> None:
        self.all = sorted(figures, key=lambda f: f.start)
        self.starts = [f.start for f in self.all]

    def from_(self, lo: int, hi: int) -> list[Figure]:
        """The figures starting in ``[lo, hi)``, at most :data:`_MAX_PARTS` + 1 of them."""
        k = bisect_left(self.starts, lo)
        return self.all[k:min(bisect_left(self.starts, hi), k + _MAX_PARTS + 1)]

    def before(self, hi: int) -> list[Figure]:
        """The nearest figures ending by ``hi``, nearest first, at most :data:`_LOOK_BACK`."""
        k = bisect_left(self.starts, hi)
        found = []
        for f in reversed(self.all[max(0, k - _LOOK_BACK - 1):k]):
            if f.end <= hi:
                found.append(f)
        return found[:_LOOK_BACK]


def _total_before(figures: _Figures, pos: int, part: Figure, text: str, lang: str,
                  sentences: _Sentences, exclude: set[int]) -> Figure | None:
    """The nearest figure before ``pos`` in the part's unit, in the same sentence (or in the
    sentence before, when the marker opens its sentence: "其中，…", "Of these, …")."""

    def last(lo: int, hi: int) -> Figure | None:
        for f in figures.before(hi):
            if f.start < lo:
                break
            if id(f) not in exclude and _same_unit(text, lang, f, part):
                return f
        return None

    k = sentences.index(pos)
    start = sentences.spans[k][0] if sentences.spans else 0
    total = last(start, pos)
    if total is None and k > 0 and not text[start:pos].strip(" *\"“，,：:"):
        total = last(sentences.spans[k - 1][0], start)
    return total


def totals_findings(node_id: int | None, rendered: RenderedText) -> list[Finding]:
    """An error where the parts stated of a total add up to more than the total."""
    text, lang = rendered.text, rendered.lang
    if len(rendered.figures) < 2:
        return []
    figures = _Figures(rendered.figures)
    sentences = _Sentences(text, lang)
    groups: dict[int, tuple[Figure, dict[int, Figure]]] = {}  # id(total) -> total, parts

    def add(total: Figure | None, parts: list[Figure]) -> None:
        if total is None or not parts or total.qualifier in LOWER_BOUNDS:
            return
        entry = groups.setdefault(id(total), (total, {}))
        for part in parts:
            entry[1][id(part)] = part

    marker = _ZH_BEFORE if lang == "zh" else _EN_BEFORE
    for m in marker.finditer(text):
        k = sentences.index(m.start())
        end = sentences.spans[k][1] if sentences.spans else len(text)
        after = figures.from_(m.end(), end)
        if not after or after[0].unit == "%" or (
                after[0].start - m.end() > _FIRST_PART_WITHIN[lang]):
            continue
        first = after[0]
        total = _total_before(figures, m.start(), first, text, lang, sentences, set())
        if total is None:
            continue
        parts = [first]
        for nxt in after[1:_MAX_PARTS]:
            between = text[parts[-1].end:nxt.start]
            if (not _same_unit(text, lang, total, nxt) or ";" in between or "；" in between
                    or not _continues_list(text, lang, parts[-1], nxt)):
                break
            parts.append(nxt)
        add(total, parts)
    if lang == "en":
        marked = [f for f in figures.all if _EN_AFTER.match(text, f.end)]
        ids = {id(f) for f in marked}
        for part in marked:
            add(_total_before(figures, part.start, part, text, lang, sentences, ids), [part])

    findings = []
    for total, parts in groups.values():
        low = sum((p.value - _slack(p) for p in parts.values()), Decimal(0))
        if low <= total.value + _slack(total):
            continue
        ordered = sorted(parts.values(), key=lambda f: f.start)
        if len(ordered) == 1:
            message = _("the part {part} is more than its total {total}").format(
                part=ordered[0].text, total=total.text)
        else:
            message = _("the parts {parts} add up to {sum}, more than their total "
                        "{total}").format(
                parts=" + ".join(p.text for p in ordered), total=total.text,
                sum=format_figure(sum((p.value for p in ordered), Decimal(0)), total.unit,
                                  "", lang))
        findings.append(Finding("error", "parts-exceed-total", message, rendered.where,
                                node_id, rendered.key_at(total.start, total.end)))
    return findings
