"""Text for reportlab paragraphs: escaping, and Chinese line breaking done properly.

Two jobs, both needed before any report text reaches a ``Paragraph``:

* :func:`clean_text` / :func:`markup` — report text is *text*, never markup. ``Paragraph``
  parses XML-ish markup (``<img src=...>`` reads local files, ``<para>`` or an unclosed
  ``<b>`` breaks the layout), so every piece of user text is escaped here and control
  characters are removed; the only markup in a paragraph comes from our own templates.
* :class:`CJKParagraph` — reportlab's ``wordWrap='CJK'`` cuts "like a knife" between any two
  characters and only hangs a single closing mark; it happily starts a line with ``，`` after a
  Latin run, ends one with ``《`` and splits ``150,800件`` or ``15.08万`` between digits and
  unit. :class:`CJKParagraph` replaces that line breaker with one that only breaks where
  Chinese typesetting allows (:func:`break_opportunities`): never before closing punctuation,
  never after opening punctuation, never inside a number with its unit, a Latin word, a
  ``——`` or ``……``. Lines are otherwise filled greedily (:mod:`.cjk_lines`), the same line
  objects reportlab makes, so drawing, splitting across pages and ``blPara.lines`` work as
  usual; body paragraphs are justified and their punctuation squeezed (:mod:`.cjk_justify`).

Pure functions apart from the paragraph class; no Qt.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.platypus.paragraph import (
    Paragraph,
    ParaLines,
    _handleBulletWidth,
)

from .cjk_justify import register_callbacks
from .cjk_lines import break_frags
from .cjk_rules import (
    CLOSING,
    OPENING,
    break_opportunities,
    break_ranks,
    number_spans,
)

__all__ = [
    "CLOSING",
    "OPENING",
    "CJKParagraph",
    "break_opportunities",
    "break_ranks",
    "clean_text",
    "control_characters",
    "escape",
    "line_texts",
    "markup",
    "number_spans",
]

_CONTROL_KEEP = {"\t", "\n"}

#: Bidi overrides and isolates: they reorder what follows them (a "Trojan Source" trick).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_characters(text: str) -> list[str]:
    """The control and other invisible-format characters of ``text`` that we remove.

    Tab and newline are kept (they are white space); C0/C1 controls, lone surrogates, the
    non-characters U+FFFE/U+FFFF and the bidi overrides are not printable in a PDF.
    """
    found: list[str] = []
    for ch in text:
        if ch in _CONTROL_KEEP:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs") or ch in "\ufffe\uffff" or ch in _BIDI_CONTROLS:
            found.append(ch)
    return found


def clean_text(text: str) -> str:
    """``text`` without control characters (tab and newline kept), NFC-normalised."""
    bad = set(control_characters(text))
    if bad:
        text = "".join(ch for ch in text if ch not in bad)
    return unicodedata.normalize("NFC", text)


def escape(text: str) -> str:
    """``text`` made safe for reportlab's paragraph parser: ``& < >`` and quotes escaped."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def markup(text: str, runs: Sequence[tuple[str | None, str]] | None = None) -> str:
    """Paragraph markup for plain ``text``: escaped, line breaks as ``<br/>``.

    ``runs`` (``text`` cut into runs, as ``fonts.font_runs`` does) names, for each run,
    the font to switch to with ``<font name="...">``, or None to keep the paragraph's
    font. The font names come from our font set, never from the text.
    """
    if runs is None:
        runs = [(None, text)]
    out: list[str] = []
    for font, run in runs:
        body = escape(clean_text(run)).replace("\n", "<br/>")
        out.append(f'<font name="{escape(font)}">{body}</font>' if font else body)
    return "".join(out)


class CJKParagraph(Paragraph):
    """A ``Paragraph`` whose CJK line breaking follows :func:`break_opportunities`.

    Use it with a style whose ``wordWrap`` is ``'CJK'`` (Chinese styles only); with any
    other style it behaves exactly like ``Paragraph``. Lines are filled greedily; a
    line that cannot end where the text overflows ends at the last allowed break
    before it (the carried characters start the next line). Only when a line has no
    allowed break at all (a URL wider than the column) is it cut where it overflows.
    """

    def breakLinesCJK(self, maxWidths):
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        style = self.style
        self.height = 0
        _handleBulletWidth(self.bulletText, style, maxWidths)
        frags = self.frags
        if not frags:
            return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName,
                             textColor=style.textColor, lines=[], ascent=style.fontSize,
                             descent=-0.2 * style.fontSize)
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        calc_bounds = auto_leading not in ("", "off")
        # The contents page makes the document build twice, and keeping headings with
        # their text wraps paragraphs more than once: the same frags at the same widths
        # break the same way, so the lines are worked out once.
        key = (tuple(maxWidths), calc_bounds)
        cached = getattr(self, "_cjk_lines", None)
        if cached is not None and cached[0] == key and cached[1] is frags:
            return cached[2]
        justify = style.alignment == TA_JUSTIFY
        lines = ParaLines(kind=1, lines=break_frags(frags, maxWidths, calc_bounds, justify))
        self._cjk_lines = (key, frags, lines)
        return lines

    def breakLines(self, width):
        """Reportlab's line breaking for Latin text, worked out once per width (see
        :meth:`breakLinesCJK`); the attributes it sets are restored from the first run."""
        key = tuple(width) if isinstance(width, (list, tuple)) else (width,)
        cached = getattr(self, "_latin_lines", None)
        if cached is not None and cached[0] == key and cached[1] is self.frags:
            self.height = 0
            self._width_max = cached[3]
            return cached[2]
        lines = super().breakLines(width)
        self._latin_lines = (key, self.frags, lines, getattr(self, "_width_max", 0))
        return lines

    def draw(self):
        register_callbacks(self.canv)
        super().draw()

    def _get_split_blParaFunc(self):
        if self.style.wordWrap == "CJK" and self.blPara.kind == 1:
            return _split_cjk_lines
        return super()._get_split_blParaFunc()


def _split_cjk_lines(blPara, start: int, stop: int) -> list:
    """The frags of lines ``start:stop``, as they are (reportlab's own split adds a space
    at every line end, which is right for Latin text and wrong for Chinese)."""
    return [word for line in blPara.lines[start:stop] for word in line.words]


def line_texts(paragraph: Paragraph) -> list[str]:
    """The text of each line of a wrapped paragraph (for tests and checks)."""
    lines = paragraph.blPara.lines
    out = []
    for line in lines:
        if hasattr(line, "words"):
            out.append("".join(getattr(w, "text", "") for w in line.words))
        else:  # kind 0: (extraSpace, [words])
            out.append(" ".join(line[1]))
    return out
