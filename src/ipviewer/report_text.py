"""A report written out in one language, its bound figures filled in from the indicators.

The text comes out as Markdown in the shape the importer reads, so a rendered report can
be imported again (and diffed, reviewed, or sent to a translator).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from .model import Indicator, Node, display_title, number_tree
from .prose.bindings import BindingError, FigureValues, render
from .prose.cross_refs import NodeNumbers
from .store import ReportStore
from .store.indicator_table import DamagedIndicator


def figure_values(indicators: Iterable[Indicator]) -> FigureValues:
    """Indicators as rendering and binding look them up, by (key, year)."""
    return FigureValues({(ind.key, ind.year): ind for ind in indicators})


def stored_figure_values(store: ReportStore, year: int | None = None) -> FigureValues:
    """Every indicator of the report (of ``year``) by (key, year); a stored value that is
    not a number (a hand-edited report) raises ``BindingError`` naming it."""
    try:
        return figure_values(store.indicator_values(year))
    except DamagedIndicator as exc:
        raise _binding_error(exc) from None


def _binding_error(exc: DamagedIndicator) -> BindingError:
    return BindingError(str(exc), key=exc.key, year=exc.year)


class StoredFigureValues(Mapping[tuple[str, int], Indicator]):
    """The indicators of a report by (key, year), each read from the store when first
    asked for: a window shows a few dozen of a report's 100,000. One whose value is not a
    number raises ``BindingError`` naming it, as a missing one does."""

    def __init__(self, store: ReportStore) -> None:
        self._store = store
        self._cache: dict[tuple[str, int], Indicator] = {}

    def __getitem__(self, key_year: tuple[str, int]) -> Indicator:
        found = self._cache.get(key_year)
        if found is None:
            try:
                found = self._store.indicator_value(*key_year)
            except DamagedIndicator as exc:
                raise _binding_error(exc) from None
            if found is None:
                raise KeyError(key_year)
            self._cache[key_year] = found
        return found

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return iter(self._store.db.execute("SELECT key, year FROM indicators").fetchall())

    def __len__(self) -> int:
        return self._store.indicator_count()

    def forget(self) -> None:
        """Values changed: read them again when asked for."""
        self._cache.clear()


class NodePath(list[Node]):
    """The nodes above a node (as :func:`walk_with_path` gives them), which also knows the
    row of each child of its last node: naming the 20,000th paragraph of a section must not
    count the 19,999 before it."""

    __slots__ = ("_rows",)

    def __init__(self, nodes: Iterable[Node] = ()) -> None:
        super().__init__(nodes)
        self._rows: dict[int, int] | None = None

    def row_of(self, node: Node) -> int | None:
        """The row of ``node`` among the children of the last node (None if not one)."""
        siblings = self[-1].children if self else []
        if self._rows is None or len(self._rows) != len(siblings):
            self._rows = {id(child): row for row, child in enumerate(siblings)}
        row = self._rows.get(id(node))
        if row is None or row >= len(siblings) or siblings[row] is not node:
            self._rows = None  # the children changed: look again
            row = next((i for i, sibling in enumerate(siblings) if sibling is node), None)
        return row


def node_place(node: Node, path: list[Node], lang: str, names_in: str = "en") -> str:
    """Where a node is, for messages: 'I. Strengthen … › Advance the … ¶2 (zh)', the titles
    in ``names_in`` where they exist (in the other language where not)."""
    other = "zh" if names_in == "en" else "en"

    def name(p: Node) -> str:
        return display_title(p, names_in) or display_title(p, other)

    names = [name(p) for p in path]
    if node.kind == "paragraph":
        if isinstance(path, NodePath) and path:
            row = path.row_of(node)
        else:
            siblings = path[-1].children if path else [node]
            row = next((i for i, sibling in enumerate(siblings) if sibling is node), None)
        names.append(f"¶{row + 1}" if row is not None else "¶")
    else:
        names.append(name(node))
    return " › ".join(n if len(n) <= 40 else n[:39] + "…" for n in names if n) + f" ({lang})"


def walk_with_path(nodes: list[Node], path: list[Node] | None = None
                   ) -> Iterator[tuple[Node, NodePath]]:
    """Every node with the nodes above it, in report order.

    Walked from the top (no ``path``), ``nodes`` are the report's top-level nodes: they are
    numbered from their position first (:func:`ipviewer.model.number_tree`), so every title
    and place the walk leads to shows the current number, never a stored one.
    """
    if path is None:
        number_tree(nodes)
    above = path if isinstance(path, NodePath) else NodePath(path or [])
    for node in nodes:
        yield node, above
        if node.children:
            yield from walk_with_path(node.children, NodePath([*above, node]))


def render_report(store: ReportStore, lang: str) -> str:
    """The whole report in ``lang`` as Markdown, figures filled in (BindingError if one
    refers to a missing indicator)."""
    info = store.report()
    year = info["year"]
    values = stored_figure_values(store)
    title = info[f"title_{lang}"]
    lines = [f"# {title}", "", f"## {title}", ""] if title else []
    pending_lead = ""  # a section's bold lead opens its first paragraph, as in the source
    tree = store.load_tree()
    refs = NodeNumbers.from_tree(tree)  # numbers from the order, in headings and references
    for node, path in walk_with_path(tree):
        where = node_place(node, path, lang)
        if node.kind == "part" and node.title(lang):
            lines += [f"## {render(display_title(node, lang), lang, values, year, where, refs)}",
                      ""]
        elif node.kind == "section" and node.title(lang):
            title = render(display_title(node, lang), lang, values, year, where, refs)
            pending_lead = f"**{title}**"
            if not node.children:
                lines += [pending_lead, ""]
                pending_lead = ""
        if node.text(lang):
            text = render(node.text(lang), lang, values, year, where, refs)
            joiner = "" if lang == "zh" else " "
            lines += [f"{pending_lead}{joiner}{text}" if pending_lead else text, ""]
            pending_lead = ""
    for field in ("title", "publisher", "date"):
        text = info[f"{field}_{lang}"]
        if text:
            lines += [f"# {text}" if field == "title" else f"**{text}**", ""]
    return "\n".join(lines).rstrip() + "\n"
