"""Work that must not freeze the window (PDF export, checks) in a thread of its own."""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread


def run_in_thread(parent: QObject, worker: QObject) -> QThread:
    """Run ``worker.run`` in a new thread that ends (and is deleted) when the worker emits
    ``finished`` or ``failed`` (or ``blocked``, for a worker that can be refused)."""
    thread = QThread(parent)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    worker.failed.connect(thread.quit)
    if hasattr(worker, "blocked"):
        worker.blocked.connect(thread.quit)
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return thread
