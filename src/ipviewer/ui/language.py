"""The UI language on the Qt side: the remembered choice and Qt's own translations.

``ipviewer.i18n`` translates our strings; this module adds Qt's bundled catalogs
(standard buttons, context menus) and keeps the choice in QSettings. Widgets re-translate
themselves in a ``translateUI()`` method, called from ``changeEvent`` when Qt delivers the
``LanguageChange`` event that every switch sends to all windows.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
)

from .. import i18n

SETTINGS_KEY = "ui/language"

_qt_translators: list[QTranslator] = []  # kept referenced, or Qt drops them


def saved_language() -> str:
    """The language chosen before, or the system's on the first start."""
    value = QSettings().value(SETTINGS_KEY, "", type=str)
    return i18n.normalise_language(value) if value else i18n.system_language()


def apply_language(code: str, remember: bool = True) -> str:
    """Switch our catalogs and Qt's own to ``code``; every listener re-translates."""
    app = QCoreApplication.instance()
    for translator in _qt_translators:
        app.removeTranslator(translator)
    _qt_translators.clear()
    code = i18n.normalise_language(code)
    if code != i18n.SOURCE_LANGUAGE:
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name in ("qtbase", "qt"):
            translator = QTranslator(app)
            if translator.load(QLocale(code), name, "_", folder):
                app.installTranslator(translator)
                _qt_translators.append(translator)
    QLocale.setDefault(QLocale(code))
    if remember:
        QSettings().setValue(SETTINGS_KEY, code)
    i18n.set_language(code)
    # QApplication passes this on to every window, which passes it to its children.
    QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
    return code
