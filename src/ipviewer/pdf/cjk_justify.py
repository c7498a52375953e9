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
    "is_narrow",
    "justified_units",
    "kind_of",
    "pair_squeeze",
    "register_callbacks",
    "spacing_plan",
    "spacing_unit",
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
    for i in [i for i, k in enumerate(kinds) if k]:  # marks are few
        if i + 1 >= n:
            break
        a, b = kinds[i], kinds[i + 1]
        if a == CLOSE and b:
            r[i] = widths[i] / 2
        elif a == OPEN and b == OPEN:
            r[i] = widths[i + 1] / 2
    return r


_NARROW: dict[str, bool] = {}


def is_narrow(ch: str) -> bool:
    """A character of a Latin word or number (not wide, not space), remembered."""
    found = _NARROW.get(ch)
    if found is None:
        found = _NARROW[ch] = (not ch.isspace()
                               and unicodedata.east_asian_width(ch) not in ("W", "F"))
    return found


def is_injected(frag) -> bool:
    """A spacing frag added by :func:`justified_units` (dropped when lines are re-broken)."""
    return getattr(frag, "_ipv_spacing", False)


#: Spacing units by (font, size, spacing): the same few serve every line (never changed).
#: Reportlab ends a line after the frag that *is* its last word, so a line's last spacing
#: unit is always a new one (:func:`_new_spacing_unit`).
_SPACING: dict[tuple[str, float, str], cjkU] = {}


def _new_spacing_unit(frag, label: str) -> cjkU:
    f = frag.clone()
    f.text = ""
    f.cbDefn = ABag(kind="onDraw", name=SPACING_CB, label=label, width=0)
    f._ipv_spacing = True
    return cjkU("", f, "utf8")


def spacing_unit(frag, value: float, last: bool = False) -> cjkU:
    label = f"{value:.4f}"
    if last:
        return _new_spacing_unit(frag, label)
    key = (frag.fontName, frag.fontSize, label)
    unit = _SPACING.get(key)
    if unit is None:
        if len(_SPACING) > 20000:
            _SPACING.clear()
        unit = _SPACING[key] = _new_spacing_unit(frag, label)
    return unit


def spacing_plan(n: int, narrow_at: Sequence[int]) -> tuple[int, list[tuple[int, bool]]]:
    """How a line of ``n`` glyphs is justified: the number of gaps that widen, and where the
    widening starts (True) or stops (False), in order. ``narrow_at`` lists the glyphs that
    belong to a Latin word or number: the gaps between two of them stay as they are."""
    runs: list[list[int]] = []  # runs of 2+ narrow glyphs: no spacing inside
    for i in narrow_at:
        if runs and runs[-1][1] == i:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    changes: list[tuple[int, bool]] = [(0, True)]
    gaps = n - 1
    for s, e in runs:
        if e - s < 2:
            continue
        gaps -= e - s - 1
        changes.append((s, False))
        if e < n:  # the run's last glyph widens its gap to what follows
            changes.append((e - 1, True))
    if len(changes) > 1 and changes[1][0] == 0:  # a Latin run starts the line
        changes.pop(0)
    return gaps, changes


def justified_units(units: Sequence[cjkU], extra: float,
                    narrow_at: Sequence[int] | None = None) -> list[cjkU]:
    """``units`` of a line spread by ``extra`` points: an even share after every glyph whose
    gap to the next may widen — all but the gaps inside a Latin word or number — set with a
    spacing frag where the share starts or stops applying (:func:`spacing_plan`).
    ``narrow_at``, when known, lists (in order) the units that are characters of a Latin
    word or number."""
    n = len(units)
    if n < 2 or extra <= 1e-6:
        return list(units)
    if not all(units):  # zero-width units (anchors, images): look at each gap
        return _justified_slowly(units, extra)
    if narrow_at is None:
        narrow_at = [i for i, u in enumerate(units) if is_narrow(u)]
    gaps, changes = spacing_plan(n, narrow_at)
    if gaps <= 0:
        return list(units)
    share = extra / gaps
    frag = units[0]._frag
    out: list[cjkU] = []
    pos = 0
    on = False
    for at, widen in changes:
        out.extend(units[pos:at])
        out.append(spacing_unit(frag, share if widen else 0.0))
        pos, on = at, widen
    out.extend(units[pos:])
    if on:
        out.append(spacing_unit(frag, 0.0, last=True))
    return out


def _justified_slowly(units: Sequence[cjkU], extra: float) -> list[cjkU]:
    """:func:`justified_units` for lines with zero-width units, gap by gap."""
    visible = [i for i, u in enumerate(units) if u]
    if len(visible) < 2:
        return list(units)
    expand = [False] * len(units)
    gaps = 0
    for i, j in pairwise(visible):
        if not (is_narrow(units[i]) and is_narrow(units[j])):
            expand[i] = True
            gaps += 1
    if not gaps:
        return list(units)
    # nothing follows the last glyph: it keeps the spacing of the one before (no switch)
    expand[visible[-1]] = expand[visible[-2]]
    share = extra / gaps
    out: list[cjkU] = []
    current = False
    for u, e in zip(units, expand, strict=True):
        if u and e != current:
            out.append(spacing_unit(u._frag, share if e else 0.0))
            current = e
        out.append(u)
    if current:
        out.append(spacing_unit(out[-1]._frag, 0.0, last=True))
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
