"""The one reader of gettext ``.po`` text: strict as ``msgfmt``, every error with its line.

It reads every entry with its strings, comments, references, flags and previous strings,
and remembers which lines each entry, keyword and header piece occupies: that is what
lets :class:`ipviewer.terms.catalog.Catalog` write an entry nobody touched back byte for
byte, and the checks name the line of a ``msgstr``, a header field or an escape sequence
such as ``\\033``. :func:`to_pofile` turns what it read into polib's entries (polib is the
in-memory model and the writer of changed entries, never the reader: polib and Babel
accept what ``msgfmt`` refuses and silently change the data, see
``test_polib_accepts_what_msgfmt_refuses``).

Messages are returned untranslated (marked with ``N_``, with their ``{placeholders}``'
values): :mod:`ipviewer.i18n` reads its catalogs with this module, so it cannot use ``_``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polib

from .i18n_marks import N_

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?(?=[\s\"])\s*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            "\\": "\\", '"': '"'}
_OCTAL = re.compile(r"[0-7]{1,3}")
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"\s*$')
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)")
_HEX = re.compile(r"[0-9a-fA-F]+")


@dataclass(frozen=True)
class ReadError:
    """A syntax error: its 1-based line and its message, untranslated, with its values."""

    line: int
    message: str  #: marked with ``N_``; translate, then fill in :attr:`params`
    params: tuple[tuple[str, object], ...] = ()

    def text(self, translate: Callable[[str], str] = str) -> str:
        """The message, translated by ``translate`` (``ipviewer.i18n._``)."""
        template = translate(self.message)
        return template.format(**dict(self.params)) if self.params else template


#: A message as :func:`parse_string` returns it: ``(template marked with N_, values)``.
Problem = tuple[str, tuple[tuple[str, object], ...]]


@dataclass
class RawEntry:
    """One entry as written: its lines (0-based, inclusive) and its decoded strings."""

    first: int
    last: int = -1
    line: int = 0  #: 1-based line of ``msgid`` (where messages about the entry point)
    obsolete: bool = False
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)  #: as polib splits ``#,`` lines
    tcomment: list[str] = field(default_factory=list)  #: translator comments (``#``)
    comment: list[str] = field(default_factory=list)  #: extracted comments (``#.``)
    occurrences: list[tuple[str, str]] = field(default_factory=list)  #: ``#:`` file, line
    previous: dict[str, str] = field(default_factory=dict)  #: ``#|`` keyword -> string
    previous_target: str | None = None  #: the ``#|`` keyword continuation lines extend
    lines: dict[str, int] = field(default_factory=dict)  #: keyword -> 1-based line
    #: (1-based line, decoded text) of each piece of ``msgstr`` (header fields' lines)
    msgstr_pieces: list[tuple[int, str]] = field(default_factory=list)
    broken: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        """``(msgctxt, msgid)``: what must be unique in a catalog."""
        return self.msgctxt, self.msgid or ""

    @property
    def is_header(self) -> bool:
        """Whether this is the header entry (``msgid ""`` without context, not obsolete)."""
        return not self.obsolete and self.msgctxt is None and self.msgid == ""


@dataclass
class ScanResult:
    """The entries of a text in file order, its lines, and its syntax errors."""

    lines: list[str]  #: the text's lines, each with its line end
    entries: list[RawEntry]
    errors: list[ReadError]


def parse_string(text: str, start: int) -> tuple[str, Problem | None]:
    """Decode the C string literal at ``text[start]`` (a ``"``): ``(value, problem or None)``."""
    literal = _LITERAL.match(text, start)
    if literal is not None:  # the common case, without a Python loop over the characters
        body = literal.group(1)
        if "\\" not in body:
            return body, None
        bad: list[str] = []
        value = _ESCAPE.sub(lambda m: _unescape(m.group(1), bad), body)
        if not bad:
            return value, None
    return _parse_slowly(text, start)


def _unescape(code: str, bad: list[str]) -> str:
    if code in _ESCAPES:
        return _ESCAPES[code]
    if code[0] == "x" and len(code) > 1:
        return chr(int(code[1:], 16) % 0x110000)
    if code[0] in "01234567":
        return chr(int(code, 8))
    bad.append(code)
    return ""


def _parse_slowly(text: str, start: int) -> tuple[str, Problem | None]:
    """:func:`parse_string` character by character, to say what is wrong and where."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == '"':
            if text[i + 1:].strip():
                return "".join(out), (N_("unexpected text after the closing quote"), ())
            return "".join(out), None
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = text[i + 1:i + 2]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif (octal := _OCTAL.match(text, i + 1)) is not None:
            out.append(chr(int(octal.group(), 8)))
            i = octal.end()
        elif nxt == "x" and (hexa := _HEX.match(text, i + 2)) is not None:
            out.append(chr(int(hexa.group(), 16) % 0x110000))
            i = hexa.end()
        elif not nxt:
            break
        else:
            return "".join(out), (N_("invalid escape sequence \\{char}"), (("char", nxt),))
    return "".join(out), (N_("unterminated string (the closing quote is missing)"), ())


class _Scanner:
    """The state machine behind :func:`scan`."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        self.entries: list[RawEntry] = []
        self.errors: list[ReadError] = []
        self.cur: RawEntry | None = None
        self.target: str | None = None  # the string continuation lines append to
        self.last_content = -1  # 0-based index of the last line of the current entry

    def error(self, index: int, message: str, **params: object) -> None:
        self.errors.append(ReadError(index + 1, message, tuple(params.items())))
        if self.cur is not None:
            self.cur.broken = True

    def finish(self) -> None:
        cur = self.cur
        if cur is None:
            return
        if cur.msgid is None:  # only comments: they are not an entry (kept as text)
            if cur.msgctxt is not None and not cur.broken:
                self.errors.append(ReadError(cur.lines["msgctxt"], N_("msgctxt without msgid")))
            self.cur = None
            self.target = None
            return
        if cur.msgstr is None and not cur.msgstr_plural and not cur.broken:
            self.errors.append(ReadError(cur.line, N_("msgid without msgstr")))
            cur.broken = True
        if cur.msgid_plural is not None and not cur.msgstr_plural and not cur.broken:
            self.errors.append(ReadError(cur.line, N_("msgid_plural without msgstr[0]")))
            cur.broken = True
        cur.last = self.last_content
        self.entries.append(cur)
        self.cur = None
        self.target = None

    def complete(self) -> bool:
        cur = self.cur
        return cur is not None and (cur.msgstr is not None or bool(cur.msgstr_plural))

    def run(self) -> ScanResult:
        for index, raw in enumerate(self.lines):
            line = raw.rstrip("\r\n")
            stripped = line.strip()
            if not stripped:
                continue
            obsolete = stripped.startswith("#~")
            body = stripped[2:].lstrip() if obsolete else stripped
            if stripped.startswith("#") and not (obsolete and body[:1] not in ("|", "")):
                self.comment(index, stripped)
            elif body.startswith('"'):
                self.continuation(index, body, obsolete)
            else:
                self.keyword(index, body, obsolete)
        self.finish()
        return ScanResult(self.lines, self.entries, self.errors)

    def comment(self, index: int, text: str) -> None:
        if self.cur is not None and self.cur.msgid is not None:
            self.finish()  # a comment starts the next entry ("msgid without msgstr" if unfinished)
        cur = self.cur
        if cur is None:
            self.cur = cur = RawEntry(first=index)
        self.last_content = index
        tokens = text.split(None, 2)
        kind = tokens[0]
        if kind == "#|":
            self.previous(index, cur, text, tokens)
            return
        cur.previous_target = None
        if kind == "#~|":
            return  # an obsolete entry's previous strings are not kept (as polib does)
        if kind in ("#:", "#,", "#.") and len(tokens) == 1:
            return  # an empty reference, flags or extracted comment line
        if kind == "#:":
            for reference in text[3:].split():
                name, colon, number = reference.rpartition(":")
                cur.occurrences.append((name, number) if colon and number.isdigit()
                                       else (reference, ""))
        elif kind == "#,":
            cur.flags.extend(flag.strip() for flag in text[3:].split(","))
        elif kind == "#.":
            cur.comment.append(text[3:])
        elif kind == "#" or kind.startswith("##"):
            comment = text.lstrip("#")
            cur.tcomment.append(comment.removeprefix(" "))
        else:
            self.error(index, N_('syntax error: "{word}" is not a PO comment (comments start '
                                 'with "# ", "#. ", "#: ", "#, " or "#| ")'), word=kind[:40])

    def previous(self, index: int, cur: RawEntry, text: str, tokens: list[str]) -> None:
        """A ``#|`` line: the previous msgctxt, msgid or msgid_plural, or their continuation."""
        if len(tokens) > 1 and tokens[1].startswith('"') and cur.previous_target is not None:
            target = cur.previous_target
        elif len(tokens) == 3 and tokens[1] in ("msgctxt", "msgid", "msgid_plural") \
                and tokens[2].startswith('"'):
            target = cur.previous_target = tokens[1]
            cur.previous.setdefault(target, "")
        else:
            cur.previous_target = None
            self.error(index, N_('syntax error: "#|" must be followed by msgctxt, msgid or '
                                 "msgid_plural and a string"))
            return
        value, problem = parse_string(text, text.index('"'))
        if problem:
            self.error(index, problem[0], **dict(problem[1]))
        cur.previous[target] += value

    def continuation(self, index: int, body: str, obsolete: bool) -> None:
        cur = self.cur
        if cur is None or self.target is None:
            self.error(index, N_("a string without a keyword (msgid, msgstr …) before it"))
            return
        if obsolete != cur.obsolete:
            self.error(index, N_("obsolete (#~) and active lines mixed in one entry"))
        value, problem = parse_string(body, 0)
        if problem:
            self.error(index, problem[0], **dict(problem[1]))
        self.append(self.target, value, index)
        self.last_content = index

    def append(self, target: str, value: str, index: int) -> None:
        cur = self.cur
        assert cur is not None
        if target.startswith("msgstr["):
            number = int(target[7:-1])
            cur.msgstr_plural[number] = cur.msgstr_plural.get(number, "") + value
        else:
            setattr(cur, target, (getattr(cur, target) or "") + value)
            if target == "msgstr":
                cur.msgstr_pieces.append((index + 1, value))

    def keyword(self, index: int, body: str, obsolete: bool) -> None:
        match = _KEYWORD.match(body)
        if match is None or not body[match.end():].startswith('"'):
            word = body.split(None, 1)[0] if body.split() else body
            if match is None:
                self.error(index, N_('syntax error: "{word}" is not a PO keyword'),
                           word=word[:40])
            else:
                self.error(index, N_("syntax error: {word} is not followed by a string"),
                           word=match.group(1))
            return
        name, number = match.group(1), match.group(2)
        if self.complete() and (name == "msgid_plural" or (name == "msgstr" and number is None)):
            self.finish()  # a msgstr after a complete entry: reported below as without msgid
        cur = self.cur
        if name in ("msgctxt", "msgid") and cur is not None and (
            cur.msgid is not None or (name == "msgctxt" and cur.msgctxt is not None)
        ):
            self.finish()  # the previous entry ends here ("msgid without msgstr" if unfinished)
        if self.cur is None:
            self.cur = RawEntry(first=index, obsolete=obsolete)
        cur = self.cur
        if cur.msgid is None and cur.msgctxt is None:
            cur.obsolete = obsolete
        elif obsolete != cur.obsolete:
            self.error(index, N_("obsolete (#~) and active lines mixed in one entry"))
        target = self.place(index, cur, name, number)
        if target is None:
            return
        value, problem = parse_string(body, match.end())
        if problem:
            self.error(index, problem[0], **dict(problem[1]))
        cur.lines.setdefault(target, index + 1)
        if target == "msgid":
            cur.line = index + 1
        self.target = target
        if target.startswith("msgstr["):
            cur.msgstr_plural.setdefault(int(target[7:-1]), "")
        elif getattr(cur, target) is None:
            setattr(cur, target, "")
        self.append(target, value, index)
        self.last_content = index

    def place(self, index: int, cur: RawEntry, name: str, number: str | None) -> str | None:
        """Where keyword ``name`` goes in ``cur``; ``None`` (error reported) if out of order."""
        if number is not None and name != "msgstr":
            self.error(index, N_("syntax error: only msgstr takes an index [n]"))
            return None
        if name == "msgctxt":
            if cur.msgctxt is not None or cur.msgid is not None:
                self.error(index, N_("msgctxt must come before msgid, once"))
                return None
            return "msgctxt"
        if name == "msgid":
            return "msgid"
        if cur.msgid is None:
            self.error(index, N_("{keyword} without msgid before it"), keyword=name)
            return None
        if name == "msgid_plural":
            if cur.msgid_plural is not None or cur.msgstr is not None or cur.msgstr_plural:
                self.error(index, N_("msgid_plural must follow msgid, once"))
                return None
            return "msgid_plural"
        if number is None:
            if cur.msgid_plural is not None:
                self.error(index, N_("msgstr after msgid_plural: use msgstr[0], msgstr[1] …"))
                return None
            if cur.msgstr is not None:
                self.error(index, N_("a second msgstr in one entry"))
                return None
            return "msgstr"
        if cur.msgid_plural is None:
            self.error(index, N_("msgstr[{n}] without msgid_plural"), n=number)
            return None
        expected = len(cur.msgstr_plural)
        if int(number) != expected:
            self.error(index, N_("msgstr[{n}] out of order (expected msgstr[{expected}])"),
                       n=number, expected=expected)
            return None
        return f"msgstr[{int(number)}]"


def scan(text: str) -> ScanResult:
    """Scan ``text`` (a decoded .po file): entries in file order and syntax errors."""
    return _Scanner(text).run()


def to_pofile(result: ScanResult, wrapwidth: int = 79) -> polib.POFile:
    """polib's entries for what :func:`scan` read (entries broken by an error are left out).

    The header entry becomes the file's metadata (and its translator comments the file's
    header), as polib's own reader makes them.
    """
    pofile = polib.POFile(wrapwidth=wrapwidth)
    header = next((e for e in result.entries if e.is_header and not e.broken), None)
    for raw in result.entries:
        if raw.broken or raw is header:
            continue
        plural = raw.msgid_plural is not None
        pofile.append(polib.POEntry(
            msgid=raw.msgid or "", msgctxt=raw.msgctxt, obsolete=raw.obsolete,
            msgid_plural=raw.msgid_plural or "", msgstr="" if plural else raw.msgstr or "",
            msgstr_plural=dict(raw.msgstr_plural) if plural else {},
            tcomment=_joined(raw.tcomment), comment=_joined(raw.comment),
            occurrences=list(raw.occurrences), flags=list(raw.flags),
            previous_msgctxt=raw.previous.get("msgctxt"),
            previous_msgid=raw.previous.get("msgid"),
            previous_msgid_plural=raw.previous.get("msgid_plural"),
            linenum=raw.first + 1))
    if header is not None:
        pofile.header = _joined(header.tcomment)
        pofile.metadata_is_fuzzy = list(header.flags)
        key = None
        for line in (header.msgstr or "").splitlines():
            name, colon, value = line.partition(":")
            if colon:
                key = name
                pofile.metadata[key] = value.strip()
            elif key is not None:
                pofile.metadata[key] += "\n" + line.strip()
    return pofile


def _joined(lines: list[str]) -> str:
    """Comment lines as one string, as polib joins them (empty lines before the first text
    are not kept: a changed entry is written as polib always wrote it)."""
    while lines and not lines[0]:
        lines = lines[1:]
    return "\n".join(lines)
