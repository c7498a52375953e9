"""The fonts of the PDF export: find, subset, convert to TrueType, cache and register them.

reportlab embeds TrueType outlines only, and the Chinese fonts we ship (Noto Serif SC for the
body, Noto Sans SC for headings, from the ``pylopdf_fonts_zh_cn`` package) are OpenType/CFF.
:func:`prepare_fonts` takes the whole text of a document and, for each role:

1. finds a font: the user's setting, then the package, then common system fonts (for a TTC
   collection the Simplified Chinese member, chosen by name);
2. keeps only the glyphs the document needs (plus Basic Latin and CJK punctuation), with
   :mod:`fontTools.subset`; CFF outlines of those glyphs are drawn through ``Cu2QuPen`` into
   ``TTGlyphPen`` (quadratic TrueType ``glyf``), so only the subset is ever converted;
3. caches the result on disk (key: font file, its size and mtime, the character set) and in
   memory, and registers it with reportlab under a name that contains the key's hash, so two
   documents with different glyph sets never share a font object.

Body and heading fonts form one reportlab family: ``<b>`` in a ``Paragraph`` set in the body
font switches to the heading font. A TrueType symbol font of the system (DejaVu Sans, Segoe UI
Symbol, Apple Symbols) is registered as the fallback for characters the Chinese font lacks;
:func:`font_runs` splits text into runs per font and :func:`missing_characters` lists what no
font can draw (emoji, usually), for the layout to report.

No Qt here. Everything is safe to call from a worker thread (one lock).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as ReportlabTTFont

from ipviewer.i18n import _
from ipviewer.input_files import InputError, check_input

log = logging.getLogger(__name__)

#: Bumped whenever the conversion changes: cache entries of other versions are never read.
CACHE_FORMAT = 1
#: Converted subsets kept on disk; the least recently used beyond this are deleted.
MAX_CACHE_FILES = 64
#: The reportlab name of the non-embedded last resort (Adobe's Simplified Chinese CID font).
CID_FONT = "STSong-Light"

#: Characters every subset keeps, whatever the text: Basic Latin (space and digits included),
#: the Chinese punctuation in use and a few symbols of statistics (page numbers, running heads
#: and other template text must still be passed to :func:`prepare_fonts`).
ALWAYS_KEPT = (
    "".join(map(chr, range(0x20, 0x7F)))
    + "\u00a0\u00a5\u00b0\u00b1\u00b7\u00d7\u00f7"
    + "\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2030\u2103\u2160\u2161\u2162\u2163\u2164"
    + "\u3000\u3001\u3002\u3003\u3005\u3008\u3009\u300a\u300b\u300c\u300d\u300e\u300f"
    + "\u3010\u3011\u3014\u3015\u3016\u3017\u301c\u301d\u301e\u301f"  # 、。〃々〈〉《》「」…
    + "".join(map(chr, range(0xFF01, 0xFF21)))  # full-width punctuation and digits
    + "\uff3b\uff3c\uff3d\uff3e\uff3f\uff40\uff5b\uff5c\uff5d\uff5e\uffe5"
)

# Tables a converted subset keeps (the rest — layout, vertical metrics, bitmaps, variations,
# signatures — is dropped before subsetting, so it is never even decompiled).
_KEEP_TABLES = frozenset(
    {"cmap", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post", "glyf", "loca",
     "CFF ", "CFF2", "cvt ", "fpgm", "prep", "gasp"}
)  # fmt: skip
_OUTLINE_TABLES = frozenset({"glyf", "CFF ", "CFF2"})
_COLOUR_TABLES = frozenset({"COLR", "CBDT", "CBLC", "sbix", "SVG "})
#: The largest font file accepted (CJK collections are 20–150 MB).
MAX_FONT_BYTES = 512 * 1024 * 1024
_FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2")
_MAX_ERR = 1.0  # cu2qu tolerance in font units (1/1000 or 1/2048 em): invisible in print

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

_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))

_lock = threading.RLock()
_memo: dict[str, str] = {}  # cache key -> registered font name (this process)
_subfont_memo: dict[tuple[str, int, int], int] = {}  # (path, size, mtime) -> collection member
_fallback_memo: dict[tuple[str, int, int], str] = {}  # (path, size, mtime) -> registered name


class FontError(Exception):
    """A font that cannot be used; ``str()`` names the file (when there is one) and the reason."""

    def __init__(self, reason: str, path: str | os.PathLike[str] | None = None) -> None:
        self.path = os.fspath(path) if path is not None else None
        self.reason = reason
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


@dataclass
class FontSet:
    """The registered reportlab fonts of one export."""

    body: str  #: registered font name for body text
    heading: str  #: registered font name for headings (also the family's bold)
    family: str  #: family: normal/italic = body, bold/boldItalic = heading
    fallback: str | None  #: font for characters the body font lacks (symbols), or None
    embedded: bool  #: False only for the non-embedded STSong-Light CID fallback
    sources: dict[str, str]  #: role ("body", "heading", "fallback") -> file path or CID name
    warnings: list[str]  #: translated messages for the export report
    conversions: int = 0  #: fonts subset and converted from their source by this call
    cache_reads: int = 0  #: fonts read from the disk cache by this call


@dataclass(frozen=True)
class _Source:
    path: str  # absolute path of the font file
    index: int | None  # member of a collection (.ttc), None for a single font
    size: int
    mtime_ns: int


class _Counters:
    def __init__(self) -> None:
        self.conversions = 0
        self.cache_reads = 0


# --------------------------------------------------------------------------- public API


def prepare_fonts(
    text: str,
    *,
    body_path: str | os.PathLike[str] | None = None,
    heading_path: str | os.PathLike[str] | None = None,
    allow_cid: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
    heading_text: str | None = None,
) -> FontSet:
    """Register fonts that can set ``text`` (all of a document's text: body, headings, running
    heads, table cells, page-number templates) and return their names.

    ``body_path``/``heading_path`` are the user's settings; a bad one raises :class:`FontError`
    rather than being silently replaced. ``heading_text``, when given, is the only text set in
    the heading font (headings and ``<b>`` runs): a smaller subset, a faster first export.
    Without any Chinese font, ``allow_cid`` falls back to the non-embedded STSong-Light;
    otherwise :class:`FontError` says which fonts were looked for.

    Call it at the start of every export: reportlab maps a font name to one family globally,
    so the latest call decides what ``<b>`` in a paragraph set in ``body`` becomes. Repeated
    calls with the same text cost milliseconds (memory, then disk cache).
    """
    started = time.perf_counter()
    chars = _charset(text)
    heading_chars = chars if heading_text is None else _charset(heading_text)
    cache_path = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    counters = _Counters()
    warnings: list[str] = []
    with _lock:
        body = _prepare_role("body", body_path, chars, cache_path, counters)
        heading = _prepare_role("heading", heading_path, heading_chars, cache_path, counters)
        fallback = _prepare_fallback()
        if body is None and heading is None:
            if not allow_cid:
                raise FontError(_no_font_message())
            fonts = _cid_fontset(fallback)
        else:
            if heading is None:
                heading = _prepare_source(body[1], heading_chars, cache_path, counters)
                warnings.append(
                    _("No heading font was found: headings use the body font {font}.").format(
                        font=body[1].path
                    )
                )
            elif body is None:
                body = _prepare_source(heading[1], chars, cache_path, counters)
                warnings.append(
                    _("No body font was found: body text uses the heading font {font}.").format(
                        font=heading[1].path
                    )
                )
            elif body[1] == heading[1] and heading_path is None:
                warnings.append(
                    _(
                        "No separate heading font was found: headings use the body font {font}."
                    ).format(font=body[1].path)
                )
            fonts = FontSet(
                body=body[0],
                heading=heading[0],
                family=_register_family(body[0], heading[0]),
                fallback=fallback[0] if fallback else None,
                embedded=True,
                sources={"body": body[1].path, "heading": heading[1].path},
                warnings=[],
            )
            if fallback:
                fonts.sources["fallback"] = fallback[1]
    fonts.warnings[:0] = warnings
    fonts.conversions = counters.conversions
    fonts.cache_reads = counters.cache_reads
    log.debug(
        "fonts ready in %.3f s (%d converted, %d from the cache): %s",
        time.perf_counter() - started, counters.conversions, counters.cache_reads, fonts.sources,
    )  # fmt: skip
    return fonts


def missing_characters(text: str, fonts: FontSet) -> list[str]:
    """Characters of ``text`` (each once, in order of appearance) that neither the body font nor
    the fallback can draw; whitespace, control and format characters are not counted.

    The body font is a subset: characters that were not in the text given to
    :func:`prepare_fonts` are missing too.
    """
    body = _coverage(fonts.body)
    fallback = _coverage(fonts.fallback) if fonts.fallback else None
    seen: set[str] = set()
    missing: list[str] = []
    for ch in text:
        if ch in seen or _ignorable(ch):
            continue
        seen.add(ch)
        if not body(ch) and not (fallback and fallback(ch)):
            missing.append(ch)
    return missing


def font_runs(text: str, fonts: FontSet, *, base: str | None = None) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font name, run)`` pairs: runs the base font (default: the body
    font; pass ``fonts.heading`` for headings) can draw, and runs for the fallback font.

    Whitespace stays in the run it is in; a character no font has stays with the base font
    (it prints blank: :func:`missing_characters` reports it). Joining the runs gives ``text``.
    """
    base = base or fonts.body
    base_covers = _coverage(base)
    fallback_covers = _coverage(fonts.fallback) if fonts.fallback else None
    runs: list[tuple[str, str]] = []
    current = base
    start = 0
    for i, ch in enumerate(text):
        if _ignorable(ch):
            continue
        if fallback_covers and not base_covers(ch) and fallback_covers(ch):
            font = fonts.fallback
        else:
            font = base
        if font != current:
            if i > start:
                runs.append((current, text[start:i]))
            current, start = font, i
    if len(text) > start:
        runs.append((current, text[start:]))
    return runs


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


