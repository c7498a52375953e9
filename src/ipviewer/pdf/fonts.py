"""The fonts of the PDF export: find, subset, convert to TrueType, cache and register them.

reportlab embeds TrueType outlines only, and the Chinese fonts we ship (Noto Serif SC for the
body, Noto Sans SC for headings, from the ``pylopdf_fonts_zh_cn`` package) are OpenType/CFF.
:func:`prepare_fonts` takes the whole text of a document and, for each role:

1. finds a font (:mod:`.font_files`): the user's setting, then the package, then common system fonts (for a TTC
   collection the Simplified Chinese member, chosen by name);
2. keeps only the glyphs the document needs (:mod:`.font_subset`) (plus Basic Latin and CJK punctuation), with
   :mod:`fontTools.subset`; CFF outlines of those glyphs are drawn through ``Cu2QuPen`` into
   ``TTGlyphPen`` (quadratic TrueType ``glyf``), so only the subset is ever converted;
3. caches the result on disk (:mod:`.font_cache`; key: font file, its size and mtime, the character set) and in
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
import logging
import os
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from ipviewer.i18n import _

from .font_cache import cache_key, default_cache_dir, read_cache, write_cache
from .font_files import (
    MAX_FONT_BYTES,
    FontError,
    FontSource,
    candidates,
    fallback_candidates,
    font_index,
    font_source,
    no_font_message,
    subfont_memo,
)
from .font_subset import ALWAYS_KEPT, charset, convert, load_subset
from .to_unicode import UnicodeTTFont

log = logging.getLogger(__name__)

#: The reportlab name of the non-embedded last resort (Adobe's Simplified Chinese CID font).
CID_FONT = "STSong-Light"


_lock = threading.RLock()
_memo: dict[str, str] = {}  # cache key -> registered font name (this process)
_fallback_memo: dict[tuple[str, int, int], str] = {}  # (path, size, mtime) -> registered name


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
    chars = charset(text)
    heading_chars = chars if heading_text is None else charset(heading_text)
    cache_path = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    counters = _Counters()
    warnings: list[str] = []
    with _lock:
        body = _prepare_role("body", body_path, chars, cache_path, counters)
        heading = _prepare_role("heading", heading_path, heading_chars, cache_path, counters)
        fallback = _prepare_fallback()
        if body is None and heading is None:
            if not allow_cid:
                raise FontError(no_font_message())
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
    if not fallback_covers or all(base_covers(ch) or _ignorable(ch) or not fallback_covers(ch)
                                  for ch in set(text)):
        return [(base, text)] if text else []  # the usual case: one run, each letter seen once
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


def clear_memo() -> None:
    """Forget what this process prepared (fonts stay registered with reportlab): the next
    :func:`prepare_fonts` goes to the disk cache again. For tests and diagnostics."""
    with _lock:
        _memo.clear()
        subfont_memo.clear()
        _fallback_memo.clear()
        font_index.cache_clear()


# --------------------------------------------------------------------------- finding fonts


# --------------------------------------------------------------------------- preparing fonts


def _prepare_role(role, explicit, chars, cache_dir, counters) -> tuple[str, FontSource] | None:
    """The registered font and its source for ``role``; None when no candidate works."""
    if explicit is not None:
        source = font_source(explicit)
        return _prepare_source(source, chars, cache_dir, counters)
    for path in candidates(role):
        try:
            source = font_source(path)
            return _prepare_source(source, chars, cache_dir, counters)
        except FontError as exc:
            log.info("skipping %s font %s", role, exc)
    return None


def _prepare_source(source: FontSource, chars, cache_dir, counters) -> tuple[str, FontSource]:
    """Register the subset of ``source`` for ``chars``: from memory, the disk cache, or new."""
    key = cache_key(source, chars)
    name = _memo.get(key)
    if name is None:
        font = read_cache(cache_dir, key)
        if font is not None:
            counters.cache_reads += 1
        else:
            data = convert(source, chars, key)
            counters.conversions += 1
            font = load_subset(data, source.path)
            write_cache(cache_dir, key, data)
        name = font.fontName
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(font)
        _memo[key] = name
    return name, source


# --------------------------------------------------------------------------- disk cache


# --------------------------------------------------------------------------- fallback, CID


def _prepare_fallback() -> tuple[str, str] | None:
    """A TrueType symbol font of the system, registered as is: (name, path), or None."""
    for path in fallback_candidates():
        try:
            st = os.stat(path)
            memo_key = (os.path.abspath(path), st.st_size, st.st_mtime_ns)
            name = _fallback_memo.get(memo_key)
            if name is None:
                digest = hashlib.sha256(repr(memo_key).encode()).hexdigest()[:8]
                stem = re.sub(r"[^A-Za-z0-9-]", "", Path(path).stem) or "Fallback"
                name = f"{stem}-fallback-{digest}"
                if name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(UnicodeTTFont(name, path))
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


__all__ = [
    "ALWAYS_KEPT",
    "CID_FONT",
    "MAX_FONT_BYTES",
    "FontError",
    "FontSet",
    "clear_memo",
    "default_cache_dir",
    "font_runs",
    "missing_characters",
    "prepare_fonts",
]
