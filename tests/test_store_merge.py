"""Combining the window's edits with what another program saved meanwhile
(``store/merge.py``): real report files, changed through the store or plain SQL."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipviewer import i18n
from ipviewer.sample import build_sample
from ipviewer.store import ReportStore, StoreError
from ipviewer.store.merge import MergeResult, merge_reports
from test_store import small_report

Edit = Callable[[ReportStore], object]


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "base.sqlite"
    build_sample(path).close()
    return path


@pytest.fixture(scope="module")
def small_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("small") / "base.sqlite"
    ReportStore.create(path, small_report(), 2030).close()
    return path


class Three:
    """base, mine and theirs as copies of one report file."""

    def __init__(self, folder: Path, original: Path) -> None:
        self.paths = {name: folder / f"{name}.sqlite" for name in ("base", "mine", "theirs")}
        for path in self.paths.values():
            shutil.copy(original, path)

    def edit(self, name: str, *edits: Edit) -> list[object]:
        with ReportStore.open(self.paths[name]) as store:
            return [edit(store) for edit in edits]

    def sql(self, name: str, *statements: str) -> None:
        with ReportStore.open(self.paths[name]) as store, store.transaction() as db:
            for statement in statements:
                db.execute(statement)

    def raw_sql(self, name: str, *statements: str) -> None:
        """A hand edit by another tool (foreign keys not enforced)."""
        conn = sqlite3.connect(self.paths[name])
        try:
            with conn:
                for statement in statements:
                    conn.execute(statement)
        finally:
            conn.close()

    def merge(self) -> tuple[MergeResult, ReportStore]:
        """Merge, check what must hold after every merge, and return mine (open)."""
        before = {n: self.paths[n].read_bytes() for n in ("base", "theirs")}
        with ReportStore.open(self.paths["base"], readonly=True) as base, \
                ReportStore.open(self.paths["theirs"], readonly=True) as theirs:
            mine = ReportStore.open(self.paths["mine"])
            result = merge_reports(base, mine, theirs)
        assert {n: self.paths[n].read_bytes() for n in ("base", "theirs")} == before
        assert_whole(mine)
        return result, mine


@pytest.fixture
def sample(tmp_path, sample_file) -> Three:
    return Three(tmp_path, sample_file)


@pytest.fixture
def small(tmp_path, small_file) -> Three:
    return Three(tmp_path, small_file)


def assert_whole(store: ReportStore) -> None:
    """The tree is whole, positions 0..n-1, links hold, the search index is in step."""
    db = store.db
    assert store.damage() == []
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.execute("INSERT INTO nodes_fts(nodes_fts) VALUES ('integrity-check')")
    rows = {r[0]: (r[1], r[2]) for r in db.execute("SELECT id, parent_id, position FROM nodes")}
    children: dict = {}
    for node_id, (parent, position) in rows.items():
        children.setdefault(parent, []).append(position)
    assert all(sorted(p) == list(range(len(p))) for p in children.values())
    reached, todo = set(), [None]
    while todo:
        parent = todo.pop()
        for node_id, (p, _position) in rows.items():
            if p == parent and node_id not in reached:
                reached.add(node_id)
                todo.append(node_id)
    assert reached == set(rows)


def node(store: ReportStore, node_id: int) -> dict:
    return store.node_row(node_id)


def texts(store: ReportStore, parent_id: int | None) -> list[str]:
    return [r[0] for r in store.db.execute(
        "SELECT coalesce(nullif(title_en, ''), text_en) FROM nodes WHERE parent_id IS ? "
        "ORDER BY position", [parent_id])]


def value(store: ReportStore, key: str, year: int = 2024) -> str:
    return store.db.execute("SELECT value FROM indicators WHERE key = ? AND year = ?",
                            [key, year]).fetchone()[0]


# -- one side, both sides, column by column ------------------------------------------------

def test_changes_made_on_one_side_are_taken(sample):
    sample.edit("mine", lambda s: s.set_node_field(2, "text_en", "Mine: a new opening."),
                lambda s: s.set_indicator_fields({2: {"value": "50800"}}))
    sample.edit("theirs", lambda s: s.set_node_field(4, "text_zh", "他们的修改。"),
                lambda s: s.set_indicator_fields({3: {"value": "6900"}}),
                lambda s: s.delete_node(12))
    result, mine = sample.merge()
    assert node(mine, 2)["text_en"] == "Mine: a new opening."
    assert node(mine, 4)["text_zh"] == "他们的修改。"
    assert value(mine, "invention_patents_granted") == "50800"
    assert value(mine, "pct_international_applications") == "6900"
    assert mine.db.execute("SELECT count(*) FROM nodes WHERE id IN (12, 13)").fetchone() == (0,)
    assert [r["id"] for r in mine.search("a new opening")] == [2]
    assert [r["id"] for r in mine.search("他们的修改")] == [4]
    assert mine.search("municipal copyright bureau") == []  # deleted with section 12
    assert (result.mine, result.both, result.conflicts) == (2, 0, [])
    assert result.theirs >= 4  # text, value, two nodes deleted (and links they held)
    assert "no conflicts" in result.summary()


def test_same_row_different_columns_keeps_both(sample):
    sample.edit("mine", lambda s: s.set_node_field(7, "text_en", "English by me."))
    sample.edit("theirs", lambda s: s.set_node_field(7, "text_zh", "他们的中文。"))
    result, mine = sample.merge()
    row = node(mine, 7)
    assert (row["text_en"], row["text_zh"]) == ("English by me.", "他们的中文。")
    assert (result.both, result.conflicts) == (1, [])


def test_same_cell_changed_on_both_sides_keeps_mine_and_says_so(sample):
    sample.edit("mine", lambda s: s.set_indicator_fields({1: {"value": "150900"}}),
                lambda s: s.set_node_field(6, "title_en", "My title"))
    sample.edit("theirs", lambda s: s.set_indicator_fields({1: {"value": "151000"}}),
                lambda s: s.set_node_field(6, "title_en", "Their title"))
    result, mine = sample.merge()
    assert value(mine, "patents_granted") == "150900"
    assert node(mine, 6)["title_en"] == "My title"
    assert result.conflicts == [
        "section “My title”, English title: yours “My title” kept, theirs “Their title”",
        "indicator patents_granted (2024), value: yours 150,900 kept, theirs 151,000"]
    assert result.summary().endswith("2 rows changed on both sides; 2 conflicts to look at.")


def test_same_change_on_both_sides_is_no_conflict(sample):
    for side in ("mine", "theirs"):
        sample.edit(side, lambda s: s.set_indicator_fields({1: {"value": "150900"}}))
    result, mine = sample.merge()
    assert value(mine, "patents_granted") == "150900"
    assert (result.theirs, result.mine, result.both, result.conflicts) == (0, 0, 1, [])


# -- deleted on one side, changed on the other --------------------------------------------

def test_mine_deleted_theirs_changed_keeps_their_row(sample):
    sample.edit("mine", lambda s: s.delete_node(4))
    sample.edit("theirs", lambda s: s.set_node_field(4, "text_en", "Their update."))
    result, mine = sample.merge()
    assert node(mine, 4)["text_en"] == "Their update."
    assert texts(mine, 1)[-1] == "Their update."
    assert result.conflicts == [("paragraph “Their update.”: you deleted it and the other "
                                "program changed it; it is kept with their changes")]


def test_theirs_deleted_mine_changed_puts_the_part_back(sample):
    """They deleted a section; I edited a paragraph in it: both come back, with the
    section's indicator links."""
    links = sample.edit("base", lambda s: s.db.execute(
        "SELECT id FROM indicators WHERE node_id = 9").fetchall())[0]
    sample.edit("theirs", lambda s: s.delete_node(8))
    sample.edit("mine", lambda s: s.set_node_field(9, "text_en", "Mine, inside."))
    result, mine = sample.merge()
    assert node(mine, 8)["parent_id"] == 5 and node(mine, 9)["parent_id"] == 8
    assert node(mine, 9)["text_en"] == "Mine, inside."
    assert mine.db.execute("SELECT id FROM indicators WHERE node_id = 9").fetchall() == links
    assert len(result.conflicts) == 2
    assert result.conflicts[0].startswith("paragraph “Mine, inside.”: the other program "
                                          "deleted it and you changed it")
    assert result.conflicts[1].startswith("section “Improve the supply of IP rules")
    assert "put back because paragraph “Mine, inside.” inside it is kept" in \
        result.conflicts[1]
    assert [r["id"] for r in mine.search("Mine, inside")] == [9]


