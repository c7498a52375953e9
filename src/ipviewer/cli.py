"""The ``ipviewer`` command line (click). Qt is imported only when the window opens.

Exit codes: 0 done, 1 findings (``check`` found an error), 2 could not do it (a one-line
message naming the file, line or cell and what is wrong; never a traceback).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from click_default_group import DefaultGroup

from . import i18n
from .i18n import _
from .model import FIRST_YEAR, LAST_YEAR, display_title
from .safe_write import OutputError, check_output, same_file
from .spreadsheet_cells import guard_cell
from .store import ReportStore, StoreError
from .terminal import VisibleOutputGroup, visible_excepthook
from .terminal import table as _table
from .terms_cli import INPUT_FILE, catalog_option, encoding_option, terms

#: Indicator fields in the order the JSON and CSV outputs give them.
INDICATOR_FIELDS = (
    "key", "label_en", "label_zh", "value", "unit", "qualifier", "yoy_pct", "year",
    "section", "source_text",
)


# The command line speaks the system's language (help texts are translated as they load).
i18n.set_language(i18n.system_language())


class BadInput(click.ClickException):
    """A user mistake: reported in one line, exit code 2."""

    exit_code = 2


#: Report years ipviewer accepts (a typo such as 20244 or -5 is refused, not stored).
YEARS = click.IntRange(FIRST_YEAR, LAST_YEAR)


def _output(path: Path, *inputs: Path | None, force: bool = False) -> None:
    """Refuse ``path`` as the output before any work: one of ``inputs``, a folder, an
    existing file without ``--force``, a read-only file (see ``safe_write.check_output``)."""
    try:
        check_output(path, inputs, replace=force)
    except OutputError as exc:
        raise BadInput(str(exc)) from exc


def _not_the_report(source: Path, report: Path) -> None:
    """Refuse reading ``source`` into ``report`` when they are the same file."""
    if source.exists() and report.exists() and same_file(source, report):
        raise BadInput(_("{path}: is the report itself; give the file to read").format(
            path=source))


def _open_sound_report(path: Path) -> ReportStore:
    """A report opened read-only whose cells can all be used (see ``store.integrity``)."""
    store = _open_report(str(path))
    try:
        store.require_sound()
    except StoreError as exc:
        store.close()
        raise BadInput(str(exc)) from exc
    return store


def _open_report(path: str) -> ReportStore:
    try:
        return ReportStore.open(path, readonly=True)
    except StoreError as exc:
        raise BadInput(str(exc)) from exc


@click.group(
    cls=VisibleOutputGroup, invoke_without_command=True,
    help=_("ipviewer: edit bilingual intellectual-property white papers.\n\n"
           "With no command, opens the desktop window on the bundled sample report."),
)
@click.version_option(package_name="ipviewer")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """ipviewer: edit bilingual intellectual-property white papers.

    With no command, opens the desktop window on the bundled sample report.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(gui)


@cli.command("import", help=_("Import a report's text into a new report file, or add the "
                                "other language to a report with --into."))
@click.argument("source", type=INPUT_FILE)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help=_("The report file to create (.sqlite)."))
@click.option("--into", "into", type=click.Path(path_type=Path),
              help=_("Add SOURCE as the other language of this existing report."))
@click.option("--year", type=YEARS,
              help=_("The report year (default: the year in the title)."))
@click.option("--lang", type=click.Choice(["en", "zh"]),
              help=_("Language of the text (default: detected)."))
@click.option("--force", is_flag=True,
              help=_("Replace OUTPUT if it exists (with --into: replace that language's text)."))
@encoding_option
def import_command(source: Path, output: Path | None, into: Path | None, year: int | None,
                   lang: str | None, force: bool, encoding: str | None) -> None:
    """Import a report's text (converted Markdown-ish text) into a report file."""
    from .importing.pipeline import create_report, guess_year, parse_file  # only here
    from .importing.source import SourceError

    if (output is None) == (into is None):
        raise BadInput(_("give either -o OUTPUT (a new report) or --into REPORT (add a language)"))
    if into is not None:
        _not_the_report(source, into)
        _import_into(source, into, lang, force, encoding)
        return
    _output(output, source, force=force)
    try:
        parsed = parse_file(source, lang, encoding)
    except SourceError as exc:
        raise BadInput(str(exc)) from exc
    year = year or guess_year(parsed)
    if year is None:
        raise BadInput(_("{path}: no year in the title; give one with --year").format(path=source))
    try:
        store = create_report(output, parsed, year)
    except StoreError as exc:
        raise BadInput(str(exc)) from exc
    with store:
        nodes = sum(1 for _node in parsed.walk())
        count = store.indicator_count()
    click.echo(_("{path}: {nodes} nodes, {count} indicators ({lang}, {year})").format(
        path=output, nodes=nodes, count=count, lang=parsed.lang, year=year))


