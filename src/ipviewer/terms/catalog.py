"""A validated gettext ``.po`` catalog that writes back exactly what it read, plus the edits.

Editing goes through polib entries; :meth:`Catalog.to_bytes` writes every entry nobody
changed back byte for byte from the original text (header fields and their order,
comments, wrapping, obsolete entries …) and renders only the changed and new entries with
polib, GNU style, wrapped at 79 columns. Validation is :mod:`.validation`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polib

from .. import safe_write
from ..i18n import _
from .problems import CatalogError, errors_in, read_limited
from .validation import WRAP_WIDTH, Analysis, analyse, check_bytes


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
