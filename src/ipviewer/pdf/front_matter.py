"""The pages before the first part: cover, the blank page behind it, imprint, contents.

The contents are laid out in the single layout pass with every entry's text (known from
the content before layout), so they take exactly the pages they will have; each entry
ends in a mark that records where its line ends. The dot leaders and page numbers are a
form XObject per contents page, referenced when the page is drawn and defined when the
whole document is laid out and every heading's page is known (:class:`ContentsNumbers`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    ActionFlowable,
    Flowable,
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from .cjk import CJKParagraph
from .colours import SCREEN, Palette
from .content import Content, Heading
from .edition import Edition
from .page_frames import BLANK, BODY, CONTENTS, IMPRINT
from .styles import Styles, doc_text


class StoryBuilder(Protocol):
    """What the front matter needs of :class:`.layout.StoryBuilder`."""

    content: Content
    styles: Styles
    edition: Edition
    runs: Any  # layout.FontRuns
    frame_width: float
    story: list[Flowable]

    def para(self, text: str, style: Any, raw: str = "") -> Flowable: ...

#: Name of the canvas callback that marks the end of a contents entry.
ENTRY_END = "ipvContentsEntryEnd"
#: Dot leader between an entry and its page number.
DOTS = " . "


class Nothing(Flowable):
    """Takes no room and draws nothing: the one flowable of a deliberately blank page."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


def blank_page() -> list[Flowable]:
    """A page with nothing on it (no header, no number), after the current one."""
    return [NextPageTemplate(BLANK), PageBreak(), Nothing()]


class _BodyOnRightHandPage(ActionFlowable):
    """Ends the front matter so that the first part opens on a right-hand (odd) page:
    a blank page in between when the contents end on a right-hand page."""

    def __init__(self, double_sided: bool) -> None:
        super().__init__()
        self.double_sided = double_sided

    def apply(self, doc) -> None:
        if self.double_sided and doc.page % 2 == 1:
            doc.handle_nextPageTemplate(BLANK)
            doc.handle_pageBreak()
        doc.handle_nextPageTemplate(BODY)


# ----------------------------------------------------------------------------- cover


def draw_cover(canvas, size: tuple[float, float], bleed: float,
               colours: Palette = SCREEN) -> None:
    """The cover's colour bands, into the bleed, in the edition's colours (.colours)."""
    width, height = size
    b = bleed
    canvas.saveState()
    canvas.setFillColor(colours.accent)
    canvas.rect(-b, height - 22 * mm, width + 2 * b, 22 * mm + b, stroke=0, fill=1)
    canvas.rect(-b, -b, width + 2 * b, 12 * mm + b, stroke=0, fill=1)
    canvas.setFillColor(colours.header_fill)
    canvas.rect(-b, height - 25 * mm, width + 2 * b, 3 * mm, stroke=0, fill=1)
    canvas.restoreState()


def cover_story(builder: StoryBuilder) -> None:
    """Title, year, publisher and date on the cover (two frames)."""
    s, c = builder.styles, builder.content
    add = builder.story.append
    add(Spacer(1, 18 * mm))
    langs = c.langs
    add(builder.para(c.title[langs[0]], s.cover_title))
    if len(langs) > 1 and c.title[langs[1]] != c.title[langs[0]]:
        add(builder.para(c.title[langs[1]], s.cover_sub))
    add(Spacer(1, 14 * mm))
    add(builder.para(str(c.year), s.cover_year))
    add(FrameBreak())
    for code in langs:
        for text in (c.publisher.get(code, ""), c.date.get(code, "")):
            if text:
                add(builder.para(text, s.cover_foot))
        add(Spacer(1, 4 * mm))


def imprint_story(builder: StoryBuilder) -> None:
    """The imprint page: title, publisher and date of each language, low on the page."""
    s, c = builder.styles, builder.content
    add = builder.story.append
    add(NextPageTemplate(IMPRINT))
    add(PageBreak())
    for code in c.langs:
        style = s.body_cont[code]
        lines = [c.title.get(code, "")]
        if c.publisher.get(code):
            lines.append(doc_text("imprint_publisher", code, publisher=c.publisher[code]))
        if c.date.get(code):
            lines.append(doc_text("imprint_date", code, date=c.date[code]))
        for text in filter(None, lines):
            add(builder.para(text, style))
        add(Spacer(1, 5 * mm))


