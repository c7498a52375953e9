"""PDF export against plain reportlab and LibreOffice: the sample (zh, en, both) and ~300 pages.

    python benchmarks/bench_pdf.py [--runs 3] [--pages-target 300] [--no-libreoffice]
    python benchmarks/bench_pdf.py --quick        # seconds: the English sample once, no LibreOffice
    python benchmarks/bench_pdf.py --profile      # where the time goes (cProfile), ~300 pages
    python benchmarks/bench_pdf.py --src CHECKOUT # another checkout's ipviewer, same harness

The contenders set the same text, each as a fresh process, in turn (A B C A B C ...) so
that a machine that slows down slows all of them:

* **ipviewer**: ``export_pdf`` as ``ipviewer export`` calls it (the checks of the export gate
  are not timed: the sample carries a deliberate error that the gate would stop on);
* **ipviewer --print**: the same with the print edition (CMYK, PDF/X-4), where the measured
  ipviewer has one (``ExportOptions.print_ready``);
* **reportlab**: the same text (ipviewer's :func:`build_content`), the same subset fonts
  (ipviewer's font preparation, from the same disk cache), the same paragraph styles, page
  size and margins, laid out by a plain ``SimpleDocTemplate`` with ``Paragraph`` (reportlab's
  own ``wordWrap='CJK'`` for Chinese) and ``Table(repeatRows=1)``, one pass; no cover page
  template, no contents, no outline, no links, no fallback-font runs;
* **LibreOffice**: ``soffice --headless --convert-to pdf`` of the same content written as one
  HTML file (the same fonts by family name, the same sizes, line heights and page margins;
  the charts as SVG images), with a profile made before the timed runs.

Printed per case: the median wall time of the process, the median time inside it spent on
layout (ipviewer's ``layout_pdf`` against the plain ``doc.build``), pages, the peak memory of
the process (and its children), and the ratios ipviewer/reportlab (whole process and layout)
and ipviewer/LibreOffice, next to the goals: layout within 1.3x of plain reportlab, faster
than LibreOffice at 300 pages. Last, the cost of preparing the fonts (memo and disk cache).
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pdf_contenders import libreoffice_env, plain_layout, write_html  # beside this script

from ipviewer.store import ReportStore

# The children import only what they need: the rest is imported where the parent uses it.
#: Goals of issue 15: ipviewer's layout within this many times plain reportlab's; and
#: faster than LibreOffice (ratio below 1) at 300 pages.
REPORTLAB_GOAL, LIBREOFFICE_GOAL = 1.3, 1.0
CONTENDERS = ("ipviewer", "print", "reportlab", "libreoffice")
#: How each contender is named in the table ("print": ipviewer's print edition, where the
#: measured checkout has one: ``ExportOptions.print_ready``, CMYK and PDF/X-4).
SHOWN = {"ipviewer": "ipviewer", "print": "ipviewer --print", "reportlab": "reportlab",
         "libreoffice": "LibreOffice"}


# ----------------------------------------------------------------------------- the children


def _timed(phases: dict[str, float], name: str, fn):
    """``fn`` that adds the seconds each call takes to ``phases[name]``."""
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - start
    return wrapper


def child_ipviewer(report: Path, out: Path, lang: str,
                   print_ready: bool = False) -> dict[str, float]:
    """ipviewer's export as the command line runs it, its phases timed."""
    from reportlab.platypus.doctemplate import BaseDocTemplate

    from ipviewer.cli.shared import shipped_glossary
    from ipviewer.pdf import export

    phases: dict[str, float] = {}
    for name, attr in (("content", "build_content"), ("fonts", "prepare_fonts"),
                       ("layout", "layout_pdf"), ("print", "make_print_ready")):
        if hasattr(export, attr):  # another checkout (--src) may have moved it
            setattr(export, attr, _timed(phases, name, getattr(export, attr)))
    passes: list[float] = []  # each run of reportlab's build: one layout pass
    build = BaseDocTemplate.build

    def timed_build(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return build(self, *args, **kwargs)
        finally:
            passes.append(time.perf_counter() - start)

    BaseDocTemplate.build = timed_build
    with ReportStore.open(report) as store:
        options = export.ExportOptions(lang=lang)
        if print_ready:
            options.print_ready = True
        result = export.export_pdf(store, out, options, glossary=shipped_glossary())
    return {**phases, "passes": passes, "pages": result.pages}


def child_reportlab(report: Path, out: Path, lang: str) -> dict[str, float]:
    """The same content and fonts as ipviewer's export, laid out by plain reportlab."""
    from ipviewer.cli.shared import shipped_glossary
    from ipviewer.pdf.content import build_content
    from ipviewer.pdf.export import ExportOptions, _prepare_fonts, _replace_missing

    phases: dict[str, float] = {}
    options = ExportOptions(lang=lang)
    with ReportStore.open(report) as store:
        start = time.perf_counter()
        content = build_content(store, lang, shipped_glossary(), charts=True,
                                edition=options.edition)
        phases["content"] = time.perf_counter() - start
    start = time.perf_counter()
    fonts = _prepare_fonts(content, options, [])
    _replace_missing(content, fonts, [])
    phases["fonts"] = time.perf_counter() - start
    start = time.perf_counter()
    data, pages = plain_layout(content, fonts)
    phases["layout"] = time.perf_counter() - start
    out.write_bytes(data)
    return {**phases, "pages": pages}


def run_child(kind: str, report: Path, out: Path, lang: str) -> None:
    """Child process: lay out one PDF, print its phases and pages as JSON."""
    if kind == "print":
        result = child_ipviewer(report, out, lang, print_ready=True)
    else:
        result = {"ipviewer": child_ipviewer, "reportlab": child_reportlab}[kind](report, out,
                                                                                 lang)
    print("BENCH " + json.dumps(result))


# ----------------------------------------------------------------------------- the content


def prepare(report: Path, lang: str):
    """The content of ``report`` in ``lang`` and its fonts, prepared into the disk cache
    that every contender then reads (so no timed run pays for converting fonts)."""
    from ipviewer.cli.shared import shipped_glossary
    from ipviewer.pdf.content import build_content
    from ipviewer.pdf.export import ExportOptions, _prepare_fonts

    with ReportStore.open(report) as store:
        content = build_content(store, lang, shipped_glossary(), charts=True)
    return content, _prepare_fonts(content, ExportOptions(lang=lang), [])


# ----------------------------------------------------------------------------- measuring


#: GNU time reports the peak memory of the process it runs, and only of that process: the
#: ``ru_maxrss`` of a child of this (large) Python process would start at our own size.
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


def measure(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float, str]:
    """Wall seconds, peak MB (of the process and the children it waited for; 0 where GNU
    time is not installed) and what the process printed."""
    peak = log.with_suffix(".peak")
    if GNU_TIME:
        command = [GNU_TIME, "-f", "%M", "-o", str(peak), *command]
    start = time.perf_counter()
    with open(log, "w") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                              check=False)
    seconds = time.perf_counter() - start
    text = log.read_text(errors="replace")
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{text}")
    mb = int(peak.read_text().split()[-1]) / 1024 if GNU_TIME else 0.0
    return seconds, mb, text


