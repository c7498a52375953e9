"""Page sizes, paragraph styles and the fixed words of the printed white paper.

The fixed words (``Contents`` / ``目录``, ``第 3 页`` ...) are part of the *document*, in the
document's language whatever language the program's interface uses, so they live here
per report language rather than in the UI catalogs (``_()`` is for messages to the user).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import CMYKColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from .colours import SCREEN, Palette

PAPER_SIZES = {"A4": A4, "letter": LETTER}

#: Languages of an export and the report languages each one prints, in order.
LAYOUT_LANGS = {"zh": ("zh",), "en": ("en",), "both": ("zh", "en")}

#: Body text size (五号, 10.5 pt) and the line spacing each script reads well with.
BODY_SIZE = 10.5
LEADING = {"zh": 1.6, "en": 1.4}

MARGINS = {"top": 25 * mm, "bottom": 24 * mm, "left": 25 * mm, "right": 25 * mm}

# The screen edition's colours; an export takes its colours from its :class:`.colours.Palette`.
ACCENT, RULE, HEADER_FILL = SCREEN.accent, SCREEN.rule, SCREEN.header_fill

#: The document's own words, per report language. ``both`` uses the Chinese and the
#: English word together (see :func:`doc_text`).
DOC_TEXT: dict[str, dict[str, str]] = {
    "contents": {"zh": "目录", "en": "Contents"},
    "page": {"zh": "第 {page} 页", "en": "{page}"},
    "key_indicators": {"zh": "主要指标", "en": "Key indicators"},
    "key_indicators_of": {"zh": "主要指标：{title}", "en": "Key indicators: {title}"},
    "charts_of": {"zh": "历年数据：{title}", "en": "Figures over the years: {title}"},
    "appendix": {"zh": "附录  主要指标", "en": "Appendix: Key indicators"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "value": {"zh": "数值", "en": "Value"},
    "unit": {"zh": "单位", "en": "Unit"},
    "yoy": {"zh": "同比", "en": "Year-on-year"},
    "chart_unit": {"zh": "单位：{unit}", "en": "Unit: {unit}"},
    "table_no": {"zh": "表{n}", "en": "Table {n}"},
    "figure_no": {"zh": "图{n}", "en": "Figure {n}"},
    "continued": {"zh": "（续）", "en": " (continued)"},
    "source": {"zh": "数据来源：{source}", "en": "Source: {source}"},
    "imprint_publisher": {"zh": "发布单位：{publisher}", "en": "Published by {publisher}"},
    "imprint_date": {"zh": "发布日期：{date}", "en": "Date of publication: {date}"},
    "subject": {"zh": "{year}年知识产权发展状况白皮书",
                "en": "White paper on intellectual property, {year}"},
}

def doc_text(key: str, lang: str, **values: object) -> str:
    """The document word ``key`` in ``lang`` ('zh', 'en' or 'both': Chinese then English)."""
    if lang == "both":
        zh = DOC_TEXT[key]["zh"].format(**values)
        en = DOC_TEXT[key]["en"].format(**values)
        return zh if zh == en else f"{zh} {en}"
    return DOC_TEXT[key][lang].format(**values)


def page_label(page: int, lang: str) -> str:
    """The footer's page number: ``第 3 页`` in Chinese, ``3`` in English and bilingual."""
    return DOC_TEXT["page"]["zh" if lang == "zh" else "en"].format(page=page)


@dataclass
class Styles:
    """The paragraph styles of one export, by role and report language."""

    body: dict[str, ParagraphStyle]
    body_cont: dict[str, ParagraphStyle]  # continuation of a split long paragraph
    part: dict[str, ParagraphStyle]
    section: dict[str, ParagraphStyle]
    caption: dict[str, ParagraphStyle]
    cell: dict[str, ParagraphStyle]
    cell_num: dict[str, ParagraphStyle]
    cell_head: dict[str, ParagraphStyle]
    cover_title: ParagraphStyle
    cover_sub: ParagraphStyle
    cover_year: ParagraphStyle
    cover_foot: ParagraphStyle
    toc_title: ParagraphStyle
    toc_levels: list[ParagraphStyle]


def _cjk(style: ParagraphStyle, lang: str) -> ParagraphStyle:
    """Chinese styles wrap as CJK text (justified by :class:`.cjk.CJKParagraph` itself)."""
    if lang == "zh":
        style.wordWrap = "CJK"
    return style


