"""The side-by-side bilingual editor for the selected node: English | 中文.

Titles (for parts and sections) are line edits whose undo keys are the window's Undo and
Redo (:mod:`.field_undo`); texts are :class:`BoundTextEdit` s, in which
bound figures are chips. Every change is announced as ``fieldEdited`` (node id, store
column, old, new) for the window to make an undoable edit of it; changes coming back
(undo, redo) are shown with :meth:`update_field` without being announced again.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, Signal
from PySide6.QtGui import QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from ..i18n import _
from ..model import Indicator, Node
from .bound_text_edit import BoundTextEdit, Chip
from .field_undo import DocumentUndoKeys
from .language import LanguageAware

LANGS = ("en", "zh")


class EditorPane(LanguageAware, QWidget):
    """English and Chinese title and text of one node, each editable."""

    #: (node id, store column, old value, new value)
    fieldEdited = Signal(int, str, str, str)
    #: "Go to Indicator" on a figure's chip: (key, year; 0 for the report's year)
    goToIndicator = Signal(str, int)

    #: The key of Go to Indicator (the window's action; shown in the chip's menu).
    GO_TO_KEY = "F12"

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
            self.texts[lang].installEventFilter(self)
            self.texts[lang].viewport().installEventFilter(self)
            layout.addWidget(self.headings[lang], 0, column)
            layout.addWidget(self.titles[lang], 1, column)
            layout.addWidget(self.texts[lang], 2, column)
        layout.setRowStretch(2, 1)
        self._readonly = False
        self._last_text = self.texts["en"]  # where Insert Figure puts a figure
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

    # -- figures in the texts --------------------------------------------------------------

    def current_text(self) -> BoundTextEdit:
        """The text that has the focus, else the one that had it last (English at first)."""
        for edit in self.texts.values():
            if edit.hasFocus():
                return edit
        return self._last_text

    def insert_figure(self, placeholder: str, edit: BoundTextEdit | None = None) -> bool:
        """Put a ``{{key}}`` reference at the cursor of ``edit`` (default: the current
        text), as if typed (announced as an edit); False when there is no text to put it in."""
        edit = edit if edit is not None else self.current_text()
        if self.node is None or self._readonly or not edit.isEnabled():
            return False
        edit.setFocus()
        edit.insert_source(placeholder)
        return True

    def figure_at_cursor(self) -> Chip | None:
        """The figure's chip at the cursor of the current text, or None."""
        chip = self.current_text().chip_at_cursor()
        return chip if chip is not None and chip.binding is not None else None

    def go_to_figure(self, chip: Chip | None) -> bool:
        """Announce Go to Indicator for a figure's chip; False when it is none."""
        if chip is None or chip.binding is None:
            return False
        self.goToIndicator.emit(chip.binding.key, chip.binding.year or 0)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Remember the text last focused; add Go to Indicator to a chip's context menu."""
        kind = event.type()
        if kind == QEvent.Type.FocusIn and watched in self.texts.values():
            self._last_text = watched
        elif kind == QEvent.Type.ContextMenu:
            for edit in self.texts.values():
                if watched in (edit, edit.viewport()):
                    assert isinstance(event, QContextMenuEvent)
                    pos = event.pos() if watched is not edit else \
                        edit.viewport().mapFrom(edit, event.pos())
                    menu = self.chip_menu(edit, pos)
                    menu.exec(event.globalPos())
                    menu.deleteLater()
                    return True
        return super().eventFilter(watched, event)

    def chip_menu(self, edit: BoundTextEdit, viewport_pos: QPoint):
        """The text's context menu at ``viewport_pos``: the standard one, with Go to
        Indicator first when a figure's chip is there."""
        menu = edit.createStandardContextMenu(viewport_pos)
        chip = edit.chip_at(viewport_pos)
        if chip is not None and chip.binding is not None:
            first = menu.actions()[0] if menu.actions() else None
            action = menu.addAction(_("&Go to Indicator"))
            action.setObjectName("goToIndicatorChipAction")
            action.setShortcut(QKeySequence(self.GO_TO_KEY))
            action.triggered.connect(partial(self.go_to_figure, chip))
            if first is not None:
                menu.insertAction(first, action)
                menu.insertSeparator(first)
        return menu

    def _title_edited(self, lang: str, text: str) -> None:
        if self.node is not None:
            self.fieldEdited.emit(self.node.id, f"title_{lang}", self.node.title(lang), text)

    def _text_edited(self, lang: str, old: str, new: str) -> None:
        if self.node is not None:
            self.fieldEdited.emit(self.node.id, f"text_{lang}", self.node.text(lang), new)
