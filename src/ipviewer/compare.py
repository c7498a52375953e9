"""Year against year: two report files compared, figure by figure and text by text (no Qt).

``compare_reports(a, b)`` opens report A (say 2024) and report B (2025) read-only and gives
a :class:`Comparison`:

- per indicator key, A's value, B's value, the change (absolute and %), B's stated
  year-on-year change and whether it agrees with the two values (the one rule,
  :func:`ipviewer.indicators.yoy_verdict`); keys held by one report only;
- per node (matched by id, as ``new-year`` keeps them, else by title, else by position
  under matched parents), the title and text of both years in each language with the
  figures written in, and what changed (:mod:`.text_diff`: words in English, characters
  in Chinese);
- findings: ``yoy`` (an error: B states a change the values do not give), the
  plausibility warnings of :mod:`.checks.plausibility` (``implausible-change``,
  ``yoy-contradicts-text``), and ``prior-differs`` (B's own record of A's year is not
  what A holds: a figure revised since, or a file not rolled forward from A).

``Comparison.as_dict()`` is the documented JSON of ``ipviewer compare --format json``
(``docs/compare.md``).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

from .checks.figures_use import indicator_label
from .checks.finding import Finding, RenderedText
from .checks.plausibility import (
    DEFAULT_FACTOR,
    YearPair,
    implausible_change,
    worded_contradictions,
)
from .i18n import N_, _
from .indicators import shown_change, signed_rate, yoy_change, yoy_verdict
from .model import Indicator, Node, decimal_text
from .numbers import format_number
from .prose.bindings import BindingError, render_spans
from .report_text import figure_values, node_place, walk_with_path
from .safe_write import same_file
from .store import ReportStore, StoreError
from .text_diff import Segment, diff_text

__all__ = ["FINDING_NAMES", "VERDICT_NAMES", "CompareError", "Comparison", "IndicatorRow",
           "NodePair", "ReportSide", "TextPair", "compare_reports", "compare_stores",
           "shown_number", "verdict_name"]

#: The version of :meth:`Comparison.as_dict`'s shape (raised when a field changes meaning).
JSON_VERSION = 1

#: How the command line and the window name each :class:`IndicatorRow` verdict.
VERDICT_NAMES = {
    # L10N: compare: the stated year-on-year change agrees with the two years' values
    "match": N_("agrees"),
    # L10N: compare: the stated year-on-year change disagrees with the two values
    "mismatch": N_("DISAGREES"),
    # L10N: compare: the later report states no year-on-year change for this indicator
    "not-stated": N_("not stated"),
    # L10N: compare: no change can be computed (a zero or negative base, years apart)
    "no-base": N_("no base"),
    # L10N: compare: an indicator only one of the two reports has
    "only-a": N_("only in {year}"),
    "only-b": N_("only in {year}"),
}
#: How the window's notes column names a finding's code, briefly.
FINDING_NAMES = {"yoy": N_("stated change disagrees"),
                 "implausible-change": N_("implausible change"),
                 "yoy-contradicts-text": N_("text says otherwise"),
                 "prior-differs": N_("prior year differs")}


class CompareError(ValueError):
    """The two reports cannot be compared; the message says which file and why."""


@dataclass(frozen=True)
class ReportSide:
    """One of the two reports: its file and front matter."""

    path: str
    year: int
    title_en: str
    title_zh: str


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator key in both years. ``verdict``: ``match``, ``mismatch`` (B's stated
    change disagrees with the values), ``not-stated`` (B states none), ``no-base`` (A's
    value is zero or negative, or the years are not consecutive: no change to check),
    ``only-a`` / ``only-b`` (one report has the key)."""

    key: str
    a: Indicator | None
    b: Indicator | None
    #: B's own value for A's year (what B's table says the prior year was), if any.
    b_prior: Indicator | None
    verdict: str
    #: B's value minus A's; the % change, rounded as B states its change (2 decimals if not).
    change: Decimal | None = None
    change_pct: Decimal | None = None
    codes: tuple[str, ...] = ()  #: the codes of the findings about this row

    @property
    def stated(self) -> Decimal | None:
        """B's stated year-on-year change."""
        return self.b.yoy_pct if self.b is not None else None

    def label(self, lang: str) -> str:
        """The indicator's name in ``lang`` (B's, else A's; the other language if none)."""
        for ind in (self.b, self.a):
            if ind is not None and ind.label(lang):
                return ind.label(lang)
        other = "en" if lang == "zh" else "zh"
        return next((i.label(other) for i in (self.b, self.a) if i and i.label(other)), "")

    @property
    def unit(self) -> str:
        return (self.b or self.a).unit if (self.b or self.a) else ""


