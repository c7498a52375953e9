"""``ipviewer terms``: the terminology glossary from the command line (no Qt).

The glossary is the catalog given with ``--catalog PATH``, else the bundled
``translations/zh_CN/LC_MESSAGES/terminology.po``.

Exit codes (as the rest of the CLI, see :mod:`ipviewer.cli.shared`):

- 0: success (``check``: no errors; warnings alone do not fail unless ``--strict``);
- 1: ``check`` found errors (or, with ``--strict``, warnings); ``import`` left conflicts or
  rejected terms: every other term *was* imported and saved, the conflicting ones were not
  (``--overwrite`` takes the imported Chinese instead);
- 2: bad input, in one line naming the file: a missing, unreadable or invalid catalog or
  import file. Nothing is written then: the catalog stays as it was.
"""

from __future__ import annotations

import bisect
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..i18n import N_, _, ngettext
from ..terminal import table
from .help_text import TranslatedGroup, option
from .shared import (
    INPUT_FILE,
    BadInput,
    catalog_file,
    catalog_option,
    encoding_option,
    exit_with_findings,
    load_glossary,
    refuse_output,
    refuse_same_file,
)

if TYPE_CHECKING:
    from ..terms import Term, TermMatch

# The glossary modules (polib, defusedxml …) are imported inside the commands: the rest of
# the CLI starts without them.


def _status(term: Term) -> str:
    # L10N: the status of a glossary term, shown in a table column
    return {"approved": _("approved"), "fuzzy": _("fuzzy"),
            "untranslated": _("untranslated")}[term.status]


@click.group("terms", cls=TranslatedGroup,
             help=N_("The terminology glossary: English ↔ Chinese terms by field."))
def terms() -> None:
    """The terminology glossary: English ↔ Chinese terms by field."""


@terms.command("list", help=N_("List the glossary's terms."))
@catalog_option
@option("--field", help=N_("Only terms of this field (e.g. patent, trademark)."))
@option("--untranslated", is_flag=True, help=N_("Only terms without a Chinese term."))
@option("--fuzzy", is_flag=True, help=N_("Only translated terms not yet approved."))
@option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
        show_default=True, help=N_("Output format."))
