"""Reading, validating and losslessly writing gettext ``.po`` catalogs.

A catalog is validated like ``msgfmt -c`` before it is accepted (see :func:`check_bytes`):
Babel and polib both accept files that ``msgfmt`` refuses. Editing goes through polib entries;
:meth:`Catalog.to_bytes` writes every entry nobody changed back byte for byte from the
original text (header fields and their order, comments, wrapping, obsolete entries …) and
renders only the changed and new entries with polib, GNU style, wrapped at 79 columns.
"""

from __future__ import annotations

import codecs
import gettext
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polib

from .. import safe_write
from ..i18n import N_, _
from ..input_files import InputError, format_size, read_input
from .pofile import RawEntry, ScanResult, scan

#: Files larger than this are refused before they are read (a glossary is a few hundred KB).
MAX_BYTES = 50 * 1024 * 1024
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


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is and what it is."""

    path: str
    line: int | None
    message: str
    severity: str = "error"  #: "error" (the file is refused) or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.severity == "warning":
            return _("{where}: warning: {message}").format(where=where, message=self.message)
        return f"{where}: {self.message}"


class CatalogError(Exception):
    """A catalog that cannot be used (or written); ``problems`` lists what is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"] or problems
        text = str(errors[0])
        if len(errors) > 1:
            text += " " + _("(and {count} more problems)").format(count=len(errors) - 1)
        super().__init__(text)

    @classmethod
    def single(cls, path: str | os.PathLike[str], message: str,
               line: int | None = None) -> CatalogError:
        """An error about one file, with one message."""
        return cls([Problem(str(path), line, message)])


def brace_placeholders(text: str) -> set[str]:
    """The python-brace ``{placeholders}`` of ``text`` (``{{`` and ``}}`` are not)."""
    return set(_BRACE.findall(text))


def errors_in(problems: list[Problem]) -> list[Problem]:
    """The problems that make a file unusable (not the warnings)."""
    return [p for p in problems if p.severity == "error"]


