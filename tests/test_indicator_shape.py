"""One shape of an indicator (model.Indicator), built from a stored row in one place."""

from __future__ import annotations

import contextlib
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipviewer.model import Indicator
from ipviewer.prose.bindings import BindingError
from ipviewer.report_text import StoredFigureValues, stored_figure_values
from ipviewer.store import ReportStore
from ipviewer.store.indicator_table import DamagedIndicator

D = Decimal


def hand_edit(path: Path, statement: str) -> None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute(statement)
        conn.commit()


def test_the_store_gives_indicators_with_exact_values(sample_copy):
    with ReportStore.open(sample_copy, readonly=True) as store:
        indicators = store.indicator_values()
        rows = store.indicator_rows()
        assert [(i.key, i.year) for i in indicators] == [(r["key"], r["year"]) for r in rows]
        assert all(isinstance(i, Indicator) and isinstance(i.value, Decimal) for i in indicators)
        assert [i.value for i in indicators] == [D(r["value"]) for r in rows]
        assert [i.node_id for i in indicators] == [r["node_id"] for r in rows]
        one = store.indicator_value("invention_patents_granted", 2024)
        assert one.value == D(50700) and one.yoy_pct == D("14.28") and one.label_en
        assert store.indicator_value("invention_patents_granted", 1999) is None
        assert {i.year for i in store.indicator_values(2024)} == {2024}
        assert len(store.indicator_values(skip={one.id})) == len(indicators) - 1


@pytest.mark.parametrize("statement, shown", [
    ("UPDATE indicators SET value = 'abc'", "'abc' is not a number"),
    ("UPDATE indicators SET value = '1e5'", "'1e5' is not a number"),
    ("UPDATE indicators SET yoy_pct = '14,28%'", "'14,28%' is not a number"),
    ("UPDATE indicators SET value = x'00ff'", "x'00ff' is not a number"),
    ("UPDATE indicators SET year = 'x'", "'x' is not a year"),
])
def test_a_damaged_row_is_named_never_converted(sample_copy, statement, shown):
    hand_edit(sample_copy, statement + " WHERE key = 'invention_patents_granted' AND year = 2024")
    with ReportStore.open(sample_copy, readonly=True) as store:
        with pytest.raises(DamagedIndicator, match="invention_patents_granted") as raised:
            store.indicator_values()
        assert shown in str(raised.value)
        with pytest.raises(BindingError, match=shown.replace("'", ".")):
            stored_figure_values(store)
        damaged = {d.row_id for d in store.damage() if d.table == "indicators"}
        assert len(store.indicator_values(skip=damaged)) == store.indicator_count() - 1
        if "year" not in statement:
            with pytest.raises(BindingError, match="invention_patents_granted"):
                StoredFigureValues(store)["invention_patents_granted", 2024]


decimals = st.decimals(allow_nan=False, allow_infinity=False, places=4,
                       min_value=-10**20, max_value=10**20)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decimals, st.one_of(st.none(), decimals))
def test_an_indicator_comes_back_from_the_store_as_it_went_in(sample_copy, value, yoy):
    written = Indicator("new_key", 2024, value, "RMB", "over", yoy, "en", "中", "src")
    with ReportStore.open(sample_copy) as store:
        store.upsert_indicators([written.as_store_dict()])
        read = store.indicator_value("new_key", 2024)
    assert read == written and read.id is not None
    assert str(read.value) == str(written.value) or read.value == 0
