"""Plain data classes shared by the importer, the store, the CLI and the UI (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

#: The years a report and its indicators may be for (a typo such as 20244 or -5 is refused).
FIRST_YEAR, LAST_YEAR = 1900, 2200

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")



@dataclass
class Figure:
    """One figure *mentioned in prose* (a span of a text), with its value normalised to
    base units; what it may stand for is an :class:`Indicator`.

    ``value`` is exact (``Decimal``): ``32 billion RMB`` is ``Decimal(32000000000)``
    with ``unit="RMB"``. ``start``/``end`` locate the figure's text in the paragraph
    it was found in; ``sentence`` is the sentence around it (whole up to 600 characters,
    otherwise the 600 characters around the figure).
    """

    value: Decimal
    text: str
    start: int
    end: int
    sentence: str
    unit: str = ""
    qualifier: str = ""
    yoy_pct: Decimal | None = None
    label: str = ""
    #: Labels in the other language, when a translation was aligned with this figure.
    other_labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Indicator:
    """One indicator's value for one year: what the report holds, what rendering writes
    into a text, what an indicator file has on one line. The one shape of an indicator.

    ``value`` and ``yoy_pct`` are exact (``Decimal``, base units: ``32 billion RMB`` is
    ``Decimal(32000000000)``, unit ``"RMB"``). The store builds these from its rows
    (``ReportStore.indicator_values``); ``id`` and ``node_id`` say where the row is and
    which text states it (None outside a store) and take no part in comparisons.
    A :class:`Figure` is something else: a number *mentioned in a text*, with its span.
    """

    key: str
    year: int
    value: Decimal
    unit: str = ""
    qualifier: str = ""
    yoy_pct: Decimal | None = None
    label_en: str = ""
    label_zh: str = ""
    source: str = ""
    id: int | None = field(default=None, compare=False)
    node_id: int | None = field(default=None, compare=False)

    def label(self, lang: str) -> str:
        """The indicator's own name in ``lang`` (may be empty)."""
        return self.label_zh if lang == "zh" else self.label_en

    def as_store_dict(self) -> dict[str, Any]:
        """The row for the store's ``indicators`` table: numbers as exact decimal text."""
        return {
            "key": self.key,
            "year": self.year,
            "value": decimal_text(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "yoy_pct": None if self.yoy_pct is None else decimal_text(self.yoy_pct),
            "label_en": self.label_en,
            "label_zh": self.label_zh,
            "source": self.source,
        }


def decimal_text(value: Decimal) -> str:
    """The exact decimal text of ``value`` for the store and for files: ``15.30`` stays
    ``15.30``, integers have no ``.0`` and never an exponent (``3.2E+10`` -> ``32000000000``)."""
    return format(abs(value) if value == 0 else value, "f")  # never "-0" nor "-0.0"


@dataclass
class Node:
    """A part of the report's structure: overview, part, section or paragraph.

    Titles and texts are held per language; a freshly imported report has one
    language filled in. ``number`` is what the source wrote as the node's number
    (``"I"``, ``"一"``); it is never shown: it only marks that the report numbers nodes of
    this kind (see :func:`numbered_kinds`). ``ordinal`` is the node's place among the
    numbered siblings of its kind (1, 2, …; 0: no number), set from the position by
    :func:`number_tree`, never stored. ``figures`` holds what the importer found in
    ``text_<lang>``.
    """

    kind: str
    title_en: str = ""
    title_zh: str = ""
    text_en: str = ""
    text_zh: str = ""
    number: str = ""
    children: list[Node] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    id: int | None = None
    ordinal: int = field(default=0, compare=False)

    def title(self, lang: str) -> str:
        """The title in ``lang``."""
        return self.title_zh if lang == "zh" else self.title_en

    def text(self, lang: str) -> str:
        """The text in ``lang``."""
        return self.text_zh if lang == "zh" else self.text_en

    def walk(self):
        """Yield this node and all its descendants, depth first, in order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ParsedReport:
    """What the importer makes of a text: front matter plus the node tree."""

    lang: str
    title: str = ""
    publisher: str = ""
    date: str = ""
    nodes: list[Node] = field(default_factory=list)

    def walk(self):
        """Yield every node of the report, depth first, in order."""
        for node in self.nodes:
            yield from node.walk()


#: How a report names its overview when the overview has no title of its own.
OVERVIEW_NAMES = {"en": "Overview", "zh": "综述"}


#: The kinds of node that carry a number (the overview never does, paragraphs neither).
NUMBERED_KINDS = ("part", "section")


def numbered_kinds(roots: list[Node]) -> frozenset[str]:
    """The kinds of node the report numbers: parts when its source numbered any part ("I.",
    "一、", "第一部分"), sections when it numbered any section ("（一）"). Bold lead-ins and
    unnumbered headings stay unnumbered. What the source's numbers *said* is never used."""
    kinds: set[str] = set()
    for node in _structure(roots):
        if node.kind in NUMBERED_KINDS and node.number.strip():
            kinds.add(node.kind)
    return frozenset(kinds)


def _structure(nodes: list[Node]):
    """Every node that is not a paragraph (nor below one), depth first."""
    for node in nodes:
        if node.kind != "paragraph":
            yield node
            yield from _structure(node.children)


def number_tree(roots: list[Node]) -> list[Node]:
    """Number the parts and sections of a report from their position: each numbered node's
    ``ordinal`` is its place among its siblings of the same kind (1, 2, …); every other
    node gets 0. The one rule behind every number the product shows (tree, messages, PDF
    headings, contents and outline, cross-references); moving, adding or deleting a node
    and numbering again gives the new numbers. Returns the nodes whose number changed."""
    kinds = numbered_kinds(roots)
    changed: list[Node] = []

    def visit(siblings: list[Node]) -> None:
        counts: dict[str, int] = {}
        for node in siblings:
            ordinal = 0
            if node.kind in kinds:
                counts[node.kind] = ordinal = counts.get(node.kind, 0) + 1
            if node.ordinal != ordinal:
                node.ordinal = ordinal
                changed.append(node)
            if node.kind != "paragraph":
                visit(node.children)

    visit(roots)
    return changed


def numeral(ordinal: int, kind: str, lang: str) -> str:
    """The number of the ``ordinal``-th part or section as ``lang`` writes it, without its
    punctuation: parts ``III`` / ``三``, sections ``2`` / ``二``. What a cross-reference
    prints. Past what the numerals are written for (Roman 3999, Chinese 99): digits."""
    if lang == "zh":
        return _chinese(ordinal) if 0 < ordinal < 100 else str(ordinal)
    if kind == "part" and 0 < ordinal < 4000:
        return _roman(ordinal)
    return str(ordinal)


def numbered(title: str, ordinal: int, kind: str, lang: str) -> str:
    """``title`` with its number in front: parts ``III. Title`` / ``三、Title``, sections
    ``2. Title`` / ``（二）Title``; ``title`` alone when ``ordinal`` is 0."""
    if not ordinal or kind not in NUMBERED_KINDS:
        return title
    number = numeral(ordinal, kind, lang)
    if lang == "zh":
        return f"（{number}）{title}" if kind == "section" else f"{number}、{title}"
    return f"{number}. {title}"


def display_title(node: Node, lang: str) -> str:
    """What a tree or outline shows for ``node`` in ``lang``: numbering plus title.

    The number comes from the node's position (``ordinal``, see :func:`number_tree`).
    Paragraphs show the start of their text. Empty when the node has nothing in ``lang``.
    """
    if node.kind == "overview":
        return node.title(lang) or OVERVIEW_NAMES[lang]
    if node.kind == "paragraph":
        text = node.text(lang)
        return text if len(text) <= 60 else text[:59] + "…"
    title = node.title(lang)
    return numbered(title, node.ordinal, node.kind, lang) if title else title


_ROMAN = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90),
          ("L", 50), ("XL", 40), ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))
_CHINESE_DIGITS = "零一二三四五六七八九"


def _roman(value: int) -> str:
    """``value`` (1–3999) in Roman numerals."""
    roman = []
    for letters, amount in _ROMAN:
        while value >= amount:
            roman.append(letters)
            value -= amount
    return "".join(roman)


def _chinese(value: int) -> str:
    """``value`` (1–99) in Chinese numerals: 三, 十, 十二, 二十, 九十九."""
    tens, ones = divmod(value, 10)
    if not tens:
        return _CHINESE_DIGITS[ones]
    head = "十" if tens == 1 else _CHINESE_DIGITS[tens] + "十"
    return head + (_CHINESE_DIGITS[ones] if ones else "")
