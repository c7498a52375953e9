"""TrueType fonts whose ToUnicode CMaps name characters beyond U+FFFF in UTF-16.

reportlab writes the CMap entry of 😀 (U+1F600) as ``<1F600>``, which is not UTF-16BE, so
text extraction (copy, search, screen readers) loses the character; rare CJK characters of
Extension B (U+20000…, found in names) are affected the same way. :class:`UnicodeTTFont`
is reportlab's ``TTFont`` whose CMap streams are rewritten by :func:`utf16_cmap` once
reportlab has made them: those entries become surrogate pairs (``<D83DDE00>``), as the PDF
standard asks; entries of the Basic Multilingual Plane stay exactly as written.

A subclass rather than a pass over the finished PDF: it needs no PDF library at run time
(pikepdf brings lxml, which changes how openpyxl reads spreadsheets) and no second parse
of every export; reportlab's function is not replaced.
"""

from __future__ import annotations

import re

from reportlab.pdfbase.pdfdoc import PDFStream
from reportlab.pdfbase.ttfonts import TTFont

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
    """reportlab's ``TTFont``, with ToUnicode CMaps in UTF-16 (:func:`utf16_cmap`)."""

    def addObjects(self, doc) -> None:
        """Add the font's objects to ``doc`` (reportlab), then fix the CMaps among them."""
        before = set(doc.idToObject)
        super().addObjects(doc)
        for name, obj in doc.idToObject.items():
            if name not in before and isinstance(obj, PDFStream) \
                    and isinstance(obj.content, str) and "begincmap" in obj.content:
                obj.content = utf16_cmap(obj.content)