class Case:
    """One document (a report in one language) set by each contender, ``runs`` times."""

    def __init__(self, name: str, report: Path, lang: str, tmp: Path,
                 libreoffice: tuple[list[str], dict[str, str]] | None) -> None:
        self.name, self.report, self.lang, self.tmp = name, report, lang, tmp
        self.libreoffice = libreoffice
        self.folder = tmp / name.replace(" ", "-")
        self.folder.mkdir()
        content, fonts = prepare(report, lang)
        self.html = write_html(content, fonts, self.folder) if libreoffice else None
        self.results: dict[str, list[dict[str, float]]] = {k: [] for k in CONTENDERS}

    def run(self, kind: str, env: dict[str, str]) -> None:
        out = self.folder / f"{kind}.pdf"
        log = self.folder / f"{kind}.log"
        if kind == "libreoffice":
            prefix, lo_env = self.libreoffice
            seconds, mb, _text = measure(prefix + [str(self.folder), str(self.html)], lo_env,
                                         log)
            produced = self.folder / (self.html.stem + ".pdf")
            produced.replace(out)
            phases: dict[str, float] = {}
        else:
            command = [sys.executable, __file__, "--child", kind, str(self.report), str(out),
                       self.lang]
            seconds, mb, text = measure(command, env, log)
            phases = json.loads(text.rsplit("BENCH ", 1)[1].splitlines()[0])
        phases.update(wall=seconds, mb=mb, pages=pdf_pages(out))
        self.results[kind].append(phases)

    def median(self, kind: str, key: str) -> float | None:
        values = [r[key] for r in self.results[kind] if key in r]
        return statistics.median(values) if values else None


def has_print_edition() -> bool:
    """Whether the measured ipviewer has the print edition (``--print``)."""
    from ipviewer.pdf.export import ExportOptions

    return "print_ready" in ExportOptions.__dataclass_fields__


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:5.2f}x" if a is not None and b else "    - "


