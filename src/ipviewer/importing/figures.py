"""Find the figures in a paragraph of white-paper prose, in English or Chinese (no Qt).

The work is done sentence by sentence:

1. candidates: numbers with their scale (million, 万, 亿), unit (RMB, 元, %) and qualifier
   (over, nearly, 超过, 近, 余 ...), minus what is not an indicator: years, ordinals, dates,
   ranges, document and list numbers, numbers inside names (G20, Top 10, 1+1+X, per 10,000);
2. rates: percentages introduced by a change word (up by, an increase of, 同比增长, 下降 ...)
   become the year-on-year change of the figure(s) before them ("respectively"/分别 pairs the
   Nth figure with the Nth rate) and are not figures themselves;
3. labels: a short noun phrase from the words around each figure.
"""

from __future__ import annotations

import itertools
import re
import string
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal

from ipviewer.model import Figure
from ipviewer.numbers import (
    CURRENCIES,
    ZH_COUNTERS,
    NumberError,
    canonical_unit,
    parse_number,
    scale_power,
    scale_value,
)

__all__ = ["extract_figures", "split_sentences"]

MAX_LABEL_WORDS = 8
MAX_ZH_LABEL = 16
#: How far (characters) the context checks look around a number; keeps long sentences linear.
WINDOW = 160
#: A figure's ``sentence`` is the whole sentence up to this length, else the part around the
#: figure (thousands of figures in one long sentence must not each hold all of it).
MAX_SENTENCE = 600

# --------------------------------------------------------------------------- sentences

# Patterns run over a whole paragraph start only at the beginning of a run of the
# characters they repeat (a lookbehind) and do not give back what they took (possessive
# quantifiers): a run of a million "!" or blanks is read once, not once per character.
_EN_END = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]*]*+(?=\s|$)")
_ZH_END = re.compile(r"(?<![。！？；!?;])[。！？；!?;]++[”’\"')）\]】」』*]*+")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*+\n\s*+")
#: The word before an English sentence end, read from the 40 characters before it.
_WORD_BEFORE_END = re.compile(r"(?<![\w.])[\w.]++$")
_NEXT_VISIBLE = re.compile(r"\s*+(\S?)")
_EN_ABBREV = {
    "no", "nos", "mr", "mrs", "ms", "dr", "prof", "st", "co", "ltd", "inc", "corp", "art",
    "vol", "fig", "vs", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "e.g", "i.e", "u.s", "p.r", "para", "ch", "sec",
}


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, without surrounding blanks.

    English ends at ``.``, ``!``, ``?`` before a blank (not in ``17.9858``, ``No. 5`` or
    ``e.g. the``); Chinese at 。！？；. A blank line always ends a sentence.
    """
    cuts = {m.end() for m in _PARAGRAPH_BREAK.finditer(text)}
    if lang == "zh":
        cuts.update(m.end() for m in _ZH_END.finditer(text))
    else:
        for m in _EN_END.finditer(text):
            word = _WORD_BEFORE_END.search(text, max(0, m.start() - 40), m.start())
            token = word.group().lower() if word else ""
            after = _NEXT_VISIBLE.match(text, m.end()).group(1)  # type: ignore[union-attr]
            if token in _EN_ABBREV or (len(token) == 1 and token.isalpha()):
                continue
            if after.islower() or after.isdigit():
                continue
            cuts.add(m.end())
    spans, start = [], 0
    for cut in sorted(cuts | {len(text)}):
        chunk = text[start:cut]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right > left:
            spans.append((start + left, start + right))
        start = cut
    return spans


# --------------------------------------------------------------------------- helpers


def _fold(text: str) -> str:
    """Same-length copy of ``text`` with full-width ASCII folded and odd minus/blank signs plain.

    A full-width comma becomes a thousands separator only between full-width digits,
    so Chinese prose commas stay what they are.
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


@dataclass
class _Cand:
    """A number found in a sentence, before it is kept, dropped or turned into a rate."""

    start: int
    end: int
    value: Decimal
    unit: str = ""
    qualifier: str = ""
    qual_start: int = -1
    is_word: bool = False
    rate: Decimal | None = None
    change: bool = False
    yoy: Decimal | None = None
    noun: str = ""
    label: str = ""

    @property
    def is_pct(self) -> bool:
        return self.unit == "%"

    @property
    def is_figure(self) -> bool:
        """Neither a change rate nor an absolute change ("up 1.4 from 2022")."""
        return self.rate is None and not self.change

    @property
    def left(self) -> int:
        """Where the figure and its qualifier begin."""
        return self.qual_start if self.qual_start >= 0 else self.start


