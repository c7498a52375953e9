"""The whole UI in Chinese shows no English: every action, menu, widget, model header,
dialog (ours and Qt's own), status message, undo label, count and chart axis.

The walk is generic (``zh_walk.py``): every action of the main window's registry, the
preview's, the tables' and the glossary window's is triggered, and every dialog or window
that appears is walked, so a dialog added later is covered without editing this test. The
report's own words (titles, texts, indicator labels, quoted text) and a short list of Latin
(ipviewer, PDF, key names, file names, indicator keys) are allowed.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QColorDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWidget,
)

from ipviewer import i18n
from ipviewer.model import OVERVIEW_NAMES
from ipviewer.terms.glossary import Glossary
from ipviewer.ui.bound_text_edit import BoundTextEdit
from ipviewer.ui.language import apply_language
from ipviewer.ui.main_window import MainWindow
from ipviewer.ui.opening import open_report
from ipviewer.ui.reading_view import ReadingView
from zh_walk import (
    DialogRecorder,
    Shown,
    close_other_windows,
    english_words,
    top_level_windows,
    trigger_every_action,
    widget_strings,
)


def report_words(*paths) -> set[str]:
    """The report's own texts (both languages), labels, units and keys: content the UI
    shows as it is."""
    found: set[str] = set()
    for path in paths:
        with contextlib.closing(sqlite3.connect(path)) as db:
            for row in db.execute("SELECT title_en, title_zh, text_en, text_zh FROM nodes"):
                found.update(v for v in row if v)
            for row in db.execute("SELECT key, label_en, label_zh, unit FROM indicators"):
                found.update(v for v in row if v)
            for row in db.execute("SELECT * FROM report"):
                found.update(v for v in row if isinstance(v, str))
    words = {w for text in found for w in text.replace("{{", " ").replace("}}", " ").split()}
    return found | {w.strip(".,;:()“”\"'") for w in words}


def installed_names() -> set[str]:
    """The installed components' names and licences, as their metadata gives them (About
    lists them as they are)."""
    from importlib import metadata

    found: set[str] = set()
    for dist in metadata.distributions():
        meta = dist.metadata
        found.update(v for v in (meta.get("Name"), meta.get("License"),
                                 meta.get("License-Expression")) if v and len(v) < 200)
        found.update(c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                     if c.startswith("License"))
    return found


def glossary_words(glossary: Glossary) -> set[str]:
    """The glossary's own terms and notes (its English side is content, as the report's)."""
    found = {"new term"}  # a term added in the window starts as this English placeholder
    with open(glossary.path, encoding="utf-8") as handle:
        for line in handle:
            found.update(re.findall(r'"([^"]+)"', line))
            if line.startswith("#"):
                found.add(line.lstrip("#,. ").strip())
    return found


def is_content_widget(widget: QWidget) -> bool:
    """The report's texts (edited or read): what they hold is the report, not the UI."""
    return isinstance(widget, BoundTextEdit | ReadingView) or (
        widget.objectName() in ("title_en", "title_zh"))


#: Words of the report's English edition written in by the number formats (figures' own).
FIGURE_WORDS = {"million", "billion", "thousand", "nearly", "over", "exceed", "exceeding",
                "more", "than", "almost", "about", "up", "down", "year", "on", "yoy"}
ROMAN = re.compile(r"^[IVXLC]+$")


