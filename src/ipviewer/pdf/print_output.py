"""The print edition's last step: PDF/X-4 conformance, added to the PDF reportlab wrote.

reportlab lays out the pages in CMYK (:mod:`.colours`, ``ExportOptions(print_ready=True)``)
but writes no output intent, no XMP metadata and no PDF/X identification. With pikepdf,
:func:`make_print_ready` adds what ISO 15930-7 (PDF/X-4) asks of a file a print shop takes
as it is:

* an output intent ``GTS_PDFX`` with the embedded CMYK profile of the printing condition
  (``icc/FOGRA39L-coated.icc``, offset on coated paper, FOGRA39; see ``icc/LICENSE.txt``);
* XMP metadata (:mod:`.xmp`) with ``pdfxid:GTS_PDFXVersion`` "PDF/X-4", the title, the
  language, the creator tool, dates, document and version ids, and the same in the Info
  dictionary (``GTS_PDFXVersion``, ``Trapped`` False);
* the PDF 1.6 header (the version PDF/X-4 is based on); no ArtBox beside the TrimBox;
  no link annotations (a printed page has nothing to click; the bookmarks stay);
* raster images, if any, converted from RGB or grey to CMYK through the same profile.

A page without TrimBox gets one the size of its MediaBox (:mod:`.layout` sets them).
Anything left that PDF/X-4 forbids (an RGB colour space, a font not embedded, a box
outside the sheet) is named in a :class:`PrintError` instead of being written.
"""

from __future__ import annotations

import io
import uuid
import zlib
from importlib import resources

from ..i18n import _
from .xmp import XmpFields, pdf_date, xmp_packet

#: The output condition of the profile (registered at www.color.org).
OUTPUT_CONDITION = "FOGRA39"
OUTPUT_CONDITION_INFO = "Offset printing, coated paper (ISO 12647-2:2004/Amd 1, FOGRA39)"
PROFILE_NAME = "FOGRA39L-coated.icc"
PDFX_VERSION = "PDF/X-4"
PDF_VERSION = "1.6"
CREATOR_TOOL = "ipviewer"

_RGB_SPACES = ("/DeviceRGB", "/CalRGB")


class PrintError(Exception):
    """The PDF cannot be made PDF/X-4; the message says what stands in the way."""


def profile_bytes() -> bytes:
    """The CMYK ICC profile of the output intent, shipped with the package."""
    return (resources.files("ipviewer.pdf") / "icc" / PROFILE_NAME).read_bytes()


def make_print_ready(data: bytes) -> bytes:
    """``data`` (a PDF laid out in CMYK) as a PDF/X-4 file: see the module's docstring."""
    import pikepdf

    pdf = pikepdf.Pdf.open(io.BytesIO(data))
    profile = pdf.make_stream(profile_bytes())
    profile.N = 4
    profile.Alternate = pikepdf.Name.DeviceCMYK
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=OUTPUT_CONDITION, OutputCondition=OUTPUT_CONDITION_INFO,
        RegistryName="http://www.color.org", Info=OUTPUT_CONDITION_INFO,
        DestOutputProfile=profile))])
    problems: list[str] = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
            _image_to_cmyk(obj)
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        _boxes(page, number, problems)
        _drop_links(page)
        _check_resources(page.obj, seen, problems)
    if problems:
        raise PrintError("; ".join(dict.fromkeys(problems)))
    _metadata(pdf)
    out = io.BytesIO()
    pdf.save(out, force_version=PDF_VERSION, fix_metadata_version=False)
    return out.getvalue()


def _boxes(page, number: int, problems: list[str]) -> None:
    """TrimBox and BleedBox present, TrimBox ⊆ BleedBox ⊆ MediaBox; no ArtBox (PDF/X
    wants a TrimBox or an ArtBox, not both)."""
    import pikepdf

    for key in ("/ArtBox", "/Trans"):  # and no page transition (a screen presentation's)
        if key in page.obj:
            del page.obj[key]
    media = [float(v) for v in page.MediaBox]
    if "/TrimBox" not in page.obj:
        page.obj.TrimBox = pikepdf.Array(media)
    if "/BleedBox" not in page.obj:
        page.obj.BleedBox = page.obj.TrimBox
    trim = [float(v) for v in page.obj.TrimBox]
    bleed = [float(v) for v in page.obj.BleedBox]
    if not (_inside(trim, bleed) and _inside(bleed, media)):
        problems.append(_("page {page}: the trim box is not inside the bleed box and the "
                          "sheet").format(page=number))


