"""A table of many rows laid out page by page in time linear in its rows.

reportlab's ``Table``, split at a page break, builds the rest of itself again for the
next page (every remaining row, its cell styles, its heights): a table of 6,000 indicator
rows cost 150 rebuilds of thousands of rows, and the export of a large report grew with
the square of its indicators. :class:`PagedTable` measures each row once (with reportlab's
own ``Table``, a chunk of rows at a time) and at each page break makes a ``Table`` of only
the rows on that page, the header row repeated, with the heights it already knows.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import Any

from reportlab.platypus import Flowable, Table, TableStyle

__all__ = ["PagedTable"]

#: Rows measured by one reportlab ``Table``.
CHUNK = 64


class _Measures:
    """Row heights at one width, shared by a table and the pieces split off it."""

    def __init__(self) -> None:
        self.width: float | None = None
        self.header = 0.0
        self.ends: list[float] = [0.0]  # ends[k]: height of rows[:k]


class PagedTable(Flowable):
    """``header`` above ``rows`` (lists of cells), split between rows, the header on every
    page. ``style`` are ``TableStyle`` commands for every piece; ``last_style`` only for
    the piece that holds the last row (a closing rule)."""

    def __init__(self, header: list[Any], rows: list[list[Any]], col_widths: list[float],
                 style: list[tuple], last_style: list[tuple] = (), h_align: str = "LEFT",
                 *, _measures: _Measures | None = None, _start: int = 0) -> None:
        super().__init__()
        self.header = header
        self.rows = rows
        self.col_widths = list(col_widths)
        self.style = list(style)
        self.last_style = list(last_style)
        self.hAlign = h_align
        self._measures = _measures or _Measures()
        self._start = _start

    # -- measuring --------------------------------------------------------------------

    def _measure(self) -> _Measures:
        """Every row's height at the table's width (measured once, then shared)."""
        m = self._measures
        width = sum(self.col_widths)
        if m.width == width and len(m.ends) == len(self.rows) + 1:
            return m
        heights: list[float] = []
        header = 0.0
        for first in range(0, max(len(self.rows), 1), CHUNK):
            table = self._table([self.header, *self.rows[first:first + CHUNK]], None, True)
            table.wrapOn(self.canv, width, 1e9)
            header = table._rowHeights[0]
            heights += table._rowHeights[1:]
        m.width, m.header = width, header
        m.ends = [0.0, *accumulate(heights)]
        return m

    def _height(self, start: int, stop: int) -> float:
        m = self._measures
        return m.header + m.ends[stop] - m.ends[start]

    # -- layout -----------------------------------------------------------------------

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._measure()
        self.width = sum(self.col_widths)
        self.height = self._height(self._start, len(self.rows))
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        m = self._measure()
        base = m.ends[self._start]
        # the last row that still fits below the header
        stop = bisect_right(m.ends, base + availHeight - m.header + 1e-6) - 1
        # asked to split, the table does not fit: at least its last row goes on
        stop = min(stop, len(self.rows) - 1)
        if stop <= self._start:
            return []
        rest = PagedTable(self.header, self.rows, self.col_widths, self.style,
                          self.last_style, self.hAlign, _measures=m, _start=stop)
        if hasattr(self, "_ipv_index"):  # the last piece reports the table done
            rest._ipv_index = self._ipv_index
        return [self._piece(self._start, stop), rest]

    def draw(self) -> None:
        piece = self._piece(self._start, len(self.rows))
        piece.wrapOn(self.canv, self.width, self.height)
        piece.drawOn(self.canv, 0, 0)

    def _piece(self, start: int, stop: int) -> Table:
        m = self._measures
        heights = [m.header] + [m.ends[k + 1] - m.ends[k] for k in range(start, stop)]
        return self._table([self.header, *self.rows[start:stop]], heights,
                           stop == len(self.rows))

    def _table(self, data: list[list[Any]], heights: list[float] | None, last: bool) -> Table:
        table = Table(data, colWidths=self.col_widths, rowHeights=heights, repeatRows=1,
                      splitInRow=0, hAlign=self.hAlign)
        table.setStyle(TableStyle(self.style + (self.last_style if last else [])))
        return table
