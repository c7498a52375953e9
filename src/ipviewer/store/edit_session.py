"""Editing a report without risking it: a working copy that every edit is written to, and
Save copying it into the report file — never over another program's changes.

The user's file changes only on Save, in one ``BEGIN IMMEDIATE`` transaction that first
checks the file is still the one the working copy was made from (its ``file_id`` and
``revision``, which triggers raise on every change any program makes) and then writes the
rows that differ, so a reader in another window never sees half a save. When another
program changed the file meanwhile, Save raises :class:`SaveConflict` instead; the caller
can :meth:`EditSession.combine` (three-way merge against the *base*, the file as it was
when the working copy was made or last saved) or :meth:`EditSession.save_copy`.

Each edit is one transaction in the working copy (WAL, ``synchronous=FULL``): after a crash
or a power cut the next opening finds the edits and offers them back. Save runs without the
working copy's own connection, so a window may run it in a thread of its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import _
from . import report_file
from .report_file import StoreError, busy_error, lenient_text
from .report_store import ReportStore
from .table_sync import copy_changed_rows

#: The tables Save writes (the full-text index follows ``nodes`` through its triggers).
SAVED_TABLES = ("report", "nodes", "indicators")


@dataclass
class Recovery:
    """Unsaved edits a previous session left behind for a report."""

    original: Path
    working: Path
    #: When the last edit was written (seconds since the epoch).
    edited: float
    #: The report file was changed (saved by something else) after the copy was made.
    original_changed: bool


class SaveConflict(StoreError):
    """The report file was changed by another program since the working copy was made."""

    def __init__(self, path: Path, replaced: bool, can_combine: bool,
                 unknown: bool = False) -> None:
        if replaced:
            text = _("{path} was replaced by another file since you opened it").format(
                path=path)
        elif unknown:
            text = _("ipviewer cannot tell whether {path} was changed since these edits were "
                     "made (they were kept by an older version)").format(path=path)
        else:
            text = _("{path} was changed by another program since you opened it").format(
                path=path)
        super().__init__(text)
        self.path = path
        #: A different report file now has the name (not the same report changed).
        self.replaced = replaced
        #: Whether :meth:`EditSession.combine` can merge (the base copy is there).
        self.can_combine = can_combine


class EditSession:
    """One report open for editing through its working copy (``store``)."""

    def __init__(self, original: Path, working: Path, store: ReportStore) -> None:
        self.original = original
        self.working = working
        self.store = store
        self.dirty = False
        #: The report file's identity when the working copy was made or last saved (None:
        #: unknown, a working copy left by an older ipviewer).
        self.base_identity: list[Any] | None = None

    # -- where the copies live ---------------------------------------------------------------

    @staticmethod
    def working_path(original: Path, folder: Path) -> Path:
        """The working copy of ``original`` in the recovery ``folder`` (one per report)."""
        digest = hashlib.sha256(str(Path(original).resolve()).encode()).hexdigest()[:16]
        return Path(folder) / f"{digest}.sqlite"

    @property
    def base(self) -> Path:
        """The report file as it was when the working copy was made or last saved."""
        return self.working.with_suffix(".base.sqlite")

    @staticmethod
    def _info_path(working: Path) -> Path:
        return working.with_suffix(".json")

    @classmethod
    def find_recovery(cls, original: Path, folder: Path) -> Recovery | None:
        """Unsaved edits to ``original`` left by a session that did not close, if any."""
        working = cls.working_path(original, folder)
        try:
            info = json.loads(cls._info_path(working).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not working.is_file() or not info.get("dirty"):
            return None
        return Recovery(Path(info.get("original", original)), working, working.stat().st_mtime,
                        file_identity(original) != info.get("base_identity"))

    # -- opening, saving, closing --------------------------------------------------------------

    @classmethod
    def open(cls, original: str | os.PathLike[str], folder: Path,
             recover: bool = False) -> EditSession:
        """Open ``original`` for editing. With ``recover``, continue from the working copy a
        previous session left; otherwise start a fresh copy of the report file."""
        original = Path(original)
        with ReportStore.open(original):  # checks the file, updates an older schema
            pass
        working = cls.working_path(original, folder)
        session_base = working.with_suffix(".base.sqlite")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not (recover and working.is_file()):
                for path in (working, session_base):
                    _remove_database(path)
                _copy_database(original, working)
                _copy_database(working, session_base)
                info = {"original": str(original.resolve()), "dirty": False,
                        "base_identity": file_identity(session_base)}
                cls._info_path(working).write_text(json.dumps(info), encoding="utf-8")
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(_("{path}: cannot make the working copy ({reason})").format(
                path=working, reason=exc)) from exc
        # a fresh copy of the file checked above needs no second check; a recovered one does
        try:
            store = ReportStore.open(working, check=recover)
        except StoreError as exc:
            raise StoreError(_(
                "{path}: the unsaved changes kept for it cannot be read ({reason}); open it "
                "again and choose Discard").format(path=original, reason=exc)) from exc
        session = cls(original, working, store)
        session.dirty = recover
        session.base_identity = session._info().get("base_identity")
        return session

    def _info(self) -> dict[str, Any]:
        try:
            return json.loads(self._info_path(self.working).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"original": str(self.original.resolve())}

    def _write_info(self, info: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):  # the edits themselves are in the working copy
            self._info_path(self.working).write_text(json.dumps(info), encoding="utf-8")

    def mark_dirty(self, dirty: bool) -> None:
        """Record whether the working copy holds edits the report file has not got."""
        if dirty == self.dirty:
            return
        self.dirty = dirty
        info = self._info()
        info["dirty"] = dirty
        self._write_info(info)

    def save(self, cancelled: Callable[[], bool] | None = None) -> None:
        """Write the working copy into the report file, all of it or nothing.

        Raises :class:`SaveConflict` when another program changed or replaced the file
        since the working copy was made (nothing written), ``StoreError`` when the file is
        busy for longer than the busy timeout (or ``cancelled()`` says stop while waiting),
        cannot be written, or the disk is full; the edits stay in the working copy. Safe to
        call from another thread than the one that uses :attr:`store`.
        """
        expected = self.base_identity
        target = _connect_for_save(self.original)
        try:
            target.execute("ATTACH DATABASE ? AS w", [_read_only_uri(self.working)])
            _begin_immediate(target, self.original, cancelled)
            try:
                found = _identity(target, "main")
                if found != expected:
                    same_report = bool(found and expected and found[0] == expected[0])
                    replaced = bool(found and expected and found[0] != expected[0])
                    raise SaveConflict(self.original, replaced=replaced,
                                       can_combine=same_report and found[2] == expected[2]
                                       and self.base.is_file(), unknown=expected is None)
                for table in SAVED_TABLES:
                    copy_changed_rows(target, table, source="w", keep=("revision", "file_id"))
                saved = _identity(target, "main")
                target.execute("COMMIT")
            except BaseException:
                if target.in_transaction:
                    target.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _save_error(self.original, exc) from exc
        finally:
            target.close()
        self._new_base(self.working, saved)
        self.dirty = True  # force the info file to be rewritten
        self.mark_dirty(False)

    def combine(self) -> Any:
        """Merge another program's changes to the report file into the working copy (their
        changes kept, the edits of this session re-applied on top; where both changed the
        same thing, this session's edit wins and is listed). Returns the merge's result;
        the working copy then has unsaved edits that Save will write."""
        from .merge import merge_reports  # the three-way merge, only when needed

        theirs_copy = self.base.with_suffix(".theirs.sqlite")
        _remove_database(theirs_copy)
        try:
            _copy_database(self.original, theirs_copy)
            with ReportStore.open(self.base, readonly=True) as base, \
                    ReportStore.open(theirs_copy, readonly=True) as theirs:
                result = merge_reports(base, self.store, theirs)
            identity = file_identity(theirs_copy)
            _remove_database(self.base)
            os.replace(theirs_copy, self.base)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(_("{path}: the changes could not be combined ({reason}); your "
                               "edits are kept").format(path=self.original, reason=exc)) from exc
        finally:
            _remove_database(theirs_copy)
        info = self._info()
        info.update(base_identity=identity, dirty=True)
        self._write_info(info)
        self.base_identity = identity
        self.dirty = True
        return result

    def save_copy(self, target: Path) -> None:
        """Write the working copy as a new report file at ``target`` (a new report: its own
        file id); the session keeps editing the report it opened."""
        with ReportStore.open(self.working, readonly=True) as source, \
                ReportStore.building(target, copy_of=source) as copy, copy.transaction() as db:
            db.execute("UPDATE report SET file_id = ?", [uuid.uuid4().hex])

    def _new_base(self, source: Path, identity: list[Any] | None) -> None:
        """The report file now holds what ``source`` holds: it becomes the base."""
        try:
            fresh = self.base.with_suffix(".next.sqlite")
            _remove_database(fresh)
            _copy_database(source, fresh)
            _remove_database(self.base)
            os.replace(fresh, self.base)
        except (OSError, sqlite3.Error):
            _remove_database(self.base)  # without a base, a later conflict cannot combine
        self.base_identity = identity
        info = self._info()
        info["base_identity"] = identity
        self._write_info(info)

    def close(self) -> None:
        """Close the working copy and remove it (call :meth:`save` first to keep edits)."""
        self.store.close()
        for path in (self.working, self.base):
            _remove_database(path)
        _remove_database(self._info_path(self.working))

    def abandon(self) -> None:
        """Close the working copy but keep it, as a crash would (for recovery later)."""
        self.store.close()


# -- the report file's identity ----------------------------------------------------------------


def file_identity(path: Path) -> list[Any] | None:
    """``[file_id, revision, schema]`` of the report at ``path`` (None if it cannot be read):
    any change by any program, or another file under the name, gives another identity."""
    try:
        report_file.check_path(path)
        conn = report_file.connect(path, readonly=True)  # leaves no -wal/-shm behind
    except (StoreError, sqlite3.Error):
        return None
    try:
        return _identity(conn, "main")
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _identity(conn: sqlite3.Connection, schema: str) -> list[Any] | None:
    row = conn.execute(f"SELECT file_id, revision FROM {schema}.report WHERE id = 1").fetchone()
    migrations = [r[0] for r in conn.execute(
        f"SELECT name FROM {schema}._sqlite_migrations ORDER BY name")]
    return None if row is None else [row[0], row[1], migrations]


# -- connections ----------------------------------------------------------------------------


def _read_only_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def _connect_for_save(path: Path) -> sqlite3.Connection:
    try:
        report_file.check_path(path)
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True,
                               isolation_level=None, timeout=0.25)
    except sqlite3.Error as exc:
        raise _save_error(path, exc) from exc
    conn.text_factory = lenient_text
    conn.execute("PRAGMA busy_timeout = 250")
    conn.execute("PRAGMA foreign_keys = OFF")  # rows arrive in any order; the copy was whole
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _begin_immediate(conn: sqlite3.Connection, path: Path,
                     cancelled: Callable[[], bool] | None) -> None:
    """``BEGIN IMMEDIATE``, waiting in short steps (so a caller can cancel) up to the busy
    timeout for another program's write to finish."""
    deadline = time.monotonic() + report_file.BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() >= deadline or (cancelled is not None and cancelled()):
                raise busy_error(path) from exc


def _save_error(path: Path, exc: sqlite3.Error) -> StoreError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return busy_error(path)
    if "disk is full" in text or "disk I/O" in text:
        return StoreError(_("{path}: not saved, the disk is full or failing ({reason}); your "
                            "edits are kept").format(path=path, reason=exc))
    return StoreError(_("{path}: not saved ({reason}); your edits are kept").format(
        path=path, reason=exc))


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite file ``source`` at ``target`` (WAL mode)."""
    src = report_file.connect(source, readonly=True)  # leaves no -wal/-shm behind
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = WAL")
        finally:
            dst.close()
    finally:
        src.close()


def _remove_database(path: Path) -> None:
    """Remove an SQLite file of ours with its side files."""
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(FileNotFoundError):
            name.unlink()
