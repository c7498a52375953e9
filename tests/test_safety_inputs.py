"""Every input file is read safely: regular files only, bounded, empty files named empty.

The hostile files (named pipes, devices, folders, sockets, empty files, files that lie
about their size) are made inside each test. A named pipe would make a careless reader
wait forever, so every command runs in a thread with a timeout: a regression fails, it
does not hang the suite.
"""

from __future__ import annotations

import io
import os
import socket
import stat
import sys
import tempfile
import threading
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from ipviewer.cli import cli
from ipviewer.importing import source
from ipviewer.importing.source import SourceError, read_source
from ipviewer.indicator_files import IndicatorFileError, read_indicator_file
from ipviewer.input_files import InputError, check_input, read_input, read_stream
from ipviewer.terms import Catalog, CatalogError, ExchangeError, read_terms

POSIX = os.name == "posix"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
ROOT = POSIX and os.geteuid() == 0

REPORT_TEXT = "# Intellectual Property in the Year 2024\n\nPatents granted reached 1,200.\n"
CATALOG = ('msgid ""\nmsgstr ""\n"Project-Id-Version: t\\n"\n"PO-Revision-Date: 2024-01-01\\n"\n'
           '"Last-Translator: t\\n"\n"Language-Team: t\\n"\n"Language: zh_CN\\n"\n'
           '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
           '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
           'msgctxt "patent"\nmsgid "invention patent"\nmsgstr "发明专利"\n')


def unblock(path: Path) -> None:
    """Release a reader stuck on the named pipe ``path`` (open for writing, then close)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass


def call(function, *args, pipes: tuple[Path, ...] = (), timeout: float = 30, **kwargs):
    """``function(*args, **kwargs)`` in a thread; fails the test if it does not return
    within ``timeout`` seconds (after releasing any reader stuck on ``pipes``)."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 (re-raised in the test's thread)
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        for pipe in pipes:
            unblock(pipe)
        thread.join(5)
        pytest.fail(f"{getattr(function, '__name__', function)} did not return within "
                    f"{timeout} s (it waited on a named pipe or an endless file)")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


def run(*args: object, pipes: tuple[Path, ...] = ()):
    return call(CliRunner().invoke, cli, [str(a) for a in args], catch_exceptions=False,
                pipes=pipes)


def refused(result, name: str, words: str) -> str:
    """The one-line message of a command refused with exit code 2."""
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message, message
    assert name in message and words in message, message
    return message


# -- the module ------------------------------------------------------------------------------


def test_reads_a_regular_file_and_a_link_to_one(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    assert read_input(path, 3) == b"abc"
    assert read_input(str(path), 3) == b"abc"
    link = tmp_path / "link.txt"
    link.symlink_to(path)
    assert read_input(link, 100) == b"abc"
    assert check_input(link, 100).st_size == 3
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    with pytest.raises(InputError, match="dangling.txt: no such file"):
        read_input(tmp_path / "dangling.txt", 100)


def test_missing_and_empty(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nowhere.txt: no such file"):
        read_input(tmp_path / "nowhere.txt", 100)
    with pytest.raises(InputError, match="no such file"):
        read_input(tmp_path / "nowhere" / "below.txt", 100)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty.txt: is empty \(0 bytes\)"):
        read_input(empty, 100)
    with pytest.raises(InputError, match="is empty"):
        check_input(empty, 100)


def test_too_large_is_refused_from_its_size_without_reading(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "big.txt"
    with open(path, "wb") as handle:
        handle.truncate(3 * 2**20 + 2**19)  # sparse: no disk used
    monkeypatch.setattr(os, "open", lambda *a, **k: pytest.fail("opened a file known too big"))
    with pytest.raises(InputError, match=r"big.txt: is too large \(3.5 MB\); the limit is 2 MB"):
        read_input(path, 2 * 2**20)
    with pytest.raises(InputError, match="is too large"):
        check_input(path, 2 * 2**20)


def test_a_file_longer_than_its_size_says_is_bounded(tmp_path: Path, monkeypatch) -> None:
    """A file that grows while it is read (or lies about its size, as /proc files do) is
    read to the limit plus one byte and no further."""
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 10_000)
    real_stat, real_fstat = os.stat, os.fstat

    def small(result: os.stat_result) -> os.stat_result:
        fields = list(result)
        fields[stat.ST_SIZE] = 10
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", lambda p, *a, **k: small(real_stat(p, *a, **k)))
    monkeypatch.setattr(os, "fstat", lambda fd: small(real_fstat(fd)))
    sizes: list[int] = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: sizes.append(n) or real_read(fd, n))
    with pytest.raises(InputError, match=r"growing.txt: is too large \(more than 100 bytes\)"):
        read_input(path, 100)
    assert sum(sizes) <= 101


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc here")
def test_proc_files_are_read_despite_their_zero_size() -> None:
    assert b"Name:" in read_input("/proc/self/status", 1_000_000)
    with pytest.raises(InputError, match="is too large"):
        read_input("/proc/self/status", 10)


def test_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a file"):
        read_input(tmp_path, 100)
    with pytest.raises(InputError, match="is a folder"):
        check_input(tmp_path, 100)


@needs_fifo
def test_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    with pytest.raises(InputError, match=r"pipe.txt: is a named pipe \(FIFO\), not a file"):
        call(read_input, pipe, 100, pipes=(pipe,))
    with pytest.raises(InputError, match="named pipe"):
        call(check_input, pipe, 100, pipes=(pipe,))


@needs_fifo
def test_a_pipe_swapped_in_after_the_check_is_caught_on_the_open_file(
        tmp_path: Path, monkeypatch) -> None:
    """Between stat() and open() the path may change: the file opened is checked again,
    and opening it never waits."""
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    regular = tmp_path / "regular.txt"
    regular.write_bytes(b"text")
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: real_stat(regular))
    with pytest.raises(InputError, match="named pipe"):
        call(read_input, pipe, 100, pipes=(pipe,))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_devices_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"/dev/zero: is a device \(such as /dev/zero\)"):
        call(read_input, "/dev/zero", 100)
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="zero.csv: is a device"):
        call(read_input, link, 100)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets here")
