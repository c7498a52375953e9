"""Direction words agree: a figure the English says went up must not go down in the Chinese.

The figure extractor already reads the direction of a change ("up 14.28%", "a decrease of",
同比下降): it is the sign of ``Figure.yoy_pct``. The same figure in both texts (same value
and unit, the Nth with the Nth) must have the same sign. A rate written without any
direction word ("50,700, 14.28% year-on-year") counts as no statement.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..i18n import _
from ..model import Figure
from .finding import Finding, RenderedText, figure_name

_EN_DIRECTION = re.compile(
    r"\b(?:up|increas\w*|ris(?:e|es|ing)|rose|gr[eo]w\w*|growth|gain\w*|higher|more|climb\w*"
    r"|jump\w*|down|decreas\w*|declin\w*|f[ae]ll\w*|drop\w*|lower|less|fewer|reduc\w*)\b",
    re.IGNORECASE,
)
_ZH_DIRECTION = re.compile(r"增长|增加|上升|提高|上涨|增幅|下降|减少|降低|下滑|回落|降幅")


def _changes(figures: list[Figure], lang: str) -> dict[tuple, list[Figure]]:
    """Figures with a stated non-zero change (their sentence has a direction word at all),
    by (value, unit), in text order. Each sentence is searched once, however many figures
    it holds."""
    pattern = _ZH_DIRECTION if lang == "zh" else _EN_DIRECTION
    stated: dict[str, bool] = {}
    found: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in figures:
        if not figure.yoy_pct:
            continue
        said = stated.get(figure.sentence)
        if said is None:
            said = stated[figure.sentence] = bool(pattern.search(figure.sentence))
        if said:
            found[(figure.value.normalize(), figure.unit)].append(figure)
    return found


def has_direction_word(text: str, lang: str) -> bool:
    """Whether ``text`` says anywhere that something went up or down (in ``lang``)."""
    return bool((_ZH_DIRECTION if lang == "zh" else _EN_DIRECTION).search(text))


def worded_changes(figures: list[Figure], lang: str) -> list[Figure]:
    """The figures whose stated non-zero change has a direction word in its sentence (the
    text's words say which way it went), in text order."""
    return sorted((f for group in _changes(figures, lang).values() for f in group),
                  key=lambda f: f.start)


def direction_findings(node_id: int | None, english: RenderedText,
                       chinese: RenderedText) -> list[Finding]:
    """An error for each figure whose change goes up in one language and down in the other."""
    en_changes = _changes(english.figures, "en")
    if not en_changes:
        return []
    zh_changes = _changes(chinese.figures, "zh")
    findings = []
    for value, en_figures in en_changes.items():
        for en, zh in zip(en_figures, zh_changes.get(value, [])):
            if (en.yoy_pct > 0) == (zh.yoy_pct > 0):
                continue
            if en.yoy_pct > 0:
                message = _("{figure}: the English text says up {english}%, the Chinese text "
                            "says down {chinese}%")
            else:
                message = _("{figure}: the English text says down {english}%, the Chinese text "
                            "says up {chinese}%")
            findings.append(Finding(
                "error", "direction",
                message.format(figure=figure_name(en), english=abs(en.yoy_pct),
                               chinese=abs(zh.yoy_pct)),
                english.where, node_id,
                english.key_at(en.start, en.end) or chinese.key_at(zh.start, zh.end)))
    return findings
