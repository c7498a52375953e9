"""A draft's marks: the diagonal DRAFT / 草稿 on every page and "draft" in the metadata.

A draft is what ``ipviewer export --draft`` (and the window's "Export as Draft") prints from a
report the checks still find errors in (:mod:`.gate`). :mod:`.layout` calls
:func:`draw_watermark` from its page templates, which draw before the page's flowables: the
light grey words lie under the text and never hide it. The words are drawn in the PDF's own
embedded fonts (:mod:`.export` adds them to the characters the fonts are subset to).
"""

from __future__ import annotations

from collections.abc import Callable
from math import atan2, degrees, hypot

from reportlab.pdfbase.pdfmetrics import stringWidth

from .colours import WATERMARK_GREY
from .styles import LAYOUT_LANGS

#: The watermark of a draft, per report language (a bilingual draft prints both words).
WATERMARK = {"zh": "草稿", "en": "DRAFT"}
#: The metadata keyword every draft carries, whatever its language.
DRAFT_KEYWORD = "draft"
#: Light grey in black ink only: :data:`.colours.WATERMARK_GREY` (both editions).
#: The longest word spans this share of the page's diagonal, in at most MAX_SIZE points.
SPAN = 0.55
MAX_SIZE = 150.0

#: ``runs(text, font)``: the text cut into ``(font, run)`` pieces (a fallback font where the
#: given one lacks a glyph), as ``layout.FontRuns.draw_runs`` does.
Runs = Callable[[str, str], list[tuple[str, str]]]


def watermark_words(lang: str) -> tuple[str, ...]:
    """The words of a draft's watermark for an export in ``lang`` ('zh', 'en' or 'both')."""
    return tuple(WATERMARK[code] for code in LAYOUT_LANGS[lang])


def draft_metadata(title: str, subject: str, keywords: list[str],
                   lang: str) -> tuple[str, str, list[str]]:
    """The title, subject and keywords of a draft: each says it is one."""
    words = watermark_words(lang)
    marked = " / ".join(words)
    return f"{title} ({marked})", f"{marked}: {subject}", [*keywords, DRAFT_KEYWORD, *words]


def draw_watermark(canvas, pagesize: tuple[float, float], lang: str, font: str,
                   runs: Runs) -> None:
    """The words of :func:`watermark_words` across the page, corner to corner, centred."""
    width, height = pagesize
    words = watermark_words(lang)
    widest = max(_width(runs, word, font, 100) for word in words) or 1.0
    size = min(MAX_SIZE, SPAN * hypot(width, height) * 100 / widest)
    gap = size * 1.15
    canvas.saveState()
    canvas.setFillColor(WATERMARK_GREY)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(degrees(atan2(height, width)))
    top = (len(words) - 1) * gap / 2 - size * 0.35  # the block's middle on the page's
    for n, word in enumerate(words):
        pieces = runs(word, font)
        x = -_width(runs, word, font, size) / 2
        canvas.addLiteral(f"/Span <</ActualText <{_utf16_hex(word)}>>> BDC")
        for piece_font, piece in pieces:
            canvas.setFont(piece_font, size)
            canvas.drawString(x, top - n * gap, piece)
            x += stringWidth(piece, piece_font, size)
        canvas.addLiteral("EMC")
    canvas.restoreState()


def _width(runs: Runs, text: str, font: str, size: float) -> float:
    return sum(stringWidth(piece, f, size) for f, piece in runs(text, font))


def _utf16_hex(text: str) -> str:
    """``text`` as a PDF text string in hexadecimal UTF-16BE with its byte order mark."""
    return "FEFF" + text.encode("utf-16-be").hex().upper()