class Walk:
    """What a Chinese window showed, and the English found in it."""

    def __init__(self, content: set[str]) -> None:
        self.content = content | set(OVERVIEW_NAMES.values()) | set(i18n.LANGUAGES.values())
        self.words = {w for c in self.content for w in re.findall("[A-Za-z]+", c)}
        self.prefixes = {w[:n].lower() for w in self.words for n in range(2, len(w) + 1)}
        self.found: dict[str, str] = {}

    def is_content(self, word: str) -> bool:
        """A word of the report's own (perhaps cut short by an ellipsis)."""
        return (word.lower() in self.prefixes or word.lower() in FIGURE_WORDS
                or ROMAN.match(word) is not None)

    def check(self, shown: list[Shown]) -> None:
        for item in shown:
            allowed = self.content if item.content else ()
            english = english_words(item.text, allowed)
            if item.content:
                english = [w for w in english if not self.is_content(w)]
            if english:
                self.found.setdefault(f"{item.where}: {item.text[:300]!r}", " ".join(english))

    def widget(self, widget: QWidget) -> None:
        self.check(list(widget_strings(widget, is_content_widget)))

    def report(self) -> str:
        return "\n".join(f"  {where} -> {words}" for where, words in sorted(self.found.items()))


@pytest.fixture
def chinese(app):
    apply_language("zh_CN", remember=False)
    yield
    apply_language("en", remember=False)
    QApplication.processEvents()


@pytest.fixture
def recorder(monkeypatch):
    recorder = DialogRecorder()
    recorder.install(monkeypatch)
    return recorder


@pytest.fixture(params=["opened in Chinese", "switched to Chinese"])
def zh_window(request, app, qtbot, sample_copy, tmp_path, glossary_file, recorder,
              monkeypatch):
    """An editable window on the sample, with a glossary: opened in Chinese, or opened in
    English and switched from View → Language (every string set again, live)."""
    live = request.param == "switched to Chinese"
    apply_language("en" if live else "zh_CN", remember=False)
    opened = open_report(sample_copy, tmp_path / "recovery")
    window = MainWindow(opened, Glossary.load(glossary_file))
    window.show()
    window.issues_panel.wait()
    if live:
        window.indicators.node_view.setCurrentIndex(window.indicators.node_model.index(0, 2))
        window.show_glossary()
        next(a for a in window.registry.language_group.actions()
             if a.data() == "zh_CN").trigger()
        QApplication.processEvents()
        window.issues_panel.wait()
    yield window
    window.undo_stack.setClean()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    close_other_windows(keep=window)
    window.close()
    apply_language("en")  # and remembered: View → Language saved Chinese for the next start
    QApplication.processEvents()


def walk_everything(window: MainWindow, walk: Walk, recorder: DialogRecorder,
                    qtbot, other_report) -> None:
    """Trigger each action of every registry; walk what appears after each."""
    def after(label: str) -> None:
        for widget in top_level_windows():
            walk.widget(widget)
        walk.check([Shown(f"status bar after {label}", window.statusBar().currentMessage())])

    trigger_every_action(window, recorder, qtbot, other_report, after)
    walk.check(recorder.strings)
    walk.check(recorder.walked)


def test_the_chinese_window_shows_no_english(zh_window, recorder, qtbot, next_year_copy,
                                             sample_copy):
    window = zh_window
    assert i18n.current_language() == "zh_CN"
    walk = Walk(report_words(sample_copy, next_year_copy, window.store.path)
                | glossary_words(window.glossary) | installed_names())
    # A figure chosen: the chart shows its axis.
    window.indicators.node_view.setCurrentIndex(window.indicators.node_model.index(0, 2))
    walk_everything(window, walk, recorder, qtbot, next_year_copy)
    walked = {type(w).__name__ for w in recorder.widgets}
    assert "ExportDialog" in walked, walked
    assert not walk.found, "English in the Chinese UI:\n" + walk.report()


