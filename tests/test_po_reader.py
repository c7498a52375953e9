"""The one PO reader (ipviewer.po_reader): it reads what polib reads, the same way, and
refuses what polib would have refused too; polib.pofile is never called in src/."""

from __future__ import annotations

import ast
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipviewer import i18n, po_reader
from ipviewer.terms.problems import errors_in
from ipviewer.terms.validation import check_bytes

ROOT = Path(__file__).resolve().parents[1]
ATTRIBUTES = ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "comment",
              "tcomment", "occurrences", "flags", "previous_msgctxt", "previous_msgid",
              "previous_msgid_plural")
HEADER = ('# Glossary.\n# Second line.\n#, fuzzy\nmsgid ""\nmsgstr ""\n'
          '"Project-Id-Version: t\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=1; plural=0;\\n"\n')
EVERY_KIND = HEADER + '''"X-Long: a\\n"
" continued\\n"

# translator's note
#
## double hash
#.  source: WIPO
#. second
#: src/a.py:12 src/b.py lib/c.py:x :7
#, fuzzy, python-brace-format,
#| msgctxt "old"
#| msgid "PCT "
#| "application"
msgctxt "patent"
msgid "PCT application"
msgstr "PCT 申请"

#: a.py:1
msgid "one file"
msgid_plural "{n} files"
msgstr[0] "{n} 个文件"

#, fuzzy
#~| msgid "older"
#~ msgid "gone"
#~ msgstr "旧"
'''


def polib_entries(text: str) -> list[tuple]:
    return [(bool(e.obsolete),) + tuple(getattr(e, a) for a in ATTRIBUTES)
            for e in polib.pofile(text)]


def reader_entries(text: str) -> list[tuple]:
    result = po_reader.scan(text)
    assert result.errors == []
    return [(bool(e.obsolete),) + tuple(getattr(e, a) for a in ATTRIBUTES)
            for e in po_reader.to_pofile(result)]


def test_every_kind_of_line_is_read_as_polib_reads_it():
    assert reader_entries(EVERY_KIND) == polib_entries(EVERY_KIND)
    ours, theirs = po_reader.to_pofile(po_reader.scan(EVERY_KIND)), polib.pofile(EVERY_KIND)
    assert ours.metadata == theirs.metadata and ours.metadata["X-Long"] == "a\ncontinued"
    assert ours.metadata_is_fuzzy == theirs.metadata_is_fuzzy == ["fuzzy"]
    assert ours.header == theirs.header == "Glossary.\nSecond line."
    assert [e.__unicode__(79) for e in ours] == [e.__unicode__(79) for e in theirs]
    assert ours[0].previous_msgid == "PCT application" and ours[0].comment.startswith(" source")


@pytest.mark.parametrize("name", ["terminology.po", "messages.po"])
def test_the_shipped_catalogs_are_read_as_polib_reads_them(name):
    text = (ROOT / "translations" / "zh_CN" / "LC_MESSAGES" / name).read_text("utf-8")
    assert reader_entries(text) == polib_entries(text)
    assert po_reader.to_pofile(po_reader.scan(text)).to_binary() == \
        polib.pofile(text).to_binary()


def test_the_ui_catalog_is_compiled_through_the_reader():
    i18n.load_translations.cache_clear()
    try:
        translations = i18n.load_translations("zh_CN")
        text = i18n.catalog_path("zh_CN").read_text(encoding="utf-8")
        for entry in polib.pofile(text).translated_entries():
            if not entry.msgid_plural and not entry.msgctxt:
                assert translations.gettext(entry.msgid) == entry.msgstr
    finally:
        i18n.load_translations.cache_clear()


_WORD = st.text(st.sampled_from('ab 专利"\\\n\t'), min_size=0, max_size=12)


@st.composite
def entries(draw) -> str:
    """One entry with any of the comment kinds, escaped strings and an optional context."""
    out = []
    for prefix in draw(st.lists(st.sampled_from(["# ", "#. ", "#: ", "#, ", "#", "## "]),
                                max_size=4)):
        word = draw(st.text(st.sampled_from("ab:1 ,专"), max_size=10)).strip()
        out.append(f"{prefix}{word}\n")
    if draw(st.booleans()):
        out.append(f'#| msgid "{polib.escape(draw(_WORD))}"\n')
    if draw(st.booleans()):
        out.append(f'msgctxt "{polib.escape(draw(_WORD))}"\n')
    out.append(f'msgid "x{polib.escape(draw(_WORD))}"\n')
    out.append(f'msgstr "{polib.escape(draw(_WORD))}"\n"{polib.escape(draw(_WORD))}"\n')
    return "".join(out)


