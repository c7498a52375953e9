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
    #: One of :data:`FINDING_CODES`: stable across versions, for scripts reading the JSON.
    code: str
    message: str
    where: str = ""
    node_id: int | None = None
    key: str = ""

    def __post_init__(self) -> None:
        if self.code not in FINDING_CODES or self.severity not in SEVERITIES:
            raise ValueError(f"unknown finding: {self.severity} {self.code}")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"{_(SEVERITIES[self.severity])}: {place}{self.message}"


#: How findings name their severity.
SEVERITIES = {"error": N_("error"), "warning": N_("warning")}

#: Every code a finding may have, with what it means. Codes are stable: a script may rely on
#: them (``ipviewer check --format json``); docs/CHECKS.md lists them (a test keeps it true).
FINDING_CODES = {
    "damaged": N_("a stored cell ipviewer cannot use: not a number, not UTF-8, a lost node"),
    "value-to-update": N_("a value carried over from last year, not yet changed or confirmed "
                          "unchanged"),
    "text-to-update": N_("a text carried over from last year, not yet changed or confirmed "
                         "unchanged"),
    "yoy": N_("a stated year-on-year change that last year's value does not give"),
    "yoy-swapped": N_("two stated changes that look swapped"),
    "reference": N_("a figure reference that cannot be written: no such indicator, no value "
                    "or change for the year, a malformed reference"),
    "cross-reference": N_("a reference to a part or section that does not exist"),
    "parity": N_("a figure stated in one language and not in the other"),
    "direction": N_("a change that goes up in one language and down in the other"),
    "parts-exceed-total": N_("parts that add up to more than their total"),
    "untranslated": N_("a title or text in one language only"),
    "unbound-figure": N_("a number typed into a text that an indicator holds"),
    "unused-indicator": N_("an indicator of the report's year that no text uses"),
    "stale-figure": N_("a number typed into a text that is last year's value of an indicator"),
    "previous-year": N_("last year named as if it were the report's year"),
    "implausible-change": N_("a value that changed by more than a plausible factor"),
    "yoy-contradicts-text": N_("a change whose sign contradicts the text's word for it"),
    "prior-differs": N_("(compare) last year's value differs between the two reports"),
    "terminology": N_("a term without the glossary's translation"),
    "forbidden-term": N_("a variant of a term that the glossary forbids"),
}


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
