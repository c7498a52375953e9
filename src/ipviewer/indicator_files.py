"""Indicator tables to and from CSV and Excel (.xlsx) files, exactly. No Qt here.

Reading (:func:`read_indicator_file`) checks every cell and either returns all rows or
raises :class:`IndicatorFileError` listing the problems (up to :data:`MAX_PROBLEMS`), each
naming the file and the line (CSV, ``prior-years.csv:7: …``) or the cell (XLSX,
``report.xlsx: sheet indicators, cell C7: …``). Nothing is ever returned partially.

Files: CSV in UTF-8 (BOM optional), UTF-16, or another encoding decided with evidence as
the report importer does (:mod:`ipviewer.text_decoding`; a warning says so) or given with
``encoding``, separated by commas (or ``;``/tab when the header says so); XLSX
the sheet named "indicators", else the first. Header names are matched case-insensitively,
in any order; ``indicator`` means ``key``; unknown columns are ignored with a warning. A CSV
row split by an unquoted comma inside a text (``patents per 10,000 people`` in the user's
``prior-years.csv``) is put back together, with a warning, only when exactly one column can
hold the extra comma(s) and give a valid row; ``150,800`` unquoted stays an error.

Exactness. Values are ``Decimal`` and keep their printed precision (``15.30`` stays
``15.30``). Text is parsed strictly with :func:`ipviewer.numbers.parse_quantity` (``150,800``,
``32 billion``, ``15.08万``; never ``1,2,3``, ``1e5`` or ``NaN``). Excel keeps numbers as
binary doubles, so an Excel number cell is read through the float's shortest ``repr``
(57.9 -> ``57.9``, never ``Decimal(57.9)``). A double with more than 15 significant digits
(``0.1+0.2`` = 0.30000000000000004, a formula result) did not come from typing: it is
rounded to the 15 significant digits Excel itself shows, and a warning names the cell. A
fixed-decimals number format (``0.00``, ``#,##0.00``) restores the trailing zeros Excel
shows (15.3 formatted ``0.00`` is read as ``15.30``).

Writing (:func:`write_indicator_file`) is atomic (temporary file in the same folder, then
``os.replace``). In XLSX, ``value`` and ``yoy_pct`` are written as Excel numbers only when
the double reads back as the same decimal (at most 15 significant digits), with a number
format showing the printed decimals; otherwise as text, which reads back exactly. So
every file we write reads back to identical rows.

Formula injection. XLSX text cells are always written as string cells (with Excel's
"quote prefix" style when they start with ``= + - @``), so they are never formulas. CSV has
no cell types: label, unit and source texts starting with ``= + - @``, tab or CR (or with an
apostrophe followed by one of these) get a leading apostrophe, which reading removes again
(:mod:`ipviewer.spreadsheet_cells`, the one guard of every CSV/XLSX writer).
Numbers are never prefixed (``-28.28`` stays a number for Excel); keys and qualifiers cannot
start with those characters.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import math
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from typing import Any

from . import safe_write
from .i18n import _
from .input_files import InputError, read_input
from .numbers import (
    MAX_DIGITS,
    NumberError,
    canonical_unit,
    normalise,
    parse_number,
    parse_quantity,
)
from .spreadsheet_cells import guard as _guard
from .spreadsheet_cells import needs_guard
from .spreadsheet_cells import unguard as _unguard
from .text_decoding import DecodeError, decode_text, encoding_label

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_PROBLEMS",
    "MAX_ROWS",
    "QUALIFIERS",
    "IndicatorFileError",
    "IndicatorRow",
    "IndicatorTable",
    "Problem",
    "decimal_text",
    "read_indicator_file",
    "write_indicator_file",
]

#: The columns we write, in this order; reading accepts them in any order.
COLUMNS = ("key", "year", "value", "unit", "qualifier", "yoy_pct", "label_en", "label_zh",
           "source")
REQUIRED = ("key", "year", "value")
#: Other names accepted for a column when reading (``prior-years.csv`` says ``indicator``).
SYNONYMS = {"indicator": "key"}
#: The words the report puts before a figure ("over 450,000", "nearly 23,000").
QUALIFIERS = ("", "over", "more than", "exceeding", "nearly", "about", "at least", "up to",
              "less than")
YEAR_RANGE = (1900, 2100)

#: Larger files are refused before they are read.
MAX_BYTES = 20 * 1024 * 1024
#: An XLSX whose parts unpack to more than this is refused (a zip bomb is small on disk).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Most data rows in one file.
MAX_ROWS = 200_000
#: Problems listed in one error; the rest are counted.
MAX_PROBLEMS = 20
#: Significant digits a double holds exactly (DBL_DIG): what Excel shows and keeps.
EXCEL_DIGITS = 15
#: Longest text an Excel cell holds.
EXCEL_MAX_TEXT = 32_767

_KEY_RE = re.compile(r"[a-z0-9_]+")
_YEAR_RE = re.compile(r"[0-9]{1,4}")
_FIXED_FORMAT_RE = re.compile(r"[#,]*0(?:\.(0+))?")
_STORE_DECIMAL_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
#: CSV columns that get (and lose on reading) the apostrophe guard.
_GUARDED_CSV_COLUMNS = ("unit", "label_en", "label_zh", "source")
_TEXT_COLUMNS = ("unit", "label_en", "label_zh", "source")
_XLSX_WIDTHS = {"key": 36, "year": 8, "value": 18, "unit": 14, "qualifier": 12,
                "yoy_pct": 10, "label_en": 40, "label_zh": 30, "source": 60}
# Control characters an XLSX (XML) cell cannot hold.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


# -- rows -------------------------------------------------------------------------------


def decimal_text(value: Decimal) -> str:
    """The exact decimal text of ``value`` for the store and for files: ``15.30`` stays
    ``15.30``, integers have no ``.0`` and never an exponent (``3.2E+10`` -> ``32000000000``)."""
    text = format(value, "f")
    return "0" if text in ("-0", "+0") else text


@dataclass
class IndicatorRow:
    """One figure of one year, as the indicator table holds it."""

    key: str
    year: int
    value: Decimal
    unit: str = ""
    qualifier: str = ""
    yoy_pct: Decimal | None = None
    label_en: str = ""
    label_zh: str = ""
    source: str = ""

    def as_store_dict(self) -> dict[str, Any]:
        """The row for the store's ``indicators`` table: numbers as exact decimal TEXT."""
        return {
            "key": self.key,
            "year": self.year,
            "value": decimal_text(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "yoy_pct": None if self.yoy_pct is None else decimal_text(self.yoy_pct),
            "label_en": self.label_en,
            "label_zh": self.label_zh,
            "source": self.source,
        }

    @classmethod
    def from_store(cls, row: dict[str, Any]) -> IndicatorRow:
        """A row read from the store (extra columns such as ``id`` or ``node_id`` ignored).

        Raises ``ValueError`` when ``value`` or ``yoy_pct`` is not exact decimal text.
        """
        yoy = row.get("yoy_pct")
        return cls(
            key=row["key"],
            year=int(row["year"]),
            value=_store_decimal(row["value"], "value", row),
            unit=row.get("unit") or "",
            qualifier=row.get("qualifier") or "",
            yoy_pct=None if yoy is None or yoy == "" else _store_decimal(yoy, "yoy_pct", row),
            label_en=row.get("label_en") or "",
            label_zh=row.get("label_zh") or "",
            source=row.get("source") or "",
        )


def _store_decimal(text: object, column: str, row: dict[str, Any]) -> Decimal:
    if isinstance(text, int) and not isinstance(text, bool):
        return Decimal(text)
    if isinstance(text, str) and _STORE_DECIMAL_RE.fullmatch(text):
        return Decimal(text)
    raise ValueError(_("indicator {key} {year}: stored {column} {text} is not an exact decimal")
                     .format(key=row.get("key"), year=row.get("year"), column=column,
                             text=repr(text)))


class IndicatorTable(list[IndicatorRow]):
    """The rows read from a file, plus ``warnings`` (texts naming file and place) about
    things that were read but deserve a look: ignored columns, rounded Excel numbers …

    ``columns`` names the :data:`COLUMNS` the file had (``indicator`` counts as ``key``):
    an importer updating existing rows can leave the others (labels, source …) alone.
    """

    def __init__(self, rows: Iterable[IndicatorRow] = (), warnings: list[str] | None = None,
                 columns: Iterable[str] = COLUMNS):
        super().__init__(rows)
        self.warnings: list[str] = list(warnings or [])
        self.columns: tuple[str, ...] = tuple(c for c in COLUMNS if c in set(columns))


# -- problems ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: ``line`` (CSV) or ``place`` (XLSX: sheet and cell)."""

    path: str
    message: str
    line: int | None = None
    place: str | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}: {self.message}"
        if self.place:
            return f"{self.path}: {self.place}: {self.message}"
        return f"{self.path}: {self.message}"


