"""The terminology glossary: one approved Chinese term for each English term, per field.

A glossary is a gettext catalog (msgid English, msgstr Chinese, msgctxt the field):

    # note for editors (translator comment; may be several lines)
    # forbidden: 有效商标; 注册商标有效量
    #. source: CNIPA official English name
    #, fuzzy
    msgctxt "patent"
    msgid "invention patent"
    msgstr "发明专利"

Approved = not fuzzy and translated. A term and its entry: :mod:`.term`; lookups and
:meth:`Glossary.find_terms` use the indexes of :mod:`.term_index`
(a word trie for English, a two-character table for Chinese), built on first use.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import polib

from ..i18n import _
from ..script import language_of
from .catalog import Catalog, atomic_write
from .problems import CatalogError, Problem, errors_in, read_limited
from .term import Term, TermMatch, apply_term, chinese_key, english_key, term_from_entry
from .term_index import TermIndex
from .validation import WRAP_WIDTH, brace_placeholders, character_problems, check_bytes

#: The fields (msgctxt) a term may belong to; "" is a term without a field.
FIELDS = (
    "patent", "trademark", "copyright", "geographical-indication", "plant-variety",
    "trade-secret", "enforcement", "judicial", "customs", "finance", "services",
    "institution", "programme", "document", "international", "general", "indicator",
)


class GlossaryError(Exception):
    """An edit that cannot be made (unknown term, duplicate, invalid value)."""


class Glossary:
    """English ↔ Chinese terms kept in a gettext catalog, edited without losing anything."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        #: id(entry) -> (entry, term), in file order; the keys find terms without a scan
        self._pairs: dict[int, tuple[polib.POEntry, Term]] = {}
        self._keys: dict[tuple[str, str], polib.POEntry] = {}
        self._folded: dict[tuple[str, str], list[polib.POEntry]] = {}
        self._lines: dict[int, int] = {}
        self._index: TermIndex | None = None
        for entry, line in catalog.entries_with_lines():
            if line:
                self._lines[id(entry)] = line
            self._register(entry)

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Glossary:
        """Read and validate the catalog at ``path`` (:class:`CatalogError` if invalid)."""
        return cls(Catalog.load(path))

    @classmethod
    def from_bytes(cls, data: bytes, path: str | os.PathLike[str] | None = None) -> Glossary:
        """A glossary from the bytes of a ``.po`` file (``path`` names it in messages)."""
        return cls(Catalog.from_bytes(data, path))

    @classmethod
    def new(cls, language: str = "zh_CN") -> Glossary:
        """An empty glossary with a complete header."""
        return cls(Catalog.new(language))

    @property
    def path(self) -> Path | None:
        """The file this glossary was read from or last saved to."""
        return self.catalog.path

    def _where(self) -> str:
        return str(self.path) if self.path else "<catalog>"

    def _register(self, entry: polib.POEntry) -> Term:
        """(Re)read ``entry``'s term; a known entry keeps its place in the order."""
        old = self._pairs.get(id(entry))
        if old is not None:
            self._drop_keys(entry, old[1])
        line = self._lines.get(id(entry))
        term = term_from_entry(entry, f"{self._where()}:{line}" if line else self._where())
        self._pairs[id(entry)] = (entry, term)
        self._keys.setdefault((term.field, term.english), entry)
        self._folded.setdefault((term.field, english_key(term.english)), []).append(entry)
        self._index = None
        return term

    def _drop_keys(self, entry: polib.POEntry, term: Term) -> None:
        if self._keys.get((term.field, term.english)) is entry:
            del self._keys[(term.field, term.english)]
        folded_key = (term.field, english_key(term.english))
        folded = self._folded[folded_key]
        folded.remove(entry)
        if not folded:
            del self._folded[folded_key]
        self._index = None

    def _unregister(self, entry: polib.POEntry) -> Term:
        term = self._pairs.pop(id(entry))[1]
        self._drop_keys(entry, term)
        return term

    # -- reading ---------------------------------------------------------------------

    def _idx(self) -> TermIndex:
        if self._index is None:
            self._index = TermIndex([term for _entry, term in self._pairs.values()])
        return self._index

    def terms(self) -> list[Term]:
        """All active terms in file order (copies: change them with :meth:`edit`)."""
        return [term.copy() for _entry, term in self._pairs.values()]

    def __len__(self) -> int:
        return len(self._pairs)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms())

    def get(self, english: str, field: str = "") -> Term | None:
        """The term ``english`` in ``field`` (exact, else case-insensitive), or None."""
        found = self._find(english, field)
        return found[1].copy() if found else None

    def _find(self, english: str, field: str) -> tuple[polib.POEntry, Term] | None:
        entry = self._keys.get((field, english))
        if entry is None:
            folded = self._folded.get((field, english_key(english)))
            if not folded:
                return None
            entry = folded[0]
        return self._pairs[id(entry)]

    def _require(self, english: str, field: str) -> tuple[polib.POEntry, Term]:
        found = self._find(english, field)
        if found is None:
            raise GlossaryError(_('no term "{english}" in field "{field}"').format(
                english=english, field=field or "-"))
        return found

    def lookup(self, text: str, lang: str = "en") -> list[Term]:
        """Every term (in any field) whose English (``en``, any case) or Chinese (``zh``) is
        exactly ``text``."""
        index = self._idx()
        if lang == "zh":
            found = index.chinese.get(chinese_key(text), [])
        elif lang == "en":
            found = index.english.get(english_key(text), [])
        else:
            raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
        return [term.copy() for term in found]

    def find_terms(self, text: str, lang: str | None = None) -> list[TermMatch]:
        """The glossary terms in ``text``, left to right, longest match first, no overlaps.

        The matches share their :class:`Term` objects with the index (no copies, for speed):
        read them, do not change them.

        English (``en``): any case, whole words only ("patent" is not found in "patented"),
        spaces and hyphens alike, regular plurals of the last word ("invention patents").
        Chinese (``zh``): anywhere, no word boundaries. ``lang`` None: detected.
        """
        lang = lang or language_of(text)
        index = self._idx()
        if lang == "zh":
            return index.zh.find(text)
        if lang == "en":
            return index.find_english(text)
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")

    def find_forbidden(self, text: str) -> list[TermMatch]:
        """Forbidden Chinese variants used in ``text``, with the terms that forbid them."""
        return self._idx().zh_forbidden.find(text)

    def translate(self, english: str, field: str | None = None) -> str | None:
        """The approved Chinese for ``english`` (in ``field`` if given), or None.

        Without a field: the one approved translation; if fields disagree, the one without
        a field or in ``general``; None when that still leaves a choice.
        """
        candidates = [t for t in self.lookup(english, "en")
                      if t.approved and (field is None or t.field == field)]
        choices = {t.chinese for t in candidates}
        if len(choices) == 1:
            return choices.pop()
        general = {t.chinese for t in candidates if t.field in ("", "general")}
        return general.pop() if len(general) == 1 else None

    def problems(self) -> list[Problem]:
        """Warnings about the terms (unknown fields, approved forbidden variants …)."""
        problems = list(self.catalog.warnings)
        where = self._where()
        seen: dict[tuple[str, str], Term] = {}
        for entry, term in self._pairs.values():
            line = self._lines.get(id(entry))
            if term.field and term.field not in FIELDS:
                problems.append(Problem(where, line, _(
                    'unknown field "{field}" (known: {fields})').format(
                        field=term.field, fields=", ".join(FIELDS)), "warning"))
            if term.chinese and term.chinese in term.forbidden:
                problems.append(Problem(where, line, _(
                    '"{chinese}" is both the translation and a forbidden variant').format(
                        chinese=term.chinese), "warning"))
            other = seen.setdefault((term.field, english_key(term.english)), term)
            if other is not term:
                problems.append(Problem(where, line, _(
                    '"{english}" differs only in case from "{other}" in the same field').format(
                        english=term.english, other=other.english), "warning"))
        return sorted(problems, key=lambda p: p.line or 0)

    # -- editing ---------------------------------------------------------------------

    def _validate(self, term: Term, old: Term | None) -> None:
        if not term.english.strip():
            raise GlossaryError(_("a term needs its English text"))
        new_field = old is None or term.field != old.field
        if new_field and term.field and term.field not in FIELDS:
            raise GlossaryError(_('unknown field "{field}" (known: {fields})').format(
                field=term.field, fields=", ".join(FIELDS)))
        renamed = old is None or (term.field, english_key(term.english)) != (
            old.field, english_key(old.english))
        if renamed and self._find(term.english, term.field) is not None:
            raise GlossaryError(_('"{english}" is already in field "{field}"').format(
                english=term.english, field=term.field or "-"))
        for text in (term.english, term.chinese, term.field, *term.forbidden, *term.sources):
            if any(ord(ch) < 32 for ch in text):
                raise GlossaryError(_("line breaks and control characters are not allowed in "
                                      "terms (only in notes)"))
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in term.note):
            raise GlossaryError(_("control characters are not allowed in notes"))
        if any(";" in v or "；" in v for v in term.forbidden):
            # L10N: forbidden variants are written on one comment line, separated by ";"
            raise GlossaryError(_("a forbidden variant cannot contain a semicolon"))
        if term.chinese and brace_placeholders(term.english) != brace_placeholders(
                term.chinese):
            raise GlossaryError(_("the placeholders in braces differ between the English "
                                  "and the Chinese"))

    def add(self, term: Term) -> Term:
        """Add a new term (after the last one); :class:`GlossaryError` if it exists."""
        self._validate(term, None)
        entry = polib.POEntry(msgctxt=term.field or None, msgid=term.english, msgstr="")
        apply_term(entry, term_from_entry(entry), term, self.catalog.nplurals)
        self.catalog.add(entry)
        return self._register(entry).copy()

    def edit(self, english: str, field: str = "", /, **changes: Any) -> Term:
        """Change fields of a term: ``edit("patent", "patent", chinese="专利")``.

        ``changes`` are :class:`Term` attributes (``english`` and ``field`` rename it).
        """
        unknown = set(changes) - {f.name for f in dataclasses.fields(Term)} - {"origin"}
        if unknown:
            raise TypeError(f"Term has no attribute(s) {', '.join(sorted(unknown))}")
        entry = self._require(english, field)[0]
        old = term_from_entry(entry)  # not the cached term: a caller may have changed that
        new = dataclasses.replace(old, **changes)
        self._validate(new, old)
        apply_term(entry, old, new, self.catalog.nplurals)
        return self._register(entry).copy()

    def approve(self, english: str, field: str = "") -> Term:
        """Mark a translated term approved (no longer fuzzy)."""
        term = self._require(english, field)[1]
        if not term.chinese:
            raise GlossaryError(_('"{english}" has no Chinese term to approve').format(
                english=english))
        return self.edit(english, field, approved=True)

    def delete(self, english: str, field: str = "") -> Term:
        """Remove a term; returns it."""
        entry = self._require(english, field)[0]
        self.catalog.remove(entry)
        return self._unregister(entry).copy()

    # -- writing ---------------------------------------------------------------------

    @property
    def modified(self) -> bool:
        """Whether there are unsaved changes."""
        return self.catalog.modified

    def to_bytes(self) -> bytes:
        """The catalog's bytes as :meth:`save` would write them."""
        return self.catalog.to_bytes()

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the catalog (atomically; untouched entries byte for byte)."""
        return self.catalog.save(path)

    def template_bytes(self, creation_date: str | None = None) -> bytes:
        """The ``.pot`` template: every term's English with empty translations."""
        pot = polib.POFile(wrapwidth=WRAP_WIDTH)
        pot.header = "Template of the ipviewer terminology glossary."
        pot.metadata_is_fuzzy = ["fuzzy"]
        fields = self.catalog.fields
        pot.metadata = {
            "Project-Id-Version": fields.get("Project-Id-Version", "ipviewer terminology"),
            "Report-Msgid-Bugs-To": fields.get("Report-Msgid-Bugs-To", ""),
            "POT-Creation-Date": creation_date
            or datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z"),
            "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
            "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
            "Language-Team": "LANGUAGE <LL@li.org>",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
        }
        for entry in self.catalog.entries:
            pot.append(polib.POEntry(
                msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural,
                msgstr="", msgstr_plural={0: "", 1: ""} if entry.msgid_plural else {},
                comment=entry.comment, occurrences=list(entry.occurrences),
                flags=[f for f in entry.flags if f != "fuzzy"]))
        return str(pot).encode("utf-8")

    def save_template(self, path: str | os.PathLike[str]) -> bool:
        """Write the ``.pot`` template to ``path``; False when it was already up to date.

        An up-to-date template keeps its ``POT-Creation-Date`` (no change in git).
        """
        path = Path(path)
        old = path.read_bytes() if path.is_file() else None
        if old is not None:
            found = re.search(rb'"POT-Creation-Date: ([^"\\]*)\\n"', old)
            if found and self.template_bytes(found.group(1).decode("utf-8", "replace")) == old:
                return False
        data = self.template_bytes()
        errors = errors_in(check_bytes(data, path, template=True))
        if errors:
            raise CatalogError(errors)
        atomic_write(path, data)
        return True


def check_glossary(path: str | os.PathLike[str], data: bytes | None = None) -> list[Problem]:
    """Every problem of the glossary at ``path`` (or of ``data``, its bytes already read):
    catalog errors and warnings, control characters and bidi overrides (errors), then,
    when it loads, the glossary's own warnings."""
    if data is None:
        try:
            data = read_limited(path)
        except CatalogError as exc:
            return exc.problems
    template = str(path).endswith(".pot")
    problems = check_bytes(data, path, template=template) + character_problems(data, path)
    problems.sort(key=lambda p: p.line or 0)
    if errors_in(problems) or template:
        return problems
    try:
        glossary = Glossary.from_bytes(data, path)
    except CatalogError as exc:
        return exc.problems
    return glossary.problems()
