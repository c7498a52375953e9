"""Figures bound in the prose: ``{{key}}`` placeholders, their rendering and binding (no Qt).

A paragraph may name an indicator instead of printing its number (see ``docs/bindings.md``)::

    {{key}}  {{key:number}}  {{key:yoy}}  {{key:rate}}  {{key@2023}}  {{key:yoy@2023}}

:func:`find_bindings` reads the placeholders of a text, :func:`render` / :func:`render_spans`
write the figures in, per language, and :func:`bind_literals` turns the literal figures of an
imported text into placeholders, so that rendering gives back the same numbers.
``{{§12}}`` is not a figure but a reference to a part or section (:mod:`.cross_refs`):
:func:`find_bindings` passes over it, :func:`render` writes it out when given the numbers.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ipviewer.i18n import _
from ipviewer.indicators import qualifier_family, qualifier_words
from ipviewer.model import Figure, Indicator
from ipviewer.numbers import (
    NumberError,
    format_figure,
    format_qualifier,
    format_rate,
    format_yoy,
    parse_number,
)
from ipviewer.prose.cross_refs import NodeNumbers, is_cross_ref
from ipviewer.prose.extract import extract_figures, split_sentences
from ipviewer.prose.spans import SpanIndex

__all__ = [
    "FORMS",
    "Binding",
    "BindingError",
    "FigureValues",
    "bind_figures",
    "bind_literals",
    "bindable",
    "candidates",
    "find_bindings",
    "placeholder",
    "render",
    "render_spans",
    "sole_candidate",
]

#: What a placeholder can print of an indicator; ``figure`` is the plain ``{{key}}``.
FORMS = ("figure", "number", "yoy", "rate")

_KEY = r"[a-z0-9_]+"
_FORM = r"number|yoy|rate"
_YEAR = r"\d{4}"
_BODY = re.compile(
    rf"(?P<key>{_KEY})(?::(?P<form>{_FORM}))?(?:@(?P<year>{_YEAR}))?"
    rf"|(?P<key2>{_KEY})@(?P<year2>{_YEAR}):(?P<form2>{_FORM})"
)
_BRACES = re.compile(r"\{\{|\}\}")
#: Longest text between ``{{`` and ``}}`` that can be a placeholder (key, form and year).
_MAX_BODY = 200


@dataclass(frozen=True)
class Binding:
    """One ``{{...}}`` placeholder: its span in the text and what it asks for."""

    start: int
    end: int
    key: str
    form: str = "figure"
    year: int | None = None


class FigureValues(Mapping[tuple[str, int], Indicator]):
    """Indicators by ``(key, year)``, indexed by year, value and unit as well, so that
    :func:`candidates` finds the indicators a figure may stand for without a scan over all
    of them (which made ``bind`` and ``check`` quadratic in the size of the report)."""

    def __init__(self, values: Mapping[tuple[str, int], Indicator]) -> None:
        self._values = dict(values)
        self._by_value: dict[tuple[int, Decimal, str], list[str]] = {}
        for (key, year), value in sorted(self._values.items(), key=lambda item: item[0]):
            if isinstance(value.value, Decimal) and value.value.is_finite():
                self._by_value.setdefault((year, value.value, value.unit), []).append(key)

    def __getitem__(self, key_year: tuple[str, int]) -> Indicator:
        return self._values[key_year]

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def matching(self, year: int, value: Decimal, unit: str) -> list[str]:
        """Keys of the indicators of ``year`` with this value and unit, sorted."""
        return self._by_value.get((year, value, unit), [])


class BindingError(ValueError):
    """A placeholder that cannot be read or rendered; the message says what and where."""

    def __init__(self, problem: str, *, text: str = "", where: str = "", key: str = "",
                 year: int | None = None) -> None:
        message = _("{where}: {problem}").format(where=where, problem=problem) if where else problem
        super().__init__(message)
        self.problem = problem
        self.text = text
        self.where = where
        self.key = key
        self.year = year


def placeholder(key: str, form: str = "figure", year: int | None = None) -> str:
    """The placeholder text for ``key``: ``{{key}}``, ``{{key:yoy}}``, ``{{key:rate@2023}}``."""
    if not re.fullmatch(_KEY, key) or form not in FORMS:
        raise ValueError(f"not a valid figure reference: key {key!r}, form {form!r}")
    suffix = "" if form == "figure" else f":{form}"
    if year is not None:
        suffix += f"@{year:04d}"
    return "{{" + key + suffix + "}}"


#: How much of a malformed placeholder a message shows.
_SHOWN = 40


def _word_at(text: str, pattern: str) -> str:
    """What ``pattern`` (which always matches) finds in ``text``: the placeholder to show."""
    found = re.search(pattern, text)
    return found.group() if found else text


def _bad(text: str, where: str) -> BindingError:
    shown = " ".join(text.split())
    if len(shown) > _SHOWN:
        shown = shown[:_SHOWN - 1] + "…"
    problem = _('"{text}" is not a valid figure reference').format(text=shown)
    return BindingError(problem, text=text, where=where)


def find_bindings(text: str, where: str = "") -> list[Binding]:
    """Every ``{{...}}`` of ``text``, in order.

    ``where`` names the text's place (node and language) in error messages. A malformed
    placeholder (blanks, capitals, an unknown form or year, an unclosed ``{{`` or a stray
    ``}}``) raises :class:`BindingError`.
    """
    found: list[Binding] = []
    pos = 0
    while True:
        opening = _BRACES.search(text, pos)
        if opening is None:
            return found
        if opening.group() == "}}":
            start = max(0, opening.end() - _SHOWN)
            raise _bad(_word_at(text[start:opening.end()], r"\S{0,40}$"), where)
        closing = _BRACES.search(text, opening.end())
        if closing is None or closing.group() == "{{":
            stop = closing.start() if closing else len(text)
            stop = min(stop, opening.start() + _SHOWN)
            raise _bad(_word_at(text[opening.start():stop], r"^\S{0,40}"), where)
        if closing.start() - opening.end() > _MAX_BODY:
            raise _bad(text[opening.start():opening.start() + _SHOWN + 1], where)
        body = text[opening.end():closing.start()]
        if is_cross_ref(body):  # a part or section, not a figure (see .cross_refs)
            pos = closing.end()
            continue
        match = _BODY.fullmatch(body)
        if not match:
            raise _bad(text[opening.start():closing.end()], where)
        key = match["key"] or match["key2"]
        form = match["form"] or match["form2"] or "figure"
        year = match["year"] or match["year2"]
        found.append(Binding(opening.start(), closing.end(), key, form,
                             int(year) if year else None))
        pos = closing.end()


def _format(binding: Binding, lang: str, values: Mapping[tuple[str, int], Indicator],
            year: int, where: str) -> str:
    """The text that replaces ``binding`` in ``lang``."""
    wanted = binding.year if binding.year is not None else year
    figure = values.get((binding.key, wanted))
    if figure is None:
        problem = _('no value of "{key}" for {year}').format(key=binding.key, year=wanted)
        raise BindingError(problem, key=binding.key, year=wanted, where=where)
    if binding.form in ("yoy", "rate"):
        if figure.yoy_pct is None:
            problem = _('"{key}" has no year-on-year change for {year}').format(
                key=binding.key, year=wanted)
            raise BindingError(problem, key=binding.key, year=wanted, where=where)
        if binding.form == "yoy":
            return format_yoy(figure.yoy_pct, lang)
        return format_rate(figure.yoy_pct, lang)
    qualifier = figure.qualifier if binding.form == "figure" else ""
    try:
        return format_figure(figure.value, figure.unit, qualifier, lang)
    except (ValueError, ArithmeticError) as err:  # unknown qualifier, non-finite value
        problem = _('"{key}" for {year} cannot be written: {reason}').format(
            key=binding.key, year=wanted, reason=str(err))
        raise BindingError(problem, key=binding.key, year=wanted, where=where) from None


#: What a draft (or a comparison) prints for a reference that cannot be written.
MISSING_FIGURE = "[?{reference}]"


def render_spans(text: str, lang: str, values: Mapping[tuple[str, int], Indicator],
                 year: int, where: str = "", refs: NodeNumbers | None = None,
                 missing: list[tuple[BindingError, str]] | None = None
                 ) -> tuple[str, list[tuple[int, int, Binding]]]:
    """``text`` with its placeholders written out, and where each written figure now is.

    The spans ``(start, end, binding)`` index the returned text, so a view can highlight
    the bound figures. ``values`` maps ``(key, year)``; ``year`` is the report's year.
    With ``refs``, references to parts and sections print their current numbers too
    (without, they stay as they are). A reference with no value raises ``BindingError``;
    given a ``missing`` list, it prints as ``[?key]`` instead and (its error, what was
    printed) is added there (a malformed text still raises: it cannot be read at all).
    """
    parts: list[str] = []
    spans: list[tuple[int, int, Binding]] = []
    pos = length = 0
    for binding in find_bindings(text, where):
        literal = text[pos:binding.start]
        if refs is not None:
            literal = refs.fill(literal, lang)
        parts.append(literal)
        length += len(literal)
        try:
            figure = _format(binding, lang, values, year, where)
        except BindingError as exc:
            if missing is None:
                raise
            figure = MISSING_FIGURE.format(reference=text[binding.start + 2:binding.end - 2])
            missing.append((exc, figure))
        parts.append(figure)
        spans.append((length, length + len(figure), binding))
        length += len(figure)
        pos = binding.end
    parts.append(refs.fill(text[pos:], lang) if refs is not None else text[pos:])
    return "".join(parts), spans


def unresolved(text: str, lang: str, values: Mapping[tuple[str, int], Indicator], year: int,
               where: str = "") -> list[BindingError]:
    """Every reason ``text`` cannot be rendered, one per reference that has no value (or no
    year-on-year change, or cannot be written), in text order; a malformed text gives its
    one error. Empty when :func:`render` would succeed."""
    try:
        bindings = find_bindings(text, where)
    except BindingError as exc:
        return [exc]
    problems = []
    for binding in bindings:
        try:
            _format(binding, lang, values, year, where)
        except BindingError as exc:
            problems.append(exc)
    return problems


def render(text: str, lang: str, values: Mapping[tuple[str, int], Indicator], year: int,
           where: str = "", refs: NodeNumbers | None = None) -> str:
    """``text`` with each placeholder replaced by its figure in ``lang`` ('en' or 'zh'),
    and with ``refs`` each reference to a part or section by its number."""
    return render_spans(text, lang, values, year, where, refs)[0]


# --------------------------------------------------------------------------- binding

_DIGIT = re.compile(r"\d")  # also full-width digits


def bindable(figure: Figure) -> bool:
    """Whether ``figure`` can stand for an indicator: it is written in digits. A number in
    words ("four meetings", 两家) stays words, since a placeholder prints digits; so the
    importer makes no indicator of it, ``bind`` leaves it and the checks do not ask for it."""
    return bool(_DIGIT.search(figure.text))


def candidates(figure: Figure, values: Mapping[tuple[str, int], Indicator],
               year: int) -> list[str]:
    """Keys of the indicators of ``year`` that ``figure`` may stand for, best first.

    Same value and unit; when several qualify, those whose qualifier also matches the
    figure's come first (only they are returned if there are any).
    """
    if isinstance(values, FigureValues):
        same = values.matching(year, figure.value, figure.unit)
    else:
        same = sorted(key for (key, y), v in values.items()
                      if y == year and v.value == figure.value and v.unit == figure.unit)
    if len(same) > 1:
        matching = [k for k in same if qualifier_family(values[(k, year)].qualifier)
                    == qualifier_family(figure.qualifier)]
        return matching or same
    return same


def sole_candidate(figure: Figure, values: Mapping[tuple[str, int], Indicator],
                   year: int) -> str | None:
    """The one indicator of ``year`` that ``figure`` stands for (see :func:`candidates`), or
    None when none or several do (binding would be a guess)."""
    keys = candidates(figure, values, year)
    return keys[0] if len(keys) == 1 else None


_EN_QUAL_WORDS = qualifier_words("en")
_ZH_QUAL_WORDS = qualifier_words("zh")
#: Not after a negation ("no more than", 不超过) nor inside a longer word (将近, 最近).
_EN_QUAL_BEFORE = re.compile(
    r"(?<![\w-])(?<!\bno )(?<!\bnot )(?:" + "|".join(_EN_QUAL_WORDS) + r") $", re.IGNORECASE
)
_ZH_QUAL_BEFORE = re.compile("(?<![不未将接最附])(?:" + "|".join(_ZH_QUAL_WORDS) + ")$")


def _qualifier_before(text: str, start: int, lang: str) -> tuple[int, str]:
    """Where a qualifier word right before ``start`` begins, and the word (else start, '')."""
    pattern = _ZH_QUAL_BEFORE if lang == "zh" else _EN_QUAL_BEFORE
    found = pattern.search(text, max(0, start - 12), start)
    if not found:
        return start, ""
    return found.start(), found.group().rstrip()


_FOLD = str.maketrans("０１２３４５６７８９．％－−", "0123456789.%--")
_RATE = re.compile(
    r"(?<![0-9A-Za-z.,_])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?: ?%| (?:percent|per cent)\b)"
)
_RATE_GAP = re.compile(r"\s*(?:,\s*(?:and|or)\s+|,\s*|(?:and|or)\s+|、|和|及|与|以及|，)\s*")
_YOY = r"year[- ]on[- ]year"
_EN_YOY_PHRASE = re.compile(
    r"(?<![\w-])(?:(?P<up>up)|(?P<down>down))(?: by)? $"
    rf"|(?<![\w-])(?:an? )?(?:(?:{_YOY}|annual) )?"
    r"(?:(?P<up2>increase|rise|growth|gain)|(?P<down2>decrease|decline|drop|fall|reduction)) of $"
)
_ZH_YOY_PHRASE = re.compile(
    r"同比(?:(?P<up>增长|增加|上升|提高|上涨)|(?P<down>下降|减少|降低|下滑))了?$"
)


@dataclass
class _Rate:
    """A percentage in the prose that is not a figure itself: a change rate."""

    start: int
    end: int
    value: Decimal
    group: int  # how many rates stand together ("40.6% and 62.3%")


def _rates(scan: str, s: int, e: int, taken: SpanIndex[None]) -> list[_Rate]:
    """The change rates of sentence ``scan[s:e]`` (folded text): percentages outside ``taken``."""
    rates: list[_Rate] = []
    for m in _RATE.finditer(scan, s, e):
        if taken.overlaps(m.start(), m.end()):
            continue
        try:
            value = parse_number(m["num"])
        except NumberError:
            continue
        rates.append(_Rate(m.start(), m.end(), value, 1))
    runs: list[list[_Rate]] = []
    for rate in rates:
        if runs and _RATE_GAP.fullmatch(scan, runs[-1][-1].end, rate.start):
            runs[-1].append(rate)
        else:
            runs.append([rate])
    for run in runs:
        for rate in run:
            rate.group = len(run)
    return rates


def _rate_binding(scan: str, s: int, rate: _Rate, key: str, pct: Decimal,
                  lang: str, at: int | None = None) -> tuple[int, str]:
    """Start and placeholder for a rate: ``{{key:yoy}}`` over a plain direction phrase
    ("up 14.28%", "an increase of 14.28%", "同比增长14.28%"), else ``{{key:rate}}``
    (``at``: the year the placeholder names, None for the report's)."""
    if rate.group == 1 and pct != 0:
        pattern = _ZH_YOY_PHRASE if lang == "zh" else _EN_YOY_PHRASE
        phrase = pattern.search(scan, max(s, rate.start - 60), rate.start)
        if phrase:
            up = bool(phrase.groupdict().get("up") or phrase.groupdict().get("up2"))
            if up == (pct > 0):
                return phrase.start(), placeholder(key, "yoy", at)
    return rate.start, placeholder(key, "rate", at)


def _faithful(text: str, end: int, tries: Sequence[tuple[int, str]], lang: str,
              values: Mapping[tuple[str, int], Indicator], year: int
              ) -> tuple[int, int, str] | None:
    """The first ``(start, placeholder)`` of ``tries`` that renders exactly as the text it
    replaces (``text[start:end]``), as an edit; None when none does: the importer never
    changes the editors' words ("an increase of 14.28%" stays, "1402" does not become
    "1,402")."""
    for start, code in tries:
        try:
            if render(code, lang, values, year) == text[start:end]:
                return start, end, code
        except BindingError:
            continue
    return None


def bind_literals(text: str, lang: str, values: Mapping[tuple[str, int], Indicator],
                  year: int, where: str = "", *, pinned: bool = False
                  ) -> tuple[str, list[Figure]]:
    """Replace the literal figures of ``text`` by placeholders of the indicators of ``year``.

    A figure is bound when exactly one indicator has its value and unit (see
    :func:`candidates`). The qualifier word before it goes into ``{{key}}`` when it is the
    word the indicator renders ("over 450,000" -> ``{{key}}``); when the wording differs
    the word stays and ``{{key:number}}`` is used, so the prose keeps its words. The
    figure's year-on-year rate, when it equals the indicator's, becomes ``{{key:yoy}}``
    together with a plain direction phrase ("up 14.28%", "an increase of 14.28%",
    "同比增长14.28%"), otherwise ``{{key:rate}}`` (always for "X% and Y%, respectively").
    Numbers written as words ("four meetings", 两家) stay: rendering would print digits.

    Returns the new text and what stays literal: figures without a single indicator
    (unmatched or ambiguous), numbers in words, and rates of bound figures that differ
    from the indicator's YoY (as ``%`` figures). Rendering the new text with ``values``
    gives back the same numbers. ``pinned``: the references name ``year`` (a text under a
    "## 2013" heading of a later report).
    """
    figures = extract_figures(text, lang)  # placeholders are blanks to it
    keys = [sole_candidate(fig, values, year) for fig in figures]
    return bind_figures(text, lang, figures, keys, values, year, where, pinned=pinned)


def bind_figures(text: str, lang: str, figures: Sequence[Figure], keys: Sequence[str | None],
                 values: Mapping[tuple[str, int], Indicator], year: int,
                 where: str = "", *, word_for_word: bool = False,
                 pinned: bool = False) -> tuple[str, list[Figure]]:
    """Replace the literal figures of ``text`` that :func:`extract_figures` found
    (``figures``) by placeholders of the indicators ``keys`` says they stand for (``None``:
    the figure stays). The work of :func:`bind_literals` once the indicators are chosen:
    the importer, which made each indicator from its figure, binds with it directly.

    ``values`` holds each key's value for ``year`` (its qualifier and YoY decide the
    placeholder's form). Returns the new text and what stays literal, as
    :func:`bind_literals` does. ``word_for_word`` (the importer, which binds without being
    asked): a figure or rate is bound only by a reference that prints exactly the words it
    replaces, else it stays literal for ``bind`` (which may say "up 14.28%" for "an increase
    of 14.28%", and shows that in its dry run). ``pinned``: the references name ``year``
    (``{{key@2013}}``), for figures of a year other than the report's.
    """
    at = year if pinned else None
    existing = [(b.start, b.end, None) for b in find_bindings(text, where)]
    edits: list[tuple[int, int, str]] = []
    left: list[Figure] = []
    bound: dict[int, str] = {}  # id(figure) -> key
    for fig, key in zip(figures, keys, strict=True):
        if key is None or not bindable(fig):  # "four meetings" keeps its word
            left.append(fig)
            continue
        bound[id(fig)] = key
        try:
            wanted: str | None = format_qualifier(values[(key, year)].qualifier, lang)
        except ValueError:
            wanted = None  # an unknown qualifier: keep the prose's own words
        start, word = _qualifier_before(text, fig.start, lang)
        tries = ([(start, placeholder(key, "figure", at))] if wanted == word else []) \
            + [(fig.start, placeholder(key, "number", at))]
        edit = (_faithful(text, fig.end, tries, lang, values, year) if word_for_word
                else (tries[0][0], fig.end, tries[0][1]))
        if edit is None:  # no reference prints these very words: the figure stays
            del bound[id(fig)]
            left.append(fig)
        else:
            edits.append(edit)
    taken = SpanIndex([(f.start, f.end, None) for f in figures] + existing)
    scan = text.translate(_FOLD)  # same length: spans carry over
    with_rate = sorted((f for f in figures if f.yoy_pct is not None), key=lambda f: f.start)
    starts = [f.start for f in with_rate]
    for s, e in split_sentences(text, lang):
        # the figures of the sentence that have a rate, with it: the Nth rate of a value
        # goes to the Nth figure with that rate ("respectively")
        waiting: dict[Decimal, deque[Figure]] = {}  # by the size of the rate, in order
        for fig in with_rate[bisect_left(starts, s):bisect_left(starts, e)]:
            waiting.setdefault(abs(fig.yoy_pct), deque()).append(fig)  # type: ignore[arg-type]
        if not waiting:
            continue
        sentence = text[s:e]
        for rate in _rates(scan, s, e, taken):
            queue = waiting.get(rate.value)
            if not queue:
                continue
            fig = queue.popleft()
            written = fig.yoy_pct
            key = bound.get(id(fig))
            if key is None:
                continue  # the figure itself is reported
            pct = values[(key, year)].yoy_pct
            if pct is None or pct != written:
                left.append(Figure(value=written, text=text[rate.start:rate.end],
                                   start=rate.start, end=rate.end, sentence=sentence,
                                   unit="%", label=fig.label))
                continue
            tries = [_rate_binding(scan, s, rate, key, pct, lang, at),
                     (rate.start, placeholder(key, "rate", at))]
            edit = (_faithful(text, rate.end, tries, lang, values, year) if word_for_word
                    else (tries[0][0], rate.end, tries[0][1]))
            if edit is not None:
                edits.append(edit)
    out: list[str] = []
    pos = 0
    for start, end, code in sorted(edits):
        if start < pos:
            continue  # never overlaps in practice; keep the text whole if it does
        out += [text[pos:start], code]
        pos = end
    out.append(text[pos:])
    left.sort(key=lambda f: f.start)
    return "".join(out), left