def test_every_edit_is_named_in_chinese(zh_window, qtbot):
    """The undo stack's labels (and the Undo action's text) after an edit of each kind."""
    window = zh_window
    window.tree_view.setCurrentIndex(window.tree_model.index(1, 0))
    qtbot.keyClicks(window.editor.titles["en"], " more")
    window.tree_view.setCurrentIndex(window.tree_model.index(0, 0, window.tree_model.index(0, 0)))
    window.editor.texts["zh"].setFocus()
    qtbot.keyClicks(window.editor.texts["zh"], "x")
    model = window.indicators.node_model
    model.setData(model.index(0, 2), "150900", Qt.ItemDataRole.EditRole)
    for action_id in ("add_paragraph", "move_up", "move_down", "confirm_unchanged",
                      "delete"):
        window.tree_view.setFocus()
        window.registry[action_id].trigger()
    window.glossary_window = None
    window.show_glossary()
    window.glossary_window.registry["add"].trigger()
    stack, glossary = window.undo_stack, window.glossary_window.undo_stack  # each its own
    assert stack.count() >= 6 and glossary.count() >= 1
    walk = Walk(glossary_words(window.glossary))  # "Add “new term”": the term is quoted
    walk.check([Shown(f"undo command {i}", s.text(i)) for s in (stack, glossary)
                for i in range(s.count())])
    walk.check([Shown("glossary undo", window.glossary_window.registry["undo"].text())])
    walk.check([Shown("undo action", window.registry["undo"].text().replace("&", "")),
                Shown("redo action", window.registry["redo"].text().replace("&", ""))])
    stack.undo()
    walk.check([Shown("redo action", window.registry["redo"].text().replace("&", ""))])
    assert not walk.found, "English undo labels:\n" + walk.report()


def test_the_undo_history_follows_a_switch(app, open_editor, qtbot):
    """Steps made in English are named in Chinese after a switch, and back."""
    window = open_editor()
    window.tree_view.setCurrentIndex(window.tree_model.index(1, 0))
    window.tree_view.setFocus()
    for action_id in ("add_paragraph", "move_up", "delete"):
        window.registry[action_id].trigger()
    english = [window.undo_stack.text(i) for i in range(window.undo_stack.count())]
    assert english[0].startswith("Add ") and "Move" in english
    try:
        apply_language("zh_CN", remember=False)
        QApplication.processEvents()
        chinese = [window.undo_stack.text(i) for i in range(window.undo_stack.count())]
        walk = Walk(set())
        walk.check([Shown(f"undo {i}", text) for i, text in enumerate(chinese)])
        walk.check([Shown("undo action", window.registry["undo"].text())])
        assert not walk.found, walk.report()
    finally:
        apply_language("en", remember=False)
        QApplication.processEvents()
    assert [window.undo_stack.text(i) for i in range(window.undo_stack.count())] == english


def test_qts_own_dialogs_are_chinese(chinese, qtbot):
    """Qt's translations (qtbase, shipped in the PySide6 wheel) are loaded: its message box
    buttons, file dialog and colour dialog speak Chinese."""
    box = QMessageBox(QMessageBox.Icon.Question, "标题", "正文",
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes
                      | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Ok)
    qtbot.addWidget(box)
    buttons = box.findChild(QDialogButtonBox)
    texts = [b.text().replace("&", "") for b in buttons.buttons()]
    assert not [t for t in texts if english_words(t)], texts
    files = QFileDialog(None, "打开")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(files)
    colours = QColorDialog()
    colours.setOption(QColorDialog.ColorDialogOption.DontUseNativeDialog)
    qtbot.addWidget(colours)
    walk = Walk({Path.home().name})  # the file dialog's places: folder names
    for dialog in (files, colours):
        dialog.show()
        walk.widget(dialog)
        dialog.hide()
    assert not walk.found, "English in Qt's own dialogs:\n" + walk.report()
    look_in = files.findChild(QLabel, "lookInLabel").text()
    assert look_in == "查找范围(&L)：", look_in  # Qt 6's new mnemonic, its old translation


def test_english_words_finder():
    assert english_words("保存(&S)") == [] and english_words("Save") == ["Save"]
    assert english_words("导出 PDF（Ctrl+E）") == []
    assert english_words("已保存 /tmp/x/report.sqlite") == []
    assert english_words("“patents granted”未翻译") == []
    assert english_words("指标 patents_granted") == []
    assert english_words("2 errors") == ["errors"]
    assert english_words("<b>English</b>") == ["English"]
    assert english_words("Part I › Improve the IP system. › 第2段",
                         {"Improve the IP system."}) == ["Part"]


