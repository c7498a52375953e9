"""Help → Manual (F1): the offline manual shipped with the package, in the UI language.

The pages are HTML files under ``ipviewer/manual/<language>/`` (package data, read with
:mod:`importlib.resources`, so they are found in a wheel or a zip alike), one per job; both
languages have the same pages, listed in :data:`PAGES`. The window shows the contents on
the left and a page on the right (a :class:`QTextBrowser` that reads the pages itself, so
links between pages, Back and Forward work); a language switch shows the same page in the
new language. "Open in Browser" opens the page's file (copied to a temporary folder first
when the package is not a folder on disk). F1 opens the page for where the focus is.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .. import i18n
from ..i18n import _
from .language import LanguageAware

#: The manual's pages, in the order of its contents (file names without ``.html``).
PAGES: tuple[str, ...] = (
    "index", "open", "new-report", "import-text", "texts", "indicators", "bind", "checks",
    "annual-cycle", "compare", "glossary", "export", "saving", "shortcuts", "preferences",
)
#: In a page: where the window puts something it builds (the table of shortcuts).
GENERATED = re.compile(r"<!--\s*generated:([a-z-]+)\s*-->")
#: The main window's parts by attribute, and the page about each (for F1).
CONTEXT_PAGES: tuple[tuple[str, str], ...] = (
    ("tree_view", "texts"), ("editor", "texts"), ("text_view", "texts"),
    ("indicators", "indicators"), ("chart_pane", "indicators"), ("issues_panel", "checks"),
    ("to_update_panel", "annual-cycle"), ("preview_dock", "export"),
    ("glossary_window", "glossary"),
)


def manual_language(code: str | None = None) -> str:
    """The folder of the manual for a UI language (English for any other)."""
    code = code or i18n.current_language()
    return code if (resources.files("ipviewer") / "manual" / code).is_dir() else "en"


def page_resource(page: str, language: str | None = None):
    """The page's file as a package resource (a Traversable)."""
    return resources.files("ipviewer") / "manual" / manual_language(language) / f"{page}.html"


@cache
def page_html(page: str, language: str) -> str:
    """The page's HTML as shipped."""
    return page_resource(page, language).read_text(encoding="utf-8")


def page_title(page: str, language: str | None = None) -> str:
    """The page's title (its ``<title>``)."""
    found = re.search(r"<title>(.*?)</title>", page_html(page, manual_language(language)), re.DOTALL)
    return html.unescape(found.group(1).strip()) if found else page


def page_file(page: str, language: str | None = None) -> Path:
    """A file on disk holding the page (and its neighbours, for the links), for a browser."""
    resource = page_resource(page, language)
    if isinstance(resource, Path) and resource.is_file():
        return resource
    folder = Path(tempfile.mkdtemp(prefix="ipviewer-manual-"))
    for item in resource.parent.iterdir():
        if item.name.endswith(".html"):
            (folder / item.name).write_bytes(item.read_bytes())
    return folder / resource.name


def page_for(widget: QWidget | None, window: QObject) -> str:
    """The page about the part of ``window`` that holds ``widget`` ('index' when none)."""
    while widget is not None:
        for attribute, page in CONTEXT_PAGES:
            if getattr(window, attribute, None) is widget:
                return page
        widget = widget.parentWidget()
    return "index"


def page_of(url: QUrl) -> str:
    """The page a URL names ('' for none)."""
    name = url.fileName()
    return name.removesuffix(".html") if name.endswith(".html") else ""


class ManualBrowser(QTextBrowser):
    """Reads the manual's pages from the package: relative links go to other pages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(True)  # a web address goes to the system's browser
        #: Builders of the page parts marked ``<!-- generated:NAME -->``.
        self.generators: dict[str, Callable[[], str]] = {}

    def page(self) -> str:
        """The page shown ('' before any)."""
        return page_of(self.source())

    def loadResource(self, kind: int, url: QUrl):
        name = url.fileName()
        if (kind == QTextDocument.ResourceType.HtmlResource and not url.scheme()
                and name.removesuffix(".html") in PAGES):
            text = page_html(name.removesuffix(".html"), manual_language())
            return GENERATED.sub(self._generated, text)
        return super().loadResource(kind, url)

    def _generated(self, match: re.Match) -> str:
        build = self.generators.get(match.group(1))
        return build() if build is not None else ""


class HelpWindow(LanguageAware, QWidget):
    """The manual: contents on the left, the page on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("helpWindow")
        self.resize(960, 680)
        self.contents = QListWidget()
        self.contents.setObjectName("manualContents")
        self.contents.currentItemChanged.connect(self._chosen)
        self.browser = ManualBrowser()
        self.browser.setObjectName("manualPage")
        self.browser.sourceChanged.connect(self._shown)
        self.back = QPushButton()
        self.back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(self.back.setEnabled)
        self.forward = QPushButton()
        self.forward.clicked.connect(self.browser.forward)
        self.browser.forwardAvailable.connect(self.forward.setEnabled)
        self.back.setEnabled(False)
        self.forward.setEnabled(False)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_in_browser)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addWidget(self.forward)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setSizes([240, 720])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        for page in PAGES:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, page)
            self.contents.addItem(item)
        self.translateUI()

    def translateUI(self) -> None:
        """The buttons, the contents and the page shown, in the current UI language."""
        self.setWindowTitle(_("ipviewer Manual"))
        self.back.setText(_("Back"))
        self.forward.setText(_("Forward"))
        self.open_button.setText(_("Open in Browser"))
        self.open_button.setToolTip(_("Show this page in the system's web browser"))
        self.contents.setAccessibleName(_("Contents"))
        self.browser.setAccessibleName(_("Manual page"))
        for row in range(self.contents.count()):
            item = self.contents.item(row)
            item.setText(page_title(item.data(Qt.ItemDataRole.UserRole)))
        if self.browser.page():
            self.browser.reload()

    def show_page(self, page: str) -> None:
        """Show a page of the manual ('index': the first page)."""
        if page not in PAGES:
            page = "index"
        if self.browser.page() != page:
            self.browser.setSource(QUrl(f"{page}.html"))
        self.show()
        self.raise_()
        self.activateWindow()

    def open_in_browser(self) -> None:
        """The page shown, in the system's web browser."""
        page = self.browser.page() or "index"
        try:
            path = page_file(page)
        except OSError as exc:
            QMessageBox.warning(self, _("ipviewer Manual"), _(
                "The page cannot be copied for the browser: {reason}").format(
                reason=exc.strerror or exc))
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.warning(self, _("ipviewer Manual"), _(
                "No web browser could open {path}").format(path=path))

    def _chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None:
            self.show_page(item.data(Qt.ItemDataRole.UserRole))

    def _shown(self, url: QUrl) -> None:
        """Follow a link in the contents (without choosing the page again)."""
        page = page_of(url)  # (the browser's source() is not yet the new one)
        if page in PAGES:
            self.contents.blockSignals(True)
            self.contents.setCurrentRow(PAGES.index(page))
            self.contents.blockSignals(False)


def focused_page(window: QObject) -> str:
    """The page about the part of ``window`` that has the focus."""
    return page_for(QApplication.focusWidget(), window)
