"""The export gate (issue 13, item 3): no final PDF while ``check`` finds errors; ``--draft``
prints anyway, marked DRAFT / 草稿 on every page and in the metadata; an existing PDF is
never replaced without ``--force``; an unresolved figure reference prints only in a draft.

Real reports (the sample, rolled forward with ``new-year``), errors made here through the
real CLI (``indicators import``) or the store, real PDFs read back with pypdf, ``pdftotext``
and ``pdftoppm``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import run_cli
from ipviewer.checks import Finding
from ipviewer.pdf.export import ExportError, ExportOptions, export_pdf
from ipviewer.pdf.gate import SHOWN_ERRORS, GateVerdict, export_gate
from ipviewer.store import ReportStore

needs_poppler = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
                                   reason="poppler-utils (pdftotext, pdftoppm) not installed")

HEADER = "key,year,value,unit,qualifier,yoy_pct,label_en,label_zh,source\n"
#: The sample's pledge financing rates as the published text has them, swapped back.
PLEDGE_RATES_RIGHT = (
    "pledge_financing_transactions,2024,2223,,,62.3,patent and trademark pledge financing "
    "transactions,专利商标质押融资登记笔数,\n"
    "pledge_financing_amount,2024,32000000000,RMB,,40.6,patent and trademark pledge financing "
    "transaction amount,专利商标质押融资金额,\n")
#: A stated change no value allows: 50,700 both years is 0 %, not +25 %.
BROKEN_2025_YOY = ("invention_patents_granted,2025,50700,,,25,invention patents granted,"
                   "发明专利授权量,\n")
#: 32 billion against 22.76 billion in 2023 is +40.6 %, not +50.5 %.
BROKEN_2024_YOY = ("pledge_financing_amount,2024,32000000000,RMB,,50.5,patent and trademark "
                   "pledge financing transaction amount,专利商标质押融资金额,\n")
UNUSED = "gate_test_unused,2024,12,,,,gate test indicator,闸门测试指标,\n"


# ----------------------------------------------------------------------------- helpers


def import_values(report: Path, rows: str) -> None:
    values = report.with_name(report.stem + "-values.csv")
    values.write_text(HEADER + rows, encoding="utf-8")
    result = run_cli("indicators", "import", report, values)
    assert result.exit_code == 0, result.output
    values.unlink()


def findings(report: Path) -> list[dict]:
    result = run_cli("check", report, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def errors_of(report: Path) -> list[dict]:
    return [f for f in findings(report) if f["severity"] == "error"]


def check_lines(report: Path) -> list[str]:
    """The error lines as ``ipviewer check`` prints them, in its order."""
    return [line for line in run_cli("check", report).stdout.splitlines()
            if line.startswith("error: ")]


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, as pdftotext reads it (page by page: form feeds)."""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          check=True, timeout=120)
    pages = done.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def grey_page(pdf: Path, page: int, folder: Path, name: str) -> tuple[int, int, bytes]:
    """Page ``page`` rasterised in grey at 40 dpi: width, height, one byte per pixel."""
    base = folder / name
    subprocess.run(["pdftoppm", "-gray", "-r", "40", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(base)], check=True, timeout=120)
    data = (folder / f"{name}.pgm").read_bytes()
    magic, width, height, depth, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and depth == b"255"
    return int(width), int(height), pixels[: int(width) * int(height)]


def no_temporary_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.startswith(".") and ".ipv-" in p.name]


@pytest.fixture
def clean(sample_copy) -> Path:
    """The sample with its one error (the swapped pledge financing rates) corrected."""
    import_values(sample_copy, PLEDGE_RATES_RIGHT)
    assert errors_of(sample_copy) == []
    return sample_copy


@pytest.fixture
def rolled(sample_copy, tmp_path) -> Path:
    """The sample rolled forward to 2025, with one stated change made wrong on purpose."""
    report = tmp_path / "report-2025.sqlite"
    result = run_cli("new-year", sample_copy, "-o", report)
    assert result.exit_code == 0, result.output
    import_values(report, BROKEN_2025_YOY)
    assert any(f["code"] == "yoy" and f["key"] == "invention_patents_granted"
               for f in errors_of(report))
    return report


# ----------------------------------------------------------------------------- the gate


