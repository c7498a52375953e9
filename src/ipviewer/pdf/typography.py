"""English typography for the printed page: curly quotes, apostrophes, en dashes in ranges.

The report stores what its authors typed (straight ``"`` and ``'``, ``2021-2035``); the
printed edition sets “quotes”, ‘quotes’, apostrophes (Shanghai’s) and en dashes between the
numbers of a range (2021–2035). These functions only ever swap a quote or dash character
for another one — letters, digits and everything else stay as they are — and applying them
twice changes nothing. Text with Chinese characters is left alone (Chinese has its own
marks, and a range there is written with ``—`` or ``～``).

Pure functions; the export applies :func:`printed_english` to its content, never to the
stored report.
"""

from __future__ import annotations

import re

__all__ = ["en_dashes", "has_cjk", "printed_english", "smart_quotes"]

#: Characters after which a quote opens (start of text, space, an opening bracket, a dash).
_OPENS_AFTER = frozenset("([{<\u2014\u2013-/\u00a0“‘")

#: A range of numbers written with a hyphen: 2021-2035, 10-15, 2024-25 (not dates like
#: 2024-01-05, phone numbers 021-6289, or a hyphen chain).
_RANGE = re.compile(r"(?<![\d\-.,/])([1-9]\d{0,3})-([1-9]\d{0,3})(?![\d\-]|[.,]\d)")


#: Chinese, Japanese and Korean characters and punctuation, and the full-width forms.
_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
                  "\U00020000-\U0002fa1f]")


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a Chinese (Japanese, Korean) character or mark."""
    return _CJK.search(text) is not None


def _opens(text: str, i: int) -> bool:
    """Does a quote at ``text[i]`` open (nothing or space or an opening mark before it)?"""
    if i == 0:
        return True
    before = text[i - 1]
    return before.isspace() or before in _OPENS_AFTER


def smart_quotes(text: str) -> str:
    """Straight quotes made typographic: ``"a"`` → “a”, ``'a'`` → ‘a’, ``it's`` → it’s."""
    if '"' not in text and "'" not in text:
        return text
    out = list(text)
    for i, ch in enumerate(text):
        if ch == '"':
            out[i] = "“" if _opens(text, i) and i + 1 < len(text) and not text[i + 1].isspace() \
                else "”"
        elif ch == "'":
            after = text[i + 1] if i + 1 < len(text) else ""
            if _opens(text, i) and after and not after.isspace() and not after.isdigit():
                out[i] = "‘"
            else:  # closing quote, or apostrophe (it's, the '90s, workers')
                out[i] = "’"
    return "".join(out)


def _range(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    low, high = int(first), int(second)
    if len(second) < len(first) and len(second) == 2:  # 2024-25: the same century
        high = int(first[:-2] + second)
    if high <= low:
        return match.group(0)
    return f"{first}\u2013{second}"


def en_dashes(text: str) -> str:
    """Hyphens between the two numbers of a rising range made en dashes: 2021–2035."""
    return _RANGE.sub(_range, text) if "-" in text else text


def printed_english(text: str) -> str:
    """``text`` as the printed English edition sets it (unchanged if it holds Chinese)."""
    if has_cjk(text):
        return text
    return en_dashes(smart_quotes(text))
