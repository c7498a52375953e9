"""Tools → Compare With…: the report shown against another year's, in a window of its own.

The indicators of both years in a table (the two values, the change, the stated
year-on-year change and whether it agrees; rows with a finding coloured, the findings in
the tooltip), the nodes of the report in a list (changed ones in bold), and for the node
chosen its two texts side by side with what changed highlighted. The comparison itself
is :func:`ipviewer.compare.compare_stores`; this module only shows it. The report shown is
read as it is being edited (the working copy), so unsaved edits are compared too. The
comparison is made in a thread of its own (:class:`Background`: it opens its own
connections), as it is again when the UI language changes (its messages are in it).
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..compare import (
    FINDING_NAMES,
    CompareError,
    Comparison,
    NodePair,
    compare_stores,
    shown_number,
    verdict_name,
)
from ..i18n import _, report_language
from ..model import display_title
from ..safe_write import same_file
from ..store import ReportStore, StoreError
from ..text_diff import Segment
from .accessibility import name_compare_window
from .language import LanguageAware
from .locations import path_place
from .opening import REPORT_FILTER

#: Colours: a stated change that disagrees, a warning, removed and added text.
MISMATCH, WARNING = QColor("#f4c7c3"), QColor("#fce8b2")
DELETED_CSS = "background-color:#f6c6c6; text-decoration:line-through"
INSERTED_CSS = "background-color:#c8ecc8"

class Background(QObject):
    """Runs a comparison in a thread of its own (a report of 20,000 paragraphs takes
    seconds) and reports in the window's thread: ``done(Comparison)`` or ``failed(message)``.
    The thread touches no Qt object at all — it opens its own SQLite connections and leaves
    its result in a :class:`~concurrent.futures.Future` that a timer of this object looks at
    — so nothing of Qt is used, emitted or freed outside the window's thread. If this object
    is gone by the time the thread ends (its window closed), the result is simply dropped."""

    done = Signal(object)
    failed = Signal(str)

    #: How often the window's thread looks whether the comparison is done (ms).
    POLL_MS = 30

    def __init__(self, compute: Callable[[], Comparison], parent: QObject) -> None:
        super().__init__(parent)
        self.running = True
        self._result: Future[tuple[Comparison | None, str]] = Future()
        self._thread = threading.Thread(target=_compare_in_thread,
                                        args=(compute, self._result), daemon=True,
                                        name="compare")
        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self._look)
        self.done.connect(self._ended)
        self.failed.connect(self._ended)

    def start(self) -> None:
        """Start the work: after the caller connected ``done`` and ``failed``."""
        self._thread.start()
        self._timer.start()

    def _look(self) -> None:
        if not self._result.done():
            return
        self._timer.stop()
        result, problem = self._result.result()
        if result is None:
            self.failed.emit(problem)
        else:
            self.done.emit(result)

    def _ended(self, *_args: object) -> None:
        self.running = False


def _compare_in_thread(compute: Callable[[], Comparison],
                       result: Future[tuple[Comparison | None, str]]) -> None:
    """The comparison thread: plain Python only, its outcome left in ``result``."""
    try:
        outcome: tuple[Comparison | None, str] = (compute(), "")
    except (CompareError, StoreError) as exc:
        outcome = (None, str(exc))
    except Exception as exc:  # noqa: BLE001 - said in the window, not a crash
        outcome = (None, _("the comparison failed: {reason}").format(reason=exc))
    result.set_result(outcome)


class PendingComparison(QObject):
    """A comparison asked for from the window: ``view`` once it is shown, ``problem`` once
    it could not be made (and was said in a message box)."""

    def __init__(self, window: QMainWindow, compute: Callable[[], Comparison]) -> None:
        super().__init__(window)
        self.window = window
        self.compute = compute
        self.view: CompareWindow | None = None
        self.problem = ""
        window.statusBar().showMessage(_("Comparing…"))
        self.work = Background(compute, self)
        self.work.done.connect(self._show)
        self.work.failed.connect(self._fail)
        self.work.start()

    def _show(self, result: Comparison) -> None:
        self.window.statusBar().clearMessage()
        view = CompareWindow(result, self.compute, self.window)
        view.setWindowFlag(Qt.WindowType.Window)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.resize(1200, 800)
        view.show()
        self.view = view

    def _fail(self, problem: str) -> None:
        self.window.statusBar().clearMessage()
        self.problem = problem
        QMessageBox.warning(self.window, _("Cannot compare"), problem)


def choose_and_compare(window: QMainWindow) -> PendingComparison | None:
    """Ask for the other year's report, then compare and show (None if cancelled)."""
    name, _filter = QFileDialog.getOpenFileName(
        window, _("Compare with another year's report"), str(window.report_path.parent),
        _(REPORT_FILTER))
    return open_comparison(window, Path(name)) if name else None


