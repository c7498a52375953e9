"""The other contenders of bench_pdf.py: plain reportlab and LibreOffice, on ipviewer's content.

* :func:`plain_layout` sets ipviewer's content with ipviewer's fonts and paragraph styles in a
  plain ``SimpleDocTemplate`` (reportlab's own line breaking, one pass);
* :func:`write_html` writes the same content as one HTML file for LibreOffice, and
  :func:`libreoffice_env` gives the ``soffice`` command with ipviewer's fonts visible to it.
"""

from __future__ import annotations

import html
import os
import shutil
from pathlib import Path


def plain_layout(content, fonts, paper: str = "A4") -> tuple[bytes, int]:
    """``content`` as a plain reportlab document: ipviewer's styles, no CJK line breaker."""
    from io import BytesIO

    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    from ipviewer.pdf.charts import bar_chart
    from ipviewer.pdf.cjk import markup
    from ipviewer.pdf.content import Charts, Heading, IndicatorTable, Para
    from ipviewer.pdf.styles import (
        ACCENT,
        HEADER_FILL,
        MARGINS,
        PAPER_SIZES,
        RULE,
        doc_text,
        make_styles,
        page_label,
    )

    s = make_styles(fonts.body, fonts.heading, content.lang)
    code = "en" if content.lang == "en" else "zh"
    value_lang = "zh" if content.lang == "zh" else "en"
    width, height = PAPER_SIZES[paper]
    frame_w = width - MARGINS["left"] - MARGINS["right"]
    title = content.title[content.langs[0]]
    story: list = [Paragraph(markup(title), s.cover_title), PageBreak()]
    right = ParagraphStyle("head-right", parent=s.cell_head[code], alignment=TA_RIGHT)
    for block in content.blocks:
        if isinstance(block, Heading):
            style = (s.part if block.level == 0 else s.section)[code]
            text = "<br/>".join(markup(t) for t in block.texts.values() if t)
            story.append(Paragraph(text, style))
        elif isinstance(block, Para):
            styles = s.body_cont if block.continued else s.body
            story.append(Paragraph(markup(block.text), styles[block.lang]))
        elif isinstance(block, IndicatorTable):
            story.append(Paragraph(markup(block.caption), s.caption[code]))
            data = [[Paragraph(markup(doc_text(k, content.lang)),
                               right if k in ("value", "yoy") else s.cell_head[code])
                     for k in ("indicator", "value", "unit", "yoy")]]
            for row in block.rows:
                names = "<br/>".join(markup(n) for n in row.name.values() if n)
                data.append([Paragraph(names or markup(row.key), s.cell[code]),
                             Paragraph(markup(row.value[value_lang]), s.cell_num[code]),
                             Paragraph(markup(row.unit[value_lang]), s.cell[code]),
                             Paragraph(markup(row.yoy[value_lang]), s.cell_num[code])])
            story.append(Table(data, colWidths=[frame_w * f for f in (0.46, 0.2, 0.13, 0.21)],
                               repeatRows=1, style=TableStyle([
                                   ("FONTNAME", (0, 0), (-1, -1), fonts.body),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                                   ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE)])))
        elif isinstance(block, Charts):
            story.append(Paragraph(markup(block.caption), s.caption[code]))
            cell_w = (frame_w - 6 * mm) / 2
            drawings = [bar_chart(series, cell_w, 58 * mm, fonts.body, fonts.heading,
                                  lambda text, font: [(font, text)])
                        for series in block.series]
            rows = [(drawings[i:i + 2] + [""])[:2] for i in range(0, len(drawings), 2)]
            story.append(Table(rows, colWidths=[cell_w + 3 * mm] * 2, hAlign="LEFT",
                               style=[("FONTNAME", (0, 0), (-1, -1), fonts.body)]))

    def decorate(canvas, doc) -> None:
        canvas.setFont(fonts.body, 8)
        canvas.drawString(MARGINS["left"], height - MARGINS["top"] + 7 * mm, title)
        canvas.setFont(fonts.body, 9)
        canvas.drawCentredString(width / 2, MARGINS["bottom"] - 12 * mm,
                                 page_label(doc.page, content.lang))

    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(width, height), leftMargin=MARGINS["left"],
                            rightMargin=MARGINS["right"], topMargin=MARGINS["top"],
                            bottomMargin=MARGINS["bottom"], initialFontName=fonts.body)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue(), doc.page