class IndicatorFileError(ValueError):
    """An indicator file that cannot be read or written.

    The first line of the message is a summary (the problem itself when there is only one);
    the following lines list the problems; ``problems`` holds them, ``count`` counts all of
    them (only the first :data:`MAX_PROBLEMS` are kept).
    """

    def __init__(self, problems: list[Problem], count: int | None = None,
                 summary: str | None = None) -> None:
        self.problems = problems
        self.count = max(count or 0, len(problems))
        lines = [str(p) for p in problems]
        if self.count > 1 and summary:
            lines.insert(0, summary)
        if self.count > len(problems):
            lines.append(_("(and {count} more problems)").format(count=self.count - len(problems)))
        super().__init__("\n".join(lines))

    @classmethod
    def single(cls, path: str | os.PathLike[str], message: str, line: int | None = None,
               place: str | None = None) -> IndicatorFileError:
        """An error about one file, with one message."""
        return cls([Problem(os.fspath(path), message, line, place)])


class _Collector:
    """Gathers problems (keeping the first :data:`MAX_PROBLEMS`) and warnings."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.count = 0
        self.warnings: list[str] = []

    def add(self, message: str, line: int | None = None, place: str | None = None) -> None:
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.path, message, line, place))

    def warn(self, message: str, line: int | None = None, place: str | None = None) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(str(Problem(self.path, message, line, place)))

    def raise_if_any(self, summary: str) -> None:
        if self.count:
            raise IndicatorFileError(self.problems, self.count, summary)


# -- reading ----------------------------------------------------------------------------


def read_indicator_file(path: str | os.PathLike[str],
                        encoding: str | None = None) -> IndicatorTable:
    """All indicator rows of a ``.csv`` or ``.xlsx`` file, checked; see the module notes.

    ``encoding`` (CSV only) is the codec to decode with instead of deciding it from the
    bytes. Raises :class:`IndicatorFileError` naming file and line or cell for anything
    wrong; the returned :class:`IndicatorTable` (a list) carries ``warnings``.
    """
    path = Path(path)
    kind = _kind(path)
    if encoding is not None and kind != "csv":
        raise IndicatorFileError.single(path, _(
            "an encoding was given, but an .xlsx workbook is not a text file: leave out "
            "--encoding"))
    try:
        data = read_input(path, MAX_BYTES)
    except InputError as exc:
        raise IndicatorFileError.single(path, exc.reason) from None
    if kind == "csv":
        return _read_csv(path, data, encoding)
    return _read_xlsx(path, data)


def _kind(path: Path) -> str:
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


def _too_many_rows(path: Path) -> IndicatorFileError:
    return IndicatorFileError.single(path, _(
        "has more than {limit} rows; an indicator file holds at most {limit} rows, split it "
        "into several files").format(limit=MAX_ROWS))


#: A raw cell: its value (text for CSV; text, number, date … for XLSX) and number format.
_Cell = tuple[Any, str | None]


def _read_csv(path: Path, data: bytes, encoding: str | None) -> IndicatorTable:
    collector = _Collector(str(path))
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
                raise _too_many_rows(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    def records() -> Iterator[tuple[int, list[_Cell]]]:
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
                       csv_delimiter=delimiter)


def _decode_csv(path: Path, data: bytes, collector: _Collector,
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


def _read_xlsx(path: Path, data: bytes) -> IndicatorTable:
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
        collector = _Collector(str(path))
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

        def records() -> Iterator[tuple[int, list[_Cell]]]:
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

        return _read_table(path, records(), locate, collector, csv_delimiter=None)
    finally:
        with contextlib.suppress(Exception):
            workbook.close()


def _exception_text(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class _ExcelError(str):
    """The text of an Excel error value (``#DIV/0!``, ``#N/A`` …)."""


def _xlsx_cell(cell: Any) -> _Cell:
    value = cell.value
    if getattr(cell, "data_type", None) == "e" and isinstance(value, str):
        value = _ExcelError(value)
    return value, getattr(cell, "number_format", None)


def _read_table(path: Path, records: Iterator[tuple[int, list[_Cell]]],
                locate: Callable[[int, int | None], dict[str, Any]],
                collector: _Collector, csv_delimiter: str | None) -> IndicatorTable:
    """Rows from the header and the records that follow it; every problem collected.

    ``csv_delimiter`` (CSV only) enables the apostrophe guard's removal and the repair of
    rows split by an unquoted delimiter (see :func:`_rejoin`).
    """
    unguard = csv_delimiter is not None
    header: tuple[int, list[_Cell]] | None = None
    for number, cells in records:
        if any(not _blank(value) for value, _fmt in cells):
            header = number, cells
            break
    if header is None:
        raise IndicatorFileError.single(path, _("is empty: there is no header row"))
    header_number, header_cells = header
    columns = _header_columns(header_number, header_cells, locate, collector)
    collector.raise_if_any(_("{path}: the header row has {count} problems; nothing was read")
                           .format(path=path, count=collector.count))

    rows: list[IndicatorRow] = []
    seen: dict[tuple[str, int], dict[str, Any]] = {}
    count = 0
    for number, cells in records:
        if all(_blank(value) for value, _fmt in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _too_many_rows(path)
        extra = [i for i, (value, _fmt) in enumerate(cells)
                 if i >= len(header_cells) and not _blank(value)]
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
        row = _parse_row(cells, columns, number, locate, collector, unguard)
        if row is None:
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
    collector.raise_if_any(_("{path}: {count} problems; nothing was read").format(
        path=path, count=collector.count))
    if not rows:
        collector.warn(_("has a header but no indicator rows"))
    return IndicatorTable(rows, collector.warnings, columns)


def _rejoin(cells: list[_Cell], width: int, columns: dict[str, int], delimiter: str,
            unguard: bool) -> tuple[list[_Cell], str, str] | None:
    """A CSV row with more cells than the header, split by unquoted delimiters inside one
    column's text (``patents per 10,000 people``), put back together.

    Every column is tried as the one holding the extra delimiters; the repair is used only
    when exactly one choice gives a row without problems. ``150,800`` unquoted in the value
    column is ambiguous (value 150 with unit "800,…" could be valid too) and stays an error.
    Returns the cells, the column's name and its text.
    """
    values = [value for value, _fmt in cells]
    while len(values) > width and _blank(values[-1]):
        values.pop()
    surplus = len(values) - width
    if surplus <= 0:
        return None
    names = {index: name for name, index in columns.items()}
    found: list[tuple[list[_Cell], str, str]] = []
    for start in range(width):
        text = delimiter.join(values[start:start + surplus + 1])
        merged = [(v, None) for v in values[:start] + [text] + values[start + surplus + 1:]]
        scratch = _Collector("")
        if _parse_row(merged, columns, 0, lambda _r, _c: {}, scratch, unguard) is not None:
            found.append((merged, names.get(start, _("an ignored column")), text.strip()))
            if len(found) > 1:
                return None
    return found[0] if found else None


def _header_columns(number: int, cells: list[_Cell],
                    locate: Callable[[int, int | None], dict[str, Any]],
                    collector: _Collector) -> dict[str, int]:
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for index, (value, _fmt) in enumerate(cells):
        if _blank(value):
            continue
        raw = str(value).strip()
        name = re.sub(r"[\s\-]+", "_", normalise(raw).lower())
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
                                            if not _blank(v)) or _("nothing")),
                      **locate(number, None))
    if unknown:
        collector.warn(_("unknown columns ignored: {columns}").format(
            columns=", ".join(unknown)), **locate(number, None))
    return columns


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_row(cells: list[_Cell], columns: dict[str, int], number: int,
               locate: Callable[[int, int | None], dict[str, Any]],
               collector: _Collector, unguard: bool) -> IndicatorRow | None:
    """One row, or None after recording its problems."""
    before = collector.count

    def cell(name: str) -> _Cell:
        index = columns.get(name)
        if index is None or index >= len(cells):
            return None, None
        return cells[index]

    def problem(name: str, message: str) -> None:
        collector.add(_("{column}: {message}").format(column=name, message=message),
                      **locate(number, columns.get(name)))

    def warning(name: str, message: str) -> None:
        collector.warn(_("{column}: {message}").format(column=name, message=message),
                       **locate(number, columns.get(name)))

    def text(name: str) -> str:
        value, fmt = cell(name)
        if _blank(value):
            return ""
        if isinstance(value, _ExcelError):
            problem(name, _("the cell holds the Excel error {error}").format(error=value))
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                value = decimal_text(_cell_number(value, fmt, lambda m: warning(name, m)))
            except NumberError as err:
                problem(name, str(err))
                return ""
        result = str(value).strip()
        if unguard and name in _GUARDED_CSV_COLUMNS:
            result = _unguard(result)
        return result

    def number_value(name: str, allow_quantity: bool) -> tuple[Decimal, str] | None:
        value, fmt = cell(name)
        try:
            if isinstance(value, str) and not isinstance(value, _ExcelError):
                if allow_quantity:
                    return parse_quantity(value)
                clean = normalise(value).strip().removesuffix("%").rstrip()
                try:
                    return parse_number(clean), ""
                except NumberError as err:
                    raise NumberError(value.strip(), err.reason) from None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return _cell_number(value, fmt, lambda m: warning(name, m)), ""
        except NumberError as err:
            problem(name, str(err))
            return None
        problem(name, _not_a_number(value))
        return None

    # key
    key = text("key")
    if not key:
        problem("key", _("is empty"))
    elif not _KEY_RE.fullmatch(key):
        suggestion = re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_")
        problem("key", _("\"{key}\" may use only lower-case letters a-z, digits and _ "
                         "(for example {suggestion})").format(
                             key=key, suggestion=suggestion or "patents_granted"))
    # year
    year = _year(cell("year")[0], lambda m: problem("year", m))
    # value (with an optional scale and unit) and unit
    unit = text("unit")
    value_cell = cell("value")[0]
    value: Decimal | None = None
    if _blank(value_cell):
        problem("value", _("is empty"))
    else:
        parsed = number_value("value", allow_quantity=True)
        if parsed is not None:
            value, value_unit = parsed
            if value_unit and unit and _unit_name(unit) != value_unit:
                problem("value", _("\"{value}\" is in {found} but the unit column says "
                                   "\"{unit}\"").format(value=str(value_cell).strip(),
                                                        found=value_unit, unit=unit))
            unit = unit or value_unit
    # qualifier
    qualifier = " ".join(text("qualifier").lower().split())
    if qualifier not in QUALIFIERS:
        problem("qualifier", _("\"{qualifier}\" is not one of: {allowed}").format(
            qualifier=qualifier, allowed=", ".join(q for q in QUALIFIERS if q)))
    # yoy_pct
    yoy: Decimal | None = None
    if not _blank(cell("yoy_pct")[0]):
        parsed = number_value("yoy_pct", allow_quantity=False)
        if parsed is not None:
            yoy = parsed[0]
    labels = text("label_en"), text("label_zh")
    source = text("source")
    if collector.count > before or value is None or year is None:
        return None
    return IndicatorRow(key=key, year=year, value=value, unit=unit, qualifier=qualifier,
                        yoy_pct=yoy, label_en=labels[0], label_zh=labels[1], source=source)