def open_comparison(window: QMainWindow, other: Path) -> PendingComparison | None:
    """Compare the report of ``window`` with the report file ``other`` in the background
    and show it; None (and a message) when ``other`` is the report shown itself."""
    window.commit_editors()
    shown, working = window.report_path, window.store.path
    if other.exists() and any(p.exists() and same_file(other, p) for p in (shown, working)):
        QMessageBox.warning(window, _("Cannot compare"), _(
            "{path} is the report shown: choose another year's report").format(path=other))
        return None
    return PendingComparison(window, lambda: comparison_of(working, shown, other))


def comparison_of(working: Path, shown: Path, other: Path) -> Comparison:
    """The report being edited (its working copy ``working``, named ``shown``) against the
    report file ``other``, the earlier year first (CompareError / StoreError on failure)."""
    with ReportStore.open(working, readonly=True) as mine, \
            ReportStore.open(other, readonly=True) as theirs:
        for store in (mine, theirs):
            store.require_sound()
        if theirs.report()["year"] < mine.report()["year"]:
            result = compare_stores(theirs, mine)
            result.b = replace(result.b, path=str(shown))
        else:
            result = compare_stores(mine, theirs)
            result.a = replace(result.a, path=str(shown))
    return result


class CompareWindow(LanguageAware, QWidget):
    """Two years of a report side by side (see the module's description)."""

    def __init__(self, comparison: Comparison, compute: Callable[[], Comparison],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison = comparison
        self._compute = compute  # made again in the background when the language changes
        self.refreshing: Background | None = None
        self._fresh = True
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.currentCellChanged.connect(lambda row, *_rest: self._indicator_chosen(row))
        self.nodes = QListWidget()
        self.nodes.currentRowChanged.connect(lambda _row: self._show_texts())
        self.lang_box = QComboBox()
        self.lang_box.currentIndexChanged.connect(lambda _i: self._show_texts())
        self.lang_label = QLabel()
        self.label_a, self.label_b = QLabel(), QLabel()
        self.text_a, self.text_b = QTextBrowser(), QTextBrowser()
        self._pairs: list[NodePair] = []

        texts = QWidget()
        grid = QVBoxLayout(texts)
        grid.setContentsMargins(0, 0, 0, 0)
        choose = QHBoxLayout()
        choose.addWidget(self.lang_label)
        choose.addWidget(self.lang_box)
        choose.addStretch()
        grid.addLayout(choose)
        sides = QHBoxLayout()
        for label, browser in ((self.label_a, self.text_a), (self.label_b, self.text_b)):
            column = QVBoxLayout()
            column.addWidget(label)
            column.addWidget(browser)
            sides.addLayout(column)
        grid.addLayout(sides)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.nodes)
        lower.addWidget(texts)
        lower.setSizes([300, 900])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split)
        self.translateUI()

    # -- language ------------------------------------------------------------------------

    def translateUI(self) -> None:
        """Every string in the UI language; the findings are made again in it (in the
        background: until then, they are shown as they were)."""
        if not self._fresh:
            self.refreshing = Background(self._compute, self)
            self.refreshing.done.connect(self._refreshed)
            self.refreshing.start()
        self._fresh = False
        self._show_comparison()
        name_compare_window(self)

    def _refreshed(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self._show_comparison()

    def _show_comparison(self) -> None:
        result = self.comparison
        self.setWindowTitle(_("Compare {year_a} with {year_b}").format(
            year_a=result.a.year, year_b=result.b.year))
        self.heading.setText(_(
            "{a} ({year_a}) against {b} ({year_b}). Stated changes that disagree: "
            "{mismatches}; warnings: {warnings}; texts changed: {nodes}").format(
            a=result.a.path, year_a=result.a.year, b=result.b.path, year_b=result.b.year,
            mismatches=result.mismatches,
            warnings=sum(f.severity == "warning" for f in result.findings),
            nodes=sum(p.changed for p in result.nodes)))
        self.table.setHorizontalHeaderLabels([
            _("Indicator"), str(result.a.year), str(result.b.year), _("Change"),
            _("Change %"), _("Stated"), _("Verdict"), _("Notes")])
        self.lang_label.setText(_("Texts in:"))
        index = self.lang_box.currentIndex()
        if index < 0:  # at first, the texts in the language of the UI
            index = 1 if report_language() == "zh" else 0
        self.lang_box.blockSignals(True)
        self.lang_box.clear()
        self.lang_box.addItem(_("English"), "en")
        self.lang_box.addItem(_("Chinese"), "zh")
        self.lang_box.setCurrentIndex(index)
        self.lang_box.blockSignals(False)
        self.label_a.setText(str(result.a.year))
        self.label_b.setText(str(result.b.year))
        self._fill_table()
        self._fill_nodes()

    # -- the indicators ----------------------------------------------------------------------

    def _fill_table(self) -> None:
        result, lang = self.comparison, report_language()
        messages: dict[str, list[str]] = {}
        for finding in result.findings:
            messages.setdefault(finding.key, []).append(str(finding))
        self.table.setRowCount(len(result.indicators))
        for row, ind in enumerate(result.indicators):
            cells = [ind.label(lang) or ind.key, shown_number(ind.a.value if ind.a else None),
                     shown_number(ind.b.value if ind.b else None),
                     shown_number(ind.change, True), _rate(ind.change_pct), _rate(ind.stated),
                     verdict_name(ind, result),
                     ", ".join(_(FINDING_NAMES[c]) for c in ind.codes if c in FINDING_NAMES)]
            colour = MISMATCH if ind.verdict == "mismatch" else (WARNING if ind.codes else None)
            tip = "\n".join(messages.get(ind.key, []))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if 0 < column < 6:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if colour is not None:
                    item.setBackground(QBrush(colour))
                    item.setForeground(QBrush(QColor("black")))
                if tip:
                    item.setToolTip(tip)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 360))

    def _indicator_chosen(self, row: int) -> None:
        """The text that states the chosen indicator is shown below."""
        if not 0 <= row < len(self.comparison.indicators):
            return
        found = self.comparison.indicators[row]
        node_id = next((i.node_id for i in (found.b, found.a) if i is not None), None)
        for index, pair in enumerate(self._pairs):
            node = pair.b if found.b is not None else pair.a
            if node is not None and node_id is not None and node.id == node_id:
                self.nodes.setCurrentRow(index)
                return

    # -- the texts ---------------------------------------------------------------------------

    def _fill_nodes(self) -> None:
        current = self.nodes.currentRow()
        self._pairs = [p for p in self.comparison.nodes if p.texts or p.a is None or p.b is None]
        self.nodes.blockSignals(True)
        self.nodes.clear()
        lang = report_language()
        for pair in self._pairs:
            name = "    " * len(pair.path) + _pair_name(pair, lang)
            if pair.a is None or pair.b is None:
                year = self.comparison.b.year if pair.a is None else self.comparison.a.year
                name = _("only in {year}: {name}").format(year=year, name=name)
            item = QListWidgetItem(name)
            item.setToolTip(path_place(pair.path, pair.b or pair.a))
            if pair.changed:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.nodes.addItem(item)
        self.nodes.blockSignals(False)
        if current < 0:
            current = next((i for i, p in enumerate(self._pairs) if p.changed), 0)
        self.nodes.setCurrentRow(min(current, len(self._pairs) - 1))
        self._show_texts()

    def _show_texts(self) -> None:
        """The chosen node's title and text of both years, changes highlighted."""
        row = self.nodes.currentRow()
        lang = self.lang_box.currentData() or "en"
        parts: dict[str, list[str]] = {"a": [], "b": []}
        if 0 <= row < len(self._pairs):
            for text in self._pairs[row].texts:
                if text.lang != lang:
                    continue
                for side in ("a", "b"):
                    shown = highlighted(text.segments, side)
                    parts[side].append(f"<b>{shown}</b>" if text.field == "title" else
                                       f"<p>{shown}</p>")
                    if text.problem:
                        parts[side].append(f"<p><i>{html.escape(text.problem)}</i></p>")
        self.text_a.setHtml("".join(parts["a"]))
        self.text_b.setHtml("".join(parts["b"]))


def _pair_name(pair: NodePair, lang: str) -> str:
    """A node as the list names it: a title, or the start of a paragraph with its figures
    written in (the later year's, or the earlier one's for a node only it has)."""
    node = pair.b or pair.a
    if node.kind != "paragraph":
        return display_title(node, lang) or display_title(node, "zh" if lang == "en" else "en")
    texts = sorted((t for t in pair.texts if t.field == "text"), key=lambda t: t.lang != lang)
    text = next((t.b or t.a for t in texts if t.b or t.a), "")
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


def highlighted(segments: tuple[Segment, ...], side: str) -> str:
    """One side (``a`` or ``b``) of a compared text as HTML: what the other side lacks is
    highlighted (struck out on the earlier side, green on the later one)."""
    out = []
    for seg in segments:
        text = html.escape(seg.a if side == "a" else seg.b).replace("\n", "<br>")
        if not text:
            continue
        if seg.op == "equal":
            out.append(text)
        else:
            style = DELETED_CSS if side == "a" else INSERTED_CSS
            out.append(f'<span style="{style}">{text}</span>')
    return "".join(out)


def _rate(value) -> str:
    return "" if value is None else shown_number(value, True) + "%"
