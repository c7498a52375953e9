"""The official edition's content conventions and the bilingual tables and charts, read back
from exported PDFs (pdftotext -layout / -bbox-layout) and from the content the layout prints.

One export of the sample per language for the whole module.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest

from conftest import outline_titles
from ipviewer.pdf.content import Charts, Heading, IndicatorTable, build_content
from ipviewer.pdf.edition import Edition
from ipviewer.pdf.export import ExportOptions, export_pdf
from ipviewer.pdf.typography import printed_english
from ipviewer.store import ReportStore

LANGS = ("zh", "en", "both")


@dataclass
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def words(path: Path) -> list[Word]:
    """Every word of the PDF with its page and box (pdftotext -bbox-layout)."""
    found = []
    for number, page in enumerate(pdftotext(path, "-bbox-layout").split("<page ")[1:], 1):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">(.*?)</word>', page):
            found.append(Word(number, html.unescape(m[5]), *map(float, m.group(1, 2, 3, 4))))
    return found


@pytest.fixture(scope="module")
def sample(sample_store):
    return sample_store


@pytest.fixture(scope="module")
def exported(sample, tmp_path_factory):
    """lang -> (PDF path, its content as the layout got it)."""
    folder = tmp_path_factory.mktemp("conventions-pdf")
    out = {}
    for lang in LANGS:
        result = export_pdf(sample, folder / f"{lang}.pdf", ExportOptions(lang=lang))
        out[lang] = (result.path, build_content(sample, lang))
    return out


def blocks(content, kind):
    return [b for b in content.blocks if isinstance(b, kind)]


# ----------------------------------------------------------------------------- headings


def test_sections_are_numbered_under_each_part_and_headings_have_no_final_stop(exported):
    for lang in ("zh", "en"):
        path, content = exported[lang]
        outline = [t for t in outline_titles(path)]
        sections = [printed_english(h.texts[lang]) for h in blocks(content, Heading)
                    if h.level == 1]  # as printed: curly quotes in English
        assert len(sections) >= 10
        text = re.sub(r"\s+", "", pdftotext(path, "-layout"))
        numbers = ("（一）", "（二）", "（三）") if lang == "zh" else ("1. ", "2. ", "3. ")
        for title in sections:  # printed as headings, listed in the outline
            assert title.startswith(numbers) or re.match(r"^(（[一二三四五六七八九十]+）|\d+\. )",
                                                         title), title
            assert re.sub(r"\s+", "", title) in text
            assert title in outline
        # numbering restarts under each part: the first section of every part is one
        firsts = [h.texts[lang] for prev, h in pairwise(content.blocks)
                  if isinstance(h, Heading) and h.level == 1
                  and isinstance(prev, Heading) and prev.level == 0]
        assert firsts and all(t.startswith(numbers[0]) for t in firsts)
        # no heading ends with a full stop, in the PDF's outline nor its text
        assert not [t for t in outline if t.rstrip().endswith(("。", "."))]
        if lang == "zh":
            assert "（一）提升知识产权强市建设水平" in text
            assert "提升知识产权强市建设水平。" not in text
        else:
            assert "1.RaiseShanghai'sstandingasastrongIPcity" in text.replace("’", "'")


def test_both_headings_number_both_languages(exported):
    path, _content = exported["both"]
    assert "（一）提升知识产权强市建设水平 / 1. Raise Shanghai's standing as a strong IP city" \
        in [t.replace("’", "'") for t in outline_titles(path)]


def test_the_edition_can_leave_sections_unnumbered_and_stops_in_place(sample):
    plain = Edition(section_numbers=False, headings_without_stop=False,
                    capitalized_names=False, numbered_tables=False, source_lines=False)
    content = build_content(sample, "zh", edition=plain)
    sections = [h.texts["zh"] for h in blocks(content, Heading) if h.level == 1]
    assert sections[0] == "提升知识产权强市建设水平。"
    assert not any(t.startswith("（") for t in sections)
    assert all(t.number == 0 and not t.source for t in blocks(content, IndicatorTable))
    assert all(c.number == 0 and not c.source for c in blocks(content, Charts))
    english = build_content(sample, "en", edition=plain)
    names = [r.name["en"] for t in blocks(english, IndicatorTable) for r in t.rows]
    assert "patents granted" in names


# ----------------------------------------------------------------------------- tables


def test_tables_and_figures_are_numbered_through_the_paper_with_their_source(exported, sample):
    publisher = {c: sample.report()[f"publisher_{c}"] for c in ("zh", "en")}
    for lang in LANGS:
        _path, content = exported[lang]
        langs = ("zh", "en") if lang == "both" else (lang,)
        tables, figures = blocks(content, IndicatorTable), blocks(content, Charts)
        assert [t.number for t in tables] == list(range(1, len(tables) + 1))
        assert [f.number for f in figures] == list(range(1, len(figures) + 1))
        assert len(tables) >= 5 and len(figures) >= 2
        for block in (*tables, *figures):
            assert set(block.titles) == set(langs) and all(block.titles.values())
        # the report year's figures name no source of their own in the sample: the
        # publisher's; the earlier years' name where they were published
        for table in tables:
            assert table.source == {c: publisher[c] for c in langs}
        first = figures[0].source
        assert set(first) == set(langs)
        for code in langs:
            assert first[code].endswith(publisher[code])
            assert "english.shanghai.gov.cn, 2024-06-18" in first[code]
            assert "stood at" not in first[code]  # the citation, not the quoted passage


def test_an_indicators_own_source_is_named(sample, tmp_path, _built_sample):
    path = tmp_path / "sourced.sqlite"
    shutil.copyfile(_built_sample, path)
    with ReportStore.open(path) as store:
        with store.transaction() as db:
            db.execute("UPDATE indicators SET source = 'WIPO statistics' "
                       "WHERE key = 'pct_international_applications'")
        content = build_content(store, "en")
    first = blocks(content, IndicatorTable)[0]
    assert first.source["en"] == ("WIPO statistics; "
                                  "The General Office of Shanghai Intellectual Property Joint "
                                  "Committee")


def test_english_indicator_names_start_with_a_capital(exported):
    path, content = exported["en"]
    names = [r.name["en"] for t in blocks(content, IndicatorTable) for r in t.rows]
    assert names and all(not n[:1].islower() for n in names)
    assert "PCT international patent filings" in names  # the rest as it was
    lines = [re.split(r"\s{2,}", line.strip())[0]
             for line in pdftotext(path, "-layout").splitlines()]
    assert "Patents granted" in lines and "Trademark applications" in lines
    assert "patents granted" not in lines


def test_both_language_tables_carry_both_scripts_in_every_row(exported):
    path, content = exported["both"]
    lines = [line.strip() for line in pdftotext(path, "-layout").splitlines() if line.strip()]
    cells = [re.split(r"\s{2,}", line) for line in lines]
    rows = [r for t in blocks(content, IndicatorTable) for r in t.rows]
    assert len(rows) >= 40
    found = 0
    for row in rows:
        at = [i for i, c in enumerate(cells) if c[0] == row.name["zh"]]
        assert at, row.name["zh"]
        zh_line, en_line = cells[at[0]], cells[at[0] + 1]
        assert re.search(r"[\u4e00-\u9fff]", zh_line[0])
        assert row.name["en"].startswith(en_line[0]) or en_line[0].startswith(
            row.name["en"].split()[0]), (row.name, en_line)
        # each language's own figure: 15.08万 over 150,800
        assert _has(zh_line, row.value["zh"])
        # the English lines of the row (a long value wraps: "exceeding 70" / "billion")
        below = " ".join(" ".join(c) for c in cells[at[0] + 1:at[0] + 4])
        if row.value["en"] != row.value["zh"]:
            assert _has(en_line, row.value["en"]) or _words_in(row.value["en"], below)
        if row.yoy["zh"]:
            assert _has(zh_line, row.yoy["zh"]) and _has(en_line, row.yoy["en"])
        found += 1
    assert found == len(rows)
    assert "15.08万" in cells[[c[0] for c in cells].index("专利授权量")]
    assert "150,800" in cells[[c[0] for c in cells].index("专利授权量") + 1]


def _has(cells: list[str], text: str) -> bool:
    """``text`` is a whole cell or whole words of one in the line's cells."""
    return any(re.search(rf"(^|\s){re.escape(text)}(\s|$)", cell) for cell in cells)


