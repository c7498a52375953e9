"""Line breaking speed: ours against plain reportlab on the sample's body paragraphs.

    python benchmarks/bench_linebreak.py [--repeat 10] [--rounds 5]

For each language the sample's body paragraphs are built and wrapped at the body width,
``--repeat`` times over: with :class:`ipviewer.pdf.cjk.CJKParagraph` (Chinese: 避头尾,
punctuation squeezing, justification) or :class:`ipviewer.pdf.hyphenation.HyphenatedParagraph`
(English: hyphenation, justification), and with reportlab's own ``Paragraph`` on the same
text and style (Chinese: ``wordWrap='CJK'``). Each paragraph is made anew every time, so no
cached lines are reused. The two are timed in turns, ``--rounds`` times, and the best round
of each counts (the machine may be busy). Prints the seconds and the ratio (goal ≤ 1.3).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from ipviewer.pdf.cjk import CJKParagraph, markup
from ipviewer.pdf.content import Para, build_content
from ipviewer.pdf.fonts import prepare_fonts
from ipviewer.pdf.hyphenation import HyphenatedParagraph
from ipviewer.pdf.styles import MARGINS, PAPER_SIZES, make_styles
from ipviewer.pdf.typography import printed_english
from ipviewer.sample import build_sample

GOAL = 1.3


def _time(cls, texts: list[str], style: ParagraphStyle, width: float, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            cls(text, style).wrap(width, 10_000)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = build_sample(Path(folder) / "sample.sqlite")
        try:
            contents = {lang: build_content(store, lang) for lang in ("zh", "en")}
        finally:
            store.close()
    width = PAPER_SIZES["A4"][0] - MARGINS["left"] - MARGINS["right"]
    print(f"{'':4} {'paragraphs':>10} {'ours s':>8} {'reportlab s':>12} {'ratio':>6}")
    worst = 0.0
    for lang, content in contents.items():
        texts = [b.text for b in content.blocks if isinstance(b, Para)]
        if lang == "en":
            texts = [printed_english(t) for t in texts]
        fonts = prepare_fonts("".join(texts))
        style = make_styles(fonts.body, fonts.heading, lang).body[lang]
        paras = [markup(t) for t in texts]
        ours = CJKParagraph if lang == "zh" else HyphenatedParagraph
        for cls in (ours, Paragraph):  # warm up: fonts, width caches, font variants
            _time(cls, paras, style, width, 1)
        t_ours = t_plain = float("inf")
        for _ in range(args.rounds):
            t_ours = min(t_ours, _time(ours, paras, style, width, args.repeat))
            t_plain = min(t_plain, _time(Paragraph, paras, style, width, args.repeat))
        ratio = t_ours / t_plain
        worst = max(worst, ratio)
        print(f"{lang:4} {len(paras):>10} {t_ours:>8.3f} {t_plain:>12.3f} {ratio:>6.2f}")
    print(f"worst ratio {worst:.2f} (goal ≤ {GOAL}): {'ok' if worst <= GOAL else 'OVER'}")


if __name__ == "__main__":
    main()
