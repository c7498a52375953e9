"""Help → About: the version, what ipviewer is, and what it is built with under which licence.

The licences are read from the installed distributions' metadata (``License-Expression``,
else a short ``License`` field, else the ``License ::`` classifiers), so the dialog says
what is really installed; "Show Licence Texts…" shows the licence files the distributions
ship (the fonts' SIL Open Font License among them).
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..i18n import N_, _
from .language import LanguageAware

#: What ipviewer is built with: (distribution, what it does here). The first is Qt's.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("PySide6-Essentials", N_("Qt for Python: the window")),
    ("PySide6-Addons", N_("Qt Charts and Qt PDF: the chart and the PDF preview")),
    ("shiboken6", N_("Qt for Python's binding layer")),
    ("pylopdf-fonts-zh-cn", N_("Noto Serif SC and Noto Sans SC: the fonts of the PDF")),
    ("reportlab", N_("PDF layout")),
    ("fonttools", N_("font subsets for the PDF")),
    ("Babel", N_("numbers and plural rules of each language")),
    ("sqlite-utils", N_("the report file (SQLite)")),
    ("click", N_("the command line")),
    ("click-default-group", N_("the command line's default commands")),
    ("polib", N_("gettext catalog entries")),
    ("defusedxml", N_("safe reading of XML glossaries (TBX)")),
    ("openpyxl", N_("Excel workbooks (.xlsx)")),
    ("charset-normalizer", N_("deciding the encoding of a text")),
    ("opencc", N_("traditional Chinese read as simplified")),
)
#: The longest ``License`` field shown as it is (longer ones are licence texts).
SHORT_LICENSE = 60
#: An SPDX licence identifier with a version (``LGPL-3.0-only``, ``Apache-2.0``).
SPDX_ID = re.compile(r"[A-Za-z][A-Za-z0-9.+]*-[A-Za-z0-9.+-]+")
#: The most of a licence file shown.
MAX_LICENCE_CHARS = 200_000


@dataclass(frozen=True)
class Component:
    """An installed distribution: its version and licence ('' when not installed)."""

    name: str
    purpose: str
    version: str
    licence: str


def licence_of(meta) -> str:
    """A distribution's licence from its metadata, as short as it says it."""
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    field = (meta.get("License") or "").strip()
    if field and len(field) <= SHORT_LICENSE and "\n" not in field:
        return field
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    if classifiers:
        return ", ".join(classifiers)
    return field.splitlines()[0][:SHORT_LICENSE] if field else ""


def component(name: str, purpose: str = "") -> Component:
    """What the metadata says of one distribution."""
    try:
        meta = metadata.metadata(name)
    except metadata.PackageNotFoundError:
        return Component(name, purpose, "", "")
    return Component(name, purpose, meta.get("Version", ""), licence_of(meta))


def components() -> list[Component]:
    """Every component of :data:`COMPONENTS`, with Qt itself first."""
    found = [component(name, purpose) for name, purpose in COMPONENTS]
    qt = Component("Qt", N_("the toolkit under the window"), qVersion(), found[0].licence)
    return [qt, *found]


def licence_files(name: str) -> list[tuple[str, str]]:
    """The licence files a distribution ships: (its path in the distribution, the text)."""
    try:
        files = metadata.distribution(name).files or []
    except metadata.PackageNotFoundError:
        return []
    found = []
    for entry in files:
        upper = entry.name.upper()
        if entry.suffix == ".py" or not ("LICEN" in upper or "COPYING" in upper):
            continue
        try:
            text = entry.locate().read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found.append((str(entry), text[:MAX_LICENCE_CHARS]))
    return found


def no_licence_file(name: str) -> str:
    """What to say of a distribution that ships no licence file: the licence its metadata
    names and, for SPDX identifiers (``LGPL-3.0-only OR GPL-3.0-only``), where each text is."""
    licence = component(name).licence
    said = _("{name} ships no licence file. Its metadata names the licence: {licence}."
             ).format(name=name, licence=licence or _("not stated"))
    ids = [word for word in re.split(r"[\s()]+", licence)
           if word and word not in ("OR", "AND", "WITH")]
    if ids and all(SPDX_ID.fullmatch(word) for word in ids):
        said += "\n\n" + "\n".join(f"https://spdx.org/licenses/{word}.html" for word in ids)
    return said