def test_a_link_to_a_node_they_deleted_becomes_none(sample):
    sample.sql("mine", "UPDATE indicators SET node_id = 13 WHERE id = 7")
    sample.edit("theirs", lambda s: s.delete_node(12))
    _result, mine = sample.merge()
    assert mine.db.execute("SELECT node_id FROM indicators WHERE id = 7").fetchone() == (None,)


def test_their_insert_under_a_part_i_deleted_brings_the_part_back(sample):
    sample.edit("mine", lambda s: s.delete_node(10))
    new = sample.edit("theirs", lambda s: s.insert_node(10, 1, {
        "kind": "paragraph", "text_en": "Their new paragraph."}))[0]
    result, mine = sample.merge()
    assert node(mine, new)["parent_id"] == 10 and node(mine, 10)["parent_id"] == 5
    assert texts(mine, 10) == ["Their new paragraph."]  # only what it needs comes back
    assert any("put back" in line for line in result.conflicts)


def test_deleted_on_one_side_unchanged_on_the_other_stays_deleted(sample):
    sample.edit("theirs", lambda s: s.delete_node(5))
    sample.edit("mine", lambda s: s.set_node_field(2, "text_en", "Mine."))
    result, mine = sample.merge()
    assert mine.db.execute("SELECT count(*) FROM nodes WHERE id = 5").fetchone() == (0,)
    assert texts(mine, None)[0] == "" and node(mine, 14)["position"] == 1
    assert result.conflicts == []