def make_styles(body_font: str, heading_font: str, lang: str,
                colours: Palette = SCREEN) -> Styles:
    """Styles for an export in ``lang`` ('zh', 'en' or 'both') with the given fonts.

    'both' uses the Chinese styles for anything that holds Chinese text (bilingual
    headings, table cells, contents) since they wrap CJK properly and Latin at spaces.
    """
    body, body_cont, part, section, caption, cell, cell_num, cell_head = ({} for _ in range(8))
    for code in ("zh", "en"):
        leading = BODY_SIZE * LEADING[code]
        body[code] = _cjk(ParagraphStyle(
            f"body-{code}", fontName=body_font, fontSize=BODY_SIZE, leading=leading,
            firstLineIndent=2 * BODY_SIZE if code == "zh" else 0,
            alignment=TA_JUSTIFY, spaceAfter=0.5 * leading if code == "en" else 0.25 * leading,
            allowWidows=0, allowOrphans=0, textColor=colours.text), code)
        body_cont[code] = ParagraphStyle(
            f"body-cont-{code}", parent=body[code], firstLineIndent=0, spaceBefore=0)
        part[code] = _cjk(ParagraphStyle(
            f"part-{code}", fontName=heading_font, fontSize=15, leading=15 * 1.45,
            spaceBefore=20, spaceAfter=10, keepWithNext=1, textColor=colours.accent,
            alignment=TA_LEFT), code)
        section[code] = _cjk(ParagraphStyle(
            f"section-{code}", fontName=heading_font, fontSize=11.5, leading=11.5 * 1.5,
            spaceBefore=10, spaceAfter=4, keepWithNext=1, alignment=TA_LEFT), code)
        caption[code] = _cjk(ParagraphStyle(
            f"caption-{code}", fontName=heading_font, fontSize=10, leading=14,
            spaceBefore=12, spaceAfter=5, keepWithNext=1, alignment=TA_LEFT), code)
        cell[code] = _cjk(ParagraphStyle(
            f"cell-{code}", fontName=body_font, fontSize=9, leading=12.5, alignment=TA_LEFT), code)
        cell_num[code] = ParagraphStyle(
            f"cell-num-{code}", parent=cell[code], alignment=TA_RIGHT)
        cell_head[code] = _cjk(ParagraphStyle(
            f"cell-head-{code}", fontName=heading_font, fontSize=9, leading=12.5,
            alignment=TA_LEFT), code)
    mixed = "zh" if lang in ("zh", "both") else "en"
    cover_title = _cjk(ParagraphStyle(
        "cover-title", fontName=heading_font, fontSize=26, leading=26 * 1.4,
        alignment=TA_CENTER, spaceAfter=10, textColor=colours.text), mixed)
    cover_sub = _cjk(ParagraphStyle(
        "cover-sub", fontName=heading_font, fontSize=15, leading=15 * 1.45,
        alignment=TA_CENTER, spaceAfter=8, textColor=colours.subtitle), mixed)
    cover_year = ParagraphStyle(
        "cover-year", fontName=heading_font, fontSize=40, leading=48, alignment=TA_CENTER,
        textColor=colours.accent)
    cover_foot = _cjk(ParagraphStyle(
        "cover-foot", fontName=body_font, fontSize=12.5, leading=12.5 * 1.6,
        alignment=TA_CENTER), mixed)
    toc_title = _cjk(ParagraphStyle(
        "toc-title", fontName=heading_font, fontSize=16, leading=24, alignment=TA_CENTER,
        spaceAfter=14), mixed)
    # bilingual entries take two lines each: tighter, so the contents stay on one page
    tight = lang == "both"
    toc_levels = [
        _cjk(ParagraphStyle("toc-0", fontName=heading_font, fontSize=11,
                            leading=14 if tight else 16, spaceBefore=4 if tight else 7,
                            leftIndent=0, rightIndent=28), mixed),
        _cjk(ParagraphStyle("toc-1", fontName=body_font, fontSize=10,
                            leading=12.5 if tight else 14.5, leftIndent=2 * 10,
                            rightIndent=28, spaceBefore=1), mixed),
    ]
    styles = Styles(body, body_cont, part, section, caption, cell, cell_num, cell_head,
                    cover_title, cover_sub, cover_year, cover_foot, toc_title, toc_levels)
    _colour_text(styles, colours)
    return styles


def _colour_text(styles: Styles, colours: Palette) -> None:
    """Styles left in reportlab's default black get the edition's text colour (pure K
    in print)."""
    for value in vars(styles).values():
        for style in value.values() if isinstance(value, dict) else (
                value if isinstance(value, list) else [value]):
            colour = style.textColor
            if colour is None or (not isinstance(colour, CMYKColor)
                                  and colour.hexval() == "0x000000"):
                style.textColor = colours.text
