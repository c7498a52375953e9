"""What a hand-edited or damaged report can hold that ipviewer never writes (no Qt).

SQLite checks little by itself: a value of ``'abc'``, a year of ``'x'``, bytes that are not
UTF-8, a node whose parent is gone or that is its own ancestor. :func:`find_damage` lists
each such cell with its place, so that the commands can refuse with a clear message and the
checks can report it, instead of failing on it or silently dropping what cannot be shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from ..i18n import _
from ..model import FIRST_YEAR, LAST_YEAR

#: How a stored value looks: exact decimal text in base units ("150800", "-3.5").
DECIMAL_TEXT = re.compile(r"-?\d{1,30}(?:\.\d{1,30})?")
_TEXT_COLUMNS = {
    "report": ("title_en", "title_zh", "publisher_en", "publisher_zh", "date_en", "date_zh"),
    "nodes": ("number", "title_en", "title_zh", "text_en", "text_zh"),
    "indicators": ("key", "label_en", "label_zh", "unit", "qualifier", "source_text"),
}


@dataclass(frozen=True)
class Damage:
    """One cell that ipviewer cannot use as it is."""

    table: str
    row_id: int
    column: str
    #: What is wrong, in the UI language, naming the row ("indicator patents (2024): …").
    message: str
    key: str = ""
    year: int | None = None

    @property
    def blocking(self) -> bool:
        """Whether figures or the structure cannot be used (bytes that are not UTF-8 are
        shown with U+FFFD instead and do not stop anything)."""
        return self.table == "indicators" or self.column == "parent_id"

    def __str__(self) -> str:
        return self.message


def is_decimal_text(value: Any) -> bool:
    """Whether ``value`` is a stored exact decimal ("150800", "57.9", "-3.5")."""
    return isinstance(value, str | int) and not isinstance(value, bool) \
        and DECIMAL_TEXT.fullmatch(str(value)) is not None


def stored_decimal(value: Any) -> Decimal | None:
    """A stored exact decimal as a ``Decimal`` ("15.30" → ``Decimal("15.30")``); None when
    the cell is empty or damaged (not a number, see :func:`is_decimal_text`). The one place
    that turns a stored value into a number."""
    return Decimal(value) if is_decimal_text(value) else None


def find_damage(db: Database, should_stop: Callable[[], bool] | None = None) -> list[Damage]:
    """Every cell of the report in ``db`` that ipviewer cannot use, in table order.

    ``should_stop`` is asked every few thousand rows; when it says yes, the search stops
    early (and what it found is incomplete: the caller is cancelling)."""
    stop = should_stop or (lambda: False)
    found = _indicator_damage(db, stop)
    if stop():
        return found
    found += _text_damage(db)
    return found if stop() else found + _tree_damage(db)


def _indicator_damage(db: Database, stop: Callable[[], bool]) -> list[Damage]:
    found: list[Damage] = []
    sql = ("SELECT id, CAST(key AS BLOB), year, typeof(year), value, yoy_pct FROM indicators "
           "ORDER BY id")
    for number, (row_id, raw_key, year, year_type, value, yoy) in enumerate(db.execute(sql)):
        if number % 5000 == 0 and stop():
            break
        year_bad = year_type != "integer" or not FIRST_YEAR <= year <= LAST_YEAR
        value_bad = not is_decimal_text(value)
        yoy_bad = yoy not in (None, "") and not is_decimal_text(yoy)
        if not (year_bad or value_bad or yoy_bad):
            continue  # named only when damaged: most rows are sound
        key = bytes(raw_key or b"").decode("utf-8", "replace")
        place = _("indicator {key} ({year})").format(key=key, year=year)
        if year_bad:
            found.append(Damage("indicators", row_id, "year", _(
                "{place}: the year {year} is not a year between {first} and {last}").format(
                place=place, year=shown_value(year), first=FIRST_YEAR, last=LAST_YEAR), key))
            year = None
        if value_bad:
            found.append(Damage("indicators", row_id, "value", _(
                "{place}: the stored value {value} is not a number").format(
                place=place, value=shown_value(value)), key, year))
        if yoy_bad:
            found.append(Damage("indicators", row_id, "yoy_pct", _(
                "{place}: the stored year-on-year change {value} is not a number").format(
                place=place, value=shown_value(yoy)), key, year))
    return found


def _text_damage(db: Database) -> list[Damage]:
    """Text cells whose bytes are not UTF-8 (shown with U+FFFD where they are)."""
    found: list[Damage] = []
    for table, columns in _TEXT_COLUMNS.items():
        blobs = ", ".join(f"CAST({c} AS BLOB)" for c in columns)
        for row in db.execute(f"SELECT id, {blobs} FROM {table} ORDER BY id"):
            for column, raw in zip(columns, row[1:], strict=True):
                if raw is None:
                    continue
                try:
                    bytes(raw).decode("utf-8")
                except UnicodeDecodeError as exc:
                    found.append(Damage(table, row[0], column, _(
                        "{table} row {id}, {column}: bytes that are not UTF-8 text (at byte "
                        "{offset}); they are shown as \ufffd").format(
                        table=table, id=row[0], column=column, offset=exc.start)))
    return found


def _tree_damage(db: Database) -> list[Damage]:
    """Nodes the tree cannot reach: a parent that does not exist, or a loop of parents."""
    parents = {row[0]: row[1] for row in db.execute("SELECT id, parent_id FROM nodes")}
    found: list[Damage] = []
    for node_id in sorted(parents):
        seen, current = {node_id}, parents[node_id]
        while current is not None:
            if current not in parents:
                found.append(Damage("nodes", node_id, "parent_id", _(
                    "part {id} of the report hangs from part {parent}, which does not "
                    "exist").format(id=node_id, parent=shown_value(current))))
                break
            if current in seen:
                found.append(Damage("nodes", node_id, "parent_id", _(
                    "part {id} of the report cannot be reached from the top: its parents "
                    "form a loop").format(id=node_id)))
                break
            seen.add(current)
            current = parents[current]
    return found


def shown_value(value: Any) -> str:
    """A stored value as a message quotes it (bytes in hex, long text cut)."""
    if isinstance(value, bytes):
        text = "x'" + value[:16].hex() + ("…" if len(value) > 16 else "") + "'"
    else:
        text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:39] + "…"
