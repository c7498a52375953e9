"""Text is decoded with evidence: certain encodings are read, uncertain ones refused with the
candidates named and ``--encoding``; invalid bytes never reach a report or a glossary.

Every file is generated here, in the encoding under test, from texts in the report's style.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ipviewer.cli import cli
from ipviewer.importing.source import SourceError, read_source
from ipviewer.indicator_files import IndicatorFileError, read_indicator_file
from ipviewer.terms import ExchangeError, read_terms
from ipviewer.text_decoding import DecodeError, check_encoding, decode_text

#: Simplified Chinese in the white paper's style (the common characters real text uses).
ZH = ("# 2019年某市知识产权发展状况\n\n## 一、加强知识产权保护\n\n"
      "**强化司法保护。**全市法院受理知识产权案件4738件，同比下降2.8%。全年专利授权量达到"
      "61,200件，同比增长12.5%，其中发明专利授权量12,300件。\n\n"
      "**完善行政执法。**知识产权质押融资金额达到320亿元，同比增长62.3%。\n")
#: The same in Traditional Chinese (encodable in Big5).
ZH_TRADITIONAL = ("# 2019年某市智慧財產權發展狀況\n\n## 一、加強智慧財產權保護\n\n"
                  "【強化司法保護】全市法院受理智慧財產案件4738件，較上年下降2.8%。全年專利"
                  "核准量達到61,200件，較上年增長12.5%，其中發明專利核准量12,300件。\n")
JAPANESE = ("# 2019年の知的財産の状況\n\n特許の登録件数は61,200件で、前年比12.5%増加しました。"
            "裁判所が受理した知的財産事件は4738件でした。\n")
WESTERN = ("# Intellectual Property in the Year 2019\n\nThe city\u2019s courts accepted "
           "4,738 cases \u2014 a \u201cdecrease\u201d of 2.8% \u2026 caf\u00e9 na\u00efve.\n")


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def refused(result, *words: str) -> str:
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message, message
    for word in words:
        assert word in message, message
    return message


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- deciding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "codec", "text"), [
    (ZH.encode("utf-8"), "utf-8", ZH),
    (codecs.BOM_UTF8 + ZH.encode("utf-8"), "utf-8-sig", ZH),
    (ZH.encode("utf-16"), "utf-16", ZH),
    (codecs.BOM_UTF16_BE + ZH.encode("utf-16-be"), "utf-16", ZH),
    (ZH.encode("utf-32"), "utf-32", ZH),
    (codecs.BOM_UTF32_BE + ZH.encode("utf-32-be"), "utf-32", ZH),
    (WESTERN.encode("utf-16-le"), "utf-16-le", WESTERN),
    (WESTERN.encode("utf-16-be"), "utf-16-be", WESTERN),
    (ZH.encode("utf-16-le"), "utf-16-le", ZH),
    (ZH.encode("utf-16-be"), "utf-16-be", ZH),
    (ZH.encode("gb18030"), "gb18030", ZH),
    (ZH_TRADITIONAL.encode("big5"), "big5", ZH_TRADITIONAL),
], ids=["utf-8", "utf-8 BOM", "utf-16 BOM", "utf-16-be BOM", "utf-32 BOM", "utf-32-be BOM",
        "utf-16-le en", "utf-16-be en", "utf-16-le zh", "utf-16-be zh", "gb18030", "big5"])
def test_certain_encodings_are_read_exactly(data: bytes, codec: str, text: str) -> None:
    decoded = decode_text(data)
    assert (decoded.encoding, decoded.text) == (codec, text)
    # Byte order marks and UTF-8 are certain; the others are recognised from evidence.
    assert decoded.guessed == (codec not in ("utf-8", "utf-8-sig", "utf-16", "utf-32"))


def test_big5_is_never_read_as_gb18030() -> None:
    """The issue's case: Big5 bytes are valid GB18030, and used to become mojibake."""
    data = ZH_TRADITIONAL.encode("big5")
    data.decode("gb18030")  # it "decodes" …
    assert decode_text(data).text == ZH_TRADITIONAL  # … but is read as what it is
    for length in (12, 30, 60):  # short pieces are refused or read right, never as GB18030
        piece = ZH_TRADITIONAL[40:40 + length].encode("big5")
        try:
            decoded = decode_text(piece)
        except DecodeError as exc:
            assert "--encoding" in exc.reason
        else:
            assert decoded.encoding == "big5" and decoded.text == ZH_TRADITIONAL[40:40 + length]


