"""Merged nodes made one whole tree again (no Qt; used by :mod:`.merge`).

A three-way merge can leave a node whose parent one side deleted, or two nodes the two
sides moved into each other. :class:`WholeTree` puts the missing parents back (a deletion
gives way to what is kept inside it), undoes loops with theirs' places, and numbers the
children of each parent 0..n-1 in (position, id) order. Each repair is told through ``say``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..i18n import _

Row = tuple[Any, ...]
Rows = dict[int, Row]
#: ``say(message, node id, row, **more)``: a repair, told in the UI language.
Say = Callable[..., None]


class WholeTree:
    """Repairs ``nodes`` (id → row over ``columns``) in place."""

    def __init__(self, nodes: Rows, columns: tuple[str, ...], sources: list[Rows], say: Say,
                 place: Callable[[int, Row], str]) -> None:
        """``sources``: mine's, base's and theirs' nodes, where missing parents come from
        in that order (theirs' and then base's give a loop its places)."""
        self.nodes, self.sources, self.say, self.place = nodes, sources, say, place
        self.parent, self.pos = columns.index("parent_id"), columns.index("position")

    def run(self) -> None:
        for _round in range(20):  # an undone loop may need a parent back, and so on
            if not (self._restore_parents() | self._undo_loops()):
                break
        for i in self._unreachable():  # only a knot made by hand can get here
            self.nodes[i] = replace_at(self.nodes[i], self.parent, None)
            self.say(_("{place}: its place in the report could not be kept; it is now at "
                       "the top level"), i, self.nodes[i])
        self._renumber()

    def _restore_parents(self) -> bool:
        """A node whose parent is gone gets it back (mine's, else base's, else theirs')."""
        changed, todo = False, sorted(self.nodes, reverse=True)
        while todo:
            i = todo.pop()
            parent = self.nodes[i][self.parent]
            if parent is None or parent in self.nodes:
                continue
            changed = True
            found = next((rows[parent] for rows in self.sources if parent in rows), None)
            if found is None:
                self.nodes[i] = replace_at(self.nodes[i], self.parent, None)
                self.say(_("{place}: the part it belonged to is gone; it is now at the top "
                           "level"), i, self.nodes[i])
                continue
            self.nodes[parent] = found
            todo.append(parent)
            self.say(_("{place}: deleted, but put back because {inner} inside it is kept"),
                     parent, found, inner=self.place(i, self.nodes[i]))
        return changed

    def _undo_loops(self) -> bool:
        """Nodes whose parents form a loop (two moves into each other) take theirs'
        places (base's, when theirs' are the loop's)."""
        changed = False
        for loop in self._loops():
            moves: Rows = {}
            for rows in (self.sources[2], self.sources[1]):
                moves = {i: rows[i] for i in loop
                         if i in rows and rows[i][self.parent] != self.nodes[i][self.parent]}
                if moves:
                    break
            for i, row in moves.items():
                self.nodes[i] = replace_at(replace_at(self.nodes[i], self.parent,
                                                      row[self.parent]), self.pos, row[self.pos])
            if moves:
                changed = True
                first = min(loop)
                self.say(_("{place}: moved into each other on both sides; it keeps the other "
                           "program's place"), first, self.nodes[first])
        return changed

    def _loops(self) -> list[list[int]]:
        state: dict[int, int] = {}  # 1: on the walk up from the current node; 2: done
        loops = []
        for start in self.nodes:
            path, i = [], start
            while i is not None and i in self.nodes and i not in state:
                state[i] = 1
                path.append(i)
                i = self.nodes[i][self.parent]
            if i is not None and state.get(i) == 1:
                loops.append(path[path.index(i):])
            for j in path:
                state[j] = 2
        return loops

    def _children(self) -> dict[Any, list[int]]:
        children: dict[Any, list[int]] = {}
        for i, row in self.nodes.items():
            children.setdefault(row[self.parent], []).append(i)
        return children

    def _unreachable(self) -> list[int]:
        children = self._children()
        seen, todo = set(), list(children.get(None, []))
        while todo:
            i = todo.pop()
            seen.add(i)
            todo.extend(children.get(i, []))
        return sorted(self.nodes.keys() - seen)

    def _renumber(self) -> None:
        for ids in self._children().values():
            ids.sort(key=lambda i: (_order(self.nodes[i][self.pos]), i))
            for n, i in enumerate(ids):
                if self.nodes[i][self.pos] != n:
                    self.nodes[i] = replace_at(self.nodes[i], self.pos, n)


def replace_at(row: Row, at: int, value: Any) -> Row:
    """``row`` with ``value`` at index ``at`` (the same tuple when nothing changes)."""
    if row[at] == value and type(row[at]) is type(value):
        return row
    return (*row[:at], value, *row[at + 1:])


def _order(position: Any) -> tuple[int, Any]:
    """Sort key for a stored position (a hand-edited file may hold text)."""
    if isinstance(position, int | float) and not isinstance(position, bool):
        return (0, position)
    return (1, str(position))