def _import_into(source: Path, report: Path, lang: str | None, force: bool,
                 encoding: str | None) -> None:
    """``import --into``: the other language, aligned by structure; nothing written on a
    mismatch."""
    from .importing.pipeline import add_translation
    from .importing.source import SourceError, read_source
    from .script import language_of

    try:
        lang = lang or language_of(read_source(source, encoding))
        with _open_for_writing(report) as store, store.transaction():  # read, align, write
            problems = add_translation(store, source, lang, replace=force,  # as one
                                       encoding=encoding)
    except (SourceError, StoreError) as exc:
        raise BadInput(str(exc)) from exc
    if problems:
        raise BadInput(_("{source}: not added to {report}: {problems}").format(
            source=source, report=report, problems="; ".join(problems[:5])))
    click.echo(_("{report}: {lang} text added from {source}").format(
        report=report, lang=lang, source=source))


def _open_for_writing(path: Path) -> ReportStore:
    try:
        return ReportStore.open(path)
    except StoreError as exc:
        raise BadInput(str(exc)) from exc


@cli.group(cls=DefaultGroup, default="list",
           help=_("The indicator table: list it (the default), import or export values."))
def indicators() -> None:
    """Indicator commands; ``ipviewer indicators REPORT`` lists."""


@indicators.command("list", help=_("List the indicators of REPORT."))
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help=_("Output format."))
@click.option("--sort", type=click.Choice(["id", "key", "value", "yoy_pct", "label_en"]),
              default="id", show_default=True, help=_("Sort order (id = report order)."))
def list_indicators(report: Path, fmt: str, sort: str) -> None:
    """List the indicators of REPORT."""
    with _open_sound_report(report) as store:
        rows = [_indicator_record(row) for row in store.indicators(sort=sort)]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=INDICATOR_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows([{k: guard_cell(v) for k, v in r.items()} for r in rows])
        click.echo(out.getvalue(), nl=False)
    else:
        columns = ("key", "value", "unit", "qualifier", "yoy_pct", "label_en", "label_zh")
        click.echo(_table([[str(r[c] if r[c] is not None else "") for c in columns]
                           for r in rows], columns))


@indicators.command("import", help=_("Add or update indicator values of REPORT from a CSV or "
                                      "XLSX file (key, year, value …)."))
@click.argument("report", type=click.Path(path_type=Path))
@click.argument("file", type=INPUT_FILE)
@encoding_option
def import_indicators(report: Path, file: Path, encoding: str | None) -> None:
    """Indicator values from CSV/XLSX, all or nothing."""
    from .indicator_files import IndicatorFileError, read_indicator_file

    _not_the_report(file, report)
    try:
        rows = read_indicator_file(file, encoding=encoding)
    except IndicatorFileError as exc:
        raise BadInput(str(exc)) from exc
    for warning in rows.warnings:
        click.echo(_("warning: {message}").format(message=warning), err=True)
    given = set(rows.columns) | {"key", "year", "value"}  # columns the file lacks stay as
    with _open_for_writing(report) as store:               # they are in the report
        try:
            added, updated = store.upsert_indicators(
                [{k: v for k, v in row.as_store_dict().items() if k in given} for row in rows])
        except StoreError as exc:
            raise BadInput(str(exc)) from exc
    click.echo(_("{report}: {added} indicator values added, {updated} updated from {file}").format(
        report=report, added=added, updated=updated, file=file))


@indicators.command("export", help=_("Write the indicator table of REPORT to a CSV or XLSX file."))
@click.argument("report", type=click.Path(path_type=Path))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--year", type=YEARS, help=_("Only this year's values."))
@click.option("--force", is_flag=True, help=_("Replace FILE if it exists."))
def export_indicators(report: Path, file: Path, year: int | None, force: bool) -> None:
    """Indicator values to CSV/XLSX (exact values)."""
    from .indicator_files import IndicatorFileError, IndicatorRow, write_indicator_file

    _output(file, report, force=force)
    with _open_sound_report(report) as store:
        rows = [IndicatorRow.from_store(row) for row in store.indicator_rows(year)]
    try:
        write_indicator_file(rows, file)
    except IndicatorFileError as exc:
        raise BadInput(str(exc)) from exc
    except OSError as exc:
        raise BadInput(_("{path}: cannot be written ({reason})").format(
            path=file, reason=exc.strerror or exc)) from exc
    click.echo(_("{file}: {count} indicator values").format(file=file, count=len(rows)))


def _indicator_record(row: dict[str, Any]) -> dict[str, Any]:
    """One indicator as JSON-ready values: exact numbers stay exact (int or decimal)."""
    record = {name: row.get(name) for name in INDICATOR_FIELDS}
    record["value"] = _json_number(row["value"])
    record["yoy_pct"] = _json_number(row["yoy_pct"])
    record["section"] = row["section_en"] or row["section_zh"]
    return record


