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
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Self

from sqlite_utils import Database

from ..i18n import _, ngettext
from ..model import Node, ParsedReport
from ..safe_write import replacing
from . import report_file
from .indicator_table import INDICATOR_SORT_COLUMNS, IndicatorTable
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
from .to_update import ToUpdateMarks
from .tree_editing import NodeSnapshot, TreeEditing

__all__ = ["BUSY_TIMEOUT_MS", "INDICATOR_SORT_COLUMNS", "NodeSnapshot", "ReportStore",
           "StoreError", "unique_key"]





class ReportStore(TreeEditing, IndicatorTable, ToUpdateMarks):
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

    def write_parsed(self, parsed: ParsedReport, year: int,
                     node_years: Mapping[int, int] | None = None) -> None:
        """Write an imported report (front matter, tree, figures as indicators of ``year``)
        into this new, empty report file. ``node_years`` (``id(node)`` -> year) gives the
        nodes whose figures belong to another year (those under a "## 2013" heading); a
        key is unique within its year, so one label in two years' sections is one key.
        A figure's key is made from its English label (``other_labels["en"]`` first)."""
        self._write_report(parsed, year, node_years or {})

    def _write_report(self, parsed: ParsedReport, year: int,
                      node_years: Mapping[int, int]) -> None:
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
            keys: dict[int, set[str]] = {}
            suffixes: dict[int, dict[str, int]] = {}
            for position, node in enumerate(parsed.nodes):
                self._insert_node(node, None, position, year, lang, keys, suffixes, node_years)

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
        keys: dict[int, set[str]],
        suffixes: dict[int, dict[str, int]],
        node_years: Mapping[int, int],
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
        figure_year = node_years.get(id(node), year)
        for figure in node.figures:
            key = unique_key(figure.other_labels.get("en") or figure.label,
                             keys.setdefault(figure_year, set()),
                             suffixes.setdefault(figure_year, {}))
            labels = {f"label_{code}": text for code, text in figure.other_labels.items()}
            self.db["indicators"].insert(
                {
                    "key": key,
                    "year": figure_year,
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
            self._insert_node(child, node_id, child_position, year, lang, keys, suffixes,
                              node_years)

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
