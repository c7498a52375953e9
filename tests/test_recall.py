"""Recall and precision of the importer on the sources in tests/recall/ (see its README):
the year it chooses, and the figures it finds, per file."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from ipviewer.importing.pipeline import parse_text
from ipviewer.importing.years import infer_year
from ipviewer.prose.bindings import bindable

RECALL = Path(__file__).parent / "recall"
SOURCES = sorted(RECALL.glob("*.txt"))
#: Floors, set from what was measured when the set was written (see the report of issue
#: 13): all but one file are read whole; news-en-wire, written after the engine was last
#: tuned, loses "50.2 for every 10,000 residents" (the unit, and 10,000 read as a figure).
#: A change that loses a figure anywhere fails here.
MIN_RECALL = {"news-en-wire": 0.8}
MIN_PRECISION = {"news-en-wire": 0.66}
#: Over the whole set.
MIN_TOTAL_RECALL = 0.98  # measured 81/82
MIN_TOTAL_PRECISION = 0.97  # measured 81/83


def _expected(source: Path) -> dict:
    return json.loads(source.with_suffix(".json").read_text(encoding="utf-8"))


def measure(source: Path) -> tuple[int | None, list[tuple], list[tuple]]:
    """(chosen year, expected figures, found figures) of one source, each figure as
    (year, value, unit, yoy). When the importer asks for the year, the expected one is
    given, as the user would with --year."""
    expected = _expected(source)
    parsed = parse_text(source.read_text(encoding="utf-8"))
    chosen = infer_year(parsed)
    choice = chosen if chosen.year is not None else infer_year(parsed, expected["year"])
    found = [(choice.year_of(node), f.value, f.unit, f.yoy_pct)
             for node in parsed.walk() for f in node.figures if bindable(f)]
    wanted = [(year, Decimal(value), unit, None if yoy is None else Decimal(yoy))
              for _text, year, value, unit, yoy in expected["figures"]]
    return chosen.year, wanted, found


def hits(wanted: list[tuple], found: list[tuple]) -> int:
    """How many expected figures were found, each found figure matched at most once."""
    left = list(found)
    count = 0
    for figure in wanted:
        if figure in left:
            left.remove(figure)
            count += 1
    return count


def test_the_set_is_there():
    assert len(SOURCES) >= 10
    assert all(source.with_suffix(".json").is_file() for source in SOURCES)
    kinds = {source.stem.split("-")[1] for source in SOURCES}
    assert {"en", "zh", "zht"} <= kinds


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_recall_and_precision(source):
    year, wanted, found = measure(source)
    assert year in (_expected(source)["year"], None), "a wrong year, not a question"
    hit = hits(wanted, found)
    recall = hit / len(wanted) if wanted else 1.0
    precision = hit / len(found) if found else 1.0
    print(f"{source.stem}: recall {recall:.2f}, precision {precision:.2f} "
          f"({len(wanted)} expected, {len(found)} found, year "
          f"{'asked' if year is None else year})")
    assert recall >= MIN_RECALL.get(source.stem, 1.0), (wanted, found)
    assert precision >= MIN_PRECISION.get(source.stem, 1.0), (wanted, found)


def test_recall_over_the_set():
    total_wanted = total_found = total_hits = 0
    for source in SOURCES:
        _year, wanted, found = measure(source)
        total_wanted += len(wanted)
        total_found += len(found)
        total_hits += hits(wanted, found)
    recall, precision = total_hits / total_wanted, total_hits / total_found
    print(f"recall set: recall {recall:.3f} ({total_hits}/{total_wanted}), "
          f"precision {precision:.3f} ({total_hits}/{total_found})")
    assert recall >= MIN_TOTAL_RECALL and precision >= MIN_TOTAL_PRECISION
