"""What the printed white paper says, as plain text blocks, before any layout.

:func:`build_content` reads the report (tree, front matter, indicators), fills in the bound
figures per language and orders everything as the paper prints it: cover, overview and
parts with their sections and paragraphs, each part followed by a table of its indicators
and charts of those with a history. All text here is plain (never markup); knowing all of
it before layout lets the fonts be subset to exactly the characters used and lets
characters that no font can draw be reported with the place they come from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..i18n import N_, _
from ..indicators import CURRENCIES, ZH_UNIT_WORDS
from ..model import Indicator, Node, display_title
from ..numbers import (
    format_qualifier,
    format_quantity,
    format_yoy,
)
from ..prose.bindings import BindingError, render, render_spans
from ..prose.cross_refs import NodeNumbers
from ..prose.extract import split_sentences
from ..report_text import NodePath, figure_values, node_place, walk_with_path
from ..store import ReportStore
from ..terms.labels import indicator_name
from .chart_series import ChartSeries, chart_series
from .cjk import clean_text, control_characters
from .conventions import number_sections, source_line, without_stop, zh_counters
from .edition import GOVERNMENT, Edition
from .styles import LAYOUT_LANGS, doc_text

#: Paragraphs longer than this are split at sentence ends (reportlab's line breaking
#: slows down more than linearly with paragraph length).
LONG_PARAGRAPH = 4000
#: The size the pieces of a split paragraph aim for.
PIECE = 1500

LANG_NAMES = {"zh": N_("Chinese"), "en": N_("English")}


class ContentError(Exception):
    """The report cannot be printed as it is (a figure reference that cannot be filled)."""


@dataclass
class Heading:
    """A part (level 0) or section (level 1) heading, in one or both languages."""

    level: int
    texts: dict[str, str]  # language -> title with its numbering
    key: str  # bookmark name
    where: str
    in_toc: bool = True


@dataclass
class Para:
    """One paragraph of body text in one language."""

    lang: str
    text: str
    where: str
    continued: bool = False  # a later piece of a long paragraph split at sentence ends
    followed: bool = False  # more pieces of the same paragraph follow


@dataclass
class TableRow:
    key: str
    name: dict[str, str]
    value: dict[str, str]
    unit: dict[str, str]
    yoy: dict[str, str]


@dataclass
class IndicatorTable:
    """The indicators of the report year that belong to one part.

    ``number`` (表1 / Table 1, counted through the paper; 0 when the edition does not number
    tables), ``titles`` (the caption per language, without the number) and ``source`` (per
    language, the text after 数据来源： / Source:, "" when the edition prints no source
    lines) are data: the layout prints the numbered caption and the source line from them.
    ``caption`` is the caption as one text (both languages in 'both'), without the number.
    """

    caption: str
    rows: list[TableRow]
    where: str
    number: int = 0
    titles: dict[str, str] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)


@dataclass
class Charts:
    """The charts of one part's indicators with a history: one figure (图1 / Figure 1).

    ``number``, ``titles`` and ``source`` as in :class:`IndicatorTable` (figures are counted
    through the paper apart from tables).
    """

    caption: str
    series: list[ChartSeries]
    where: str
    number: int = 0
    titles: dict[str, str] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)


Block = Heading | Para | IndicatorTable | Charts


@dataclass
class Content:
    """Everything the paper prints, in order, with the problems found on the way."""

    lang: str  # 'zh', 'en' or 'both'
    year: int
    title: dict[str, str]
    publisher: dict[str, str]
    date: dict[str, str]
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def langs(self) -> tuple[str, ...]:
        return LAYOUT_LANGS[self.lang]

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every printed text with its place, for font subsetting and glyph checks."""
        for code in self.langs:
            for name, part in (("title", self.title), ("publisher", self.publisher),
                               ("date", self.date)):
                yield part.get(code, ""), _("cover ({field})").format(field=name)
        for block in self.blocks:
            if isinstance(block, Heading):
                for text in block.texts.values():
                    yield text, block.where
            elif isinstance(block, Para):
                yield block.text, block.where
            elif isinstance(block, IndicatorTable):
                yield block.caption, block.where
                for text in (*block.titles.values(), *block.source.values()):
                    yield text, block.where
                for row in block.rows:
                    for cells in (row.name, row.value, row.unit, row.yoy):
                        for text in cells.values():
                            yield text, block.where
            elif isinstance(block, Charts):
                yield block.caption, block.where
                for text in (*block.titles.values(), *block.source.values()):
                    yield text, block.where
                for s in block.series:
                    for text in (s.title, s.unit_line, *s.bar_labels, *s.tick_labels,
                                 *map(str, s.years)):
                        yield text, block.where

    def replace_text(self, fix: Callable[[str], str]) -> None:
        """Apply ``fix`` to every printed text (used to replace undrawable characters)."""
        for part in (self.title, self.publisher, self.date):
            for code in part:
                part[code] = fix(part[code])
        for block in self.blocks:
            if isinstance(block, Heading):
                block.texts = {k: fix(v) for k, v in block.texts.items()}
            elif isinstance(block, Para):
                block.text = fix(block.text)
            elif isinstance(block, IndicatorTable):
                block.caption = fix(block.caption)
                block.titles = {k: fix(v) for k, v in block.titles.items()}
                block.source = {k: fix(v) for k, v in block.source.items()}
                for row in block.rows:
                    for cells in (row.name, row.value, row.unit, row.yoy):
                        for k in cells:
                            cells[k] = fix(cells[k])
            elif isinstance(block, Charts):
                block.caption = fix(block.caption)
                block.titles = {k: fix(v) for k, v in block.titles.items()}
                block.source = {k: fix(v) for k, v in block.source.items()}
                for s in block.series:
                    s.title, s.unit_line = fix(s.title), fix(s.unit_line)
                    s.bar_labels = [fix(t) for t in s.bar_labels]


