"""The disk cache of converted font subsets: keyed by font file and character set, pruned
to the most recently used (no Qt). Part of :mod:`.fonts`."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
from pathlib import Path

from ipviewer.safe_write import atomic_write

from .font_files import FontSource
from .font_subset import load_subset
from .to_unicode import UnicodeTTFont

log = logging.getLogger(__name__)


#: Bumped whenever the conversion changes: cache entries of other versions are never read.
CACHE_FORMAT = 1


#: Converted subsets kept on disk; the least recently used beyond this are deleted.
MAX_CACHE_FILES = 64


def default_cache_dir() -> Path:
    """Where converted font subsets are cached, by the platform's conventions."""
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        root = Path(local) if local else home / "AppData" / "Local"
        return root / "ipviewer" / "cache" / "fonts"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "ipviewer" / "fonts"
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg) if xdg and os.path.isabs(xdg) else home / ".cache"
    return root / "ipviewer" / "fonts"


def cache_key(source: FontSource, chars: str) -> str:
    spec = "\0".join(
        [str(CACHE_FORMAT), source.path, str(source.index), str(source.size),
         str(source.mtime_ns), chars]
    )  # fmt: skip
    return hashlib.sha256(spec.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def read_cache(cache_dir: Path, key: str, name: str | None = None) -> UnicodeTTFont | None:
    """The cached subset for ``key`` (registered as ``name`` when given), or None; a damaged
    file is deleted (and rebuilt)."""
    path = cache_dir / f"{key}.ttf"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        font = load_subset(data, str(path), validate=True)  # checksums catch torn or altered files
        named = font.fontName == name if name else font.fontName.endswith(f"-{key[:8]}")
        if not named or not font.face.charToGlyph:
            raise ValueError("not the expected font")
    except Exception as exc:  # noqa: BLE001 (a damaged file makes reportlab raise anything)
        log.warning("ignoring damaged font cache file %s: %s", path, exc)
        try:
            path.unlink()
        except OSError:
            pass
        return None
    try:
        os.utime(path)  # least recently used go first when the cache is pruned
    except OSError:
        pass
    return font


def write_cache(cache_dir: Path, key: str, data: bytes) -> None:
    """Store a subset atomically (:func:`ipviewer.safe_write.atomic_write`); failures only
    cost speed, so they are logged, not raised."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(cache_dir / f"{key}.ttf", data)
        _prune_cache(cache_dir)
    except OSError as exc:
        log.warning("cannot write the font cache in %s: %s", cache_dir, exc)


def _prune_cache(cache_dir: Path) -> None:
    entries = []
    for entry in os.scandir(cache_dir):
        if re.fullmatch(r"[0-9a-f]{32}\.ttf", entry.name):
            try:
                entries.append((entry.stat().st_mtime, entry.path))
            except OSError:
                pass
    entries.sort(reverse=True)
    for _mtime, path in entries[MAX_CACHE_FILES:]:
        try:
            os.unlink(path)
        except OSError:
            pass
