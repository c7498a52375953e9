"""Captions, source lines and rules of the printed tables and figures.

Tables and figures are numbered through the paper (表1 / Table 1, 图1 / Figure 1) when the
edition numbers them; a table split between pages repeats its caption as 表1（续） /
Table 1 (continued). Under each goes a source line (数据来源： / Source:). The numbers and sources are the
content's (:mod:`.content`, :mod:`.conventions`); this module only prints them. A three-line table (三线表) has only a thick rule above the header, a thin one
under it and a thick one under the last row.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from .colours import SCREEN, Palette
from .content import Charts, Content, IndicatorTable
from .edition import Edition
from .styles import Styles, doc_text

#: The rules of a three-line table: top and bottom thick, under the header thin (pt).
THICK_RULE, THIN_RULE = 1.2, 0.5


class Captions:
    """Numbered captions and source lines of one export, in the document's language(s)."""

    def __init__(self, content: Content, styles: Styles, edition: Edition,
                 para: Callable[[str, ParagraphStyle], Paragraph],
                 colours: Palette = SCREEN) -> None:
        self.content = content
        self.styles = styles
        self.edition = edition
        self.para = para
        self.code = "en" if content.lang == "en" else "zh"
        base = styles.cell[self.code]
        self._source_style = ParagraphStyle(
            f"source-{self.code}", parent=base, fontSize=8.5, leading=12, spaceBefore=3,
            spaceAfter=10, textColor=colours.running)  # the edition's (.colours)

    def caption(self, kind: str, block: IndicatorTable | Charts) -> tuple[Paragraph, Paragraph]:
        """The caption of a table (``kind`` 'table_no') or figure ('figure_no') as its
        block numbers it (:mod:`.content` counts them; 0: not numbered), and its continued
        form for the following pages."""
        style = self.styles.caption[self.code]
        langs = self.content.langs
        titles = [block.titles.get(c) or "" for c in langs] if block.titles else []
        if not any(titles):
            titles = [block.caption]
        if not block.number:
            text = "  ".join(t for t in titles if t)
            more = " ".join([text] + [doc_text("continued", c).strip() for c in langs])
            return self.para(text, style), self.para(more, style)
        plain = "  ".join(f"{doc_text(kind, c, n=block.number)} {t}".strip()
                          for c, t in zip(langs, titles, strict=False))
        more = "  ".join(f"{doc_text(kind, c, n=block.number)}{doc_text('continued', c)} {t}"
                         .strip() for c, t in zip(langs, titles, strict=False))
        return self.para(plain, style), self.para(more, style)

    def source(self, block: IndicatorTable | Charts) -> Paragraph | None:
        """The source line under a table or figure, from its block (empty: none)."""
        if not self.edition.source_lines:
            return None
        lines = [doc_text("source", c, source=block.source[c]) for c in self.content.langs
                 if block.source.get(c)]
        return self.para(" ".join(lines), self._source_style) if lines else None


def table_rules(three_line: bool, font: str,
                colours: Palette = SCREEN) -> tuple[list[tuple], list[tuple]]:
    """Style commands of an indicator table's pieces, and those of its last piece only.

    A three-line table is closed by its thick rule on every page it takes; the other
    style has a shaded header, thin rules between rows and a closing rule at the end.
    """
    common = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if three_line:
        return common + [
            ("LINEABOVE", (0, 0), (-1, 0), THICK_RULE, colours.text),
            ("LINEBELOW", (0, 0), (-1, 0), THIN_RULE, colours.text),
            ("LINEBELOW", (0, -1), (-1, -1), THICK_RULE, colours.text),
        ], []
    return common + [
        ("BACKGROUND", (0, 0), (-1, 0), colours.header_fill),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, colours.accent),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colours.accent),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colours.rule),
    ], [("LINEBELOW", (0, -1), (-1, -1), 0.8, colours.accent)]
