"""File → Export…: the export run off the UI thread, and the window's side of it
(:class:`PdfExporter`: the dialog of :mod:`.export_dialog`, progress, cancel, the result in
the preview).

Before writing, the window asks before replacing an existing file, and the worker asks the
export gate (:func:`ipviewer.pdf.gate.export_gate`, the rule ``ipviewer export`` follows):
when the checks find errors, no final PDF is printed; the window names the errors and
offers "Export as Draft" (marked DRAFT / 草稿 on every page) or "Cancel".
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMainWindow, QMessageBox, QProgressDialog, QWidget

from ..i18n import _, ngettext
from ..safe_write import OutputError, check_output
from ..store import ReportStore, StoreError
from ..terms.glossary import Glossary
from .export_dialog import ExportDialog
from .threads import run_in_thread

if TYPE_CHECKING:
    from ..pdf.export import ExportOptions, ExportResult  # reportlab: on the first export
    from ..pdf.gate import GateVerdict

class ExportWorker(QObject):
    """Exports in a worker thread, with its own connection to the report file."""

    progress = Signal(int, int)
    finished = Signal(object)  # ExportResult
    failed = Signal(str)
    blocked = Signal(object)  # GateVerdict: the checks find errors; nothing was written

    def __init__(self, report: Path, target: Path, options: ExportOptions,
                 glossary: Glossary | None) -> None:
        super().__init__()
        self.report, self.target, self.options, self.glossary = report, target, options, glossary
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the export to stop; the old PDF, if any, is kept."""
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        """Export (SQLite connections belong to one thread: this one opens its own)."""
        from ..pdf.export import ExportError, export_pdf  # reportlab: on the first export
        from ..pdf.gate import export_gate

        try:
            with ReportStore.open(self.report, readonly=True) as store:
                store.require_sound()  # a damaged cell: named, as the export would
                if not self.options.draft:
                    verdict = export_gate(store, self.glossary)
                    if verdict.closed:
                        self.blocked.emit(verdict)
                        return
                result = export_pdf(store, self.target, self.options,
                                    progress=lambda done, total: self.progress.emit(done, total),
                                    cancelled=self._cancel.is_set, glossary=self.glossary)
        except (ExportError, StoreError, OSError) as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 (never a progress dialog left waiting)
            self.failed.emit(_("{path}: not exported ({reason})").format(
                path=self.target, reason=exc))
            return
        self.finished.emit(result)


class PdfExporter(QObject):
    """Exports the report a main window shows: asks where and how, shows the progress (which
    can cancel), opens the PDF in the preview when done, and explains a failure.

    The window gives what the export needs: ``commit_editors()``, ``inputs()`` (the files
    never to be written over), ``store``, ``glossary``, ``report_path``, ``preview`` and
    ``preview_dock``.
    """

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.last: ExportResult | None = None  #: the result of the last export, if any
        self.progress: QProgressDialog | None = None
        self.dialog: ExportDialog | None = None  #: the Export dialog while it is open
        self._worker: ExportWorker | None = None

    def choose(self) -> ExportDialog:
        """File → Export…: open the dialog (window modal) for the file and options; when it
        is accepted (it asked before replacing a file), export."""
        window = self.window
        window.commit_editors()
        dialog = ExportDialog(window.report_path, window, window.inputs())
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(
            lambda: self.export(dialog.target(), dialog.options(), replace_asked=True))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def export(self, target: Path, options: ExportOptions,
               replace_asked: bool = False) -> ExportWorker | None:
        """Export what is shown (saved or not) in a worker thread; a progress dialog can
        cancel it; the PDF opens in the preview when done.

        An existing ``target`` is replaced only when the user says so (asked here unless
        ``replace_asked``). A final export stops when the checks find errors (the worker
        asks the export gate first) and the user may export a draft instead."""
        window = self.window
        window.commit_editors()
        try:  # an input is never an output; a folder or a read-only file is refused
            check_output(target, window.inputs(), replace=True)
        except OutputError as exc:
            QMessageBox.warning(window, _("Cannot export the PDF"), str(exc))
            return None
        if not replace_asked and (target.exists() or target.is_symlink()):
            answer = QMessageBox.question(
                window, _("Replace the PDF?"),
                _("{path} already exists. Replace it with the new PDF?").format(path=target),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Yes:
                return None
        worker = ExportWorker(window.store.path, target, options, window.glossary)
        progress = QProgressDialog(_("Exporting {file}…").format(file=target.name),
                                   _("Cancel"), 0, 0, window)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        # A slot of this object (UI thread): the worker's own thread is busy exporting.
        progress.canceled.connect(self._cancel)
        self.progress = progress
        # Slots of this object: Qt queues the calls into the GUI thread.
        worker.progress.connect(self._step)
        worker.finished.connect(self._done)
        worker.failed.connect(self._failed)
        worker.blocked.connect(self._blocked)
        self._worker = worker  # keep a reference while it runs
        run_in_thread(self, worker)
        return worker

    @Slot()
    def _cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    @Slot(int, int)
    def _step(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    @Slot(object)
    def _done(self, result) -> None:
        self.progress.reset()
        self._worker = None
        self.last = result
        window = self.window
        message = _("{path}: {pages} pages, a draft ({seconds:.1f} s)") if result.draft else \
            _("{path}: {pages} pages ({seconds:.1f} s)")
        window.statusBar().showMessage(message.format(
            path=result.path, pages=result.pages, seconds=result.seconds))
        window.preview.show_pdf(Path(result.path))
        window.preview_dock.show()
        window.preview_dock.raise_()
        if result.warnings:
            QMessageBox.warning(window, _("PDF exported, with warnings"),
                                "\n".join(result.warnings[:20]))

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.progress.reset()
        self._worker = None
        self.last = None
        QMessageBox.warning(self.window, _("Cannot export the PDF"), message)

    @Slot(object)
    def _blocked(self, verdict: GateVerdict) -> None:
        """The checks find errors: no final PDF; offer a draft (the file was already
        agreed to be replaced, so that is not asked again)."""
        self.progress.reset()
        worker, self._worker = self._worker, None
        self.last = None
        if worker is not None and ask_for_draft(self.window, verdict):
            options = dataclasses.replace(worker.options, draft=True)
            self.export(worker.target, options, replace_asked=True)


def ask_for_draft(parent: QWidget, verdict: GateVerdict) -> bool:
    """Whether to export a draft of a report the checks find errors in ("Export as Draft"),
    rather than nothing ("Cancel", the default). The first errors are named."""
    count = len(verdict.errors)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("The report has errors"))
    box.setText(ngettext(
        "The checks find {count} error in the report: a final PDF is printed only when "
        "there are none.",
        "The checks find {count} errors in the report: a final PDF is printed only when "
        "there are none.", count).format(count=count))
    shown = verdict.first()
    more = count - len(shown)
    if more:
        shown.append(ngettext("… and {count} more (see the Issues panel, F5)",
                              "… and {count} more (see the Issues panel, F5)",
                              more).format(count=more))
    box.setInformativeText("\n".join(shown) + "\n\n" + _(
        "A draft is printed as it is, with DRAFT across every page and in the PDF's "
        "properties; figures that cannot be filled in are shown as missing."))
    draft = box.addButton(_("Export as Draft"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is draft
