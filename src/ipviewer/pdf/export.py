"""Export the white paper as a print-ready PDF: the entry point of :mod:`ipviewer.pdf`.

::

    result = export_pdf(store, "white-paper.pdf", ExportOptions(lang="both"),
                        progress=lambda done, total: ..., cancelled=lambda: False)

Steps: read the report into plain text blocks (:mod:`.content`), subset the CJK fonts to
exactly the characters printed (:mod:`.fonts`), name the characters no font can draw,
lay out and build the PDF in memory (:mod:`.layout`), then write it to a temporary file
in the target's folder and rename it into place. A failure or a cancellation leaves an
existing file untouched and no temporary file behind; every problem the user can act on
is an :class:`ExportError` whose message names the file or the place in the report.
No Qt here: the UI runs this in a worker thread and shows ``progress``.

This function prints what it is given; whether a *final* PDF may be printed is the export
gate's to say (:func:`.gate.export_gate`: no error from the checks), which the command
line and the window ask first. ``ExportOptions(draft=True)`` prints a draft whatever the
checks find, marked as one (:mod:`.watermark`).
"""

from __future__ import annotations

import os
import stat
import string
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import _
from ..safe_write import replacing
from ..store import ReportStore, StoreError
from .content import Content, ContentError, build_content
from .edition import Edition
from .fonts import FontError, FontSet, missing_characters, prepare_fonts
from .layout import Cancelled, PageSetup, layout_pdf
from .print_output import PrintError, make_print_ready
from .styles import DOC_TEXT, LAYOUT_LANGS, PAPER_SIZES, page_label
from .typography import printed_english
from .watermark import watermark_words

__all__ = ["ExportError", "ExportOptions", "ExportResult", "export_pdf"]

MAX_BLEED_MM = 10.0
#: What is printed for a character that no font can draw (if a font has it, else "?").
REPLACEMENT = "\ufffd"


@dataclass
class ExportOptions:
    """What to export and how to print it."""

    lang: str = "zh"  # 'zh' | 'en' | 'both'
    paper: str = "A4"  # 'A4' | 'letter'
    crop_marks: bool = False
    bleed_mm: float = 0.0  # 0..10
    charts: bool = True
    allow_cid: bool = False  # allow the non-embedded STSong-Light font (warns)
    font_path: str | None = None  # the body font to use instead of Noto Serif SC
    #: A draft: printed whatever the checks find (the caller asks :mod:`.gate` before a
    #: final export), marked DRAFT / 草稿 on every page and in the metadata; a figure
    #: reference that cannot be filled in is printed as missing instead of stopping it.
    draft: bool = False
    #: The conventions of the printed edition (:mod:`.edition`).
    edition: Edition = field(default_factory=Edition)
    #: The print edition: CMYK throughout (:mod:`.colours`), PDF/X-4 (:mod:`.print_output`).
    print_ready: bool = False


class ExportError(Exception):
    """The PDF could not be written; the message names the file or the problem."""


@dataclass
class ExportResult:
    path: Path
    pages: int
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    draft: bool = False