def _words_in(text: str, line: str) -> bool:
    """Every word of ``text`` is a word of ``line``."""
    return set(text.split()) <= set(line.split())


# ----------------------------------------------------------------------------- charts


def _chart_year_rows(path: Path, content) -> list[tuple[list[int], list[Word]]]:
    """For each chart of the content, the year labels printed under its bars (same page,
    same baseline, same half of the page), matched by their years."""
    all_words = words(path)
    series = [s for c in blocks(content, Charts) for s in c.series]
    year_words = [w for w in all_words if re.fullmatch(r"(19|20)\d\d", w.text) and w.height < 8]
    groups: dict[tuple[int, int, bool], list[Word]] = {}
    for w in year_words:
        groups.setdefault((w.page, round(w.y0), w.centre > 297), []).append(w)
    rows = [sorted(g, key=lambda w: w.x0) for g in groups.values()]
    matched = []
    for s in series:
        row = next((r for r in rows if [int(w.text) for w in r] == s.years), None)
        assert row is not None, (s.key, s.years)
        rows.remove(row)
        matched.append((s.years, row))
    return matched


@pytest.mark.parametrize("lang", LANGS)
def test_chart_years_stand_as_far_apart_as_they_are(exported, lang):
    path, content = exported[lang]
    matched = _chart_year_rows(path, content)
    assert any(len({b - a for a, b in pairwise(years)}) > 1 for years, _row in matched), \
        "the sample has a chart with irregular years"
    for years, row in matched:
        if len(years) < 2:
            continue
        per_year = (row[-1].centre - row[0].centre) / (years[-1] - years[0])
        for year, word in zip(years, row):
            expected = row[0].centre + (year - years[0]) * per_year
            assert abs(word.centre - expected) < 0.5, (years, [w.centre for w in row])
    # the charts of one figure share their time axis: a year stands at the same place in
    # every chart of a column (2024 under 2024)
    places: dict[tuple[int, bool, str], set[int]] = {}
    for _years, row in matched:
        for word in row:
            places.setdefault((word.page, word.centre > 297, word.text), set()).add(
                round(word.centre))
    assert any(len(xs) == 1 for xs in places.values())
    assert all(max(xs) - min(xs) <= 1 for xs in places.values()), places


