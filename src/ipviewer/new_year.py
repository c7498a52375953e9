"""Starting next year's report from this year's: same structure, texts and bindings.

This year's values stay in the file as the prior year; next year gets a provisional copy of
each value, marked as still to be updated, and every paragraph whose figures will change
is marked too. Translations are kept as they are.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass

from .i18n import _
from .model import LAST_YEAR
from .prose.bindings import find_bindings
from .prose.extract import extract_figures
from .report_text import node_place, walk_with_path
from .store import ReportStore, StoreError


@dataclass
class RollForward:
    """What :func:`start_next_year` did."""

    year: int
    indicators: int
    nodes_to_update: int


def start_next_year(source: str | os.PathLike[str], target: str | os.PathLike[str]
                    ) -> RollForward:
    """Write next year's report to ``target`` (a new file; ``source`` is not changed).

    Built under a temporary name and renamed into place when complete: a failure (a full
    disk, a malformed figure reference, raised as ``BindingError``) leaves no file behind.
    """
    with ReportStore.open(source, readonly=True) as old:
        old.require_sound()
        if old.report()["year"] >= LAST_YEAR:
            raise StoreError(_("{path}: the report is for {year}; ipviewer keeps years up to "
                               "{last}").format(path=source, year=old.report()["year"],
                                                last=LAST_YEAR))
        with ReportStore.building(target, copy_of=old) as new:
            result = _roll(new)
    return result


def _roll(store: ReportStore) -> RollForward:
    info = store.report()
    year = info["year"]
    next_year = year + 1
    rows = store.indicator_rows(year)
    with store.transaction() as db:
        fields = {"year": next_year, "date_en": "", "date_zh": "", "file_id": uuid.uuid4().hex}
        for lang in ("en", "zh"):
            fields[f"title_{lang}"] = _next_year_title(info[f"title_{lang}"], year)
        db["report"].update(1, fields)
        db.execute("DELETE FROM indicators WHERE year = ?", [next_year])
        for row in rows:
            carried = {k: v for k, v in row.items() if k != "id"}
            carried.update(year=next_year, yoy_pct=None, needs_update=1, source="")
            db["indicators"].insert(carried)
        marked = 0
        for node, path in walk_with_path(store.load_tree()):
            if any(_has_figures(node.text(lang), lang, node_place(node, path, lang))
                   for lang in ("en", "zh")):
                db["nodes"].update(node.id, {"needs_update": 1})
                marked += 1
    return RollForward(next_year, len(rows), marked)


def _has_figures(text: str, lang: str, where: str) -> bool:
    """Whether a text states figures (bound or literal) that a new year will change
    (``BindingError`` naming ``where`` for a malformed reference)."""
    if not text:
        return False
    return bool(find_bindings(text, where)) or bool(extract_figures(text, lang))


def _next_year_title(title: str, year: int) -> str:
    """The title with this year's number replaced by next year's ("… Year 2024" → "… 2025")."""
    return re.sub(rf"(?<!\d){year}(?!\d)", str(year + 1), title)
