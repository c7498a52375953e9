"""Render the README's pictures of the printed white paper: a page of each edition.

    .venv/bin/python docs/make_pdf_pages.py [--out docs] [--keep FOLDER]

Builds the bundled sample, exports it as PDF in Chinese, English and both languages (drafts:
the sample keeps the published report's real error, so the export gate refuses a final
edition — the pages carry the DRAFT / 草稿 mark), and turns one body page of each into a PNG
with ``pdftoppm`` (poppler-utils), the way a reader's PDF viewer draws it. ``--keep`` also
leaves the three PDFs in FOLDER, to look at every page.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ipviewer.pdf.export import ExportOptions, export_pdf
from ipviewer.sample import build_sample

#: The page shown of each edition (1-based): the start of Part I with its text and a chart.
PAGES = {"zh": 7, "en": 7, "both": 9}
RESOLUTION = 80


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="the folder to write pdf-page-{zh,en,both}.png to (default: docs/)")
    parser.add_argument("--keep", type=Path, help="also keep the three PDFs in this folder")
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: install poppler-utils", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        store = build_sample(folder / "sample.sqlite")
        try:
            for lang, page in PAGES.items():
                pdf = folder / f"{lang}.pdf"
                export_pdf(store, pdf, ExportOptions(lang=lang, draft=True))
                stem = folder / f"page-{lang}"
                subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-f", str(page), "-l",
                                str(page), "-singlefile", "-png", str(pdf), str(stem)],
                               check=True)
                shutil.copyfile(stem.with_suffix(".png"), args.out / f"pdf-page-{lang}.png")
                if args.keep is not None:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(pdf, args.keep / pdf.name)
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
