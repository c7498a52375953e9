"""What changed between two versions of a text: words in English, characters in Chinese
(no Qt).

:func:`diff_text` aligns the two texts sentence by sentence first (``prose.sentences``)
and then, inside each pair of changed sentences, token by token with :mod:`difflib`: an
English token is a word or a number (``150,800``, ``14.28%``), a Chinese token one
character, except that a number (``15.08``, ``2024``) stays whole — "15.08万" against
"16.2万" changes the number, not the digits ``5.08`` → ``6.2``. The sentence step keeps the
work near linear for long texts; a changed passage too long to compare token by token is
reported as replaced whole. Joining the ``a`` (or ``b``) sides of the segments gives back
the text exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise

from .prose.sentences import split_sentences

__all__ = ["MAX_TOKEN_PAIRS", "Segment", "diff_text", "tokens"]

#: The most (tokens of A × tokens of B) compared token by token in one changed passage.
MAX_TOKEN_PAIRS = 400_000

# No possessive quantifier on a group here ("(?:…)*+"): Python 3.11.2's re (Debian 12's)
# matches them wrongly ("2024," became one token); tests/test_architecture.py looks for them.
_EN_TOKEN = re.compile(r"\w+(?:[.,'’]\w+)*%?|\s+|[^\w\s]")
_ZH_TOKEN = re.compile(r"[0-9A-Za-z０-９]+(?:[.,．，][0-9０-９]+)*[%％]?|\s+|.", re.DOTALL)


@dataclass(frozen=True)
class Segment:
    """A piece of the comparison: ``equal`` (``a == b``), ``replace``, ``delete`` (only
    ``a``) or ``insert`` (only ``b``)."""

    op: str
    a: str
    b: str


def tokens(text: str, lang: str) -> list[str]:
    """The units ``text`` is compared in (see the module's description); they join back
    to ``text``."""
    return (_ZH_TOKEN if lang == "zh" else _EN_TOKEN).findall(text)


def _sentences(text: str, lang: str) -> list[str]:
    """``text`` cut before each sentence after the first (the pieces join back to it)."""
    cuts = [start for start, _end in split_sentences(text, lang)][1:]
    bounds = [0, *cuts, len(text)]
    return [text[s:e] for s, e in pairwise(bounds) if e > s]


def diff_text(a: str, b: str, lang: str) -> list[Segment]:
    """The segments that turn ``a`` into ``b`` (adjacent ones of the same kind merged)."""
    if a == b:
        return [Segment("equal", a, b)] if a else []
    pieces_a, pieces_b = _sentences(a, lang), _sentences(b, lang)
    found: list[Segment] = []
    matcher = SequenceMatcher(None, [p.strip() for p in pieces_a],
                              [p.strip() for p in pieces_b], autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        old, new = "".join(pieces_a[a1:a2]), "".join(pieces_b[b1:b2])
        if op == "equal" and old == new:
            found.append(Segment("equal", old, new))
        elif op in ("equal", "replace"):  # (equal but for the blanks around a sentence)
            found += _token_diff(old, new, lang)
        else:
            found.append(Segment(op, old, new))
    return _merged(found)


def _token_diff(a: str, b: str, lang: str) -> list[Segment]:
    words_a, words_b = tokens(a, lang), tokens(b, lang)
    if len(words_a) * len(words_b) > MAX_TOKEN_PAIRS:
        return [Segment("replace", a, b)]
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    return [Segment(op, "".join(words_a[a1:a2]), "".join(words_b[b1:b2]))
            for op, a1, a2, b1, b2 in matcher.get_opcodes()]


def _merged(segments: list[Segment]) -> list[Segment]:
    """Adjacent changes as one (a deletion then an insertion is a replacement), and a
    change separated from the next only by blanks takes them in, so that a changed phrase
    reads as one change, not one per word."""
    segments = [s for s in segments if s.a or s.b]
    out: list[Segment] = []
    for i, seg in enumerate(segments):
        following = segments[i + 1] if i + 1 < len(segments) else None
        bridge = (seg.op == "equal" and not seg.a.strip() and following is not None
                  and following.op != "equal")
        if out and out[-1].op != "equal" and (seg.op != "equal" or bridge):
            last = out.pop()
            joined_a, joined_b = last.a + seg.a, last.b + seg.b
            op = "replace" if joined_a and joined_b else ("delete" if joined_a else "insert")
            out.append(Segment(op, joined_a, joined_b))
        elif out and out[-1].op == "equal" and seg.op == "equal":
            last = out.pop()
            out.append(Segment("equal", last.a + seg.a, last.b + seg.b))
        else:
            out.append(seg)
    return out