@dataclass(frozen=True)
class TextPair:
    """One field (``title`` or ``text``) of a node in one language, in both years, figures
    written in; ``problem`` says why a side is shown as stored (a reference with no value)."""

    field: str
    lang: str
    a: str
    b: str
    segments: tuple[Segment, ...]
    problem: str = ""

    @property
    def changed(self) -> bool:
        return any(s.op != "equal" for s in self.segments)


@dataclass
class NodePair:
    """A node of A and its counterpart in B (either None when the other has no such node);
    ``matched_by``: ``id``, ``title``, ``position`` or '' (unmatched)."""

    a: Node | None
    b: Node | None
    where: str
    matched_by: str
    texts: list[TextPair] = field(default_factory=list)
    #: The nodes above (B's, or A's for a node only A has), to name the place per language.
    path: list[Node] = field(default_factory=list, repr=False)

    @property
    def kind(self) -> str:
        return (self.b or self.a).kind  # type: ignore[union-attr]

    @property
    def changed(self) -> bool:
        return self.a is None or self.b is None or any(t.changed for t in self.texts)


@dataclass
class Comparison:
    """What :func:`compare_reports` found."""

    a: ReportSide
    b: ReportSide
    factor: Decimal
    indicators: list[IndicatorRow]
    nodes: list[NodePair]
    findings: list[Finding]

    @property
    def mismatches(self) -> int:
        return sum(row.verdict == "mismatch" for row in self.indicators)

    @property
    def plausible(self) -> bool:
        """No finding at all (``ipviewer compare`` exits 0)."""
        return not self.findings

    def as_dict(self, langs: tuple[str, ...] = ("en", "zh")) -> dict[str, Any]:
        """JSON-ready (see ``docs/compare.md``); numbers as exact decimal text."""
        return {
            "format": "ipviewer-compare", "version": JSON_VERSION,
            "a": vars(self.a), "b": vars(self.b), "factor": decimal_text(self.factor),
            "indicators": [_row_dict(row) for row in self.indicators],
            "only_in_a": [r.key for r in self.indicators if r.verdict == "only-a"],
            "only_in_b": [r.key for r in self.indicators if r.verdict == "only-b"],
            "nodes": [_node_dict(pair, langs) for pair in self.nodes],
            "findings": [f.as_dict() for f in self.findings],
            "summary": {"indicators": len(self.indicators),
                        "changed_values": sum(r.change not in (None, 0)
                                              for r in self.indicators),
                        "mismatches": self.mismatches,
                        "warnings": sum(f.severity == "warning" for f in self.findings),
                        "changed_nodes": sum(p.changed for p in self.nodes)},
        }


def verdict_name(row: IndicatorRow, comparison: Comparison) -> str:
    """``row``'s verdict in the UI language ("agrees", "only in 2024" …)."""
    year = comparison.a.year if row.verdict == "only-a" else comparison.b.year
    return _(VERDICT_NAMES[row.verdict]).format(year=year)


def shown_number(value: Decimal | None, signed: bool = False) -> str:
    """A value for a table cell: ``150,800``, ``+1,200`` (``signed``), ``–`` for none."""
    if value is None:
        return "–"
    shown = format_number(value, "en")
    return f"+{shown}" if signed and value > 0 else shown


