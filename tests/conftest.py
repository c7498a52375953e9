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
def _garbage_collected_in_gui_thread():
    """Once an application exists, automatic collection is off (ui/collector.py) and its
    timer collects only while an event loop runs: collect what is due after every test too,
    so tests that never spin the loop do not pile up garbage."""
    yield
    from PySide6.QtWidgets import QApplication

    from ipviewer.ui.collector import GuiThreadCollector

    app = QApplication.instance()
    collector = app.findChild(GuiThreadCollector) if app is not None else None
    if collector is not None:
        collector.check()


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


@pytest.fixture(scope="module")
def sample_store(_built_sample, tmp_path_factory):
    """The sample report open (a copy of its own), shared by the tests of one module that
    only read it (the PDF exports)."""
    import shutil

    from ipviewer.store import ReportStore

    path = tmp_path_factory.mktemp("sample-store") / "sample.sqlite"
    shutil.copyfile(_built_sample, path)
    store = ReportStore.open(path)
    yield store
    store.close()


def outline_titles(path) -> list[str]:
    """The titles of a PDF's outline (bookmarks), in order, every level (pypdf)."""
    from pypdf import PdfReader

    titles: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(PdfReader(path).outline)
    return titles


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


# -- a glossary -----------------------------------------------------------------------------

#: A small glossary: approved, fuzzy and untranslated terms in several fields.
SMALL_GLOSSARY = """\
# Test glossary.
msgid ""
msgstr ""
"Project-Id-Version: test\\n"
"Language: zh_CN\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"X-Generator: Poedit 3.4.2\\n"

# the usual term
msgctxt "patent"
msgid "invention patent"
msgstr "发明专利"

#, fuzzy
msgctxt "finance"
msgid "pledge financing"
msgstr "质押融资"

msgctxt "indicator"
msgid "patents granted"
msgstr "专利授权量"

msgctxt "trademark"
msgid "well-known trademark"
msgstr ""
"""


@pytest.fixture
def glossary_file(tmp_path) -> Path:
    """A small glossary file (:data:`SMALL_GLOSSARY`), the test's own to change."""
    path = tmp_path / "terms.po"
    path.write_text(SMALL_GLOSSARY, encoding="utf-8")
    return path


# -- the window ------------------------------------------------------------------------------


@pytest.fixture
def app(qapp):
    """pytest-qt's QApplication, named as ipviewer names it (QSettings, standard paths)."""
    from ipviewer.ui.app import make_application

    return make_application()


@pytest.fixture
def sample_window(app, qtbot, sample_copy):
    """A read-only main window on a fresh copy of the sample report, shown."""
    from ipviewer.store import ReportStore
    from ipviewer.ui.main_window import MainWindow

    window = MainWindow(ReportStore.open(sample_copy, readonly=True))
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def open_editor(app, qtbot, sample_copy, tmp_path, monkeypatch):
    """Opens editable main windows (on the sample's copy unless told); at the end, unsaved
    changes are discarded and the windows closed."""
    from PySide6.QtWidgets import QMessageBox

    from ipviewer.ui.main_window import MainWindow
    from ipviewer.ui.opening import open_report

    windows = []

    def make(path: Path = sample_copy):
        opened = open_report(path, tmp_path / "recovery")
        assert opened is not None and opened.session is not None
        window = MainWindow(opened)  # closed below, not by qtbot (which would ask to save)
        window.show()
        windows.append(window)
        return window

    yield make
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    for window in windows:
        window.close()


@pytest.fixture(scope="session")
def _built_next_year(_built_sample, tmp_path_factory) -> Path:
    """The sample rolled forward to 2025 once per session (``ipviewer new-year``)."""
    from ipviewer.new_year import start_next_year

    path = tmp_path_factory.mktemp("built-next-year") / "report-2025.sqlite"
    start_next_year(_built_sample, path)
    return path


@pytest.fixture
def next_year_copy(_built_next_year, tmp_path) -> Path:
    """A fresh copy of the sample rolled forward to 2025: every value and paragraph with
    figures still to update."""
    import shutil

    path = tmp_path / "report-2025.sqlite"
    shutil.copyfile(_built_next_year, path)
    return path
