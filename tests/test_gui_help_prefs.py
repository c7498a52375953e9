"""Help → Manual, Keyboard Shortcuts, About, and Edit → Preferences… (with autosave), driven
as a user would, with the report file and the preferences file asserted afterwards."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from conftest import run_cli
from ipviewer import i18n, preferences
from ipviewer.preferences import Preferences
from ipviewer.store.to_update import editor_name
from ipviewer.ui.help_window import PAGES, page_html
from ipviewer.ui.language import apply_language

Ok = QDialogButtonBox.StandardButton.Ok
Apply = QDialogButtonBox.StandardButton.Apply


@pytest.fixture
def english(app):
    """The UI in English again after the test, whatever it switched to."""
    switch_to("en")
    yield
    switch_to("en")


def switch_to(code: str) -> None:
    """Switch the UI language as View → Language does; windows hear of it from the queue."""
    apply_language(code, remember=False)
    QApplication.processEvents()


def stored(path, sql, *params):
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchone()[0]


def click_link(qtbot, browser, words: str) -> None:
    """Click the link whose text is ``words`` in a text browser, as a user would."""
    found = browser.document().find(words)
    assert not found.isNull(), words
    middle = QTextCursor(found)
    middle.setPosition((found.selectionStart() + found.selectionEnd()) // 2)
    point = browser.cursorRect(middle).center()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)


# -- the manual ---------------------------------------------------------------------------


def test_every_page_exists_in_both_languages_and_its_links_lead_somewhere():
    for language in ("en", "zh_CN"):
        for page in PAGES:
            text = page_html(page, language)
            assert "<title>" in text and "<h1>" in text, (language, page)
            for target in re.findall(r'href="([^"]+)"', text):
                assert target.removesuffix(".html") in PAGES, (language, page, target)
    assert "编辑正文与数字" in page_html("texts", "zh_CN")


def test_f1_opens_the_page_for_the_focus_links_navigate_and_chinese_follows(
        sample_window, qtbot, monkeypatch, english):
    window = sample_window
    window.tree_view.setFocus()
    window.registry["manual"].trigger()  # F1
    help_window = window.help_actions.help_window
    qtbot.waitUntil(help_window.isVisible)
    assert help_window.browser.page() == "texts"
    assert "Figure chips" in help_window.browser.toPlainText()
    assert help_window.contents.currentItem().text() == "Editing texts and figures"

    click_link(qtbot, help_window.browser, "Bind Figures")
    qtbot.waitUntil(lambda: help_window.browser.page() == "bind")
    assert "Tools → Bind Figures…" in help_window.browser.toPlainText()
    assert help_window.contents.currentItem().text() == "Binding figures"
    help_window.back.click()
    assert help_window.browser.page() == "texts"

    switch_to("zh_CN")
    assert "数字标签" in help_window.browser.toPlainText()
    assert help_window.contents.item(0).text() == "ipviewer 概览"
    assert "Figure chips" not in help_window.browser.toPlainText()

    opened = []  # the system's browser is not started in a test
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    help_window.open_button.click()
    (url,) = opened
    assert url.isLocalFile() and url.toLocalFile().endswith("zh_CN/texts.html")
    with open(url.toLocalFile(), encoding="utf-8") as page:
        assert "数字标签" in page.read()


def test_the_shortcuts_page_lists_the_real_keys(sample_window, english):
    help_window = sample_window.help_actions.manual("shortcuts")
    text = help_window.browser.toPlainText()
    assert "Save" in text and "Ctrl+S" in text and "Ctrl+Shift+U" in text


# -- keyboard shortcuts -------------------------------------------------------------------


def test_the_shortcuts_dialog_lists_every_action_and_follows_the_language(
        sample_window, qtbot, english):
    window = sample_window
    window.registry["shortcuts"].trigger()
    dialog = window.help_actions.shortcuts_dialog
    assert dialog.isVisible()
    rows = dialog.rows_shown()
    assert ("Save", "Ctrl+S", "File") in rows
    assert ("Manual", "F1", "Help") in rows
    assert ("Preferences…", "Ctrl+,", "Edit") in rows
    assert len([r for r in rows if r[2] in ("File", "Edit", "View", "Tools", "Help")]) == len(
        window.registry)
    qtbot.keyClicks(dialog.search, "ctrl+shift+u")
    assert dialog.rows_shown() == [("Confirm Unchanged", "Ctrl+Shift+U", "Edit")]
    assert dialog.count.text() == f"1 of {dialog.table.rowCount()} actions"

    switch_to("zh_CN")
    assert dialog.windowTitle() == "键盘快捷键"
    dialog.search.clear()
    assert ("保存", "Ctrl+S", "文件") in dialog.rows_shown()


# -- about ------------------------------------------------------------------------------


def test_about_names_qt_and_the_licences_from_the_metadata(sample_window, english):
    window = sample_window
    window.registry["about"].trigger()
    dialog = window.help_actions.about_dialog
    assert dialog.isVisible()
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert names[0] == "Qt" and "reportlab" in names and "pylopdf-fonts-zh-cn" in names
    assert "LGPL" in dialog.licence("Qt")
    assert "OFL" in dialog.licence("pylopdf-fonts-zh-cn")
    assert dialog.licence("sqlite-utils") == "Apache-2.0"
    assert "BSD" in dialog.licence("reportlab")
    texts = dialog.show_licences()
    assert texts.show_component("pylopdf-fonts-zh-cn")
    assert "SIL OPEN FONT LICENSE" in texts.text.toPlainText()
    assert texts.show_component("PySide6-Essentials")  # its wheel ships no licence file
    assert "LGPL-3.0-only" in texts.text.toPlainText()
    assert "https://spdx.org/licenses/LGPL-3.0-only.html" in texts.text.toPlainText()


# -- preferences --------------------------------------------------------------------------


def test_the_name_in_the_preferences_is_recorded_with_a_confirmation(
        open_editor, next_year_copy, qtbot, monkeypatch, english):
    monkeypatch.delenv("IPVIEWER_EDITOR", raising=False)
    window = open_editor(next_year_copy)
    dialog = window.help_actions.preferences()
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.name, "Zhang Min")
    dialog.buttons.button(Ok).click()
    assert not dialog.isVisible()
    saved = json.loads(preferences.preferences_path().read_text(encoding="utf-8"))
    assert saved["editor_name"] == "Zhang Min"

    node_id = next(i.id for i in window.to_update_panel.items if i.kind == "text")
    window.select_node(node_id)
    window.tree_view.setFocus()
    window.registry["confirm_unchanged"].trigger()
    assert window.save()
    assert stored(next_year_copy, "SELECT confirmed_by FROM nodes WHERE id = ?",
                  node_id) == "Zhang Min"

    # the command line reads the same preference; the variable still comes first
    result = run_cli("confirm", next_year_copy, "patents_granted")
    assert result.exit_code == 0, result.output
    assert stored(next_year_copy, "SELECT confirmed_by FROM indicators WHERE key = ? "
                  "AND year = 2025", "patents_granted") == "Zhang Min"
    monkeypatch.setenv("IPVIEWER_EDITOR", "Wang Fang")
    assert editor_name() == "Wang Fang"


def test_autosave_writes_an_edit_into_the_report_file(open_editor, sample_copy, qtbot,
                                                      tmp_path, english):
    import shutil

    other = open_editor(shutil.copyfile(sample_copy, tmp_path / "other.sqlite"))
    window = open_editor(sample_copy)
    dialog = window.help_actions.preferences()
    dialog.autosave.setValue(1)
    dialog.buttons.button(Ok).click()
    timer = window.help_actions.autosave.timer
    assert timer.isActive() and timer.interval() == 60_000
    assert other.help_actions.autosave.timer.isActive(), "every window follows"
    other.help_actions.autosave.set_minutes(0)
    assert preferences.load().autosave_minutes == 1

    timer.setInterval(100)  # a minute is long for a test
    node = window.tree_model.roots()[0]
    window.select_node(node.id)
    edit = window.editor.texts["en"]
    edit.setFocus()
    edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(edit, " Autosaved.")
    assert window.isWindowModified()
    qtbot.waitUntil(lambda: not window.isWindowModified(), timeout=10_000)
    assert stored(sample_copy, "SELECT text_en FROM nodes WHERE id = ?",
                  node.id).endswith(" Autosaved.")
    assert window.help_actions.autosave.saves >= 1
    assert "Autosaved" in window.statusBar().currentMessage()


def test_a_file_that_is_not_a_font_is_refused_with_the_reason(sample_window, tmp_path,
                                                              qtbot, english):
    fake = tmp_path / "fake.ttf"
    fake.write_text("this is not a font", encoding="utf-8")
    dialog = sample_window.help_actions.preferences()
    qtbot.keyClicks(dialog.font_path, str(fake))
    dialog.buttons.button(Ok).click()
    assert dialog.isVisible(), "not accepted"
    assert str(fake) in dialog.error.text() and "is not a font file" in dialog.error.text()
    assert not preferences.preferences_path().exists(), "nothing saved"

    from pylopdf_fonts_zh_cn import serif_path

    dialog.font_default.click()
    qtbot.keyClicks(dialog.font_path, str(serif_path()))
    dialog.buttons.button(Apply).click()
    assert dialog.error.isHidden()
    assert preferences.export_defaults()["font_path"] == str(serif_path())
    dialog.reject()


def test_the_command_lines_export_uses_the_font_of_the_preferences(sample_copy, tmp_path):
    fake = tmp_path / "fake.ttf"
    fake.write_text("this is not a font", encoding="utf-8")
    preferences.save(Preferences(cjk_font=str(fake)))
    result = run_cli("export", sample_copy, "-o", tmp_path / "out.pdf", "--draft")
    assert result.exit_code == 2
    assert str(fake) in result.output and "not a font file" in result.output
    assert not (tmp_path / "out.pdf").exists()


def test_the_preferences_dialog_in_chinese(sample_window, english):
    switch_to("zh_CN")
    dialog = sample_window.help_actions.preferences()
    assert dialog.windowTitle() == "首选项"
    assert dialog.autosave.specialValueText() == "关闭"
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.buttons.button(Apply).click()
    QApplication.processEvents()
    assert i18n.current_language() == "en" and dialog.windowTitle() == "Preferences"
    dialog.reject()


# -- the preferences file -----------------------------------------------------------------


def test_a_damaged_preferences_file_gives_the_defaults_and_says_why(tmp_path):
    path = tmp_path / "preferences.json"
    path.write_text("{not json", encoding="utf-8")
    chosen, problems = preferences.read(path)
    assert chosen == Preferences() and str(path) in problems[0]
    path.write_text(json.dumps({"editor_name": "Li", "autosave_minutes": "ten",
                                "export_paper": "A5", "future_key": 1}), encoding="utf-8")
    chosen, problems = preferences.read(path)
    assert chosen == Preferences(editor_name="Li")
    assert len(problems) == 2 and all(str(path) in p for p in problems)
    preferences.save(chosen.changed(export_lang="both", export_draft=True), path)
    assert preferences.export_defaults(preferences.load(path)) == {
        "lang": "both", "paper": "A4", "draft": True, "font_path": None}
    with pytest.raises(ValueError):
        preferences.save(Preferences(autosave_minutes=-1), path)


def test_the_context_page_of_a_panel(sample_window, english):
    from ipviewer.ui.help_window import page_for

    assert page_for(sample_window.issues_panel.widget(), sample_window) == "checks"
    assert page_for(None, sample_window) == "index"


def test_the_export_dialog_starts_from_the_preferences(app, tmp_path):
    from pylopdf_fonts_zh_cn import serif_path

    from ipviewer.ui.pdf_export import ExportDialog

    preferences.save(Preferences(export_lang="en", export_paper="letter",
                                 cjk_font=str(serif_path())))
    chosen = ExportDialog(tmp_path / "out.pdf").options()
    assert (chosen.lang, chosen.paper, chosen.font_path) == ("en", "letter", str(serif_path()))


def test_open_in_browser_copies_a_zipped_manual_to_a_folder(tmp_path, monkeypatch):
    """Installed as a zip, the pages are not files: they are copied (with their
    neighbours, for the links) before the browser is given one."""
    import zipfile

    from ipviewer.ui import help_window

    archive = tmp_path / "ipviewer.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for page in ("texts", "bind"):
            bundle.writestr(f"manual/en/{page}.html", page_html(page, "en"))
    monkeypatch.setattr(help_window, "page_resource", lambda page, language=None:
                        zipfile.Path(archive, f"manual/en/{page}.html"))
    path = help_window.page_file("texts")
    assert path.is_file() and path.read_text(encoding="utf-8") == page_html("texts", "en")
    assert (path.parent / "bind.html").is_file()


def test_the_new_dialogs_name_their_fields_for_a_screen_reader(sample_window, english):
    dialog = sample_window.help_actions.preferences()
    assert dialog.name.accessibleName() == "Editor's name"
    switch_to("zh_CN")
    assert dialog.name.accessibleName() == "编辑者姓名"
    assert sample_window.help_actions.manual().browser.accessibleName() == "手册页面"
    dialog.reject()