def _number(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value)


def _row_dict(row: IndicatorRow) -> dict[str, Any]:
    return {"key": row.key, "label_en": row.label("en"), "label_zh": row.label("zh"),
            "unit": row.unit, "a": _number(row.a.value if row.a else None),
            "b": _number(row.b.value if row.b else None),
            "b_prior": _number(row.b_prior.value if row.b_prior else None),
            "change": _number(row.change), "change_pct": _number(row.change_pct),
            "stated_yoy": _number(row.stated), "verdict": row.verdict,
            "findings": list(row.codes)}


def _node_dict(pair: NodePair, langs: tuple[str, ...]) -> dict[str, Any]:
    return {"a_id": pair.a.id if pair.a else None, "b_id": pair.b.id if pair.b else None,
            "kind": pair.kind, "where": pair.where, "matched_by": pair.matched_by,
            "changed": pair.changed,
            "texts": [{"field": t.field, "lang": t.lang, "a": t.a, "b": t.b,
                       "changed": t.changed, "problem": t.problem,
                       "segments": [[s.op, s.a, s.b] for s in t.segments]}
                      for t in pair.texts if t.lang in langs]}


# ------------------------------------------------------------------------------ opening

def compare_reports(path_a: str | os.PathLike[str], path_b: str | os.PathLike[str],
                    factor: Decimal = DEFAULT_FACTOR) -> Comparison:
    """Compare report file A (the earlier year) with report file B (the later one), both
    opened read-only. ``CompareError`` (one line naming the file) when either is not a
    usable report, they are the same file, or A's year is not before B's."""
    a, b = Path(path_a), Path(path_b)
    if a.exists() and b.exists() and same_file(a, b):
        raise CompareError(_("{a} and {b} are the same file: give last year's report and "
                             "this year's").format(a=a, b=b))
    with ExitStack() as stack:
        stores = []
        for path in (a, b):
            try:
                store = stack.enter_context(ReportStore.open(path, readonly=True))
                store.require_sound()
            except StoreError as exc:
                raise CompareError(str(exc)) from None
            stores.append(store)
        return compare_stores(stores[0], stores[1], factor)


def compare_stores(a: ReportStore, b: ReportStore,
                   factor: Decimal = DEFAULT_FACTOR) -> Comparison:
    """Compare two open reports, A the earlier year (see :func:`compare_reports`)."""
    if not factor > 1:
        raise CompareError(_("the factor must be more than 1, not {factor}").format(
            factor=factor))
    sides = [_side(store) for store in (a, b)]
    if sides[0].year == sides[1].year:
        raise CompareError(_("{a} and {b} are both for {year}: give last year's report and "
                             "this year's").format(a=sides[0].path, b=sides[1].path,
                                                   year=sides[0].year))
    if sides[0].year > sides[1].year:
        raise CompareError(_("{a} is the {year_a} report and {b} the {year_b} report: give "
                             "the earlier year first").format(
            a=sides[0].path, year_a=sides[0].year, b=sides[1].path, year_b=sides[1].year))
    try:
        values_a, values_b = a.indicator_values(), b.indicator_values()
    except StoreError as exc:
        raise CompareError(str(exc)) from None
    rows, findings = _indicator_rows(values_a, values_b, sides[0].year, sides[1].year, factor)
    by_key_a = {i.key: i for i in values_a if i.year == sides[0].year}
    by_key_b = {i.key: i for i in values_b if i.year == sides[1].year}

    def years(key: str) -> tuple[Indicator, Indicator] | None:
        pair = by_key_b.get(key), by_key_a.get(key)
        return pair if pair[0] is not None and pair[1] is not None else None  # type: ignore

    nodes = list(_node_pairs(a.load_tree(), b.load_tree()))
    texts = {"a": figure_values(values_a), "b": figure_values(values_b)}
    for pair in nodes:
        findings += _fill_texts(pair, texts, sides, years)
    marks: dict[str, list[str]] = {}
    for finding in findings:
        marks.setdefault(finding.key, []).append(finding.code)
    rows = [replace(row, codes=tuple(dict.fromkeys(marks.get(row.key, ())))) for row in rows]
    return Comparison(sides[0], sides[1], factor, rows, nodes, findings)


