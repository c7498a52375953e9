"""A crash mid-edit loses nothing: the process is killed after typing, and the next
opening of the report offers the edits back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtWidgets import QMessageBox

from ipviewer.ui.app import make_application, open_window

Button = QMessageBox.StandardButton

EDITOR = textwrap.dedent("""
    import sys, time
    from PySide6.QtGui import QInputMethodEvent, QTextCursor
    from PySide6.QtWidgets import QApplication
    from ipviewer.ui.app import make_application, open_window

    app = make_application()
    window = open_window(__import__("pathlib").Path(sys.argv[1]))
    window.show()
    node = window.tree_model.roots()[0].children[0]
    window.select_node(node.id)
    edit = window.editor.texts["zh"]
    edit.setFocus()
    edit.moveCursor(QTextCursor.MoveOperation.End)
    for word in ("崩溃前", "输入的", "文字"):  # as an input method commits Chinese
        event = QInputMethodEvent()
        event.setCommitString(word)
        QApplication.sendEvent(edit, event)
    app.processEvents()
    print(node.id, flush=True)
    while True:  # typing done; wait to be killed
        app.processEvents()
        time.sleep(0.05)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_mid_edit_then_recovered(tmp_path, qtbot, monkeypatch, sample_copy):
    report = sample_copy
    before = report.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", EDITOR, str(report)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        line = child.stdout.readline()
        assert line.strip().isdigit(), child.stderr.read()
        node_id = int(line)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert report.read_bytes() == before, "the report file itself was not touched"
    assert report.with_name("report.sqlite.lock").exists(), "the dead process's lock is left"

    asked = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(title)
        return Button.Yes if title == "Recover unsaved changes" else Button.Discard

    monkeypatch.setattr(QMessageBox, "question", question)
    make_application()
    window = open_window(report)
    qtbot.addWidget(window)
    assert asked == ["Recover unsaved changes"], "the stale lock was taken over, not reported"
    assert not window.readonly and window.isWindowModified()
    window.select_node(node_id)
    assert window.editor.texts["zh"].source().endswith("崩溃前输入的文字")
    assert window.save()
    window.close()
    from ipviewer.store import ReportStore
    with ReportStore.open(report, readonly=True) as store:
        assert store.node_row(node_id)["text_zh"].endswith("崩溃前输入的文字")
