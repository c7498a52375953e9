"""Reading an indicator table from CSV or XLSX: the file, its header, its rows (no Qt).
Part of :mod:`ipviewer.indicator_files`."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..i18n import _
from ..input_files import InputError, read_input
from ..model import Indicator
from ..script import fold_for_number
from ..text_decoding import DecodeError, decode_text, encoding_label
from .cells import Cell, ExcelError, blank, parse_row
from .rows import (
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    REQUIRED,
    SYNONYMS,
    Collector,
    IndicatorFileError,
    IndicatorTable,
)


def read_indicator_file(path: str | os.PathLike[str],
                        encoding: str | None = None, *, partial: bool = False) -> IndicatorTable:
    """All indicator rows of a ``.csv`` or ``.xlsx`` file, checked; see the module notes.

    ``encoding`` (CSV only) is the codec to decode with instead of deciding it from the
    bytes. Raises :class:`IndicatorFileError` naming file and line or cell for anything
    wrong; the returned :class:`IndicatorTable` (a list) carries ``warnings``.

    ``partial`` (a preview before importing): bad rows do not raise; the good rows come
    back with the bad rows' problems in ``problems`` (a file that cannot be read at all,
    or a bad header, still raises).
    """
    path = Path(path)
    kind = file_kind(path)
    if encoding is not None and kind != "csv":
        raise IndicatorFileError.single(path, _(
            "an encoding was given, but an .xlsx workbook is not a text file: leave out "
            "--encoding"))
    try:
        data = read_input(path, MAX_BYTES)
    except InputError as exc:
        raise IndicatorFileError.single(path, exc.reason) from None
    if kind == "csv":
        return _read_csv(path, data, encoding, partial)
    return _read_xlsx(path, data, partial)


def file_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        return suffix[1:]
    if suffix in (".xls", ".xlsm", ".xlsb", ".ods"):
        message = _("{kind} files are not read; save the sheet as Excel Workbook (.xlsx) "
                    "or CSV UTF-8 (.csv)").format(kind=suffix)
    else:
        message = _("unsupported file type \"{suffix}\": indicator tables are .csv or .xlsx "
                    "files").format(suffix=suffix or _("(no extension)"))
    raise IndicatorFileError.single(path, message)


def too_many_rows(path: Path) -> IndicatorFileError:
    return IndicatorFileError.single(path, _(
        "has more than {limit} rows; an indicator file holds at most {limit} rows, split it "
        "into several files").format(limit=MAX_ROWS))


def _read_csv(path: Path, data: bytes, encoding: str | None,
              partial: bool = False) -> IndicatorTable:
    collector = Collector(str(path))
    text = _decode_csv(path, data, collector, encoding)
    if not text.strip():
        raise IndicatorFileError.single(path, _("is empty: there is no header row"))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    if not first_line.count(delimiter):
        delimiter = ","
    if text.count("\n") > MAX_ROWS:  # fewer lines cannot hold too many rows: skip the count
        with contextlib.suppress(csv.Error):  # the real pass below reports bad quoting
            quick = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            if sum(1 for fields in quick if any(f.strip() for f in fields)) > MAX_ROWS + 1:
                raise too_many_rows(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    def records() -> Iterator[tuple[int, list[Cell]]]:
        start = 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise IndicatorFileError.single(path, _(
                    "broken CSV quoting ({reason}); check the quotes on this line").format(
                        reason=exc), line=start) from None
            yield start, [(field, None) for field in fields]
            start = reader.line_num + 1

    return _read_table(path, records(), lambda line, col: {"line": line}, collector,
                       csv_delimiter=delimiter, partial=partial)


def _decode_csv(path: Path, data: bytes, collector: Collector,
                encoding: str | None) -> str:
    """The text of a CSV file, decoded as :func:`ipviewer.text_decoding.decode_text`
    decides (or with ``encoding``); a warning when the encoding was a statistical guess."""
    try:
        decoded = decode_text(data, encoding)
    except DecodeError as exc:
        raise IndicatorFileError.single(path, exc.reason, line=exc.line) from None
    if decoded.guessed:
        collector.warn(_("not UTF-8: read as {encoding} text (give --encoding to be sure)")
                       .format(encoding=encoding_label(decoded.encoding)))
    return decoded.text.removeprefix("\ufeff")


def _read_xlsx(path: Path, data: bytes, partial: bool = False) -> IndicatorTable:
    """The rows of a workbook, from the bytes already read (and bounded): openpyxl never
    opens the path itself."""
    import openpyxl

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IndicatorFileError.single(path, _(
            "is not an Excel workbook (.xlsx files are zip archives; this one is not: an old "
            ".xls, a password-protected workbook or a damaged file?)"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IndicatorFileError.single(path, _("is a damaged Excel workbook ({reason})").format(
            reason=exc)) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise IndicatorFileError.single(path, _(
            "unpacks to {size} MB, more than an indicator table can be ({limit} MB)").format(
                size=unpacked // 2**20, limit=MAX_UNPACKED_BYTES // 2**20))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 (openpyxl raises KeyError, XML errors … on damage)
        raise IndicatorFileError.single(path, _(
            "cannot be read as an Excel workbook ({reason})").format(
                reason=_exception_text(exc))) from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise IndicatorFileError.single(path, _("has no worksheet"))
        sheet = next((s for s in sheets if s.title.strip().lower() == "indicators"), sheets[0])
        collector = Collector(str(path))
        if len(sheets) > 1 and sheet is sheets[0] and sheet.title.lower() != "indicators":
            collector.warn(_("has {count} sheets and none is named \"indicators\": read the "
                             "first, \"{sheet}\"").format(count=len(sheets), sheet=sheet.title))
        with contextlib.suppress(Exception):
            sheet.reset_dimensions()  # some writers record wrong dimensions: read every cell

        def locate(row: int, col: int | None) -> dict[str, str]:
            from openpyxl.utils import get_column_letter

            if col is None:
                return {"place": _("sheet {sheet}, row {row}").format(sheet=sheet.title,
                                                                      row=row)}
            return {"place": _("sheet {sheet}, cell {cell}").format(
                sheet=sheet.title, cell=f"{get_column_letter(col + 1)}{row}")}

        def records() -> Iterator[tuple[int, list[Cell]]]:
            rows = sheet.iter_rows(min_row=1, min_col=1)
            number = 0
            while True:
                try:
                    cells = next(rows)
                except StopIteration:
                    return
                except Exception as exc:  # noqa: BLE001 (damaged sheet XML, any error)
                    raise IndicatorFileError.single(path, _(
                        "cannot be read as an Excel workbook ({reason})").format(
                            reason=_exception_text(exc)), **locate(number + 1, None)) from None
                number += 1
                yield number, [_xlsx_cell(cell) for cell in cells]

        return _read_table(path, records(), locate, collector, csv_delimiter=None,
                           partial=partial)
    finally:
        with contextlib.suppress(Exception):
            workbook.close()


def _exception_text(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _xlsx_cell(cell: Any) -> Cell:
    value = cell.value
    if getattr(cell, "data_type", None) == "e" and isinstance(value, str):
        value = ExcelError(value)
    return value, getattr(cell, "number_format", None)


def _read_table(path: Path, records: Iterator[tuple[int, list[Cell]]],
                locate: Callable[[int, int | None], dict[str, Any]],
                collector: Collector, csv_delimiter: str | None,
                partial: bool = False) -> IndicatorTable:
    """Rows from the header and the records that follow it; every problem collected
    (raised, or with ``partial`` returned beside the good rows).

    ``csv_delimiter`` (CSV only) enables the apostrophe guard's removal and the repair of
    rows split by an unquoted delimiter (see :func:`_rejoin`).
    """
    unguard = csv_delimiter is not None
    header: tuple[int, list[Cell]] | None = None
    for number, cells in records:
        if any(not blank(value) for value, _fmt in cells):
            header = number, cells
            break
    if header is None:
        raise IndicatorFileError.single(path, _("is empty: there is no header row"))
    header_number, header_cells = header
    columns = _header_columns(header_number, header_cells, locate, collector)
    collector.raise_if_any(_("{path}: the header row has {count} problems; nothing was read")
                           .format(path=path, count=collector.count))

    rows: list[Indicator] = []
    seen: dict[tuple[str, int], dict[str, Any]] = {}
    count = 0
    for number, cells in records:
        if all(blank(value) for value, _fmt in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise too_many_rows(path)
        before = collector.count
        extra = [i for i, (value, _fmt) in enumerate(cells)
                 if i >= len(header_cells) and not blank(value)]
        if extra and csv_delimiter is not None:
            rejoined = _rejoin(cells, len(header_cells), columns, csv_delimiter, unguard)
            if rejoined is not None:
                found = len(cells)
                cells, name, text = rejoined
                collector.warn(_("{found} cells for {columns} columns: read {column} as "
                                 "\"{text}\" (it holds the separator {separator} but is not "
                                 "in double quotes); put such texts in double quotes").format(
                                     found=found, columns=len(header_cells), column=name,
                                     text=text, separator=csv_delimiter),
                               **locate(number, None))
                extra = []
        if extra:
            collector.add(_("this row has more cells than the header has columns (a text "
                            "with a comma that is not inside double quotes?)"),
                          **locate(number, extra[0]))
        row = parse_row(cells, columns, number, locate, collector, unguard)
        if row is None or collector.count > before:  # a bad row is never returned
            continue
        where = locate(number, columns["key"])
        first = seen.get((row.key, row.year))
        if first is not None:
            collector.add(_("{key} {year} appears twice: also at {other}").format(
                key=row.key, year=row.year,
                other=_("line {line}").format(line=first["line"]) if "line" in first
                else first["place"]), **where)
            continue
        seen[(row.key, row.year)] = where
        rows.append(row)
    if not partial:
        collector.raise_if_any(_("{path}: {count} problems; nothing was read").format(
            path=path, count=collector.count))
    if not rows and not collector.count:
        collector.warn(_("has a header but no indicator rows"))
    return IndicatorTable(rows, collector.warnings, columns, collector.problems,
                          collector.count)


def _rejoin(cells: list[Cell], width: int, columns: dict[str, int], delimiter: str,
            unguard: bool) -> tuple[list[Cell], str, str] | None:
    """A CSV row with more cells than the header, split by unquoted delimiters inside one
    column's text (``patents per 10,000 people``), put back together.

    Every column is tried as the one holding the extra delimiters; the repair is used only
    when exactly one choice gives a row without problems. ``150,800`` unquoted in the value
    column is ambiguous (value 150 with unit "800,…" could be valid too) and stays an error.
    Returns the cells, the column's name and its text.
    """
    values = [value for value, _fmt in cells]
    while len(values) > width and blank(values[-1]):
        values.pop()
    surplus = len(values) - width
    if surplus <= 0:
        return None
    names = {index: name for name, index in columns.items()}
    found: list[tuple[list[Cell], str, str]] = []
    for start in range(width):
        text = delimiter.join(values[start:start + surplus + 1])
        merged = [(v, None) for v in values[:start] + [text] + values[start + surplus + 1:]]
        scratch = Collector("")
        if parse_row(merged, columns, 0, lambda _r, _c: {}, scratch, unguard) is not None:
            found.append((merged, names.get(start, _("an ignored column")), text.strip()))
            if len(found) > 1:
                return None
    return found[0] if found else None


def _header_columns(number: int, cells: list[Cell],
                    locate: Callable[[int, int | None], dict[str, Any]],
                    collector: Collector) -> dict[str, int]:
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for index, (value, _fmt) in enumerate(cells):
        if blank(value):
            continue
        raw = str(value).strip()
        name = re.sub(r"[\s\-]+", "_", fold_for_number(raw).lower())
        name = SYNONYMS.get(name, name)
        if name not in COLUMNS:
            unknown.append(raw)
            continue
        if name in columns:
            collector.add(_("the column {column} appears twice (\"{name}\")").format(
                column=name, name=raw), **locate(number, index))
            continue
        columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        collector.add(_("missing required column(s): {missing} (the header row must name "
                        "key or indicator, year and value; found: {found})").format(
                            missing=", ".join(missing),
                            found=", ".join(str(v).strip() for v, _f in cells
                                            if not blank(v)) or _("nothing")),
                      **locate(number, None))
    if unknown:
        collector.warn(_("unknown columns ignored: {columns}").format(
            columns=", ".join(unknown)), **locate(number, None))
    return columns
