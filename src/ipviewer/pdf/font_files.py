"""Finding the fonts of the PDF export: the user's file, the bundled Noto fonts, the
system's, and the Simplified Chinese member of a collection (no Qt). Part of :mod:`.fonts`."""

from __future__ import annotations

import logging
import os
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ipviewer.i18n import _
from ipviewer.input_files import InputError, check_input

log = logging.getLogger(__name__)


#: The largest font file accepted (CJK collections are 20–150 MB).
MAX_FONT_BYTES = 512 * 1024 * 1024


_FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2")


# System fonts by lower-case file name, best first. Body: Song/Ming (serif); headings: Hei
# (sans). Each role falls back to the other role's list, then gets a warning.
_BODY_FILES = (
    "simsun.ttc",  # Windows: SimSun
    "songti.ttc",  # macOS: Songti SC
    "notoserifcjk-regular.ttc",  # Linux: Noto Serif CJK (Debian, Fedora, Arch)
    "notoserifcjksc-regular.otf",
    "notoserifsc-regular.otf",
    "notoserifcjk-vf.ttc",  # Fedora's variable Noto (CFF2: its default instance is used)
    "uming.ttc",  # AR PL UMing
)


_HEADING_FILES = (
    "simhei.ttf",  # Windows: SimHei
    "msyh.ttc",  # Windows: Microsoft YaHei
    "pingfang.ttc",  # macOS
    "stheiti medium.ttc",
    "stheiti light.ttc",
    "notosanscjk-regular.ttc",  # Linux: Noto Sans CJK
    "notosanscjksc-regular.otf",
    "notosanssc-regular.otf",
    "notosanscjk-vf.ttc",
    "wqy-zenhei.ttc",  # WenQuanYi
    "wqy-microhei.ttc",
    "ukai.ttc",  # AR PL UKai
)


_FALLBACK_FILES = (
    "dejavusans.ttf",
    "seguisym.ttf",  # Windows: Segoe UI Symbol
    "apple symbols.ttf",
    "notosanssymbols2-regular.ttf",
    "symbola.ttf",
)


_FONT_SUFFIXES = (".ttf", ".ttc", ".otf")


# Names of collection members that are the Simplified Chinese face, and of those that are not.
_SIMPLIFIED_TOKENS = frozenset({"sc", "cn", "gb", "prc", "hans", "chs", "simplified", "simsun",
                                "simhei"})  # fmt: skip


_OTHER_TOKENS = frozenset({"tc", "hk", "tw", "mo", "jp", "kr", "hant", "cht", "traditional"})


subfont_memo: dict[tuple[str, int, int], int] = {}  # (path, size, mtime) -> collection member


class FontError(Exception):
    """A font that cannot be used; ``str()`` names the file (when there is one) and the reason."""

    def __init__(self, reason: str, path: str | os.PathLike[str] | None = None) -> None:
        self.path = os.fspath(path) if path is not None else None
        self.reason = reason
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


@dataclass(frozen=True)
class FontSource:
    path: str  # absolute path of the font file
    index: int | None  # member of a collection (.ttc), None for a single font
    size: int
    mtime_ns: int


def _package_fonts() -> dict[str, str]:
    """The fonts of the ``pylopdf_fonts_zh_cn`` package by role, if it is installed."""
    try:
        import pylopdf_fonts_zh_cn as package
    except ImportError:
        return {}
    found = {}
    for role, getter in (("body", package.serif_path), ("heading", package.sans_path)):
        try:
            found[role] = os.fspath(getter())
        except Exception:  # a broken installation is the same as none
            log.debug("pylopdf_fonts_zh_cn has no %s font", role, exc_info=True)
    return found


