"""File → Export PDF…: the options dialog and the export, run off the UI thread."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ..i18n import N_, _

if TYPE_CHECKING:
    from ..pdf.export import ExportOptions
from ..store import ReportStore, StoreError
from ..terms.glossary import Glossary

LANGUAGE_CHOICES = (("zh", N_("Chinese")), ("en", N_("English")),
                    ("both", N_("Both (Chinese, then English)")))


class ExportDialog(QDialog):
    """Where to write the PDF, and how."""

    def __init__(self, suggested: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export PDF"))
        self.path = QLineEdit(str(suggested))
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        self.language = QComboBox()
        for code, label in LANGUAGE_CHOICES:
            self.language.addItem(_(label), code)
        self.paper = QComboBox()
        self.paper.addItems(["A4", "Letter"])
        self.crop_marks = QCheckBox(_("Crop marks and trim/bleed boxes"))
        self.bleed = QDoubleSpinBox()
        self.bleed.setRange(0, 10)
        self.bleed.setSuffix(" mm")
        self.charts = QCheckBox(_("Charts of indicators over the years"))
        self.charts.setChecked(True)
        form = QFormLayout(self)
        form.addRow(_("File:"), row)
        form.addRow(_("Language:"), self.language)
        form.addRow(_("Paper:"), self.paper)
        form.addRow("", self.crop_marks)
        form.addRow(_("Bleed:"), self.bleed)
        form.addRow("", self.charts)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Export PDF"), self.path.text(),
                                                    _("PDF files (*.pdf)"))
        if name:
            self.path.setText(name)

    def options(self) -> ExportOptions:
        """The choices made, as export options."""
        from ..pdf.export import ExportOptions  # reportlab loads on the first export only

        return ExportOptions(
            lang=self.language.currentData(),
            paper="letter" if self.paper.currentText() == "Letter" else "A4",
            crop_marks=self.crop_marks.isChecked(),
            bleed_mm=self.bleed.value(),
            charts=self.charts.isChecked(),
        )


class ExportWorker(QObject):
    """Exports in a worker thread, with its own connection to the report file."""

    progress = Signal(int, int)
    finished = Signal(object)  # ExportResult
    failed = Signal(str)

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

        try:
            with ReportStore.open(self.report, readonly=True) as store:
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
