"""benchmarks/bench_pdf.py keeps running: its help, and its quick mode on the English sample.

The quick mode lays out the sample with ipviewer and with plain reportlab; the PDFs it keeps
are read back to check that the comparison is fair (the same words, the same fonts, the same
page size), so a change that breaks the benchmark or makes it compare unlike things fails here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_pdf.py"


def _run(*args: str, cwd: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / "cache")}
    done = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> tuple[str, Path]:
    """What ``--quick`` prints, and the folder of the PDFs it made."""
    tmp = tmp_path_factory.mktemp("bench")
    return _run("--quick", "--keep", str(tmp / "kept"), cwd=tmp), tmp / "kept" / "sample-en"


def test_help_names_the_contenders_and_options(tmp_path) -> None:
    text = _run("--help", cwd=tmp_path)
    for word in ("reportlab", "LibreOffice", "--quick", "--runs", "--pages-target",
                 "--no-libreoffice"):
        assert word in text


def _figures(output: str, kind: str) -> tuple[float, float, int, float]:
    """Wall seconds, layout seconds, pages and peak MB of one contender's row."""
    row = next(line for line in output.splitlines() if line.strip().startswith(kind))
    found = re.search(r"([\d.]+) s\s+\(layout\s+([\d.]+) s.*?(\d+) pages\s+peak\s+(\d+) MB", row)
    assert found, row
    wall, layout, pages, mb = found.groups()
    return float(wall), float(layout), int(pages), float(mb)


def test_quick_mode_prints_both_contenders_and_the_ratio(quick) -> None:
    output, _folder = quick
    assert "sample en" in output
    assert not any(line.strip().startswith("LibreOffice") for line in output.splitlines())
    for kind in ("ipviewer", "reportlab"):
        wall, layout, pages, mb = _figures(output, kind)
        assert 0 < layout < wall
        assert pages >= 10  # the English sample is 14–16 pages
        assert mb == 0 or 20 < mb < 2000  # 0: GNU time is not installed
    ratio = re.search(r"ipviewer/reportlab\s+layout\s+([\d.]+)x \(goal <= 1.3x\)", output)
    assert ratio, output
    ipv, plain = _figures(output, "ipviewer")[1], _figures(output, "reportlab")[1]
    # the times are printed to 0.01 s, the ratio from the unrounded ones
    low, high = (ipv - 0.005) / (plain + 0.005), (ipv + 0.005) / (plain - 0.005)
    assert low - 0.01 <= float(ratio.group(1)) <= high + 0.01


def _words(path: Path) -> set[str]:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    text = re.sub(r"[-\u00ad\u2010]\s*\n\s*", "", text)  # words hyphenated at line ends
    return {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)}


def _fonts(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_the_contenders_set_the_same_text_in_the_same_fonts(quick) -> None:
    _output, folder = quick
    ours, plain = folder / "ipviewer.pdf", folder / "reportlab.pdf"
    mine, theirs = _words(ours), _words(plain)
    assert len(theirs) > 300
    assert len(theirs & mine) >= 0.97 * len(theirs)  # ipviewer adds contents, numbering
    assert _fonts(plain) <= _fonts(ours)
    assert not any("Helvetica" in name for name in _fonts(plain))
    boxes = {tuple(round(float(v)) for v in PdfReader(p).pages[1].mediabox) for p in (ours, plain)}
    assert len(boxes) == 1
