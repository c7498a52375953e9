"""A captioned table of many rows laid out page by page in time linear in its rows.

reportlab's ``Table``, split at a page break, builds the rest of itself again for the
next page (every remaining row, its cell styles, its heights): a table of 6,000 indicator
rows cost 150 rebuilds of thousands of rows, and the export of a large report grew with
the square of its indicators. :class:`PagedTable` measures each row once (with reportlab's
own ``Table``, a chunk of rows at a time) and at each page break makes a ``Table`` of only
the rows on that page, the header row repeated, with the heights it already knows.

The caption travels with the table: above the first piece, and as the *continued* caption
(表1（续） / Table 1 (continued)) above every later piece; the source line goes under the
piece that holds the last row. A table starts on a page only if its caption, the header
and :attr:`PagedTable.min_rows` rows fit there, so a caption is never left alone.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import Any

from reportlab.platypus import Flowable, Table, TableStyle

__all__ = ["PagedTable", "Stack"]

#: Rows measured by one reportlab ``Table``.
CHUNK = 64


class _Measures:
    """Row heights at one width, shared by a table and the pieces split off it."""

    def __init__(self) -> None:
        self.width: float | None = None
        self.header = 0.0
        self.ends: list[float] = [0.0]  # ends[k]: height of rows[:k]


class PagedTable(Flowable):
    """``header`` (None: no header row) above ``rows`` (lists of cells), split between rows,
    the header on every page. ``style`` are ``TableStyle`` commands for every piece;
    ``last_style`` only for the piece that holds the last row (a closing rule).

    ``caption`` goes above the first piece, ``continued`` above each later one and
    ``source`` under the last (each a flowable, or None).
    """

    def __init__(self, header: list[Any] | None, rows: list[list[Any]],
                 col_widths: list[float], style: list[tuple], last_style: list[tuple] = (),
                 h_align: str = "LEFT", *, caption: Flowable | None = None,
                 continued: Flowable | None = None, source: Flowable | None = None,
                 min_rows: int = 2, _measures: _Measures | None = None,
                 _start: int = 0) -> None:
        super().__init__()
        self.header = header
        self.rows = rows
        self.col_widths = list(col_widths)
        self.style = list(style)
        self.last_style = list(last_style)
        self.hAlign = h_align
        self.caption = caption if _start == 0 else continued
        self._continued = continued
        self.source = source
        self.min_rows = min_rows
        self._measures = _measures or _Measures()
        self._start = _start

    # -- measuring --------------------------------------------------------------------

    def _head_rows(self) -> list[list[Any]]:
        return [self.header] if self.header is not None else []

    def _measure(self) -> _Measures:
        """Every row's height at the table's width (measured once, then shared)."""
        m = self._measures
        width = sum(self.col_widths)
        if m.width == width and len(m.ends) == len(self.rows) + 1:
            return m
        heights: list[float] = []
        header = 0.0
        skip = len(self._head_rows())
        for first in range(0, max(len(self.rows), 1), CHUNK):
            table = self._table([*self._head_rows(), *self.rows[first:first + CHUNK]],
                                None, True)
            table.wrapOn(self.canv, width, 1e9)
            header = table._rowHeights[0] if skip else 0.0
            heights += table._rowHeights[skip:]
        m.width, m.header = width, header
        m.ends = [0.0, *accumulate(heights)]
        return m

    def _extra(self, flowable: Flowable | None, width: float, gap: float) -> float:
        """Height of a caption or source line and its gap to the rows."""
        if flowable is None:
            return 0.0
        _w, h = flowable.wrapOn(self.canv, width, 1e9)
        return h + gap

    def getSpaceBefore(self) -> float:
        return self.caption.getSpaceBefore() if self.caption is not None else 0.0

    def getSpaceAfter(self) -> float:
        return self.source.getSpaceAfter() if self.source is not None else 0.0

    def _height(self, start: int, stop: int) -> float:
        m = self._measures
        return m.header + m.ends[stop] - m.ends[start]

    # -- layout -----------------------------------------------------------------------

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._measure()
        self.width = sum(self.col_widths)
        self._top = self._extra(self.caption, self.width,
                                self.caption.getSpaceAfter() if self.caption else 0.0)
        self._bottom = self._extra(self.source, self.width,
                                   self.source.getSpaceBefore() if self.source else 0.0)
        self.height = self._top + self._height(self._start, len(self.rows)) + self._bottom
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        m = self._measure()
        self.wrap(availWidth, availHeight)
        base = m.ends[self._start]
        room = availHeight - self._top - m.header
        # the last row that still fits below the caption and the header
        stop = bisect_right(m.ends, base + room + 1e-6) - 1
        # asked to split, the table does not fit: at least its last row goes on (with
        # the source line), and a piece never has fewer than ``min_rows`` rows
        stop = min(stop, len(self.rows) - 1, len(self.rows) - self.min_rows)
        if stop - self._start < min(self.min_rows, len(self.rows) - self._start):
            return []
        rest = PagedTable(self.header, self.rows, self.col_widths, self.style,
                          self.last_style, self.hAlign, caption=None,
                          continued=self._continued, source=self.source,
                          min_rows=self.min_rows, _measures=m, _start=stop)
        if hasattr(self, "_ipv_index"):  # the last piece reports the table done
            rest._ipv_index = self._ipv_index
        piece = Stack(self.caption, self._piece(self._start, stop), None)
        return [piece, rest]

    def draw(self) -> None:
        piece = Stack(self.caption, self._piece(self._start, len(self.rows)), self.source)
        piece.wrapOn(self.canv, self.width, self.height)
        piece.drawOn(self.canv, 0, 0)

    def _piece(self, start: int, stop: int) -> Table:
        m = self._measures
        heights = [m.header] if self.header is not None else []
        heights += [m.ends[k + 1] - m.ends[k] for k in range(start, stop)]
        return self._table([*self._head_rows(), *self.rows[start:stop]], heights,
                           stop == len(self.rows))

    def _table(self, data: list[list[Any]], heights: list[float] | None, last: bool) -> Table:
        table = Table(data, colWidths=self.col_widths, rowHeights=heights,
                      repeatRows=1 if self.header is not None else 0,
                      splitInRow=0, hAlign=self.hAlign)
        table.setStyle(TableStyle(self.style + (self.last_style if last else [])))
        return table


class Stack(Flowable):
    """Flowables stacked as one that is never split (a page's part of a :class:`PagedTable`:
    caption, rows, source line; or a figure's caption and source line).

    Its own space before and after are its first part's before and its last part's after.
    """

    def __init__(self, *parts: Flowable | None):
        super().__init__()
        self.parts = [p for p in parts if p is not None]

    def getSpaceBefore(self) -> float:
        return self.parts[0].getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.parts[-1].getSpaceAfter()

    def _layout(self, width: float) -> list[tuple[Flowable, float, float]]:
        """(part, its height, the gap above it) for each part."""
        out = []
        for n, part in enumerate(self.parts):
            _w, h = part.wrapOn(self.canv, width, 1e9)
            gap = max(self.parts[n - 1].getSpaceAfter(), part.getSpaceBefore()) if n else 0.0
            out.append((part, h, gap))
        return out

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = sum(h + gap for _p, h, gap in self._layout(availWidth))
        return self.width, self.height

    def draw(self) -> None:
        top = self.height
        for part, h, gap in self._layout(self.width):
            top -= gap + h
            part.drawOn(self.canv, 0, top)
