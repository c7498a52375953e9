"""The printed pages of the white paper, read back from the PDF: pages filled without holes,
long tables continued under their header, numbered captions with source lines, three-line
tables, the front matter (cover, blank page, imprint, contents), page labels, mirrored
margins and a page count for the binder.

Everything is measured on the output: ``pdftoppm`` rasters (ink), ``pdftotext
-bbox-layout`` (where each line is) and pypdf (page labels, outline).
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from ipviewer.pdf.export import ExportOptions, export_pdf
from ipviewer.sample import build_sample

MM = 72 / 25.4
TOP, BOTTOM = 25 * MM, 24 * MM  # the text block's margins (pdf/styles.py MARGINS)
INNER, OUTER = 28 * MM, 22 * MM  # mirrored side margins (pdf/page_frames.py)
XHTML = "{http://www.w3.org/1999/xhtml}"
PART_HEADING = re.compile(r"^(综述|Overview|[一二三四五六七八九十]+、|[IVX]+\. |附录|Appendix)")


@dataclass
class Line:
    x0: float
    y0: float  # from the top of the page
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    number: int  # physical, 1-based
    width: float
    height: float
    lines: list[Line]  # in reading order
    fill: float  # lowest ink in the text block, as a share of its height (0: no ink)
    ink: bool  # any ink on the page at all
    raster: Image.Image

    @property
    def body(self) -> list[Line]:
        """Lines inside the text block (no running header, no page number)."""
        return [ln for ln in self.lines
                if ln.y0 >= TOP - 2 and ln.y1 <= self.height - BOTTOM + 2]

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)

    @property
    def header(self) -> list[Line]:
        return [ln for ln in self.lines if ln.y1 < TOP - 2]

    @property
    def footer(self) -> list[Line]:
        return [ln for ln in self.lines if ln.y0 > self.height - BOTTOM + 2]


def read_pages(pdf: Path, folder: Path) -> list[Page]:
    """Every page's lines (``pdftotext -bbox-layout``) and ink (``pdftoppm -r 40 -gray``)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    prefix = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(prefix)], check=True)
    rasters = sorted(folder.glob(f"{pdf.stem}-*.pgm"))
    pages = []
    for number, (page, raster) in enumerate(zip(root.iter(f"{XHTML}page"), rasters,
                                                strict=True), 1):
        lines = [Line(float(ln.get("xMin")), float(ln.get("yMin")), float(ln.get("xMax")),
                      float(ln.get("yMax")),
                      " ".join(w.text or "" for w in ln.iter(f"{XHTML}word")))
                 for ln in page.iter(f"{XHTML}line")]
        height = float(page.get("height"))
        image = Image.open(raster)
        fill, ink = ink_fill(image, height)
        pages.append(Page(number, float(page.get("width")), height, lines, fill, ink, image))
    return pages


def ink_fill(image: Image.Image, page_height: float) -> tuple[float, bool]:
    """(lowest ink row inside the text block as a share of the block's height, any ink)."""
    width, height = image.size
    scale = height / page_height
    top, bottom = round(TOP * scale), round((page_height - BOTTOM) * scale)
    data = image.load()
    dark = [any(data[x, y] < 160 for x in range(width)) for y in range(height)]
    low = next((y for y in range(bottom, top - 1, -1) if dark[y]), None)
    return (0.0 if low is None else (low - top) / (bottom - top)), any(dark)


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, tuple[list[Page], pypdf.PdfReader, object]]:
    """The sample exported once per language (the government edition), read back."""
    folder = tmp_path_factory.mktemp("pages")
    store = build_sample(folder / "sample.sqlite")
    info = store.report()
    out = {}
    try:
        for lang in ("zh", "en", "both"):
            result = export_pdf(store, folder / f"{lang}.pdf", ExportOptions(lang=lang))
            out[lang] = (read_pages(result.path, folder), pypdf.PdfReader(result.path), info)
    finally:
        store.close()
    return out


