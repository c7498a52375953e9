"""One report = one plain SQLite file, read and written through sqlite-utils.

Opening checks the file (``report_file.check_path`` and ``check_file``: a regular, non-empty
SQLite file of ours, undamaged, not from a newer version) before anything is written to it.
Connections use WAL with ``synchronous=FULL`` and a busy timeout; every write is one
``BEGIN IMMEDIATE`` transaction, so a command that reads, decides and writes waits for
another program's write instead of failing or overwriting it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from sqlite_utils import Database

from ..i18n import _, ngettext
from ..model import Node, ParsedReport
from ..safe_write import replacing
from . import report_file
from .integrity import Damage, find_damage
from .report_file import (
    BUSY_TIMEOUT_MS,
    StoreError,
    busy_error,
    check_file,
    check_path,
    connect,
    folder_writable,
    lenient_text,
)
from .schema import migrations

__all__ = ["BUSY_TIMEOUT_MS", "INDICATOR_SORT_COLUMNS", "ReportStore", "StoreError",
           "unique_key"]

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


#: Node columns a snapshot keeps and an insert accepts.
NODE_COLUMNS = ("id", "parent_id", "position", "kind", "number", "title_en", "title_zh",
                "text_en", "text_zh", "needs_update")
#: Node columns an editor may change one at a time.
NODE_TEXT_FIELDS = frozenset({"number", "title_en", "title_zh", "text_en", "text_zh"})
#: Indicator columns an editor may change.
INDICATOR_EDITABLE = frozenset({"label_en", "label_zh", "value", "unit", "qualifier", "yoy_pct",
                                "needs_update", "source"})


@dataclass
class NodeSnapshot:
    """A deleted node with its subtree (parents first) and the indicators that pointed
    into it, as (indicator id, node id)."""

    rows: list[dict[str, Any]]
    links: list[tuple[int, int]] = field(default_factory=list)


class ReportStore:
    """A report file opened for reading (and writing unless ``readonly``)."""

    def __init__(self, db: Database, path: Path, readonly: bool) -> None:
        self.db = db
        #: The file the connection uses.
        self.path = path
        #: The file messages name (a report being built is written under a temporary name).
        self.shown_path = path
        self.readonly = readonly
        self.closed = False
        #: Why the store is read-only although the file was opened normally ('' if it is not).
        self.readonly_reason = ""

    # -- opening and creating ----------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], readonly: bool = False,
             check: bool = True) -> ReportStore:
        """Open an existing report file, checking it before anything is written (``check``
        False: a copy just made of a checked file, which need not be read through again).

        Read-only, a report of an older schema is brought up to date in memory (the file is
        not changed); for writing, in the file, in one transaction.
        """
        path = Path(path)
        check_path(path)
        if not readonly and not (os.access(path, os.W_OK) and folder_writable(path)):
            raise StoreError(_("{path}: cannot be written (read-only file or folder); open "
                               "it read-only").format(path=path))
        try:
            conn = connect(path, readonly=readonly)
        except sqlite3.Error as exc:
            raise StoreError(_("{path}: cannot be opened ({reason})").format(
                reason=exc, path=path)) from exc
        try:
            if check:
                check_file(conn, path)
            store = cls(Database(conn), path, readonly)
            store._configure()
            if readonly:
                if not folder_writable(path):
                    store.readonly_reason = _("the file's folder or disk is read-only")
                if migrations.pending(store.db):
                    store._upgrade_in_memory()
            elif migrations.pending(store.db):
                store._apply_migrations()
        except BaseException:
            conn.close()
            raise
        return store

    def _upgrade_in_memory(self) -> None:
        """Replace the connection by an in-memory copy brought up to the current schema."""
        memory = sqlite3.connect(":memory:")
        memory.text_factory = lenient_text
        with self._translate_errors():
            self.db.conn.backup(memory)
        self.db.conn.close()
        self.db = Database(memory)
        self._apply_migrations()

    @classmethod
    def open_for_viewing(cls, path: str | os.PathLike[str]) -> ReportStore:
        """Open a report to show it: read-only, except that a file this user may write is
        opened for writing so that an older schema is brought up to date first."""
        path = Path(path)
        if path.is_file() and os.access(path, os.W_OK) and folder_writable(path):
            with cls.open(path):
                pass  # migrations applied, if any
        return cls.open(path, readonly=True)

    @classmethod
    @contextlib.contextmanager
    def building(cls, path: str | os.PathLike[str],
                 copy_of: ReportStore | None = None) -> Iterator[ReportStore]:
        """A new report file for ``path``, written under a temporary name beside it and
        renamed into place only when the block ends without an error (then closed; open
        ``path`` to use it). ``copy_of`` starts it as a copy of another report; otherwise it
        is empty at the current schema. A failure (a full disk …) raises ``StoreError`` and
        leaves no file behind and an old ``path`` as it was."""
        path = Path(path)
        try:
            with replacing(path) as tmp:
                conn = sqlite3.connect(tmp)
                conn.text_factory = lenient_text
                store = cls(Database(conn), tmp, readonly=False)
                store.shown_path = path
                try:
                    if copy_of is not None:
                        with store._translate_errors():
                            copy_of.db.conn.backup(conn)
                    store._configure(wal=False)
                    if migrations.pending(store.db):
                        store._apply_migrations()
                    yield store
                finally:
                    store.close()
        except OSError as exc:
            raise StoreError(
                _("{path}: cannot write here ({reason})").format(
                    reason=exc.strerror or exc, path=path)
            ) from exc

    @classmethod
    def create(cls, path: str | os.PathLike[str], parsed: ParsedReport, year: int) -> ReportStore:
        """Write ``parsed`` as a new report file at ``path`` and open it (see
        :meth:`building`: a failure never leaves a half-written report behind)."""
        with cls.building(path) as store:
            store.write_parsed(parsed, year)
        return cls.open(path)

    def _apply_migrations(self) -> None:
        """Bring the file to the current schema in one transaction, foreign keys off (a
        table rebuilt must not cascade; what a hand-edited file breaks, ``integrity`` finds)."""
        conn = self.db.conn
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with self._translate_errors():
                conn.execute("BEGIN IMMEDIATE")
                try:
                    migrations.apply(self.db)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
        finally:
            conn.execute("PRAGMA foreign_keys = ON")

    def _configure(self, wal: bool = True) -> None:
        """Apply the connection settings every report connection uses."""
        conn = self.db.conn
        conn.text_factory = lenient_text
        conn.execute(f"PRAGMA busy_timeout = {report_file.BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not self.readonly:
            with self._translate_errors():
                if wal:
                    self.db.enable_wal()
                else:  # a file being built: no journal file beside it (it is discarded
                    conn.execute("PRAGMA journal_mode = MEMORY")  # whole on failure)
                conn.execute("PRAGMA synchronous = FULL")

    def close(self) -> None:
        """Close the connection (checkpointing the WAL into the main file)."""
        self.closed = True
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One user action = one transaction: all of it is written, or none.

        The outermost one begins with ``BEGIN IMMEDIATE``: it waits (up to the busy timeout)
        until no other program is writing, and what it reads inside stays true until it
        commits. Nested ones are savepoints of it.
        """
        if self.readonly:
            raise StoreError(_("{path}: opened read-only").format(path=self.shown_path))
        conn = self.db.conn
        with self._translate_errors():
            if conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def _translate_errors(self) -> Iterator[None]:
        """SQLite's errors as one-line messages naming the file."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise busy_error(self.shown_path) from exc
            if "disk is full" in text or "disk I/O" in text:
                raise StoreError(_("{path}: not written, the disk is full or failing "
                                   "({reason}); the file is as it was").format(
                    path=self.shown_path, reason=exc)) from exc
            if "readonly" in text or "read-only" in text:
                raise StoreError(_("{path}: cannot be written ({reason})").format(
                    reason=exc, path=self.shown_path)) from exc
            raise

    def write_parsed(self, parsed: ParsedReport, year: int) -> None:
        """Write an imported report (front matter, tree, figures as indicators of ``year``)
        into this new, empty report file."""
        self._write_report(parsed, year)

    def _write_report(self, parsed: ParsedReport, year: int) -> None:
        lang = parsed.lang
        with self.transaction() as db:
            db["report"].insert(
                {
                    "id": 1,
                    "year": year,
                    "file_id": uuid.uuid4().hex,
                    "source_lang": lang,
                    f"title_{lang}": parsed.title,
                    f"publisher_{lang}": parsed.publisher,
                    f"date_{lang}": parsed.date,
                }
            )
            keys: set[str] = set()
            suffixes: dict[str, int] = {}
            for position, node in enumerate(parsed.nodes):
                self._insert_node(node, None, position, year, lang, keys, suffixes)

    def set_report_fields(self, lang: str, title: str, publisher: str, date: str) -> None:
        """Set the front matter of one language."""
        with self.transaction() as db:
            db["report"].update(
                1, {f"title_{lang}": title, f"publisher_{lang}": publisher, f"date_{lang}": date}
            )

    def _insert_node(
        self,
        node: Node,
        parent_id: int | None,
        position: int,
        year: int,
        lang: str,
        keys: set[str],
        suffixes: dict[str, int] | None = None,
    ) -> None:
        row = {
            "parent_id": parent_id,
            "position": position,
            "kind": node.kind,
            "number": node.number,
            "title_en": node.title_en,
            "title_zh": node.title_zh,
            "text_en": node.text_en,
            "text_zh": node.text_zh,
        }
        node_id = self.db["nodes"].insert(row).last_pk
        node.id = node_id
        for figure in node.figures:
            key = unique_key(figure.label, keys, suffixes)
            labels = {f"label_{code}": text for code, text in figure.other_labels.items()}
            self.db["indicators"].insert(
                {
                    "key": key,
                    "year": year,
                    **labels,
                    f"label_{lang}": figure.label,
                    "value": str(figure.value),
                    "unit": figure.unit,
                    "qualifier": figure.qualifier,
                    "yoy_pct": None if figure.yoy_pct is None else str(figure.yoy_pct),
                    "node_id": node_id,
                    "source_lang": lang,
                    "source_text": figure.sentence,
                    "source_start": figure.start,
                    "source_end": figure.end,
                }
            )
        for child_position, child in enumerate(node.children):
            self._insert_node(child, node_id, child_position, year, lang, keys, suffixes)

    def upsert_indicators(self, rows: list[dict[str, Any]]) -> tuple[int, int]:
        """Add or replace indicator values by (key, year), in one transaction.

        Returns (added, updated). Columns not given keep their value on update.
        """
        added = updated = 0
        with self.transaction() as db:
            for row in rows:
                existing = db.execute(
                    "SELECT id FROM indicators WHERE key = ? AND year = ?",
                    [row["key"], row["year"]],
                ).fetchone()
                if existing:
                    db["indicators"].update(existing[0], row)
                    updated += 1
                else:
                    db["indicators"].insert(row)
                    added += 1
        return added, updated

    def set_node_texts(self, lang: str, nodes: list[Node]) -> None:
        """Write the ``lang`` titles and texts of ``nodes`` (with ids) in one transaction."""
        with self.transaction() as db:
            for node in nodes:
                db["nodes"].update(
                    node.id, {f"title_{lang}": node.title(lang), f"text_{lang}": node.text(lang)}
                )

    def link_indicators(self, node_keys: dict[int, list[str]], year: int) -> None:
        """Point each indicator of ``year`` at the first node (in report order) binding it."""
        first: dict[str, int] = {}
        for node_id, keys in node_keys.items():
            for key in keys:
                first.setdefault(key, node_id)
        with self.transaction() as db:
            for key, node_id in first.items():
                db.execute(
                    "UPDATE indicators SET node_id = ? WHERE key = ? AND year = ?",
                    [node_id, key, year],
                )

    # -- editing nodes ----------------------------------------------------------------

    def node_row(self, node_id: int) -> dict[str, Any]:
        """The stored row of one node."""
        row = self.db.execute("SELECT * FROM nodes WHERE id = ?", [node_id]).fetchone()
        if row is None:
            raise StoreError(_("{path}: no part of the report with id {id}").format(
                path=self.path, id=node_id))
        return dict(zip([d[0] for d in self.db.execute(
            "SELECT * FROM nodes LIMIT 0").description], row, strict=True))

    def set_node_field(self, node_id: int, field: str, value: str) -> None:
        """Set one title, text or number of a node."""
        if field not in NODE_TEXT_FIELDS:
            raise ValueError(f"not an editable node field: {field!r}")
        with self.transaction() as db:
            db.execute(f"UPDATE nodes SET {field} = ? WHERE id = ?", [value, node_id])

    def insert_node(self, parent_id: int | None, position: int, row: dict[str, Any]) -> int:
        """Insert a node (``row``: kind and texts; an ``id`` to restore one) at ``position``
        among the children of ``parent_id``; later siblings move down. Returns its id."""
        with self.transaction() as db:
            self._open_gap(parent_id, position)
            record = {k: v for k, v in row.items() if k in NODE_COLUMNS}
            record.update(parent_id=parent_id, position=position)
            return db["nodes"].insert(record).last_pk

    def delete_node(self, node_id: int) -> NodeSnapshot:
        """Delete a node with everything below it; the snapshot restores it exactly."""
        with self.transaction() as db:
            rows = list(db.query(
                """WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL
                       SELECT n.id FROM nodes n JOIN sub ON n.parent_id = sub.id)
                   SELECT n.* FROM nodes n JOIN sub USING (id)""", [node_id]))
            ids = [r["id"] for r in rows]
            marks = ",".join("?" * len(ids))
            links = [(r[0], r[1]) for r in db.execute(
                f"SELECT id, node_id FROM indicators WHERE node_id IN ({marks})", ids)]
            top = next(r for r in rows if r["id"] == node_id)
            db.execute("DELETE FROM nodes WHERE id = ?", [node_id])
            self._close_gap(top["parent_id"], top["position"])
        return NodeSnapshot(rows, links)

    def restore_node(self, snapshot: NodeSnapshot) -> None:
        """Put back what :meth:`delete_node` removed: same ids, place and indicator links."""
        top = snapshot.rows[0]
        with self.transaction() as db:
            self._open_gap(top["parent_id"], top["position"])
            for row in snapshot.rows:  # parents come before their children
                db["nodes"].insert({k: v for k, v in row.items() if k in NODE_COLUMNS})
            for indicator_id, node_id in snapshot.links:
                db.execute("UPDATE indicators SET node_id = ? WHERE id = ?",
                           [node_id, indicator_id])

    def move_node(self, node_id: int, parent_id: int | None, position: int) -> None:
        """Move a node (and what is below it) to ``position`` under ``parent_id``;
        ``position`` counts the new siblings without the node itself."""
        with self.transaction() as db:
            old = self.node_row(node_id)
            if parent_id is not None and node_id in self._ancestors(parent_id):
                raise StoreError(_("a part of the report cannot be moved into itself"))
            self._close_gap(old["parent_id"], old["position"])
            db.execute("UPDATE nodes SET position = -1 WHERE id = ?", [node_id])
            self._open_gap(parent_id, position)
            db.execute("UPDATE nodes SET parent_id = ?, position = ? WHERE id = ?",
                       [parent_id, position, node_id])

    def _ancestors(self, node_id: int) -> list[int]:
        return [r[0] for r in self.db.execute(
            """WITH RECURSIVE up(id) AS (SELECT ? UNION ALL
                   SELECT n.parent_id FROM nodes n JOIN up ON n.id = up.id
                   WHERE n.parent_id IS NOT NULL)
               SELECT id FROM up""", [node_id])]

    def _open_gap(self, parent_id: int | None, position: int) -> None:
        self.db.execute("UPDATE nodes SET position = position + 1 WHERE parent_id IS ? "
                        "AND position >= ?", [parent_id, position])

    def _close_gap(self, parent_id: int | None, position: int) -> None:
        self.db.execute("UPDATE nodes SET position = position - 1 WHERE parent_id IS ? "
                        "AND position > ?", [parent_id, position])

    # -- editing indicators -----------------------------------------------------------

    def indicator(self, indicator_id: int) -> dict[str, Any]:
        """One indicator row as :meth:`indicators` gives it."""
        rows = self.indicators(ids=[indicator_id])
        if not rows:
            raise StoreError(_("{path}: no indicator with id {id}").format(
                path=self.path, id=indicator_id))
        return rows[0]

    def set_indicator_fields(self, changes: dict[int, dict[str, Any]]) -> None:
        """Write new values for some columns of some indicators, in one transaction.

        Values must already be checked (exact decimal text for ``value`` and ``yoy_pct``);
        an edited value is no longer one that still needs updating.
        """
        with self.transaction() as db:
            for indicator_id, fields in changes.items():
                bad = set(fields) - INDICATOR_EDITABLE
                if bad:
                    raise ValueError(f"not editable indicator columns: {sorted(bad)}")
                record = dict(fields)
                if "value" in record:
                    record.setdefault("needs_update", 0)
                db["indicators"].update(indicator_id, record)

    def indicator_units(self) -> list[str]:
        """The units the report's indicators use, most used first."""
        return [r[0] for r in self.db.execute(
            "SELECT unit FROM indicators GROUP BY unit ORDER BY count(*) DESC, unit")]

    def indicator_history(self, key: str) -> list[dict[str, Any]]:
        """Every year's row of one indicator, oldest first (for charts)."""
        return list(self.db.query(
            "SELECT key, year, label_en, label_zh, value, unit, qualifier, yoy_pct "
            "FROM indicators WHERE key = ? ORDER BY year", [key]))

    # -- reading ---------------------------------------------------------------------

    def report(self) -> dict[str, Any]:
        """The report's front matter (year, titles, publisher, date per language)."""
        return next(self.db["report"].rows)

    def load_tree(self) -> list[Node]:
        """All nodes as a tree of ``Node`` objects (with ids), in report order."""
        by_parent: dict[int | None, list[dict[str, Any]]] = {}
        for row in self.db.query("SELECT * FROM nodes ORDER BY parent_id, position"):
            by_parent.setdefault(row["parent_id"], []).append(row)

        def build(parent_id: int | None) -> list[Node]:
            return [
                Node(
                    kind=row["kind"],
                    number=row["number"],
                    title_en=row["title_en"],
                    title_zh=row["title_zh"],
                    text_en=row["text_en"],
                    text_zh=row["text_zh"],
                    id=row["id"],
                    children=build(row["id"]),
                )
                for row in by_parent.get(parent_id, [])
            ]

        return build(None)

    def damage(self) -> list[Damage]:
        """Cells ipviewer cannot use as they are (see :mod:`.integrity`)."""
        return find_damage(self.db)

    def require_sound(self) -> None:
        """Refuse (``StoreError``) a report with figures or structure that cannot be used
        as they are, naming the first few; ``ipviewer check`` lists them all."""
        damage = [d for d in self.damage() if d.blocking]
        if damage:
            shown = "; ".join(str(d) for d in damage[:3])
            raise StoreError(ngettext(
                "{path}: {problems} ({count} problem; `ipviewer check` lists them, the "
                "window can correct them)",
                "{path}: {problems} ({count} problems; `ipviewer check` lists them, the "
                "window can correct them)", len(damage)).format(
                path=self.shown_path, problems=shown, count=len(damage)))

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

    def schema_version(self) -> list[str]:
        """Names of the migrations applied to this file, oldest first."""
        return [m.name for m in migrations.applied(self.db)]


def unique_key(label: str, taken: set[str], suffixes: dict[str, int] | None = None) -> str:
    """A stable ``snake_case`` key from a label, made unique against ``taken``.

    ``suffixes`` (kept by the caller for a run of calls) remembers the next number to try
    for each base, so that 20,000 figures without an English label (``figure``,
    ``figure_2`` …) take linear, not quadratic, time.
    """
    words = "".join(ch.lower() if ch.isascii() and ch.isalnum() else " " for ch in label).split()
    base = "_".join(words[:8]) or "figure"
    key = base
    if key in taken:
        n = suffixes.get(base, 2) if suffixes is not None else 2  # those before are taken
        key = f"{base}_{n}"
        while key in taken:
            n += 1
            key = f"{base}_{n}"
        if suffixes is not None:
            suffixes[base] = n + 1
    taken.add(key)
    return key


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
