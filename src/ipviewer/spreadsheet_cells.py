"""Text cells that a spreadsheet will not run as formulas (no Qt here).

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or
``@`` (or a tab or CR before one) as a formula when they open a CSV file:
``=HYPERLINK(…)`` sends data away, ``+cmd|' /C calc'!A0`` starts a program (DDE). Every
CSV writer of ipviewer passes its *text* cells through :func:`guard`, which puts an
apostrophe in front of such a text (the spreadsheets' own "this is text" mark); every
reader of our CSV files takes it off with :func:`unguard`, so ``unguard(guard(t)) == t``
for every text ``t``. A text that already starts with an apostrophe followed by one of
those characters (or by another apostrophe) gets one too, so the round trip is exact.

Numbers are never guarded: ``-28.28`` in a value column is data, and a spreadsheet must
read it as the number it is. Only ``str`` cells are text (:func:`guard_cell`).

XLSX cells have types: a text cell written as a string is never a formula; give it
:func:`needs_guard`'s quote prefix too, so Excel keeps it text when the cell is edited.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FORMULA_START", "guard", "guard_cell", "guard_shown", "needs_guard", "unguard"]

#: A text cell starting with one of these may be run as a formula by a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GUARD = "'"


def needs_guard(text: str) -> bool:
    """Whether ``text`` starts as a spreadsheet formula could."""
    return text.startswith(FORMULA_START)


def _guarded(text: str) -> bool:
    """Whether ``text`` looks as :func:`guard` leaves a guarded text."""
    return len(text) > 1 and text[0] == _GUARD and text[1] in (*FORMULA_START, _GUARD)


def guard(text: str) -> str:
    """``text`` for a CSV cell: an apostrophe in front when a spreadsheet could run it
    (``=SUM(1)`` -> ``'=SUM(1)``), or when it would otherwise read back wrongly."""
    return _GUARD + text if needs_guard(text) or _guarded(text) else text


def unguard(text: str) -> str:
    """The text a cell written by :func:`guard` holds (``'=SUM(1)`` -> ``=SUM(1)``)."""
    return text[1:] if _guarded(text) else text


#: A number as a table shows it ("-28.28", "+14.28", "150,800", "57.9%"): data, not a formula.
_SHOWN_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?%?")


def guard_shown(text: str) -> str:
    """A cell as a table shows it, for the clipboard: numbers stay numbers a spreadsheet
    can add up, any other text is :func:`guard`-ed."""
    return text if _SHOWN_NUMBER.fullmatch(text) else guard(text)


def guard_cell(value: Any) -> Any:
    """A CSV cell value: texts :func:`guard`-ed, numbers and ``None`` as they are."""
    return guard(value) if isinstance(value, str) else value
