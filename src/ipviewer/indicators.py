"""Indicators: what the words around a figure mean, and the year-on-year rule, once for
the whole program (no Qt).

The vocabulary (qualifiers, units, Chinese counters) is defined here once; every set the
other modules use (the qualifiers an indicator file accepts, the lower bounds the totals
check skips, the words bound prose prints …) is derived from it.

The year-on-year rule: the change a value and the prior year's value give, and whether a
stated rate agrees with them given that printed figures are rounded. The table window (its
"computed" column) and the checks (``yoy`` findings) both ask this module.

Imports: this module imports nothing from :mod:`ipviewer.numbers`; ``numbers`` (parsing and
formatting values) imports the vocabulary from here. Keep that one way round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext

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


# --------------------------------------------------------------------------------------
# Year-on-year
# --------------------------------------------------------------------------------------

#: Digits the rule computes with: a stored value has up to 30 digits on each side of the
#: point, so a change can have ~60 before the point plus the stated rate's decimals.
_PRECISION = 80
#: How far past the printed precision a stated rate may be (guards the last binary digit).
_EPSILON = Decimal("1e-9")
#: Decimals of a computed change when no rate is stated to copy the precision from.
_DEFAULT_STEP = Decimal("0.01")


def half_unit(value: Decimal) -> Decimal:
    """Half the unit a printed figure was rounded to: 278700 → 50, 57.9 → 0.05, 2223 → 0.

    A whole number counts as rounded only with at least two trailing zeros (a rounded
    count or amount); 2223 or 150 are taken as exact.
    """
    exponent = value.normalize().as_tuple().exponent
    if not isinstance(exponent, int) or 0 <= exponent < 2:
        return Decimal(0)
    return Decimal(1).scaleb(exponent) / 2


def rate_step(stated: Decimal) -> Decimal:
    """The unit of a stated rate's last printed digit: 14.28 → 0.01, 2.7 → 0.1, 14 → 1."""
    exponent = stated.as_tuple().exponent
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) and exponent < 0 else 0)


def rate_tolerance(stated: Decimal) -> Decimal:
    """How far a stated rate may lie outside the change the figures allow: half a unit of
    its last printed digit (14.28 allows ±0.005, 2.7 allows ±0.05)."""
    return rate_step(stated) / 2 + _EPSILON


def yoy_change(value: Decimal, prior: Decimal) -> Decimal | None:
    """The % change from ``prior`` to ``value`` (exact to 80 digits); None unless the prior
    value is above zero (a change against nothing or against a negative base says
    nothing)."""
    if not prior > 0:
        return None
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return (value / prior - 1) * 100


def yoy_range(value: Decimal, prior: Decimal) -> tuple[Decimal, Decimal] | None:
    """The lowest and highest % change the two rounded figures allow (None as for
    :func:`yoy_change`). The extremes lie at the corners of the rounding box, whichever
    sign ``value`` has."""
    if not prior > 0:
        return None
    du, dp = half_unit(value), half_unit(prior)  # prior > dp always: dp is half its last digit
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        ends = [((value + a) / (prior + b) - 1) * 100 for a in (-du, du) for b in (-dp, dp)]
    return min(ends), max(ends)


def rate_agrees(stated: Decimal, change_range: tuple[Decimal, Decimal]) -> bool:
    """Whether a stated rate lies within ``change_range`` (:func:`yoy_range`), give or take
    its own rounding."""
    low, high = change_range
    slack = rate_tolerance(stated)
    return low - slack <= stated <= high + slack


def shown_change(change: Decimal, stated: Decimal | None) -> Decimal:
    """A computed change rounded as the stated rate is printed (two decimals when none is
    stated): 14.2857… against a stated 14.3 → 14.3."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return change.quantize(_DEFAULT_STEP if stated is None else rate_step(stated))


def signed_rate(change: Decimal) -> str:
    """A change as messages quote it, with its sign: ``+14.28``, ``-3.5``, ``0``."""
    return f"+{change}" if change > 0 else str(change)


def yoy_verdict(value: Decimal, prior: Decimal, stated: Decimal | None
                ) -> tuple[Decimal, bool] | None:
    """(the change ``prior`` → ``value``, rounded like ``stated``; whether ``stated``
    disagrees with what the rounded figures allow). None when :func:`yoy_change` is."""
    change = yoy_change(value, prior)
    change_range = yoy_range(value, prior)
    if change is None or change_range is None:
        return None
    mismatch = stated is not None and not rate_agrees(stated, change_range)
    return shown_change(change, stated), mismatch
