"""The PDF font layer: lookup, subsetting + CFF→TrueType conversion, cache, coverage, runs.

The real conversion (Noto Serif SC + Noto Sans SC for ~3,000 characters) runs once per module
(``fonts`` fixture, a temporary cache folder); error cases use tiny fonts built here.
"""

from __future__ import annotations

import dataclasses
import io
import sys
from importlib import resources
from itertools import pairwise
from pathlib import Path

import pypdf
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.fonts import tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as ReportlabTTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from ipviewer.pdf import fonts as fontlib
from ipviewer.pdf.fonts import (
    FontError,
    FontSet,
    font_runs,
    missing_characters,
    prepare_fonts,
)
from ipviewer.pdf.to_unicode import UnicodeTTFont, utf16_cmap

EN_LINES = [
    "Intellectual Property Development in Shanghai in the Year 2024",
    "Invention patents granted: 150,800 (up 14.28%); pledge financing: 32 billion RMB.",
]
ZH_LINES = [
    "2024年上海知识产权发展状况",
    "发明专利授权量150,800件，同比增长14.28%。",
    "《上海市知识产权保护条例》规定“质押融资”320亿元，（一）行政裁决、专利。",
]
BOLD = "主要指标"  # set in a <b> run of a paragraph


def _sample_text() -> str:
    """About 3,000 characters of the bundled Chinese sample: a realistic glyph set."""
    zh = resources.files("ipviewer.sample_data") / "sample-2024.zh.md"
    return zh.read_text(encoding="utf-8")[:3000]


TEXT = "\n".join(EN_LINES + ZH_LINES + [BOLD, _sample_text()])


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("font-cache")


@pytest.fixture(scope="module")
def prepared(cache_dir) -> FontSet:
    return prepare_fonts(TEXT, cache_dir=cache_dir)


@pytest.fixture(scope="module")
def fonts(prepared) -> FontSet:
    return prepared


@pytest.fixture(scope="module")
def pdf_bytes(fonts, cache_dir) -> tuple[bytes, bytes]:
    """Two PDFs: lines drawn on a canvas, and a paragraph with a bold run."""
    prepare_fonts(TEXT, cache_dir=cache_dir)  # as every export does: its family mapping wins
    lines_pdf = io.BytesIO()
    canvas = Canvas(lines_pdf, initialFontName=fonts.body)  # no unembedded Helvetica
    y = 780
    for line in ZH_LINES + EN_LINES:
        canvas.setFont(fonts.body, 11)
        canvas.drawString(50, y, line)
        y -= 20
    canvas.showPage()
    canvas.save()

    paragraph_pdf = io.BytesIO()
    style = ParagraphStyle("body", fontName=fonts.body, fontSize=11, leading=16)
    SimpleDocTemplate(paragraph_pdf, initialFontName=fonts.body).build(
        [Paragraph(f"<b>{BOLD}</b>2024年上海知识产权", style)]
    )
    return lines_pdf.getvalue(), paragraph_pdf.getvalue()


def _pdf_fonts(data: bytes) -> list:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]


def _box(pen: TTGlyphPen) -> None:
    pen.moveTo((100, 0))
    pen.lineTo((100, 700))
    pen.lineTo((500, 700))
    pen.lineTo((500, 0))
    pen.closePath()