def _json_number(text: str | None) -> int | float | None:
    """Integers as int; decimals as float only for JSON output (the store keeps the text)."""
    if text is None:
        return None
    return int(text) if text.lstrip("-").isdigit() else float(text)


@cli.command(help=_("Print the structure of REPORT, indented."))
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["en", "zh", "both"]), default="both",
              show_default=True, help=_("Which language's titles to show."))
def tree(report: Path, lang: str) -> None:
    """Print the structure of REPORT, indented."""
    with _open_report(str(report)) as store:
        info = store.report()
        nodes = store.load_tree()
        for damage in store.damage():
            click.echo(_("warning: {message}").format(message=damage), err=True)
    click.echo(f"{info['title_en'] or info['title_zh']} ({info['year']})")
    langs = ("en", "zh") if lang == "both" else (lang,)

    def show(node, depth: int) -> None:
        if node.kind == "paragraph":
            return
        names = [n for n in (display_title(node, code) for code in langs) if n]
        count = sum(1 for c in node.children if c.kind == "paragraph")
        suffix = f"  [{count} ¶]" if count else ""
        click.echo("  " * depth + " | ".join(dict.fromkeys(names)) + suffix)
        for child in node.children:
            show(child, depth + 1)

    for node in nodes:
        show(node, 1)


@cli.command(help=_("Write the report's text in one language, its figures filled in "
                    "(Markdown that `import` reads back)."))
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help=_("Language to write."))
def render(report: Path, lang: str) -> None:
    """The report as Markdown in one language."""
    from .prose.bindings import BindingError
    from .report_text import render_report

    with _open_sound_report(report) as store:
        try:
            click.echo(render_report(store, lang), nl=False)
        except BindingError as exc:
            raise BadInput(_("{path}: {problem}").format(path=report, problem=exc)) from exc


@cli.command(help=_("Replace literal figures in the text of REPORT that match its indicator "
                    "table by bindings, and list those that match none."))
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help=_("Only list what would change."))
def bind(report: Path, dry_run: bool) -> None:
    """Literal figures → {{key}} bindings, both languages, in one transaction."""
    from .bind_report import BindingError, bind_report

    with (_open_report(str(report)) if dry_run else _open_for_writing(report)) as store:
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


@cli.command(help=_("Export REPORT as a print-ready PDF white paper."))
@click.argument("report", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help=_("The PDF file to write."))
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="zh", show_default=True,
              help=_("Language of the PDF (both: each section in Chinese, then English)."))
@click.option("--paper", type=click.Choice(["A4", "letter"], case_sensitive=False), default="A4",
              show_default=True, help=_("Paper size."))
@click.option("--crop-marks", is_flag=True, help=_("Add crop marks and trim/bleed boxes."))
@click.option("--bleed", "bleed_mm", type=click.FloatRange(0, 10), default=0.0,
              help=_("Bleed in millimetres (with --crop-marks)."))
@click.option("--no-charts", is_flag=True, help=_("Leave out the charts."))
@click.option("--font", "font_path", type=INPUT_FILE,
              help=_("A CJK font file to use instead of the bundled Noto fonts."))
@click.option("--allow-cid-font", is_flag=True,
              help=_("If no CJK font is found, use the non-embedded STSong-Light font "
                     "(the PDF is then not print-ready)."))
@click.option("--force", is_flag=True, help=_("Replace OUTPUT if it exists."))
def export(report: Path, output: Path, lang: str, paper: str, crop_marks: bool, bleed_mm: float,
           no_charts: bool, font_path: Path | None, allow_cid_font: bool, force: bool) -> None:
    """The report as a PDF."""
    from .pdf.export import ExportError, ExportOptions, export_pdf
    from .terms_cli import default_catalog

    if font_path is not None:
        _check_font_file(font_path)
    _output(output, report, font_path, default_catalog(), force=force)
    options = ExportOptions(
        lang=lang, paper="letter" if paper.lower() == "letter" else "A4", crop_marks=crop_marks,
        bleed_mm=bleed_mm, charts=not no_charts, allow_cid=allow_cid_font,
        font_path=str(font_path) if font_path else None)
    with _open_sound_report(report) as store:
        try:
            result = export_pdf(store, output, options, glossary=_shipped_glossary())
        except ExportError as exc:
            raise BadInput(str(exc)) from exc
    for warning in result.warnings:
        click.echo(_("warning: {message}").format(message=warning), err=True)
    click.echo(_("{path}: {pages} pages ({seconds:.1f} s)").format(
        path=result.path, pages=result.pages, seconds=result.seconds))


