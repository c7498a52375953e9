"""Every colour the PDF prints, in one place: RGB for the screen edition, CMYK for print.

The screen edition (a PDF read on a screen or printed on an office printer) uses DeviceRGB.
The print edition (``ipviewer export --print``, :mod:`.print_output`) must not contain any
RGB: a print shop separates the page into cyan, magenta, yellow and black plates, and RGB
black becomes a four-colour black that smears and misregisters on thin text. So for print:

* text, rules and greys are pure black ink (``0 0 0 1 k``, a grey is a tint of K);
* the colours of the design (the accent red, table shading, chart bars) are converted to
  CMYK once, here, and printed exactly as listed;
* crop and registration marks are in the Separation colour ``All``, which prints on every
  plate (reportlab's :class:`~reportlab.lib.colors.CMYKColorSep` with ``spotName="All"``).

:func:`palette` gives the :class:`Palette` of an edition; the layout, the styles, the
charts and the watermark take their colours from it and from nowhere else.
:func:`print_guard` is given to reportlab's canvas for the print edition: a colour reportlab
picks by itself (a chart's default label colour) goes through the same conversion, and
stray RGB cannot reach the plates.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import CMYKColor, CMYKColorSep, Color, HexColor, toColor

#: The design's colours as the screen edition shows them.
SCREEN_HEX = {
    "text": "#000000",
    "accent": "#8c1c13",  # the red of Chinese government publications
    "rule": "#9a9a9a",
    "header_fill": "#efe9e4",
    "muted": "#555555",  # second-language lines, chart units
    "subtitle": "#333333",
    "running": "#444444",  # running header and footer
    "bar": "#b9a49a",
    "grid": "#dddddd",
    "axis": "#888888",
}

#: The same colours for offset printing, converted once from sRGB with the output intent's
#: profile (FOGRA39L, :mod:`.print_output`, relative colorimetric, littleCMS): the colours of
#: the design as the profile gives them; neutral greys as black ink only, the tint of K whose
#: printed lightness (L*) is the screen grey's. Listed, not computed at run time, so the
#: plates carry exactly these values (``docs/print-output.md`` says how they were made).
PRINT_CMYK = {
    "text": (0, 0, 0, 1),
    "accent": (0, 0.96, 0.94, 0.47),
    "rule": (0, 0, 0, 0.53),
    "header_fill": (0.03, 0.05, 0.07, 0.07),
    "muted": (0, 0, 0, 0.83),
    "subtitle": (0, 0, 0, 0.97),
    "running": (0, 0, 0, 0.9),
    "bar": (0.07, 0.22, 0.23, 0.31),
    "grid": (0, 0, 0, 0.18),
    "axis": (0, 0, 0, 0.6),
}

#: The registration colour: prints on every plate (crop and registration marks only).
REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All")
#: The light grey of a draft's watermark (black ink in both editions).
WATERMARK_GREY = CMYKColor(0, 0, 0, 0.13)


@dataclass(frozen=True)
class Palette:
    """The colours of one edition, by role (reportlab colour objects)."""

    print_ready: bool
    text: Color
    accent: Color
    rule: Color
    header_fill: Color
    muted: Color
    subtitle: Color
    running: Color
    bar: Color
    grid: Color
    axis: Color
    marks: Color  # crop and registration marks
    watermark: Color

    def markup(self, role: str) -> str:
        """The colour of ``role`` as a paragraph's ``<font color="…">`` value."""
        colour = getattr(self, role)
        if isinstance(colour, CMYKColor):
            return "cmyk({},{},{},{})".format(*(_num(v) for v in colour.cmyk()))
        return colour.hexval().replace("0x", "#")


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _screen() -> Palette:
    roles = {name: HexColor(value) for name, value in SCREEN_HEX.items()}
    return Palette(print_ready=False, marks=HexColor("#000000"), watermark=WATERMARK_GREY,
                   **roles)


def _print() -> Palette:
    roles = {name: CMYKColor(*value) for name, value in PRINT_CMYK.items()}
    return Palette(print_ready=True, marks=REGISTRATION, watermark=WATERMARK_GREY, **roles)


SCREEN = _screen()
PRINT = _print()


def palette(print_ready: bool = False) -> Palette:
    """The colours of the print edition (CMYK) or of the screen edition (RGB)."""
    return PRINT if print_ready else SCREEN


def to_cmyk(colour: Color) -> CMYKColor:
    """``colour`` for the print edition: a colour of the palette keeps its listed CMYK
    value; any other RGB grey becomes a tint of black, any other RGB colour reportlab's
    naive conversion (under-colour removal)."""
    if isinstance(colour, CMYKColor):
        return colour
    hexval = colour.hexval().replace("0x", "#").lower()
    for name, value in SCREEN_HEX.items():
        if value == hexval:
            return getattr(PRINT, name)
    red, green, blue = colour.red, colour.green, colour.blue
    if red == green == blue:
        return CMYKColor(0, 0, 0, round(1 - red, 4), alpha=colour.alpha)
    black = 1 - max(red, green, blue)
    scale = 1 - black
    return CMYKColor(*(round((1 - c - black) / scale, 4) for c in (red, green, blue)),
                     round(black, 4), alpha=colour.alpha)


def print_guard(value) -> Color:
    """reportlab's ``enforceColorSpace`` for the print edition: every colour set on the
    canvas leaves it as CMYK (a separation colour stays as it is)."""
    colour = toColor(value)
    if isinstance(colour, CMYKColorSep | CMYKColor):
        return colour
    return to_cmyk(colour)
