"""What an English figure counts: a short noun phrase from the words around it (no Qt).
Part of :mod:`.figures`."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ipviewer.indicators import CURRENCIES

from .candidates import (
    DURATIONS,
    EN_NUMBER_WORDS,
    MAX_LABEL_WORDS,
    WINDOW,
    Candidate,
    tail_search,
)

#: Words, numbers (a comma or full stop right after one is punctuation, not part of it)
#: and single signs.
_TOKEN = re.compile(r"[A-Za-z][\w'’&-]*|\d+(?:[.,]\d+)*|[^\sA-Za-z\d]")
_PREPS = {
    "in", "on", "at", "to", "from", "with", "by", "into", "under", "over", "through",
    "throughout", "during", "across", "per", "between", "among", "via", "as", "than", "after",
    "before", "since", "within", "without", "against", "upon", "about", "around", "toward",
    "towards", "compared", "like", "including",
}
_CONTINUE = {"of", "for", "involving"}
_DETERMINERS = {"the", "a", "an", "this", "these", "those", "its", "their", "his", "her", "our",
                "each", "every", "any", "another", "all", "both"}
_STOP = _PREPS | _DETERMINERS | {
    "was", "were", "is", "are", "be", "been", "being", "has", "have", "had", "will", "would",
    "can", "could", "may", "might", "shall", "should", "do", "does", "did", "held", "made",
    "won", "saw", "got", "took", "became", "began", "led", "set", "reached", "totaled",
    "totalled", "stood", "amounted", "remained", "while", "which", "that", "who", "whose",
    "where", "when", "respectively", "such", "but", "so", "then", "if", "year-on-year",
    "reflecting", "showing", "representing", "amounting", "totaling", "totalling", "reaching",
    "accounting", "covering", "making", "bringing", "indicating", "marking", "exceeding",
    "concerning", "up", "down", "an", "it", "they", "we", "worth", "valued",
}
_ACTIONS = {
    "handled", "concluded", "accepted", "granted", "received", "filed", "solved", "prosecuted",
    "investigated", "closed", "heard", "mediated", "settled", "examined", "reviewed",
    "registered", "approved", "issued", "trained", "commercialized", "held", "arrested",
    "established", "recognized", "accredited", "certified", "added", "signed", "licensed",
    "transferred", "published", "released", "seized",
}
_PASSIVE_AUX = {"were", "was", "have", "has", "had", "been", "are", "is", "be"}
_LINK = re.compile(
    r"\b(?P<link>reached|reaching|totaled|totalled|totaling|totalling|totals?|stood at|standing at"
    r"|was|were|is|are|amounted to|amounting to|amounts? to|came to|hit|numbered|of|to|worth"
    r"|valued at|at|accounting for|accounted for|accounts? for"
    r"|(?:(?:was|were|is|are|has been|have been)\s+)?[a-z]+ed to|(?<=\w):)\s*$",
    re.IGNORECASE,
)
_SUBJECT_LEAD = (
    re.compile(r"^(?:(?:hundred|thousand|million|billion|trillion|RMB|yuan)\s+)+", re.IGNORECASE),
    re.compile(r"^(?:(?:and|or|[a-z]+ed|[a-z]+ing)\s+)+", re.IGNORECASE),  # and collected fines
    re.compile(r"^(?:(?:the|a|an|its|their|this|these)\s+)+", re.IGNORECASE),
    re.compile(r"^(?:total number|total amount|number|amount|total|sum) of\s+", re.IGNORECASE),
)


@dataclass
class _Tok:
    start: int
    end: int
    text: str

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()


def _verbish(word: str) -> bool:
    """Looks like a verb form that ends a noun phrase (``received``, ``involving`` ...)."""
    return (len(word) > 4 and word.endswith("ed")) or word in _STOP or word.endswith("ly")


def _adjective(low: str, toks: list[_Tok], i: int) -> bool:
    """An -ed word in a noun phrase (``integrated services``), not a verb (``agents received``)."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return (low.endswith("ed") and low not in _ACTIONS and low not in _STOP and nxt is not None
            and nxt.is_word and nxt.low not in _STOP and nxt.low not in _CONTINUE)


