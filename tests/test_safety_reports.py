"""Hostile and damaged report files through every command: a foreign SQLite file that
happens to have our table names, another program's file, an empty file, a pipe, a folder,
a read-only folder, bytes that are not UTF-8, values that are not numbers, a tree whose
parents are gone or loop. Never a traceback, never a hang, never a changed file."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from conftest import run_cli
from ipviewer.store import ReportStore, StoreError
from ipviewer.store.integrity import find_damage
from ipviewer.store.schema import migrations


def sql(path: Path, *statements: str) -> None:
    """Change a report by hand, as a user with an SQLite tool would (no foreign keys)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def first_id(path: Path, query: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def zh_text(sample_copy, tmp_path) -> Path:
    """The sample's Chinese side as a text file (for import --into)."""
    out = tmp_path / "zh.md"
    result = run_cli("render", sample_copy, "--lang", "zh")
    assert result.exit_code == 0, result.output
    out.write_text(result.stdout, encoding="utf-8")
    return out


@pytest.fixture
def values_csv(tmp_path) -> Path:
    path = tmp_path / "values.csv"
    path.write_text("key,year,value\nnew_indicator,2024,1500\n", encoding="utf-8")
    return path


def every_command(report: Path, zh: Path, values: Path, out: Path) -> dict[str, list]:
    """Each command that opens a report, as a user would run it on ``report``."""
    return {
        "tree": ["tree", report],
        "indicators": ["indicators", report, "--format", "json"],
        "indicators export": ["indicators", "export", report, out.with_suffix(".csv")],
        "indicators import": ["indicators", "import", report, values],
        "render": ["render", report, "--lang", "zh"],
        "check": ["check", report],
        "bind": ["bind", report],
        "bind --dry-run": ["bind", report, "--dry-run"],
        "export": ["export", report, "-o", out.with_suffix(".pdf"), "--lang", "en",
                   "--no-charts"],
        "new-year": ["new-year", report, "-o", out.with_suffix(".sqlite")],
        "import --into": ["import", zh, "--into", report],
        "gui --screenshot": ["gui", report, "--screenshot", out.with_suffix(".png")],
    }


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# -- files that are not our reports: refused by every command, not changed -------------------


def _foreign_with_our_names(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE report (id INTEGER PRIMARY KEY, year INTEGER, notes TEXT)")
    conn.execute("INSERT INTO report VALUES (1, 2024, 'a shop''s yearly report')")
    conn.execute("CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT, "
                 "applied_at TEXT)")
    conn.execute("INSERT INTO _sqlite_migrations VALUES ('shop', 'm001_init', '2024')")
    conn.commit()
    conn.close()


def _other_application(path: Path, sample: Path) -> None:
    path.write_bytes(sample.read_bytes())
    sql(path, "PRAGMA application_id = 305419896")


NOT_REPORTS = {
    "foreign file with our table names": (_foreign_with_our_names, "not an ipviewer report"),
    "another program's file": (None, "belongs to another program"),
    "empty file": (lambda p: p.write_bytes(b""), "is empty"),
    "text file": (lambda p: p.write_text("not a database\n"), "not an SQLite file"),
    "folder": (lambda p: p.mkdir(), "is a folder"),
}


@pytest.mark.parametrize("case", sorted(NOT_REPORTS))
def test_files_that_are_not_reports_are_refused_by_every_command(case, sample_copy, zh_text,
                                                                 values_csv, tmp_path):
    make, phrase = NOT_REPORTS[case]
    report = tmp_path / "hostile.sqlite"
    if make is None:
        _other_application(report, sample_copy)
    else:
        make(report)
    before = files_of(tmp_path)
    for name, args in every_command(report, zh_text, values_csv, tmp_path / "out").items():
        result = run_cli(*args)
        assert result.exit_code == 2, (name, result.output)
        assert phrase in result.output, (name, result.output)
        assert "Traceback" not in result.output
        assert files_of(tmp_path) == before, name


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_given_as_report_is_refused_without_waiting(tmp_path, values_csv):
    fifo = tmp_path / "report.sqlite"
    os.mkfifo(fifo)
    for args in (["tree", fifo], ["bind", fifo], ["check", fifo],
                 ["indicators", "import", fifo, values_csv]):
        done = subprocess.run([sys.executable, "-m", "ipviewer", *map(str, args)],
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 2, done.stderr
        assert "not a regular file" in done.stderr and "Traceback" not in done.stderr


def test_an_old_report_without_application_id_is_still_ours(sample_copy):
    """Reports made before m004 have no application id: they open and get one."""
    sql(sample_copy, "PRAGMA application_id = 0",
        "DELETE FROM _sqlite_migrations WHERE name = 'm004_identity_and_revision'",
        *[f"DROP TRIGGER {t}_{e}_counts" for t in ("nodes", "indicators")
          for e in ("insert", "update", "delete")],
        "DROP TRIGGER report_update_counts",
        "ALTER TABLE report DROP COLUMN revision", "ALTER TABLE report DROP COLUMN file_id")
    assert run_cli("tree", sample_copy).exit_code == 0
    with ReportStore.open(sample_copy) as store:
        assert store.db.execute("PRAGMA application_id").fetchone()[0] == 0x49505657
        assert len(store.report()["file_id"]) == 32


# -- damaged cells: shown or refused with their place, found by check ------------------------


def test_bytes_that_are_not_utf8_are_shown_replaced_and_found(sample_copy, tmp_path):
    node = first_id(sample_copy, "SELECT id FROM nodes WHERE kind = 'paragraph' ORDER BY id")
    sql(sample_copy, f"UPDATE nodes SET text_en = CAST(x'48696768fffe76616c7565' AS TEXT) "
                     f"WHERE id = {node}",
        "UPDATE nodes SET title_zh = CAST(x'e4b8ade6' AS TEXT) WHERE id = (SELECT min(id) "
        "FROM nodes WHERE kind = 'part')")
    before = sample_copy.read_bytes()
    tree = run_cli("tree", sample_copy)
    assert tree.exit_code == 0 and "\ufffd" in tree.stdout
    assert "not UTF-8" in tree.stderr
    render = run_cli("render", sample_copy, "--lang", "en")
    assert render.exit_code == 0 and "High\ufffd\ufffdvalue" in render.stdout
    check = run_cli("check", sample_copy, "--no-terms")
    assert check.exit_code == 1
    assert f"nodes row {node}, text_en: bytes that are not UTF-8 text (at byte 4)" in check.stdout
    export = run_cli("export", sample_copy, "-o", tmp_path / "x.pdf", "--lang", "en",
                     "--no-charts")  # the damage is an error: no final PDF, the place named
    assert export.exit_code == 1 and not (tmp_path / "x.pdf").exists()
    assert f"nodes row {node}, text_en: bytes that are not UTF-8" in export.stderr
    export = run_cli("export", sample_copy, "-o", tmp_path / "x.pdf", "--lang", "en",
                     "--no-charts", "--draft")
    assert export.exit_code == 0, export.output
    assert sample_copy.read_bytes() == before


DAMAGED_CELLS = {
    "a value that is not a number": (
        "UPDATE indicators SET value = 'abc' WHERE key = 'patents_granted' AND year = 2024",
        "indicator patents_granted (2024): the stored value 'abc' is not a number"),
    "a value stored as bytes": (
        "UPDATE indicators SET value = x'00ff' WHERE key = 'patents_granted' AND year = 2024",
        "the stored value x'00ff' is not a number"),
    "a change that is not a number": (
        ("UPDATE indicators SET yoy_pct = '14,28%' WHERE key = 'patents_granted' "
         "AND year = 2024"),
        "the stored year-on-year change '14,28%' is not a number"),
    "a year that is not a year": (
        "UPDATE indicators SET year = 'x' WHERE key = 'patents_granted' AND year = 2024",
        "the year 'x' is not a year between 1900 and 2200"),
    "a parent that does not exist": (
        ("UPDATE nodes SET parent_id = 99999 WHERE id = (SELECT min(id) FROM nodes "
         "WHERE kind = 'section')"),
        "which does not exist"),
    "a loop of parents": (
        ("UPDATE nodes SET parent_id = id WHERE id = (SELECT min(id) FROM nodes "
         "WHERE kind = 'section')"),
        "its parents form a loop"),
}


@pytest.mark.parametrize("case", sorted(DAMAGED_CELLS))
def test_damaged_cells_are_named_never_a_traceback(case, sample_copy, zh_text, values_csv,
                                                   tmp_path):
    statement, message = DAMAGED_CELLS[case]
    sql(sample_copy, statement)
    before = sample_copy.read_bytes()
    outputs = tmp_path / "out"
    for name, args in every_command(sample_copy, zh_text, values_csv, outputs).items():
        result = run_cli(*args)
        assert "Traceback" not in result.output, name
        if name in ("tree",):
            assert result.exit_code == 0 and message in result.stderr, (name, result.output)
        elif name == "check":
            assert result.exit_code == 1 and message in result.stdout, (name, result.output)
        elif name in ("render", "indicators", "indicators export", "bind", "bind --dry-run",
                      "export", "new-year"):
            assert result.exit_code == 2 and message in result.output, (name, result.output)
        else:  # import --into, indicators import, the window: they neither need nor crash
            assert result.exit_code in (0, 2), (name, result.output)
        if name in ("indicators import", "import --into"):
            before = sample_copy.read_bytes()  # they may write what they were given
        assert sample_copy.read_bytes() == before, name
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("out.") and
                p.suffix in (".csv", ".pdf") and p.stat().st_size == 0]


def test_find_damage_is_empty_for_the_sample(sample_copy):
    with ReportStore.open(sample_copy, readonly=True) as store:
        assert find_damage(store.db) == []


# -- read-only places ------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes into read-only folders; CI runs this as an ordinary user")
def test_a_report_in_a_read_only_folder_is_read_not_called_damaged(sample_copy, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    report = folder / "report.sqlite"
    report.write_bytes(sample_copy.read_bytes())
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        for args in (["tree", report], ["render", report], ["check", report, "--no-terms"],
                     ["indicators", report]):
            result = run_cli(*args)
            assert result.exit_code in (0, 1), result.output
            assert "damaged" not in result.output
        bind = run_cli("bind", report)
        assert bind.exit_code == 2 and "read-only" in bind.output
        with ReportStore.open(report, readonly=True) as store:
            assert "read-only" in store.readonly_reason
    finally:
        folder.chmod(stat.S_IRWXU)
    assert sorted(p.name for p in folder.iterdir()) == ["report.sqlite"]


def test_a_report_on_a_read_only_file_system_is_read(sample_copy, tmp_path):
    """A real read-only mount (in a user namespace of its own), where SQLite cannot make
    its side files: the report opens immutable and says it is read-only."""
    if not Path("/usr/bin/unshare").exists():
        pytest.skip("unshare is not installed")
    folder = tmp_path / "medium"
    folder.mkdir()
    (folder / "report.sqlite").write_bytes(sample_copy.read_bytes())
    script = (
        f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} && "
        f"{sys.executable} -m ipviewer tree {folder}/report.sqlite && "
        f"{sys.executable} -m ipviewer check {folder}/report.sqlite --no-terms --format json "
        f"> /dev/null; echo check=$?; {sys.executable} -m ipviewer bind {folder}/report.sqlite;"
        " echo bind=$?")
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True,
                          text=True, timeout=120, check=False)
    if "mount" in done.stderr and "permission denied" in done.stderr.lower():
        pytest.skip("no user namespaces here")
    assert "Intellectual Property" in done.stdout, done.stderr
    assert "check=1" in done.stdout  # the sample's real findings, not "damaged"
    assert "bind=2" in done.stdout and "read-only" in done.stderr
    assert "Traceback" not in done.stderr and "damaged" not in done.stderr


def test_opening_for_writing_a_read_only_file_says_so(sample_copy):
    sample_copy.chmod(stat.S_IRUSR)
    try:
        if os.access(sample_copy, os.W_OK):
            pytest.skip("root writes into read-only files; CI runs this as an ordinary user")
        with pytest.raises(StoreError, match="read-only"):
            ReportStore.open(sample_copy)
    finally:
        sample_copy.chmod(stat.S_IRUSR | stat.S_IWUSR)


# -- years -----------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["99999", "-5", "0", "1899", "2201"])
def test_years_outside_1900_to_2200_are_refused(year, tmp_path, sample_copy):
    source = tmp_path / "s.txt"
    source.write_text("# A report\n\nPatents granted reached 150,800.\n", encoding="utf-8")
    result = run_cli("import", source, "-o", tmp_path / "r.sqlite", "--year", year)
    assert result.exit_code == 2 and "1900" in result.output and "2200" in result.output
    assert not (tmp_path / "r.sqlite").exists()
    result = run_cli("indicators", "export", sample_copy, tmp_path / "v.csv", "--year", year)
    assert result.exit_code == 2 and not (tmp_path / "v.csv").exists()


def test_no_year_after_2200(sample_copy, tmp_path):
    sql(sample_copy, "UPDATE report SET year = 2200")
    result = run_cli("new-year", sample_copy, "-o", tmp_path / "next.sqlite")
    assert result.exit_code == 2 and "2200" in result.output
    assert not (tmp_path / "next.sqlite").exists()


# -- literal braces --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Use {{ }} here.", "A lone {{ brace.", "Ends }} here.",
                                  "{{Patents}} granted."])
