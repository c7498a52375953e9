"""Help pages in the user's language: every command's and option's help, and the words
click adds (``Usage:``, headings, ``--help``, ``[default: …]``), whatever the import order."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from ipviewer import i18n
from ipviewer.cli import cli
from ipviewer.terminal import display_width

ROOT = Path(__file__).resolve().parents[1]
CLI_PACKAGE = ROOT / "src" / "ipviewer" / "cli"
HAN = re.compile("[\u4e00-\u9fff]")
#: Three English words in a row: a sentence a Chinese help page must not show (metavars
#: such as INTEGER RANGE, all capitals, are syntax and stay).
_WORD = r"[A-Za-z]*[a-z][A-Za-z']*"
ENGLISH_WORDS = re.compile(rf"\b{_WORD}(?: {_WORD}){{2,}}")
HELP_PAGES = [["--help"], ["terms", "--help"], ["indicators", "--help"]]


def _help_in_subprocess(args: list[str], language: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    env.update(LANGUAGE=language, LANG="C.UTF-8", COLUMNS="80")
    done = subprocess.run([sys.executable, "-m", "ipviewer", *args], env=env,
                          capture_output=True, text=True, encoding="utf-8", check=False,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _help_ids(command: click.Command) -> list[str]:
    """The English help message ids of ``command`` and its options."""
    ids = [command._help_id] if getattr(command, "_help_id", None) else []
    return ids + [p._help_id for p in command.params if getattr(p, "_help_id", None)]


def _all_commands(group: click.Group, path: tuple[str, ...] = ()):
    """``(path, command)`` for every command and group under ``group``, itself included."""
    yield path, group
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _all_commands(command, (*path, name))
        else:
            yield (*path, name), command


def _squeeze(text: str) -> str:
    """``text`` without whitespace (help pages wrap lines where they like)."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("args", HELP_PAGES, ids=" ".join)
def test_help_is_chinese_under_a_chinese_locale(args):
    english = _help_in_subprocess(args, "en")
    chinese = _help_in_subprocess(args, "zh_CN")
    assert HAN.search(chinese), chinese
    assert not ENGLISH_WORDS.search(chinese.split("\n", 1)[1]), chinese
    for line in english.splitlines():  # no English sentence of the English page is left
        sentence = line.strip().split("  ")[-1]
        if ENGLISH_WORDS.search(sentence):
            assert sentence not in chinese
    group_help = i18n.load_translations("zh_CN").gettext(
        "The terminology glossary: English ↔ Chinese terms by field.")
    assert group_help in chinese if args[0] == "terms" else True
    assert chinese.startswith("用法:")
    assert "显示此帮助信息并退出。" in chinese


@pytest.mark.parametrize("args", HELP_PAGES, ids=" ".join)
def test_help_is_english_under_an_english_locale(args):
    english = _help_in_subprocess(args, "en")
    assert not HAN.search(english), english
    assert english.startswith("Usage: ipviewer")
    assert "Options:" in english and "Show this message and exit." in english
    if args[0] == "terms":
        assert "The terminology glossary: English ↔ Chinese terms by field." in english
        assert "List the glossary's terms." in english


def test_every_help_text_is_translated_when_shown():
    """The commands were imported in English (this process's language); switched to
    Chinese afterwards, every command's page shows its own and its options' help in
    Chinese and none in English: nothing was translated at import time."""
    catalog = i18n.load_translations("zh_CN")
    pages = 0
    try:
        i18n.set_language("zh_CN")
        for path, command in _all_commands(cli):
            name = " ".join(("ipviewer", *path))
            with command.context_class(command, info_name=name) as ctx:
                shown = command.get_help(ctx)
            page = _squeeze(shown)
            for message in _help_ids(command):
                assert _squeeze(catalog.gettext(message)) in page, (path, message)
                assert _squeeze(message) not in page, (path, message)
            assert "[default:" not in page and "[required]" not in page, path
            assert not ENGLISH_WORDS.search(shown.split("\n", 1)[1]), (path, shown)
            assert shown.startswith("用法:"), path
            pages += 1
    finally:
        i18n.set_language("en")
    assert pages >= 20  # 11 top-level commands, 2 groups of 3 and 5


@pytest.mark.parametrize("language, prefix", [("zh_CN", "错误："), ("en", "Error: ")])
def test_bad_input_is_reported_in_the_users_language(tmp_path, language, prefix):
    missing = tmp_path / "missing.sqlite"
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    env.update(LANGUAGE=language, LANG="C.UTF-8")
    done = subprocess.run([sys.executable, "-m", "ipviewer", "tree", str(missing)], env=env,
                          capture_output=True, text=True, encoding="utf-8", check=False,
                          timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(prefix + str(missing)) and done.stderr.count("\n") == 1


def test_chinese_command_lists_fit_the_terminal():
    """click shortens a command's help at spaces; a Chinese one is cut to fit instead."""
    page = _help_in_subprocess(["--help"], "zh_CN")
    commands = page.split("命令:\n", 1)[1].splitlines()
    assert len(commands) >= 11
    assert all(display_width(line) <= 80 for line in commands), commands


def test_no_cli_module_imports_one_that_imports_it_back():
    """Within ``ipviewer.cli`` the imports (top-level or inside functions) form no cycle."""
    modules = {p.stem: p for p in CLI_PACKAGE.glob("*.py")}
    imports: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level == 1:
                    targets = [node.module] if node.module else [a.name for a in node.names]
                elif node.module and node.module.startswith("ipviewer.cli"):
                    targets = [node.module.removeprefix("ipviewer.cli").lstrip(".") or
                               "__init__"]
                else:
                    targets = []
                found.update(t.split(".")[0] for t in targets)
        imports[name] = found & set(modules)
    assert imports["__init__"] >= {"report_commands", "terms_commands", "indicator_commands"}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n}))
                   for n in imports[start])

    cycles = [name for name in modules if reaches(name, name, set())]
    assert not cycles, imports
