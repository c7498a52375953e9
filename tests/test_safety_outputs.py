"""Outputs never destroy inputs: an output that is an input (by name, symlink or hard link),
an existing file without --force, a read-only file, and the temporary files of a killed
process. Every refusal is exit 2 with one line naming the file, and the inputs stay as
they were, byte for byte."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from ipviewer.i18n import catalog_path
from ipviewer.safe_write import (
    OutputError,
    check_output,
    replacing,
    sweep_leftovers,
    temporary_name,
)


@pytest.fixture
def catalog(tmp_path) -> Path:
    """A copy of the shipped glossary under a name that does not say .po."""
    path = tmp_path / "g.csv"
    path.write_bytes(catalog_path("zh_CN", "terminology").read_bytes())
    return path


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "source.txt"
    path.write_text("# IP in Testville in the Year 2030\n\nPatents granted reached 150,800.\n",
                    encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` with its bytes (hidden temporary files included)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def refused(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


# -- an output that is an input -----------------------------------------------------------

#: command -> (its arguments for an input and an output, which input is written over)
SAME_FILE_COMMANDS = {
    "export": (lambda i, o: ["export", i, "-o", o, "--lang", "en", "--force"], "report"),
    "indicators export": (lambda i, o: ["indicators", "export", i, o, "--force"], "report"),
    "new-year": (lambda i, o: ["new-year", i, "-o", o, "--force"], "report"),
    "import -o": (lambda i, o: ["import", i, "-o", o, "--force"], "source"),
    "import --into": (lambda i, o: ["import", i, "--into", o], "report"),
    "indicators import": (lambda i, o: ["indicators", "import", o, i], "report"),
    "terms export": (lambda i, o: ["terms", "export", o, "--catalog", i, "--force"], "catalog"),
    "terms import": (lambda i, o: ["terms", "import", i, "--catalog", o], "catalog"),
    "gui --screenshot": (lambda i, o: ["gui", i, "--screenshot", o, "--force"], "report"),
    "export --font": (lambda i, o: ["export", i.parent / "report.sqlite", "-o", o, "--font", i,
                                    "--force"], "font"),
}


@pytest.mark.parametrize("link", ["same name", "symlink", "hard link"])
@pytest.mark.parametrize("command", sorted(SAME_FILE_COMMANDS))
def test_an_output_that_is_an_input_is_refused(command, link, sample_copy, source, catalog,
                                               tmp_path):
    build, which = SAME_FILE_COMMANDS[command]
    font = tmp_path / "font.ttf"
    font.write_bytes(b"not really a font")
    given = {"report": sample_copy, "source": source, "catalog": catalog, "font": font}[which]
    output = given
    if link == "symlink":
        output = tmp_path / f"alias{given.suffix}"
        output.symlink_to(given)
    elif link == "hard link":
        output = tmp_path / f"alias{given.suffix}"
        os.link(given, output)
    before = snapshot(tmp_path)
    result = run_cli(*build(given, output))
    refused(result)
    assert any(w in result.output for w in ("input of this command", "itself")), result.output
    assert snapshot(tmp_path) == before


# -- existing and read-only outputs ---------------------------------------------------------

EXISTING_OUTPUT_COMMANDS = {
    "export": lambda r, s, out: ["export", r, "-o", out, "--lang", "en"],
    "indicators export": lambda r, s, out: ["indicators", "export", r, out.with_suffix(".csv")],
    "new-year": lambda r, s, out: ["new-year", r, "-o", out],
    "import -o": lambda r, s, out: ["import", s, "-o", out],
    "sample": lambda r, s, out: ["sample", "-o", out],
    "terms export": lambda r, s, out: ["terms", "export", out.with_suffix(".csv")],
    "gui --screenshot": lambda r, s, out: ["gui", r, "--screenshot", out],
}


@pytest.mark.parametrize("command", sorted(EXISTING_OUTPUT_COMMANDS))
def test_an_existing_output_is_kept_without_force(command, sample_copy, source, tmp_path):
    args = EXISTING_OUTPUT_COMMANDS[command](sample_copy, source, tmp_path / "out.bin")
    out = next(Path(a) for a in args if isinstance(a, Path) and a.name.startswith("out"))
    out.write_bytes(b"precious")
    before = snapshot(tmp_path)
    refused(run_cli(*args), str(out), "--force")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", sorted(EXISTING_OUTPUT_COMMANDS))
def test_a_read_only_output_is_kept_even_with_force(command, sample_copy, source, tmp_path):
    args = EXISTING_OUTPUT_COMMANDS[command](sample_copy, source, tmp_path / "out.bin")
    out = next(Path(a) for a in args if isinstance(a, Path) and a.name.startswith("out"))
    out.write_bytes(b"precious")
    out.chmod(stat.S_IRUSR | stat.S_IRGRP)
    before = snapshot(tmp_path)
    try:
        refused(run_cli(*args, "--force"), str(out), "read-only")
    finally:
        out.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert snapshot(tmp_path) == before


def test_force_replaces_an_ordinary_output(sample_copy, tmp_path):
    out = tmp_path / "out.csv"
    out.write_bytes(b"old")
    result = run_cli("indicators", "export", sample_copy, out, "--force")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbfkey,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "report.sqlite"]


def test_check_output_refuses_folders_missing_folders_and_non_files(tmp_path):
    with pytest.raises(OutputError, match="is a folder"):
        check_output(tmp_path, replace=True)
    with pytest.raises(OutputError, match="does not exist"):
        check_output(tmp_path / "nowhere" / "x.pdf")
    with pytest.raises(OutputError, match="not a file name"):
        check_output(Path(".."))
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.pdf"
        os.mkfifo(fifo)
        with pytest.raises(OutputError, match="not a regular file"):
            check_output(fifo, replace=True)


def test_a_missing_input_is_not_mistaken_for_the_output(tmp_path):
    check_output(tmp_path / "new.pdf", [tmp_path / "not-there.sqlite"])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes into read-only folders; CI runs this as an ordinary user")
def test_an_output_in_a_read_only_folder_is_refused(sample_copy, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        refused(run_cli("indicators", "export", sample_copy, folder / "x.csv"), "cannot be written")
    finally:
        folder.chmod(stat.S_IRWXU)
    assert list(folder.iterdir()) == []


# -- temporary files -----------------------------------------------------------------------


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def leftover(folder: Path, name: str, pid: int, suffix: str = "") -> Path:
    """A temporary file as a process ``pid`` of ours would have left it beside ``name``."""
    fresh = temporary_name(folder / name)
    host, _pid, rand = fresh.name.rsplit(".ipv-", 1)[1].removesuffix(".tmp").split("-")
    path = folder / f".{name}.ipv-{host}-{pid}-{rand}.tmp{suffix}"
    path.write_bytes(b"half a file")
    return path


def test_leftovers_of_a_killed_process_are_removed_on_the_next_write(sample_copy, tmp_path):
    pid = dead_pid()
    stale = [leftover(tmp_path, "out.pdf", pid), leftover(tmp_path, "out.sqlite", pid),
             leftover(tmp_path, "out.sqlite", pid, "-journal"),
             leftover(tmp_path, "out.sqlite", pid, "-wal")]
    alive = leftover(tmp_path, "out.pdf", os.getpid() if os.name == "nt" else os.getppid())
    foreign = tmp_path / ".out.pdf.12345.tmp"  # not ours: never touched
    foreign.write_bytes(b"someone else's")
    result = run_cli("indicators", "export", sample_copy, tmp_path / "values.csv")
    assert result.exit_code == 0, result.output
    assert not any(p.exists() for p in stale)
    assert alive.exists() and foreign.exists()


def test_old_leftovers_are_removed_whatever_their_process(tmp_path):
    old = leftover(tmp_path, "x.pdf", os.getppid())
    os.utime(old, (0, 0))
    assert sweep_leftovers(tmp_path) == [old]


def test_a_failed_write_removes_its_temporary_files(tmp_path):
    target = tmp_path / "r.sqlite"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), replacing(target) as tmp:
        tmp.write_bytes(b"new")
        Path(f"{tmp}-journal").write_bytes(b"journal")
        raise RuntimeError("stopped")
    assert snapshot(tmp_path) == {"r.sqlite": b"old"}


def test_a_killed_export_leaves_the_old_pdf_and_the_next_one_cleans_up(sample_copy, tmp_path):
    """A real process killed while it writes: the old PDF stays whole; the next export
    removes what the killed one left."""
    out = tmp_path / "paper.pdf"
    out.write_bytes(b"%PDF old")
    script = (
        "import os, signal, sys\n"
        "import ipviewer.safe_write as w\n"
        "target = sys.argv[2]\n"
        "real = w.os.replace\n"
        "def die(src, dst):\n"
        "    if str(dst) == target:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(src, dst)\n"
        "w.os.replace = die\n"
        "from ipviewer.cli import main\n"
        "sys.argv = ['ipviewer', 'export', sys.argv[1], '-o', sys.argv[2], '--lang', 'en',\n"
        "            '--no-charts', '--force', '--draft']\n"
        "main()\n"
    )
    if os.name != "posix":
        pytest.skip("SIGKILL is POSIX")
    killed = subprocess.run([sys.executable, "-c", script, str(sample_copy), str(out)],
                            capture_output=True, timeout=300, check=False)
    assert killed.returncode == -9
    assert out.read_bytes() == b"%PDF old"
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".paper.pdf.ipv-")]
    assert left, "the killed export should have left its temporary file"
    result = run_cli("export", sample_copy, "-o", out, "--lang", "en", "--no-charts", "--force",
                     "--draft")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".paper.pdf.")]


def test_temporary_names_are_hidden_and_beside_the_target(tmp_path):
    name = temporary_name(tmp_path / "report.sqlite")
    assert name.parent == tmp_path and name.name.startswith(".report.sqlite.ipv-")
    assert shutil.disk_usage(tmp_path)  # the folder is real
