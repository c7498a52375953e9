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
character spacing (``Tc``): :func:`justified_units` puts a zero-width ``onDraw`` frag before
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
    "justified_units",
    "kind_of",
    "pair_squeeze",
    "register_callbacks",
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


_NARROW: dict[str, bool] = {}


def _narrow(ch: str) -> bool:
    """A character of a Latin word or number (not wide, not space), remembered."""
    found = _NARROW.get(ch)
    if found is None:
        found = _NARROW[ch] = (not ch.isspace()
                               and unicodedata.east_asian_width(ch) not in ("W", "F"))
    return found


def is_injected(frag) -> bool:
    """A spacing frag added by :func:`justified_units` (dropped when lines are re-broken)."""
    return getattr(frag, "_ipv_spacing", False)


def _spacing_unit(frag, value: float) -> cjkU:
    f = frag.clone()
    f.text = ""
    f.cbDefn = ABag(kind="onDraw", name=SPACING_CB, label=f"{value:.4f}", width=0)
    f._ipv_spacing = True
    return cjkU("", f, "utf8")


def justified_units(units: Sequence[cjkU], extra: float) -> list[cjkU]:
    """``units`` of a line spread by ``extra`` points: an even share after every glyph whose
    gap to the next may widen (never inside a Latin word or number), set with a spacing
    frag where the share starts or stops applying."""
    visible = [i for i, u in enumerate(units) if u]
    expand = [False] * len(units)
    gaps = 0
    for i, j in pairwise(visible):
        if not (_narrow(units[i]) and _narrow(units[j])):
            expand[i] = True
            gaps += 1
    if not gaps or extra <= 1e-6:
        return list(units)
    share = extra / gaps
    out: list[cjkU] = []
    current = False
    for u, e in zip(units, expand, strict=True):
        if u and e != current:
            out.append(_spacing_unit(u._frag, share if e else 0.0))
            current = e
        out.append(u)
    if current:
        out.append(_spacing_unit(out[-1]._frag, 0.0))
    return out


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
