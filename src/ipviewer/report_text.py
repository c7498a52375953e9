"""A report written out in one language, its bound figures filled in from the indicators.

The text comes out as Markdown in the shape the importer reads, so a rendered report can
be imported again (and diffed, reviewed, or sent to a translator).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from .i18n import _
from .model import Node, display_title
from .prose.bindings import BindingError, FigureValue, FigureValues, render
from .store import ReportStore
from .store.integrity import is_decimal_text, shown_value


def figure_values(rows: list[dict[str, Any]]) -> FigureValues:
    """Store rows as the values rendering and binding need, by (key, year)."""
    return FigureValues({(row["key"], row["year"]): _figure_value(row) for row in rows})


def _figure_value(row: Mapping[str, Any]) -> FigureValue:
    """What rendering needs of a stored row; a cell that is not a number (a hand-edited
    report) raises ``BindingError`` naming it, as a missing value does."""
    for column in ("value", "yoy_pct"):
        given = column == "value" or row[column] not in (None, "")
        if given and not is_decimal_text(row[column]):
            raise BindingError(_("{key} ({year}): the stored value {value} is not a "
                                 "number").format(key=row["key"], year=row["year"],
                                                  value=shown_value(row[column])),
                               key=row["key"], year=row["year"])
    return FigureValue(
        value=Decimal(row["value"]),
        unit=row["unit"] or "",
        qualifier=row["qualifier"] or "",
        yoy_pct=Decimal(row["yoy_pct"]) if row["yoy_pct"] not in (None, "") else None,
    )


class StoredFigureValues(Mapping[tuple[str, int], FigureValue]):
    """The values of a report's indicators by (key, year), each read from the store when
    first asked for: a window shows a few dozen of a report's 100,000."""

    _SQL = ("SELECT key, year, value, unit, qualifier, yoy_pct FROM indicators "
            "WHERE key = ? AND year = ?")

    def __init__(self, store: ReportStore) -> None:
        self._store = store
        self._cache: dict[tuple[str, int], FigureValue] = {}

    def __getitem__(self, key_year: tuple[str, int]) -> FigureValue:
        found = self._cache.get(key_year)
        if found is None:
            rows = list(self._store.db.query(self._SQL, list(key_year)))
            if not rows:
                raise KeyError(key_year)
            found = self._cache[key_year] = _figure_value(rows[0])
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


def node_place(node: Node, path: list[Node], lang: str) -> str:
    """Where a node is, for messages: 'I. Strengthen … › Advance the … ¶2 (zh)'."""
    names = [display_title(p, "en") or display_title(p, "zh") for p in path]
    if node.kind == "paragraph":
        if isinstance(path, NodePath) and path:
            row = path.row_of(node)
        else:
            siblings = path[-1].children if path else [node]
            row = next((i for i, sibling in enumerate(siblings) if sibling is node), None)
        names.append(f"¶{row + 1}" if row is not None else "¶")
    else:
        names.append(display_title(node, "en") or display_title(node, "zh"))
    return " › ".join(n if len(n) <= 40 else n[:39] + "…" for n in names if n) + f" ({lang})"


def walk_with_path(nodes: list[Node], path: list[Node] | None = None
                   ) -> Iterator[tuple[Node, NodePath]]:
    """Every node with the nodes above it, in report order."""
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
    values = figure_values(store.indicator_rows())
    title = info[f"title_{lang}"]
    lines = [f"# {title}", "", f"## {title}", ""] if title else []
    pending_lead = ""  # a section's bold lead opens its first paragraph, as in the source
    for node, path in walk_with_path(store.load_tree()):
        where = node_place(node, path, lang)
        if node.kind == "part" and node.title(lang):
            lines += [f"## {display_title(node, lang)}", ""]
        elif node.kind == "section" and node.title(lang):
            pending_lead = f"**{render(node.title(lang), lang, values, year, where)}**"
            if not node.children:
                lines += [pending_lead, ""]
                pending_lead = ""
        if node.text(lang):
            text = render(node.text(lang), lang, values, year, where)
            joiner = "" if lang == "zh" else " "
            lines += [f"{pending_lead}{joiner}{text}" if pending_lead else text, ""]
            pending_lead = ""
    for field in ("title", "publisher", "date"):
        text = info[f"{field}_{lang}"]
        if text:
            lines += [f"# {text}" if field == "title" else f"**{text}**", ""]
    return "\n".join(lines).rstrip() + "\n"