def _participle(word: str) -> str:
    """``handled`` for handled/handling, if it is one of the action verbs; else ''."""
    word = word.lower()
    if word in _ACTIONS:
        return word
    if word.endswith("ing"):
        for guess in (word[:-3] + "ed", word[:-3] + "d", word[:-4] + "ed"):
            if guess in _ACTIONS:
                return guess
        if word == "holding":
            return "held"
    return ""


def _np_after(toks: list[_Tok], i: int) -> tuple[list[str], int, int]:
    """Noun phrase starting at token ``i``: (words, index where of/for begins or -1, next token)."""
    words: list[str] = []
    cont = -1
    head = False
    while i < len(toks) and len(words) <= 2 * MAX_LABEL_WORDS:
        tok = toks[i]
        low = tok.low
        if not tok.is_word or low in EN_NUMBER_WORDS:
            break
        if low in ("and", "or", "&"):
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if (words and nxt and nxt.is_word and nxt.low not in EN_NUMBER_WORDS
                    and not _verbish(nxt.low) and not nxt.low.endswith("ing")):
                words.append(tok.text)
                i += 1
                continue
            break
        if low in _CONTINUE:
            if not head:
                break
            cont = len(words) if cont < 0 else cont
        elif low in _STOP or (head and _verbish(low) and not _adjective(low, toks, i)):
            break
        words.append(tok.text)
        head = head or not low.endswith("ly")
        i += 1
    while words and words[-1].lower() in _CONTINUE | {"and", "or", "&"}:
        words.pop()
    if cont >= len(words):
        cont = -1
    elif cont >= 0 and len(words) > MAX_LABEL_WORDS:
        words = words[:cont]  # too long with its "for ..." part: keep the head (still marked)
    return words[:MAX_LABEL_WORDS], cont, i


def _cut_at_preposition(words: list[str]) -> list[str]:
    """Drop a trailing prepositional phrase other than of/for: ``patents granted in Shanghai``."""
    for k, word in enumerate(words):
        if k and word.lower() in _PREPS:
            return words[:k]
    return words