def _not_a_number(value: Any) -> str:
    if isinstance(value, _ExcelError):
        return _("the cell holds the Excel error {error}").format(error=value)
    if isinstance(value, bool):
        return _("a TRUE/FALSE cell, not a number")
    if isinstance(value, (datetime, date, time, timedelta)):
        return _("the cell holds a date or time ({value}), not a number; format it as a "
                 "number").format(value=value)
    return _("not a number ({value})").format(value=repr(value))


def _unit_name(unit: str) -> str | None:
    try:
        return canonical_unit(unit)
    except NumberError:
        return None


def _year(value: Any, problem: Callable[[str], None]) -> int | None:
    year: int | None = None
    if _blank(value):
        problem(_("is empty"))
        return None
    if isinstance(value, bool):
        pass
    elif isinstance(value, int):
        year = value
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    elif isinstance(value, str) and _YEAR_RE.fullmatch(normalise(value).strip()):
        year = int(normalise(value).strip())
    if year is None:
        problem(_("\"{value}\" is not a year (a whole number such as 2024)").format(
            value=str(value).strip()))
        return None
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        problem(_("{year} is outside {first}–{last}").format(
            year=year, first=YEAR_RANGE[0], last=YEAR_RANGE[1]))
        return None
    return year


def _significant_digits(value: Decimal) -> int:
    return len(value.normalize().as_tuple().digits)


