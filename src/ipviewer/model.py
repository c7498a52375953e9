"""Plain data classes shared by the importer, the store, the CLI and the UI (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")

#: Node kinds, from the top of the tree down.
NodeKind = Literal["overview", "part", "section", "paragraph"]
NODE_KINDS: tuple[str, ...] = ("overview", "part", "section", "paragraph")


@dataclass
class Figure:
    """One figure found in prose, with its value normalised to base units.

    ``value`` is exact (``Decimal``): ``32 billion RMB`` is ``Decimal(32000000000)``
    with ``unit="RMB"``. ``start``/``end`` locate the figure's text in the paragraph
    it was found in; ``sentence`` is the whole sentence around it.
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
        return f"{node.number}{'、' if lang == 'zh' else '. '}{title}"
    return title
