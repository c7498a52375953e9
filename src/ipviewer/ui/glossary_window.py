"""The glossary window: search, filter, sort and edit the terminology, with undo and save."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ..i18n import _, ngettext
from ..terms.catalog import CatalogError
from ..terms.exchange import read_terms, write_terms
from ..terms.glossary import FIELDS, Glossary, Term
from .accessibility import name_glossary_window
from .actions import GLOSSARY_ACTIONS, GLOSSARY_TOOLBAR, ActionRegistry
from .field_undo import DocumentUndoKeys, FocusedUndo
from .glossary_model import (
    COLUMNS,
    FILTERS,
    AddTermCommand,
    DeleteTermsCommand,
    GlossaryTableModel,
    ImportTermsCommand,
)
from .language import LanguageAware

FIELD_COLUMN = [name for name, _header in COLUMNS].index("field")


class TermDelegate(QStyledItemDelegate):
    """The glossary's text cells: Ctrl+Z undoes the typing, then the glossary's last step."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            DocumentUndoKeys(editor)
        return editor


class FieldDelegate(QStyledItemDelegate):
    """Edits the Field column with a list of the known fields."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems(["", *FIELDS])
        return combo

    def setEditorData(self, editor: QComboBox, index: QModelIndex) -> None:
        editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor: QComboBox, model, index: QModelIndex) -> None:
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class GlossaryWindow(LanguageAware, QMainWindow):
    """Edit one glossary file; unsaved changes are asked about on close."""

    def __init__(self, glossary: Glossary, parent: QWidget | None = None) -> None:
        """The glossary has an undo history of its own: its Undo never undoes an edit of a
        report, and a report window's Undo never undoes an edit of the glossary."""
        super().__init__(parent)
        self.resize(1000, 700)
        self.undo_stack = QUndoStack(self)
        self.undo_keys = FocusedUndo(self.undo_stack)
        self.model = GlossaryTableModel(glossary, self.undo_stack, self)

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_changed)
        self.status_filter = QComboBox()
        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        self.view = QTableView()
        self.view.setObjectName("glossaryTable")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.horizontalHeader().setStretchLastSection(False)
        for column, width in enumerate((280, 220, 130, 260, 80)):
            self.view.setColumnWidth(column, width)
        self.view.setItemDelegate(TermDelegate(self.view))
        self.view.setItemDelegateForColumn(FIELD_COLUMN, FieldDelegate(self.view))
        self.message = QLabel()
        self.message.setObjectName("glossaryMessage")
        self.message.setWordWrap(True)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.view)
        layout.addWidget(self.message)
        self.setCentralWidget(body)
        self._make_actions()
        self.undo_stack.cleanChanged.connect(self._update_title)
        self.undo_stack.indexChanged.connect(self._update_counts)
        self.undo_stack.indexChanged.connect(self._undone)
        self.model.modelReset.connect(self._update_counts)
        self.model.refused.connect(lambda reason: self.show_message(reason, error=True))
        self.translateUI()

    @property
    def glossary(self) -> Glossary:
        """The glossary being edited (an undone import replaces the object)."""
        return self.model.glossary

    def _make_actions(self) -> None:
        self.registry = ActionRegistry(self, GLOSSARY_ACTIONS)
        self.registry.follow_undo_stack(self.undo_stack)
        bar = self.registry.build_toolbar(GLOSSARY_TOOLBAR, "glossaryToolbar")
        bar.addWidget(self.search)
        bar.addWidget(self.status_filter)

    def translateUI(self) -> None:
        """Every visible string in the current UI language."""
        self.registry.translateUI()
        self.search.setPlaceholderText(_("Search English, Chinese or notes"))
        current = self.status_filter.currentIndex()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        for key, label in FILTERS:
            self.status_filter.addItem(_(label), key)
        self.status_filter.setCurrentIndex(max(current, 0))
        self.status_filter.blockSignals(False)
        self.model.retranslate()
        self._update_title()
        self._update_counts()
        name_glossary_window(self)

    def _update_title(self) -> None:
        name = self.glossary.path.name if self.glossary.path else _("new glossary")
        self.setWindowTitle(_("Glossary — {file}[*]").format(file=name))
        self.setWindowModified(self.edited())

    def _update_counts(self) -> None:
        terms = self.glossary.terms()
        approved = sum(t.approved for t in terms)
        self.statusBar().showMessage(
            # L10N: glossary status bar: terms shown, terms in all, approved terms
            ngettext("{shown} of {total} term shown · {approved} approved",
                     "{shown} of {total} terms shown · {approved} approved", len(terms)).format(
                shown=self.model.rowCount(), total=len(terms), approved=approved))

    def _filter_changed(self) -> None:
        self.model.set_search(self.search.text())
        self.model.set_status(self.status_filter.currentData() or "all")

    def show_message(self, text: str, error: bool = False) -> None:
        """A line under the table: what went wrong, or what an import did."""
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)

    # -- editing --------------------------------------------------------------------------

    def add_term(self) -> None:
        """Add an empty-ish term and start editing its English text."""
        base = "new term"  # the English text to replace, in English whatever the UI
        english, n = base, 2
        while self.glossary.get(english) is not None:
            english, n = f"{base} {n}", n + 1
        if self.model.push(AddTermCommand(self.model, Term(english=english))):
            self.search.clear()
            self.status_filter.setCurrentIndex(0)  # the new term is untranslated: show all
            index = self.model.index(self.model.row_of(english, ""), 0)
            self.view.setCurrentIndex(index)
            self.view.edit(index)

    def delete_selected(self) -> None:
        """Delete the selected terms (undoable)."""
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        if rows:
            self.model.push(DeleteTermsCommand(self.model, [self.model.term(r) for r in rows]))

    def commit_editor(self) -> None:
        """Finish an open cell editor so its text is not lost."""
        current = self.view.currentIndex()
        editor = self.view.indexWidget(current) if current.isValid() else None
        self.view.setFocus()  # closes a persistent editor, committing its data
        if editor is not None:
            self.view.commitData(editor)

    def _undone(self, _index: int) -> None:
        """An undo or redo: an open cell editor holds an old text and would write it back
        when it closed; it is closed without writing."""
        if self.model.pushing or self.view.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.view.indexWidget(self.view.currentIndex())
        if editor is not None:
            self.view.closeEditor(editor, QStyledItemDelegate.EndEditHint.RevertModelCache)

    def edited(self) -> bool:
        """Whether the glossary changed since it was last saved (or opened)."""
        return isValid(self.undo_stack) and not self.undo_stack.isClean()

    def save(self) -> bool:
        """Save the glossary file (Ctrl+S here); True when saved."""
        return self.save_file()

    def save_file(self) -> bool:
        """Write the glossary file; True when saved."""
        self.commit_editor()
        try:
            self.glossary.save()
        except (OSError, CatalogError) as exc:
            QMessageBox.warning(self, _("Cannot save the glossary"), str(exc))
            return False
        self.undo_stack.setClean()
        self._update_title()
        self.show_message(_("Saved {path}").format(path=self.glossary.path))
        return True

    # -- import and export ----------------------------------------------------------------

    def choose_import(self) -> None:
        """Ask for a CSV, TBX or PO file and merge its terms (conflicts are not applied)."""
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Import terms"), "", _("Glossaries (*.csv *.tbx *.po *.pot)"))
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Merge the terms of ``path``; report what was added and what conflicts."""
        try:
            incoming = read_terms(path)
        except (OSError, CatalogError) as exc:
            self.show_message(str(exc), error=True)
            return
        self.commit_editor()
        command = ImportTermsCommand(self.model, incoming, path.name)
        self.model.push(command)
        report = command.report
        lines = [_("{file}: {added} added, {unchanged} unchanged, {conflicts} conflicts").format(
            file=path.name, added=len(report.added), unchanged=len(report.unchanged),
            conflicts=len(report.conflicts))]
        for conflict in report.conflicts[:5]:
            lines.append(str(conflict))
        self.show_message("\n".join(lines), error=bool(report.conflicts))

    def choose_export(self) -> None:
        """Ask for a file name and write the glossary as CSV, TBX or PO."""
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export terms"), "", _("CSV (*.csv);;TBX (*.tbx);;PO (*.po)"))
        if not name:
            return
        try:
            write_terms(self.glossary, Path(name))
        except (OSError, CatalogError) as exc:
            self.show_message(str(exc), error=True)
            return
        self.show_message(_("Exported to {path}").format(path=name))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.commit_editor()
        if not self.edited():
            event.accept()
            return
        answer = QMessageBox.question(
            self, _("Unsaved changes"), _("Save the changes to the glossary?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel)
        saved = answer == QMessageBox.StandardButton.Save and self.save()
        if saved or answer == QMessageBox.StandardButton.Discard:
            event.accept()
        else:
            event.ignore()
