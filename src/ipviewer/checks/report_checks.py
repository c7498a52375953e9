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
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..i18n import _
from ..model import Figure, Node
from ..numbers import format_number
from ..prose.bindings import BindingError, FigureValue, render, render_spans
from ..report_text import figure_values, node_place, walk_with_path
from ..store import ReportStore
from ..store.integrity import Damage
from .direction import direction_findings
from .figures_use import (
    indicator_label,
    referenced_keys,
    unbound_figure_findings,
    unused_indicator_findings,
)
from .finding import SEVERITIES, Finding, RenderedText, half_unit
from .terminology import TermChecker
from .totals import totals_findings

if TYPE_CHECKING:
    from ..terms.glossary import Glossary

__all__ = ["SEVERITIES", "Finding", "run_checks", "yoy_findings"]


def run_checks(store: ReportStore, glossary: Glossary | None = None) -> list[Finding]:
    """Every finding for the report in ``store``, errors and warnings, in report order.

    With a ``glossary``, the terminology is checked too.
    """
    year = store.report()["year"]
    damage = store.damage()
    findings = [_damage_finding(d) for d in damage]
    unusable = {d.row_id for d in damage if d.table == "indicators"}
    rows = [row for row in store.indicator_rows() if row["id"] not in unusable]
    values = figure_values(rows)
    terms = TermChecker.for_glossary(glossary) if glossary is not None else None
    findings += yoy_findings(rows, year)
    uses = _Uses()
    for node, path in walk_with_path(store.load_tree()):
        findings += _node_findings(node, path, values, year, terms, uses)
    typed_in = {f.key for f in findings if f.code == "unbound-figure"}
    findings += unused_indicator_findings(rows, year, uses.keys, uses.place, typed_in)
    return findings


def _damage_finding(damage: Damage) -> Finding:
    """A cell ipviewer cannot use (see ``store.integrity``), as an error to correct."""
    return Finding("error", "damaged", damage.message, key=damage.key,
                   node_id=damage.row_id if damage.table == "nodes" else None)


class _Uses:
    """What the walk over the nodes collects for the report-wide checks: the indicator keys
    the texts refer to, and the nodes by id (to name their place)."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.nodes: dict[int, tuple[Node, list[Node]]] = {}

    def place(self, node_id: int) -> str:
        found = self.nodes.get(node_id)
        return node_place(found[0], found[1], "en") if found else ""


def yoy_findings(rows: list[dict[str, Any]], year: int) -> list[Finding]:
    """Stated YoY changes against the prior year's values held.

    Printed figures are rounded (278,700 is "27.87万"), so the change they allow is a range:
    a stated rate is wrong only when it lies outside that range by more than its own
    rounding.
    """
    by_key = {(r["key"], r["year"]): r for r in rows}
    ranges: dict[str, tuple[Decimal, Decimal]] = {}
    stated: dict[str, Decimal] = {}
    for row in rows:
        if row["year"] != year or row["yoy_pct"] in (None, ""):
            continue
        stated[row["key"]] = Decimal(row["yoy_pct"])
        prior = by_key.get((row["key"], year - 1))
        if prior and Decimal(prior["value"]) > 0:
            ranges[row["key"]] = _change_range(Decimal(row["value"]), Decimal(prior["value"]))
    same_node: dict[int | None, list[tuple[str, Decimal]]] = {}
    for key, rate in stated.items():  # a swap is looked for within one paragraph
        same_node.setdefault(by_key[(key, year)]["node_id"], []).append((key, rate))
    findings = []
    for key, (low, high) in ranges.items():
        said = stated[key]
        if low - _tolerance(said) <= said <= high + _tolerance(said):
            continue
        row, prior = by_key[(key, year)], by_key[(key, year - 1)]
        change = (Decimal(row["value"]) / Decimal(prior["value"]) - 1) * 100
        message = _("{name}: the text states {stated}% year-on-year, but {value} against "
                    "{prior} in {year} is {computed}%").format(
            name=indicator_label(row) or key, stated=_signed(said),
            value=format_number(Decimal(row["value"]), "en"),
            prior=format_number(Decimal(prior["value"]), "en"), year=year - 1,
            computed=_signed(change.quantize(_step(said))))
        swapped = [other for other, rate in same_node[row["node_id"]]
                   if other != key and low - _tolerance(rate) <= rate <= high + _tolerance(rate)]
        if swapped:
            message += " " + _("(it looks swapped with the rate of {other})").format(
                other=indicator_label(by_key[(swapped[0], year)]) or swapped[0])
        findings.append(Finding("error", "yoy-swapped" if swapped else "yoy", message,
                                key=key, node_id=row["node_id"]))
    return findings


def _change_range(value: Decimal, prior: Decimal) -> tuple[Decimal, Decimal]:
    """The lowest and highest % change the two rounded figures allow."""
    du, dp = half_unit(value), half_unit(prior)
    low = ((value - du) / (prior + dp) - 1) * 100
    high = ((value + du) / (prior - dp) - 1) * 100
    return low, high


def _node_findings(node: Node, path: list[Node], values: dict[tuple[str, int], FigureValue],
                   year: int, terms: TermChecker | None, uses: _Uses) -> list[Finding]:
    findings = []
    texts: dict[str, RenderedText | None] = {}
    for lang in ("en", "zh"):
        where = node_place(node, path, lang)
        raw = node.text(lang)
        uses.keys |= referenced_keys(raw) | referenced_keys(node.title(lang))
        try:
            text, spans = render_spans(raw, lang, values, year, where)
            texts[lang] = RenderedText(lang, raw, text, where, spans)
        except BindingError as exc:
            findings.append(Finding("error", "reference", exc.problem, where, node.id,
                                    getattr(exc, "key", "") or ""))
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
            findings += unbound_figure_findings(node.id, rendered, values, year)
            findings += totals_findings(node.id, rendered)
    if terms is not None:
        findings += _term_findings(node, path, values, year, terms, english, chinese)
    return findings


def _term_findings(node: Node, path: list[Node], values: dict[tuple[str, int], FigureValue],
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


def _step(stated: Decimal) -> Decimal:
    exponent = stated.as_tuple().exponent
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)


def _tolerance(stated: Decimal) -> Decimal:
    """Half a unit of the last printed digit: 14.28 allows ±0.005, 2.7 allows ±0.05."""
    return _step(stated) / 2 + Decimal("1e-9")


def _signed(value: Decimal) -> str:
    return f"+{value}" if value > 0 else str(value)


def _plain(value: Decimal) -> str:
    return format(value, "f")
