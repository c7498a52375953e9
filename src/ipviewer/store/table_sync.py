"""Making one table of an SQLite connection hold what the same table of an attached
database holds, writing only the rows that differ (no Qt).

Save uses it to write a working copy into the report file: triggers (the full-text index,
the change counter) fire for the rows written and no others, so saving one edit to a report
of 100,000 indicators writes one row, not 100,000.
"""

from __future__ import annotations

import sqlite3


def stored_columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    """The columns of ``schema.table`` that hold data (generated columns left out)."""
    return [row[1] for row in conn.execute(f'PRAGMA "{schema}".table_xinfo("{table}")')
            if row[6] == 0]


def copy_changed_rows(conn: sqlite3.Connection, table: str, source: str,
                      keep: tuple[str, ...] = ()) -> int:
    """Make ``main.table`` equal to ``source.table`` by ``id``: rows only in main are deleted,
    rows that differ are replaced, rows only in the source are inserted. Columns named in
    ``keep`` keep main's value (rows then are updated in place, never deleted); names the
    table does not have are ignored.

    Returns how many rows were written. Both tables must have the same columns (raises
    ``sqlite3.DatabaseError`` otherwise); call inside a transaction.
    """
    columns = stored_columns(conn, "main", table)
    if columns != stored_columns(conn, source, table):
        raise sqlite3.DatabaseError(f"the two {table} tables have different columns")
    keep = tuple(c for c in keep if c in columns)  # a table without them is copied whole
    copied = [c for c in columns if c not in keep]
    names = ", ".join(f'"{c}"' for c in copied)
    mine, theirs = f'main."{table}"', f'"{source}"."{table}"'
    changed = f"SELECT id FROM (SELECT {names} FROM {theirs} EXCEPT SELECT {names} FROM {mine})"
    written = 0
    if keep:
        assignments = ", ".join(f'"{c}" = s."{c}"' for c in copied if c != "id")
        written += conn.execute(
            f"UPDATE {mine} SET {assignments} FROM {theirs} AS s "
            f"WHERE s.id = {mine}.id AND {mine}.id IN ({changed})").rowcount
        return written
    written += conn.execute(
        f"DELETE FROM {mine} WHERE id NOT IN (SELECT id FROM {theirs}) OR id IN ({changed})"
    ).rowcount
    written += conn.execute(
        f"INSERT INTO {mine} ({names}) SELECT {names} FROM {theirs} "
        f"WHERE id NOT IN (SELECT id FROM {mine})").rowcount
    return written
