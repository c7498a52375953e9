"""Spans of a text (``[start, end)`` character offsets) looked up by overlap in O(log n).

A paragraph can hold thousands of figures and bound figures; asking each of them "which
span is here?" by a scan over all spans made the checks and ``bind`` quadratic.
No Qt here.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Generic, TypeVar

__all__ = ["SpanIndex"]

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """Spans that do not overlap each other, each with what it stands for."""

    def __init__(self, spans: Iterable[tuple[int, int, T]]) -> None:
        ordered = sorted(spans, key=lambda span: span[0])
        self._starts = [start for start, _end, _item in ordered]
        self._ends = [end for _start, end, _item in ordered]
        self._items = [item for _start, _end, item in ordered]

    def __len__(self) -> int:
        return len(self._starts)

    def find(self, start: int, end: int) -> T | None:
        """What the span overlapping ``[start, end)`` stands for, or None."""
        k = bisect_left(self._starts, end) - 1  # the last span starting before ``end``
        if k >= 0 and self._ends[k] > start:
            return self._items[k]
        return None

    def overlaps(self, start: int, end: int) -> bool:
        """Does a span overlap ``[start, end)``?"""
        k = bisect_left(self._starts, end) - 1
        return k >= 0 and self._ends[k] > start
