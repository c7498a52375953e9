"""``ipviewer compare A B``: last year's report against this year's, figure by figure and
text by text (see :mod:`ipviewer.compare`; the JSON is described in ``docs/compare.md``).

Exit codes: 0 all plausible, 1 a stated change the values do not give or a plausibility
warning, 2 could not compare (a file that is not a report, the same file twice, years not
in order, a damaged value: one line naming the file).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..i18n import N_, _
from ..terminal import table
from .help_text import command, option
from .shared import BadInput, exit_with_findings

if TYPE_CHECKING:
    from ..compare import Comparison

#: How the text output writes a change inside a text (wdiff's marks, no colour: what the
#: terminal guard lets through is plain text).
DELETED, INSERTED = ("[-", "-]"), ("{+", "+}")

def _factor(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        factor = Decimal(value.strip())
    except InvalidOperation:
        factor = None
    if factor is None or not factor.is_finite() or not factor > 1:
        raise BadInput(_("--factor: {value} is not a number above 1 (3 questions a value "
                         "that triples or falls to a third)").format(value=value))
    return factor


@command(help=N_("Compare report A (last year) with report B (this year): each indicator's "
                 "two values, the change and whether B's stated year-on-year change agrees; "
                 "each text side by side with what changed; implausible changes. Exits 1 "
                 "when a stated change disagrees or a change looks implausible."))
@click.argument("report_a", metavar="A", type=click.Path(path_type=Path))
@click.argument("report_b", metavar="B", type=click.Path(path_type=Path))
@option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
        show_default=True, help=N_("Output format."))
@option("--lang", type=click.Choice(["en", "zh"]),
        help=N_("Show the texts and names in this language only (default: both)."))
@option("--factor", metavar="F", callback=_factor,
        help=N_("Question a value that changes by more than F times, up or down "
                "(default: 3)."))
def compare(report_a: Path, report_b: Path, fmt: str, lang: str | None,
            factor: Decimal | None) -> None:
    """Two years of a report side by side."""
    from ..checks.plausibility import DEFAULT_FACTOR
    from ..compare import CompareError, compare_reports

    try:
        result = compare_reports(report_a, report_b, factor or DEFAULT_FACTOR)
    except CompareError as exc:
        raise BadInput(str(exc)) from exc
    langs = (lang,) if lang else ("en", "zh")
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(langs), ensure_ascii=False, indent=2))
    else:
        click.echo(_text(result, langs))
    if not result.plausible:
        exit_with_findings()


def _text(result: Comparison, langs: tuple[str, ...]) -> str:
    """The comparison for a terminal: the indicator table, the changed texts, the findings."""
    from ..compare import shown_number, verdict_name
    from ..report_text import node_place

    a, b = result.a, result.b
    lines = [_("{a} ({year_a}) against {b} ({year_b})").format(
        a=a.path, year_a=a.year, b=b.path, year_b=b.year), ""]

    rows = []
    for row in result.indicators:
        name = " / ".join(dict.fromkeys(n for n in (row.label(x) for x in langs) if n))
        name = name or row.key
        rows.append([name if len(name) <= 48 else name[:47] + "…",
                     shown_number(row.a.value if row.a else None),
                     shown_number(row.b.value if row.b else None),
                     shown_number(row.change, True),
                     "" if row.change_pct is None else shown_number(row.change_pct, True) + "%",
                     "" if row.stated is None else shown_number(row.stated, True) + "%",
                     verdict_name(row, result), "!" if row.codes else ""])
    lines.append(table(rows, [_("indicator"), str(a.year), str(b.year), _("change"),
                              _("change %"), _("stated"), _("verdict"), ""]))
    changed = [pair for pair in result.nodes if pair.changed]
    if changed:
        lines += ["", _("Texts that changed:")]
    for pair in changed:
        if pair.a is None or pair.b is None:
            year = b.year if pair.a is None else a.year
            lines.append(_("only in {year}: {where}").format(year=year, where=pair.where))
            continue
        for text in pair.texts:
            if text.lang in langs and text.changed:
                where = node_place(pair.b, pair.path, text.lang)
                lines += ["", where, "  " + _marked(text.segments)]
                if text.problem:
                    lines.append("  " + text.problem)
    if result.findings:
        lines.append("")
        lines += [str(finding) for finding in result.findings]
    summary = result.as_dict(langs)["summary"]
    lines += ["", _("{path}: indicators: {indicators}; values changed: {changed_values}; "
                    "stated changes that disagree: {mismatches}; warnings: {warnings}; "
                    "texts changed: {changed_nodes}").format(path=b.path, **summary)]
    return "\n".join(lines)


def _marked(segments: tuple) -> str:
    """A text with its changes marked ``[-old-]{+new+}``, on one line."""
    out = []
    for seg in segments:
        if seg.op == "equal":
            out.append(seg.b)
            continue
        if seg.a:
            out.append(DELETED[0] + seg.a + DELETED[1])
        if seg.b:
            out.append(INSERTED[0] + seg.b + INSERTED[1])
    return "".join(out).replace("\n", " ")


#: The commands of this module, as the ``ipviewer`` group adds them.
COMMANDS = (compare,)
