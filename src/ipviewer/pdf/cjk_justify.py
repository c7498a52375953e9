"""Chinese justification and punctuation squeezing (标点挤压) on reportlab's CJK lines.

Full-width punctuation draws its ink in one half of its em box: closing marks (，。」）…) in
the left half, opening marks (（《「“…) in the right half. Two of them side by side leave a
full em of white between them, so the empty half is taken away:

* :func:`pair_squeeze` — ``r[i]``, how much the gap after glyph ``i`` shrinks: half the
  width of a closing mark followed by another mark (``。」``, ``），``, ``。「``), or half the
  width of an opening mark that follows another opening mark (``（《``).
* a closing mark at the end of a line may lose its empty half too, when that lets it stay
  on the line instead of breaking (the line breaker in :mod:`.cjk` decides).

A squeezed mark is drawn from the half-width variant of its font (:mod:`.font_variants`),
so its glyph box is true. A justified line ends exactly at the right margin: the space left
over is spread evenly over the gaps between characters (never inside a Latin word or
number). Reportlab draws a line's frags one after another, so the spacing is the PDF
character spacing (``Tc``): :func:`spaced_units` puts a zero-width ``onDraw`` frag before
every run of glyphs that needs a different ``Tc``, and :func:`register_callbacks` teaches
the canvas what that frag does. Pure functions apart from the callback; no Qt.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from itertools import pairwise

from reportlab.lib.abag import ABag
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus.paragraph import cjkU

from .font_variants import HALF, variant

__all__ = [
    "CLOSE_SQUEEZE",
    "OPEN_SQUEEZE",
    "SPACING_CB",
    "half_unit",
    "is_injected",
    "kind_of",
    "line_adjustments",
    "pair_squeeze",
    "register_callbacks",
    "spaced_units",
]

#: Closing marks whose ink sits in the left half of a full-width box (Simplified Chinese).
CLOSE_SQUEEZE = frozenset("，。、；：？！）》」』】〕〉〗〙”’")
#: Opening marks whose ink sits in the right half of a full-width box.
OPEN_SQUEEZE = frozenset("（《「『【〔〈〖〘“‘")

#: The canvas callback name of the zero-width frags that set the character spacing.
SPACING_CB = "ipv_char_space"

CLOSE, OPEN = 1, 2


def kind_of(char: str, width: float, font: str, font_size: float) -> int:
    """CLOSE or OPEN for a full-width mark (``width`` ≈ its em) whose font has a half-width
    form of it, else 0."""
    if char in CLOSE_SQUEEZE:
        kind = CLOSE
    elif char in OPEN_SQUEEZE:
        kind = OPEN
    else:
        return 0
    if width < 0.9 * font_size:  # a proportional quote from a Latin font: nothing to take
        return 0
    half = variant(font, HALF)
    if half == font or stringWidth(char, half, font_size) > 0.6 * font_size:
        return 0
    return kind


def pair_squeeze(kinds: Sequence[int], widths: Sequence[float]) -> list[float]:
    """``r[i]``: how much the advance from glyph ``i`` to glyph ``i + 1`` shrinks."""
    n = len(kinds)
    r = [0.0] * n
    for i in range(n - 1):
        a, b = kinds[i], kinds[i + 1]
        if a == CLOSE and b:
            r[i] = widths[i] / 2
        elif a == OPEN and b == OPEN:
            r[i] = widths[i + 1] / 2
    return r


def _joins(a: str, b: str) -> bool:
    """True between two characters of one Latin word or number (no spacing there)."""
    return (not a.isspace() and not b.isspace()
            and unicodedata.east_asian_width(a) not in ("W", "F")
            and unicodedata.east_asian_width(b) not in ("W", "F"))


def is_injected(frag) -> bool:
    """A spacing frag added by :func:`spaced_units` (dropped when lines are re-broken)."""
    return getattr(frag, "_ipv_spacing", False)


def _spacing_unit(frag, value: float) -> cjkU:
    f = frag.clone()
    f.text = ""
    f.cbDefn = ABag(kind="onDraw", name=SPACING_CB, label=f"{value:.4f}", width=0)
    f._ipv_spacing = True
    return cjkU("", f, "utf8")


def spaced_units(units: Sequence[cjkU], adjust: Sequence[float]) -> list[cjkU]:
    """``units`` with a spacing frag before each run whose ``adjust`` (space added after
    each glyph, negative to squeeze) differs from the one before, and a reset at the end."""
    out: list[cjkU] = []
    current = 0.0
    for u, a in zip(units, adjust):
        if u and abs(a - current) > 1e-4:
            out.append(_spacing_unit(u.frag, a))
            current = a
        out.append(u)
    if abs(current) > 1e-4 and out:
        out.append(_spacing_unit(out[-1].frag, 0.0))
    return out


def line_adjustments(text: Sequence[str], extra: float) -> list[float]:
    """The space after each glyph of a line: an even share of ``extra`` on every gap that
    may widen. ``text`` holds one character per glyph ('' for zero-width frags such as
    anchors); a gap inside a Latin word or number never widens."""
    adjust = [0.0] * len(text)
    visible = [i for i, ch in enumerate(text) if ch]
    if extra > 1e-6 and len(visible) > 1:
        gaps = [i for i, j in pairwise(visible) if not _joins(text[i], text[j])]
        if gaps:
            share = extra / len(gaps)
            for i in gaps:
                adjust[i] += share
    return adjust


def half_unit(u: cjkU) -> cjkU:
    """Glyph ``u`` drawn from the half-width variant of its font (its width halved)."""
    f = u.frag.clone()
    f.fontName = variant(f.fontName, HALF)
    return cjkU(str(u), f, "utf8")


def _set_char_space(canvas, kind: str, label: str | None) -> None:
    info = getattr(canvas, "_curr_tx_info", None)
    if info and label is not None:
        info["tx"].setCharSpace(float(label))


def register_callbacks(canvas) -> None:
    """Let ``canvas`` draw the spacing frags (idempotent)."""
    if canvas.getNamedCB(SPACING_CB) is None:
        canvas.setNamedCB(SPACING_CB, _set_char_space)
