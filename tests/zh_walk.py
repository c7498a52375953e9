"""Walking a Chinese UI for English: what every widget shows, and every dialog opened.

Shared by ``test_gui_zh_walk.py`` (no English in the Chinese UI) and
``test_gui_keyboard_a11y.py`` (the same walk, for accessible names). A dialog is caught
where every dialog passes: ``QDialog.exec``/``open`` and the static helpers of
QMessageBox, QFileDialog, QInputDialog, QColorDialog and QFontDialog, so a dialog added
later is walked without a change here.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QCategoryAxis, QChartView
from PySide6.QtCore import QAbstractItemModel, QEvent, Qt
from PySide6.QtGui import QAction, QColor, QFont, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QColorDialog,
    QComboBox,
    QDialog,
    QDockWidget,
    QDoubleSpinBox,
    QFileDialog,
    QFontDialog,
    QGroupBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from ipviewer.i18n import LANGUAGES

#: Latin words a Chinese UI may show: names, formats, keys, units and figures' own words.
ALLOWED_LATIN = {
    "ipviewer", "pdf", "csv", "xlsx", "xliff", "json", "po", "pot", "sqlite", "txt", "md",
    "docx", "png", "gettext", "utf", "html", "rgb", "cmyk", "fogra", "hsv", "tbx", "tmx", "xml", "qt", "pct", "rmb", "usd", "eur", "id", "url",
    # key names (QKeySequence in the native text)
    "ctrl", "shift", "alt", "meta", "del", "delete", "ins", "esc", "tab", "backspace",
    "return", "enter", "space", "home", "end", "pgup", "pgdown", "up", "down", "left",
    "right", "print",
}
#: Names of products, formats and fonts a Chinese UI names as they are.
PRODUCTS = ("Qt for Python", "Qt Charts", "Qt PDF", "PySide6", "Python", "Noto Serif SC",
            "Noto Sans SC", "TrueType", "OpenType", "Excel", "MIT")
#: What is quoted is the report's (or the user's) own text, cited: not UI wording; a
#: command in backticks is typed as it is.
QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|\"[^\"]*\"|「[^」]*」|『[^』]*』|«[^»]*»|`[^`]*`")
#: The user's own names (the login name a field offers, the home folder).
LOCAL_NAMES = {getpass.getuser(), Path.home().name}
#: ... and their parts, as the walk splits words (a login name such as ``ipviewer-ci``).
LOCAL_NAMES |= {part for name in LOCAL_NAMES for part in re.split(r"[^A-Za-z0-9]+", name)
                if part}
#: File names and paths: ``/tmp/x/report.sqlite``, ``report-2025.sqlite``, ``*.pdf``.
PATHS = re.compile(r"(?:[A-Za-z]:)?[\w.~-]*[/\\][^\s，。；：（）()]*|[\w*.-]+\.[A-Za-z]{1,8}\b"
                   r"|(?<!\w)\.[A-Za-z0-9]{1,5}\b")
#: An indicator key or another identifier: ``patents_granted``, ``{{key:yoy}}``.
IDENTIFIERS = re.compile(r"\{\{[^}]*\}\}|\b\w*_\w*\b|\[\?[^\]]*\]")
WORD = re.compile(r"[A-Za-z]{2,}")
TAGS = re.compile(r"<[^>]+>")


def english_words(text: str, content: Iterable[str] = ()) -> list[str]:
    """The English words in ``text`` that a Chinese UI should not show (``content``: texts
    of the report itself that may appear inside it, as they are)."""
    if not text:
        return []
    if "<" in text and ">" in text:
        document = QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()
    for piece in (*sorted(content, key=len, reverse=True), *PRODUCTS):
        # whole phrases and products; the content's words are checked one by one
        if (" " in piece.strip() or piece in PRODUCTS) and piece in text:
            text = text.replace(piece, " ")
    text = IDENTIFIERS.sub(" ", PATHS.sub(" ", QUOTED.sub(" ", text)))
    return [w for w in WORD.findall(text)
            if w.lower() not in ALLOWED_LATIN and w not in LOCAL_NAMES]


@dataclass
class Shown:
    """One string shown, and where (for the failure message)."""

    where: str
    text: str
    content: bool = False  #: a cell of a model: may hold the report's own words


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}#{widget.objectName() or '?'}"


def action_strings(action: QAction, where: str) -> Iterator[Shown]:
    """An action's text, tooltip and status tip (and its menu's, for a submenu)."""
    if action.isSeparator():
        return
    label = f"{where} action {action.objectName() or action.text()!r}"
    own_name = action.data() in LANGUAGES  # View → Language: each language in its own words
    for text in (action.text(), action.toolTip(), action.statusTip(), action.whatsThis(),
                 action.iconText()):
        yield Shown(label, text.replace("&", ""), content=own_name)
    if action.menu() is not None:
        yield Shown(label + " menu", action.menu().title().replace("&", ""))


def model_strings(model: QAbstractItemModel | None, where: str, rows: int = 40
                  ) -> Iterator[Shown]:
    """Header labels (all) and the first ``rows`` rows' texts and tooltips of a model."""
    if model is None:
        return
    from PySide6.QtCore import QModelIndex

    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model: one column (its columnCount is private)
        columns = 1
    for column in range(columns):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = model.headerData(column, Qt.Orientation.Horizontal, role)
            if isinstance(value, str):
                yield Shown(f"{where} header {column}", value)
    stack = [(model.index(r, 0), r) for r in range(min(model.rowCount(QModelIndex()), rows))]
    seen = 0
    while stack and seen < rows * 3:
        index, _row = stack.pop(0)
        seen += 1
        for column in range(columns):
            cell = index.siblingAtColumn(column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                         Qt.ItemDataRole.AccessibleTextRole):
                value = cell.data(role)
                if isinstance(value, str):
                    yield Shown(f"{where} cell ({index.row()},{column})", value, content=True)
        try:
            below = model.hasChildren(index) and not model.canFetchMore(index)
        except TypeError:  # a table or list model: no children
            below = False
        if below:
            stack += [(model.index(r, 0, index), r) for r in range(min(model.rowCount(index),
                                                                       3))]


