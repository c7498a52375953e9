"""``N_``: the mark that puts a string into the message catalog, translated later with ``_``.

Its own module so that the foundation modules :mod:`ipviewer.i18n` itself imports (the PO
reader) can mark their messages too; everyone else imports it from :mod:`ipviewer.i18n`.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for extraction; translate it later with ``_``."""
    return message
