"""Import Text into the open report: a department's text added as the report's other
language, as ``ipviewer import --into`` adds it (``importing.pipeline.add_translation``,
aligned by structure, its figures bound), in one transaction of the working copy — and one
step of the window's undo history.

The command keeps, for each node, the titles and texts of that language before and after,
and the report's front matter in it; undo and redo write one or the other in one
transaction and show them in the tree and the editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMainWindow, QMessageBox

from ..i18n import _
from ..importing.pipeline import add_translation
from ..importing.source import SourceError
from ..store import ReportStore, StoreError
from .import_text_dialog import LANGUAGES, ImportChoice


@dataclass(frozen=True)
class LanguageSide:
    """One language of a report: each node's title and text, and the front matter."""

    lang: str
    nodes: dict[int, tuple[str, str]]
    front: dict[str, Any]

    @classmethod
    def read(cls, store: ReportStore, lang: str) -> LanguageSide:
        """What ``store`` holds in ``lang`` now."""
        nodes = {node.id: (node.title(lang), node.text(lang))
                 for root in store.load_tree() for node in root.walk()}
        info = store.report()
        front = {f"{name}_{lang}": info[f"{name}_{lang}"]
                 for name in ("title", "publisher", "date")}
        return cls(lang, nodes, front)

    def differs_from(self, other: LanguageSide) -> list[tuple[int, str, str]]:
        """(node id, field, this side's value) where ``other`` has something else."""
        changed = []
        for node_id, (title, text) in self.nodes.items():
            old_title, old_text = other.nodes.get(node_id, ("", ""))
            if title != old_title:
                changed.append((node_id, f"title_{self.lang}", title))
            if text != old_text:
                changed.append((node_id, f"text_{self.lang}", text))
        return changed


class AddLanguageCommand(QUndoCommand):
    """The other language added from a text file; pushed after it was written (so the first
    redo, which ``push`` calls, does nothing)."""

    def __init__(self, window: QMainWindow, before: LanguageSide, after: LanguageSide,
                 file_name: str) -> None:
        language = dict(LANGUAGES)[after.lang]
        super().__init__(_("Import the {language} text of {file}").format(
            language=_(language), file=file_name))
        self.window = window
        self.before, self.after = before, after
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._write(self.after, self.before)

    def undo(self) -> None:
        self._write(self.before, self.after)

    def _write(self, side: LanguageSide, other: LanguageSide) -> None:
        document = self.window.document
        changes = side.differs_from(other)
        try:
            with document.store.transaction() as db:
                for node_id, field, value in changes:
                    document.store.set_node_field(node_id, field, value)
                db["report"].update(1, side.front)
        except (StoreError, OSError) as exc:
            self.setObsolete(True)
            document.failed.emit(str(exc))
            return
        show_changes(self.window, changes)


def show_changes(window: QMainWindow, changes: list[tuple[int, str, str]]) -> None:
    """Show written titles and texts in the tree, the editor and the reading view, and the
    report's title in the window's."""
    for node_id, field, value in changes:
        window.tree_model.set_field(node_id, field, value)
        window.editor.update_field(node_id, field, value)
    window._render_reading_view()
    window._update_title()
    window.issues_panel.report_changed()  # written past the document's signals


def import_into_open(window: QMainWindow, choice: ImportChoice) -> bool:
    """Add the text ``choice`` names to the report shown as its other language, as one
    undoable step; explain (nothing written) when it cannot be aligned or read."""
    title = _("Cannot import {file}").format(file=choice.source.name)
    window.commit_editors()
    window._seal_typing()
    store = window.store
    lang = choice.lang
    before = LanguageSide.read(store, lang)
    replace = any(title or text for title, text in before.nodes.values())
    if replace:
        answer = QMessageBox.question(
            window, _("Replace the text?"),
            _("The report already has text in this language. Replace it with the text "
              "of {file}?").format(file=choice.source.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
    try:
        with store.transaction():  # read, align and write as one
            problems = add_translation(store, choice.source, lang, replace=replace,
                                       encoding=choice.encoding)
    except (SourceError, StoreError) as exc:
        QMessageBox.warning(window, title, str(exc))
        return False
    if problems:
        QMessageBox.warning(window, title, _(
            "{source}: not added to the report, its structure differs:\n{problems}").format(
            source=choice.source, problems="\n".join(problems[:8])))
        return False
    after = LanguageSide.read(store, lang)
    show_changes(window, after.differs_from(before))
    window.undo_stack.push(AddLanguageCommand(window, before, after, choice.source.name))
    window.statusBar().showMessage(_("The text of {file} was added to the report (Undo takes "
                                     "it back)").format(file=choice.source.name), 8000)
    return True
