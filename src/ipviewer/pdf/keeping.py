"""Headings kept with the first lines of what follows them, without leaving holes.

reportlab groups a flowable with ``keepWithNext`` and the one after it into the
document's ``keepTogetherClass``; its own ``KeepTogether`` moves the whole group to the
next page when the group does not fit, so a heading followed by a long paragraph or a
long table left most of a page empty. :class:`KeepWithFirstLines` moves the group only
when the headings and the *first piece* of what follows (two lines of a paragraph, the
first rows of a table) do not fit; otherwise they start here and the rest flows on.
It must be passed to the document's constructor (``keepTogetherClass=``): reportlab's
``BaseDocTemplate.__init__`` overwrites a class attribute of that name.
"""

from __future__ import annotations

from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import FrameBreak
from reportlab.platypus.flowables import KeepTogether, _listWrapOn

__all__ = ["KeepWithFirstLines"]


class KeepWithFirstLines(KeepTogether):
    """Headings (all but the last flowable) kept with the first piece of the last."""

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = self._content[:]
        frame = getattr(self, "_frame", None)
        if self._H <= aH or len(content) < 2 or (frame is not None and frame._atTop):
            return content  # fits, or nothing is gained on a fresh page
        heads, last = content[:-1], content[-1]
        _w, height = _listWrapOn(heads, aW, self.canv)
        room = aH - height - max(heads[-1].getSpaceAfter(), last.getSpaceBefore())
        if room > 0 and last.splitOn(self.canv, aW, room):
            return content  # the first piece fits: the frame splits it the same way
        return [FrameBreak(), *content]