def clear_memo() -> None:
    """Forget what this process prepared (fonts stay registered with reportlab): the next
    :func:`prepare_fonts` goes to the disk cache again. For tests and diagnostics."""
    with _lock:
        _memo.clear()
        _subfont_memo.clear()
        _fallback_memo.clear()
        _font_index.cache_clear()


# --------------------------------------------------------------------------- finding fonts


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
def _font_index(dirs: tuple[str, ...]) -> dict[str, str]:
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
    index = _font_index(tuple(str(d) for d in _font_dirs()))
    return [index[name] for name in names if name in index]


def _candidates(role: str) -> list[str]:
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


def _fallback_candidates() -> list[str]:
    return _system_fonts(_FALLBACK_FILES)


def _no_font_message() -> str:
    looked = ["pylopdf_fonts_zh_cn (Noto Serif SC, Noto Sans SC)"]
    looked += _BODY_FILES + _HEADING_FILES
    return _(
        "No Chinese font was found. Looked for: {fonts} (in {folders}). Install the "
        "pylopdf-fonts-zh-cn package or choose a font file in the settings."
    ).format(fonts=", ".join(looked), folders=", ".join(str(d) for d in _font_dirs()))


def _source(path: str | os.PathLike[str]) -> _Source:
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
    return _Source(absolute, index, st.st_size, st.st_mtime_ns)


