"""Page layout of the white paper with reportlab platypus: pages, story, contents, outline.

:func:`layout_pdf` turns :class:`~ipviewer.pdf.content.Content` into PDF bytes:

* the front matter (:mod:`.front_matter`): cover, a blank page behind it, the imprint and
  the contents; then the body pages with the report title as running header and the page
  number as footer (:mod:`.page_frames`: mirrored margins, roman then arabic numbers);
* part and section headings with the report's numbering, linked from the contents and the
  PDF outline (parts level 0, sections level 1), kept with their first lines
  (:mod:`.keeping`);
* body text per language (Chinese: CJK line breaking of :mod:`.cjk`, first-line indent of
  two characters, 1.6 line spacing, left aligned; English: justified, 1.4);
* after each part a table of its indicators and bar charts of those with a history,
  numbered (表1 / Table 1, 图1 / Figure 1) with a source line, split between pages under a
  continued caption (:mod:`.paged_table`); three-line tables (三线表);
* A4 or letter, optional crop marks and bleed with TrimBox/BleedBox/CropBox.

One layout pass: the contents' page numbers are filled in at the end (form XObjects), and
the page count is padded with blank pages to a multiple of ``Edition.pad_pages_to``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from io import BytesIO
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Frame, Paragraph
from reportlab.platypus.doctemplate import BaseDocTemplate

from .captions import Captions, table_rules
from .cell_text import bilingual_markup
from .charts import bar_chart
from .cjk import CJKParagraph, markup
from .colours import Palette, palette, print_guard
from .content import Charts, Content, Heading, IndicatorTable, Para
from .edition import GOVERNMENT, Edition
from .fonts import FontSet, font_runs
from .front_matter import (
    ContentsNumbers,
    blank_page,
    contents_story,
    cover_story,
    draw_cover,
    imprint_story,
)
from .hyphenation import HyphenatedParagraph
from .keeping import KeepWithFirstLines
from .marks import CropMarks, MarksCanvas
from .page_frames import (
    BLANK,
    BODY,
    CONTENTS,
    COVER,
    IMPRINT,
    MirroredTemplate,
    PageNumbers,
    RunningText,
    body_frame,
)
from .paged_table import PagedTable, Stack
from .styles import (
    MARGINS,
    PAPER_SIZES,
    Styles,
    doc_text,
    make_styles,
)
from .watermark import draft_metadata, draw_watermark

#: PDF language tags of the exports.
PDF_LANG = {"zh": "zh-CN", "en": "en", "both": "zh-CN"}
#: Layout passes (for progress): one; the contents' numbers are filled in at the end.
PASSES = 1


#: Height of a row of bar charts: a caption and one row fit in under 30% of a page, so a
#: figure that moves on never leaves a page less than 70% full.
CHART_HEIGHT = 52 * mm


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
            target, pagesize=(width, height), keepTogetherClass=KeepWithFirstLines,
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
        self.edition = setup.edition
        self.story_size = story_size
        self.progress = progress
        self.cancelled = cancelled
        self.passes = 0
        self._reported = -1
        self.numbers = PageNumbers(setup.edition)
        self.running = RunningText(
            [self.content.title[code] for code in content.langs], fonts.body,
            lambda canvas, *args: draw_text(canvas, runs, *args), content.lang,
            self.numbers, setup.edition, self.colours)
        self.contents = ContentsNumbers(
            make_styles(fonts.body, fonts.heading, lang, self.colours).toc_levels,
            width - MARGINS["left"] - MARGINS["right"], self.numbers.label)
        self._build_templates(width, height)

    def _build_templates(self, width: float, height: float) -> None:
        size, edition = (width, height), self.edition

        def body(page: int) -> list[Frame]:
            return [body_frame(page, size, edition)]

        def cover(page: int) -> list[Frame]:  # centred on the sheet: never mirrored
            flat = replace(edition, mirrored_margins=False)
            return [body_frame(page, size, flat, "cover-top", height - 40 * mm,
                               height * 0.64 - 40 * mm),
                    body_frame(page, size, flat, "cover-foot", height * 0.36 - 10 * mm,
                               height * 0.36 - 40 * mm)]

        def imprint(page: int) -> list[Frame]:
            return [body_frame(page, size, edition, "imprint", MARGINS["bottom"] + 70 * mm,
                               70 * mm)]

        self.addPageTemplates([
            MirroredTemplate(COVER, cover, self._draw_cover),
            MirroredTemplate(BLANK, body, self._draw_plain),
            MirroredTemplate(IMPRINT, imprint, self._draw_plain),
            MirroredTemplate(CONTENTS, body, self._draw_running, self._draw_contents),
            MirroredTemplate(BODY, body, self._draw_running),
        ])

    # -- page decoration ------------------------------------------------------------

    def _draw_cover(self, canvas, doc) -> None:
        draw_cover(canvas, self.pagesize, self.bleed, self.colours)
        self._draw_watermark(canvas)

    def _draw_plain(self, canvas, doc) -> None:
        self._draw_watermark(canvas)

    def _draw_contents(self, canvas, doc) -> None:
        """After a contents page's entries: their page numbers (a form defined at the end)."""
        self.contents.place(canvas, doc.page)

    def _draw_running(self, canvas, doc) -> None:
        if self.numbers.body_start is None and self.pageTemplate.id == BODY:
            self.numbers.body_start = doc.page
        self.running.draw(canvas, doc.page, self.pagesize)
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
        self.contents.attach(self.canv)

    def afterFlowable(self, flowable):
        if self.cancelled is not None and self.cancelled():
            raise Cancelled()
        outline = getattr(flowable, "_ipv_outline", None)
        if outline is not None:
            level, title, key = outline
            self.canv.addOutlineEntry(title, key, level=level, closed=False)
            self.contents.pages.setdefault(key, self.page)
        index = getattr(flowable, "_ipv_index", None)
        if index is not None and self.progress is not None:
            total = max(PASSES, self.passes) * self.story_size
            done = min((self.passes - 1) * self.story_size + index + 1, total - 1)
            if done > self._reported:
                self._reported = done
                self.progress(done, total)

    def _endBuild(self):
        """After the last page: blank pages up to the binder's multiple, the contents'
        numbers and the page labels, then save."""
        self._doSave = 0
        super()._endBuild()
        pad = max(1, self.edition.pad_pages_to)
        for _ in range(-self.page % pad):
            self._draw_watermark(self.canv)  # a draft says so on every page
            self.canv.showPage()
            self.page += 1
        self.contents.finish(self.canv)
        self.numbers.write_labels(self.canv)
        self.canv.save()