def _singular(word: str) -> str:
    """Rough singular of an English plural noun."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_RATE_TAIL = re.compile(
    r"(?:\b(?:was|were|is|are)\s+)?(?:\b(?:up|down|increased|decreased|fell|rose|grew|dropped"
    r"|declined|climbed|jumped)\s+)?(?:by\s+)?-?[\d.,]+\s?%(?:\s+(?:higher|lower|more|less))?"
    r"(?:\s+year[- ]on[- ]year)?\s*$"
)


def _subject(before: str) -> list[str]:
    """The noun phrase a linking verb refers back to, within its clause.

    A change rate just before (``registrations decreased by 4.1% to``) is skipped.
    """
    before = _RATE_TAIL.sub("", before)
    before = re.sub(r"\s*\b(?:in|by|since|during|for|of)?\s*(?:19|20)\d\d\b(?!,)", " ", before)
    clause = re.split(r"[,;:()\[\]\"“”—–%]|\d|\bwith\b|\bwhich\b|\bwhile\b", before)[-1]
    clause = re.sub(r"^.*\b(?:and|or|then)\s+(?=[a-z]+(?:ed|ing)\s)", "", clause.strip())
    counted = re.search(r"\b(?:total )?(?:number|amount|volume) of\s+", clause)
    if counted:
        clause = clause[counted.end():]  # brought the number of protected brands to
    else:
        for lead in _SUBJECT_LEAD:
            clause = lead.sub("", clause)
    words = _cut_at_preposition(clause.split())
    while words and words[-1].lower() in _CONTINUE | {"and", "or"}:
        words.pop()
    return words[-MAX_LABEL_WORDS:]


def _tidy(words: list[str], sentence_first: bool) -> str:
    """Join label words, lower-casing a sentence-initial capital (``Patents`` -> ``patents``)."""
    if (words and sentence_first and words[0][:1].isupper() and words[0][1:].islower()
            and not words[0].endswith(("'s", "’s"))):
        words = [words[0].lower(), *words[1:]]
    return " ".join(words)


_PER = re.compile(r"per\s+(?:[\d,.]+\s+)?(?:(?:hundred|thousand|million|billion)\s+)?[A-Za-z]+")


def _with_tail(noun: str, tail: str) -> str:
    """``patent ... transactions`` + ``amount`` -> ``patent ... transaction amount``."""
    *head, last = noun.split()
    return " ".join([*head, _singular(last), tail])


_PER_IN_SUBJECT = re.compile(r"\bper\s+[\d,.]+\s+[A-Za-z]+\s*")
#: How far before a figure a linking verb may begin ("have been commercialized to").
_LINK_REACH = 48


class _Patched:
    """``scan`` with ``scan[base:base + len(part)]`` replaced by ``part`` (same length),
    sliced without copying the whole paragraph for each figure."""

    def __init__(self, scan: str | _Patched, base: int, part: str) -> None:
        self.scan, self.base, self.part = scan, base, part

    def __getitem__(self, cut: slice) -> str:
        start, stop = cut.start, cut.stop
        base, end = self.base, self.base + len(self.part)
        pieces = [self.scan[start:min(stop, base)]] if start < base else []
        if start < end and stop > base:
            pieces.append(self.part[max(start, base) - base:min(stop, end) - base])
        if stop > end:
            pieces.append(self.scan[max(start, end):stop])
        return "".join(pieces)


def _linked_label(cand: Candidate, scan: str | _Patched, s: int, prev_noun: str,
                  prev_end: int) -> str:
    """Label from the subject of a linking verb: ``PCT filings reached 6,822``, ``fines totaling``.

    A ``per 10,000 people`` inside the subject becomes the figure's unit.
    """
    base = max(s, cand.left - 2 * WINDOW)
    before = scan[base:cand.left]
    per = _PER_IN_SUBJECT.search(before) if "per" in before else None
    if per and not re.search(r"[,;:]", before[per.end():]):
        cand.unit = cand.unit or per.group().strip()
        before = before[:per.start()] + " " * len(per.group()) + before[per.end():]
        scan = _Patched(scan, base, before)
    link = tail_search(_LINK, before, 0, len(before), _LINK_REACH)
    linked = link.group("link").lower() if link else ""
    link_at = base + link.start() if link else cand.left
    if cand.qualifier == "exceeding":
        linked, link_at = "exceeding", cand.left
    if not linked:
        return ""
    value_of = linked in ("worth", "valued at")
    if value_of and prev_noun and not re.search(r"[,;:]", scan[max(prev_end, base):link_at]):
        return f"{prev_noun} value"  # 1.3 million infringing goods worth 25 million yuan
    subject = _subject(scan[base:link_at])
    if subject:
        opening = scan[s:min(link_at, s + 80)].strip(" *#\"“").split()
        label = _tidy(subject, bool(opening) and opening[0] == subject[0])
        return _with_tail(label, "value") if value_of else label
    if prev_noun and linked in ("amounting to", "amounted to", "totaling", "totalling"):
        return _with_tail(prev_noun, "amount")  # ..., amounting to 32 billion RMB
    if prev_noun and value_of:
        return _with_tail(prev_noun, "value")
    if prev_noun and linked.startswith("account"):
        return f"share of {prev_noun}"  # ..., accounting for 32.1% of the total
    return ""


@dataclass
class _Phrase:
    """The noun phrase after a figure: its words, where of/for begins in them (or -1),
    and the tokens it spans (``first`` up to, not including, ``stop``)."""

    words: list[str]
    cont: int
    first: int
    stop: int


def _phrase_after(cand: Candidate, toks: list[_Tok], starts: list[int], scan: str, e: int) -> _Phrase:
    """The noun phrase after ``cand``; sets the unit it implies (16 months, per 10,000 people)."""
    i = bisect_left(starts, cand.end)
    words, cont, j = _np_after(toks, i)
    if not words and i + 1 < len(toks) and toks[i].low in ("were", "was", "are", "is"):
        words, cont, j = _np_after(toks, i + 1)  # of which 19,955 were invention patents
    if len(words) == 1 and words[0].lower() in DURATIONS and not cand.unit:
        cand.unit, words = words[0].lower(), []  # shortened to 16 months
    money_of = cand.unit in CURRENCIES and i < len(toks) and toks[i].low in ("in", "of", "for")
    if not words and money_of:
        words, cont, j = _np_after(toks, i + 1)  # RMB 12.5 billion in pledge financing
    if j < len(toks) and toks[j].low == "per" and not cand.unit:
        per = _PER.match(scan, toks[j].start, e)
        cand.unit = per.group() if per else ""
    return _Phrase(words, cont, i, j)


#: Nouns that count things without a plural -s.
_PLURAL_WORDS = {"people", "staff", "personnel", "children", "media", "data", "police",
                 "equipment", "software", "series", "species", "cattle"}
_COORDINATOR = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or)\s+)")


def _counted_noun(word: str) -> bool:
    """Can ``word`` be what a number counts (patents, agencies, staff), not a modifier?"""
    low = word.lower()
    return low in _PLURAL_WORDS or (low.endswith("s") and not low.endswith(("ss", "us", "is")))


def _share_head(cand: Candidate, mine: _Phrase, nxt: Candidate, theirs: _Phrase,
                toks: list[_Tok], scan: str) -> bool:
    """Let ``109 agricultural and 10 forestry varieties`` share the noun: agricultural varieties.

    ``cand``'s words name no counted noun of their own and only and/or/a comma leads to
    ``nxt``, whose phrase has modifiers before its head: ``mine`` takes that head (with
    its of/for part). Says whether it did.
    """
    if not mine.words or mine.cont >= 0 or cand.value == 1 or _counted_noun(mine.words[-1]):
        return False
    head = (theirs.cont if theirs.cont >= 0 else len(theirs.words)) - 1
    if head < 1 or not _counted_noun(theirs.words[head]):
        return False
    if not _COORDINATOR.fullmatch(scan, toks[mine.stop - 1].end, nxt.left):
        return False
    shared = theirs.words[head:]
    mine.cont = len(mine.words) + theirs.cont - head if theirs.cont >= 0 else -1
    mine.words = (mine.words + shared)[:MAX_LABEL_WORDS]
    return True


def label_en(cands: list[Candidate], scan: str, s: int, e: int) -> None:
    """Give each English figure a noun phrase; set 'per 10,000 people' style units."""
    toks = [_Tok(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(scan, s, e)]
    starts = [t.start for t in toks]
    ends = [t.end for t in toks]
    first_word = next((t for t in toks if t.is_word), None)
    figures = [c for c in cands if c.is_figure]
    phrases = [_phrase_after(c, toks, starts, scan, e) for c in figures]
    joined = [False] * len(figures)  # shares its noun (and verb) with the figure before
    for n in range(len(figures) - 2, -1, -1):  # from the end: lists of three chain
        joined[n + 1] = _share_head(figures[n], phrases[n], figures[n + 1], phrases[n + 1],
                                    toks, scan)
    prev_noun, prev_end, prev_verb = "", s, ""
    for cand, phrase, shared in zip(figures, phrases, joined):
        words, cont, j = phrase.words, phrase.cont, phrase.stop
        k = bisect_right(ends, cand.left)
        verb = _participle(toks[k - 1].text) if k else ""
        verb = verb or (prev_verb if shared else "")  # closed 1,303 criminal and 584 civil cases
        if words:
            cand.noun = " ".join(words)
            first = first_word is not None and toks[phrase.first].start == first_word.start
            cand.label = _tidy(words, first)
            if cont < 0 and verb and len(words) <= 5:
                cand.label += " " + verb  # handled over 47,388 IP cases -> IP cases handled
            elif cont < 0 and len(words) <= 2:
                k = j
                while k < len(toks) and toks[k].low in _PASSIVE_AUX:
                    k += 1
                if k < len(toks) and toks[k].low in _ACTIONS:
                    cand.label += " " + toks[k].low  # 68,000 patents were reviewed
        elif verb and prev_noun:
            cand.label = f"{prev_noun} {verb}"  # ... and concluded 2,950.
        else:
            cand.noun = cand.label = _unlinked_label(cand, scan, s, prev_noun, prev_end)
        if cand.noun:
            prev_noun = cand.noun
        prev_end, prev_verb = cand.end, verb


def _unlinked_label(cand: Candidate, scan: str, s: int, prev_noun: str, prev_end: int) -> str:
    """Label of a figure without a noun after it: the linked subject or "the number of X"."""
    label = _linked_label(cand, scan, s, prev_noun, prev_end)
    if not label:
        window = scan[max(s, cand.left - 2 * WINDOW):cand.left]
        found = _NUMBER_OF.search(window) if "number of" in window else None
        label = found.group(1) if found else ""
    return label


_NUMBER_OF = re.compile(r"\bnumber of ((?:[\w'-]+\s+){0,5}?[\w'-]+?)"
                        r"(?:\s+(?:in|at|to|was|were|reached)\b|$)")