def _side(store: ReportStore) -> ReportSide:
    info = store.report()
    return ReportSide(str(store.shown_path), info["year"], info["title_en"] or "",
                      info["title_zh"] or "")


# --------------------------------------------------------------------------- indicators

def _indicator_rows(values_a: list[Indicator], values_b: list[Indicator], year_a: int,
                    year_b: int, factor: Decimal) -> tuple[list[IndicatorRow], list[Finding]]:
    """One row per key of A's year or B's year (B's order, then A's keys B lacks)."""
    a = {i.key: i for i in values_a if i.year == year_a}
    b = {i.key: i for i in values_b if i.year == year_b}
    b_prior = {i.key: i for i in values_b if i.year == year_a}
    rows, findings = [], []
    for key in [*b, *(k for k in a if k not in b)]:
        old, new = a.get(key), b.get(key)
        if old is None or new is None:
            rows.append(IndicatorRow(key, old, new, b_prior.get(key),
                                     "only-b" if old is None else "only-a"))
            continue
        verdict = yoy_verdict(new.value, old.value, new.yoy_pct)
        if verdict is None or year_b != year_a + 1:
            state, pct = "no-base", None
            raw = yoy_change(new.value, old.value)
            pct = None if raw is None else shown_change(raw, None)
        else:
            pct, wrong = verdict
            state = "mismatch" if wrong else ("match" if new.yoy_pct is not None
                                              else "not-stated")
        rows.append(IndicatorRow(key, old, new, b_prior.get(key), state,
                                 _difference(new.value, old.value), pct))
        if state == "mismatch":
            findings.append(Finding("error", "yoy", _(
                "{name}: {b} states {stated}% year-on-year, but {value} against {prior} in "
                "{a} is {computed}%").format(
                name=indicator_label(new) or key, b=year_b, a=year_a,
                stated=signed_rate(new.yoy_pct), value=format_number(new.value, "en"),
                prior=format_number(old.value, "en"), computed=signed_rate(pct)),
                key=key, node_id=new.node_id))
        found = implausible_change(new, old, factor)
        if found is not None:
            findings.append(found)
        prior = b_prior.get(key)
        if prior is not None and (prior.value != old.value or prior.unit != old.unit):
            findings.append(Finding("warning", "prior-differs", _(
                "{name}: the {b} report holds {prior} for {year}, the {a} report {value}"
            ).format(name=indicator_label(new) or key, b=year_b, a=year_a, year=year_a,
                     prior=format_number(prior.value, "en"),
                     value=format_number(old.value, "en")), key=key, node_id=new.node_id))
    return rows, findings


def _difference(value: Decimal, prior: Decimal) -> Decimal:
    """``value - prior``, exact (stored values have up to 30 digits on each side)."""
    with localcontext() as ctx:
        ctx.prec = 80
        return value - prior


# -------------------------------------------------------------------------------- nodes

