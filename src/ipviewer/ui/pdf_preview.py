"""The PDF preview: an exported PDF, all pages in one scrolling view (QtPdf).

The file is read into memory and shown from a buffer the widget owns, so it is never held
open: on Windows an open file could not be overwritten by the next export.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..i18n import _, ngettext
from .actions import PREVIEW_ACTIONS, ActionRegistry
from .language import LanguageAware

#: A PDF starts with this, within its first kilobyte (some writers put junk before it).
PDF_MAGIC = b"%PDF-"
ZOOM_STEP = 1.25
ZOOM_RANGE = (0.1, 8.0)


class PdfPreview(LanguageAware, QWidget):
    """All pages of one PDF, fitted to the width; zoom in and out; open in the system viewer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.path: Path | None = None
        #: Opens a URL in the system's viewer; tests replace it.
        self.opener: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self._data = QByteArray()
        self._buffer: QBuffer | None = None
        self._problem_args: tuple[str, str] = ("", "")  # (file name, reason) when not shown

        self.registry = ActionRegistry(self, PREVIEW_ACTIONS)
        buttons = []
        for action_id in ("zoom_out", "zoom_in", "fit_width"):
            button = QToolButton()
            button.setDefaultAction(self.registry[action_id])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.append(button)
        self.zoom_out_button, self.zoom_in_button, self.fit_width_button = buttons
        self.page_label = QLabel()
        self.page_label.setObjectName("pageCount")
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_in_system_viewer)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 4)
        for button in buttons:
            bar.addWidget(button)
        bar.addSpacing(12)
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        bar.addWidget(self.open_button)

        self.message = QLabel()
        self.message.setObjectName("previewMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.message.setMargin(24)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.document = QPdfDocument(self)
        self.document.statusChanged.connect(self._status_changed)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self.resize(720, 900)
        self._set_problem("", "")
        self.translateUI()

    # -- the API -------------------------------------------------------------------------

    def show_pdf(self, path: Path) -> bool:
        """Show the PDF at ``path``; False, with the reason shown in the widget, if it cannot.

        The whole file is read at once and the file closed again before anything is shown.
        """
        path = Path(path)
        self._unload()
        self.path = path
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return self._fail(path, "missing")
        except IsADirectoryError:
            return self._fail(path, "folder")
        except PermissionError:
            return self._fail(path, "permission")
        except OSError as exc:
            return self._fail(path, exc.strerror or str(exc))
        if PDF_MAGIC not in data[:1024]:
            return self._fail(path, "not-pdf")
        self._data = QByteArray(data)
        self._buffer = QBuffer(self)
        self._buffer.setData(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.open_button.setEnabled(True)
        if self.document.status() == QPdfDocument.Status.Error:
            return self._fail(path, self._document_error(), keep_open_button=True)
        self._set_problem("", "")
        self.fit_width()
        self.translateUI()
        return True

    def page_count(self) -> int:
        """Pages of the PDF shown (0 when none is)."""
        if self.document is None or self.document.status() != QPdfDocument.Status.Ready:
            return 0
        return self.document.pageCount()

    def is_showing(self) -> bool:
        """Whether a PDF is shown (rather than a message)."""
        return self.view is not None and self.stack.currentWidget() is self.view

    def problem(self) -> str:
        """Why the last file is not shown, in the UI language ('' when it is)."""
        return self.message.text() if not self.is_showing() else ""

    def open_in_system_viewer(self) -> bool:
        """Hand the file to the system's PDF viewer."""
        if self.path is None:
            return False
        return bool(self.opener(QUrl.fromLocalFile(str(self.path))))

    def fit_width(self) -> None:
        """Zoom so that a page fills the width of the view (the default)."""
        if self.view is not None:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.registry["fit_width"].setChecked(True)

    def zoom_in(self) -> None:
        """One step bigger (Ctrl++)."""
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        """One step smaller (Ctrl+-)."""
        self.zoom_by(1 / ZOOM_STEP)

    def zoom_by(self, factor: float) -> None:
        """Zoom in (``factor`` > 1) or out from what is shown now."""
        if self.view is None:
            return
        low, high = ZOOM_RANGE
        self.view.setZoomFactor(min(high, max(low, self.zoom_factor() * factor)))
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.registry["fit_width"].setChecked(False)

    def zoom_factor(self) -> float:
        """The zoom shown, also when fitted to the width (QPdfView reports 1 then)."""
        if self.view is None:
            return 1.0
        if self.view.zoomMode() != QPdfView.ZoomMode.FitToWidth or not self.page_count():
            return self.view.zoomFactor()
        widest = max(self.document.pagePointSize(p).width() for p in range(self.page_count()))
        margins = self.view.documentMargins()
        room = self.view.viewport().width() - margins.left() - margins.right()
        pixels_per_point = self.view.logicalDpiX() / 72.0
        return max(ZOOM_RANGE[0], room / (widest * pixels_per_point)) if widest else 1.0

    # -- loading and failing -------------------------------------------------------------

    def _unload(self) -> None:
        if self.document is not None:
            self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
        self._data = QByteArray()
        self.open_button.setEnabled(False)

    def _fail(self, path: Path, reason: str, keep_open_button: bool = False) -> bool:
        if not keep_open_button:
            self._unload()
        self._set_problem(path.name, reason)
        self.message.setToolTip(str(path))
        self.translateUI()
        return False

    def _set_problem(self, name: str, reason: str) -> None:
        self._problem_args = (name, reason)
        self.stack.setCurrentWidget(self.message if name or self.view is None else self.view)
        if not name:
            self.message.setToolTip("")

    def _document_error(self) -> str:
        error = self.document.error()
        if error == QPdfDocument.Error.IncorrectPassword:
            return "password"
        if error == QPdfDocument.Error.UnsupportedSecurityScheme:
            return "security"
        return "damaged"

    def _status_changed(self, status) -> None:
        # Loading from a buffer finishes within load() today; a later error is shown all the same.
        if status == QPdfDocument.Status.Error and self._buffer is not None:
            self._fail(self.path, self._document_error(), keep_open_button=True)
        else:
            self.translateUI()

    def _reason_text(self, reason: str) -> str:
        texts = {
            "missing": _("the file does not exist"),
            "folder": _("it is a folder, not a file"),
            "permission": _("you do not have permission to read it"),
            "not-pdf": _("it is not a PDF file"),
            "password": _("it is protected by a password"),
            "security": _("its encryption is not supported"),
            "damaged": _("the PDF is damaged or uses features the preview cannot read"),
        }
        return texts.get(reason, reason)

    # -- texts ---------------------------------------------------------------------------

    def translateUI(self) -> None:
        """Every visible text in the UI language."""
        name, reason = self._problem_args
        title = _("PDF Preview")
        self.setWindowTitle(f"{self.path.name} – {title}" if self.path is not None else title)
        self.registry.translateUI()
        self.open_button.setText(_("Open in System Viewer"))
        self.open_button.setToolTip(_("Open the PDF in the program the system uses for PDFs"))
        if name:
            self.message.setText(_("Cannot show {name}: {reason}.").format(
                name=name, reason=self._reason_text(reason)))
        elif self.path is None:
            self.message.setText(_("No PDF to preview yet."))
        count = self.page_count()
        self.page_label.setText(
            ngettext("{count} page", "{count} pages", count).format(count=count)
            if count else "")
        for action in self.registry.values():
            action.setEnabled(count > 0)
