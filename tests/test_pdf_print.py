"""The print edition (``export --print``): CMYK throughout and PDF/X-4, read back from the file.

Every content stream is parsed (pikepdf.parse_content_stream, pages and forms) and the
colour state is followed through q/Q; the output intent's profile is read by littleCMS
(Pillow's ImageCms), the XMP by an XML parser, fonts by poppler's ``pdffonts``, the pages
rendered by ``pdftoppm``. One export per language, made once for the module.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageCms, ImageStat

from conftest import run_cli
from ipviewer.pdf.export import ExportOptions, export_pdf
from ipviewer.pdf.print_output import PrintError, make_print_ready

LANGS = ("zh", "en", "both")
RGB_SPACES = {"/DeviceRGB", "/CalRGB"}
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
K_BLACK = ("k", (0.0, 0.0, 0.0, 1.0))
XMP_NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
          "pdfxid": "http://www.npes.org/pdfx/ns/id/", "dc": "http://purl.org/dc/elements/1.1/",
          "xmp": "http://ns.adobe.com/xap/1.0/", "pdf": "http://ns.adobe.com/pdf/1.3/",
          "xmpMM": "http://ns.adobe.com/xap/1.0/mm/"}


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sample(sample_store):
    return sample_store


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("print")


@pytest.fixture(scope="module")
def printed(sample, out_dir) -> dict[str, Path]:
    """The sample's print edition in each language (zh with crop marks and a 3 mm bleed,
    both as a draft), and the zh screen edition to compare with."""
    paths = {}
    for lang in LANGS:
        options = ExportOptions(lang=lang, print_ready=True, crop_marks=lang == "zh",
                                bleed_mm=3 if lang == "zh" else 0, draft=lang == "both")
        paths[lang] = export_pdf(sample, out_dir / f"{lang}-print.pdf", options).path
    paths["zh-screen"] = export_pdf(sample, out_dir / "zh-screen.pdf",
                                    ExportOptions(lang="zh", crop_marks=True, bleed_mm=3)).path
    return paths


@pytest.fixture(scope="module")
def opened(printed):
    pdfs = {name: pikepdf.open(path) for name, path in printed.items()}
    yield pdfs
    for pdf in pdfs.values():
        pdf.close()


# ----------------------------------------------------------------------------- helpers


def drawings(page):
    """(owner, resources) of the page and of every form it draws, depth first."""
    seen = set()

    def walk(owner):
        if owner.is_indirect:
            if owner.objgen in seen:
                return
            seen.add(owner.objgen)
        resources = owner.get("/Resources") or pikepdf.Dictionary()
        yield owner, resources
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                yield from walk(xobject)

    yield from walk(page.obj)


def colour_trace(page):
    """Every operator of the page, and of the forms it draws where it draws them, with the
    fill and stroke colour in force (the operator that set it and its operands; None
    before any is set) and the colour space names in force, following q/Q; a form starts
    from the state at its ``Do``, as a PDF reader draws it."""
    trace = []

    def walk(stream, resources, state, depth=0):
        stack = []
        for operands, operator in pikepdf.parse_content_stream(stream):
            op = str(operator)
            values = tuple(float(v) for v in operands if isinstance(v, int | float)
                           or type(v).__name__ == "Decimal")
            if op == "q":
                stack.append(dict(state))
            elif op == "Q":
                state = stack.pop()
            elif op in ("rg", "k", "g", "sc", "scn"):
                state["fill"] = (op, values)
                state["fill_space"] = {"rg": "/DeviceRGB", "k": "/DeviceCMYK",
                                       "g": "/DeviceGray"}.get(op, state["fill_space"])
            elif op in ("RG", "K", "G", "SC", "SCN"):
                state["stroke"] = (op, values)
                state["stroke_space"] = {"RG": "/DeviceRGB", "K": "/DeviceCMYK",
                                         "G": "/DeviceGray"}.get(op, state["stroke_space"])
            elif op in ("cs", "CS"):
                key = "fill_space" if op == "cs" else "stroke_space"
                state[key] = _space_name(resources, operands[0])
            trace.append((op, dict(state)))
            if op == "Do" and depth < 8:
                xobject = resources.XObject[operands[0]]
                if xobject.get("/Subtype") == "/Form":
                    walk(xobject, xobject.get("/Resources") or resources, dict(state),
                         depth + 1)

    walk(page, page.obj.get("/Resources") or pikepdf.Dictionary(),
         {"fill": None, "stroke": None, "fill_space": "/DeviceGray",
          "stroke_space": "/DeviceGray"})
    return trace


def _space_name(resources, name) -> str:
    """The family of a colour space operand: a device space, or the kind of a named one
    (its alternate space for Separation, ``/ICCBased-3`` for an RGB ICC space …)."""
    if str(name) in ("/DeviceRGB", "/DeviceCMYK", "/DeviceGray", "/Pattern"):
        return str(name)
    space = resources.ColorSpace[name]
    kind = str(space[0])
    if kind == "/ICCBased":
        return f"/ICCBased-{int(space[1].N)}"
    if kind in ("/Separation", "/DeviceN"):
        return f"{kind}:{space[1]}:{space[2]}"
    return kind


def is_rgb_space(space: str) -> bool:
    return space in RGB_SPACES or space == "/ICCBased-3" or space.endswith(":/DeviceRGB")


# ----------------------------------------------------------------------------- colour


@pytest.mark.parametrize("lang", LANGS)
def test_no_rgb_operator_or_space_in_any_content_stream(opened, lang):
    pdf = opened[lang]
    for number, page in enumerate(pdf.pages, start=1):
        trace = colour_trace(page)
        ops = {op for op, _state in trace}
        assert not ops & {"rg", "RG"}, (lang, number)
        for op, state in trace:
            if op in ("sc", "scn"):
                assert not is_rgb_space(state["fill_space"]), (lang, number, state)
            if op in ("SC", "SCN"):
                assert not is_rgb_space(state["stroke_space"]), (lang, number, state)
        for _owner, resources in drawings(page):
            for name, space in (resources.get("/ColorSpace") or {}).items():
                assert not is_rgb_space(_space_name(resources, name)), (lang, number, space)
    # no RGB image, ICC profile, shading or transparency group anywhere in the file
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            if obj.get("/Subtype") == "/Image":
                assert obj.get("/ColorSpace") == "/DeviceCMYK", lang
            if "/N" in obj and "/Alternate" in obj:  # an ICC profile
                assert int(obj.N) == 4, lang
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            assert str(obj.get("/ColorSpace", "")) not in RGB_SPACES, lang
            group = obj.get("/Group")
            if group is not None:
                assert str(group.get("/CS", "")) not in RGB_SPACES, lang
    raw = Path(pdf.filename).read_bytes()
    assert b"/DeviceRGB" not in raw and b"/CalRGB" not in raw


@pytest.mark.parametrize("lang", LANGS)
def test_text_is_set_in_cmyk_and_black_text_in_black_ink_only(opened, lang):
    shown: dict[tuple, int] = {}
    for page in opened[lang].pages:
        for op, state in colour_trace(page):
            if op in TEXT_SHOWING:
                shown[state["fill"]] = shown.get(state["fill"], 0) + 1
    assert None not in shown, "text shown in the default colour, not set in CMYK"
    assert {fill[0] for fill in shown} <= {"k", "scn"}, shown.keys()
    black = shown.get(K_BLACK, 0)
    assert black / sum(shown.values()) > 0.8, shown  # body text, tables, charts' labels
    for fill in shown:
        if fill[0] == "k":
            cyan, magenta, yellow, _key = fill[1]
            # a grey is a tint of black only; colour only for the accent (headings, year)
            assert (cyan, magenta, yellow) == (0, 0, 0) or magenta > 0.9, fill


def test_crop_and_registration_marks_are_in_the_registration_colour(opened):
    pdf = opened["zh"]
    for number, page in enumerate(pdf.pages, start=1):
        spaces = {name: _space_name(resources, name) for _o, resources in drawings(page)
                  for name in (resources.get("/ColorSpace") or {})}
        assert "/Separation:/All:/DeviceCMYK" in spaces.values(), number
        trace = colour_trace(page)
        in_all = [op for op, state in trace if state["stroke_space"].startswith("/Separation:/All")]
        # 8 crop mark lines and 4 targets: a circle (4 curves) and a cross (2 lines) each
        assert in_all.count("c") >= 16 and in_all.count("l") >= 16, number
        strokes = [state for op, state in trace if op == "S"]
        assert any(s["stroke"] == ("SCN", (1.0,)) for s in strokes), number
    # the separation prints on all plates: its tint transform gives 1 1 1 1 at full tint
    (space,) = {str(s[1]): s for page in pdf.pages
                for s in (page.Resources.get("/ColorSpace") or {}).values()}.values()
    assert re.sub(rb"\s+", b" ", space[3].read_bytes()).count(b"mul") == 4


def test_the_print_edition_looks_like_the_screen_edition(printed, tmp_path):
    """Rendered by poppler (which converts CMYK without the profile), page by page."""
    for name in ("zh", "zh-screen"):
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(printed[name]),
                        str(tmp_path / name)], check=True, timeout=120)
    screen = sorted(tmp_path.glob("zh-screen-*.png"))
    printed_pages = sorted(p for p in tmp_path.glob("zh-*.png") if "screen" not in p.name)
    assert len(screen) == len(printed_pages) > 5
    for one, other in zip(screen, printed_pages, strict=True):
        a, b = Image.open(one).convert("RGB"), Image.open(other).convert("RGB")
        assert a.size == b.size
        difference = ImageStat.Stat(ImageChops.difference(a, b)).mean
        assert max(difference) < 4, (one.name, difference)  # of 255


# ----------------------------------------------------------------------------- PDF/X-4


@pytest.mark.parametrize("lang", LANGS)
def test_output_intent_embeds_a_cmyk_printer_profile(opened, lang):
    (intent,) = opened[lang].Root.OutputIntents
    assert intent.Type == "/OutputIntent" and intent.S == "/GTS_PDFX"
    assert str(intent.OutputConditionIdentifier) == "FOGRA39"
    assert str(intent.RegistryName) == "http://www.color.org"
    data = intent.DestOutputProfile.read_bytes()
    assert data[12:16] == b"prtr" and data[16:20] == b"CMYK" and data[36:40] == b"acsp"
    assert int(intent.DestOutputProfile.N) == 4
    profile = ImageCms.ImageCmsProfile(io.BytesIO(data))  # littleCMS reads it
    assert profile.profile.xcolor_space.strip() == "CMYK"
    assert profile.profile.device_class == "prtr"


@pytest.mark.parametrize("lang", LANGS)
def test_xmp_and_info_claim_pdfx4(opened, lang):
    pdf = opened[lang]
    packet = pdf.Root.Metadata.read_bytes()
    assert packet.startswith(b"<?xpacket begin=") and packet.endswith(b'<?xpacket end="w"?>')
    root = ET.fromstring(packet)
    (description,) = root.iter(f"{{{XMP_NS['rdf']}}}Description")  # one, for strict readers
    values = {}
    for description in root.iter(f"{{{XMP_NS['rdf']}}}Description"):
        for child in description:
            items = [li.text for li in child.iter(f"{{{XMP_NS['rdf']}}}li")]
            values[child.tag] = items if items else child.text
    assert values[f"{{{XMP_NS['pdfxid']}}}GTS_PDFXVersion"] == "PDF/X-4"
    assert values[f"{{{XMP_NS['dc']}}}title"] == [str(pdf.docinfo.Title)]
    assert values[f"{{{XMP_NS['dc']}}}language"] == [{"en": "en"}.get(lang, "zh-CN")]
    assert values[f"{{{XMP_NS['xmp']}}}CreatorTool"] == "ipviewer"
    assert values[f"{{{XMP_NS['pdf']}}}Trapped"] == "False"
    assert values[f"{{{XMP_NS['dc']}}}format"] == "application/pdf"
    for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate", "xmpMM:DocumentID",
                "xmpMM:VersionID", "xmpMM:RenditionClass"):
        prefix, local = key.split(":")
        assert values.get(f"{{{XMP_NS[prefix]}}}{local}"), key
    assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
    assert pdf.docinfo.Trapped == pikepdf.Name("/False")
    assert "/CreationDate" in pdf.docinfo and "/ModDate" in pdf.docinfo
    for info_key, xmp_key in (("/CreationDate", "CreateDate"), ("/ModDate", "ModifyDate")):
        d = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)", str(pdf.docinfo[info_key]))
        expected = "{}-{}-{}T{}:{}:{}".format(*d.groups())  # XMP and Info agree
        assert values[f"{{{XMP_NS['xmp']}}}{xmp_key}"].startswith(expected), xmp_key
    if lang == "both":  # a draft says so in the metadata too
        assert "DRAFT" in str(pdf.docinfo.Title)


@pytest.mark.parametrize("lang", LANGS)
def test_trim_inside_bleed_inside_media_on_every_page(opened, lang):
    for number, page in enumerate(opened[lang].pages, start=1):
        media, bleed, trim = ([float(v) for v in page.obj[key]]
                              for key in ("/MediaBox", "/BleedBox", "/TrimBox"))
        assert "/ArtBox" not in page.obj  # PDF/X: a TrimBox or an ArtBox, not both
        assert "/Annots" not in page.obj  # no links on the printed area
        assert "/Trans" not in page.obj  # nor a presentation's page transition
        for inner, outer in ((trim, bleed), (bleed, media)):
            assert inner[0] >= outer[0] and inner[1] >= outer[1], (lang, number)
            assert inner[2] <= outer[2] and inner[3] <= outer[3], (lang, number)
        if lang == "zh":  # 3 mm bleed, marks outside it
            assert trim[0] - bleed[0] == pytest.approx(3 / 25.4 * 72, abs=0.01)
            assert bleed[0] > media[0]
        else:  # no marks: the sheet is the trimmed page
            assert trim == media == bleed


@pytest.mark.parametrize("lang", LANGS)
def test_fonts_embedded_and_pdf_1_6(printed, opened, lang):
    listing = subprocess.run(["pdffonts", str(printed[lang])], capture_output=True,
                             text=True, check=True, timeout=60).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        assert re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line), line
        embedded = line.split()[-5]
        assert embedded == "yes", line
    raw = printed[lang].read_bytes()
    assert raw.startswith(b"%PDF-1.6")
    assert b"/ObjStm" not in raw and b"/XRef" not in raw  # allowed in X-4, but not needed
    pdf = opened[lang]
    assert pdf.pdf_version == "1.6" and "/Version" not in pdf.Root
    assert "/Encrypt" not in pdf.trailer
    assert "/ID" in pdf.trailer  # PDF/X asks for the file identifier
    for obj in pdf.objects:  # nothing PDF/X-4 forbids: scripts, embedded files, 3D
        if isinstance(obj, pikepdf.Dictionary):
            assert obj.get("/S") not in ("/JavaScript", "/Launch"), obj
            assert obj.get("/Type") not in ("/EmbeddedFile", "/3D"), obj
    if shutil.which("qpdf"):
        done = subprocess.run(["qpdf", "--check", str(printed[lang])], capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


# ----------------------------------------------------------------------------- subset names


def subset_tags(pdf) -> dict[str, set[str]]:
    """Font name (after the tag) -> the tags of its subsets in the file."""
    found: dict[str, set[str]] = {}
    for page in pdf.pages:
        for _owner, resources in drawings(page):
            for font in (resources.get("/Font") or {}).values():
                tag, name = str(font.BaseFont).lstrip("/").split("+", 1)
                found.setdefault(name, set()).add(tag)
    return found


def test_subset_tags_come_from_the_subsets_characters(opened):
    everywhere: dict[str, str] = {}
    for name in ("zh", "en", "both"):
        for font, tags in subset_tags(opened[name]).items():
            for tag in tags:
                assert re.fullmatch(r"[A-Z]{6}", tag), tag
                # no tag is shared by two different subsets, in one file or across files
                assert everywhere.setdefault(tag, f"{name}:{font}") == f"{name}:{font}", tag
    zh = subset_tags(opened["zh"])
    assert max(len(tags) for tags in zh.values()) > 1  # a big font has several subsets
    assert all(not tag.startswith("AAAA") for tags in zh.values() for tag in tags)
    # the same characters give the same tag: the screen edition's subsets are the print's
    assert subset_tags(opened["zh-screen"]) == zh


# ----------------------------------------------------------------------------- more


def test_cli_print_flag_writes_pdfx4(sample_copy, tmp_path):
    out = tmp_path / "print.pdf"
    result = run_cli("export", sample_copy, "-o", out, "--lang", "en", "--no-charts",
                     "--print", "--draft")
    assert result.exit_code == 0, result.output
    with pikepdf.open(out) as pdf:
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFX"
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
        ops = {str(op) for page in pdf.pages for _o, op in pikepdf.parse_content_stream(page)}
        assert "k" in ops and not ops & {"rg", "RG"}


def _reportlab_pdf(draw, fonts: bool = True) -> bytes:
    """A one-page PDF drawn by ``draw(canvas)``; without ``fonts`` the Helvetica that
    reportlab lists on every page (not embedded) is taken out of its resources."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(200, 200))
    draw(canvas)
    canvas.showPage()
    canvas.save()
    if fonts:
        return buffer.getvalue()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        del pdf.pages[0].Resources["/Font"]
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_raster_images_are_converted_to_cmyk_through_the_profile():
    from reportlab.lib.utils import ImageReader

    red = Image.new("RGB", (4, 4), (220, 20, 20))
    data = make_print_ready(_reportlab_pdf(
        lambda c: c.drawImage(ImageReader(red), 10, 10, 50, 50), fonts=False))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        (image,) = [o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                    and o.get("/Subtype") == "/Image"]
        assert image.ColorSpace == "/DeviceCMYK"
        cyan, magenta, yellow, _k = pikepdf.PdfImage(image).as_pil_image().getpixel((1, 1))
        assert magenta > 200 and yellow > 180 and cyan < 40  # red is magenta and yellow ink