@pytest.mark.parametrize(("data", "line", "candidate"), [
    (JAPANESE.encode("shift_jis"), 1, "cp932"),
    (WESTERN.encode("cp1252"), 3, "cp1252"),
    ("key,label\nabc,Caf\u00e9 cr\u00e8me\n".encode("latin-1"), 2, "cp1252"),
    ("english,chinese\npatent,专利\n".encode("gbk"), 2, "gb18030"),
], ids=["shift-jis", "windows-1252", "latin-1", "short gbk"])
def test_uncertain_encodings_are_refused_with_candidates(data: bytes, line: int,
                                                         candidate: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_text(data)
    error = caught.value
    assert error.line == line
    assert error.reason.startswith("not valid UTF-8 (byte 0x")
    assert candidate in error.reason and "--encoding NAME" in error.reason


def test_damaged_and_mixed_utf8_is_refused_as_such() -> None:
    utf8 = ZH.encode("utf-8")
    damaged = utf8[:60] + b"\xff" + utf8[60:]
    with pytest.raises(DecodeError, match="the rest of the file .* is UTF-8") as caught:
        decode_text(damaged)
    assert caught.value.line == ZH.encode()[:60].count(b"\n") + 1
    mixed = utf8 + ZH.encode("gb18030")
    with pytest.raises(DecodeError, match="mixes two encodings") as caught:
        decode_text(mixed)
    assert caught.value.line == ZH.count("\n") + 1


@pytest.mark.parametrize("data", [
    bytes(range(128, 256)) * 4,
    b"%PDF-1.7\n" + bytes(range(256)),
    b"abc\x00def",
    b"text\x01\x02\x03\x04\x05\x06\x07\x08" * 20,
], ids=["high bytes", "pdf", "nul", "controls"])
def test_garbage_is_refused(data: bytes) -> None:
    with pytest.raises(DecodeError, match="binary|PDF|cannot be recognised|encoding"):
        decode_text(data)


def test_a_byte_order_mark_with_invalid_text_is_refused_at_its_line() -> None:
    data = codecs.BOM_UTF8 + b"one\ntwo\n" + b"\xff\n"
    with pytest.raises(DecodeError, match="UTF-8 byte order mark but is not valid") as caught:
        decode_text(data)
    assert caught.value.line == 3


def test_a_given_encoding_is_used_strictly() -> None:
    assert decode_text(WESTERN.encode("cp1252"), "cp1252").text == WESTERN
    assert decode_text(ZH.encode("gbk"), "GBK").text == ZH
    assert decode_text(codecs.BOM_UTF8 + b"abc", "utf-8").text == "abc"
    with pytest.raises(DecodeError, match=r"not valid UTF-8 text \(byte 0xE2\)") as caught:
        decode_text("line one\nline two\n\u201cthree\u201d".encode("cp1252").replace(
            b"\x93", b"\xe2"), "utf-8")
    assert caught.value.line == 3
    with pytest.raises(DecodeError, match="not valid Big5 text") as caught:
        decode_text(b"ok\nok\n\xa4\n", "big5")
    assert caught.value.line == 3


@pytest.mark.parametrize("name", ["nope", "base64", "rot13", "zlib", "undefined", ""])
def test_unknown_encoding_names(name: str) -> None:
    with pytest.raises(DecodeError, match="unknown encoding"):
        check_encoding(name)
    with pytest.raises(DecodeError, match="unknown encoding"):
        decode_text(b"abc", name)
    assert check_encoding("GB18030") == "gb18030"
    assert check_encoding("Big5") == "big5"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_decode_exactly_or_raise_our_error(data: bytes) -> None:
    try:
        decoded = decode_text(data)
    except DecodeError:
        return
    # Strict: the text is exactly what the bytes say in that encoding, nothing replaced.
    assert decoded.text == data.decode(decoded.encoding).removeprefix("\ufeff")


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(["gb18030", "big5", "shift_jis", "cp1252", "utf-16-le", "utf-16-be"]),
       st.data())
