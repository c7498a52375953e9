"""Tools → Bind Figures… (the review of every proposed binding, applied as one undoable step)
and File → Export… (one dialog that remembers its choices per report, asks before replacing
a file, and can be cancelled without leaving a file behind)."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from conftest import run_cli
from ipviewer.bind_report import bind_report, propose_bindings
from ipviewer.prose.bindings import render
from ipviewer.report_text import stored_figure_values
from ipviewer.store import ReportStore

Button = QMessageBox.StandardButton


def stored(path: Path, sql: str, *params):
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchone()[0]


def literal_paragraph(path: Path) -> int:
    """Write the figures of the paragraph that binds ``patents_granted`` as typed numbers
    (both languages), as an editor typing them would; its id."""
    with ReportStore.open(path) as store:
        values, year = stored_figure_values(store), store.report()["year"]
        node_id = stored(path, "SELECT id FROM nodes WHERE text_en LIKE '%{{patents_granted}}%'")
        row = store.node_row(node_id)
        with store.transaction():
            for lang in ("en", "zh"):
                store.set_node_field(node_id, f"text_{lang}",
                                     render(row[f"text_{lang}"], lang, values, year))
    return node_id


@pytest.fixture
def literal_copy(sample_copy) -> tuple[Path, int]:
    return sample_copy, literal_paragraph(sample_copy)


def text_of(path: Path, node_id: int, lang: str) -> str:
    return stored(path, f"SELECT text_{lang} FROM nodes WHERE id = ?", node_id)


# -- the service: propose, then apply a chosen subset --------------------------------------


def test_proposals_name_place_sentence_and_indicator(literal_copy):
    path, node_id = literal_copy
    with ReportStore.open(path, readonly=True) as store:
        plan = propose_bindings(store)
    assert len(plan.proposals) == 20  # ten figures in each language
    first = plan.proposals[0]
    assert (first.node_id, first.lang, first.key) == (node_id, "en", "patents_granted")
    assert first.name == "patents granted" and first.value == "150,800"
    assert first.place("en") == "Overview › ¶2" and first.where == "Overview › ¶2 (en)"
    assert first.place("zh") == "综述 › ¶2"
    start, end = first.span
    assert first.context[start:end] == "150,800" and first.context.startswith("Shanghai")
    zh = next(p for p in plan.proposals if p.lang == "zh")
    assert zh.value == "15.08万" and zh.name == "专利授权量"
    assert [p.number for p in plan.proposals] == list(range(20))


def test_a_rejected_proposal_stays_literal(literal_copy):
    path, _node = literal_copy
    with ReportStore.open(path, readonly=True) as store:
        plan = propose_bindings(store)
    rejected = next(p for p in plan.proposals if p.key == "copyright_registrations"
                    and p.lang == "en")
    changes = plan.changes({p.number for p in plan.proposals} - {rejected.number})
    [en] = [c for c in changes if c.lang == "en"]
    assert "{{patents_granted}}" in en.new and "over 450,000" in en.new
    assert "copyright_registrations" not in en.new
    assert "{{copyright_registrations}}" in next(c for c in changes if c.lang == "zh").new


def test_the_cli_still_binds_everything_and_dry_run_writes_nothing(literal_copy):
    path, node_id = literal_copy
    before = text_of(path, node_id, "en")
    dry = run_cli("bind", path, "--dry-run")
    assert dry.exit_code == 0 and "dry run" in dry.output
    assert text_of(path, node_id, "en") == before
    result = run_cli("bind", path)
    assert result.exit_code == 0, result.output
    assert "{{copyright_registrations}}" in text_of(path, node_id, "en")
    assert "{{patents_granted}}" in text_of(path, node_id, "zh")
    with ReportStore.open(path) as store:
        assert bind_report(store).bound == 0 and propose_bindings(store).proposals == []


# -- the window: review, apply, undo ------------------------------------------------------


def review(window, qtbot):
    """Tools → Bind Figures…: the review dialog, once the proposals are found."""
    window.registry["bind_figures"].trigger()
    qtbot.waitUntil(lambda: window.binder.dialog is not None, timeout=30_000)
    return window.binder.dialog


def row_of(dialog, key: str, lang: str) -> int:
    """The view's row of the proposal binding ``key`` in ``lang``."""
    for row in range(dialog.proxy.rowCount()):
        proposal = dialog.model.proposals[dialog.proxy.mapToSource(
            dialog.proxy.index(row, 0)).row()]
        if (proposal.key, proposal.lang) == (key, lang):
            return row
    raise AssertionError(f"no proposal for {key} ({lang}) shown")


