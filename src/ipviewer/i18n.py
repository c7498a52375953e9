"""The one place UI strings are translated: ``_``, ``N_``, ``ngettext``, ``pgettext``.

(``N_`` lives in :mod:`ipviewer.i18n_marks`, so that the PO reader, imported here, can
mark its messages too; import it from here.)

Catalogs are the gettext ``.po`` files under ``translations/`` (installed as the package
``ipviewer.translations``); they are compiled in memory when a language is chosen, so no
``.mo`` file is ever committed or needed. English is the source language and the fallback.
No Qt here: the window re-translates itself live through ``ui/language.py``.
"""

from __future__ import annotations

import gettext
import io
import locale
import os
from functools import cache
from importlib import resources

from . import po_reader
from .i18n_marks import N_  # noqa: F401 (re-exported: import N_ from here)

#: UI languages offered, with their names as their speakers write them.
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}
SOURCE_LANGUAGE = "en"
DOMAIN = "messages"

_current: gettext.NullTranslations = gettext.NullTranslations()
_current_code = SOURCE_LANGUAGE


def catalog_path(code: str, domain: str = DOMAIN):
    """The ``.po`` file of ``domain`` in language ``code`` (a Traversable)."""
    return resources.files("ipviewer.translations") / code / "LC_MESSAGES" / f"{domain}.po"


def template_path(domain: str = DOMAIN):
    """The ``.pot`` template of ``domain``."""
    return resources.files("ipviewer.translations") / f"{domain}.pot"


@cache
def load_translations(code: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The compiled catalog of ``domain`` for ``code``; English (the source) needs none.

    Fuzzy entries are left out, as ``msgfmt`` does: an unapproved translation is not shown.
    """
    if code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    text = catalog_path(code, domain).read_text(encoding="utf-8").removeprefix("\ufeff")
    entries = po_reader.to_pofile(po_reader.scan(text))  # the shipped catalog is checked
    mo = entries.to_binary()  # translated entries only: not fuzzy, not obsolete
    return gettext.GNUTranslations(io.BytesIO(mo))


def normalise_language(code: str | None) -> str:
    """One of :data:`LANGUAGES` for a locale name (``zh``, ``zh_CN.UTF-8``, ``zh-Hans`` …)."""
    if not code:
        return SOURCE_LANGUAGE
    base = code.replace("-", "_").split(".")[0].split("@")[0]
    if base.lower().startswith("zh"):
        return "zh_CN"
    return base if base in LANGUAGES else SOURCE_LANGUAGE


def system_language() -> str:
    """The UI language the system's locale asks for (the first start's choice)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return normalise_language(value.split(":")[0])
    try:
        return normalise_language(locale.getlocale()[0])
    except ValueError:
        return SOURCE_LANGUAGE


def set_language(code: str) -> str:
    """Switch the UI language (unknown codes fall back to English); later lookups use it."""
    global _current, _current_code
    code = normalise_language(code)
    _current = load_translations(code)
    _current_code = code
    return code


def current_language() -> str:
    """The UI language now in use (``en`` or ``zh_CN``)."""
    return _current_code


def report_language() -> str:
    """The report language matching the UI language: ``en`` or ``zh``."""
    return "zh" if _current_code.startswith("zh") else "en"


def _(message: str) -> str:
    """``message`` in the current UI language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current UI language."""
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current UI language, disambiguated by ``context``."""
    return _current.pgettext(context, message)
