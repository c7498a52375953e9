"""Building the main window: its central widgets, actions, menus, their texts in the UI
language (``translateUI``), and the layout and recent files it remembers. A mixin of
:class:`~.main_window.MainWindow`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from .. import i18n
from ..i18n import _
from .editor_pane import EditorPane
from .indicator_view import IndicatorTableView
from .language import apply_language
from .reading_view import ReadingView

#: How many reports File → Open Recent lists.
RECENT_COUNT = 8


class WindowBuilding:
    """The parts of the window and their texts (mixed into the main window)."""

    def _make_central(self) -> None:
        self.tree_view = QTreeView()
        self.tree_view.setObjectName("structureTree")
        self.tree_view.setUniformRowHeights(True)
        self.tree_view.setAlternatingRowColors(True)
        self.tree_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree_view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                       | QAbstractItemView.EditTrigger.DoubleClicked)
        self.tree_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.editor = EditorPane()
        self.editor.fieldEdited.connect(self._field_edited)
        self.text_view = ReadingView()
        self.text_view.figureClicked.connect(self.select_indicator)
        self.text_view.figureHovered.connect(self._figure_hovered)
        self.text_tabs = QTabWidget()
        self.text_tabs.setObjectName("textTabs")
        self.text_tabs.addTab(self.editor, "")
        self.text_tabs.addTab(self.text_view, "")
        self.text_tabs.currentChanged.connect(lambda _i: self._render_reading_view())

        self.table_view = IndicatorTableView()
        self.table_view.setObjectName("indicatorTable")
        self.table_caption = QLabel()
        self.table_caption.setObjectName("indicatorCaption")
        node_box = QWidget()
        node_layout = QVBoxLayout(node_box)
        node_layout.setContentsMargins(0, 0, 0, 0)
        node_layout.addWidget(self.table_caption)
        node_layout.addWidget(self.table_view)

        self.all_view = IndicatorTableView()
        self.all_view.setObjectName("allIndicatorsTable")
        self.filter_box = QLineEdit()
        self.filter_box.setObjectName("indicatorFilter")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(lambda text: self.all_model.set_filter(text))
        self.year_box = QComboBox()
        self.year_box.setObjectName("indicatorYear")
        self.year_box.currentIndexChanged.connect(
            lambda _i: self.all_model.set_year(self.year_box.currentData()))
        self.all_caption = QLabel()
        all_box = QWidget()
        all_layout = QVBoxLayout(all_box)
        all_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_box, 1)
        filters.addWidget(self.year_box)
        filters.addWidget(self.all_caption)
        all_layout.addLayout(filters)
        all_layout.addWidget(self.all_view)
        self.table_tabs = QTabWidget()
        self.table_tabs.setObjectName("tableTabs")
        self.table_tabs.addTab(node_box, "")
        self.table_tabs.addTab(all_box, "")

        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("rightSplitter")
        right.addWidget(self.text_tabs)
        right.addWidget(self.table_tabs)
        right.setSizes([460, 340])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tree_view)
        self.splitter.addWidget(right)
        self.splitter.setSizes([380, 980])
        self.setCentralWidget(self.splitter)

        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMaximumWidth(320)
        self.search_box.returnPressed.connect(self.find_next)

    def _make_actions(self) -> None:
        def action(slot, shortcut=None, *, parent_widget=None) -> QAction:
            act = QAction(self)
            if shortcut is not None:
                act.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
            act.triggered.connect(slot)
            (parent_widget or self).addAction(act)
            return act

        keys = QKeySequence.StandardKey
        self.open_action = action(self.choose_report, QKeySequence(keys.Open))
        self.save_action = action(self.save, QKeySequence(keys.Save))
        self.export_action = action(self.choose_export, QKeySequence("Ctrl+E"))
        self.new_year_action = action(self.choose_next_year)
        self.quit_action = action(self.close, QKeySequence(keys.Quit))
        self.undo_action = action(self.undo_stack.undo, QKeySequence(keys.Undo))
        self.redo_action = action(self.undo_stack.redo, [QKeySequence("Ctrl+Shift+Z"),
                                                         QKeySequence("Ctrl+Y")])
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_stack.indexChanged.connect(self._update_undo_texts)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.add_part_action = action(lambda: self.add_node("part"))
        self.add_section_action = action(lambda: self.add_node("section"))
        self.add_paragraph_action = action(lambda: self.add_node("paragraph"),
                                           QKeySequence("Ctrl+Return"))
        self.delete_action = action(self.delete_current)
        self.move_up_action = action(lambda: self.move_current(-1), QKeySequence("Alt+Up"))
        self.move_down_action = action(lambda: self.move_current(1), QKeySequence("Alt+Down"))
        self.rename_action = action(lambda: self.tree_view.edit(self.tree_view.currentIndex()))
        self.rename_action.setShortcut(QKeySequence("F2"))
        self.delete_action.setShortcut(QKeySequence(keys.Delete))
        for act in (self.rename_action, self.delete_action):  # not while typing a text
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.tree_view.addActions([self.add_paragraph_action, self.add_section_action,
                                   self.add_part_action, self.rename_action,
                                   self.move_up_action, self.move_down_action,
                                   self.delete_action])
        self.find_action = action(lambda: (self.search_box.setFocus(),
                                           self.search_box.selectAll()),
                                  QKeySequence(keys.Find))
        self.checks_action = action(self.run_checks, QKeySequence("F5"))
        self.glossary_action = action(self.show_glossary, QKeySequence("Ctrl+G"))
        self.about_action = action(self._about)

        toolbar = self.addToolBar("main")
        toolbar.setObjectName("mainToolbar")
        for act in (self.save_action, self.undo_action, self.redo_action):
            toolbar.addAction(act)
        toolbar.addSeparator()
        for act in (self.add_paragraph_action, self.delete_action):
            toolbar.addAction(act)
        toolbar.addSeparator()
        for act in (self.checks_action, self.export_action):
            toolbar.addAction(act)
        toolbar.addSeparator()
        toolbar.addWidget(self.search_box)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.open_action)
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.file_menu.addAction(self.save_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.export_action)
        self.file_menu.addAction(self.new_year_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.edit_menu = bar.addMenu("")
        for act in (self.undo_action, self.redo_action, None, self.add_paragraph_action,
                    self.add_section_action, self.add_part_action, self.rename_action,
                    self.move_up_action, self.move_down_action, self.delete_action, None,
                    self.find_action):
            self.edit_menu.addSeparator() if act is None else self.edit_menu.addAction(act)

        self.view_menu = bar.addMenu("")
        self.language_menu = self.view_menu.addMenu("")
        self.language_actions = QActionGroup(self)
        for code, name in i18n.LANGUAGES.items():
            act = QAction(name, self, checkable=True)  # each language in its own words
            act.setData(code)
            act.triggered.connect(lambda _checked, c=code: apply_language(c))
            self.language_actions.addAction(act)
            self.language_menu.addAction(act)
        for dock in (self.issues_panel, self.chart_pane, self.preview_dock):
            self.view_menu.addAction(dock.toggleViewAction())

        self.tools_menu = bar.addMenu("")
        self.tools_menu.addAction(self.checks_action)
        self.tools_menu.addAction(self.glossary_action)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.about_action)

    def translateUI(self) -> None:
        """Set every visible string in the current UI language (called on each switch)."""
        texts = {
            self.open_action: _("&Open…"), self.save_action: _("&Save"),
            self.export_action: _("&Export PDF…"),
            self.new_year_action: _("Start &Next Year's Report…"),
            self.quit_action: _("&Quit"),
            self.add_part_action: _("Add &Part"), self.add_section_action: _("Add &Section"),
            self.add_paragraph_action: _("Add Para&graph"),
            self.rename_action: _("&Rename"), self.delete_action: _("&Delete"),
            self.move_up_action: _("Move &Up"), self.move_down_action: _("Move Do&wn"),
            self.find_action: _("&Find…"), self.glossary_action: _("&Glossary…"),
            self.checks_action: _("Run &Checks"), self.about_action: _("&About ipviewer"),
            self.issues_panel.toggleViewAction(): _("&Issues"),
            self.chart_pane.toggleViewAction(): _("C&hart"),
            self.preview_dock.toggleViewAction(): _("PDF &Preview"),
        }
        for act, text in texts.items():
            act.setText(text)
        self._update_undo_texts()
        for menu, text in ((self.file_menu, _("&File")), (self.recent_menu, _("Open &Recent")),
                           (self.edit_menu, _("&Edit")), (self.view_menu, _("&View")),
                           (self.language_menu, _("&Language")), (self.tools_menu, _("&Tools")),
                           (self.help_menu, _("&Help"))):
            menu.setTitle(text)
        self.preview_dock.setWindowTitle(_("PDF Preview"))
        self.text_tabs.setTabText(0, _("Edit"))
        self.text_tabs.setTabText(1, _("Read"))
        self.table_tabs.setTabText(0, _("Indicators of This Part"))
        self.table_tabs.setTabText(1, _("All Indicators"))
        self.filter_box.setPlaceholderText(_("Filter by name or key"))
        self.search_box.setPlaceholderText(_("Find in both languages (Ctrl+F)"))
        if self.year_box.count():
            self.year_box.setItemText(0, _("All years"))
        self.menuBar().updateGeometry()  # Chinese titles may be taller than the Latin ones
        self.layout().activate()
        for act in self.language_actions.actions():
            act.setChecked(act.data() == i18n.current_language())
        self._update_title()
        self._update_status()
        self._render_reading_view()
        self._update_caption()
        self.tree_model.retranslate()
        self.indicator_model.retranslate()
        self.all_model.retranslate()

    @staticmethod
    def _undo_text(command_text: str, plain: str) -> str:
        return f"{plain.replace('&', '')}: {command_text}" if command_text else plain

    def _update_undo_texts(self) -> None:
        self.undo_action.setText(self._undo_text(self.undo_stack.undoText(), _("&Undo")))
        self.redo_action.setText(self._undo_text(self.undo_stack.redoText(), _("&Redo")))

    def _save_layout(self) -> None:
        settings = QSettings()
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        settings.setValue("mainWindow/state", self.saveState())
        settings.setValue("mainWindow/splitter", self.splitter.saveState())

    def _restore_layout(self) -> None:
        settings = QSettings()
        for key, restore in (("mainWindow/geometry", self.restoreGeometry),
                             ("mainWindow/state", self.restoreState),
                             ("mainWindow/splitter", self.splitter.restoreState)):
            value = settings.value(key)
            if isinstance(value, QByteArray | bytes):
                restore(value)

    def recent_files(self) -> list[Path]:
        """Reports opened lately, newest first."""
        value = QSettings().value("recentFiles", [])
        paths = [value] if isinstance(value, str) else list(value or [])
        return [Path(p) for p in paths]

    def _remember_recent(self, path: Path) -> None:
        paths = [str(path)] + [str(p) for p in self.recent_files() if p != path]
        QSettings().setValue("recentFiles", paths[:RECENT_COUNT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_files():
            act = self.recent_menu.addAction(str(path))
            act.setEnabled(path.exists())
            act.triggered.connect(lambda _checked, p=path: self.open_report(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction(_("No recent reports")).setEnabled(False)


def dock(parent: QMainWindow, widget: QWidget, name: str) -> QDockWidget:
    dock = QDockWidget(parent)
    dock.setObjectName(name)
    dock.setWidget(widget)
    return dock
