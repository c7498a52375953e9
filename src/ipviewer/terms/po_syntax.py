"""The syntax of gettext ``.po`` text as ``msgfmt`` checks it: errors and entries' lines.

polib is the project's one reader of entries (:mod:`.validation` makes sure it saw the
same entries as this scanner). This scanner exists because polib and Babel accept what
``msgfmt`` refuses and silently change the data: an unterminated string loses its last
character, ``msgstr[0]`` without ``msgid_plural`` is dropped, an invalid escape stays as
text, ``msgstr[n]`` out of order and obsolete lines mixed with active ones pass unnoticed
(``test_polib_accepts_what_msgfmt_refuses``). It reports every syntax error with its line
and remembers which lines each entry, keyword and header piece occupies: that is what lets
:class:`.catalog.Catalog` write an entry nobody touched back byte for byte, and the checks
name the line of a ``msgstr``, a header field or an escape sequence such as ``\\033``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..i18n import _

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?(?=[\s\"])\s*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            "\\": "\\", '"': '"'}
_OCTAL = re.compile(r"[0-7]{1,3}")
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"\s*$')
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)")
_HEX = re.compile(r"[0-9a-fA-F]+")


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
    flags: list[str] = field(default_factory=list)
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
    errors: list[tuple[int, str]]  #: (1-based line, message)


def parse_string(text: str, start: int) -> tuple[str, str | None]:
    """Decode the C string literal at ``text[start]`` (a ``"``): ``(value, error or None)``."""
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


def _parse_slowly(text: str, start: int) -> tuple[str, str | None]:
    """:func:`parse_string` character by character, to say what is wrong and where."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == '"':
            if text[i + 1:].strip():
                return "".join(out), _("unexpected text after the closing quote")
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
            return "".join(out), _("invalid escape sequence \\{char}").format(char=nxt)
    return "".join(out), _("unterminated string (the closing quote is missing)")


class _Scanner:
    """The state machine behind :func:`scan`."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        self.entries: list[RawEntry] = []
        self.errors: list[tuple[int, str]] = []
        self.cur: RawEntry | None = None
        self.target: str | None = None  # the string continuation lines append to
        self.last_content = -1  # 0-based index of the last line of the current entry

    def error(self, index: int, message: str) -> None:
        self.errors.append((index + 1, message))
        if self.cur is not None:
            self.cur.broken = True

    def finish(self) -> None:
        cur = self.cur
        if cur is None:
            return
        if cur.msgid is None:  # only comments: they are not an entry (kept as text)
            if cur.msgctxt is not None and not cur.broken:
                self.errors.append((cur.lines["msgctxt"], _("msgctxt without msgid")))
            self.cur = None
            self.target = None
            return
        if cur.msgstr is None and not cur.msgstr_plural and not cur.broken:
            self.errors.append((cur.line, _("msgid without msgstr")))
            cur.broken = True
        if cur.msgid_plural is not None and not cur.msgstr_plural and not cur.broken:
            self.errors.append((cur.line, _("msgid_plural without msgstr[0]")))
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
        if text.startswith("#,"):
            cur.flags.extend(f.strip() for f in text[2:].split(",") if f.strip())
        self.last_content = index

    def continuation(self, index: int, body: str, obsolete: bool) -> None:
        cur = self.cur
        if cur is None or self.target is None:
            self.error(index, _("a string without a keyword (msgid, msgstr …) before it"))
            return
        if obsolete != cur.obsolete:
            self.error(index, _("obsolete (#~) and active lines mixed in one entry"))
        value, problem = parse_string(body, 0)
        if problem:
            self.error(index, problem)
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
                self.error(index, _('syntax error: "{word}" is not a PO keyword').format(
                    word=word[:40]))
            else:
                self.error(index, _("syntax error: {word} is not followed by a string").format(
                    word=match.group(1)))
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
            self.error(index, _("obsolete (#~) and active lines mixed in one entry"))
        target = self.place(index, cur, name, number)
        if target is None:
            return
        value, problem = parse_string(body, match.end())
        if problem:
            self.error(index, problem)
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
            self.error(index, _("syntax error: only msgstr takes an index [n]"))
            return None
        if name == "msgctxt":
            if cur.msgctxt is not None or cur.msgid is not None:
                self.error(index, _("msgctxt must come before msgid, once"))
                return None
            return "msgctxt"
        if name == "msgid":
            return "msgid"
        if cur.msgid is None:
            self.error(index, _("{keyword} without msgid before it").format(keyword=name))
            return None
        if name == "msgid_plural":
            if cur.msgid_plural is not None or cur.msgstr is not None or cur.msgstr_plural:
                self.error(index, _("msgid_plural must follow msgid, once"))
                return None
            return "msgid_plural"
        if number is None:
            if cur.msgid_plural is not None:
                self.error(index, _("msgstr after msgid_plural: use msgstr[0], msgstr[1] …"))
                return None
            if cur.msgstr is not None:
                self.error(index, _("a second msgstr in one entry"))
                return None
            return "msgstr"
        if cur.msgid_plural is None:
            self.error(index, _("msgstr[{n}] without msgid_plural").format(n=number))
            return None
        expected = len(cur.msgstr_plural)
        if int(number) != expected:
            self.error(index, _("msgstr[{n}] out of order (expected msgstr[{expected}])").format(
                n=number, expected=expected))
            return None
        return f"msgstr[{int(number)}]"


def scan(text: str) -> ScanResult:
    """Scan ``text`` (a decoded .po file): entries in file order and syntax errors."""
    return _Scanner(text).run()
