"""How the chips of a :class:`~.bound_text_edit.BoundTextEdit` are sized and drawn (a
``QTextObjectInterface`` handler, colours from the palette). Part of :mod:`.bound_text_edit`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPen,
    QPyTextObject,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QTextEdit

from .chip_text import Chip

#: The text object type of a chip (registered with the document layout).
CHIP_OBJECT_TYPE = int(QTextFormat.ObjectTypes.UserObject) + 1
#: The character-format property that keeps a chip's source (the placeholder text).
SOURCE_PROPERTY = int(QTextFormat.Property.UserProperty) + 1


def blend(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way to ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def is_dark(color: QColor) -> bool:
    return color.lightnessF() < 0.5


class ChipHandler(QPyTextObject):
    """Sizes and draws the chips of one editor.

    Qt asks for a chip's size several times per keystroke (each layout pass of the block)
    and draws every visible chip on each paint: sizes, the font's box and the colours are
    cached, and :meth:`reset` forgets them when values, language, font or palette change.
    """

    # The geometry: a chip stands on the baseline like the words around it. Its box reaches
    # from just above the tallest glyphs (Latin capitals, Chinese characters) to just below
    # the descenders, whatever the font's own ascent and descent (large for Noto CJK), so it
    # never touches the lines above and below; a pixel stays free on each side.
    MARGIN = 1.0
    _SAMPLE = "Hkgpy0%,国万亿"

    def __init__(self, editor: QTextEdit, chip: Callable[[str], Chip]) -> None:
        """``chip`` tells what the chip of a source shows (the editor keeps them cached)."""
        super().__init__(editor)
        self._editor = editor
        self._chip = chip
        self._font: tuple[QFont, QFontMetricsF, float, float, float] | None = None
        self._widths: dict[str, float] = {}
        self._colours: tuple[tuple, dict[str, tuple[QColor, QColor, QColor]]] | None = None

    def reset(self) -> None:
        self._font = None
        self._widths.clear()
        self._colours = None

    def _geometry(self, document: QTextDocument):
        """The chips' font, its metrics, the box above and below the baseline, the padding."""
        if self._font is None:
            font = QFont(document.defaultFont())
            metrics = QFontMetricsF(font)
            tight = metrics.tightBoundingRect(self._SAMPLE)
            pad = max(1.0, round(metrics.height() * 0.08))
            up = min(metrics.ascent(), -tight.top() + pad)
            down = min(metrics.descent(), tight.bottom() + pad)
            self._font = (font, metrics, up, down, max(3.0, round(metrics.height() * 0.22)))
        return self._font

    def intrinsicSize(self, document, position, fmt):
        _font, metrics, up, _down, pad = self._geometry(document)
        source = fmt.property(SOURCE_PROPERTY) or ""
        width = self._widths.get(source)
        if width is None:
            chip = self._chip(source)
            width = metrics.horizontalAdvance(chip.text) + 2 * (pad + self.MARGIN)
            self._widths[source] = width
        # The object's bottom is put on the baseline (AlignNormal): its height is the part
        # above it; the box is drawn down into the line's descent.
        return QSizeF(width, up)

    def _palette_colours(self) -> dict[str, tuple[QColor, QColor, QColor]]:
        """Fill, border and text colour of each kind of chip, from the editor's palette."""
        palette = self._editor.palette()
        key = (palette.cacheKey(), palette.currentColorGroup())
        if self._colours is not None and self._colours[0] == key:
            return self._colours[1]
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        dark = is_dark(base)
        red = QColor("#ff7b72") if dark else QColor("#c62828")
        colours = {
            "figure": (blend(base, accent, 0.32 if dark else 0.17),
                       blend(base, accent, 0.8 if dark else 0.55), text),
            "broken": (blend(base, red, 0.18), red, text),
            "reference": (blend(base, accent, 0.08 if dark else 0.06),
                          blend(base, accent, 0.8 if dark else 0.55), text),
            "char": (base, blend(base, text, 0.35), blend(base, text, 0.6)),
        }
        self._colours = (key, colours)
        return colours

    def drawObject(self, painter, rect, document, position, fmt):
        chip = self._chip(fmt.property(SOURCE_PROPERTY) or "")
        font, _metrics, up, down, pad = self._geometry(document)
        colours = self._palette_colours()
        # A selected chip is drawn as it is: Qt lays the selection colour over it at half
        # strength afterwards (ObjectSelectionBrush), which keeps its text readable; white
        # text on the selection colour would be washed out by that.
        fill, border, ink = colours[chip.kind]
        baseline = rect.bottom()
        box = QRectF(rect.left() + self.MARGIN + 0.5, baseline - up + 0.5,
                     rect.width() - 2 * self.MARGIN - 1.0, up + down - 1.0)
        radius = min(box.height() / 2, max(3.0, (up + down) * 0.25))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(border, 1.0)
        if chip.kind == "char":
            pen.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(box, radius, radius)
        painter.setFont(font)
        painter.setPen(ink)
        painter.drawText(QPointF(rect.left() + self.MARGIN + pad, baseline), chip.text)
        painter.restore()
