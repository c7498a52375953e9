"""File → New…: the dialog that asks for a new report's year, titles, start (empty or the
bundled sample) and file, and :func:`write_new_report`, which writes that file.

The dialog checks the file before it closes (never one of the window's inputs; an existing
file only when the user agrees to replace it), so what is written afterwards is what was
asked for. The file is built whole under a temporary name (``ReportStore.building``) and
appears only when complete.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..i18n import _
from ..model import FIRST_YEAR, LAST_YEAR, Node, ParsedReport
from ..safe_write import OutputError, check_output
from ..store import ReportStore
from .language import LanguageAware
from .opening import REPORT_FILTER

#: The year of the bundled sample (the 2024 white paper).
SAMPLE_YEAR = 2024
#: The years a report may be for.
YEARS = (FIRST_YEAR, LAST_YEAR)


@dataclass(frozen=True)
class NewReport:
    """What the user asked for: the report's year, titles, start and file."""

    path: Path
    year: int
    title_en: str = ""
    title_zh: str = ""
    from_sample: bool = False


def write_new_report(choice: NewReport) -> None:
    """Write the report ``choice`` asks for (replacing a file the user agreed to replace).

    Empty: an overview with one empty paragraph, to type into. From the sample: the 2024
    white paper, its figures bound, under the titles given (its own where none is given).
    Raises ``StoreError`` (nothing written) when the file cannot be made.
    """
    if choice.from_sample:
        from ..sample import build_sample  # the importer, only when the sample is asked for

        build_sample(choice.path).close()
        fields = {key: value for key, value in (("title_en", choice.title_en.strip()),
                                                ("title_zh", choice.title_zh.strip())) if value}
        if fields:
            with ReportStore.open(choice.path) as store, store.transaction() as db:
                db["report"].update(1, fields)
        return
    overview = Node(kind="overview", children=[Node(kind="paragraph")])
    parsed = ParsedReport(lang="en", title=choice.title_en.strip(), nodes=[overview])
    with ReportStore.building(choice.path) as store:
        store.write_parsed(parsed, choice.year)
        with store.transaction() as db:
            db["report"].update(1, {"title_zh": choice.title_zh.strip(),
                                    "file_id": uuid.uuid4().hex})


class NewReportDialog(LanguageAware, QDialog):
    """Asks for a new report: year, titles in both languages, empty or from the sample, and
    where to save it. ``inputs()`` lists the files the report may never be written over."""

    def __init__(self, parent: QWidget | None, folder: Path,
                 inputs: Callable[[], Iterable[Path]] = list) -> None:
        super().__init__(parent)
        self.setObjectName("newReportDialog")
        self._built = False  # no translateUI() before every part is made
        self._folder = Path(folder)
        self._inputs = inputs
        self._path_edited = False
        self._replace_agreed: Path | None = None
        self.year = QSpinBox()
        self.year.setRange(*YEARS)
        self.year.setValue(QDate.currentDate().year())
        self.year.valueChanged.connect(self._suggest_path)
        self.title_en = QLineEdit()
        self.title_zh = QLineEdit()
        self.empty = QRadioButton()
        self.sample = QRadioButton()
        self.empty.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.empty)
        group.addButton(self.sample)
        self.sample.toggled.connect(self._start_changed)
        self.sample_note = QLabel()
        self.sample_note.setWordWrap(True)
        self.sample_note.setEnabled(False)
        self.path = QLineEdit()
        self.path.textEdited.connect(self._path_typed)
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.form = QFormLayout()
        self.labels = [QLabel() for _row in range(5)]
        self.form.addRow(self.labels[0], self.year)
        self.form.addRow(self.labels[1], self.title_en)
        self.form.addRow(self.labels[2], self.title_zh)
        starts = QVBoxLayout()
        starts.addWidget(self.empty)
        starts.addWidget(self.sample)
        starts.addWidget(self.sample_note)
        self.form.addRow(self.labels[3], starts)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.browse)
        self.form.addRow(self.labels[4], where)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._built = True
        self._suggest_path()  # and the texts, which name the year
        self.setMinimumWidth(640)

    def may_translate(self) -> bool:
        return self._built

    def translateUI(self) -> None:
        self.setWindowTitle(_("New Report"))
        for row, text in enumerate((_("&Year:"), _("&English title:"), _("&Chinese title:"),
                                    _("Start:"), _("Save &as:"))):
            self.labels[row].setText(text)
        for row, field in ((0, self.year), (1, self.title_en), (2, self.title_zh),
                           (4, self.path)):
            self.labels[row].setBuddy(field)
        self.title_en.setPlaceholderText(_("for example: Intellectual Property Development "
                                           "in Shanghai in the Year {year}").format(
                                               year=self.year.value()))
        self.title_zh.setPlaceholderText(_("for example: {year}年上海市知识产权发展状况").format(
            year=self.year.value()))
        self.empty.setText(_("An &empty report"))
        self.sample.setText(_("A copy of the &sample report"))
        self.sample_note.setText(_("The sample is the {year} white paper in both languages, "
                                   "every figure bound: a report of {year}. To go on to the "
                                   "next year, use File → Start Next Year's Report.").format(
                                       year=SAMPLE_YEAR))
        self.browse.setText(_("&Browse…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    # -- the fields -------------------------------------------------------------------------

    def _start_changed(self, from_sample: bool) -> None:
        self.year.setEnabled(not from_sample)
        self.sample_note.setEnabled(from_sample)
        if from_sample:
            self.year.setValue(SAMPLE_YEAR)

    def _path_typed(self, _text: str) -> None:
        self._path_edited = True

    def _suggest_path(self) -> None:
        """``report-YEAR.sqlite`` beside the current report, until the user names a file."""
        if not self._path_edited:
            self.path.setText(str(self._folder / f"report-{self.year.value()}.sqlite"))
        if self._built:
            self.translateUI()  # the examples name the year

    def _browse(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("New Report"), self.path.text(),
                                                    _(REPORT_FILTER))
        if name:
            self.path.setText(name)
            self._path_edited = True
            self._replace_agreed = Path(name)  # the file dialog asked about replacing

    def choice(self) -> NewReport:
        """What the dialog holds now."""
        return NewReport(Path(self.path.text().strip()).expanduser(), self.year.value(),
                         self.title_en.text(), self.title_zh.text(), self.sample.isChecked())

    def accept(self) -> None:
        """Close only with a file that may be written (asking before replacing one)."""
        choice = self.choice()
        if not self.path.text().strip():
            self.problem.setText(_("Choose the file to save the report in."))
            return
        try:
            check_output(choice.path, self._inputs(), replace=True)
        except OutputError as exc:
            self.problem.setText(str(exc))
            return
        exists = choice.path.exists()
        if exists and self._replace_agreed != choice.path:
            answer = QMessageBox.question(
                self, _("Replace the file?"),
                _("{path} already exists. Replace it with the new report?").format(
                    path=choice.path),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.problem.clear()
        super().accept()
