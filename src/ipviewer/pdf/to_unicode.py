"""TrueType fonts whose ToUnicode CMaps name characters beyond U+FFFF in UTF-16.

reportlab writes the CMap entry of 😀 (U+1F600) as ``<1F600>``, which is not UTF-16BE, so
text extraction (copy, search, screen readers) loses the character; rare CJK characters of
Extension B (U+20000…, found in names) are affected the same way. :class:`UnicodeTTFont`
is reportlab's ``TTFont`` whose CMap streams are rewritten by :func:`utf16_cmap` once
reportlab has made them: those entries become surrogate pairs (``<D83DDE00>``), as the PDF
standard asks; entries of the Basic Multilingual Plane stay exactly as written.

A subclass rather than a pass over the finished PDF: no second parse of every export.
Its ``addObjects`` is reportlab's (5.1, pinned) with two changes: the CMaps above, and
subset names tagged from their characters (:func:`.subset_names.subset_tag`).
"""

from __future__ import annotations

import re

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont, makeToUnicodeCMap

from .subset_names import subset_tag

#: A ``bfchar`` section of a CMap.
_BFCHAR = re.compile(r"beginbfchar(.*?)endbfchar", re.DOTALL)
#: One ``<code> <destination>`` pair whose destination has 5 or 6 hex digits: a code point
#: beyond U+FFFF written as is (UTF-16BE always has a multiple of 4 digits).
_ASTRAL = re.compile(r"(<[0-9A-Fa-f]+>\s*)<([0-9A-Fa-f]{5,6})>")


def utf16_cmap(cmap: str) -> str:
    """``cmap`` with every ``bfchar`` destination beyond U+FFFF written in UTF-16BE."""

    def pair(match: re.Match[str]) -> str:
        code = int(match.group(2), 16)
        if code > 0x10FFFF:
            return match.group(0)
        return f"{match.group(1)}<{chr(code).encode('utf-16-be').hex().upper()}>"

    return _BFCHAR.sub(lambda section: _ASTRAL.sub(pair, section.group(0)), cmap)


class UnicodeTTFont(TTFont):
    """reportlab's ``TTFont``, with ToUnicode CMaps in UTF-16 (:func:`utf16_cmap`) and
    subset names whose ``ABCDEF+`` tag comes from the subset's characters
    (:func:`.subset_names.subset_tag`) instead of its number in the document."""

    def addObjects(self, doc) -> None:
        """Add the font's objects to ``doc``: reportlab's ``TTFont.addObjects`` (5.1),
        with the subset's own tag and UTF-16 CMaps."""
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        taken: set[bytes] = set()
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            tag = subset_tag(self.face.name, list(subset), taken)
            base_name = b"".join((tag, b"+", self.face.name, self.face.subfontNameX)
                                 ).decode("pdfdoc")
            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.__Comment__ = f"Font {self.fontName} subset {n}"
            pdf_font.Name = internal_name
            pdf_font.BaseFont = base_name
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset)))
            cmap = pdfdoc.PDFStream()
            cmap.content = utf16_cmap(makeToUnicodeCMap(base_name, subset))
            if doc.compression:
                cmap.filters = [pdfdoc.PDFZCompress]
            pdf_font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base_name)
            pdf_font.FontDescriptor = self.face.addSubsetObjects(doc, base_name, subset)
            doc.Reference(pdf_font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = pdf_font
        del self.state[doc]