def _cell_number(value: float, number_format: str | None,
                 warn: Callable[[str], None]) -> Decimal:
    """An Excel number cell as the exact decimal the user typed or sees; see module notes."""
    if isinstance(value, int):
        result = Decimal(value)
    else:
        if not math.isfinite(value):
            raise NumberError(value, _("not a finite number"))
        result = Decimal(repr(value))
        if _significant_digits(result) > EXCEL_DIGITS:
            with localcontext() as ctx:
                ctx.prec = EXCEL_DIGITS
                ctx.rounding = ROUND_HALF_UP
                rounded = (+result).normalize()
            warn(_("{raw} is not a typed figure (a computed or converted value with more "
                   "than {digits} significant digits); read as {value}, as Excel shows it")
                 .format(raw=repr(value), digits=EXCEL_DIGITS, value=decimal_text(rounded)))
            result = rounded
    if _too_long(result):
        raise NumberError(value, _("more than {count} digits").format(count=MAX_DIGITS))
    with localcontext() as ctx:
        ctx.prec = 2 * MAX_DIGITS + 10
        if result == result.to_integral_value():
            result = result.quantize(Decimal(1))
        decimals = _format_decimals(number_format)
        exponent = result.as_tuple().exponent
        assert isinstance(exponent, int)
        if decimals is not None and -exponent < decimals <= MAX_DIGITS:
            result = result.quantize(Decimal(1).scaleb(-decimals))
    if _too_long(result):
        raise NumberError(value, _("more than {count} digits").format(count=MAX_DIGITS))
    return result


