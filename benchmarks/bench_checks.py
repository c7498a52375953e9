"""Checking the bundled sample against the shipped 695-term glossary, against a 3 s target.

    python benchmarks/bench_checks.py

Builds the sample report, loads the glossary (timed apart), then times ``run_checks``
(figures, totals, year-on-year, directions, terminology) best of three, and prints each
figure with its ratio to the target (below 1.0 is within it). The same checks on reports of
2,000 to 20,000 paragraphs: benchmarks/bench_scale.py.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from ipviewer.checks import run_checks
from ipviewer.cli.shared import default_catalog
from ipviewer.sample import build_sample
from ipviewer.store import ReportStore
from ipviewer.terms import Glossary

TARGET_S = 3.0


def main() -> None:
    if len(sys.argv) > 1:
        sys.exit(__doc__)
    catalog = default_catalog()
    if catalog is None:
        sys.exit("the bundled terminology catalog is not installed as a file")
    start = time.perf_counter()
    glossary = Glossary.load(catalog)
    load_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.sqlite"
        build_sample(sample).close()
        with ReportStore.open(sample, readonly=True) as store:
            times, findings = [], []
            for _ in range(3):
                start = time.perf_counter()
                findings = run_checks(store, glossary)
                times.append(time.perf_counter() - start)
    best = min(times)
    print(f"{'load the glossary (once)':34} {load_s * 1000:8.1f} ms")
    print(f"{'check the sample':34} {best * 1000:8.1f} ms  ×{best / TARGET_S:.3f} of "
          f"{TARGET_S:g} s  ({len(findings)} findings)")


if __name__ == "__main__":
    main()
