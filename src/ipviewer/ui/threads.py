"""Work that must not freeze the window (PDF export, checks) in a thread of its own."""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread


def run_in_thread(parent: QObject, worker: QObject) -> QThread:
    """Run ``worker.run`` in a new thread that ends (and is deleted, the worker with it) when
    the worker emits ``finished`` or ``failed`` (or ``blocked``, for a worker that can be
    refused)."""
    thread = QThread(parent)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    worker.failed.connect(thread.quit)
    if hasattr(worker, "blocked"):
        worker.blocked.connect(thread.quit)
    # The thread holds the worker, so the worker goes with the thread, after it ended: the
    # caller's reference may go as soon as the worker's last signal arrives, while the
    # worker's thread is still returning from that emit.
    thread.worker = worker
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return thread
