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
    QObject,
    QSettings,
    QTranslator,
)
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QAbstractButton, QApplication

from .. import i18n

SETTINGS_KEY = "ui/language"

_qt_translators: list[QTranslator] = []  # kept referenced, or Qt drops them

#: Qt's own strings its shipped catalogs lack (by context and text), in Chinese.
QT_GAPS: dict[str, dict[tuple[str, str], str]] = {
    "zh_CN": {
        ("QFileSystemModel", "Drive"): "驱动器",
        ("QFileSystemModel", "Computer"): "计算机",
    },
}


class QtGapTranslator(QTranslator):
    """Asked last: Qt's strings that its catalog for the language does not have.

    Qt 6 added mnemonics to some texts (``&Look in:``) that older catalogs know without
    one (``Look in:``): the text without its ``&`` is looked up in Qt's catalogs, and its
    mnemonic added back in the Chinese style (``查找范围(&L)：``). Then :data:`QT_GAPS`.
    """

    def __init__(self, parent: QObject, code: str, catalogs: list[QTranslator]) -> None:
        super().__init__(parent)
        self._gaps = QT_GAPS.get(code, {})
        self._catalogs = list(catalogs)

    def isEmpty(self) -> bool:
        return False

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        if context.startswith("ipviewer"):
            return ""
        gap = self._gaps.get((context, source))
        if gap:
            return gap
        if "&" not in source or "&&" in source:
            return ""
        plain = source.replace("&", "", 1)
        key = source[source.index("&") + 1:source.index("&") + 2].upper()
        for catalog in self._catalogs:
            found = catalog.translate(context, plain, disambiguation, n)
            if found:
                tail = found[-1] if found[-1] in "：:…" else ""
                body = found[:-1] if tail else found
                return f"{body}(&{key}){tail}" if key.strip() else found
        return ""


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


#: Qt's own widgets whose strings Qt sets once, when made, and never again on a switch:
#: (object name, context, accessible name, tooltip and description).
_QT_PARTS = (
    ("qt_dockwidget_closebutton", "QDockWidget", "Close", "Closes the dock widget"),
    ("qt_dockwidget_floatbutton", "QDockWidget", "Float",
     "Undocks and re-attaches the dock widget"),
    ("ScrollLeftButton", "QTabBar", "Scroll Left", ""),
    ("ScrollRightButton", "QTabBar", "Scroll Right", ""),
)


def retranslate_qt_parts() -> None:
    """Set again the strings Qt's dock and tab bar buttons got when they were made."""
    translate = QCoreApplication.translate
    for window in QApplication.topLevelWidgets():
        for name, context, accessible, tip in _QT_PARTS:
            for button in window.findChildren(QAbstractButton, name):
                button.setAccessibleName(translate(context, accessible))
                if tip:
                    button.setToolTip(translate(context, tip))
                    button.setAccessibleDescription(translate(context, tip))


def retranslate_undo_stack(stack: QUndoStack) -> None:
    """Name each step of ``stack`` again in the UI language (a command that can:
    ``retranslate()``), so that Edit → Undo says what it undoes in the new language."""
    for index in range(stack.count()):
        retranslate = getattr(stack.command(index), "retranslate", None)
        if callable(retranslate):
            retranslate()


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
        catalogs = []
        for name in ("qtbase", "qt"):
            translator = QTranslator(app)
            if translator.load(QLocale(code), name, "_", folder):
                catalogs.append(translator)
        # Qt asks the translator installed last first: the gaps' only after the catalogs.
        for translator in [QtGapTranslator(app, code, catalogs), *catalogs]:
            app.installTranslator(translator)
            _qt_translators.append(translator)
    QLocale.setDefault(QLocale(code))
    if remember:
        QSettings().setValue(SETTINGS_KEY, code)
    i18n.set_language(code)
    # QApplication passes this on to every window, which passes it to its children.
    QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
    if isinstance(app, QApplication):
        retranslate_qt_parts()
    return code
