"""PDF export speed and memory: the bilingual sample (zh, en, both) and a ~300-page report.

    python benchmarks/bench_pdf.py [--pages-target 300]

Each export runs as a fresh `ipviewer export` process; the script prints the wall time,
the pages, pages per second and the peak memory of that process, and the ratio to the
targets (sample < 2 s, 300 pages < 15 s, memory < 400 MB). The first run of each language
prepares (subsets and converts) the fonts; the second shows the cached case. Last, inside
one process: preparing the fonts for the sample's text again (memo, target 0.2 s) and as a
new process would, from the disk cache (target 0.5 s).
"""

from __future__ import annotations

import copy
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from ipviewer.importing.pipeline import merge_translation, parse_text
from ipviewer.pdf import fonts as fontlib
from ipviewer.sample import build_sample, sample_indicator_rows, sample_text
from ipviewer.store import ReportStore

SAMPLE_TARGET_S, BIG_TARGET_S, MEMORY_TARGET_MB = 2.0, 15.0, 400.0


_CHILD = """
import resource, sys
from ipviewer.cli import main
try:
    main()
finally:
    print("PEAK_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def export(report: Path, out: Path, lang: str, cache: Path) -> tuple[float, int, float]:
    """Seconds, pages and peak MB of one fresh export process."""
    start = time.perf_counter()
    done = subprocess.run(
        # --draft: the sample keeps the published report's own error, which stops a final
        [sys.executable, "-c", _CHILD, "export", str(report), "-o", str(out), "--lang", lang,
         "--force", "--draft"],
        check=True, capture_output=True, text=True,
        env={"XDG_CACHE_HOME": str(cache), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
             **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {})})
    seconds = time.perf_counter() - start
    peak_kb = int(done.stderr.rsplit("PEAK_KB", 1)[1].split()[0])
    return seconds, len(PdfReader(out).pages), peak_kb / 1024


def big_report(path: Path, copies: int) -> None:
    """The sample's parts repeated ``copies`` times (same bindings, same indicators)."""
    english, chinese = parse_text(sample_text("en"), "en"), parse_text(sample_text("zh"), "zh")
    merge_translation(english, chinese)
    overview, parts = english.nodes[0], english.nodes[1:]
    english.nodes = [overview] + [copy.deepcopy(p) for _ in range(copies) for p in parts]
    rows = sample_indicator_rows()
    with ReportStore.create(path, english, 2024) as store:
        store.set_report_fields("zh", chinese.title, chinese.publisher, chinese.date)
        store.upsert_indicators([row.as_store_dict() for row in rows])


def line(name: str, seconds: float, pages: int, mb: float, target: float) -> str:
    return (f"{name:34} {seconds:6.2f} s  {pages:4d} pages  {pages / seconds:6.1f} pages/s  "
            f"peak {mb:6.0f} MB  time ×{seconds / target:.2f} of {target:g} s  "
            f"memory ×{mb / MEMORY_TARGET_MB:.2f}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cache = tmp / "cache"
        sample = tmp / "sample.sqlite"
        build_sample(sample).close()
        for lang in ("zh", "en", "both"):
            for run in ("first (fonts prepared)", "second (fonts cached)"):
                seconds, pages, mb = export(sample, tmp / f"{lang}.pdf", lang, cache)
                print(line(f"sample {lang}, {run}", seconds, pages, mb, SAMPLE_TARGET_S))
        probe = tmp / "probe.sqlite"
        big_report(probe, 2)
        _, two, _ = export(probe, tmp / "probe.pdf", "both", cache)
        big_report(probe, 4)
        _, four, _ = export(probe, tmp / "probe.pdf", "both", cache)
        per_copy = (four - two) / 2  # pages one more copy of the parts adds
        copies = math.ceil(2 + (300 - two) / per_copy)
        big = tmp / "big.sqlite"
        big_report(big, copies)
        seconds, pages, mb = export(big, tmp / "big.pdf", "both", cache)
        print(line(f"generated report ({copies}× the parts)", seconds, pages, mb, BIG_TARGET_S))
        text = sample_text("en") + sample_text("zh")
        fontlib.prepare_fonts(text, cache_dir=cache)
        for name, forget, target in (("fonts again, same process", False, 0.2),
                                     ("fonts from the disk cache", True, 0.5)):
            if forget:
                fontlib.clear_memo()
            start = time.perf_counter()
            fontlib.prepare_fonts(text, cache_dir=cache)
            took = time.perf_counter() - start
            print(f"{name:34} {took * 1000:6.1f} ms  time ×{took / target:.2f} of {target:g} s")


if __name__ == "__main__":
    main()
