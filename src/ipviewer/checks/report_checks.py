"""What an editor checks before publishing, done by the machine.

- a stated year-on-year change that the prior year's value held does not give (within the
  printed precision), and a pair of rates that look swapped;
- a paragraph whose English and Chinese texts do not state the same figures;
- a figure reference to an indicator that does not exist;
- a part, section or paragraph written in one language only;
- a change that goes up in one language and down in the other (:mod:`.direction`);
- parts that add up to more than their total (:mod:`.totals`);
- a typed-in number that an indicator holds, an indicator no text uses (:mod:`.figures_use`);
- with a glossary: terms without their approved translation, forbidden variants
  (:mod:`.terminology`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal

from ..i18n import _
from ..indicators import rate_agrees, shown_change, signed_rate, yoy_change, yoy_range
from ..model import Figure, Indicator, Node
from ..numbers import format_number
from ..prose.bindings import BindingError, render, render_spans, unresolved
from ..report_text import node_place
from ..store.integrity import Damage
from .annual import (
    previous_year_findings,
    stale_figure_findings,
    text_to_update_finding,
)
from .direction import direction_findings
from .figures_use import (
    indicator_label,
    referenced_keys,
    unbound_figure_findings,
)
from .finding import SEVERITIES, Finding, RenderedText
from .terminology import TermChecker
from .totals import totals_findings

__all__ = ["SEVERITIES", "ChecksCancelled", "Finding", "node_findings", "yoy_findings"]


class ChecksCancelled(Exception):
    """A run of the checks stopped early: its ``should_stop`` said so."""


def damage_finding(damage: Damage) -> Finding:
    """A cell ipviewer cannot use (see ``store.integrity``), as an error to correct."""
    return Finding("error", "damaged", damage.message, key=damage.key,
                   node_id=damage.row_id if damage.table == "nodes" else None)


class Uses:
    """What the walk over the nodes collects for the report-wide checks: the indicator keys
    the texts refer to, and the nodes by id (to name their place)."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.nodes: dict[int, tuple[Node, list[Node]]] = {}
        #: (value, unit) of the figures typed into the texts (not written by a reference):
        #: an indicator that gains or loses such a value may change what is said of them
        self.typed: set[tuple[Decimal, str]] = set()

    def place(self, node_id: int) -> str:
        found = self.nodes.get(node_id)
        return node_place(found[0], found[1], "en") if found else ""


def yoy_findings(indicators: list[Indicator], year: int,
                 should_stop: Callable[[], bool] | None = None) -> list[Finding]:
    """Stated YoY changes against the prior year's values held.

    Printed figures are rounded (278,700 is "27.87万"), so the change they allow is a range
    (:func:`ipviewer.indicators.yoy_range`): a stated rate is wrong only when it lies
    outside that range by more than its own rounding.
    """
    by_key = {(i.key, i.year): i for i in indicators}
    ranges: dict[str, tuple[Decimal, Decimal]] = {}
    changes: dict[str, Decimal] = {}
    stated: dict[str, Decimal] = {}
    for number, indicator in enumerate(indicators):
        if should_stop is not None and number % 2000 == 0 and should_stop():
            raise ChecksCancelled
        if indicator.year != year or indicator.yoy_pct is None:
            continue
        stated[indicator.key] = indicator.yoy_pct
        prior = by_key.get((indicator.key, year - 1))
        if prior is None:
            continue
        change = yoy_change(indicator.value, prior.value)
        change_range = yoy_range(indicator.value, prior.value)
        if change is not None and change_range is not None:  # both None unless prior > 0
            changes[indicator.key], ranges[indicator.key] = change, change_range
    same_node: dict[int | None, list[tuple[str, Decimal]]] = {}
    for key, rate in stated.items():  # a swap is looked for within one paragraph
        same_node.setdefault(by_key[(key, year)].node_id, []).append((key, rate))
    findings = []
    for number, (key, change_range) in enumerate(ranges.items()):
        if should_stop is not None and number % 500 == 0 and should_stop():
            raise ChecksCancelled
        said = stated[key]
        if rate_agrees(said, change_range):
            continue
        indicator, prior = by_key[(key, year)], by_key[(key, year - 1)]
        message = _("{name}: the text states {stated}% year-on-year, but {value} against "
                    "{prior} in {year} is {computed}%").format(
            name=indicator_label(indicator) or key, stated=signed_rate(said),
            value=format_number(indicator.value, "en"),
            prior=format_number(prior.value, "en"), year=year - 1,
            computed=signed_rate(shown_change(changes[key], said)))
        swapped = [other for other, rate in same_node[indicator.node_id]
                   if other != key and rate_agrees(rate, change_range)]
        if swapped:
            message += " " + _("(it looks swapped with the rate of {other})").format(
                other=indicator_label(by_key[(swapped[0], year)]) or swapped[0])
        findings.append(Finding("error", "yoy-swapped" if swapped else "yoy", message,
                                key=key, node_id=indicator.node_id))
    return findings