def _too_long(value: Decimal) -> bool:
    """Whether ``value`` needs more digits than :func:`parse_number` accepts (or is NaN)."""
    if not value.is_finite():
        return True
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if value.adjusted() >= MAX_DIGITS or exponent < -MAX_DIGITS:
        return True
    return sum(ch.isdigit() for ch in decimal_text(value)) > MAX_DIGITS


def _format_decimals(number_format: str | None) -> int | None:
    """Fraction digits a fixed number format shows (``0.00`` 2, ``#,##0`` 0), else None."""
    if not number_format:
        return None
    match = _FIXED_FORMAT_RE.fullmatch(number_format.split(";")[0].strip())
    if not match:
        return None
    return len(match.group(1) or "")


# -- writing ----------------------------------------------------------------------------


def write_indicator_file(rows: Iterable[IndicatorRow], path: str | os.PathLike[str]) -> None:
    """Write ``rows`` to a ``.csv`` (UTF-8 with BOM) or ``.xlsx`` file, atomically.

    The rows are checked first (the same rules as reading, so the file reads back); any
    problem raises :class:`IndicatorFileError` and leaves an existing file untouched.
    """
    path = Path(path)
    kind = _kind(path)
    rows = list(rows)
    _check_rows(rows, path, xlsx=kind == "xlsx")
    data = _csv_bytes(rows) if kind == "csv" else _xlsx_bytes(rows)
    _atomic_write(path, data)