def test_socket_is_refused() -> None:
    folder = tempfile.mkdtemp(prefix="ipv")  # short: socket paths are limited to ~100 bytes
    path = os.path.join(folder, "s.txt")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(path)
        with pytest.raises(InputError, match="s.txt: is a socket, not a file"):
            call(read_input, path, 100)
    finally:
        server.close()
        os.unlink(path)
        os.rmdir(folder)


def test_permission_denied_is_one_line(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_bytes(b"text")

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(InputError, match="locked.txt: cannot be read: permission denied"):
        read_input(path, 100)


def test_other_os_errors_are_one_line(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "flaky.txt"
    path.write_bytes(b"text")

    def fail(fd: int, n: int) -> bytes:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "read", fail)
    with pytest.raises(InputError, match="flaky.txt: cannot be read: Input/output error"):
        read_input(path, 100)


@pytest.mark.skipif(not POSIX or ROOT, reason="root reads unreadable files; CI runs as a user")
def test_unreadable_file_for_real(tmp_path: Path) -> None:
    path = tmp_path / "locked.csv"
    path.write_bytes(b"key,year,value\n")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="locked.csv: cannot be read: permission denied"):
            read_input(path, 100)
        result = run("indicators", "import", tmp_path / "r.sqlite", path)
        refused(result, "locked.csv", "permission denied")
    finally:
        path.chmod(0o600)


def test_streams_are_bounded_too() -> None:
    assert read_stream(io.BytesIO(b"abc"), 3, "standard input") == b"abc"
    with pytest.raises(InputError, match=r"standard input: is too large \(more than 2 bytes\)"):
        read_stream(io.BytesIO(b"abc"), 2, "standard input")
    with pytest.raises(InputError, match="standard input: is empty"):
        read_stream(io.BytesIO(b""), 2, "standard input")


def test_the_callers_keep_their_error_types(tmp_path: Path) -> None:
    empty_txt, empty_csv, empty_po = (tmp_path / n for n in ("e.txt", "e.csv", "e.po"))
    for path in (empty_txt, empty_csv, empty_po):
        path.write_bytes(b"")
    with pytest.raises(SourceError, match="e.txt: is empty"):
        read_source(empty_txt)
    with pytest.raises(IndicatorFileError, match="e.csv: is empty"):
        read_indicator_file(empty_csv)
    with pytest.raises(ExchangeError, match="e.csv: is empty"):
        read_terms(empty_csv)
    with pytest.raises(CatalogError, match="e.po: is empty"):
        Catalog.load(empty_po)


def test_each_kind_keeps_its_own_limit(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT_TEXT * 10, encoding="utf-8")
    monkeypatch.setattr(source, "MAX_BYTES", 100)
    with pytest.raises(SourceError, match="report.txt: is too large"):
        read_source(path)


