"""The bilingual report: the full sample, bound figures rendered in both languages, adding a
language with --into, indicator files, binding literal figures, and rolling a year forward."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from click.testing import CliRunner

from ipviewer.cli import cli
from ipviewer.importing.pipeline import parse_file
from ipviewer.prose.bindings import find_bindings
from ipviewer.prose.extract import extract_figures
from ipviewer.report_text import render_report
from ipviewer.sample import build_sample, sample_text
from ipviewer.store import ReportStore


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "sample.sqlite"
    build_sample(path).close()
    return path


def numbers_in(text: str, lang: str) -> list[Decimal]:
    """The values of every figure in a rendered text, YoY rates included."""
    values = []
    for figure in extract_figures(text, lang):
        values.append(figure.value)
        if figure.yoy_pct is not None:
            values.append(abs(figure.yoy_pct))
    return sorted(values)


# -- the sample ---------------------------------------------------------------------------


def test_sample_tree_shows_both_languages(sample_path):
    result = run("tree", str(sample_path))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "Overview | 综述" in lines[1]
    parts = [line for line in lines if re.match(r"^  [IVX]+\. ", line)]
    assert [p.split(".")[0].strip() for p in parts] == ["I", "II", "III", "IV", "V"]
    assert all(" | " in p and "、" in p for p in parts)
    sections = [line for line in lines if line.startswith("    ") and " | " in line]
    assert len(sections) == 16


def test_sample_text_is_all_bound():
    """No literal figure is left in the sample's prose: every one is an indicator."""
    for lang in ("en", "zh"):
        parsed = parse_file_text(lang)
        leftovers = [(node.text(lang)[:50], [f.text for f in node.figures])
                     for node in parsed.walk() if node.figures]
        assert not leftovers, leftovers


def parse_file_text(lang):
    from ipviewer.importing.pipeline import parse_text

    return parse_text(sample_text(lang), lang)


def test_sample_renders_the_same_numbers_in_both_languages(sample_path):
    with ReportStore.open(sample_path, readonly=True) as store:
        english = render_report(store, "en")
        chinese = render_report(store, "zh")
    assert "{{" not in english and "{{" not in chinese
    assert numbers_in(english, "en") == numbers_in(chinese, "zh")
    assert "150,800" in english and "15.08万" in chinese
    assert "32 billion RMB" in english and "320亿元" in chinese


def test_changing_an_indicator_changes_both_languages(tmp_path):
    path = tmp_path / "s.sqlite"
    build_sample(path).close()
    with ReportStore.open(path) as store:
        store.upsert_indicators([{"key": "patents_granted", "year": 2024, "value": "151234"}])
        english, chinese = render_report(store, "en"), render_report(store, "zh")
    assert "151,234" in english and "150,800" not in english
    assert "151234" in chinese and "15.08万" not in chinese


def test_sample_indicators_carry_the_seed_figures(sample_path, seed_path):
    """Every figure the extractor finds in the 2024 white paper is in the sample's table."""
    records = json.loads(run("indicators", str(sample_path), "--format", "json").output)
    ours = {(Decimal(str(r["value"])), r["year"]) for r in records}
    missing = []
    for node in parse_file(seed_path).walk():
        for figure in node.figures:
            if (figure.value, 2024) not in ours:
                missing.append((figure.text, figure.label))
    assert not missing, missing
    pledge = next(r for r in records if r["value"] == 2223 and r["year"] == 2024)
    assert pledge["yoy_pct"] == 40.6 and pledge["label_en"] and pledge["label_zh"]
    assert {r["year"] for r in records} >= {2024, 2023, 2022}


def test_sample_command(tmp_path):
    out = tmp_path / "copy.sqlite"
    assert run("sample", "-o", str(out)).exit_code == 0
    again = run("sample", "-o", str(out))
    assert again.exit_code == 2 and "already exists" in again.output


# -- adding a language --------------------------------------------------------------------

