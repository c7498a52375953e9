"""The command line: good input, bad input with exit code 2 and one line, no Qt for the CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ipviewer.cli import cli
from ipviewer.cli.indicator_commands import INDICATOR_FIELDS
from ipviewer.sample import build_sample


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def imported_seed(seed_path, tmp_path) -> Path:
    out = tmp_path / "report-2024.sqlite"
    result = run("import", str(seed_path), "-o", str(out), "--year", "2024")
    assert result.exit_code == 0, result.output
    return out


def indicator_records(report: Path) -> list[dict]:
    result = run("indicators", str(report), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def find(records, value, yoy=None):
    hits = [r for r in records if r["value"] == value]
    assert hits, f"no indicator with value {value}"
    if yoy is not None:
        assert any(r["yoy_pct"] == yoy for r in hits), (value, [r["yoy_pct"] for r in hits])
    return hits[0]


def test_import_seed_and_list_indicators(imported_seed):
    records = indicator_records(imported_seed)
    assert set(INDICATOR_FIELDS) <= set(records[0])
    find(records, 150800)
    find(records, 50700, 14.28)
    find(records, 6822, 10.3)
    find(records, 278700, 15.44)
    find(records, 57.9, 15.3)
    find(records, 242200, 2.7)
    find(records, 2789300, 6.7)
    assert find(records, 450000, 9.05)["qualifier"] in {"over", "more than"}
    find(records, 2223, 40.6)
    assert find(records, 32000000000, 62.3)["unit"] == "RMB"
    find(records, 47388, -28.28)
    find(records, 52061, -11.74)
    find(records, 362, 6.47)
    find(records, 2484, 12.04)
    find(records, 1923, 17.55)
    pct = find(records, 6822)
    assert pct["year"] == 2024 and "PCT" in pct["source_text"] and pct["label_en"]
    assert len({r["key"] for r in records}) == len(records)


def test_indicators_csv_and_table(imported_seed):
    result = run("indicators", str(imported_seed), "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert tuple(rows[0]) == INDICATOR_FIELDS
    assert any(r["value"] == "150800" for r in rows)
    table = run("indicators", str(imported_seed), "--sort", "value")
    assert table.exit_code == 0
    largest = max(rows, key=lambda r: float(r["value"]))
    assert table.output.splitlines()[-1].startswith(largest["key"] + " ")


def test_tree_of_the_seed(imported_seed):
    result = run("tree", str(imported_seed), "--lang", "en")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Intellectual Property Development in Shanghai in the Year 2024 (2024)"
    assert lines[1].startswith("  Overview")
    parts = [line.strip() for line in lines if line.startswith("  ") and not
             line.startswith("    ")]
    assert [p.split(".")[0] for p in parts[1:]] == ["I", "II", "III", "IV", "V"]
    assert any("Enhance the supply of IP regulatory frameworks." in line for line in lines)


def test_tree_shows_both_languages(tmp_path):
    build_sample(tmp_path / "s.sqlite").close()
    result = run("tree", str(tmp_path / "s.sqlite"))
    assert result.exit_code == 0
    assert "Overview | 综述" in result.output
    assert "I. Strengthen IP Institutional Safeguards | 一、强化知识产权制度保障" in result.output


def test_import_refuses_to_overwrite(imported_seed, seed_path):
    before = imported_seed.read_bytes()
    result = run("import", str(seed_path), "-o", str(imported_seed))
    assert result.exit_code == 2
    assert "already exists" in result.output and str(imported_seed) in result.output
    assert imported_seed.read_bytes() == before
    again = run("import", str(seed_path), "-o", str(imported_seed), "--force")
    assert again.exit_code == 0


def test_year_is_taken_from_the_title(seed_path, tmp_path):
    out = tmp_path / "r.sqlite"
    assert run("import", str(seed_path), "-o", str(out)).exit_code == 0
    assert "(2024)" in run("tree", str(out)).output.splitlines()[0]


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"   \n\n  \t\n", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00\x01", "PDF"),
        (b"SQLite format 3\x00" + bytes(200), "not text"),
    ],
)
def test_import_bad_files(tmp_path, content, message):
    source = tmp_path / "input.txt"
    if content is not None:
        source.write_bytes(content)
    out = tmp_path / "out.sqlite"
    result = run("import", str(source), "-o", str(out), "--year", "2024")
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "input.txt" in line and message.lower() in line.lower()
    assert not out.exists()


def test_import_needs_a_year_when_the_title_has_none(tmp_path):
    source = tmp_path / "notes.txt"
    source.write_text("# Notes\n\nPatents granted reached 1,200.\n", encoding="utf-8")
    result = run("import", str(source), "-o", str(tmp_path / "o.sqlite"))
    assert result.exit_code == 2 and "--year" in result.output


def test_import_gb18030_chinese(tmp_path):
    source = tmp_path / "report.txt"
    text = ("# 2019年某市知识产权发展状况\n\n## 一、加强知识产权保护\n\n"
            "【强化司法保护】全市法院受理知识产权案件4738件，同比下降2.8%。\n")
    source.write_bytes(text.encode("gb18030"))
    out = tmp_path / "o.sqlite"
    result = run("import", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "(zh, 2019)" in result.output
    records = indicator_records(out)
    find(records, 4738, -2.8)


@pytest.mark.parametrize("command", ["indicators", "tree"])
def test_reading_commands_on_bad_reports(tmp_path, command):
    missing = run(command, str(tmp_path / "nope.sqlite"))
    assert missing.exit_code == 2 and "no such file" in missing.output
    text = tmp_path / "text.sqlite"
    text.write_text("hello " * 300)
    result = run(command, str(text))
    assert result.exit_code == 2 and "not a report database" in result.output
    assert "text.sqlite" in result.output


def test_cli_does_not_load_qt(imported_seed):
    code = (
        "import sys\n"
        "from ipviewer.cli import main\n"
        f"sys.argv = ['ipviewer', 'tree', {str(imported_seed)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Overview" in done.stdout


def test_console_script_exit_code(tmp_path):
    """The installed command itself (not the test runner) exits 2 with one line."""
    exe = Path(sys.executable).with_name("ipviewer")
    if not exe.exists():
        pytest.skip("the ipviewer console script is not installed next to this Python")
    done = subprocess.run([str(exe), "tree", str(tmp_path / "x.sqlite")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "x.sqlite" in done.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root writes into read-only folders; CI runs this as an ordinary user")
def test_import_into_a_read_only_folder(seed_path, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run("import", str(seed_path), "-o", str(folder / "r.sqlite"))
        assert result.exit_code == 2 and "locked cannot be written" in result.output
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)
