"""One row of an indicator table, cell by cell: exact numbers, units, years, qualifiers
(no Qt). Part of :mod:`ipviewer.indicator_files`."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from ..i18n import _
from ..indicators import ALLOWED_QUALIFIERS
from ..model import Indicator, decimal_text
from ..numbers import (
    MAX_DIGITS,
    NumberError,
    canonical_unit,
    parse_number,
    parse_quantity,
)
from ..script import fold_for_number
from ..spreadsheet_cells import unguard as _unguard
from .rows import (
    EXCEL_DIGITS,
    FIXED_FORMAT_RE,
    GUARDED_CSV_COLUMNS,
    KEY_RE,
    YEAR_RANGE,
    YEAR_RE,
    Collector,
)

#: A raw cell: its value (text for CSV; text, number, date … for XLSX) and number format.
Cell = tuple[Any, str | None]


class ExcelError(str):
    """The text of an Excel error value (``#DIV/0!``, ``#N/A`` …)."""


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_row(cells: list[Cell], columns: dict[str, int], number: int,
               locate: Callable[[int, int | None], dict[str, Any]],
               collector: Collector, unguard: bool) -> Indicator | None:
    """One row, or None after recording its problems."""
    before = collector.count

    def cell(name: str) -> Cell:
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
        if blank(value):
            return ""
        if isinstance(value, ExcelError):
            problem(name, _("the cell holds the Excel error {error}").format(error=value))
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                value = decimal_text(_cell_number(value, fmt, lambda m: warning(name, m)))
            except NumberError as err:
                problem(name, str(err))
                return ""
        result = str(value).strip()
        if unguard and name in GUARDED_CSV_COLUMNS:
            result = _unguard(result)
        return result

    def number_value(name: str, allow_quantity: bool) -> tuple[Decimal, str] | None:
        value, fmt = cell(name)
        try:
            if isinstance(value, str) and not isinstance(value, ExcelError):
                if allow_quantity:
                    return parse_quantity(value)
                clean = fold_for_number(value).strip().removesuffix("%").rstrip()
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
    elif not KEY_RE.fullmatch(key):
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
    if blank(value_cell):
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
    if qualifier not in ALLOWED_QUALIFIERS:
        problem("qualifier", _("\"{qualifier}\" is not one of: {allowed}").format(
            qualifier=qualifier, allowed=", ".join(q for q in ALLOWED_QUALIFIERS if q)))
    # yoy_pct
    yoy: Decimal | None = None
    if not blank(cell("yoy_pct")[0]):
        parsed = number_value("yoy_pct", allow_quantity=False)
        if parsed is not None:
            yoy = parsed[0]
    labels = text("label_en"), text("label_zh")
    source = text("source")
    if collector.count > before or value is None or year is None:
        return None
    return Indicator(key=key, year=year, value=value, unit=unit, qualifier=qualifier,
                        yoy_pct=yoy, label_en=labels[0], label_zh=labels[1], source=source)


def _not_a_number(value: Any) -> str:
    if isinstance(value, ExcelError):
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
    if blank(value):
        problem(_("is empty"))
        return None
    if isinstance(value, bool):
        pass
    elif isinstance(value, int):
        year = value
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    elif isinstance(value, str) and YEAR_RE.fullmatch(fold_for_number(value).strip()):
        year = int(fold_for_number(value).strip())
    if year is None:
        problem(_("\"{value}\" is not a year (a whole number such as 2024)").format(
            value=str(value).strip()))
        return None
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        problem(_("{year} is outside {first}–{last}").format(
            year=year, first=YEAR_RANGE[0], last=YEAR_RANGE[1]))
        return None
    return year


def significant_digits(value: Decimal) -> int:
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
        if significant_digits(result) > EXCEL_DIGITS:
            with localcontext() as ctx:
                ctx.prec = EXCEL_DIGITS
                ctx.rounding = ROUND_HALF_UP
                rounded = (+result).normalize()
            warn(_("{raw} is not a typed figure (a computed or converted value with more "
                   "than {digits} significant digits); read as {value}, as Excel shows it")
                 .format(raw=repr(value), digits=EXCEL_DIGITS, value=decimal_text(rounded)))
            result = rounded
    if too_long(result):
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
    if too_long(result):
        raise NumberError(value, _("more than {count} digits").format(count=MAX_DIGITS))
    return result


def too_long(value: Decimal) -> bool:
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
    match = FIXED_FORMAT_RE.fullmatch(number_format.split(";")[0].strip())
    if not match:
        return None
    return len(match.group(1) or "")