def test_texts_in_any_encoding_are_read_right_or_refused(codec: str, data) -> None:
    """Never mojibake: a text of some length, in the characters of its kind of document,
    comes back exactly or not at all. (Two or three characters can be valid UTF-8 by
    chance, which is why the texts are not shorter.)"""
    source = {"gb18030": ZH, "big5": ZH_TRADITIONAL, "shift_jis": JAPANESE,
              "cp1252": WESTERN}.get(codec, ZH + WESTERN)
    text = data.draw(st.text(alphabet=sorted(set(source)), min_size=30, max_size=300))
    try:
        decoded = decode_text(text.encode(codec))
    except DecodeError as exc:
        assert "--encoding" in exc.reason or "binary" in exc.reason
    else:
        assert decoded.text == text


# -- the readers ------------------------------------------------------------------------------


def test_report_text_in_gb18030_big5_and_utf16(tmp_path: Path) -> None:
    assert read_source(write(tmp_path / "gb.txt", ZH.encode("gb18030"))) == ZH
    assert read_source(write(tmp_path / "big5.txt", ZH_TRADITIONAL.encode("big5"))) == \
        ZH_TRADITIONAL
    assert read_source(write(tmp_path / "u16.txt", ZH.encode("utf-16-le"))) == ZH
    path = write(tmp_path / "ja.txt", JAPANESE.encode("shift_jis"))
    with pytest.raises(SourceError) as caught:
        read_source(path)
    assert str(caught.value).startswith(f"{path}:1: not valid UTF-8")
    assert read_source(path, "shift_jis") == JAPANESE


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_as_a_report_text_or_csv(tmp_path_factory, data: bytes) -> None:
    """Never anything but our own error."""
    folder = tmp_path_factory.mktemp("bytes")
    for path, read, error in (
            (folder / "r.txt", read_source, SourceError),
            (folder / "v.csv", read_indicator_file, IndicatorFileError),
            (folder / "t.csv", read_terms, ExchangeError)):
        path.write_bytes(data)
        try:
            result = read(path)
        except error as exc:
            assert str(exc).startswith(str(path)) and "Traceback" not in str(exc)
        else:
            assert "\ufffd" not in str(result) or "\ufffd" in data.decode("utf-8", "ignore")


# -- the command line -------------------------------------------------------------------------


def tree_titles(report: Path) -> str:
    result = run("tree", report)
    assert result.exit_code == 0, result.output
    return result.output


def test_import_big5_reads_traditional_chinese_not_mojibake(tmp_path: Path) -> None:
    source = write(tmp_path / "big5.txt", ZH_TRADITIONAL.encode("big5"))
    out = tmp_path / "r.sqlite"
    result = run("import", source, "-o", out)
    assert result.exit_code == 0, result.output
    assert "加強智慧財產權保護" in tree_titles(out)


def test_import_refuses_windows_1252_then_reads_it_with_encoding(tmp_path: Path) -> None:
    source = write(tmp_path / "western.txt", WESTERN.encode("cp1252"))
    out = tmp_path / "r.sqlite"
    message = refused(run("import", source, "-o", out), f"{source}:3: not valid UTF-8",
                      "cp1252", "--encoding")
    assert "byte 0x92" in message
    assert not out.exists()
    result = run("import", source, "-o", out, "--encoding", "cp1252")
    assert result.exit_code == 0, result.output
    rendered = run("render", out).output
    assert "city\u2019s courts" in rendered and "caf\u00e9 na\u00efve" in rendered