def test_what_pdfx4_forbids_is_refused_with_a_reason():
    with pytest.raises(PrintError, match="Helvetica is not embedded"):
        make_print_ready(_reportlab_pdf(lambda c: c.drawString(10, 10, "standard 14 font")))


# ----------------------------------------------------------------------------- PDFBox


#: Apache PDFBox preflight (Debian libpdfbox2-java) and what it needs on Java 17.
PREFLIGHT_JARS = [Path("/usr/share/java") / f"{name}.jar" for name in (
    "preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation",
    "jaxb-api")]
#: What PDF/A-1b asks and PDF/X-4 does not: a GTS_PDFA1 intent first; no pdf:Trapped
#: in the XMP without an extension schema (PDF/X-4 wants pdf:Trapped).
PDFA_ONLY = {"2.1.3", "7.1.1"}


def test_pdfbox_preflight_finds_nothing_but_pdfa_only_rules(printed, tmp_path):
    """PDFBox validates PDF/A-1b only. Given a copy whose output intent also says
    GTS_PDFA1, it checks what PDF/A and PDF/X share: colour operators against the intent's
    CMYK profile, embedded fonts and their widths, XMP against Info, file syntax."""
    if not shutil.which("java") or not all(jar.exists() for jar in PREFLIGHT_JARS):
        pytest.skip("Apache PDFBox preflight is not installed (.ci/run installs it)")
    for lang in LANGS:
        copy = tmp_path / f"{lang}-as-pdfa.pdf"
        with pikepdf.open(printed[lang]) as pdf:
            intent = pikepdf.Dictionary(pdf.Root.OutputIntents[0])
            intent.S = pikepdf.Name.GTS_PDFA1
            pdf.Root.OutputIntents.append(pdf.make_indirect(intent))
            pdf.save(copy)
        done = subprocess.run(
            ["java", "-cp", ":".join(map(str, PREFLIGHT_JARS)),
             "org.apache.pdfbox.preflight.Validator_A1b", str(copy)],
            capture_output=True, text=True, timeout=300, check=False)
        found = re.findall(r"^(\d+(?:\.\d+)+) : (.*)$", done.stdout + done.stderr,
                           re.MULTILINE)
        assert found, done.stdout + done.stderr  # it ran, and said why it is not PDF/A
        assert {code for code, _text in found} <= PDFA_ONLY, (lang, found)
        assert all("Trapped" in text for code, text in found if code == "7.1.1"), found


# ----------------------------------------------------------------------------- the window


def test_the_export_dialog_offers_and_remembers_the_print_edition(app, qtbot, sample_copy):
    from ipviewer.ui.export_dialog import ExportDialog

    dialog = ExportDialog(sample_copy)
    qtbot.addWidget(dialog)
    assert not dialog.print_ready.isChecked() and not dialog.options().print_ready
    assert "PDF/X-4" in dialog.print_ready.text() and dialog.print_ready.toolTip()
    dialog.print_ready.setChecked(True)
    assert dialog.options().print_ready and dialog.choices().print_ready
    target = sample_copy.with_name("print.pdf")
    dialog.path.setText(str(target))
    dialog.accept()  # remembers the choices for this report
    again = ExportDialog(sample_copy)
    qtbot.addWidget(again)
    assert again.print_ready.isChecked() and again.options().print_ready
