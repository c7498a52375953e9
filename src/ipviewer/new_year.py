"""Starting next year's report from this year's: same structure, texts and bindings; and
what it still has to update (:func:`to_update_items`).

This year's values stay in the file as the prior year; next year gets a provisional copy of
each value, marked as still to be updated, and every paragraph whose figures will change
is marked too. Translations are kept as they are.
"""

from __future__ import annotations

import bisect
import os
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal

from .i18n import _, ngettext
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
    #: what the source report itself still had to update (carried over as it was)
    left_from_source: int = 0

    def left_over(self, source: str | os.PathLike[str]) -> str:
        """What the source still had to update, as a warning ('' when nothing)."""
        if not self.left_from_source:
            return ""
        return ngettext("{path}: {n} value or text was still to update in {year}, and was "
                        "carried over as it was", "{path}: {n} values and texts were still to "
                        "update in {year}, and were carried over as they were",
                        self.left_from_source).format(path=source, n=self.left_from_source,
                                                      year=self.year - 1)


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
        left = len(old.to_update())
        with ReportStore.building(target, copy_of=old) as new:
            result = _roll(new)
    result.left_from_source = left
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
    return ToUpdateList(store).items


class ToUpdateList:
    """What a report still has to update (:attr:`items`: texts in report order, then values),
    kept current with the rows an edit touched (:meth:`touched`, :meth:`row_of`, :meth:`pop`,
    :meth:`read`, :meth:`insert`; see ``ui/to_update_panel.ToUpdateModel``) — re-reading only
    those, so that an edit in a report of 100,000 values costs what one row costs."""

    def __init__(self, store: ReportStore) -> None:
        self.store = store
        self.items: list[ToUpdateItem] = []
        self.reload()

    def reload(self) -> None:
        """Read everything again (the tree may have changed)."""
        self._places: dict[int, tuple[str, str]] = {}
        for node, path in walk_with_path(self.store.load_tree()):
            if node.id is not None:
                self._places[node.id] = (node_place(node, path, "en").removesuffix(" (en)"),
                                         node_place(node, path, "zh", "zh").removesuffix(" (zh)"))
        self._order = {node_id: i for i, node_id in enumerate(self._places)}
        self.items = sorted(self.read(None, None), key=self.sort_key)
        self._keys = [self.sort_key(item) for item in self.items]

    # keeping it current: a view removes and inserts the rows an edit touched, announcing each

    def needs_reload(self, node_ids: list[int]) -> bool:
        """Whether a node is one this list has not seen (a deletion undone): read all."""
        return any(n not in self._places for n in node_ids)

    @staticmethod
    def touched(indicator_ids: list[int], node_ids: list[int]) -> list[tuple[str, int]]:
        """The (kind, id) of the rows an edit touched."""
        return [("value", i) for i in indicator_ids] + [("text", n) for n in node_ids]

    def row_of(self, kind: str, row_id: int) -> int | None:
        """Where the item of this row is listed (None: it is not)."""
        key = self.sort_key(ToUpdateItem(kind, row_id, row_id if kind == "text" else None))
        row = bisect.bisect_left(self._keys, key)
        return row if row < len(self._keys) and self._keys[row] == key else None

    def insertion_row(self, item: ToUpdateItem) -> int:
        """Where ``item`` goes in the list."""
        return bisect.bisect_left(self._keys, self.sort_key(item))

    def pop(self, row: int) -> None:
        del self.items[row], self._keys[row]

    def insert(self, row: int, item: ToUpdateItem) -> None:
        self.items.insert(row, item)
        self._keys.insert(row, self.sort_key(item))

    def sort_key(self, item: ToUpdateItem) -> tuple[int, int]:
        """Texts in report order first, then values in the order they were made."""
        if item.kind == "text":
            return (0, self._order.get(item.id, len(self._order)))
        return (1, item.id)

    def read(self, indicator_ids: list[int] | None, node_ids: list[int] | None
              ) -> list[ToUpdateItem]:
        """The items still to update among these rows (None: all rows)."""
        year = self.store.report()["year"]
        found = [ToUpdateItem("text", node_id, node_id,
                              places=self._places.get(node_id, ("", "")))
                 for node_id in self._marked("nodes", "", [], node_ids)]
        for row in self._marked("indicators", "AND year = ?", [year], indicator_ids):
            try:
                indicator = indicator_from_row(row)
            except DamagedIndicator:
                continue
            found.append(ToUpdateItem(
                "value", row["id"], indicator.node_id, indicator.key, indicator.label_en,
                indicator.label_zh, indicator.value,
                self._places.get(indicator.node_id, ("", "")) if indicator.node_id else ("", "")))
        return found

    def _marked(self, table: str, where: str, params: list, ids: list[int] | None) -> list:
        """The marked rows of ``table`` (among ``ids`` when given), in chunks of 500."""
        columns = "id" if table == "nodes" else _ITEM_COLUMNS
        sql = f"SELECT {columns} FROM {table} WHERE needs_update = 1 {where}"
        if ids is None:
            rows = list(self.store.db.query(sql + " ORDER BY id", params))
        else:
            rows = []
            for start in range(0, len(ids), 500):
                chunk = list(ids[start:start + 500])
                rows += self.store.db.query(
                    sql + f" AND id IN ({', '.join('?' * len(chunk))})", [*params, *chunk])
        return [row["id"] for row in rows] if table == "nodes" else rows


#: What an item needs of an indicator row (reading every column costs twice as much).
_ITEM_COLUMNS = "id, key, year, value, unit, qualifier, yoy_pct, label_en, label_zh, node_id"
