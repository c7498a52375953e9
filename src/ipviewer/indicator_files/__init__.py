"""Indicator tables to and from CSV and Excel (.xlsx) files, exactly. No Qt here.

Reading (:func:`read_indicator_file`) checks every cell and either returns all rows or
raises :class:`IndicatorFileError` listing the problems (up to :data:`MAX_PROBLEMS`), each
naming the file and the line (CSV, ``prior-years.csv:7: …``) or the cell (XLSX,
``report.xlsx: sheet indicators, cell C7: …``). Nothing is ever returned partially.

Files: CSV in UTF-8 (BOM optional), UTF-16, or another encoding decided with evidence as
the report importer does (:mod:`ipviewer.text_decoding`; a warning says so) or given with
``encoding``, separated by commas (or ``;``/tab when the header says so); XLSX
the sheet named "indicators", else the first. Header names are matched case-insensitively,
in any order; ``indicator`` means ``key``; unknown columns are ignored with a warning. A CSV
row split by an unquoted comma inside a text (``patents per 10,000 people`` in the user's
``prior-years.csv``) is put back together, with a warning, only when exactly one column can
hold the extra comma(s) and give a valid row; ``150,800`` unquoted stays an error.

Exactness. Values are ``Decimal`` and keep their printed precision (``15.30`` stays
``15.30``). Text is parsed strictly with :func:`ipviewer.numbers.parse_quantity` (``150,800``,
``32 billion``, ``15.08万``; never ``1,2,3``, ``1e5`` or ``NaN``). Excel keeps numbers as
binary doubles, so an Excel number cell is read through the float's shortest ``repr``
(57.9 -> ``57.9``, never ``Decimal(57.9)``). A double with more than 15 significant digits
(``0.1+0.2`` = 0.30000000000000004, a formula result) did not come from typing: it is
rounded to the 15 significant digits Excel itself shows, and a warning names the cell. A
fixed-decimals number format (``0.00``, ``#,##0.00``) restores the trailing zeros Excel
shows (15.3 formatted ``0.00`` is read as ``15.30``).

Writing (:func:`write_indicator_file`) is atomic (temporary file in the same folder, then
``os.replace``). In XLSX, ``value`` and ``yoy_pct`` are written as Excel numbers only when
the double reads back as the same decimal (at most 15 significant digits), with a number
format showing the printed decimals; otherwise as text, which reads back exactly. So
every file we write reads back to identical rows.

Formula injection. XLSX text cells are always written as string cells (with Excel's
"quote prefix" style when they start with ``= + - @``), so they are never formulas. CSV has
no cell types: label, unit and source texts starting with ``= + - @``, tab or CR (or with an
apostrophe followed by one of these) get a leading apostrophe, which reading removes again
(:mod:`ipviewer.spreadsheet_cells`, the one guard of every CSV/XLSX writer).
Numbers are never prefixed (``-28.28`` stays a number for Excel); keys and qualifiers cannot
start with those characters.
"""

from __future__ import annotations

from .reading import read_indicator_file
from .rows import (
    COLUMNS,
    MAX_BYTES,
    MAX_PROBLEMS,
    MAX_ROWS,
    IndicatorFileError,
    IndicatorTable,
    Problem,
)
from .writing import write_indicator_file

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_PROBLEMS",
    "MAX_ROWS",
    "IndicatorFileError",
    "IndicatorTable",
    "Problem",
    "read_indicator_file",
    "write_indicator_file",
]