def list_command(catalog: Path | None, field: str | None, untranslated: bool, fuzzy: bool,
                 fmt: str) -> None:
    """List the glossary's terms."""
    from ..terms import FIELDS, csv_text

    if field is not None and field not in FIELDS:
        raise BadInput(_('unknown field "{field}" (known: {fields})').format(
            field=field, fields=", ".join(FIELDS)))
    glossary = load_glossary(catalog_file(catalog))
    wanted = {s for s, on in (("untranslated", untranslated), ("fuzzy", fuzzy)) if on}
    rows = [t for t in glossary.terms()
            if (field is None or t.field == field) and (not wanted or t.status in wanted)]
    if fmt == "json":
        click.echo(json.dumps([t.as_dict() for t in rows], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(csv_text(rows), nl=False)
    elif rows:
        # L10N: column headings of the term list
        header = [_("field"), _("English"), _("Chinese"), _("status")]
        click.echo(table([[t.field or "-", t.english, t.chinese, _status(t)] for t in rows],
                          header))
    else:
        click.echo(_("no terms"))


def _read_text(text: tuple[str, ...], file: Path | None) -> str:
    if bool(text) == (file is not None):
        raise BadInput(_("give the text to search either as arguments or with --file"))
    if file is None:
        return " ".join(text)
    from ..input_files import InputError, read_input, read_stream
    from ..terms import MAX_BYTES

    try:
        if str(file) == "-":
            data = read_stream(sys.stdin.buffer, MAX_BYTES, _("standard input"))
        else:
            data = read_input(file, MAX_BYTES)
    except InputError as exc:
        raise BadInput(str(exc)) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise BadInput(_("{file}:{line}: not valid UTF-8 text").format(
            file=file, line=line)) from exc


def _positions(text: str) -> Callable[[int], str]:
    """``offset -> "line:column"`` (1-based) for a text read from a file."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(offset: int) -> str:
        line = bisect.bisect_right(starts, offset)
        return f"{line}:{offset - starts[line - 1] + 1}"

    return where


@terms.command("find", help=N_("List the glossary terms found in a text, with positions."))
@click.argument("text", nargs=-1)
@option("--file", "file", type=INPUT_FILE,
        help=N_("Read the text from this UTF-8 file (- for standard input)."))
@option("--lang", type=click.Choice(["en", "zh"]),
        help=N_("Language of the text (default: detected)."))
@option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
        show_default=True, help=N_("Output format."))
@catalog_option
def find_command(text: tuple[str, ...], file: Path | None, lang: str | None, fmt: str,
                 catalog: Path | None) -> None:
    """List the glossary terms found in TEXT (or --file), with their positions."""
    from ..script import language_of

    content = _read_text(text, file)
    glossary = load_glossary(catalog_file(catalog))
    lang = lang or language_of(content)
    matches = glossary.find_terms(content, lang)
    where = _positions(content) if file is not None else (lambda offset: str(offset))
    if fmt == "json":
        click.echo(json.dumps([_match_record(m, where) for m in matches], ensure_ascii=False,
                              indent=2))
        return
    if not matches:
        click.echo(_("no glossary terms found"))
        return
    rows = []
    for match in matches:
        for term in match.terms:
            other = term.chinese if lang == "en" else term.english
            rows.append([where(match.start), match.text, other, term.field or "-",
                         _status(term)])
    # L10N: column headings of "terms find"; "at" is the position (line:column or offset)
    header = [_("at"), _("found"), _("Chinese") if lang == "en" else _("English"), _("field"),
              _("status")]
    click.echo(table(rows, header))


def _match_record(match: TermMatch, where: Callable[[int], str]) -> dict[str, Any]:
    return {"start": match.start, "end": match.end, "at": where(match.start),
            "text": match.text, "terms": [t.as_dict() for t in match.terms]}


@terms.command("import", help=N_(
    "Merge the terms of FILE (.csv, .tbx, .po) into the catalog. Conflicts (another Chinese "
    "term for the same English term and field) are listed and left as they are unless "
    "--overwrite; the other terms are imported. Exit code 1 when conflicts remain."))
@click.argument("file", type=INPUT_FILE)
@option("--overwrite", is_flag=True,
        help=N_("Replace conflicting Chinese terms with the imported ones."))
@option("--dry-run", is_flag=True, help=N_("Show what would change; write nothing."))
@encoding_option
@catalog_option
def import_command(file: Path, overwrite: bool, dry_run: bool, encoding: str | None,
                   catalog: Path | None) -> None:
    """Merge the terms of FILE into the catalog."""
    from ..terms import CatalogError, Glossary, merge, read_terms

    path = catalog_file(catalog)
    refuse_same_file(file, path, _("{path}: is the catalog itself; give the file to import"))
    if catalog is not None and not path.exists():
        glossary = Glossary.new()  # an explicit --catalog that does not exist yet is created
    else:
        glossary = load_glossary(path)
    try:
        incoming = read_terms(file, encoding)
    except CatalogError as exc:
        raise BadInput(str(exc)) from exc
    report = merge(glossary, incoming, overwrite=overwrite)
    if report.changed and not dry_run:
        try:
            glossary.save(path)
        except CatalogError as exc:
            raise BadInput(str(exc)) from exc
    # L10N: summary of a glossary import; {catalog} is the catalog file
    click.echo(_("{catalog}: {added} added, {updated} updated, {unchanged} unchanged, "
                 "{conflicts} conflicts{dry}").format(
        catalog=path, added=len(report.added), updated=len(report.updated),
        unchanged=len(report.unchanged), conflicts=len(report.conflicts),
        # L10N: appended to the import summary when nothing was written
        dry=_(" (dry run: nothing written)") if dry_run else ""))
    for conflict in report.conflicts:
        old, new = conflict.existing, conflict.incoming
        # L10N: one conflict of an import: the catalog's Chinese term, then the imported one
        line = _('  {english} [{field}]: catalog "{old}", {origin} "{new}"').format(
            english=old.english, field=old.field or "-", old=old.chinese,
            origin=new.origin or file, new=new.chinese)
        if overwrite:
            line += " " + _("(overwritten)")
        click.echo(line)
    for term, reason in report.rejected:
        click.echo(_("  {origin}: {english}: not imported ({reason})").format(
            origin=term.origin or file, english=term.english, reason=reason))
    if (report.conflicts and not overwrite) or report.rejected:
        exit_with_findings()


@terms.command("export", help=N_(
    "Write the glossary to FILE: .csv (UTF-8 with BOM, for Excel), .tbx (TBX-Basic), "
    ".po (a copy of the catalog) or .pot (the template)."))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@catalog_option
@option("--force", is_flag=True, help=N_("Replace FILE if it exists."))
def export_command(file: Path, catalog: Path | None, force: bool) -> None:
    """Write the glossary to FILE (by extension: csv, tbx, po, pot)."""
    from ..terms import CatalogError, write_terms

    source = catalog_file(catalog)
    refuse_output(file, source, force=force)
    glossary = load_glossary(source)
    try:
        write_terms(glossary, file)
    except CatalogError as exc:
        raise BadInput(str(exc)) from exc
    click.echo(_("{file}: {count} terms exported").format(file=file, count=len(glossary)))


@terms.command("check", help=N_(
    "Validate a catalog as msgfmt -c does, plus the glossary's rules; print file:line: "
    "message for each problem. Exit code 1 when an error is found (with --strict, also a "
    "warning)."))
@click.argument("file", required=False, type=INPUT_FILE)
@option("--strict", is_flag=True, help=N_("Fail on warnings too."))
def check_command(file: Path | None, strict: bool) -> None:
    """Validate FILE (default: the bundled terminology catalog)."""
    from ..terms import CatalogError, check_glossary, read_limited
    from ..terms.problems import errors_in

    path = catalog_file(file)
    try:  # a file that cannot be read at all is bad input (2), not a finding (1)
        data = read_limited(path)
    except CatalogError as exc:
        raise BadInput(str(exc)) from exc
    problems = check_glossary(path, data)
    for problem in problems:
        click.echo(str(problem))
    errors = len(errors_in(problems))
    warnings = len(problems) - errors
    if not problems:
        click.echo(_("{path}: no problems").format(path=path))
    else:
        # L10N: summary after the list of problems of "terms check"
        click.echo(_("{path}: {errors}, {warnings}").format(
            path=path, errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
            warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings)))
    if errors or (strict and warnings):
        exit_with_findings()
