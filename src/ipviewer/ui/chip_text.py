"""The text of a bound paragraph as the editor holds it: which parts are chips (figure
placeholders, raw characters a ``QTextDocument`` cannot hold) and how document positions
map to source indexes, and what a chip shows and says in its tooltip (no Qt). Part of
:mod:`.bound_text_edit`."""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

from ..i18n import _
from ..model import Indicator
from ..prose.bindings import Binding, BindingError, find_bindings, render_spans
from ..prose.cross_refs import NodeNumbers, find_cross_refs

OBJECT_CHAR = "\ufffc"


#: Characters a QTextDocument changes (block separators) or that are our own marker.
RAW_CHARS = "\r\u2029\ufdd0\ufdd1\ufffc"


RAW_NAMES = {"\r": "CR", "\u2029": "PS", "\ufdd0": "U+FDD0", "\ufdd1": "U+FDD1",
              "\ufffc": "OBJ"}


_TOKEN = re.compile(r"\{\{|\}\}|[" + RAW_CHARS + "]")


_BRACES = re.compile(r"\{\{|\}\}")


#: What may stand between ``{{`` and ``}}`` for the pair to be shown as one chip (valid or
#: broken); anything longer or with blanks stays literal text, underlined as an error.
_CHIP_BODY = re.compile(r"[^\s" + RAW_CHARS + r"]{0,64}")


ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Chip:
    """One chip: what it stands for and what it shows."""

    source: str  #: the placeholder (or raw character) as stored in the text
    text: str  #: what the chip shows: the figure, or the placeholder when broken
    kind: str  #: "figure", "reference" (to a part or section), "broken" or "char"
    binding: Binding | None = None  #: what the placeholder asks for (None when unreadable)
    error: str = ""  #: why a broken chip cannot be written (the BindingError message)
    position: int = -1  #: the chip's character in the document (from :meth:`chip_at`)


