"""Combining the window's edits with another program's: merge time at two report sizes.

    python benchmarks/bench_merge.py

Builds reports of 2,000 nodes / 10,000 indicators and 20,000 nodes / 100,000 indicators,
makes 200 text edits, 500 value edits, 20 inserts and 5 deletions on each side (some of them
on the same rows), and prints the time of ``merge_reports`` (target: a few seconds at the
larger size) and the ratio of the two (linear growth: about 10).
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

from ipviewer.sample import build_sample
from ipviewer.store import ReportStore
from ipviewer.store.merge import merge_reports


def build(path: Path, nodes: int, indicators: int) -> None:
    """A report of ``nodes`` nodes (parts of 99 paragraphs) and ``indicators`` indicators."""
    build_sample(path).close()
    with ReportStore.open(path) as store, store.transaction() as db:
        db.execute("DELETE FROM indicators")
        db.execute("DELETE FROM nodes")
        rows = []
        for part in range(nodes // 100):
            top = part * 100 + 1
            rows.append((top, None, part, "part", f"Part {part}", "", ""))
            rows += [(top + p + 1, top, p, "paragraph", "",
                      f"Paragraph {top + p} says patents granted total {(top + p) * 7}.",
                      f"第{top + p}段：授权专利{top + p}件。") for p in range(99)]
        db.conn.executemany("INSERT INTO nodes (id, parent_id, position, kind, title_en, "
                            "text_en, text_zh) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        db.conn.executemany(
            "INSERT INTO indicators (key, year, value, label_en, node_id) VALUES (?,?,?,?,?)",
            [(f"figure_{i % 20000}", 2000 + i // 20000, str(i * 3), f"figure {i}",
              1 + i % nodes) for i in range(indicators)])


def edit(path: Path, rng: random.Random, nodes: int, indicators: int, name: str) -> None:
    with ReportStore.open(path) as store:
        for _ in range(200):
            store.set_node_field(rng.randrange(2, nodes), "text_en", f"{name} {rng.random()}")
        store.set_indicator_fields({rng.randrange(1, indicators): {"value": str(n)}
                                    for n in range(500)})
        for _ in range(20):
            store.insert_node(rng.randrange(nodes // 100) * 100 + 1, 0,
                              {"kind": "paragraph", "text_en": f"new by {name}"})
        for _ in range(5):
            store.delete_node(rng.randrange(2, nodes // 100) * 100 + 2)


def merge_time(folder: Path, nodes: int, indicators: int) -> tuple[float, str]:
    base, mine, theirs = (folder / f"{n}-{nodes}.sqlite" for n in ("base", "mine", "theirs"))
    build(base, nodes, indicators)
    shutil.copy(base, mine)
    shutil.copy(base, theirs)
    rng = random.Random(nodes)
    edit(mine, rng, nodes, indicators, "mine")
    edit(theirs, rng, nodes, indicators, "theirs")
    with ReportStore.open(base, readonly=True) as b, \
            ReportStore.open(theirs, readonly=True) as t, ReportStore.open(mine) as m:
        start = time.perf_counter()
        result = merge_reports(b, m, t)
        return time.perf_counter() - start, result.summary()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small, _ = merge_time(Path(tmp), 2_000, 10_000)
        large, summary = merge_time(Path(tmp), 20_000, 100_000)
    print(f"merge  2,000 nodes /  10,000 indicators: {small:6.2f} s")
    print(f"merge 20,000 nodes / 100,000 indicators: {large:6.2f} s  ({summary})")
    print(f"ratio {large / small:.1f} for 10x the rows (linear: about 10)")


if __name__ == "__main__":
    main()