def chart_strings(view: QChartView, where: str) -> Iterator[Shown]:
    """A chart's title, axis titles and axis labels."""
    chart = view.chart()
    yield Shown(where + " chart title", chart.title(), content=True)
    for axis in chart.axes():
        yield Shown(where + " axis title", axis.titleText())
        if isinstance(axis, QCategoryAxis):
            for label in axis.categoriesLabels():
                yield Shown(where + " axis label", label)
        elif isinstance(axis, QBarCategoryAxis):
            for label in axis.categories():
                yield Shown(where + " axis label", label)


def hidden_tab_bar(bar: QTabBar) -> bool:
    """A tab bar no one sees: hidden, or under another widget (QMainWindow leaves the tab
    bar of docks tabified earlier behind the docks)."""
    if not bar.isVisible():
        return True
    window = bar.parentWidget()
    if isinstance(window, QMainWindow):  # Qt keeps the tab bars it uses named as the docks
        titles = {dock.windowTitle() for dock in window.findChildren(QDockWidget)}
        if any(bar.tabText(i) not in titles for i in range(bar.count())):
            return True
    top = bar.window()
    hit = top.childAt(bar.mapTo(top, bar.rect().center()))
    return hit is not None and hit is not bar and not bar.isAncestorOf(hit)


def widget_strings(root: QWidget, skip: Callable[[QWidget], bool] = lambda w: False
                   ) -> Iterator[Shown]:
    """Every string ``root`` and its children show (the report's text fields left out by
    ``skip``; their placeholders and names are still read)."""
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QTabBar) and widget is not root and hidden_tab_bar(widget):
            continue  # a main window keeps the tab bars of docks tabified before, unused
        where = _name(widget)
        if widget.isWindow() or isinstance(widget, QDockWidget):
            yield Shown(where + " title", widget.windowTitle(), content=True)
        for text in (widget.toolTip(), widget.statusTip(), widget.whatsThis(),
                     widget.accessibleName(), widget.accessibleDescription()):
            yield Shown(where, text, content=isinstance(widget, QAbstractItemView))
        for action in widget.actions():
            yield from action_strings(action, where)
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and not skip(widget)):
            yield Shown(where + " text", widget.text().replace("&", ""))
        elif isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
            yield Shown(where + " placeholder", widget.placeholderText())
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield Shown(f"{where} item {i}", widget.itemText(i), content=True)
        elif isinstance(widget, QGroupBox | QMenu):
            yield Shown(where + " title", widget.title().replace("&", ""))
        elif isinstance(widget, QSpinBox | QDoubleSpinBox):
            yield Shown(where + " suffix", widget.suffix() + " " + widget.prefix() + " "
                        + widget.specialValueText())
        elif isinstance(widget, QAbstractSpinBox):
            yield Shown(where + " special", widget.specialValueText())
        elif isinstance(widget, QChartView):
            yield from chart_strings(widget, where)
        if isinstance(widget, QTabWidget | QTabBar):
            for i in range(widget.count()):
                yield Shown(f"{where} tab {i}", widget.tabText(i).replace("&", ""))
                yield Shown(f"{where} tab {i} tip", widget.tabToolTip(i))
        if isinstance(widget, QAbstractItemView) and not skip(widget):
            yield from model_strings(widget.model(), where)


