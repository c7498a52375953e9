"""Sentences of a paragraph of white-paper prose, English or Chinese (no Qt)."""

from __future__ import annotations

import re

# Patterns run over a whole paragraph start only at the beginning of a run of the
# characters they repeat (a lookbehind) and do not give back what they took (possessive
# quantifiers): a run of a million "!" or blanks is read once, not once per character.
_EN_END = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]*]*+(?=\s|$)")
_ZH_END = re.compile(r"(?<![。！？；!?;])[。！？；!?;]++[”’\"')）\]】」』*]*+")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*+\n\s*+")
#: The word before an English sentence end, read from the 40 characters before it.
_WORD_BEFORE_END = re.compile(r"(?<![\w.])[\w.]++$")
_NEXT_VISIBLE = re.compile(r"\s*+(\S?)")
_EN_ABBREV = {
    "no", "nos", "mr", "mrs", "ms", "dr", "prof", "st", "co", "ltd", "inc", "corp", "art",
    "vol", "fig", "vs", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "e.g", "i.e", "u.s", "p.r", "para", "ch", "sec",
}


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, without surrounding blanks.

    English ends at ``.``, ``!``, ``?`` before a blank (not in ``17.9858``, ``No. 5`` or
    ``e.g. the``); Chinese at 。！？；. A blank line always ends a sentence.
    """
    cuts = {m.end() for m in _PARAGRAPH_BREAK.finditer(text)}
    if lang == "zh":
        cuts.update(m.end() for m in _ZH_END.finditer(text))
    else:
        for m in _EN_END.finditer(text):
            word = _WORD_BEFORE_END.search(text, max(0, m.start() - 40), m.start())
            token = word.group().lower() if word else ""
            after = _NEXT_VISIBLE.match(text, m.end()).group(1)  # type: ignore[union-attr]
            if token in _EN_ABBREV or (len(token) == 1 and token.isalpha()):
                continue
            if after.islower() or after.isdigit():
                continue
            cuts.add(m.end())
    spans, start = [], 0
    for cut in sorted(cuts | {len(text)}):
        chunk = text[start:cut]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right > left:
            spans.append((start + left, start + right))
        start = cut
    return spans