@settings(max_examples=150, deadline=None)
@given(st.lists(entries(), min_size=1, max_size=4))
def test_any_entries_polib_can_read_are_read_the_same(parts):
    text = HEADER + "\n" + "\n".join(parts)
    try:
        expected = polib_entries(text)
    except OSError:
        assert po_reader.scan(text).errors  # what polib refuses, the reader refuses too
        return
    result = po_reader.scan(text)
    if result.errors:  # e.g. "#, " alone then "#:" … only where polib is lenient
        return
    assert reader_entries(text) == expected


@pytest.mark.parametrize(("line", "message"), [
    ("#,fuzzy", '"#,fuzzy" is not a PO comment'),
    ("#:a.py:1", '"#:a.py:1" is not a PO comment'),
    ("#~", '"#~" is not a PO comment'),
    ('#| msgfoo "a"', '"#|" must be followed by msgctxt, msgid or msgid_plural'),
    ("#| msgid", '"#|" must be followed by msgctxt, msgid or msgid_plural'),
])
def test_comments_polib_refuses_are_errors_at_their_line(line, message):
    text = HEADER + f'\n{line}\nmsgid "a"\nmsgstr "b"\n'
    with pytest.raises(OSError):
        polib.pofile(text)  # before this reader, these were errors from polib's reading
    errors = errors_in(check_bytes(text.encode(), "t.po"))
    assert [e.line for e in errors] == [10], errors
    assert message in errors[0].message


@pytest.mark.parametrize(("line", "message"), [
    ('#| "continued"', '"#|" must be followed by msgctxt, msgid or msgid_plural'),
    ('#| msgid "a\\q"', "invalid escape sequence \\q"),
])
def test_previous_strings_msgfmt_refuses_are_errors(line, message):
    """polib adds the first to the header's msgstr and keeps "\\q" as text in the second."""
    text = HEADER + f'\n{line}\nmsgid "a"\nmsgstr "b"\n'
    errors = errors_in(check_bytes(text.encode(), "t.po"))
    assert [e.line for e in errors] == [10], errors
    assert message in errors[0].message


def test_errors_are_translated_by_the_caller():
    error = po_reader.scan('msgid "a"\nmsgstr[3] "b"\n').errors[0]
    assert (error.line, error.message) == (2, "msgstr[{n}] without msgid_plural")
    assert error.text() == "msgstr[3] without msgid_plural"
    assert error.text(lambda m: m.replace("without", "sans")) == "msgstr[3] sans msgid_plural"


def test_polib_pofile_is_never_called_in_src():
    calls = []
    for path in (ROOT / "src" / "ipviewer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("pofile", "mofile") \
                    and isinstance(node.value, ast.Name) and node.value.id == "polib":
                calls.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module == "polib":
                calls.append(f"{path.name}:{node.lineno}")
    assert calls == []


@pytest.mark.parametrize(("written", "meant"), [
    ("\\033[31m", "\x1b[31m"), ("\\a", "\a"), ("\\x41", "A"), ("\\101", "A"),
])
def test_escape_sequences_mean_what_msgfmt_reads(tmp_path, written, meant):
    """polib kept "\\033" as four characters of text (and "\\x41" in a msgid made the old
    cross-check fail): the one reader decodes them as msgfmt does, and a saved edit keeps
    the meaning."""
    from ipviewer.terms.catalog import Catalog

    text = HEADER + f'\nmsgid "p{written}"\nmsgstr "专利{written}"\n'
    catalog = Catalog.from_bytes(text.encode(), tmp_path / "t.po")
    entry = catalog.entries[0]
    assert (entry.msgid, entry.msgstr) == ("p" + meant, "专利" + meant)
    entry.tcomment = "edited"
    catalog.save(touch=False)
    again = Catalog.load(tmp_path / "t.po").entries[0]
    assert (again.msgid, again.msgstr, again.tcomment) == ("p" + meant, "专利" + meant, "edited")


@pytest.mark.parametrize("trailer", ["#,", "#.", "#:", '#~| msgid "old"'])
def test_the_last_entry_is_kept_before_an_empty_comment_line(tmp_path, trailer):
    """polib dropped the last entry when an empty ``#,`` (or ``#.``, ``#:``, ``#~|``) line
    ended the file (the old cross-check then refused the file); msgfmt keeps it."""
    from ipviewer.terms.catalog import Catalog

    text = HEADER + f'\nmsgid "patent"\nmsgstr "专利"\n{trailer}\n'
    assert len(polib.pofile(text)) == 0
    catalog = Catalog.from_bytes(text.encode(), tmp_path / "t.po")
    assert [(e.msgid, e.msgstr) for e in catalog.entries] == [("patent", "专利")]
    assert catalog.to_bytes(touch=False) == text.encode()
