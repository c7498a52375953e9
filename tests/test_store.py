"""The report store: schema and migrations, settings, transactions, checks on open, queries."""

from __future__ import annotations

import os
import sqlite3
from decimal import Decimal

import pytest

from ipviewer.model import Figure, Node, ParsedReport
from ipviewer.store import ReportStore, StoreError, unique_key
from ipviewer.store.schema import known_migrations


def small_report() -> ParsedReport:
    figure = Figure(value=Decimal(150800), text="150,800", start=21, end=28,
                    sentence="Patents granted total 150,800.", label="patents granted",
                    yoy_pct=Decimal("14.28"))
    rate = Figure(value=Decimal("57.90"), text="57.90", start=0, end=5, sentence="57.90 per",
                  unit="per 10,000 people", label="high-value invention patents",
                  yoy_pct=Decimal("-15.30"), qualifier="nearly")
    paragraph = Node("paragraph", text_en="Patents granted total 150,800.", figures=[figure])
    section = Node("section", title_en="Serve the strategy.",
                   children=[Node("paragraph", text_en="57.90 per", figures=[rate])])
    return ParsedReport(
        lang="en", title="IP in Testville in the Year 2030", publisher="The Office",
        date="May 2031",
        nodes=[Node("overview", children=[paragraph]),
               Node("part", number="I", title_en="Protect IP", children=[section])],
    )


@pytest.fixture
def store(tmp_path):
    with ReportStore.create(tmp_path / "r.sqlite", small_report(), 2030) as s:
        yield s


def test_schema_is_recorded_as_migrations(store):
    assert store.schema_version() == known_migrations()
    assert store.schema_version()[0] == "m001_initial"
    columns = store.db["indicators"].columns_dict
    assert columns["value"] is str and columns["year"] is int


def test_connection_settings(store):
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_values_are_stored_exactly(store):
    rows = store.indicators()
    assert [r["value"] for r in rows] == ["150800", "57.90"]
    assert [r["yoy_pct"] for r in rows] == ["14.28", "-15.30"]
    assert rows[1]["unit"] == "per 10,000 people" and rows[1]["qualifier"] == "nearly"
    assert rows[0]["source_text"] == "Patents granted total 150,800."
    assert (rows[0]["source_start"], rows[0]["source_end"]) == (21, 28)


def test_tree_round_trip(store):
    overview, part = store.load_tree()
    assert overview.kind == "overview" and overview.children[0].text_en.startswith("Patents")
    assert part.number == "I" and part.title_en == "Protect IP"
    assert part.children[0].children[0].kind == "paragraph"
    assert store.report()["publisher_en"] == "The Office"


def test_indicators_sorted_in_sql_and_filtered_by_node(store):
    by_value = store.indicators(sort="value", descending=True)
    assert [r["value"] for r in by_value] == ["150800", "57.90"]
    by_yoy = store.indicators(sort="yoy_pct")
    assert [r["yoy_pct"] for r in by_yoy] == ["-15.30", "14.28"]
    part = store.load_tree()[1]
    ids = [n.id for n in part.walk()]
    assert [r["key"] for r in store.indicators(ids)] == ["high_value_invention_patents"]
    assert store.indicators(ids)[0]["section_en"] == "Serve the strategy."
    assert store.indicator_count([]) == 0
    with pytest.raises(ValueError):
        store.indicators(sort="value; DROP TABLE nodes")


def test_full_text_search_in_both_languages(store):
    with store.transaction() as db:
        db["nodes"].update(2, {"text_zh": "全年专利授权15.08万件。"})
    assert [r["id"] for r in store.search("granted total")] == [2]
    assert [r["id"] for r in store.search("专利授权")] == [2]
    assert [r["id"] for r in store.search("专利")] == [2]  # two characters: substring scan
    assert store.search("nothing like this") == []
    assert store.search('"unbalanced') == []


def test_a_failed_transaction_writes_nothing(store):
    before = store.indicator_count()
    with pytest.raises(RuntimeError), store.transaction() as db:
        db["indicators"].delete_where()
        raise RuntimeError("power cut")
    assert store.indicator_count() == before


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError), store.transaction() as db:
        db["nodes"].insert({"parent_id": 999, "position": 0, "kind": "paragraph"})