def test_review_reject_one_apply_then_undo(open_editor, literal_copy, qtbot):
    path, node_id = literal_copy
    window = open_editor(path)
    dialog = review(window, qtbot)
    assert dialog.isVisible()
    assert dialog.count.text() == "20 of 20 accepted"
    # the filter narrows the list; Select None rejects what it shows
    qtbot.keyClicks(dialog.filter, "copyright")
    assert dialog.proxy.rowCount() == 2
    dialog.select_none.click()
    assert dialog.count.text() == "18 of 20 accepted"
    dialog.select_all.click()
    assert dialog.count.text() == "20 of 20 accepted"
    dialog.filter.clear()
    assert dialog.proxy.rowCount() == 20
    # reject one with the keyboard (Space on its check box)
    row = row_of(dialog, "copyright_registrations", "en")
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(dialog.proxy.index(row, 0))
    dialog.table.selectionModel().select(dialog.proxy.index(row, 0),
                                         QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    assert dialog.count.text() == "19 of 20 accepted"
    dialog.apply_button.click()
    assert not dialog.isVisible()

    working = window.store.path
    en, zh = text_of(working, node_id, "en"), text_of(working, node_id, "zh")
    assert "{{patents_granted}}" in en and "{{pct_international_applications}}" in en
    assert "over 450,000" in en and "copyright_registrations" not in en
    assert "{{copyright_registrations}}" in zh and "{{patents_granted}}" in zh
    # the editor shows the paragraph with its chips
    assert window.editor.node.id == node_id
    assert "{{patents_granted}}" in [c.source for c in window.editor.texts["en"].chips()]
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Bind 19 figures"
    # one Undo takes the whole step back
    window.undo_stack.undo()
    assert "{{" not in text_of(working, node_id, "en")
    assert "{{" not in text_of(working, node_id, "zh")
    window.undo_stack.redo()
    assert "{{patents_granted}}" in text_of(working, node_id, "en")
    assert window.save()
    assert "{{patents_granted}}" in text_of(path, node_id, "en")
    assert "over 450,000" in text_of(path, node_id, "en")


def test_double_click_goes_to_the_paragraph_and_cancel_writes_nothing(open_editor, literal_copy,
                                                                      qtbot):
    path, node_id = literal_copy
    window = open_editor(path)
    window.select_node(stored(path, "SELECT id FROM nodes ORDER BY id DESC LIMIT 1"))
    dialog = review(window, qtbot)
    index = dialog.proxy.index(0, 2)
    qtbot.waitExposed(dialog)
    rect = dialog.table.visualRect(index)
    # a real double click: press and release, then the double click
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.editor.node.id == node_id
    before = text_of(window.store.path, node_id, "en")
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert text_of(window.store.path, node_id, "en") == before
    assert window.undo_stack.count() == 0


def test_nothing_to_bind_says_so(open_editor, qtbot, monkeypatch):
    window = open_editor()
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    window.binder.choose()
    qtbot.waitUntil(lambda: bool(told), timeout=30_000)
    assert "nothing to bind" in told[0] and window.binder.dialog is None


def test_a_text_changed_meanwhile_is_left_as_it_is(open_editor, literal_copy, qtbot,
                                                   monkeypatch):
    path, node_id = literal_copy
    window = open_editor(path)
    dialog = review(window, qtbot)
    # another edit of the paragraph's Chinese text before Apply (as typed while searching)
    window.document.apply_node_field(node_id, "text_zh", "新的文字 15.08万件。")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    dialog.apply_button.click()
    assert "{{patents_granted}}" in text_of(window.store.path, node_id, "en")
    assert text_of(window.store.path, node_id, "zh") == "新的文字 15.08万件。"
    assert "¶2 (zh)" in warned[0]
    assert window.undo_stack.undoText() == "Bind 10 figures"


def test_finding_the_figures_can_be_cancelled(open_editor, literal_copy, qtbot, monkeypatch):
    from ipviewer import bind_report

    path, _node = literal_copy
    window = open_editor(path)
    real = bind_report.propose_bindings

    def slow(store, shown=True, cancelled=None):
        started = time.monotonic()
        while not cancelled() and time.monotonic() - started < 20:
            time.sleep(0.02)
        return real(store, shown, cancelled)

    monkeypatch.setattr("ipviewer.ui.bind_review.propose_bindings", slow)
    window.binder.choose()
    qtbot.waitUntil(lambda: window.binder.progress.isVisible(), timeout=10_000)
    window.binder.progress.findChild(QPushButton).click()
    qtbot.waitUntil(lambda: window.binder._worker is None, timeout=10_000)
    assert window.binder.dialog is None and window.undo_stack.count() == 0


def test_the_review_speaks_chinese(open_editor, literal_copy, qtbot):
    from ipviewer import i18n
    from ipviewer.ui.language import apply_language

    path, _node = literal_copy
    window = open_editor(path)
    dialog = review(window, qtbot)
    apply_language("zh_CN", remember=False)
    QApplication.processEvents()
    try:
        assert dialog.count.text() == "已接受 20 项，共 20 项"
        assert dialog.windowTitle() == "绑定数字"
        headers = [dialog.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
        assert all(not any("a" <= ch <= "z" for ch in h.lower()) for h in headers), headers
    finally:
        apply_language(i18n.SOURCE_LANGUAGE, remember=False)
        QApplication.processEvents()
    assert dialog.count.text() == "20 of 20 accepted"
    dialog.reject()


# -- File → Export… -----------------------------------------------------------------------


def fill_export(dialog, qtbot, target: Path, lang: str = "zh", paper: str = "letter",
                draft: bool = True) -> None:
    """Choose as a user would: the combo boxes, the check boxes, the file typed in."""
    dialog.language.setCurrentIndex(dialog.language.findData(lang))
    dialog.paper.setCurrentIndex(dialog.paper.findData(paper))
    if dialog.draft.isChecked() != draft:
        dialog.draft.click()
    if dialog.charts.isChecked():
        dialog.charts.click()  # quicker
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(target))


def test_export_dialog_exports_and_remembers_per_report(sample_window, qtbot, tmp_path,
                                                        monkeypatch):
    window = sample_window
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)  # warnings after the export
    dialog = window.exporter.choose()
    assert dialog.isVisible() and dialog.format.currentData() == "pdf"
    assert dialog.path.text() == str(window.report_path.with_suffix(".pdf"))
    target = tmp_path / "paper.pdf"
    fill_export(dialog, qtbot, target)
    dialog.ok_button.click()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: window.exporter.last is not None, timeout=120_000)
    assert window.exporter.last.draft and target.exists()
    reader = PdfReader(target)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # US Letter
    assert "草稿" in reader.pages[1].extract_text()
    # the same report: the dialog shows the choices made
    again = window.exporter.choose()
    assert again.language.currentData() == "zh" and again.paper.currentData() == "letter"
    assert again.draft.isChecked() and not again.charts.isChecked()
    assert again.path.text() == str(target)
    again.reject()


