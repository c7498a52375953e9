"""Strict, exact parsing and per-language formatting of the figures of a white paper.

Parsing is ours (Babel's lenient parser turns ``1,2,3`` into 123); formatting uses
``babel.numbers`` for grouping and decimal signs. Values are always ``Decimal``.
No Qt here.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, localcontext

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from .i18n import _
from .indicators import (
    CURRENCIES,
    PREFIX_UNITS,
    QUALIFIERS,
    UNIT_NAMES,
    ZH_COMPOUND_COUNTERS,
    ZH_COUNTERS,
    ZH_UNIT_WORDS,
    prefix_pattern,
)
from .script import fold_for_number

__all__ = [
    "NumberError",
    "canonical_unit",
    "format_figure",
    "format_number",
    "format_qualifier",
    "format_quantity",
    "format_rate",
    "format_yoy",
    "parse_number",
    "parse_quantity",
    "scale_power",
    "scale_value",
]

#: Babel locale for each report language.
LOCALES = {"en": "en", "zh": "zh_CN"}

#: Most digits a figure may be written with, and most digits a value may have before its
#: decimal point (an exact Decimal context needs a bound; the national economy in yuan has 15).
MAX_DIGITS = 30
#: Longest text read as one figure (``RMB 1,234,567.89 hundred million`` is 32 characters):
#: anything longer is refused before any pattern runs over it.
MAX_FIGURE_TEXT = 200

#: English scale words and Chinese scale characters, as powers of ten.
EN_SCALES = {"hundred": 2, "thousand": 3, "million": 6, "billion": 9, "trillion": 12}
ZH_SCALES = {"十": 1, "百": 2, "千": 3, "万": 4, "萬": 4, "亿": 8, "億": 8}
#: Compound scales as reports write them: at most one of each step, largest last
#: (十万, 百万, 千万, 十亿, 千亿, 万亿, 千万亿; "hundred thousand", "hundred million",
#: "hundred billion"). A repeated multiplier (万万, 亿亿, "million million") or a wrong
#: order (亿万, 百千, "million thousand") is not a scale.
_ZH_SCALE_GRAMMAR = re.compile(r"[十百千]?[万萬]?[亿億]?")
_EN_SCALE_GRAMMAR = re.compile(r"(?:hundred(?: (?:thousand|million|billion|trillion))?"
                               r"|thousand|million|billion|trillion)")

_NUMBER_RE = re.compile(r"[+-]?(?:0|[1-9]\d{0,2}(?:, ?\d{3})+|[1-9]\d*)(?:\.\d+)?")
_QUANTITY_RE = re.compile(
    rf"(?P<pre>{prefix_pattern()})?\s*"
    r"(?P<num>[+-]?\d(?:[\d,.]|, (?=\d))*)\s*"
    r"(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
#: The units a Chinese figure is printed with (``320亿元``, ``14.28%``): those
#: :func:`parse_quantity` reads back; other units are written after a blank, as stored.
_ZH_SUFFIXES = {unit: ZH_UNIT_WORDS[unit] for unit in (*CURRENCIES, "%")}
_SCALE_RE = re.compile(
    r"(?P<scale>(?:(?:hundred|thousand|million|billion|trillion)\b\s*)+|[十百千万萬亿億]+)\s*",
    re.IGNORECASE,
)


class NumberError(ValueError):
    """A text that is not a figure we can read exactly; the message names the text."""

    def __init__(self, text: object, reason: str) -> None:
        super().__init__(_("not a valid number: {text} ({reason})").format(
            text=_shown(text), reason=reason))
        self.text = text
        self.reason = reason


def _shown(text: object) -> str:
    """``text`` as a message quotes it: ``repr``, cut short when long (a pasted page)."""
    if isinstance(text, str) and len(text) > 60:
        return repr(text[:50]) + _("… ({count} characters)").format(count=len(text))
    return repr(text)


def parse_number(text: str) -> Decimal:
    """Read a plain number exactly: ``150,800``, ``36, 800``, ``17.9858``, ``-3.5``, ``１５０，８００``.

    Thousands groups must have exactly three digits; exponents, NaN, infinities,
    European decimal commas and anything else raise :class:`NumberError`.
    """
    clean = _clean(text)
    if not clean:
        raise NumberError(text, _("empty"))
    if not _NUMBER_RE.fullmatch(clean):
        if re.fullmatch(r"[+-]?[\d, ]+(?:\.\d+)?", clean) and "," in clean:
            raise NumberError(text, _("thousands groups must have exactly three digits"))
        raise NumberError(text, _("not a plain decimal number"))
    digits = clean.replace(",", "").replace(" ", "")
    if sum(ch.isdigit() for ch in digits) > MAX_DIGITS:
        raise NumberError(text, _("more than {count} digits").format(count=MAX_DIGITS))
    return Decimal(digits)


def _clean(text: object) -> str:
    """``text`` normalised and stripped, or :class:`NumberError` when it cannot be a figure."""
    if not isinstance(text, str):
        raise NumberError(text, _("not a text"))
    if len(text) > MAX_FIGURE_TEXT:
        raise NumberError(text, _("too long for a figure"))
    return fold_for_number(text).strip()


def scale_power(text: str) -> int:
    """Power of ten of a scale: ``million`` 6, ``hundred million`` 8, ``万`` 4, ``千万`` 7.

    A repeated multiplier (``万万``, ``million million``) or one out of order (``亿万``)
    raises :class:`NumberError`; see ``_ZH_SCALE_GRAMMAR``.
    """
    clean = " ".join(_clean(text).lower().split())
    if not clean:
        return 0
    if all(ch in ZH_SCALES for ch in clean):
        if not _ZH_SCALE_GRAMMAR.fullmatch(clean):
            raise NumberError(text, _("a scale word is repeated or out of order; "
                                      "write one scale, such as 万, 亿 or 万亿"))
        return sum(ZH_SCALES[ch] for ch in clean)
    words = clean.split()
    if all(word in EN_SCALES for word in words):
        if not _EN_SCALE_GRAMMAR.fullmatch(clean):
            raise NumberError(text, _("a scale word is repeated or out of order; write one "
                                      "scale, such as million, billion or hundred million"))
        return sum(EN_SCALES[word] for word in words)
    raise NumberError(text, _("unknown scale word"))


def scale_value(number: Decimal, power: int) -> Decimal:
    """``number`` times ``10**power``, exactly; a whole result is a plain integer Decimal.

    A result with more than :data:`MAX_DIGITS` digits before the decimal point, or a
    number that is not finite, raises :class:`NumberError`.
    """
    if not isinstance(number, Decimal) or not number.is_finite():
        raise NumberError(number, _("not a finite number"))
    if power == 0:
        _check_size(number)
        return number
    if abs(power) > 2 * MAX_DIGITS:
        raise NumberError(number, _("the scale is too large"))
    with localcontext() as ctx:
        ctx.prec = 4 * MAX_DIGITS  # enough for every digit: scaling stays exact
        value = number.scaleb(power)
        _check_size(value)
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value


def _check_size(value: Decimal) -> None:
    """Refuse a value with more than :data:`MAX_DIGITS` digits before the decimal point."""
    if value and value.adjusted() >= MAX_DIGITS:
        raise NumberError(value, _("too large: more than {count} digits before the decimal "
                                   "point").format(count=MAX_DIGITS))


def canonical_unit(text: str) -> str:
    """Our name for a unit: ``RMB`` for yuan/元, ``USD``, ``%``; '' for Chinese counters (件, 个)."""
    clean = " ".join(_clean(text).split())
    if not clean:
        return ""
    if clean.lower() in UNIT_NAMES:
        return UNIT_NAMES[clean.lower()]
    if all(ch in ZH_COUNTERS for ch in clean) or clean in ZH_COMPOUND_COUNTERS:
        return ""
    if re.fullmatch(r"per [\w ,.-]+", clean):
        return clean
    raise NumberError(text, _("unknown unit {unit}").format(unit=repr(clean)))


def parse_quantity(text: str) -> tuple[Decimal, str]:
    """Read a figure with scale and unit into base units.

    ``32 billion RMB`` -> (32000000000, 'RMB'), ``15.08万`` -> (150800, ''),
    ``320亿元`` -> (32000000000, 'RMB'), ``14.28%`` -> (14.28, '%'), ``5.07万件`` -> (50700, '').
    """
    clean = _clean(text)
    match = _QUANTITY_RE.fullmatch(clean)
    if not clean or not match:
        raise NumberError(text, _("no number found") if clean else _("empty"))
    try:
        number = parse_number(match["num"])
    except NumberError as err:
        raise NumberError(text, err.reason) from None
    rest = match["rest"].strip()
    if re.match(r"e[+-]?\d", rest, re.IGNORECASE):
        raise NumberError(text, _("exponent notation is not accepted"))
    power = 0
    scale = _SCALE_RE.match(rest)
    if scale:
        try:
            power = scale_power(scale["scale"])
        except NumberError as err:
            raise NumberError(text, err.reason) from None
        rest = rest[scale.end():]
    try:
        unit = canonical_unit(rest)
    except NumberError as err:
        raise NumberError(text, err.reason) from None
    if match["pre"]:
        prefix = PREFIX_UNITS[match["pre"].lower()]
        if unit and unit != prefix:
            raise NumberError(text, _("two different units"))
        unit = prefix
    if unit == "%" and power:
        raise NumberError(text, _("a percentage cannot have a scale"))
    try:
        return scale_value(number, power), unit
    except NumberError as err:
        raise NumberError(text, err.reason) from None


def _plain(value: Decimal) -> Decimal:
    """``value`` without an exponent above zero (Decimal('3.2E+2') -> 320)."""
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def _decimals(value: Decimal) -> int:
    """Fraction digits ``value`` needs once trailing zeros are dropped."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_number(value: Decimal, lang: str, group: bool = True) -> str:
    """Group digits the way ``lang`` does, keeping the printed precision (15.30 stays 15.30)."""
    value = _plain(Decimal(value))
    if not value.is_finite():
        raise NumberError(value, _("not a finite number"))
    exponent = value.as_tuple().exponent
    digits = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    pattern = ("#,##0" if group else "0") + ("." + "0" * digits if digits else "")
    number_pattern, locale = _pattern(pattern, LOCALES.get(lang, lang))
    with localcontext() as ctx:  # babel rounds in the current context: 28 digits by default
        ctx.prec = max(ctx.prec, 2 * MAX_DIGITS + 40)
        return number_pattern.apply(value, locale)