def test_xlsx_is_parsed_from_the_bytes_read(tmp_path: Path, monkeypatch) -> None:
    """openpyxl never opens the path: it only gets the bounded bytes we read."""
    path = tmp_path / "values.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["key", "year", "value"])
    workbook.active.append(["patents_granted", 2024, 150800])
    workbook.save(path)
    real_load = openpyxl.load_workbook
    given: list[object] = []
    monkeypatch.setattr(openpyxl, "load_workbook",
                        lambda source, **kw: given.append(source) or real_load(source, **kw))
    rows = read_indicator_file(path)
    assert [(r.key, int(r.value)) for r in rows] == [("patents_granted", 150800)]
    assert len(given) == 1 and isinstance(given[0], io.BytesIO)


# -- every command that reads a file ----------------------------------------------------------


@pytest.fixture
def report(tmp_path: Path) -> Path:
    text = tmp_path / "report.txt"
    text.write_text(REPORT_TEXT, encoding="utf-8")
    path = tmp_path / "report.sqlite"
    result = CliRunner().invoke(cli, ["import", str(text), "-o", str(path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "glossary.po"
    path.write_text(CATALOG, encoding="utf-8")
    return path


#: Each command with ``{input}`` where the hostile file goes, and its file name suffix.
COMMANDS = {
    "import -o": ("import {input} -o {out}/new.sqlite --year 2024", ".txt"),
    "import --into": ("import {input} --into {report} --lang zh", ".txt"),
    "indicators import csv": ("indicators import {report} {input}", ".csv"),
    "indicators import xlsx": ("indicators import {report} {input}", ".xlsx"),
    "terms import csv": ("terms import {input} --catalog {catalog}", ".csv"),
    "terms import tbx": ("terms import {input} --catalog {catalog}", ".tbx"),
    "terms import po": ("terms import {input} --catalog {catalog}", ".po"),
    "terms find --file": ("terms find --file {input} --catalog {catalog}", ".txt"),
    "terms check": ("terms check {input}", ".po"),
    "terms list --catalog": ("terms list --catalog {input}", ".po"),
    "terms import --catalog": ("terms import {terms} --catalog {input}", ".po"),
    "check --catalog": ("check {report} --catalog {input}", ".po"),
    "export --font": ("export {report} -o {out}/out.pdf --font {input}", ".ttf"),
}


def make_hostile(kind: str, folder: Path, suffix: str) -> Path:
    path = folder / f"hostile{suffix}"
    if kind == "named pipe":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes here")
        os.mkfifo(path)
    elif kind == "device":
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero here")
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    else:
        path.write_bytes(b"")
    return path


EXPECTED = {"named pipe": "is a named pipe (FIFO), not a file",
            "device": "is a device (such as /dev/zero), not a file",
            "folder": "is a folder, not a file",
            "empty": "is empty (0 bytes)"}


@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_refuses_hostile_input(tmp_path: Path, report: Path, catalog: Path,
                                             command: str, kind: str) -> None:
    template, suffix = COMMANDS[command]
    hostile_dir = tmp_path / "in"
    hostile_dir.mkdir()
    hostile = make_hostile(kind, hostile_dir, suffix)
    out = tmp_path / "out"
    out.mkdir()
    terms = tmp_path / "terms.csv"
    terms.write_text("english,chinese\npatent,专利\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (report, catalog, terms)}
    args = template.format(input=hostile, out=out, report=report, catalog=catalog,
                           terms=terms).split()
    result = run(*args, pipes=(hostile,) if kind == "named pipe" else ())
    refused(result, "hostile" + suffix, EXPECTED[kind])
    assert {p: p.read_bytes() for p in before} == before, "an input was changed"
    assert list(out.iterdir()) == [], "an output was written"


def test_standard_input_for_terms_find_is_bounded(catalog: Path, monkeypatch) -> None:
    from ipviewer import terms as terms_package

    monkeypatch.setattr(terms_package, "MAX_BYTES", 10)
    result = CliRunner().invoke(cli, ["terms", "find", "--file", "-", "--catalog",
                                      str(catalog)], input="invention patent " * 10,
                                catch_exceptions=False)
    refused(result, "standard input", "is too large (more than 10 bytes)")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")
def test_import_reads_nothing_when_the_source_is_refused(tmp_path: Path, report: Path) -> None:
    """``import --into`` with a refused source leaves the report byte for byte as it was,
    and ``import -o --force`` leaves an existing output alone."""
    existing = tmp_path / "existing.sqlite"
    existing.write_bytes(report.read_bytes())
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("import", empty, "-o", existing, "--force")
    refused(result, "empty.txt", "is empty")
    assert existing.read_bytes() == report.read_bytes()
