"""The report file's schema, as ``sqlite_utils`` migrations recorded in the file itself.

Each migration runs in a transaction together with its record in ``_sqlite_migrations``,
so a file is always at one known schema version. Add new migrations at the end; never
edit one that has shipped.
"""

from __future__ import annotations

import re

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

#: The name of our migration set inside ``_sqlite_migrations``.
MIGRATION_SET = "ipviewer"
#: ``PRAGMA application_id`` of a report file ("IPVW"): how a file is known to be ours.
APPLICATION_ID = 0x49505657

migrations = Migrations(MIGRATION_SET)


def known_migrations() -> list[str]:
    """Names of every migration this version of ipviewer knows, in order."""
    return [m.name for m in migrations.pending(Database(memory=True))]


@migrations()
def m001_initial(db: Database) -> None:
    """Report front matter, the node tree, indicators and full-text search."""
    db.execute(
        """
        CREATE TABLE report (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            year INTEGER NOT NULL,
            source_lang TEXT NOT NULL DEFAULT 'en' CHECK (source_lang IN ('en', 'zh')),
            title_en TEXT NOT NULL DEFAULT '',
            title_zh TEXT NOT NULL DEFAULT '',
            publisher_en TEXT NOT NULL DEFAULT '',
            publisher_zh TEXT NOT NULL DEFAULT '',
            date_en TEXT NOT NULL DEFAULT '',
            date_zh TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute(
        """
        CREATE TABLE nodes (
            id INTEGER PRIMARY KEY,
            parent_id INTEGER REFERENCES nodes(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL
                CHECK (kind IN ('overview', 'part', 'section', 'paragraph')),
            number TEXT NOT NULL DEFAULT '',
            title_en TEXT NOT NULL DEFAULT '',
            title_zh TEXT NOT NULL DEFAULT '',
            text_en TEXT NOT NULL DEFAULT '',
            text_zh TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX nodes_by_parent ON nodes(parent_id, position)")
    # Values are exact decimal text ("150800", "57.9", "15.30"): SQLite has no decimal
    # type and REAL would lose printed precision. value_num is for sorting in SQL.
    db.execute(
        """
        CREATE TABLE indicators (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            year INTEGER NOT NULL,
            label_en TEXT NOT NULL DEFAULT '',
            label_zh TEXT NOT NULL DEFAULT '',
            value TEXT NOT NULL,
            value_num REAL GENERATED ALWAYS AS (CAST(value AS REAL)) VIRTUAL,
            unit TEXT NOT NULL DEFAULT '',
            qualifier TEXT NOT NULL DEFAULT '',
            yoy_pct TEXT,
            yoy_num REAL GENERATED ALWAYS AS (CAST(yoy_pct AS REAL)) VIRTUAL,
            node_id INTEGER REFERENCES nodes(id) ON DELETE SET NULL,
            source_lang TEXT NOT NULL DEFAULT 'en',
            source_text TEXT NOT NULL DEFAULT '',
            source_start INTEGER,
            source_end INTEGER,
            UNIQUE (key, year)
        )
        """
    )
    db.execute("CREATE INDEX indicators_by_node ON indicators(node_id)")
    # Trigram tokens find substrings in Chinese (no word boundaries) and English alike.
    db["nodes"].enable_fts(
        ["title_en", "title_zh", "text_en", "text_zh"],
        fts_version="FTS5",
        tokenize="trigram",
        create_triggers=True,
    )


@migrations()
def m002_sources_and_updates(db: Database) -> None:
    """Where a figure comes from, and what a new year's report still has to update."""
    db.execute("ALTER TABLE indicators ADD COLUMN source TEXT NOT NULL DEFAULT ''")
    # 1 = carried over from last year's report: the value still has to be updated.
    db.execute("ALTER TABLE indicators ADD COLUMN needs_update INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE nodes ADD COLUMN needs_update INTEGER NOT NULL DEFAULT 0")


@migrations()
def m003_sort_indexes(db: Database) -> None:
    """Sorting 100,000 indicators by value, change or name from an index, not a scan."""
    db.execute("CREATE INDEX indicators_by_value ON indicators(value_num)")
    db.execute("CREATE INDEX indicators_by_yoy ON indicators(yoy_num)")
    db.execute("CREATE INDEX indicators_by_label ON indicators(label_en COLLATE NOCASE)")


@migrations()
def m004_identity_and_revision(db: Database) -> None:
    """Mark the file as ours (application id) and count its changes: ``file_id`` names this
    report file, ``revision`` grows with every change any program makes to its rows, so a
    Save notices that another program wrote to the file in the meantime."""
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("ALTER TABLE report ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE report ADD COLUMN file_id TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE report SET file_id = lower(hex(randomblob(16)))")
    for table in ("nodes", "indicators"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(f"""CREATE TRIGGER {table}_{event.lower()}_counts AFTER {event} ON {table}
                           BEGIN UPDATE report SET revision = revision + 1; END""")
    db.execute("""CREATE TRIGGER report_update_counts AFTER UPDATE ON report
                  WHEN NEW.revision = OLD.revision
                  BEGIN UPDATE report SET revision = revision + 1; END""")


@migrations()
def m005_ids_never_reused(db: Database) -> None:
    """Node and indicator ids are never handed out again once deleted (AUTOINCREMENT), so
    that combining two versions of a report never takes a new row for an old one.

    Each table is rebuilt with its rows, ids, indexes and triggers; the full-text index
    keeps pointing at the same ids. Runs with foreign keys off (``ReportStore`` sees to it):
    dropping the old table must not cascade.
    """
    for table in ("nodes", "indicators"):
        create = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                            [table]).fetchone()[0]
        if "AUTOINCREMENT" in create.upper():
            continue
        rebuilt, found = re.subn(r"^CREATE TABLE\s+\"?" + table + r"\"?\s*\(",
                                 f'CREATE TABLE "{table}_rebuilt" (', create)
        rebuilt, marked = re.subn(r"\bid INTEGER PRIMARY KEY\b(?! AUTOINCREMENT)",
                                  "id INTEGER PRIMARY KEY AUTOINCREMENT", rebuilt, count=1)
        if not (found and marked):
            raise RuntimeError(f"unexpected schema of {table}: {create}")
        extras = [row[0] for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL ORDER BY type, name", [table])]
        columns = ", ".join(f'"{row[1]}"' for row in db.execute(
            f'PRAGMA table_xinfo("{table}")') if row[6] == 0)
        db.execute(rebuilt)
        db.execute(f'INSERT INTO "{table}_rebuilt" ({columns}) SELECT {columns} FROM "{table}"')
        db.execute(f'DROP TABLE "{table}"')
        db.execute(f'ALTER TABLE "{table}_rebuilt" RENAME TO "{table}"')
        for sql in extras:
            db.execute(sql)


@migrations()
def m006_to_update_state(db: Database) -> None:
    """What a new year's report still has to update, as a state every program sees.

    A carried-over value (``needs_update = 1``) stops being "to update" when its value
    changes, a carried-over paragraph when its text changes in either language — whoever
    writes the change (the window, a command, a merge, another program): triggers clear the
    mark. A writer that sets the mark in the same statement (an undo) keeps it. Confirming a
    value or text unchanged records who did it and when (``confirmed_by``, ``confirmed_at``:
    ISO 8601 UTC).
    """
    for table in ("indicators", "nodes"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN confirmed_by TEXT NOT NULL DEFAULT ''")
        db.execute(f"ALTER TABLE {table} ADD COLUMN confirmed_at TEXT NOT NULL DEFAULT ''")
    db.execute("""CREATE TRIGGER indicators_value_updates AFTER UPDATE OF value ON indicators
                  WHEN OLD.needs_update = 1 AND NEW.needs_update = 1
                       AND NEW.value IS NOT OLD.value
                  BEGIN UPDATE indicators SET needs_update = 0 WHERE id = NEW.id; END""")
    db.execute("""CREATE TRIGGER nodes_text_updates AFTER UPDATE OF text_en, text_zh ON nodes
                  WHEN OLD.needs_update = 1 AND NEW.needs_update = 1
                       AND (NEW.text_en IS NOT OLD.text_en OR NEW.text_zh IS NOT OLD.text_zh)
                  BEGIN UPDATE nodes SET needs_update = 0 WHERE id = NEW.id; END""")
