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
    language filled in. ``number`` keeps the report's own numbering of a part
    (``"I"``, ``"一"``). ``figures`` holds what the importer found in ``text_<lang>``.
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


def display_title(node: Node, lang: str) -> str:
    """What a tree or outline shows for ``node`` in ``lang``: numbering plus title.

    Paragraphs show the start of their text. Empty when the node has nothing in ``lang``.
    """
    if node.kind == "overview":
        return node.title(lang) or OVERVIEW_NAMES[lang]
    if node.kind == "paragraph":
        text = node.text(lang)
        return text if len(text) <= 60 else text[:59] + "…"
    title = node.title(lang)
    if title and node.number:
        number = numeral(node.number, lang)
        if node.kind == "section":  # numbered (一) in Chinese, unnumbered in English
            return f"（{number}）{title}" if lang == "zh" else title
        return f"{number}{'、' if lang == 'zh' else '. '}{title}"
    return title


_ROMAN = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90),
          ("L", 50), ("XL", 40), ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))
_CHINESE_DIGITS = "零一二三四五六七八九"


def numeral(number: str, lang: str) -> str:
    """A part or section number written the way ``lang`` writes it: ``III`` ↔ ``三``.

    Numbers that are neither Roman nor Chinese numerals (``3``, ``A``) are kept as given.
    """
    value = _numeral_value(number)
    if value is None or not 0 < value < 100:
        return number
    if lang == "zh":
        tens, ones = divmod(value, 10)
        head = "" if tens == 0 else ("十" if tens == 1 else _CHINESE_DIGITS[tens] + "十")
        return head + (_CHINESE_DIGITS[ones] if ones else "") if tens else _CHINESE_DIGITS[ones]
    roman = []
    for letters, amount in _ROMAN:
        while value >= amount:
            roman.append(letters)
            value -= amount
    return "".join(roman)


def _numeral_value(number: str) -> int | None:
    """The integer a Roman (``IV``) or Chinese (``十二``) numeral stands for, else None."""
    text = number.strip().upper()
    if text and all(ch in "IVXLCDM" for ch in text):
        total, rest = 0, text
        for letters, amount in _ROMAN:
            while rest.startswith(letters):
                total, rest = total + amount, rest[len(letters):]
        return total if not rest else None
    if text and all(ch in _CHINESE_DIGITS + "十" for ch in text):
        if "十" not in text:
            return _CHINESE_DIGITS.index(text) if len(text) == 1 else None
        tens, _, ones = text.partition("十")
        tens_value = _CHINESE_DIGITS.index(tens) if tens else 1
        return tens_value * 10 + (_CHINESE_DIGITS.index(ones) if ones else 0)
    return None