def test_a_final_export_refuses_while_check_has_errors(rolled, tmp_path):
    out = tmp_path / "paper.pdf"
    result = run_cli("export", rolled, "-o", out, "--lang", "both")
    assert result.exit_code == 1, result.output
    assert not out.exists() and no_temporary_files(tmp_path)
    errors = check_lines(rolled)
    lines = result.stderr.splitlines()
    count = len(errors)
    assert lines[0] == (f"{rolled}: not exported: the checks find {count} error"
                        f"{'s' if count != 1 else ''}; a final PDF needs none")
    shown = min(count, SHOWN_ERRORS)
    assert lines[1:1 + shown] == errors[:shown]  # the first errors, as check prints them
    if count > SHOWN_ERRORS:
        assert lines[1 + shown] == (f"… and {count - SHOWN_ERRORS} more; run `ipviewer check "
                                    f"{rolled}` for all, or export with --draft")
    assert "Traceback" not in result.output and result.stdout == ""


def test_the_one_error_is_named_and_warnings_never_stop_an_export(clean, tmp_path):
    import_values(clean, UNUSED)  # an indicator no text uses: a warning
    found = findings(clean)
    assert [f["severity"] for f in found] == ["warning"]
    out = tmp_path / "final.pdf"
    assert run_cli("export", clean, "-o", out, "--lang", "en", "--no-charts").exit_code == 0
    assert out.exists()

    import_values(clean, BROKEN_2024_YOY)
    result = run_cli("export", clean, "-o", tmp_path / "other.pdf", "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{clean}: not exported: the checks find 1 error; a final PDF needs none",
        *check_lines(clean),
        "Correct it, or export with --draft (every page is then marked DRAFT)"]
    assert "pledge financing transaction amount" in result.stderr and "+50.5%" in result.stderr
    assert not (tmp_path / "other.pdf").exists()


def test_the_gate_is_one_function_the_window_shares(clean, rolled):
    from ipviewer.cli.shared import shipped_glossary

    glossary = shipped_glossary()  # what `check` uses by default
    with ReportStore.open(clean, readonly=True) as store:
        assert not export_gate(store, glossary).closed
    with ReportStore.open(rolled, readonly=True) as store:
        verdict = export_gate(store, glossary)
    assert verdict.closed
    assert [str(f) for f in verdict.errors] == check_lines(rolled)


@settings(max_examples=40, deadline=None)
@given(errors=st.integers(0, 60), warnings=st.integers(0, 5), shown=st.integers(1, 8))
def test_a_refusal_names_the_first_errors_and_counts_the_rest(errors, warnings, shown):
    found = [Finding("error", "yoy", f"problem {n}", where=f"¶{n}") for n in range(errors)]
    verdict = GateVerdict(found, warnings)
    assert verdict.closed == (errors > 0)
    lines = verdict.lines("r.sqlite", shown)
    listed = [line for line in lines if line.startswith("error: ")]
    assert listed == [f"error: ¶{n}: problem {n}" for n in range(min(errors, shown))]
    more = errors - min(errors, shown)
    assert (f"… and {more} more" in lines[-1]) == (more > 0)
    assert f"find {errors} error" in lines[0]


# ----------------------------------------------------------------------------- drafts


@needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_a_draft_is_watermarked_on_every_page_and_says_so(rolled, tmp_path, lang):
    out = tmp_path / f"draft-{lang}.pdf"
    result = run_cli("export", rolled, "-o", out, "--lang", lang, "--draft",
                     *(["--no-charts"] if lang == "zh" else []))
    assert result.exit_code == 0, result.output
    assert "a draft" in result.stdout
    pages = page_texts(out)
    reader = PdfReader(out)
    assert len(pages) == len(reader.pages) > 5
    words = {"zh": ["草稿"], "en": ["DRAFT"], "both": ["草稿", "DRAFT"]}[lang]
    for number, text in enumerate(pages, 1):
        for word in words:
            assert word in text.split(), (number, word)  # a word of its own, on every page
    if lang == "zh":
        assert not any("DRAFT" in text for text in pages)
    if lang == "en":
        assert not any("草稿" in text for text in pages)
    info = reader.metadata
    marked = " / ".join(words)
    assert info.title.endswith(f"({marked})") and info.subject.startswith(f"{marked}: ")
    assert "draft" in info["/Keywords"].split(", ")
    for page in reader.pages:  # the watermark is drawn with the PDF's own embedded fonts
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]


@needs_poppler
def test_the_clean_report_prints_final_and_unmarked(clean, tmp_path):
    out = tmp_path / "final.pdf"
    result = run_cli("export", clean, "-o", out, "--lang", "both")
    assert result.exit_code == 0, result.output
    assert "draft" not in result.stdout
    pages = page_texts(out)
    assert len(pages) > 5
    assert not any("DRAFT" in text or "草稿" in text for text in pages)
    info = PdfReader(out).metadata
    assert "draft" not in info["/Keywords"].lower() and "DRAFT" not in info.title
    assert "草稿" not in info.subject


