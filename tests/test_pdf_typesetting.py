"""Typesetting of the printed sample, read back from the PDF: Chinese justification,
punctuation squeezing and last lines; English hyphenation, word gaps, quotes and dashes.

The sample is exported once per language (zh, en) and read back with ``pdftotext
-bbox-layout`` (line and word boxes) and pypdf (text); hyphenation points are checked with
pyphen directly, not with our module.
"""

from __future__ import annotations

import itertools
import re
import statistics
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pypdf
import pyphen
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipviewer.pdf.export import ExportOptions, export_pdf
from ipviewer.pdf.typography import en_dashes, printed_english, smart_quotes
from ipviewer.report_text import walk_with_path

BODY_SIZE = 10.5
CLOSING = "，。、；：？！）》」』】〕〉”’%％"
SQUEEZE_CLOSING = "，。、；：？！）》」』】〕〉”’"
SQUEEZE_OPENING = "（《「『【〔〈“‘"


# ----------------------------------------------------------------------------- reading back


def pdf_lines(path: Path) -> list[list[dict]]:
    """Per page, the text lines of ``pdftotext -bbox-layout``: box, text and word boxes."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    out = re.sub(r"<!DOCTYPE[^>]*>", "", out).replace(' xmlns="http://www.w3.org/1999/xhtml"', "")
    pages = []
    for page in ElementTree.fromstring(out).iter("page"):
        lines = []
        for line in page.iter("line"):
            words = [(float(w.get("xMin")), float(w.get("xMax")), w.text or "")
                     for w in line.iter("word")]
            lines.append({"x0": float(line.get("xMin")), "x1": float(line.get("xMax")),
                          "y0": float(line.get("yMin")), "y1": float(line.get("yMax")),
                          "words": words, "text": " ".join(w[2] for w in words)})
        pages.append(lines)
    return pages


def body_paragraphs(pages: list[list[dict]]) -> list[list[tuple[dict, float]]]:
    """Body paragraphs (lines in the body size) as lists of (line, the page's right edge).

    A paragraph starts with an indented line, after a vertical gap, or on a new page; the
    right edge of a page is where most of its body lines end (the frame's edge).
    """
    paragraphs: list[list[tuple[dict, float]]] = []
    for lines in pages:
        body = sorted((line for line in lines if abs(line["y1"] - line["y0"] - BODY_SIZE) < 0.05),
                      key=lambda line: line["y0"])
        if len(body) < 3:
            continue
        left = min(line["x0"] for line in body)
        edge, full = Counter(round(line["x1"]) for line in body).most_common(1)[0]
        if full < 3:  # no text block (the imprint's lines are short, each its own length)
            continue
        right = max(line["x1"] for line in body if round(line["x1"]) == edge)
        current: list[tuple[dict, float]] | None = None
        previous = None
        for line in body:
            indented = line["x0"] > left + 5
            gap = previous is not None and line["y0"] - previous["y0"] > BODY_SIZE * 1.75
            if current is None or indented or gap:
                current = []
                paragraphs.append(current)
            current.append((line, right))
            previous = line
    return paragraphs


@pytest.fixture(scope="module")
def sample(sample_store):
    return sample_store


@pytest.fixture(scope="module")
def pdfs(sample, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("typeset")
    return {lang: export_pdf(sample, folder / f"{lang}.pdf", ExportOptions(lang=lang)).path
            for lang in ("zh", "en")}


@pytest.fixture(scope="module")
def zh_paragraphs(pdfs):
    return body_paragraphs(pdf_lines(pdfs["zh"]))


@pytest.fixture(scope="module")
def en_paragraphs(pdfs):
    return body_paragraphs(pdf_lines(pdfs["en"]))


# ----------------------------------------------------------------------------- Chinese


def test_full_chinese_lines_end_at_the_right_margin(zh_paragraphs):
    full = [(line, right) for para in zh_paragraphs for line, right in para[:-1]]
    assert len(full) > 60
    at_margin = [line for line, right in full if abs(line["x1"] - right) <= 1.0]
    assert len(at_margin) / len(full) >= 0.95, [line["text"][-8:] for line, right in full
                                                 if abs(line["x1"] - right) > 1.0]
    # and nothing sticks out beyond it (a line-end mark squeezed, not hanging)
    assert all(line["x1"] <= right + 0.5 for para in zh_paragraphs for line, right in para)


def test_no_chinese_paragraph_ends_with_one_or_two_characters(zh_paragraphs):
    short = [para[-1][0]["text"] for para in zh_paragraphs
             if len(para) > 1 and len(para[-1][0]["text"].replace(" ", "")) <= 2]
    assert short == []


def test_no_line_starts_with_a_closing_mark(pdfs):
    starts = [line["text"] for page in pdf_lines(pdfs["zh"]) for line in page
              if line["text"][:1] in CLOSING]
    assert starts == []


def _squeezed(text: str) -> int:
    """How many glyphs of ``text`` the squeezing rules halve (adjacent marks)."""
    count = 0
    for a, b in itertools.pairwise(text):
        if (a in SQUEEZE_CLOSING and (b in SQUEEZE_CLOSING or b in SQUEEZE_OPENING)) or (
                a in SQUEEZE_OPENING and b in SQUEEZE_OPENING):
            count += 1
    return count


def test_adjacent_punctuation_takes_half_an_em(zh_paragraphs):
    """A last line (not justified) of full-width characters is as wide as its glyph
    boxes: one em each, half an em for each mark squeezed against its neighbour."""
    checked = 0
    for para in zh_paragraphs:
        line = para[-1][0]
        text = line["text"]
        if not text or not all(unicodedata.east_asian_width(c) in "WF" for c in text):
            continue
        pairs = _squeezed(text)
        width = line["x1"] - line["x0"]
        assert width == pytest.approx(BODY_SIZE * (len(text) - 0.5 * pairs), abs=0.3), text
        checked += pairs
    assert checked >= 1  # the sample has 》。 at a paragraph's end


# ----------------------------------------------------------------------------- English


_PYPHEN = pyphen.Pyphen(lang="en_US")


def allowed_splits(word: str) -> set[int]:
    """Where the usual rules let ``word`` (letters only) take a hyphen."""
    if len(word) < 6 or not word.isalpha() or word.isupper():
        return set()
    return {p for p in _PYPHEN.positions(word) if p >= 2 and len(word) - p >= 3}


def _letters(word: str) -> str:
    return re.sub(r"^[^\w]+|[^\w]+$", "", word)


def _hyphenated(line: dict) -> bool:
    return bool(re.search(r"[A-Za-z]-$", line["text"]))


def test_english_hyphens_only_where_pyphen_allows(en_paragraphs, sample):
    printed = " ".join(printed_english(n.text("en")) for n, _p in walk_with_path(sample.load_tree()))
    hyphenated = 0
    for para in en_paragraphs:
        for (line, _r), (after, _s) in itertools.pairwise(para):
            if not _hyphenated(line):
                continue
            head = line["words"][-1][2]
            tail = _letters(after["words"][0][2])
            if f"{head}{tail}" in printed:  # a compound broken after its own hyphen
                continue
            hyphenated += 1
            word = _letters(head[:-1]) + tail
            assert len(_letters(head[:-1])) in allowed_splits(word), (head, tail)
    assert hyphenated >= 10


def test_english_word_gaps_stay_under_twice_a_space_where_a_hyphen_could_help(en_paragraphs):
    finals = [para[-1][0] for para in en_paragraphs]
    space = statistics.median(b[0] - a[1] for line in finals
                              for a, b in zip(line["words"], line["words"][1:], strict=False))
    assert 2.0 < space < 3.5  # a normal space of a 10.5 pt serif
    gaps, avoidable = [], []
    for para in en_paragraphs:
        for k, ((line, right), (after, _r)) in enumerate(itertools.pairwise(para)):
            words = line["words"]
            line_gaps = [b[0] - a[1] for a, b in itertools.pairwise(words)]
            if not line_gaps:
                continue
            assert abs(line["x1"] - right) <= 1.0, line["text"]  # justified
            gaps.append(max(line_gaps))
            if max(line_gaps) <= 2.05 * space:
                continue
            ladder = all(_hyphenated(para[j][0]) for j in range(max(0, k - 3), k)) and k >= 3
            x0, x1, first = after["words"][0]
            word = _letters(first)
            spare = sum(line_gaps) - len(line_gaps) * 0.8 * space - space
            per_letter = (x1 - x0) / max(len(first), 1)
            fits = [p for p in allowed_splits(word) if (p + 1) * per_letter <= spare]
            if fits and not ladder:
                avoidable.append((line["text"][-30:], word))
    assert avoidable == []
    assert statistics.quantiles(gaps, n=20)[-1] <= 2.0 * space  # 95% of lines


def test_english_quotes_and_ranges_are_typographic_in_print_only(pdfs, sample):
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdfs["en"]).pages)
    stored = " ".join(n.text("en") + " " + n.title_en for n, _p in
                      walk_with_path(sample.load_tree()))
    assert stored.count('"') >= 4 and "'" in stored and "2021-2035" in stored
    assert '"' not in text
    assert text.count("“") >= stored.count('"') // 2 and "”" in text
    assert "Shanghai’s" in text and "Shanghai's" not in text
    assert "2021–2035" in text and "2021-2035" not in text
    # the stored report keeps what its authors typed
    assert " ".join(n.text("en") + " " + n.title_en for n, _p in
                    walk_with_path(sample.load_tree())) == stored


def test_chinese_keeps_its_own_marks(pdfs):
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdfs["zh"]).pages)
    assert "2024—2025年" in text and "2024–2025" not in text
    assert "“" in text  # the Chinese quotes as typed


# ----------------------------------------------------------------------------- typography


_TEXT = st.one_of(
    st.text(),
    st.lists(st.sampled_from(list("ab1 9-'\"(.,—–“”‘’中") + ["20", "2021-2035", "-01"]))
    .map("".join),
)


@given(_TEXT)
def test_typography_changes_only_quotes_and_dashes_and_is_idempotent(text):
    once = printed_english(text)
    assert len(once) == len(text)
    for before, after in zip(text, once, strict=True):
        if before != after:
            assert (before, after) in {('"', "“"), ('"', "”"), ("'", "‘"), ("'", "’"),
                                       ("-", "–")}
    assert printed_english(once) == once


@pytest.mark.parametrize(("typed", "printed"), [
    ('the "Pudong Model" of', "the “Pudong Model” of"),
    ("Shanghai's 'Five Centers'", "Shanghai’s ‘Five Centers’"),
    ("workers' rights, the '90s", "workers’ rights, the ’90s"),
    ("(2024-2025) and 2021-2035", "(2024–2025) and 2021–2035"),
    ("on 2024-01-05, tel. 021-6289, 15-10", "on 2024-01-05, tel. 021-6289, 15-10"),
    ("“已是”2021-2035年", "“已是”2021-2035年"),
])
def test_typography_examples(typed, printed):
    assert printed_english(typed) == printed
    assert en_dashes(smart_quotes(typed)) == printed or printed == typed
