"""The ``ipviewer`` command line (click). Qt is imported only when the window opens.

Exit codes: 0 success, 1 an unexpected failure, 2 bad input (a one-line message naming
the file and what is wrong; never a traceback for a user mistake).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import unicodedata
from pathlib import Path
from typing import Any

import click

from . import i18n
from .i18n import _
from .model import display_title
from .store import ReportStore, StoreError
from .terms_cli import terms

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


def _open_report(path: str) -> ReportStore:
    try:
        return ReportStore.open(path, readonly=True)
    except StoreError as exc:
        raise BadInput(str(exc)) from exc


@click.group(
    invoke_without_command=True,
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


@cli.command("import", help=_("Import a report's text into a new report file."))
@click.argument("source", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help=_("The report file to create (.sqlite)."))
@click.option("--year", type=int, help=_("The report year (default: the year in the title)."))
@click.option("--lang", type=click.Choice(["en", "zh"]),
              help=_("Language of the text (default: detected)."))
@click.option("--force", is_flag=True, help=_("Replace OUTPUT if it exists."))
def import_command(
    source: Path, output: Path, year: int | None, lang: str | None, force: bool
) -> None:
    """Import a report's text (converted Markdown-ish text) into a new report file."""
    from .importing.pipeline import guess_year, parse_file  # only this command needs it
    from .importing.source import SourceError

    if output.exists() and not force:
        raise BadInput(_("{path}: already exists (use --force to replace it)").format(path=output))
    if output.is_dir():
        raise BadInput(_("{path}: is a folder, not a report file").format(path=output))
    try:
        parsed = parse_file(source, lang)
    except SourceError as exc:
        raise BadInput(str(exc)) from exc
    year = year or guess_year(parsed)
    if year is None:
        raise BadInput(_("{path}: no year in the title; give one with --year").format(path=source))
    try:
        store = ReportStore.create(output, parsed, year)
    except StoreError as exc:
        raise BadInput(str(exc)) from exc
    with store:
        nodes = sum(1 for _ in parsed.walk())
        count = store.indicator_count()
    click.echo(_("{path}: {nodes} nodes, {count} indicators ({lang}, {year})").format(
        path=output, nodes=nodes, count=count, lang=parsed.lang, year=year))


@cli.command(help=_("List the indicators of REPORT."))
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help=_("Output format."))
@click.option("--sort", type=click.Choice(["id", "key", "value", "yoy_pct", "label_en"]),
              default="id", show_default=True, help=_("Sort order (id = report order)."))
def indicators(report: Path, fmt: str, sort: str) -> None:
    """List the indicators of REPORT."""
    with _open_report(str(report)) as store:
        rows = [_indicator_record(row) for row in store.indicators(sort=sort)]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=INDICATOR_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(out.getvalue(), nl=False)
    else:
        columns = ("key", "value", "unit", "qualifier", "yoy_pct", "label_en", "label_zh")
        click.echo(_table([[str(r[c] if r[c] is not None else "") for c in columns]
                           for r in rows], columns))


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


@cli.command(help=_("Open the desktop window (on REPORT, or on the bundled sample)."))
@click.argument("report", required=False, type=click.Path(path_type=Path))
@click.option("--screenshot", type=click.Path(path_type=Path),
              help=_("Render the main window to this PNG file and exit."))
def gui(report: Path | None, screenshot: Path | None) -> None:
    """Open the desktop window (on REPORT, or on the bundled sample)."""
    if report is not None:
        _open_report(str(report)).close()  # bad input is reported here, before Qt starts
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


def _table(rows: list[list[str]], header: tuple[str, ...]) -> str:
    """Plain text columns, aligned by display width (CJK characters count two)."""
    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = []
    for cells in [list(header), *rows]:
        padded = [c + " " * (w - width(c)) for c, w in zip(cells, widths)]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def main() -> None:
    """Console entry point."""
    cli(prog_name="ipviewer")