def _font_dirs() -> list[Path]:
    """The system's and the user's font folders."""
    home = Path.home()
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
        dirs = [Path(windir) / "Fonts"]
        if os.environ.get("LOCALAPPDATA"):
            dirs.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    data_home = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    data_dirs = (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
    dirs = [Path(data_home) / "fonts", home / ".fonts"]
    dirs += [Path(d) / "fonts" for d in data_dirs if d]
    return dirs


@cache
def font_index(dirs: tuple[str, ...]) -> dict[str, str]:
    """Font files under ``dirs`` by lower-case file name (the first found wins)."""
    index: dict[str, str] = {}
    for top in dirs:
        for folder, _subdirs, files in os.walk(top):
            for name in files:
                lower = name.lower()
                if lower.endswith(_FONT_SUFFIXES):
                    index.setdefault(lower, os.path.join(folder, name))
    return index


def _system_fonts(names: tuple[str, ...]) -> list[str]:
    index = font_index(tuple(str(d) for d in _font_dirs()))
    return [index[name] for name in names if name in index]


def candidates(role: str) -> list[str]:
    """Font files to try for ``role``, best first: the package's font for the role, the
    system's fonts for the role, then those of the other role."""
    package = _package_fonts()
    other = "heading" if role == "body" else "body"
    own_files, other_files = (
        (_BODY_FILES, _HEADING_FILES) if role == "body" else (_HEADING_FILES, _BODY_FILES)
    )
    paths = [package[role]] if role in package else []
    paths += _system_fonts(own_files)
    paths += [package[other]] if other in package else []
    paths += _system_fonts(other_files)
    return list(dict.fromkeys(paths))


def fallback_candidates() -> list[str]:
    return _system_fonts(_FALLBACK_FILES)


def no_font_message() -> str:
    looked = ["pylopdf_fonts_zh_cn (Noto Serif SC, Noto Sans SC)"]
    looked += _BODY_FILES + _HEADING_FILES
    return _(
        "No Chinese font was found. Looked for: {fonts} (in {folders}). Install the "
        "pylopdf-fonts-zh-cn package or choose a font file in the settings."
    ).format(fonts=", ".join(looked), folders=", ".join(str(d) for d in _font_dirs()))


def font_source(path: str | os.PathLike[str]) -> FontSource:
    """Check that ``path`` is a font file; for a collection, pick its Simplified Chinese member."""
    p = Path(os.fspath(path)).expanduser()
    try:
        st = check_input(p, MAX_FONT_BYTES)  # a pipe would block, /dev/zero never end
    except InputError as exc:
        raise FontError(exc.reason, p) from None
    try:
        with p.open("rb") as handle:
            magic = handle.read(4)
    except FileNotFoundError:
        raise FontError(_("no such file"), p) from None
    except PermissionError:
        raise FontError(_("cannot be read: permission denied"), p) from None
    except OSError as exc:
        raise FontError(
            _("cannot be read: {reason}").format(reason=exc.strerror or exc), p
        ) from None
    if magic not in _FONT_MAGIC:
        raise FontError(
            _("is not a font file (expected a TrueType or OpenType font: .ttf, .otf, .ttc)"), p
        )
    absolute = os.path.abspath(p)
    index = _pick_subfont(absolute, st) if magic == b"ttcf" else None
    return FontSource(absolute, index, st.st_size, st.st_mtime_ns)


def _pick_subfont(path: str, st: os.stat_result) -> int:
    """The member of a TTC collection that is the Simplified Chinese regular face, by its names
    (``Noto Serif CJK SC``, ``Songti SC``, ``SimSun``, ``AR PL UMing CN`` …), never blindly 0."""
    memo_key = (path, st.st_size, st.st_mtime_ns)
    if memo_key in subfont_memo:
        return subfont_memo[memo_key]
    from fontTools.ttLib import TTCollection

    try:
        with TTCollection(path, lazy=True) as collection:
            scores = [_subfont_score(font) for font in collection.fonts]
    except Exception as exc:
        raise FontError(
            _("is a damaged font collection: {reason}").format(reason=exc), path
        ) from exc
    if not scores:
        raise FontError(_("is an empty font collection"), path)
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    subfont_memo[memo_key] = best
    return best


def _subfont_score(font) -> int:
    names = font["name"]
    words = " ".join(names.getDebugName(i) or "" for i in (1, 2, 4, 6, 16, 17))
    tokens = {t.lower() for t in re.split(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])", words) if t}
    score = 0
    if tokens & _SIMPLIFIED_TOKENS or "simplified" in words.lower():
        score += 100
    if tokens & _OTHER_TOKENS:
        score -= 50
    if "mono" in tokens or "ui" in tokens:
        score -= 5
    style = (names.getDebugName(17) or names.getDebugName(2) or "").lower()
    if style in ("regular", "book", "normal", "roman"):
        score += 3
    if "OS/2" in font and getattr(font["OS/2"], "ulCodePageRange1", 0) & (1 << 18):
        score += 10  # code page 936 (GB2312)
    return score