def kinds(pages: list[Page], info: dict, lang: str) -> dict[int, str]:
    """What each deliberate page is, told by its content: cover, blank, imprint, contents."""
    found = {}
    langs = ("zh", "en") if lang == "both" else (lang,)
    for page in pages:
        text = re.sub(r"\s+", "", page.text)
        if not page.ink:
            found[page.number] = "blank"
        elif str(info["year"]) in text and not page.header and not page.footer and \
                all(re.sub(r"\s+", "", info[f"title_{c}"]) in text for c in langs) and \
                page.raster.getpixel((page.raster.width // 2, 2)) < 160:  # the colour band
            found[page.number] = "cover"
        elif not page.header and ("发布单位" in text or "Publishedby" in text):
            found[page.number] = "imprint"
        elif page.body and page.body[0].text.replace(" ", "") in ("目录", "Contents",
                                                                  "目录Contents"):
            found[page.number] = "contents"
    return found


def opens_with_part(page: Page) -> bool:
    """The page's text block starts with a part heading."""
    return bool(page.body) and bool(PART_HEADING.match(page.body[0].text))


LANGS = ["zh", "en", "both"]


# ----------------------------------------------------------------------------- tests


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_is_under_70_percent_full_except_before_a_part(pdfs, lang):
    pages, _reader, info = pdfs[lang]
    kind = kinds(pages, info, lang)
    texts = [p for p in pages if kind.get(p.number) is None]
    assert len(texts) >= 8
    last_text = texts[-1].number
    short = []
    for page in texts:
        following = pages[page.number] if page.number < len(pages) else None
        before_part = following is not None and opens_with_part(following)
        if page.number == last_text or before_part:
            continue
        if page.fill < 0.70:
            short.append(f"page {page.number}: {page.fill:.0%}")
    assert not short, f"{lang}: pages with holes: {short}"


@pytest.mark.parametrize("lang", LANGS)
def test_front_matter_is_cover_blank_imprint_contents(pdfs, lang):
    pages, reader, info = pdfs[lang]
    kind = kinds(pages, info, lang)
    assert [kind.get(n) for n in (1, 2, 3, 4)] == ["cover", "blank", "imprint", "contents"]
    cover = pages[0]  # centred on the sheet (the cover's margins are not mirrored)
    year = next(ln for ln in cover.lines if ln.text == str(info["year"]))
    assert (year.x0 + year.x1) / 2 == pytest.approx(cover.width / 2, abs=1.5)
    imprint = re.sub(r"\s+", "", pages[2].text)
    for code in ("zh", "en") if lang == "both" else (lang,):
        for field in ("publisher", "date"):
            assert re.sub(r"\s+", "", info[f"{field}_{code}"]) in imprint
    # the first part opens on a right-hand (odd) page, labelled 1
    first = reader.page_labels.index("1") + 1
    assert first % 2 == 1
    assert opens_with_part(pages[first - 1])
    assert all(kind.get(n) in ("contents", "blank") for n in range(4, first))


@pytest.mark.parametrize("lang", LANGS)
def test_page_labels_roman_then_arabic_and_printed_in_the_footer(pdfs, lang):
    pages, reader, _info = pdfs[lang]
    labels = reader.page_labels
    first = labels.index("1")
    assert labels[:first] == ["i", "ii", "iii", "iv", "v", "vi"][:first]
    assert labels[first:] == [str(n) for n in range(1, len(labels) - first + 1)]
    # the footer prints the label (body: 第 3 页 / 3; contents: iv)
    for page in pages:
        label = labels[page.number - 1]
        if page.footer:
            printed = page.footer[-1].text.replace(" ", "")
            assert printed in (label, f"第{label}页"), (page.number, printed, label)
    assert any(p.footer for p in pages[:first])  # the contents show their roman number


@pytest.mark.parametrize("lang", LANGS)
def test_page_count_is_padded_with_blank_pages_to_a_multiple_of_four(pdfs, lang):
    pages, reader, _info = pdfs[lang]
    assert len(reader.pages) % 4 == 0
    texts = [p.number for p in pages if p.ink]
    assert all(not p.ink for p in pages[texts[-1]:])  # only blank pages after the last text
    assert len(pages) - texts[-1] < 4


@pytest.mark.parametrize("lang", LANGS)
def test_margins_are_mirrored_and_the_header_and_number_follow(pdfs, lang):
    pages, reader, _info = pdfs[lang]
    first = reader.page_labels.index("1") + 1
    for page in pages[first - 1:]:
        if not page.body:
            continue
        odd = page.number % 2 == 1
        left = min(ln.x0 for ln in page.body)
        right = max(ln.x1 for ln in page.body)
        inner_left = INNER if odd else OUTER
        assert left == pytest.approx(inner_left, abs=1.5), page.number
        assert right <= page.width - (OUTER if odd else INNER) + 1.5, page.number
        title = page.header[0]
        if lang == "both":  # Chinese title from the left margin, English to the right one
            assert title.x0 == pytest.approx(inner_left, abs=1.5), page.number
        elif odd:  # the running title on the outer side
            assert title.x1 == pytest.approx(page.width - OUTER, abs=1.5), page.number
        else:
            assert title.x0 == pytest.approx(OUTER, abs=1.5), page.number
        number = page.footer[-1]
        if odd:  # the page number on the outer side
            assert number.x1 == pytest.approx(page.width - OUTER, abs=1.5), page.number
        else:
            assert number.x0 == pytest.approx(OUTER, abs=1.5), page.number


def caption_lines(pages: list[Page], lang: str) -> list[tuple[int, Line]]:
    word = {"zh": r"表\d+", "en": r"Table \d+", "both": r"表\d+"}[lang]
    return [(p.number, ln) for p in pages for ln in p.body if re.match(word, ln.text)]


@pytest.mark.parametrize("lang", LANGS)
def test_long_tables_continue_under_a_continued_caption_and_their_header(pdfs, lang):
    pages, _reader, _info = pdfs[lang]
    continued = {"zh": "（续）", "en": "(continued)", "both": "（续）"}[lang]
    header = {"zh": "指标 数值 单位 同比", "en": "Indicator Value Unit Year-on-year",
              "both": "指标 Indicator 数值 Value 单位 Unit 同比 Year-on-year"}[lang]
    captions = caption_lines(pages, lang)
    numbers = [int(re.search(r"\d+", ln.text).group()) for _n, ln in captions
               if continued not in ln.text]
    assert numbers == list(range(1, len(numbers) + 1))  # numbered through the paper
    runs = [(n, ln) for n, ln in captions if continued in ln.text]
    assert runs, "the sample's long tables continue on a next page"
    for number, line in runs:
        page = pages[number - 1]
        assert page.body[0] is line or page.body[0].text == line.text  # at the page's top
        table_no = re.search(r"\d+", line.text).group()
        before = [ln for n, ln in captions if n < number and continued not in ln.text]
        assert before and re.search(r"\d+", before[-1].text).group() == table_no
        # the header row repeats right under the caption (which may take two lines)
        under = " ".join(ln.text for ln in page.body if line.y1 < ln.y0 < line.y1 + 36)
        assert all(word in under for word in header.split(" ")), under


@pytest.mark.parametrize("lang", LANGS)
def test_tables_and_figures_have_numbered_captions_and_source_lines(pdfs, lang):
    pages, _reader, info = pdfs[lang]
    code = "en" if lang == "en" else "zh"
    source = {"zh": "数据来源：", "en": "Source:"}[code]
    figure = {"zh": r"图(\d+)", "en": r"Figure (\d+)"}[code]
    lines = [ln.text for p in pages for ln in p.body]
    figures = [int(m.group(1)) for t in lines if (m := re.match(figure, t))]
    assert figures == list(range(1, len(figures) + 1)) and figures
    sources = [k for k, t in enumerate(lines) if t.startswith(source)]
    tables = [t for t in lines if re.match(r"(表|Table )\d+", t)
              and "（续）" not in t and "(continued)" not in t]
    assert len(sources) == len(tables) + len(figures)
    publisher = info[f"publisher_{code}"]
    squashed = [re.sub(r"\s+", "", lines[k] + (lines[k + 1] if k + 1 < len(lines) else ""))
                for k in sources]
    assert all(re.sub(r"\s+", "", publisher)[:12] in s for s in squashed)
    for k, t in enumerate(lines):  # a figure's source line is right under its caption
        if re.match(figure, t):
            assert any(lines[j].startswith(source) for j in range(k + 1, k + 4))


def table_regions(page: Page, lang: str) -> list[tuple[float, float]]:
    """(top, bottom) in points of each indicator table on the page: from under its caption
    down to its source line, or to the end of the text when it continues."""
    regions = []
    body = page.body
    for k, line in enumerate(body):
        if re.match(r"(表|Table )\d+", line.text):
            end = next((ln.y0 for ln in body[k + 1:]
                        if ln.text.startswith(("数据来源", "Source:"))
                        or PART_HEADING.match(ln.text)), None)
            if end is None:  # continued: down to the closing rule under the page's last row
                end = max(ln.y1 for ln in body) + 12
            regions.append((line.y1 + 1, end - 1))
    return regions


@pytest.mark.parametrize("lang", LANGS)
def test_tables_have_three_rules_and_no_vertical_line(pdfs, lang):
    pages, _reader, _info = pdfs[lang]
    checked = 0
    for page in pages:
        for top, bottom in table_regions(page, lang):
            image = page.raster
            scale = image.height / page.height
            data = image.load()
            y0, y1 = round(top * scale), round(bottom * scale)
            x0, x1 = round(OUTER * scale), round((page.width - OUTER) * scale)
            frame_px = (page.width - INNER - OUTER) * scale
            rules = []
            for y in range(y0, y1):
                dark = sum(1 for x in range(x0, x1) if data[x, y] < 200)
                if dark >= 0.9 * frame_px:
                    if not rules or y - rules[-1][-1] > 1:
                        rules.append([y])
                    else:
                        rules[-1].append(y)
            assert len(rules) == 3, (lang, page.number, len(rules))  # top, under header, end
            for x in range(x0, x1):  # no vertical rule: no column dark for over a row
                run = longest = 0
                for y in range(y0, y1):
                    run = run + 1 if data[x, y] < 200 else 0
                    longest = max(longest, run)
                assert longest < 9, (lang, page.number, x)
            checked += 1
    assert checked >= 5


def test_each_convention_is_a_setting_of_the_edition(tmp_path):
    """With every convention of ``Edition`` off: no blank page, no imprint, arabic labels
    from the cover, the same margins on both sides, plain captions without source lines."""
    from ipviewer.pdf.edition import Edition

    plain = Edition(section_numbers=False, headings_without_stop=False, imprint=False,
                    blank_after_cover=False, numbered_tables=False, source_lines=False,
                    three_line_tables=False, mirrored_margins=False, pad_pages_to=1,
                    roman_front_matter=False)
    store = build_sample(tmp_path / "sample.sqlite")
    try:
        result = export_pdf(store, tmp_path / "plain.pdf",
                            ExportOptions(lang="en", charts=False, edition=plain))
        info = store.report()
    finally:
        store.close()
    pages = read_pages(result.path, tmp_path)
    reader = pypdf.PdfReader(result.path)
    kind = kinds(pages, info, "en")
    assert [kind.get(1), kind.get(2)] == ["cover", "contents"]
    assert "imprint" not in kind.values() and "blank" not in kind.values()
    assert reader.page_labels == [str(n) for n in range(1, len(pages) + 1)]
    lines = [ln.text for p in pages for ln in p.body]
    assert not any(t.startswith(("Table 1", "Source:")) for t in lines)
    assert any(t.startswith("Key indicators") for t in lines)
    for page in pages[2:]:
        if page.body:  # 25 mm on both sides, odd and even
            assert min(ln.x0 for ln in page.body) == pytest.approx(25 * MM, abs=1.5)