# ----------------------------------------------------------------------------- contents


def contents_story(builder: StoryBuilder) -> None:
    """The contents: a title and one line per part and section, each entry ending in a
    mark for its page number; then the pages up to the first part."""
    s, c = builder.styles, builder.content
    add = builder.story.append
    add(NextPageTemplate(CONTENTS))
    add(PageBreak())
    add(builder.para(doc_text("contents", c.lang), s.toc_title))
    rows = []
    for block in c.blocks:
        if isinstance(block, Heading) and block.in_toc:
            level = min(block.level, 1)
            style = s.toc_levels[level]
            text = "<br/>".join(builder.runs.markup(t, style.fontName)
                                for t in block.texts.values() if t)
            entry = (f'<a href="#{block.key}">{text}</a>'
                     f'<onDraw name="{ENTRY_END}" label="{block.key}|{level}"/>')
            rows.append([CJKParagraph(entry, style)])
    if rows:
        add(Table(rows, colWidths=(builder.frame_width,), style=TableStyle([
            # tables set a cell font even around flowables: never the default Helvetica
            ("FONTNAME", (0, 0), (-1, -1), s.toc_levels[0].fontName),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ])))
    add(_BodyOnRightHandPage(builder.edition.mirrored_margins))
    add(PageBreak())


class ContentsNumbers:
    """Dot leaders and page numbers of the contents, filled in after the layout.

    ``label(page)`` gives a physical page's printed number; ``width`` is the text block's.
    """

    def __init__(self, styles: list, width: float, label: Callable[[int], str]) -> None:
        self.styles = styles
        self.width = width
        self.label = label
        self.pages: dict[str, int] = {}  # bookmark key -> physical page of the heading
        self._ends: dict[int, list[tuple[str, int, float, float, float]]] = {}
        self._origin: dict[int, tuple[float, ...]] = {}

    @staticmethod
    def form(page: int) -> str:
        return f"ipvContents{page}"

    def attach(self, canvas) -> None:
        """Register the entries' end mark on ``canvas`` (once per build)."""
        canvas.setNamedCB(ENTRY_END, self._entry_end)

    def place(self, canvas, page: int) -> None:
        """Called as contents page ``page`` ends: its numbers, defined at the very end."""
        self._origin[page] = tuple(canvas._currentMatrix)
        canvas.doForm(self.form(page))

    def _entry_end(self, canvas, _kind, label: str) -> None:
        key, level = label.rsplit("|", 1)
        info = canvas._curr_tx_info
        x, y = canvas.absolutePosition(info["cur_x"], info["cur_y"])
        right, _y = canvas.absolutePosition(self.width, info["cur_y"])
        self._ends.setdefault(canvas.getPageNumber(), []).append((key, int(level), x, right, y))

    def finish(self, canvas) -> None:
        """Define every contents page's form, now that every heading's page is known."""
        for page, origin in self._origin.items():
            a, _b, _c, d, e, f = origin
            canvas.beginForm(self.form(page))
            for key, level, x, right, y in self._ends.get(page, []):
                number = self.label(self.pages[key]) if key in self.pages else ""
                style = self.styles[level]
                font, size = style.fontName, style.fontSize
                x0, x1, y0 = (x - e) / a, (right - e) / a, (y - f) / d
                number_w = stringWidth(number, font, size)
                dot_w = stringWidth(DOTS, font, size)
                dots = max(0, int((x1 - x0 - number_w) / dot_w))
                canvas.setFont(font, size)
                canvas.setFillColor(style.textColor)  # the edition's (.colours): K in print
                canvas.drawString(x1 - dots * dot_w - number_w, y0, DOTS * dots + number)
            canvas.endForm()


__all__ = ["ContentsNumbers", "Nothing", "blank_page", "contents_story", "cover_story",
           "draw_cover", "imprint_story"]