_NUM = r"\d{1,3}(?:, ?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_EN_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
_EN_CAND = re.compile(
    r"(?<![\w.])(?:(?P<pre>RMB|CNY|USD|US\$|\$|¥)\s?)?(?P<neg>-)?"
    rf"(?:(?P<num>{_NUM})|(?P<word>(?i:{'|'.join(_EN_WORDS)}))\b(?!-))"
    r"(?:\s?(?P<pct>%|percent\b|per cent\b)"
    r"|(?P<scale>(?:\s+(?:hundred|thousand|million|billion|trillion)\b)+)?"
    r"(?P<unit>\s+(?:RMB|yuan|CNY|USD|US dollars)\b)?)"
)
_ZH_DIGITS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_WORD_COUNTERS = "个家项次名件批场所位条款笔座处部篇支类种户人"
_ZH_CAND = re.compile(
    r"(?<![0-9A-Za-z.])(?:(?P<pre>RMB|人民币|¥|US\$|\$)\s?)?(?P<neg>-)?"
    rf"(?:(?P<num>{_NUM})(?P<q1>[余多])?(?P<scale>[十百千万萬亿億]+)?(?P<q2>[余多])?"
    r"(?:(?P<pct>%)|(?P<unit>元人民币|元|美元|欧元))?"
    r"|(?<![第前一二三四五六七八九十两百千万亿零〇])"
    r"(?P<word>[二三四五六七八九]十[一二三四五六七八九]?|十[一二三四五六七八九]?|两|[三四五六七八九])"
    rf"(?=[{_ZH_WORD_COUNTERS}]))"
)

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_EN_QUALIFIERS = {
    "more than": "more than", "over": "over", "above": "over", "in excess of": "over",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "about": "about",
    "approximately": "about", "around": "about", "roughly": "about", "some": "about",
    "exceeding": "exceeding", "exceeded": "exceeding", "exceeds": "exceeding",
    "at least": "at least", "up to": "up to", "less than": "less than",
    "fewer than": "less than", "under": "less than",
}
_EN_QUAL_RE = re.compile(
    r"\b(" + "|".join(sorted(_EN_QUALIFIERS, key=len, reverse=True)) + r")\s+$", re.IGNORECASE
)
_ZH_QUALIFIERS = {
    "超过": "over", "超": "over", "逾": "over", "突破": "exceeding", "近": "nearly",
    "接近": "nearly", "将近": "nearly", "约": "about", "大约": "about", "不足": "less than",
    "不到": "less than", "至少": "at least",
}
_ZH_QUAL_RE = re.compile("(" + "|".join(sorted(_ZH_QUALIFIERS, key=len, reverse=True)) + ")$")
_EN_SKIP_BEFORE = re.compile(
    r"(?:\b(?:No|Nos|Number|Article|Articles|Art|Chapter|Section|Part|Item|Clause|Paragraph"
    r"|Para|Class|Phase|Level|Grade|Version|Top|Room|Decree|Order|Annex|Appendix|Table"
    r"|Figure|Fig|Batch|Round|Edition|Volume|Vol|Issue|ISO|GB|GB/T|per)\.?|[#№])\s*$",
    re.IGNORECASE,
)
_AFTER_COLON = re.compile(r"[:;]\s*$")
_EN_SKIP_AFTER = re.compile(r"\s*(?:percentage points?\b|times\b|-?fold\b|-year\b)", re.IGNORECASE)
_ZH_SKIP_AFTER = re.compile(r"(?:[年月日号时点岁倍届代]|周年|世纪|个百分点|百分点)")
_DURATIONS = {"years", "months", "days", "weeks", "hours", "minutes", "working days"}
_TIME_NOUNS = {"years", "year", "months", "month", "days", "day", "weeks", "week", "hours",
               "decades", "times", "o'clock"}


def _year_like(cand: re.Match[str]) -> bool:
    """A bare four-digit number between 1900 and 2100."""
    num = cand["num"] or ""
    return (len(num) == 4 and num.isdigit() and 1900 <= int(num) <= 2100
            and not (cand["pct"] or cand["scale"] or cand["unit"] or cand["pre"]))


def _quoted(before: str) -> bool:
    """Is the end of ``before`` inside quotation marks?"""
    return (before.count('"') % 2 == 1 or before.count("“") > before.count("”")
            or before.count("「") > before.count("」"))


# --------------------------------------------------------------------------- candidates


#: A sign glued before / after a number that makes it part of something else:
#: 1+1+X, 5/10, a time or ratio (10:30, 1:2). A colon after a word ("Agencies:362",
#: 专利方面：19家) only introduces the figure.
_GLUED_BEFORE = re.compile(r"(?:[+/]|\d\s?:)$")
_GLUED_AFTER = re.compile(r"[+/]|:\d|,\d")  # also lists of digits: 1,2,3


_LIST_HEAD = re.compile(r"[\s*#(（-]*")
_LIST_MARK = re.compile(r"[.)）、．](?!\d)")


def _list_number(scan: str, a: int, b: int, head_end: int) -> bool:
    """Does ``scan[a:b]`` number a list item: sentence-initial and followed by '.', ')' or '、'?

    Only blanks, markup and an opening bracket may come before it ("1. ", "2)", "3、",
    "1.Text", "(4)"): the sentence's run of those ends at ``head_end`` (found once per
    sentence, not once per number). A figure is followed by a counter or a noun instead.
    """
    if a > head_end:
        return False
    return bool(_LIST_MARK.match(scan, b))


def _list_head_end(scan: str, s: int, e: int) -> int:
    """Where the blanks, markup and brackets that open sentence ``scan[s:e]`` end."""
    return _LIST_HEAD.match(scan, s, e).end()  # type: ignore[union-attr]  # always matches


def _skip_common(scan: str, m: re.Match[str], s: int, head_end: int) -> bool:
    """Non-indicators both languages share: glued signs, ranges, list numbers, malformed.

    The sentence start ``s`` is not a sign: a figure opening a sentence is checked like
    any other.
    """
    a, b = m.start(), m.end()
    if _GLUED_BEFORE.search(scan, max(s, a - 3), a) or _GLUED_AFTER.match(scan, b):
        return True
    if re.match(r"\s?[-–—~～至]\s?\d", scan[b:b + 4]) or re.search(
            r"\d\s?[-–—~～至]\s?$", scan[max(s, a - 4):a]):
        return True  # ranges: 2021-2035, (2024–2026)
    if _list_number(scan, a, b, head_end):
        return True
    head = scan[max(s, a - 8):a]
    if head.rstrip().endswith(("(", "（")) and scan[b:b + 3].lstrip().startswith((")", "）")):
        return not m["pct"]  # (1)
    return False


#: How far before a number (blanks right before it not counted) the patterns that end at
#: the number look: the longest word they know ("approximately", "Paragraph.") fits.
_REACH = 16
_FIRST_LETTER = re.compile(r"[A-Za-z]")
_NAME_BEFORE = re.compile(r"([A-Za-z][\w'&-]*)\s+$")
_EN_MONTH_BEFORE = re.compile(rf"\b{_MONTHS}\.?\s+$")


def _tail_search(pattern: re.Pattern[str], scan: str, lo: int, a: int,
                 reach: int = _REACH) -> re.Match[str] | None:
    """``pattern``, which ends with ``$``, searched in ``scan[lo:a]`` from only ``reach``
    characters before the blanks that end it: a number costs the same whatever its
    window holds."""
    k = a
    while k > lo and scan[k - 1].isspace():
        k -= 1
    return pattern.search(scan, max(lo, k - reach), a)


