"""Every pass over a text, and every command over a report, takes time linear in its size
(issue 11, "Security: ReDoS" and "Scale").

Measured without flaky absolute timings: each pass runs on an input and on the same input
sixteen times over, in CPU time of this process (the best of two runs), and the growth
must stay far below the 256× of a quadratic pass (linear is 16×; the bound is 40×). The
input is made big enough that the small run takes a few milliseconds, so that a
quadratic pass could not hide in the noise. Where time is too coarse, operations are
counted instead (table rows built, keys tried).
"""

from __future__ import annotations

import gc
import time
from decimal import Decimal

import pytest
from click.testing import CliRunner

from ipviewer.checks.direction import direction_findings
from ipviewer.checks.figures_use import unbound_figure_findings
from ipviewer.checks.finding import RenderedText
from ipviewer.checks.totals import totals_findings
from ipviewer.cli import cli
from ipviewer.importing.pipeline import parse_text
from ipviewer.importing.structure import MAX_PARAGRAPH, ParagraphTooLong
from ipviewer.model import Indicator, Node
from ipviewer.prose.bindings import BindingError, bind_literals, find_bindings
from ipviewer.prose.extract import extract_figures, mask_bindings, split_sentences
from ipviewer.report_text import NodePath, node_place, walk_with_path
from ipviewer.store import unique_key

FACTOR = 16
LIMIT = 2.5 * FACTOR  # linear is FACTOR; quadratic FACTOR ** 2


def _cpu(fn, arg, runs: int, least: float = 0.0) -> float:
    """CPU seconds of one ``fn(arg)``: the best of ``runs`` timings, each of as many calls
    as take ``least`` seconds together (a short call is timed many times over)."""
    best = float("inf")
    calls = 1
    for _ in range(runs):
        while True:
            start = time.process_time()
            for _ in range(calls):
                fn(arg)
            spent = time.process_time() - start
            if spent >= least or calls >= 64:
                break
            calls *= 2
        best = min(best, spent / calls)
    return best


def growth(fn, make, size: int = 500, least: float = 0.003, most: int = 40_000,
           runs: int = 2) -> float:
    """How many times longer ``fn(make(FACTOR * n))`` takes than ``fn(make(n))``, with ``n``
    grown from ``size`` until one call takes ``least`` seconds (or ``n`` reaches ``most``).
    Measured again once when above :data:`LIMIT`: a quadratic pass is above it twice, a
    busy machine rarely. The garbage collector is off meanwhile: its passes over the
    whole test session's heap are not the pass measured."""
    gc.collect()
    gc.disable()
    try:
        return _growth(fn, make, size, least, most, runs)
    finally:
        gc.enable()


def _growth(fn, make, size: int, least: float, most: int, runs: int) -> float:
    n = size
    while n < most and _cpu(fn, make(n), 1) < least:
        n *= 2
    small_input, large_input = make(n), make(FACTOR * n)
    ratio = float("inf")
    for _attempt in range(2):
        small = _cpu(fn, small_input, runs, least)
        large = _cpu(fn, large_input, 1)
        ratio = min(ratio, large / max(small, 1e-6))
        if ratio < LIMIT:
            break
    return ratio


def swallow(fn, *errors):
    def run(text):
        try:
            fn(text)
        except errors:
            pass
    return run


