"""The main window's indicator jobs: File → Import Indicators… / Export Indicators…,
Edit → Add Indicator…, Insert Figure… and Go to Indicator (a collaborator of the window,
``window.indicator_jobs``; the actions in :mod:`.actions` name its methods).

Every change is one undo step (:mod:`.indicator_edits`, or a typing step of the text for
an inserted figure); the export writes through the safe path
(:func:`ipviewer.safe_write.check_output`, then the atomic writer of
:mod:`ipviewer.indicator_files`) and never replaces a file without asking.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from ..i18n import _, ngettext
from ..indicator_files import IndicatorFileError, write_indicator_file
from ..prose.bindings import placeholder
from ..safe_write import OutputError, check_output
from ..store import StoreError
from .add_indicator_dialog import AddIndicatorDialog
from .figure_picker import FigurePicker
from .indicator_edits import ImportPlan, add_indicators
from .indicator_file_dialog import ImportIndicatorsDialog

#: The file types offered by Export Indicators (the chosen filter gives a missing suffix).
EXPORT_SUFFIXES = (".csv", ".xlsx")


class IndicatorJobs:
    """Import, export and add indicators; put figures into texts and find their rows."""

    def __init__(self, window: Any) -> None:  # the MainWindow (which imports this module)
        self.window = window
        self.dialog = None  # the dialog open now (kept referenced while it is shown)
        window.editor.goToIndicator.connect(self.go_to_indicator)

    def _status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 6000)

    # -- import ------------------------------------------------------------------------------

    def choose_import(self) -> ImportIndicatorsDialog | None:
        """File → Import Indicators…: ask for a CSV or XLSX file, then preview it."""
        name, _filter = QFileDialog.getOpenFileName(
            self.window, _("Import Indicators"), str(self.window.report_path.parent),
            _("Indicator tables (*.csv *.xlsx);;All files (*)"))
        return self.import_file(Path(name)) if name else None

    def import_file(self, path: Path) -> ImportIndicatorsDialog | None:
        """Show what ``path`` holds and import it on request (the dialog is returned open,
        window-modal)."""
        window = self.window
        if window.readonly:
            self._status(_("The report is open read-only: nothing can be imported"))
            return None
        window.commit_editors()
        dialog = ImportIndicatorsDialog(path, window.document, window)
        dialog.accepted.connect(lambda: self._imported(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _years_shown(self) -> None:
        """The All Indicators tab's year list, with a year the import or addition brought."""
        box = self.window.indicators.year_box
        listed = {box.itemData(i) for i in range(box.count())}
        for year in self.window.store.years():
            if year not in listed:
                at = next((i for i in range(1, box.count()) if box.itemData(i) < year),
                          box.count())
                box.insertItem(at, str(year), year)

    def _imported(self, dialog: ImportIndicatorsDialog) -> None:
        self._years_shown()
        count = dialog.plan.count
        self._status(ngettext("{file}: {count} indicator value imported",
                              "{file}: {count} indicator values imported", count).format(
                                  file=dialog.path.name, count=count))

    # -- export ------------------------------------------------------------------------------

    def choose_export(self) -> bool:
        """File → Export Indicators…: ask where (CSV or XLSX by the filter), then export."""
        window = self.window
        suggested = window.report_path.with_name(f"{window.report_path.stem}-indicators.csv")
        filters = [_("CSV (*.csv)"), _("Excel workbook (*.xlsx)")]
        name, chosen = QFileDialog.getSaveFileName(
            window, _("Export Indicators"), str(suggested), ";;".join(filters),
            options=QFileDialog.Option.DontConfirmOverwrite)  # asked below, always
        if not name:
            return False
        path = Path(name)
        if path.suffix.lower() not in EXPORT_SUFFIXES:
            suffix = EXPORT_SUFFIXES[filters.index(chosen)] if chosen in filters else ".csv"
            path = path.with_name(path.name + suffix)
        return self.export_to(path)

    def export_to(self, path: Path) -> bool:
        """Write every indicator value of the report (unsaved edits included) to ``path``,
        asking first if it exists; True when written."""
        window = self.window
        window.commit_editors()
        title = _("Cannot export the indicators")
        try:  # never the report itself, a folder or a read-only file
            check_output(path, window.inputs(), replace=True)
        except OutputError as exc:
            QMessageBox.warning(window, title, str(exc))
            return False
        if path.exists() or path.is_symlink():
            answer = QMessageBox.question(
                window, _("Replace the file?"),
                _("{path} already exists. Replace it with the indicator table?").format(
                    path=path),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            rows = window.store.indicator_values()
            write_indicator_file(rows, path)
        except (StoreError, IndicatorFileError) as exc:
            QMessageBox.warning(window, title, str(exc))
            return False
        except OSError as exc:
            QMessageBox.warning(window, title, _("{path}: cannot be written ({reason})").format(
                path=path, reason=exc.strerror or exc))
            return False
        self._status(ngettext("{file}: {count} indicator value exported",
                              "{file}: {count} indicator values exported", len(rows)).format(
                                  file=path.name, count=len(rows)))
        return True

    # -- add ---------------------------------------------------------------------------------

    def add_indicator(self) -> AddIndicatorDialog | None:
        """Edit → Add Indicator…: the dialog, returned open (window-modal)."""
        window = self.window
        if window.readonly:
            return None
        window.commit_editors()
        model = window.indicators.all_model
        dialog = AddIndicatorDialog(window.document, model.parse_cell, window.glossary, window,
                                    on_add=self._add)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _add(self, row: dict[str, Any]) -> bool:
        """Write the new indicator (on the node shown, so this part's table lists it)."""
        window = self.window
        node = window.editor.node
        record = {**row, "node_id": node.id if node is not None else None}
        # L10N: undo step: an indicator added by Edit → Add Indicator
        text = _("Add indicator “{key}”").format(key=row["key"])
        try:
            add_indicators(window.document, ImportPlan(added=[record]), text)
        except StoreError as exc:
            QMessageBox.warning(window, _("Cannot change the report"), str(exc))
            return False
        self._years_shown()
        self.select(row["key"], row["year"])
        self._status(_("Added the indicator “{key}” ({year})").format(key=row["key"],
                                                                      year=row["year"]))
        return True

    # -- figures in the text -----------------------------------------------------------------

    def insert_figure(self) -> FigurePicker | None:
        """Edit → Insert Figure…: choose an indicator; its ``{{key}}`` goes to the cursor of
        the text being edited (the picker is returned open, window-modal)."""
        window = self.window
        if window.readonly or window.editor.node is None:
            self._status(_("Choose a part, section or paragraph to edit first"))
            return None
        target = window.editor.current_text()
        picker = FigurePicker(window.document, window.glossary, window)
        picker.accepted.connect(lambda: self._insert(picker.chosen_key(), target))
        self.dialog = picker
        picker.open()
        return picker

    def _insert(self, key: str, target) -> None:
        editor = self.window.editor
        if not key:
            return
        self.window._seal_typing()  # its own undo step, not merged with what was typed
        editor.insert_figure(placeholder(key), target)
        self.window._seal_typing()

    def go_to_indicator(self, key: str = "", year: int = 0) -> bool:
        """Go to Indicator (F12, or a chip's menu): select the row of the figure's indicator
        (the figure at the cursor of the text being edited, unless ``key`` is given)."""
        if not key:
            chip = self.window.editor.figure_at_cursor()
            if chip is None:
                self._status(_("Put the cursor on a figure in the text first"))
                return False
            key, year = chip.binding.key, chip.binding.year or 0
        year = year or self.window.year
        if self.select(key, year):
            return True
        self._status(_("The report has no indicator “{key}” for {year}").format(key=key,
                                                                                year=year))
        return False

    def select(self, key: str, year: int) -> bool:
        """Select indicator ``key`` of ``year``: in this part's table if it is there, else
        in All Indicators (filtered to the key)."""
        tabs = self.window.indicators
        if tabs.select(key, year):
            tabs.node_view.setFocus()
            return True
        if not self.window.store.indicators_at([(key, year)]):
            return False
        tabs.year_box.setCurrentIndex(max(tabs.year_box.findData(year), 0))
        tabs.filter_box.setText(key)
        model = tabs.all_model
        while model.canFetchMore():
            model.fetchMore()
        for row in range(model.rowCount()):
            if model.row(row)["key"] == key and model.row(row)["year"] == year:
                tabs.setCurrentIndex(1)
                tabs.all_view.selectRow(row)
                tabs.all_view.scrollTo(model.index(row, 0))
                tabs.all_view.setFocus()
                return True
        return False