# -- ids both sides handed out ---------------------------------------------------------------

def test_nodes_both_added_under_one_id_keep_theirs_and_renumber_mine(sample):
    """Both added nodes (SQLite gave them the same ids): theirs stay, mine move to new ids
    and what points at them (a child, indicators) follows."""
    def mine_adds(store: ReportStore) -> tuple[int, int]:
        section = store.insert_node(5, 4, {"kind": "section", "title_en": "My section"})
        paragraph = store.insert_node(section, 0, {"kind": "paragraph",
                                                   "text_en": "My paragraph."})
        store.set_node_field(paragraph, "text_en", f"My paragraph (see {{{{§{section}}}}}).")
        with store.transaction() as db:
            db.execute("UPDATE indicators SET node_id = ? WHERE id = 7", [paragraph])
            db["indicators"].insert({"key": "my_figure", "year": 2024, "value": "12",
                                     "node_id": section})
        return section, paragraph

    section, paragraph = sample.edit("mine", mine_adds)[0]
    theirs = sample.edit("theirs", lambda s: s.insert_node(1, 0, {
        "kind": "paragraph", "text_en": "Their first."}), lambda s: s.insert_node(
        14, 0, {"kind": "section", "title_en": "Their section"}))
    assert theirs == [section, paragraph]  # the same ids
    result, mine = sample.merge()
    assert node(mine, section)["text_en"] == "Their first."
    assert node(mine, paragraph)["title_en"] == "Their section"
    new_section = result.renumbered["nodes"][section]
    new_paragraph = result.renumbered["nodes"][paragraph]
    assert node(mine, new_section)["title_en"] == "My section"
    assert node(mine, new_section)["parent_id"] == 5
    assert node(mine, new_paragraph)["parent_id"] == new_section
    # a reference to my section follows it to its new id
    assert node(mine, new_paragraph)["text_en"] == f"My paragraph (see {{{{§{new_section}}}}})."
    links = dict(mine.db.execute("SELECT key, node_id FROM indicators WHERE id = 7 OR "
                                 "key = 'my_figure'").fetchall())
    assert links["my_figure"] == new_section and list(links.values()).count(new_paragraph) == 1
    assert texts(mine, 1)[0] == "Their first."
    assert [r["id"] for r in mine.search("My paragraph")] == [new_paragraph]
    assert result.conflicts == []


def test_indicators_both_added_with_one_key_and_year_are_one(sample):
    """Both added ("royalties", 2024) under different ids: theirs' id, my changed values."""
    row = {"key": "royalties", "year": 2024, "value": "100", "unit": "RMB"}
    sample.sql("theirs", "INSERT INTO indicators (key, year, value) VALUES ('x', 2024, '1')")
    sample.edit("theirs", lambda s: s.upsert_indicators([row]))
    sample.edit("mine", lambda s: s.upsert_indicators([{**row, "value": "120",
                                                         "label_en": "royalties"}]))
    ids = {name: sample.edit(name, lambda s: s.db.execute(
        "SELECT id FROM indicators WHERE key = 'royalties'").fetchone()[0])[0]
        for name in ("mine", "theirs")}
    assert ids["mine"] != ids["theirs"]
    result, mine = sample.merge()
    rows = mine.db.execute("SELECT id, value, unit, label_en FROM indicators WHERE key = "
                           "'royalties'").fetchall()
    assert rows == [(ids["theirs"], "120", "RMB", "royalties")]
    assert result.renumbered["indicators"] == {ids["mine"]: ids["theirs"]}
    assert "indicator royalties (2024), value: yours 120 kept, theirs 100" in result.conflicts
    assert value(mine, "x") == "1"


