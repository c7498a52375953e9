"""The markup of a table cell that holds one language or both (``--lang both``)."""

from __future__ import annotations

from collections.abc import Callable

#: The colour of the second language's line in a bilingual cell.
SECOND_LANGUAGE = "#555555"


def bilingual_markup(texts: dict[str, str], markup: Callable[[str], str]) -> str:
    """``texts`` (language -> plain text, Chinese first) as paragraph markup: the first
    language's text, the second's under it in grey when it says something else (``4`` is
    printed once, ``15.08万`` over ``150,800``). ``markup`` escapes a plain text."""
    shown = [t for t in dict.fromkeys(texts.values()) if t]
    if not shown:
        return ""
    body = markup(shown[0])
    for text in shown[1:]:
        body += f'<br/><font color="{SECOND_LANGUAGE}">{markup(text)}</font>'
    return body