def _make_font(path: Path, family: str, chars: str) -> Path:
    """A tiny TrueType font: a box for each of ``chars``."""
    names = [".notdef", *(f"u{ord(c):04X}" for c in chars)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in chars})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        _box(pen)
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (600, 100) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    ps_name = family.replace(" ", "") + "-Regular"
    builder.setupNameTable({"familyName": family, "styleName": "Regular", "psName": ps_name})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict[str, Path]:
    """Small fonts for the error cases and the collection choice."""
    folder = tmp_path_factory.mktemp("tiny-fonts")
    latin = "".join(map(chr, range(0x20, 0x7F)))
    made = {"latin": _make_font(folder / "LatinOnly.ttf", "Latin Only", latin)}
    members = [
        _make_font(folder / f"m{i}.ttf", f"Tiny Sans CJK {tag}", latin + "中文")
        for i, tag in enumerate(("JP", "KR", "SC", "TC"))
    ]
    collection = TTCollection()
    collection.fonts = [TTFont(path) for path in members]
    collection.save(str(folder / "TinyCJK.ttc"))
    made["ttc"] = folder / "TinyCJK.ttc"

    bitmap = TTFont(made["latin"])
    del bitmap["glyf"], bitmap["loca"]
    bitmap.save(str(folder / "BitmapOnly.ttf"))
    made["bitmap"] = folder / "BitmapOnly.ttf"

    builder = FontBuilder(1000, isTTF=True)
    colour = TTFont(made["latin"])
    builder.font = colour
    builder.setupCOLR({"u0041": [("u0041", 0)]})
    builder.setupCPAL([[(1.0, 0.0, 0.0, 1.0)]])
    colour.save(str(folder / "Colour.ttf"))
    made["colour"] = folder / "Colour.ttf"

    (folder / "notes.ttf").write_text("not a font at all\n", encoding="utf-8")
    made["text"] = folder / "notes.ttf"
    return made


# --------------------------------------------------------------------------- the real fonts


def test_prepared_fonts_cover_every_character(fonts):
    assert fonts.embedded and fonts.warnings == []
    assert Path(fonts.sources["body"]).name == "NotoSerifSC-Regular.otf"
    assert Path(fonts.sources["heading"]).name == "NotoSansSC-Regular.otf"
    for name in (fonts.body, fonts.heading):
        font = pdfmetrics.getFont(name)
        assert font.face.name.decode() == name  # registered under its PostScript name
        drawable = font.face.charToGlyph
        assert [ch for ch in TEXT if not ch.isspace() and ord(ch) not in drawable] == []
    assert missing_characters(TEXT, fonts) == []


def test_first_preparation_converts_the_two_fonts(prepared):
    # how long it takes: benchmarks/bench_pdf.py ("first (fonts prepared)")
    if prepared.conversions:  # another module may have prepared the same text first
        assert prepared.conversions == 2


def test_converted_subsets_are_truetype(fonts, cache_dir):
    files = sorted(cache_dir.glob("*.ttf"))
    assert len(files) == 2
    for path in files:
        font = TTFont(path)
        assert "glyf" in font and "loca" in font
        assert "CFF " not in font and "CFF2" not in font and "VORG" not in font
        assert font.sfntVersion == "\x00\x01\x00\x00"
        assert font["maxp"].tableVersion == 0x00010000 and font["maxp"].maxPoints > 0
        assert font["head"].glyphDataFormat == 0
        assert font["post"].formatType == 3.0
        assert len(font.getGlyphOrder()) < 1500  # a subset, not the 65,000 glyphs
        glyph_name = font.getBestCmap()[ord("权")]
        glyph = font["glyf"][glyph_name]
        assert glyph.numberOfContours > 0
        assert font["hmtx"][glyph_name][1] == glyph.xMin  # TrueType: lsb == xMin
        assert font["name"].getDebugName(6) in (fonts.body, fonts.heading)


def test_pdf_embeds_the_fonts_and_text_reads_back(pdf_bytes, fonts):
    for data in pdf_bytes:
        for font in _pdf_fonts(data):
            assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
            assert "/ToUnicode" in font
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes[0]))
    assert reader.pages[0].extract_text().splitlines() == ZH_LINES + EN_LINES


def test_bold_in_a_paragraph_uses_the_heading_font(pdf_bytes, fonts, cache_dir):
    prepare_fonts(TEXT, cache_dir=cache_dir)  # (another test may have remapped the body font)
    assert tt2ps(fonts.family, 1, 0) == fonts.heading
    assert tt2ps(fonts.family, 0, 0) == fonts.body
    style = ParagraphStyle("body", fontName=fonts.body, fontSize=11, leading=16)
    frags = Paragraph(f"正文<b>{BOLD}</b>", style).frags
    assert [(f.fontName, f.text) for f in frags] == [(fonts.body, "正文"), (fonts.heading, BOLD)]

    paragraph_pdf = pdf_bytes[1]
    base_fonts = {str(f["/BaseFont"]).split("+", 1)[1] for f in _pdf_fonts(paragraph_pdf)}
    assert base_fonts == {fonts.body, fonts.heading}
    text = pypdf.PdfReader(io.BytesIO(paragraph_pdf)).pages[0].extract_text()
    assert text.strip() == f"{BOLD}2024年上海知识产权"


