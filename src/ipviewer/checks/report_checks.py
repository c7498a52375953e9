"""What an editor checks before publishing, done by the machine.

- a stated year-on-year change that the prior year's value held does not give (within the
  printed precision), and a pair of rates that look swapped;
- a paragraph whose English and Chinese texts do not state the same figures;
- a figure reference to an indicator that does not exist;
- a part, section or paragraph written in one language only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from ..bindings import BindingError, FigureValue, render
from ..i18n import N_, _
from ..importing.figures import extract_figures
from ..model import Node
from ..numbers import format_number
from ..report_text import figure_values, node_place, walk_with_path
from ..store import ReportStore


@dataclass
class Finding:
    """One problem found; ``node_id`` / ``key`` say where to jump to."""

    severity: str  # 'error' or 'warning'
    code: str  # 'yoy', 'yoy-swapped', 'parity', 'reference', 'untranslated'
    message: str
    where: str = ""
    node_id: int | None = None
    key: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"{_(SEVERITIES[self.severity])}: {place}{self.message}"


#: How findings name their severity.
SEVERITIES = {"error": N_("error"), "warning": N_("warning")}


def run_checks(store: ReportStore) -> list[Finding]:
    """Every finding for the report in ``store``, errors and warnings, in report order."""
    year = store.report()["year"]
    rows = store.indicator_rows()
    values = figure_values(rows)
    findings = yoy_findings(rows, year)
    for node, path in walk_with_path(store.load_tree()):
        findings += _node_findings(node, path, values, year)
    return findings


def yoy_findings(rows: list[dict[str, Any]], year: int) -> list[Finding]:
    """Stated YoY changes against the prior year's values held.

    Printed figures are rounded (278,700 is "27.87万"), so the change they allow is a range:
    a stated rate is wrong only when it lies outside that range by more than its own
    rounding.
    """
    by_key = {(r["key"], r["year"]): r for r in rows}
    ranges: dict[str, tuple[Decimal, Decimal]] = {}
    stated: dict[str, Decimal] = {}
    for row in rows:
        if row["year"] != year or row["yoy_pct"] in (None, ""):
            continue
        stated[row["key"]] = Decimal(row["yoy_pct"])
        prior = by_key.get((row["key"], year - 1))
        if prior and Decimal(prior["value"]) > 0:
            ranges[row["key"]] = _change_range(Decimal(row["value"]), Decimal(prior["value"]))
    findings = []
    for key, (low, high) in ranges.items():
        said = stated[key]
        if low - _tolerance(said) <= said <= high + _tolerance(said):
            continue
        row, prior = by_key[(key, year)], by_key[(key, year - 1)]
        change = (Decimal(row["value"]) / Decimal(prior["value"]) - 1) * 100
        message = _("{name}: the text states {stated}% year-on-year, but {value} against "
                    "{prior} in {year} is {computed}%").format(
            name=row["label_en"] or row["label_zh"] or key, stated=_signed(said),
            value=format_number(Decimal(row["value"]), "en"),
            prior=format_number(Decimal(prior["value"]), "en"), year=year - 1,
            computed=_signed(change.quantize(_step(said))))
        swapped = [other for other, rate in stated.items()
                   if other != key and low - _tolerance(rate) <= rate <= high + _tolerance(rate)
                   and by_key[(other, year)]["node_id"] == row["node_id"]]
        if swapped:
            message += " " + _("(it looks swapped with the rate of {other})").format(
                other=by_key[(swapped[0], year)]["label_en"] or swapped[0])
        findings.append(Finding("error", "yoy-swapped" if swapped else "yoy", message,
                                key=key, node_id=row["node_id"]))
    return findings


def _change_range(value: Decimal, prior: Decimal) -> tuple[Decimal, Decimal]:
    """The lowest and highest % change the two rounded figures allow."""
    du, dp = _rounding(value), _rounding(prior)
    low = ((value - du) / (prior + dp) - 1) * 100
    high = ((value + du) / (prior - dp) - 1) * 100
    return low, high


def _rounding(value: Decimal) -> Decimal:
    """Half the unit a printed figure was rounded to: 278700 → 50, 57.9 → 0.05, 2223 → 0."""
    exponent = value.normalize().as_tuple().exponent
    if not isinstance(exponent, int):
        return Decimal(0)
    if exponent < 0:
        return Decimal(1).scaleb(exponent) / 2
    if exponent >= 2:  # at least two trailing zeros: a rounded count or amount
        return Decimal(1).scaleb(exponent) / 2
    return Decimal(0)


def _node_findings(node: Node, path: list[Node], values: dict[tuple[str, int], FigureValue],
                   year: int) -> list[Finding]:
    findings = []
    texts = {}
    for lang in ("en", "zh"):
        where = node_place(node, path, lang)
        try:
            texts[lang] = render(node.text(lang), lang, values, year, where)
        except BindingError as exc:
            findings.append(Finding("error", "reference", exc.problem, where, node.id,
                                    getattr(exc, "key", "") or ""))
            texts[lang] = None
    has = {lang: bool(node.text(lang) or node.title(lang)) for lang in ("en", "zh")}
    if has["en"] != has["zh"]:
        missing = "zh" if has["en"] else "en"
        findings.append(Finding(
            "warning", "untranslated",
            _("no Chinese text yet") if missing == "zh" else _("no English text yet"),
            node_place(node, path, missing), node.id))
    elif texts.get("en") and texts.get("zh"):
        findings += _parity(node, path, texts["en"], texts["zh"])
    return findings


def _parity(node: Node, path: list[Node], english: str, chinese: str) -> list[Finding]:
    """Figures (values and rates) one language states and the other does not."""
    counts = {lang: _numbers(text, lang) for lang, text in (("en", english), ("zh", chinese))}
    findings = []
    for lang, other in (("en", "zh"), ("zh", "en")):
        extra = counts[lang] - counts[other]
        if extra:
            shown = ", ".join(_plain(v) for v in sorted(extra.elements()))
            findings.append(Finding(
                "error", "parity",
                _("{values} in the {language} text but not in the {other} text").format(
                    values=shown, language=_("English") if lang == "en" else _("Chinese"),
                    other=_("Chinese") if lang == "en" else _("English")),
                node_place(node, path, lang), node.id))
    return findings


def _numbers(text: str, lang: str) -> Counter:
    values: Counter = Counter()
    for figure in extract_figures(text, lang):
        values[figure.value.normalize()] += 1
        if figure.yoy_pct is not None:
            values[abs(figure.yoy_pct).normalize()] += 1
    return values


def _step(stated: Decimal) -> Decimal:
    exponent = stated.as_tuple().exponent
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)


def _tolerance(stated: Decimal) -> Decimal:
    """Half a unit of the last printed digit: 14.28 allows ±0.005, 2.7 allows ±0.05."""
    return _step(stated) / 2 + Decimal("1e-9")


def _signed(value: Decimal) -> str:
    return f"+{value}" if value > 0 else str(value)


def _plain(value: Decimal) -> str:
    return format(value, "f")
