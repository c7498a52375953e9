"""Subsetting a font to a document's characters and converting its CFF outlines to TrueType
(``glyf``), which is all reportlab can embed (no Qt). Part of :mod:`.fonts`."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from pathlib import Path

from ipviewer.i18n import _

from ..script import is_han
from .font_files import FontError, FontSource
from .to_unicode import UnicodeTTFont

log = logging.getLogger(__name__)


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


_MAX_ERR = 1.0  # cu2qu tolerance in font units (1/1000 or 1/2048 em): invisible in print


def charset(text: str) -> str:
    """The sorted characters a subset must have: those of ``text`` and :data:`ALWAYS_KEPT`."""
    # Spaces stay (U+3000 and friends are drawn with the font: a missing one prints as the
    # .notdef box); control characters and lone surrogates go.
    chars = {ch for ch in set(text) if unicodedata.category(ch) not in ("Cc", "Cs")}
    chars.update(ALWAYS_KEPT)
    return "".join(sorted(chars))


def load_subset(data: bytes, label: str, validate: bool = False) -> UnicodeTTFont:
    """A reportlab font from converted bytes; its registered name is its PostScript name."""
    try:
        return UnicodeTTFont(_ps_name_of(data), io.BytesIO(data), validate=validate)
    except Exception as exc:
        raise FontError(_("cannot be converted: {reason}").format(reason=exc), label) from exc


def _ps_name_of(data: bytes) -> str:
    """The PostScript name of a converted subset (the registered name), read cheaply."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    return TTFontFile(io.BytesIO(data), charInfo=0).name.decode("ascii")


def convert(source: FontSource, chars: str, key: str) -> bytes:
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
    cjk = [ch for ch in chars if is_han(ch)]
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
