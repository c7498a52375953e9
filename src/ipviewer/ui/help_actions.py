"""The Help menu's jobs and Edit → Preferences… for a main window (the actions' slots:
``help_actions.manual`` …). Each window keeps one manual window and one About dialog; the
dialogs are built when first asked for."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow

from .autosave import Autosave


class HelpActions(QObject):
    """Manual (F1), Keyboard Shortcuts, About, Preferences — and autosave, which follows
    the preferences."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.autosave = Autosave(window)
        self.help_window = None
        self.about_dialog = None
        self.shortcuts_dialog = None

    def manual(self, page: str | None = None):
        """Show the manual: ``page``, else the page about the part that has the focus."""
        from .help_window import HelpWindow, focused_page
        from .shortcuts_dialog import shortcuts_html

        chosen = page or focused_page(self.window)
        if self.help_window is None:
            self.help_window = HelpWindow(self.window)
            registry = getattr(self.window, "registry", None)
            self.help_window.browser.generators["shortcuts"] = lambda: shortcuts_html(registry)
        self.help_window.show_page(chosen)
        return self.help_window

    def shortcuts(self):
        """Help → Keyboard Shortcuts (not modal: it can stay open while working)."""
        from .shortcuts_dialog import ShortcutsDialog

        if self.shortcuts_dialog is None:
            self.shortcuts_dialog = ShortcutsDialog(getattr(self.window, "registry", None),
                                                    self.window)
        self.shortcuts_dialog.show()
        self.shortcuts_dialog.raise_()
        return self.shortcuts_dialog

    def about(self):
        """Help → About."""
        from .about_dialog import AboutDialog

        if self.about_dialog is None:
            self.about_dialog = AboutDialog(self.window)
        self.about_dialog.show()
        self.about_dialog.raise_()
        return self.about_dialog

    def preferences(self, dialog: QDialog | None = None):
        """Edit → Preferences…: a window-modal dialog (``dialog``: one already built)."""
        from .preferences_dialog import PreferencesDialog

        dialog = dialog or PreferencesDialog(self.window)
        dialog.applied.connect(follow_everywhere)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog


def follow_everywhere(chosen) -> None:
    """Every open report window takes the new preferences (autosave's interval)."""
    for widget in QApplication.topLevelWidgets():
        actions = getattr(widget, "help_actions", None)
        if isinstance(actions, HelpActions):
            actions.autosave.follow(chosen)