def test_second_prepare_in_the_process_does_no_work(fonts, cache_dir):
    # its speed is measured by benchmarks/bench_pdf.py; here: no conversion, no disk read
    again = prepare_fonts(TEXT, cache_dir=cache_dir)
    assert (again.conversions, again.cache_reads) == (0, 0)
    assert (again.body, again.heading, again.family) == (fonts.body, fonts.heading, fonts.family)


def test_disk_cache_is_read_and_a_damaged_entry_rebuilt(fonts, tmp_path):
    text = "缓存测试：读取与重建"
    first = prepare_fonts(text, cache_dir=tmp_path)
    assert first.conversions == 2 and first.cache_reads == 0
    assert first.body != fonts.body  # another glyph set, another font name
    files = sorted(tmp_path.glob("*.ttf"))
    assert len(files) == 2

    fontlib.clear_memo()  # as in a new process
    cached = prepare_fonts(text, cache_dir=tmp_path)
    assert (cached.conversions, cached.cache_reads) == (0, 2)
    assert (cached.body, cached.heading) == (first.body, first.heading)

    damaged = files[0]
    data = damaged.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])  # a torn write
    files[1].write_bytes(b"\0" * 64)  # garbage
    fontlib.clear_memo()
    rebuilt = prepare_fonts(text, cache_dir=tmp_path)
    assert (rebuilt.conversions, rebuilt.cache_reads) == (2, 0)
    assert (rebuilt.body, rebuilt.heading) == (first.body, first.heading)
    for path in files:
        assert TTFont(path)["name"].getDebugName(6) in (first.body, first.heading)
    assert not list(tmp_path.glob("*.tmp"))


def test_heading_text_limits_the_heading_subset(fonts, cache_dir):
    small = prepare_fonts(TEXT, heading_text="概述", cache_dir=cache_dir)
    assert small.body == fonts.body  # the same body subset (from memory or disk)
    assert small.conversions == 1
    heading = pdfmetrics.getFont(small.heading).face.charToGlyph
    assert ord("概") in heading and ord("A") in heading and ord("，") in heading
    assert ord("权") not in heading


# --------------------------------------------------------------------------- coverage, runs


def test_missing_characters(fonts):
    no_fallback = dataclasses.replace(fonts, fallback=None)
    text = "知识 Latin 😀\n\t😀，🫠"
    assert missing_characters(text, no_fallback) == ["😀", "🫠"]
    # U+1FAE0 (2021) is in no fallback font we look for; emoji may be in DejaVu Sans.
    assert "🫠" in missing_characters(text, fonts)
    # The body font is a subset: a character that was not in the prepared text is missing.
    assert missing_characters("龘", no_fallback) == ["龘"]


def test_font_runs_split_a_mixed_string(fonts):
    body = pdfmetrics.getFont(fonts.body).face.charToGlyph
    no_fallback = dataclasses.replace(fonts, fallback=None)
    assert font_runs("合计 100 件 😀", no_fallback) == [(fonts.body, "合计 100 件 😀")]
    assert font_runs("", fonts) == []
    if fonts.fallback is None:
        pytest.skip("no fallback font (DejaVu Sans, Segoe UI Symbol …) on this system")
    extra = pdfmetrics.getFont(fonts.fallback).face.charToGlyph
    symbol = next(c for c in "♞⚠☂✓⌘" if ord(c) not in body and ord(c) in extra)
    text = f"合计{symbol}100 件 {symbol}{symbol}"
    runs = font_runs(text, fonts)
    assert runs == [
        (fonts.body, "合计"),
        (fonts.fallback, symbol),
        (fonts.body, "100 件 "),
        (fonts.fallback, symbol * 2),
    ]
    assert "".join(run for _font, run in runs) == text
    assert font_runs("2024年", fonts, base=fonts.heading) == [(fonts.heading, "2024年")]


