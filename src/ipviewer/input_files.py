"""Reading a user's input file safely: regular files only, bounded, with one-line errors.

Every command that reads a file the user names (a report text, an indicator table, a
glossary import file, a catalog, a font) goes through :func:`read_input` (or
:func:`check_input` when a library must open the file itself). What they guarantee:

- Anything that is not a regular file is refused *before it is opened*: a named pipe
  (reading it would wait for a writer forever), a device such as ``/dev/zero`` (endless),
  a socket or a folder. Symbolic links to regular files are fine.
- At most ``limit`` bytes are read: a file larger than that is refused from its size, and
  one that grows while it is read (or claims a wrong size) is refused after ``limit + 1``
  bytes, so memory stays bounded whatever the file is.
- An empty file (zero bytes) is called empty, not "not text" or "not a workbook".
- Missing files, permissions and other operating-system errors become one line.

No Qt here. Errors are :class:`InputError`; callers wrap them in their own error types.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from .i18n import _

__all__ = ["InputError", "check_input", "format_size", "read_input", "read_stream"]

#: Bytes read per system call.
_CHUNK = 1 << 20
# Opening never waits: a path swapped for a named pipe between stat and open would
# otherwise block in open() itself. O_BINARY matters on Windows only.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class InputError(Exception):
    """An input file that cannot be read; ``str()`` is ``"<path>: <what is wrong>"``."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def format_size(count: int) -> str:
    """``25 MB``, ``1.5 MB`` or ``800 bytes``: a size for messages."""
    if count >= 2**20:
        megabytes = f"{count / 2**20:.1f}".removesuffix(".0")
        return _("{size} MB").format(size=megabytes)
    return _("{count} bytes").format(count=count)


def check_input(path: str | os.PathLike[str], limit: int) -> os.stat_result:
    """The status of ``path`` once it is known to be a regular, non-empty file of at
    most ``limit`` bytes; :class:`InputError` otherwise. Nothing is opened."""
    try:
        status = os.stat(path)
    except OSError as exc:
        raise _os_error(path, exc) from None
    _check_status(path, status, limit)
    if status.st_size == 0:
        raise InputError(path, _("is empty (0 bytes)"))
    return status


def read_input(path: str | os.PathLike[str], limit: int) -> bytes:
    """All bytes of the regular file ``path``, at most ``limit`` of them.

    Raises :class:`InputError` for a missing or unreadable file, anything that is not a
    regular file (checked before opening, and again on the opened file), a file larger
    than ``limit`` and an empty file.
    """
    try:
        _check_status(path, os.stat(path), limit)
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _os_error(path, exc) from None
    try:
        _check_status(path, os.fstat(descriptor), limit)  # the file we really opened
        data = _read_bounded(descriptor, limit)
    except OSError as exc:
        raise _os_error(path, exc) from None
    finally:
        os.close(descriptor)
    return _within(path, data, limit)


def read_stream(stream: BinaryIO, limit: int, name: str) -> bytes:
    """At most ``limit`` bytes of an already open stream (standard input), named ``name``
    in messages; :class:`InputError` when there are more, or none."""
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        raise _os_error(name, exc) from None
    return _within(name, data, limit)


def _within(name: str | os.PathLike[str], data: bytes, limit: int) -> bytes:
    """``data`` when it holds something and no more than ``limit`` bytes."""
    if len(data) > limit:
        raise InputError(name, _("is too large (more than {limit})").format(
            limit=format_size(limit)))
    if not data:
        raise InputError(name, _("is empty (0 bytes)"))
    return data


def _read_bounded(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    remaining = limit + 1
    while remaining > 0:
        try:
            chunk = os.read(descriptor, min(remaining, _CHUNK))
        except BlockingIOError:  # only special files do this, and they were refused
            break
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _check_status(path: str | os.PathLike[str], status: os.stat_result, limit: int) -> None:
    mode = status.st_mode
    if not stat.S_ISREG(mode):
        raise InputError(path, _describe_special(mode))
    if status.st_size > limit:
        raise InputError(path, _("is too large ({size}); the limit is {limit}").format(
            size=format_size(status.st_size), limit=format_size(limit)))


def _describe_special(mode: int) -> str:
    """Why a file of this kind is refused."""
    if stat.S_ISDIR(mode):
        return _("is a folder, not a file")
    if stat.S_ISFIFO(mode):
        return _("is a named pipe (FIFO), not a file; reading it could wait forever")
    if stat.S_ISSOCK(mode):
        return _("is a socket, not a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("is a device (such as /dev/zero), not a file")
    return _("is not a regular file")


def _os_error(path: str | os.PathLike[str], exc: OSError) -> InputError:
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return InputError(path, _("no such file"))
    if isinstance(exc, PermissionError):
        return InputError(path, _("cannot be read: permission denied"))
    if isinstance(exc, IsADirectoryError):
        return InputError(path, _("is a folder, not a file"))
    return InputError(path, _("cannot be read: {reason}").format(reason=exc.strerror or exc))
