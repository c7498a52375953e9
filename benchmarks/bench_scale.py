"""Growth with the size of a report: import, bind, check and export of 2,000 and 20,000
paragraphs.

    python benchmarks/bench_scale.py [--small 2000] [--large 20000] [--no-export]

A report text of N short English paragraphs (parts, sections with bold leads, paragraphs
of one or two sentences with three figures each, every figure a distinct value so that
``bind`` binds them all) is generated, then each command runs in this process through the
real command line (``click.testing.CliRunner``), so the ratio measures the work and not
the start of a Python process:

- ``import TEXT -o REPORT`` (structure, figures, the report file),
- ``bind REPORT`` (literal figures to ``{{key}}`` placeholders, one transaction),
- ``check REPORT`` (every check, the shipped glossary included),
- ``export REPORT -o PDF --lang en --no-charts``.

For each it prints the seconds at both sizes and their ratio against the target: 20,000
paragraphs in under 20× the time of 2,000 (the growth of linear work is 10×). The peer
for the export is plain reportlab laying out the same paragraphs as the same number of
``Paragraph`` flowables in a ``SimpleDocTemplate`` (no fonts subset, no contents, no
tables): what any reportlab program pays for those pages.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

TARGET_RATIO = 20.0

_EN_LEADS = ("Patent work advanced.", "Trademark protection improved.",
             "Copyright services grew.", "Enforcement was strengthened.",
             "Public services were extended.")
_NOUNS = ("invention patents", "trademark registrations", "PCT international applications",
          "IP cases", "pledge financing transactions", "copyright registrations",
          "mediation cases", "geographical indications")


def scale_text(paragraphs: int, year: int = 2024) -> str:
    """A report text of ``paragraphs`` short English paragraphs, every figure distinct."""
    lines = [f"# Intellectual Property Development in the Year {year}", ""]
    per_section = max(1, paragraphs // 50)
    n = 0
    part = 0
    while n < paragraphs:
        part += 1
        lines += [f"## {_roman(part)}. Work of the {part} area", ""]
        for section in range(5):
            lines += [f"**{_EN_LEADS[section]}** The area kept its course.", ""]
            for _ in range(per_section):
                if n >= paragraphs:
                    break
                a, b = _NOUNS[n % len(_NOUNS)], _NOUNS[(n + 3) % len(_NOUNS)]
                lines += [f"The office granted {10_000 + 7 * n:,} {a}, up "
                          f"{1 + n % 97}.{n % 10}{(n // 10) % 10}% year-on-year, and handled "
                          f"{500_000 + 13 * n:,} {b}. Fines totaled "
                          f"{3 + n / 1000:.3f} million RMB.", ""]
                n += 1
            if n >= paragraphs:
                break
    return "\n".join(lines) + "\n"


def _roman(value: int) -> str:
    out = []
    for letters, amount in (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100),
                            ("XC", 90), ("L", 50), ("XL", 40), ("X", 10), ("IX", 9),
                            ("V", 5), ("IV", 4), ("I", 1)):
        while value >= amount:
            out.append(letters)
            value -= amount
    return "".join(out)


def run(args: list[str]) -> float:
    """Seconds one ``ipviewer`` command takes in this process (it must succeed)."""
    from ipviewer.cli import cli

    gc.collect()
    start = time.perf_counter()
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    seconds = time.perf_counter() - start
    if result.exit_code not in (0, 1):  # check exits 1 on findings
        sys.exit(f"ipviewer {' '.join(args)} failed ({result.exit_code}): {result.output}")
    return seconds


def reportlab_peer(text: str, pdf: Path) -> float:
    """Seconds plain reportlab takes to lay out the paragraphs of ``text`` as a PDF."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from xml.sax.saxutils import escape

    gc.collect()
    start = time.perf_counter()
    style = getSampleStyleSheet()["BodyText"]
    story = [Paragraph(escape(block), style) for block in text.split("\n\n") if block.strip()]
    SimpleDocTemplate(str(pdf), pagesize=A4).build(story)
    return time.perf_counter() - start


def measure(paragraphs: int, folder: Path, export: bool) -> dict[str, float]:
    text = scale_text(paragraphs)
    source = folder / f"r{paragraphs}.txt"
    source.write_text(text, encoding="utf-8")
    report = folder / f"r{paragraphs}.sqlite"
    times = {"import": run(["import", str(source), "-o", str(report)]),
             "bind": run(["bind", str(report)]),
             "check": run(["check", str(report)])}
    if export:
        times["export"] = run(["export", str(report), "-o", str(folder / f"r{paragraphs}.pdf"),
                               "--lang", "en", "--no-charts"])
        times["reportlab alone"] = reportlab_peer(text, folder / f"peer{paragraphs}.pdf")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--no-export", action="store_true", help="skip the PDF export")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # the fonts are prepared (subset and converted) once and cached: not part of growth
        measure(50, folder, export=not options.no_export)
        small = measure(options.small, folder, not options.no_export)
        large = measure(options.large, folder, not options.no_export)
    print(f"{'':16} {options.small:>9,} ¶  {options.large:>9,} ¶   ratio  "
          f"(target: under {TARGET_RATIO:g}×; linear is {options.large / options.small:g}×)")
    for name in small:
        ratio = large[name] / small[name]
        print(f"{name:16} {small[name]:9.2f} s  {large[name]:9.2f} s  {ratio:6.1f}×  "
              f"{ratio / TARGET_RATIO:5.2f} of target")


if __name__ == "__main__":
    main()
