"""Two programs at one report, for real (separate processes): commands that read, decide and
write wait for each other instead of failing or overwriting, a writer that holds the file
too long gets a one-line message, and readers are never blocked."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import run_cli
from ipviewer.store import ReportStore, report_file


def ipviewer(*args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ipviewer", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def hold_write_lock(report: Path, seconds: float) -> subprocess.Popen:
    """Another program in the middle of a write transaction on ``report`` for ``seconds``."""
    code = textwrap.dedent(f"""
        import sqlite3, sys, time
        conn = sqlite3.connect({str(report)!r}, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE report SET date_en = date_en")
        print("locked", flush=True)
        time.sleep({seconds})
        conn.execute("ROLLBACK")  # it changed nothing in the end
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


@pytest.fixture
def two_sides(sample_copy, tmp_path) -> tuple[Path, Path]:
    """An English-only report with literal figures, and its Chinese text to add."""
    texts = {}
    for lang in ("en", "zh"):
        result = run_cli("render", sample_copy, "--lang", lang)
        assert result.exit_code == 0
        texts[lang] = tmp_path / f"{lang}.md"
        texts[lang].write_text(result.stdout, encoding="utf-8")
    report = tmp_path / "english.sqlite"
    assert run_cli("import", texts["en"], "-o", report, "--year", "2024").exit_code == 0
    return report, texts["zh"]


@pytest.mark.parametrize("attempt", range(3))
def test_bind_and_import_into_at_once_both_land(attempt, two_sides, tmp_path):
    """`bind` and `import --into` started together: both finish (exit 0) and the report has
    both the bindings and the Chinese text, whichever went first."""
    original, zh = two_sides
    report = tmp_path / f"race{attempt}.sqlite"
    report.write_bytes(original.read_bytes())
    procs = [ipviewer("bind", report), ipviewer("import", zh, "--into", report)]
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
    for code, out, err in results:
        assert code == 0, (out, err)
        assert "locked" not in err and "Traceback" not in err
    alone = tmp_path / f"alone{attempt}.sqlite"
    alone.write_bytes(original.read_bytes())
    assert run_cli("bind", alone).exit_code == 0
    assert paragraphs(report)[0] == paragraphs(alone)[0]  # every binding made
    assert all(paragraphs(report)[1])  # and every Chinese paragraph added


def paragraphs(report: Path) -> tuple[list[str], list[str]]:
    """The English and the Chinese texts of the report's paragraphs."""
    with ReportStore.open(report, readonly=True) as store:
        nodes = [n for root in store.load_tree() for n in root.walk() if n.kind == "paragraph"]
    return [n.text_en for n in nodes], [n.text_zh for n in nodes]


def test_a_writer_waits_for_another_programs_write(sample_copy, tmp_path):
    values = tmp_path / "v.csv"
    values.write_text("key,year,value\npatents_granted,2024,150900\n", encoding="utf-8")
    holder = hold_write_lock(sample_copy, 1.0)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "ipviewer", "indicators", "import",
                           str(sample_copy), str(values)], capture_output=True, text=True,
                          timeout=120, check=False)
    waited = time.monotonic() - started
    holder.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    assert waited >= 0.5  # it waited for the other write instead of failing at once
    with ReportStore.open(sample_copy, readonly=True) as store:
        assert [r["value"] for r in store.indicator_rows(2024)
                if r["key"] == "patents_granted"] == ["150900"]


@pytest.mark.parametrize("command", ["indicators import", "bind", "import --into", "open"])
def test_a_report_busy_too_long_gets_a_clear_message(command, sample_copy, tmp_path,
                                                     monkeypatch):
    monkeypatch.setattr(report_file, "BUSY_TIMEOUT_MS", 300)
    values = tmp_path / "v.csv"
    values.write_text("key,year,value\npatents_granted,2024,150900\n", encoding="utf-8")
    zh = tmp_path / "zh.md"
    zh.write_text(run_cli("render", sample_copy, "--lang", "zh").stdout, encoding="utf-8")
    if command == "open":  # an older schema to bring up to date: a write on opening
        import sqlite3
        conn = sqlite3.connect(sample_copy)
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_sort_indexes'")
        conn.execute("DROP INDEX indicators_by_value")
        conn.commit()
        conn.close()
    args = {"indicators import": ["indicators", "import", sample_copy, values],
            "bind": ["bind", sample_copy],
            "import --into": ["import", zh, "--into", sample_copy, "--force"],
            "open": ["bind", sample_copy]}[command]
    before = sample_copy.read_bytes()
    holder = hold_write_lock(sample_copy, 5.0)
    try:
        started = time.monotonic()
        result = run_cli(*args)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2, result.output
    assert "is being changed by another program; try again" in result.output
    assert "Traceback" not in result.output
    assert 0.2 < waited < 4
    assert sample_copy.read_bytes() == before


def test_readers_are_not_blocked_by_a_writer(sample_copy):
    holder = hold_write_lock(sample_copy, 3.0)
    try:
        started = time.monotonic()
        for args in (["tree", sample_copy], ["check", sample_copy, "--no-terms"],
                     ["render", sample_copy]):
            assert run_cli(*args).exit_code in (0, 1)
        assert time.monotonic() - started < 2.5
    finally:
        holder.kill()
        holder.wait()