def _en_candidates(scan: str, s: int, e: int) -> list[_Cand]:
    """English number candidates of sentence ``scan[s:e]``."""
    out: list[_Cand] = []
    first_word = _FIRST_LETTER.search(scan, s, e)
    first_at = first_word.start() if first_word else e
    head_end = _list_head_end(scan, s, e)
    for m in _EN_CAND.finditer(scan, s, e):
        a, b = m.start(), m.end()
        lo, after = max(s, a - WINDOW), scan[b:min(e, b + WINDOW)]
        if re.match(r"[A-Za-z\d]", after) or _EN_SKIP_AFTER.match(after) or re.match(
                r"\s+consecutive\b", after, re.IGNORECASE):
            continue  # 5G, 21st, 1990s, "2.7 percentage points", "two-tier"
        if _tail_search(_EN_SKIP_BEFORE, scan, lo, a):
            continue  # No. 5, Article 3, Top 10, per 10,000
        qual = _tail_search(_EN_QUAL_RE, scan, lo, a)
        if m["word"]:
            # "Results: Two centers"
            opens = a <= first_at or _tail_search(_AFTER_COLON, scan, lo, a)
            if (m["word"][0].isupper() and not opens) or _quoted(scan[max(s, a - 4 * WINDOW):a]):
                continue  # "the Two Sessions", "one case, four investigations"
            nxt = re.match(r"\s+([A-Za-z][\w'-]*)(?:\s+([A-Za-z][\w'-]*))?", after)
            if not nxt or {w.lower() for w in nxt.groups() if w} & _TIME_NOUNS:
                continue  # "two years", "three consecutive years"
            number = Decimal(_EN_WORDS[m["word"].lower()])
        else:
            if _skip_common(scan, m, s, head_end):
                continue
            if _year_like(m) and not (qual and re.match(r"\s+[a-z]", after)):
                continue  # 2024, "over 2022"; but "over 2000 cases"
            try:
                number = parse_number(m["num"])
            except NumberError:
                continue
            if int(number) <= 31 and (
                _tail_search(_EN_MONTH_BEFORE, scan, lo, a)
                or re.match(rf"\s+{_MONTHS}\b", after)
            ):
                continue  # April 26, 26 April
            name = _NAME_BEFORE.search(scan, lo, a) if scan[a - 1:a].isspace() else None
            if (name and name.group(1)[0].isupper() and name.start() > first_at
                    and name.group(1).lower() not in _EN_QUALIFIERS):
                continue  # Industry 4.0, Fortune 500
        if m["neg"]:
            number = -number
        try:
            value, unit = _value_and_unit(number, m)
        except NumberError:
            continue  # "1 million million": not a figure (it stays text)
        cand = _Cand(a, b, value, unit, is_word=bool(m["word"]))
        if qual:
            cand.qualifier = _EN_QUALIFIERS[qual.group(1).lower()]
            cand.qual_start = qual.start()
        out.append(cand)
    return out


def _value_and_unit(number: Decimal, m: re.Match[str]) -> tuple[Decimal, str]:
    """The scaled value and the unit of candidate ``m``; :class:`NumberError` when the
    scale is not one (万万, "million million") or the value is out of bounds."""
    power = scale_power(m["scale"]) if m["scale"] else 0
    unit = "%" if m["pct"] else canonical_unit(m["unit"] or m["pre"] or "")
    return scale_value(number, power), unit


def _zh_word_value(word: str) -> int:
    """Value of a small Chinese numeral: 两, 七, 十二, 二十三."""
    if "十" not in word:
        return _ZH_DIGITS[word]
    tens, _, ones = word.partition("十")
    return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0)


_ZH_DURATIONS = {"个月": "months", "个工作日": "working days", "个小时": "hours", "天": "days",
                 "周": "weeks"}


def _zh_candidates(scan: str, s: int, e: int) -> list[_Cand]:
    """Chinese number candidates of sentence ``scan[s:e]``."""
    out: list[_Cand] = []
    head_end = _list_head_end(scan, s, e)
    for m in _ZH_CAND.finditer(scan, s, e):
        a, b = m.start(), m.end()
        lo, after = max(s, a - WINDOW), scan[b:min(e, b + WINDOW)]
        if m["word"]:
            if _quoted(scan[max(s, a - 4 * WINDOW):a]):
                continue
            cand = _Cand(a, b, Decimal(_zh_word_value(m["word"])), is_word=True)
        else:
            if re.match(r"[A-Za-z]", after) or _skip_common(scan, m, s, head_end):
                continue
            if scan.endswith(("第", "前", "No.", "No", "编号", "每"), lo, a):
                continue
            duration = re.match(r"个月|个工作日|个小时|天|周", after) if not m["scale"] else None
            plain = not (m["pct"] or m["unit"] or m["scale"] or duration)
            if plain and _ZH_SKIP_AFTER.match(after):
                continue  # 2024年, 4月26日, 5号, 2个百分点, 1.2倍
            if _year_like(m) and not re.match(rf"[{_ZH_WORD_COUNTERS}余多]", after):
                continue
            try:
                number = parse_number(m["num"])
            except NumberError:
                continue
            if m["neg"]:
                number = -number
            try:
                value, unit = _value_and_unit(number, m)
            except NumberError:
                continue  # 1万万: not a figure (it stays text)
            if duration and not unit:
                unit = _ZH_DURATIONS[duration.group()]  # 审查周期压减至16个月
            end = b
            if not (m["pct"] or m["unit"]) and (m["q2"] or (m["q1"] and not m["scale"])):
                end = b - 1  # 余/多 closing the figure is a qualifier: "45万余" -> "45万"
            cand = _Cand(a, end, value, unit)
            if m["q1"] or m["q2"]:
                cand.qualifier = "more than"
            elif re.match(rf"[{_ZH_WORD_COUNTERS}]*(?:以上)", after):
                cand.qualifier = "over"
            elif re.match(rf"[{_ZH_WORD_COUNTERS}]*(?:左右)", after):
                cand.qualifier = "about"
        qual = _tail_search(_ZH_QUAL_RE, scan, lo, a)
        if qual and not cand.qualifier:
            cand.qualifier = _ZH_QUALIFIERS[qual.group(1)]
            cand.qual_start = qual.start()
        out.append(cand)
    return out