def node_findings(node: Node, path: list[Node], values: Mapping[tuple[str, int], Indicator],
                  year: int, terms: TermChecker | None, uses: Uses,
                  marked: Collection[int]) -> list[Finding]:
    """The findings of one node's titles and texts (``marked``: the nodes still to update);
    ``uses`` collects what the report-wide checks need to know of it."""
    findings = []
    if node.id in marked:
        findings.append(text_to_update_finding(
            node, node_place(node, path, "en").removesuffix(" (en)"), year))
    texts: dict[str, RenderedText | None] = {}
    for lang in ("en", "zh"):
        where = node_place(node, path, lang)
        raw = node.text(lang)
        uses.keys |= referenced_keys(raw) | referenced_keys(node.title(lang))
        try:
            text, spans = render_spans(raw, lang, values, year, where)
            texts[lang] = RenderedText(lang, raw, text, where, spans)
        except BindingError as exc:
            # every reference that cannot be rendered, not only the first
            for problem in unresolved(raw, lang, values, year, where) or [exc]:
                findings.append(Finding("error", "reference", problem.problem, where, node.id,
                                        problem.key or ""))
            texts[lang] = None
    if node.id is not None:
        uses.nodes[node.id] = (node, path)
    has = {lang: bool(node.text(lang) or node.title(lang)) for lang in ("en", "zh")}
    english, chinese = texts["en"], texts["zh"]
    if has["en"] != has["zh"]:
        missing = "zh" if has["en"] else "en"
        findings.append(Finding(
            "warning", "untranslated",
            _("no Chinese text yet") if missing == "zh" else _("no English text yet"),
            node_place(node, path, missing), node.id))
    elif english and chinese and english.text and chinese.text:
        findings += _parity(node, path, english.figures, chinese.figures)
        findings += direction_findings(node.id, english, chinese)
    for rendered in (english, chinese):
        if rendered and rendered.text:
            uses.typed |= {(f.value, f.unit) for f in rendered.figures
                           if not rendered.key_at(f.start, f.end)}
            findings += unbound_figure_findings(node.id, rendered, values, year)
            findings += stale_figure_findings(node.id, rendered, values, year)
            findings += totals_findings(node.id, rendered)
        if rendered:
            findings += previous_year_findings(node.id, rendered, year,
                                               node.title(rendered.lang))
    if terms is not None:
        findings += _term_findings(node, path, values, year, terms, english, chinese)
    return findings


def _term_findings(node: Node, path: list[Node], values: Mapping[tuple[str, int], Indicator],
                   year: int, terms: TermChecker, english: RenderedText | None,
                   chinese: RenderedText | None) -> list[Finding]:
    """Terminology of the node's title pair and text pair; forbidden variants in each."""
    where = {lang: node_place(node, path, lang) for lang in ("en", "zh")}
    titles = {}
    for lang in ("en", "zh"):
        title = node.title(lang)
        try:
            titles[lang] = render(title, lang, values, year) if "{{" in title else title
        except BindingError:
            titles[lang] = ""
    findings = []
    pairs = [(titles["en"], titles["zh"]),
             (english.text if english else "", chinese.text if chinese else "")]
    for en_text, zh_text in pairs:
        findings += terms.findings(node.id, en_text, zh_text, where["en"], where["zh"])
    return findings


def _parity(node: Node, path: list[Node], english: list[Figure],
            chinese: list[Figure]) -> list[Finding]:
    """Figures (values and rates) one language states and the other does not."""
    counts = {"en": _numbers(english), "zh": _numbers(chinese)}
    findings = []
    for lang, other in (("en", "zh"), ("zh", "en")):
        extra = counts[lang] - counts[other]
        if extra:
            shown = ", ".join(_plain(v) for v in sorted(extra.elements()))
            findings.append(Finding(
                "error", "parity",
                _("{values} in the {language} text but not in the {other} text").format(
                    values=shown, language=_("English") if lang == "en" else _("Chinese"),
                    other=_("Chinese") if lang == "en" else _("English")),
                node_place(node, path, lang), node.id))
    return findings


def _numbers(figures: list[Figure]) -> Counter:
    values: Counter = Counter()
    for figure in figures:
        values[figure.value.normalize()] += 1
        if figure.yoy_pct is not None:
            values[abs(figure.yoy_pct).normalize()] += 1
    return values


def _plain(value: Decimal) -> str:
    return format(value, "f")