# --------------------------------------------------------------------------- lookup, errors


def test_collection_member_is_chosen_by_name(tiny, tmp_path):
    fonts = prepare_fonts("中文 ABC", body_path=tiny["ttc"], cache_dir=tmp_path)
    assert fonts.sources["body"] == str(tiny["ttc"])
    assert fonts.body.startswith("TinySansCJKSC-Regular-")  # member 2 of 4, not member 0
    assert pdfmetrics.getFont(fonts.body).face.familyName == b"Tiny Sans CJK SC"


def test_latin_font_is_fine_for_english_only(tiny, tmp_path):
    fonts = prepare_fonts("Patents granted: 150,800", body_path=tiny["latin"], cache_dir=tmp_path)
    assert fonts.sources["body"] == str(tiny["latin"])
    assert fonts.sources["heading"].endswith("NotoSansSC-Regular.otf")


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("missing", "no such file"),
        ("folder", "folder"),
        ("text", "not a font file"),
        ("latin", "no Chinese glyphs"),
        ("bitmap", "bitmap-only"),
        ("colour", "colour"),
    ],
)
def test_bad_explicit_font_names_the_file(kind, words, tiny, tmp_path):
    path = {"missing": tmp_path / "NoSuchFont.otf", "folder": tmp_path}.get(kind) or tiny[kind]
    with pytest.raises(FontError) as caught:
        prepare_fonts("知识产权 IP", body_path=path, cache_dir=tmp_path)
    assert str(path) in str(caught.value)
    assert words in str(caught.value)
    assert caught.value.path == str(path)


def test_bad_heading_path_is_an_error_too(tiny, tmp_path):
    with pytest.raises(FontError, match="NoSuchHeading.ttf"):
        prepare_fonts("知识产权", heading_path=tmp_path / "NoSuchHeading.ttf", cache_dir=tmp_path)


def test_without_a_heading_font_headings_use_the_body_font(fonts, monkeypatch, cache_dir):
    body_only = [fonts.sources["body"]]
    monkeypatch.setattr(fontlib, "candidates", lambda role: body_only if role == "body" else [])
    fallback = prepare_fonts(TEXT, cache_dir=cache_dir)
    assert fallback.heading == fallback.body == fonts.body
    assert fallback.conversions == 0  # the body subset serves both roles
    assert len(fallback.warnings) == 1 and "headings use the body font" in fallback.warnings[0]
    assert tt2ps(fallback.family, 1, 0) == fonts.body


def test_no_font_found_lists_what_was_looked_for(monkeypatch, tmp_path):
    monkeypatch.setattr(fontlib, "candidates", lambda role: [])
    with pytest.raises(FontError) as caught:
        prepare_fonts("知识产权", cache_dir=tmp_path)
    message = str(caught.value)
    for name in ("Noto Serif SC", "simsun.ttc", "songti.ttc", "wqy-zenhei.ttc", "uming.ttc"):
        assert name in message


def test_allow_cid_falls_back_to_stsong_without_embedding(monkeypatch, tmp_path):
    monkeypatch.setattr(fontlib, "candidates", lambda role: [])
    fonts = prepare_fonts("知识产权 2024", allow_cid=True, cache_dir=tmp_path)
    assert (fonts.body, fonts.heading) == ("STSong-Light", "STSong-Light")
    assert fonts.embedded is False
    assert fonts.sources["body"] == "STSong-Light"
    assert len(fonts.warnings) == 1 and "not print-ready" in fonts.warnings[0]
    assert missing_characters("知识产权 2024", fonts) == []
    assert tt2ps(fonts.family, 1, 0) == "STSong-Light"


def test_default_cache_dir_follows_xdg(monkeypatch, tmp_path):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("XDG is the Linux convention")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert fontlib.default_cache_dir() == tmp_path / "ipviewer" / "fonts"