@dataclass
class DialogRecorder:
    """Records each dialog the UI opens (and answers it: cancel, or a prepared answer)."""

    widgets: list[QWidget] = field(default_factory=list)
    strings: list[Shown] = field(default_factory=list)
    #: what the next file dialog answers (a path, or "" for cancel)
    file_answer: str = ""
    walked: list[Shown] = field(default_factory=list)
    #: called with each dialog before it is answered (a test's own look at it)
    inspect: Callable[[QWidget], None] | None = None

    def install(self, monkeypatch) -> None:
        """Patch every way a dialog is shown (undone by ``monkeypatch``)."""
        recorder = self

        def exec_(self, *args, **kwargs):
            recorder.catch(self, "exec")
            return 0

        def open_(self, *args, **kwargs):
            recorder.catch(self, "open")
            self.reject()

        for cls in (QDialog, QMessageBox, QFileDialog, QInputDialog, QColorDialog,
                    QFontDialog):
            monkeypatch.setattr(cls, "exec", exec_)
            monkeypatch.setattr(cls, "exec_", exec_, raising=False)
            monkeypatch.setattr(cls, "open", open_)

        def box(kind, answer):
            def static(parent, title, text, *args, **kwargs):
                recorder.note(f"QMessageBox.{kind}", title, text)
                return answer
            return static

        Button = QMessageBox.StandardButton
        for kind, answer in (("question", Button.Cancel), ("warning", Button.Ok),
                             ("critical", Button.Ok), ("information", Button.Ok),
                             ("about", None)):
            monkeypatch.setattr(QMessageBox, kind, staticmethod(box(kind, answer)))

        def file_dialog(kind, many=False):
            def static(parent=None, caption="", folder="", filter="", *args, **kwargs):
                recorder.note(f"QFileDialog.{kind}", caption, kwargs.get("filter", filter))
                answer, recorder.file_answer = recorder.file_answer, ""
                if kind == "getExistingDirectory":
                    return answer
                return ([answer] if answer else [], "") if many else (answer, "")
            return static

        for kind in ("getOpenFileName", "getSaveFileName"):
            monkeypatch.setattr(QFileDialog, kind, staticmethod(file_dialog(kind)))
        monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                            staticmethod(file_dialog("getOpenFileNames", many=True)))
        monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                            staticmethod(file_dialog("getExistingDirectory")))

        def input_dialog(kind):
            def static(parent, title, label, *args, **kwargs):
                recorder.note(f"QInputDialog.{kind}", title, label)
                return ("", False) if kind in ("getText", "getMultiLineText", "getItem") \
                    else (0, False)
            return static

        for kind in ("getText", "getMultiLineText", "getItem", "getInt", "getDouble"):
            monkeypatch.setattr(QInputDialog, kind, staticmethod(input_dialog(kind)))

        def color(*args, **kwargs):
            recorder.note("QColorDialog.getColor", *[a for a in args if isinstance(a, str)])
            return QColor()

        def font(*args, **kwargs):
            recorder.note("QFontDialog.getFont", *[a for a in args if isinstance(a, str)])
            return False, QFont()

        monkeypatch.setattr(QColorDialog, "getColor", staticmethod(color))
        monkeypatch.setattr(QFontDialog, "getFont", staticmethod(font))

    def catch(self, dialog: QWidget, how: str) -> None:
        """A dialog about to be shown: walk it now (it may be gone once answered)."""
        self.widgets.append(dialog)
        if self.inspect is not None:
            self.inspect(dialog)
        self.walked += [Shown(f"{how} {s.where}", s.text, s.content)
                        for s in widget_strings(dialog)]

    def note(self, origin: str, *texts: str) -> None:
        """The strings a static dialog helper was given."""
        self.strings += [Shown(origin, t or "") for t in texts if isinstance(t, str)]


