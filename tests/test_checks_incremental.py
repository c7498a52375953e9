"""Checks re-run only for what an edit touched give what a full run gives, and a run can be
stopped between its steps (ipviewer.checks.CheckState, no Qt)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipviewer.checks import ChecksCancelled, CheckState, run_checks
from ipviewer.store import ReportStore


def as_tuples(findings) -> list[tuple]:
    return [(f.severity, f.code, f.message, f.where, f.node_id, f.key) for f in findings]


@pytest.fixture(scope="module")
def reports(tmp_path_factory, _built_sample, _built_next_year) -> dict[str, Path]:
    return {"sample": _built_sample, "next year": _built_next_year}


#: One edit: (what, a number choosing the row, a number choosing the new content).
EDITS = st.lists(st.tuples(
    st.sampled_from(["value", "yoy", "label", "text", "typed", "reference", "title",
                     "confirm", "mark", "cross-reference", "add", "delete"]),
    st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=4)


def apply_edit(store: ReportStore, what: str, row: int, pick: int
               ) -> tuple[set[int], set[int], set[int]]:
    """Make one edit as the window would; (nodes, indicator ids, renamed nodes) touched."""
    db = store.db
    year = store.report()["year"]
    indicators = db.execute("SELECT id, key, year, value FROM indicators "
                            "WHERE year IN (?, ?) ORDER BY id", [year, year - 1]).fetchall()
    nodes = db.execute("SELECT id, text_en, text_zh, kind FROM nodes ORDER BY id").fetchall()
    ident, _key, _year, _value = indicators[row % len(indicators)]
    node_id, text_en, text_zh, _kind = nodes[row % len(nodes)]
    other = indicators[pick % len(indicators)]
    if what == "value":  # another indicator's value: typed-in figures may now match it
        value = other[3] if pick % 3 else str(pick * 1000 + 7)
        store.set_indicator_fields({ident: {"value": value}})
        return set(), {ident}, set()
    if what == "yoy":
        store.set_indicator_fields({ident: {"yoy_pct": f"{pick % 80 - 20}.{pick % 10}"}})
        return set(), {ident}, set()
    if what == "label":
        store.set_indicator_fields({ident: {"label_en": f"renamed {pick}"}})
        return set(), {ident}, set()
    if what == "confirm":
        store.confirm_unchanged([ident], [node_id], by="test")
        return {node_id}, {ident}, set()
    if what == "mark":
        from ipviewer.store.to_update import Mark
        store.set_marks([Mark("indicators", ident, True)])
        return set(), {ident}, set()
    if what == "add":  # a new key (perhaps one a text refers to already), or a year more
        new_key, new_year = ["no_such_indicator", f"added_{pick}", other[1]][pick % 3], \
            year - (pick % 2)
        while db.execute("SELECT 1 FROM indicators WHERE key = ? AND year = ?",
                         [new_key, new_year]).fetchone():
            new_key += "_again"
        added = store.insert_indicators([{
            "key": new_key, "year": new_year, "label_en": f"added {pick}",
            "label_zh": f"新增{pick}", "value": other[3] if pick % 5 else str(pick),
            "unit": "", "yoy_pct": f"{pick % 30}.5", "node_id": node_id}])
        return set(), set(added), set()
    if what == "delete":
        store.delete_indicators([ident])
        return set(), {ident}, set()
    if what == "title":
        store.set_node_field(node_id, "title_en", f"Renamed {pick}")
        return set(), set(), {node_id}
    source = nodes[pick % len(nodes)]
    if what == "text":  # another node's texts: other figures, references, directions
        store.set_node_field(node_id, "text_en", source[1])
        store.set_node_field(node_id, "text_zh", source[2])
    elif what == "cross-reference":  # to a part or section, or to a node never there
        target = source[0] if pick % 3 else 99_999
        store.set_node_field(node_id, "text_en", f"{text_en} See {{{{§{target}}}}}.")
    elif what == "typed":  # another indicator's value typed in, not bound
        store.set_node_field(node_id, "text_en", f"{text_en} It reached {other[3]}.")
    else:  # a reference to another indicator, or to one that does not exist
        ref = other[1] if pick % 4 else "no_such_indicator"
        store.set_node_field(node_id, "text_zh", f"{text_zh}达到{{{{{ref}}}}}。")
    return {node_id}, set(), set()


@pytest.mark.parametrize("name", ["sample", "next year"])
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_an_update_after_edits_equals_a_full_run(reports, tmp_path_factory, name, edits):
    path = tmp_path_factory.mktemp("incremental") / "report.sqlite"
    shutil.copyfile(reports[name], path)
    with ReportStore.open(path) as store:
        state = CheckState.full(store)
        for what, row, pick in edits:
            nodes, indicators, titles = apply_edit(store, what, row, pick)
            assert state.update(store, nodes, indicators, titles)
            assert as_tuples(state.findings()) == as_tuples(run_checks(store)), (what, row, pick)


def test_an_update_refers_changed_trees_and_damage_to_a_full_run(sample_copy):
    with ReportStore.open(sample_copy) as store:
        state = CheckState.full(store)
        before = as_tuples(state.findings())
        store.insert_node(None, 0, {"kind": "part", "title_en": "New", "title_zh": "新"})
        assert not state.update(store, nodes=[1])
        assert as_tuples(state.findings()) == before  # left as it was: a full run is due
    with closing(sqlite3.connect(sample_copy)) as conn, conn:
        conn.execute("UPDATE indicators SET value = 'abc' WHERE id = 1")
    with ReportStore.open(sample_copy) as store:
        state = CheckState.full(store)
        assert any(f.code == "damaged" for f in state.findings())
        store.set_indicator_fields({1: {"value": "5"}})
        assert not state.update(store, indicators=[1])  # damage corrected: a full run


def test_a_run_stops_when_asked(sample_copy):
    asked = []

    def should_stop() -> bool:
        asked.append(1)
        return len(asked) > 3

    with ReportStore.open(sample_copy, readonly=True) as store:
        with pytest.raises(ChecksCancelled):
            run_checks(store, should_stop=should_stop)
        assert 4 <= len(asked) <= 5  # stopped at the first yes (or the step after it)
        assert run_checks(store, should_stop=lambda: False) == run_checks(store)


def test_a_rate_edited_on_last_years_row_still_finds_the_swap_in_this_years_paragraph(
        reports, tmp_path_factory):
    """Found by the property above: last year's row of an indicator can sit in another
    paragraph than this year's, and the swap is looked for in this year's."""
    path = tmp_path_factory.mktemp("incremental") / "report.sqlite"
    shutil.copyfile(reports["sample"], path)
    with ReportStore.open(path) as store:
        state = CheckState.full(store)
        nodes, indicators, titles = apply_edit(store, "yoy", 287, 0)
        assert state.update(store, nodes, indicators, titles)
        assert as_tuples(state.findings()) == as_tuples(run_checks(store))
