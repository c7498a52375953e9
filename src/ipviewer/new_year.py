"""Starting next year's report from this year's: same structure, texts and bindings.

This year's values stay in the file as the prior year; next year gets a provisional copy of
each value, marked as still to be updated, and every paragraph whose figures will change
is marked too. Translations are kept as they are.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .bindings import find_bindings
from .i18n import _
from .importing.figures import extract_figures
from .importing.pipeline import mask_bindings
from .safe_write import replacing
from .store import ReportStore, StoreError


@dataclass
class RollForward:
    """What :func:`start_next_year` did."""

    year: int
    indicators: int
    nodes_to_update: int


def start_next_year(source: str | os.PathLike[str], target: str | os.PathLike[str]
                    ) -> RollForward:
    """Write next year's report to ``target`` (a new file; ``source`` is not changed)."""
    source, target = Path(source), Path(target)
    try:
        with ReportStore.open(source, readonly=True) as old, replacing(target) as tmp:
            copy = sqlite3.connect(tmp)
            try:
                old.db.conn.backup(copy)
            finally:
                copy.close()
            with ReportStore.open(tmp) as new:
                result = _roll(new)
    except OSError as exc:
        raise StoreError(_("{path}: cannot write here ({reason})").format(
            path=target, reason=exc.strerror or exc)) from exc
    return result


def _roll(store: ReportStore) -> RollForward:
    info = store.report()
    year = info["year"]
    next_year = year + 1
    rows = store.indicator_rows(year)
    with store.transaction() as db:
        fields = {"year": next_year, "date_en": "", "date_zh": ""}
        for lang in ("en", "zh"):
            fields[f"title_{lang}"] = _next_year_title(info[f"title_{lang}"], year)
        db["report"].update(1, fields)
        db.execute("DELETE FROM indicators WHERE year = ?", [next_year])
        for row in rows:
            carried = {k: v for k, v in row.items() if k != "id"}
            carried.update(year=next_year, yoy_pct=None, needs_update=1, source="")
            db["indicators"].insert(carried)
        marked = 0
        for node in (n for root in store.load_tree() for n in root.walk()):
            if _has_figures(node.text_en, "en") or _has_figures(node.text_zh, "zh"):
                db["nodes"].update(node.id, {"needs_update": 1})
                marked += 1
    return RollForward(next_year, len(rows), marked)


def _has_figures(text: str, lang: str) -> bool:
    """Whether a text states figures (bound or literal) that a new year will change."""
    if not text:
        return False
    return bool(find_bindings(text)) or bool(extract_figures(mask_bindings(text), lang))


def _next_year_title(title: str, year: int) -> str:
    """The title with this year's number replaced by next year's ("… Year 2024" → "… 2025")."""
    return re.sub(rf"(?<!\d){year}(?!\d)", str(year + 1), title)
