"""Edit → Find: the search box of the toolbar, going from match to match in the report's
texts (either language)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QStatusBar

from ..i18n import _, ngettext
from ..store import ReportStore


class ReportSearch:
    """The search box and the matches of its text (Enter again: the next one)."""

    def __init__(self, store: Callable[[], ReportStore], select_node: Callable[[int], None],
                 status: QStatusBar) -> None:
        self._store, self._select, self._status = store, select_node, status
        self._matches: list[int] = []
        self._text = ""
        self.box = QLineEdit()
        self.box.setObjectName("searchBox")
        self.box.setClearButtonEnabled(True)
        self.box.setMaximumWidth(320)
        self.box.returnPressed.connect(self.find_next)

    def focus(self) -> None:
        """Put the cursor in the search box, its text selected (Ctrl+F)."""
        self.box.setFocus()
        self.box.selectAll()

    def forget(self) -> None:
        """Forget the matches (another report is shown)."""
        self._matches, self._text = [], ""

    def translateUI(self) -> None:
        """The box's hint in the current UI language."""
        self.box.setPlaceholderText(_("Find in both languages (Ctrl+F)"))

    def find_next(self) -> None:
        """Go to the next part of the report whose text contains the search box's text, in
        either language (Enter again: the next one)."""
        text = self.box.text().strip()
        if not text:
            return
        if text != self._text:
            self._text = text
            self._matches = [row["id"] for row in self._store().search(text)]
        if not self._matches:
            self._status.showMessage(_("No match for “{text}”").format(text=text), 5000)
            return
        node_id = self._matches.pop(0)
        self._matches.append(node_id)  # round and round
        self._select(node_id)
        self._status.showMessage(
            ngettext("{count} match for “{text}”", "{count} matches for “{text}”",
                     len(self._matches)).format(count=len(self._matches), text=text), 5000)