# --------------------------------------------------------------------------- rates

_EN_UP = (r"up|increase[sd]?|increasing|growth|grew|grow(?:s|ing|n)?|rise|rose|rising|risen"
          r"|gain(?:s|ed)?|jump(?:s|ed)?|surge[sd]?|climb(?:s|ed)?|expan(?:d|ded|sion)|higher")
_EN_DOWN = (r"down|decrease[sd]?|decreasing|decline[sd]?|declining|drop(?:s|ped)?|fall|fell"
            r"|fallen|falling|lower|reduction|reduced?|shr[ai]nk|dip(?:s|ped)?|contraction")
_YOY = r"year[- ]on[- ]year"
_EN_FILL = (r"(?:\s+(?:by|of|at|some|about|nearly|approximately|around|roughly|almost|over"
            r"|more than|respectively))*")
_EN_BEFORE = re.compile(
    rf"\b(?:(?P<up>{_EN_UP})|(?P<down>{_EN_DOWN})|(?P<flat>change|{_YOY})){_EN_FILL}[\s(]*$",
    re.IGNORECASE,
)
_EN_AFTER = re.compile(
    rf"^\s*(?:{_YOY}\s+|annual\s+|yoy\s+)?(?:(?P<up>increase|growth|rise|gain|jump|higher)"
    rf"|(?P<down>decrease|decline|drop|fall|lower|reduction)|(?P<flat>{_YOY}|yoy)\b)",
    re.IGNORECASE,
)
_RATE_TO = re.compile(rf"\s*(?:{_YOY}\s+)?(?:higher\s+|lower\s+)?(?:to|at)\s+(?:reach\s+)?")
_ZH_FILL = r"(?:率|幅度)?(?:了|为|达|达到|约|分别为|分别)*"
_ZH_BEFORE = re.compile(
    rf"(?:(?P<up>增长|增加|提高|上升|上涨|增幅|增速|提升|增)|(?P<down>下降|减少|降低|下滑|回落|降幅|减幅|下跌|减)){_ZH_FILL}$"
)
_SEPARATOR = re.compile(r"\s*(?:,\s*and|,\s*or|,|and|or|、|和|及|与|以及|，)\s*")


def _rate_groups(cands: list[_Cand], scan: str) -> list[list[int]]:
    """Runs of percentages joined only by separators: ``6.47%, 12.04%, and 17.55%``."""
    groups: list[list[int]] = []
    i = 0
    while i < len(cands):
        if not cands[i].is_pct or cands[i].is_word:
            i += 1
            continue
        group = [i]
        while (i + 1 < len(cands) and cands[i + 1].is_pct
               and _SEPARATOR.fullmatch(scan[cands[i].end:cands[i + 1].left])):
            i += 1
            group.append(i)
        groups.append(group)
        i += 1
    return groups


def _attach_rates(cands: list[_Cand], scan: str, s: int, e: int, lang: str) -> None:
    """Mark change rates and give each its figure(s) in the sentence.

    A run of rates goes to as many figures before it (the Nth figure gets the Nth rate,
    as "respectively"/分别 says); runs that follow each other with their own change words
    ("an increase of 12.5% and a decrease of 3.1%") count as one run. A single rate
    followed by "to"/"at" and a figure belongs to that figure ("fell by 5% to 120,300").
    """
    chains: list[list[int]] = []
    for group in _rate_groups(cands, scan):
        first, last = cands[group[0]], cands[group[-1]]
        prev_end = cands[group[0] - 1].end if group[0] else s
        nxt = cands[group[-1] + 1] if group[-1] + 1 < len(cands) else None
        before = scan[max(prev_end, first.left - 80):first.left]
        after = scan[last.end:min(nxt.left if nxt else e, last.end + WINDOW)]
        if lang == "zh":
            cue = _ZH_BEFORE.search(before.rstrip())
        else:
            cue = _EN_BEFORE.search(before) or _EN_AFTER.match(after)
        if not cue:
            continue
        for k in group:
            value = cands[k].value
            cands[k].rate = -abs(value) if cue["down"] else value
        joined = chains and chains[-1][-1] == group[0] - 1 and re.match(
            r"[\s,;]*(?:and|while|but|whereas|和|而)", scan[cands[group[0] - 1].end:first.left])
        if joined:
            chains[-1].extend(group)
        else:
            chains.append(list(group))
    floor = s
    for chain in chains:
        first, last = cands[chain[0]], cands[chain[-1]]
        nxt = cands[chain[-1] + 1] if chain[-1] + 1 < len(cands) else None
        nxt = nxt if nxt is not None and nxt.is_figure else None
        after = scan[last.end:min(nxt.left if nxt else e, last.end + WINDOW)]
        figures: list[_Cand] = []
        for k in range(chain[0] - 1, -1, -1):
            c = cands[k]
            if c.start < floor or len(figures) == len(chain):
                break
            if c.is_figure:
                figures.append(c)
        figures.reverse()
        targets: list[_Cand] = []
        if len(chain) == 1 and nxt is not None and _RATE_TO.fullmatch(after):
            targets = [nxt]  # grew by 10% to 6,822
        elif len(figures) >= len(chain):
            targets = figures[-len(chain):]
        for cand, k in zip(targets, chain):
            if cand.yoy is None:
                cand.yoy = cands[k].rate
        floor = last.end


_EN_CHANGE = re.compile(
    r"\b(?:up|down|(?:increase|decrease|rise|drop|decline|growth|reduction)\s+of"
    r"|(?:increased|decreased|rose|fell|grew|dropped|declined)(?:\s+by)?)\s*$", re.IGNORECASE)
_ZH_CHANGE = re.compile(r"(?:增长|增加|提高|上升|下降|减少|降低|多|少)了?$")


def _mark_changes(cands: list[_Cand], scan: str, lang: str) -> None:
    """Absolute changes after a figure ("11.8, up 1.4 from 2022", 较上年提高2.4件) are not figures."""
    for prev, cand in itertools.pairwise(cands):
        if not cand.is_figure or cand.is_pct or cand.is_word:
            continue
        if lang == "zh":
            end = cand.left
            while end > prev.end and scan[end - 1].isspace():
                end -= 1
            if _ZH_CHANGE.search(scan, max(prev.end, end - _REACH), end):
                cand.change = True
        elif _tail_search(_EN_CHANGE, scan, prev.end, cand.left):
            cand.change = True