def report_case(case: Case, big: bool) -> list[str]:
    """Rows for one case: each contender, then the ratios against the goals."""
    lines = []
    for kind in CONTENDERS:
        if not case.results[kind]:
            continue
        phases = []
        for key in ("layout", "content", "fonts", "print"):
            value = case.median(kind, key)
            if key == "print" and value is None:
                continue
            phases.append(f"{key} {value:6.2f} s" if value is not None else f"{key} {'-':>6}  ")
        passes = [r["passes"] for r in case.results[kind] if r.get("passes")]
        if passes:
            each = [statistics.median(p[i] for p in passes) for i in range(len(passes[0]))]
            phases.append(f"{len(each)} pass{'es' if len(each) > 1 else ''} "
                          + " + ".join(f"{t:.2f}" for t in each) + " s")
        lines.append(f"  {SHOWN[kind]:16} {case.median(kind, 'wall'):7.2f} s  ({', '.join(phases)})  "
                     f"{case.median(kind, 'pages'):5.0f} pages  "
                     f"peak {case.median(kind, 'mb'):5.0f} MB")
    iv = case.median("ipviewer", "wall")
    rl, lo = case.median("reportlab", "wall"), case.median("libreoffice", "wall")
    layout_ratio = _ratio(case.median("ipviewer", "layout"), case.median("reportlab", "layout"))
    lines.append(f"  ipviewer/reportlab  layout {layout_ratio} (goal <= {REPORTLAB_GOAL}x)"
                 f"   whole process {_ratio(iv, rl)}"
                 f"   memory {_ratio(case.median('ipviewer', 'mb'), case.median('reportlab', 'mb'))}")
    if lo is not None:
        goal = f" (goal < {LIBREOFFICE_GOAL:g}x at 300 pages)" if big else ""
        lines.append(f"  ipviewer/LibreOffice  whole process {_ratio(iv, lo)}{goal}"
                     f"   memory {_ratio(case.median('ipviewer', 'mb'), case.median('libreoffice', 'mb'))}")
    printed = case.median("print", "wall")
    if printed is not None:
        lines.append(f"  ipviewer --print/reportlab  whole process {_ratio(printed, rl)}"
                     + (f"   ipviewer --print/LibreOffice {_ratio(printed, lo)}" if lo else ""))
    return lines


# ----------------------------------------------------------------------------- the reports


def big_report(path: Path, copies: int) -> None:
    """The sample's parts repeated ``copies`` times (same bindings, same indicators)."""
    from ipviewer.importing.pipeline import merge_translation, parse_text
    from ipviewer.sample import sample_indicator_rows, sample_text

    english, chinese = parse_text(sample_text("en"), "en"), parse_text(sample_text("zh"), "zh")
    merge_translation(english, chinese)
    overview, parts = english.nodes[0], english.nodes[1:]
    english.nodes = [overview] + [copy.deepcopy(p) for _ in range(copies) for p in parts]
    rows = sample_indicator_rows()
    with ReportStore.create(path, english, 2024) as store:
        store.set_report_fields("zh", chinese.title, chinese.publisher, chinese.date)
        store.upsert_indicators([row.as_store_dict() for row in rows])


def pages_of(report: Path, lang: str, tmp: Path, env: dict[str, str]) -> int:
    out = tmp / "probe.pdf"
    measure([sys.executable, __file__, "--child", "ipviewer", str(report), str(out), lang],
            env, tmp / "probe.log")
    return pdf_pages(out)


def sized_report(tmp: Path, target: int, env: dict[str, str]) -> tuple[Path, int]:
    """A bilingual report of about ``target`` pages and how many copies of the parts it has."""
    probe = tmp / "probe.sqlite"
    big_report(probe, 2)
    two = pages_of(probe, "both", tmp, env)
    big_report(probe, 4)
    four = pages_of(probe, "both", tmp, env)
    copies = max(1, math.ceil(2 + (target - two) / max(1.0, (four - two) / 2)))
    big = tmp / "big.sqlite"
    big_report(big, copies)
    pages = pages_of(big, "both", tmp, env)  # the contents grow too: check, correct once
    if abs(pages - target) > 0.03 * target:
        copies = max(1, round(copies * target / pages))
        big_report(big, copies)
    return big, copies


