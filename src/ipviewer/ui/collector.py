"""Python's cycle collector, run in the GUI thread only.

Qt objects must be destroyed in the thread they live in. Python's cycle collector, left to
itself, runs in whichever thread happens to allocate when a threshold is passed: in the
desktop application that is as often a worker thread (the checks, the comparison, saving,
the PDF export) as the GUI thread. A dialog or window caught in a reference cycle (a slot
that refers to its own widget is enough) would then be destroyed in the worker, and Qt
crashes or aborts — at random, rarely, and never in the same place twice.

So the application turns automatic collection off and collects from a timer in the GUI
thread instead, with the thresholds Python itself would use: the same memory behaviour,
only in the right thread. A worker that runs for long simply leaves its garbage until the
GUI thread's next tick.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the GUI thread looks at the collector's counts (ms).
INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """Collects cyclic garbage on a timer of the GUI thread; automatic collection is off
    while it exists. One per application (:func:`install`)."""

    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.collections = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        gc.disable()
        self._timer.start()

    def check(self) -> int:
        """Collect the oldest generation whose count passed its threshold, as Python would;
        the number of unreachable objects found (0 when nothing was due)."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        due = [g for g in range(3) if thresholds[g] and counts[g] > thresholds[g]]
        if not due:
            return 0
        self.collections += 1
        return gc.collect(max(due))


def install(app: QObject) -> GuiThreadCollector:
    """The application's collector, made on first use (it lives as long as ``app``)."""
    existing = app.findChild(GuiThreadCollector)
    if existing is not None:
        return existing
    return GuiThreadCollector(app)
