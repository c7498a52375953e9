"""Import speed and CLI start-up: figures anyone can reproduce.

    python benchmarks/bench_import.py [SEED_TEXT]

Prints the time to parse the seed (structure + figures), to write it as a report file,
and the wall time of `ipviewer tree` in a fresh process against the target ("well under
a second"), with their ratios to that target; then the figures of the seed's paragraphs
one by one (target 0.2 s) and one paragraph of 300 and of 3,000 figures (the second should
take about ten times the first: extraction is linear).
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ipviewer.importing.pipeline import create_report, parse_file
from ipviewer.prose.extract import extract_figures

TARGET_S = 1.0
FIGURES_TARGET_S = 0.2
LONG = "the city handled 1,234 cases, up 5.5%, and 2,345 patents were granted, "
DEFAULT_SEED = Path(__file__).resolve().parents[2] / "shared/samples/shanghai-ip-2024.en.txt"


def best_of(fn, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    seed = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SEED
    if not seed.exists():
        sys.exit(f"{seed}: not found; pass the path of a report text")
    with tempfile.TemporaryDirectory() as tmp:
        parse_s = best_of(lambda: parse_file(seed))
        counter = iter(range(1000))

        def write() -> None:
            create_report(Path(tmp) / f"r{next(counter)}.sqlite", parse_file(seed),
                          2024).close()

        write_s = best_of(write)
        report = Path(tmp) / "r0.sqlite"
        cli = [sys.executable, "-m", "ipviewer"]
        import_runs = []
        for n in range(5):
            start = time.perf_counter()
            subprocess.run([*cli, "import", str(seed), "-o", f"{tmp}/c{n}.sqlite"], check=True,
                           capture_output=True)
            import_runs.append(time.perf_counter() - start)
        tree_runs = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([*cli, "tree", str(report)], check=True, capture_output=True)
            tree_runs.append(time.perf_counter() - start)
    print(f"seed: {seed.name}, {seed.stat().st_size} bytes")
    print(f"{'parse (structure + figures)':32} {parse_s * 1000:8.1f} ms  "
          f"{parse_s / TARGET_S:6.3f} of target")
    print(f"{'parse + write report file':32} {write_s * 1000:8.1f} ms  "
          f"{write_s / TARGET_S:6.3f} of target")
    for name, runs in (("`ipviewer import` (process)", import_runs),
                       ("`ipviewer tree` (process)", tree_runs)):
        med = statistics.median(runs)
        print(f"{name:32} {med * 1000:8.1f} ms  {med / TARGET_S:6.3f} of target (median of 5)")
    paragraphs = [re.sub(r"[#*]", "", p).strip()
                  for p in re.split(r"\n\s*\n", seed.read_text(encoding="utf-8"))]
    paragraphs = [p for p in paragraphs if p]
    figures_s = best_of(lambda: [extract_figures(p, "en") for p in paragraphs], runs=3)
    print(f"{'figures, paragraph by paragraph':32} {figures_s * 1000:8.1f} ms  "
          f"{figures_s / FIGURES_TARGET_S:6.3f} of {FIGURES_TARGET_S} s "
          f"({len(paragraphs)} paragraphs)")
    short_s = best_of(lambda: extract_figures(LONG * 150, "en"), runs=3)
    long_s = best_of(lambda: extract_figures(LONG * 1500, "en"), runs=3)
    print(f"{'one paragraph, 300 figures':32} {short_s * 1000:8.1f} ms")
    print(f"{'one paragraph, 3,000 figures':32} {long_s * 1000:8.1f} ms  "
          f"×{long_s / short_s:.1f} the time for ×10 the text (linear: about 10)")


if __name__ == "__main__":
    main()
