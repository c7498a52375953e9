"""What a new year's report still has to update, and confirming it unchanged (no Qt).

A mixin of :class:`~.report_store.ReportStore`. ``new_year`` marks every carried-over value
and every paragraph stating figures (``needs_update = 1``); the file's triggers clear the
mark when the value or the text changes (see ``schema.m006_to_update_state``); an editor
clears it without a change by confirming the item unchanged, which records who and when.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from .. import preferences

#: The two kinds of rows that can be "to update".
MARKED_TABLES = ("indicators", "nodes")


@dataclass(frozen=True)
class Mark:
    """One row's to-update state: still to update, or who confirmed it and when."""

    table: str  # 'indicators' | 'nodes'
    id: int
    needs_update: bool
    confirmed_by: str = ""
    confirmed_at: str = ""


@dataclass(frozen=True)
class ToUpdate:
    """What a report still has to update: its value rows (id, key, node id) and nodes."""

    indicators: tuple[tuple[int, str, int | None], ...] = ()
    nodes: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.indicators) + len(self.nodes)

    @property
    def node_ids(self) -> frozenset[int]:
        return frozenset(self.nodes)

    @property
    def indicator_ids(self) -> frozenset[int]:
        return frozenset(i for i, _key, _node in self.indicators)


def editor_name() -> str:
    """Who is editing, for confirmations: ``IPVIEWER_EDITOR``, else the name saved in the
    preferences (Edit → Preferences…), else the login name."""
    name = os.environ.get("IPVIEWER_EDITOR", "").strip() or preferences.load().editor_name.strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name (a container, a service)
        return ""


def now_utc() -> str:
    """The time a confirmation is recorded with: ISO 8601, UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class ToUpdateMarks:
    """The to-update half of a report store (needs ``db``, ``path``, ``transaction``)."""

    db: Database
    path: Path
    transaction: Callable[[], AbstractContextManager[Database]]

    def to_update(self, year: int | None = None) -> ToUpdate:
        """The values (of ``year``: the report's year by default) and nodes still to update,
        in report order."""
        if year is None:
            year = self.db.execute("SELECT year FROM report").fetchone()[0]
        values = tuple((r[0], r[1], r[2]) for r in self.db.execute(
            "SELECT id, key, node_id FROM indicators WHERE needs_update = 1 AND year = ? "
            "ORDER BY id", [year]))
        nodes = tuple(r[0] for r in self.db.execute(
            "SELECT id FROM nodes WHERE needs_update = 1 ORDER BY id"))
        return ToUpdate(values, nodes)

    def marks(self, table: str, ids: Iterable[int]) -> list[Mark]:
        """The to-update state of these rows of ``table`` (rows that do not exist left out)."""
        _check_table(table)
        ids = list(ids)
        found = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found += [Mark(table, r[0], bool(r[1]), r[2], r[3]) for r in self.db.execute(
                f"SELECT id, needs_update, confirmed_by, confirmed_at FROM {table} "
                f"WHERE id IN ({', '.join('?' * len(chunk))}) ORDER BY id", chunk)]
        return found

    def confirm_unchanged(self, indicator_ids: Iterable[int] = (), node_ids: Iterable[int] = (),
                          by: str | None = None) -> list[Mark]:
        """Confirm these values and texts unchanged since last year, in one transaction:
        no longer to update, with who (``by``, default :func:`editor_name`) and when.

        Returns the marks as they were before (to undo with :meth:`set_marks`); rows not to
        update are left as they are and not returned.
        """
        who, when = editor_name() if by is None else by, now_utc()
        before: list[Mark] = []
        with self.transaction():
            for table, ids in (("indicators", indicator_ids), ("nodes", node_ids)):
                marked = [m for m in self.marks(table, ids) if m.needs_update]
                self.set_marks([Mark(table, m.id, False, who, when) for m in marked])
                before += marked
        return before

    def set_marks(self, marks: Iterable[Mark]) -> None:
        """Give rows these to-update states, in one transaction (undo and redo of a
        confirmation)."""
        with self.transaction() as db:
            for mark in marks:
                _check_table(mark.table)
                db.execute(f"UPDATE {mark.table} SET needs_update = ?, confirmed_by = ?, "
                           "confirmed_at = ? WHERE id = ?",
                           [int(mark.needs_update), mark.confirmed_by, mark.confirmed_at,
                            mark.id])


def _check_table(table: str) -> None:
    if table not in MARKED_TABLES:
        raise ValueError(f"not a table with to-update marks: {table!r}")
