"""File → Import Indicators…: what a CSV or XLSX file holds, shown before anything is
written.

The file is read by the same service as ``ipviewer indicators import``
(:func:`ipviewer.indicator_files.read_indicator_file`, here with ``partial=True``): the
good rows fill the preview, with what each would do to the report (a new indicator, a
changed value, nothing); each bad row's problem is listed with its line (CSV) or cell
(XLSX). Like the command line, an import is all or nothing: while the file has problems
the Import button stays off and the dialog says so; Read Again reads the corrected file.
"Import N rows" writes the rows as one undoable step (:mod:`.indicator_edits`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..i18n import N_, _, ngettext
from ..indicator_files import IndicatorFileError, IndicatorTable, Problem, read_indicator_file
from ..indicators import QUALIFIER_LABELS
from ..numbers import NumberError, format_number
from ..store import StoreError
from ..store.integrity import stored_decimal
from .document import ReportDocument
from .indicator_edits import ImportPlan, add_indicators, plan_import
from .language import LanguageAware

#: The preview's columns: (what it shows, header).
PREVIEW_COLUMNS = (
    ("key", N_("Key")),
    ("label_en", N_("English name")),
    ("label_zh", N_("Chinese name")),
    ("year", N_("Year")),
    ("value", N_("Value")),
    ("unit", N_("Unit")),
    ("qualifier", N_("Qualifier")),
    ("yoy_pct", N_("YoY %")),
    # L10N: column of the import preview: what a row does to the report (new, changed …)
    ("effect", N_("Import does")),
)


def problem_text(problem: Problem) -> str:
    """A problem of the file without its path (the dialog names the file once)."""
    if problem.line is not None:
        # L10N: a problem of an imported CSV file: its line number, what is wrong
        return _("Line {line}: {message}").format(line=problem.line, message=problem.message)
    if problem.place:
        return f"{problem.place}: {problem.message}"
    return problem.message


def shown_value(value) -> str:
    """A stored or read value as the table shows it (grouped digits)."""
    number = stored_decimal(value) if isinstance(value, str) else value
    if number is None:
        return "" if value is None else str(value)
    try:
        return format_number(number, "en")
    except NumberError:
        return str(value)


class ImportIndicatorsDialog(LanguageAware, QDialog):
    """The rows of an indicator file and its problems; imports the rows on request."""

    def __init__(self, path: Path, document: ReportDocument, parent: QWidget | None = None,
                 encoding: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importIndicatorsDialog")
        self.path = path
        self.document = document
        self.encoding = encoding
        self.rows = IndicatorTable()
        self.plan = ImportPlan()
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.imported: list[int] = []  #: ids of the rows added (after Import)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview = QTableWidget(0, len(PREVIEW_COLUMNS))
        self.preview.setObjectName("importPreview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.verticalHeader().setVisible(False)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.problems_caption = QLabel()
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("importProblems")
        self.advice = QLabel()
        self.advice.setObjectName("importAdvice")
        self.advice.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton()
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        self.reload_button = QPushButton()
        self.reload_button.setObjectName("reloadButton")
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.clicked.connect(self.import_rows)
        self.reload_button.clicked.connect(self.read)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 3)
        layout.addWidget(self.problems_caption)
        layout.addWidget(self.problem_list, 1)
        layout.addWidget(self.advice)
        layout.addWidget(self.buttons)
        self.resize(980, 560)
        self.read()

    # -- reading -------------------------------------------------------------------------

    def read(self) -> None:
        """Read the file (again) and show its rows, problems and what importing would do."""
        try:
            rows = read_indicator_file(self.path, self.encoding, partial=True)
        except IndicatorFileError as exc:  # unreadable, or a bad header: no rows at all
            rows = IndicatorTable(problems=exc.problems, problem_count=exc.count)
        self.rows = rows
        self.problems, self.problem_count = rows.problems, rows.problem_count
        self.plan = plan_import(self.document, rows)
        self._fill_preview()
        self.translateUI()

    def _fill_preview(self) -> None:
        self.preview.setRowCount(len(self.rows))
        for number, (row, (effect, before)) in enumerate(zip(self.rows, self.plan.effects,
                                                             strict=True)):
            record = row.as_store_dict()
            for column, (name, _header) in enumerate(PREVIEW_COLUMNS):
                if name == "effect":
                    text = self._effect_text(effect, before)
                elif name == "value":
                    text = shown_value(row.value)
                elif name == "qualifier":
                    text = _(QUALIFIER_LABELS.get(row.qualifier, row.qualifier)) \
                        if row.qualifier else ""
                else:
                    value = record.get(name)
                    text = "" if value is None else str(value)
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, effect)
                if name in ("year", "value", "yoy_pct"):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.preview.setItem(number, column, item)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Each column as wide as its cells and its header (a long name is cut at 260 px)."""
        self.preview.resizeColumnsToContents()
        header = self.preview.horizontalHeader()
        for column in range(self.preview.columnCount()):
            wanted = max(self.preview.columnWidth(column), header.sectionSizeHint(column))
            self.preview.setColumnWidth(column, min(wanted, 260))

    @staticmethod
    def _effect_text(effect: str, before: str | None) -> str:
        if effect == "new":
            # L10N: import preview: the row adds an indicator value the report does not have
            return _("new")
        if effect == "changed":
            # L10N: import preview: the row replaces the stored value (shown)
            return _("replaces {value}").format(value=shown_value(before))
        # L10N: import preview: the report already holds this row as it is
        return _("unchanged")

    # -- the strings ---------------------------------------------------------------------

    def may_translate(self) -> bool:
        return not self.document.store.closed  # a dialog left over from a closed report

    def translateUI(self) -> None:
        self.setWindowTitle(_("Import Indicators"))
        self.preview.setHorizontalHeaderLabels([_(h) for _n, h in PREVIEW_COLUMNS])
        self._fit_columns()
        for number, (effect, before) in enumerate(self.plan.effects):
            item = self.preview.item(number, len(PREVIEW_COLUMNS) - 1)
            if item is not None:
                item.setText(self._effect_text(effect, before))
        good = len(self.rows)
        self.summary.setText(ngettext(
            "{file}: {count} row read", "{file}: {count} rows read", good).format(
                file=self.path.name, count=good) + " · " + ngettext(
            "{count} would be added or changed", "{count} would be added or changed",
            self.plan.count).format(count=self.plan.count))
        self.summary.setToolTip(str(self.path))
        self.problem_list.clear()
        for problem in self.problems:
            self.problem_list.addItem(problem_text(problem))
        more = self.problem_count - len(self.problems)
        if more > 0:
            self.problem_list.addItem(_("(and {count} more problems)").format(count=more))
        for warning in self.rows.warnings:
            self.problem_list.addItem(_("Note: {warning}").format(
                warning=warning.removeprefix(f"{self.path}:").lstrip(": ")))
        self.problems_caption.setText(ngettext(
            "<b>{count} problem</b> in the file:", "<b>{count} problems</b> in the file:",
            self.problem_count).format(count=self.problem_count) if self.problem_count
            else _("No problems in the file."))
        self.problem_list.setVisible(self.problem_list.count() > 0)
        if self.problem_count:
            self.advice.setText(_("Nothing is imported while the file has problems: correct "
                                  "the rows listed above in the file, save it, then press "
                                  "Read Again."))
        elif not self.plan.count:
            self.advice.setText(_("The report already holds every row of this file: there is "
                                  "nothing to import."))
        else:
            self.advice.setText(_("Import writes these rows as one step; Edit → Undo takes "
                                  "it back."))
        self.import_button.setText(ngettext("Import {count} Row", "Import {count} Rows",
                                            self.plan.count).format(count=self.plan.count))
        self.import_button.setEnabled(not self.problem_count and self.plan.count > 0
                                      and not self.document.readonly)
        self.reload_button.setText(_("Read Again"))

    # -- importing -----------------------------------------------------------------------

    def import_rows(self) -> bool:
        """Write the good rows as one undoable step (only when the file has no problems)."""
        if self.problem_count or not self.plan.count or self.document.readonly:
            return False
        try:
            self.imported = add_indicators(self.document, self.plan)
        except StoreError as exc:
            QMessageBox.warning(self, _("Cannot change the report"), str(exc))
            return False
        self.accept()
        return True
