"""A full disk in the middle of a write: exit 2 with a message, the old file byte-identical,
no temporary file left behind. Honestly where the test may mount a small tmpfs (a user
namespace of its own, as an ordinary user too); everywhere, by a fault injected at the write
call (``ENOSPC`` from the file system, SQLITE_FULL from SQLite's page limit)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import run_cli
from ipviewer import safe_write

#: What each command writes, given the folder on the small disk: (args, the file it writes).
COMMANDS = {
    "import -o": (lambda d, src: ["import", src, "-o", d / "old.sqlite", "--force"],
                  "old.sqlite"),
    "sample": (lambda d, src: ["sample", "-o", d / "old.sqlite", "--force"], "old.sqlite"),
    "new-year": (lambda d, src: ["new-year", d / "report.sqlite", "-o", d / "old.sqlite",
                                 "--force"], "old.sqlite"),
    "indicators import": (lambda d, src: ["indicators", "import", d / "report.sqlite",
                                          d / "values.csv"], "report.sqlite"),
    "export": (lambda d, src: ["export", d / "report.sqlite", "-o", d / "old.pdf", "--lang",
                               "en", "--no-charts", "--force", "--draft"], "old.pdf"),
    "indicators export": (lambda d, src: ["indicators", "export", d / "report.sqlite",
                                          d / "old.xlsx", "--force"], "old.xlsx"),
}

_INSIDE = textwrap.dedent("""
    # Runs in a mount namespace of its own, on a small tmpfs: fill it, run one command,
    # say what happened.
    import hashlib, json, os, subprocess, sys
    folder, command = sys.argv[1], json.loads(sys.argv[2])
    def digest(name):
        with open(os.path.join(folder, name), "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    before = {n: digest(n) for n in os.listdir(folder)}
    fd = os.open(os.path.join(folder, "filler"), os.O_WRONLY | os.O_CREAT)
    try:  # fill the disk, then give back about 8 KB
        while True:
            os.write(fd, bytes(4096))
    except OSError:
        os.close(fd)
    os.truncate(os.path.join(folder, "filler"), max(0, os.path.getsize(
        os.path.join(folder, "filler")) - 8192))
    before.pop("filler", None)
    done = subprocess.run([sys.executable, "-m", "ipviewer", *command], capture_output=True,
                          text=True, check=False)
    after = {n: digest(n) for n in os.listdir(folder) if n != "filler"}
    print(json.dumps({"code": done.returncode, "out": done.stdout, "err": done.stderr,
                      "before": before, "after": after}))
""")


def _small_disk_available() -> bool:
    if not shutil.which("unshare") or os.name != "posix":
        return False
    mount = ("mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || "
             "mount -t tmpfs -o size=64k tmpfs /tmp")
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", mount],
                           capture_output=True, check=False)
    return probe.returncode == 0


@pytest.fixture
def inputs(sample_copy, tmp_path) -> dict[str, Path]:
    """The files a command reads, and an old output of each kind to keep."""
    source = tmp_path / "source.md"
    source.write_text(run_cli("render", sample_copy, "--lang", "en").stdout, encoding="utf-8")
    values = tmp_path / "values.csv"
    values.write_text("key,year,value\n" + "".join(
        f"extra_{n},2024,{n}\n" for n in range(2000)), encoding="utf-8")
    return {"report.sqlite": sample_copy, "source.md": source, "values.csv": values,
            "old.sqlite": sample_copy, "old.pdf": None, "old.xlsx": None}


@pytest.mark.skipif(not _small_disk_available(), reason="no user namespaces to mount a tmpfs")
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_full_disk_keeps_the_old_file(command, inputs, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    stage = tmp_path / "stage"
    stage.mkdir()
    for name, path in inputs.items():
        if path is not None:
            shutil.copyfile(path, stage / name)
    (stage / "old.pdf").write_bytes(b"%PDF-1.4 the old paper")
    (stage / "old.xlsx").write_bytes(b"the old workbook")
    build, written = COMMANDS[command]
    args = [str(a) for a in build(disk, disk / "source.md")]
    script = tmp_path / "inside.py"
    script.write_text(_INSIDE, encoding="utf-8")
    size = sum(p.stat().st_size for p in stage.iterdir()) + 64 * 1024
    shell = (f'mount -t tmpfs -o size={size} tmpfs "$1" && cp -p "$2"/* "$1"/ && '
             f'exec "$3" "$4" "$1" "$5"')
    done = subprocess.run(["unshare", "-rm", "sh", "-c", shell, "sh", str(disk), str(stage),
                           sys.executable, str(script), json.dumps(args)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    message = seen["out"] + seen["err"]
    assert seen["code"] == 2, message
    assert "Traceback" not in message
    assert any(w in message for w in ("No space left", "disk is full", "disk I/O")), message
    assert seen["after"][written] == seen["before"][written]
    assert set(seen["after"]) <= set(seen["before"]) | {"report.sqlite-wal",
                                                        "report.sqlite-shm"}, seen["after"]


# -- the same faults injected where no tmpfs can be mounted ----------------------------------


def test_enospc_at_the_write_keeps_the_old_file(sample_copy, tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_write.os, "fsync", full)
    for name, args in {
        "old.pdf": ["export", sample_copy, "-o", tmp_path / "old.pdf", "--lang", "en",
                    "--no-charts", "--force", "--draft"],
        "old.xlsx": ["indicators", "export", sample_copy, tmp_path / "old.xlsx", "--force"],
        "old.csv": ["terms", "export", tmp_path / "old.csv", "--force"],
    }.items():
        (tmp_path / name).write_bytes(b"old contents")
        result = run_cli(*args)
        assert result.exit_code == 2, result.output
        assert "No space left" in result.output and "Traceback" not in result.output
        assert (tmp_path / name).read_bytes() == b"old contents"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.fixture
def page_limit(monkeypatch):
    """SQLite connections that may not grow their file beyond a few pages: SQLITE_FULL,
    exactly what SQLite reports on a full disk."""
    real = sqlite3.connect

    def limited(*args, **kwargs):
        conn = real(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {max(pages, 1) + 2}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", limited)


@pytest.mark.parametrize("command", ["import -o", "sample", "new-year", "indicators import"])
def test_sqlite_full_keeps_the_old_report(command, inputs, tmp_path, page_limit):
    folder = tmp_path / "out"
    folder.mkdir()
    for name in ("report.sqlite", "source.md", "values.csv", "old.sqlite"):
        shutil.copyfile(inputs[name], folder / name)
    build, written = COMMANDS[command]
    before = (folder / written).read_bytes()
    result = run_cli(*build(folder, folder / "source.md"))
    assert result.exit_code == 2, result.output
    assert "disk is full" in result.output and "Traceback" not in result.output
    assert (folder / written).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["old.sqlite", "report.sqlite",
                                                        "source.md", "values.csv"]
