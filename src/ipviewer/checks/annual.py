"""The annual cycle's checks: nothing of last year reaches this year's print.

- every carried-over value still as it was (``value-to-update``) and every carried-over
  paragraph not yet rewritten (``text-to-update``), until changed or confirmed unchanged
  (errors: see :mod:`ipviewer.store.to_update`);
- last year named as if it were this report's year ("2024年，全市…", "In 2024, …") in a
  2025 report (``previous-year``, a warning: a comparison "比2024年", "than in 2024" is
  not one);
- a number typed into a text that is last year's value of an indicator and no value of
  this year (``stale-figure``, a warning).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..i18n import _
from ..indicators import signed_rate
from ..model import Indicator, Node
from ..numbers import format_number
from ..prose.bindings import bindable, sole_candidate
from ..store.to_update import ToUpdate
from .figures_use import indicator_label
from .finding import Finding, RenderedText


def value_to_update_findings(indicators: list[Indicator], marks: ToUpdate, year: int,
                             place: Callable[[int], str]) -> list[Finding]:
    """One error per value of ``year`` still to update (``place`` names a node by id)."""
    marked = marks.indicator_ids
    findings = []
    for indicator in indicators:
        if indicator.year != year or indicator.id not in marked:
            continue
        shown = format_number(indicator.value, "en")
        if indicator.yoy_pct is not None:
            shown += f" ({signed_rate(indicator.yoy_pct)}%)"
        findings.append(Finding(
            "error", "value-to-update",
            _("{name} ({key}) still has the value carried over from {prior}, {value}: enter "
              "the {year} value or confirm it unchanged").format(
                name=indicator_label(indicator) or indicator.key, key=indicator.key,
                prior=year - 1, value=shown, year=year),
            place(indicator.node_id) if indicator.node_id is not None else "",
            indicator.node_id, indicator.key))
    return findings


def text_to_update_finding(node: Node, where: str, year: int) -> Finding:
    """The error for a node whose text is still the one carried over from last year
    (``where`` names the node, in no language: the mark is the node's)."""
    return Finding("error", "text-to-update",
                   _("the text is carried over from {prior} unchanged: rewrite it for {year} "
                     "or confirm it unchanged").format(prior=year - 1, year=year),
                   where, node.id)


# A year that is this text's own time ("2024年，", "2024年全市", "In 2024,") and not the
# other side of a comparison (比2024年, 与2024年相比, than in 2024, 2023—2025年).
_ZH_BEFORE_NOT = re.compile(r"(?:比|较|与|和|同|(?<!截)至|(?<!截)止|到|自|从|[~～—–\-、]|\d)\s*$")
_ZH_AFTER_NOT = re.compile(r"^(?:以来|相比|同期|水平|的水平|为基|基础|版|白皮书|[~～—–\-]|\d)")
_EN_BEFORE = re.compile(r"\b(?:in|during|throughout|for|by the end of|at the end of|as of|"
                        r"since the start of)\s+$", re.IGNORECASE)
_EN_BEFORE_NOT = re.compile(r"\b(?:than|compared (?:with|to)|from|since|over|versus|vs\.?|"
                            r"relative to|against)\s+(?:(?:in|the end of|that of)\s+)?$",
                            re.IGNORECASE)
_EN_AFTER_NOT = re.compile(r"^\s*(?:[-–—/]\s*\d|to \d{4}|white paper|edition|levels?\b)",
                           re.IGNORECASE)


def previous_year_findings(node_id: int | None, rendered: RenderedText, year: int,
                           title: str = "") -> list[Finding]:
    """Warnings where ``rendered`` (or the node's ``title``) speaks of last year as its own."""
    prior = str(year - 1)
    findings = []
    for text in (title, rendered.text):
        for found in re.finditer(rf"(?<!\d){prior}(?!\d)", text):
            if _names_own_year(text, found.start(), found.end(), rendered.lang):
                phrase = _phrase(text, found.start(), found.end())
                findings.append(Finding(
                    "warning", "previous-year",
                    _('"{phrase}": {prior} is last year, and this report is for {year}').format(
                        phrase=phrase, prior=prior, year=year),
                    rendered.where, node_id))
    return findings


def _names_own_year(text: str, start: int, end: int, lang: str) -> bool:
    before, after = text[max(0, start - 24):start], text[end:end + 12]
    if "《" in before and "》" not in before[before.rindex("《"):]:
        return False  # the name of a publication: 《2024年全球创新指数》
    if lang == "zh":
        if not after.startswith("年") or _ZH_BEFORE_NOT.search(before):
            return False
        return not _ZH_AFTER_NOT.search(after[1:])
    return (bool(_EN_BEFORE.search(before)) and not _EN_BEFORE_NOT.search(before)
            and not _EN_AFTER_NOT.search(after))


def _phrase(text: str, start: int, end: int) -> str:
    """A few words around a match, for the message."""
    left = max(0, start - 12)
    right = min(len(text), end + 14)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def stale_figure_findings(node_id: int | None, rendered: RenderedText,
                          values: Mapping[tuple[str, int], Indicator],
                          year: int) -> list[Finding]:
    """Warnings for typed-in numbers that are last year's value of one indicator and no
    value of this year's."""
    findings = []
    for figure in rendered.figures:
        if rendered.key_at(figure.start, figure.end) or not bindable(figure):
            continue
        if sole_candidate(figure, values, year) is not None:
            continue  # this year's value (reported as an unbound figure if anything)
        key = sole_candidate(figure, values, year - 1)
        if key is None:
            continue
        findings.append(Finding(
            "warning", "stale-figure",
            _('"{figure}" is the {prior} value of {key}; this report is for {year}').format(
                figure=figure.text, prior=year - 1, key=key, year=year),
            rendered.where, node_id, key))
    return findings
