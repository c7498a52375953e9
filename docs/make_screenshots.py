"""Take the README's screenshots from the real window, in English and in Chinese.

    .venv/bin/python docs/make_screenshots.py [--out docs]

Opens the bundled sample in the main window, the File → Export… dialog, the Tools → Bind
Figures… review (on a copy whose figures were typed in as plain numbers) and the Tools →
Compare With… view (the sample against a next year's report with a few values and a text
changed), each in both UI languages, and saves them as PNG files. It runs offscreen, with
its own settings and data folders, so the user's own settings are never touched.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

LANGUAGES = (("en", ""), ("zh_CN", "-zh"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="the folder to write the PNG files to (default: docs/)")
    parser.add_argument("--lang", choices=[code for code, _suffix in LANGUAGES],
                        help="only this UI language (each runs in a process of its own, as a "
                             "user starting ipviewer in that language would)")
    args = parser.parse_args()
    out = args.out
    if args.lang is None:
        for code, _suffix in LANGUAGES:
            subprocess.run([sys.executable, __file__, "--out", str(out), "--lang", code],
                           check=True)
        return 0
    home = Path(tempfile.mkdtemp(prefix="ipviewer-"))
    os.environ.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home / "config"),
                      XDG_DATA_HOME=str(home / "data"), IPVIEWER_NO_WELCOME="1")
    from PySide6.QtWidgets import QWidget

    from ipviewer import i18n
    from ipviewer.bind_report import propose_bindings
    from ipviewer.new_year import start_next_year
    from ipviewer.prose.bindings import render
    from ipviewer.report_text import stored_figure_values
    from ipviewer.sample import build_sample
    from ipviewer.store import ReportStore
    from ipviewer.ui.app import make_application, open_window
    from ipviewer.ui.bind_review import BindReviewDialog
    from ipviewer.ui.compare_view import CompareWindow, comparison_of
    from ipviewer.ui.export_dialog import ExportDialog
    from ipviewer.ui.language import apply_language

    app = make_application()
    sample = home / "shanghai-2024.sqlite"
    build_sample(sample).close()
    literal = home / "typed-figures.sqlite"
    build_sample(literal).close()
    with ReportStore.open(literal) as store, store.transaction():
        values, year = stored_figure_values(store), store.report()["year"]
        for row in store.db.execute("SELECT id, text_en, text_zh FROM nodes "
                                      "WHERE text_en LIKE '%{{%' LIMIT 6").fetchall():
            for lang, text in (("en", row[1]), ("zh", row[2])):
                store.set_node_field(row[0], f"text_{lang}", render(text, lang, values, year))
    following = home / "shanghai-2025.sqlite"
    start_next_year(sample, following)
    with contextlib.closing(sqlite3.connect(following)) as conn, conn:
        rows = conn.execute("SELECT id, value FROM indicators WHERE year = 2025 "
                            "AND value IS NOT NULL ORDER BY id LIMIT 8").fetchall()
        for row_id, value in rows:  # a few values grow by 12%, written as precisely as before
            old = Decimal(str(value))
            conn.execute("UPDATE indicators SET value = ? WHERE id = ?",
                         (str((old * Decimal("1.12")).quantize(old)), row_id))

    def save(widget: QWidget, name: str) -> None:
        widget.show()
        for _ in range(5):
            app.processEvents()
        path = out / name
        if not widget.grab().save(str(path), "PNG"):
            raise SystemExit(f"cannot write {path}")
        print(path)

    for code, suffix in LANGUAGES:
        if code != args.lang:
            continue
        apply_language(code, remember=False)
        i18n.set_language(code)
        window = open_window(sample, readonly=True)
        window.resize(1360, 860)
        window.show()
        window.issues_panel.wait()
        with contextlib.closing(sqlite3.connect(sample)) as conn:
            (pledge,) = conn.execute("SELECT id FROM nodes WHERE text_en LIKE "
                                     "'%{{pledge_financing_amount}}%'").fetchone()
        window.select_node(pledge)  # the paragraph with the report's real error
        window.select_indicator("pledge_financing_amount")
        save(window, f"screenshot{suffix}.png")
        dialog = ExportDialog(sample, window)
        save(dialog, f"export-dialog{suffix}.png")
        dialog.close()
        with ReportStore.open(literal, readonly=True) as store:
            plan = propose_bindings(store)
        review = BindReviewDialog(plan, window)
        review.resize(1100, 520)
        save(review, f"bind-review{suffix}.png")
        review.close()
        compare = CompareWindow(comparison_of(sample, sample, following),
                                lambda: comparison_of(sample, sample, following))
        compare.resize(1300, 760)
        save(compare, f"compare{suffix}.png")
        compare.close()
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
