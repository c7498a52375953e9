"""The names of font subsets in a PDF: ``ABCDEF+FontName``, the tag from the subset itself.

A PDF names each embedded subset with six capital letters, ``+`` and the font's name, so
that two different subsets of one font are never taken for each other (by a print shop's
RIP, a PDF merger or a preflight that compares fonts across files). reportlab numbers them
``AAAAAA``, ``AAAAAB`` … in every file; :func:`subset_tag` derives the tag from the subset's
characters instead (used by :class:`.to_unicode.UnicodeTTFont`).
"""

from __future__ import annotations

import hashlib


def subset_tag(font_name: bytes, codes: list[int], taken: set[bytes]) -> bytes:
    """The six capital letters before ``+`` in the PDF name of a font subset (``ABCDEF+Font``),
    derived from a hash of the font's name and the subset's characters: different subsets get
    different tags, in one document and across documents (reportlab numbers them AAAAAA,
    AAAAAB … in every file, so two files' different subsets carried the same name and a
    print shop's RIP or a PDF merger could take one for the other). The same subset always
    gets the same tag; ``taken`` (tags already used for this font in the document) is
    extended, and the very rare collision is resolved by hashing again."""
    seed = font_name + b":" + ",".join(map(str, codes)).encode("ascii")
    while True:
        number = int.from_bytes(hashlib.sha256(seed).digest()[:8], "big")
        tag = bytearray()
        for _letter in range(6):
            number, letter = divmod(number, 26)
            tag.append(ord("A") + letter)
        if bytes(tag) not in taken:
            taken.add(bytes(tag))
            return bytes(tag)
        seed += b"+"
