"""The commands on a whole report: ``import``, ``tree``, ``render``, ``bind``, ``export``,
``check``, ``sample`` and ``new-year``.

The modules behind them (importing, bindings, checks, the PDF) are imported inside the
commands: the rest of the command line starts without them.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..i18n import N_, _, ngettext
from ..model import display_title
from ..prose.cross_refs import NodeNumbers
from ..store import StoreError
from .help_text import command, option
from .shared import (
    INPUT_FILE,
    YEARS,
    BadInput,
    catalog_file,
    catalog_option,
    default_catalog,
    encoding_option,
    exit_with_findings,
    load_glossary,
    open_for_writing,
    open_report,
    open_sound_report,
    refuse_output,
    refuse_the_report,
    shipped_glossary,
    warn,
)

#: The ``-o/--output`` help of the commands that create a report file.
REPORT_OUTPUT_HELP = N_("The report file to create (.sqlite).")
#: The ``--force`` help of the commands that write OUTPUT.
REPLACE_OUTPUT_HELP = N_("Replace OUTPUT if it exists.")


@command("import", help=N_("Import a report's text into a new report file, or add the "
                           "other language to a report with --into."))
@click.argument("source", type=INPUT_FILE)
@option("-o", "--output", type=click.Path(path_type=Path), help=REPORT_OUTPUT_HELP)
@option("--into", "into", type=click.Path(path_type=Path),
        help=N_("Add SOURCE as the other language of this existing report."))
@option("--year", type=YEARS,
        help=N_("The report year (default: the year in the title, else the latest heading "
                "that is a year, else the year the text names most often)."))
@option("--lang", type=click.Choice(["en", "zh"]),
        help=N_("Language of the text (default: detected)."))
@option("--force", is_flag=True,
        help=N_("Replace OUTPUT if it exists (with --into: replace that language's text)."))
@encoding_option
def import_command(source: Path, output: Path | None, into: Path | None, year: int | None,
                   lang: str | None, force: bool, encoding: str | None) -> None:
    """Import a report's text (converted Markdown-ish text) into a report file."""
    from ..importing.pipeline import create_report, parse_file  # only here
    from ..importing.source import SourceError
    from ..importing.years import infer_year

    if (output is None) == (into is None):
        raise BadInput(_("give either -o OUTPUT (a new report) or --into REPORT (add a language)"))
    if into is not None:
        refuse_the_report(source, into)
        _import_into(source, into, lang, force, encoding)
        return
    refuse_output(output, source, force=force)
    try:
        parsed = parse_file(source, lang, encoding)
    except SourceError as exc:
        raise BadInput(str(exc)) from exc
    choice = infer_year(parsed, year)
    if choice.year is None:
        raise BadInput(_("{path}: cannot tell the report's year: {reason}; give it with "
                         "--year").format(path=source, reason=choice.reason))
    try:
        store = create_report(output, parsed, choice.year, choice.node_years,
                              shipped_glossary() if parsed.lang == "zh" else None)
    except StoreError as exc:
        raise BadInput(str(exc)) from exc
    with store:
        nodes = sum(1 for _node in parsed.walk())
        count = store.indicator_count()
    click.echo(_("{path}: year {year}: {reason}").format(
        path=output, year=choice.year, reason=choice.reason))
    others = sorted(set(choice.node_years.values()) - {choice.year})
    if others:
        click.echo(_("{path}: the figures under the headings {years} are stored as those "
                     "years' values").format(path=output, years=", ".join(map(str, others))))
    click.echo(_("{path}: {nodes} nodes, {count} indicators ({lang}, {year})").format(
        path=output, nodes=nodes, count=count, lang=parsed.lang, year=choice.year))


def _import_into(source: Path, report: Path, lang: str | None, force: bool,
                 encoding: str | None) -> None:
    """``import --into``: the other language, aligned by structure; nothing written on a
    mismatch."""
    from ..importing.pipeline import add_translation
    from ..importing.source import SourceError, read_source
    from ..script import language_of

    try:
        lang = lang or language_of(read_source(source, encoding))
        with open_for_writing(report) as store, store.transaction():  # read, align, write
            problems = add_translation(store, source, lang, replace=force,  # as one
                                       encoding=encoding)
    except (SourceError, StoreError) as exc:
        raise BadInput(str(exc)) from exc
    if problems:
        raise BadInput(_("{source}: not added to {report}: {problems}").format(
            source=source, report=report, problems="; ".join(problems[:5])))
    click.echo(_("{report}: {lang} text added from {source}").format(
        report=report, lang=lang, source=source))


@command(help=N_("Print the structure of REPORT, indented."))
@click.argument("report", type=click.Path(path_type=Path))
@option("--lang", type=click.Choice(["en", "zh", "both"]), default="both",
        show_default=True, help=N_("Which language's titles to show."))