# --------------------------------------------------------------------------- labels

#: Words, numbers (a comma or full stop right after one is punctuation, not part of it)
#: and single signs.
_TOKEN = re.compile(r"[A-Za-z][\w'’&-]*|\d+(?:[.,]\d+)*|[^\sA-Za-z\d]")
_PREPS = {
    "in", "on", "at", "to", "from", "with", "by", "into", "under", "over", "through",
    "throughout", "during", "across", "per", "between", "among", "via", "as", "than", "after",
    "before", "since", "within", "without", "against", "upon", "about", "around", "toward",
    "towards", "compared", "like", "including",
}
_CONTINUE = {"of", "for", "involving"}
_DETERMINERS = {"the", "a", "an", "this", "these", "those", "its", "their", "his", "her", "our",
                "each", "every", "any", "another", "all", "both"}
_STOP = _PREPS | _DETERMINERS | {
    "was", "were", "is", "are", "be", "been", "being", "has", "have", "had", "will", "would",
    "can", "could", "may", "might", "shall", "should", "do", "does", "did", "held", "made",
    "won", "saw", "got", "took", "became", "began", "led", "set", "reached", "totaled",
    "totalled", "stood", "amounted", "remained", "while", "which", "that", "who", "whose",
    "where", "when", "respectively", "such", "but", "so", "then", "if", "year-on-year",
    "reflecting", "showing", "representing", "amounting", "totaling", "totalling", "reaching",
    "accounting", "covering", "making", "bringing", "indicating", "marking", "exceeding",
    "concerning", "up", "down", "an", "it", "they", "we", "worth", "valued",
}
_ACTIONS = {
    "handled", "concluded", "accepted", "granted", "received", "filed", "solved", "prosecuted",
    "investigated", "closed", "heard", "mediated", "settled", "examined", "reviewed",
    "registered", "approved", "issued", "trained", "commercialized", "held", "arrested",
    "established", "recognized", "accredited", "certified", "added", "signed", "licensed",
    "transferred", "published", "released", "seized",
}
_PASSIVE_AUX = {"were", "was", "have", "has", "had", "been", "are", "is", "be"}
_LINK = re.compile(
    r"\b(?P<link>reached|reaching|totaled|totalled|totaling|totalling|totals?|stood at|standing at"
    r"|was|were|is|are|amounted to|amounting to|amounts? to|came to|hit|numbered|of|to|worth"
    r"|valued at|at|accounting for|accounted for|accounts? for"
    r"|(?:(?:was|were|is|are|has been|have been)\s+)?[a-z]+ed to|(?<=\w):)\s*$",
    re.IGNORECASE,
)
_SUBJECT_LEAD = (
    re.compile(r"^(?:(?:hundred|thousand|million|billion|trillion|RMB|yuan)\s+)+", re.IGNORECASE),
    re.compile(r"^(?:(?:and|or|[a-z]+ed|[a-z]+ing)\s+)+", re.IGNORECASE),  # and collected fines
    re.compile(r"^(?:(?:the|a|an|its|their|this|these)\s+)+", re.IGNORECASE),
    re.compile(r"^(?:total number|total amount|number|amount|total|sum) of\s+", re.IGNORECASE),
)


@dataclass
class _Tok:
    start: int
    end: int
    text: str

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()


def _verbish(word: str) -> bool:
    """Looks like a verb form that ends a noun phrase (``received``, ``involving`` ...)."""
    return (len(word) > 4 and word.endswith("ed")) or word in _STOP or word.endswith("ly")


def _adjective(low: str, toks: list[_Tok], i: int) -> bool:
    """An -ed word in a noun phrase (``integrated services``), not a verb (``agents received``)."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return (low.endswith("ed") and low not in _ACTIONS and low not in _STOP and nxt is not None
            and nxt.is_word and nxt.low not in _STOP and nxt.low not in _CONTINUE)


def _participle(word: str) -> str:
    """``handled`` for handled/handling, if it is one of the action verbs; else ''."""
    word = word.lower()
    if word in _ACTIONS:
        return word
    if word.endswith("ing"):
        for guess in (word[:-3] + "ed", word[:-3] + "d", word[:-4] + "ed"):
            if guess in _ACTIONS:
                return guess
        if word == "holding":
            return "held"
    return ""


def _np_after(toks: list[_Tok], i: int) -> tuple[list[str], int, int]:
    """Noun phrase starting at token ``i``: (words, index where of/for begins or -1, next token)."""
    words: list[str] = []
    cont = -1
    head = False
    while i < len(toks) and len(words) <= 2 * MAX_LABEL_WORDS:
        tok = toks[i]
        low = tok.low
        if not tok.is_word or low in _EN_WORDS:
            break
        if low in ("and", "or", "&"):
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if (words and nxt and nxt.is_word and nxt.low not in _EN_WORDS
                    and not _verbish(nxt.low) and not nxt.low.endswith("ing")):
                words.append(tok.text)
                i += 1
                continue
            break
        if low in _CONTINUE:
            if not head:
                break
            cont = len(words) if cont < 0 else cont
        elif low in _STOP or (head and _verbish(low) and not _adjective(low, toks, i)):
            break
        words.append(tok.text)
        head = head or not low.endswith("ly")
        i += 1
    while words and words[-1].lower() in _CONTINUE | {"and", "or", "&"}:
        words.pop()
    if cont >= len(words):
        cont = -1
    elif cont >= 0 and len(words) > MAX_LABEL_WORDS:
        words = words[:cont]  # too long with its "for ..." part: keep the head (still marked)
    return words[:MAX_LABEL_WORDS], cont, i


def _cut_at_preposition(words: list[str]) -> list[str]:
    """Drop a trailing prepositional phrase other than of/for: ``patents granted in Shanghai``."""
    for k, word in enumerate(words):
        if k and word.lower() in _PREPS:
            return words[:k]
    return words


def _singular(word: str) -> str:
    """Rough singular of an English plural noun."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_RATE_TAIL = re.compile(
    r"(?:\b(?:was|were|is|are)\s+)?(?:\b(?:up|down|increased|decreased|fell|rose|grew|dropped"
    r"|declined|climbed|jumped)\s+)?(?:by\s+)?-?[\d.,]+\s?%(?:\s+(?:higher|lower|more|less))?"
    r"(?:\s+year[- ]on[- ]year)?\s*$"
)


