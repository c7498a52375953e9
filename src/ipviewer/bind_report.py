"""Binding a whole report: every literal figure that one indicator holds becomes a
``{{key}}`` reference, in both languages, in one transaction (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .importing.years import heading_years
from .model import Figure, Node
from .prose.bindings import BindingError, bind_literals, bindable
from .report_text import node_place, stored_figure_values, walk_with_path
from .store import ReportStore


@dataclass
class BindResult:
    """What :func:`bind_report` did (or, in a dry run, would do)."""

    year: int
    bound: int = 0
    #: Literal figures in digits that match no single indicator, with where they are.
    unmatched: list[tuple[str, Figure]] = field(default_factory=list)


def bind_report(store: ReportStore, dry_run: bool = False) -> BindResult:
    """Bind the literal figures of every text of the report in ``store``.

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
    store.require_sound()
    result = BindResult(store.report()["year"])
    values = stored_figure_values(store)
    changed: dict[str, list[Node]] = {"en": [], "zh": []}
    tree = store.load_tree()
    # a text under a "## 2013" heading states that year's figures, as `import` stored them
    node_years = {**heading_years(tree, "zh"), **heading_years(tree, "en")}
    for node, path in walk_with_path(tree):
        when = node_years.get(id(node), result.year)
        for lang in ("en", "zh"):
            text = node.text(lang)
            if not text:
                continue
            where = node_place(node, path, lang)
            new_text, unmatched = bind_literals(text, lang, values, when, where,
                                                pinned=when != result.year)
            result.bound += new_text.count("{{") - text.count("{{")
            if new_text != text:
                setattr(node, f"text_{lang}", new_text)
                changed[lang].append(node)
            # a number in words stays words: it is no figure to bind (as for `import`)
            result.unmatched += [(where, figure) for figure in unmatched if bindable(figure)]
    if write:
        for lang, nodes in changed.items():
            if nodes:
                store.set_node_texts(lang, nodes)
    return result


__all__ = ["BindResult", "BindingError", "bind_report"]
