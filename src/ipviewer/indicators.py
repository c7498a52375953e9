"""What an indicator's figures mean, once for the whole program (no Qt).

The year-on-year rule: the change a value and the prior year's value give, and whether a
stated rate agrees with them given that printed figures are rounded. The table window (its
"computed" column) and the checks (``yoy`` findings) both ask this module.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

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
