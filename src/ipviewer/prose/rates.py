"""Change rates in a sentence: percentages introduced by a change word (up by, an increase
of, 同比增长, 下降 ...) become the year-on-year change of the figure(s) before them
("respectively"/分别 pairs the Nth figure with the Nth rate), and absolute changes are marked
(no Qt). Part of :mod:`.figures`.
"""

from __future__ import annotations

import itertools
import re

from .candidates import REACH, WINDOW, Candidate, tail_search

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


def _rate_groups(cands: list[Candidate], scan: str) -> list[list[int]]:
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


_JOINER = re.compile(r"[\s,;，；、]*(?:and|while|but|whereas|和|而|以及|及)")
_PUNCTUATION_JOINER = re.compile(r"[\s,;，；、]*")
_RESPECTIVELY = re.compile(r"respectively|分别", re.IGNORECASE)


def _joined(between: str, lead: str | None, respectively: bool) -> bool:
    """Do two runs of rates, ``between`` apart, go on one list of figures? With a joining
    word ("and", 和); with only a comma before the second run's change word (``lead``:
    增长5%、下降2%) when the sentence says "respectively" / 分别."""
    if _JOINER.match(between):
        return True
    return respectively and lead is not None and bool(_PUNCTUATION_JOINER.fullmatch(lead))


_SIGN_OPENS = re.compile(r"[(（]\s*(\+?)$")
_CLOSES = re.compile(r"\s*[)）]")


def _signed(group: list[int], cands: list[Candidate], before: str, after: str) -> bool:
    """Is the run one percentage with its sign, alone in brackets: "6,822 (+10.3%)",
    "(-2.0%)"? Its sign says the direction (an unsigned one may be a share)."""
    opens = _SIGN_OPENS.search(before)
    return (len(group) == 1 and opens is not None and _CLOSES.match(after) is not None
            and (opens.group(1) == "+" or cands[group[0]].value < 0))


def attach_rates(cands: list[Candidate], scan: str, s: int, e: int, lang: str) -> None:
    """Mark change rates and give each its figure(s) in the sentence.

    A run of rates goes to as many figures before it (the Nth figure gets the Nth rate,
    as "respectively"/分别 says); runs that follow each other with their own change words
    ("an increase of 12.5% and a decrease of 3.1%") count as one run. A single rate
    followed by "to"/"at" and a figure belongs to that figure ("fell by 5% to 120,300").
    """
    chains: list[list[int]] = []
    respectively = _RESPECTIVELY.search(scan, s, e) is not None  # once per sentence
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
        if not cue and not _signed(group, cands, before, after):
            continue
        for k in group:
            value = cands[k].value
            cands[k].rate = -abs(value) if cue and cue["down"] else value
        # what stands between this run and the rate before it, its own change word left out
        lead = before[:cue.start()] if cue and (cue.string is before or lang == "zh") \
            else before
        joined = chains and chains[-1][-1] == group[0] - 1 and _joined(
            scan[cands[group[0] - 1].end:first.left], lead if prev_end >= first.left - 80
            else None, respectively)
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
        figures: list[Candidate] = []
        for k in range(chain[0] - 1, -1, -1):
            c = cands[k]
            if c.start < floor or len(figures) == len(chain):
                break
            if c.is_figure:
                figures.append(c)
        figures.reverse()
        targets: list[Candidate] = []
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


def mark_changes(cands: list[Candidate], scan: str, lang: str) -> None:
    """Absolute changes after a figure ("11.8, up 1.4 from 2022", 较上年提高2.4件) are not figures."""
    for prev, cand in itertools.pairwise(cands):
        if not cand.is_figure or cand.is_pct or cand.is_word:
            continue
        if lang == "zh":
            end = cand.left
            while end > prev.end and scan[end - 1].isspace():
                end -= 1
            if _ZH_CHANGE.search(scan, max(prev.end, end - REACH), end):
                cand.change = True
        elif tail_search(_EN_CHANGE, scan, prev.end, cand.left):
            cand.change = True