def test_indicators_added_under_one_id_with_other_keys_are_both_kept(sample):
    sample.sql("theirs", "INSERT INTO indicators (key, year, value) VALUES ('theirs', 2024, 1)")
    sample.sql("mine", "INSERT INTO indicators (key, year, value) VALUES ('mine', 2024, 2)",
               "DELETE FROM indicators WHERE key = 'patents_granted'")
    result, mine = sample.merge()
    assert (value(mine, "theirs"), value(mine, "mine")) == ("1", "2")
    assert mine.db.execute("SELECT count(*) FROM indicators WHERE key = 'patents_granted'"
                           ).fetchone() == (0,)
    assert len(result.renumbered["indicators"]) == 1


def test_an_indicator_swapping_keys_on_one_side_writes_without_a_clash(sample):
    sample.sql("theirs", "UPDATE indicators SET key = 'tmp' WHERE id = 1",
               "UPDATE indicators SET key = 'patents_granted' WHERE id = 2",
               "UPDATE indicators SET key = 'invention_patents_granted' WHERE id = 1")
    sample.edit("mine", lambda s: s.set_node_field(2, "text_en", "Mine."))
    _result, mine = sample.merge()
    assert mine.db.execute("SELECT key FROM indicators WHERE id IN (1, 2) ORDER BY id"
                           ).fetchall() == [("invention_patents_granted",),
                                            ("patents_granted",)]


# -- the tree -------------------------------------------------------------------------------

def test_moves_into_each_other_take_their_place(sample):
    sample.edit("mine", lambda s: s.move_node(6, 8, 0))  # section 6 into section 8
    sample.edit("theirs", lambda s: s.move_node(8, 6, 0))  # and 8 into 6
    result, mine = sample.merge()
    assert (node(mine, 6)["parent_id"], node(mine, 8)["parent_id"]) == (5, 6)
    assert any("moved into each other" in line for line in result.conflicts)


def test_positions_are_renumbered_in_order(sample):
    sample.edit("mine", lambda s: s.insert_node(1, 0, {"kind": "paragraph",
                                                       "text_en": "Mine first."}),
                lambda s: s.move_node(4, 1, 1))
    sample.edit("theirs", lambda s: s.insert_node(1, 3, {"kind": "paragraph",
                                                         "text_en": "Theirs last."}),
                lambda s: s.delete_node(3))
    _result, mine = sample.merge()
    assert texts(mine, 1) == ["Mine first.", node(mine, 4)["text_en"],
                              node(mine, 2)["text_en"], "Theirs last."]


def test_both_moved_one_node_keeps_my_place(sample):
    sample.edit("mine", lambda s: s.move_node(9, 6, 1))
    sample.edit("theirs", lambda s: s.move_node(9, 10, 0))
    result, mine = sample.merge()
    assert node(mine, 9)["parent_id"] == 6
    assert any("moved on both sides; it stays where you put it" in c for c in result.conflicts)


def test_a_loop_left_by_a_hand_edit_is_undone(small):
    """A knot no merge rule explains (a node made its own parent by hand) still ends whole."""
    small.raw_sql("theirs", "UPDATE nodes SET parent_id = 999 WHERE kind = 'section'",
                  "UPDATE nodes SET parent_id = id WHERE kind = 'overview'")
    result, mine = small.merge()
    assert sorted(texts(mine, None)) == ["", "Protect IP", "Serve the strategy."]
    assert len(result.conflicts) == 2
    assert "section “Serve the strategy.”: the part it belonged to is gone; it is now at " \
        "the top level" in result.conflicts


# -- the report row, future columns, bad input ----------------------------------------------

def test_the_report_row_merges_and_keeps_their_file_identity(sample):
    sample.sql("theirs", "UPDATE report SET publisher_en = 'Their office', file_id = 'f2'")
    sample.edit("mine", lambda s: s.set_report_fields("en", "My title", "The General Office "
                "of Shanghai Intellectual Property Joint Committee", "April 2025"))
    sample.edit("mine", lambda s: s.set_node_field(2, "text_en", "More revisions."))
    theirs = sample.edit("theirs", lambda s: s.report())[0]
    result, mine = sample.merge()
    row = mine.report()
    assert (row["title_en"], row["publisher_en"]) == ("My title", "Their office")
    assert (row["revision"], row["file_id"]) == (theirs["revision"], "f2")
    assert result.conflicts == []


