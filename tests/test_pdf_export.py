"""PDF export of the white paper, read back with pypdf: layout, fonts, outline, safety, writing."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from itertools import pairwise
from pathlib import Path

import pypdf
import pytest
from reportlab.lib.styles import ParagraphStyle

from ipviewer.model import display_title
from ipviewer.pdf import cjk
from ipviewer.pdf.content import LONG_PARAGRAPH, Para, build_content, split_long
from ipviewer.pdf.conventions import number_sections, without_stop
from ipviewer.pdf.export import ExportError, ExportOptions, export_pdf
from ipviewer.pdf.typography import printed_english
from ipviewer.prose.bindings import render
from ipviewer.report_text import node_place, stored_figure_values, walk_with_path
from ipviewer.sample import build_sample

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


# ----------------------------------------------------------------------------- helpers


def squash(text: str) -> str:
    """Text without any white space or hyphen, for comparing what was laid out with what was
    typed (an English word hyphenated at a line end reads back as two pieces)."""
    return re.sub(r"[\s-]+", "", text)


def page_body(reader, number: int, titles: list[str]) -> str:
    """The text of page ``number`` without white space, running header and footer removed
    (the footer prints the page's label: roman in the front matter, arabic in the body)."""
    text = squash(reader.pages[number - 1].extract_text())
    for title in titles:  # the header (drawn first on every page) ...
        text = text.removeprefix(squash(title))
    label = reader.page_labels[number - 1]
    for printed in (f"第{label}页", label):  # ... then the footer
        if text.startswith(printed):
            return text[len(printed):]
    return text


def first_body_page(reader) -> int:
    """The physical number of the page labelled 1 (the first part's)."""
    return reader.page_labels.index("1") + 1


def contents_page(reader, titles: list[str]) -> int:
    """The physical number of the contents' first page."""
    return next(n for n in range(1, first_body_page(reader))
                if page_body(reader, n, titles).startswith(("目录", "Contents")))


def body_text(reader, titles: list[str], first_page: int | None = None) -> str:
    """The text of the pages after ``first_page`` (default: the body pages) in reading
    order, running header and footer removed."""
    if first_page is None:
        first_page = first_body_page(reader) - 1
    return "".join(page_body(reader, number, titles)
                   for number in range(first_page + 1, len(reader.pages) + 1))


def outline_entries(reader) -> list[tuple[int, str, int]]:
    """(level, title, page number) of every outline entry, in order."""
    found = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def headings(store, lang: str) -> list[tuple[int, str]]:
    """(level, numbered title) of every part/overview (0) and section (1) of the report, as
    the government edition prints them (sections numbered, no final full stop)."""
    out = []
    tree = store.load_tree()
    nodes = [node for node, _path in walk_with_path(tree)]
    number_sections(tree, True)
    for node in nodes:
        if node.kind in ("overview", "part"):
            out.append((0, printed_english(without_stop(display_title(node, lang)))))
        elif node.kind == "section":
            out.append((1, printed_english(without_stop(display_title(node, lang)))))
    return out


def rendered_paragraphs(store, lang: str) -> list[str]:
    info = store.report()
    values = stored_figure_values(store)
    return [printed_english(render(node.text(lang), lang, values, info["year"],
                                   node_place(node, path, lang)))
            for node, path in walk_with_path(store.load_tree()) if node.text(lang).strip()]


def page_sizes(reader) -> set[tuple[float, float]]:
    return {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
            for p in reader.pages}


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sample(sample_store):
    return sample_store


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def exports(sample, out_dir):
    """The sample exported in each language (A4, charts), with progress calls recorded."""
    results = {}
    for lang in ("zh", "en", "both"):
        calls: list[tuple[int, int]] = []
        result = export_pdf(sample, out_dir / f"{lang}.pdf", ExportOptions(lang=lang),
                            progress=lambda done, total, calls=calls: calls.append((done, total)))
        results[lang] = (result, pypdf.PdfReader(result.path), calls)
    return results


@pytest.fixture(scope="module")
def print_export(sample, out_dir):
    """Letter paper with crop marks and a 3 mm bleed."""
    options = ExportOptions(lang="en", paper="letter", crop_marks=True, bleed_mm=3,
                            charts=False)
    result = export_pdf(sample, out_dir / "print.pdf", options)
    return result, pypdf.PdfReader(result.path)


@pytest.fixture(scope="module")
def fonts(sample):
    from ipviewer.pdf.fonts import prepare_fonts

    text = "".join(rendered_paragraphs(sample, "zh")) + STRESS + "（《“”》）WIPO GREEN"
    return prepare_fonts(text)


# ----------------------------------------------------------------------------- the paper


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_export_writes_a4_pages_and_reports_them(exports, lang):
    result, reader, _calls = exports[lang]
    assert result.path.is_file()
    assert result.pages == len(reader.pages) >= 8
    assert page_sizes(reader) == {A4}
    assert result.seconds > 0
    assert not [w for w in result.warnings if "no font" in w]


def test_letter_paper_with_crop_marks_has_trim_and_bleed_boxes(print_export):
    _result, reader = print_export
    bleed = 3 / 25.4 * 72
    for page in reader.pages:
        trim, bleed_box, media = page.trimbox, page.bleedbox, page.mediabox
        assert (round(float(trim.width), 2), round(float(trim.height), 2)) == LETTER
        assert float(bleed_box.width) == pytest.approx(LETTER[0] + 2 * bleed, abs=0.01)
        assert float(bleed_box.left) == pytest.approx(float(trim.left) - bleed, abs=0.01)
        # the marks sit outside the bleed, on a sheet larger than the bleed box
        assert float(media.width) > float(bleed_box.width) + 10
        assert float(page.cropbox.width) == pytest.approx(float(media.width))


def test_outline_has_every_part_and_section(exports, sample):
    for lang in ("zh", "en"):
        _result, reader, _calls = exports[lang]
        entries = [(level, title) for level, title, _page in outline_entries(reader)]
        assert entries == headings(sample, lang)


def test_bilingual_outline_names_both_languages(exports, sample):
    _result, reader, _calls = exports["both"]
    titles = [title for _level, title, _page in outline_entries(reader)]
    zh, en = headings(sample, "zh"), headings(sample, "en")
    assert titles == [f"{z} / {e}" for (_l, z), (_m, e) in zip(zh, en, strict=True)]


def test_contents_page_lists_the_parts_with_page_numbers(exports, sample):
    info = sample.report()
    for lang in ("zh", "en", "both"):
        _result, reader, _calls = exports[lang]
        titles = [info["title_zh"], info["title_en"]] if lang == "both" else [info[f"title_{lang}"]]
        contents = page_body(reader, contents_page(reader, titles), titles)
        assert contents.startswith(squash({"zh": "目录", "en": "Contents",
                                           "both": "目录 Contents"}[lang]))
        for code in (("zh", "en") if lang == "both" else (lang,)):
            for level, title in headings(sample, code):
                if level == 0:
                    assert squash(title) in contents, title
        # each part's page number in the contents is the label of the page its outline
        # entry points at (the numbers are drawn after the layout, read by position)
        if lang != "both":
            number = contents_page(reader, titles)
            lines = subprocess.run(
                ["pdftotext", "-f", str(number), "-l", str(number), str(_result.path), "-"],
                capture_output=True, text=True, check=True).stdout.splitlines()
            for level, title, page in outline_entries(reader):
                if level == 0:
                    label = reader.page_labels[page - 1]
                    assert any(re.fullmatch(re.escape(title) + r"[ .]+" + label, line)
                               for line in lines), (title, label)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_is_extractable_and_equals_the_rendered_report(exports, sample, lang):
    _result, reader, _calls = exports[lang]
    title = sample.report()[f"title_{lang}"]
    text = body_text(reader, [title])
    for paragraph in rendered_paragraphs(sample, lang):
        assert squash(paragraph) in text, paragraph[:60]
    for _level, heading in headings(sample, lang):
        assert squash(heading) in text


def test_both_lays_out_each_section_in_chinese_then_english(exports, sample):
    _result, reader, _calls = exports["both"]
    info = sample.report()
    text = body_text(reader, [info["title_zh"], info["title_en"]])
    zh, en = rendered_paragraphs(sample, "zh"), rendered_paragraphs(sample, "en")
    position = 0
    for chinese, english in zip(zh, en, strict=True):
        at_zh = text.find(squash(chinese))
        at_en = text.find(squash(english))
        assert 0 <= at_zh < at_en, chinese[:30]
        assert at_zh >= position or at_zh + len(squash(chinese)) > position
        position = at_zh
    assert info["title_zh"] in reader.pages[0].extract_text()
    assert squash(info["title_en"]) in squash(reader.pages[0].extract_text())


def test_cover_has_title_year_publisher_and_date_without_running_header(exports, sample):
    info = sample.report()
    for lang in ("zh", "en"):
        _result, reader, _calls = exports[lang]
        cover = squash(reader.pages[0].extract_text())
        for field in ("title", "publisher", "date"):
            assert squash(info[f"{field}_{lang}"]) in cover
        assert str(info["year"]) in cover
        assert not cover.startswith(squash(info[f"title_{lang}"]) + "1")  # no page number
    _result, reader, _calls = exports["zh"]
    third = reader.page_labels.index("3")
    assert "第 3 页" in reader.pages[third].extract_text()
    _result, reader, _calls = exports["en"]
    third = reader.page_labels.index("3")
    assert reader.pages[third].extract_text().splitlines()[1].strip() == "3"


def test_every_font_is_embedded_truetype(exports, print_export):
    readers = [reader for _r, reader, _c in exports.values()] + [print_export[1]]
    for reader in readers:
        seen = set()
        for page in reader.pages:
            for ref in page["/Resources"]["/Font"].values():
                font = ref.get_object()
                if font.get("/Subtype") == "/Type0":
                    font = font["/DescendantFonts"][0].get_object()
                seen.add(font["/BaseFont"])
                assert font.get("/Subtype") != "/Type1", font["/BaseFont"]
                descriptor = font["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, font["/BaseFont"]
                assert "/FontFile3" not in descriptor and "/FontFile" not in descriptor
        assert seen


def test_metadata_and_language(exports, sample):
    info = sample.report()
    for lang, pdf_lang in (("zh", "zh-CN"), ("en", "en")):
        _result, reader, _calls = exports[lang]
        assert reader.metadata.title == info[f"title_{lang}"]
        assert reader.metadata.author == info[f"publisher_{lang}"]
        assert reader.metadata.subject
        assert reader.metadata.creation_date is not None
        assert reader.trailer["/Root"]["/Lang"] == pdf_lang
        assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_indicator_tables_and_charts(exports, sample):
    _result, reader, _calls = exports["en"]
    text = body_text(reader, [sample.report()["title_en"]])
    assert squash("Key indicators: Overview") in text
    assert squash("IndicatorValueUnitYear-on-year") in text
    assert squash("Invention patents granted50,700up 14.28%") in text
    assert squash("Patent and trademark pledge financing transaction amount32 billionRMBup 62.3%") \
        in text
    # a chart per indicator with two years or more: its years, values and title
    assert squash("Figures over the years: Overview") in text
    assert squash("PCT international patent filings") in text  # the bars' values, the years
    assert squash("3,558 5,591 6,185 6,822 2020 2022 2023 2024") in text
    _result, reader, _calls = exports["zh"]
    text = body_text(reader, [sample.report()["title_zh"]])
    assert squash("指标数值单位同比") in text
    assert squash("发明专利授权量5.07万同比增长14.28%") in text
    assert squash("专利商标质押融资金额320亿元同比增长62.3%") in text


def test_headings_are_never_alone_at_the_foot_of_a_page(exports):
    for lang in ("zh", "en", "both"):
        _result, reader, _calls = exports[lang]
        for _level, title, page in outline_entries(reader):
            text = squash(reader.pages[page - 1].extract_text())
            first = squash(title.split(" / ")[0])
            assert first in text, title
            after = text[text.index(first) + len(first):]
            assert len(after) >= 30, f"{lang}: {title} ends page {page}"


def test_progress_runs_up_to_the_total(exports):
    for _result, _reader, calls in exports.values():
        assert calls
        dones = [done for done, _total in calls]
        assert dones == sorted(dones)
        assert calls[-1][0] == calls[-1][1]
        assert all(0 <= done <= total for done, total in calls)


# ----------------------------------------------------------------------------- safety


UNSAFE = ('Tags <img src="/etc/passwd"> and <b>bold <para> & &amp; "quoted" it\'s '
          "\x00\x07\x1b ok 🦄 😀 \u0378 end.")


UNSAFE_TITLE = 'R&D <b>"tags"</b> <a href="x">'


@pytest.fixture(scope="module")
def unsafe_export(tmp_path_factory):
    folder = tmp_path_factory.mktemp("unsafe")
    store = build_sample(folder / "unsafe.sqlite")
    tree = store.load_tree()
    node, path = next((n, p) for n, p in walk_with_path(tree) if n.kind == "paragraph")
    node.text_en = UNSAFE
    node.text_zh = "中文" + UNSAFE
    section = next(n for n, _p in walk_with_path(tree) if n.kind == "section")
    section.title_en = UNSAFE_TITLE
    section.title_zh = "研发" + UNSAFE_TITLE
    store.set_node_texts("en", [node, section])
    store.set_node_texts("zh", [node, section])
    result = export_pdf(store, folder / "unsafe.pdf", ExportOptions(lang="both", charts=False))
    yield result, pypdf.PdfReader(result.path), node, path
    store.close()


def test_markup_in_report_text_is_printed_as_typed(unsafe_export):
    _result, reader, _node, _path = unsafe_export
    text = "".join(page.extract_text() for page in reader.pages)
    typed = squash(printed_english(
        'Tags <img src="/etc/passwd"> and <b>bold <para> & &amp; "quoted" it\'s ok'))
    assert typed in squash(text)
    assert squash("中文" + 'Tags <img src="/etc/passwd">') in squash(text)
    assert "\x07" not in text and "\x1b" not in text
    # titles too: in the heading, the contents and the outline
    assert text.count("研发" + UNSAFE_TITLE) >= 2
    titles = [title for _level, title, _page in outline_entries(reader)]
    assert f"（一）研发{UNSAFE_TITLE} / 1. {printed_english(UNSAFE_TITLE)}" in titles


def test_unprintable_characters_are_named_with_their_place(unsafe_export):
    result, reader, node, path = unsafe_export
    for lang in ("zh", "en"):
        where = node_place(node, path, lang)
        removed = [w for w in result.warnings if where in w and "control characters" in w]
        assert removed and "U+0007" in removed[0] and "U+001B" in removed[0]
        missing = [w for w in result.warnings if where in w and "U+0378" in w]
        assert missing, result.warnings
    text = squash("".join(page.extract_text() for page in reader.pages))
    # a character no font has is replaced by a visible mark and named, never dropped; an
    # emoji that the fallback font draws is printed, and extracted as typed
    for emoji in "🦄😀":
        named = [w for w in result.warnings if f"U+{ord(emoji):04X}" in w]
        assert (emoji in text) != bool(named), emoji
    shown = "".join(e if e in text else "\ufffd" for e in "🦄😀")
    assert squash(f"ok {shown[0]} {shown[1]} \ufffd end.") in text


def test_escape_and_markup():
    assert cjk.escape('<a href="x">&amp;</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt;"
    assert cjk.clean_text("a\x00b\tc\nd\x7f") == "ab\tc\nd"
    assert cjk.markup("x<y\nz", [(None, "x<"), ("Sym", "y\nz")]) == \
        'x&lt;<font name="Sym">y<br/>z</font>'


# ----------------------------------------------------------------------------- writing


def test_target_folder_is_refused(sample, tmp_path):
    with pytest.raises(ExportError, match="is a folder"):
        export_pdf(sample, tmp_path, ExportOptions())
    with pytest.raises(ExportError, match="does not exist"):
        export_pdf(sample, tmp_path / "missing" / "x.pdf", ExportOptions())


def test_read_only_target_is_refused_and_kept(sample, tmp_path):
    target = tmp_path / "old.pdf"
    target.write_bytes(b"old")
    target.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        with pytest.raises(ExportError, match="read-only"):
            export_pdf(sample, target, ExportOptions(lang="en", charts=False))
    finally:
        target.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["old.pdf"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="folder permissions do not stop root")
def test_read_only_folder_is_refused(sample, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(ExportError, match="cannot write"):
            export_pdf(sample, folder / "x.pdf", ExportOptions(lang="en", charts=False))
    finally:
        folder.chmod(stat.S_IRWXU)


def test_unwritable_folder_is_named(sample, tmp_path, monkeypatch):
    import ipviewer.safe_write

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ipviewer.safe_write.os, "open", denied)
    with pytest.raises(ExportError, match=r"x\.pdf: cannot be written \(cannot write in the "
                       r"folder .* \(Permission denied\)\)"):
        export_pdf(sample, tmp_path / "x.pdf", ExportOptions(lang="en", charts=False))


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(sample, tmp_path,
                                                                      monkeypatch):
    target = tmp_path / "paper.pdf"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ExportError, match=r"paper\.pdf.*No space left"):
        export_pdf(sample, target, ExportOptions(lang="en", charts=False))
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["paper.pdf"]


def test_cancelling_stops_the_export_and_keeps_the_old_file(sample, tmp_path):
    target = tmp_path / "paper.pdf"
    target.write_bytes(b"old")
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 20  # during layout

    with pytest.raises(ExportError, match="cancelled"):
        export_pdf(sample, target, ExportOptions(lang="en"), cancelled=cancelled)
    assert len(asked) == 21
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["paper.pdf"]


def test_cancelled_before_start(sample, tmp_path):
    with pytest.raises(ExportError, match="cancelled"):
        export_pdf(sample, tmp_path / "x.pdf", ExportOptions(), cancelled=lambda: True)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("options, message", [
    (ExportOptions(lang="fr"), "export language"),
    (ExportOptions(paper="A5"), "paper size"),
    (ExportOptions(bleed_mm=12), "Bleed"),
])
def test_bad_options_are_refused(sample, tmp_path, options, message):
    with pytest.raises(ExportError, match=message):
        export_pdf(sample, tmp_path / "x.pdf", options)


# ----------------------------------------------------------------------------- long text


def test_long_paragraphs_are_split_at_sentence_ends():
    zh = "上海市知识产权局发布了第十五批重点商标保护名录，纳入保护的商标累计达150,800件。" * 200
    pieces = split_long(zh, "zh")
    assert len(pieces) > 3
    assert "".join(pieces) == zh
    assert all(piece.endswith("。") for piece in pieces)
    en = "Shanghai granted 150,800 patents in 2024, up 14.28% year on year. " * 120
    pieces = split_long(en.strip(), "en")
    assert len(pieces) > 3
    assert " ".join(pieces) == en.strip()
    assert all(piece.endswith(".") for piece in pieces)


def test_long_paragraph_is_laid_out_whole(tmp_path):
    store = build_sample(tmp_path / "long.sqlite")
    try:
        node = next(n for n, _p in walk_with_path(store.load_tree()) if n.kind == "paragraph")
        node.text_zh = "全市有效发明专利达到27.87万件，同比增长15.44%。" * 180
        store.set_node_texts("zh", [node])
        content = build_content(store, "zh")
        pieces = [b for b in content.blocks if isinstance(b, Para) and b.text[:4] == "全市有效"]
        assert len(pieces) > 1 and len(node.text_zh) > LONG_PARAGRAPH
        result = export_pdf(store, tmp_path / "long.pdf", ExportOptions(charts=False))
        text = body_text(pypdf.PdfReader(result.path), [store.report()["title_zh"]])
        assert squash(node.text_zh) in text
    finally:
        store.close()


# ----------------------------------------------------------------------------- Chinese lines


STRESS = ("截至年底，全市有效发明专利150,800件，同比增长14.28%；质押融资金额15.08万元（含"
          "“十四五”期间项目）。世界知识产权组织（WIPO）发布《2024年全球创新指数》，"
          "“上海—苏州”集群位列第五。")
#: A number and what is glued to it; written here independently of the module under test.
NUMBER = re.compile(r"\d[\d,.]*\d(?:%|万元|万件|万|亿元|亿|件|元|年)?|\d(?:%|件|年)?")
CLOSING = "，。、；：？！）》」』”’"
OPENING = "（《「『“‘"


def check_lines(raw: list[str], text: str) -> None:
    for line, following in pairwise(raw):  # no break inside a word
        if line[-1:].isascii() and line[-1:].isalpha() and following[:1].isascii() \
                and following[:1].isalpha():
            raise AssertionError(f"word split: {line[-8:]!r} / {following[:8]!r}")
    lines = [squash(line) for line in raw]  # a line may end with the text's blanks
    joined = "".join(lines)
    assert joined == squash(text)
    ends, at = set(), 0
    for line in lines[:-1]:
        at += len(line)
        ends.add(at)
    for n, line in enumerate(lines):
        if n:
            assert line[0] not in CLOSING, f"line starts with {line[0]!r}: {line}"
        if n < len(lines) - 1:
            assert line[-1] not in OPENING, f"line ends with {line[-1]!r}: {line}"
    for m in re.finditer(NUMBER, joined):
        for cut in ends:
            assert not m.start() < cut < m.end(), f"number split: {m.group()}"


def test_chinese_lines_never_start_with_closing_punctuation_nor_split_numbers(fonts, sample):
    style = ParagraphStyle("zh", fontName=fonts.body, fontSize=10.5, leading=16.8,
                           wordWrap="CJK", firstLineIndent=21)
    texts = [t for t in rendered_paragraphs(sample, "zh") if len(t) > 150]
    texts += [(prefix + STRESS) * 3 for prefix in ("", "上", "上海", "上海市", "全市共")]
    checked = 0
    for text in texts:
        for width in range(96, 460, 23):
            paragraph = cjk.CJKParagraph(cjk.markup(text), style)
            paragraph.wrap(width, 100000)
            lines = cjk.line_texts(paragraph)
            check_lines(lines, text)
            checked += len(lines)
    assert checked > 2000


def test_break_opportunities():
    text = "增长14.28%，PCT国际专利申请6822件（同比）"
    allowed = cjk.break_opportunities(text)
    assert allowed[text.index("14")]  # before the number
    assert not allowed[text.index("4.2")]
    assert not allowed[text.index("%")] and not allowed[text.index("，")]
    assert not allowed[text.index("CT")]  # inside the Latin word
    assert allowed[text.index("PCT")]
    assert not allowed[text.index("同")]  # after （
    assert not allowed[text.index("件")]  # 6822件 stays whole


def test_split_chinese_paragraph_continues_on_the_next_page(fonts):
    style = ParagraphStyle("zh", fontName=fonts.body, fontSize=10.5, leading=16.8,
                           wordWrap="CJK", firstLineIndent=21)
    text = STRESS * 8
    paragraph = cjk.CJKParagraph(cjk.markup(text), style)
    paragraph.wrap(300, 100000)
    first, rest = paragraph.split(300, 16.8 * 4)
    first.wrap(300, 100000)
    rest.wrap(300, 100000)
    check_lines(cjk.line_texts(first) + cjk.line_texts(rest), text)
    assert len(cjk.line_texts(first)) == 4


def test_indicator_names_come_from_the_glossary(sample):
    from ipviewer.terms import Glossary
    from ipviewer.terms.term import Term

    glossary = Glossary.new()
    glossary.add(Term("invention patents granted", "发明专利授权数", field="indicator",
                      approved=True))
    content = build_content(sample, "zh", glossary)
    rows = {row.key: row for b in content.blocks if type(b).__name__ == "IndicatorTable"
            for row in b.rows}
    assert rows["invention_patents_granted"].name["zh"] == "发明专利授权数"
    assert rows["patents_granted"].name["zh"] == "专利授权量"  # the stored label


def test_indicators_of_no_part_go_to_an_appendix(tmp_path):
    store = build_sample(tmp_path / "loose.sqlite")
    try:
        with store.transaction() as db:
            db.execute("UPDATE indicators SET node_id = NULL WHERE key = 'patents_granted'")
        content = build_content(store, "en")
        appendix = content.blocks.index(next(b for b in content.blocks
                                             if getattr(b, "key", "") == "appendix"))
        table = content.blocks[appendix + 1]
        assert [row.key for row in table.rows] == ["patents_granted"]
        result = export_pdf(store, tmp_path / "loose.pdf", ExportOptions(lang="en",
                                                                         charts=False))
        reader = pypdf.PdfReader(result.path)
        assert outline_entries(reader)[-1][:2] == (0, "Appendix: Key indicators")
    finally:
        store.close()


def test_indicator_values_are_formatted_per_language(sample):
    content = build_content(sample, "zh")
    tables = [b for b in content.blocks if type(b).__name__ == "IndicatorTable"]
    rows = {row.key: row for table in tables for row in table.rows}
    assert rows["pledge_financing_amount"].value["zh"] == "320亿"
    assert rows["pledge_financing_amount"].unit["zh"] == "元"
    assert rows["copyright_registrations"].value["zh"].startswith("超过")
    assert rows["invention_patents_granted"].yoy["zh"] == "同比增长14.28%"
    content = build_content(sample, "en", charts=True)
    charts = [s for b in content.blocks if type(b).__name__ == "Charts" for s in b.series]
    assert {s.key for s in charts} >= {"invention_patents_granted", "pledge_financing_amount"}
    pledge = next(s for s in charts if s.key == "pledge_financing_amount")
    assert pledge.years == [2023, 2024]
    assert pledge.values == [pytest.approx(22.76), pytest.approx(32.0)]
    assert pledge.unit_line == "Unit: billion RMB"
    assert all(len(s.years) >= 2 for s in charts)


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf (a PDF structure checker) is not installed")
@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_qpdf_finds_no_errors(exports, lang):
    result = exports[lang][0]
    done = subprocess.run(["qpdf", "--check", str(result.path)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors" in done.stdout


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler's pdffonts is not installed")
def test_pdffonts_says_every_font_is_embedded(exports, print_export):
    for path in (exports["both"][0].path, print_export[0].path):
        lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert lines, "no fonts listed"
        for line in lines:
            emb = line.split()[-5]  # the last columns: emb sub uni object-number generation
            assert emb == "yes", line
