"""The paragraph editor with bound figures as chips (pytest-qt, offscreen): the text
round-trips exactly, chips show the figure per language, act as one character, copy and
paste keep the binding, every user change is announced once, undo keys reach the window."""

from __future__ import annotations

import random
import sys
from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QHelpEvent,
    QInputMethodEvent,
    QKeySequence,
    QPalette,
    QTextCursor,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QToolTip

from indicator_maps import keyed, value_of
from ipviewer.prose.bindings import placeholder
from ipviewer.ui.bound_text_edit import MIME_SOURCE, BoundTextEdit, tokens

YEAR = 2024
VALUES = keyed({
    ("patents_granted", 2024): value_of(Decimal(150800)),
    ("patents_granted", 2023): value_of(Decimal(132000)),
    ("invention_patents_granted", 2024): value_of(Decimal(50700),
                                                  yoy_pct=Decimal("14.28")),
    ("ip_cases_accepted", 2024): value_of(Decimal(1200), yoy_pct=Decimal("-28.28")),
    ("copyright_registrations", 2024): value_of(Decimal(450000), qualifier="over"),
    ("pledge_financing_amount", 2024): value_of(Decimal(32000000000), unit="RMB"),
})
PG = "{{patents_granted}}"


@pytest.fixture
def make_edit(qtbot):
    def make(lang="en", text="", width=560):
        edit = BoundTextEdit(lang)
        qtbot.addWidget(edit)
        edit.resize(width, 200)
        edit.set_values(VALUES, YEAR)
        edit.set_source(text)
        edit.show()
        qtbot.waitExposed(edit)
        return edit
    return make


def put_cursor(edit, position, anchor=None):
    cursor = edit.textCursor()
    cursor.setPosition(position if anchor is None else anchor)
    if anchor is not None:
        cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    edit.setFocus()


def record(edit):
    edits = []
    edit.sourceEdited.connect(lambda old, new: edits.append((old, new)))
    return edits


# -- round trip -------------------------------------------------------------------------------

PIECES = [
    PG, "{{patents_granted:number}}", "{{invention_patents_granted:yoy}}",
    "{{ip_cases_accepted:rate}}", "{{patents_granted@2023}}", "{{patents_granted:yoy@2023}}",
    "{{patents_granted@2023:rate}}", "{{unknown_key}}", "{{Bad}}", "{{}}", "{{ spaced }}",
    "{", "}", "{x}", "{{", "}}", "{{{", "}}}", "{{{a}}}", "{a}}", "{{a}", "{{a{{b}}",
    "授权发明专利", "件，同比增长", "。", "，", "Shanghai ", "invention patents ", "  ",
    "😀", "👩‍🔬", "𠀋", "\n", "\n\n", "\r\n", "\r", "\u2028", "\u2029", "\t", "\ufffc",
    "\ufdd0", "\ufdd1", "\u200b", "é", "e\u0301", "RMB 32 billion", "50%", "\\", "<b>x</b>",
    "&amp;",
]


def random_texts(count=300, seed=20240601):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14)))


def test_source_round_trips_exactly(make_edit):
    edit = make_edit()
    fixed = ["", " ", "\n", "a\nb\n", "{{patents_granted}}", PG + PG, PG + "\n" + PG,
             "{literal} and {{patents_granted}} 与 {{unknown}}", "line one\r\nline two\r",
             "😀{{patents_granted}}😀\n😀", "\ufffc\ufffc", "}}{{", "x" * 3000]
    for text in fixed + list(random_texts()):
        edit.set_source(text)
        assert edit.source() == text
        assert edit._walk().source == text, "the document itself reads back the same"
        assert len(edit.chips()) == len(tokens(text)[0])


def test_every_placeholder_form_is_one_chip(make_edit):
    forms = [placeholder("patents_granted", form, year)
             for form in ("figure", "number", "yoy", "rate") for year in (None, 2023)]
    text = " · ".join(forms) + " {{patents_granted@2023:yoy}}"
    edit = make_edit("en", text)
    chips = edit.chips()
    assert [c.source for c in chips] == forms + ["{{patents_granted@2023:yoy}}"]
    assert edit.toPlainText().count("\ufffc") == len(chips)
    assert "{{" not in edit.toPlainText()


# -- what the chips show ----------------------------------------------------------------------

TEXT = ("In 2024 {{patents_granted}} patents, {{invention_patents_granted:yoy}}; "
        "{{copyright_registrations}} works; {{pledge_financing_amount}}; "
        "{{ip_cases_accepted:rate}}; {{unknown_key}}.")


