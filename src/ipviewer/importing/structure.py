"""Turn converted report text into a :class:`ParsedReport` (front matter plus node tree).

The input is what a PDF converter makes of the white paper: Markdown-ish headings of
any level for the title and the numbered parts (``## **I. ...**``, ``#### IV.Foo``,
``一、...``, ``第一部分``), bold or 【】 lead-ins that open sections, plain paragraphs,
and paragraphs cut in two by page breaks. The steps:

1. lines -> front/back matter (title, publisher, date) taken off both ends;
2. lines -> units: a paragraph cut by a page break (no sentence end) is rejoined;
3. units -> tree: overview, parts, sections, paragraphs.

Text that is not recognised as front or back matter always ends up in some node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import _
from ..model import Node, ParsedReport
from ..script import is_wide, language_of, to_simplified
from .source import clean_text

_ZH = "一二三四五六七八九十"
_HEADING = re.compile(r"#{1,6}(?=[\s*]|$)")
_PARTS = (
    re.compile(r"(?P<n>[IVX]{1,6})\s*[.．、:：]\s*(?P<t>\S.*)"),
    re.compile(r"part\s+(?P<n>[IVX]{1,6}|\d{1,2})\b\s*[.:：\-–—]?\s*(?P<t>.*)", re.IGNORECASE),
    re.compile(rf"(?P<n>[{_ZH}]{{1,3}})\s*[、.．]\s*(?P<t>\S.*)"),
    re.compile(rf"第(?P<n>[{_ZH}\d]{{1,3}})部分\s*[、:：.．]?\s*(?P<t>.*)"),
)
_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})", re.IGNORECASE)
_SECTION = re.compile(rf"[（(](?P<n>[{_ZH}]{{1,3}})[）)]\s*(?P<t>\S.*)", re.DOTALL)
_LEAD_SENTENCE = re.compile(r"(?P<t>.{1,60}?(?:[。！？：:]|\.(?=\s)))\s*(?P<rest>\S.*)", re.DOTALL)
_BOLD_LEAD = re.compile(r"\*\*(?P<t>.+?)\*\*(?!\*)(?P<rest>.*)", re.DOTALL)
_BRACKET_LEAD = re.compile(r"【(?P<t>[^】]*)】(?P<rest>.*)", re.DOTALL)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATES = (
    re.compile(rf"(?:\d{{1,2}}\s+)?(?:{_MONTHS})\s*,?\s*(?:\d{{1,2}}\s*,\s*)?\d{{4}}", re.IGNORECASE),
    re.compile(r"[\d０-９〇○零一二三四五六七八九]{4}\s*年\s*[\d０-９一二三四五六七八九十]{1,2}\s*月"
               r"(?:\s*[\d０-９一二三四五六七八九十]{1,3}\s*日)?"),
)
_OVERVIEW_NAMES = {"overview", "foreword", "preface", "introduction", "summary",
                   "概述", "综述", "前言", "引言", "概况", "总体情况"}
_STARS = re.compile(r"\*+")
_ENDS = ".!?:;。！？；：…"
_CLOSERS = "\"'”’」』）)]】》〉"


#: Most characters a paragraph (or heading) of an imported text may have. The longest
#: paragraph of the 2024 white paper has 2,205; a longer one is almost always several
#: paragraphs whose blank lines a converter lost, and is refused with its line number
#: rather than imported as one block (whose figures would all be read as one sentence's).
MAX_PARAGRAPH = 20_000


class ParagraphTooLong(ValueError):
    """A paragraph longer than :data:`MAX_PARAGRAPH`; ``line`` is where it starts (1-based)."""

    def __init__(self, line: int, length: int) -> None:
        super().__init__(_(
            "line {line}: a paragraph of {length} characters, more than {limit}; put a blank "
            "line between its paragraphs (a converter may have lost them) and import again"
        ).format(line=line, length=f"{length:,}", limit=f"{MAX_PARAGRAPH:,}"))
        self.line = line
        self.length = length


@dataclass
class _Line:
    """A non-blank input line: markup kept (``raw``, heading marks removed) and plain;
    ``number`` counts the lines of the text from 1."""

    raw: str
    plain: str
    block: int
    level: int = 0
    number: int = 0


@dataclass
class _Unit:
    """Consecutive lines that form one heading, lead-in section or paragraph."""

    kind: str  # heading | part | section | lead | text
    lines: list[_Line]
    mergeable: bool

    @property
    def raw(self) -> str:
        return "\n".join(line.raw for line in self.lines)


def parse_report(text: str, lang: str | None = None) -> ParsedReport:
    """Parse converted report text; ``lang`` ("en"/"zh") is detected when None."""
    text = clean_text(text)
    lang = lang or language_of(text)
    if lang not in ("en", "zh"):
        raise ValueError(f"unknown language {lang!r}: expected 'en' or 'zh'")
    report = ParsedReport(lang=lang)
    lines = _front_and_back(_split_lines(text), lang, report)
    report.nodes = _build(_units(lines, lang), lang)
    return report


# --- lines and their classification ---------------------------------------------------


def _split_lines(text: str) -> list[_Line]:
    """Non-blank lines; lines separated by blank (or whitespace-only) lines get new blocks."""
    lines, block = [], 0
    for number, raw in enumerate(text.split("\n"), start=1):
        mark = _HEADING.match(raw := raw.strip())
        if len(raw) > MAX_PARAGRAPH:
            raise ParagraphTooLong(number, len(raw))
        level = len(mark.group()) if mark else 0
        if level:
            raw = _closing_hashes(raw[level:].strip())
        if not raw:  # blank, whitespace-only or an empty heading
            block += 1
            continue
        lines.append(_Line(raw, _plain(raw), block, level, number))
    return lines


def _closing_hashes(heading: str) -> str:
    """A Markdown heading without its closing ``#`` marks (``Title ##`` -> ``Title``); the
    pattern ``\\s+#+$`` took time quadratic in a run of blanks inside the heading."""
    body = heading.rstrip("#")
    if len(body) < len(heading) and body[-1:].isspace():
        return body.rstrip()
    return heading


