"""Small rules of the official edition's content, each switched on by :class:`.edition.Edition`:
section numbers under each part, headings without a final stop, the citation a source line
prints, and the counter word (件) a Chinese figure is counted in. Plain text, no layout.
"""

from __future__ import annotations

import re

from ..indicators import ZH_COMPOUND_COUNTERS, ZH_COUNTERS
from ..model import Indicator, Node

__all__ = ["number_sections", "source_line", "source_name", "without_stop", "zh_counters"]


def source_name(source: str) -> str:
    """What a source line cites of an indicator's stored source: the citation before a
    quoted passage ("english.shanghai.gov.cn, 2024-06-18: … stood at 241,400" -> the
    site and date), else the whole text."""
    source = " ".join(source.split())
    cited, colon, _quote = source.partition(": ")
    return cited.rstrip(",;") if colon and cited else source


def without_stop(title: str) -> str:
    """``title`` without a final full stop (``。`` ``．`` or a single ``.``; an ellipsis
    ``...`` and an abbreviation's stop, ``U.S.``, ``Co.``, ``etc.``, stay)."""
    stripped = title.rstrip()
    if stripped.endswith(("。", "．")):
        return stripped[:-1].rstrip()
    if stripped.endswith(".") and not stripped.endswith("..") and \
            not re.search(r"\b(?:[A-Z][a-z]?|etc|Ltd|Inc|Corp|No|vs)\.$", stripped):
        return stripped[:-1].rstrip()
    return title


def number_sections(roots: list[Node], on: bool) -> None:
    """Number the sections of each part 1, 2, … (printed （一） / 1.) when the edition does,
    whether or not the source numbered them; leave them unnumbered when it does not.
    Headings, contents, outline and cross-references read these ordinals."""
    def visit(siblings: list[Node]) -> None:
        count = 0
        for node in siblings:
            if node.kind == "section":
                count += 1
                node.ordinal = count if on else 0
            if node.kind != "paragraph":
                visit(node.children)

    visit(roots)


_COUNTER_AFTER = re.compile(
    r"\{\{(?P<key>[^{}:\s]+)\}\}(?P<counter>"
    + "|".join(ZH_COMPOUND_COUNTERS) + rf"|[{ZH_COUNTERS}])")


def zh_counters(roots: list[Node]) -> dict[str, str]:
    """indicator key -> the counter word the Chinese text writes after its figure
    (``{{patents_granted}}件`` -> ``件``): what the chart's axis counts in."""
    found: dict[str, str] = {}
    for root in roots:
        for node in root.walk():
            for match in _COUNTER_AFTER.finditer(node.text_zh or ""):
                found.setdefault(match["key"], match["counter"])
    return found


def source_line(rows: list[Indicator], publisher: str, lang: str) -> str:
    """The text of a source line (after 数据来源： / Source:) for ``rows``: the citations of
    their own sources, then ``publisher`` for the rows that name none."""
    names = list(dict.fromkeys(source_name(r.source) for r in rows if r.source.strip()))
    if publisher and publisher not in names and any(not r.source.strip() for r in rows):
        names.append(publisher)
    return ("；" if lang == "zh" else "; ").join(names)