# ----------------------------------------------------------------------------- building


class _Builder:
    def __init__(self, store: ReportStore, lang: str, glossary: Any, charts: bool,
                 draft: bool = False, edition: Edition = GOVERNMENT) -> None:
        self.store = store
        self.draft = draft
        self.edition = edition
        self.lang = lang
        self.langs = LAYOUT_LANGS[lang]
        self.glossary = glossary
        self.charts = charts
        info = store.report()
        self.year: int = info["year"]
        indicators = store.indicator_values()
        self.values = figure_values(indicators)
        self.indicators = indicators
        self.refs: NodeNumbers | None = None  # the numbered tree, once it is loaded
        self.counters: dict[str, str] = {}  # indicator key -> the Chinese text's counter (件)
        self.tables = self.figures = 0  # tables and figures numbered so far
        self.warnings: list[str] = []  # before the cover: cleaning its texts may warn
        self.content = Content(
            lang=lang, year=self.year, warnings=self.warnings,
            title={c: self._clean(info.get(f"title_{c}") or "", _("cover")) for c in ("zh", "en")},
            publisher={c: self._clean(info.get(f"publisher_{c}") or "", _("cover"))
                       for c in ("zh", "en")},
            date={c: self._clean(info.get(f"date_{c}") or "", _("cover")) for c in ("zh", "en")},
        )
        for code in self.langs:
            if not self.content.title[code]:
                other = "en" if code == "zh" else "zh"
                self.content.title[code] = self.content.title[other]
                self.warn(_("The report has no {language} title; the {other} title is printed")
                          .format(language=_(LANG_NAMES[code]), other=_(LANG_NAMES[other])))

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def _clean(self, text: str, where: str) -> str:
        bad = control_characters(text)
        if bad:
            codes = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in bad))
            self.warn(_("{where}: control characters removed ({codes})").format(
                where=where, codes=codes))
        return clean_text(text)

    def _render(self, text: str, code: str, where: str) -> str:
        try:
            rendered = render(text, code, self.values, self.year, where, self.refs)
        except BindingError as err:
            if not self.draft:
                raise ContentError(str(err)) from err
            rendered = self._render_draft(text, code, where)
        return self._clean(rendered, where)

    def _render_draft(self, text: str, code: str, where: str) -> str:
        """``text`` for a draft: each reference that cannot be filled in printed visibly as
        missing (``[?key]``, ``[?key:yoy]``), each named in a warning; a text whose
        references cannot even be read is printed as it is stored."""
        missing: list[tuple[BindingError, str]] = []
        try:
            rendered = render_spans(text, code, self.values, self.year, where, self.refs,
                                    missing)[0]
        except BindingError as err:
            self.warn(_("{problem}; printed as stored in the draft").format(problem=err))
            return text
        for err, shown in missing:
            self.warn(_("{problem}; printed as {missing} in the draft").format(
                problem=err, missing=shown))
        return rendered

    # -- the tree -------------------------------------------------------------------

    def build(self) -> Content:
        tree = self.store.load_tree()
        # parts and sections numbered from their order (headings, contents, outline and
        # cross-references all print these numbers)
        self.refs = NodeNumbers.from_tree(tree)
        self.counters = zh_counters(tree)
        top_of: dict[int, int] = {}  # node id -> id of its top-level node
        for node, path in walk_with_path(tree):
            if node.id is not None:
                top = path[0] if path else node
                top_of[node.id] = top.id if top.id is not None else -1
        # after the walk (which numbers the tree as the source did): the edition's numbers
        number_sections(tree, self.edition.section_numbers)
        by_top: dict[int, list[Indicator]] = {}
        loose: list[Indicator] = []
        for indicator in self.indicators:
            if indicator.year != self.year:
                continue
            top = top_of.get(indicator.node_id) if indicator.node_id is not None else None
            (by_top.setdefault(top, []) if top is not None else loose).append(indicator)
        history = self._history()
        for node in tree:
            self._node(node, [])
            rows = by_top.get(node.id, [])
            self._tables(node, rows, history)
        if loose:
            heading = {c: doc_text("appendix", c) for c in self.langs}
            self.content.blocks.append(Heading(0, heading, "appendix", _("appendix")))
            self._tables(None, loose, history)
        return self.content

    def _title(self, node: Node, code: str, where: str) -> str:
        title = display_title(node, code)
        if not title.strip():
            other = "en" if code == "zh" else "zh"
            title = display_title(node, other)
            if title:
                self.warn(_("{where}: no {language} title; the {other} title is printed").format(
                    where=where, language=_(LANG_NAMES[code]), other=_(LANG_NAMES[other])))
        return self._heading_text(self._render(title, code, where))

    def _heading_text(self, title: str) -> str:
        """``title`` as the edition prints a heading (without its final full stop)."""
        return without_stop(title) if self.edition.headings_without_stop else title

    def _node_title(self, node: Node, code: str) -> str:
        """The numbered title of ``node`` in a caption (not rendered: captions name the part)."""
        return self._heading_text(display_title(node, code))

    def _node(self, node: Node, path: list[Node]) -> None:
        where = node_place(node, path, self.lang if self.lang != "both" else "zh/en")
        if node.kind in ("overview", "part", "section"):
            level = 0 if node.kind in ("overview", "part") else 1
            texts = {code: self._title(node, code, node_place(node, path, code))
                     for code in self.langs}
            if any(texts.values()):
                key = f"node-{node.id}" if node.id is not None else f"node-{id(node)}"
                self.content.blocks.append(Heading(level, texts, key, where))
        # 'both' prints the Chinese of a section's paragraphs, then their English, under a
        # bilingual heading. Not side by side in two columns: reportlab would need a pair of
        # frames balanced per section (the languages differ in length by a factor of two or
        # three, so a section would either leave half a page empty or need its own column
        # balancing) and a paragraph split between columns and pages; and a Chinese column
        # half as wide makes the CJK line breaking next to Latin runs and numbers much worse.
        # One column, one language after the other, keeps every rule of the single-language
        # layout (keep-with-next headings, page splitting, tables) working unchanged.
        run: list[tuple[Node, list[Node]]] = []
        if node.kind == "paragraph" or node.text_zh or node.text_en:
            run.append((node, path))
        below = NodePath([*path, node])  # one for all children: it knows their rows
        for child in node.children:
            if child.kind == "paragraph" and not child.children:
                run.append((child, below))
                continue
            self._paragraphs(run)
            run = []
            self._node(child, below)
        self._paragraphs(run)

    def _paragraphs(self, run: list[tuple[Node, list[Node]]]) -> None:
        for code in self.langs:
            for node, path in run:
                where = node_place(node, path, code)
                text = node.text(code)
                if not text.strip():
                    if node.text("en" if code == "zh" else "zh").strip():
                        self.warn(_("{where}: no {language} text; the paragraph is left out")
                                  .format(where=where, language=_(LANG_NAMES[code])))
                    continue
                rendered = self._render(text, code, where)
                for piece in re.split(r"\n\s*\n", rendered):
                    piece = piece.strip()
                    if piece:
                        self._add_paragraph(piece, code, where)

    def _add_paragraph(self, text: str, code: str, where: str) -> None:
        pieces = split_long(text, code) if len(text) > LONG_PARAGRAPH else [text]
        for n, piece in enumerate(pieces):
            self.content.blocks.append(Para(code, piece, where, continued=n > 0,
                                            followed=n < len(pieces) - 1))

    # -- indicators -----------------------------------------------------------------

    def _name(self, indicator: Indicator, code: str) -> str:
        label_en, label_zh = indicator.label_en, indicator.label_zh
        name, _approved = indicator_name(self.glossary, label_en, label_zh, code)
        name = name or label_en or label_zh or indicator.key
        if code == "en" and self.edition.capitalized_names:
            name = name[:1].upper() + name[1:]
        return self._clean(name, _("indicator table"))

    def _unit(self, unit: str, code: str) -> str:
        if code == "zh":
            if self.glossary is not None and unit and unit not in ZH_UNIT_WORDS:
                translated = self.glossary.translate(unit)
                if translated:
                    return translated
            return ZH_UNIT_WORDS.get(unit, unit)
        return unit

    def _cells(self, indicator: Indicator, code: str) -> tuple[str, str, str]:
        unit = indicator.unit
        shown = format_quantity(indicator.value, "", code,
                                compact=True if unit in CURRENCIES else None)
        try:
            word = format_qualifier(indicator.qualifier, code)
        except ValueError:
            word = indicator.qualifier
        if word:
            shown = word + shown if code == "zh" else f"{word} {shown}"
        if unit in CURRENCIES and code == "zh":
            unit_text = ZH_UNIT_WORDS[unit]
        else:
            unit_text = self._unit(unit, code)
        yoy = indicator.yoy_pct
        yoy_text = format_yoy(yoy, code) if yoy is not None else ""
        return shown, unit_text, yoy_text

    def _history(self) -> dict[str, list[Indicator]]:
        by_key: dict[str, dict[int, Indicator]] = {}
        for indicator in self.indicators:
            by_key.setdefault(indicator.key, {})[indicator.year] = indicator
        return {key: [years[y] for y in sorted(years)] for key, years in by_key.items()
                if len(years) >= 2}

    def _tables(self, node: Node | None, rows: list[Indicator],
                history: dict[str, list[Indicator]]) -> None:
        if not rows:
            return
        where = (node_place(node, [], self.lang if self.lang != "both" else "zh/en")
                 if node is not None else _("appendix"))
        table_rows = []
        for row in rows:
            value, unit, yoy = {}, {}, {}
            for code in self.langs:  # 'both': each language's own forms
                value[code], unit[code], yoy[code] = self._cells(row, code)
            names = {c: self._name(row, c) for c in self.langs}
            table_rows.append(TableRow(row.key, names, value, unit, yoy))
        if node is not None:
            titles = {c: doc_text("key_indicators_of", c, title=self._node_title(node, c))
                      for c in self.langs}
        else:
            titles = {c: doc_text("key_indicators", c) for c in self.langs}
        titles = {c: self._clean(t, where) for c, t in titles.items()}
        numbered = self.edition.numbered_tables
        if numbered:
            self.tables += 1
        self.content.blocks.append(IndicatorTable(
            "  ".join(titles.values()), table_rows, where,
            number=self.tables if numbered else 0, titles=titles, source=self._source(rows)))
        if not self.charts:
            return
        series = [self._series(row.key, history[row.key]) for row in rows if row.key in history]
        if series:
            span = (min(s.years[0] for s in series), max(s.years[-1] for s in series))
            for each in series:
                each.span = span
            if node is not None:
                chart_titles = {c: doc_text("charts_of", c, title=self._node_title(node, c))
                                for c in self.langs}
            else:
                chart_titles = {c: doc_text("charts_of", c, title="").rstrip("：: ")
                                for c in self.langs}
            chart_titles = {c: self._clean(t, where) for c, t in chart_titles.items()}
            if numbered:
                self.figures += 1
            self.content.blocks.append(Charts(
                "  ".join(chart_titles.values()), series, where,
                number=self.figures if numbered else 0, titles=chart_titles,
                source=self._source([i for k in (s.key for s in series) for i in history[k]])))

    def _source(self, rows: list[Indicator]) -> dict[str, str]:
        """The source line's text per language ({} when the edition prints none)."""
        if not self.edition.source_lines:
            return {}
        publisher = self.content.publisher
        fallback = next((p for p in publisher.values() if p), "")
        found = {c: source_line(rows, publisher.get(c) or fallback, c) for c in self.langs}
        return found if any(found.values()) else {}

    def _series(self, key: str, rows: list[Indicator]) -> ChartSeries:
        latest = rows[-1]
        return chart_series(key, rows, self.lang, {c: self._name(latest, c) for c in self.langs},
                            self._unit(latest.unit, "zh") if latest.unit else "",
                            self.counters.get(key, ""))


