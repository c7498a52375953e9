"""The annual cycle's own commands: ``to-update`` (what a new year's report still has to
update) and ``confirm`` (a value or text is the same this year, said by someone)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..i18n import N_, _, ngettext
from ..numbers import format_number
from ..store import StoreError
from .help_text import command, option
from .shared import BadInput, exit_with_findings, open_for_writing, open_report


@command("to-update", help=N_("List what REPORT (a new year's report) still has to update: "
                              "values carried over from last year and paragraphs not yet "
                              "rewritten. Exits 1 while anything is left."))
@click.argument("report", type=click.Path(path_type=Path))
@option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
        show_default=True, help=N_("Output format."))
def to_update(report: Path, fmt: str) -> None:
    """One line per item still to update (or JSON); exit 1 while any is left."""
    from ..i18n import report_language
    from ..new_year import to_update_items

    with open_report(report) as store:
        items = to_update_items(store)
    lang = report_language()
    if fmt == "json":
        click.echo(json.dumps([
            {"kind": i.kind, "id": i.id, "node_id": i.node_id, "key": i.key,
             "label_en": i.label_en, "label_zh": i.label_zh,
             "value": None if i.value is None else format(i.value, "f"),
             "place_en": i.place("en"), "place_zh": i.place("zh")} for i in items],
            ensure_ascii=False, indent=2))
    else:
        for item in items:
            if item.kind == "value":
                click.echo(_("value {key}: {name}, {value} (carried over) — {place}").format(
                    key=item.key, name=item.label(lang),
                    value=format_number(item.value, lang) if item.value is not None else "",
                    place=item.place(lang) or "—"))
            else:
                click.echo(_("text (node {id}): {place}").format(id=item.id,
                                                                  place=item.place(lang)))
        values = sum(i.kind == "value" for i in items)
        click.echo(_("{path}: {values}, {texts} to update").format(
            path=report, values=ngettext("{n} value", "{n} values", values).format(n=values),
            texts=ngettext("{n} text", "{n} texts", len(items) - values).format(
                n=len(items) - values)))
    if items:
        exit_with_findings()


@command(help=N_("Confirm values (by KEY) or texts (by --node) of REPORT unchanged since last "
                 "year: they are no longer to update, and who confirmed them and when is "
                 "recorded. All of it is written, or nothing."))
@click.argument("report", type=click.Path(path_type=Path))
@click.argument("keys", nargs=-1)
@option("--node", "nodes", type=int, multiple=True,
        help=N_("The id of a paragraph to confirm (as `to-update` lists it); may be repeated."))
@option("--all", "everything", is_flag=True,
        help=N_("Confirm everything still to update (after reading it all)."))
@option("--by", "by", default=None,
        help=N_("Who confirms (default: IPVIEWER_EDITOR, the name in the preferences, or the "
                "login name)."))
def confirm(report: Path, keys: tuple[str, ...], nodes: tuple[int, ...], everything: bool,
            by: str | None) -> None:
    """Confirm items unchanged, in one transaction."""
    if not (keys or nodes or everything):
        raise BadInput(_("Name the values (keys) or texts (--node ID) to confirm, or --all"))
    if by is not None and not by.strip():
        raise BadInput(_("--by: a name is needed"))
    with open_for_writing(report) as store:
        year = store.report()["year"]
        marks = store.to_update(year)
        if everything:
            value_ids, node_ids = sorted(marks.indicator_ids), sorted(marks.node_ids)
        else:
            value_ids = [_indicator_id(store, report, key, year) for key in keys]
            node_ids = list(nodes)
            known = {n for (n,) in store.db.execute("SELECT id FROM nodes")}
            for node_id in node_ids:
                if node_id not in known:
                    raise BadInput(_("{path}: no part of the report with id {id}").format(
                        path=report, id=node_id))
        try:
            before = store.confirm_unchanged(value_ids, node_ids, by=by.strip() if by else None)
        except StoreError as exc:
            raise BadInput(str(exc)) from exc
    values = sum(m.table == "indicators" for m in before)
    texts = len(before) - values
    skipped = len(value_ids) + len(node_ids) - len(before)
    click.echo(_("{path}: {values} and {texts} confirmed unchanged").format(
        path=report, values=ngettext("{n} value", "{n} values", values).format(n=values),
        texts=ngettext("{n} text", "{n} texts", texts).format(n=texts)))
    if skipped:
        click.echo(ngettext("{n} of those named was not to update; left as it was",
                            "{n} of those named were not to update; left as they were",
                            skipped).format(n=skipped))


def _indicator_id(store, report: Path, key: str, year: int) -> int:
    found = store.db.execute("SELECT id FROM indicators WHERE key = ? AND year = ?",
                             [key, year]).fetchone()
    if found is None:
        raise BadInput(_("{path}: no indicator {key} for {year}").format(
            path=report, key=key, year=year))
    return found[0]


#: The commands of this module, as the ``ipviewer`` group adds them.
COMMANDS = (to_update, confirm)
