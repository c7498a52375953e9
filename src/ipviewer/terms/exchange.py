"""Glossary exchange: CSV and TBX import/export, and merging imported terms.

CSV: a header row naming the columns ``english, chinese, field, note, approved`` (``english``
and ``chinese`` required; ``forbidden`` and ``sources`` optional, values separated by ``;``).
UTF-8 with or without BOM (or UTF-16, or an encoding recognised with evidence or given with
``--encoding``). ``approved`` is yes/no (also true/false, 1/0); empty means no:
imported terms are not approved unless the file says so.

TBX: TBX-Basic (``martif`` / ``termEntry`` / ``langSet xml:lang`` / ``tig`` / ``term``) and
TBX v3 (``tbx`` / ``conceptEntry`` / ``langSec`` / ``termSec``), parsed with defusedxml:
entity declarations and external references are refused. The subject field is
``<descrip type="subjectField">``; a Chinese term's ``administrativeStatus`` says whether it
is approved (``preferredTerm-admn-sts``), a draft (``admittedTerm-admn-sts``, or none) or
forbidden (``deprecatedTerm-admn-sts`` / ``supersededTerm-admn-sts``).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import xml.etree.ElementTree as ET
import xml.sax
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from ..i18n import _
from ..spreadsheet_cells import guard, unguard
from ..text_decoding import DecodeError, decode_text
from .catalog import atomic_write
from .glossary import FIELDS, Glossary, GlossaryError
from .problems import CatalogError, Problem, read_limited
from .term import Term

#: The CSV columns, in the order they are written.
CSV_COLUMNS = ("english", "chinese", "field", "note", "approved", "forbidden", "sources")
REQUIRED_CSV_COLUMNS = ("english", "chinese")
_YES = {"yes", "y", "true", "1", "approved", "是"}
_NO = {"no", "n", "false", "0", "", "fuzzy", "否"}
#: At most this many problems are listed for one file.
MAX_PROBLEMS = 20
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class ExchangeError(CatalogError):
    """An import file that cannot be used; ``problems`` say where and why."""


# -- CSV -----------------------------------------------------------------------------------


def read_csv(path: str | os.PathLike[str], encoding: str | None = None) -> list[Term]:
    """The terms of a CSV file; :class:`ExchangeError` naming each bad line.

    The encoding is decided from the bytes (:func:`ipviewer.text_decoding.decode_text`:
    UTF-8, UTF-16, GB18030 … with evidence) unless ``encoding`` names it.
    """
    name = str(path)
    data = _read(path)
    problems: list[Problem] = []
    try:
        text = decode_text(data, encoding).text
    except DecodeError as exc:
        raise ExchangeError([Problem(name, exc.line, exc.reason)]) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    terms: list[Term] = []
    columns: list[str] | None = None
    line = 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = _csv_header(row, name, start)
                continue
            try:
                cells = dict(zip(columns, map(unguard, row)))  # our guard comes off
                terms.append(_csv_term(cells, len(row), len(columns), f"{name}:{start}"))
            except ValueError as exc:
                problems.append(Problem(name, start, str(exc)))
                if len(problems) >= MAX_PROBLEMS:
                    break
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, _("not valid CSV ({reason})").format(
            reason=exc)))
    if columns is None and not problems:
        problems.append(Problem(name, None, _("empty: no header row")))
    if problems:
        raise ExchangeError(problems)
    return terms


def _csv_header(row: list[str], name: str, line: int) -> list[str]:
    columns = [cell.strip().lower() for cell in row]
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    missing = [c for c in REQUIRED_CSV_COLUMNS if c not in columns]
    if unknown or missing or len(set(columns)) != len(columns):
        raise ExchangeError([Problem(name, line, _(
            "the header row must name the columns {columns} (english and chinese required; "
            "each once); found: {found}").format(
                columns=", ".join(CSV_COLUMNS), found=", ".join(columns)))])
    return columns


def _csv_term(cells: dict[str, str], count: int, expected: int, origin: str) -> Term:
    """A term from one row; ValueError (the message) when the row is malformed."""
    if count != expected:
        raise ValueError(_("{count} cells, but the header has {expected} columns").format(
            count=count, expected=expected))
    english = cells.get("english", "").strip()
    if not english:
        raise ValueError(_("the english cell is empty"))
    field = cells.get("field", "").strip()
    if field and field not in FIELDS:
        raise ValueError(_('unknown field "{field}" (known: {fields})').format(
            field=field, fields=", ".join(FIELDS)))
    approved = cells.get("approved", "").strip().lower()
    if approved not in _YES | _NO:
        raise ValueError(_('approved must be yes or no, not "{value}"').format(value=approved))
    return Term(
        english=english, chinese=cells.get("chinese", "").strip(), field=field,
        note=cells.get("note", "").strip(), forbidden=_split(cells.get("forbidden", "")),
        sources=_split(cells.get("sources", "")),
        approved=approved in _YES and bool(cells.get("chinese", "").strip()), origin=origin,
    )


def _split(cell: str) -> list[str]:
    return [v.strip() for v in cell.replace("；", ";").split(";") if v.strip()]


def csv_text(terms: Iterable[Term]) -> str:
    """The terms as CSV text (header row first; no BOM). A cell a spreadsheet would run as
    a formula (``=…``, ``-…``) starts with an apostrophe (:mod:`ipviewer.spreadsheet_cells`),
    which reading removes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for term in terms:
        writer.writerow([guard(cell) for cell in (
            term.english, term.chinese, term.field, term.note,
            "yes" if term.approved else "no", "; ".join(term.forbidden),
            "; ".join(term.sources))])
    return out.getvalue()


