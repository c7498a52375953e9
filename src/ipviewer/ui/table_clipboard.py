"""Cells to and from the clipboard as spreadsheets exchange them: tab-separated rows.

What Excel and LibreOffice put on the clipboard ends with a newline, may use ``\\r\\n``,
and quotes cells that hold tabs, newlines or quotes (the csv module's ``excel-tab``
dialect). No Qt here, except :func:`selection_bounds`, which only reads indexes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from ..spreadsheet_cells import guard_shown, unguard

__all__ = ["format_block", "parse_block", "selection_bounds"]


def format_block(rows: Sequence[Sequence[str]]) -> str:
    """Rows of cell texts as tab-separated text (quoted where a cell needs it), rows
    separated by newlines, without a newline after the last one. A text a spreadsheet could
    run as a formula gets its apostrophe (numbers stay numbers); :func:`parse_block` takes
    it off again."""
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel-tab", lineterminator="\n")
    writer.writerows([[guard_shown(str(cell)) for cell in row] for row in rows])
    return out.getvalue().removesuffix("\n")


def parse_block(text: str) -> list[list[str]]:
    """Tab-separated text as rows of cell texts.

    One line end after the last row is not a row (spreadsheets always add it); any other
    empty line is a row of one empty cell (a blank cell copied from a column).
    ``"1\\t2\\r\\n3\\t4\\r\\n"`` -> ``[["1", "2"], ["3", "4"]]``; a quoted cell keeps its tabs
    and newlines: ``'"a\\tb"\\tc'`` -> ``[["a\\tb", "c"]]``.
    """
    if not text:
        return []
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith(("\n", "\r")):
        text = text[:-1]
    reader = csv.reader(io.StringIO(text, newline=""), dialect="excel-tab")
    rows = [[unguard(cell) for cell in row] or [""] for row in reader]
    if not text or text.endswith(("\n", "\r")):
        rows.append([""])  # the csv module drops a last, empty line
    return rows


def selection_bounds(cells: Iterable[tuple[int, int]]) -> tuple[int, int, int, int] | None:
    """(top, left, bottom, right) of the (row, column) cells given, inclusive; None if none."""
    cells = list(cells)
    if not cells:
        return None
    rows = [r for r, _c in cells]
    columns = [c for _r, c in cells]
    return min(rows), min(columns), max(rows), max(columns)
