"""Editing a report in the store: node texts, inserting, deleting (and restoring), moving,
indicator values; the table's filters and the prior year's value."""

from __future__ import annotations

import pytest

from ipviewer.store import ReportStore, StoreError
from test_store import small_report


@pytest.fixture
def store(tmp_path):
    with ReportStore.create(tmp_path / "r.sqlite", small_report(), 2030) as s:
        yield s


def shape(store: ReportStore) -> list:
    """The tree as nested (kind, title or text) tuples, in report order."""
    def walk(nodes):
        return [(n.kind, n.title_en or n.text_en, walk(n.children)) for n in nodes]
    return walk(store.load_tree())


def positions(store: ReportStore) -> dict:
    by_parent: dict = {}
    for row in store.db.query("SELECT parent_id, position FROM nodes ORDER BY position"):
        by_parent.setdefault(row["parent_id"], []).append(row["position"])
    return by_parent


def test_set_node_field_is_searchable(store):
    paragraph = store.load_tree()[0].children[0]
    store.set_node_field(paragraph.id, "text_zh", "授权专利15.08万件。")
    assert store.node_row(paragraph.id)["text_zh"] == "授权专利15.08万件。"
    assert [r["id"] for r in store.search("授权专利")] == [paragraph.id]
    with pytest.raises(ValueError):
        store.set_node_field(paragraph.id, "kind", "part")


def test_insert_shifts_later_siblings(store):
    part = store.load_tree()[1]
    new = store.insert_node(part.id, 0, {"kind": "section", "title_en": "First now"})
    assert [c.title_en for c in store.load_tree()[1].children] == ["First now",
                                                                  "Serve the strategy."]
    assert store.node_row(new)["parent_id"] == part.id
    assert all(p == list(range(len(p))) for p in positions(store).values())


def test_delete_and_restore_give_back_the_same_report(store):
    before = shape(store)
    indicators_before = store.indicator_rows()
    overview = store.load_tree()[0]
    snapshot = store.delete_node(overview.id)
    assert [kind for kind, _t, _c in shape(store)] == ["part"]
    assert store.indicator_rows()[0]["node_id"] is None  # the link is kept in the snapshot
    assert positions(store)[None] == [0]
    store.restore_node(snapshot)
    assert shape(store) == before
    assert store.indicator_rows() == indicators_before


def test_move_node_across_parents_and_back(store):
    before = shape(store)
    tree = store.load_tree()
    paragraph, section = tree[0].children[0], tree[1].children[0]
    store.move_node(paragraph.id, section.id, 1)
    assert [c.text_en for c in store.load_tree()[1].children[0].children] == [
        "57.90 per", "Patents granted total 150,800."]
    assert store.load_tree()[0].children == []
    store.move_node(paragraph.id, tree[0].id, 0)
    assert shape(store) == before
    assert all(p == list(range(len(p))) for p in positions(store).values())


def test_a_node_cannot_move_into_itself(store):
    part = store.load_tree()[1]
    before = shape(store)
    with pytest.raises(StoreError):
        store.move_node(part.id, part.children[0].id, 0)
    assert shape(store) == before  # the transaction rolled back


def test_set_indicator_fields_exactly_and_clears_needs_update(store):
    first = store.indicators()[0]
    store.db.execute("UPDATE indicators SET needs_update = 1")
    store.set_indicator_fields({first["id"]: {"value": "150801", "unit": "RMB"}})
    row = store.indicator(first["id"])
    assert (row["value"], row["unit"], row["needs_update"]) == ("150801", "RMB", 0)
    with pytest.raises(ValueError):
        store.set_indicator_fields({first["id"]: {"year": 1999}})


def test_indicator_filters_and_prior_value(store):
    key = store.indicators()[0]["key"]
    store.upsert_indicators([{"key": key, "year": 2029, "value": "131900"}])
    assert store.indicator_count(text="GRANTED") == 2  # by key or name, any case
    assert store.indicator_count(text="%") == 0  # LIKE wildcards are plain text
    assert store.indicator_count(year=2029) == 1
    row = store.indicators(text="granted", year=2030)[0]
    assert (row["value"], row["prior_value"]) == ("150800", "131900")
    assert store.indicators(ids=[row["id"]])[0]["key"] == key
    assert [r["year"] for r in store.indicator_history(key)] == [2029, 2030]
    assert store.indicator_units()[0] in ("", "per 10,000 people")
