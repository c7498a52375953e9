"""The indicator table: reading it sorted and filtered in SQL, and editing its cells (no
Qt). A mixin of :class:`~.report_store.ReportStore`."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..i18n import _
from ..model import FIRST_YEAR, LAST_YEAR, Indicator
from .integrity import shown_value, stored_decimal
from .report_file import StoreError

#: Columns of the indicator table a caller may sort on (guards the ORDER BY clause).
INDICATOR_SORT_COLUMNS = {
    "key": "i.key",
    "label_en": "i.label_en COLLATE NOCASE",
    "label_zh": "i.label_zh",
    "value": "i.value_num",
    "unit": "i.unit",
    "qualifier": "i.qualifier",
    "yoy_pct": "i.yoy_num",
    "year": "i.year",
    "node_id": "i.node_id",
    "id": "i.id",
}

#: Indicator columns an editor may change.
INDICATOR_EDITABLE = frozenset({"label_en", "label_zh", "value", "unit", "qualifier", "yoy_pct",
                                "needs_update", "confirmed_by", "confirmed_at", "source"})


class DamagedIndicator(StoreError):
    """A stored indicator whose value, change or year is not a number (a hand-edited
    report); the message names it, ``key`` and ``year`` say which."""

    def __init__(self, message: str, key: str, year: Any) -> None:
        super().__init__(message)
        self.key, self.year = key, year


def indicator_from_row(row: Mapping[str, Any]) -> Indicator:
    """The :class:`~ipviewer.model.Indicator` a row of the ``indicators`` table holds
    (other columns ignored). The one place a stored row becomes an indicator.

    Raises :class:`DamagedIndicator` when ``value`` or ``yoy_pct`` is not exact decimal
    text or ``year`` is not a whole number (see :mod:`.integrity`).
    """
    year = row["year"]
    if not isinstance(year, int) or isinstance(year, bool):
        raise DamagedIndicator(_("{place}: the year {year} is not a year between {first} and "
                                 "{last}").format(place=_("indicator {key} ({year})").format(
                                     key=row["key"], year=year), year=shown_value(year),
                                     first=FIRST_YEAR, last=LAST_YEAR), row["key"], year)
    yoy = row.get("yoy_pct")
    numbers = {"value": stored_decimal(row["value"]),
               "yoy_pct": None if yoy in (None, "") else stored_decimal(yoy)}
    for column, number in numbers.items():
        if number is None and (column == "value" or yoy not in (None, "")):
            raise DamagedIndicator(_("{key} ({year}): the stored value {value} is not a "
                                     "number").format(key=row["key"], year=year,
                                                      value=shown_value(row[column])),
                                   row["key"], year)
    return Indicator(
        key=row["key"], year=year, value=numbers["value"],  # type: ignore[arg-type]
        unit=row.get("unit") or "", qualifier=row.get("qualifier") or "",
        yoy_pct=numbers["yoy_pct"], label_en=row.get("label_en") or "",
        label_zh=row.get("label_zh") or "", source=row.get("source") or "",
        id=row.get("id"), node_id=row.get("node_id"))


class IndicatorTable:
    """The indicator half of a report store (needs ``db``, ``path``, ``transaction``)."""

    db: Database
    path: Path
    transaction: Callable[[], AbstractContextManager[Database]]

    def indicator(self, indicator_id: int) -> dict[str, Any]:
        """One indicator row as :meth:`indicators` gives it."""
        rows = self.indicators(ids=[indicator_id])
        if not rows:
            raise StoreError(_("{path}: no indicator with id {id}").format(
                path=self.path, id=indicator_id))
        return rows[0]

    def set_indicator_fields(self, changes: dict[int, dict[str, Any]]) -> None:
        """Write new values for some columns of some indicators, in one transaction.

        Values must already be checked (exact decimal text for ``value`` and ``yoy_pct``).
        A changed value is no longer one still to update (the file's trigger sees to it).
        """
        with self.transaction() as db:
            for indicator_id, fields in changes.items():
                bad = set(fields) - INDICATOR_EDITABLE
                if bad:
                    raise ValueError(f"not editable indicator columns: {sorted(bad)}")
                db["indicators"].update(indicator_id, dict(fields))

    def indicators_at(self, pairs: Collection[tuple[str, int]]) -> dict[tuple[str, int],
                                                                       dict[str, Any]]:
        """The stored rows (every column but the generated ones) of these (key, year)
        pairs that the table holds, by pair."""
        found: dict[tuple[str, int], dict[str, Any]] = {}
        for key, year in pairs:
            for row in self.db.query("SELECT * FROM indicators WHERE key = ? AND year = ?",
                                     [key, year]):
                found[(key, year)] = {k: v for k, v in row.items()
                                      if k not in ("value_num", "yoy_num")}
        return found

    def insert_indicators(self, rows: list[dict[str, Any]]) -> list[int]:
        """Add new indicator rows (checked values; a row may carry the ``id`` it had before,
        when an undone addition is redone), in one transaction; their ids."""
        ids: list[int] = []
        with self.transaction() as db:
            for row in rows:
                ids.append(db["indicators"].insert(dict(row)).last_pk)
        return ids

    def delete_indicators(self, ids: Collection[int]) -> None:
        """Remove these indicator rows, in one transaction (an added row's undo)."""
        with self.transaction() as db:
            for indicator_id in ids:
                db.execute("DELETE FROM indicators WHERE id = ?", [indicator_id])

    def indicator_units(self) -> list[str]:
        """The units the report's indicators use, most used first."""
        return [r[0] for r in self.db.execute(
            "SELECT unit FROM indicators GROUP BY unit ORDER BY count(*) DESC, unit")]

    def indicator_history(self, key: str) -> list[dict[str, Any]]:
        """Every year's row of one indicator, oldest first (for charts)."""
        return list(self.db.query(
            "SELECT key, year, label_en, label_zh, value, unit, qualifier, yoy_pct "
            "FROM indicators WHERE key = ? ORDER BY year", [key]))

    def indicator_values(self, year: int | None = None, skip: Collection[int] = ()
                         ) -> list[Indicator]:
        """Every indicator (of ``year`` when given), ordered by year (newest first) then
        report order; rows whose id is in ``skip`` are left out (the checks leave out the
        damaged ones they report). A damaged row raises :class:`DamagedIndicator`."""
        where, params = ("WHERE year = ?", [year]) if year is not None else ("", [])
        sql = f"SELECT * FROM indicators {where} ORDER BY year DESC, id"
        return [indicator_from_row(row) for row in self.db.query(sql, params)
                if row["id"] not in skip]

    def indicator_value(self, key: str, year: int) -> Indicator | None:
        """The indicator ``key`` of ``year``, or None (DamagedIndicator if damaged)."""
        rows = list(self.db.query("SELECT * FROM indicators WHERE key = ? AND year = ?",
                                  [key, year]))
        return indicator_from_row(rows[0]) if rows else None

    def indicator_rows(self, year: int | None = None) -> list[dict[str, Any]]:
        """Every indicator row (of ``year`` when given), ordered by year then report order."""
        where, params = ("WHERE year = ?", [year]) if year is not None else ("", [])
        sql = f"SELECT * FROM indicators {where} ORDER BY year DESC, id"
        return [
            {k: v for k, v in row.items() if k not in ("value_num", "yoy_num")}
            for row in self.db.query(sql, params)
        ]

    def years(self) -> list[int]:
        """The years the indicator table holds values for, newest first."""
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT year FROM indicators ORDER BY year DESC")]

    def indicator_count(self, node_ids: list[int] | None = None, text: str = "",
                        year: int | None = None) -> int:
        """How many indicators match (see :meth:`indicators` for the filters)."""
        where, params = _indicator_filter(node_ids, text, year)
        return self.db.execute(f"SELECT count(*) FROM indicators i {where}",
                               params).fetchone()[0]

    def indicators(
        self,
        node_ids: list[int] | None = None,
        sort: str = "id",
        descending: bool = False,
        limit: int | None = None,
        offset: int = 0,
        text: str = "",
        year: int | None = None,
        ids: list[int] | None = None,
    ) -> list[dict[str, Any]]:
        """Indicator rows with their section title and the prior year's value, sorted and
        filtered in SQL.

        ``node_ids`` restricts to indicators of those nodes, ``text`` to those whose key or
        name (either language) contains it, ``year`` to one year, ``ids`` to those rows.
        ``sort`` is one of ``INDICATOR_SORT_COLUMNS``; ties keep report order.
        """
        if sort not in INDICATOR_SORT_COLUMNS:
            raise ValueError(f"cannot sort indicators by {sort!r}")
        where, params = _indicator_filter(node_ids, text, year, ids)
        direction = "DESC" if descending else "ASC"
        sql = f"""
            SELECT i.id, i.key, i.year, i.label_en, i.label_zh, i.value, i.unit,
                   i.qualifier, i.yoy_pct, i.node_id, i.source_lang, i.source_text,
                   i.source_start, i.source_end, i.source, i.needs_update,
                   i.confirmed_by, i.confirmed_at,
                   p.value AS prior_value,
                   coalesce(nullif(s.title_en, ''), s.title_zh, '') AS section_en,
                   coalesce(nullif(s.title_zh, ''), s.title_en, '') AS section_zh
            FROM indicators i
            LEFT JOIN indicators p ON p.key = i.key AND p.year = i.year - 1
            LEFT JOIN nodes n ON n.id = i.node_id
            LEFT JOIN nodes s ON s.id = coalesce(
                CASE WHEN n.kind = 'paragraph' THEN n.parent_id END, n.id)
            {where}
            ORDER BY {INDICATOR_SORT_COLUMNS[sort]} {direction}, i.id
        """
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        return list(self.db.query(sql, params))

    def search(self, text: str, limit: int = 200) -> list[dict[str, Any]]:
        """Nodes whose title or text contains ``text`` in either language.

        Uses the FTS5 trigram index; queries shorter than three characters (common in
        Chinese: 专利) fall back to a plain substring scan.
        """
        text = text.strip()
        if not text:
            return []
        if len(text) >= 3:
            quoted = '"' + text.replace('"', '""') + '"'
            sql = """
                SELECT n.id, n.kind, n.title_en, n.title_zh FROM nodes_fts f
                JOIN nodes n ON n.rowid = f.rowid
                WHERE nodes_fts MATCH ? ORDER BY rank LIMIT ?
            """
            return list(self.db.query(sql, [quoted, limit]))
        like = "%" + _like_escape(text) + "%"
        cols = ("title_en", "title_zh", "text_en", "text_zh")
        cond = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in cols)
        sql = f"SELECT id, kind, title_en, title_zh FROM nodes WHERE {cond} ORDER BY id LIMIT ?"
        return list(self.db.query(sql, [like] * len(cols) + [limit]))


def _indicator_filter(node_ids: list[int] | None, text: str = "", year: int | None = None,
                      ids: list[int] | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``indicators i``) and its parameters for the table's filters."""
    conds: list[str] = []
    params: list[Any] = []
    for column, values in (("i.node_id", node_ids), ("i.id", ids)):
        if values is not None:
            conds.append(f"{column} IN ({','.join('?' * len(values))})" if values else "0")
            params += values
    if text.strip():
        like = "%" + _like_escape(text.strip()) + "%"
        conds.append("(i.key LIKE ? ESCAPE '\\' OR i.label_en LIKE ? ESCAPE '\\' "
                     "OR i.label_zh LIKE ? ESCAPE '\\')")
        params += [like] * 3
    if year is not None:
        conds.append("i.year = ?")
        params.append(year)
    return ("WHERE " + " AND ".join(conds)) if conds else "", params


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
