"""Page layout of the white paper with reportlab platypus: pages, story, contents, outline.

:func:`layout_pdf` turns :class:`~ipviewer.pdf.content.Content` into PDF bytes:

* a cover (no running header or footer), then the contents, then the body pages with the
  report title as running header and the page number as footer;
* part and section headings with the report's numbering, linked from the contents and the
  PDF outline (parts level 0, sections level 1), never left alone at the foot of a page;
* body text per language (Chinese: CJK line breaking of :mod:`.cjk`, first-line indent of
  two characters, 1.6 line spacing, left aligned; English: justified, 1.4);
* after each part a table of its indicators and bar charts of those with a history;
* A4 or letter, optional crop marks and bleed with TrimBox/BleedBox/CropBox.

Two passes are made (the contents need the page numbers of the first).
"""

from __future__ import annotations

from ast import literal_eval
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.tableofcontents import TableOfContents, drawPageNumbers

from .charts import bar_chart
from .cjk import CJKParagraph, markup
from .colours import Palette, palette, print_guard
from .content import Charts, Content, Heading, IndicatorTable, Para
from .edition import GOVERNMENT, Edition
from .fonts import FontSet, font_runs
from .marks import CropMarks, MarksCanvas
from .paged_table import PagedTable
from .styles import (
    MARGINS,
    PAPER_SIZES,
    Styles,
    doc_text,
    make_styles,
    page_label,
)
from .watermark import draft_metadata, draw_watermark

#: PDF language tags of the exports.
PDF_LANG = {"zh": "zh-CN", "en": "en", "both": "zh-CN"}
#: Estimated passes (for progress): the contents need a second pass for page numbers.
PASSES = 2


class Cancelled(Exception):
    """The caller asked to stop (``cancelled()`` returned true) during layout."""


@dataclass
class PageSetup:
    paper: str = "A4"
    crop_marks: bool = False
    bleed_mm: float = 0.0
    draft: bool = False  # DRAFT / 草稿 across every page and in the metadata (.watermark)
    edition: Edition = GOVERNMENT  # the conventions of the printed edition (.edition)
    print_ready: bool = False  # CMYK colours (.colours); PDF/X-4 is made by .print_output


# ----------------------------------------------------------------------------- fonts


class FontRuns:
    """Cut text into runs per font: the paragraph's own font, or the fallback where needed."""

    def __init__(self, fonts: FontSet) -> None:
        self._font_runs = font_runs
        self.fonts = fonts

    def _base(self, font: str | None) -> str:
        return font if font in (self.fonts.body, self.fonts.heading) else self.fonts.body

    def markup_runs(self, text: str, font: str | None = None) -> list[tuple[str | None, str]]:
        """Runs for :func:`.cjk.markup` in a paragraph set in ``font`` (default: body):
        None keeps the paragraph's font."""
        base = self._base(font)
        return [(None if f == base or not f else f, run)
                for f, run in self._font_runs(text, self.fonts, base=base)]

    def draw_runs(self, text: str, font: str) -> list[tuple[str, str]]:
        """Runs for drawing on the canvas: ``font`` unless the fallback is needed."""
        base = self._base(font)
        return [(font if f == base or not f else f, run)
                for f, run in self._font_runs(text, self.fonts, base=base)]

    def markup(self, text: str, font: str | None = None) -> str:
        return markup(text, self.markup_runs(text, font))


def draw_text(canvas, runs: FontRuns, text: str, x: float, y: float, font: str,
              size: float, align: str = "left") -> float:
    """Draw ``text`` on ``canvas`` in ``font`` (fallback runs in their font); its width."""
    parts = runs.draw_runs(text, font)
    widths = [stringWidth(run, f, size) for f, run in parts]
    total = sum(widths)
    left = {"left": x, "center": x - total / 2, "right": x - total}[align]
    for (f, run), width in zip(parts, widths, strict=True):
        canvas.setFont(f, size)
        canvas.drawString(left, y, run)
        left += width
    return total


# ----------------------------------------------------------------------------- flowables