def _subject(before: str) -> list[str]:
    """The noun phrase a linking verb refers back to, within its clause.

    A change rate just before (``registrations decreased by 4.1% to``) is skipped.
    """
    before = _RATE_TAIL.sub("", before)
    before = re.sub(r"\s*\b(?:in|by|since|during|for|of)?\s*(?:19|20)\d\d\b(?!,)", " ", before)
    clause = re.split(r"[,;:()\[\]\"“”—–%]|\d|\bwith\b|\bwhich\b|\bwhile\b", before)[-1]
    clause = re.sub(r"^.*\b(?:and|or|then)\s+(?=[a-z]+(?:ed|ing)\s)", "", clause.strip())
    counted = re.search(r"\b(?:total )?(?:number|amount|volume) of\s+", clause)
    if counted:
        clause = clause[counted.end():]  # brought the number of protected brands to
    else:
        for lead in _SUBJECT_LEAD:
            clause = lead.sub("", clause)
    words = _cut_at_preposition(clause.split())
    while words and words[-1].lower() in _CONTINUE | {"and", "or"}:
        words.pop()
    return words[-MAX_LABEL_WORDS:]


def _tidy(words: list[str], sentence_first: bool) -> str:
    """Join label words, lower-casing a sentence-initial capital (``Patents`` -> ``patents``)."""
    if (words and sentence_first and words[0][:1].isupper() and words[0][1:].islower()
            and not words[0].endswith(("'s", "’s"))):
        words = [words[0].lower(), *words[1:]]
    return " ".join(words)


_PER = re.compile(r"per\s+(?:[\d,.]+\s+)?(?:(?:hundred|thousand|million|billion)\s+)?[A-Za-z]+")


def _with_tail(noun: str, tail: str) -> str:
    """``patent ... transactions`` + ``amount`` -> ``patent ... transaction amount``."""
    *head, last = noun.split()
    return " ".join([*head, _singular(last), tail])


_PER_IN_SUBJECT = re.compile(r"\bper\s+[\d,.]+\s+[A-Za-z]+\s*")
#: How far before a figure a linking verb may begin ("have been commercialized to").
_LINK_REACH = 48


class _Patched:
    """``scan`` with ``scan[base:base + len(part)]`` replaced by ``part`` (same length),
    sliced without copying the whole paragraph for each figure."""

    def __init__(self, scan: str | _Patched, base: int, part: str) -> None:
        self.scan, self.base, self.part = scan, base, part

    def __getitem__(self, cut: slice) -> str:
        start, stop = cut.start, cut.stop
        base, end = self.base, self.base + len(self.part)
        pieces = [self.scan[start:min(stop, base)]] if start < base else []
        if start < end and stop > base:
            pieces.append(self.part[max(start, base) - base:min(stop, end) - base])
        if stop > end:
            pieces.append(self.scan[max(start, end):stop])
        return "".join(pieces)


def _linked_label(cand: _Cand, scan: str | _Patched, s: int, prev_noun: str,
                  prev_end: int) -> str:
    """Label from the subject of a linking verb: ``PCT filings reached 6,822``, ``fines totaling``.

    A ``per 10,000 people`` inside the subject becomes the figure's unit.
    """
    base = max(s, cand.left - 2 * WINDOW)
    before = scan[base:cand.left]
    per = _PER_IN_SUBJECT.search(before) if "per" in before else None
    if per and not re.search(r"[,;:]", before[per.end():]):
        cand.unit = cand.unit or per.group().strip()
        before = before[:per.start()] + " " * len(per.group()) + before[per.end():]
        scan = _Patched(scan, base, before)
    link = _tail_search(_LINK, before, 0, len(before), _LINK_REACH)
    linked = link.group("link").lower() if link else ""
    link_at = base + link.start() if link else cand.left
    if cand.qualifier == "exceeding":
        linked, link_at = "exceeding", cand.left
    if not linked:
        return ""
    value_of = linked in ("worth", "valued at")
    if value_of and prev_noun and not re.search(r"[,;:]", scan[max(prev_end, base):link_at]):
        return f"{prev_noun} value"  # 1.3 million infringing goods worth 25 million yuan
    subject = _subject(scan[base:link_at])
    if subject:
        opening = scan[s:min(link_at, s + 80)].strip(" *#\"“").split()
        label = _tidy(subject, bool(opening) and opening[0] == subject[0])
        return _with_tail(label, "value") if value_of else label
    if prev_noun and linked in ("amounting to", "amounted to", "totaling", "totalling"):
        return _with_tail(prev_noun, "amount")  # ..., amounting to 32 billion RMB
    if prev_noun and value_of:
        return _with_tail(prev_noun, "value")
    if prev_noun and linked.startswith("account"):
        return f"share of {prev_noun}"  # ..., accounting for 32.1% of the total
    return ""


@dataclass
class _Phrase:
    """The noun phrase after a figure: its words, where of/for begins in them (or -1),
    and the tokens it spans (``first`` up to, not including, ``stop``)."""

    words: list[str]
    cont: int
    first: int
    stop: int


def _phrase_after(cand: _Cand, toks: list[_Tok], starts: list[int], scan: str, e: int) -> _Phrase:
    """The noun phrase after ``cand``; sets the unit it implies (16 months, per 10,000 people)."""
    i = bisect_left(starts, cand.end)
    words, cont, j = _np_after(toks, i)
    if not words and i + 1 < len(toks) and toks[i].low in ("were", "was", "are", "is"):
        words, cont, j = _np_after(toks, i + 1)  # of which 19,955 were invention patents
    if len(words) == 1 and words[0].lower() in _DURATIONS and not cand.unit:
        cand.unit, words = words[0].lower(), []  # shortened to 16 months
    money_of = cand.unit in CURRENCIES and i < len(toks) and toks[i].low in ("in", "of", "for")
    if not words and money_of:
        words, cont, j = _np_after(toks, i + 1)  # RMB 12.5 billion in pledge financing
    if j < len(toks) and toks[j].low == "per" and not cand.unit:
        per = _PER.match(scan, toks[j].start, e)
        cand.unit = per.group() if per else ""
    return _Phrase(words, cont, i, j)


