"""File → Export…: the one dialog for every export of a report (PDF today; the formats are
a list, so that Word or HTML can join it).

It asks for the format, the language, the paper and the print options :mod:`ipviewer.pdf`
has (crop marks, bleed, charts, a draft), and the file. It remembers the last choices per
report (QSettings, keyed by the report's absolute path), starting from the defaults of
Edit → Preferences (:func:`ipviewer.preferences.export_defaults`, which also names the font). Before it closes it refuses an output that
cannot be written and asks before replacing an existing file; the export itself runs in
:class:`.pdf_export.PdfExporter`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from .. import preferences
from ..i18n import N_, _
from ..safe_write import OutputError, check_output
from .language import LanguageAware

if TYPE_CHECKING:
    from ..pdf.export import ExportOptions  # reportlab: on the first export

#: The formats the dialog offers: (code, name, file suffix, file-dialog filter).
FORMATS = (("pdf", N_("PDF (print-ready)"), ".pdf", N_("PDF files (*.pdf)")),)
LANGUAGE_CHOICES = (("zh", N_("Chinese")), ("en", N_("English")),
                    ("both", N_("Both (Chinese, then English)")))
#: The papers of :data:`ipviewer.pdf.styles.PAPER_SIZES`, by name.
PAPER_NAMES = {"A4": N_("A4 (210 × 297 mm)"), "letter": N_("US Letter (8.5 × 11 in)")}
REPORTS_GROUP = "export/reports"


@dataclass
class ExportChoices:
    """What the dialog asks, as it is remembered."""

    format: str = "pdf"
    lang: str = "zh"
    paper: str = "A4"
    crop_marks: bool = False
    bleed_mm: float = 0.0
    charts: bool = True
    draft: bool = False
    path: str = ""
    print_ready: bool = False  # CMYK, PDF/X-4 (ipviewer.pdf.print_output)

    @classmethod
    def from_dict(cls, data: Any) -> ExportChoices:
        """Choices from remembered (or preferred) values; what is unknown or of the wrong
        type is left at its default."""
        choices = cls()
        if not isinstance(data, dict):
            return choices
        if "lang" not in data and "language" in data:
            data = {**data, "lang": data["language"]}
        for item in fields(cls):
            value = data.get(item.name)
            default = getattr(choices, item.name)
            if isinstance(default, bool):
                if isinstance(value, bool):
                    setattr(choices, item.name, value)
            elif isinstance(default, float):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    setattr(choices, item.name, float(value))
            elif isinstance(value, str):
                setattr(choices, item.name, value)
        return choices


def _json_dict(value: Any) -> dict:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def preferred_defaults() -> dict:
    """The export defaults chosen in Edit → Preferences (the one home for them)."""
    return preferences.export_defaults()


def _report_key(report: Path) -> str:
    name = str(report.expanduser().resolve())
    return f"{REPORTS_GROUP}/{hashlib.sha256(name.encode('utf-8')).hexdigest()[:24]}"


def remembered(report: Path) -> ExportChoices:
    """The last choices for ``report`` (over the preferred defaults)."""
    last = _json_dict(QSettings().value(_report_key(report)))
    return ExportChoices.from_dict({**preferred_defaults(), **last.get("choices", {})})


def remember(report: Path, choices: ExportChoices) -> None:
    """Keep the choices for the next export of ``report``."""
    QSettings().setValue(_report_key(report), json.dumps(
        {"report": str(report.expanduser().resolve()), "choices": asdict(choices)},
        ensure_ascii=False))


class ExportDialog(LanguageAware, QDialog):
    """Where to export the report, in which format, and how."""

    def __init__(self, report: Path, parent: QWidget | None = None,
                 inputs: Iterable[Path] = ()) -> None:
        super().__init__(parent)
        from ..pdf.styles import PAPER_SIZES  # reportlab: loads when an export is near

        self.report, self.inputs = report, list(inputs) or [report]
        self.format, self.language, self.paper = QComboBox(), QComboBox(), QComboBox()
        for code, *_rest in FORMATS:
            self.format.addItem("", code)
        for code, _name in LANGUAGE_CHOICES:
            self.language.addItem("", code)
        for code in PAPER_SIZES:
            self.paper.addItem("", code)
        self.crop_marks, self.charts, self.draft = QCheckBox(), QCheckBox(), QCheckBox()
        self.print_ready = QCheckBox()
        self.bleed = QDoubleSpinBox()
        self.bleed.setRange(0, 10)
        self.bleed.setDecimals(1)
        # L10N: the unit after the bleed's width (millimetres), with its space
        self.bleed.setSuffix(_(" mm"))
        self.crop_marks.toggled.connect(self.bleed.setEnabled)
        self.path = QLineEdit()
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        self.labels = {name: QLabel() for name in ("format", "language", "paper", "bleed",
                                                     "file")}
        form = QFormLayout(self)
        for name, field in (("format", self.format), ("language", self.language),
                            ("paper", self.paper)):
            self.labels[name].setBuddy(field)
            form.addRow(self.labels[name], field)
        form.addRow("", self.crop_marks)
        self.labels["bleed"].setBuddy(self.bleed)
        form.addRow(self.labels["bleed"], self.bleed)
        form.addRow("", self.charts)
        form.addRow("", self.draft)
        form.addRow("", self.print_ready)
        self.labels["file"].setBuddy(self.path)
        form.addRow(self.labels["file"], row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.show_choices(remembered(report))
        self.translateUI()
        self.setMinimumWidth(560)

    def translateUI(self) -> None:
        self.setWindowTitle(_("Export"))
        for index, (_code, name, *_rest) in enumerate(FORMATS):
            self.format.setItemText(index, _(name))
        for index, (_code, name) in enumerate(LANGUAGE_CHOICES):
            self.language.setItemText(index, _(name))
        for index in range(self.paper.count()):
            code = self.paper.itemData(index)
            self.paper.setItemText(index, _(PAPER_NAMES[code]) if code in PAPER_NAMES else code)
        for name, text in (("format", _("F&ormat:")), ("language", _("&Language:")),
                           ("paper", _("&Paper:")), ("bleed", _("&Bleed:")),
                           ("file", _("&File:"))):
            self.labels[name].setText(text)
        self.crop_marks.setText(_("&Crop marks and trim/bleed boxes"))
        self.charts.setText(_("C&harts of indicators over the years"))
        self.draft.setText(_("&Draft, marked DRAFT (草稿) on every page"))
        self.draft.setToolTip(_("A draft is printed even when the checks find errors; figures "
                                "that cannot be filled in are shown as missing."))
        self.print_ready.setText(_("Print-ready (CM&YK, PDF/X-4)"))
        self.print_ready.setToolTip(_("For the print shop: every colour in CMYK, black text in "
                                      "black ink only, with the printing condition (FOGRA39) "
                                      "embedded; it looks the same on screen."))
        self.browse.setText(_("B&rowse…"))
        self.ok_button.setText(_("&Export"))

    # -- the choices -------------------------------------------------------------------------

    def show_choices(self, choices: ExportChoices) -> None:
        """Show these choices (unknown codes leave a field at its first entry)."""
        for box, code in ((self.format, choices.format), (self.language, choices.lang),
                          (self.paper, choices.paper)):
            box.setCurrentIndex(max(0, box.findData(code)))
        self.crop_marks.setChecked(choices.crop_marks)
        self.bleed.setValue(choices.bleed_mm)
        self.bleed.setEnabled(choices.crop_marks)
        self.charts.setChecked(choices.charts)
        self.draft.setChecked(choices.draft)
        self.print_ready.setChecked(choices.print_ready)
        self.path.setText(choices.path or str(self.report.with_suffix(self._suffix())))

    def choices(self) -> ExportChoices:
        """The choices made."""
        return ExportChoices(self.format.currentData(), self.language.currentData(),
                             self.paper.currentData(), self.crop_marks.isChecked(),
                             self.bleed.value() if self.crop_marks.isChecked() else 0.0,
                             self.charts.isChecked(), self.draft.isChecked(),
                             str(self.target()), print_ready=self.print_ready.isChecked())

    def options(self) -> ExportOptions:
        """The choices made, as PDF export options."""
        from ..pdf.export import ExportOptions

        choices = self.choices()
        return ExportOptions(lang=choices.lang, paper=choices.paper,
                             crop_marks=choices.crop_marks, bleed_mm=choices.bleed_mm,
                             charts=choices.charts, draft=choices.draft,
                             print_ready=choices.print_ready,
                             font_path=preferences.export_defaults()["font_path"])

    def target(self) -> Path:
        """The file to write (the format's suffix added when it has none)."""
        text = self.path.text().strip()
        if not text:
            return Path()
        path = Path(text).expanduser()
        return path if path.suffix else path.with_suffix(self._suffix())

    def _suffix(self) -> str:
        code = self.format.currentData()
        return next((suffix for c, _n, suffix, _f in FORMATS if c == code), ".pdf")

    def _browse(self) -> None:
        # The dialog asks before replacing a file, whether it was browsed to or typed in:
        # the file dialog's own question would only come for the first.
        code = self.format.currentData()
        pattern = next((_(f) for c, _n, _s, f in FORMATS if c == code), "")
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export"), self.path.text(), pattern,
            options=QFileDialog.Option.DontConfirmOverwrite)
        if name:
            self.path.setText(name)

    # -- closing -----------------------------------------------------------------------------

    def accept(self) -> None:
        """Close with these choices, remembered for the report: not when the file cannot be
        written, nor when it exists and the user does not want it replaced."""
        target = self.target()
        if not self.path.text().strip():
            QMessageBox.warning(self, _("Export"), _("Choose the file to export to."))
            self.path.setFocus()
            return
        try:  # an input is never an output; a folder or a read-only file is refused
            check_output(target, self.inputs, replace=True)
        except OutputError as exc:
            QMessageBox.warning(self, _("Cannot export"), str(exc))
            self.path.setFocus()
            return
        if target.exists() or target.is_symlink():
            answer = QMessageBox.question(
                self, _("Replace the file?"),
                _("{path} already exists. Replace it?").format(path=target),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                self.path.setFocus()
                return
        remember(self.report, self.choices())
        super().accept()
