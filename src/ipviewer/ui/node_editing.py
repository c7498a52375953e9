"""Editing the report's tree and texts from the main window: each edit an undo command,
and the views following the document's changes (edits, undo, redo). A mixin of
:class:`~.main_window.MainWindow`."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from ..i18n import _
from ..model import NUMBERED_KINDS, Node, display_title
from ..prose.cross_refs import cross_ref
from ..store import StoreError
from . import commands
from .commands import EditFieldCommand


class NodeEditing:
    """Edits of the tree and texts, and the views following them (mixed into the main window)."""

    def _seal_typing(self) -> None:
        """The next keystroke starts a new undo step (after a save or moving elsewhere)."""
        index = self.undo_stack.index()
        if index > 0:
            last = self.undo_stack.command(index - 1)
            if isinstance(last, EditFieldCommand):
                last.sealed = True

    def _attempt(self, edit) -> bool:
        """Make an edit; explain, and show the stored state again, if it cannot be written."""
        try:
            edit()
        except StoreError as exc:
            QMessageBox.warning(self, _("Cannot change the report"), str(exc))
            self.editor.show_node(self._node)
            return False
        return True

    def _field_edited(self, node_id: int, field: str, old: str, new: str) -> None:
        if not self.readonly:
            self._attempt(lambda: commands.edit_field(self.document, node_id, field, old, new))

    def _rename_requested(self, node_id: int, field: str, title: str) -> None:
        node = self.tree_model.node_by_id(node_id)
        if node is not None and not self.readonly:
            self._seal_typing()
            self._attempt(lambda: commands.edit_field(self.document, node_id, field,
                                                      getattr(node, field), title))
            self._seal_typing()

    def _move_requested(self, node_id: int, parent_id: int | None, position: int) -> None:
        if not self.readonly:
            self._attempt(lambda: commands.move_node(self.document, node_id, parent_id,
                                                     position))
            self.select_node(node_id)

    def add_node(self, kind: str) -> int | None:
        """Add an empty part, section or paragraph after the current one (or inside it,
        where that kind belongs there); select it and put the cursor in its text."""
        if self.readonly:
            return None
        place = self.tree_model.place_for(self._node, kind)
        if place is None:
            self.statusBar().showMessage(_("A {kind} cannot be added here").format(
                kind=commands.kind_name(kind)), 5000)
            return None
        parent, position = place
        parent_id = parent.id if parent is not None else None
        created: list[int] = []
        if not self._attempt(lambda: created.append(commands.insert_node(
                self.document, parent_id, position, {"kind": kind}))):
            return None
        self.select_node(created[0])
        if kind == "paragraph":
            self.editor.focus_text("en")
        else:
            self.editor.titles["en"].setFocus()
        return created[0]

    def rename_current(self) -> None:
        """Edit the selected node's title in the tree (F2)."""
        self.tree_view.edit(self.tree_view.currentIndex())

    def delete_current(self) -> None:
        """Delete the selected node with what is below it (Undo brings it back)."""
        node = self._node
        if node is None or self.readonly:
            return
        parent = self.tree_model.parent_node(node)
        siblings = self.tree_model.children_of(parent)
        row = self.tree_model.row_of(node)
        if self._attempt(lambda: commands.delete_node(self.document, node.id)):
            after = siblings[min(row, len(siblings) - 1)] if siblings else parent
            if after is not None:
                self.select_node(after.id)
            self.statusBar().showMessage(_("Deleted; Undo (Ctrl+Z) brings it back"), 5000)

    def move_current(self, step: int) -> None:
        """Move the selected node up (-1) or down (+1) among its siblings."""
        node = self._node
        if node is None or self.readonly:
            return
        parent = self.tree_model.parent_node(node)
        row = self.tree_model.row_of(node)
        if 0 <= row + step < len(self.tree_model.children_of(parent)):
            self._move_requested(node.id, parent.id if parent is not None else None, row + step)

    def copy_reference(self) -> None:
        """Put a reference to the selected part or section on the clipboard: pasted into a
        text, it prints the node's current number (see :mod:`ipviewer.prose.cross_refs`)."""
        node = self._node
        if node is None or node.kind not in NUMBERED_KINDS or node.id is None:
            self.statusBar().showMessage(
                _("Select a part or section to refer to it from a text"), 5000)
            return
        reference = cross_ref(node.id)
        QGuiApplication.clipboard().setText(reference)
        # L10N: status bar after Copy Reference: the reference, the part or section it names
        self.statusBar().showMessage(_(
            "Copied {reference}: pasted into a text, it prints the current number of "
            "“{name}”").format(reference=reference,
                               name=display_title(node, "en") or display_title(node, "zh")),
            8000)

    def _numbers_changed(self) -> None:
        """A part or section moved, came or went: references show their new numbers."""
        self.editor.set_numbers(self.tree_model.numbers())

    def _node_field_changed(self, node_id: int, field: str, value: str) -> None:
        self.tree_model.set_field(node_id, field, value)
        if self._node is None or self._node.id != node_id:
            self.select_node(node_id)  # an undo elsewhere: go where it happened
        self.editor.update_field(node_id, field, value)
        self._render_reading_view()

    def _node_inserted(self, parent_id: int | None, position: int, node: Node) -> None:
        self.tree_model.insert(parent_id, position, node)
        self._numbers_changed()
        self.select_node(node.id)

    def _node_removed(self, node_id: int) -> None:
        showing = self._node is not None and any(n.id == node_id for n in
                                                  self._ancestors_and_self(self._node))
        self.tree_model.remove(node_id)
        self._numbers_changed()
        if showing:
            self.show_node(self.tree_model.node(self.tree_view.currentIndex()))

    def _ancestors_and_self(self, node: Node) -> list[Node]:
        chain = []
        while node is not None:
            chain.append(node)
            node = self.tree_model.parent_node(node)
        return chain

    def _node_moved(self, node_id: int, parent_id: int | None, position: int) -> None:
        self.tree_model.move(node_id, parent_id, position)
        self._numbers_changed()
        self.select_node(node_id)

    def _indicators_changed(self, _ids: list) -> None:
        self.editor.set_values(self.figure_values, self.year)
        self.tree_model.refresh_texts()
        self._render_reading_view()