def export_pdf(store: ReportStore, target: str | os.PathLike[str],
               options: ExportOptions | None = None,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None,
               glossary: Any = None) -> ExportResult:
    """Write the report in ``store`` as a PDF white paper to ``target``.

    ``progress(done, total)`` is called during layout; ``cancelled()`` is asked as the
    work goes on, and when it returns true the export stops with an ExportError and
    ``target`` is left as it was. ``glossary`` (a ``terms.glossary.Glossary``) gives the
    approved indicator names of the tables and charts; None prints the stored labels.
    """
    started = time.perf_counter()
    options = options or ExportOptions()
    _check_options(options)
    target = Path(target)
    _check_target(target)

    def stop_if_cancelled() -> None:
        if cancelled is not None and cancelled():
            raise ExportError(_("{path}: export cancelled; nothing was written").format(
                path=target))

    try:
        store.require_sound()  # a hand-edited value that is not a number, a lost part
    except StoreError as err:
        raise ExportError(str(err)) from err
    try:
        content = build_content(store, options.lang, glossary, charts=options.charts,
                                draft=options.draft, edition=options.edition)
    except ContentError as err:
        raise ExportError(_(
            "The report cannot be printed: {reason} (it can be exported as a draft)").format(
            reason=err)) from err
    content.replace_text(printed_english)  # curly quotes, en dashes: the print only
    stop_if_cancelled()
    warnings = list(content.warnings)
    extra = "".join(watermark_words(options.lang)) if options.draft else ""
    fonts = _prepare_fonts(content, options, warnings, extra)
    _replace_missing(content, fonts, warnings, extra)
    stop_if_cancelled()

    try:
        setup = PageSetup(options.paper, options.crop_marks, options.bleed_mm, options.draft,
                          options.edition, print_ready=options.print_ready)
        data, pages = layout_pdf(content, fonts, setup, progress, cancelled)
        if options.print_ready:
            data = make_print_ready(data)
    except Cancelled:
        raise ExportError(_("{path}: export cancelled; nothing was written").format(
            path=target)) from None
    except PrintError as err:
        raise ExportError(_("{path}: cannot be made print-ready (PDF/X-4): {reason}").format(
            path=target, reason=err)) from err
    stop_if_cancelled()
    try:
        with replacing(target) as tmp, open(tmp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except PermissionError as exc:
        raise ExportError(_(
            "{path}: cannot be replaced; it is read-only or open in another program "
            "({reason})").format(path=target, reason=exc.strerror or exc)) from exc
    except OSError as exc:
        raise ExportError(_("{path}: cannot be written ({reason})").format(
            path=target, reason=exc.strerror or exc)) from exc
    return ExportResult(target, pages, warnings, time.perf_counter() - started, options.draft)


# ----------------------------------------------------------------------------- checks


def _check_options(options: ExportOptions) -> None:
    if options.lang not in LAYOUT_LANGS:
        raise ExportError(_('Unknown export language "{lang}": use zh, en or both').format(
            lang=options.lang))
    if options.paper not in PAPER_SIZES:
        raise ExportError(_('Unknown paper size "{paper}": use A4 or letter').format(
            paper=options.paper))
    if not 0 <= options.bleed_mm <= MAX_BLEED_MM:
        raise ExportError(_("Bleed must be between 0 and {most} mm, not {bleed}").format(
            most=MAX_BLEED_MM, bleed=options.bleed_mm))


def _check_target(target: Path) -> None:
    """Refuse a target that cannot be written before any work is done."""
    if not str(target) or target.name in ("", ".", ".."):
        raise ExportError(_("{path}: not a file name").format(path=target))
    if target.is_dir():
        raise ExportError(_("{path}: is a folder; choose a file name for the PDF").format(
            path=target))
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(_("{path}: the folder {folder} does not exist").format(
            path=target, folder=folder))
    if target.exists():
        mode = target.stat().st_mode
        if not os.access(target, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP
                                                           | stat.S_IWOTH):
            raise ExportError(_("{path}: the file is read-only").format(path=target))
        try:  # a file open in a PDF viewer on Windows cannot be opened for writing
            with open(target, "r+b"):
                pass
        except OSError as exc:
            raise ExportError(_(
                "{path}: cannot be replaced; it is read-only or open in another program "
                "({reason})").format(path=target, reason=exc.strerror or exc)) from exc


# ----------------------------------------------------------------------------- fonts


def _font_text(content: Content, extra: str = "") -> str:
    """Every character the PDF can print: the content, the document's own words, the
    page numbers, chart axes, the replacement character and ``extra`` (a draft's
    watermark)."""
    parts = [text for text, _where in content.texts()]
    parts.append(extra)
    for words in DOC_TEXT.values():
        parts.extend(words[code] for code in content.langs)
    parts.append(page_label(0, content.lang))
    parts.append(string.digits + string.ascii_letters + string.punctuation + " …" + REPLACEMENT)
    return "".join(parts)


def _prepare_fonts(content: Content, options: ExportOptions, warnings: list[str],
                   extra: str = "") -> FontSet:
    try:
        fonts = prepare_fonts(_font_text(content, extra), body_path=options.font_path,
                              allow_cid=options.allow_cid)
    except FontError as err:
        raise ExportError(_("The fonts for the PDF cannot be prepared: {reason}").format(
            reason=err)) from err
    except OSError as err:
        raise ExportError(_("{path}: the font cannot be read ({reason})").format(
            path=options.font_path or err.filename, reason=err.strerror or err)) from err
    for message in fonts.warnings:
        if message not in warnings:
            warnings.append(message)
    if not fonts.embedded:
        warnings.append(_(
            "The Chinese font is not embedded in the PDF: it shows correctly only where the "
            "reader has that font installed, and a print shop will refuse it"))
    return fonts


def _replace_missing(content: Content, fonts: FontSet, warnings: list[str],
                     extra: str = "") -> None:
    """Name, with their place, the characters no font can draw, and print a visible
    replacement for them instead of an empty gap."""
    missing = missing_characters(_font_text(content, extra), fonts)
    missing = [ch for ch in missing if ch != REPLACEMENT]
    if not missing:
        return
    replacement = REPLACEMENT if not missing_characters(REPLACEMENT, fonts) else "?"
    wanted = set(missing)
    for text, where in content.texts():
        found = [ch for ch in dict.fromkeys(text) if ch in wanted]
        if found:
            shown = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in found)
            message = _("{where}: no font has {characters}; printed as {replacement}").format(
                where=where, characters=shown, replacement=replacement)
            if message not in warnings:
                warnings.append(message)
    table = {ord(ch): replacement for ch in missing}
    content.replace_text(lambda text: text.translate(table))