def _joined(texts: dict[str, str], langs: tuple[str, ...]) -> str:
    parts = [texts.get(code, "") for code in langs]
    return " / ".join(dict.fromkeys(p for p in parts if p))


# ----------------------------------------------------------------------------- the story


class StoryBuilder:
    """Flowables for the content; each top-level flowable is numbered for progress."""

    def __init__(self, content: Content, fonts: FontSet, runs: FontRuns, frame_width: float,
                 edition: Edition = GOVERNMENT, colours: Palette | None = None):
        self.colours = colours or palette()
        self.content = content
        self.edition = edition
        self.fonts = fonts
        self.runs = runs
        self.frame_width = frame_width
        self.styles: Styles = make_styles(fonts.body, fonts.heading, content.lang,
                                          self.colours)
        self.story: list[Flowable] = []
        self._variants: dict[tuple[str, str], ParagraphStyle] = {}
        self.captions = Captions(content, self.styles, edition, self.para, self.colours)

    def para(self, text: str, style: ParagraphStyle, raw: str = "") -> Paragraph:
        """A paragraph of plain ``text`` (escaped here) after template markup ``raw``."""
        cls = CJKParagraph if style.wordWrap == "CJK" else HyphenatedParagraph
        return cls(raw + self.runs.markup(text, style.fontName), style)

    def build(self) -> list[Flowable]:
        cover_story(self)
        if self.edition.blank_after_cover:
            self.story.extend(blank_page())
        if self.edition.imprint:
            imprint_story(self)
        contents_story(self)
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
        cls = CJKParagraph if style.wordWrap == "CJK" else HyphenatedParagraph
        flowable = cls(f'<a name="{block.key}"/>{body}', style)
        flowable._ipv_outline = (block.level, " / ".join(texts), block.key)
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
                self._cell(row.value, s.cell_num[code]),
                self._cell(row.unit, s.cell[code]),
                self._cell(row.yoy, s.cell_num[code]),
            ])
        width = self.frame_width
        col_widths = [width * 0.46, width * 0.2, width * 0.13, width * 0.21]
        style, closing = table_rules(self.edition.three_line_tables, self.fonts.body,
                                     self.colours)
        caption, continued = self.captions.caption("table_no", block)
        # page by page: reportlab's Table rebuilds all remaining rows at each page break
        self.story.append(PagedTable(data[0], data[1:], col_widths, style, closing,
                                     caption=caption, continued=continued,
                                     source=self.captions.source(block)))

    def _cell(self, texts: dict[str, str], style: ParagraphStyle) -> Paragraph:
        """A table cell in the document's language, or in both (the English under)."""
        return self.para("", style, bilingual_markup(
            texts, lambda text: self.runs.markup(text, style.fontName)))

    def _charts(self, block: Charts) -> None:
        gap = 6 * mm
        cell_w = (self.frame_width - gap) / 2
        drawings = [bar_chart(series, cell_w, CHART_HEIGHT, self.fonts.body,
                              self.fonts.heading, self.runs.draw_runs, self.colours)
                    for series in block.series]
        rows = [drawings[i:i + 2] + [""] * (2 - len(drawings[i:i + 2]))
                for i in range(0, len(drawings), 2)]
        style = [
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.body),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
        # a figure's caption goes under it, with its source line (rows split between pages)
        caption, _continued = self.captions.caption("figure_no", block)
        self.story.append(PagedTable(None, rows, [cell_w + gap / 2] * 2, style, [],
                                     source=Stack(caption, self.captions.source(block)),
                                     min_rows=1))


def layout_pdf(content: Content, fonts: FontSet, setup: PageSetup,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> tuple[bytes, int]:
    """The PDF of ``content`` as bytes, and its page count. Raises :class:`Cancelled`."""
    runs = FontRuns(fonts)
    width, _height = PAPER_SIZES[setup.paper]
    frame_width = width - MARGINS["left"] - MARGINS["right"]
    story = StoryBuilder(content, fonts, runs, frame_width, setup.edition,
                         palette(setup.print_ready)).build()
    buffer = BytesIO()
    doc = WhitePaperDoc(buffer, content=content, fonts=fonts, runs=runs, setup=setup,
                        story_size=len(story), progress=progress, cancelled=cancelled)
    size = len(story)
    doc.build(story, canvasmaker=MarksCanvas)  # (consumes the story)
    if progress is not None:
        total = max(PASSES, doc.passes) * size
        progress(total, total)
    return buffer.getvalue(), doc.page