class Contents(TableOfContents):
    """The table of contents, with entries laid out by :class:`.cjk.CJKParagraph`."""

    def wrap(self, availWidth, availHeight):
        entries = self._lastEntries or [(0, "", 0, None)]

        def draw_entry_end(canvas, kind, label):
            page, level, key = label.split(",")
            style = self.getLevelStyle(int(level))
            drawPageNumbers(canvas, style, [(int(page), literal_eval(key))],
                            availWidth, availHeight, " . ")

        self.canv.setNamedCB("drawTOCEntryEnd", draw_entry_end)
        data = []
        for level, text, page, key in entries:
            style = self.getLevelStyle(level)
            if key:
                text = f'<a href="#{key}">{text}</a>'
            key_value = repr(key).replace(",", "\\x2c").replace('"', "\\x2c") if key else None
            entry = f'{text}<onDraw name="drawTOCEntryEnd" label="{page},{level},{key_value}"/>'
            data.append([CJKParagraph(entry, style)])
        self._table = Table(data, colWidths=(availWidth,), style=TableStyle([
            # tables set a cell font even around flowables: never the default Helvetica
            ("FONTNAME", (0, 0), (-1, -1), self.levelStyles[0].fontName),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height


# ----------------------------------------------------------------------------- document


class WhitePaperDoc(BaseDocTemplate):
    """The document template: cover and body page templates, outline, progress."""

    def __init__(self, target, *, content: Content, fonts: FontSet, runs: FontRuns,
                 setup: PageSetup, story_size: int,
                 progress: Callable[[int, int], None] | None,
                 cancelled: Callable[[], bool] | None) -> None:
        width, height = PAPER_SIZES[setup.paper]
        bleed = max(0.0, setup.bleed_mm) * mm
        self.colours = palette(setup.print_ready)
        kwargs: dict[str, Any] = {}
        if setup.print_ready:  # any colour reportlab picks itself leaves the canvas as CMYK
            kwargs["enforceColorSpace"] = print_guard
        if setup.crop_marks or bleed:
            # marks sit outside the bleed: from the sheet's edge up to ``offset`` off the trim
            mark = 5 * mm if setup.crop_marks else 0
            offset = max(bleed, 3 * mm) if setup.crop_marks else bleed
            border = offset + mark
            kwargs["cropMarks"] = CropMarks(border, mark, bool(setup.crop_marks),
                                            self.colours.marks)
            kwargs["trimBox"] = (border, border, border + width, border + height)
            kwargs["bleedBox"] = (border - bleed, border - bleed,
                                  border + width + bleed, border + height + bleed)
            kwargs["cropBox"] = (0, 0, width + 2 * border, height + 2 * border)
            kwargs["artBox"] = kwargs["trimBox"]
        else:  # the sheet is the trimmed page: print shops still want the boxes
            kwargs["trimBox"] = kwargs["bleedBox"] = (0, 0, width, height)
        lang = content.lang
        title = _joined(content.title, content.langs)
        publisher = _joined(content.publisher, content.langs)
        subject_lang = "zh" if lang == "both" else lang
        subject = doc_text("subject", subject_lang, year=content.year)
        keywords = [title, str(content.year)]
        if setup.draft:
            title, subject, keywords = draft_metadata(title, subject, keywords, lang)
        super().__init__(
            target, pagesize=(width, height),
            leftMargin=MARGINS["left"], rightMargin=MARGINS["right"],
            topMargin=MARGINS["top"], bottomMargin=MARGINS["bottom"],
            title=title, author=publisher, creator="ipviewer", producer="ipviewer (reportlab)",
            subject=subject, keywords=keywords, lang=PDF_LANG[lang], displayDocTitle=1,
            initialFontName=fonts.body, initialFontSize=10, **kwargs)
        self.draft = setup.draft
        self.content = content
        self.fonts = fonts
        self.runs = runs
        self.bleed = bleed
        self.story_size = story_size
        self.progress = progress
        self.cancelled = cancelled
        self.passes = 0
        self._reported = -1
        self._build_templates(width, height)

    def _build_templates(self, width: float, height: float) -> None:
        frame_w = width - self.leftMargin - self.rightMargin
        body = Frame(self.leftMargin, self.bottomMargin, frame_w,
                     height - self.topMargin - self.bottomMargin, id="body",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover_top = Frame(self.leftMargin, height * 0.36, frame_w, height * 0.64 - 40 * mm,
                          id="cover-top", leftPadding=0, rightPadding=0)
        cover_foot = Frame(self.leftMargin, 30 * mm, frame_w, height * 0.36 - 40 * mm,
                           id="cover-foot", leftPadding=0, rightPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [cover_top, cover_foot], onPage=self._draw_cover),
            PageTemplate("body", [body], onPage=self._draw_running),
        ])

    # -- page decoration ------------------------------------------------------------

    def _draw_cover(self, canvas, doc) -> None:
        width, height = self.pagesize
        b = self.bleed
        canvas.saveState()
        canvas.setFillColor(self.colours.accent)
        canvas.rect(-b, height - 22 * mm, width + 2 * b, 22 * mm + b, stroke=0, fill=1)
        canvas.rect(-b, -b, width + 2 * b, 12 * mm + b, stroke=0, fill=1)
        canvas.setFillColor(self.colours.header_fill)
        canvas.rect(-b, height - 25 * mm, width + 2 * b, 3 * mm, stroke=0, fill=1)
        canvas.restoreState()
        self._draw_watermark(canvas)

    def _draw_running(self, canvas, doc) -> None:
        width, height = self.pagesize
        left, right = self.leftMargin, width - self.rightMargin
        y = height - self.topMargin + 7 * mm
        canvas.saveState()
        canvas.setFillColor(self.colours.running)
        langs = self.content.langs
        font = self.fonts.body
        first = _fit(self.content.title[langs[0]], font, 8, right - left)
        draw_text(canvas, self.runs, first, left, y, font, 8)
        if len(langs) > 1:  # the English title on the right, if both fit on the line
            second = self.content.title[langs[1]]
            room = right - left - stringWidth(first, font, 8) - 20
            if second != first and stringWidth(second, font, 8) <= room:
                draw_text(canvas, self.runs, second, right, y, font, 8, "right")
        canvas.setStrokeColor(self.colours.rule)
        canvas.setLineWidth(0.5)
        canvas.line(left, y - 3 * mm, right, y - 3 * mm)
        label = page_label(doc.page, self.content.lang)
        draw_text(canvas, self.runs, label, width / 2, self.bottomMargin - 12 * mm,
                  self.fonts.body, 9, "center")
        canvas.restoreState()
        self._draw_watermark(canvas)

    def _draw_watermark(self, canvas) -> None:
        """A draft's watermark, drawn before the page's flowables: under the text."""
        if self.draft:
            draw_watermark(canvas, self.pagesize, self.content.lang, self.fonts.heading,
                           self.runs.draw_runs)

    # -- build hooks ----------------------------------------------------------------

    def handle_documentBegin(self):
        super().handle_documentBegin()
        self.passes += 1
        self.canv.showOutline()

    def afterFlowable(self, flowable):
        if self.cancelled is not None and self.cancelled():
            raise Cancelled()
        outline = getattr(flowable, "_ipv_outline", None)
        if outline is not None:
            level, title, key, toc_text = outline
            self.canv.addOutlineEntry(title, key, level=level, closed=False)
            if toc_text:
                self.notify("TOCEntry", (level, toc_text, self.page, key))
        index = getattr(flowable, "_ipv_index", None)
        if index is not None and self.progress is not None:
            total = max(PASSES, self.passes) * self.story_size
            done = min((self.passes - 1) * self.story_size + index + 1, total - 1)
            if done > self._reported:
                self._reported = done
                self.progress(done, total)


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` (running headers)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _joined(texts: dict[str, str], langs: tuple[str, ...]) -> str:
    parts = [texts.get(code, "") for code in langs]
    return " / ".join(dict.fromkeys(p for p in parts if p))


# ----------------------------------------------------------------------------- the story


class StoryBuilder:
    """Flowables for the content; each top-level flowable is numbered for progress."""

    def __init__(self, content: Content, fonts: FontSet, runs: FontRuns, frame_width: float,
                 colours: Palette | None = None):
        self.colours = colours or palette()
        self.content = content
        self.fonts = fonts
        self.runs = runs
        self.frame_width = frame_width
        self.styles: Styles = make_styles(fonts.body, fonts.heading, content.lang,
                                          self.colours)
        self.story: list[Flowable] = []
        self._variants: dict[tuple[str, str], ParagraphStyle] = {}
        self.toc: Contents | None = None

    def para(self, text: str, style: ParagraphStyle, raw: str = "") -> Paragraph:
        """A paragraph of plain ``text`` (escaped here) after template markup ``raw``."""
        cls = CJKParagraph if style.wordWrap == "CJK" else Paragraph
        return cls(raw + self.runs.markup(text, style.fontName), style)

    def build(self) -> list[Flowable]:
        self._cover()
        self._contents()
        for block in self.content.blocks:
            if isinstance(block, Heading):
                self._heading(block)
            elif isinstance(block, Para):
                self._paragraph(block)
            elif isinstance(block, IndicatorTable):
                self._table(block)
            elif isinstance(block, Charts):
                self._charts(block)
        for index, flowable in enumerate(self.story):
            flowable._ipv_index = index
        return self.story

    # -- front matter ---------------------------------------------------------------

    def _cover(self) -> None:
        s, c = self.styles, self.content
        add = self.story.append
        add(Spacer(1, 18 * mm))
        langs = c.langs
        add(self.para(c.title[langs[0]], s.cover_title))
        if len(langs) > 1 and c.title[langs[1]] != c.title[langs[0]]:
            add(self.para(c.title[langs[1]], s.cover_sub))
        add(Spacer(1, 14 * mm))
        add(self.para(str(c.year), s.cover_year))
        add(FrameBreak())
        for code in langs:
            for text in (c.publisher.get(code, ""), c.date.get(code, "")):
                if text:
                    add(self.para(text, s.cover_foot))
            add(Spacer(1, 4 * mm))
        add(NextPageTemplate("body"))
        add(PageBreak())

    def _contents(self) -> None:
        s = self.styles
        self.story.append(self.para(doc_text("contents", self.content.lang), s.toc_title))
        toc = Contents(levelStyles=s.toc_levels, dotsMinLevel=0, rightColumnWidth=28)
        # the first pass lays out the contents with every entry (page numbers still 0),
        # so the second pass only fills in the numbers and no third pass is needed
        toc._entries = [
            (b.level, self._toc_text(b), 0, b.key) for b in self.content.blocks
            if isinstance(b, Heading) and b.in_toc
        ]
        self.toc = toc
        self.story.append(toc)
        self.story.append(PageBreak())

    def _toc_text(self, heading: Heading) -> str:
        font = self.styles.toc_levels[min(heading.level, 1)].fontName
        return "<br/>".join(self.runs.markup(t, font) for t in heading.texts.values() if t)

    # -- body -----------------------------------------------------------------------

    def _style_lang(self) -> str:
        return "en" if self.content.lang == "en" else "zh"

    def _heading(self, block: Heading) -> None:
        code = self._style_lang()
        styles = self.styles.part if block.level == 0 else self.styles.section
        style = styles[code]
        texts = [t for t in block.texts.values() if t]
        body = self.runs.markup(texts[0], style.fontName) if texts else ""
        if len(texts) > 1:  # bilingual: the English under the Chinese, a little smaller
            size = round(style.fontSize * 0.82, 1)
            english = self.runs.markup(texts[1], style.fontName)
            body += f'<br/><font size="{size}">{english}</font>'
        cls = CJKParagraph if style.wordWrap == "CJK" else Paragraph
        flowable = cls(f'<a name="{block.key}"/>{body}', style)
        outline = " / ".join(texts)
        toc_text = self._toc_text(block) if block.in_toc else ""
        flowable._ipv_outline = (block.level, outline, block.key, toc_text)
        self.story.append(flowable)

    def _paragraph(self, block: Para) -> None:
        base = (self.styles.body_cont if block.continued else self.styles.body)[block.lang]
        style = base
        if block.followed:  # the next piece continues this paragraph: no gap
            key = (base.name, "followed")
            if key not in self._variants:
                self._variants[key] = ParagraphStyle(f"{base.name}-followed", parent=base,
                                                     spaceAfter=0)
            style = self._variants[key]
        self.story.append(self.para(block.text, style))

    def _table(self, block: IndicatorTable) -> None:
        s = self.styles
        lang = self.content.lang
        code = self._style_lang()
        self.story.append(self.para(block.caption, s.caption[code]))
        value_lang = "zh" if lang == "zh" else "en"
        head_keys = ("indicator", "value", "unit", "yoy")
        right = ParagraphStyle(f"cell-head-right-{code}", parent=s.cell_head[code],
                               alignment=TA_RIGHT)
        header = [self.para(doc_text(k, lang), right if k in ("value", "yoy")
                            else s.cell_head[code]) for k in head_keys]
        data: list[list[Flowable]] = [header]
        for row in block.rows:
            names = [n for n in row.name.values() if n]
            name = self.para(names[0] if names else row.key, s.cell[code])
            if len(names) > 1:
                name = CJKParagraph(self.runs.markup(names[0]) + '<br/><font color="'
                                    + self.colours.markup("muted") + '">'
                                    + self.runs.markup(names[1]) + "</font>", s.cell["zh"])
            data.append([
                name,
                self.para(row.value[value_lang], s.cell_num[code]),
                self.para(row.unit[value_lang], s.cell[code]),
                self.para(row.yoy[value_lang], s.cell_num[code]),
            ])
        width = self.frame_width
        col_widths = [width * 0.46, width * 0.2, width * 0.13, width * 0.21]
        style = [
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.body),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), self.colours.header_fill),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, self.colours.accent),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, self.colours.accent),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, self.colours.rule),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        closing = [("LINEBELOW", (0, -1), (-1, -1), 0.8, self.colours.accent)]
        # page by page: reportlab's Table rebuilds all remaining rows at each page break
        self.story.append(PagedTable(data[0], data[1:], col_widths, style, closing))

    def _charts(self, block: Charts) -> None:
        code = self._style_lang()
        self.story.append(self.para(block.caption, self.styles.caption[code]))
        gap = 6 * mm
        cell_w = (self.frame_width - gap) / 2
        cell_h = 58 * mm
        drawings = [bar_chart(series, cell_w, cell_h, self.fonts.body, self.fonts.heading,
                              self.runs.draw_runs, self.colours) for series in block.series]
        rows = [drawings[i:i + 2] + [""] * (2 - len(drawings[i:i + 2]))
                for i in range(0, len(drawings), 2)]
        table = Table(rows, colWidths=[cell_w + gap / 2] * 2, hAlign="LEFT",
                      style=TableStyle([
                          ("FONTNAME", (0, 0), (-1, -1), self.fonts.body),
                          ("LEFTPADDING", (0, 0), (-1, -1), 0),
                          ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                          ("TOPPADDING", (0, 0), (-1, -1), 2),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                      ]))
        self.story.append(table)


def layout_pdf(content: Content, fonts: FontSet, setup: PageSetup,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> tuple[bytes, int]:
    """The PDF of ``content`` as bytes, and its page count. Raises :class:`Cancelled`."""
    runs = FontRuns(fonts)
    width, _height = PAPER_SIZES[setup.paper]
    frame_width = width - MARGINS["left"] - MARGINS["right"]
    story = StoryBuilder(content, fonts, runs, frame_width, palette(setup.print_ready)).build()
    buffer = BytesIO()
    doc = WhitePaperDoc(buffer, content=content, fonts=fonts, runs=runs, setup=setup,
                        story_size=len(story), progress=progress, cancelled=cancelled)
    doc.multiBuild(story, maxPasses=6, canvasmaker=MarksCanvas)
    if progress is not None:
        total = max(PASSES, doc.passes) * len(story)
        progress(total, total)
    return buffer.getvalue(), doc.page