def test_readonly_store_refuses_writes(tmp_path, store):
    with ReportStore.open(store.path, readonly=True) as ro, \
            pytest.raises(StoreError, match="read-only"), ro.transaction():
        pass


def test_unique_keys():
    taken: set[str] = set()
    assert unique_key("PCT international patent filings", taken) == \
        "pct_international_patent_filings"
    assert unique_key("IP cases", taken) == "ip_cases"
    assert unique_key("IP cases", taken) == "ip_cases_2"
    assert unique_key("发明专利", taken) == "figure"


# -- files that are not usable reports ------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(StoreError, match="no such file"):
        ReportStore.open(tmp_path / "none.sqlite")


def test_not_sqlite(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("just some words, long enough to be more than a header" * 20)
    with pytest.raises(StoreError, match="not a report database"):
        ReportStore.open(path)
    assert path.read_text().startswith("just some words")


def test_sqlite_of_another_kind(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (a)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not an ipviewer report"):
        ReportStore.open(path)


def test_damaged_file_is_reported_and_left_alone(tmp_path, store):
    path = store.path
    store.close()
    data = bytearray(path.read_bytes())
    page = 4096
    # Overwrite the second page (part of a table's b-tree) with garbage.
    data[page:page * 2] = b"\xa5" * page
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged") as excinfo:
        ReportStore.open(path)
    assert str(path) in str(excinfo.value)
    assert path.read_bytes() == bytes(data)


def test_file_from_a_newer_version(tmp_path, store):
    with store.transaction() as db:
        db["_sqlite_migrations"].insert(
            {"migration_set": "ipviewer", "name": "m999_future", "applied_at": "2040-01-01"})
    store.close()
    with pytest.raises(StoreError, match="newer version"):
        ReportStore.open(store.path)


def test_create_leaves_nothing_behind_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "r.sqlite"

    def broken(self, parsed, year, *_rest):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ReportStore, "_write_report", broken)
    with pytest.raises(RuntimeError):
        ReportStore.create(target, small_report(), 2030)
    assert list(tmp_path.iterdir()) == []


def test_create_in_missing_folder(tmp_path):
    with pytest.raises(StoreError, match="cannot write"):
        ReportStore.create(tmp_path / "no" / "such" / "r.sqlite", small_report(), 2030)


needs_non_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root writes into read-only files; CI runs this as an ordinary user")


@needs_non_root
def test_read_only_file_opens_read_only_only(store):
    path = store.path
    store.close()
    path.chmod(0o444)
    try:
        with pytest.raises(StoreError, match="cannot be written"):
            ReportStore.open(path)
        with ReportStore.open(path, readonly=True) as ro:
            assert ro.indicator_count() == 2
    finally:
        path.chmod(0o644)


@needs_non_root
def test_create_in_read_only_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="cannot write here"):
            ReportStore.create(folder / "r.sqlite", small_report(), 2030)
    finally:
        folder.chmod(0o755)


def test_older_schema_is_updated_when_viewed(tmp_path):
    """A file made before the latest migration: read-only, it is brought up to date in memory
    (the file is not changed); opened for viewing by a user who may write it, in the file."""
    path = tmp_path / "old.sqlite"
    ReportStore.create(path, small_report(), 2030).close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name IN "
                 "('m002_sources_and_updates', 'm003_sort_indexes', 'm006_to_update_state')")
    for trigger in ("indicators_value_updates", "nodes_text_updates"):
        conn.execute(f"DROP TRIGGER {trigger}")
    for table in ("indicators", "nodes"):
        for column in ("confirmed_by", "confirmed_at"):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    for index in ("indicators_by_value", "indicators_by_yoy", "indicators_by_label"):
        conn.execute(f"DROP INDEX {index}")
    for table, column in (("indicators", "source"), ("indicators", "needs_update"),
                          ("nodes", "needs_update")):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with ReportStore.open(path, readonly=True) as store:
        assert sorted(store.schema_version()) == known_migrations()
        assert store.indicator_rows()[0]["needs_update"] == 0
    assert path.read_bytes() == before
    with ReportStore.open_for_viewing(path) as store:
        assert store.readonly and sorted(store.schema_version()) == known_migrations()
        assert store.indicator_rows()[0]["needs_update"] == 0