def write_csv(terms: Iterable[Term], path: str | os.PathLike[str], bom: bool = True) -> None:
    """Write the terms as a CSV file (with a BOM by default, so Excel reads it as UTF-8)."""
    data = csv_text(terms).encode("utf-8")
    atomic_write(path, (b"\xef\xbb\xbf" if bom else b"") + data)


# -- TBX -----------------------------------------------------------------------------------


#: Deepest element nesting a TBX file may have (TBX-Basic and TBX v3 need about eight).
MAX_TBX_DEPTH = 100
#: Most elements in one TBX file (a term entry has about ten).
MAX_TBX_ELEMENTS = 500_000


@dataclasses.dataclass(slots=True)
class _Element:
    name: str
    attrs: dict[str, str]
    line: int
    children: list[_Element] = dataclasses.field(default_factory=list)
    text: str = ""
    pieces: list[str] = dataclasses.field(default_factory=list)

    def attr(self, name: str) -> str:
        return self.attrs.get(name, "")


class _TooComplex(Exception):
    """A TBX file nested too deeply or with too many elements (``str()`` says which)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _TreeBuilder(xml.sax.ContentHandler):
    """A small element tree that remembers each element's line, within the bounds of
    :data:`MAX_TBX_DEPTH` and :data:`MAX_TBX_ELEMENTS`."""

    def __init__(self) -> None:
        super().__init__()
        self.root: _Element | None = None
        self.stack: list[_Element] = []
        self.locator: Any = None
        self.count = 0

    def setDocumentLocator(self, locator: Any) -> None:
        self.locator = locator

    def line(self) -> int:
        return self.locator.getLineNumber() if self.locator is not None else 0

    def startElement(self, name: str, attrs: Any) -> None:
        self.count += 1
        if len(self.stack) >= MAX_TBX_DEPTH:
            raise _TooComplex(_("elements are nested more than {limit} levels deep; a TBX "
                                "glossary needs about eight").format(limit=MAX_TBX_DEPTH),
                              self.line())
        if self.count > MAX_TBX_ELEMENTS:
            raise _TooComplex(_("more than {limit} XML elements; split the glossary into "
                                "several files").format(limit=MAX_TBX_ELEMENTS), self.line())
        local = name.split(":")[-1]
        element = _Element(local, {k.split(":")[-1] if not k.startswith("xml:") else k: v
                                   for k, v in attrs.items()}, self.line())
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)

    def endElement(self, name: str) -> None:
        element = self.stack.pop()
        element.text = "".join(element.pieces)  # joined once: += would be quadratic
        element.pieces.clear()

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1].pieces.append(content)


@cache
def _tbx_parser_class() -> type:
    """defusedxml's SAX parser (no entity declarations, no external entities) that skips the
    external DTD of ``<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">`` unread instead of
    refusing the file: TBX-Basic files commonly name one. Built on first use (an import
    that the rest of the program does not need)."""
    from defusedxml.expatreader import DefusedExpatParser

    class TbxParser(DefusedExpatParser):
        def defused_external_entity_ref_handler(
            self, context: str | None, base: str | None, sysid: str | None, pubid: str | None
        ) -> int:
            if context is None:  # the external DTD subset: not fetched, not needed
                return 1
            return super().defused_external_entity_ref_handler(context, base, sysid, pubid)

    return TbxParser


def _read(path: str | os.PathLike[str]) -> bytes:
    try:
        return read_limited(path)
    except CatalogError as exc:
        raise ExchangeError(exc.problems) from exc


def read_tbx(path: str | os.PathLike[str]) -> list[Term]:
    """The terms of a TBX file; :class:`ExchangeError` for bad XML, entities or content."""
    name = str(path)
    data = _read(path)
    import defusedxml

    builder = _TreeBuilder()
    parser = _tbx_parser_class()()
    parser.setContentHandler(builder)
    source = xml.sax.InputSource(name)
    source.setByteStream(io.BytesIO(data))
    try:
        parser.parse(source)
    except xml.sax.SAXParseException as exc:
        raise ExchangeError([Problem(name, exc.getLineNumber(), _(
            "not well-formed XML ({reason})").format(reason=exc.getMessage()))]) from exc
    except _TooComplex as exc:
        raise ExchangeError([Problem(name, exc.line or None, str(exc))]) from None
    except defusedxml.DefusedXmlException as exc:
        raise ExchangeError([Problem(name, builder.line() or None, _(
            "refused: the file declares XML entities or refers to external files ({what}); "
            "TBX glossaries need neither").format(what=type(exc).__name__))]) from exc
    root = builder.root
    if root is None or root.name not in ("martif", "tbx"):
        raise ExchangeError([Problem(name, root.line if root else None, _(
            "not a TBX file (the root element is <{root}>, not <martif> or <tbx>)").format(
                root=root.name if root else "-"))])
    problems: list[Problem] = []
    terms: list[Term] = []
    for entry in _descendants(root, ("termEntry", "conceptEntry")):
        try:
            terms.append(_tbx_term(entry, name))
        except ValueError as exc:
            problems.append(Problem(name, entry.line, str(exc)))
            if len(problems) >= MAX_PROBLEMS:
                break
    if problems:
        raise ExchangeError(problems)
    return terms


def _descendants(element: _Element, names: tuple[str, ...]) -> Iterable[_Element]:
    for child in element.children:
        if child.name in names:
            yield child
        else:
            yield from _descendants(child, names)


def _tbx_term(entry: _Element, name: str) -> Term:
    """A term from a ``termEntry``/``conceptEntry``; ValueError (the message) if unusable."""
    field = note = ""
    sources: list[str] = []
    english: list[tuple[str, str]] = []
    chinese: list[tuple[str, str]] = []
    for element in _walk(entry):
        kind = element.attr("type")
        if element.name == "descrip" and kind == "subjectField":
            field = element.text.strip()
        elif element.name == "note" and not note:
            note = element.text.strip()
        elif element.name in ("admin", "descrip") and kind == "source":
            sources.append(element.text.strip())
    for lang_set in _descendants(entry, ("langSet", "langSec")):
        lang = lang_set.attr("xml:lang").lower()
        for term_element in _descendants(lang_set, ("term",)):
            status = ""
            holder = _parent_of(lang_set, term_element)
            for sibling in holder.children if holder else []:
                if sibling.name == "termNote" and sibling.attr("type") == "administrativeStatus":
                    status = sibling.text.strip()
            pair = (term_element.text.strip(), status)
            if lang.startswith("en"):
                english.append(pair)
            elif lang.startswith("zh"):
                chinese.append(pair)
    usable_en = [t for t, s in english if t and not s.startswith(("deprecated", "superseded"))]
    if not usable_en:
        raise ValueError(_("a term entry without an English term"))
    if field and field not in FIELDS:
        raise ValueError(_('unknown subject field "{field}" (known: {fields})').format(
            field=field, fields=", ".join(FIELDS)))
    forbidden = [t for t, s in chinese if t and s.startswith(("deprecated", "superseded"))]
    allowed = [(t, s) for t, s in chinese if t and not s.startswith(("deprecated", "superseded"))]
    preferred = [(t, s) for t, s in allowed if s.startswith("preferred")]
    text, status = (preferred or allowed or [("", "")])[0]
    return Term(english=usable_en[0], chinese=text, field=field, note=note,
                forbidden=forbidden, sources=sources,
                approved=bool(text) and status.startswith("preferred"),
                origin=f"{name}:{entry.line}")


def _walk(element: _Element) -> Iterable[_Element]:
    """Descendants of a term entry outside its language sections."""
    for child in element.children:
        if child.name in ("langSet", "langSec"):
            continue
        yield child
        yield from _walk(child)


def _parent_of(root: _Element, target: _Element) -> _Element | None:
    for child in root.children:
        if child is target:
            return root
        found = _parent_of(child, target)
        if found is not None:
            return found
    return None


def tbx_bytes(terms: Iterable[Term]) -> bytes:
    """The terms as a TBX-Basic document."""
    martif = ET.Element("martif", {"type": "TBX-Basic", _XML_LANG: "en"})
    header = ET.SubElement(martif, "martifHeader")
    description = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(description, "p").text = "ipviewer terminology glossary"
    ET.SubElement(ET.SubElement(header, "encodingDesc"), "p",
                  {"type": "XCSURI"}).text = "TBXBasicXCSV02.xcs"
    body = ET.SubElement(ET.SubElement(martif, "text"), "body")
    for number, term in enumerate(terms, 1):
        entry = ET.SubElement(body, "termEntry", {"id": f"t{number}"})
        if term.field:
            ET.SubElement(entry, "descrip", {"type": "subjectField"}).text = term.field
        if term.note:
            ET.SubElement(entry, "note").text = term.note
        for source in term.sources:
            ET.SubElement(entry, "admin", {"type": "source"}).text = source
        english = ET.SubElement(entry, "langSet", {_XML_LANG: "en"})
        ET.SubElement(ET.SubElement(english, "tig"), "term").text = term.english
        variants = ([(term.chinese, "preferredTerm-admn-sts" if term.approved
                      else "admittedTerm-admn-sts")] if term.chinese else [])
        variants += [(v, "deprecatedTerm-admn-sts") for v in term.forbidden]
        if variants:
            chinese = ET.SubElement(entry, "langSet", {_XML_LANG: "zh"})
            for text, status in variants:
                tig = ET.SubElement(chinese, "tig")
                ET.SubElement(tig, "term").text = text
                ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
    ET.indent(martif)
    return ET.tostring(martif, encoding="utf-8", xml_declaration=True) + b"\n"


def write_tbx(terms: Iterable[Term], path: str | os.PathLike[str]) -> None:
    """Write the terms as a TBX-Basic file."""
    atomic_write(path, tbx_bytes(terms))


# -- by file name --------------------------------------------------------------------------

#: File kinds :func:`read_terms` and :func:`write_terms` know, by extension.
IMPORT_SUFFIXES = (".csv", ".tbx", ".po", ".pot")


def read_terms(path: str | os.PathLike[str], encoding: str | None = None) -> list[Term]:
    """The terms of a CSV, TBX or PO/POT file (by extension); ``encoding`` (CSV only) is
    the codec to decode with instead of deciding it from the bytes."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return read_csv(path, encoding)
    if encoding is not None and suffix in IMPORT_SUFFIXES:
        raise ExchangeError.single(path, _(
            "an encoding was given, but {suffix} files declare their own (TBX in the XML "
            "declaration, PO files are UTF-8): leave out --encoding").format(suffix=suffix))
    if suffix == ".tbx":
        return read_tbx(path)
    if suffix == ".po":
        return Glossary.load(path).terms()
    if suffix == ".pot":
        from .catalog import Catalog
        from .problems import errors_in
        from .validation import analyse

        analysis = analyse(read_limited(path), path, template=True)
        if errors_in(analysis.problems):
            raise ExchangeError(errors_in(analysis.problems))
        analysis.nplurals = analysis.nplurals or 1
        return Glossary(Catalog(analysis, Path(path))).terms()
    raise ExchangeError.single(path, _(
        "unknown file type {suffix}: use .csv, .tbx, .po or .pot").format(
            suffix=suffix or '""'))