@needs_poppler
def test_the_watermark_is_light_and_under_the_text(clean, tmp_path):
    """Rasterised, the draft's page is the final page plus light grey: every dark pixel of
    the final page is dark in the draft (no word hidden), and many white ones are grey."""
    final, draft = tmp_path / "final.pdf", tmp_path / "draft.pdf"
    assert run_cli("export", clean, "-o", final, "--lang", "en", "--no-charts").exit_code == 0
    assert run_cli("export", clean, "-o", draft, "--lang", "en", "--no-charts",
                   "--draft").exit_code == 0
    for page in (1, 4):  # the cover and a page of text
        w, h, plain = grey_page(final, page, tmp_path, f"final-{page}")
        w2, h2, marked = grey_page(draft, page, tmp_path, f"draft-{page}")
        assert (w, h) == (w2, h2)
        dark = [i for i, v in enumerate(plain) if v < 100]
        assert dark and all(marked[i] < 140 for i in dark)
        greyed = sum(1 for a, b in zip(plain, marked, strict=True) if a > 250 and 190 < b < 245)
        assert greyed > w * h * 0.01, greyed  # the watermark is there, in light grey
        assert not any(a > 250 and b < 150 for a, b in zip(plain, marked, strict=True))


# ----------------------------------------------------------------------------- replacing


def test_a_second_export_without_force_leaves_the_file_untouched(clean, rolled, tmp_path):
    out = tmp_path / "paper.pdf"
    assert run_cli("export", clean, "-o", out, "--lang", "en", "--no-charts").exit_code == 0
    before, stamp = out.read_bytes(), out.stat().st_mtime_ns
    for report, extra in ((clean, []), (clean, ["--draft"]), (rolled, []), (rolled, ["--draft"])):
        result = run_cli("export", report, "-o", out, "--lang", "en", *extra)
        assert result.exit_code == 2, (extra, result.output)
        assert "--force" in result.output and str(out) in result.output
        assert out.read_bytes() == before and out.stat().st_mtime_ns == stamp
    assert no_temporary_files(tmp_path)
    result = run_cli("export", rolled, "-o", out, "--lang", "en", "--no-charts", "--force")
    assert result.exit_code == 1 and out.read_bytes() == before  # the gate: still untouched
    result = run_cli("export", rolled, "-o", out, "--lang", "en", "--no-charts", "--force",
                     "--draft")
    assert result.exit_code == 0 and out.read_bytes() != before


# ----------------------------------------------------------------------------- references


def add_to_first_paragraph(report: Path, lang: str, words: str) -> int:
    with ReportStore.open(report) as store:
        node = store.db.execute("SELECT id FROM nodes WHERE kind = 'paragraph' "
                                "ORDER BY id LIMIT 1").fetchone()[0]
        field = f"text_{lang}"
        store.set_node_field(node, field, store.node_row(node)[field] + words)
    return node


@needs_poppler
def test_an_unresolved_reference_prints_only_in_a_draft(clean, tmp_path):
    add_to_first_paragraph(clean, "en", " It opened {{gate_missing_key}} new offices, "
                                        "{{patents_granted:yoy}} on the year.")
    out = tmp_path / "paper.pdf"
    final = run_cli("export", clean, "-o", out, "--lang", "en", "--no-charts")
    assert final.exit_code == 1 and not out.exists()
    assert '"gate_missing_key"' in final.stderr and '"patents_granted"' in final.stderr

    with ReportStore.open(clean, readonly=True) as store, pytest.raises(ExportError) as err:
        export_pdf(store, out, ExportOptions(lang="en", charts=False))  # no gate: still refused
    assert "gate_missing_key" in str(err.value) and "draft" in str(err.value)
    assert not out.exists()

    draft = run_cli("export", clean, "-o", out, "--lang", "en", "--no-charts", "--draft")
    assert draft.exit_code == 0, draft.output
    text = "".join(page_texts(out))
    assert "[?gate_missing_key]" in text and "[?patents_granted:yoy]" in text
    assert "{{" not in text
    assert "printed as [?gate_missing_key] in the draft" in draft.stderr


@needs_poppler
def test_a_malformed_reference_prints_as_stored_in_a_draft(clean, tmp_path):
    add_to_first_paragraph(clean, "zh", "另有{{Not A Key}}项。")
    out = tmp_path / "paper.pdf"
    assert run_cli("export", clean, "-o", out, "--lang", "zh", "--no-charts").exit_code == 1
    draft = run_cli("export", clean, "-o", out, "--lang", "zh", "--no-charts", "--draft")
    assert draft.exit_code == 0, draft.output
    assert "{{Not A Key}}" in "".join(page_texts(out)).replace("\n", "")
    assert "printed as stored in the draft" in draft.stderr