def _pick_subfont(path: str, st: os.stat_result) -> int:
    """The member of a TTC collection that is the Simplified Chinese regular face, by its names
    (``Noto Serif CJK SC``, ``Songti SC``, ``SimSun``, ``AR PL UMing CN`` …), never blindly 0."""
    memo_key = (path, st.st_size, st.st_mtime_ns)
    if memo_key in _subfont_memo:
        return _subfont_memo[memo_key]
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
    _subfont_memo[memo_key] = best
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


# --------------------------------------------------------------------------- preparing fonts


def _prepare_role(role, explicit, chars, cache_dir, counters) -> tuple[str, _Source] | None:
    """The registered font and its source for ``role``; None when no candidate works."""
    if explicit is not None:
        source = _source(explicit)
        return _prepare_source(source, chars, cache_dir, counters)
    for path in _candidates(role):
        try:
            source = _source(path)
            return _prepare_source(source, chars, cache_dir, counters)
        except FontError as exc:
            log.info("skipping %s font %s", role, exc)
    return None


def _prepare_source(source: _Source, chars, cache_dir, counters) -> tuple[str, _Source]:
    """Register the subset of ``source`` for ``chars``: from memory, the disk cache, or new."""
    key = _cache_key(source, chars)
    name = _memo.get(key)
    if name is None:
        font = _read_cache(cache_dir, key)
        if font is not None:
            counters.cache_reads += 1
        else:
            data = _convert(source, chars, key)
            counters.conversions += 1
            font = _load(data, source.path)
            _write_cache(cache_dir, key, data)
        name = font.fontName
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(font)
        _memo[key] = name
    return name, source


