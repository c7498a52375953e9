"""UI strings: the template is current, every string has a Chinese translation with the
same placeholders, and the language switches (and falls back) as it should."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from ipviewer import i18n

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def source_messages() -> set[str]:
    """Every msgid marked in the source, extracted the way babel.cfg says."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "src" / "ipviewer"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def template():
    return read(ROOT / "translations" / "messages.pot")


@pytest.fixture(scope="module")
def chinese():
    return read(ROOT / "translations" / "zh_CN" / "LC_MESSAGES" / "messages.po")


def test_template_is_up_to_date(template):
    in_template = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    missing = source_messages() - in_template
    assert not missing, f"run the pybabel extract of translations/README.md: {sorted(missing)}"


def test_every_string_is_translated_into_chinese(template, chinese):
    untranslated = []
    for message in template:
        if not message.id:
            continue
        translated = chinese.get(message.id, message.context)  # pgettext: by context too
        strings = translated.string if translated else None
        if isinstance(strings, tuple | list):
            strings = strings[0]
        if not translated or not strings or translated.fuzzy:
            untranslated.append(message.id)
    assert not untranslated, f"no approved Chinese translation for: {untranslated}"


def test_placeholders_match(chinese):
    wrong = []
    for message in chinese:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            if text and set(PLACEHOLDER.findall(text)) != expected:
                wrong.append((ids[0], text))
    assert not wrong


def test_chinese_catalog_header(chinese):
    po = ROOT / "translations" / "zh_CN" / "LC_MESSAGES" / "messages.po"
    assert '"Language: zh_CN\\n"' in po.read_text(encoding="utf-8")  # one canonical code
    assert chinese.num_plurals == 1
    assert not chinese.fuzzy, "a fuzzy header makes msgfmt skip the whole catalog"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext's msgfmt is not installed")
def test_msgfmt_accepts_the_catalog():
    po = ROOT / "translations" / "zh_CN" / "LC_MESSAGES" / "messages.po"
    done = subprocess.run(["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(po)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_switching_language():
    try:
        assert i18n.set_language("zh_CN") == "zh_CN"
        assert i18n._("&File") == "文件(&F)"
        assert i18n.ngettext("{year} · {count} indicator · {path}",
                             "{year} · {count} indicators · {path}", 5).startswith("{year} · {count} 项")
        assert i18n.report_language() == "zh"
        i18n.set_language("en")
        assert i18n._("&File") == "&File"
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("given, expected", [
    ("zh_CN.UTF-8", "zh_CN"), ("zh", "zh_CN"), ("zh-Hans", "zh_CN"), ("zh_TW", "zh_CN"),
    ("en_GB.UTF-8", "en"), ("fr_FR", "en"), ("", "en"), (None, "en"), ("C", "en"),
])
def test_normalise_language(given, expected):
    assert i18n.normalise_language(given) == expected


def test_system_language_comes_from_the_environment(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.system_language() == "zh_CN"
    monkeypatch.setenv("LANGUAGE", "en_US:zh_CN")
    assert i18n.system_language() == "en"


def test_catalogs_are_found_through_the_package():
    path = i18n.catalog_path("zh_CN")
    assert path.is_file() and i18n.template_path().is_file()


def test_english_needs_no_catalog():
    assert i18n.load_translations("en").gettext("&File") == "&File"


def test_catalog_passes_babels_own_checks() -> None:
    """What ``pybabel compile`` checks: a ``%`` before a letter in a msgid ("{stated}% does")
    once made Babel call the entry python-format and refuse to compile it."""
    path = ROOT / "translations" / "zh_CN" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    problems = [(message.id, str(error)) for message, errors in catalog.check()
                for error in errors]
    assert problems == []
