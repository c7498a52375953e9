"""Edit → Preferences… (Ctrl+,): the editor's name, the export's defaults, the PDF's font,
autosave and the UI language.

The values are kept by :mod:`ipviewer.preferences` (a JSON file the command line reads too),
except the UI language, which is View → Language's setting (:mod:`.language`). OK and Apply
check the values first: a font file that is not a usable font is refused with the reason,
shown in the dialog, and nothing is saved.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .. import i18n, preferences
from ..i18n import N_, _
from ..preferences import MAX_AUTOSAVE_MINUTES, Preferences
from .language import LanguageAware, apply_language
from .shortcuts_dialog import plain

#: The export languages offered (as ``ExportOptions.lang``), with their names.
EXPORT_LANGUAGES = (("zh", N_("Chinese")), ("en", N_("English")),
                    ("both", N_("Both (Chinese, then English)")))
#: The papers offered (as ``ExportOptions.paper``), with their names.
PAPERS = (("A4", "A4"), ("letter", "Letter"))
#: A character every Chinese font has.
CHINESE_PROBE = "中"


def font_problem(path: str) -> str:
    """Why the file at ``path`` cannot be the PDF's Chinese font ('' when it can)."""
    from fontTools.ttLib import TTFont

    from ..pdf.font_files import FontError, font_source

    try:
        source = font_source(path)
    except FontError as exc:
        return exc.reason
    try:
        with TTFont(source.path, fontNumber=source.index or 0, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception as exc:  # noqa: BLE001 (fontTools raises many kinds on a bad file)
        return _("is a damaged font: {reason}").format(reason=exc)
    if ord(CHINESE_PROBE) not in cmap:
        return _("has no Chinese characters")
    return ""


class PreferencesDialog(LanguageAware, QDialog):
    """The preferences form, with OK, Cancel and Apply."""

    #: The preferences saved by OK or Apply.
    applied = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        saved, problems = preferences.read()
        self.saved = saved
        self.name = QLineEdit(saved.editor_name)
        self.name_hint = QLabel()
        self.name_hint.setWordWrap(True)
        self.export_language = QComboBox()
        for code, _label in EXPORT_LANGUAGES:
            self.export_language.addItem("", code)
        self.export_language.setCurrentIndex(self.export_language.findData(saved.export_lang))
        self.paper = QComboBox()
        for code, label in PAPERS:
            self.paper.addItem(label, code)
        self.paper.setCurrentIndex(self.paper.findData(saved.export_paper))
        self.draft = QCheckBox()
        self.draft.setChecked(saved.export_draft)
        self.font_path = QLineEdit(saved.cjk_font)
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse_font)
        self.font_default = QPushButton()
        self.font_default.clicked.connect(self.font_path.clear)
        self.font_hint = QLabel()
        self.font_hint.setWordWrap(True)
        self.autosave = QSpinBox()
        self.autosave.setRange(0, MAX_AUTOSAVE_MINUTES)
        self.autosave.setValue(saved.autosave_minutes)
        self.language = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.error = QLabel()
        self.error.setObjectName("preferencesError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                       | QDialogButtonBox.StandardButton.Cancel
                                       | QDialogButtonBox.StandardButton.Apply)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        self._build()
        self.translateUI()
        self.show_problem("\n".join(problems))

    def _build(self) -> None:
        self.you = QGroupBox()
        you = QFormLayout(self.you)
        self.name_label = QLabel()
        you.addRow(self.name_label, self.name)
        you.addRow("", self.name_hint)
        self.export_box = QGroupBox()
        export = QFormLayout(self.export_box)
        self.language_label, self.paper_label = QLabel(), QLabel()
        export.addRow(self.language_label, self.export_language)
        export.addRow(self.paper_label, self.paper)
        export.addRow("", self.draft)
        font_row = QHBoxLayout()
        font_row.addWidget(self.font_path, 1)
        font_row.addWidget(self.browse)
        font_row.addWidget(self.font_default)
        self.font_label = QLabel()
        export.addRow(self.font_label, font_row)
        export.addRow("", self.font_hint)
        self.window_box = QGroupBox()
        window = QFormLayout(self.window_box)
        self.autosave_label, self.ui_language_label = QLabel(), QLabel()
        window.addRow(self.autosave_label, self.autosave)
        window.addRow(self.ui_language_label, self.language)
        for label, field in ((self.name_label, self.name), (self.font_label, self.font_path),
                             (self.autosave_label, self.autosave),
                             (self.ui_language_label, self.language),
                             (self.language_label, self.export_language),
                             (self.paper_label, self.paper)):
            label.setBuddy(field)
        layout = QVBoxLayout(self)
        for part in (self.you, self.export_box, self.window_box, self.error, self.buttons):
            layout.addWidget(part)
        self.setMinimumWidth(640)

    def translateUI(self) -> None:
        self.setWindowTitle(_("Preferences"))
        self.you.setTitle(_("You"))
        self.name_label.setText(_("&Editor's name:"))
        self.name.setPlaceholderText(_("the login name: {name}").format(
            name=_login_name() or "—"))
        self.name_hint.setText(_("Recorded with each value or text you confirm unchanged. "
                                 "The IPVIEWER_EDITOR variable, when set, comes first."))
        self.export_box.setTitle(_("Export"))
        self.language_label.setText(_("&Language:"))
        for row, (_code, label) in enumerate(EXPORT_LANGUAGES):
            self.export_language.setItemText(row, _(label))
        self.paper_label.setText(_("&Paper:"))
        self.draft.setText(_("&Draft (DRAFT / 草稿 on every page)"))
        self.font_label.setText(_("Chinese &font:"))
        self.font_path.setPlaceholderText(_("the bundled Noto Serif SC and Noto Sans SC"))
        self.browse.setText(_("Browse…"))
        self.font_default.setText(_("Bundled"))
        self.font_hint.setText(_("A TrueType or OpenType font with Chinese characters (.ttf, "
                                 ".otf, .ttc) for the PDF's text; its Latin letters are used "
                                 "too. `ipviewer export --font` overrides it."))
        self.window_box.setTitle(_("Window"))
        self.autosave_label.setText(_("Auto&save every:"))
        self.autosave.setSuffix(_(" min"))
        self.autosave.setSpecialValueText(_("Off"))
        self.ui_language_label.setText(_("&Interface language:"))
        for label in (self.name_label, self.language_label, self.paper_label, self.font_label,
                      self.autosave_label, self.ui_language_label):
            label.buddy().setAccessibleName(plain(label.text()).rstrip(":："))
        self.draft.setAccessibleName(plain(self.draft.text()))

    def chosen(self) -> Preferences:
        """The preferences as the form shows them (not yet checked)."""
        font = self.font_path.text().strip()
        return self.saved.changed(
            editor_name=self.name.text().strip(),
            export_lang=self.export_language.currentData(),
            export_paper=self.paper.currentData(),
            export_draft=self.draft.isChecked(),
            cjk_font=str(Path(font).expanduser().absolute()) if font else "",
            autosave_minutes=self.autosave.value())

    def apply(self) -> bool:
        """Check and save the preferences, and switch the UI language; False (and the reason
        shown) when a value is refused or the file cannot be written."""
        chosen = self.chosen()
        if chosen.cjk_font and chosen.cjk_font != self.saved.cjk_font:
            reason = font_problem(chosen.cjk_font)
            if reason:
                self.show_problem(_("{path}: {reason}. Choose another font, or Bundled.")
                                  .format(path=chosen.cjk_font, reason=reason))
                self.font_path.setFocus()
                return False
        try:
            path = preferences.save(chosen)
        except (OSError, ValueError) as exc:
            self.show_problem(_("The preferences were not saved to {path}: {reason}").format(
                path=preferences.preferences_path(),
                reason=getattr(exc, "strerror", None) or exc))
            return False
        self.saved = chosen
        self.show_problem("")
        self.setToolTip(str(path))
        code = self.language.currentData()
        if code != i18n.current_language():
            apply_language(code)
        self.applied.emit(chosen)
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()

    def show_problem(self, message: str) -> None:
        """Show what was refused (or nothing)."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _browse_font(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Chinese font"), self.font_path.text(),
            _("Fonts (*.ttf *.otf *.ttc);;All files (*)"))
        if name:
            self.font_path.setText(name)


def _login_name() -> str:
    """Who the system says is logged in (what confirmations record without a name)."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""