def _cache_key(source: _Source, chars: str) -> str:
    spec = "\0".join(
        [str(CACHE_FORMAT), source.path, str(source.index), str(source.size),
         str(source.mtime_ns), chars]
    )  # fmt: skip
    return hashlib.sha256(spec.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _charset(text: str) -> str:
    """The sorted characters a subset must have: those of ``text`` and :data:`ALWAYS_KEPT`."""
    # Spaces stay (U+3000 and friends are drawn with the font: a missing one prints as the
    # .notdef box); control characters and lone surrogates go.
    chars = {ch for ch in set(text) if unicodedata.category(ch) not in ("Cc", "Cs")}
    chars.update(ALWAYS_KEPT)
    return "".join(sorted(chars))


def _load(data: bytes, label: str, validate: bool = False) -> ReportlabTTFont:
    """A reportlab font from converted bytes; its registered name is its PostScript name."""
    try:
        return ReportlabTTFont(_ps_name_of(data), io.BytesIO(data), validate=validate)
    except Exception as exc:
        raise FontError(_("cannot be converted: {reason}").format(reason=exc), label) from exc


def _ps_name_of(data: bytes) -> str:
    """The PostScript name of a converted subset (the registered name), read cheaply."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    return TTFontFile(io.BytesIO(data), charInfo=0).name.decode("ascii")


def _convert(source: _Source, chars: str, key: str) -> bytes:
    """Subset ``source`` to ``chars`` and convert CFF outlines to TrueType; the font's
    PostScript name gets the key's hash, so reportlab never confuses two subsets."""
    from fontTools.ttLib import TTFont, TTLibError

    path = source.path
    try:
        font = TTFont(path, fontNumber=-1 if source.index is None else source.index, lazy=True)
    except (TTLibError, OSError, ValueError, IndexError) as exc:
        raise FontError(_("is not a readable font: {reason}").format(reason=exc), path) from exc
    try:
        return _convert_font(font, path, chars, key)
    except FontError:
        raise
    except Exception as exc:  # fontTools raises many kinds on damaged fonts
        log.debug("conversion of %s failed", path, exc_info=True)
        raise FontError(_("cannot be converted: {reason}").format(reason=exc), path) from exc
    finally:
        font.close()


def _convert_font(font, path: str, chars: str, key: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import OPTIMIZE_FONT_SPEED

    tags = set(font.keys())
    if tags & _COLOUR_TABLES:
        raise FontError(_("is a colour (emoji) font; choose a text font"), path)
    if not tags & _OUTLINE_TABLES:
        raise FontError(_("has no outlines (a bitmap-only font); choose an outline font"), path)
    if "OS/2" in font:
        fs_type = font["OS/2"].fsType
        if fs_type & 0x000F == 0x0002 or fs_type & 0x0300:
            raise FontError(
                # L10N: fsType is the font's embedding-permission field (keep it untranslated).
                _("its licence does not allow embedding it in a PDF (fsType {value})").format(
                    value=f"0x{fs_type:04x}"
                ),
                path,
            )
    cmap = font.getBestCmap()
    if not cmap:
        raise FontError(_("has no Unicode character map"), path)
    cjk = [ch for ch in chars if _is_cjk(ch)]
    covered = sum(1 for ch in cjk if ord(ch) in cmap)
    if cjk and covered * 2 < len(cjk):
        raise FontError(
            _("has no Chinese glyphs for this text ({covered} of {total} characters)").format(
                covered=covered, total=len(cjk)
            ),
            path,
        )
    for tag in tags - _KEEP_TABLES - {"GlyphOrder"}:
        del font[tag]

    unicodes = [ord(ch) for ch in chars if ord(ch) in cmap]
    options = subset.Options()
    options.layout_features = []
    options.layout_closure = False
    options.notdef_outline = True
    options.recalc_bounds = True
    options.drop_tables = sorted(set(options.drop_tables) | (tags - _KEEP_TABLES))
    subsetter = subset.Subsetter(options)
    converted = "CFF " in font or "CFF2" in font
    if converted:
        glyph_names = _cff_to_glyf(font, [cmap[u] for u in unicodes])
        options.hinting = False  # converted outlines have no TrueType instructions
        subsetter.populate(glyphs=glyph_names)
    else:
        subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    if converted:
        _sync_side_bearings(font)

    names = font["name"]
    base = re.sub(r"[^A-Za-z0-9._-]", "", names.getDebugName(6) or Path(path).stem) or "Font"
    ps_name = f"{base[:48]}-{key[:8]}"
    names.removeNames(nameID=6)
    names.setName(ps_name, 6, 3, 1, 0x409)
    names.setName(ps_name, 6, 1, 0, 0)
    font.cfg[OPTIMIZE_FONT_SPEED] = True  # simpler glyph packing: reportlab re-subsets anyway
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cff_to_glyf(font, wanted: list[str]) -> list[str]:
    """Replace the CFF/CFF2 table of ``font`` by a ``glyf`` table holding the ``wanted``
    glyphs (and .notdef, and any components) as quadratic TrueType outlines; other glyphs
    are left out, so the caller must subset to the returned names."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    todo = [order[0], *wanted]
    while todo:
        name = todo.pop()
        if name in glyphs or name not in glyph_set:
            continue
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, _MAX_ERR, reverse_direction=True))
        glyph = pen.glyph()
        glyphs[name] = glyph
        if glyph.isComposite():  # seac accents in old Type 1 style CFF
            todo.extend(c.glyphName for c in glyph.components)

    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "CFF2", "VORG", "VVAR", "HVAR", "MVAR", "fvar", "avar", "STAT", "gvar"):
        if tag in font:
            del font[tag]
    font["head"].glyphDataFormat = 0
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
                 "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
                 "maxComponentDepth"):  # fmt: skip
        setattr(maxp, attr, 0)
    maxp.maxZones = 1  # the rest is recalculated from 'glyf' on save
    # reportlab reads post 1–4 and writes its own 3.0 into the PDF: no glyph names needed.
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    return list(glyphs)


def _sync_side_bearings(font) -> None:
    """TrueType wants each glyph's left side bearing equal to its xMin."""
    glyf = font["glyf"]
    metrics = font["hmtx"].metrics
    for name, (advance, _lsb) in metrics.items():
        glyph = glyf[name]
        if glyph.numberOfContours:
            glyph.recalcBounds(glyf)
            metrics[name] = (advance, glyph.xMin)
        else:
            metrics[name] = (advance, 0)


# --------------------------------------------------------------------------- disk cache


def _read_cache(cache_dir: Path, key: str) -> ReportlabTTFont | None:
    """The cached subset for ``key``, or None; a damaged file is deleted (and rebuilt)."""
    path = cache_dir / f"{key}.ttf"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        font = _load(data, str(path), validate=True)  # checksums catch torn or altered files
        if not font.fontName.endswith(f"-{key[:8]}") or not font.face.charToGlyph:
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


def _write_cache(cache_dir: Path, key: str, data: bytes) -> None:
    """Store a subset atomically (temporary file, then ``os.replace``); failures only cost
    speed, so they are logged, not raised."""
    tmp = None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=cache_dir, prefix=f".{key}.", suffix=".tmp", delete=False
        ) as handle:
            tmp = handle.name
            handle.write(data)
        os.replace(tmp, cache_dir / f"{key}.ttf")
        tmp = None
        _prune_cache(cache_dir)
    except OSError as exc:
        log.warning("cannot write the font cache in %s: %s", cache_dir, exc)
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


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


# --------------------------------------------------------------------------- fallback, CID


def _prepare_fallback() -> tuple[str, str] | None:
    """A TrueType symbol font of the system, registered as is: (name, path), or None."""
    for path in _fallback_candidates():
        try:
            st = os.stat(path)
            memo_key = (os.path.abspath(path), st.st_size, st.st_mtime_ns)
            name = _fallback_memo.get(memo_key)
            if name is None:
                digest = hashlib.sha256(repr(memo_key).encode()).hexdigest()[:8]
                stem = re.sub(r"[^A-Za-z0-9-]", "", Path(path).stem) or "Fallback"
                name = f"{stem}-fallback-{digest}"
                if name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(ReportlabTTFont(name, path))
                _fallback_memo[memo_key] = name
            return name, path
        except Exception as exc:  # noqa: BLE001 (CFF, damaged, restricted: try the next one)
            log.info("skipping fallback font %s: %s", path, exc)
    return None


def _cid_fontset(fallback: tuple[str, str] | None) -> FontSet:
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    family = _register_family(CID_FONT, CID_FONT)
    sources = {"body": CID_FONT, "heading": CID_FONT}
    if fallback:
        sources["fallback"] = fallback[1]
    return FontSet(
        body=CID_FONT,
        heading=CID_FONT,
        family=family,
        fallback=fallback[0] if fallback else None,
        embedded=False,
        sources=sources,
        warnings=[
            _(
                "No Chinese font was found, so the PDF uses the STSong-Light font without "
                "embedding it. It is not print-ready: a printer or reader without that font "
                "substitutes another one."
            )
        ],
    )


def _register_family(body: str, heading: str) -> str:
    """Register body/heading as one family (``<b>`` → heading); same names, same family."""
    family = "ipviewer-" + hashlib.sha256(f"{body}\0{heading}".encode()).hexdigest()[:10]
    pdfmetrics.registerFontFamily(
        family, normal=body, bold=heading, italic=body, boldItalic=heading
    )
    return family


# --------------------------------------------------------------------------- coverage


def _coverage(font_name: str) -> Callable[[str], bool]:
    """A test "can the registered font ``font_name`` draw this character?"."""
    font = pdfmetrics.getFont(font_name)
    char_to_glyph = getattr(getattr(font, "face", None), "charToGlyph", None)
    if char_to_glyph is not None:
        return lambda ch: ord(ch) in char_to_glyph
    # A CID font (STSong-Light) lives in the reader: its coverage cannot be checked here.
    # Assume the Basic Multilingual Plane minus private use and unassigned code points.
    return lambda ch: ord(ch) < 0x10000 and unicodedata.category(ch) not in ("Co", "Cs", "Cn")


def _ignorable(ch: str) -> bool:
    """Whitespace, control and format characters and variation selectors: nothing to draw."""
    if ch.isspace():
        return True
    code = ord(ch)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return True
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs")


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _CJK_RANGES)


__all__ = [
    "ALWAYS_KEPT",
    "CID_FONT",
    "FontError",
    "FontSet",
    "clear_memo",
    "default_cache_dir",
    "font_runs",
    "missing_characters",
    "prepare_fonts",
]