def split_long(text: str, lang: str, size: int = PIECE) -> list[str]:
    """``text`` cut at sentence ends into pieces of about ``size`` characters.

    A sentence longer than ``size`` stays whole unless it is longer than
    :data:`LONG_PARAGRAPH`, when it is cut at a blank (English) or between characters
    outside a number (Chinese).
    """
    pieces: list[str] = []
    current = ""
    joiner = "" if lang == "zh" else " "
    for start, end in split_sentences(text, lang):
        sentence = text[start:end]
        while len(sentence) > LONG_PARAGRAPH:
            cut = _cut_point(sentence, size, lang)
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:cut].rstrip())
            sentence = sentence[cut:].lstrip()
        if current and len(current) + len(sentence) > size:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current}{joiner}{sentence}" if current else sentence
    if current:
        pieces.append(current)
    return pieces or [text]


def _cut_point(text: str, size: int, lang: str) -> int:
    """Where to cut an overlong sentence near ``size``: a blank, else a CJK character."""
    blank = text.rfind(" ", size // 2, size)
    if blank > 0:
        return blank + 1
    from .cjk import break_opportunities

    allowed = break_opportunities(text[: size + 1])
    for k in range(size, size // 2, -1):
        if allowed[k]:
            return k
    return size


def build_content(store: ReportStore, lang: str, glossary: Any = None,
                  charts: bool = True, draft: bool = False,
                  edition: Edition = GOVERNMENT) -> Content:
    """The printed content of the report in ``lang`` ('zh', 'en' or 'both').

    Raises :class:`ContentError` when a figure reference cannot be filled in, unless
    ``draft``: a draft prints it as missing (``prose.bindings.MISSING_FIGURE``) and warns.
    """
    return _Builder(store, lang, glossary, charts, draft, edition).build()