class LicenceTexts(LanguageAware, QDialog):
    """The licence files of the components: a list of files, the text of the chosen one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("licenceTexts")
        self.resize(900, 620)
        self.files = QListWidget()
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        for name, _purpose in COMPONENTS:
            files = licence_files(name)
            for path, text in files:
                item = QListWidgetItem(f"{name}: {path.rsplit('/', 1)[-1]}")
                item.setToolTip(path)
                item.setData(Qt.ItemDataRole.UserRole, text)
                self.files.addItem(item)
            if not files:  # PySide6's wheels ship none: say where the named licence is
                item = QListWidgetItem(f"{name}: —")
                item.setData(Qt.ItemDataRole.UserRole + 1, name)
                self.files.addItem(item)
        self.files.currentItemChanged.connect(lambda item, _old: self._show(item))
        splitter = QSplitter()
        splitter.addWidget(self.files)
        splitter.addWidget(self.text)
        splitter.setSizes([280, 620])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        if self.files.count():
            self.files.setCurrentRow(0)
        self.translateUI()

    def translateUI(self) -> None:
        self.setWindowTitle(_("Licence Texts"))
        self.files.setAccessibleName(_("Licence files"))
        self.text.setAccessibleName(_("Licence text"))
        self._show(self.files.currentItem())

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is None:
            self.text.clear()
        elif item.data(Qt.ItemDataRole.UserRole + 1):
            self.text.setPlainText(no_licence_file(item.data(Qt.ItemDataRole.UserRole + 1)))
        else:
            self.text.setPlainText(item.data(Qt.ItemDataRole.UserRole))

    def show_component(self, name: str) -> bool:
        """Show the first licence file of a component; False when it ships none."""
        for row in range(self.files.count()):
            if self.files.item(row).text().startswith(f"{name}: "):
                self.files.setCurrentRow(row)
                return True
        return False


class AboutDialog(LanguageAware, QDialog):
    """The version, what ipviewer is, and its components with their licences."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.resize(980, 600)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.components = components()
        self.table = QTableWidget(len(self.components), 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.licence_button = QPushButton()
        self.licence_button.clicked.connect(self.show_licences)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.licence_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.licences: LicenceTexts | None = None
        self.translateUI()

    def translateUI(self) -> None:
        self.setWindowTitle(_("About ipviewer"))
        self.heading.setText(
            "<h2>ipviewer {version}</h2><p>{what}</p><p>{runtime}</p>".format(
                version=__version__,
                what=_("An editor for the annual bilingual (Chinese and English) white paper on "
                       "intellectual property: its structure, both languages side by side, the "
                       "indicators bound to the text, checks before publishing, and a "
                       "print-ready PDF. It works offline."),
                runtime=_("Python {python}, Qt {qt}, PySide6 {pyside}. ipviewer is free "
                          "software under the MIT licence; it is built with:").format(
                    python=platform.python_version(), qt=qVersion(), pyside=pyside_version)))
        self.table.setHorizontalHeaderLabels(
            [_("Component"), _("What it does"), _("Version"), _("Licence")])
        for row, part in enumerate(self.components):
            texts = (part.name, _(part.purpose), part.version or _("not installed"),
                     part.licence or _("not stated"))
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        for column in range(3):
            self.table.resizeColumnToContents(column)
        self.licence_button.setText(_("Show Licence Texts…"))
        self.table.setAccessibleName(_("Components and their licences"))

    def licence(self, name: str) -> str:
        """The licence shown for a component."""
        return next((part.licence for part in self.components if part.name == name), "")

    def show_licences(self) -> LicenceTexts:
        """The licence texts, in a window of their own."""
        if self.licences is None:
            self.licences = LicenceTexts(self)
        self.licences.show()
        self.licences.raise_()
        return self.licences
