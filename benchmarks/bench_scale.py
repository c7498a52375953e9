"""Growth with the size of a report: import, bind, check and export of 2,000 and 20,000
paragraphs.

    python benchmarks/bench_scale.py [--small 2000] [--large 20000] [--no-export]

A report text of N short paragraphs in English and the same in Chinese (parts, sections
with bold leads, paragraphs of two sentences with three figures and a rate each, every
figure a distinct value so that ``bind`` binds them all) is generated, then each command
runs in this process through the real command line (``click.testing.CliRunner``), so the
ratio measures the work and not the start of a Python process:

- ``import EN -o REPORT`` and ``import ZH --into REPORT`` (structure, figures, the file),
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

_LEADS = {
    "en": ("Patent work advanced.", "Trademark protection improved.",
           "Copyright services grew.", "Enforcement was strengthened.",
           "Public services were extended."),
    "zh": ("专利工作稳步推进。", "商标保护不断加强。", "版权服务持续提升。", "执法力度进一步加大。",
           "公共服务覆盖面扩大。"),
}
_NOUNS = {
    "en": ("invention patents", "trademark registrations", "PCT international applications",
           "IP cases", "pledge financing transactions", "copyright registrations",
           "mediation cases", "geographical indications"),
    "zh": ("发明专利", "商标注册", "PCT国际专利申请", "知识产权案件", "质押融资项目", "作品登记",
           "调解案件", "地理标志"),
}
_COUNTERS = ("件", "件", "件", "件", "项", "件", "件", "个")


def scale_text(paragraphs: int, lang: str = "en", year: int = 2024) -> str:
    """A report text of ``paragraphs`` short paragraphs in ``lang`` ('en' or 'zh'), every
    figure distinct; both languages have the same structure and figures."""
    zh = lang == "zh"
    title = f"{year}年知识产权发展状况" if zh else \
        f"Intellectual Property Development in the Year {year}"
    lines = [f"# {title}", ""]
    per_section = max(1, paragraphs // 50)
    n = part = 0
    while n < paragraphs:
        part += 1
        heading = f"{_chinese(part)}、第{part}部分工作" if zh else \
            f"{_roman(part)}. Work of area {part}"
        lines += [f"## {heading}", ""]
        for section in range(5):
            lead = _LEADS[lang][section]
            lines += [f"**{lead}**本领域保持稳定。" if zh else
                      f"**{lead}** The area kept its course.", ""]
            for _ in range(per_section):
                if n >= paragraphs:
                    break
                lines += [_paragraph(n, lang), ""]
                n += 1
            if n >= paragraphs:
                break
    return "\n".join(lines) + "\n"


def _paragraph(n: int, lang: str) -> str:
    """Paragraph ``n``: three figures and a year-on-year rate, distinct from every other."""
    nouns = _NOUNS[lang]
    a, b = n % len(nouns), (n + 3) % len(nouns)
    granted, handled, fines = 10_000 + 7 * n, 500_000 + 13 * n, 3_000 + n
    rate = f"{1 + n % 97}.{n % 10}{(n // 10) % 10}"
    if lang == "zh":
        return (f"全年授权{nouns[a]}{granted}{_COUNTERS[a]}，同比增长{rate}%，办理{nouns[b]}"
                f"{handled}{_COUNTERS[b]}。罚没款{fines / 10:.1f}万元。")
    return (f"The office granted {granted:,} {nouns[a]}, up {rate}% year-on-year, and handled "
            f"{handled:,} {nouns[b]}. Fines totaled {fines / 1000:.3f} million RMB.")


def _chinese(value: int) -> str:
    digits = "零一二三四五六七八九"
    tens, ones = divmod(value, 10)
    return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (
        digits[ones] if ones or not tens else "")


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
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    gc.collect()
    start = time.perf_counter()
    style = getSampleStyleSheet()["BodyText"]
    story = [Paragraph(escape(block), style) for block in text.split("\n\n") if block.strip()]
    SimpleDocTemplate(str(pdf), pagesize=A4).build(story)
    return time.perf_counter() - start


def measure(paragraphs: int, folder: Path, export: bool) -> dict[str, float]:
    sources = {}
    for lang in ("en", "zh"):
        sources[lang] = folder / f"r{paragraphs}.{lang}.txt"
        sources[lang].write_text(scale_text(paragraphs, lang), encoding="utf-8")
    report = folder / f"r{paragraphs}.sqlite"
    times = {"import": run(["import", str(sources["en"]), "-o", str(report)])
             + run(["import", str(sources["zh"]), "--into", str(report)]),
             "bind": run(["bind", str(report)]),
             "check": run(["check", str(report)])}
    if export:
        times["export"] = run(["export", str(report), "-o", str(folder / f"r{paragraphs}.pdf"),
                               "--lang", "en", "--no-charts"])
        text = sources["en"].read_text(encoding="utf-8")
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