def _inside(inner: list[float], outer: list[float], slack: float = 0.01) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def _check_resources(owner, seen: set[tuple[int, int]], problems: list[str]) -> None:
    """RGB colour spaces (named, of shadings, of transparency groups) in the resources of
    a page or form, and of the forms it draws."""
    if owner.is_indirect:
        if owner.objgen in seen:
            return
        seen.add(owner.objgen)
    group = owner.get("/Group")
    if group is not None and _is_rgb(group.get("/CS")):
        problems.append(_("a transparency group is blended in RGB"))
    resources_ = owner.get("/Resources")
    if resources_ is None:
        return
    spaces = list((resources_.get("/ColorSpace") or {}).items())
    spaces += [(name, shading.get("/ColorSpace"))
               for name, shading in (resources_.get("/Shading") or {}).items()]
    for name, space in spaces:
        if _is_rgb(space):
            problems.append(_("an RGB colour space ({name}) is used").format(name=name))
    for font in (resources_.get("/Font") or {}).values():
        if not _embedded(font):
            problems.append(_("the font {font} is not embedded").format(
                font=str(font.get("/BaseFont", "?")).lstrip("/")))
    for xobject in (resources_.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form":
            _check_resources(xobject, seen, problems)


def _embedded(font) -> bool:
    """Whether the font program of ``font`` is in the file (Type 3 fonts are drawings)."""
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _is_rgb(space) -> bool:
    import pikepdf

    if space is None:
        return False
    if isinstance(space, pikepdf.Name):
        return str(space) in _RGB_SPACES
    if isinstance(space, pikepdf.Array) and len(space):
        kind = str(space[0])
        if kind in _RGB_SPACES:
            return True
        if kind == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
    return False


def _image_to_cmyk(image) -> None:
    """A raster image in RGB or grey, converted to CMYK through the output profile."""
    import pikepdf
    from PIL import Image, ImageCms

    space = image.get("/ColorSpace")
    if space == pikepdf.Name.DeviceCMYK or image.get("/ImageMask", False):
        return
    picture = pikepdf.PdfImage(image).as_pil_image()
    if picture.mode == "CMYK":
        converted = picture
    else:
        source = ImageCms.createProfile("sRGB")
        target = ImageCms.ImageCmsProfile(io.BytesIO(profile_bytes()))
        converted = ImageCms.profileToProfile(picture.convert("RGB"), source, target,
                                              outputMode="CMYK")
    assert isinstance(converted, Image.Image)
    image.write(zlib.compress(converted.tobytes()), filter=pikepdf.Name.FlateDecode)
    image.ColorSpace = pikepdf.Name.DeviceCMYK
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode"):
        if key in image:
            del image[key]


def _metadata(pdf) -> None:
    """XMP metadata (:mod:`.xmp`) and Info entries claiming PDF/X-4, the one from the other."""
    import pikepdf

    info = pdf.docinfo

    def text(key: str) -> str:
        return str(info.get(key, ""))

    def date(key: str):
        return pdf_date(text(key))

    fields = XmpFields(
        title=text("/Title"), language=str(pdf.Root.get("/Lang", "")) or "x-default",
        author=text("/Author"), subject=text("/Subject"), keywords=text("/Keywords"),
        producer=text("/Producer"), creator_tool=text("/Creator") or CREATOR_TOOL,
        created=date("/CreationDate"), modified=date("/ModDate"),
        document_id=f"uuid:{uuid.uuid4()}")
    pdf.Root.Metadata = pdf.make_stream(xmp_packet(fields), Type=pikepdf.Name.Metadata,
                                        Subtype=pikepdf.Name.XML)
    info[pikepdf.Name.GTS_PDFXVersion] = fields.pdfx_version
    info[pikepdf.Name.Trapped] = pikepdf.Name("/False")


def _drop_links(page) -> None:
    """The print edition has no links: a print shop's preflight takes an annotation on the
    printed area for a mistake; the outline (bookmarks) stays."""
    annots = page.obj.get("/Annots")
    if annots is None:
        return
    kept = [a for a in annots if a.get("/Subtype") in ("/PrinterMark", "/TrapNet")]
    if kept:
        page.obj.Annots = kept
    else:
        del page.obj["/Annots"]
