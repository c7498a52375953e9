"""Combining the window's edits with changes another program saved meanwhile (no Qt).

:func:`merge_reports` is a three-way merge of report files: ``base`` is the report file as
it was when the working copy was made (or last saved), ``theirs`` the report file as it is
now, ``mine`` the working copy. It writes into ``mine``, in one transaction, what applying
to ``theirs`` the changes ``mine`` made since ``base`` gives, row by row and column by
column; where both changed the same cell, mine wins and the conflict is listed. A change is
never dropped silently: a row deleted on one side and changed on the other is kept, a
deleted part that something kept still hangs from is put back, and each is listed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..i18n import N_, _, ngettext, report_language
from ..model import Node, display_title
from ..numbers import format_number
from ..prose.cross_refs import renumber_refs
from .integrity import stored_decimal
from .merge_tree import WholeTree, replace_at
from .report_store import ReportStore, StoreError

Row = tuple[Any, ...]
Rows = dict[int, Row]
TABLES = ("report", "nodes", "indicators")
#: Report columns that describe the file rather than its content: always the file's own.
FILE_COLUMNS = ("revision", "file_id")
_ABSENT = object()  # a base value no side can equal (a row both sides added)
#: How a conflict names a column (columns not listed here are named as stored).
_COLUMN_NAMES = {
    "title_en": N_("English title"), "title_zh": N_("Chinese title"),
    "text_en": N_("English text"), "text_zh": N_("Chinese text"), "number": N_("number"),
    "kind": N_("kind"), "needs_update": N_("to-update mark"),
    "confirmed_by": N_("confirmed by"), "confirmed_at": N_("confirmed on"), "year": N_("year"),
    "publisher_en": N_("English publisher"), "publisher_zh": N_("Chinese publisher"),
    "date_en": N_("English date"), "date_zh": N_("Chinese date"),
    "source_lang": N_("source language"), "label_en": N_("English name"),
    "label_zh": N_("Chinese name"), "value": N_("value"), "unit": N_("unit"),
    "qualifier": N_("qualifier"), "yoy_pct": N_("year-on-year change"),
    "node_id": N_("place in the report"), "source": N_("source"),
    "source_text": N_("source sentence"), "key": N_("key"),
}
_KIND_NAMES = {"overview": N_("overview"), "part": N_("part"), "section": N_("section"),
               "paragraph": N_("paragraph")}


@dataclass
class MergeResult:
    """What :func:`merge_reports` did: rows taken from theirs, rows where mine was kept,
    rows both changed, and one line per conflict in the UI language."""

    theirs: int = 0
    mine: int = 0
    both: int = 0
    conflicts: list[str] = field(default_factory=list)
    #: Ids of mine's rows that changed: {"nodes": {old: new}, "indicators": {old: new}}
    #: (an id both sides handed out, or an indicator both added, now under theirs' id).
    renumbered: dict[str, dict[int, int]] = field(
        default_factory=lambda: {"nodes": {}, "indicators": {}})

    def summary(self) -> str:
        """One line for the status bar or a dialog."""
        return _("Combined: {theirs}, {mine}, {both}; {conflicts}.").format(
            theirs=ngettext("{count} change of theirs taken", "{count} changes of theirs taken",
                            self.theirs).format(count=self.theirs),
            mine=ngettext("{count} change of yours kept", "{count} changes of yours kept",
                          self.mine).format(count=self.mine),
            both=ngettext("{count} row changed on both sides", "{count} rows changed on both "
                          "sides", self.both).format(count=self.both),
            conflicts=ngettext("{count} conflict to look at", "{count} conflicts to look at",
                               len(self.conflicts)).format(count=len(self.conflicts))
            if self.conflicts else _("no conflicts"))


@dataclass
class _Table:
    """One table of one report: its stored columns (without ``id``) and rows by id."""

    columns: tuple[str, ...]
    rows: Rows

    def at(self, name: str) -> int:
        return self.columns.index(name)


def merge_reports(base: ReportStore, mine: ReportStore, theirs: ReportStore) -> MergeResult:
    """Write into ``mine`` (writable) ``theirs`` with the changes ``mine`` made since
    ``base`` applied, in one transaction; ``base`` and ``theirs`` are only read. Raises
    ``StoreError`` (``mine`` unchanged) when the files cannot be combined or written."""
    try:
        with mine.transaction() as db:  # mine is read, decided on and written in one
            merger = _Merger(*(_load(store, mine) for store in (base, mine, theirs)))
            final = merger.run()
            db.execute("PRAGMA defer_foreign_keys = ON")
            _write(db.conn, merger.M, final)
    except sqlite3.Error as exc:
        raise StoreError(_("{path}: could not combine the other program's changes with "
                           "yours ({reason}); your edits are kept as they were").format(
            path=mine.shown_path, reason=exc)) from exc
    return merger.result


def _columns(store: ReportStore, table: str) -> tuple[str, ...]:
    """The stored columns of ``table`` but ``id`` (generated ones are not stored)."""
    return tuple(r[1] for r in store.db.execute(f"PRAGMA table_xinfo({table})")
                 if r[6] == 0 and r[1] != "id")


def _load(store: ReportStore, mine: ReportStore) -> dict[str, _Table]:
    """The rows of each table, by id, read in one transaction (theirs is a file another
    program may be writing to)."""
    tables, conn = {}, store.db.conn
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    try:
        for table in TABLES:
            tables[table] = _load_table(store, mine, table)
    finally:
        if began and conn.in_transaction:
            conn.execute("COMMIT")
    return tables


def _load_table(store: ReportStore, mine: ReportStore, table: str) -> _Table:
    conn, columns = store.db.conn, _columns(store, table)
    if columns != _columns(mine, table):
        raise StoreError(_("{path}: cannot be combined with {other}: their {table} tables "
                           "have different columns").format(
            path=mine.shown_path, other=store.shown_path, table=table))
    sql = f"SELECT id, {', '.join(map(_quoted, columns))} FROM {table}"
    factory = conn.text_factory
    try:  # plain str is three times faster; text that is not UTF-8 is read leniently
        conn.text_factory = str
        rows = {r[0]: r[1:] for r in conn.execute(sql)}
    except sqlite3.OperationalError:
        conn.text_factory = factory
        rows = {r[0]: r[1:] for r in conn.execute(sql)}
    finally:
        conn.text_factory = factory
    return _Table(columns, rows)


class _Merger:
    """The merge in memory: decides the final rows of each table."""

    def __init__(self, base: dict[str, _Table], mine: dict[str, _Table],
                 theirs: dict[str, _Table]) -> None:
        self.B, self.M, self.T = base, mine, theirs
        self.Mx = {t: _Table(mine[t].columns, dict(mine[t].rows)) for t in TABLES}  # renamed
        self.result = MergeResult()
        self.final: dict[str, Rows] = {}
        self.next_id = 1 + max((i for side in (base, mine, theirs) for t in ("nodes",
                                "indicators") for i in side[t].rows), default=0)

    def run(self) -> dict[str, Rows]:
        self._rename_collisions()
        self.final["nodes"] = self._merge("nodes", ("position",), self._node_place_columns)
        WholeTree(self.final["nodes"], self.B["nodes"].columns,
                  [self.Mx["nodes"].rows, self.B["nodes"].rows, self.T["nodes"].rows],
                  lambda message, i, row, **more: self._say(message, "nodes", i, row, **more),
                  lambda i, row: self.place("nodes", i, row)).run()
        self.final["indicators"] = self._merge("indicators", (), None)
        self._fold_same_indicators()
        self._fix_indicator_links()
        self.final["report"] = self._merge("report", FILE_COLUMNS, self._file_columns)
        return self.final

    # -- ids both sides handed out ------------------------------------------------------

    def _rename_collisions(self) -> None:
        """Give mine's rows a new id where both sides added different rows under one id
        (a node: different content; an indicator: a different key or year)."""
        nodes, inds = self.Mx["nodes"], self.Mx["indicators"]
        place, parent = nodes.at("position"), nodes.at("parent_id")
        key, year, link = inds.at("key"), inds.at("year"), inds.at("node_id")
        while True:
            clash = {i: self._fresh() for i, row in nodes.rows.items()
                     if i in self.T["nodes"].rows and i not in self.B["nodes"].rows
                     and _without(row, place) != _without(self.T["nodes"].rows[i], place)}
            if not clash:
                break
            self.result.renumbered["nodes"].update(clash)  # a new id never clashes again
            nodes.rows = {clash.get(i, i): replace_at(r, parent, clash.get(r[parent], r[parent]))
                          for i, r in nodes.rows.items()}
            for column in ("title_en", "title_zh", "text_en", "text_zh"):  # {{§id}} follows
                at = nodes.at(column)
                nodes.rows = {i: replace_at(r, at, renumber_refs(r[at], clash))
                              if isinstance(r[at], str) else r for i, r in nodes.rows.items()}
            inds.rows = {i: replace_at(r, link, clash.get(r[link], r[link]))
                         for i, r in inds.rows.items()}
        theirs, base = self.T["indicators"].rows, self.B["indicators"].rows
        clash = {i: self._fresh() for i, r in inds.rows.items() if i in theirs and i not in base
                 and (r[key], r[year]) != (theirs[i][key], theirs[i][year])}
        self.result.renumbered["indicators"].update(clash)
        inds.rows = {clash.get(i, i): r for i, r in inds.rows.items()}

    def _fresh(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _original_id(self, table: str, new: int) -> int:
        back = {v: k for k, v in self.result.renumbered[table].items()}
        return back.get(new, new)

    # -- rows ----------------------------------------------------------------------------

    def _merge(self, table: str, apart: tuple[str, ...],
               fill: Callable[[Row | None, Row | None, Row | None, list[Any]], None] | None
               ) -> Rows:
        """The three-way merge of one table's rows; ``apart`` columns are left to
        ``fill`` (they do not make a row changed)."""
        B, M, T = self.B[table].rows, self.Mx[table].rows, self.T[table].rows
        columns = self.B[table].columns
        skip = {columns.index(c) for c in apart}
        final: Rows = {}
        for i in B.keys() | M.keys() | T.keys():
            b, m, t = B.get(i), M.get(i), T.get(i)
            if m == t:
                if m is not None:
                    final[i] = m
                    if m != b:
                        self.result.both += _changed(m, b, skip)
                continue
            cb, cm, ct = (None if r is None else _without(r, *skip) for r in (b, m, t))
            if cm == ct:
                row = None if m is None else list(m)
                self.result.both += cm != cb
            elif cm == cb:
                row, self.result.theirs = None if t is None else list(t), self.result.theirs + 1
            elif ct == cb:
                row, self.result.mine = None if m is None else list(m), self.result.mine + 1
            elif m is None:
                row, self.result.theirs = list(t), self.result.theirs + 1
                self._say(_("{place}: you deleted it and the other program changed it; it "
                            "is kept with their changes"), table, i, t)
            elif t is None:
                row, self.result.mine = list(m), self.result.mine + 1
                self._say(_("{place}: the other program deleted it and you changed it; it "
                            "is kept with your changes"), table, i, m)
            else:
                row = list(m)
                self.result.both += 1
                for c in range(len(columns)):
                    if c in skip or m[c] == t[c]:
                        continue
                    bc = _ABSENT if b is None else b[c]
                    if m[c] == bc:
                        row[c] = t[c]
                    elif t[c] != bc:
                        self._clash(table, i, row, columns[c], m[c], t[c])
            if row is not None:
                if fill is not None:
                    fill(b, m, t, row)
                final[i] = tuple(row)
        return final

    def _node_place_columns(self, b: Row | None, m: Row | None, t: Row | None,
                            row: list[Any]) -> None:
        """A node's position follows its parent: from the side whose move was taken;
        among the same siblings, three-way (mine when both moved it)."""
        cols = self.B["nodes"].columns
        pos, parent = cols.index("position"), cols.index("parent_id")
        if m is None or t is None:
            row[pos] = (t if m is None else m)[pos]
        elif row[parent] == m[parent] != t[parent]:
            row[pos] = m[pos]
        elif row[parent] == t[parent] != m[parent]:
            row[pos] = t[pos]
        else:
            row[pos] = t[pos] if b is not None and m[pos] == b[pos] else m[pos]

    def _file_columns(self, b: Row | None, m: Row | None, t: Row | None,
                      row: list[Any]) -> None:
        """``revision`` and ``file_id`` describe the report file: theirs."""
        if t is not None:
            cols = self.B["report"].columns
            for name in FILE_COLUMNS:
                row[cols.index(name)] = t[cols.index(name)]

    def _fold_same_indicators(self) -> None:
        """Indicators both sides added with one (key, year) under different ids are one:
        theirs' id, mine's changed columns."""
        final, cols = self.final["indicators"], self.B["indicators"].columns
        key, year = cols.index("key"), cols.index("year")
        groups: dict[tuple[Any, Any], list[int]] = {}
        for i, row in final.items():
            groups.setdefault((row[key], row[year]), []).append(i)
        for ids in (g for g in groups.values() if len(g) > 1):
            keep = min(ids, key=lambda i: (i not in self.T["indicators"].rows, i))
            for other in sorted(set(ids) - {keep}):
                row, mine = list(final[keep]), final.pop(other)
                bases = self.B["indicators"].rows.get(other), self.B["indicators"].rows.get(keep)
                for c, name in enumerate(cols):
                    if mine[c] == row[c] or (bases[0] is not None and mine[c] == bases[0][c]):
                        continue
                    if not (bases[1] is not None and row[c] == bases[1][c]):
                        self._clash("indicators", keep, row, name, mine[c], row[c])
                    row[c] = mine[c]
                final[keep] = tuple(row)
                self.result.renumbered["indicators"][
                    self._original_id("indicators", other)] = keep

    def _fix_indicator_links(self) -> None:
        """An indicator points at an existing node or none (as the foreign key says); a
        link a side lost only because it deleted the node comes back when the node was
        put back."""
        nodes, final = self.final["nodes"], self.final["indicators"]
        link = self.B["indicators"].columns.index("node_id")
        sides = ((self.Mx["indicators"].rows, self.Mx["nodes"].rows),
                 (self.T["indicators"].rows, self.T["nodes"].rows))
        for i, row in final.items():
            target = row[link] if row[link] in nodes else None
            base = self.B["indicators"].rows.get(i)
            if target is None and base is not None and base[link] in nodes:
                lost = [base[link] in tree for rows, tree in sides
                        if i in rows and rows[i][link] is None]  # False: a deletion did it
                if lost and not any(lost):
                    target = base[link]
            if target != row[link]:
                final[i] = replace_at(row, link, target)

    # -- messages ------------------------------------------------------------------------

    def _clash(self, table: str, i: int, row: list[Any], column: str, mine: Any,
               theirs: Any) -> None:
        if column == "parent_id":
            self._say(_("{place}: moved on both sides; it stays where you put it"),
                      table, i, row)
            return
        self.result.conflicts.append(_("{place}, {column}: yours {mine} kept, theirs "
                                       "{theirs}").format(
            place=self.place(table, i, row), column=_(_COLUMN_NAMES.get(column, column)),
            mine=self._shown(column, mine), theirs=self._shown(column, theirs)))

    def _say(self, message: str, table: str, i: int, row: Row | list[Any], **more: str
             ) -> None:
        self.result.conflicts.append(message.format(place=self.place(table, i, row), **more))

    def place(self, table: str, i: int, row: Row | list[Any] | None = None) -> str:
        """A row as the user knows it: a node's kind and title or first words, an
        indicator's key and year, the report's front matter."""
        if table == "report":
            return _("the report's front matter")
        if row is None:
            row = next((s[table].rows[i] for s in (self.Mx, self.T, self.B)
                        if i in s[table].rows), None)
            if table == "nodes" and i in self.final.get("nodes", {}):
                row = self.final["nodes"][i]
        cols = self.B[table].columns
        values = dict(zip(cols, row, strict=True)) if row is not None else {}
        if table == "indicators":
            return _("indicator {key} ({year})").format(key=values.get("key"),
                                                        year=values.get("year"))
        kind = str(values.get("kind", ""))
        texts = {c: str(values.get(c) or "") for c in ("number", "title_en", "title_zh",
                                                       "text_en", "text_zh")}
        node = Node(kind, **texts)  # type: ignore[arg-type]
        lang = report_language()
        name = display_title(node, lang) or display_title(node, "zh" if lang == "en" else "en")
        kind_name = _(_KIND_NAMES[kind]) if kind in _KIND_NAMES else kind
        if not name:
            return _("{kind} no. {id} (without text)").format(kind=kind_name, id=i)
        return _("{kind} “{name}”").format(kind=kind_name, name=_cut(name))

    def _shown(self, column: str, value: Any) -> str:
        if value is None or value == "":
            return _("(empty)")
        number = stored_decimal(value) if column in ("value", "yoy_pct") else None
        if number is not None:
            shown = format_number(number, report_language())
            return shown + "%" if column == "yoy_pct" else shown
        if column in ("node_id", "parent_id") and isinstance(value, int):
            return self.place("nodes", value)
        return "“" + _cut(str(value)) + "”" if isinstance(value, str) else str(value)


def _write(conn: sqlite3.Connection, mine: dict[str, _Table], final: dict[str, Rows]) -> None:
    """Bring mine's rows to ``final``, writing only rows that differ (triggers keep the
    search index); nodes are deleted last, when nothing kept hangs from them."""
    def diff(table: str) -> tuple[list[int], list[int], list[int]]:
        old, new = mine[table].rows, final[table]
        return ([i for i in new if i not in old], [i for i in new if i in old and
                new[i] != old[i]], [i for i in old if i not in new])

    def insert(table: str, ids: list[int]) -> None:
        cols = mine[table].columns
        names = ", ".join(map(_quoted, ("id", *cols)))
        conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * (len(cols) + 1))})",
                         [(i, *final[table][i]) for i in ids])

    def update(table: str, ids: list[int], skip: tuple[str, ...] = ()) -> None:
        cols = [c for c in mine[table].columns if c not in skip]
        at = [mine[table].columns.index(c) for c in cols]
        sets = ", ".join(f"{_quoted(c)} = ?" for c in cols)
        conn.executemany(f"UPDATE {table} SET {sets} WHERE id = ?",
                         [(*(final[table][i][c] for c in at), i) for i in ids])

    added, changed, gone = diff("nodes")
    insert("nodes", added)
    update("nodes", changed)
    i_added, i_changed, i_gone = diff("indicators")
    conn.executemany("DELETE FROM indicators WHERE id = ?", [(i,) for i in i_gone])
    cols = mine["indicators"].columns
    key, year = cols.index("key"), cols.index("year")
    moving = [i for i in i_changed if (final["indicators"][i][key], final["indicators"][i][year])
              != (mine["indicators"].rows[i][key], mine["indicators"].rows[i][year])]
    conn.executemany("UPDATE indicators SET key = ? WHERE id = ?",  # (key, year) is unique:
                     [(f"\x00merging {i}", i) for i in moving])  # no clash while they swap
    update("indicators", i_changed)
    insert("indicators", i_added)
    conn.executemany("DELETE FROM nodes WHERE id = ?", [(i,) for i in gone])
    r_added, r_changed, r_gone = diff("report")
    insert("report", r_added)
    update("report", r_changed, skip=("revision",))
    conn.executemany("DELETE FROM report WHERE id = ?", [(i,) for i in r_gone])
    if final["report"]:  # the row changes above counted as changes: the file's own revision
        revision = mine["report"].columns.index("revision")
        for i, row in final["report"].items():
            conn.execute("UPDATE report SET revision = ? WHERE id = ? AND revision IS NOT ?",
                         [row[revision], i, row[revision]])


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _without(row: Row, *skip: int) -> Row:
    return tuple(v for c, v in enumerate(row) if c not in skip) if skip else row


def _changed(row: Row, base: Row | None, skip: set[int]) -> int:
    return int(base is None or _without(row, *skip) != _without(base, *skip))


def _cut(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"
