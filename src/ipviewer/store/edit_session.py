"""Editing a report without risking it: a working copy that every edit is written to, and
Save copying it into the report file.

The user's file changes only on Save, in one SQLite transaction (the backup API writing
into the open report, so a reader of the file in another window never sees half of it).
Each edit is one transaction in the working copy (WAL, ``synchronous=FULL``), so after a
crash or a power cut the working copy holds every edit that was made; the next opening of
the report finds it and offers to recover it. A working copy that holds nothing unsaved is
removed on close (and silently replaced on the next opening).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from .report_store import BUSY_TIMEOUT_MS, ReportStore, StoreError


@dataclass
class Recovery:
    """Unsaved edits a previous session left behind for a report."""

    original: Path
    working: Path
    #: When the last edit was written (seconds since the epoch).
    edited: float
    #: The report file was changed (saved by something else) after the copy was made.
    original_changed: bool


class EditSession:
    """One report open for editing through its working copy (``store``)."""

    def __init__(self, original: Path, working: Path, store: ReportStore) -> None:
        self.original = original
        self.working = working
        self.store = store
        self.dirty = False

    # -- where the working copy lives --------------------------------------------------------

    @staticmethod
    def working_path(original: Path, folder: Path) -> Path:
        """The working copy of ``original`` in the recovery ``folder`` (one per report)."""
        digest = hashlib.sha256(str(Path(original).resolve()).encode()).hexdigest()[:16]
        return Path(folder) / f"{digest}.sqlite"

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
                        _fingerprint(original) != info.get("base"))

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
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not (recover and working.is_file()):
                _remove(working)
                _copy_database(original, working)
                info = {"original": str(original.resolve()), "dirty": False,
                        "base": _fingerprint(original)}
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
        return session

    def mark_dirty(self, dirty: bool) -> None:
        """Record whether the working copy holds edits the report file has not got."""
        if dirty == self.dirty:
            return
        self.dirty = dirty
        path = self._info_path(self.working)
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {"original": str(self.original.resolve())}
        info["dirty"] = dirty
        if not dirty:
            info["base"] = _fingerprint(self.original)
        with contextlib.suppress(OSError):  # the edits themselves are in the working copy
            path.write_text(json.dumps(info), encoding="utf-8")

    def save(self) -> None:
        """Write the working copy into the report file, all of it or nothing."""
        started = time.monotonic()
        try:
            target = sqlite3.connect(str(self.original), timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                self.store.db.conn.backup(target)
                with contextlib.suppress(sqlite3.Error):
                    target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                target.close()
        except sqlite3.Error as exc:
            raise StoreError(_("{path}: not saved ({reason}); your edits are kept").format(
                path=self.original, reason=exc)) from exc
        self.last_save_seconds = time.monotonic() - started
        self.dirty = True  # force the info file to be rewritten
        self.mark_dirty(False)

    def close(self) -> None:
        """Close the working copy and remove it (call :meth:`save` first to keep edits)."""
        self.store.close()
        for path in (self.working, self._info_path(self.working),
                     Path(f"{self.working}-wal"), Path(f"{self.working}-shm")):
            _remove(path)

    def abandon(self) -> None:
        """Close the working copy but keep it, as a crash would (for recovery later)."""
        self.store.close()


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite file ``source`` at ``target`` (WAL mode)."""
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True,
                          timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = WAL")
        finally:
            dst.close()
    finally:
        src.close()


def _fingerprint(path: Path) -> list[float]:
    """Size and modification time, to notice a report changed behind our back."""
    try:
        st = path.stat()
    except OSError:
        return []
    return [st.st_size, st.st_mtime]


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