def test_another_report_starts_from_the_preferred_defaults(app, qtbot, tmp_path, sample_copy):
    from ipviewer import preferences
    from ipviewer.ui.export_dialog import ExportChoices, ExportDialog, remember

    remember(sample_copy, ExportChoices(lang="zh", paper="letter", draft=True))
    other = tmp_path / "other.sqlite"
    preferences.save(preferences.load().changed(export_lang="en", export_paper="letter"))
    dialog = ExportDialog(other)
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == "en" and dialog.paper.currentData() == "letter"
    assert not dialog.draft.isChecked() and dialog.path.text() == str(tmp_path / "other.pdf")
    mine = ExportDialog(sample_copy)
    qtbot.addWidget(mine)
    assert mine.language.currentData() == "zh" and mine.draft.isChecked()


def test_an_existing_file_is_replaced_only_after_asking(sample_window, qtbot, tmp_path,
                                                        monkeypatch):
    window = sample_window
    target = tmp_path / "paper.pdf"
    target.write_bytes(b"%PDF old")
    asked = []
    answers = [Button.No, Button.Yes]

    def question(parent, title, text, buttons, default):
        asked.append((title, text, default))
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    dialog = window.exporter.choose()
    fill_export(dialog, qtbot, target, lang="en")
    dialog.ok_button.click()  # No: the dialog stays, nothing is exported
    assert asked[0][0] == "Replace the file?" and str(target) in asked[0][1]
    assert asked[0][2] == Button.No
    assert dialog.isVisible() and window.exporter.progress is None
    assert target.read_bytes() == b"%PDF old"
    dialog.ok_button.click()  # Yes
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: window.exporter.last is not None, timeout=120_000)
    assert len(asked) == 2 and target.read_bytes().startswith(b"%PDF-1")


