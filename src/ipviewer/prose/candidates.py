"""The numbers of a sentence that may be figures, and what is not an indicator (no Qt).

Numbers with their scale (million, 万, 亿), unit (RMB, 元, %) and qualifier (over, nearly,
超过, 近, 余 ...), minus years, ordinals, dates, ranges, document and list numbers and
numbers inside names (G20, Top 10, 1+1+X, per 10,000). Part of :mod:`.figures`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ipviewer.indicators import ZH_COUNTERS, prefix_pattern
from ipviewer.numbers import (
    NumberError,
    canonical_unit,
    parse_number,
    scale_power,
    scale_value,
)

#: Words in an English label, characters in a Chinese one.
MAX_LABEL_WORDS = 8
MAX_ZH_LABEL = 16
#: How far (characters) the context checks look around a number; keeps long sentences linear.
WINDOW = 160



@dataclass
class Candidate:
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
EN_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
_EN_CAND = re.compile(
    rf"(?<![\w.])(?:(?P<pre>{prefix_pattern()})\s?)?(?P<neg>-)?"
    rf"(?:(?P<num>{_NUM})|(?P<word>(?i:{'|'.join(EN_NUMBER_WORDS)}))\b(?!-))"
    r"(?:\s?(?P<pct>%|percent\b|per cent\b)"
    r"|(?P<scale>(?:\s+(?:hundred|thousand|million|billion|trillion)\b)+)?"
    r"(?P<unit>\s+(?:RMB|yuan|CNY|USD|US dollars)\b)?)"
)
_ZH_DIGITS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_CAND = re.compile(
    r"(?<![0-9A-Za-z.])(?:(?P<pre>RMB|人民币|¥|US\$|\$)\s?)?(?P<neg>-)?"
    rf"(?:(?P<num>{_NUM})(?P<q1>[余多])?(?P<scale>[十百千万萬亿億]+)?(?P<q2>[余多])?"
    r"(?:(?P<pct>%)|(?P<unit>元人民币|元|美元|欧元))?"
    r"|(?<![第前一二三四五六七八九十两百千万亿零〇])"
    r"(?P<word>[二三四五六七八九]十[一二三四五六七八九]?|十[一二三四五六七八九]?|两|[三四五六七八九])"
    rf"(?=[{ZH_COUNTERS}]))"
)

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
#: Prose words for a qualifier, each with the canonical qualifier it means (a name in
#: :data:`ipviewer.indicators.QUALIFIERS`): "in excess of" is "over", 逾 is "over". Before the
#: number (EN_QUALIFIERS, ZH_QUALIFIERS) or, in Chinese, after it (ZH_QUALIFIERS_AFTER).
EN_QUALIFIERS = {
    "more than": "more than", "over": "over", "above": "over", "in excess of": "over",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "about": "about",
    "approximately": "about", "around": "about", "roughly": "about", "some": "about",
    "exceeding": "exceeding", "exceeded": "exceeding", "exceeds": "exceeding",
    "at least": "at least", "up to": "up to", "less than": "less than",
    "fewer than": "less than", "under": "less than",
}
_EN_QUAL_RE = re.compile(
    r"\b(" + "|".join(sorted(EN_QUALIFIERS, key=len, reverse=True)) + r")\s+$", re.IGNORECASE
)
ZH_QUALIFIERS = {
    "超过": "over", "超": "over", "逾": "over", "突破": "exceeding", "近": "nearly",
    "接近": "nearly", "将近": "nearly", "约": "about", "大约": "about", "不足": "less than",
    "不到": "less than", "至少": "at least", "最多": "up to",
}
ZH_QUALIFIERS_AFTER = {"余": "more than", "多": "more than", "以上": "over", "左右": "about"}
ZH_QUALIFIER_AT_END = re.compile("(" + "|".join(sorted(ZH_QUALIFIERS, key=len, reverse=True)) + ")$")
_ZH_QUALIFIER_AFTER = re.compile(rf"[{ZH_COUNTERS}]*(以上|左右)")
_EN_SKIP_BEFORE = re.compile(
    r"(?:\b(?:No|Nos|Number|Article|Articles|Art|Chapter|Section|Part|Item|Clause|Paragraph"
    r"|Para|Class|Phase|Level|Grade|Version|Top|Room|Decree|Order|Annex|Appendix|Table"
    r"|Figure|Fig|Batch|Round|Edition|Volume|Vol|Issue|ISO|GB|GB/T|per)\.?|[#№])\s*$",
    re.IGNORECASE,
)
_AFTER_COLON = re.compile(r"[:;]\s*$")
_EN_SKIP_AFTER = re.compile(r"\s*(?:percentage points?\b|times\b|-?fold\b|-year\b)", re.IGNORECASE)
_ZH_SKIP_AFTER = re.compile(r"(?:[年月日号时点岁倍届代]|周年|世纪|个百分点|百分点)")
DURATIONS = {"years", "months", "days", "weeks", "hours", "minutes", "working days"}
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
#: "(+10.3%)" is a signed change in brackets, not a sum.
_GLUED_BEFORE = re.compile(r"(?:(?<![(（])\+|/|\d\s?:)$")
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


#: The start of a range right before a number: "2021-", "5%–", "3万至".
_RANGE_BEFORE = re.compile(r"\d(?:\s?%|[万萬亿億千百]+)?\s?[-–—~～至]\s?$")


def _skip_common(scan: str, m: re.Match[str], s: int, head_end: int) -> bool:
    """Non-indicators both languages share: glued signs, ranges, list numbers, malformed.

    The sentence start ``s`` is not a sign: a figure opening a sentence is checked like
    any other.
    """
    a, b = m.start(), m.end()
    if _GLUED_BEFORE.search(scan, max(s, a - 3), a) or _GLUED_AFTER.match(scan, b):
        return True
    if re.match(r"\s?[-–—~～至]\s?\d", scan[b:b + 4]) or _RANGE_BEFORE.search(
            scan, max(s, a - 8), a + 1 if m["neg"] else a):  # 5%-8%: "-" read as a minus
        return True  # ranges: 2021-2035, (2024–2026), 5%–8%, 3万至5万
    if _list_number(scan, a, b, head_end):
        return True
    head = scan[max(s, a - 8):a]
    if head.rstrip().endswith(("(", "（")) and scan[b:b + 3].lstrip().startswith((")", "）")):
        return not m["pct"]  # (1)
    return False


#: How far before a number (blanks right before it not counted) the patterns that end at
#: the number look: the longest word they know ("approximately", "Paragraph.") fits.
REACH = 16
_FIRST_LETTER = re.compile(r"[A-Za-z]")
_NAME_BEFORE = re.compile(r"([A-Za-z][\w'&-]*)\s+$")
_EN_MONTH_BEFORE = re.compile(rf"\b{_MONTHS}\.?\s+$")


def tail_search(pattern: re.Pattern[str], scan: str, lo: int, a: int,
                 reach: int = REACH) -> re.Match[str] | None:
    """``pattern``, which ends with ``$``, searched in ``scan[lo:a]`` from only ``reach``
    characters before the blanks that end it: a number costs the same whatever its
    window holds."""
    k = a
    while k > lo and scan[k - 1].isspace():
        k -= 1
    return pattern.search(scan, max(lo, k - reach), a)


def en_candidates(scan: str, s: int, e: int) -> list[Candidate]:
    """English number candidates of sentence ``scan[s:e]``."""
    out: list[Candidate] = []
    first_word = _FIRST_LETTER.search(scan, s, e)
    first_at = first_word.start() if first_word else e
    head_end = _list_head_end(scan, s, e)
    for m in _EN_CAND.finditer(scan, s, e):
        a, b = m.start(), m.end()
        lo, after = max(s, a - WINDOW), scan[b:min(e, b + WINDOW)]
        if re.match(r"[A-Za-z\d]", after) or _EN_SKIP_AFTER.match(after) or re.match(
                r"\s+consecutive\b", after, re.IGNORECASE):
            continue  # 5G, 21st, 1990s, "2.7 percentage points", "two-tier"
        if tail_search(_EN_SKIP_BEFORE, scan, lo, a):
            continue  # No. 5, Article 3, Top 10, per 10,000
        qual = tail_search(_EN_QUAL_RE, scan, lo, a)
        if m["word"]:
            # "Results: Two centers"
            opens = a <= first_at or tail_search(_AFTER_COLON, scan, lo, a)
            if (m["word"][0].isupper() and not opens) or _quoted(scan[max(s, a - 4 * WINDOW):a]):
                continue  # "the Two Sessions", "one case, four investigations"
            nxt = re.match(r"\s+([A-Za-z][\w'-]*)(?:\s+([A-Za-z][\w'-]*))?", after)
            if not nxt or {w.lower() for w in nxt.groups() if w} & _TIME_NOUNS:
                continue  # "two years", "three consecutive years"
            number = Decimal(EN_NUMBER_WORDS[m["word"].lower()])
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
                tail_search(_EN_MONTH_BEFORE, scan, lo, a)
                or re.match(rf"\s+{_MONTHS}\b", after)
            ):
                continue  # April 26, 26 April
            name = _NAME_BEFORE.search(scan, lo, a) if scan[a - 1:a].isspace() else None
            if (name and name.group(1)[0].isupper() and name.start() > first_at
                    and name.group(1).lower() not in EN_QUALIFIERS):
                continue  # Industry 4.0, Fortune 500
        if m["neg"]:
            number = -number
        try:
            value, unit = _value_and_unit(number, m)
        except NumberError:
            continue  # "1 million million": not a figure (it stays text)
        cand = Candidate(a, b, value, unit, is_word=bool(m["word"]))
        if qual:
            cand.qualifier = EN_QUALIFIERS[qual.group(1).lower()]
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


ZH_DURATIONS = {"个月": "months", "个工作日": "working days", "个小时": "hours", "天": "days",
                 "周": "weeks"}


def zh_candidates(scan: str, s: int, e: int) -> list[Candidate]:
    """Chinese number candidates of sentence ``scan[s:e]``."""
    out: list[Candidate] = []
    head_end = _list_head_end(scan, s, e)
    for m in _ZH_CAND.finditer(scan, s, e):
        a, b = m.start(), m.end()
        lo, after = max(s, a - WINDOW), scan[b:min(e, b + WINDOW)]
        if m["word"]:
            if _quoted(scan[max(s, a - 4 * WINDOW):a]) or _ZH_SKIP_AFTER.match(after):
                continue  # as for digits: 十届 (a session), 两个百分点
            cand = Candidate(a, b, Decimal(_zh_word_value(m["word"])), is_word=True)
        else:
            if re.match(r"[A-Za-z]", after) or _skip_common(scan, m, s, head_end):
                continue
            if scan.endswith(("第", "前", "No.", "No", "编号", "每"), lo, a):
                continue
            duration = re.match(r"个月|个工作日|个小时|天|周", after) if not m["scale"] else None
            plain = not (m["pct"] or m["unit"] or m["scale"] or duration)
            if plain and _ZH_SKIP_AFTER.match(after):
                continue  # 2024年, 4月26日, 5号, 2个百分点, 1.2倍
            if _year_like(m) and not re.match(rf"[{ZH_COUNTERS}余多]", after):
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
                unit = ZH_DURATIONS[duration.group()]  # 审查周期压减至16个月
            end = b
            if not (m["pct"] or m["unit"]) and (m["q2"] or (m["q1"] and not m["scale"])):
                end = b - 1  # 余/多 closing the figure is a qualifier: "45万余" -> "45万"
            cand = Candidate(a, end, value, unit)
            if m["q1"] or m["q2"]:
                cand.qualifier = ZH_QUALIFIERS_AFTER[m["q1"] or m["q2"]]
            elif found := _ZH_QUALIFIER_AFTER.match(after):
                cand.qualifier = ZH_QUALIFIERS_AFTER[found.group(1)]
        qual = tail_search(ZH_QUALIFIER_AT_END, scan, lo, a)
        if qual and not cand.qualifier:
            cand.qualifier = ZH_QUALIFIERS[qual.group(1)]
            cand.qual_start = qual.start()
        out.append(cand)
    return out
