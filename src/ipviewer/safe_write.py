"""The one safe path for every file ipviewer writes (no Qt).

- :func:`check_output` refuses, before any work is done, an output that is one of the
  inputs (symlinks and hard links included), a folder, an existing file unless the user
  said to replace it, a file the user may not write, a folder that does not exist.
- :func:`replacing` gives a temporary file beside the target, named so that it is known
  as ours; it is flushed and renamed over the target only when complete, and removed
  (with SQLite's side files) on any error. Leftovers of a process that was killed are
  removed the next time something is written to that folder (:func:`sweep_leftovers`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import socket
import stat
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from .i18n import _

#: Side files SQLite makes beside a database (a temporary report being built included).
SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")
#: A leftover older than this is stale whatever process made it (a write never takes so long).
STALE_AFTER_S = 6 * 3600


class OutputError(Exception):
    """An output refused before anything was written; ``str()`` names the file and why."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class FolderError(OSError):
    """The folder of an output cannot be written (the file itself is not the problem)."""


# -- refusing an output ---------------------------------------------------------------


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same file (through symlinks and hard links too)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).absolute() == Path(b).absolute()


def check_output(path: str | os.PathLike[str],
                 inputs: Iterable[str | os.PathLike[str] | None] = (),
                 *, replace: bool = False) -> None:
    """Refuse ``path`` as an output, with an :class:`OutputError`, when writing it could lose
    data: it is one of ``inputs``, a folder, an existing file and ``replace`` is false, an
    existing file the user may not write, or its folder does not exist or is not writable."""
    path = Path(path)
    if not str(path) or path.name in ("", ".", ".."):
        raise OutputError(path, _("not a file name"))
    for source in inputs:
        if source is not None and same_file(path, source):
            raise OutputError(path, _("is also an input of this command; write to another "
                                      "file"))
    if path.is_dir():
        raise OutputError(path, _("is a folder, not a file name"))
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(path, _("the folder {folder} does not exist").format(folder=folder))
    if path.exists() or path.is_symlink():
        if not path.is_file():
            raise OutputError(path, _("exists and is not a regular file"))
        if not replace:
            raise OutputError(path, _("already exists (use --force to replace it)"))
        if not writable_file(path):
            raise OutputError(path, _("is read-only; it was not replaced"))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(path, _("the folder {folder} cannot be written").format(
            folder=folder))


def writable_file(path: Path) -> bool:
    """Whether the user may write the existing file ``path`` (permission bits as well as
    ``os.access``, which says yes to root)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return os.access(path, os.W_OK) and bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


# -- writing through a temporary file -------------------------------------------------


def _host_tag() -> str:
    return f"{zlib.crc32(socket.gethostname().encode()) & 0xFFFF:04x}"


#: ``.NAME.ipv-HOST-PID-RANDOM.tmp`` (plus SQLite's side-file suffixes).
_LEFTOVER = re.compile(r"^\..+\.ipv-(?P<host>[0-9a-f]{4})-(?P<pid>\d+)-[0-9a-f]{6}\.tmp"
                       r"(?:-journal|-wal|-shm)?$")


def temporary_name(path: Path) -> Path:
    """A new temporary path beside ``path`` that :func:`sweep_leftovers` knows as ours."""
    tag = f"ipv-{_host_tag()}-{os.getpid()}-{secrets.token_hex(3)}"
    return path.with_name(f".{path.name}.{tag}.tmp")


def _running(pid: int) -> bool:
    """Whether process ``pid`` of this machine still runs (POSIX; elsewhere assume so)."""
    if sys.platform.startswith("win"):
        return True  # os.kill would end it: age alone decides there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def sweep_leftovers(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files an ipviewer process that no longer runs (killed, power
    cut) left in ``folder``; returns what was removed. Never touches other files."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    host, now = _host_tag(), time.time()
    for entry in entries:
        found = _LEFTOVER.match(entry.name)
        if not found or not entry.is_file(follow_symlinks=False):
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        mine_dead = found["host"] == host and int(found["pid"]) != os.getpid() \
            and not _running(int(found["pid"]))
        if mine_dead or age > STALE_AFTER_S:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def remove_with_side_files(path: Path) -> None:
    """Remove ``path`` and the SQLite side files beside it, if any."""
    for name in (path, *(Path(f"{path}{suffix}") for suffix in SQLITE_SIDE_FILES)):
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            name.unlink()


def new_file_mode(path: Path) -> int:
    """The permissions the file at ``path`` should get: its own if it exists, else what
    the user's umask gives a new file (temporary files start private, 0600)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed over ``path`` when the block
    ends without an error, removed (with SQLite's side files) otherwise.

    An existing ``path`` the user may not write is refused (the rename would go around the
    permission). Raises ``OSError``; the old file is then intact.
    """
    path = Path(path)
    if path.exists() and not writable_file(path):
        raise PermissionError(errno.EACCES, _("the file is read-only"), str(path))
    folder = path.parent if str(path.parent) else Path(".")
    sweep_leftovers(folder)
    tmp = temporary_name(path)
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:  # not a PermissionError: the file itself is not the problem
        raise FolderError(exc.errno, _("cannot write in the folder {folder} ({reason})").format(
            folder=folder, reason=exc.strerror or exc)) from exc
    try:
        yield tmp
        os.chmod(tmp, new_file_mode(path))
        if path.exists() and not writable_file(path):  # changed while we worked
            raise PermissionError(errno.EACCES, _("the file is read-only"), str(path))
        os.replace(tmp, path)
    except BaseException:
        remove_with_side_files(tmp)
        raise
    for suffix in SQLITE_SIDE_FILES:  # a closed SQLite file leaves none; be sure
        with contextlib.suppress(OSError):
            Path(f"{tmp}{suffix}").unlink()


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` all at once (flushed to disk before the rename)."""
    with replacing(path) as tmp, open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