def repeat(unit: str):
    return lambda n: unit * max(1, n // len(unit))


# -- the binding mask and the placeholders --------------------------------------------------

@pytest.mark.parametrize("unit", ["{{", "{", "{{a", "1{{", "}}{{", "{{a}}", "{{\n"])
def test_mask_bindings_is_linear(unit):
    assert growth(mask_bindings, repeat(unit)) < LIMIT


@pytest.mark.parametrize("unit", ["{{key}} ", "{{", "}}", "{{a} ", "{{" + "k" * 300])
def test_find_bindings_is_linear_and_raises_only_binding_error(unit):
    assert growth(swallow(find_bindings, BindingError), repeat(unit)) < LIMIT


def test_a_malformed_placeholder_is_quoted_short():
    for text in ("{{" + "x" * 100_000 + "}}", "{{" * 50_000, "a}}" + "b" * 9999,
                 "{{" + "k\n" * 5000 + "}}"):
        with pytest.raises(BindingError) as info:
            find_bindings(text, "¶1 (en)")
        assert len(str(info.value)) < 120 and "\n" not in str(info.value)


# -- sentences and figures --------------------------------------------------------------------

@pytest.mark.parametrize("lang, unit", [
    ("en", "!"), ("en", ". "), ("en", "a. "), ("en", "No. "), ("en", "\n \n"), ("en", "?!x"),
    ("zh", "。"), ("zh", "。”"), ("zh", "\n\n"),
])
def test_sentences_are_split_in_linear_time(lang, unit):
    assert growth(lambda t: split_sentences(t, lang), repeat(unit)) < LIMIT


EN_UNITS = ["1,", "1 ", "1% and ", "over 1 ", "per 1 people 1, ", "1 million ", "a, 1 ",
            "Fortune 1 ", "April 1 ", "up 1%, ", "of which 1 and ", "1 cases up 1%, ",
            "number of cases 1 ", "reached 1 ", "1 million million ", "{{", "Two ", "1-",
            "respectively up 1%, down 1%, ", "1 (+1%) ", "1%-"]
ZH_UNITS = ["1，", "两家", "十个", "增长1%，", "1万", "其中1件、", "1万万", "超过1", "第1",
            "同比增长1%和1%，", "1件以上", "专利1件", "1 ", "分别增长1%、下降1%、", "1万至",
            "1件（+1%）"]


@pytest.mark.parametrize("unit", EN_UNITS)
def test_english_figures_are_found_in_linear_time(unit):
    assert growth(lambda t: extract_figures(t, "en"), repeat(unit)) < LIMIT


@pytest.mark.parametrize("unit", ZH_UNITS)
def test_chinese_figures_are_found_in_linear_time(unit):
    assert growth(lambda t: extract_figures(t, "zh"), repeat(unit)) < LIMIT


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_opening_of_markup_is_read_once_per_sentence(lang):
    assert growth(lambda t: extract_figures(t, lang),
                  lambda n: "*" * (n // 2) + " 1" * (n // 4)) < LIMIT


def test_a_figure_in_a_long_sentence_keeps_the_words_around_it():
    text = "，".join(f"授权专利{k}件" for k in range(1, 3000)) + "。"
    figures = extract_figures(text, "zh")
    assert len(figures) == 2999
    assert all(len(f.sentence) <= 602 and f.text in f.sentence for f in figures)
    # a qualifier deep inside a long sentence is placed where it is
    english = "The office " + "handled cases, " * 40 + "and granted over 450,000 patents."
    (figure,) = extract_figures(english, "en")
    assert figure.qualifier == "over" and figure.label == "patents granted"


# -- the importer -----------------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda n: "# Title 2024\n\n" + "word.\n\n" * (n // 7),
    lambda n: "# 标题\n\n" + "专利1件。\n\n" * (n // 8),
    lambda n: "# Title\n\n" + "**Lead.** text 1.\n\n" * (n // 18),
    lambda n: "# Title\n\n" + "Para 1 of {{x}}.\n\n" * (n // 18),
    lambda n: "# Title\n\n" + "**a** b **c.\n\n" * (n // 14),
])
def test_the_importer_is_linear(make):
    assert growth(lambda t: parse_text(t, "en"), make) < LIMIT


@pytest.mark.parametrize("make", [
    lambda n: "# a" + " " * n + "b\n\nText 1.\n",  # a heading's closing # marks
    lambda n: "# Title\n\n" + "word\n" * (n // 5),  # the lines of one paragraph joined
    lambda n: "# 标题\n\n" + "专利1件\n" * (n // 5),
])
def test_the_importer_is_linear_up_to_the_paragraph_bound(make):
    assert FACTOR * 1200 < MAX_PARAGRAPH
    assert growth(lambda t: parse_text(t, "en"), make, size=1200, most=1200) < LIMIT


def test_a_paragraph_beyond_the_bound_is_refused_naming_its_line(tmp_path):
    source = tmp_path / "report.txt"
    long = " ".join(["The office granted 1,402 patents."] * (MAX_PARAGRAPH // 30))
    source.write_text(f"# Report 2024\n\nA short paragraph.\n\n{long}\n\nMore.\n",
                      encoding="utf-8")
    before = set(tmp_path.iterdir())
    result = CliRunner().invoke(cli, ["import", str(source), "-o", str(tmp_path / "r.sqlite")],
                                catch_exceptions=False)
    assert result.exit_code == 2
    assert result.output.startswith(
        f"Error: {source}: line 5: a paragraph of {len(long):,} characters, more than 20,000;")
    assert "blank line" in result.output and len(result.output.splitlines()) == 1
    assert set(tmp_path.iterdir()) == before  # nothing written
    # lines of one block join into one paragraph: the bound counts the joined text
    source.write_text("# Report 2024\n\nIntro.\n\n" + "The office granted 12 patents.\n" * 900,
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(source), "-o", str(tmp_path / "r.sqlite")],
                                catch_exceptions=False)
    assert result.exit_code == 2 and ": line 5: a paragraph of 27,899 characters" in result.output


def test_a_paragraph_at_the_bound_is_imported():
    body = ("The office granted 1,402 patents. " * 600)[:MAX_PARAGRAPH]
    parsed = parse_text("# Report 2024\n\n" + body, "en")
    assert list(parsed.walk())[-1].text_en == body
    with pytest.raises(ParagraphTooLong) as info:
        parse_text("# Report 2024\n\n" + body + "s", "en")
    assert info.value.line == 3 and info.value.length == MAX_PARAGRAPH + 1


# -- bind and the checks ----------------------------------------------------------------------

VALUES = {("cases", 2024): Indicator("cases", 2024, Decimal(1), yoy_pct=Decimal(1)),
          ("fines", 2024): Indicator("fines", 2024, Decimal(2), "RMB")}


@pytest.mark.parametrize("lang, unit", [
    ("en", "1 cases up 1%, "), ("en", "1 cases up 1%. "), ("en", "1% "), ("en", "2 RMB and "),
    ("en", "{{cases}} 1 "), ("zh", "受理案件1件，同比增长1%，"), ("zh", "受理案件1件，同比增长1%。"),
    ("zh", "1%、"), ("zh", "{{cases}}1件，"),
])
def test_bind_literals_is_linear(lang, unit):
    assert growth(lambda t: bind_literals(t, lang, VALUES, 2024), repeat(unit)) < LIMIT


def test_binding_many_figures_against_many_indicators_is_linear():
    from ipviewer.report_text import figure_values

    def bind(n):
        values = figure_values(Indicator(f"k{i}", 2024, Decimal(1000 + i)) for i in range(n))
        for i in range(n // 10):
            text = " ".join(f"{1000 + i * 10 + k:,} cases," for k in range(10))
            bound, left = bind_literals(text, "en", values, 2024)
            assert not left and bound.count("{{") == 10
    assert growth(bind, lambda n: n, size=200) < LIMIT


def _rendered(lang: str, text: str) -> RenderedText:
    from ipviewer.prose.bindings import render_spans
    values = {(f"k{i}", 2024): Indicator(f"k{i}", 2024, Decimal(i)) for i in range(3000)}
    rendered, spans = render_spans(text, lang, values, 2024)
    return RenderedText(lang, text, rendered, "¶1", spans)


@pytest.mark.parametrize("lang, unit", [
    ("en", "1,402 cases, including 1 patents, "), ("en", "3 of them, "),
    ("en", "up 2% to 3 cases and "), ("zh", "办理案件1件，其中2件、"), ("zh", "同比增长1%，"),
])
def test_the_checks_of_a_text_are_linear(lang, unit):
    def check(text):
        rendered = _rendered(lang, text)
        totals_findings(1, rendered)
        direction_findings(1, rendered, rendered)
        unbound_figure_findings(1, rendered, VALUES, 2024)
    assert growth(check, repeat(unit)) < LIMIT


def test_key_at_is_logarithmic_over_many_bound_figures():
    def look_up(n):
        text = " ".join(f"{{{{k{i % 3000}}}}} cases" for i in range(n // 10))
        rendered = _rendered("en", text)
        for start, end, _binding in rendered.spans:
            rendered.key_at(start, end)
    assert growth(look_up, lambda n: n) < LIMIT


# -- places, keys and tables: operations counted ----------------------------------------------

def test_naming_every_paragraph_of_a_long_section_is_linear():
    def name_all(count):
        section = Node("section", title_en="Cases", children=[
            Node("paragraph", text_en=f"p{i}") for i in range(count)])
        return [node_place(node, path, "en") for node, path in walk_with_path([section])]
    assert growth(name_all, lambda n: n, size=1000) < LIMIT
    names = name_all(3)
    assert names[1:] == ["Cases › ¶1 (en)", "Cases › ¶2 (en)", "Cases › ¶3 (en)"]
    path = NodePath([Node("section")])
    path[0].children.append(stray := Node("paragraph"))
    assert node_place(stray, path, "zh").endswith("¶1 (zh)")
    assert node_place(Node("paragraph"), path, "zh").endswith("¶ (zh)")  # not a child


class _CountingSet(set):
    lookups = 0

    def __contains__(self, key):
        _CountingSet.lookups += 1
        return super().__contains__(key)


def test_unique_keys_for_thousands_of_unnamed_figures_are_linear():
    taken, suffixes = _CountingSet(), {}
    keys = [unique_key("发明专利", taken, suffixes) for _ in range(20_000)]
    assert keys[:3] == ["figure", "figure_2", "figure_3"] and len(set(keys)) == 20_000
    assert _CountingSet.lookups <= 2 * 20_000
    taken = {"figure", "figure_2", "figure_4"}
    assert [unique_key("", taken) for _ in range(3)] == ["figure_3", "figure_5", "figure_6"]


def test_a_long_indicator_table_is_built_once_not_once_per_page(monkeypatch, tmp_path):
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from ipviewer.pdf import paged_table

    rows_built = 0
    original = paged_table.Table

    def counting(data, *args, **kwargs):
        nonlocal rows_built
        rows_built += len(data)
        return original(data, *args, **kwargs)

    monkeypatch.setattr(paged_table, "Table", counting)
    style = getSampleStyleSheet()["BodyText"]
    rows = [[Paragraph(f"indicator {i}", style), Paragraph(str(i), style)] for i in range(1500)]
    header = [Paragraph("Indicator", style), Paragraph("Value", style)]
    table = paged_table.PagedTable(header, rows, [300, 100], [], [("LINEBELOW", (0, -1),
                                                                  (-1, -1), 1, "black")])
    pdf = tmp_path / "table.pdf"
    SimpleDocTemplate(str(pdf)).build([table])
    assert rows_built <= 3 * len(rows), rows_built  # measured once, drawn once
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    assert len(pages) > 25
    assert all(text.startswith("Indicator\nValue\n") for text in pages)  # the header on each
    printed = [line for text in pages for line in text.splitlines()[2:]]
    assert printed == [cell for i in range(len(rows)) for cell in (f"indicator {i}", str(i))]


# -- whole commands ---------------------------------------------------------------------------

def _report_text(paragraphs: int, lang: str) -> str:
    """A flat report: one section holding every paragraph, three figures in each."""
    if lang == "zh":
        body = [f"全年授权发明专利{10_000 + 7 * n}件，同比增长{1 + n % 90}.{n % 10}%，"
                f"办理案件{500_000 + 13 * n}件。" for n in range(paragraphs)]
        return "# 2024年知识产权发展状况\n\n## 一、工作\n\n" + "\n\n".join(body) + "\n"
    body = [f"The office granted {10_000 + 7 * n:,} patents, up {1 + n % 90}.{n % 10}%, and "
            f"handled {500_000 + 13 * n:,} cases." for n in range(paragraphs)]
    return "# Report 2024\n\n## I. Work\n\n" + "\n\n".join(body) + "\n"


def test_import_bind_check_and_the_printed_content_grow_linearly(tmp_path):
    from ipviewer.checks import run_checks
    from ipviewer.pdf.content import build_content
    from ipviewer.store import ReportStore

    counter = iter(range(100))

    def commands(paragraphs: int) -> None:
        n = next(counter)
        en, zh = tmp_path / f"{n}.en.txt", tmp_path / f"{n}.zh.txt"
        en.write_text(_report_text(paragraphs, "en"), encoding="utf-8")
        zh.write_text(_report_text(paragraphs, "zh"), encoding="utf-8")
        report = tmp_path / f"{n}.sqlite"
        runner = CliRunner()
        for args in (["import", str(zh), "-o", str(report)],
                     ["import", str(en), "--into", str(report)], ["bind", str(report)]):
            result = runner.invoke(cli, args, catch_exceptions=False)
            assert result.exit_code == 0, result.output
        with ReportStore.open(report, readonly=True) as store:
            run_checks(store)
            build_content(store, "both")

    assert growth(commands, lambda n: n, size=20, least=0.04) < LIMIT
