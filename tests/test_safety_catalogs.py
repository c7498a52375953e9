"""Hostile glossary files: catalogs msgfmt refuses, controls and bidi overrides in a
catalog, TBX files nested 100,000 deep, entity expansion, too many elements.

Each gets a clear message (``terms check``: errors with file:line and exit 1; an import:
exit 2 and nothing changed), never a traceback. A catalog holding a control character still
opens (what the CLI prints is escaped), so that it can be repaired; ``terms check`` fails.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ipviewer.cli import cli
from ipviewer.terms import CatalogError, ExchangeError, Glossary, check_glossary, exchange, read_tbx
from ipviewer.terms.problems import errors_in
from ipviewer.terms.validation import character_problems

HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: test\\n"\n'
    '"PO-Revision-Date: 2024-04-12 16:35+0800\\n"\n"Last-Translator: T <t@example.org>\\n"\n'
    '"Language-Team: zh <zh@example.org>\\n"\n"Language: zh_CN\\n"\n"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=1; plural=0;\\n"\n'
)  # 11 lines
ENTRY = '\nmsgctxt "patent"\nmsgid "invention patent"\nmsgstr "发明专利"\n'  # lines 12-15
TBX_ENTRY = ('<termEntry><langSet xml:lang="en"><tig><term>patent</term></tig></langSet>'
             '<langSet xml:lang="zh"><tig><term>专利</term></tig></langSet></termEntry>')


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def msgfmt_accepts(path: Path) -> bool | None:
    """What ``msgfmt -c`` says of ``path`` (None where gettext is not installed)."""
    if shutil.which("msgfmt") is None:
        return None
    done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)],
                          capture_output=True, timeout=60, check=False)
    return done.returncode == 0


# -- catalogs -------------------------------------------------------------------------------


def test_two_header_entries_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "two.po", HEADER + ENTRY + "\n" + HEADER)
    assert msgfmt_accepts(path) in (False, None)
    result = run("terms", "check", path)
    assert result.exit_code == 1, result.output
    assert f'{path}:17: a second header entry (msgid ""): the first is at line 1' in result.output
    with pytest.raises(CatalogError, match="a second header entry"):
        Glossary.load(path)


def test_one_header_is_fine(tmp_path: Path) -> None:
    path = write(tmp_path / "one.po", HEADER + ENTRY)
    assert msgfmt_accepts(path) in (True, None)
    result = run("terms", "check", path)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("char", "what"), [
    ("\x00", "a NUL character (U+0000)"),
    ("\x1b", "an escape character (ESC, U+001B)"),
    ("\x07", "a control character (U+0007)"),
    ("\x9b", "a control character (U+009B)"),
    *[(chr(code), f"a bidirectional override (U+{code:04X})")
      for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))],
])
def test_controls_and_bidi_overrides_are_errors_at_their_line(tmp_path: Path, char: str,
                                                             what: str) -> None:
    path = write(tmp_path / "bad.po", HEADER + ENTRY.replace("发明专利", f"发明{char}专利"))
    result = run("terms", "check", path)
    assert result.exit_code == 1, result.output
    assert f"{path}:15: contains {what}" in result.output
    assert result.output.count(what) == 1  # reported once, not once per check


@pytest.mark.parametrize("where", ["msgid", "msgctxt", "comment", "obsolete"])
def test_an_escape_anywhere_in_an_entry_is_an_error(tmp_path: Path, where: str) -> None:
    entry = {
        "msgid": '\nmsgid "invention \x1b[2J patent"\nmsgstr "发明专利"\n',
        "msgctxt": '\nmsgctxt "pat\x1b]0;owned\x07ent"\nmsgid "patent"\nmsgstr "专利"\n',
        "comment": '\n# note: \u202egnp.exe\nmsgid "patent"\nmsgstr "专利"\n',
        "obsolete": '\n#~ msgid "old"\n#~ msgstr "旧\x1b[31m"\n',
    }[where]
    path = write(tmp_path / "bad.po", HEADER + entry)
    problems = errors_in(check_glossary(path))
    assert problems and all(p.line in (13, 14) for p in problems), problems
    assert run("terms", "check", path).exit_code == 1


def test_controls_written_as_escape_sequences_are_found_too(tmp_path: Path) -> None:
    text = HEADER + '\nmsgid "patent"\nmsgstr ""\n"专利\\033[31m"\n'
    path = write(tmp_path / "escaped.po", text)
    result = run("terms", "check", path)
    assert result.exit_code == 1, result.output
    assert f"{path}:14: msgstr contains an escape character (ESC, U+001B)" in result.output


def test_a_catalog_with_a_control_still_opens_so_it_can_be_repaired(tmp_path: Path) -> None:
    """``terms check`` fails; loading does not (the CLI shows the character escaped), so the
    glossary can be opened and the term corrected."""
    catalog = write(tmp_path / "g.po", HEADER + ENTRY.replace("发明专利", "发明\x1b[2J专利"))
    assert run("terms", "check", catalog).exit_code == 1
    glossary = Glossary.load(catalog)
    glossary.edit("invention patent", "patent", chinese="发明专利")
    glossary.save()
    result = run("terms", "check", catalog)
    assert result.exit_code == 0, result.output


def test_the_bundled_catalogs_have_no_unsafe_characters() -> None:
    root = Path(__file__).resolve().parents[1] / "translations"
    paths = list(root.rglob("*.po"))
    assert paths
    for path in paths:
        assert character_problems(path.read_bytes(), path) == [], path


# -- TBX --------------------------------------------------------------------------------------


def test_tbx_nested_100000_levels_is_refused_clearly(tmp_path: Path) -> None:
    depth = 100_000
    path = write(tmp_path / "deep.tbx", '<?xml version="1.0"?>\n<martif><text><body>'
                 + "<note>" * depth + "</note>" * depth + "</body></text></martif>\n")
    with pytest.raises(ExchangeError, match=r"deep.tbx:2: elements are nested more than 100"):
        read_tbx(path)
    catalog = tmp_path / "g.po"
    result = run("terms", "import", path, "--catalog", catalog)
    assert result.exit_code == 2, result.output
    assert "nested more than 100 levels" in result.output and "Traceback" not in result.output
    assert not catalog.exists()


def test_tbx_with_too_many_elements_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(exchange, "MAX_TBX_ELEMENTS", 50)
    path = write(tmp_path / "many.tbx", '<?xml version="1.0"?>\n<martif><text><body>\n'
                 + TBX_ENTRY * 10 + "\n</body></text></martif>\n")
    with pytest.raises(ExchangeError, match="more than 50 XML elements"):
        read_tbx(path)
    monkeypatch.setattr(exchange, "MAX_TBX_ELEMENTS", 500_000)
    assert len(read_tbx(path)) == 10


def test_a_long_tbx_text_is_read_in_linear_time(tmp_path: Path) -> None:
    """Text arrives in many small pieces (one per line): joined once, not by repeated
    concatenation, which took 31 s for 200,000 lines. Eight times the lines must take far
    less than the 64 times a quadratic reader needs."""

    def tbx(lines: int) -> Path:
        note = "a note line\n" * lines
        return write(tmp_path / f"long{lines}.tbx", '<?xml version="1.0"?>\n<martif><text><body>'
                     + TBX_ENTRY.replace("<langSet", f"<note>{note}</note><langSet", 1)
                     + "</body></text></martif>\n")

    def best_time(path: Path) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            terms = read_tbx(path)
            times.append(time.perf_counter() - started)
        assert terms[0].note.count("\n") == terms[0].note.count("line") - 1
        return min(times)

    small, big = tbx(25_000), tbx(200_000)
    ratio = best_time(big) / best_time(small)
    assert ratio < 30, f"8x the lines took {ratio:.0f}x the time"


@pytest.mark.parametrize("doctype", [
    # billion laughs
    ('<!DOCTYPE martif [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
     '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'),
    # an external entity reading a local file
    '<!DOCTYPE martif [<!ENTITY d SYSTEM "file:///etc/passwd">]>',
])
def test_tbx_entities_stay_refused(tmp_path: Path, doctype: str) -> None:
    body = TBX_ENTRY.replace("<term>patent</term>", "<term>&d;</term>")
    path = write(tmp_path / "evil.tbx", f'<?xml version="1.0"?>\n{doctype}\n'
                 f"<martif><text><body>{body}</body></text></martif>\n")
    with pytest.raises(ExchangeError, match="refused: the file declares XML entities"):
        read_tbx(path)
    result = run("terms", "import", path, "--catalog", tmp_path / "g.po")
    assert result.exit_code == 2 and "refused" in result.output
    assert not (tmp_path / "g.po").exists()
