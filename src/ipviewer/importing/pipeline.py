"""From a text file to a report: read, parse the structure, extract the figures, and write
them as indicators bound in the text (one reading of each text: :func:`parse_text` extracts,
:func:`write_imported` / :func:`add_translation` bind with what it found).

The one entry point the CLI, the sample builder and (later) the UI use for importing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from ..i18n import _
from ..model import Figure, Indicator, Node, ParsedReport
from ..prose.bindings import BindingError, bind_figures, bindable, sole_candidate
from ..prose.extract import extract_figures
from ..report_text import stored_figure_values
from ..store import ReportStore
from ..terms import Glossary
from ..terms.labels import english_label
from .source import SourceError, read_source
from .structure import ParagraphTooLong, parse_report
from .years import heading_years


def parse_text(text: str, lang: str | None = None) -> ParsedReport:
    """Structure and figures of a report text (language detected when ``lang`` is None).

    ``node.figures`` holds every figure of the node's text, as
    :func:`~ipviewer.prose.extract.extract_figures` reads it (the one reading: writing the
    report binds with these, see :func:`write_imported`). A paragraph longer than
    :data:`~.structure.MAX_PARAGRAPH` raises :class:`~.structure.ParagraphTooLong` (naming
    its line); the time taken grows linearly with the text.
    """
    parsed = parse_report(text, lang)
    for node in parsed.walk():
        body = node.text(parsed.lang)
        if body:
            node.figures = extract_figures(body, parsed.lang)
    return parsed


def create_report(path: str | os.PathLike[str], parsed: ParsedReport, year: int,
                  node_years: Mapping[int, int] | None = None,
                  glossary: Glossary | None = None) -> ReportStore:
    """Write ``parsed`` as a new report file at ``path`` (see :func:`write_imported`) and
    open it. The file is built whole before it appears (:meth:`ReportStore.building`)."""
    with ReportStore.building(path) as store:
        write_imported(store, parsed, year, node_years, glossary)
    return ReportStore.open(path)


def write_imported(store: ReportStore, parsed: ParsedReport, year: int,
                   node_years: Mapping[int, int] | None = None,
                   glossary: Glossary | None = None) -> None:
    """Write ``parsed`` into the new, empty ``store``: each figure written in digits becomes
    an indicator of ``year`` and is bound to it in the text (``{{key}}``).

    The figures are those :func:`parse_text` found: the text is not read a second time, and
    no indicator is guessed by its value (two figures of one value keep one indicator
    each). A number in words ("four meetings", 四次) stays words and makes no indicator (a
    placeholder would print digits). Afterwards ``node.figures`` holds the figures that
    became indicators. A text whose ``{{`` … ``}}`` is malformed is left as it is
    (``bind`` and ``check`` name its place).

    ``node_years`` (``id(node)`` -> year, see :attr:`.years.YearChoice.node_years`): the
    nodes whose figures belong to another year; their indicators are of that year and
    their references name it (``{{key@2013}}``).
    """
    lang = parsed.lang
    node_years = node_years or {}
    found = {id(node): node.figures for node in parsed.walk()}
    for node in parsed.walk():
        node.figures = [figure for figure in node.figures if bindable(figure)]
        if lang == "zh" and glossary is not None:
            _label_in_english(node.figures, glossary)
    store.write_parsed(parsed, year, node_years)
    made = {(row["node_id"], row["source_start"]): row["key"]
            for row in store.indicator_rows()}
    changed = []
    for node in parsed.walk():
        if not node.figures:
            continue
        figures = found[id(node)]
        when = node_years.get(id(node), year)
        keys = [made.get((node.id, f.start)) if bindable(f) else None for f in figures]
        values = {(key, when): Indicator(key, when, f.value, f.unit, f.qualifier, f.yoy_pct)
                  for f, key in zip(figures, keys) if key is not None}
        text = node.text(lang)
        try:
            bound, _left = bind_figures(text, lang, figures, keys, values, when,
                                        word_for_word=True, pinned=when != year)
        except BindingError:
            continue
        if bound != text:
            setattr(node, f"text_{lang}", bound)
            changed.append(node)
    if changed:
        store.set_node_texts(lang, changed)


def _label_in_english(figures: list[Figure], glossary: Glossary) -> None:
    """Give each figure of a Chinese text without an English label the glossary's English
    for its label (the indicator's English name, and so its key)."""
    for figure in figures:
        if not figure.other_labels.get("en"):
            english = english_label(glossary, figure.label)
            if english:
                figure.other_labels["en"] = english


def parse_file(path: str | os.PathLike[str], lang: str | None = None,
               encoding: str | None = None) -> ParsedReport:
    """Read and parse a report file (``encoding``: the codec to use instead of deciding it);
    bad files (a paragraph longer than :data:`~.structure.MAX_PARAGRAPH` too) raise
    ``SourceError`` naming the file."""
    text = read_source(path, encoding)
    try:
        return parse_text(text, lang)
    except ParagraphTooLong as err:
        raise SourceError(path, str(err)) from None


def guess_year(parsed: ParsedReport) -> int | None:
    """The report year as stated in its title ("... in the Year 2024", "2024年..."), if any."""
    years = re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", parsed.title)
    return int(years[-1]) if years else None


def merge_translation(base: ParsedReport, other: ParsedReport) -> list[str]:
    """Copy ``other``'s titles and texts into ``base`` node by node.

    Both must have the same structure (same kinds and numbers of nodes in the same
    order). Figures found in both paragraphs with the same values, in the same order,
    receive the other language's label. Returns the mismatches found; on any
    mismatch ``base`` is left unchanged.
    """
    lang = other.lang
    base_nodes, other_nodes = list(base.walk()), list(other.walk())
    problems = []
    for index, (mine, theirs) in enumerate(zip(base_nodes, other_nodes), start=1):
        if mine.kind != theirs.kind or len(mine.children) != len(theirs.children):
            problems.append(
                _("node {index}: {kind} “{name}” does not match {other_kind} “{other_name}” "
                  "({count} parts below it against {other_count})").format(
                    index=index, kind=mine.kind, name=_name(mine, base.lang),
                    other_kind=theirs.kind, other_name=_name(theirs, lang),
                    count=len(mine.children), other_count=len(theirs.children)))
    if len(base_nodes) != len(other_nodes):
        problems.append(_("{count} nodes in {lang}, {other_count} in {other_lang}").format(
            count=len(base_nodes), lang=base.lang, other_count=len(other_nodes),
            other_lang=lang))
    if problems:
        return problems
    for mine, theirs in zip(base_nodes, other_nodes):
        setattr(mine, f"title_{lang}", theirs.title(lang))
        setattr(mine, f"text_{lang}", theirs.text(lang))
        theirs_values = [f.value for f in theirs.figures]
        if [f.value for f in mine.figures] == theirs_values:
            for figure, match in zip(mine.figures, theirs.figures):
                figure.other_labels[lang] = match.label
    return []


def _name(node: Node, lang: str) -> str:
    return (node.title(lang) or node.text(lang))[:40]


def add_translation(store: ReportStore, path: str | os.PathLike[str], lang: str,
                    replace: bool = False, encoding: str | None = None) -> list[str]:
    """Import ``path`` as the ``lang`` side of the report in ``store``, aligned by structure.

    Returns what could not be aligned; then (or when the report already has text in
    ``lang`` and ``replace`` is false) nothing is written.
    """
    other = parse_file(path, lang, encoding)
    info = store.report()
    nodes = store.load_tree()
    base = ParsedReport(lang=info["source_lang"], nodes=nodes)
    if lang == base.lang:
        return [_("the report is already written in this language")]
    if not replace and any(node.title(lang) or node.text(lang) for node in base.walk()):
        return [_("the report already has text in this language (replace it with --force)")]
    problems = merge_translation(base, other)
    if problems:
        return problems
    _bind_translation(store, base, other, info["year"])
    store.set_node_texts(lang, list(base.walk()))
    store.set_report_fields(lang, other.title, other.publisher, other.date)
    return []


def _bind_translation(store: ReportStore, base: ParsedReport, other: ParsedReport,
                      year: int) -> None:
    """Bind the figures of the added language (``other``, merged into ``base``) that one
    indicator of ``year`` holds, as ``bind`` would, with the figures :func:`parse_file`
    found (under a year heading of the report, an indicator of that year:
    ``{{key@2013}}``). Nothing is bound when a stored value is damaged (``bind`` names
    it), nor in a text whose ``{{`` … ``}}`` is malformed."""
    lang = other.lang
    try:
        values = stored_figure_values(store)
    except BindingError:
        return
    node_years = heading_years(base.nodes, base.lang)  # as the import placed them
    for mine, theirs in zip(base.walk(), other.walk()):
        text = mine.text(lang)
        if not theirs.figures or not text:
            continue
        when = node_years.get(id(mine), year)
        keys = [sole_candidate(figure, values, when) for figure in theirs.figures]
        try:
            bound, _left = bind_figures(text, lang, theirs.figures, keys, values, when,
                                        word_for_word=True, pinned=when != year)
        except BindingError:
            continue
        setattr(mine, f"text_{lang}", bound)