#: Nouns that count things without a plural -s.
_PLURAL_WORDS = {"people", "staff", "personnel", "children", "media", "data", "police",
                 "equipment", "software", "series", "species", "cattle"}
_COORDINATOR = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or)\s+)")


def _counted_noun(word: str) -> bool:
    """Can ``word`` be what a number counts (patents, agencies, staff), not a modifier?"""
    low = word.lower()
    return low in _PLURAL_WORDS or (low.endswith("s") and not low.endswith(("ss", "us", "is")))


def _share_head(cand: _Cand, mine: _Phrase, nxt: _Cand, theirs: _Phrase,
                toks: list[_Tok], scan: str) -> bool:
    """Let ``109 agricultural and 10 forestry varieties`` share the noun: agricultural varieties.

    ``cand``'s words name no counted noun of their own and only and/or/a comma leads to
    ``nxt``, whose phrase has modifiers before its head: ``mine`` takes that head (with
    its of/for part). Says whether it did.
    """
    if not mine.words or mine.cont >= 0 or cand.value == 1 or _counted_noun(mine.words[-1]):
        return False
    head = (theirs.cont if theirs.cont >= 0 else len(theirs.words)) - 1
    if head < 1 or not _counted_noun(theirs.words[head]):
        return False
    if not _COORDINATOR.fullmatch(scan, toks[mine.stop - 1].end, nxt.left):
        return False
    shared = theirs.words[head:]
    mine.cont = len(mine.words) + theirs.cont - head if theirs.cont >= 0 else -1
    mine.words = (mine.words + shared)[:MAX_LABEL_WORDS]
    return True