def read_limited(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of ``path`` (see :func:`ipviewer.input_files.read_input`); a clear
    :class:`CatalogError` if missing, not a regular file, empty or larger than ``limit``
    bytes (default :data:`MAX_BYTES`)."""
    try:
        return read_input(path, MAX_BYTES if limit is None else limit)
    except InputError as exc:
        raise CatalogError.single(path, exc.reason) from exc


def decode_utf8(data: bytes, path: str, problems: list[Problem]) -> str:
    """``data`` as text; a BOM or invalid UTF-8 is reported (and replaced) in ``problems``."""
    if data.startswith(codecs.BOM_UTF8):
        problems.append(Problem(path, 1, _(
            "the file starts with a UTF-8 byte order mark (BOM), which msgfmt refuses and "
            "Babel reads as part of the header; save it as UTF-8 without BOM")))
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        problems.append(Problem(path, line, _(
            "not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8").format(
                byte=data[exc.start])))
        return data.decode("utf-8", errors="replace")


# -- validation ----------------------------------------------------------------------------


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
    """Validate ``data`` like ``msgfmt -c``; with polib's reading when there is no error.

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
    problems.extend(Problem(path, line, message) for line, message in scanned.errors)
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
        _cross_check(analysis, path)
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


def _cross_check(analysis: Analysis, path: str) -> None:
    """Read with polib too, and make sure it saw the same entries as the scanner."""
    problems = analysis.problems
    try:
        pofile = polib.pofile(analysis.text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        problems.append(Problem(path, int(found.group(1)) if found else None, _(
            "syntax error ({reason})").format(reason=exc)))
        return
    ours = [e for e in analysis.scanned.entries if e is not analysis.header]
    for raw, entry in zip(ours, pofile):
        if (raw.obsolete, raw.msgctxt, raw.msgid) != (bool(entry.obsolete), entry.msgctxt,
                                                      entry.msgid):
            problems.append(Problem(path, raw.line, _(
                "this entry could not be read consistently (polib reads another entry "
                "here); check its syntax")))
            return
    if len(ours) != len(pofile):
        line = ours[len(pofile)].line if len(ours) > len(pofile) else None
        problems.append(Problem(path, line, _(
            "{ours} entries found but polib reads {theirs}; check the syntax near here").format(
                ours=len(ours), theirs=len(pofile))))
        return
    analysis.pofile = pofile


# -- the lossless document -----------------------------------------------------------------


def signature(entry: polib.POEntry) -> tuple:
    """Everything that is written of ``entry``: when it changes, the entry is re-rendered."""
    return (
        bool(entry.obsolete), entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr,
        tuple(sorted(entry.msgstr_plural.items())), entry.comment, entry.tcomment,
        tuple(tuple(o) for o in entry.occurrences), tuple(entry.flags),
        entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural,
    )


@dataclass
class _Slot:
    """An entry in file order: the blank lines before it, its text as read, its entry."""

    gap: str
    raw: str | None  #: the text as read (or as last written); None for a new entry
    entry: polib.POEntry | None  #: None for the header
    signature: tuple = ()
    line: int = 0


class Catalog:
    """A validated ``.po`` catalog that writes back exactly what it read, plus the edits."""

    def __init__(self, analysis: Analysis, path: Path | None) -> None:
        assert analysis.pofile is not None and analysis.header is not None
        self.path = path
        self.fields = analysis.fields
        self.nplurals = analysis.nplurals or 1
        self.warnings = [p for p in analysis.problems if p.severity == "warning"]
        lines = analysis.scanned.lines
        self.newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
        entries = iter(analysis.pofile)
        self._slots: list[_Slot] = []
        end = 0
        for raw in analysis.scanned.entries:
            entry = None if raw is analysis.header else next(entries)
            text = "".join(lines[raw.first:raw.last + 1])
            self._slots.append(_Slot("".join(lines[end:raw.first]), text, entry,
                                     signature(entry) if entry else (), raw.line))
            end = raw.last + 1
        self._tail = "".join(lines[end:])
        self._changed_slots = False

    # -- reading ---------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Catalog:
        """Read and validate ``path``; :class:`CatalogError` lists the errors if any."""
        return cls.from_bytes(read_limited(path), path)

    @classmethod
    def from_bytes(cls, data: bytes, path: str | os.PathLike[str] | None = None) -> Catalog:
        """A catalog from the bytes of a ``.po`` file (validated; ``path`` for messages)."""
        analysis = analyse(data, path or "<catalog>")
        errors = errors_in(analysis.problems)
        if errors:
            raise CatalogError(errors)
        return cls(analysis, Path(path) if path is not None else None)

    @classmethod
    def new(cls, language: str = "zh_CN", project: str = "ipviewer terminology") -> Catalog:
        """An empty catalog with a complete header for ``language``."""
        from babel.messages.plurals import get_plural

        plural = get_plural(language)
        now = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")
        fields = [
            ("Project-Id-Version", project), ("Report-Msgid-Bugs-To", ""),
            ("POT-Creation-Date", now), ("PO-Revision-Date", now), ("Last-Translator", ""),
            ("Language-Team", ""), ("Language", language), ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("Content-Transfer-Encoding", "8bit"),
            ("Plural-Forms", f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"),
            ("X-Generator", "ipviewer"),
        ]
        text = "".join(
            ['msgid ""\n', 'msgstr ""\n']
            + [f'"{name}: {polib.escape(value)}\\n"\n' for name, value in fields])
        return cls.from_bytes(text.encode("utf-8"))

    @property
    def entries(self) -> list[polib.POEntry]:
        """The active (not obsolete) entries, in file order."""
        return [s.entry for s in self._slots if s.entry is not None and not s.entry.obsolete]

    @property
    def obsolete_entries(self) -> list[polib.POEntry]:
        """The obsolete (``#~``) entries, in file order."""
        return [s.entry for s in self._slots if s.entry is not None and s.entry.obsolete]

    def entries_with_lines(self) -> list[tuple[polib.POEntry, int | None]]:
        """The active entries with the line each msgid was read from (None: new entry)."""
        return [(s.entry, s.line or None) for s in self._slots
                if s.entry is not None and not s.entry.obsolete]

    @property
    def modified(self) -> bool:
        """Whether :meth:`to_bytes` would differ from what was read or last written."""
        return self._changed_slots or any(
            s.entry is not None and (s.raw is None or signature(s.entry) != s.signature)
            for s in self._slots)

    # -- editing ---------------------------------------------------------------------

    def add(self, entry: polib.POEntry) -> None:
        """Append ``entry`` after the last active entry (before the obsolete ones)."""
        position = len(self._slots)
        while position > 0 and (entry_before := self._slots[position - 1].entry) is not None \
                and entry_before.obsolete:
            position -= 1
        self._slots.insert(position, _Slot("\n", None, entry))
        self._changed_slots = True

    def remove(self, entry: polib.POEntry) -> None:
        """Delete ``entry`` (with the blank lines before it)."""
        for index, slot in enumerate(self._slots):
            if slot.entry is entry:
                del self._slots[index]
                self._changed_slots = True
                return
        raise ValueError("entry not in this catalog")

    def set_header_field(self, name: str, value: str) -> None:
        """Set one header field, changing only its line (or adding one line at the end)."""
        header = next(s for s in self._slots if s.entry is None)
        assert header.raw is not None
        line = f'"{name}: {polib.escape(value)}\\n"'
        pattern = re.compile(rf'^"{re.escape(name)}:[^"\\]*(?:\\.[^"\\]*)*\\n"[ \t]*$',
                             re.MULTILINE)
        text = header.raw.replace("\r\n", "\n")
        if pattern.search(text):
            text = pattern.sub(lambda _m: line, text, count=1)
        else:
            text = text.rstrip("\n") + "\n" + line + "\n"
        header.raw = text.replace("\n", self.newline)
        self.fields[name] = value
        self._changed_slots = True

    # -- writing ---------------------------------------------------------------------

    def to_bytes(self, touch: bool = True) -> bytes:
        """The file's bytes: untouched entries as read, changed and new ones rendered.

        With ``touch``, a modified catalog gets a new ``PO-Revision-Date`` (as Poedit does);
        the catalog itself is not changed by this call.
        """
        return self._output(touch)[0].encode("utf-8")

    def _output(self, touch: bool) -> tuple[str, str | None]:
        """The text to write, and the header's text in it."""
        header = next(s for s in self._slots if s.entry is None)
        saved = header.raw, dict(self.fields), self._changed_slots
        try:
            if touch and self.modified:
                self.set_header_field("PO-Revision-Date", datetime.now().astimezone().strftime(
                    "%Y-%m-%d %H:%M%z"))
            return self._render(commit=False), header.raw
        finally:
            header.raw, self.fields, self._changed_slots = saved

    def _render(self, commit: bool) -> str:
        out: list[str] = []
        for slot in self._slots:
            text = slot.raw
            if slot.entry is not None and (text is None or signature(slot.entry) != slot.signature):
                text = slot.entry.__unicode__(WRAP_WIDTH).replace("\n", self.newline)
            assert text is not None
            if out and not out[-1].endswith("\n"):
                out.append(self.newline)
            out.append(slot.gap)
            out.append(text)
            if commit:
                slot.raw = text
                slot.signature = signature(slot.entry) if slot.entry is not None else ()
        if self._tail and out and not out[-1].endswith("\n"):
            out.append(self.newline)
        out.append(self._tail)
        if commit:
            self._changed_slots = False
        return "".join(out)

    def save(self, path: str | os.PathLike[str] | None = None, touch: bool = True) -> Path:
        """Validate the result, write it atomically to ``path`` (default: where it was read).

        The bytes go to a temporary file in the same folder, renamed over the target: a
        failed write leaves the old file as it was. After saving, ``path`` is this catalog's
        file and a second save writes identical bytes.
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("no path to save the catalog to")
        text, header_text = self._output(touch)
        data = text.encode("utf-8")
        errors = errors_in(check_bytes(data, target))
        if errors:
            raise CatalogError(errors)
        atomic_write(target, data)
        header = next(s for s in self._slots if s.entry is None)
        if header.raw != header_text:
            header.raw = header_text
            match = re.search(r'^"PO-Revision-Date: ([^"\\]*)\\n"', header_text or "", re.MULTILINE)
            if match:
                self.fields["PO-Revision-Date"] = match.group(1)
        self._render(commit=True)
        self.path = target
        return target


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` over ``path`` all at once; a failure (full disk, no permission …)
    raises :class:`CatalogError` and leaves the old file intact."""
    try:
        safe_write.atomic_write(path, data)
    except OSError as exc:
        raise CatalogError.single(Path(path), _("cannot be written ({reason})").format(
            reason=exc.strerror or exc)) from exc