@functools.lru_cache(maxsize=256)
def _pattern(pattern: str, locale: str) -> tuple[NumberPattern, Locale]:
    """Babel's parsed pattern and locale, read once (a report formats thousands of figures)."""
    return parse_pattern(pattern), Locale.parse(locale)


def _compact(value: Decimal, lang: str, scales: tuple[tuple[int, str, int], ...]) -> str | None:
    """``value`` as mantissa + scale word when exact to at most the allowed fraction digits.

    Chinese mantissas are not grouped (``1798.58万元``), English ones are.
    """
    for power, word, max_decimals in scales:
        if abs(value) >= Decimal(10) ** power:
            mantissa = value.scaleb(-power)
            if _decimals(mantissa) <= max_decimals:
                return format_number(_plain(mantissa.normalize()), lang, group=lang != "zh") + word
    return None


_EN_COMPACT = ((12, " trillion", 4), (9, " billion", 4), (6, " million", 4))
_ZH_COMPACT = ((8, "亿", 4), (4, "万", 2))


def _zh_body(value: Decimal, compact: bool) -> str:
    """A Chinese figure without unit: ``320亿``, ``1.1亿``, ``15.08万``, ``5.07万``, ``47388``.

    亿 from 1亿 when exact to 4 decimals (``298.4亿``); 万 from 1万 when exact to
    2 decimals (``2.3万``, ``5.07万``, but ``47388`` rather than ``4.7388万``); otherwise
    plain digits without grouping, as Chinese reports print them (``6822``, ``1923``).
    """
    body = _compact(value, "zh", _ZH_COMPACT) if compact else None
    return body or format_number(value, "zh", group=False)