def _node_pairs(tree_a: list[Node], tree_b: list[Node]) -> Iterator[NodePair]:
    """Every node of B with its counterpart in A (in B's order), then A's nodes left over.

    Ids are trusted when the files share them (``new-year`` copies the file): a node of
    the same kind with the same id is the same node. The rest are matched under matched
    parents by title, then in order among nodes of the same kind."""
    nodes_a = {n.id: (n, p) for n, p in walk_with_path(tree_a)}
    nodes_b = {n.id: (n, p) for n, p in walk_with_path(tree_b)}
    shared = [i for i in nodes_b if i in nodes_a and nodes_a[i][0].kind == nodes_b[i][0].kind]
    partner: dict[int | None, tuple[Node, str]] = {}  # a B node's id -> (A node, how)
    taken: set[int | None] = set()
    if len(shared) * 2 >= min(len(nodes_a), len(nodes_b)):  # the files share their ids
        for node_id in shared:
            partner[node_id] = (nodes_a[node_id][0], "id")
            taken.add(node_id)
    _match_children(tree_a, tree_b, partner, taken)
    for node_b, path in walk_with_path(tree_b):
        found = partner.get(node_b.id)
        yield NodePair(found[0] if found else None, node_b, node_place(node_b, path, "en"),
                       found[1] if found else "", path=path)
    for node_a, path in walk_with_path(tree_a):
        if node_a.id not in taken:
            yield NodePair(node_a, None, node_place(node_a, path, "en"), "", path=path)


def _match_children(children_a: list[Node], children_b: list[Node],
                    partner: dict[int | None, tuple[Node, str]], taken: set[int | None]
                    ) -> None:
    """Pair the children of two matched nodes not paired yet: by title (either language),
    then in order among the same kind; then their children likewise. Linear in the
    number of children (a section may hold thousands of paragraphs)."""
    titled: dict[tuple[str, str, str], deque[Node]] = {}
    in_order: dict[str, deque[Node]] = {}
    for node in children_a:
        if node.id in taken:
            continue
        in_order.setdefault(node.kind, deque()).append(node)
        for lang in ("en", "zh"):
            if node.title(lang):
                titled.setdefault((node.kind, lang, node.title(lang)), deque()).append(node)

    def take(queue: deque[Node] | None) -> Node | None:
        while queue and queue[0].id in taken:
            queue.popleft()
        return queue.popleft() if queue else None

    for how in ("title", "position"):
        for node_b in children_b:
            if node_b.id in partner:
                continue
            if how == "title":
                found = next((n for n in (take(titled.get((node_b.kind, lang,
                                                           node_b.title(lang))))
                                          for lang in ("en", "zh") if node_b.title(lang))
                              if n is not None), None)
            else:
                found = take(in_order.get(node_b.kind))
            if found is not None:
                partner[node_b.id] = (found, how)
                taken.add(found.id)
    for node_b in children_b:
        pair = partner.get(node_b.id)
        if pair is not None:
            _match_children(pair[0].children, node_b.children, partner, taken)


def _fill_texts(pair: NodePair, values: dict[str, Any], sides: list[ReportSide],
                years: YearPair) -> list[Finding]:
    """Fill ``pair.texts``; the plausibility warnings of B's texts."""
    findings: list[Finding] = []
    for lang in ("en", "zh"):
        for name in ("title", "text"):
            shown = {}
            problems = []
            rendered_b = None
            for side, node, year in (("a", pair.a, sides[0].year), ("b", pair.b, sides[1].year)):
                raw = getattr(node, name)(lang) if node is not None else ""
                missing: list[tuple[BindingError, str]] = []
                try:  # a figure not given yet prints as [?key], the rest written in
                    text, spans = render_spans(raw, lang, values[side], year, missing=missing)
                except BindingError as exc:  # malformed: shown as stored
                    text, spans = raw, []
                    missing.append((exc, ""))
                problems += [f"{year}: {exc.problem}" for exc, _shown in missing]
                shown[side] = text
                if side == "b" and node is not None and name == "text" and spans:
                    rendered_b = RenderedText(lang, raw, text, node_place(node, pair.path, lang),
                                              spans)
            if not shown["a"] and not shown["b"]:
                continue
            if name == "title" and pair.kind == "paragraph":
                continue
            pair.texts.append(TextPair(name, lang, shown["a"], shown["b"],
                                       tuple(diff_text(shown["a"], shown["b"], lang)),
                                       "; ".join(problems)))
            if rendered_b is not None and sides[1].year == sides[0].year + 1:
                findings += worded_contradictions(rendered_b, pair.b.id, years)
    return findings