def test_malformed_references_stop_bind_and_new_year_with_their_place(text, sample_copy,
                                                                      tmp_path):
    node = first_id(sample_copy, "SELECT id FROM nodes WHERE kind = 'paragraph' ORDER BY id")
    sql(sample_copy, f"UPDATE nodes SET text_en = '{text}' WHERE id = {node}")
    before = sample_copy.read_bytes()
    for args in (["bind", sample_copy], ["new-year", sample_copy, "-o", tmp_path / "n.sqlite"]):
        result = run_cli(*args)
        assert result.exit_code == 2, result.output
        assert "not a valid figure reference" in result.output and "(en)" in result.output
    assert sample_copy.read_bytes() == before
    assert not (tmp_path / "n.sqlite").exists()


# -- ids -------------------------------------------------------------------------------------


def test_deleted_ids_are_never_handed_out_again(sample_copy):
    with ReportStore.open(sample_copy) as store:
        last = store.db.execute("SELECT max(id) FROM nodes").fetchone()[0]
        parent = store.node_row(last)["parent_id"]
        store.delete_node(last)
        new = store.insert_node(parent, 0, {"kind": "paragraph", "text_en": "New."})
        assert new > last
        key = store.db.execute("SELECT max(id) FROM indicators").fetchone()[0]
        store.db.execute("DELETE FROM indicators WHERE id = ?", [key])
        store.upsert_indicators([{"key": "fresh", "year": 2024, "value": "1"}])
        assert store.db.execute("SELECT max(id) FROM indicators").fetchone()[0] > key