def tokens(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where ``text`` has chips, and its stray braces: two lists of ``(start, end)``.

    Placeholders are read as :func:`ipviewer.prose.bindings.find_bindings` reads them: from each
    ``{{`` to the next ``}}`` unless another ``{{`` comes first.
    """
    chips: list[tuple[int, int]] = []
    stray: list[tuple[int, int]] = []
    pos = 0
    while True:
        found = _TOKEN.search(text, pos)
        if found is None:
            return chips, stray
        token = found.group()
        if token == "{{":
            closing = _BRACES.search(text, found.end())
            if (closing is not None and closing.group() == "}}"
                    and _CHIP_BODY.fullmatch(text, found.end(), closing.start())):
                chips.append((found.start(), closing.end()))
                pos = closing.end()
                continue
            stray.append((found.start(), found.end()))
        elif token == "}}":
            stray.append((found.start(), found.end()))
        else:
            chips.append((found.start(), found.end()))
        pos = found.end()


def utf16_len(text: str) -> int:
    return len(text) + len(ASTRAL.findall(text)) if ASTRAL.search(text) else len(text)


def py_offset(text: str, units: int) -> int:
    """The index in ``text`` of the UTF-16 offset ``units``."""
    if not ASTRAL.search(text):
        return units
    count = 0
    for index, char in enumerate(text):
        if count >= units:
            return index
        count += 2 if char > "\uffff" else 1
    return len(text)


@dataclass
class Segment:
    """A run of the document: literal text, a chip, or a block separator."""

    doc: int  # position in the document (UTF-16 units)
    doc_len: int
    src: int  # index in the source
    text: str  # its source text
    chip: bool


@dataclass
class TextWalk:
    """The document read back: the source, its chips and the segments that map positions."""

    source: str
    chips: list[tuple[int, int]]
    segments: list[Segment]
    clean: bool  # every U+FFFC is a chip and every chip one U+FFFC

    def to_source(self, position: int) -> int:
        """The source index of a document position."""
        starts = [s.doc for s in self.segments]
        index = bisect_right(starts, position) - 1
        if index < 0:
            return 0
        seg = self.segments[index]
        offset = position - seg.doc
        if offset <= 0:
            return seg.src
        if seg.chip:
            return seg.src + len(seg.text)
        return seg.src + py_offset(seg.text, min(offset, seg.doc_len))

    def to_document(self, index: int) -> int:
        """The document position of a source index (inside a chip: after it)."""
        starts = [s.src for s in self.segments]
        found = bisect_right(starts, index) - 1
        if found < 0:
            return 0
        seg = self.segments[found]
        offset = min(index - seg.src, len(seg.text))
        if offset <= 0:
            return seg.doc
        if seg.chip:
            return seg.doc + seg.doc_len
        return seg.doc + utf16_len(seg.text[:offset])


def utf16_slice(text: str, units: bytes, start: int, end: int, astral: bool) -> str:
    """``text`` between two UTF-16 offsets."""
    if not astral:
        return text[start:end]
    return units[2 * start:2 * end].decode("utf-16-le", "surrogatepass")


def moved_index(index: int, old: str, new: str) -> int:
    """Where source index ``index`` of ``old`` is in ``new`` (one changed region)."""
    if old == new:
        return index
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    if index <= prefix:
        return index
    if index >= len(old) - suffix:
        return index + len(new) - len(old)
    return len(new) - suffix


def describe(source: str, lang: str, values: Mapping[tuple[str, int], Indicator],
             year: int, refs: NodeNumbers | None = None) -> Chip:
    """What the chip of ``source`` shows in an editor of ``lang``: a raw character's name,
    a figure filled in from ``values``, a part's or section's number from ``refs``, or the
    placeholder itself with why it is broken."""
    if len(source) == 1:
        return Chip(source, RAW_NAMES.get(source, f"U+{ord(source):04X}"), "char")
    crossing = find_cross_refs(source)
    if crossing and crossing[0].end == len(source):
        ref = crossing[0]
        if refs is None:
            return Chip(source, source, "reference")
        if refs.node(ref.node_id) is None:
            return Chip(source, source, "broken", None, _(
                "{reference} refers to a part or section that is no longer in the report "
                "(deleted?)").format(reference=source))
        return Chip(source, refs.text(ref, _report_lang(lang)), "reference")
    try:
        binding = find_bindings(source)[0]
    except (BindingError, IndexError) as err:
        return Chip(source, source, "broken", None, str(err))
    try:
        rendered, _spans = render_spans(source, _report_lang(lang), values, year)
    except BindingError as err:
        return Chip(source, source, "broken", binding, str(err))
    return Chip(source, rendered, "figure", binding)


def chip_tooltip(chip: Chip, values: Mapping[tuple[str, int], Indicator], year: int,
                 name: str = "") -> str:
    """The tooltip of a chip (HTML): the indicator (``name``), its year and exact value; or
    the error."""
    if chip.kind == "char":
        return f"U+{ord(chip.source):04X}"
    if chip.kind == "broken":
        return (f"<p style='white-space:pre'><b>{_escape(chip.source)}</b></p>"
                f"<p>{_escape(chip.error)}</p>")
    if chip.kind == "reference":
        # L10N: tooltip of a reference to a part or section in the paragraph editor
        return _escape(_("{reference}: the current number of a part or section").format(
            reference=chip.source))
    binding = chip.binding
    assert binding is not None
    year = binding.year if binding.year is not None else year
    value = values.get((binding.key, year))
    parts = []
    if name:
        parts.append(f"<b>{_escape(name)}</b><br>")
    # L10N: tooltip of a figure in the paragraph editor
    parts.append(_escape(_("Bound to the indicator “{key}”").format(key=binding.key)))
    rows = [(_("Year"), str(year))]
    if value is not None:
        rows.append((_("Value"), f"{value.value:,f}"))
        if value.unit:
            rows.append((_("Unit"), value.unit))
        if value.qualifier:
            rows.append((_("Qualifier"), value.qualifier))
        if value.yoy_pct is not None:
            rows.append((_("YoY %"), f"{value.yoy_pct:+f}"))
    table = "".join(f"<tr><td>{_escape(label)}</td><td>&nbsp;{_escape(text)}</td></tr>"
                    for label, text in rows)
    return "".join(parts) + f"<table>{table}</table>"


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _report_lang(lang: str) -> str:
    """'zh' for any Chinese code (zh, zh_CN), else 'en': the languages of a report."""
    return "zh" if lang.lower().startswith("zh") else "en"
