"""Indicators: what the words around a figure mean, in one place (no Qt).

The vocabulary (qualifiers, units, Chinese counters) is defined here once; every set the
other modules use (the qualifiers an indicator file accepts, the lower bounds the totals
check skips, the words bound prose prints …) is derived from it.

Imports: this module imports nothing from :mod:`ipviewer.numbers`; ``numbers`` (parsing and
formatting values) imports the vocabulary from here. Keep that one way round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import N_

# =========================================================================== vocabulary


@dataclass(frozen=True)
class Qualifier:
    """A word the report puts before a figure ("over 450,000", 近2.3万), by its canonical
    (English) name.

    ``lower_bound``: the true value is at least the printed one (parts may exceed such a
    total). ``rounded``: the printed number is itself rounded (so it may be off by half a
    unit of its last significant digit). ``family``: qualifiers that say the same thing when
    choosing between indicators ("more than" = "over"). ``en`` / ``zh``: the words bound
    prose prints in each language. ``label``: its name in the indicator table of the
    window (translated with ``_()`` where shown).
    """

    name: str
    en: str
    zh: str
    label: str
    lower_bound: bool = False
    rounded: bool = True
    family: str = ""


#: The qualifiers, in the order files and messages list them.
QUALIFIER_TABLE: tuple[Qualifier, ...] = (
    Qualifier("over", "over", "超过", N_("over"), lower_bound=True, family="over"),
    Qualifier("more than", "more than", "逾", N_("more than"), lower_bound=True,
              family="over"),
    Qualifier("exceeding", "exceeding", "超过", N_("exceeding"), lower_bound=True,
              family="over"),
    Qualifier("nearly", "nearly", "近", N_("nearly")),
    Qualifier("about", "about", "约", N_("about")),
    Qualifier("at least", "at least", "至少", N_("at least"), lower_bound=True),
    Qualifier("up to", "up to", "最多", N_("up to")),
    Qualifier("less than", "less than", "不足", N_("less than")),
)
QUALIFIERS: dict[str, Qualifier] = {q.name: q for q in QUALIFIER_TABLE}
#: The qualifier column's allowed values ('' is none), in table order.
ALLOWED_QUALIFIERS: tuple[str, ...] = ("", *QUALIFIERS)
#: The qualifiers' names in the window's indicator table (marked for translation).
QUALIFIER_LABELS: dict[str, str] = {q.name: q.label for q in QUALIFIER_TABLE}
#: Totals that are only a lower bound: parts may exceed the printed number.
LOWER_BOUNDS = frozenset(q.name for q in QUALIFIER_TABLE if q.lower_bound)
#: Qualifiers of a figure that is itself rounded ("nearly 23,000", 约2.3万).
ROUNDED = frozenset(q.name for q in QUALIFIER_TABLE if q.rounded)


def qualifier_family(qualifier: str) -> str:
    """The family of ``qualifier`` for choosing between indicators: ``more than`` and
    ``exceeding`` are ``over``; an unknown or empty qualifier is its own family."""
    key = " ".join(qualifier.split()).lower()
    found = QUALIFIERS.get(key)
    return (found.family or found.name) if found else key


def qualifier_words(lang: str) -> list[str]:
    """The distinct words bound prose prints for the qualifiers in ``lang``, longest first."""
    words = {q.zh if lang == "zh" else q.en for q in QUALIFIER_TABLE}
    return sorted(words, key=lambda w: (-len(w), w))


#: Chinese counters (measure words): they say what is counted, not a unit (件, 家, 人次).
ZH_COUNTERS = "件个家人项次名笔户所场篇部款套株批位起宗份条座处台辆张本册支类种届"
#: Two-character counters that are not units either.
ZH_COMPOUND_COUNTERS = ("人次", "件次", "户次")

#: The currencies an amount may be in (printed with scale words: "32 billion RMB").
CURRENCIES = ("RMB", "USD", "EUR")
#: How a unit may be written, lower-cased, by our canonical name.
UNIT_NAMES = {
    "rmb": "RMB", "yuan": "RMB", "cny": "RMB", "rmb yuan": "RMB", "yuan rmb": "RMB",
    "元": "RMB", "人民币": "RMB", "元人民币": "RMB", "人民币元": "RMB",
    "¥": "RMB",
    "usd": "USD", "us dollars": "USD", "dollars": "USD", "us$": "USD", "$": "USD", "美元": "USD",
    "eur": "EUR", "euros": "EUR", "欧元": "EUR",
    "%": "%", "percent": "%", "per cent": "%",
}
#: Currency signs and codes written before the number ("RMB 32 billion", "$5 million").
PREFIX_UNITS = {"rmb": "RMB", "cny": "RMB", "¥": "RMB", "usd": "USD", "us$": "USD", "$": "USD"}


def prefix_pattern() -> str:
    """A regular-expression alternation of the signs and codes of :data:`PREFIX_UNITS` as
    they are written (upper case: RMB, CNY, USD, US$, ¥, $), escaped, longest first."""
    return "|".join(re.escape(p.upper()) for p in sorted(PREFIX_UNITS, key=len, reverse=True))


#: How units are written in Chinese (others are printed as stored).
ZH_UNIT_WORDS = {"RMB": "元", "USD": "美元", "EUR": "欧元", "%": "%",
                 "per 10,000 people": "每万人"}

# ====================================================================== end of vocabulary