def top_level_windows() -> list[QWidget]:
    """The visible top-level windows (the main window, a glossary, a comparison …)."""
    return [w for w in QApplication.topLevelWidgets()
            if w.isVisible() and not isinstance(w, QMenu) and w.isWindow()]


#: Actions that end the window's report: Close last (its start screen is walked), Quit never.
ENDING = ("close_report", "quit")
#: Not triggered by the walk: Save runs a nested event loop, and one CI run crashed inside
#: it (saving.run_save) — most likely the double delete of a completer's popup that
#: close_other_windows used to cause, which crashed wherever deferred deletes next ran.
#: Its "Saving…" dialog shows only after 400 ms; its strings are marked and translated
#: (tests/test_i18n.py), and Save itself is driven by tests/test_gui_files.py.
SKIPPED = ("save",)


def trigger_every_action(window, recorder: DialogRecorder, qtbot, other_report,
                         after: Callable[[str], None]) -> None:
    """Trigger each action of the main window's registry (but Quit), the indicator tables',
    the preview's and the glossary window's; ``after(label)`` once each is done. Compare
    With… is answered with ``other_report`` and waits for its window."""
    def done(label: str) -> None:
        QApplication.processEvents()
        after(label)

    window.tree_view.setCurrentIndex(window.tree_model.index(1, 0))  # Part I
    done("opening")
    for action_id in window.registry:
        if action_id in ENDING or action_id in SKIPPED:
            continue
        if action_id == "compare":
            recorder.file_answer = str(other_report)
        window.tree_view.setFocus()
        window.registry[action_id].trigger()
        if action_id == "compare":
            qtbot.waitUntil(lambda: any(type(w).__name__ == "CompareWindow"
                                        for w in top_level_windows()), timeout=20000)
        if action_id == "checks":
            window.issues_panel.wait()
        done(action_id)
        if window.registry[action_id].isCheckable():  # a dock: shown again
            window.registry[action_id].trigger()
    window.issues_panel.wait()
    for view in (window.indicators.node_view, window.indicators.all_view):
        view.setFocus()
        view.setCurrentIndex(view.model().index(0, 2))
        for action_id in view.registry:
            view.registry[action_id].trigger()
            done(f"table {action_id}")
    for action_id in window.preview.registry:
        window.preview.registry[action_id].trigger()
        done(f"preview {action_id}")
    if window.glossary_window is None:
        window.show_glossary()
    glossary = window.glossary_window
    for action_id in glossary.registry:
        glossary.registry[action_id].trigger()
        done(f"glossary {action_id}")
    for action_id in ENDING:  # the report closed last: what the window shows then
        if action_id in window.registry and action_id != "quit":
            window.undo_stack.setClean()  # nothing to ask about
            window.registry[action_id].trigger()
            done(action_id)


def close_other_windows(keep: QWidget | None = None) -> None:
    """Close and delete every top-level window but ``keep`` now, then collect the garbage,
    all in the GUI thread: a window left in a reference cycle would otherwise be freed by
    the garbage collector in whichever thread runs next (a worker: Qt aborts).

    Popups are not windows of ours: a QCompleter's list is a parentless popup that its
    completer deletes itself; deleting it here made the completer delete it a second time
    (a segfault in a later test's event loop, where the deferred deletes finally ran)."""
    import gc

    internal = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)
    for widget in QApplication.topLevelWidgets():
        if (widget is not keep and widget.parentWidget() is None  # children go with keep
                and widget.windowType() not in internal and not isinstance(widget, QMenu)):
            widget.close()
            widget.deleteLater()
    # DeferredDelete is not among the events processEvents or sendPostedEvents(None, 0)
    # deliver: ask for it by name, or the windows live on into the next test
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    gc.collect()