# -- the source: a UI string not marked for translation -------------------------------------

#: Qt methods and classes that show a string, and the argument that holds it.
TEXT_ARGUMENTS: dict[str, tuple[int, ...]] = {
    "setText": (0,), "setToolTip": (0,), "setStatusTip": (0,), "setWhatsThis": (0,),
    "setWindowTitle": (0,), "setPlaceholderText": (0,), "setTitle": (0,),
    "setTabText": (1,), "setTabToolTip": (1,), "addTab": (1,), "insertTab": (2,),
    "addItem": (0,), "addItems": (0,), "insertItem": (1,), "showMessage": (0,),
    "setAccessibleName": (0,), "setAccessibleDescription": (0,), "setLabelText": (0,),
    "setSuffix": (0,), "setPrefix": (0,), "setSpecialValueText": (0,), "addRow": (0,),
    "setHeaderLabels": (0,), "setHorizontalHeaderLabels": (0,), "addAction": (0,),
    "addMenu": (0,), "setIconText": (0,), "setCancelButtonText": (0,),
    "setInformativeText": (0,), "setDetailedText": (0,), "setHtml": (0,),
    "QAction": (0,), "QLabel": (0,), "QPushButton": (0,), "QCheckBox": (0,),
    "QRadioButton": (0,), "QGroupBox": (0,), "QMenu": (0,), "QMessageBox": (1, 2),
    "QProgressDialog": (0, 1), "QListWidgetItem": (0,), "QStandardItem": (0,),
    # the static dialogs: (parent, title, text …), (parent, caption, folder, filter)
    "warning": (1, 2), "question": (1, 2), "information": (1, 2), "critical": (1, 2),
    "about": (1, 2), "getOpenFileName": (1, 3), "getSaveFileName": (1, 3),
    "getOpenFileNames": (1, 3), "getExistingDirectory": (1,), "getText": (1, 2),
    "getItem": (1, 2), "getInt": (1, 2), "getDouble": (1, 2),
}
#: Literal strings the UI may show as they are (names, not words).
LITERAL_OK = {"ipviewer", "A4", "PDF", "CSV", "XLSX"}
UI_SOURCE = Path(__file__).resolve().parents[1] / "src" / "ipviewer" / "ui"


def _literal_words(node) -> list[str]:
    """The Latin words of the literal text in an argument: a string, an f-string's fixed
    parts, a concatenation's pieces, a list of strings (``addItems``)."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = re.sub(r"<[^>]+>|&\w+;", " ", node.value)
        return [] if node.value in LITERAL_OK else re.findall(r"[A-Za-z]{2,}", text)
    if isinstance(node, ast.JoinedStr):
        return [w for part in node.values for w in _literal_words(part)]
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) + _literal_words(node.right)
    if isinstance(node, ast.List | ast.Tuple):
        return [w for item in node.elts for w in _literal_words(item)]
    if isinstance(node, ast.IfExp):
        return _literal_words(node.body) + _literal_words(node.orelse)
    return []


def unmarked_ui_strings(source: str, name: str = "<source>") -> list[str]:
    """Each call in ``source`` that gives a Qt widget a literal English text (not passed
    through ``_``, ``N_`` or ``ngettext``)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        for position in TEXT_ARGUMENTS.get(called, ()):
            if position < len(node.args):
                words = _literal_words(node.args[position])
                if words:
                    found.append(f"{name}:{node.lineno}: {called}(… {' '.join(words)} …)")
    return found


def test_every_ui_string_is_marked_for_translation():
    """A string a widget shows is written ``_("…")`` (or ``N_``, ``ngettext``): a literal
    would stay English in the Chinese UI."""
    found = [problem for path in sorted(UI_SOURCE.glob("*.py"))
             for problem in unmarked_ui_strings(path.read_text(encoding="utf-8"), path.name)]
    assert not found, "UI strings not marked for translation:\n" + "\n".join(found)


