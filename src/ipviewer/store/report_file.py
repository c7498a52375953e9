"""The report file on disk: how to connect to it, and the checks made before it is used.

A report is recognised by SQLite's ``application_id`` (set by migration m004; files made
before it are recognised by their ipviewer migration records). Nothing is ever written to a
file that is empty, damaged, not SQLite, another program's, or from a newer ipviewer.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from ..i18n import _
from .schema import APPLICATION_ID, MIGRATION_SET, known_migrations

#: How long a command waits for another program's write to finish (milliseconds).
BUSY_TIMEOUT_MS = 5000
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: The tables every report has (a file without them is not a report, whatever it says).
REPORT_TABLES = frozenset({"report", "nodes", "indicators", "_sqlite_migrations"})


class StoreError(Exception):
    """A report file that cannot be used; the message names the file and the reason."""


def lenient_text(data: bytes) -> str:
    """SQLite text as ``str``; bytes that are not UTF-8 (a hand-edited or damaged report)
    become U+FFFD instead of an exception (the checks report where they are)."""
    return data.decode("utf-8", "replace")


def folder_writable(path: Path) -> bool:
    """Whether SQLite may create its side files (``-wal``, ``-shm``) beside ``path``."""
    return os.access(path.parent if str(path.parent) else Path("."), os.W_OK | os.X_OK)


def connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """A connection to the existing report ``path``.

    Read-only, a file the user may write is still opened read-write but refuses every write
    (``query_only``), so that closing it removes SQLite's ``-wal``/``-shm`` files instead of
    leaving them beside the report; a file the user may not write is opened ``mode=ro``, and
    on a read-only medium or folder as immutable (SQLite could not make its side files).
    """
    uri = path.resolve().as_uri()
    writable = os.access(path, os.W_OK) and folder_writable(path)
    if readonly and not writable:
        uri += "?mode=ro" + ("" if folder_writable(path) else "&immutable=1")
    else:
        uri += "?mode=rw"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.text_factory = lenient_text
    if readonly:
        conn.execute("PRAGMA query_only = ON")
    return conn


def check_path(path: Path) -> None:
    """Refuse what cannot be a report before SQLite opens it: nothing there, a folder, a
    FIFO or device (opening it could hang), an empty file, a file that is not SQLite."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise StoreError(_("{path}: no such file").format(path=path)) from None
    except OSError as exc:
        raise StoreError(_("{path}: cannot be opened ({reason})").format(
            path=path, reason=exc.strerror or exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(_("{path}: is a folder, not a report file").format(path=path))
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(_("{path}: is not a regular file (a pipe, device or socket), "
                           "not a report file").format(path=path))
    if info.st_size == 0:
        raise StoreError(_("{path}: is empty (0 bytes), not a report").format(path=path))
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(_("{path}: cannot be read ({reason})").format(
            path=path, reason=exc.strerror or exc)) from None
    if head != _SQLITE_MAGIC:
        raise StoreError(_("{path}: not a report database (not an SQLite file)").format(
            path=path))


def check_file(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is damaged, not ours, or from a newer version (read-only checks)."""
    try:
        result = conn.execute("PRAGMA quick_check").fetchall()
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise _database_error(exc, path) from exc
    if result != [("ok",)]:
        first = "; ".join(str(r[0]) for r in result[:3])
        raise StoreError(_("{path}: the file is damaged ({reason}); it was not changed").format(
            reason=first, path=path))
    if app_id not in (0, APPLICATION_ID):
        raise StoreError(_("{path}: belongs to another program (application id {id}), not an "
                           "ipviewer report; it was not changed").format(
            path=path, id=f"0x{app_id & 0xFFFFFFFF:08X}"))
    applied: set[str] = set()
    if "_sqlite_migrations" in tables:
        try:
            applied = {r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])}
        except sqlite3.DatabaseError:
            applied = set()
    if not applied or not REPORT_TABLES <= tables:
        raise StoreError(_("{path}: not an ipviewer report (an SQLite file of another kind); "
                           "it was not changed").format(path=path))
    newer = applied - set(known_migrations())
    if newer:
        raise StoreError(_("{path}: made by a newer version of ipviewer (schema {schema}); "
                           "update ipviewer to open it").format(path=path, schema=max(newer)))


def _database_error(exc: sqlite3.DatabaseError, path: Path) -> StoreError:
    text = str(exc)
    if "not a database" in text:
        return StoreError(_("{path}: not a report database (not an SQLite file)").format(
            path=path))
    if "locked" in text or "busy" in text:
        return busy_error(path)
    return StoreError(_("{path}: the file is damaged ({reason}); it was not changed").format(
        reason=exc, path=path))


def busy_error(path: Path) -> StoreError:
    """The message for a report another program is writing to."""
    return StoreError(_("{path}: is being changed by another program; try again").format(
        path=path))