def write_terms(glossary: Glossary, path: str | os.PathLike[str]) -> None:
    """Export ``glossary`` as CSV, TBX, PO (a copy of the catalog) or POT (by extension)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        write_csv(glossary.terms(), path)
    elif suffix == ".tbx":
        write_tbx(glossary.terms(), path)
    elif suffix == ".po":
        atomic_write(path, glossary.to_bytes())
    elif suffix == ".pot":
        glossary.save_template(path)
    else:
        raise ExchangeError.single(path, _(
            "unknown file type {suffix}: use .csv, .tbx, .po or .pot").format(
                suffix=suffix or '""'))


# -- merging -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Conflict:
    """The same English term and field with a different Chinese term."""

    existing: Term
    incoming: Term


@dataclasses.dataclass
class MergeReport:
    """What :func:`merge` did (or, for conflicts without ``overwrite``, did not do)."""

    added: list[Term] = dataclasses.field(default_factory=list)
    updated: list[Term] = dataclasses.field(default_factory=list)
    unchanged: list[Term] = dataclasses.field(default_factory=list)
    conflicts: list[Conflict] = dataclasses.field(default_factory=list)
    rejected: list[tuple[Term, str]] = dataclasses.field(default_factory=list)
    overwritten: bool = False

    @property
    def changed(self) -> bool:
        """Whether the glossary was changed."""
        return bool(self.added or self.updated or (self.conflicts and self.overwritten))


def merge(glossary: Glossary, incoming: Iterable[Term], overwrite: bool = False) -> MergeReport:
    """Merge ``incoming`` terms into ``glossary`` (same English, any case, and same field).

    New terms are added; a translation for an untranslated term, an approval of the same
    translation, a missing note and new forbidden variants or sources update the term;
    a different Chinese term is a conflict, left as it is unless ``overwrite``.
    """
    report = MergeReport(overwritten=overwrite)
    for term in incoming:
        try:
            _merge_one(glossary, term, overwrite, report)
        except GlossaryError as exc:
            report.rejected.append((term, str(exc)))
    return report


def _merge_one(glossary: Glossary, term: Term, overwrite: bool, report: MergeReport) -> None:
    existing = glossary.get(term.english, term.field)
    if existing is None:
        report.added.append(glossary.add(term))
        return
    changes: dict[str, Any] = {}
    if term.chinese and term.chinese != existing.chinese:
        if existing.chinese:
            report.conflicts.append(Conflict(existing, term))
            if not overwrite:
                return
        changes.update(chinese=term.chinese, approved=term.approved)
    elif term.chinese and term.approved and not existing.approved:
        changes["approved"] = True
    if term.note and not existing.note:
        changes["note"] = term.note
    forbidden = [v for v in term.forbidden if v not in existing.forbidden]
    if forbidden:
        changes["forbidden"] = existing.forbidden + forbidden
    sources = [s for s in term.sources if s not in existing.sources]
    if sources:
        changes["sources"] = existing.sources + sources
    if not changes:
        report.unchanged.append(existing)
        return
    updated = glossary.edit(existing.english, existing.field, **changes)
    if "chinese" not in changes or not existing.chinese:
        report.updated.append(updated)
