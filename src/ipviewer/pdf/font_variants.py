"""Variants of a registered subset font with narrower punctuation, for typesetting.

A Simplified Chinese font sets punctuation and curly quotes full-width: an em box with the
ink in one half. Typesetting needs two narrower forms of the same glyphs:

* :data:`HALF` — the squeezed forms of 标点挤压: a closing mark (，。」）”…) keeps its left
  half, an opening mark (（《「“…) its right half, moved to the left; each is half an em.
* :data:`LATIN` — curly quotes as English sets them: proportional, the ink with a little
  room on each side (the Latin glyphs of the font are proportional already).

Drawing a narrower glyph from its own font, rather than moving the pen back over the white,
keeps the PDF's glyph boxes true: text extraction and search see the words as they are.
:func:`variant` derives the font (fontTools, from the subset reportlab already holds),
registers it under ``<name>-half`` / ``<name>-latin`` and returns its name — the font's
own name when the font has no full-width marks to narrow, or cannot be changed.
"""

from __future__ import annotations

import hashlib
import io
import logging

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth

from .font_cache import CACHE_FORMAT, default_cache_dir, read_cache, write_cache
from .font_subset import load_subset
from .to_unicode import UnicodeTTFont

__all__ = ["HALF", "LATIN", "variant"]

log = logging.getLogger(__name__)

HALF, LATIN = "half", "latin"

#: Closing marks with their ink in the left half of the em (half form: the left half).
HALF_CLOSING = "，。、；：？！）》」』】〕〉〗〙”’"
#: Opening marks with their ink in the right half (half form: the right half, moved left).
HALF_OPENING = "（《「『【〔〈〖〘“‘"
LATIN_QUOTES = "‘’“”"

_memo: dict[tuple[str, str], str] = {}


def variant(name: str, kind: str) -> str:
    """The registered name of font ``name``'s ``kind`` variant (``name`` if none)."""
    key = (name, kind)
    found = _memo.get(key)
    if found is not None:
        return found
    result = name
    chars = (HALF_CLOSING + HALF_OPENING) if kind == HALF else LATIN_QUOTES
    try:
        font = pdfmetrics.getFont(name)
        if all(stringWidth(ch, name, 1000) < 900 for ch in chars):  # nothing full-width
            _memo[key] = name
            return name
        data = getattr(getattr(font, "face", None), "_ttf_data", None)
        if data is not None:
            new_name = f"{name}-{kind}"
            if new_name in pdfmetrics.getRegisteredFontNames():
                result = new_name
            else:
                derived = _derived(data, kind, new_name)
                if derived is not None:
                    pdfmetrics.registerFont(derived)
                    result = new_name
    except Exception as exc:  # noqa: BLE001 (a font we cannot change is set as it is)
        log.info("no %s variant of %s: %s", kind, name, exc)
    _memo[key] = result
    _memo[(result, kind)] = result
    return result


def _derived(data: bytes, kind: str, new_name: str) -> UnicodeTTFont | None:
    """The ``kind`` variant of the subset ``data`` as a font, from the disk cache of
    converted fonts when an earlier export made it (deriving one takes 0.2–0.3 s, reading
    it a few ms), else made now and cached; None when nothing is narrower."""
    spec = b"\0".join([b"variant", str(CACHE_FORMAT).encode(), kind.encode(),
                        new_name.encode(), hashlib.sha256(data).digest()])
    key = hashlib.sha256(spec).hexdigest()[:32]
    cache_dir = default_cache_dir()
    cached = read_cache(cache_dir, key, name=new_name)
    if cached is not None:
        return cached
    changed = _narrowed(data, kind, new_name)
    if changed is None:
        return None
    write_cache(cache_dir, key, changed)
    return load_subset(changed, new_name)


def _narrowed(data: bytes, kind: str, new_name: str) -> bytes | None:
    """The font ``data`` with the marks of ``kind`` narrowed and renamed, or None."""
    from fontTools.ttLib import TTFont

    tt = TTFont(io.BytesIO(data), lazy=True)
    if "glyf" not in tt:
        return None
    upem = tt["head"].unitsPerEm
    cmap = tt.getBestCmap() or {}
    glyf, hmtx = tt["glyf"], tt["hmtx"]
    changed = False
    for ch in (HALF_CLOSING + HALF_OPENING) if kind == HALF else LATIN_QUOTES:
        glyph_name = cmap.get(ord(ch))
        if glyph_name is None:
            continue
        advance, _lsb = hmtx[glyph_name]
        glyph = glyf[glyph_name]
        if advance < 0.9 * upem or glyph.numberOfContours == 0:
            continue
        glyph.recalcBounds(glyf)
        x0, x1 = glyph.xMin, glyph.xMax
        if kind == HALF:
            half = advance / 2
            if ch in HALF_CLOSING and x1 <= half + 0.04 * upem:
                shift, new_advance = 0.0, half
            elif ch in HALF_OPENING and x0 >= half - 0.04 * upem:
                shift, new_advance = -half, half
            else:  # ink in the middle (a centred mark): nothing to take
                continue
        else:
            pad = 0.06 * upem
            shift, new_advance = pad - x0, (x1 - x0) + 2 * pad
        shift = round(shift)
        if shift:
            if glyph.isComposite():
                for component in glyph.components:
                    component.x += shift
            else:
                glyph.coordinates.translate((shift, 0))
            glyph.recalcBounds(glyf)
        hmtx[glyph_name] = (round(new_advance), glyph.xMin)
        changed = True
    if not changed:
        return None
    for record in tt["name"].names:
        if record.nameID in (4, 6):
            record.string = new_name
    out = io.BytesIO()
    tt.save(out)
    return out.getvalue()