ENGLISH = """# IP in Testville in the Year 2031

## IP in Testville in the Year 2031

Testville granted 12,500 patents, up 3.5% year-on-year.

## I. Protect IP

**Strengthen enforcement.** Courts handled 980 IP cases.
"""

CHINESE = """# 2031年测试市知识产权发展状况

## 2031年测试市知识产权发展状况

全市专利授权1.25万件，同比增长3.5%。

## 一、加强知识产权保护

**强化执法。**法院受理知识产权案件980件。
"""


@pytest.fixture
def english_report(tmp_path):
    source = tmp_path / "r.en.md"
    source.write_text(ENGLISH, encoding="utf-8")
    report = tmp_path / "r.sqlite"
    assert run("import", str(source), "-o", str(report)).exit_code == 0
    return report


def test_import_into_adds_the_chinese_side(english_report, tmp_path):
    source = tmp_path / "r.zh.md"
    source.write_text(CHINESE, encoding="utf-8")
    result = run("import", str(source), "--into", str(english_report))
    assert result.exit_code == 0, result.output
    tree = run("tree", str(english_report)).output
    assert "I. Protect IP | 一、加强知识产权保护" in tree
    again = run("import", str(source), "--into", str(english_report))
    assert again.exit_code == 2 and "--force" in again.output


def test_import_into_refuses_a_mismatch_and_changes_nothing(english_report, tmp_path):
    source = tmp_path / "bad.zh.md"
    source.write_text(CHINESE + "\n**另一节。**又一段。\n", encoding="utf-8")
    result = run("import", str(source), "--into", str(english_report))
    assert result.exit_code == 2
    assert "bad.zh.md" in result.output and "does not match" in result.output
    with ReportStore.open(english_report, readonly=True) as store:
        assert not any(n.text_zh or n.title_zh for r in store.load_tree() for n in r.walk())
        assert store.report()["title_zh"] == ""


def test_import_needs_output_or_into(tmp_path):
    source = tmp_path / "x.md"
    source.write_text(ENGLISH, encoding="utf-8")
    result = run("import", str(source))
    assert result.exit_code == 2 and "--into" in result.output


# -- binding literal figures --------------------------------------------------------------


def test_bind_turns_literal_figures_into_bindings(english_report):
    dry = run("bind", str(english_report), "--dry-run")
    assert dry.exit_code == 0 and "dry run" in dry.output
    result = run("bind", str(english_report))
    assert result.exit_code == 0, result.output
    with ReportStore.open(english_report, readonly=True) as store:
        texts = [n.text_en for r in store.load_tree() for n in r.walk() if n.text_en]
        assert all(find_bindings(t) for t in texts)
        rendered = render_report(store, "en")
    assert "12,500" in rendered and "980" in rendered and "up 3.5%" in rendered


# -- indicator files ----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_indicator_export_import_round_trip(sample_path, tmp_path, suffix):
    exported = tmp_path / f"indicators{suffix}"
    assert run("indicators", "export", str(sample_path), str(exported)).exit_code == 0
    fresh = tmp_path / "fresh.sqlite"
    source = tmp_path / "r.en.md"
    source.write_text(ENGLISH, encoding="utf-8")
    assert run("import", str(source), "-o", str(fresh)).exit_code == 0
    result = run("indicators", "import", str(fresh), str(exported))
    assert result.exit_code == 0, result.output
    with ReportStore.open(sample_path, readonly=True) as a, \
            ReportStore.open(fresh, readonly=True) as b:
        def table(store):
            return {(r["key"], r["year"]): (r["value"], r["unit"], r["qualifier"], r["yoy_pct"])
                    for r in store.indicator_rows()}
        theirs = table(b)
        for key, row in table(a).items():
            assert theirs[key] == row