# --------------------------------------------------------------------------- ToUnicode CMaps


ASTRAL = "A😀中𠀀"  # Latin, an emoji, a BMP ideograph, CJK Extension B


def test_to_unicode_cmap_names_astral_characters_in_utf16():
    from reportlab.pdfbase.ttfonts import makeToUnicodeCMap

    written = makeToUnicodeCMap("Tiny", [0, *map(ord, ASTRAL)])
    assert "<02> <1F600>" in written  # what reportlab writes: not UTF-16
    fixed = utf16_cmap(written)
    assert "<01> <0041>" in fixed and "<03> <4E2D>" in fixed
    assert "<02> <D83DDE00>" in fixed and "<04> <D840DC00>" in fixed
    assert utf16_cmap(fixed) == fixed
    assert fixed.replace("D83DDE00", "1F600").replace("D840DC00", "20000") == written
    # outside a bfchar section nothing is touched
    ranges = "1 begincodespacerange <00> <1F600> endcodespacerange"
    assert utf16_cmap(ranges) == ranges


@pytest.mark.parametrize("cls", [UnicodeTTFont, ReportlabTTFont])
def test_astral_characters_extract_as_typed(tmp_path, cls):
    """With our font class the text reads back as typed; reportlab's own loses 😀 and 𠀀
    (if this starts passing with reportlab's class, the subclass can go)."""
    # its own family name: reportlab's registry keeps the first font of a face name
    path = _make_font(tmp_path / "astral.ttf", f"Astral {cls.__name__}", ASTRAL)
    name = f"Astral-{cls.__name__}"
    pdfmetrics.registerFont(cls(name, str(path)))
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.setFont(name, 12)
    canvas.drawString(72, 720, ASTRAL)
    canvas.save()
    text = pypdf.PdfReader(out).pages[0].extract_text().strip()
    assert (text == ASTRAL) == (cls is UnicodeTTFont), text


def test_narrowed_punctuation_variants_are_cached_on_disk_and_rebuilt_when_damaged(
        fonts, tmp_path, monkeypatch):
    """Deriving the half-width punctuation font takes a few tenths of a second: an export
    in a new process reads the one an earlier export made (a damaged file is made again)."""
    from ipviewer.pdf import font_variants

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    data = pdfmetrics.getFont(fonts.body).face._ttf_data
    name = f"{fonts.body}-half"
    made = font_variants._derived(data, font_variants.HALF, name)
    files = list((tmp_path / "ipviewer" / "fonts").glob("*.ttf"))
    assert made is not None and made.fontName == name and len(files) == 1
    comma = made.stringWidth("，", 1000)
    assert comma <= 550  # half an em (1000 units), from a full-width mark
    inode = files[0].stat().st_ino  # a new file would replace it (temporary file + rename)
    read = font_variants._derived(data, font_variants.HALF, name)
    assert read.fontName == name and files[0].stat().st_ino == inode  # read, not made
    assert read.stringWidth("，", 1000) == comma
    files[0].write_bytes(files[0].read_bytes()[:2000])  # torn
    again = font_variants._derived(data, font_variants.HALF, name)
    assert again.fontName == name and again.stringWidth("，", 1000) == comma
    assert files[0].stat().st_size > 2000


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("合计件年，。 \n\tAbc1😀\u200b\ufe0f䶵𠀀")),
                    max_size=30))
def test_font_runs_rejoin_to_the_text_and_use_the_fallback_only_where_needed(fonts, text):
    runs = font_runs(text, fonts)
    assert "".join(run for _font, run in runs) == text
    assert all(run for _font, run in runs)
    assert all(a[0] != b[0] for a, b in pairwise(runs))  # neighbours differ in font
    for font, run in runs:
        if font == fonts.fallback and fonts.fallback != fonts.body:
            drawn = [ch for ch in run if not ch.isspace()]
            assert drawn and not all(ord(ch) in pdfmetrics.getFont(fonts.body).face.charToGlyph
                                     for ch in drawn)