@pytest.mark.parametrize(("lang", "shown"), [
    ("en", ["150,800", "up 14.28%", "over 450,000", "32 billion RMB", "28.28%",
            "{{unknown_key}}"]),
    ("zh", ["15.08万", "同比增长14.28%", "超过45万", "320亿元", "28.28%", "{{unknown_key}}"]),
])
def test_chips_show_the_figure_in_the_editors_language(make_edit, lang, shown):
    edit = make_edit(lang, TEXT)
    chips = edit.chips()
    assert [c.text for c in chips] == shown
    assert [c.kind for c in chips] == ["figure"] * 5 + ["broken"]
    assert chips[-1].error == 'no value of "unknown_key" for 2024'
    for chip in chips:
        rect = edit.chip_rect(chip.position)
        assert rect.width() > edit.fontMetrics().horizontalAdvance(chip.text) * 0.9
        assert rect.height() > 0
    assert not edit.grab().isNull()


def test_new_values_and_language_redraw_without_an_edit(make_edit, qtbot):
    edit = make_edit("en", "A " + PG + " B")
    width = edit.chip_rect(2).width()
    with qtbot.assertNotEmitted(edit.sourceEdited):
        edit.set_values({("patents_granted", 2024): value_of(Decimal(123456789))}, 2024)
    assert edit.chips()[0].text == "123,456,789"
    assert edit.chip_rect(2).width() > width, "the chip was laid out again"
    edit.set_language("zh")
    assert edit.chips()[0].text == "123456789"  # as render() writes it in Chinese
    edit.set_values({}, 2024)
    assert edit.chips()[0].kind == "broken"
    assert edit.source() == "A " + PG + " B"


# -- editing ----------------------------------------------------------------------------------

def test_typing_before_and_after_a_chip_emits_the_sources(make_edit, qtbot):
    edit = make_edit("en", "A " + PG + " B")
    edits = record(edit)
    put_cursor(edit, 3)  # right after the chip
    qtbot.keyClicks(edit, "x")
    assert edits == [("A " + PG + " B", "A " + PG + "x B")]
    put_cursor(edit, 2)  # right before it
    qtbot.keyClicks(edit, "y")
    assert edits[-1] == ("A " + PG + "x B", "A y" + PG + "x B")
    assert edit.source() == "A y" + PG + "x B"
    assert edit._walk().clean, "text typed after a chip does not take the chip's format"
    assert len(edit.chips()) == 1


def test_chinese_from_an_input_method_after_a_chip(make_edit):
    edit = make_edit("zh", "授权" + PG + "件")
    edits = record(edit)
    put_cursor(edit, 3)  # after the chip
    preedit = QInputMethodEvent("shou", [])
    QApplication.sendEvent(edit, preedit)
    assert edits == [], "text being composed is not an edit yet"
    commit = QInputMethodEvent()
    commit.setCommitString("约")
    QApplication.sendEvent(edit, commit)
    assert edits == [("授权" + PG + "件", "授权" + PG + "约件")]
    assert edit._walk().clean


def test_typing_at_the_start_of_a_line_before_a_chip(make_edit, qtbot):
    edit = make_edit("en", PG + " granted\n" + PG)
    put_cursor(edit, 0)
    qtbot.keyClicks(edit, "A")
    put_cursor(edit, 11)  # the start of the second line, before its chip
    qtbot.keyClicks(edit, "B")
    assert edit.source() == "A" + PG + " granted\nB" + PG
    assert edit._walk().clean and len(edit.chips()) == 2


def test_backspace_and_delete_remove_a_chip_whole(make_edit, qtbot):
    edit = make_edit("en", "A " + PG + " B {{invention_patents_granted:yoy}}.")
    edits = record(edit)
    put_cursor(edit, 3)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.source() == "A  B {{invention_patents_granted:yoy}}."
    assert edits == [("A " + PG + " B {{invention_patents_granted:yoy}}.",
                      "A  B {{invention_patents_granted:yoy}}.")]
    put_cursor(edit, 5)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert edit.source() == "A  B ."
    assert len(edits) == 2 and not edit.chips()


