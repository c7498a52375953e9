"""The side-by-side bilingual editor for the selected node: English | 中文.

Titles (for parts and sections) are line edits whose undo keys are the window's Undo and
Redo (:mod:`.field_undo`); texts are :class:`BoundTextEdit` s, in which
bound figures are chips. Every change is announced as ``fieldEdited`` (node id, store
column, old, new) for the window to make an undoable edit of it; changes coming back
(undo, redo) are shown with :meth:`update_field` without being announced again.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from ..i18n import _
from ..model import Indicator, Node
from .bound_text_edit import BoundTextEdit
from .field_undo import DocumentUndoKeys
from .language import LanguageAware

LANGS = ("en", "zh")


class EditorPane(LanguageAware, QWidget):
    """English and Chinese title and text of one node, each editable."""

    #: (node id, store column, old value, new value)
    fieldEdited = Signal(int, str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editorPane")
        self.node: Node | None = None
        self.headings = {lang: QLabel() for lang in LANGS}
        self.titles = {lang: QLineEdit() for lang in LANGS}
        self.texts = {lang: BoundTextEdit(lang) for lang in LANGS}
        layout = QGridLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for column, lang in enumerate(LANGS):
            self.titles[lang].setObjectName(f"title_{lang}")
            self.texts[lang].setObjectName(f"text_{lang}")
            self.titles[lang].textEdited.connect(partial(self._title_edited, lang))
            # each keystroke is an edit of the report: Ctrl+Z is the report's Undo
            DocumentUndoKeys(self.titles[lang], own_history=False)
            self.texts[lang].sourceEdited.connect(partial(self._text_edited, lang))
            layout.addWidget(self.headings[lang], 0, column)
            layout.addWidget(self.titles[lang], 1, column)
            layout.addWidget(self.texts[lang], 2, column)
        layout.setRowStretch(2, 1)
        self._readonly = False
        self.translateUI()
        self.show_node(None)

    def translateUI(self) -> None:
        """Every visible string in the UI language."""
        self.headings["en"].setText(f"<b>{_('English')}</b>")
        self.headings["zh"].setText(f"<b>{_('Chinese')}</b>")
        for lang in LANGS:
            self.titles[lang].setPlaceholderText(_("Title"))
            self.texts[lang].setPlaceholderText(
                _("No text yet") if not self._readonly else "")

    def set_readonly(self, readonly: bool) -> None:
        """Show, but do not allow changes."""
        self._readonly = readonly
        for lang in LANGS:
            self.titles[lang].setReadOnly(readonly)
            self.texts[lang].setReadOnly(readonly)
        self.translateUI()

    def set_values(self, values: dict[tuple[str, int], Indicator], year: int) -> None:
        """The figures bound texts show (after indicators changed)."""
        for lang in LANGS:
            self.texts[lang].set_values(values, year)

    def set_numbers(self, refs) -> None:
        """The numbers of the parts and sections (a ``NodeNumbers``) references show."""
        for lang in LANGS:
            self.texts[lang].set_numbers(refs)

    def set_name_lookup(self, lookup) -> None:
        """How chips' tooltips name an indicator: ``lookup(key) -> str``."""
        for lang in LANGS:
            self.texts[lang].set_name_lookup(lookup)

    def show_node(self, node: Node | None) -> None:
        """Edit this node (None: nothing)."""
        self.node = node
        has_title = node is not None and node.kind != "paragraph"
        for lang in LANGS:
            self.titles[lang].setVisible(has_title)
            self.titles[lang].setText(node.title(lang) if has_title else "")
            # another node: the cursor starts at the top, not where it was in the last one
            self.texts[lang].set_source(node.text(lang) if node is not None else "",
                                        keep_cursor=False)
            self.texts[lang].setEnabled(node is not None)

    def update_field(self, node_id: int, field: str, value: str) -> None:
        """A field was written (an undo, a redo, or an edit elsewhere): show it."""
        if self.node is None or self.node.id != node_id:
            return
        kind, lang = field.rsplit("_", 1) if "_" in field else (field, "")
        if kind == "title" and self.titles[lang].text() != value:
            self.titles[lang].setText(value)
        elif kind == "text" and self.texts[lang].source() != value:
            self.texts[lang].set_source(value)

    def focus_text(self, lang: str = "en") -> None:
        """Put the cursor in a language's text."""
        self.texts[lang].setFocus()

    def _title_edited(self, lang: str, text: str) -> None:
        if self.node is not None:
            self.fieldEdited.emit(self.node.id, f"title_{lang}", self.node.title(lang), text)

    def _text_edited(self, lang: str, old: str, new: str) -> None:
        if self.node is not None:
            self.fieldEdited.emit(self.node.id, f"text_{lang}", self.node.text(lang), new)
