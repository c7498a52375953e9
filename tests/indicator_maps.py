"""Indicators as tests write them: ``keyed({("key", 2024): value_of(Decimal(5), "RMB")})``."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ipviewer.model import Indicator


def value_of(value: Decimal, unit: str = "", qualifier: str = "",
             yoy_pct: Decimal | None = None) -> Indicator:
    """An indicator whose key and year :func:`keyed` fills in from where it is put."""
    return Indicator("", 0, value, unit, qualifier, yoy_pct)


def keyed(values: dict[tuple[str, int], Indicator]) -> dict[tuple[str, int], Indicator]:
    """``values`` with each indicator's key and year set to its place in the mapping."""
    return {(key, year): replace(ind, key=key, year=year) for (key, year), ind in values.items()}