def font_lines(cache: Path) -> list[str]:
    """Preparing the fonts for the sample's text again: memo, then disk cache."""
    from ipviewer.pdf import fonts as fontlib
    from ipviewer.sample import sample_text

    text = sample_text("en") + sample_text("zh")
    fontlib.prepare_fonts(text, cache_dir=cache)
    lines = []
    for name, forget, target in (("fonts again, same process", False, 0.2),
                                 ("fonts from the disk cache", True, 0.5)):
        if forget:
            fontlib.clear_memo()
        start = time.perf_counter()
        fontlib.prepare_fonts(text, cache_dir=cache)
        took = time.perf_counter() - start
        lines.append(f"{name:28} {took * 1000:7.1f} ms  (goal < {target * 1000:g} ms)")
    return lines


#: What the profile of a layout is cut into: (label, module path ending, function names).
#: The groups overlap (widths are measured inside line breaking and drawing).
PROFILE_GROUPS = (
    ("layout in all (layout_pdf / doc.build)", ("ipviewer/pdf/layout.py",), ("layout_pdf",)),
    ("  reportlab build, every pass", ("platypus/doctemplate.py",), ("build",)),
    ("  story: markup and font runs", ("ipviewer/pdf/layout.py",), ("build",)),
    ("  font runs (fallback font)", ("ipviewer/pdf/fonts.py",), ("font_runs",)),
    ("  line breaking, Chinese (ipviewer)", ("ipviewer/pdf/cjk.py",), ("breakLinesCJK",)),
    ("  line breaking, Chinese (reportlab)", ("platypus/paragraph.py",), ("breakLinesCJK",)),
    ("  line breaking, Latin (reportlab)", ("platypus/paragraph.py",), ("breakLines",)),
    ("  line breaking, English (ipviewer)", ("ipviewer/pdf/hyphenation.py",), ("breakLines",)),
    ("  glyph widths (stringWidth)", ("pdfbase/pdfmetrics.py",), ("stringWidth",)),
    ("  contents: TOC wrap / numbers filled in", ("ipviewer/pdf/layout.py",
                                                   "ipviewer/pdf/front_matter.py"),
     ("wrap", "finish")),
    ("  tables: measure rows (PagedTable)", ("ipviewer/pdf/paged_table.py",), ("_measure",)),
    ("  tables: reportlab Table wrap", ("platypus/tables.py",), ("wrap",)),
    ("  tables: reportlab Table draw", ("platypus/tables.py",), ("draw",)),
    ("  charts: built (bar_chart)", ("ipviewer/pdf/charts.py",), ("bar_chart",)),
    ("  charts: drawn (renderPDF)", ("graphics/renderPDF.py",), ("draw",)),
    ("  paragraphs drawn (drawPara)", ("platypus/paragraph.py",), ("drawPara",)),
    ("  PDF written (canvas.save)", ("pdfgen/canvas.py",), ("save",)),
)


