"""The page templates of the white paper: which frames a page has and what is printed
around them (running header, page number), mirrored on left-hand pages.

With :attr:`.edition.Edition.mirrored_margins` the inner margin (the binding side) is
wider than the outer one and the two swap between right-hand (odd) and left-hand (even)
pages; the running header and the page number follow the text block, the page number on
the outer side. Page numbers are the *logical* ones of :class:`PageNumbers`: roman for
the front matter, arabic from 1 at the first part (:attr:`.Edition.roman_front_matter`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Frame, PageTemplate

from .colours import SCREEN, Palette
from .edition import Edition
from .styles import MARGINS, page_label

#: Margins of double-sided printing: the inner (binding) side wider than the outer.
INNER, OUTER = 28 * mm, 22 * mm

#: Template names.
COVER, BLANK, IMPRINT, CONTENTS, BODY = "cover", "blank", "imprint", "contents", "body"


def side_margins(page: int, edition: Edition) -> tuple[float, float]:
    """(left, right) margin of physical page ``page`` (1-based)."""
    if not edition.mirrored_margins:
        return MARGINS["left"], MARGINS["right"]
    return (INNER, OUTER) if page % 2 == 1 else (OUTER, INNER)


def roman(number: int) -> str:
    """``number`` in lower-case roman numerals (front matter page numbers)."""
    out = []
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"),
                           (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


@dataclass
class PageNumbers:
    """Physical page -> printed page number; the body's first page is known once reached."""

    edition: Edition
    body_start: int | None = None  # physical number of the first part's page

    def label(self, page: int) -> str:
        """The page's number as printed and in the contents ('iv', '1', …)."""
        if self.edition.roman_front_matter:
            if self.body_start is None or page < self.body_start:
                return roman(page)
            return str(page - self.body_start + 1)
        return str(page)

    def footer(self, page: int, lang: str) -> str:
        """The footer's text: roman numbers bare, arabic as :func:`.styles.page_label`."""
        text = self.label(page)
        return page_label(int(text), lang) if text.isdigit() else text

    def write_labels(self, canvas) -> None:
        """The document's /PageLabels: roman from the cover, arabic from the first part."""
        if not self.edition.roman_front_matter or self.body_start is None:
            canvas.addPageLabel(0, "ARABIC")
            return
        canvas.addPageLabel(0, "ROMAN_LOWER")
        canvas.addPageLabel(self.body_start - 1, "ARABIC", 1)


class MirroredTemplate(PageTemplate):
    """A page template whose frames are made for each page (left or right-hand)."""

    def __init__(self, id: str, frames_for: Callable[[int], list[Frame]],
                 on_page: Callable | None = None, on_page_end: Callable | None = None) -> None:
        super().__init__(id, frames_for(1), onPage=on_page or _nothing,
                         onPageEnd=on_page_end or _nothing)
        self._frames_for = frames_for

    def beforeDrawPage(self, canvas, doc) -> None:
        self.frames = self._frames_for(doc.page)
        super().beforeDrawPage(canvas, doc)


def _nothing(canvas, doc) -> None:
    pass


def body_frame(page: int, size: tuple[float, float], edition: Edition, fid: str = "body",
               top: float | None = None, height: float | None = None) -> Frame:
    """The text block of physical page ``page``; ``top``/``height`` narrow it vertically."""
    width, page_height = size
    left, right = side_margins(page, edition)
    y_top = page_height - MARGINS["top"] if top is None else top
    h = y_top - MARGINS["bottom"] if height is None else height
    return Frame(left, y_top - h, width - left - right, h, id=fid,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


@dataclass
class RunningText:
    """What a body page prints around its text block: header, rule and page number."""

    titles: list[str]  # the report title per printed language
    font: str
    draw_text: Callable[..., float]  # layout.draw_text bound to the font runs
    lang: str
    numbers: PageNumbers
    edition: Edition
    colours: Palette = SCREEN  # the edition's colours (.colours)

    def draw(self, canvas, page: int, size: tuple[float, float], header: bool = True) -> None:
        width, height = size
        left, right = side_margins(page, self.edition)
        x0, x1 = left, width - right
        y = height - MARGINS["top"] + 7 * mm
        canvas.saveState()
        canvas.setFillColor(self.colours.running)
        if header:
            first = fit(self.titles[0], self.font, 8, x1 - x0)
            if len(self.titles) > 1:  # Chinese on the left, English on the right if it fits
                self.draw_text(canvas, first, x0, y, self.font, 8)
                second = self.titles[1]
                room = x1 - x0 - stringWidth(first, self.font, 8) - 20
                if second != first and stringWidth(second, self.font, 8) <= room:
                    self.draw_text(canvas, second, x1, y, self.font, 8, "right")
            elif self.edition.mirrored_margins and page % 2 == 1:  # on the outer side
                self.draw_text(canvas, first, x1, y, self.font, 8, "right")
            else:
                self.draw_text(canvas, first, x0, y, self.font, 8)
            canvas.setStrokeColor(self.colours.rule)
            canvas.setLineWidth(0.5)
            canvas.line(x0, y - 3 * mm, x1, y - 3 * mm)
        label = self.numbers.footer(page, self.lang)
        y_foot = MARGINS["bottom"] - 12 * mm
        if self.edition.mirrored_margins:  # the number on the outer side
            odd = page % 2 == 1
            self.draw_text(canvas, label, x1 if odd else x0, y_foot, self.font, 9,
                           "right" if odd else "left")
        else:
            self.draw_text(canvas, label, (x0 + x1) / 2, y_foot, self.font, 9, "center")
        canvas.restoreState()


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` (running headers)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
