"""References from a text to a part or section, printed as its current number (no Qt).

An editor writes the node's id after ``§`` between double braces::

    见第{{§12}}部分           ->  见第三部分
    see Part {{§12}}         ->  see Part III
    {{§12:title}}            ->  三、加强知识产权保护 / III. Strengthening IP Protection

``{{§12}}`` prints the bare number in the text's language (parts ``III`` / ``三``, sections
``2`` / ``二``; the words and brackets around it are the editor's); ``{{§12:title}}`` prints
the numbered title as the tree and the contents show it. The numbers come from the order of
the report (:func:`ipviewer.model.number_tree`), so moving, adding or deleting a part changes
what every reference prints. A node keeps its id wherever it moves and a deleted node's id
is never handed out again, so a reference follows its node; one to a deleted node prints
:data:`MISSING` and is an error of ``check`` (code ``cross-reference``), never a crash.

An indicator key is ``[a-z0-9_]+``, so ``{{§…}}`` can never be read as a figure reference:
:func:`ipviewer.prose.bindings.find_bindings` passes over it, the figure reader blanks it as
it blanks every ``{{…}}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..model import Node, display_title, number_tree, numeral

__all__ = ["MISSING", "CrossRef", "NodeNumbers", "cross_ref", "find_cross_refs",
           "is_cross_ref", "renumber_refs"]

#: What a reference to a deleted node prints (as an unresolved reference in typesetting).
MISSING = "??"
#: What a reference may print of its node.
FORMS = ("number", "title")

_BODY = r"§(?P<id>\d{1,18})(?::(?P<form>title))?"
_BODY_RE = re.compile(_BODY)
_REF = re.compile(r"\{\{" + _BODY + r"\}\}")


@dataclass(frozen=True)
class CrossRef:
    """One ``{{§id}}`` of a text: its span, the node it names and what it prints of it."""

    start: int
    end: int
    node_id: int
    form: str = "number"


def cross_ref(node_id: int, form: str = "number") -> str:
    """The reference to node ``node_id``: ``{{§12}}``, ``{{§12:title}}``."""
    if form not in FORMS or node_id < 0:
        raise ValueError(f"not a valid cross-reference: node {node_id!r}, form {form!r}")
    return "{{§" + str(node_id) + ("" if form == "number" else f":{form}") + "}}"


def is_cross_ref(body: str) -> bool:
    """Whether ``body`` (what stands between ``{{`` and ``}}``) is a cross-reference."""
    return _BODY_RE.fullmatch(body) is not None


def find_cross_refs(text: str) -> list[CrossRef]:
    """Every cross-reference of ``text``, in order."""
    if "§" not in text:
        return []
    return [CrossRef(m.start(), m.end(), int(m["id"]), m["form"] or "number")
            for m in _REF.finditer(text)]


def renumber_refs(text: str, new_ids: Mapping[int, int]) -> str:
    """``text`` with its references to renumbered nodes pointing at their new ids (a merge
    that gave a node another id)."""
    if "§" not in text or not new_ids:
        return text

    def moved(m: re.Match[str]) -> str:
        node_id = int(m["id"])
        return cross_ref(new_ids[node_id], m["form"] or "number") if node_id in new_ids \
            else m.group()

    return _REF.sub(moved, text)


class NodeNumbers:
    """The report's nodes by id, numbered from their order: what a reference prints.

    ``nodes`` must already be numbered (:func:`ipviewer.model.number_tree`; the window's
    tree keeps its nodes numbered and hands its live index); :meth:`from_tree` numbers a
    freshly loaded tree and indexes it.
    """

    def __init__(self, nodes: Mapping[int, Node]) -> None:
        self._nodes = nodes

    @classmethod
    def from_tree(cls, roots: list[Node]) -> NodeNumbers:
        """Number ``roots`` (the report's top-level nodes) and index every node by id."""
        number_tree(roots)
        index: dict[int, Node] = {}
        stack = list(roots)
        while stack:
            node = stack.pop()
            if node.id is not None:
                index[node.id] = node
            stack.extend(node.children)
        return cls(index)

    def node(self, node_id: int) -> Node | None:
        """The node with this id (None: deleted, or never there)."""
        return self._nodes.get(node_id)

    def text(self, ref: CrossRef, lang: str) -> str:
        """What ``ref`` prints in ``lang``: the node's number (its title when it has no
        number), its numbered title for ``:title``, :data:`MISSING` when it is gone."""
        node = self._nodes.get(ref.node_id)
        if node is None:
            return MISSING
        if ref.form == "number" and node.ordinal:
            return numeral(node.ordinal, node.kind, lang)
        other = "zh" if lang == "en" else "en"
        title = display_title(node, lang) or display_title(node, other) or MISSING
        # references in the title itself print numbers only: a title that names itself
        # (``{{§12:title}}`` in node 12's title) cannot loop
        return _REF.sub(lambda m: self._number(int(m["id"]), lang), title)

    def _number(self, node_id: int, lang: str) -> str:
        node = self._nodes.get(node_id)
        if node is None or not node.ordinal:
            return MISSING
        return numeral(node.ordinal, node.kind, lang)

    def fill(self, text: str, lang: str) -> str:
        """``text`` with each cross-reference written out in ``lang``."""
        refs = find_cross_refs(text)
        if not refs:
            return text
        out: list[str] = []
        pos = 0
        for ref in refs:
            out += [text[pos:ref.start], self.text(ref, lang)]
            pos = ref.end
        out.append(text[pos:])
        return "".join(out)

    def problems(self, texts: Iterable[str]) -> list[tuple[CrossRef, Node | None]]:
        """The references of ``texts`` that cannot print a number: (reference, its node),
        the node None when it is gone; a ``:title`` reference to a live node is fine."""
        found = []
        for text in texts:
            for ref in find_cross_refs(text):
                node = self._nodes.get(ref.node_id)
                if node is None or (ref.form == "number" and not node.ordinal):
                    found.append((ref, node))
        return found