def test_import_with_a_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    source = write(tmp_path / "western.txt", WESTERN.encode("cp1252"))
    refused(run("import", source, "-o", tmp_path / "r.sqlite", "--encoding", "utf-8"),
            f"{source}:3: not valid UTF-8 text (byte 0x92)")
    refused(run("import", source, "-o", tmp_path / "r.sqlite", "--encoding", "klingon"),
            "--encoding", 'unknown encoding "klingon"')
    assert not (tmp_path / "r.sqlite").exists()


def test_import_into_with_encoding(tmp_path: Path) -> None:
    english = write(tmp_path / "en.txt", (
        b"# Intellectual Property in the Year 2019\n\n## I. Strengthening IP protection\n\n"
        b"**Judicial protection.** The courts accepted 4,738 IP cases, down 2.8%. Patents "
        b"granted reached 61,200, up 12.5%, of which invention patents 12,300.\n\n"
        b"**Administrative enforcement.** Pledge financing reached 32 billion RMB, up 62.3%.\n"
    ))
    report = tmp_path / "r.sqlite"
    assert run("import", english, "-o", report).exit_code == 0
    before = report.read_bytes()
    chinese = write(tmp_path / "zh.txt", ZH.encode("gbk"))
    short = write(tmp_path / "short.txt", "# 报告\n\n专利\n".encode("gbk"))
    refused(run("import", short, "--into", report, "--lang", "zh"), "short.txt:", "--encoding")
    assert report.read_bytes() == before
    result = run("import", chinese, "--into", report, "--encoding", "gbk")
    assert result.exit_code == 0, result.output
    assert "加强知识产权保护" in tree_titles(report)


def test_indicators_import_with_encoding(tmp_path: Path) -> None:
    report = tmp_path / "r.sqlite"
    assert run("import", write(tmp_path / "en.txt", b"# Report 2024\n\nPatents 1,200.\n"),
               "-o", report).exit_code == 0
    table = write(tmp_path / "v.csv", "key,year,value,label_en\npatents,2024,1200,"
                  "Caf\u00e9 \u201cpatents\u201d\n".encode("cp1252"))
    refused(run("indicators", "import", report, table), f"{table}:2: not valid UTF-8",
            "--encoding")
    result = run("indicators", "import", report, table, "--encoding", "cp1252")
    assert result.exit_code == 0, result.output
    rows = json.loads(run("indicators", report, "--format", "json").output)
    assert any(r["label_en"] == "Caf\u00e9 \u201cpatents\u201d" for r in rows)
    workbook = tmp_path / "v.xlsx"
    workbook.write_bytes(b"PK")
    refused(run("indicators", "import", report, workbook, "--encoding", "cp1252"),
            "v.xlsx", "leave out --encoding")


def test_terms_import_with_encoding(tmp_path: Path) -> None:
    catalog = tmp_path / "g.po"
    terms = write(tmp_path / "t.csv", "english,chinese,field\ninvention patent,发明专利,patent\n"
                  .encode("gbk"))
    refused(run("terms", "import", terms, "--catalog", catalog), f"{terms}:2:", "--encoding")
    assert not catalog.exists()
    result = run("terms", "import", terms, "--catalog", catalog, "--encoding", "gbk")
    assert result.exit_code == 0, result.output
    assert "发明专利" in catalog.read_text(encoding="utf-8")
    tbx = write(tmp_path / "t.tbx", b"<?xml version='1.0'?><martif/>")
    refused(run("terms", "import", tbx, "--catalog", catalog, "--encoding", "gbk"),
            "t.tbx", "leave out --encoding")
    refused(run("terms", "import", terms, "--catalog", catalog, "--encoding", "nope"),
            'unknown encoding "nope"')


def test_utf16_csv_without_bom_is_read(tmp_path: Path) -> None:
    table = write(tmp_path / "v.csv", "key,year,value,label_zh\npatents,2024,1200,发明专利授权量\n"
                  .encode("utf-16-le"))
    rows = read_indicator_file(table)
    assert rows[0].label_zh == "发明专利授权量"
    terms = write(tmp_path / "t.csv", "english,chinese\npatent,专利\n".encode("utf-16"))
    assert [t.chinese for t in read_terms(terms)] == ["专利"]