def test_a_new_column_is_merged_like_the_others(sample):
    for name in ("base", "mine", "theirs"):
        sample.sql(name, "ALTER TABLE nodes ADD COLUMN note TEXT NOT NULL DEFAULT ''")
    sample.sql("mine", "UPDATE nodes SET note = 'check this' WHERE id = 3")
    sample.sql("theirs", "UPDATE nodes SET note = 'their note' WHERE id = 4")
    _result, mine = sample.merge()
    assert (node(mine, 3)["note"], node(mine, 4)["note"]) == ("check this", "their note")


def test_reports_of_other_shapes_are_refused_and_mine_is_unchanged(sample):
    sample.sql("theirs", "ALTER TABLE indicators ADD COLUMN extra TEXT")
    sample.edit("mine", lambda s: s.set_node_field(2, "text_en", "Mine."))
    before = sample.paths["mine"].read_bytes()
    with ReportStore.open(sample.paths["base"], readonly=True) as base, \
            ReportStore.open(sample.paths["theirs"], readonly=True) as theirs, \
            ReportStore.open(sample.paths["mine"]) as mine, \
            pytest.raises(StoreError, match="mine.sqlite: cannot be combined with .*theirs.sqlite: "
                                           "their indicators tables have different columns"):
        merge_reports(base, mine, theirs)
    with ReportStore.open(sample.paths["mine"], readonly=True) as mine:
        assert node(mine, 2)["text_en"] == "Mine."
    assert len(before) > 0


def test_mine_read_only_is_refused(sample):
    with ReportStore.open(sample.paths["base"], readonly=True) as base, \
            ReportStore.open(sample.paths["mine"], readonly=True) as mine, \
            pytest.raises(StoreError, match="opened read-only"):
        merge_reports(base, mine, base)


def test_a_write_that_fails_leaves_mine_as_it_was(sample):
    sample.edit("theirs", lambda s: s.set_node_field(2, "text_en", "Theirs."))
    sample.sql("mine", "CREATE TRIGGER refuse BEFORE UPDATE ON nodes "
               "BEGIN SELECT RAISE(ABORT, 'refused by a test'); END")
    with ReportStore.open(sample.paths["base"], readonly=True) as base, \
            ReportStore.open(sample.paths["theirs"], readonly=True) as theirs, \
            ReportStore.open(sample.paths["mine"]) as mine:
        with pytest.raises(StoreError, match="refused by a test.*your edits are kept"):
            merge_reports(base, mine, theirs)
        assert node(mine, 2)["text_en"] != "Theirs."


def test_text_that_is_not_utf8_in_their_file_is_read_leniently(sample):
    sample.raw_sql("theirs", "UPDATE nodes SET text_en = CAST(x'41ff42' AS TEXT) WHERE id = 2")
    sample.edit("mine", lambda s: s.set_node_field(3, "text_en", "Mine."))
    _result, mine = sample.merge()
    assert (node(mine, 2)["text_en"], node(mine, 3)["text_en"]) == ("A\ufffdB", "Mine.")


def test_writes_only_the_rows_that_differ(sample):
    sample.edit("theirs", lambda s: s.set_node_field(2, "text_en", "Theirs."))
    with ReportStore.open(sample.paths["base"], readonly=True) as base, \
            ReportStore.open(sample.paths["theirs"], readonly=True) as theirs, \
            ReportStore.open(sample.paths["mine"]) as mine:
        mine.db.execute("CREATE TEMP TABLE writes (name TEXT)")
        for table in ("nodes", "indicators"):
            for event in ("INSERT", "UPDATE", "DELETE"):
                mine.db.execute(f"CREATE TEMP TRIGGER count_{table}_{event} AFTER {event} ON "
                                f"main.{table} BEGIN INSERT INTO writes VALUES ('{table}'); END")
        merge_reports(base, mine, theirs)
        assert mine.db.execute("SELECT name FROM writes").fetchall() == [("nodes",)]


def test_conflicts_are_in_the_ui_language(sample):
    sample.edit("mine", lambda s: s.set_indicator_fields({1: {"value": "150900"}}))
    sample.edit("theirs", lambda s: s.set_indicator_fields({1: {"value": "151000"}}))
    i18n.set_language("zh_CN")
    try:
        result, _mine = sample.merge()
        lines = [*result.conflicts, result.summary()]
    finally:
        i18n.set_language("en")
    assert lines == ["指标 patents_granted（2024），数值：保留您的 150,900，另一程序的为 151,000",
                     ("已合并：采用另一程序的修改 0 处，保留您的修改 0 处，双方都修改的行 1 行；"
                     "需查看的冲突 1 处。")]