def test_an_older_report_keeps_its_ids_links_and_search_when_upgraded(sample_copy):
    """Rebuilt with AUTOINCREMENT (m005): same rows and ids, links, triggers, search."""
    old = sample_copy.with_name("old.sqlite")
    conn = sqlite3.connect(old)
    migrations.apply(Database(conn), stop_before="m005_ids_never_reused")
    conn.execute("ATTACH ? AS s", [str(sample_copy)])
    for table in ("report", "nodes", "indicators"):
        columns = ", ".join(r[1] for r in conn.execute(f"PRAGMA main.table_xinfo({table})")
                            if r[6] == 0)
        conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM s.{table}")
    conn.commit()
    conn.execute("DETACH s")
    assert "AUTOINCREMENT" not in conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'nodes'").fetchone()[0]
    conn.close()
    sample_copy = old
    conn = sqlite3.connect(sample_copy)
    before = {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
              for t in ("nodes", "indicators")}
    conn.close()
    with ReportStore.open(sample_copy) as store:  # brings it up to date
        for table, rows in before.items():  # later migrations add columns at the end
            after = store.db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            assert [row[:len(rows[0])] for row in after] == rows
        assert "AUTOINCREMENT" in store.db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'nodes'").fetchone()[0]
        assert store.search("pledge financing")
        revision = store.report()["revision"]
        section = store.db.execute("SELECT id FROM nodes WHERE kind = 'section'").fetchone()[0]
        linked = store.db.execute("SELECT count(*) FROM indicators i JOIN nodes n ON "
                                  "n.id = i.node_id WHERE n.parent_id = ?", [section]
                                  ).fetchone()[0]
        store.delete_node(section)  # foreign keys still cascade and unlink
        assert store.report()["revision"] > revision  # the change counter still counts
        assert store.db.execute("SELECT count(*) FROM nodes WHERE parent_id = ?",
                                [section]).fetchone()[0] == 0
        assert linked == 0 or store.db.execute(
            "SELECT count(*) FROM indicators WHERE node_id IS NULL").fetchone()[0] >= linked
        assert store.damage() == []


def test_bidi_overrides_never_reach_the_pdf(sample_copy, tmp_path):
    from pypdf import PdfReader

    sql(sample_copy, "UPDATE nodes SET text_en = 'Granted \u202egnirts\u202c and \u2066x\u2069.' "
                     "WHERE id = (SELECT min(id) FROM nodes WHERE kind = 'paragraph')")
    result = run_cli("export", sample_copy, "-o", tmp_path / "p.pdf", "--lang", "en",
                     "--no-charts", "--draft")
    assert result.exit_code == 0, result.output
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "p.pdf").pages)
    assert "gnirts" in text
    assert not set(text) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
