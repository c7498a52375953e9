"""Starting next year's report from this year's: same structure, texts and bindings; and
what it still has to update (:func:`to_update_items`).

This year's values stay in the file as the prior year; next year gets a provisional copy of
each value, marked as still to be updated, and every paragraph whose figures will change
is marked too. Translations are kept as they are.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal

from .i18n import _
from .model import LAST_YEAR
from .prose.bindings import find_bindings
from .prose.extract import extract_figures
from .report_text import node_place, walk_with_path
from .store import ReportStore, StoreError
from .store.indicator_table import DamagedIndicator, indicator_from_row


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
            carried.update(year=next_year, yoy_pct=None, needs_update=1, source="",
                           confirmed_by="", confirmed_at="")
            db["indicators"].insert(carried)
        marked = 0
        for node, path in walk_with_path(store.load_tree()):
            if any(_has_figures(node.text(lang), lang, node_place(node, path, lang))
                   for lang in ("en", "zh")):
                db["nodes"].update(node.id, {"needs_update": 1, "confirmed_by": "",
                                             "confirmed_at": ""})
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


@dataclass(frozen=True)
class ToUpdateItem:
    """One value or text a new year's report still has to update, named for people."""

    kind: str  # 'value' | 'text'
    id: int  # the indicator's or the node's row id
    node_id: int | None
    key: str = ""
    label_en: str = ""
    label_zh: str = ""
    value: Decimal | None = None
    places: tuple[str, str] = ("", "")  # (English, Chinese) place of the node

    def label(self, lang: str) -> str:
        """The value's name (its key when it has none), or the place of the text."""
        if self.kind == "text":
            return self.place(lang)
        own = self.label_zh if lang == "zh" else self.label_en
        return own or self.label_en or self.label_zh or self.key

    def place(self, lang: str) -> str:
        """Where it is in the report, in ``lang`` (the other language when empty)."""
        first, second = self.places if lang == "en" else self.places[::-1]
        return first or second


def to_update_items(store: ReportStore) -> list[ToUpdateItem]:
    """Everything the report still has to update: texts in report order, then values
    (a damaged value row is left out: the checks name it). Reads only the marked rows."""
    year = store.report()["year"]
    marks = store.to_update(year)
    places: dict[int, tuple[str, str]] = {}
    for node, path in walk_with_path(store.load_tree()):
        if node.id is not None:
            places[node.id] = (node_place(node, path, "en").removesuffix(" (en)"),
                               node_place(node, path, "zh").removesuffix(" (zh)"))
    order = {node_id: i for i, node_id in enumerate(places)}
    items = [ToUpdateItem("text", node_id, node_id, places=places.get(node_id, ("", "")))
             for node_id in sorted(marks.node_ids, key=lambda n: order.get(n, len(order)))]
    for row in store.db.query("SELECT * FROM indicators WHERE year = ? AND needs_update = 1 "
                              "ORDER BY id", [year]):
        try:
            indicator = indicator_from_row(row)
        except DamagedIndicator:
            continue
        items.append(ToUpdateItem(
            "value", row["id"], indicator.node_id, indicator.key, indicator.label_en,
            indicator.label_zh, indicator.value,
            places.get(indicator.node_id, ("", "")) if indicator.node_id else ("", "")))
    return items
