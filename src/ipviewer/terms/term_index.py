"""Lookup tables over the glossary's terms: a word trie for English (any case, spaces and
hyphens alike, regular plurals of the last word) and a two-character table for Chinese
(no word boundaries). Built by :class:`.glossary.Glossary` on first use after a change.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

from .term import ASCII_LOWER, Term, TermMatch, chinese_key, english_key

_TOKEN = re.compile(r"[^\W_]+")
_SPLIT = re.compile(r"([^\W_]+)")
_SEPARATOR = re.compile(r"[\s\-‐‑]+")
_EXACT, _PLURAL = 0, 1  # trie keys of the terms ending at a node (never a word: ints)


def _plurals(word: str) -> set[str]:
    """Regular English plurals of ``word`` (patent → patents, agency → agencies …)."""
    if len(word) < 2 or not word.isalpha():
        return set()
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return {word + "es"}
    if word.endswith("y") and word[-2] not in "aeiou":
        return {word[:-1] + "ies"}
    return {word + "s"}


def _gap_key(gap: str) -> str:
    """How the text between two words is compared: spaces and hyphens alike."""
    if _SEPARATOR.fullmatch(gap):
        return " "
    return "".join(gap.split()).replace("’", "'")


def _english_keys(text: str) -> list[str]:
    """Words (case-folded) and the gaps between them, alternating."""
    keys: list[str] = []
    end = None
    for match in _TOKEN.finditer(text):
        if end is not None:
            keys.append(_gap_key(text[end:match.start()]))
        keys.append(match.group().lower())
        end = match.end()
    return keys


class TermIndex:
    """Lookup tables over the terms, built once per change of the glossary."""

    def __init__(self, terms: list[Term]) -> None:
        self.english: dict[str, list[Term]] = {}
        self.chinese: dict[str, list[Term]] = {}
        self.trie: dict[Any, Any] = {}
        self.zh = _ChineseTable()
        self.zh_forbidden = _ChineseTable()
        for term in terms:
            self.english.setdefault(english_key(term.english), []).append(term)
            keys = _english_keys(term.english)
            if keys:
                node = self.trie
                for key in keys[:-1]:
                    node = node.setdefault(key, {})
                node.setdefault(keys[-1], {}).setdefault(_EXACT, []).append(term)
                for plural in _plurals(keys[-1]):
                    node.setdefault(plural, {}).setdefault(_PLURAL, []).append(term)
            if term.chinese.strip():
                self.chinese.setdefault(chinese_key(term.chinese), []).append(term)
                self.zh.add(chinese_key(term.chinese), term)
            for variant in term.forbidden:
                if variant.strip():
                    self.zh_forbidden.add(chinese_key(variant), term)
        self.zh.freeze()
        self.zh_forbidden.freeze()

    def find_english(self, text: str) -> list[TermMatch]:
        lowered = text.lower()
        if len(lowered) == len(text):
            parts = _SPLIT.split(lowered)  # [gap, word, gap, word, …, gap], split in C
            words = parts[1::2]
        else:  # a character whose lower case is longer (İ): fold word by word
            parts = _SPLIT.split(text)
            words = [word.lower() for word in parts[1::2]]
        gaps = parts[2::2]  # gaps[j] lies between words[j] and words[j + 1]
        trie = self.trie
        offsets: list[int] | None = None
        found: list[TermMatch] = []
        count = len(words)
        i = 0
        while i < count:
            node = trie.get(words[i])
            if node is None:
                i += 1
                continue
            best: tuple[int, list[Term]] | None = None
            j = i
            while node is not None:
                terms = node.get(_EXACT) or node.get(_PLURAL)
                if terms:
                    best = (j, terms)
                if j + 1 >= count:
                    break
                gap = gaps[j]
                after = node.get(" " if gap == " " else _gap_key(gap))
                if after is None:
                    break
                j += 1
                node = after.get(words[j])
            if best is None:
                i += 1
                continue
            if offsets is None:
                offsets = list(accumulate(map(len, parts)))
            start, end = offsets[2 * i], offsets[2 * best[0] + 1]
            found.append(TermMatch(start, end, text[start:end], tuple(best[1])))
            i = best[0] + 1
        return found


class _ChineseTable:
    """Chinese strings by their first two characters, longest first: matching without spaces."""

    def __init__(self) -> None:
        self.by_two: dict[str, list[tuple[str, list[Term]]]] = {}
        self.by_one: dict[str, list[Term]] = {}
        self._terms: dict[str, list[Term]] = {}

    def add(self, key: str, term: Term) -> None:
        self._terms.setdefault(key, []).append(term)

    def freeze(self) -> None:
        for key, terms in self._terms.items():
            if len(key) == 1:
                self.by_one[key] = terms
            else:
                self.by_two.setdefault(key[:2], []).append((key, terms))
        for candidates in self.by_two.values():
            candidates.sort(key=lambda item: -len(item[0]))

    def find(self, text: str) -> list[TermMatch]:
        folded = text.translate(ASCII_LOWER)
        found: list[TermMatch] = []
        by_two, by_one = self.by_two, self.by_one
        i, count = 0, len(folded)
        while i < count:
            hit: tuple[int, list[Term]] | None = None
            for key, terms in by_two.get(folded[i:i + 2], ()):
                if folded.startswith(key, i):
                    hit = (len(key), terms)
                    break
            if hit is None and folded[i] in by_one:
                hit = (1, by_one[folded[i]])
            if hit is None:
                i += 1
                continue
            found.append(TermMatch(i, i + hit[0], text[i:i + hit[0]], tuple(hit[1])))
            i += hit[0]
        return found