def format_quantity(
    value: Decimal, unit: str = "", lang: str = "en", compact: bool | None = None
) -> str:
    """A figure as the report prints it in ``lang``.

    English: ``32 billion RMB``, ``17.9858 million RMB``, ``150,800``, ``14.28%`` (scale words
    for currency amounts of a million and more; counts are always grouped digits).
    Chinese: ``320亿元``, ``15.08万``, ``2.3万``, ``6822``, ``14.28%`` (万/亿 only when exact
    to the shown digits, otherwise plain digits without grouping). ``compact`` forces scale
    words on or off.
    """
    value = Decimal(value)
    unit = unit.strip()
    if unit == "%":
        return format_number(value, lang) + "%"
    if lang == "zh":
        body = _zh_body(value, compact is not False)
        suffix = _ZH_SUFFIXES.get(unit, f" {unit}" if unit else "")
        return body + suffix
    use_words = unit in CURRENCIES if compact is None else compact
    body = _compact(value, "en", _EN_COMPACT) if use_words else None
    body = body or format_number(value, "en")
    return f"{body} {unit}" if unit else body


def format_qualifier(qualifier: str, lang: str) -> str:
    """The word(s) for ``qualifier`` in ``lang``: ``over`` -> ``超过``, ``more than`` -> ``逾``.

    '' for no qualifier; an unknown qualifier raises :class:`ValueError`.
    """
    key = " ".join(qualifier.split()).lower()
    if not key:
        return ""
    if key not in QUALIFIERS:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    found = QUALIFIERS[key]
    return found.zh if lang == "zh" else found.en


def format_figure(value: Decimal, unit: str = "", qualifier: str = "", lang: str = "en") -> str:
    """A figure with its qualifier, as bound prose prints it: ``over 450,000``, ``超过45万``.

    Only currencies and ``%`` are printed as units; other units (``per 10,000 people``,
    ``months``) are worded by the prose itself, so only the number is given.
    """
    shown = unit if unit in CURRENCIES or unit == "%" else ""
    body = format_quantity(value, shown, lang)
    word = format_qualifier(qualifier, lang)
    if not word:
        return body
    return word + body if lang == "zh" else f"{word} {body}"


def format_rate(pct: Decimal, lang: str) -> str:
    """A rate alone, without sign or direction: ``14.28%`` for +14.28 and for −14.28."""
    return format_number(abs(Decimal(pct)), lang) + "%"


def format_yoy(pct: Decimal, lang: str) -> str:
    """A year-on-year change: ``up 14.28%`` / ``down 28.28%``, ``同比增长14.28%`` / ``同比下降28.28%``."""
    pct = Decimal(pct)
    size = format_number(abs(pct), lang) + "%"
    if lang == "zh":
        return "同比持平" if pct == 0 else ("同比增长" if pct > 0 else "同比下降") + size
    return "unchanged" if pct == 0 else ("up " if pct > 0 else "down ") + size