def test_prior_years_csv(english_report):
    """The shared facts file (with an unquoted comma in two rows, read with a warning)."""
    from conftest import SEED

    facts = SEED.parents[1] / "facts" / "prior-years.csv"
    if not facts.exists():
        pytest.skip(f"{facts} is not here")
    result = CliRunner().invoke(cli, ["indicators", "import", str(english_report), str(facts)])
    if ",patents per 10,000 people," in facts.read_text(encoding="utf-8"):
        # Read, but not silently: the warning names the file and the line it mended.
        assert "prior-years.csv:4" in result.output
    assert result.exit_code == 0, result.output
    with ReportStore.open(english_report, readonly=True) as store:
        assert {2020, 2022, 2023} <= set(store.years())
        rows = {(r["key"], r["year"]): r for r in store.indicator_rows()}
    assert rows[("pledge_financing_amount", 2023)]["value"] == "22760000000"
    assert rows[("high_value_invention_patents_per_10k", 2022)]["yoy_pct"] == "6.7"


def test_bad_indicator_file_changes_nothing(english_report, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("key,year,value\npatents,2024,1,2,3\n", encoding="utf-8")
    with ReportStore.open(english_report, readonly=True) as store:
        before = store.indicator_rows()
    result = run("indicators", "import", str(english_report), str(bad))
    assert result.exit_code == 2 and "bad.csv" in result.output
    with ReportStore.open(english_report, readonly=True) as store:
        assert store.indicator_rows() == before


# -- next year ----------------------------------------------------------------------------


def test_new_year(sample_path, tmp_path):
    out = tmp_path / "2025.sqlite"
    result = run("new-year", str(sample_path), "-o", str(out))
    assert result.exit_code == 0, result.output
    with ReportStore.open(out, readonly=True) as store:
        info = store.report()
        assert info["year"] == 2025
        assert "2025" in info["title_en"] and info["title_zh"].startswith("2025年")
        assert 2024 in store.years() and 2025 in store.years()
        carried = store.indicator_rows(2025)
        assert carried and all(r["needs_update"] == 1 and r["yoy_pct"] is None for r in carried)
        nodes = [n for r in store.load_tree() for n in r.walk()]
        assert any(n.text_zh for n in nodes)  # translations kept
        marked = store.db.execute("SELECT count(*) FROM nodes WHERE needs_update = 1").fetchone()
        assert marked[0] > 10
    with ReportStore.open(sample_path, readonly=True) as store:
        assert store.report()["year"] == 2024  # the old report is untouched
    again = run("new-year", str(sample_path), "-o", str(sample_path), "--force")
    assert again.exit_code == 2


def test_rendered_report_imports_back(sample_path, tmp_path):
    """`render` writes Markdown the importer reads: same structure, every figure found."""
    en, zh = tmp_path / "r.en.md", tmp_path / "r.zh.md"
    en.write_text(run("render", str(sample_path), "--lang", "en").output, encoding="utf-8")
    zh.write_text(run("render", str(sample_path), "--lang", "zh").output, encoding="utf-8")
    again = tmp_path / "again.sqlite"
    assert run("import", str(en), "-o", str(again)).exit_code == 0
    assert run("import", str(zh), "--into", str(again)).exit_code == 0
    assert run("tree", str(again)).output == run("tree", str(sample_path)).output
    with ReportStore.open(again, readonly=True) as store, \
            ReportStore.open(sample_path, readonly=True) as sample:
        found = sorted(Decimal(r["value"]) for r in store.indicator_rows(2024))
        bound = sorted(Decimal(r["value"]) for r in sample.indicator_rows(2024))
    assert found == bound


def test_render_names_the_node_of_a_broken_reference(tmp_path):
    path = tmp_path / "s.sqlite"
    build_sample(path).close()
    with ReportStore.open(path) as store:
        node = store.load_tree()[0].children[1]
        node.text_zh = node.text_zh + "另有{{no_such_figure}}件。"
        store.set_node_texts("zh", [node])
    result = run("render", str(path), "--lang", "zh")
    assert result.exit_code == 2
    assert "no_such_figure" in result.output and "Overview" in result.output
    assert "(zh)" in result.output and "Traceback" not in result.output
    assert run("render", str(path), "--lang", "en").exit_code == 0
