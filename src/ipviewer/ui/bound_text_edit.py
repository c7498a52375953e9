"""A paragraph editor that shows the figures bound in the text as chips.

A paragraph is stored with placeholders (``{{key}}``, ``{{key:yoy@2023}}`` … see
``docs/bindings.md``). :class:`BoundTextEdit` never shows them: each one is a single object
character (U+FFFC) whose character format keeps the placeholder, drawn by a
``QTextObjectInterface`` handler as a rounded chip with the figure written in the editor's
language. For the cursor a chip is one character: the arrow keys step over it, Backspace and
Delete remove it whole.

:meth:`BoundTextEdit.source` gives the text with its placeholders back, exactly as it was
given to :meth:`BoundTextEdit.set_source`. Every change the user makes is announced with
``sourceEdited(old, new)``; the widget keeps no undo history of its own (the window has the
one undo stack) and lets Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y through to the window's actions.

How the text is held in the document:

* literal text as it is; ``\\n`` separates blocks (paragraph breaks inside the text);
* each ``{{...}}`` placeholder that :func:`ipviewer.prose.bindings.find_bindings` would read as one
  (also a malformed one such as ``{{Key}}``, drawn as a broken chip) as one chip;
* the few characters a ``QTextDocument`` cannot hold as they are (``\\r``, U+2029, U+FDD0,
  U+FDD1 and U+FFFC itself) as small "character" chips, so that any text round-trips.

Which parts are chips and how positions map is :mod:`.chip_text` (no Qt); how chips are sized
and drawn is :mod:`.chip_drawing`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from ..i18n import _
from ..model import Indicator
from ..prose.cross_refs import NodeNumbers
from .chip_drawing import CHIP_OBJECT_TYPE, SOURCE_PROPERTY, ChipHandler, is_dark
from .chip_text import (
    ASTRAL,
    OBJECT_CHAR,
    Chip,
    Segment,
    TextWalk,
    chip_tooltip,
    describe,
    moved_index,
    py_offset,
    tokens,
    utf16_len,
    utf16_slice,
)
from .language import LanguageAware

__all__ = ["CHIP_OBJECT_TYPE", "MIME_SOURCE", "BoundTextEdit", "Chip"]

#: Clipboard type of copied text with its placeholders (copy and paste inside the app).
MIME_SOURCE = "application/x-ipviewer-bound-text"

#: Line height of the text, in per cent of the font's.
LINE_HEIGHT = 120


class BoundTextEdit(LanguageAware, QTextEdit):
    """Edits one paragraph text in one language, its bound figures shown as chips."""

    #: The user changed the text: (source before, source after), placeholders included.
    sourceEdited = Signal(str, str)

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._values: Mapping[tuple[str, int], Indicator] = {}
        self._year = 0
        self._refs: NodeNumbers | None = None
        self._name_lookup: Callable[[str], str | None] | None = None
        self._source = ""
        self._loading = False
        self._cache: dict[str, Chip] = {}
        self.setAcceptRichText(False)
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)
        self._handler = ChipHandler(self, self._chip)  # referenced here: the layout does not own it
        self.document().documentLayout().registerHandler(CHIP_OBJECT_TYPE, self._handler)
        QTextCursor(self.document()).setBlockFormat(self._block_format())
        self.document().contentsChanged.connect(self._contents_changed)
        self.cursorPositionChanged.connect(self._plain_typing_format)

    # -- public API ------------------------------------------------------------------------

    @property
    def lang(self) -> str:
        """The language the figures are written in ('en' or 'zh')."""
        return self._lang

    def set_language(self, lang: str) -> None:
        """Write the figures in ``lang`` from now on (the source does not change)."""
        if lang != self._lang:
            self._lang = lang
            self._refresh_chips()

    def set_values(self, values: Mapping[tuple[str, int], Indicator], year: int) -> None:
        """The indicator values the chips show, by (key, year), and the report's year."""
        self._values = values
        self._year = year
        self._refresh_chips()

    def set_numbers(self, refs: NodeNumbers | None) -> None:
        """The numbers of the report's parts and sections (references show them); again
        after a part or section moved, came or went."""
        self._refs = refs
        self._refresh_chips()

    def set_name_lookup(self, lookup: Callable[[str], str | None] | None) -> None:
        """A function giving an indicator's name (e.g. from the glossary) for tooltips."""
        self._name_lookup = lookup

    def source(self) -> str:
        """The text with its placeholders, as it would be stored."""
        return self._source

    def set_source(self, text: str, keep_cursor: bool = True) -> None:
        """Show ``text`` (with placeholders) without announcing an edit.

        The cursor and selection stay where they were as far as the text allows: before a
        change they keep their place, after it they move with the text, inside it they go
        to its end (what undo and redo of a typing step want). With ``keep_cursor=False``
        (another paragraph) the cursor goes to the start and the view to the top.
        """
        if text == self._source:
            return
        if keep_cursor:
            walk = self._walk()
            cursor = self.textCursor()
            anchor = moved_index(walk.to_source(cursor.anchor()), self._source, text)
            position = moved_index(walk.to_source(cursor.position()), self._source, text)
            self._load(text, anchor, position)
        else:
            self._load(text, 0, 0, scroll=False)

    def setPlainText(self, text: str) -> None:
        """The same as :meth:`set_source`: placeholders become chips, no edit announced."""
        self.set_source(text)

    def clear(self) -> None:
        """Empty the editor without announcing an edit."""
        self.set_source("")

    def chip_at(self, pos: QPoint) -> Chip | None:
        """The chip under ``pos`` (viewport coordinates), or None."""
        cursor = self.cursorForPosition(pos)
        for candidate in (cursor.position(), cursor.position() - 1):
            if candidate < 0 or not self._is_chip(candidate):
                continue
            if self.chip_rect(candidate).contains(pos):
                chip = self._chip_of(candidate)
                return chip
        return None

    def chip_rect(self, position: int) -> QRect:
        """Where the character at document ``position`` is drawn, in viewport coordinates."""
        block = self.document().findBlock(position)
        layout = block.layout()
        offset = position - block.position()
        line = layout.lineForTextPosition(offset)
        if not line.isValid():
            return QRect()
        origin = self.document().documentLayout().blockBoundingRect(block).topLeft()
        left = line.cursorToX(offset)[0]
        right = line.cursorToX(offset + 1)[0]
        top = origin.y() + line.y()
        rect = QRectF(origin.x() + min(left, right), top, abs(right - left), line.height())
        scroll = QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        return rect.translated(-scroll).toAlignedRect()

    def chip_at_cursor(self) -> Chip | None:
        """The chip just after the text cursor, else the one just before it, or None."""
        position = self.textCursor().position()
        for candidate in (position, position - 1):
            if candidate >= 0 and self._is_chip(candidate):
                return self._chip_of(candidate)
        return None

    def insert_source(self, text: str) -> None:
        """Insert source ``text`` at the cursor (over the selection) as if typed: its
        placeholders become chips, and the change is announced as one ``sourceEdited``."""
        if self.isReadOnly():
            return
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        self._fill(cursor, text)
        cursor.endEditBlock()  # one change: one sourceEdited
        self.ensureCursorVisible()

    def chips(self) -> list[Chip]:
        """Every chip of the text, in order (with its document position)."""
        walk = self._walk()
        return [self._chip_of(seg.doc) for seg in walk.segments if seg.chip]

    # -- chips -------------------------------------------------------------------------------

    def _chip(self, source: str) -> Chip:
        """What the chip of ``source`` shows (cached until values or language change)."""
        chip = self._cache.get(source)
        if chip is None:
            chip = self._cache[source] = describe(source, self._lang, self._values,
                                                  self._year, self._refs)
        return chip

    def _chip_of(self, position: int) -> Chip:
        cursor = QTextCursor(self.document())
        cursor.setPosition(position + 1)
        source = cursor.charFormat().property(SOURCE_PROPERTY) or ""
        chip = self._chip(source)
        return Chip(chip.source, chip.text, chip.kind, chip.binding, chip.error, position)

    def _is_chip(self, position: int) -> bool:
        if self.document().characterAt(position) != OBJECT_CHAR:
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(position + 1)
        return cursor.charFormat().objectType() == CHIP_OBJECT_TYPE

    def translateUI(self) -> None:
        """Broken chips' messages are in the UI language: draw them again."""
        self._refresh_chips()

    def _refresh_chips(self) -> None:
        """Size and draw every chip again (values, language, font or UI language changed)."""
        self._cache.clear()
        self._handler.reset()
        document = self.document()
        loading, self._loading = self._loading, True
        try:
            document.markContentsDirty(0, document.characterCount())
        finally:
            self._loading = loading
        self.viewport().update()

    def tooltip_html(self, chip: Chip) -> str:
        """The tooltip of a chip: the indicator, its year and exact value; or the error."""
        name = self._lookup_name(chip.binding.key) if chip.kind == "figure" else ""
        return chip_tooltip(chip, self._values, self._year, name)

    def _lookup_name(self, key: str) -> str:
        if self._name_lookup is None:
            return ""
        try:
            return self._name_lookup(key) or ""
        except Exception:  # noqa: BLE001 - a tooltip must never break the editor
            return ""

    # -- reading and writing the document ---------------------------------------------------

    def _walk(self) -> TextWalk:
        """Read the document back: the source and where each part of it is."""
        parts: list[str] = []
        chips: list[tuple[int, int]] = []
        segments: list[Segment] = []
        clean = True
        src = 0
        block = self.document().begin()
        first = True
        while block.isValid():
            position = block.position()
            if not first:
                segments.append(Segment(position - 1, 1, src, "\n", False))
                parts.append("\n")
                src += 1
            first = False
            text = block.text()
            if OBJECT_CHAR not in text:
                if text:
                    segments.append(Segment(position, utf16_len(text), src, text, False))
                    parts.append(text)
                    src += len(text)
            else:
                astral = bool(ASTRAL.search(text))
                units = text.encode("utf-16-le", "surrogatepass") if astral else b""
                done = 0
                for piece in block.textFormats():
                    start, length = piece.start, piece.length
                    if start < done:
                        continue
                    if start > done:  # not expected: text without a format range
                        piece_text = utf16_slice(text, units, done, start, astral)
                        segments.append(Segment(position + done, start - done, src,
                                                 piece_text, False))
                        parts.append(piece_text)
                        src += len(piece_text)
                    piece_text = utf16_slice(text, units, start, start + length, astral)
                    is_chip = piece.format.objectType() == CHIP_OBJECT_TYPE
                    if is_chip:
                        source = piece.format.property(SOURCE_PROPERTY) or ""
                        run_start = 0
                        for index, char in enumerate(piece_text):
                            if char != OBJECT_CHAR:
                                continue
                            if index > run_start:
                                literal = piece_text[run_start:index]
                                segments.append(Segment(position + start + run_start,
                                                         index - run_start, src, literal, False))
                                parts.append(literal)
                                src += len(literal)
                            if not source:
                                clean = False
                                segments.append(Segment(position + start + index, 1, src,
                                                         OBJECT_CHAR, False))
                                parts.append(OBJECT_CHAR)
                                src += 1
                            else:
                                segments.append(Segment(position + start + index, 1, src,
                                                         source, True))
                                chips.append((src, src + len(source)))
                                parts.append(source)
                                src += len(source)
                            run_start = index + 1
                        if run_start < len(piece_text):
                            # typed after a chip, the text took the chip's format
                            literal = piece_text[run_start:]
                            segments.append(Segment(position + start + run_start,
                                                     utf16_len(literal), src, literal, False))
                            parts.append(literal)
                            src += len(literal)
                            clean = False
                    else:
                        if OBJECT_CHAR in piece_text:
                            clean = False
                        segments.append(Segment(position + start, length, src, piece_text,
                                                 False))
                        parts.append(piece_text)
                        src += len(piece_text)
                    done = start + length
            block = block.next()
        return TextWalk("".join(parts), chips, segments, clean)

    def _fill(self, cursor: QTextCursor, text: str) -> None:
        """Insert source ``text`` at ``cursor``: literal text and chips."""
        plain = QTextCharFormat()
        pos = 0
        for start, end in tokens(text)[0]:
            if start > pos:
                cursor.insertText(text[pos:start], plain)
            cursor.insertText(OBJECT_CHAR, self._chip_format(text[start:end]))
            pos = end
        if pos < len(text):
            cursor.insertText(text[pos:], plain)

    @staticmethod
    def _block_format() -> QTextBlockFormat:
        """A little air between the lines, so that chips on two lines never touch."""
        fmt = QTextBlockFormat()
        fmt.setLineHeight(LINE_HEIGHT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        return fmt

    @staticmethod
    def _chip_format(source: str) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setObjectType(CHIP_OBJECT_TYPE)
        fmt.setProperty(SOURCE_PROPERTY, source)
        return fmt

    def _load(self, text: str, anchor: int, position: int, scroll: bool = True) -> None:
        """Replace the document by ``text``; put the selection at these source indexes
        (and keep the view where it was, when ``scroll``)."""
        shown = (self.horizontalScrollBar().value(), self.verticalScrollBar().value()
                 ) if scroll else (0, 0)
        loading, self._loading = self._loading, True
        try:
            cursor = QTextCursor(self.document())
            cursor.beginEditBlock()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.removeSelectedText()
            cursor.setBlockFormat(self._block_format())
            self._fill(cursor, text)
            cursor.endEditBlock()
            self._source = text
            walk = self._walk()
            cursor.setPosition(walk.to_document(anchor))
            cursor.setPosition(walk.to_document(position), QTextCursor.MoveMode.KeepAnchor)
            if not cursor.hasSelection():
                cursor.setCharFormat(QTextCharFormat())  # type plain text, even after a chip
            self.setTextCursor(cursor)
            self._mark_stray(tokens(text)[1], walk)
        finally:
            self._loading = loading
        self.horizontalScrollBar().setValue(shown[0])
        self.verticalScrollBar().setValue(shown[1])

    def _mark_stray(self, stray: list[tuple[int, int]], walk: TextWalk) -> None:
        """Underline the ``{{`` and ``}}`` that are not part of a placeholder."""
        text = walk.source
        selections = []
        for start, end in stray:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(walk.to_document(start))
            cursor.setPosition(walk.to_document(end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor("#ff7b72") if is_dark(
                self.palette().color(QPalette.ColorRole.Base)) else QColor("#c62828"))
            # L10N: tooltip of a lone {{ or }} in a paragraph (the same message as the check's)
            fmt.setToolTip(_('"{text}" is not a valid figure reference').format(
                text=text[start:end]))
            selection.format = fmt
            selections.append(selection)
        if selections or self.extraSelections():
            self.setExtraSelections(selections)

    # -- user edits --------------------------------------------------------------------------

    def _contents_changed(self) -> None:
        if self._loading:
            return
        old = self._source
        walk = self._walk()
        new = walk.source
        chips, stray = tokens(new)
        if not walk.clean or walk.chips != chips:
            # a placeholder was completed or broken up, or text took a chip's format:
            # show the text again as it now reads
            cursor = self.textCursor()
            self._load(new, walk.to_source(cursor.anchor()), walk.to_source(cursor.position()))
        elif stray or self.extraSelections():
            self._mark_stray(stray, walk)
        self._source = new
        if new != old:
            self.sourceEdited.emit(old, new)

    def _plain_typing_format(self) -> None:
        """After a chip the cursor would type with the chip's format: type plain text."""
        if self.textCursor().hasSelection():
            return
        if self.currentCharFormat().objectType() == CHIP_OBJECT_TYPE:
            self.setCurrentCharFormat(QTextCharFormat())

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasFormat(MIME_SOURCE) or source.hasText()

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Paste plain text only; placeholders in it (or copied chips) become chips."""
        if self.isReadOnly():
            return
        if source.hasFormat(MIME_SOURCE):
            text = bytes(source.data(MIME_SOURCE).data()).decode("utf-8", "replace")
        elif source.hasText():
            text = source.text().replace("\r\n", "\n").replace("\r", "\n")
        else:
            return
        self.insert_source(text)

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copy the figures as text, and the placeholders for pasting in the app."""
        cursor = self.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        walk = self._walk()
        source = walk.source[walk.to_source(start):walk.to_source(end)]
        shown: list[str] = []
        for seg in walk.segments:
            if seg.doc + seg.doc_len <= start or seg.doc >= end:
                continue
            if seg.chip:
                chip = self._chip(seg.text)
                shown.append(seg.text if chip.kind == "char" else chip.text)
            else:
                lo = max(start, seg.doc) - seg.doc
                hi = min(end, seg.doc + seg.doc_len) - seg.doc
                shown.append(seg.text[py_offset(seg.text, lo):py_offset(seg.text, hi)])
        mime = QMimeData()
        mime.setText("".join(shown))
        mime.setData(MIME_SOURCE, source.encode("utf-8"))
        return mime

    # -- events ------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and _is_undo_redo(event):
            event.ignore()  # not ours: the window's Undo and Redo actions take it
            return True
        if kind == QEvent.Type.ToolTip:
            pos = self.viewport().mapFrom(self, event.pos())
            if self._show_tooltip(pos, event.globalPos()):
                return True
        return super().event(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self._show_tooltip(event.pos(),
                                                                      event.globalPos()):
            return True
        return super().viewportEvent(event)

    def _show_tooltip(self, pos: QPoint, global_pos: QPoint) -> bool:
        chip = self.chip_at(pos)
        if chip is not None:
            QToolTip.showText(global_pos, self.tooltip_html(chip), self.viewport(),
                              self.chip_rect(chip.position))
            return True
        position = self.cursorForPosition(pos).position()
        for selection in self.extraSelections():  # a stray brace: say what is wrong
            cursor = selection.cursor
            if cursor.selectionStart() <= position <= cursor.selectionEnd() and \
                    self.cursorRect(cursor).adjusted(-8, 0, 8, 0).contains(pos):
                QToolTip.showText(global_pos, selection.format.toolTip(), self.viewport())
                return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_undo_redo(event):
            event.ignore()  # no undo of our own; let a parent have it
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)  # a new font goes to the document here
        if event.type() == QEvent.Type.FontChange:
            self._refresh_chips()
        elif event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self.viewport().update()


def _is_undo_redo(event: QKeyEvent) -> bool:
    """Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y or the platform's own undo and redo keys."""
    if event.matches(QKeySequence.StandardKey.Undo) or event.matches(
            QKeySequence.StandardKey.Redo):
        return True
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    ctrl = Qt.KeyboardModifier.ControlModifier
    key = event.key()
    return (key == Qt.Key.Key_Z and mods in (ctrl, ctrl | Qt.KeyboardModifier.ShiftModifier)
            or key == Qt.Key.Key_Y and mods == ctrl)