def _check_font_file(path: Path) -> None:
    """A ``--font`` that is not a regular file of a sane size is refused before the font
    code opens it (a named pipe would block it, ``/dev/zero`` never end)."""
    from .input_files import InputError, check_input
    from .pdf.fonts import MAX_FONT_BYTES

    try:
        check_input(path.expanduser(), MAX_FONT_BYTES)
    except InputError as exc:
        raise BadInput(str(exc)) from exc


def _shipped_glossary():
    """The glossary that names indicators in the PDF (None when it cannot be read)."""
    from .terms import CatalogError, Glossary
    from .terms_cli import default_catalog

    path = default_catalog()
    try:
        return Glossary.load(path) if path else None
    except CatalogError:
        return None


@cli.command(help=_("Check REPORT before publishing: stated year-on-year changes against the "
                    "prior year, the same figures and directions of change in both languages, "
                    "parts beyond their total, broken figure references, typed-in figures that "
                    "could be bound, unused indicators, untranslated text and the terminology. "
                    "Exits 1 when an error is found."))
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help=_("Output format."))
@click.option("--terms/--no-terms", "with_terms", default=True, show_default=True,
              help=_("Check the terminology against the glossary (the bundled one, or the one "
                     "given with --catalog)."))
@catalog_option
def check(report: Path, fmt: str, with_terms: bool, catalog: Path | None) -> None:
    """Findings, one per line (or JSON); exit 1 on an error."""
    from .checks import run_checks
    from .terms_cli import _catalog_file, _load

    glossary = _load(_catalog_file(catalog)) if with_terms or catalog else None
    with _open_report(str(report)) as store:
        findings = run_checks(store, glossary)
    if fmt == "json":
        click.echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(str(finding))
        errors = sum(f.severity == "error" for f in findings)
        click.echo(_("{path}: {errors} errors, {warnings} warnings").format(
            path=report, errors=errors, warnings=len(findings) - errors))
    if any(f.severity == "error" for f in findings):
        sys.exit(1)


@cli.command(help=_("Write a fresh copy of the bundled sample report."))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help=_("The report file to create (.sqlite)."))
@click.option("--force", is_flag=True, help=_("Replace OUTPUT if it exists."))
def sample(output: Path, force: bool) -> None:
    """The bilingual 2024 sample as a report file."""
    from .sample import build_sample

    _output(output, force=force)
    try:
        build_sample(output).close()
    except StoreError as exc:
        raise BadInput(str(exc)) from exc
    click.echo(_("{path}: the 2024 sample report").format(path=output))


@cli.command("new-year", help=_("Start next year's report from REPORT: same structure, texts "
                                "and bindings; this year's values become the prior year."))
@click.argument("report", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help=_("The report file to create (.sqlite)."))
@click.option("--force", is_flag=True, help=_("Replace OUTPUT if it exists."))
def new_year(report: Path, output: Path, force: bool) -> None:
    """Roll a report forward by one year."""
    from .new_year import start_next_year

    _output(output, report, force=force)
    from .prose.bindings import BindingError

    try:
        result = start_next_year(report, output)
    except (StoreError, BindingError) as exc:
        raise BadInput(_("{path}: not written: {problem}").format(
            path=output, problem=exc)) from exc
    click.echo(_("{path}: the {year} report; {count} indicator values and {nodes} paragraphs "
                 "marked to update").format(path=output, year=result.year,
                                            count=result.indicators, nodes=result.nodes_to_update))


@cli.command(help=_("Open the desktop window (on REPORT, or on the bundled sample)."))
@click.argument("report", required=False, type=click.Path(path_type=Path))
@click.option("--screenshot", type=click.Path(path_type=Path),
              help=_("Render the main window to this PNG file and exit."))
@click.option("--force", is_flag=True, help=_("Replace the screenshot file if it exists."))
def gui(report: Path | None, screenshot: Path | None, force: bool) -> None:
    """Open the desktop window (on REPORT, or on the bundled sample)."""
    if report is not None:
        _open_report(str(report)).close()  # bad input is reported here, before Qt starts
    if screenshot is not None:
        _output(screenshot, report, force=force)
    if screenshot is None and not _has_display():
        raise BadInput(_("no display to open a window on (DISPLAY and WAYLAND_DISPLAY are not "
                         "set); run ipviewer on a desktop, or use --screenshot FILE.png"))
    from .ui.app import run  # Qt is loaded only now

    sys.exit(run(report, screenshot))


cli.add_command(terms)


def _has_display() -> bool:
    """Whether a window can be shown (always on Windows and macOS; X11/Wayland on Linux)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main() -> None:
    """Console entry point."""
    sys.excepthook = visible_excepthook  # a crash's message may quote stored text
    cli(prog_name="ipviewer")