def test_cancel_leaves_no_file(sample_window, qtbot, tmp_path, monkeypatch):
    from ipviewer.pdf import export
    from ipviewer.pdf.layout import Cancelled

    def slow_layout(content, fonts, setup, progress, cancelled):
        started = time.monotonic()
        while time.monotonic() - started < 20:
            progress(1, 10)
            if cancelled():
                raise Cancelled()
            time.sleep(0.02)
        raise AssertionError("never cancelled")

    monkeypatch.setattr(export, "layout_pdf", slow_layout)
    failed = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: failed.append(a[2]))
    window = sample_window
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "paper.pdf"
    dialog = window.exporter.choose()
    fill_export(dialog, qtbot, target)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.exporter.progress.isVisible(), timeout=30_000)
    window.exporter.progress.findChild(QPushButton).click()
    qtbot.waitUntil(lambda: bool(failed), timeout=10_000)
    assert "cancelled" in failed[0]
    assert list(folder.iterdir()) == []  # neither the PDF nor a partial file


def test_the_export_dialog_refuses_the_report_itself(sample_window, qtbot, monkeypatch):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    window = sample_window
    dialog = window.exporter.choose()
    dialog.path.setText(str(window.report_path))
    dialog.ok_button.click()
    assert dialog.isVisible() and "input" in warned[0]
    dialog.reject()


def test_the_export_dialog_speaks_chinese(sample_window):
    from ipviewer import i18n
    from ipviewer.ui.language import apply_language

    dialog = sample_window.exporter.choose()
    apply_language("zh_CN", remember=False)
    QApplication.processEvents()
    try:
        shown = [dialog.windowTitle(), dialog.crop_marks.text(), dialog.charts.text(),
                 dialog.browse.text(), dialog.ok_button.text(), dialog.paper.itemText(1),
                 *(label.text() for label in dialog.labels.values()),
                 *(dialog.language.itemText(i) for i in range(dialog.language.count()))]
        assert all(not any("a" <= ch.lower() <= "z" for ch in text.replace("(&", "").split(")")[-1]
                           ) for text in shown if "PDF" not in text), shown
    finally:
        apply_language(i18n.SOURCE_LANGUAGE, remember=False)
        QApplication.processEvents()
    dialog.reject()


def test_a_final_export_from_the_dialog_still_meets_the_gate(sample_window, qtbot, tmp_path,
                                                            monkeypatch):
    """The sample's own error (its swapped pledge rates) stops a final export chosen in the
    dialog: "Export as Draft" is offered; Cancel writes nothing."""
    offered = []

    def exec_(box):
        buttons = {button.text(): button for button in box.buttons()}
        offered.append(sorted(buttons))
        buttons["Cancel"].click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    window = sample_window
    target = tmp_path / "final.pdf"
    dialog = window.exporter.choose()
    fill_export(dialog, qtbot, target, lang="en", paper="A4", draft=False)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: bool(offered), timeout=60_000)
    assert offered == [["Cancel", "Export as Draft"]]
    qtbot.wait(100)
    assert not target.exists() and window.exporter.last is None


def test_binding_leaves_a_text_still_to_update(open_editor, literal_copy, qtbot):
    """Binding changes no word of a text: one still to update (a new year's) stays so."""
    path, node_id = literal_copy
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE nodes SET needs_update = 1 WHERE id = ?", [node_id])
    window = open_editor(path)
    dialog = review(window, qtbot)
    dialog.apply_button.click()
    working = window.store.path
    assert "{{patents_granted}}" in text_of(working, node_id, "en")
    assert stored(working, "SELECT needs_update FROM nodes WHERE id = ?", node_id) == 1
    window.undo_stack.undo()
    assert stored(working, "SELECT needs_update FROM nodes WHERE id = ?", node_id) == 1
