"""Ctrl+Z in a one-line field undoes what the user expects: the field's own typing first,
then the document's last step.

A ``QLineEdit`` takes Ctrl+Z for itself even when it has nothing to undo, so the window's
Undo never ran while a cell editor or a title field had the focus. :class:`DocumentUndoKeys`
(an event filter) lets the undo and redo keys through to the window's actions whenever the
field has nothing of its own to undo or redo: a cell editor's uncommitted typing is undone
first, by the field; a title field, whose every keystroke is already an undoable edit of the
document, always hands them on.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

__all__ = ["DocumentUndoKeys", "FocusedUndo", "undo_key"]


def undo_key(event: QKeyEvent) -> str:
    """'undo' for Ctrl+Z (or the platform's undo key), 'redo' for Ctrl+Shift+Z, Ctrl+Y
    (or the platform's redo key), else ''."""
    if event.matches(QKeySequence.StandardKey.Undo):
        return "undo"
    if event.matches(QKeySequence.StandardKey.Redo):
        return "redo"
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    if event.key() == Qt.Key.Key_Z and mods == ctrl:
        return "undo"
    if (event.key() == Qt.Key.Key_Z and mods == ctrl | shift
            or event.key() == Qt.Key.Key_Y and mods == ctrl):
        return "redo"
    return ""


class DocumentUndoKeys(QObject):
    """Installed on ``widget`` (a line edit, or an editable combo box with ``field`` its
    line edit): the undo and redo keys go to the window's actions (the document's undo
    stack) unless the field has typing of its own to undo or redo.

    ``own_history`` False: the field's typing is written to the document as it is typed
    (a title), so the document's undo is the field's undo too.
    """

    def __init__(self, widget: QWidget, field: QLineEdit | None = None,
                 own_history: bool = True) -> None:
        super().__init__(widget)
        self.widget = widget
        self.field = field if field is not None else widget
        self.own_history = own_history
        widget.installEventFilter(self)

    def field_has(self, kind: str) -> bool:
        """Whether the field has typing of its own to undo (``kind`` 'undo') or redo."""
        if not self.own_history or self.field.isReadOnly():
            return False
        return self.field.isUndoAvailable() if kind == "undo" else self.field.isRedoAvailable()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() in (QEvent.Type.ShortcutOverride,
                                                      QEvent.Type.KeyPress):
            kind = undo_key(event)
            if kind and not self.field_has(kind):
                event.ignore()  # not the field's: the window's Undo or Redo action takes it
                return True
        return False


class FocusedUndo:
    """The window's Undo and Redo (the menu, the toolbar, the keys a field hands on): the
    focused field's own typing first, then ``stack``."""

    def __init__(self, stack: QUndoStack) -> None:
        self.stack = stack

    def undo(self) -> None:
        """Undo the focused field's typing, or else the last step of ``stack``."""
        if not _field_step("undo"):
            self.stack.undo()

    def redo(self) -> None:
        """Redo in the focused field, or else the next step of ``stack``."""
        if not _field_step("redo"):
            self.stack.redo()


def _field_step(kind: str) -> bool:
    """Undo or redo in the focused field if it has typing of its own to; whether it did."""
    widget = QApplication.focusWidget()
    while widget is not None:  # the line edit of a combo box: the box has the keys
        keys = widget.findChild(DocumentUndoKeys, "", Qt.FindChildOption.FindDirectChildrenOnly)
        if keys is not None:
            if not keys.field_has(kind):
                return False
            getattr(keys.field, kind)()
            return True
        widget = widget.parentWidget() if isinstance(widget, QLineEdit) else None
    return False