def _chart_numbers(path: Path, content) -> list[str]:
    """The small numbers printed on chart pages (tick and bar labels), years left out."""
    titles = {s.title[:4] for c in blocks(content, Charts) for s in c.series if s.title}
    pages = {w.page for w in words(path) if w.text[:4] in titles}  # the charts' own titles
    assert pages
    years = {str(y) for c in blocks(content, Charts) for s in c.series for y in s.years}
    return [w.text for w in words(path) if w.page in pages and w.height < 8
            and re.fullmatch(r"[\d,.]+", w.text) and w.text not in years]


@pytest.mark.parametrize("lang", LANGS)
def test_axis_and_bar_labels_share_one_number_form(exported, lang):
    path, content = exported[lang]
    numbers = _chart_numbers(path, content)
    big = [n for n in numbers if len(re.sub(r"\D", "", n.split(".")[0])) >= 4]
    series = next(s for c in blocks(content, Charts) for s in c.series
                  if s.key == "pct_international_applications")
    if lang == "zh":  # Chinese text writes 6822: so do the bars and the axis
        assert "8000" in numbers and "6822" in numbers
        assert big and not [n for n in big if "," in n]
    else:  # English (and the chart both languages read): 8,000 and 6,822
        assert "8,000" in numbers and "6,822" in numbers
        assert big and all(re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", n) for n in big), big
    # the bars and ticks of a chart: one grouping, one scale (the axis' unit)
    for label in (*series.tick_labels, *series.bar_labels):
        assert label in numbers


def test_the_axis_title_names_the_unit_with_its_counter(exported):
    zh = [w.text for w in words(exported["zh"][0]) if w.height < 8]
    assert "单位：万件" in zh and "单位：亿元" in zh
    assert "单位：万" not in zh  # 万 always with what it counts
    en = pdftotext(exported["en"][0], "-layout")
    assert "Unit: thousands" in en and "Unit: billion RMB" in en
    both = pdftotext(exported["both"][0], "-layout")
    assert "单位：万件" in both and "Unit: 10,000 pieces" in both
    assert "Unit: 100 million yuan" in both


def test_both_language_charts_carry_both_titles(exported):
    path, content = exported["both"]
    text = pdftotext(path, "-layout")
    for chart in blocks(content, Charts):
        for s in chart.series:
            zh, en = s.title.split("\n")
            assert zh in text and en in text


def test_a_cross_reference_prints_the_sections_printed_number(sample, tmp_path, _built_sample):
    path = tmp_path / "refs.sqlite"
    shutil.copyfile(_built_sample, path)
    with ReportStore.open(path) as store:
        part = next(n for n in store.load_tree() if n.kind == "part")
        second = [c for c in part.children if c.kind == "section"][1]
        paragraph = next(n for n in part.walk() if n.kind == "paragraph" and n.text_zh)
        with store.transaction() as db:
            db.execute("UPDATE nodes SET text_zh = ?, text_en = ? WHERE id = ?",
                       (f"见第{{{{§{second.id}}}}}节。", f"See section {{{{§{second.id}}}}}.",
                        paragraph.id))
        for lang, printed, heading in (("zh", "见第二节。", "（二）"), ("en", "See section 2.", "2. ")):
            content = build_content(store, lang)
            texts = [b.text for b in content.blocks if hasattr(b, "text")]
            assert printed in texts
            assert any(h.texts[lang].startswith(heading) and second.title(lang).rstrip("。.")
                       in h.texts[lang] for h in blocks(content, Heading))


def test_small_rules_behind_the_conventions():
    from decimal import Decimal as D

    from ipviewer.chart_axis import axis_unit_in_english, value_labels
    from ipviewer.pdf.charts import year_positions
    from ipviewer.pdf.conventions import source_name, without_stop

    assert without_stop("加强知识产权制度供给。") == "加强知识产权制度供给"
    assert without_stop("Serve major national strategies.") == "Serve major national strategies"
    for kept in ("Trade with the U.S.", "Patents, trademarks etc.", "To be continued...", "无句号"):
        assert without_stop(kept) == kept
    assert source_name("english.shanghai.gov.cn, 2024-06-18: valid patents stood at 241,400") \
        == "english.shanghai.gov.cn, 2024-06-18"
    assert source_name("National Bureau of Statistics") == "National Bureau of Statistics"
    assert value_labels([D(150800), D(47388), D(6822)], 4, "zh") == ["15.08", "4.74", "0.68"]
    assert value_labels([D(6822), D(32000)], 0, "zh") == ["6822", "32000"]
    assert value_labels([D(6822), D(32000)], 0, "en") == ["6,822", "32,000"]
    assert value_labels([D(6822)], 0, "zh", group=True) == ["6,822"]
    assert axis_unit_in_english(4, "", "件") == "10,000 pieces"
    assert axis_unit_in_english(8, "RMB") == "100 million yuan"
    assert axis_unit_in_english(0, "%") == "%"
    xs, slot = year_positions([2015, 2018, 2019], 0, 50)
    assert slot == 10 and xs == [5, 35, 45]
