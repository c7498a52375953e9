"""What a Chinese figure counts: the noun before it or after its counter (no Qt). Part of
:mod:`.figures`."""

from __future__ import annotations

import re
import string

from ipviewer.indicators import ZH_COUNTERS

from .candidates import (
    MAX_ZH_LABEL,
    WINDOW,
    ZH_DURATIONS,
    ZH_QUALIFIER_AT_END,
    ZH_QUALIFIERS,
    Candidate,
)

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


def _zh_noun_after(scan: str, cand: Candidate, e: int) -> str:
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


def _zh_noun_before(scan: str, cand: Candidate, s: int) -> str:
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
    qual = ZH_QUALIFIER_AT_END.search(raw)
    if qual:
        cand.qualifier = cand.qualifier or ZH_QUALIFIERS[qual.group(1)]
        raw = raw[: qual.start()]
    raw = _ZH_TAIL.sub("", _ZH_LEAD.sub("", raw)).strip()
    verbs = [v for v in _ZH_VERB.finditer(raw) if len(raw) - v.end() >= 2]
    if verbs and verbs[-1].start() > 0:
        raw = raw[verbs[-1].start():]
    if _ZH_PER.match(raw) and not cand.unit:
        cand.unit = "per 10,000 people"
        raw = _ZH_PER.sub("", raw)
    return raw[-MAX_ZH_LABEL:]


def label_zh(cands: list[Candidate], scan: str, s: int, e: int) -> None:
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
        if cand.unit in ZH_DURATIONS.values():
            after = ""  # 16个月: 月 is the unit, the noun is before
        if cand.unit == "%" or not after:
            label = "" if cand.is_word else before  # a numeral word needs its noun: 四次常务会议
        elif len(before) <= 4 and len(before + after) <= MAX_ZH_LABEL:
            label = before + after  # 新认定6家市级知识产权培训基地 -> 新认定市级知识产权培训基地
        else:
            label = after  # 认定首批125家知识产权质押融资特色银行网点: the noun, whole
        cand.label = cand.noun = label