def test_arrow_keys_step_over_a_chip_as_one_position(make_edit, qtbot):
    edit = make_edit("en", "A " + PG + " B")
    put_cursor(edit, 0)
    qtbot.keyClick(edit, Qt.Key.Key_Right)
    qtbot.keyClick(edit, Qt.Key.Key_Right)
    assert edit.textCursor().position() == 2
    qtbot.keyClick(edit, Qt.Key.Key_Right)
    assert edit.textCursor().position() == 3, "one step over the whole chip"
    qtbot.keyClick(edit, Qt.Key.Key_Left)
    assert edit.textCursor().position() == 2
    qtbot.keyClick(edit, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert edit.textCursor().selectedText() == "\ufffc"
    qtbot.keyClicks(edit, "9")
    assert edit.source() == "A 9 B", "typing over a selected chip replaces it"


def test_typing_a_whole_placeholder_makes_a_chip(make_edit, qtbot):
    edit = make_edit("en", "Granted: .")
    edits = record(edit)
    put_cursor(edit, 9)
    qtbot.keyClicks(edit, PG)
    assert edit.source() == "Granted: " + PG + "."
    assert [c.text for c in edit.chips()] == ["150,800"]
    assert "{{" not in edit.toPlainText()
    assert len(edits) == len(PG), "one change per keystroke"
    assert edit.textCursor().position() == 10, "the cursor is after the new chip"
    qtbot.keyClicks(edit, "!")
    assert edit.source() == "Granted: " + PG + "!."


def test_stray_braces_stay_text_and_are_underlined(make_edit):
    edit = make_edit("en", "a {{ b and }} c {d}")
    assert not edit.chips()
    assert edit.toPlainText() == "a {{ b and }} c {d}"
    marked = [s.cursor.selectedText() for s in edit.extraSelections()]
    assert marked == ["{{", "}}"]
    assert "not a valid figure reference" in edit.extraSelections()[0].format.toolTip()


# -- clipboard --------------------------------------------------------------------------------

def test_paste_of_plain_text_with_a_placeholder_makes_a_chip(make_edit):
    edit = make_edit("en", "Start. End.")
    edits = record(edit)
    put_cursor(edit, 7)
    mime = QMimeData()
    mime.setText("We granted {{patents_granted}} patents.\r\nNext ")
    mime.setHtml("<b>We granted</b> lots")
    edit.insertFromMimeData(mime)
    expected = "Start. We granted " + PG + " patents.\nNext End."
    assert edit.source() == expected
    assert [c.text for c in edit.chips()] == ["150,800"]
    assert edits == [("Start. End.", expected)], "one paste, one change"
    ranges = edit.document().findBlockByNumber(0).textFormats()
    assert all(r.format.fontWeight() == 400 for r in ranges), "no rich formatting came in"


def test_copy_gives_the_figures_as_text_and_paste_keeps_the_binding(make_edit):
    edit = make_edit("en", "A " + PG + " and {{invention_patents_granted:yoy}}.")
    put_cursor(edit, 5, anchor=0)  # "A ", chip, " a"
    mime = edit.createMimeDataFromSelection()
    assert mime.text() == "A 150,800 a"
    assert bytes(mime.data(MIME_SOURCE).data()).decode() == "A " + PG + " a"
    assert not mime.hasHtml()
    edit.selectAll()
    assert edit.createMimeDataFromSelection().text() == "A 150,800 and up 14.28%."

    other = make_edit("zh", "开头")
    put_cursor(other, 2)
    other.insertFromMimeData(mime)
    assert other.source() == "开头A " + PG + " a"
    assert [c.text for c in other.chips()] == ["15.08万"]


def test_cut_and_clipboard_paste_through_the_application(make_edit):
    edit = make_edit("en", "A " + PG + " B")
    edits = record(edit)
    put_cursor(edit, 3, anchor=2)
    edit.cut()
    assert edit.source() == "A  B"
    assert QApplication.clipboard().text() == "150,800"
    put_cursor(edit, 4)
    edit.paste()
    assert edit.source() == "A  B" + PG
    assert [e[1] for e in edits] == ["A  B", "A  B" + PG]


# -- no edit announced ------------------------------------------------------------------------

def test_set_source_and_set_values_do_not_emit(make_edit, qtbot):
    edit = make_edit("en")
    with qtbot.assertNotEmitted(edit.sourceEdited):
        edit.set_source("A " + PG)
        edit.set_source("B {{unknown}} {{ bad")
        edit.set_values(VALUES, 2023)
        edit.set_source("")
        edit.set_source(TEXT)


def test_set_plain_text_and_clear_are_set_source(make_edit, qtbot):
    edit = make_edit("en", "x")
    with qtbot.assertNotEmitted(edit.sourceEdited):
        edit.setPlainText("A " + PG)
        assert [c.text for c in edit.chips()] == ["150,800"]
        edit.clear()
    assert edit.source() == ""


def test_set_source_keeps_the_cursor_where_it_can(make_edit, qtbot):
    edit = make_edit("en", "Shanghai granted " + PG + " patents in 2024.")
    put_cursor(edit, 8)
    before = edit.source()
    edit.set_source("Greater Shanghai granted " + PG + " patents in 2024.")
    assert edit.textCursor().position() == 16, "moved with the text inserted before it"
    # undo of a typing step: the cursor goes back to where the typing was
    put_cursor(edit, edit.document().characterCount() - 1)
    qtbot.keyClicks(edit, " Indeed")
    edit.set_source(before)
    assert edit.textCursor().position() == edit.document().characterCount() - 1
    put_cursor(edit, 2)
    edit.set_source(before.replace("patents", "inventions"))
    assert edit.textCursor().position() == 2, "a change after the cursor leaves it"


# -- undo keys reach the window ---------------------------------------------------------------

def test_undo_and_redo_keys_reach_the_windows_actions(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    edit = BoundTextEdit("en")
    window.setCentralWidget(edit)
    triggered = []
    for name, keys in [("undo", [QKeySequence(QKeySequence.StandardKey.Undo)]),
                       ("redo", [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])]:
        action = QAction(name, window)
        action.setShortcuts(keys)
        action.triggered.connect(lambda _checked=False, n=name: triggered.append(n))
        window.addAction(action)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.set_source("text")
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert triggered == ["undo", "redo", "redo"]
    assert edit.source() == "text"
    assert not edit.isUndoRedoEnabled()


# -- tooltips ---------------------------------------------------------------------------------

def test_read_only_still_shows_chips_and_tooltips(make_edit, qtbot):
    edit = make_edit("en", "Granted " + PG + "; broken {{nothing_here}}.")
    edit.setReadOnly(True)
    edit.set_name_lookup(lambda key: {"patents_granted": "Patents granted"}.get(key))
    chips = edit.chips()
    assert [c.kind for c in chips] == ["figure", "broken"]
    centre = edit.chip_rect(chips[0].position).center()
    chip = edit.chip_at(centre)
    assert chip is not None and chip.binding.key == "patents_granted"
    assert edit.chip_at(QPoint(2, centre.y())) is None, "over the text, no chip"
    tip = edit.tooltip_html(chip)
    assert "Patents granted" in tip and "patents_granted" in tip
    assert "2024" in tip and "150,800" in tip

    broken = edit.chip_at(edit.chip_rect(chips[1].position).center())
    assert broken.kind == "broken"
    assert 'no value of "nothing_here" for 2024' in edit.tooltip_html(broken)

    event = QHelpEvent(QEvent.Type.ToolTip, centre, edit.viewport().mapToGlobal(centre))
    QApplication.sendEvent(edit.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert "Patents granted" in QToolTip.text()
    QToolTip.hideText()


def test_a_name_lookup_that_fails_does_not_break_the_tooltip(make_edit):
    edit = make_edit("en", PG)
    edit.set_name_lookup(lambda key: 1 / 0)
    chip = edit.chips()[0]
    assert "patents_granted" in edit.tooltip_html(chip)


# -- themes -----------------------------------------------------------------------------------

def chip_fill(edit, chip):
    """The colour inside a chip, left of its text (the padding)."""
    image = edit.viewport().grab().toImage()
    rect = edit.chip_rect(chip.position)
    return QColor(image.pixel(rect.left() + 3, rect.center().y()))


def test_chips_follow_a_dark_palette(make_edit):
    light = make_edit("en", "A " + PG)
    dark = make_edit("en", "A " + PG)
    palette = QPalette(dark.palette())
    for role, colour in [(QPalette.ColorRole.Base, "#1e1f22"), (QPalette.ColorRole.Text, "#e6e6e6"),
                         (QPalette.ColorRole.Highlight, "#3d7bd9")]:
        palette.setColor(role, QColor(colour))
    dark.setPalette(palette)
    assert chip_fill(light, light.chips()[0]).lightnessF() > 0.6
    fill = chip_fill(dark, dark.chips()[0])
    assert fill.lightnessF() < 0.4, "a dark chip under light text"
    assert fill != QColor("#1e1f22"), "but still set off from the background"


def test_a_long_typing_session_does_not_exhaust_none(make_edit, qtbot):
    """PySide6 6.12.0 on CPython 3.11 takes a reference to None with each void call (about
    160 for a paint of 20 chips), and the process aborts after a hundred keystrokes or so;
    pyproject.toml keeps PySide6 below 6.12. This fails on a PySide6 with that bug."""
    text = " ".join(f"word {PG} and {{{{invention_patents_granted:yoy}}}}" for _ in range(10))
    edit = make_edit("en", text, width=900)
    put_cursor(edit, 40)
    none_refs = sys.getrefcount(None)
    for _ in range(200):
        qtbot.keyClick(edit, Qt.Key.Key_A)
        edit.viewport().grab()  # paints every chip
    assert edit.source().count("a" * 200) == 1
    assert sys.getrefcount(None) > none_refs - 1000, "None is losing references"