# -- any edits on both sides ------------------------------------------------------------------

EDITS = st.lists(st.tuples(st.sampled_from(["text", "insert", "delete", "move", "value",
                                            "add"]),
                           st.integers(0, 50), st.integers(0, 50), st.text(max_size=8)),
                 max_size=8)


def apply_edits(store: ReportStore, edits: list) -> None:
    for action, a, b, text in edits:
        ids = [r[0] for r in store.db.execute("SELECT id FROM nodes ORDER BY id")]
        if action == "value":
            inds = [r[0] for r in store.db.execute("SELECT id FROM indicators ORDER BY id")]
            if inds:
                store.set_indicator_fields({inds[a % len(inds)]: {"value": str(b)}})
        elif action == "add":  # both sides may add the same (key, year) under other ids
            store.upsert_indicators([{"key": f"added_{a % 3}", "year": 2030, "value": str(b)}])
        elif action == "insert":
            parent = ids[a % len(ids)] if ids and b % 4 else None
            store.insert_node(parent, b % 3, {"kind": "paragraph", "text_en": text})
        elif not ids:
            continue
        elif action == "text":
            store.set_node_field(ids[a % len(ids)], "text_en" if b % 2 else "title_zh", text)
        elif action == "delete":
            store.delete_node(ids[a % len(ids)])
        else:
            parent = ids[b % len(ids)] if b % 5 else None
            try:
                store.move_node(ids[a % len(ids)], parent, 0)
            except StoreError:
                pass  # into itself: refused, as in the window


def rows(path: Path) -> dict[str, dict[int, tuple]]:
    """What the property compares: a node's parent and texts, an indicator's value."""
    conn = sqlite3.connect(path)
    try:
        return {"nodes": {r[0]: r[1:] for r in conn.execute(
                    "SELECT id, parent_id, kind, title_zh, text_en FROM nodes")},
                "indicators": {r[0]: r[1:] for r in conn.execute(
                    "SELECT id, key, value FROM indicators")}}
    finally:
        conn.close()


def one_sided(base: dict, side: dict, other: dict) -> Iterator[tuple[int, tuple | None]]:
    """Rows ``side`` changed and ``other`` did not, with ``side``'s version."""
    for i in base.keys() | side.keys() | other.keys():
        if side.get(i) != base.get(i) and other.get(i) == base.get(i):
            yield i, side.get(i)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mine_edits=EDITS, their_edits=EDITS)
def test_any_edits_merge_into_a_whole_report(small_file, mine_edits, their_edits):
    """Never raises, always a whole tree (checked in ``Three.merge``), and every row changed
    on one side only shows that side's change, or the reason it could not is listed."""
    with tempfile.TemporaryDirectory() as folder:
        three = Three(Path(folder), small_file)
        three.edit("mine", lambda s: apply_edits(s, mine_edits))
        three.edit("theirs", lambda s: apply_edits(s, their_edits))
        base, mine, theirs = (rows(three.paths[n]) for n in ("base", "mine", "theirs"))
        result, store = three.merge()
        store.close()
        merged = rows(three.paths["mine"])
        said = " ".join(result.conflicts)
        moved = ("put back", "moved into each other", "top level")
        for table in ("nodes", "indicators"):
            new = result.renumbered[table]
            for i, expected in one_sided(base[table], mine[table], theirs[table]):
                if expected is not None and table == "nodes":  # my parent may be renumbered
                    expected = (result.renumbered["nodes"].get(expected[0], expected[0]),
                                *expected[1:])
                shown = merged[table].get(new.get(i, i))
                assert shown == expected or (expected is None and "put back" in said) or (
                    None not in (shown, expected) and shown[1:] == expected[1:]
                    and any(m in said for m in moved))
            for i, expected in one_sided(base[table], theirs[table], mine[table]):
                shown = merged[table].get(i)
                if table == "indicators" and expected and f"indicator {expected[0]} (" in said:
                    continue  # both added it: one row, mine's value, the conflict listed
                assert shown == expected or (expected is None and "put back" in said) or (
                    None not in (shown, expected) and shown[1:] == expected[1:]
                    and any(m in said for m in moved))
