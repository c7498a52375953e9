"""What the checks share: a finding, and one text of a node with its figures written in."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..i18n import N_, _
from ..model import Figure
from ..prose.bindings import Binding
from ..prose.extract import extract_figures
from ..prose.spans import SpanIndex


@dataclass
class Finding:
    """One problem found; ``node_id`` / ``key`` say where to jump to."""

    severity: str  # 'error' or 'warning'
    #: 'yoy', 'yoy-swapped', 'parity', 'direction', 'reference', 'untranslated',
    #: 'terminology', 'forbidden-term', 'unbound-figure', 'unused-indicator', 'parts-exceed-total',
    #: 'damaged' (a stored cell ipviewer cannot use: not a number, not UTF-8, a lost node),
    #: 'cross-reference' (a {{§id}} to a part or section that is gone or has no number)
    code: str
    message: str
    where: str = ""
    node_id: int | None = None
    key: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"{_(SEVERITIES[self.severity])}: {place}{self.message}"


#: How findings name their severity.
SEVERITIES = {"error": N_("error"), "warning": N_("warning")}


@dataclass
class RenderedText:
    """One language's text of a node: as stored (``raw``, with ``{{key}}`` placeholders) and
    with its figures written in (``text``); ``spans`` say where each bound figure now is."""

    lang: str
    raw: str
    text: str
    where: str
    spans: list[tuple[int, int, Binding]] = field(default_factory=list)
    _figures: list[Figure] | None = field(default=None, repr=False)
    _index: SpanIndex[Binding] | None = field(default=None, repr=False)

    @property
    def figures(self) -> list[Figure]:
        """The figures of the written-in text (found once, shared by the checks)."""
        if self._figures is None:
            self._figures = extract_figures(self.text, self.lang)
        return self._figures

    def key_at(self, start: int, end: int) -> str:
        """The indicator bound where ``text[start:end]`` is, or ''."""
        if self._index is None or len(self._index) != len(self.spans):
            self._index = SpanIndex(self.spans)
        binding = self._index.find(start, end)
        return binding.key if binding is not None else ""


def figure_name(figure: Figure) -> str:
    """A figure as messages name it: its text and, when known, what it counts."""
    return f"{figure.text} ({figure.label})" if figure.label else figure.text
