"""Tests for ipviewer.importing.source: reading import files, clean-up, language."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from ipviewer.importing.source import SourceError, clean_text, read_source

ZH = "2019年杭州市知识产权发展状况\n\n全年专利授权量达到61,200件，同比增长12.5%。\n"


def _error(path: Path) -> str:
    with pytest.raises(SourceError) as info:
        read_source(path)
    message = str(info.value)
    assert path.name in message and "\n" not in message
    assert info.value.path == str(path)
    return message


def test_reads_utf8_text(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("# Title\n\nPatents rose — “a lot”.\n", encoding="utf-8")
    assert read_source(path) == "# Title\n\nPatents rose — “a lot”.\n"
    assert read_source(str(path)) == read_source(path)


def test_bom_stripped_and_newlines_normalised(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffOne\r\nTwo\rThree\n".encode())
    assert read_source(path) == "One\nTwo\nThree\n"


def test_control_characters_removed(tmp_path: Path) -> None:
    path = tmp_path / "ctrl.txt"
    path.write_bytes(b"Pat\x07ents\tgranted\x1b.\nPage one\x0cPage two\x7f\n")
    assert read_source(path) == "Patents\tgranted.\nPage one\nPage two\n"


def test_gb18030_file(tmp_path: Path) -> None:
    path = tmp_path / "zh.txt"
    path.write_bytes(ZH.encode("gb18030"))
    assert read_source(path) == ZH


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes(ZH.encode("utf-16"))
    assert read_source(path) == ZH


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in _error(tmp_path / "nowhere.txt")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    assert "folder" in _error(folder)


def test_pdf(tmp_path: Path) -> None:
    path = tmp_path / "white-paper.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    assert "looks like a PDF file, not text" in _error(path)


def test_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "report.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("create table t (x)")
    db.close()
    assert "SQLite" in _error(path)


def test_binary(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 4)
    assert "binary" in _error(path)
    path.write_bytes(b"text\x01\x02\x03\x04\x05\x06\x07\x08" * 20)
    assert "binary" in _error(path)


def test_neither_utf8_nor_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(b"line one\nA caf\xe9 \xff\xfe.\n")
    message = _error(path)
    assert f"{path.name}:2: not valid UTF-8 (byte 0xE9)" in message and "--encoding" in message


def test_windows_1252_is_not_misread_as_chinese(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    data = "The \u2018Blue\u2019s naïve program didn\u2019t stop.\n".encode("cp1252")
    data.decode("gb18030")  # valid GB18030 bytes, but they would read as nonsense
    path.write_bytes(data)
    assert "UTF-8" in _error(path)


def test_empty_and_whitespace_only(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "empty" in _error(path)
    path.write_bytes(b" \r\n\t\n\xe3\x80\x80\n")
    assert "whitespace" in _error(path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("text", encoding="utf-8")
    path.chmod(0)
    try:
        assert "permission" in _error(path)
    finally:
        path.chmod(0o600)


def test_read_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.txt"
    path.write_text("text", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    assert "permission denied" in _error(path)


def test_clean_text() -> None:
    assert clean_text("\ufeffa\r\nb\rc\x00d\x85e\u2028f\tg\x9b") == "a\nb\ncd\ne\nf\tg"
    assert clean_text("plain") == "plain"
