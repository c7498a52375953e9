"""Is a year's figure plausible next to the year before? (no Qt)

Two warnings, shared by ``check`` (a report against the prior-year values its own table
holds, as ``new-year`` leaves them) and ``compare`` (one report file against another):

- ``implausible-change``: a value more than ``factor`` times the prior year's, or less
  than its ``factor``-th part (default 3): a typed extra zero, a value in the wrong unit
  (万 for 亿), last year's figure in the wrong row;
- ``yoy-contradicts-text``: the text's own words say a figure went up ("增长",
  "increase") while the values fell, or down while they rose. Only where the words are
  the text's (a literal rate, or a ``{{key:rate}}`` after a word of the text): a change
  written by a ``{{key:yoy}}`` reference says what the stored rate says, which the
  ``yoy`` check already compares with the values.

The direction words are read as :mod:`.direction` reads them (``Figure.yoy_pct``'s sign,
from the figure extractor), never by a list of our own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from ..i18n import _
from ..indicators import signed_rate, yoy_change
from ..model import Indicator, Node
from ..numbers import format_number
from ..prose.bindings import BindingError, render_spans
from ..report_text import figure_values, node_place, walk_with_path
from .direction import has_direction_word, worded_changes
from .figures_use import indicator_label, referenced_keys
from .finding import Finding, RenderedText, figure_name

if TYPE_CHECKING:
    from ..store import ReportStore

__all__ = ["DEFAULT_FACTOR", "change_factor", "implausible_change", "node_contradictions",
           "plausibility_findings", "worded_contradictions"]

#: A value that changes by more than this many times (up or down) in a year is questioned.
DEFAULT_FACTOR = Decimal(3)

#: Looks up an indicator key's value for the year and for the year before (None: unknown).
YearPair = Callable[[str], "tuple[Indicator, Indicator] | None"]


def change_factor(value: Decimal, prior: Decimal) -> Decimal | None:
    """How many times the larger of ``value`` and ``prior`` is the smaller one (1 when
    equal); ``Decimal('Infinity')`` when exactly one is zero; None when either is negative
    or both are zero (no factor says anything there)."""
    if value < 0 or prior < 0 or (value == 0 and prior == 0):
        return None
    if value == 0 or prior == 0:
        return Decimal("Infinity")
    return max(value, prior) / min(value, prior)


def implausible_change(current: Indicator, prior: Indicator,
                       factor: Decimal = DEFAULT_FACTOR, where: str = "") -> Finding | None:
    """A ``implausible-change`` warning when ``current`` is more than ``factor`` times
    ``prior`` or less than its ``factor``-th part; None otherwise."""
    times = change_factor(current.value, prior.value)
    if times is None or times <= factor:
        return None
    fields = {"name": indicator_label(current) or current.key,
              "value": format_number(current.value, "en"), "year": current.year,
              "prior": format_number(prior.value, "en"), "prior_year": prior.year,
              "factor": format_number(factor.normalize(), "en")}
    if not times.is_finite():
        message = _("{name}: {value} in {year} against {prior} in {prior_year}: is the "
                    "value right?")
    elif current.value > prior.value:
        message = _("{name}: {value} in {year}, {times} times the {prior} of {prior_year} "
                    "(more than {factor} times): is the value right?")
    else:
        message = _("{name}: {value} in {year}, down {times}-fold from {prior} in "
                    "{prior_year} (more than {factor} times): is the value right?")
    shown_times = ""
    if times.is_finite():
        with localcontext() as ctx:  # a factor may have 60 digits (1e30 against 1e-30)
            ctx.prec = 100
            shown_times = format_number(times.quantize(Decimal("0.1")).normalize(), "en")
    return Finding("warning", "implausible-change",
                   message.format(times=shown_times, **fields),
                   where, current.node_id, current.key)


def worded_contradictions(rendered: RenderedText, node_id: int | None,
                          years: YearPair) -> list[Finding]:
    """A ``yoy-contradicts-text`` warning for each figure of ``rendered`` whose change the
    text's words state in one direction while its indicator's values (``years(key)``:
    this year's and the prior year's) went the other way."""
    if not rendered.text or not has_direction_word(rendered.text, rendered.lang):
        return []
    from_data = {binding.key for _start, _end, binding in rendered.spans
                 if binding.form == "yoy"}  # the word was written from the stored rate
    findings = []
    for figure in worded_changes(rendered.figures, rendered.lang):
        key = rendered.key_at(figure.start, figure.end)
        pair = years(key) if key and key not in from_data else None
        if pair is None:
            continue
        current, prior = pair
        change = yoy_change(current.value, prior.value)
        if change is None or change == 0 or (change > 0) == (figure.yoy_pct > 0):
            continue
        if figure.yoy_pct > 0:
            message = _("{figure}: the text says it rose ({stated}%), but the value fell "
                        "from {prior} in {prior_year} to {value}")
        else:
            message = _("{figure}: the text says it fell ({stated}%), but the value rose "
                        "from {prior} in {prior_year} to {value}")
        findings.append(Finding("warning", "yoy-contradicts-text", message.format(
            figure=figure_name(figure), stated=signed_rate(figure.yoy_pct),
            prior=format_number(prior.value, "en"), prior_year=prior.year,
            value=format_number(current.value, "en")), rendered.where, node_id, key))
    return findings


def plausibility_findings(store: ReportStore, indicators: Iterable[Indicator], year: int,
                          factor: Decimal = DEFAULT_FACTOR) -> list[Finding]:
    """The plausibility warnings of the report in ``store`` for ``year`` against its own
    values for the year before (``indicators``: the usable ones, as ``run_checks`` reads
    them). Texts that cannot be rendered are left to the ``reference`` check."""
    by_key = {(i.key, i.year): i for i in indicators}
    findings = []
    for (key, when), current in by_key.items():
        prior = by_key.get((key, year - 1))
        if when == year and prior is not None:
            found = implausible_change(current, prior, factor)
            if found is not None:
                findings.append(found)
    values = figure_values(by_key.values())
    for node, path in walk_with_path(store.load_tree()):
        findings += node_contradictions(node, path, values, year)
    return findings


def node_contradictions(node: Node, path: list[Node],
                        values: Mapping[tuple[str, int], Indicator],
                        year: int) -> list[Finding]:
    """The ``yoy-contradicts-text`` warnings of one node's texts (``values``: the report's
    indicators by key and year). Only texts that refer to an indicator whose value moved
    between the two years, and that have a word of direction, are read."""

    def years(key: str) -> tuple[Indicator, Indicator] | None:
        current, prior = values.get((key, year)), values.get((key, year - 1))
        return (current, prior) if current is not None and prior is not None else None

    def moved(key: str) -> bool:
        pair = years(key)
        return pair is not None and pair[0].value != pair[1].value

    findings: list[Finding] = []
    for lang in ("en", "zh"):
        raw = node.text(lang)
        if "{{" not in raw or not has_direction_word(raw, lang) \
                or not any(moved(key) for key in referenced_keys(raw)):
            continue
        where = node_place(node, path, lang)
        try:
            text, spans = render_spans(raw, lang, values, year, where)
        except BindingError:
            continue
        findings += worded_contradictions(RenderedText(lang, raw, text, where, spans),
                                          node.id, years)
    return findings
