"""File → Import Text…: before anything is written, what the importer makes of a
department's text file — the encoding (detected, changeable: the preview is decoded
again), the year and why (``importing/years.infer_year``, changeable), the language, the
first lines and the parts and sections found — and where it goes: a new report, or the
open one (the other language, as ``ipviewer import --into``).

The reading is the importer's own (``importing.source.read_source``,
``importing.pipeline.parse_text``); this module only shows it and gathers the choices.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..i18n import N_, _
from ..importing.pipeline import parse_text
from ..importing.source import MAX_BYTES, SourceError, read_source
from ..importing.structure import ParagraphTooLong
from ..importing.years import YearChoice, infer_year
from ..input_files import InputError, read_input
from ..model import Node, ParsedReport, display_title, number_tree
from ..safe_write import OutputError, check_output
from ..text_decoding import DecodeError, decode_text, encoding_label
from .language import LanguageAware
from .new_report_dialog import YEARS
from .opening import REPORT_FILTER

#: The encodings offered (the codec, its name in the list).
ENCODINGS: tuple[tuple[str, str], ...] = (
    ("utf-8", "UTF-8"), ("gb18030", "GB18030 (GBK, GB2312)"), ("big5", "Big5"),
    ("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE"), ("cp1252", "Windows-1252"))
#: The languages a text may be in.
LANGUAGES: tuple[tuple[str, str], ...] = (("en", N_("English")), ("zh", N_("Chinese")))
#: The text filter of the file dialog (translated when shown).
TEXT_FILTER = N_("Report texts (*.txt *.md);;All files (*)")
#: How many lines of the text the preview shows.
PREVIEW_LINES = 60


@dataclass(frozen=True)
class Detected:
    """How the file's encoding was decided: the codec (None: it could not be told) and,
    when it could not, why."""

    encoding: str | None
    guessed: bool = False
    problem: str = ""


def detect_encoding(path: Path) -> Detected:
    """The encoding ``text_decoding`` decides for the file at ``path``. Raises
    :class:`SourceError` (naming the file) for a file that is no text: binary (no line to
    point at), empty, not a regular file, or text in none of the encodings offered."""
    try:
        data = read_input(path, MAX_BYTES)
    except InputError as exc:
        raise SourceError(path, exc.reason) from None
    try:
        decoded = decode_text(data)
    except DecodeError as exc:
        problem = exc
    else:
        return Detected(decoded.encoding, decoded.guessed)
    if problem.line is None:  # not text at all (binary, a PDF …), not a doubtful encoding
        raise SourceError(path, problem.reason) from None
    for codec, _name in ENCODINGS:  # some offered encoding may read it: the user chooses
        try:
            decode_text(data, codec)
        except DecodeError:
            continue
        return Detected(None, problem=str(SourceError(path, problem.reason, problem.line)))
    raise SourceError(path, problem.reason, problem.line)


@dataclass(frozen=True)
class ImportChoice:
    """What the user chose: the text read so, and where it goes (``into`` the open report,
    else a new report at ``path``)."""

    source: Path
    encoding: str
    lang: str
    year: int
    into: bool
    path: Path | None


class ImportTextDialog(LanguageAware, QDialog):
    """The preview and the choices of an import. ``into_reason``: None when no report is
    open (only a new report is offered), '' when the text may go into the open one, else why
    not; ``inputs()`` lists the files never to write over."""

    def __init__(self, parent: QWidget | None, source: Path, folder: Path,
                 inputs: Callable[[], Iterable[Path]] = list, into_reason: str | None = None,
                 report_lang: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("importTextDialog")
        self._built = False  # no translateUI() before every part is made
        self.source = Path(source)
        self._inputs = inputs
        self._folder = Path(folder)
        self._into_reason = into_reason
        self._report_lang = report_lang
        self.detected = detect_encoding(self.source)
        self.parsed: ParsedReport | None = None
        self.year_choice: YearChoice | None = None
        self._year_given = False
        self._path_edited = False
        self._replace_agreed: Path | None = None
        self._problem = ""

        self.file = QLabel(str(self.source))
        self.file.setWordWrap(True)
        self.encoding = QComboBox()
        for codec, name in ENCODINGS:
            self.encoding.addItem(name, codec)
        if self.detected.encoding and self.encoding.findData(self.detected.encoding) < 0:
            self.encoding.insertItem(0, encoding_label(self.detected.encoding),
                                     self.detected.encoding)
        self.encoding.setCurrentIndex(max(0, self.encoding.findData(self.detected.encoding)))
        self.encoding_note = QLabel()
        self.encoding_note.setWordWrap(True)
        self.lang = QComboBox()
        for code, _name in LANGUAGES:
            self.lang.addItem("", code)
        self.year = QSpinBox()
        self.year.setRange(*YEARS)
        self.year.setSpecialValueText("—")
        self.year_reason = QLabel()
        self.year_reason.setWordWrap(True)
        self.lines = QPlainTextEdit()
        self.lines.setReadOnly(True)
        self.lines.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.structure = QTreeWidget()
        self.structure.setColumnCount(2)
        self.preview = QTabWidget()
        self.preview.addTab(self.lines, "")
        self.preview.addTab(self.structure, "")
        self.new_report = QRadioButton()
        self.into_report = QRadioButton()
        group = QButtonGroup(self)
        group.addButton(self.new_report)
        group.addButton(self.into_report)
        self.new_report.setChecked(True)
        self.into_report.setEnabled(into_reason == "")
        self.into_report.setVisible(into_reason is not None)
        self.new_report.toggled.connect(self._target_changed)
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
        self.labels = [QLabel() for _row in range(4)]
        self.form.addRow(self.labels[0], self.file)
        encoding_row = QHBoxLayout()
        encoding_row.addWidget(self.encoding)
        encoding_row.addWidget(self.encoding_note, 1)
        self.form.addRow(self.labels[1], encoding_row)
        self.form.addRow(self.labels[2], self.lang)
        year_row = QHBoxLayout()
        year_row.addWidget(self.year)
        year_row.addWidget(self.year_reason, 1)
        self.form.addRow(self.labels[3], year_row)
        targets = QVBoxLayout()
        targets.addWidget(self.new_report)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.browse)
        targets.addLayout(where)
        targets.addWidget(self.into_report)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.preview, 1)
        layout.addLayout(targets)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(760, 640)

        self.encoding.currentIndexChanged.connect(lambda _i: self.read())
        self.lang.currentIndexChanged.connect(lambda _i: self.read(keep_lang=True))
        self.year.valueChanged.connect(self._year_changed)
        self._built = True
        self.read()
        self.translateUI()

    # -- reading ------------------------------------------------------------------------------

    def read(self, keep_lang: bool = False) -> None:
        """Decode the file with the chosen encoding and parse it (the language detected
        unless the user chose one); show the first lines, the structure, the year."""
        self.parsed, self._problem = None, ""
        lang = self.lang.currentData() if keep_lang else None
        try:
            text = read_source(self.source, self.encoding.currentData())
            parsed = parse_text(text, lang)
        except SourceError as exc:
            self._problem, text = str(exc), ""
        except ParagraphTooLong as exc:
            self._problem, text = str(SourceError(self.source, str(exc))), ""
        else:
            self.parsed = parsed
            if not keep_lang:
                self.lang.blockSignals(True)
                self.lang.setCurrentIndex(max(0, self.lang.findData(parsed.lang)))
                self.lang.blockSignals(False)
        self.lines.setPlainText("\n".join(text.splitlines()[:PREVIEW_LINES]))
        self._show_structure()
        self._infer_year()
        self._update_state()

    def _show_structure(self) -> None:
        self.structure.clear()
        if self.parsed is None:
            return
        lang = self.parsed.lang
        number_tree(self.parsed.nodes)

        def add(node: Node, parent: QTreeWidget | QTreeWidgetItem) -> None:
            if node.kind == "paragraph":
                return
            paragraphs = sum(1 for child in node.children if child.kind == "paragraph")
            item = QTreeWidgetItem(parent, [display_title(node, lang),
                                            str(paragraphs) if paragraphs else ""])
            for child in node.children:
                add(child, item)

        for node in self.parsed.nodes:
            add(node, self.structure)
        self.structure.expandToDepth(0)
        self.structure.resizeColumnToContents(1)
        self.structure.setColumnWidth(0, 560)

    def _infer_year(self) -> None:
        given = self.year.value() if self._year_given else None
        self.year_choice = infer_year(self.parsed, given) if self.parsed is not None else None
        year = self.year_choice.year if self.year_choice is not None else None
        self.year.blockSignals(True)
        self.year.setValue(year if year is not None else self.year.minimum())
        self.year.blockSignals(False)
        self._suggest_path()

    def _year_changed(self, _value: int) -> None:
        self._year_given = True
        self._infer_year()
        self._update_state()

    # -- the target ---------------------------------------------------------------------------

    def _target_changed(self, _new: bool) -> None:
        self._update_state()

    def _path_typed(self, _text: str) -> None:
        self._path_edited = True

    def _suggest_path(self) -> None:
        if not self._path_edited:
            name = f"{self.source.stem}.sqlite"
            self.path.setText(str(self._folder / name))

    def _browse(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Import into a new report"),
                                                    self.path.text(), _(REPORT_FILTER))
        if name:
            self.path.setText(name)
            self._path_edited = True
            self._replace_agreed = Path(name)  # the file dialog asked about replacing

    def _update_state(self) -> None:
        """The notes, the problem and whether OK may be pressed, for what is chosen now."""
        self.encoding_note.setText(self._encoding_note())
        self.year_reason.setText(self._year_note())
        new = self.new_report.isChecked()
        self.path.setEnabled(new)
        self.browse.setEnabled(new)
        problem = self._problem
        if not problem and self.parsed is not None and not new \
                and self.parsed.lang == self._report_lang:
            problem = _("The open report is already written in this language: only the "
                            "other language can be added to it.")
        if not problem and new and self.year_choice is not None and self.year_choice.year is None:
            problem = _("Choose the report's year.")
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.parsed is not None and not problem)

    def _encoding_note(self) -> str:
        detected = self.detected
        if detected.encoding is None:
            return _("Not recognised for certain ({reason}): choose the encoding and check the "
                     "preview.").format(reason=detected.problem)
        name = encoding_label(detected.encoding)
        return (_("Detected: {name} (by the statistics of its bytes; check the preview)")
                if detected.guessed else _("Detected: {name}")).format(name=name)

    def _year_note(self) -> str:
        choice = self.year_choice
        if choice is None:
            return ""
        if choice.how == "given":
            return _("chosen by you")
        return choice.reason

    # -- the answer ---------------------------------------------------------------------------

    def choice(self) -> ImportChoice:
        """What the dialog holds now."""
        text = self.path.text().strip()
        return ImportChoice(self.source, self.encoding.currentData(),
                            self.lang.currentData(), self.year.value(),
                            self.into_report.isChecked(),
                            Path(text).expanduser() if text else None)

    def accept(self) -> None:
        """Close only with a choice that can be carried out (asking before replacing)."""
        if self.parsed is None:
            return
        choice = self.choice()
        if not choice.into:
            if choice.path is None:
                self.problem.setText(_("Choose the file to save the report in."))
                return
            try:
                check_output(choice.path, [self.source, *self._inputs()], replace=True)
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
        super().accept()

    def may_translate(self) -> bool:
        return self._built

    def translateUI(self) -> None:
        self.setWindowTitle(_("Import Text"))
        for row, text in enumerate((_("File:"), _("&Encoding:"), _("&Language:"),
                                    _("&Year:"))):
            self.labels[row].setText(text)
        for row, field in ((1, self.encoding), (2, self.lang), (3, self.year)):
            self.labels[row].setBuddy(field)
        for index, (_code, name) in enumerate(LANGUAGES):
            self.lang.setItemText(index, _(name))
        self.preview.setTabText(0, _("First lines"))
        self.preview.setTabText(1, _("Parts and sections"))
        self.structure.setHeaderLabels([_("Title"), _("Paragraphs")])
        self.new_report.setText(_("Make a &new report:"))
        self.into_report.setText(
            _("Add it to the &open report as its other language")
            if not self._into_reason else
            _("Add it to the open report (not possible: {reason})").format(
                reason=self._into_reason))
        self.browse.setText(_("&Browse…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Import"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self._update_state()


def choose_text_file(parent: QWidget | None, folder: Path) -> Path | None:
    """Ask for a department's text file."""
    name, _filter = QFileDialog.getOpenFileName(parent, _("Import Text"), str(folder),
                                                _(TEXT_FILTER))
    return Path(name) if name else None
