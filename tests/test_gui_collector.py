"""Python's cycle collector runs in the GUI thread only, once the application exists."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QApplication, QDialog

from ipviewer.ui.collector import GuiThreadCollector, install


def test_the_application_turns_automatic_collection_off_and_collects_on_its_timer(app, qtbot):
    collector = install(app)
    assert install(app) is collector  # one per application
    assert app.findChildren(GuiThreadCollector) == [collector]
    assert not gc.isenabled()
    before = collector.collections
    for _ in range(3 * gc.get_threshold()[0]):  # cycles enough to pass the first threshold
        cycle: list = []
        cycle.append(cycle)
    qtbot.waitUntil(lambda: collector.collections > before, timeout=5000)
    assert gc.get_count()[0] < gc.get_threshold()[0]


def test_a_dialog_in_a_cycle_is_destroyed_in_the_gui_thread_not_in_a_worker(app, qtbot):
    """The crash this prevents: a worker allocating much (a comparison, an export) used to
    trigger the collector there, and a dialog caught in a cycle was destroyed in it."""
    install(app)
    finalised_in: list[str] = []

    class Dialog(QDialog):
        def __del__(self) -> None:
            finalised_in.append(threading.current_thread().name)

    dialog = Dialog()
    dialog.me = dialog  # a cycle: only the collector frees it
    del dialog

    def work() -> None:
        for _ in range(5 * gc.get_threshold()[0]):  # cyclic garbage far past the threshold
            cycle: list = []
            cycle.append(cycle)

    worker = threading.Thread(target=work, name="worker")
    worker.start()
    worker.join()
    assert finalised_in == []  # the worker did not collect it
    qtbot.waitUntil(lambda: finalised_in != [], timeout=5000)
    assert finalised_in == [threading.main_thread().name]
    QApplication.processEvents()
