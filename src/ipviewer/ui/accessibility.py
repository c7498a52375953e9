"""What a screen reader hears: the accessible names and descriptions of the window's parts.

One place names them all, in the UI language, called again on every language switch
(``translateUI``) and when the edited node changes: the tree, the bilingual editor's fields
("English text of paragraph 3"), the tables, the chart, the preview, the panels, the
glossary window. A chip cannot be read by a screen reader, so the text edit's description
names the figure at the cursor: its indicator and its value.
"""

from __future__ import annotations

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QMainWindow, QWidget

from ..i18n import _
from .bound_text_edit import BoundTextEdit

#: The languages of the editor's fields, as their names say them.
_FIELD_LANGS = ("en", "zh")


def name(widget: QWidget | None, accessible: str, description: str = "") -> None:
    """Give ``widget`` an accessible name (and description), if it is there."""
    if widget is None:
        return
    if widget.accessibleName() != accessible:
        widget.setAccessibleName(accessible)
    if widget.accessibleDescription() != description:
        widget.setAccessibleDescription(description)


def name_main_window(window: QMainWindow) -> None:
    """Name every part of the main window (``ui.main_window.MainWindow``, which imports
    this module) that takes the focus."""
    name(window.tree_view, _("Structure of the report"),
         _("Parts, sections and paragraphs in English and Chinese; F2 renames, Alt+Up and "
           "Alt+Down move, the context menu adds and deletes"))
    name(window.text_tabs, _("Texts of the chosen part"), _("Edit the texts, or read them"))
    tables = window.indicators
    name(tables, _("Indicator tables"))
    name(tables.node_view, _("Indicators of this part"),
         _("The indicators the chosen part holds; edit a value in place"))
    name(tables.all_view, _("All indicators"))
    name(tables.filter_box, _("Filter indicators by name or key"))
    name(tables.year_box, _("Year of the indicators shown"))
    name(window.issues_panel.list, _("Issues found by the checks"),
         _("Enter goes to the place of an issue"))
    name(window.to_update_panel.list, _("What is still to update"),
         _("Enter goes there; Ctrl+Shift+U confirms the chosen rows unchanged"))
    chart = window.chart_pane.view
    for part in (chart, chart.viewport()):  # the chart is drawn on the view's viewport
        name(part, _("Chart of the chosen indicator"))
    name(window.preview.view, _("PDF preview"))
    name(window.search_box, _("Search the report in English and Chinese"))
    name_editor(window)


def name_editor(window: QMainWindow) -> None:
    """The editor's fields say which language and which paragraph (or part) they hold."""
    node = window.editor.node
    number = place = ""
    if node is not None and node.id is not None:
        place = window.tree_model.place(node.id)
        if node.kind == "paragraph":
            found = window.tree_model.node_by_id(node.id)
            number = str(window.tree_model.row_of(found) + 1) if found is not None else ""
    for lang in _FIELD_LANGS:
        english = lang == "en"
        if number:
            text = (_("English text of paragraph {number}") if english else
                    _("Chinese text of paragraph {number}")).format(number=number)
        else:
            text = _("English text") if english else _("Chinese text")
        edit = window.editor.texts[lang]
        edit.setProperty("place", place)
        name(edit, text, edit.accessibleDescription())
        describe_chip_at_cursor(edit)
        name(window.editor.titles[lang], _("English title") if english else _("Chinese title"),
             place)
        follow_chips(edit)


def follow_chips(edit: BoundTextEdit) -> None:
    """Describe the figure at the cursor of ``edit`` as the cursor moves (once per edit)."""
    if edit.property("describesChips"):
        return
    edit.setProperty("describesChips", True)
    edit.cursorPositionChanged.connect(lambda: describe_chip_at_cursor(edit))


def describe_chip_at_cursor(edit: BoundTextEdit) -> None:
    """The edit's description: the figure the cursor is at or just after, or its place."""
    position = edit.textCursor().position()
    chip = next((c for c in edit.chips() if c.position in (position, position - 1)), None)
    if chip is None or chip.kind == "char":
        text = edit.property("place") or ""
    else:
        document = QTextDocument()
        document.setHtml(edit.tooltip_html(chip))
        details = " ".join(document.toPlainText().split())
        # L10N: what a screen reader says of the figure at the cursor: the figure as shown,
        # then its indicator, year and value
        text = _("Figure {figure}: {details}").format(figure=chip.text, details=details)
    if edit.accessibleDescription() != text:
        edit.setAccessibleDescription(text)


def name_glossary_window(window: QWidget) -> None:
    """Name the glossary window's table, search box and filter."""
    name(window.view, _("Glossary terms"),
         _("English term, approved Chinese term, field and notes; edit in place"))
    name(window.search, _("Search the glossary"))
    name(window.status_filter, _("Show terms by status"))


def name_compare_window(window: QWidget) -> None:
    """Name the parts of Tools → Compare With… (``ui.compare_view.CompareWindow``)."""
    years = (window.comparison.a.year, window.comparison.b.year)
    name(window.table, _("Indicators of both years"),
         _("Each indicator's value in {first} and {second}, and the change").format(
             first=years[0], second=years[1]))
    name(window.nodes, _("Parts and paragraphs of both years"),
         _("Choose one to see its texts side by side"))
    name(window.lang_box, _("Language of the texts compared"))
    for browser, year in ((window.text_a, years[0]), (window.text_b, years[1])):
        name(browser, _("The text in {year}").format(year=year))