def test_the_lint_finds_unmarked_strings():
    source = '''
label.setText("Value")
label.setText(_("Value"))
box.addItems(["A4", "Letter"])
bar.showMessage(f"Saved {path}")
QAction("Open", self)
tabs.addTab(widget, "")
combo.addItem(_("English"), "en")
'''
    found = unmarked_ui_strings(source)
    assert [line.split(":")[1] for line in found] == ["2", "4", "5", "6"], found


def test_the_value_axis_title_is_never_cut_short(chinese, qtbot):
    """A short chart (a small screen, a large font) shows the unit alone ("亿元") rather than
    "数值（亿元）" cut to a rotated "…" (which reads as "⋮")."""
    from PySide6.QtGui import QFontMetricsF

    from ipviewer.ui.chart_pane import ChartPane

    pane = ChartPane()
    qtbot.addWidget(pane)
    rows = [{"key": "k", "year": year, "value": value, "unit": "RMB",
             "label_en": "pledge financing amount", "label_zh": "专利商标质押融资金额"}
            for year, value in ((2023, "22760000000"), (2024, "32000000000"))]
    pane.show_indicator("k", rows)
    pane.resize(400, 500)
    pane.show()
    QApplication.processEvents()
    axis = pane.chart().axes(Qt.Orientation.Vertical)[0]
    assert axis.titleText() == "数值（亿元）"
    font = axis.titleFont()
    font.setPointSize(28)
    axis.setTitleFont(font)
    pane.resize(400, 240)
    QApplication.processEvents()
    room = pane.chart().plotArea().height()
    assert axis.titleText() == "亿元"
    assert QFontMetricsF(font).horizontalAdvance(axis.titleText()) <= room


def test_the_issues_panel_names_places_in_chinese(zh_window):
    """A finding about a paragraph's English text: its place in Chinese titles, the
    paragraph by its number, the language named in Chinese (the checks' own ``where``
    stays English for scripts)."""
    from ipviewer.checks.finding import Finding
    from ipviewer.ui.locations import finding_text

    window = zh_window
    part = window.tree_model.node(window.tree_model.index(1, 0))
    section = part.children[0]
    paragraph = section.children[0]
    finding = Finding("warning", "untranslated", "message",
                      "I. Strengthen … › Raise … › ¶1 (en)", paragraph.id)
    text = finding_text(finding, window.tree_model.place)
    assert text.startswith("警告：一、") and "第1段（英文）：message" in text, text
    assert section.title_zh[:5] in text
    assert finding.where.endswith("¶1 (en)")
    model = window.issues_panel.model
    shown = [model.index(i).data() for i in range(model.rowCount())]
    assert shown and all(s.startswith(("错误：", "警告：")) for s in shown), shown


def test_closing_the_walks_windows_leaves_qts_own_popups_to_their_owners(app, qtbot):
    """A completer's list is a parentless popup the completer deletes itself: the walk's
    clean-up must not delete it too (a double delete that crashed a later test)."""
    from PySide6.QtWidgets import QCompleter, QDialog, QLineEdit
    from shiboken6 import isValid

    dialog = QDialog()
    qtbot.addWidget(dialog)
    edit = QLineEdit(dialog)
    completer = QCompleter(["patent", "patents granted"], dialog)
    edit.setCompleter(completer)
    dialog.show()
    completer.setCompletionPrefix("pat")
    completer.complete()
    popup = completer.popup()
    assert popup.parentWidget() is None and popup in QApplication.topLevelWidgets()
    close_other_windows(keep=dialog)
    assert isValid(popup) and isValid(completer)
    other = QDialog()
    other.show()
    close_other_windows(keep=dialog)
    assert not isValid(other)  # a window of the test's own is gone at once
