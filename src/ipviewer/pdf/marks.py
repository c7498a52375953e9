"""Printer's marks outside the trimmed page: registration targets beside reportlab's crop marks.

reportlab draws crop marks itself (``cropMarks`` of the document template, see
:class:`.layout.WhitePaperDoc`) in the colour it is given; for the print edition that is the
registration colour (:data:`.colours.REGISTRATION`, Separation ``All``), which prints on
every plate so the printer can see that the plates line up. Registration targets (a circle
with a cross) in the middle of each side are what the printer aligns the plates with;
reportlab has none, so :class:`MarksCanvas` draws them on every page that has crop marks.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

#: Line width of the marks in points (a hairline that still prints).
MARK_WIDTH = 0.25


class CropMarks:
    """What reportlab's canvas reads for crop marks (in ``colour``); the sheet grows by
    ``border`` a side.

    ``bleedWidth`` stays 0: reportlab would otherwise *scale* the page into the bleed.
    The bleed is the space between trim and marks, and the cover's colour bands are
    drawn into it.
    """

    def __init__(self, border: float, mark: float, visible: bool, colour) -> None:
        self.borderWidth = border
        self.markLength = mark
        self.markWidth = MARK_WIDTH
        self.markColor = colour if visible and mark else None
        self.markLast = 1 if visible and mark else 0
        self.bleedWidth = 0


class MarksCanvas(Canvas):
    """reportlab's canvas, adding registration targets to pages with visible crop marks.

    Its ``_cropMarks`` (set by the document template) gives the border around the trimmed
    page, the marks' length and colour; the targets sit in the marks' band, in the middle
    of each side, in the crop marks' colour.
    """

    def showPage(self) -> None:
        marks = getattr(self, "_cropMarks", None)
        length = getattr(marks, "markLength", 0) if marks else 0
        colour = getattr(marks, "markColor", None) if marks else None
        if length and colour is not None:
            self._registration_targets(marks.borderWidth, length, colour)
        super().showPage()

    def _registration_targets(self, border: float, length: float, colour) -> None:
        """Targets centred ``length / 2`` from the sheet's edge, in page coordinates (the
        trimmed page's lower left corner is the origin until ``showPage`` moves it)."""
        width, height = self._pagesize
        middle = length / 2 - border  # from the trim edge, outwards
        radius = length * 0.3
        centres = [(width / 2, middle), (width / 2, height - middle),
                   (middle, height / 2), (width - middle, height / 2)]
        self.saveState()
        self.setStrokeColor(colour)
        self.setLineWidth(MARK_WIDTH)
        for x, y in centres:
            self.circle(x, y, radius, stroke=1, fill=0)
            self.lines([(x - length / 2, y, x + length / 2, y),
                        (x, y - length / 2, x, y + length / 2)])
        self.restoreState()