def profile_shares(path: Path) -> dict[str, float]:
    """Cumulative seconds of each :data:`PROFILE_GROUPS` group in a cProfile file (the
    largest matching function: a group is one entry point, not a sum of nested ones)."""
    import pstats

    stats = pstats.Stats(str(path)).stats  # (file, line, name) -> (cc, nc, tt, ct, callers)
    shares = {}
    for label, files, names in PROFILE_GROUPS:
        found = [ct for (file, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.items()
                 if name in names and file.replace("\\", "/").endswith(files)]
        if label.startswith("layout in all") and not found:  # plain reportlab: doc.build
            found = [ct for (file, _l, name), (*_x, ct, _c) in stats.items()
                     if name == "plain_layout"]
        shares[label] = max(found) if found else 0.0
    return shares


def profile(tmp: Path, target: int, env: dict[str, str]) -> list[str]:
    """cProfile both reportlab contenders on a report of ``target`` pages; rows per group."""
    report, copies = sized_report(tmp, target, env) if target else (tmp / "sample.sqlite", 0)
    prepare(report, "both")
    timed = {}
    for kind in ("ipviewer", "reportlab"):
        out = tmp / f"{kind}.pdf"
        _s, _mb, text = measure([sys.executable, __file__, "--child", kind, str(report),
                                 str(out), "both"], env, tmp / f"{kind}.log")
        timed[kind] = json.loads(text.rsplit("BENCH ", 1)[1].splitlines()[0])
    shares = {}
    for kind in ("ipviewer", "reportlab"):
        prof = tmp / f"{kind}.prof"
        measure([sys.executable, "-m", "cProfile", "-o", str(prof), __file__, "--child", kind,
                 str(report), str(tmp / f"{kind}.pdf"), "both"], env, tmp / f"{kind}.log")
        shares[kind] = profile_shares(prof)
    iv, rl = timed["ipviewer"], timed["reportlab"]
    name = f"report {copies}x the parts" if copies else "the sample"
    passes = " + ".join(f"{t:.2f}" for t in iv["passes"])
    lines = [(f"profile: {name}, both, {iv['pages']} pages (reportlab {rl['pages']}); "
              f"without the profiler: layout {iv['layout']:.2f} s (passes: {passes} s) "
              f"against {rl['layout']:.2f} s"),
             f"{'cumulative seconds under cProfile':40} {'ipviewer':>16} {'reportlab':>16}"]
    totals = {k: shares[k][PROFILE_GROUPS[0][0]] or 1.0 for k in shares}
    for label, _files, _names in PROFILE_GROUPS:
        cells = [f"{shares[k][label]:7.2f} s {shares[k][label] / totals[k]:5.0%}"
                 if shares[k][label] else f"{'-':>16}" for k in ("ipviewer", "reportlab")]
        lines.append(f"{label:40} {cells[0]:>16} {cells[1]:>16}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("--runs", type=int, default=3,
                        help="timed runs of each contender per case (median shown; default 3)")
    parser.add_argument("--pages-target", type=int, default=300,
                        help="pages of the generated report (default 300; 0: none)")
    parser.add_argument("--no-libreoffice", action="store_true",
                        help="leave LibreOffice out even where it is installed")
    parser.add_argument("--quick", action="store_true",
                        help="the English sample once, ipviewer and reportlab only (seconds)")
    parser.add_argument("--keep", type=Path, metavar="FOLDER",
                        help="copy every contender's PDF (and the HTML) into FOLDER")
    parser.add_argument("--profile", action="store_true",
                        help="instead of timing: profile (cProfile) ipviewer and plain "
                             "reportlab on the generated report, time cut into groups")
    parser.add_argument("--src", type=Path, metavar="CHECKOUT",
                        help="measure the ipviewer of another checkout (its src/ folder is "
                             "put first on PYTHONPATH, for this script and its children)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, report, out, lang = args.child
        run_child(kind, Path(report), Path(out), lang)
        return 0
    if args.src and os.environ.get("PYTHONPATH") != str(args.src.resolve() / "src"):
        os.environ["PYTHONPATH"] = str(args.src.resolve() / "src")
        os.execv(sys.executable, [sys.executable, __file__, *(argv or sys.argv[1:])])
    if args.quick:
        args.runs, args.pages_target, args.no_libreoffice = 1, 0, True
    from ipviewer.sample import build_sample

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as name:
        tmp = Path(name)
        cache = tmp / "cache"
        os.environ["XDG_CACHE_HOME"] = str(cache)  # this process prepares the fonts into it
        env = {"XDG_CACHE_HOME": str(cache), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
               "HOME": str(tmp)}
        if os.environ.get("PYTHONPATH"):
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        libreoffice = None if args.no_libreoffice else libreoffice_env(tmp)
        sample = tmp / "sample.sqlite"
        build_sample(sample).close()
        if args.profile:
            for row in profile(tmp, args.pages_target, env):
                print(row)
            return 0
        langs = ("en",) if args.quick else ("zh", "en", "both")
        cases = [(Case(f"sample {lang}", sample, lang, tmp, libreoffice), False)
                 for lang in langs]
        if args.pages_target:
            big, copies = sized_report(tmp, args.pages_target, env)
            cases.append((Case(f"report {copies}x the parts, both", big, "both", tmp,
                               libreoffice), True))
        kinds = [k for k in CONTENDERS if (k != "libreoffice" or libreoffice)
                 and (k != "print" or (has_print_edition() and not args.quick))]
        # one run of each, not counted: byte code compiled, LibreOffice's profile made
        for kind in () if args.quick else kinds:
            cases[0][0].run(kind, env)
            cases[0][0].results[kind].clear()
        for _ in range(args.runs):
            for case, _big in cases:
                for kind in kinds:
                    case.run(kind, env)
        import ipviewer

        print(f"PDF export, median of {args.runs} run(s) each, fresh processes; ipviewer "
              f"from {Path(ipviewer.__file__).parents[1]}; python "
              f"{sys.version.split()[0]}; LibreOffice: "
              f"{'yes' if libreoffice else 'not run (--no-libreoffice or not installed)'}")
        for case, big in cases:
            print(case.name)
            for row in report_case(case, big):
                print(row)
        for row in font_lines(cache):
            print(row)
        if args.keep:
            for case, _big in cases:
                shutil.copytree(case.folder, args.keep / case.folder.name, dirs_exist_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