def write_html(content, fonts, folder: Path) -> Path:
    """The content ipviewer prints, as one HTML file for LibreOffice (charts as SVG)."""
    from reportlab.graphics import renderSVG

    from ipviewer.pdf.charts import bar_chart
    from ipviewer.pdf.content import Charts, Heading, IndicatorTable, Para
    from ipviewer.pdf.styles import BODY_SIZE, LEADING, MARGINS, doc_text

    lang = content.lang
    value_lang = "zh" if lang == "zh" else "en"
    e = html.escape
    margins = " ".join(f"{MARGINS[side] / 72 * 25.4:.1f}mm"
                       for side in ("top", "right", "bottom", "left"))
    out = [f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(content.title[
        content.langs[0]])}</title><style>
@page {{ size: 210mm 297mm; margin: {margins}; }}
body {{ font-family: "Noto Serif SC"; font-size: {BODY_SIZE}pt; }}
p.zh {{ text-indent: 2em; line-height: {LEADING['zh'] * 100:.0f}%; text-align: justify;
        margin: 0 0 {BODY_SIZE * LEADING['zh'] * 0.25:.1f}pt 0; }}
p.en {{ line-height: {LEADING['en'] * 100:.0f}%; text-align: justify;
        margin: 0 0 {BODY_SIZE * LEADING['en'] * 0.5:.1f}pt 0; }}
h1 {{ font-family: "Noto Sans SC"; font-size: 15pt; color: #8c1c13; }}
h2 {{ font-family: "Noto Sans SC"; font-size: 11.5pt; }}
p.caption {{ font-family: "Noto Sans SC"; font-size: 10pt; }}
table {{ width: 100%; border-collapse: collapse; font-size: 9pt; }}
th {{ font-family: "Noto Sans SC"; text-align: left; background: #efe9e4; }}
td {{ border-bottom: 0.25pt solid #9a9a9a; vertical-align: top; }}
</style></head><body>
<h1 style="text-align: center; font-size: 26pt; color: black">{e(content.title[
        content.langs[0]])}</h1><p style="page-break-after: always"></p>"""]
    charts = 0
    for block in content.blocks:
        if isinstance(block, Heading):
            tag = "h1" if block.level == 0 else "h2"
            out.append(f"<{tag}>" + "<br>".join(e(t) for t in block.texts.values() if t)
                       + f"</{tag}>")
        elif isinstance(block, Para):
            out.append(f'<p class="{block.lang}">{e(block.text)}</p>')
        elif isinstance(block, IndicatorTable):
            out.append(f'<p class="caption">{e(block.caption)}</p><table><thead><tr>')
            out.extend(f'<th width="{share}%">{e(doc_text(k, lang))}</th>' for k, share
                       in (("indicator", 46), ("value", 20), ("unit", 13), ("yoy", 21)))
            out.append("</tr></thead><tbody>")
            for row in block.rows:
                name = "<br>".join(e(n) for n in row.name.values() if n) or e(row.key)
                out.append(f"<tr><td>{name}</td><td align=right>{e(row.value[value_lang])}"
                           f"</td><td>{e(row.unit[value_lang])}</td>"
                           f"<td align=right>{e(row.yoy[value_lang])}</td></tr>")
            out.append("</tbody></table>")
        elif isinstance(block, Charts):
            out.append(f'<p class="caption">{e(block.caption)}</p><p>')
            for series in block.series:
                charts += 1
                svg = folder / f"chart{charts}.svg"
                drawing = bar_chart(series, 220, 164, fonts.body, fonts.heading,
                                    lambda text, font: [(font, text)])
                renderSVG.drawToFile(drawing, str(svg))
                out.append(f'<img src="{svg.name}" width="220" height="164">')
            out.append("</p>")
    out.append("</body></html>")
    page = folder / f"{lang}.html"
    page.write_text("\n".join(out), encoding="utf-8")
    return page


def libreoffice_env(tmp: Path) -> tuple[list[str], dict[str, str]] | None:
    """The soffice command prefix and environment (ipviewer's fonts visible by family
    name, a profile of its own), or None where LibreOffice is not installed."""
    from ipviewer.pdf import font_files

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    data = tmp / "lo-data"
    (data / "fonts").mkdir(parents=True, exist_ok=True)
    for path in font_files.candidates("body")[:1] + font_files.candidates("heading")[:1]:
        link = data / "fonts" / Path(path).name
        if not link.exists():
            link.symlink_to(path)
    profile = (tmp / "lo-profile").as_uri()
    env = {"HOME": str(tmp), "XDG_DATA_HOME": str(data), "PATH": os.environ.get("PATH", ""),
           "LANG": "C.UTF-8"}
    return [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir"], env
