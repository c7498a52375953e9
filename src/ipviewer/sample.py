"""The bundled sample report, kept as reviewable text: Markdown per language + indicator CSV.

The sources live in the project's ``db/`` folder and are installed as the package
``ipviewer.sample_data``; the SQLite file is built from them on demand, never shipped.
Every figure in the sample's prose is bound to the indicator table (``{{key}}``).
"""

from __future__ import annotations

import os
import tempfile
from importlib import resources
from pathlib import Path

from .i18n import _
from .importing.pipeline import guess_year, merge_translation, parse_text, write_imported
from .indicator_files import read_indicator_file
from .model import Indicator
from .prose.bindings import find_bindings
from .store import ReportStore, StoreError

SAMPLE_NAME = "sample-2024"
SAMPLE_FILE_NAME = "shanghai-ip-2024.sqlite"


def _source(name: str):
    return resources.files("ipviewer.sample_data") / name


def sample_text(lang: str) -> str:
    """The Markdown source of the sample in ``lang`` ('en' or 'zh')."""
    return _source(f"{SAMPLE_NAME}.{lang}.md").read_text(encoding="utf-8")


def sample_indicator_rows() -> list[Indicator]:
    """The indicator values of the sample (2024 and the prior years), from its CSV."""
    with tempfile.TemporaryDirectory() as tmp:  # the package may be a zip: copy it out
        csv_path = Path(tmp) / f"{SAMPLE_NAME}.indicators.csv"
        csv_path.write_bytes(_source(f"{SAMPLE_NAME}.indicators.csv").read_bytes())
        return list(read_indicator_file(csv_path))


def build_sample(path: str | os.PathLike[str]) -> ReportStore:
    """Write a fresh copy of the bilingual sample report to ``path`` and open it."""
    english = parse_text(sample_text("en"), "en")
    chinese = parse_text(sample_text("zh"), "zh")
    problems = merge_translation(english, chinese)
    if problems:  # a packaging mistake, not a user one
        raise RuntimeError("the bundled sample's languages do not align: " + "; ".join(problems))
    year = guess_year(english) or 2024
    rows = sample_indicator_rows()
    with ReportStore.building(path) as store:  # renamed into place only when complete
        write_imported(store, english, year)
        store.set_report_fields("zh", chinese.title, chinese.publisher, chinese.date)
        store.upsert_indicators([row.as_store_dict() for row in rows])
        store.link_indicators(
            {node.id: [b.key for lang in ("en", "zh") for b in find_bindings(node.text(lang))]
             for node in english.walk() if node.id is not None},
            year,
        )
    return ReportStore.open(path)


def ensure_sample(folder: str | os.PathLike[str]) -> Path:
    """The user's own copy of the sample in ``folder``, built on first use."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(_("{folder}: cannot create the data folder ({reason})").format(
            folder=folder, reason=exc.strerror)) from exc
    path = folder / SAMPLE_FILE_NAME
    if not path.exists():
        build_sample(path).close()
    return path