def tree(report: Path, lang: str) -> None:
    """Print the structure of REPORT, indented."""
    with open_report(report) as store:
        info = store.report()
        nodes = store.load_tree()
        refs = NodeNumbers.from_tree(nodes)  # numbers from the order, never the stored ones
        for damage in store.damage():
            warn(damage)
    click.echo(f"{info['title_en'] or info['title_zh']} ({info['year']})")
    langs = ("en", "zh") if lang == "both" else (lang,)

    def show(node, depth: int) -> None:
        if node.kind == "paragraph":
            return
        names = [refs.fill(n, code) for code in langs if (n := display_title(node, code))]
        count = sum(1 for c in node.children if c.kind == "paragraph")
        suffix = f"  [{count} ¶]" if count else ""
        click.echo("  " * depth + " | ".join(dict.fromkeys(names)) + suffix)
        for child in node.children:
            show(child, depth + 1)

    for node in nodes:
        show(node, 1)


@command(help=N_("Write the report's text in one language, its figures filled in "
                 "(Markdown that `import` reads back)."))
@click.argument("report", type=click.Path(path_type=Path))
@option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
        help=N_("Language to write."))
def render(report: Path, lang: str) -> None:
    """The report as Markdown in one language."""
    from ..prose.bindings import BindingError
    from ..report_text import render_report

    with open_sound_report(report) as store:
        try:
            click.echo(render_report(store, lang), nl=False)
        except BindingError as exc:
            raise BadInput(_("{path}: {problem}").format(path=report, problem=exc)) from exc


@command(help=N_("Replace literal figures in the text of REPORT that match its indicator "
                 "table by bindings, and list those that match none."))
@click.argument("report", type=click.Path(path_type=Path))
@option("--dry-run", is_flag=True, help=N_("Only list what would change."))
def bind(report: Path, dry_run: bool) -> None:
    """Literal figures → {{key}} bindings, both languages, in one transaction."""
    from ..bind_report import BindingError, bind_report

    with (open_report(report) if dry_run else open_for_writing(report)) as store:
        try:
            result = bind_report(store, dry_run)
        except (BindingError, StoreError) as exc:
            raise BadInput(_("{path}: nothing bound: {problem}").format(
                path=report, problem=exc)) from exc
    for where, figure in result.unmatched:
        click.echo(_("{where}: “{figure}” matches no indicator of {year}").format(
            where=where, figure=figure.text, year=result.year))
    click.echo(_("{path}: {count} figures bound{dry}").format(
        path=report, count=result.bound,
        dry=_(" (dry run: nothing written)") if dry_run else ""))


@command(help=N_("Export REPORT as a print-ready PDF white paper."))
@click.argument("report", type=click.Path(path_type=Path))
@option("-o", "--output", required=True, type=click.Path(path_type=Path),
        help=N_("The PDF file to write."))
@option("--lang", type=click.Choice(["zh", "en", "both"]), default="zh", show_default=True,
        help=N_("Language of the PDF (both: each section in Chinese, then English)."))
@option("--paper", type=click.Choice(["A4", "letter"], case_sensitive=False), default="A4",
        show_default=True, help=N_("Paper size."))
@option("--crop-marks", is_flag=True, help=N_("Add crop marks and trim/bleed boxes."))
@option("--bleed", "bleed_mm", type=click.FloatRange(0, 10), default=0.0,
        help=N_("Bleed in millimetres (with --crop-marks)."))
@option("--no-charts", is_flag=True, help=N_("Leave out the charts."))
@option("--font", "font_path", type=INPUT_FILE,
        help=N_("A CJK font file to use instead of the bundled Noto fonts (default: the "
                "font chosen in the window's Preferences, if any)."))
@option("--allow-cid-font", is_flag=True,
        help=N_("If no CJK font is found, use the non-embedded STSong-Light font "
                "(the PDF is then not print-ready)."))
@option("--draft", is_flag=True,
        help=N_("Export even though the checks find errors: every page is marked DRAFT "
                "(草稿), and so is the PDF's metadata; a figure that cannot be filled in is "
                "printed as missing."))
@option("--print", "print_ready", is_flag=True,
        help=N_("Print-ready for a print shop: CMYK throughout (black text in black ink "
                "only), PDF/X-4 with the FOGRA39 printing condition embedded."))
