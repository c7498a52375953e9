"""The importer, ``bind``, ``new-year`` and the checks read the figures of a text through one
entry point (prose.extract.extract_figures) and agree on which of them are indicators."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import run_cli
from ipviewer.importing.pipeline import parse_text
from ipviewer.model import Indicator
from ipviewer.prose.bindings import bind_literals
from ipviewer.prose.extract import extract_figures
from ipviewer.store import ReportStore

D = Decimal

ENGLISH = """# Intellectual Property in the Year 2024

## I. Overview

The government held four executive meetings on patents. The office handled 1,402 cases.
"""
CHINESE = """# 2024年知识产权白皮书

## 一、概况

市政府召开四次常务会议，新增三家示范园区，全市办理案件1402件。
"""


@pytest.mark.parametrize(("text", "lang"), [(ENGLISH, "en"), (CHINESE, "zh")], ids=["en", "zh"])
def test_a_number_in_words_is_no_indicator_so_bind_and_check_agree(
        tmp_path: Path, text: str, lang: str) -> None:
    """Before, the importer made an indicator of "four meetings" / 四次, which ``bind`` would
    never bind (it keeps numbers in words) and ``check`` then called unused forever."""
    source = tmp_path / f"r.{lang}.md"
    source.write_text(text, encoding="utf-8")
    report = tmp_path / "r.sqlite"
    assert run_cli("import", source, "-o", report, "--lang", lang).exit_code == 0
    with ReportStore.open(report, readonly=True) as store:
        assert [row["value"] for row in store.indicator_rows()] == ["1402"]
    assert run_cli("bind", report).exit_code == 0
    check = run_cli("check", report)
    assert "unused-indicator" not in check.output and "not used in any text" not in check.output
    with ReportStore.open(report, readonly=True) as store:
        [paragraph] = [n for r in store.load_tree() for n in r.walk() if n.text(lang)]
        bound = paragraph.text(lang)
    assert ("four" in bound) if lang == "en" else ("四次" in bound and "三家" in bound)


def test_the_checks_still_see_numbers_in_words() -> None:
    """Numbers in words stay figures for the checks (parity, direction): only indicators
    leave them out."""
    assert [f.value for f in extract_figures("市政府召开四次常务会议。", "zh")] == [D(4)]
    parsed = parse_text("# 2024年白皮书\n\n市政府召开四次常务会议。\n", "zh")
    assert [f.value for node in parsed.walk() for f in node.figures] == [D(4)]


# --------------------------------------------------------------------------- import binds


def _import(tmp_path: Path, text: str, lang: str = "en") -> Path:
    source = tmp_path / f"r.{lang}.md"
    source.write_text(text, encoding="utf-8")
    report = tmp_path / "r.sqlite"
    result = run_cli("import", source, "-o", report, "--lang", lang, "--year", "2024")
    assert result.exit_code == 0, result.output
    return report


def _texts(report: Path, lang: str) -> list[str]:
    with ReportStore.open(report, readonly=True) as store:
        return [n.text(lang) for r in store.load_tree() for n in r.walk() if n.text(lang)]


def test_import_binds_each_figure_to_the_indicator_made_of_it(tmp_path: Path) -> None:
    """Two figures of one value: ``bind`` can only guess (it leaves both), the importer
    knows which indicator it made of which."""
    report = _import(tmp_path, "# Report 2024\n\nThe city had 77 service centres and 77 "
                               "workstations, up 3.5%.\n")
    [text] = _texts(report, "en")
    assert text == ("The city had {{service_centres}} service centres and "
                    "{{workstations}} workstations, {{workstations:yoy}}.")
    rendered = run_cli("render", report, "--lang", "en").output
    assert "The city had 77 service centres and 77 workstations, up 3.5%." in rendered
    assert "0 figures bound" in run_cli("bind", report, "--dry-run").output


def test_import_reads_each_text_once(tmp_path: Path, monkeypatch) -> None:
    from ipviewer.importing import pipeline
    from ipviewer.prose import bindings

    calls: list[str] = []

    def counted(text: str, lang: str):
        calls.append(text)
        return extract_figures(text, lang)

    monkeypatch.setattr(pipeline, "extract_figures", counted)
    monkeypatch.setattr(bindings, "extract_figures", counted)
    _import(tmp_path, "# Report 2024\n\n## I. Cases\n\nCourts accepted 1,000 cases.\n\n"
                      "Offices handled 2,500 disputes.\n")
    assert sorted(calls) == ["Courts accepted 1,000 cases.", "Offices handled 2,500 disputes."]


def test_import_into_binds_what_one_indicator_holds(tmp_path: Path) -> None:
    report = _import(tmp_path, ENGLISH)
    zh = tmp_path / "r.zh.md"
    zh.write_text(CHINESE, encoding="utf-8")
    assert run_cli("import", zh, "--into", report).exit_code == 0
    [text] = _texts(report, "zh")
    assert text == "市政府召开四次常务会议，新增三家示范园区，全市办理案件{{cases_handled}}件。"
    assert "0 figures bound" in run_cli("bind", report).output
    assert "全市办理案件1402件" in run_cli("render", report, "--lang", "zh").output


@pytest.mark.parametrize("broken", ["{{cases", "cases}}", "{{Cases Handled}}"])
def test_a_malformed_reference_is_imported_as_written(tmp_path: Path, broken: str) -> None:
    """The text is kept as it is (nothing bound in it); ``bind`` names its place."""
    paragraph = f"The office handled 1,402 cases {broken} in all."
    report = _import(tmp_path, f"# Report 2024\n\n{paragraph}\n")
    assert _texts(report, "en") == [paragraph]
    result = run_cli("bind", report)
    assert result.exit_code == 2 and "¶1 (en)" in result.output


ZH_WITH_KEY = "商标{{tm_3}}件和5000件，分别增长3%和5%。"


def test_bind_reads_the_figures_the_importer_reads() -> None:
    """A digit inside a placeholder's key ({{tm_3}}) was a figure to ``bind`` (which did not
    blank the placeholders out, as the importer did): it took a rate, and ``bind`` listed a
    phantom "5%" labelled "}}件和" as matching no indicator."""
    parsed = parse_text("# 2024年白皮书\n\n" + ZH_WITH_KEY + "\n", "zh")
    imported = [(f.text, f.value, f.yoy_pct) for n in parsed.walk() for f in n.figures]
    assert imported == [("5000", D(5000), None)]
    values = {("trademarks", 2024): Indicator("trademarks", 2024, D(5000))}
    bound, left = bind_literals(ZH_WITH_KEY, "zh", values, 2024)
    assert bound == "商标{{tm_3}}件和{{trademarks}}件，分别增长3%和5%。"
    assert left == []


@pytest.mark.parametrize(("text", "lang"), [
    (ZH_WITH_KEY, "zh"),
    ("Patents: {{a_2}} and 5,000 cases, up 3% and 5%, respectively.", "en"),
    ("共{{total_1}}件，其中{{part@2023}}件、发明专利5000件。", "zh"),
])
def test_a_placeholder_is_blank_to_the_extraction(text: str, lang: str) -> None:
    blank = text
    while "{{" in blank:
        start = blank.index("{{")
        end = blank.index("}}", start) + 2
        blank = blank[:start] + " " * (end - start) + blank[end:]
    found = [(f.start, f.end, f.value, f.yoy_pct, f.unit) for f in extract_figures(text, lang)]
    assert found == [(f.start, f.end, f.value, f.yoy_pct, f.unit)
                     for f in extract_figures(blank, lang)]
    assert all("{" not in f.text and "}" not in f.text for f in extract_figures(text, lang))


def test_the_import_keeps_the_editors_words(tmp_path: Path, seed_path: Path) -> None:
    """Binding at import never rewrites the prose: every text of the 2024 white paper renders
    back exactly as written ("an increase of 14.28%" is not made "up 14.28%"); what no
    reference prints word for word stays literal, for `bind` to offer later."""
    from ipviewer.importing.pipeline import parse_file
    from ipviewer.prose.bindings import render
    from ipviewer.report_text import stored_figure_values

    report = tmp_path / "r.sqlite"
    assert run_cli("import", seed_path, "-o", report).exit_code == 0
    written = [node.text("en") for node in parse_file(seed_path).walk()]
    with ReportStore.open(report, readonly=True) as store:
        values, year = stored_figure_values(store), store.report()["year"]
        nodes = [node for root in store.load_tree() for node in root.walk()]
    assert sum("{{" in (node.text_en or "") for node in nodes) >= 10
    assert [render(node.text_en or "", "en", values, year) for node in nodes] == \
        [text or "" for text in written]
