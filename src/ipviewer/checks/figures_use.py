"""Figures and the indicator table agree on what is bound.

- a number typed into a text that is exactly one indicator of the report year (same value
  and unit, as :func:`ipviewer.prose.bindings.candidates` chooses): it could be bound, so that a
  changed value changes the text too (``ipviewer bind`` does it);
- an indicator of the report year that no text refers to (in any form, for any year).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from ..i18n import _, report_language
from ..model import Indicator
from ..prose.bindings import BindingError, bindable, find_bindings, sole_candidate
from .finding import Finding, RenderedText


def indicator_label(indicator: Indicator) -> str:
    """An indicator's name in the language messages are in (the other one if missing)."""
    first, second = ("zh", "en") if report_language() == "zh" else ("en", "zh")
    return indicator.label(first) or indicator.label(second)


def referenced_keys(text: str) -> set[str]:
    """The indicator keys the placeholders of ``text`` refer to (none when one is malformed:
    that is reported as a broken reference)."""
    try:
        return {binding.key for binding in find_bindings(text)}
    except BindingError:
        return set()


def unbound_figure_findings(node_id: int | None, rendered: RenderedText,
                            values: Mapping[tuple[str, int], Indicator],
                            year: int) -> list[Finding]:
    """Warnings for the typed-in figures of a text (those no placeholder wrote) that one
    indicator of ``year`` matches. Numbers in words ("four meetings") stay words."""
    findings = []
    for figure in rendered.figures:
        if rendered.key_at(figure.start, figure.end):
            continue  # written by a placeholder
        if not bindable(figure):
            continue
        key = sole_candidate(figure, values, year)
        if key is None:
            continue  # none, or several: binding would be a guess
        findings.append(Finding(
            "warning", "unbound-figure",
            _('"{figure}" is typed in, not bound: it could be bound to {key}').format(
                figure=figure.text, key=key),
            rendered.where, node_id, key))
    return findings


def unused_indicator_findings(indicators: list[Indicator], year: int, referenced: set[str],
                              place: Callable[[int], str],
                              typed_in: Collection[str] = ()) -> list[Finding]:
    """Warnings for the indicators of ``year`` that no text refers to.

    ``place`` names the node an indicator came from (by id); indicators in ``typed_in`` are
    left out (a typed-in figure of theirs is reported already).
    """
    findings = []
    for indicator in indicators:
        key = indicator.key
        if indicator.year != year or key in referenced or key in typed_in:
            continue
        findings.append(Finding(
            "warning", "unused-indicator",
            _("{name} ({key}) of {year} is not used in any text").format(
                name=indicator_label(indicator) or key, key=key, year=year),
            place(indicator.node_id) if indicator.node_id is not None else "",
            indicator.node_id, key))
    return findings
