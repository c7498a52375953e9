"""Find the figures in a paragraph of white-paper prose, in English or Chinese (no Qt).

The work is done sentence by sentence:

1. candidates (:mod:`.candidates`): numbers with their scale (million, 万, 亿), unit (RMB, 元, %) and qualifier
   (over, nearly, 超过, 近, 余 ...), minus what is not an indicator: years, ordinals, dates,
   ranges, document and list numbers, numbers inside names (G20, Top 10, 1+1+X, per 10,000);
2. rates (:mod:`.rates`): percentages introduced by a change word (up by, an increase of, 同比增长, 下降 ...)
   become the year-on-year change of the figure(s) before them ("respectively"/分别 pairs the
   Nth figure with the Nth rate) and are not figures themselves;
3. labels (:mod:`.labels_en`, :mod:`.labels_zh`): a short noun phrase from the words around
   each figure.

Sentences come from :mod:`.sentences`.
"""

from __future__ import annotations

from ipviewer.model import Figure

from ..script import fold_width, to_simplified
from .candidates import en_candidates, zh_candidates
from .labels_en import label_en
from .labels_zh import label_zh
from .rates import attach_rates, mark_changes
from .sentences import split_sentences

__all__ = ["extract_figures", "mask_bindings", "split_sentences"]

#: A figure's ``sentence`` is the whole sentence up to this length, else the part around the
#: figure (thousands of figures in one long sentence must not each hold all of it).
MAX_SENTENCE = 600


def extract_figures(text: str, lang: str) -> list[Figure]:
    """Figures of one paragraph in ``lang`` ('en' or 'zh'), in order of appearance: the one
    way the importer, ``bind``, ``new-year`` and the checks read the figures of a text.

    ``start``/``end`` locate the figure (number, scale, currency or percent sign; not the
    qualifier nor a Chinese counter) in ``text``. YoY rates are attached to their figures
    and not returned on their own. Traditional Chinese is read as simplified (labels come
    out simplified; spans point into ``text``). ``{{…}}`` figure references are not literal figures:
    they are read as blanks (see :func:`mask_bindings`), so a digit inside a key
    (``{{cases_2}}``) is never taken for a figure nor given a neighbour's rate.
    """
    if lang not in ("en", "zh"):
        raise ValueError(f"unknown language {lang!r}: expected 'en' or 'zh'")
    scan = fold_width(mask_bindings(text))
    if lang == "zh":
        scan = to_simplified(scan)  # 同比增長 is read as 同比增长; same length
    figures: list[Figure] = []
    for s, e in split_sentences(text, lang):
        if lang == "zh":
            cands = zh_candidates(scan, s, e)
            mark_changes(cands, scan, lang)  # first: an absolute change takes no rate
            attach_rates(cands, scan, s, e, lang)
            label_zh(cands, scan, s, e)
        else:
            cands = en_candidates(scan, s, e)
            mark_changes(cands, scan, lang)
            attach_rates(cands, scan, s, e, lang)
            label_en(cands, scan, s, e)
        sentence = text[s:e] if e - s <= MAX_SENTENCE else ""
        for cand in cands:
            if not cand.is_figure or (cand.is_word and not cand.label):
                continue
            figures.append(Figure(
                value=cand.value, text=text[cand.start:cand.end], start=cand.start,
                end=cand.end, sentence=sentence or _excerpt(text, s, e, cand.start, cand.end),
                unit=cand.unit, qualifier=cand.qualifier, yoy_pct=cand.yoy, label=cand.label,
            ))
    return figures


def _excerpt(text: str, s: int, e: int, start: int, end: int) -> str:
    """The part of the long sentence ``text[s:e]`` around ``text[start:end]``:
    :data:`MAX_SENTENCE` characters, cut ends marked with "…"."""
    half = max(0, (MAX_SENTENCE - (end - start)) // 2)
    a = max(s, start - half)
    b = min(e, max(end, a + MAX_SENTENCE))
    return ("…" if a > s else "") + text[a:b].strip() + ("…" if b < e else "")


def mask_bindings(text: str) -> str:
    """``text`` with each ``{{…}}`` figure reference blanked out (same length, so offsets
    stay valid): bound figures are not literal figures to extract.

    A reference is a ``{{`` and the first ``}}`` after it on the same line. Scanned with
    ``str.find``, line by line, in linear time (the pattern ``\\{\\{.*?\\}\\}`` took 40 s on
    100 KB of ``{{``).
    """
    if "{{" not in text:
        return text
    return "\n".join(_mask_line(line) for line in text.split("\n"))


def _mask_line(line: str) -> str:
    pieces: list[str] = []
    pos = 0
    while (start := line.find("{{", pos)) >= 0:
        end = line.find("}}", start + 2)
        if end < 0:
            break  # no reference closes on this line, nor after a later {{
        pieces += [line[pos:start], " " * (end + 2 - start)]
        pos = end + 2
    pieces.append(line[pos:])
    return "".join(pieces)
