"""``ipviewer indicators``: list a report's indicator table, import or export its values."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click

from ..i18n import N_, _
from ..spreadsheet_cells import guard_cell
from ..store import StoreError
from ..terminal import table
from .help_text import TranslatedDefaultGroup, option
from .shared import (
    INPUT_FILE,
    YEARS,
    BadInput,
    encoding_option,
    open_for_writing,
    open_sound_report,
    refuse_output,
    refuse_the_report,
    warn,
)

#: Indicator fields in the order the JSON and CSV outputs give them.
INDICATOR_FIELDS = (
    "key", "label_en", "label_zh", "value", "unit", "qualifier", "yoy_pct", "year",
    "section", "source_text",
)


@click.group(cls=TranslatedDefaultGroup, default="list",
             help=N_("The indicator table: list it (the default), import or export values."))
def indicators() -> None:
    """Indicator commands; ``ipviewer indicators REPORT`` lists."""


@indicators.command("list", help=N_("List the indicators of REPORT."))
@click.argument("report", type=click.Path(path_type=Path))
@option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
        show_default=True, help=N_("Output format."))
@option("--sort", type=click.Choice(["id", "key", "value", "yoy_pct", "label_en"]),
        default="id", show_default=True, help=N_("Sort order (id = report order)."))
def list_indicators(report: Path, fmt: str, sort: str) -> None:
    """List the indicators of REPORT."""
    with open_sound_report(report) as store:
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
        click.echo(table([[str(r[c] if r[c] is not None else "") for c in columns]
                          for r in rows], columns))


@indicators.command("import", help=N_("Add or update indicator values of REPORT from a CSV or "
                                      "XLSX file (key, year, value …)."))
@click.argument("report", type=click.Path(path_type=Path))
@click.argument("file", type=INPUT_FILE)
@encoding_option
def import_indicators(report: Path, file: Path, encoding: str | None) -> None:
    """Indicator values from CSV/XLSX, all or nothing."""
    from ..indicator_files import IndicatorFileError, read_indicator_file

    refuse_the_report(file, report)
    try:
        rows = read_indicator_file(file, encoding=encoding)
    except IndicatorFileError as exc:
        raise BadInput(str(exc)) from exc
    for warning in rows.warnings:
        warn(warning)
    given = set(rows.columns) | {"key", "year", "value"}  # columns the file lacks stay as
    with open_for_writing(report) as store:                # they are in the report
        try:
            added, updated = store.upsert_indicators(
                [{k: v for k, v in row.as_store_dict().items() if k in given} for row in rows])
        except StoreError as exc:
            raise BadInput(str(exc)) from exc
    click.echo(_("{report}: {added} indicator values added, {updated} updated from {file}").format(
        report=report, added=added, updated=updated, file=file))


@indicators.command("export", help=N_("Write the indicator table of REPORT to a CSV or XLSX "
                                      "file."))
@click.argument("report", type=click.Path(path_type=Path))
@click.argument("file", type=click.Path(path_type=Path))
@option("--year", type=YEARS, help=N_("Only this year's values."))
@option("--force", is_flag=True, help=N_("Replace FILE if it exists."))
def export_indicators(report: Path, file: Path, year: int | None, force: bool) -> None:
    """Indicator values to CSV/XLSX (exact values)."""
    from ..indicator_files import IndicatorFileError, write_indicator_file

    refuse_output(file, report, force=force)
    with open_sound_report(report) as store:
        rows = store.indicator_values(year)
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
