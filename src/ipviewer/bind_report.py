"""Binding a whole report: every literal figure that one indicator holds becomes a
``{{key}}`` reference, in both languages (no Qt).

Two steps, so that a person can choose: :func:`propose_bindings` reads the report and
proposes one :class:`Proposal` per literal figure (where it is, the sentence around it,
the indicator it would name); :meth:`BindPlan.changes` gives the new texts for the
proposals accepted (the rest stay literal). ``ipviewer bind`` accepts them all in one
transaction (:func:`bind_report`); the window's review dialog lets the editor choose and
writes the chosen ones as one undoable step.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from .importing.years import heading_years
from .model import Figure, Node
from .numbers import format_figure
from .prose.bindings import BindingError, FigureValues, bind_figures, bindable, sole_candidate
from .prose.extract import extract_figures
from .prose.sentences import split_sentences
from .report_text import node_place, stored_figure_values, walk_with_path
from .store import ReportStore


@dataclass(frozen=True)
class Proposal:
    """One literal figure of one text, and the indicator it would be bound to."""

    number: int  #: its place in :attr:`BindPlan.proposals` (what a choice names)
    node_id: int
    lang: str
    where: str  #: the paragraph's place, for messages: 'I. … › ¶2 (en)'
    places: tuple[str, str]  #: the place without the language, named in English, in Chinese
    figure: Figure
    key: str
    name: str  #: the indicator's own name in ``lang`` (the other language's if none)
    value: str  #: the indicator's value as ``lang`` writes it
    context: str  #: the sentence the figure is in
    span: tuple[int, int]  #: where the figure is in ``context``

    def place(self, names_in: str = "en") -> str:
        """The paragraph's place without the language, the titles in ``names_in`` where
        they exist."""
        return self.places[names_in == "zh"]


@dataclass
class _Text:
    """One text of the plan: what it says, its figures and the indicator of each."""

    node: Node
    lang: str
    text: str
    figures: list[Figure]
    keys: list[str | None]
    year: int
    pinned: bool
    where: str
    places: tuple[str, str]
    first: int = 0  #: the number of its first proposal
    proposals: list[int] = field(default_factory=list)  # figure indexes with a proposal


@dataclass(frozen=True)
class TextChange:
    """A text the accepted proposals change: node, language, before and after."""

    node_id: int
    lang: str
    old: str
    new: str

    @property
    def field(self) -> str:
        """The store column: ``text_en`` or ``text_zh``."""
        return f"text_{self.lang}"


@dataclass
class BindPlan:
    """What binding the report would do, before anything is written."""

    year: int
    proposals: list[Proposal] = field(default_factory=list)
    #: Literal figures in digits that match no single indicator, with where they are.
    unmatched: list[tuple[str, Figure]] = field(default_factory=list)
    _texts: list[_Text] = field(default_factory=list, repr=False)
    _values: FigureValues | None = field(default=None, repr=False)

    def changes(self, accepted: set[int] | None = None) -> list[TextChange]:
        """The texts that change when the proposals numbered ``accepted`` are bound (all
        when None); a rejected figure stays literal, and so does its change rate."""
        found = []
        for item in self._texts:
            chosen = {index for n, index in enumerate(item.proposals, item.first)
                      if accepted is None or n in accepted}
            keys = [key if i in chosen else None for i, key in enumerate(item.keys)]
            if not any(keys):
                continue
            new, _left = bind_figures(item.text, item.lang, item.figures, keys, self._values,
                                      item.year, item.where, pinned=item.pinned)
            if new != item.text:
                found.append(TextChange(item.node.id, item.lang, item.text, new))
        return found

    def nodes(self) -> list[Node]:
        """The nodes whose texts the plan read (as read from the store)."""
        return [item.node for item in self._texts]


@dataclass
class BindResult:
    """What :func:`bind_report` did (or, in a dry run, would do)."""

    year: int
    bound: int = 0
    #: Literal figures in digits that match no single indicator, with where they are.
    unmatched: list[tuple[str, Figure]] = field(default_factory=list)


class Cancelled(Exception):
    """:func:`propose_bindings` was asked to stop."""


def propose_bindings(store: ReportStore, shown: bool = True,
                     cancelled: Callable[[], bool] | None = None) -> BindPlan:
    """One proposal for each literal figure of the report that exactly one indicator of
    its year holds, in report order (English before Chinese in each paragraph); nothing
    is written. A text with a malformed reference raises :class:`BindingError` naming
    its place. Without ``shown`` (``bind``, which accepts them all) the plan lists no
    proposals, only what binding them all changes and leaves. ``cancelled()`` is asked
    before each node; when it returns true, :class:`Cancelled` is raised."""
    store.require_sound()
    plan = BindPlan(store.report()["year"])
    values = stored_figure_values(store)
    plan._values = values
    formatted: dict[tuple[str, int, str], str] = {}  # an indicator's value in a language
    tree = store.load_tree()
    # a text under a "## 2013" heading states that year's figures, as `import` stored them
    node_years = {**heading_years(tree, "zh"), **heading_years(tree, "en")}
    for node, path in walk_with_path(tree):
        if cancelled is not None and cancelled():
            raise Cancelled
        when = node_years.get(id(node), plan.year)
        for lang in ("en", "zh"):
            text = node.text(lang)
            if not text:
                continue
            where = node_place(node, path, lang)
            figures = extract_figures(text, lang)  # placeholders are blanks to it
            keys = [sole_candidate(fig, values, when) for fig in figures]
            places = tuple(node_place(node, path, lang, names).removesuffix(f" ({lang})")
                           for names in ("en", "zh"))
            item = _Text(node, lang, text, figures, keys, when, when != plan.year, where,
                         places, first=len(plan.proposals))
            # what binding them all would leave: unmatched figures and differing rates
            _all, left = bind_figures(text, lang, figures, keys, values, when, where,
                                      pinned=item.pinned)
            left_ids = {id(fig) for fig in left}
            item.proposals = [index for index, (fig, key) in enumerate(zip(figures, keys,
                                                                           strict=True))
                              if key is not None and id(fig) not in left_ids and bindable(fig)]
            if shown and item.proposals:
                plan.proposals += _proposals(item, values, formatted)
            plan._texts.append(item)
            # a number in words stays words: it is no figure to bind (as for `import`)
            plan.unmatched += [(where, figure) for figure in left if bindable(figure)]
    return plan


def _proposals(item: _Text, values: FigureValues, formatted: dict[tuple[str, int, str], str]
               ) -> list[Proposal]:
    """The proposals of one text, numbered from ``item.first``."""
    sentences = split_sentences(item.text, item.lang)
    other = "en" if item.lang == "zh" else "zh"
    found = []
    for number, index in enumerate(item.proposals, item.first):
        fig, key = item.figures[index], item.keys[index]
        indicator = values[(key, item.year)]
        value = formatted.get((key, item.year, item.lang))
        if value is None:
            try:
                value = format_figure(indicator.value, indicator.unit, indicator.qualifier,
                                      item.lang)
            except (ValueError, ArithmeticError):
                value = str(indicator.value)
            formatted[(key, item.year, item.lang)] = value
        context, span = _sentence(item.text, sentences, fig)
        found.append(Proposal(number, item.node.id, item.lang, item.where, item.places, fig,
                              key, indicator.label(item.lang) or indicator.label(other),
                              value, context, span))
    return found


def _sentence(text: str, sentences: list[tuple[int, int]], fig: Figure
              ) -> tuple[str, tuple[int, int]]:
    """The sentence of ``text`` around ``fig`` and where the figure is in it."""
    at = bisect_right([start for start, _end in sentences], fig.start) - 1
    if at < 0:
        return text, (fig.start, fig.end)
    start, end = sentences[at]
    sentence = text[start:end]
    lead = len(sentence) - len(sentence.lstrip())
    return sentence.strip(), (fig.start - start - lead, min(fig.end, end) - start - lead)


def bind_report(store: ReportStore, dry_run: bool = False) -> BindResult:
    """Bind the literal figures of every text of the report in ``store`` (all proposals).

    Reading, deciding and writing happen in one ``BEGIN IMMEDIATE`` transaction, so another
    program's write in between can neither be lost nor half-mixed in. A text with a
    malformed reference raises :class:`BindingError` naming its place; nothing is written
    then. ``dry_run`` writes nothing (``store`` may be read-only).
    """
    if dry_run:
        return _bind(store, write=False)
    with store.transaction():
        return _bind(store, write=True)


def _bind(store: ReportStore, write: bool) -> BindResult:
    plan = propose_bindings(store, shown=False)
    changes = plan.changes()
    result = BindResult(plan.year, unmatched=plan.unmatched)
    result.bound = sum(c.new.count("{{") - c.old.count("{{") for c in changes)
    if write:
        nodes = {node.id: node for node in plan.nodes()}
        for lang in ("en", "zh"):
            changed = []
            for change in changes:
                if change.lang == lang:
                    setattr(nodes[change.node_id], change.field, change.new)
                    changed.append(nodes[change.node_id])
            if changed:
                store.set_node_texts(lang, changed)
    return result


__all__ = ["BindPlan", "BindResult", "BindingError", "Cancelled", "Proposal", "TextChange", "bind_report",
           "propose_bindings"]
