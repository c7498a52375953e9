"""Edit → Add Indicator…: one new indicator value, checked as it is typed.

The key must be a valid reference (``a-z``, digits, ``_``) not yet used for the year; it
is suggested from the English name until the user types one. The names complete from the
glossary's terms (choosing an English term with an approved Chinese one fills the Chinese
name when it is empty). Unit and qualifier offer the lists the indicator table's editors
offer (:mod:`.indicator_delegates`); the value and the stated change are read exactly as a
typed cell is (``parse_cell`` of the table's model: ``15.08万``, ``150,800``,
``32 billion RMB``). Add stays off, with the reason shown, until everything reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..i18n import _
from ..model import FIRST_YEAR, LAST_YEAR
from ..store import unique_key
from ..terms.glossary import Glossary
from ..terms.labels import indicator_name
from .document import ReportDocument
from .indicator_delegates import UnitDelegate
from .indicator_model import QUALIFIER_NAMES, CellError
from .language import LanguageAware

KEY_RE = re.compile(r"[a-z0-9_]+")
#: Longest key accepted (a reference is typed into texts; keep it readable).
MAX_KEY = 64
ERROR_STYLE = "color: #b00020"


class AddIndicatorDialog(LanguageAware, QDialog):
    """Key, names, year, value, unit, qualifier and change of a new indicator."""

    def __init__(self, document: ReportDocument, parse_cell: Callable[[str, str], dict],
                 glossary: Glossary | None = None, parent: QWidget | None = None,
                 on_add: Callable[[dict[str, Any]], bool] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addIndicatorDialog")
        self.document = document
        self.parse_cell = parse_cell
        #: writes the checked row (True when written); the dialog stays open otherwise
        self.on_add = on_add
        self.added: dict[str, Any] | None = None
        self.glossary = glossary
        self._key_typed = False  # the user typed the key: stop suggesting one

        self.key = QLineEdit(objectName="keyEdit")
        self.key_note = QLabel(objectName="keyNote")
        self.key_note.setWordWrap(True)
        self.label_en = QLineEdit(objectName="labelEnEdit")
        self.label_zh = QLineEdit(objectName="labelZhEdit")
        self._completers(glossary)
        self.year = QSpinBox(objectName="yearEdit")
        self.year.setRange(FIRST_YEAR, LAST_YEAR)
        self.year.setValue(document.year)
        self.value = QLineEdit(objectName="valueEdit")
        self.unit = QComboBox(objectName="unitEdit")
        self.unit.setMinimumWidth(160)
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.unit.addItems(UnitDelegate(document.store).units())
        self.unit.setEditText("")
        self.qualifier = QComboBox(objectName="qualifierEdit")
        self.qualifier.setMinimumWidth(160)
        self.qualifier.addItem("", "")
        for key in QUALIFIER_NAMES:
            self.qualifier.addItem(key, key)
        self.yoy = QLineEdit(objectName="yoyEdit")
        self.message = QLabel(objectName="addIndicatorMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for widget in (self.label_en, self.label_zh, self.key, self.key_note, self.year,
                       self.value, self.unit, self.qualifier, self.yoy):
            self.form.addRow(QLabel(), widget)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.key.textEdited.connect(self._key_edited)
        self.label_en.textChanged.connect(self._label_changed)
        for edit in (self.key, self.label_zh, self.value, self.yoy):
            edit.textChanged.connect(self.check)
        self.unit.editTextChanged.connect(self.check)
        self.year.valueChanged.connect(self._year_changed)
        self.resize(520, 0)
        self.translateUI()

    def _completers(self, glossary: Glossary | None) -> None:
        terms = list(glossary) if glossary is not None else []
        english = sorted({t.english for t in terms if t.english}, key=str.lower)
        chinese = sorted({t.chinese for t in terms if t.chinese})
        for edit, words in ((self.label_en, english), (self.label_zh, chinese)):
            completer = QCompleter(words, self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)

    def may_translate(self) -> bool:
        return not self.document.store.closed  # a dialog left over from a closed report

    def translateUI(self) -> None:
        self.setWindowTitle(_("Add Indicator"))
        labels = (_("English name:"), _("Chinese name:"), _("Key:"), "", _("Year:"),
                  _("Value:"), _("Unit:"), _("Qualifier:"), _("YoY %:"))
        for row, text in enumerate(labels):
            label = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            label.setText(text)
        self.key.setPlaceholderText(_("e.g. patents_granted"))
        self.value.setPlaceholderText(_("e.g. 150,800 or 15.08万"))
        self.yoy.setPlaceholderText(_("optional, e.g. 14.28 or -3.5"))
        for index in range(1, self.qualifier.count()):
            self.qualifier.setItemText(index, _(QUALIFIER_NAMES[self.qualifier.itemData(index)]))
        self.add_button.setText(_("Add"))
        self.check()

    # -- following what is typed ------------------------------------------------------------

    def _key_edited(self, text: str) -> None:
        self._key_typed = bool(text)
        history = self.document.store.indicator_history(text.strip()) if text.strip() else []
        if history and not self.label_en.text() and not self.label_zh.text():
            latest = history[-1]  # another year's value of this indicator: its names and unit
            self.label_en.setText(latest["label_en"] or "")
            self.label_zh.setText(latest["label_zh"] or "")
            self.unit.setEditText(latest["unit"] or "")
            self.key.setText(text)  # the names do not suggest another key

    def _label_changed(self, text: str) -> None:
        if not self._key_typed:
            self.key.setText(self.suggested_key(text) if text.strip() else "")
        chinese, approved = indicator_name(self.glossary, text.strip(), "", "zh")
        if approved and chinese and not self.label_zh.text():
            self.label_zh.setText(chinese)
        self.check()

    def _year_changed(self, _year: int) -> None:
        if not self._key_typed and self.label_en.text().strip():
            self.key.setText(self.suggested_key(self.label_en.text()))
        self.check()

    def suggested_key(self, label: str) -> str:
        """A key made from the English name, not yet used for the year chosen."""
        base = unique_key(label, set())[:MAX_KEY]
        key, number = base, 2
        while self._taken(key):
            key = f"{base}_{number}"
            number += 1
        return key

    def _taken(self, key: str) -> bool:
        return bool(self.document.store.indicators_at([(key, self.year.value())]))

    def check(self) -> dict[str, Any] | None:
        """The row to add, or None; say what is missing or wrong (and keep Add off)."""
        problem, row, note = self._read()
        self.key_note.setText(note)
        self.form.setRowVisible(self.key_note, bool(note))
        self.message.setText(problem)
        self.add_button.setEnabled(row is not None and not self.document.readonly)
        return row

    def _read(self) -> tuple[str, dict[str, Any] | None, str]:
        """(what is wrong, the row, a note about the key)."""
        key, year = self.key.text().strip(), self.year.value()
        note = ""
        if not key:
            return _("Give the indicator a key (or an English name to make one from)."), \
                None, note
        if not KEY_RE.fullmatch(key) or len(key) > MAX_KEY:
            return _("The key “{key}” may use only lower-case letters a-z, digits and _ "
                     "(at most {count} characters).").format(key=key, count=MAX_KEY), None, note
        if self._taken(key):
            return _("The report already has the indicator “{key}” for {year}: change its "
                     "value in the table, or choose another key.").format(key=key, year=year), \
                None, note
        years = [r["year"] for r in self.document.store.indicator_history(key)]
        if years:
            note = _("“{key}” is already an indicator of {years}: this adds its value for "
                     "{year}.").format(key=key, years=", ".join(map(str, years)), year=year)
        row: dict[str, Any] = {"key": key, "year": year, "unit": "", "qualifier": "",
                               "yoy_pct": None}
        names = [(name, edit.text()) for name, edit in (("label_en", self.label_en),
                                                        ("label_zh", self.label_zh))]
        if not any(text.strip() for _n, text in names):
            return _("Give the indicator a name in English or in Chinese."), None, note
        for name, text in names:
            if text.strip():
                row.update(self.parse_cell(name, text))
        if not self.value.text().strip():
            return _("Type the value."), None, note
        try:
            if self.unit.currentText().strip():
                row.update(self.parse_cell("unit", self.unit.currentText()))
            row.update(self._value_fields(row["unit"]))
            row.update(self.parse_cell("qualifier", self.qualifier.currentData() or ""))
            row.update(self.parse_cell("yoy_pct", self.yoy.text()))
        except CellError as exc:
            return str(exc), None, note
        return "", row, note

    def _value_fields(self, unit: str) -> dict[str, Any]:
        """The value typed, read as a cell; a unit typed with it must agree with the
        unit chosen."""
        try:
            fields = self.parse_cell("value", self.value.text())
        except CellError as exc:
            raise CellError(_("Value: {reason}").format(reason=exc)) from None
        if unit and fields.get("unit") and fields["unit"] != unit:
            raise CellError(_("Value: “{value}” is in {found} but the unit chosen is "
                              "{unit}").format(value=self.value.text().strip(),
                                               found=fields["unit"], unit=unit))
        return fields

    def accept(self) -> None:
        """Add: only a row that reads, and only once it was written."""
        row = self.check()
        if row is None or (self.on_add is not None and not self.on_add(row)):
            return
        self.added = row
        super().accept()

    def row(self) -> dict[str, Any] | None:
        """The checked row to add (None while something is wrong)."""
        return self._read()[1]
