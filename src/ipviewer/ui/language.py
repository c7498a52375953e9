"""The UI language on the Qt side: the remembered choice and Qt's own translations.

``ipviewer.i18n`` translates our strings; this module adds Qt's bundled catalogs
(standard buttons, context menus) and keeps the choice in QSettings.

Live switching has one hook, :class:`LanguageAware`: a widget that shows our strings inherits
it (before its Qt class) and sets them in ``translateUI()``, which the mixin calls whenever Qt
delivers the ``LanguageChange`` event that every switch sends to all windows (and each window
to its children). A widget that may not translate at some moment (a window whose report is
closed) says so in ``may_translate()``.
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


class LanguageAware:
    """The live-language hook, mixed into a QWidget: ``class Pane(LanguageAware, QWidget)``.

    Subclasses implement :meth:`translateUI`; a subclass that handles other change events
    overrides ``changeEvent`` and calls ``super().changeEvent(event)``.
    """

    def translateUI(self) -> None:
        """Set every string this widget shows in the current UI language."""
        raise NotImplementedError(f"{type(self).__name__} shows strings: translateUI() sets them")

    def may_translate(self) -> bool:
        """Whether the widget can translate now (default: always)."""
        return True

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self.may_translate():
            self.translateUI()
        super().changeEvent(event)


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
