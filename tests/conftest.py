"""Shared test set-up: Qt without a screen, the seed text, a fresh report file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before any Qt import: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: The user's real document, outside the project (never copied into it).
SEED = Path(__file__).resolve().parents[2] / "shared" / "samples" / "shanghai-ip-2024.en.txt"


@pytest.fixture
def seed_path() -> Path:
    """Path of the 2024 white paper text; skips where ../shared is absent."""
    if not SEED.exists():
        pytest.skip(f"the seed text is not here ({SEED}); it lives in ../shared beside the project")
    return SEED


@pytest.fixture
def seed_text(seed_path: Path) -> str:
    """The 2024 white paper text."""
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _private_data_folder(tmp_path_factory, monkeypatch):
    """Keep Qt's standard paths (sample copy, settings) out of the user's home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    yield

# The tests read English messages: the developer's own locale must not change them.
for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"


@pytest.fixture(autouse=True)
def _no_unexpected_dialogs(monkeypatch):
    """A modal message box would wait forever offscreen: fail instead (tests that expect a
    dialog patch it themselves)."""
    from PySide6.QtWidgets import QMessageBox

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, unexpected)


@pytest.fixture(scope="session")
def _built_sample(tmp_path_factory) -> Path:
    """The bundled sample built once per test session (copied for each test that uses it)."""
    from ipviewer.sample import build_sample

    path = tmp_path_factory.mktemp("built-sample") / "sample.sqlite"
    build_sample(path).close()
    return path


@pytest.fixture
def sample_copy(_built_sample, tmp_path) -> Path:
    """A fresh copy of the bilingual sample report, the test's own to change."""
    import shutil

    path = tmp_path / "report.sqlite"
    shutil.copyfile(_built_sample, path)
    return path


def run_cli(*args: object):
    """Run the real CLI in-process (exceptions are not swallowed: a traceback fails the test)."""
    from click.testing import CliRunner

    from ipviewer.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
