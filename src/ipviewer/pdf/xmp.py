"""The XMP metadata packet of the print edition (PDF/X-4), written from the Info dictionary.

PDF/X-4 asks for XMP metadata that agrees with the Info dictionary (title, dates, producer,
trapping) and names the PDF/X version, the document and its version. The packet is written
here, by hand, in the plain form every XMP reader takes: one ``rdf:Description`` that
declares all its namespaces (strict readers such as Apache PDFBox's xmpbox refuse property
elements that declare their namespace themselves, which is how pikepdf writes them).
No third-party code: :mod:`.print_output` puts the bytes into the PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from xml.sax.saxutils import escape

NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
}
#: The fixed id of an XMP packet wrapper (XMP specification, part 1).
PACKET_ID = "W5M0MpCehiHzreSzNTczkc9d"


#: A PDF date: D:YYYYMMDDHHmmSS with an optional zone (Z, +08'00, -05'00').
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})"
                       r"(?:(Z)|([+-])(\d{2})'?(\d{2})'?)?")


def pdf_date(text: str) -> datetime | None:
    """The date of a PDF date string (Info's CreationDate, ModDate), or None."""
    found = _PDF_DATE.match(text.strip())
    if not found:
        return None
    year, month, day, hour, minute, second = (int(v) for v in found.groups()[:6])
    zone = None
    if found.group(7):
        zone = UTC
    elif found.group(8):
        offset = timedelta(hours=int(found.group(9)), minutes=int(found.group(10)))
        zone = timezone(offset if found.group(8) == "+" else -offset)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None


@dataclass
class XmpFields:
    """What the packet says; the texts come from the PDF's Info dictionary."""

    title: str
    language: str  # a BCP 47 tag: zh-CN, en
    author: str = ""
    subject: str = ""
    keywords: str = ""
    producer: str = ""
    creator_tool: str = "ipviewer"
    created: datetime | None = None
    modified: datetime | None = None
    document_id: str = ""
    pdfx_version: str = "PDF/X-4"


def _simple(name: str, value: str) -> str:
    return f"   <{name}>{escape(value)}</{name}>\n" if value else ""


def _container(name: str, kind: str, value: str, lang: bool = False) -> str:
    if not value:
        return ""
    attribute = ' xml:lang="x-default"' if lang else ""
    return (f"   <{name}><rdf:{kind}><rdf:li{attribute}>{escape(value)}</rdf:li>"
            f"</rdf:{kind}></{name}>\n")


def xmp_packet(fields: XmpFields) -> bytes:
    """The XMP packet (UTF-8, with padding for in-place edits) describing ``fields``."""
    declarations = "".join(f'\n    xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    dates = ""
    if fields.created is not None:
        dates += _simple("xmp:CreateDate", fields.created.isoformat())
    if fields.modified is not None:
        dates += _simple("xmp:ModifyDate", fields.modified.isoformat())
        dates += _simple("xmp:MetadataDate", fields.modified.isoformat())
    body = "".join([
        _simple("dc:format", "application/pdf"),
        _container("dc:title", "Alt", fields.title, lang=True),
        _container("dc:creator", "Seq", fields.author),
        _container("dc:description", "Alt", fields.subject, lang=True),
        _container("dc:language", "Bag", fields.language),
        _simple("xmp:CreatorTool", fields.creator_tool),
        dates,
        _simple("pdf:Producer", fields.producer),
        _simple("pdf:Keywords", fields.keywords),
        _simple("pdf:Trapped", "False"),
        _simple("pdfxid:GTS_PDFXVersion", fields.pdfx_version),
        _simple("xmpMM:DocumentID", fields.document_id),
        _simple("xmpMM:InstanceID", fields.document_id),
        _simple("xmpMM:VersionID", "1"),
        _simple("xmpMM:RenditionClass", "default"),
    ])
    padding = (" " * 99 + "\n") * 20
    text = (f'<?xpacket begin="\ufeff" id="{PACKET_ID}"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
            ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            f'  <rdf:Description rdf:about=""{declarations}>\n'
            f"{body}"
            "  </rdf:Description>\n"
            " </rdf:RDF>\n"
            "</x:xmpmeta>\n"
            f"{padding}"
            '<?xpacket end="w"?>')
    return text.encode("utf-8")