def _plain(raw: str) -> str:
    """``raw`` without emphasis stars, whitespace collapsed to single spaces."""

    def drop(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        spaced = 0 < start and end < len(raw) and raw[start - 1].isspace() and raw[end].isspace()
        return match.group() if spaced else ""  # a lone "*" between spaces is text

    return " ".join(_STARS.sub(drop, raw).split())


def _ends(plain: str) -> bool:
    """True when ``plain`` ends a sentence (closing quotes and brackets looked through)."""
    stripped = plain.rstrip().rstrip(_CLOSERS)
    return not stripped or stripped[-1] in _ENDS


def _part(plain: str) -> tuple[str, str] | None:
    """(number, title) when ``plain`` is a numbered part heading."""
    for pattern in _PARTS:
        match = pattern.fullmatch(plain)
        if match and (not match["n"].isalpha() or not match["n"].isascii()
                      or _ROMAN.fullmatch(match["n"])):
            return match["n"].upper(), match["t"].strip()
    return None


def _short(plain: str) -> bool:
    return len(plain) <= (40 if any(is_wide(ch) for ch in plain) else 120)


def _is_date(plain: str) -> bool:
    return any(pattern.fullmatch(plain) for pattern in _DATES)


def _same(a: str, b: str) -> bool:
    """Equal apart from case, spaces and final punctuation."""
    def key(s: str) -> str:
        return "".join(s.split()).casefold().rstrip(_ENDS)
    return bool(a) and key(a) == key(b)


def _title_case(plain: str) -> bool:
    """True when no word longer than three letters starts in lower case."""
    return not any(word[0].islower() for word in plain.split() if len(word) > 3)


def _overview_name(plain: str) -> bool:
    """Is ``plain`` the name of an overview (综述, 綜述 in traditional, Overview …)?"""
    return to_simplified(plain.casefold()) in _OVERVIEW_NAMES


def _numbered(plain: str) -> bool:
    return bool(_part(plain) or _SECTION.fullmatch(plain))


def _bold_lead(raw: str, lang: str) -> tuple[str, str] | None:
    """(lead, rest) when ``raw`` opens with a bold sentence that heads a section."""
    match = _BOLD_LEAD.match(raw)
    if not match:
        return None
    lead, rest = match["t"], match["rest"]
    if _ends(_plain(lead)) or not rest.strip() or (lang == "zh" and rest[:1].isspace()):
        return lead, rest
    return None


def _split_section(text: str) -> tuple[str, str]:
    """(title, rest) of a ``（一）`` section line: a short first sentence is the title."""
    match = _LEAD_SENTENCE.fullmatch(text)
    if match:
        return match["t"], match["rest"]
    return (text, "") if len(text) <= 60 else ("", text)


def _classify(line: _Line, lang: str) -> tuple[str, bool]:
    """(kind, whether a page-break continuation may be appended) of a line."""
    plain, raw = line.plain, line.raw
    if line.level:
        return "heading", False
    if _part(plain) and _short(plain):
        return "part", False
    if section := _SECTION.fullmatch(plain):
        return "section", bool(_split_section(section["t"])[1])
    if lead := _BRACKET_LEAD.match(raw):
        return "lead", bool(lead["rest"].strip())
    if raw.startswith("**"):
        if "**" not in raw[2:]:
            return "lead", True  # the bold run closes on a later line
        if lead := _bold_lead(raw, lang):
            return "lead", bool(lead[1].strip())
    return "text", True


# --- front and back matter ------------------------------------------------------------


def _front_and_back(lines: list[_Line], lang: str, report: ParsedReport) -> list[_Line]:
    """Take title, publisher and date off both ends into ``report``; return the body."""
    n, i = len(lines), 0

    def alone(k: int) -> bool:
        return all(lines[m].block != lines[k].block for m in (k - 1, k + 1) if 0 <= m < n)

    def titled(k: int) -> bool:
        plain = lines[k].plain
        if lines[k].level:
            return not _numbered(plain)
        return (k + 1 < n and not _ends(plain) and _short(plain) and "，" not in plain
                and not _numbered(plain) and not _is_date(plain) and (alone(k) or lang == "zh")
                and (is_wide(plain[0]) or _title_case(plain)))

    def publisher(k: int) -> bool:
        plain = lines[k].plain
        return _short(plain) and not _ends(plain) and not _numbered(plain) and not _is_date(plain)

    if n and titled(0):
        report.title, i = lines[0].plain, 1
        if i < n and _same(lines[i].plain, report.title):
            i += 1  # the title repeated as the overview's heading
        if i < n and _is_date(lines[i].plain):
            report.date, i = lines[i].plain, i + 1
        elif i + 1 < n and publisher(i) and _is_date(lines[i + 1].plain):
            report.publisher, report.date, i = lines[i].plain, lines[i + 1].plain, i + 2
    j, back = n - 1, False
    if j >= i and _is_date(lines[j].plain) and report.date in ("", lines[j].plain):
        report.date, j, back = lines[j].plain, j - 1, True
    if (j >= i and publisher(j) and report.publisher in ("", lines[j].plain)
            and (back or j > i and _same(lines[j - 1].plain, report.title))):
        report.publisher, j, back = lines[j].plain, j - 1, True
    if j >= i and _same(lines[j].plain, report.title):
        j -= 1
    elif j >= i and back and not report.title and lines[j].level and not _numbered(lines[j].plain):
        report.title, j = lines[j].plain, j - 1
    return lines[i : j + 1]


# --- units and tree -------------------------------------------------------------------


def _units(lines: list[_Line], lang: str) -> list[_Unit]:
    """Group lines into units, rejoining paragraphs cut by page breaks; a unit longer
    than :data:`MAX_PARAGRAPH` raises :class:`ParagraphTooLong`."""
    units: list[_Unit] = []
    for line in lines:
        kind, mergeable = _classify(line, lang)
        if kind == "text" and units and units[-1].mergeable:
            prev = units[-1].lines[-1]
            # English lines of one block form one paragraph (Markdown); otherwise a
            # line that does not end a sentence continues on the next line.
            if (lang == "en" and prev.block == line.block) or not _ends(prev.plain):
                units[-1].lines.append(line)
                continue
        units.append(_Unit(kind, [line], mergeable))
    for unit in units:
        size = _unit_size(unit)
        if size > MAX_PARAGRAPH:
            raise ParagraphTooLong(unit.lines[0].number, size)
    return units


def _unit_size(unit: _Unit) -> int:
    """Characters of a unit's text (lines joined by one blank)."""
    return sum(len(line.plain) for line in unit.lines) + len(unit.lines) - 1


def _join(pieces: list[str]) -> str:
    """Join text pieces with one space, none next to Chinese characters."""
    out: list[str] = []
    last = ""
    for piece in filter(None, pieces):
        if out and not is_wide(last) and not is_wide(piece[0]):
            out.append(" ")
        out.append(piece)
        last = piece[-1]
    return "".join(out)


def _text(raw: str) -> str:
    return _join([_plain(piece) for piece in raw.split("\n")])


class _Tree:
    """Collects nodes: overview first, then parts holding sections holding paragraphs."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.nodes: list[Node] = []
        self.overview: Node | None = None
        self.part: Node | None = None
        self.section: Node | None = None

    def node(self, kind: str, title: str = "", text: str = "", number: str = "") -> Node:
        node = Node(kind, number=number)
        setattr(node, f"title_{self.lang}", title)
        setattr(node, f"text_{self.lang}", text)
        return node

    def start_overview(self, title: str = "") -> None:
        self.overview = self.node("overview", title)
        self.nodes.append(self.overview)
        self.section = None

    def start_part(self, number: str, title: str) -> None:
        self.part = self.node("part", title, number=number)
        self.nodes.append(self.part)
        self.section = None

    def top(self) -> Node:
        if self.part is None and self.overview is None:
            self.start_overview()
        return self.part or self.overview  # type: ignore[return-value]

    def start_section(self, title: str, text: str = "", number: str = "") -> None:
        parent = self.top()
        self.section = self.node("section", title, number=number)
        parent.children.append(self.section)
        self.add_paragraph(text)

    def add_paragraph(self, text: str) -> None:
        if text:
            (self.section or self.top()).children.append(self.node("paragraph", text=text))

    def heading(self, plain: str, level: int, part_level: int) -> None:
        if part := _part(plain):
            self.start_part(*part)
        elif section := _SECTION.fullmatch(plain):
            self.start_section(section["t"], number=section["n"])
        elif self.part is None and self.overview is None and _overview_name(plain):
            self.start_overview(plain)
        elif part_level and level <= part_level:
            self.start_part("", plain)
        elif self.part is None and self.overview is None:
            self.start_overview(plain)
        else:
            self.start_section(plain)


def _build(units: list[_Unit], lang: str) -> list[Node]:
    """The node tree made of ``units``."""
    headings = [u for u in units if u.kind == "heading"]
    numbered = any(u.kind == "part" or _part(u.lines[0].plain) for u in headings) or any(
        u.kind == "part" for u in units)
    levels = [u.lines[0].level for u in headings if not _numbered(u.lines[0].plain)
              and not _overview_name(u.lines[0].plain)]
    part_level = 0 if numbered or not levels else min(levels)
    tree = _Tree(lang)
    for unit in units:
        raw = unit.raw
        if unit.kind == "heading":
            tree.heading(unit.lines[0].plain, unit.lines[0].level, part_level)
        elif unit.kind == "part":
            tree.start_part(*_part(unit.lines[0].plain))  # type: ignore[misc]
        elif unit.kind == "section":
            match = _SECTION.fullmatch(_text(raw))
            title, rest = _split_section(match["t"])  # type: ignore[index]
            tree.start_section(title, rest, match["n"])  # type: ignore[index]
        elif unit.kind == "lead" and (lead := _BRACKET_LEAD.match(raw) or _bold_lead(raw, lang)):
            title, rest = (lead["t"], lead["rest"]) if isinstance(lead, re.Match) else lead
            tree.start_section(_text(title), _text(rest))
        else:
            tree.add_paragraph(_text(raw))
    return tree.nodes