def _check_rows(rows: list[IndicatorRow], path: Path, xlsx: bool) -> None:
    collector = _Collector(str(path))
    if len(rows) > MAX_ROWS:
        raise _too_many_rows(path)
    seen: dict[tuple[str, int], int] = {}
    for number, row in enumerate(rows, start=1):
        place = _("row {row}").format(row=number)

        def problem(message: str, place: str = place) -> None:
            collector.add(message, place=place)

        if not isinstance(row.key, str) or not _KEY_RE.fullmatch(row.key):
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
            if not isinstance(number_value, Decimal) or _too_long(number_value):
                problem(_("{column}: {value} is not an exact decimal number").format(
                    column=name, value=repr(number_value)))
        if row.qualifier not in QUALIFIERS:
            problem(_("qualifier: \"{qualifier}\" is not one of: {allowed}").format(
                qualifier=row.qualifier, allowed=", ".join(q for q in QUALIFIERS if q)))
        for name in _TEXT_COLUMNS:
            text = getattr(row, name)
            if not isinstance(text, str):
                problem(_("{column}: not a text ({value})").format(column=name,
                                                                   value=repr(text)))
            elif xlsx and _XML_ILLEGAL.search(text):
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


def _csv_fields(row: IndicatorRow) -> list[str]:
    values = row.as_store_dict()
    fields = []
    for name in COLUMNS:
        value = values[name]
        value = "" if value is None else str(value)
        if name in _GUARDED_CSV_COLUMNS:
            value = _guard(value)
        fields.append(value)
    return fields


def _csv_bytes(rows: list[IndicatorRow]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(_csv_fields(row))
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def _excel_number(value: Decimal) -> int | float | None:
    """``value`` as an Excel number when the double reads back as the same decimal."""
    if _significant_digits(value) > EXCEL_DIGITS:
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


def _xlsx_bytes(rows: list[IndicatorRow]) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("indicators")
    sheet.freeze_panes = "A2"
    for index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _XLSX_WIDTHS[name]
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
