"""Writing an indicator table to CSV or XLSX, atomically, formulas guarded (no Qt). Part
of :mod:`ipviewer.indicator_files`."""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from .. import safe_write
from ..i18n import _
from ..indicators import ALLOWED_QUALIFIERS
from ..model import Indicator, decimal_text
from ..spreadsheet_cells import guard as _guard
from ..spreadsheet_cells import needs_guard
from .cells import significant_digits, too_long
from .reading import file_kind, too_many_rows
from .rows import (
    COLUMNS,
    EXCEL_DIGITS,
    EXCEL_MAX_TEXT,
    GUARDED_CSV_COLUMNS,
    KEY_RE,
    MAX_ROWS,
    TEXT_COLUMNS,
    XLSX_WIDTHS,
    XML_ILLEGAL,
    YEAR_RANGE,
    Collector,
    IndicatorFileError,
)


def write_indicator_file(rows: Iterable[Indicator], path: str | os.PathLike[str]) -> None:
    """Write ``rows`` to a ``.csv`` (UTF-8 with BOM) or ``.xlsx`` file, atomically.

    The rows are checked first (the same rules as reading, so the file reads back); any
    problem raises :class:`IndicatorFileError` and leaves an existing file untouched.
    """
    path = Path(path)
    kind = file_kind(path)
    rows = list(rows)
    _check_rows(rows, path, xlsx=kind == "xlsx")
    data = _csv_bytes(rows) if kind == "csv" else _xlsx_bytes(rows)
    _atomic_write(path, data)


def _check_rows(rows: list[Indicator], path: Path, xlsx: bool) -> None:
    collector = Collector(str(path))
    if len(rows) > MAX_ROWS:
        raise too_many_rows(path)
    seen: dict[tuple[str, int], int] = {}
    for number, row in enumerate(rows, start=1):
        place = _("row {row}").format(row=number)

        def problem(message: str, place: str = place) -> None:
            collector.add(message, place=place)

        if not isinstance(row.key, str) or not KEY_RE.fullmatch(row.key):
            problem(_("key: \"{key}\" may use only lower-case letters a-z, digits and _")
                    .format(key=row.key))
        if isinstance(row.year, bool) or not isinstance(row.year, int) \
                or not YEAR_RANGE[0] <= row.year <= YEAR_RANGE[1]:
            problem(_("year: {year} is not a year in {first}–{last}").format(
                year=row.year, first=YEAR_RANGE[0], last=YEAR_RANGE[1]))
        for name in ("value", "yoy_pct"):
            number_value = getattr(row, name)
            if name == "yoy_pct" and number_value is None:
                continue
            if not isinstance(number_value, Decimal) or too_long(number_value):
                problem(_("{column}: {value} is not an exact decimal number").format(
                    column=name, value=repr(number_value)))
        if row.qualifier not in ALLOWED_QUALIFIERS:
            problem(_("qualifier: \"{qualifier}\" is not one of: {allowed}").format(
                qualifier=row.qualifier, allowed=", ".join(q for q in ALLOWED_QUALIFIERS if q)))
        for name in TEXT_COLUMNS:
            text = getattr(row, name)
            if not isinstance(text, str):
                problem(_("{column}: not a text ({value})").format(column=name,
                                                                   value=repr(text)))
            elif xlsx and XML_ILLEGAL.search(text):
                problem(_("{column}: contains control characters an Excel cell cannot hold")
                        .format(column=name))
            elif xlsx and len(text) > EXCEL_MAX_TEXT:
                problem(_("{column}: longer than the {limit} characters an Excel cell holds")
                        .format(column=name, limit=EXCEL_MAX_TEXT))
        if isinstance(row.key, str) and isinstance(row.year, int):
            first = seen.setdefault((row.key, row.year), number)
            if first != number:
                problem(_("{key} {year} appears twice: also in row {other}").format(
                    key=row.key, year=row.year, other=first))
    collector.raise_if_any(_("{path}: {count} problems in the rows; nothing was written")
                           .format(path=path, count=collector.count))


def _csv_fields(row: Indicator) -> list[str]:
    values = row.as_store_dict()
    fields = []
    for name in COLUMNS:
        value = values[name]
        value = "" if value is None else str(value)
        if name in GUARDED_CSV_COLUMNS:
            value = _guard(value)
        fields.append(value)
    return fields


def _csv_bytes(rows: list[Indicator]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(_csv_fields(row))
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def _excel_number(value: Decimal) -> int | float | None:
    """``value`` as an Excel number when the double reads back as the same decimal."""
    if significant_digits(value) > EXCEL_DIGITS:
        return None
    if value == value.to_integral_value():
        return int(value)
    number = float(value)
    return number if Decimal(repr(number)) == value else None


def _number_format(value: Decimal, grouped: bool) -> str:
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    base = "#,##0" if grouped else "0"
    return base + ("." + "0" * decimals if decimals else "")


def _xlsx_bytes(rows: list[Indicator]) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("indicators")
    sheet.freeze_panes = "A2"
    for index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = XLSX_WIDTHS[name]
    bold = Font(bold=True)

    def text_cell(text: str) -> WriteOnlyCell | None:
        if not text:
            return None
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if needs_guard(text):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return cell

    def number_cell(value: Decimal | None, grouped: bool) -> WriteOnlyCell | None:
        if value is None:
            return None
        number = _excel_number(value)
        if number is None:
            return text_cell(decimal_text(value))
        cell = WriteOnlyCell(sheet, value=number)
        cell.number_format = _number_format(value, grouped)
        return cell

    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([
            text_cell(row.key), row.year, number_cell(row.value, grouped=True),
            text_cell(row.unit), text_cell(row.qualifier),
            number_cell(row.yoy_pct, grouped=False), text_cell(row.label_en),
            text_cell(row.label_zh), text_cell(row.source),
        ])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` over ``path`` all at once; a failure raises
    :class:`IndicatorFileError` and leaves the old file as it was."""
    try:
        safe_write.atomic_write(path, data)
    except OSError as exc:
        raise IndicatorFileError.single(path, _("cannot be written ({reason})").format(
            reason=exc.strerror or exc)) from None