@option("--force", is_flag=True, help=REPLACE_OUTPUT_HELP)
def export(report: Path, output: Path, lang: str, paper: str, crop_marks: bool, bleed_mm: float,
           no_charts: bool, font_path: Path | None, allow_cid_font: bool, draft: bool,
           print_ready: bool, force: bool) -> None:
    """The report as a PDF; a final one only when ``check`` finds no error (else exit 1)."""
    from ..pdf.export import ExportError, ExportOptions, export_pdf
    from ..pdf.gate import export_gate

    if font_path is None:  # the font chosen in Edit → Preferences…, if any
        from ..preferences import export_defaults

        saved = export_defaults()["font_path"]
        font_path = Path(saved) if saved else None
    if font_path is not None:
        _check_font_file(font_path)
    refuse_output(output, report, font_path, default_catalog(), force=force)
    options = ExportOptions(
        lang=lang, paper="letter" if paper.lower() == "letter" else "A4", crop_marks=crop_marks,
        bleed_mm=bleed_mm, charts=not no_charts, allow_cid=allow_cid_font,
        font_path=str(font_path) if font_path else None, draft=draft, print_ready=print_ready)
    glossary = shipped_glossary()
    with open_sound_report(report) as store:
        verdict = None if draft else export_gate(store, glossary)
        if verdict is not None and verdict.closed:  # before any PDF work: nothing written
            for line in verdict.lines(report):
                click.echo(line, err=True)
            exit_with_findings()
        try:
            result = export_pdf(store, output, options, glossary=glossary)
        except ExportError as exc:
            raise BadInput(str(exc)) from exc
    for warning in result.warnings:
        warn(warning)
    message = _("{path}: {pages} pages, a draft ({seconds:.1f} s)") if result.draft else \
        _("{path}: {pages} pages ({seconds:.1f} s)")
    click.echo(message.format(path=result.path, pages=result.pages, seconds=result.seconds))


def _check_font_file(path: Path) -> None:
    """A ``--font`` that is not a regular file of a sane size is refused before the font
    code opens it (a named pipe would block it, ``/dev/zero`` never end)."""
    from ..input_files import InputError, check_input
    from ..pdf.fonts import MAX_FONT_BYTES

    try:
        check_input(path.expanduser(), MAX_FONT_BYTES)
    except InputError as exc:
        raise BadInput(str(exc)) from exc


@command(help=N_("Check REPORT before publishing: stated year-on-year changes against the "
                 "prior year, the same figures and directions of change in both languages, "
                 "parts beyond their total, broken figure references, typed-in figures that "
                 "could be bound, unused indicators, untranslated text and the terminology. "
                 "Exits 1 when an error is found."))
@click.argument("report", type=click.Path(path_type=Path))
@option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
        show_default=True, help=N_("Output format."))
@option("--terms/--no-terms", "with_terms", default=True, show_default=True,
        help=N_("Check the terminology against the glossary (the bundled one, or the one "
                "given with --catalog)."))
@option("--strict", is_flag=True,
        help=N_("Exit 1 on warnings too, not only on errors (for a final read before print)."))
@catalog_option
def check(report: Path, fmt: str, with_terms: bool, strict: bool,
          catalog: Path | None) -> None:
    """Findings, one per line (or JSON); exit 1 on an error (with --strict, on any finding)."""
    from ..checks import run_checks

    glossary = load_glossary(catalog_file(catalog)) if with_terms or catalog else None
    with open_report(report) as store:
        findings = run_checks(store, glossary)
    if fmt == "json":
        click.echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(str(finding))
        errors = sum(f.severity == "error" for f in findings)
        warnings = len(findings) - errors
        click.echo(_("{path}: {errors}, {warnings}").format(
            path=report, errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
            warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings)))
    if any(f.severity == "error" or strict for f in findings):
        exit_with_findings()


@command(help=N_("Write a fresh copy of the bundled sample report."))
@option("-o", "--output", required=True, type=click.Path(path_type=Path),
        help=REPORT_OUTPUT_HELP)
@option("--force", is_flag=True, help=REPLACE_OUTPUT_HELP)
def sample(output: Path, force: bool) -> None:
    """The bilingual 2024 sample as a report file."""
    from ..sample import build_sample

    refuse_output(output, force=force)
    try:
        build_sample(output).close()
    except StoreError as exc:
        raise BadInput(str(exc)) from exc
    click.echo(_("{path}: the 2024 sample report").format(path=output))


@command("new-year", help=N_("Start next year's report from REPORT: same structure, texts "
                             "and bindings; this year's values become the prior year."))
@click.argument("report", type=click.Path(path_type=Path))
@option("-o", "--output", required=True, type=click.Path(path_type=Path),
        help=REPORT_OUTPUT_HELP)
@option("--force", is_flag=True, help=REPLACE_OUTPUT_HELP)
def new_year(report: Path, output: Path, force: bool) -> None:
    """Roll a report forward by one year."""
    from ..new_year import start_next_year
    from ..prose.bindings import BindingError

    refuse_output(output, report, force=force)
    try:
        result = start_next_year(report, output)
    except (StoreError, BindingError) as exc:
        raise BadInput(_("{path}: not written: {problem}").format(
            path=output, problem=exc)) from exc
    click.echo(_("{path}: the {year} report; {count} indicator values and {nodes} paragraphs "
                 "marked to update").format(path=output, year=result.year,
                                            count=result.indicators, nodes=result.nodes_to_update))
    if result.left_from_source:
        warn(result.left_over(report))


#: The commands of this module, as the ``ipviewer`` group adds them.
COMMANDS = (import_command, tree, render, bind, export, check, sample, new_year)
