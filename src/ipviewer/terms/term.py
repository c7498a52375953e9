"""A glossary term (:class:`Term`), a term found in a text (:class:`TermMatch`), and how
terms are read from and written to their gettext entries.

An entry stands for a term as :mod:`.glossary` describes: msgid English, msgstr Chinese,
msgctxt the field, translator comments the note (``forbidden:`` lines the forbidden
variants), ``#. source:`` lines the sources, ``fuzzy`` not yet approved.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import polib

_FORBIDDEN = re.compile(r"^\s*forbidden\s*[:：]\s*(.*)$", re.IGNORECASE)
_SOURCE = re.compile(r"^\s*source\s*:\s*", re.IGNORECASE)
#: Latin capitals to lower case, nothing else (how Chinese terms are compared).
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclasses.dataclass
class Term:
    """One glossary entry as the editors see it."""

    english: str
    chinese: str = ""
    field: str = ""  #: one of :data:`FIELDS`, or "" for none
    note: str = ""
    forbidden: list[str] = dataclasses.field(default_factory=list)
    sources: list[str] = dataclasses.field(default_factory=list)
    approved: bool = False
    #: where the term was read ("file:line" for messages); not part of equality
    origin: str = dataclasses.field(default="", compare=False)

    @property
    def status(self) -> str:
        """``approved``, ``fuzzy`` (translated, not approved) or ``untranslated``."""
        if not self.chinese:
            return "untranslated"
        return "approved" if self.approved else "fuzzy"

    def copy(self) -> Term:
        """An independent copy (its lists too)."""
        new = object.__new__(Term)
        new.__dict__.update(self.__dict__)
        new.forbidden, new.sources = list(self.forbidden), list(self.sources)
        return new

    def as_dict(self) -> dict[str, Any]:
        """The term as JSON-ready values (``origin`` left out)."""
        data = dataclasses.asdict(self)
        del data["origin"]
        data["status"] = self.status
        return data


@dataclasses.dataclass(frozen=True)
class TermMatch:
    """A glossary term found in a text: ``text[start:end]``, and every term it matches."""

    start: int
    end: int
    text: str
    terms: tuple[Term, ...]


def english_key(text: str) -> str:
    """How English terms are compared: case-insensitive, spaces collapsed."""
    return " ".join(text.split()).casefold()


def chinese_key(text: str) -> str:
    """How Chinese terms are compared: trimmed, Latin letters in lower case."""
    return text.strip().translate(ASCII_LOWER)


def term_from_entry(entry: polib.POEntry, origin: str = "") -> Term:
    """The :class:`Term` an entry stands for (``forbidden:`` lines split from the note)."""
    notes: list[str] = []
    forbidden: list[str] = []
    for line in entry.tcomment.split("\n") if entry.tcomment else []:
        match = _FORBIDDEN.match(line)
        if match:
            forbidden.extend(v.strip() for v in re.split(r"[;；]", match.group(1)) if v.strip())
        else:
            notes.append(line)
    sources = [_SOURCE.sub("", line).strip() for line in entry.comment.split("\n")
               if line.strip()] if entry.comment else []
    chinese = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
    return Term(
        english=entry.msgid, chinese=chinese, field=entry.msgctxt or "",
        note="\n".join(notes), forbidden=forbidden, sources=sources,
        approved="fuzzy" not in entry.flags and bool(chinese), origin=origin,
    )


def apply_term(entry: polib.POEntry, old: Term, new: Term, nplurals: int = 1) -> None:
    """Change ``entry`` from ``old`` to ``new``, touching only what differs."""
    if new.english != old.english:
        entry.msgid = new.english
    if new.field != old.field:
        entry.msgctxt = new.field or None
    if new.chinese != old.chinese:
        if entry.msgid_plural:
            entry.msgstr_plural = {n: new.chinese for n in range(nplurals)}
        else:
            entry.msgstr = new.chinese
    if new.note != old.note or new.forbidden != old.forbidden:
        lines = new.note.split("\n") if new.note else []
        if new.forbidden:
            lines.append("forbidden: " + "; ".join(new.forbidden))
        entry.tcomment = "\n".join(lines)
    if new.sources != old.sources:
        entry.comment = "\n".join(f"source: {source}" for source in new.sources)
    fuzzy = bool(new.chinese) and not new.approved
    if fuzzy and "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    elif not fuzzy and "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
        # as Poedit does: an approved entry no longer needs the previous source text
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