def _label_en(cands: list[_Cand], scan: str, s: int, e: int) -> None:
    """Give each English figure a noun phrase; set 'per 10,000 people' style units."""
    toks = [_Tok(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(scan, s, e)]
    starts = [t.start for t in toks]
    ends = [t.end for t in toks]
    first_word = next((t for t in toks if t.is_word), None)
    figures = [c for c in cands if c.is_figure]
    phrases = [_phrase_after(c, toks, starts, scan, e) for c in figures]
    joined = [False] * len(figures)  # shares its noun (and verb) with the figure before
    for n in range(len(figures) - 2, -1, -1):  # from the end: lists of three chain
        joined[n + 1] = _share_head(figures[n], phrases[n], figures[n + 1], phrases[n + 1],
                                    toks, scan)
    prev_noun, prev_end, prev_verb = "", s, ""
    for cand, phrase, shared in zip(figures, phrases, joined):
        words, cont, j = phrase.words, phrase.cont, phrase.stop
        k = bisect_right(ends, cand.left)
        verb = _participle(toks[k - 1].text) if k else ""
        verb = verb or (prev_verb if shared else "")  # closed 1,303 criminal and 584 civil cases
        if words:
            cand.noun = " ".join(words)
            first = first_word is not None and toks[phrase.first].start == first_word.start
            cand.label = _tidy(words, first)
            if cont < 0 and verb and len(words) <= 5:
                cand.label += " " + verb  # handled over 47,388 IP cases -> IP cases handled
            elif cont < 0 and len(words) <= 2:
                k = j
                while k < len(toks) and toks[k].low in _PASSIVE_AUX:
                    k += 1
                if k < len(toks) and toks[k].low in _ACTIONS:
                    cand.label += " " + toks[k].low  # 68,000 patents were reviewed
        elif verb and prev_noun:
            cand.label = f"{prev_noun} {verb}"  # ... and concluded 2,950.
        else:
            cand.noun = cand.label = _unlinked_label(cand, scan, s, prev_noun, prev_end)
        if cand.noun:
            prev_noun = cand.noun
        prev_end, prev_verb = cand.end, verb


def _unlinked_label(cand: _Cand, scan: str, s: int, prev_noun: str, prev_end: int) -> str:
    """Label of a figure without a noun after it: the linked subject or "the number of X"."""
    label = _linked_label(cand, scan, s, prev_noun, prev_end)
    if not label:
        window = scan[max(s, cand.left - 2 * WINDOW):cand.left]
        found = _NUMBER_OF.search(window) if "number of" in window else None
        label = found.group(1) if found else ""
    return label


_NUMBER_OF = re.compile(r"\bnumber of ((?:[\w'-]+\s+){0,5}?[\w'-]+?)"
                        r"(?:\s+(?:in|at|to|was|were|reached)\b|$)")


_ZH_BOUNDARY = set("，。；：、,;:()（）“”\"'‘’《》【】[]!?！？\n\r\t%") | set("0123456789")
_ZH_LEAD = re.compile(
    r"^(?:其中|全年|全市|本市|当年|今年|年内|年底|年末|截至|截止|共|累计|同时|此外|另外|上半年|下半年|底|末|年"
    r"|以上|以来|等(?!级)|，)+"
)
_ZH_TAIL = re.compile(
    r"(?:(?:压减|缩短|降低|降|减少|减|增加|增|提高|提升|上升|下降)[至到]|达到|达|为|是|共计|合计|总计|累计|共|有|了"
    r"|(?:稳定|保持|维持|控制)?在|分别为|分别|同比|至)+$"
)
#: Verbs that start a Chinese label when a longer subject comes before them.
_ZH_VERB = re.compile(r"(?:受理|审结|办结|办理|处理|查处|授权|核准|认定|培训|举办|召开|新增|建成|设立|调解|立案|批准|发放)")
_ZH_PER = re.compile(r"^每万人口?")


_ZH_AFTER = re.compile(
    rf"[余多]?[{ZH_COUNTERS}]*(?:以上|左右)?(?P<noun>[^，。；：、,;:()（）“”\"'‘’《》【】\[\]!?！？\s%0-9]*)"
)
#: Comparisons and shares that end the noun after a figure wherever they stand.
_ZH_AFTER_END = re.compile(r"同比|较上年|比上年|较去年|比去年|占|增长|下降|减少|其中|分别|的")
#: Verbs that follow a counted subject (19家检察院进驻…, 两个案例入选…); not when a noun
#: suffix makes them part of the noun (新闻发布会, 研究院, 通过率).
_ZH_AFTER_VERB = re.compile(
    r"(?:入选|进驻|纳入|列入|获评|获得|获批|位列|成为|实现|达到|完成|发布|研究|部署|开展|参与|参加"
    r"|通过|落户|覆盖|涉及)(?![会院所室率])"
)


def _zh_noun_after(scan: str, cand: _Cand, e: int) -> str:
    """The noun after a figure and its counter, up to the verb or comparison that follows.

    ``19家检察院进驻28个…`` -> 检察院, ``两个案例入选第三批…`` -> 案例. A verb only ends the
    noun after its first character (``12个入选项目`` keeps 入选项目). A long noun keeps
    its start, the part right after the counter.
    """
    after = _ZH_AFTER.match(scan, cand.end, min(e, cand.end + WINDOW))
    noun = after.group("noun") if after else ""
    end = _ZH_AFTER_END.search(noun)
    noun = noun[:end.start()] if end else noun
    verb = _ZH_AFTER_VERB.search(noun, 1)
    noun = noun[:verb.start()] if verb else noun
    return noun.strip()[:MAX_ZH_LABEL]


def _zh_noun_before(scan: str, cand: _Cand, s: int) -> str:
    """The noun right before a figure, in its clause (发明专利授权量5.07万件 -> 发明专利授权量).

    Sets the qualifier (超过, 近) and the per-10,000-people unit it finds on the way; a long
    subject is cut at its last verb (全国知识产权系统处理专利侵权纠纷 -> 处理专利侵权纠纷).
    """
    i = cand.left
    while i > max(s, cand.left - 2 * MAX_ZH_LABEL) and scan[i - 1] not in _ZH_BOUNDARY:
        i -= 1
    raw = scan[i:cand.left].strip()
    if i > s and scan[i - 1].isdigit():
        raw = raw.lstrip(string.ascii_letters)  # G20与5G相关专利: 5G's G is not a label
    qual = _ZH_QUAL_RE.search(raw)
    if qual:
        cand.qualifier = cand.qualifier or _ZH_QUALIFIERS[qual.group(1)]
        raw = raw[: qual.start()]
    raw = _ZH_TAIL.sub("", _ZH_LEAD.sub("", raw)).strip()
    verbs = [v for v in _ZH_VERB.finditer(raw) if len(raw) - v.end() >= 2]
    if verbs and verbs[-1].start() > 0:
        raw = raw[verbs[-1].start():]
    if _ZH_PER.match(raw) and not cand.unit:
        cand.unit = "per 10,000 people"
        raw = _ZH_PER.sub("", raw)
    return raw[-MAX_ZH_LABEL:]


def _label_zh(cands: list[_Cand], scan: str, s: int, e: int) -> None:
    """Give each Chinese figure its noun.

    The noun before it (发明专利授权量5.07万件 -> 发明专利授权量) or, after a verb, the one
    following its counter (召开4次常务会议 -> 常务会议), with a short subject in front
    (新认定6家市级知识产权培训基地 -> 新认定市级知识产权培训基地).
    """
    for cand in cands:
        if not cand.is_figure:
            continue
        before = _zh_noun_before(scan, cand, s)
        after = _zh_noun_after(scan, cand, e)
        if cand.unit in _ZH_DURATIONS.values():
            after = ""  # 16个月: 月 is the unit, the noun is before
        if cand.unit == "%" or not after:
            label = "" if cand.is_word else before  # a numeral word needs its noun: 四次常务会议
        elif len(before) <= 4 and len(before + after) <= MAX_ZH_LABEL:
            label = before + after  # 新认定6家市级知识产权培训基地 -> 新认定市级知识产权培训基地
        else:
            label = after  # 认定首批125家知识产权质押融资特色银行网点: the noun, whole
        cand.label = cand.noun = label


# --------------------------------------------------------------------------- entry point


def extract_figures(text: str, lang: str) -> list[Figure]:
    """Figures of one paragraph in ``lang`` ('en' or 'zh'), in order of appearance.

    ``start``/``end`` locate the figure (number, scale, currency or percent sign; not the
    qualifier nor a Chinese counter) in ``text``. YoY rates are attached to their figures
    and not returned on their own.
    """
    if lang not in ("en", "zh"):
        raise ValueError(f"unknown language {lang!r}: expected 'en' or 'zh'")
    scan = _fold(text)
    figures: list[Figure] = []
    for s, e in split_sentences(text, lang):
        if lang == "zh":
            cands = _zh_candidates(scan, s, e)
            _attach_rates(cands, scan, s, e, lang)
            _mark_changes(cands, scan, lang)
            _label_zh(cands, scan, s, e)
        else:
            cands = _en_candidates(scan, s, e)
            _attach_rates(cands, scan, s, e, lang)
            _mark_changes(cands, scan, lang)
            _label_en(cands, scan, s, e)
        sentence = text[s:e] if e - s <= MAX_SENTENCE else ""
        for cand in cands:
            if not cand.is_figure or (cand.is_word and not cand.label):
                continue
            figures.append(Figure(
                value=cand.value, text=text[cand.start:cand.end], start=cand.start,
                end=cand.end, sentence=sentence or _excerpt(text, s, e, cand.start, cand.end),
                unit=cand.unit, qualifier=cand.qualifier, yoy_pct=cand.yoy, label=cand.label,
            ))
    return figures


def _excerpt(text: str, s: int, e: int, start: int, end: int) -> str:
    """The part of the long sentence ``text[s:e]`` around ``text[start:end]``:
    :data:`MAX_SENTENCE` characters, cut ends marked with "…"."""
    half = max(0, (MAX_SENTENCE - (end - start)) // 2)
    a = max(s, start - half)
    b = min(e, max(end, a + MAX_SENTENCE))
    return ("…" if a > s else "") + text[a:b].strip() + ("…" if b < e else "")
