"""Terminology: each glossary term in one language has its approved term in the other, and
no forbidden variant is used.

Checked on the texts with their figures written in, paragraph by paragraph (and title by
title). Only approved terms count. A white paper's translation is free prose, not a term
list, so the checks leave out what would only produce noise:

- the ``indicator`` field (names of statistics for tables: 发明专利授权量 is "invention
  patents granted" in a table, "granted … invention patents" in prose) and the ``general``
  field (everyday words: 全市 "citywide", 同比增长, RMB);
- English terms of one word ("copyright" is 版权 or 著作权) and Chinese terms of fewer than
  three characters;
- from Chinese to English, institutions: their Chinese names nest (中共上海市委金融委员会
  办公室 holds 中共上海市委) while the English names only the office itself.

English is compared word by word, tolerant of inflection ("revitalization" / "revitalize",
"prosecute" / "prosecutions") and of a dropped generic noun (amount, authorities); a term of
three or more words may lack one of them. An English term is also taken as translated when
the phrase can be read another way that the Chinese has: "registered trademark agencies"
(备案商标代理机构) or "typical copyright cases" (版权典型案例).

Matching uses the glossary's indexes (:meth:`Glossary.find_terms`), built once per glossary
content: a 5,000-paragraph report costs about as much per paragraph as a small one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import ClassVar

from ..i18n import _
from ..script import has_han
from ..terms.glossary import Glossary, GlossaryError
from ..terms.term import Term, TermMatch, english_key
from .finding import Finding

#: Fields left out of the checks (see the module's documentation).
SKIPPED_FIELDS = frozenset({"indicator", "general"})
#: Fields also left out when a Chinese term is looked for in the English.
SKIPPED_FIELDS_ZH = SKIPPED_FIELDS | {"institution"}
MIN_ENGLISH_WORDS = 2
MIN_CHINESE_CHARS = 3

_WORD = re.compile(r"[^\W_]+")
_STOP_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "for", "in", "on", "to", "by",
                         "with", "at", "from", "as", "its", "their"})
#: Nouns a translation often drops or words differently ("transactions worth …",
#: "procuratorates"): not required.
_GENERIC_WORDS = frozenset({"amount", "authority", "authorities", "value", "number", "total"})


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A crude English stem, enough to compare inflected words: cases → cas, filed → fil,
    revitalization / revitalize → revita."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("es") and w[:-2].endswith(("s", "x", "z", "ch", "sh")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w[:6]


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in set(_WORD.findall(text.lower()))}


def _singular(word: str) -> str:
    """agencies → agency, boxes → box, cases → case."""
    low = word.lower()
    if low.endswith("ies"):
        return word[:-3] + "y"
    if low.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if low.endswith("s") and not low.endswith("ss"):
        return word[:-1]
    return word


def _english_pattern(phrase: str) -> str:
    """A regular expression for an English phrase: blanks and hyphens alike, the last word
    also in the plural."""
    *words, last = phrase.split()
    plural = (re.escape(last[:-1]) + "(?:y|ies)" if last.endswith("y")
              else re.escape(last) + "(?:e?s)?")
    return r"[\s\-‐‑]+".join([*(re.escape(w) for w in words), plural])


def _singular_key(text: str) -> str:
    """The key of an English variant as found in a text: plural of the last word folded."""
    *words, last = english_key(text).split()
    return " ".join([*words, _singular(last)])


def _sub_glossary(terms: Iterable[Term]) -> Glossary:
    """A glossary of some terms only: its indexes find them without the others hiding them
    (a longer match of a left-out term would cover a shorter one that is checked)."""
    glossary = Glossary.new()
    for term in terms:
        try:
            glossary.add(term)
        except GlossaryError:  # a duplicate or odd entry: the original keeps working
            continue
    return glossary


class TermChecker:
    """The terminology checks of one glossary (build with :meth:`for_glossary`: cached)."""

    _cache: ClassVar[dict[tuple, TermChecker]] = {}

    def __init__(self, glossary: Glossary) -> None:
        approved = [t for t in glossary.terms() if t.approved and t.chinese.strip()]
        self.glossary = _sub_glossary(approved)
        self.english = _sub_glossary(
            t for t in approved if t.field not in SKIPPED_FIELDS
            and len(_WORD.findall(t.english)) >= MIN_ENGLISH_WORDS)
        self.chinese = _sub_glossary(
            t for t in approved if t.field not in SKIPPED_FIELDS_ZH
            and len(t.chinese.strip()) >= MIN_CHINESE_CHARS)
        variants: dict[str, list[Term]] = {}
        chinese_variants: set[str] = set()
        for term in approved:
            for variant in term.forbidden:
                if variant.strip() and not has_han(variant):
                    variants.setdefault(english_key(variant), []).append(term)
                elif variant.strip():
                    chinese_variants.add(variant.strip())
        #: a quick test (in C) before the glossary's own scan for forbidden variants
        self._any_chinese_variant = re.compile("|".join(
            re.escape(v) for v in sorted(chinese_variants, key=len, reverse=True)),
            re.IGNORECASE) if chinese_variants else None
        self._english_variants = variants
        self._english_forbidden = re.compile(
            r"(?<![^\W_])(?:" + "|".join(
                _english_pattern(key) for key in sorted(variants, key=len, reverse=True))
            + r")(?![^\W_])", re.IGNORECASE) if variants else None
        self._needed: dict[str, tuple[set[str], int]] = {}

    @classmethod
    def for_glossary(cls, glossary: Glossary) -> TermChecker:
        """The checker for ``glossary`` as it is now (rebuilt when its terms change)."""
        key = tuple((t.field, t.english, t.chinese, t.approved, tuple(t.forbidden))
                    for t in glossary.terms())
        checker = cls._cache.get(key)
        if checker is None:
            if len(cls._cache) >= 4:
                cls._cache.clear()
            checker = cls._cache[key] = cls(glossary)
        return checker

    # -- the checks --------------------------------------------------------------------

    def findings(self, node_id: int | None, english: str, chinese: str, where_en: str,
                 where_zh: str) -> list[Finding]:
        """The findings of one pair of texts (either may be empty): forbidden variants used
        in each, and terms of one whose approved term the other lacks."""
        findings = []
        used: set[str] = set()  # approved terms whose forbidden variant was used
        for lang, text, where in (("en", english, where_en), ("zh", chinese, where_zh)):
            for variant, term in self._forbidden(text, lang):
                approved = term.chinese if lang == "zh" else term.english
                used.add(term.chinese)
                findings.append(Finding(
                    "error", "forbidden-term",
                    _('"{variant}" is a forbidden variant: use "{approved}"').format(
                        variant=variant, approved=approved),
                    where, node_id))
        if english and chinese:
            findings += self._english_to_chinese(node_id, english, chinese, where_zh, used)
            findings += self._chinese_to_english(node_id, english, chinese, where_en)
        return findings

    def _english_to_chinese(self, node_id: int | None, english: str, chinese: str,
                            where: str, used: set[str]) -> list[Finding]:
        findings = []
        reported: set[tuple[str, str]] = set()
        for match in self.english.find_terms(english, "en"):
            if any(t.chinese in chinese or t.chinese in used for t in match.terms):
                continue
            if any(t.chinese in chinese for t in self._other_readings(english, match)):
                continue
            wanted = " / ".join(dict.fromkeys(t.chinese for t in match.terms))
            if (match.text.lower(), wanted) in reported:
                continue
            reported.add((match.text.lower(), wanted))
            findings.append(Finding(
                "warning", "terminology",
                _('"{english}" is in the English text, but its approved Chinese term '
                  '"{chinese}" is not in the Chinese text').format(
                    english=match.text, chinese=wanted),
                where, node_id))
        return findings

    def _chinese_to_english(self, node_id: int | None, english: str, chinese: str,
                            where: str) -> list[Finding]:
        findings = []
        reported: set[tuple[str, str]] = set()
        words: set[str] | None = None
        for match in self.chinese.find_terms(chinese, "zh"):
            if words is None:
                words = _stems(english)
            if any(self._in_english(t.english, words) for t in match.terms):
                continue
            wanted = " / ".join(dict.fromkeys(t.english for t in match.terms))
            if (match.text, wanted) in reported:
                continue
            reported.add((match.text, wanted))
            findings.append(Finding(
                "warning", "terminology",
                _('"{chinese}" is in the Chinese text, but its English term "{english}" is '
                  'not in the English text').format(chinese=match.text, english=wanted),
                where, node_id))
        return findings

    def _forbidden(self, text: str, lang: str) -> list[tuple[str, Term]]:
        """The forbidden variants used in ``text``, each with the term that forbids it."""
        if not text:
            return []
        hits: list[tuple[str, Term]] = []
        if lang == "zh":
            if self._any_chinese_variant is None or not self._any_chinese_variant.search(text):
                return []
            covering: list[TermMatch] | None = None
            for match in self.glossary.find_forbidden(text):
                if covering is None:
                    covering = self.glossary.find_terms(text, "zh")
                if any(c.start <= match.start and match.end <= c.end for c in covering):
                    continue  # inside an approved term (or itself approved elsewhere)
                hits.append((match.text, match.terms[0]))
        elif self._english_forbidden is not None:
            for found in self._english_forbidden.finditer(text):
                key = english_key(re.sub(r"[\s\-‐‑]+", " ", found.group()))
                terms = (self._english_variants.get(key)
                         or self._english_variants.get(_singular_key(key)))
                if terms:
                    hits.append((found.group(), terms[0]))
        return hits

    # -- helpers -------------------------------------------------------------------------

    def _in_english(self, term: str, words: set[str]) -> bool:
        """Are the words of the English ``term`` in the text whose stems are ``words``?"""
        needed = self._needed.get(term)
        if needed is None:
            stems = {_stem(w) for w in _WORD.findall(term)
                     if w.lower() not in _STOP_WORDS and w.lower() not in _GENERIC_WORDS}
            stems = stems or {_stem(w) for w in _WORD.findall(term)}
            needed = self._needed[term] = (stems, 1 if len(stems) >= 3 else 0)
        stems, may_miss = needed
        return len(stems - words) <= may_miss

    def _other_readings(self, text: str, match: TermMatch) -> list[Term]:
        """Terms the English phrase can also be read as: one starting at a later word of the
        match ("registered trademark agencies"), or the word before with the last word of
        the match ("typical copyright cases" → typical case)."""
        words = list(_WORD.finditer(text, match.start, match.end))
        found: list[Term] = []
        for word in words[1:]:
            tail = text[word.start():match.end + 60]
            reach = match.end - word.start()  # an other reading goes on past the match
            found += [t for m in self.glossary.find_terms(tail, "en")[:1]
                      if m.start == 0 and m.end > reach for t in m.terms]
        before = re.search(r"([^\W_]+)[ \-]+$", text[max(0, match.start - 40):match.start])
        if before and words:
            head = words[-1].group()
            for phrase in {f"{before.group(1)} {head}", f"{before.group(1)} {_singular(head)}"}:
                found += self.glossary.lookup(phrase, "en")  # typical case
        return found
