"""Validating gettext ``.po`` catalogs like ``msgfmt -c``, every problem with its line.

:func:`analyse` reads the text with :mod:`ipviewer.po_reader` (which reports the syntax
errors), checks the header, plural forms, duplicates and placeholders, and when there is no
error makes polib's entries from what it read (:func:`ipviewer.po_reader.to_pofile`).
"""

from __future__ import annotations

import codecs
import gettext
import os
import re
from dataclasses import dataclass

import polib

from ..i18n import N_, _
from ..input_files import format_size
from ..po_reader import RawEntry, ScanResult, scan, to_pofile
from .problems import MAX_BYTES, CatalogError, Problem, decode_utf8, errors_in, read_limited

#: Line width for entries we render (GNU gettext's default; Chinese counts one per character).
WRAP_WIDTH = 79
#: Header fields ``msgfmt -c`` expects (a missing one is a warning).
STANDARD_HEADER_FIELDS = (
    "Project-Id-Version", "PO-Revision-Date", "Last-Translator", "Language-Team",
    "Language", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
)
_BRACE = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")
_PERCENT = re.compile(
    r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")
_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*([^;]*?)\s*;\s*plural\s*=\s*(.*?)\s*;?\s*$")
_HEADER_LINE = re.compile(r"^([^:\s][^:]*):[ \t]?(.*)$")
#: Characters no catalog entry may hold: C0 and C1 controls (tab, newline and carriage
#: return excepted), DEL, and the bidirectional embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def brace_placeholders(text: str) -> set[str]:
    """The python-brace ``{placeholders}`` of ``text`` (``{{`` and ``}}`` are not)."""
    return set(_BRACE.findall(text))


@dataclass
class Analysis:
    """What :func:`analyse` learnt about a catalog."""

    text: str
    scanned: ScanResult
    problems: list[Problem]
    header: RawEntry | None
    fields: dict[str, str]
    nplurals: int | None
    pofile: polib.POFile | None = None


def analyse(data: bytes, path: str | os.PathLike[str], template: bool = False) -> Analysis:
    """Validate ``data`` like ``msgfmt -c``; with polib's entries when there is no error.

    ``template`` (a ``.pot``) allows the placeholders templates carry (``charset=CHARSET``,
    no Plural-Forms, a fuzzy header).
    """
    path = str(path)
    problems: list[Problem] = []
    if len(data) > MAX_BYTES:
        problems.append(Problem(path, None, _("is too large ({size}); the limit is {limit}")
                                .format(size=format_size(len(data)),
                                        limit=format_size(MAX_BYTES))))
        return Analysis("", ScanResult([], [], []), problems, None, {}, None)
    text = decode_utf8(data, path, problems)
    scanned = scan(text)
    problems.extend(Problem(path, error.line, error.text(_)) for error in scanned.errors)
    headers = [e for e in scanned.entries if e.is_header]
    header = headers[0] if headers else None
    fields: dict[str, str] = {}
    nplurals = None
    if header is None:
        problems.append(Problem(path, None, _(
            'no header entry (msgid ""): the charset and plural forms are unknown, and '
            "Babel treats such a catalog as fuzzy")))
    else:
        fields, nplurals = _check_header(header, path, template, problems)
    _check_entries(scanned.entries, header, path, nplurals, template, problems)
    analysis = Analysis(text, scanned, problems, header, fields, nplurals)
    if not errors_in(problems):
        analysis.pofile = to_pofile(scanned, WRAP_WIDTH)
    problems.sort(key=lambda p: (p.line or 0))
    return analysis


def check_bytes(data: bytes, path: str | os.PathLike[str],
                template: bool = False) -> list[Problem]:
    """Every problem of the catalog ``data`` (errors and warnings), by line."""
    return analyse(data, path, template).problems


def check_file(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem of the catalog at ``path`` (a ``.pot`` is checked as a template)."""
    try:
        data = read_limited(path)
    except CatalogError as exc:
        return exc.problems
    return check_bytes(data, path, template=str(path).endswith(".pot"))


def _piece_line(header: RawEntry, offset: int) -> int:
    """The line of the header's ``msgstr`` on which character ``offset`` was written."""
    position = 0
    line = header.lines.get("msgstr", header.line)
    for piece_line, piece in header.msgstr_pieces:
        if piece:
            line = piece_line
        position += len(piece)
        if position > offset:
            return piece_line
    return line


def _check_header(header: RawEntry, path: str, template: bool,
                  problems: list[Problem]) -> tuple[dict[str, str], int | None]:
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    offset = 0
    for part in (header.msgstr or "").split("\n"):
        line = _piece_line(header, offset)
        offset += len(part) + 1
        if not part.strip():
            continue
        match = _HEADER_LINE.match(part)
        if match is None:
            problems.append(Problem(path, line, _(
                'header line "{text}" is not "Name: value"').format(text=part[:60])))
            continue
        name, value = match.group(1).strip(), match.group(2).strip()
        if name in fields:
            problems.append(Problem(path, line, _(
                "header field {name} is given twice").format(name=name), "warning"))
            continue
        fields[name] = value
        lines[name] = line
    if "fuzzy" in header.flags and not template:
        problems.append(Problem(path, header.line, _(
            "the header is marked fuzzy: msgfmt and Babel ignore fuzzy headers"), "warning"))
    _check_charset(fields, lines, header, path, template, problems)
    nplurals = _check_plural_forms(fields, lines, header, path, template, problems)
    missing = [name for name in STANDARD_HEADER_FIELDS if name not in fields]
    if missing and not template:
        problems.append(Problem(path, header.line, _(
            "header fields missing: {names}").format(names=", ".join(missing)), "warning"))
    return fields, nplurals


def _check_charset(fields: dict[str, str], lines: dict[str, int], header: RawEntry,
                   path: str, template: bool, problems: list[Problem]) -> None:
    content_type = fields.get("Content-Type")
    match = re.search(r"charset\s*=\s*([^\s;]+)", content_type or "", re.IGNORECASE)
    if match is None:
        problems.append(Problem(path, lines.get("Content-Type", header.line), _(
            'no charset declared: the header needs "Content-Type: text/plain; '
            'charset=UTF-8"')))
        return
    charset = match.group(1)
    if charset.lower().replace("-", "") == "utf8" or (template and charset == "CHARSET"):
        return
    problems.append(Problem(path, lines["Content-Type"], _(
        "the header declares charset {charset}; glossaries must be UTF-8").format(
            charset=charset)))


def _check_plural_forms(fields: dict[str, str], lines: dict[str, int], header: RawEntry,
                        path: str, template: bool, problems: list[Problem]) -> int | None:
    value = fields.get("Plural-Forms")
    line = lines.get("Plural-Forms", header.line)
    if value is None or (template and "INTEGER" in value):
        if not template:
            problems.append(Problem(path, line, _(
                'no Plural-Forms header (for Chinese: "Plural-Forms: nplurals=1; '
                'plural=0;")')))
        return None
    match = _PLURAL_FORMS.match(value)
    if match is None:
        problems.append(Problem(path, line, _(
            'Plural-Forms "{value}" is not "nplurals=N; plural=EXPRESSION;"').format(
                value=value)))
        return None
    try:
        nplurals = int(match.group(1))
    except ValueError:
        nplurals = 0
    if not 1 <= nplurals <= 100:
        problems.append(Problem(path, line, _(
            "nplurals must be a whole number from 1 to 100, not {value}").format(
                value=match.group(1))))
        return None
    expression = match.group(2)
    try:
        plural = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError) as exc:
        problems.append(Problem(path, line, _(
            'the plural expression "{expression}" is not valid ({reason})').format(
                expression=expression, reason=exc)))
        return nplurals
    for n in range(1001):
        try:
            form = plural(n)
        except ZeroDivisionError:
            problems.append(Problem(path, line, _(
                'the plural expression "{expression}" divides by zero (n = {n})').format(
                    expression=expression, n=n)))
            break
        except Exception as exc:  # noqa: BLE001 (any failure of the expression is reported)
            problems.append(Problem(path, line, _(
                'the plural expression "{expression}" fails for n = {n} ({reason})').format(
                    expression=expression, n=n, reason=exc)))
            break
        if not 0 <= form < nplurals:
            problems.append(Problem(path, line, _(
                'the plural expression "{expression}" gives form {form} for n = {n}, but '
                "nplurals is {nplurals}").format(
                    expression=expression, form=form, n=n, nplurals=nplurals)))
            break
    return nplurals


def _describe(entry: RawEntry) -> str:
    """``msgctxt "patent", msgid "invention patent"`` (shortened) for messages."""
    msgid = (entry.msgid or "")[:60]
    if entry.msgctxt is None:
        return f'msgid "{msgid}"'
    return f'msgctxt "{entry.msgctxt}", msgid "{msgid}"'


def _check_entries(entries: list[RawEntry], header: RawEntry | None, path: str,
                   nplurals: int | None, template: bool, problems: list[Problem]) -> None:
    seen: dict[tuple[str | None, str], int] = {}
    if header is not None:  # a second msgid "" is a duplicate too (msgfmt -c refuses it)
        seen[header.key] = header.line
    for entry in entries:
        if entry.obsolete or entry.broken or entry is header:
            continue
        first = seen.setdefault(entry.key, entry.line)
        if entry.is_header:
            problems.append(Problem(path, entry.line, _(
                'a second header entry (msgid ""): the first is at line {first}').format(
                    first=first)))
        elif first != entry.line:
            problems.append(Problem(path, entry.line, _(
                "duplicate entry ({entry}): first defined at line {first}, again at line "
                "{line}").format(entry=_describe(entry), first=first, line=entry.line)))
        if entry.msgid_plural is not None and nplurals is not None and not template:
            count = len(entry.msgstr_plural)
            if count != nplurals:
                problems.append(Problem(path, entry.lines.get("msgstr[0]", entry.line), _(
                    "{count} plural forms (msgstr[0] … msgstr[{last}]) but the header says "
                    "nplurals={nplurals}").format(count=count, last=count - 1,
                                                  nplurals=nplurals)))
        _check_formats(entry, path, problems)


def _check_formats(entry: RawEntry, path: str, problems: list[Problem]) -> None:
    """Placeholders and leading/trailing newlines agree between msgid and each msgstr."""
    if entry.msgid_plural is not None:
        translations = [(f"msgstr[{n}]", text) for n, text in entry.msgstr_plural.items()]
        sources = [entry.msgid or "", entry.msgid_plural]
    else:
        translations = [("msgstr", entry.msgstr or "")]
        sources = [entry.msgid or ""]
    severity = "warning" if "fuzzy" in entry.flags else "error"
    brace = "python-brace-format" in entry.flags or (
        "no-python-brace-format" not in entry.flags
        and any(_BRACE.search(s) for s in sources))
    percent = "python-format" in entry.flags
    for keyword, text in translations:
        if not text:
            continue
        line = entry.lines.get(keyword, entry.line)
        if brace:
            wanted = set().union(*(_BRACE.findall(s) for s in sources))
            found = set(_BRACE.findall(text))
            if found != wanted:
                problems.append(Problem(path, line, _(
                    "placeholders differ: msgid has {wanted}, {keyword} has {found}").format(
                        wanted=_placeholders(wanted), keyword=keyword,
                        found=_placeholders(found)), severity))
        if percent:
            wanted_pct = sorted(set().union(*(_PERCENT.findall(s) for s in sources)) - {"%%"})
            found_pct = sorted(set(_PERCENT.findall(text)) - {"%%"})
            if wanted_pct != found_pct:
                problems.append(Problem(path, line, _(
                    "python-format placeholders differ: msgid has {wanted}, {keyword} has "
                    "{found}").format(wanted=" ".join(wanted_pct) or "-", keyword=keyword,
                                      found=" ".join(found_pct) or "-"), severity))
        source = sources[0]
        newline_messages = (
            (0, N_("msgid and {keyword} do not both begin with a newline (\\n)")),
            (-1, N_("msgid and {keyword} do not both end with a newline (\\n)")),
        )
        for end, message in newline_messages:
            if source and (source[end] == "\n") != (text[end] == "\n"):
                problems.append(Problem(path, line, _(message).format(keyword=keyword),
                                        severity))


def _unsafe_character(char: str) -> str:
    """What ``char`` (one of :data:`_UNSAFE`) is, for a message."""
    code = f"U+{ord(char):04X}"
    if char == "\x00":
        return _("a NUL character ({code})").format(code=code)
    if char == "\x1b":
        return _("an escape character (ESC, {code}), which can drive a terminal").format(
            code=code)
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return _("a bidirectional override ({code}), which can make text display in another "
                 "order than it is stored").format(code=code)
    return _("a control character ({code})").format(code=code)


def character_problems(data: bytes, path: str | os.PathLike[str]) -> list[Problem]:
    """NUL, ESC and other control characters and bidirectional overrides anywhere in the
    catalog ``data``, as errors: written literally (at their line), or made by an escape
    sequence such as ``\\033`` in a string (at the line of its keyword).

    ``terms check`` reports them; loading does not refuse them (what the CLI prints is
    made visible by :mod:`ipviewer.terminal`), so a glossary holding one can be repaired.
    """
    text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")
    problems: list[Problem] = []
    _check_characters(text, scan(text), str(path), problems)
    return problems


def _check_characters(text: str, scanned: ScanResult, path: str,
                      problems: list[Problem]) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        found = _UNSAFE.search(line)
        if found:
            problems.append(Problem(path, number, _("contains {what}; remove it").format(
                what=_unsafe_character(found.group()))))
    for entry in scanned.entries:
        if _UNSAFE.search("".join(scanned.lines[entry.first:entry.last + 1])):
            continue  # written literally: reported at its line above
        strings = [("msgctxt", entry.msgctxt), ("msgid", entry.msgid),
                   ("msgid_plural", entry.msgid_plural), ("msgstr", entry.msgstr)]
        strings += [(f"msgstr[{n}]", value) for n, value in entry.msgstr_plural.items()]
        for keyword, value in strings:
            found = _UNSAFE.search(value or "")
            if found:
                problems.append(Problem(path, entry.lines.get(keyword, entry.line), _(
                    "{keyword} contains {what}; remove it").format(
                        keyword=keyword, what=_unsafe_character(found.group()))))
                break


def _placeholders(names: set[str]) -> str:
    return " ".join("{" + name + "}" for name in sorted(names)) or "-"
