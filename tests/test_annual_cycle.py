"""The annual cycle: what a rolled-forward report still has to update is a state every part
sees — `check` reports it until each value or text changes or is confirmed unchanged, and
last year's words and figures in the new year's text are flagged."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_cli
from ipviewer.checks import run_checks
from ipviewer.checks.annual import previous_year_findings, stale_figure_findings
from ipviewer.checks.finding import FINDING_CODES, Finding, RenderedText
from ipviewer.new_year import start_next_year, to_update_items
from ipviewer.report_text import figure_values
from ipviewer.store import ReportStore


def findings_of(path, *extra):
    result = run_cli("check", path, "--format", "json", "--no-terms", *extra)
    return result, json.loads(result.output)


def counts(path) -> tuple[int, int]:
    with closing(sqlite3.connect(path)) as conn:
        return (conn.execute("SELECT count(*) FROM indicators WHERE year = 2025 "
                             "AND needs_update = 1").fetchone()[0],
                conn.execute("SELECT count(*) FROM nodes WHERE needs_update = 1").fetchone()[0])


def test_filling_only_the_changes_leaves_one_error_per_value_still_to_update(next_year_copy):
    """The issue's case: an editor fills in every missing YoY change (0.0 %, consistent with
    unchanged values) — before, `check` found nothing; now each carried value is an error."""
    values, texts = counts(next_year_copy)
    assert (values, texts) == (92, 17)
    with closing(sqlite3.connect(next_year_copy)) as conn:
        conn.execute("UPDATE indicators SET yoy_pct = '0.0' WHERE year = 2025")
        conn.commit()
    result, findings = findings_of(next_year_copy)
    assert result.exit_code == 1
    carried = [f for f in findings if f["code"] == "value-to-update"]
    assert len(carried) == values and len({f["key"] for f in carried}) == values
    assert all(f["severity"] == "error" for f in carried)
    assert "carried over from 2024" in carried[0]["message"]
    assert len([f for f in findings if f["code"] == "text-to-update"]) == texts
    assert not [f for f in findings if f["code"] == "yoy"]  # 0.0 % is consistent


def test_a_changed_value_or_text_is_no_longer_to_update_whoever_writes_it(next_year_copy):
    with ReportStore.open(next_year_copy) as store:
        row = store.indicator_rows(2025)[0]
        store.set_indicator_fields({row["id"]: {"value": row["value"]}})  # the same value
        assert store.marks("indicators", [row["id"]])[0].needs_update
        store.set_indicator_fields({row["id"]: {"yoy_pct": "3.5"}})  # only the change
        assert store.marks("indicators", [row["id"]])[0].needs_update
        store.set_indicator_fields({row["id"]: {"value": "160000"}})
        assert not store.marks("indicators", [row["id"]])[0].needs_update
        node = store.to_update().nodes[0]
        store.set_node_field(node, "title_en", "A new title")  # not the text: still marked
        assert node in store.to_update().nodes
        store.set_node_field(node, "text_zh", store.node_row(node)["text_zh"] + "。")
        assert node not in store.to_update().nodes
        store.set_node_field(node, "text_zh", "back", needs_update=True)  # an undo
        assert node in store.to_update().nodes
    with closing(sqlite3.connect(next_year_copy)) as conn:  # another program, plain SQL
        conn.execute("UPDATE indicators SET value = '1' WHERE year = 2025 AND key = "
                     "'patents_granted'")
        conn.execute(f"UPDATE nodes SET text_en = text_en || ' More.' WHERE id = {node}")
        conn.commit()
        assert conn.execute("SELECT needs_update FROM indicators WHERE year = 2025 AND key = "
                            "'patents_granted'").fetchone()[0] == 0
        assert conn.execute(f"SELECT needs_update FROM nodes WHERE id = {node}"
                            ).fetchone()[0] == 0


def test_confirming_a_value_clears_its_error_and_records_who_and_when(next_year_copy):
    result = run_cli("confirm", next_year_copy, "patents_granted", "--by", "Li Wei")
    assert result.exit_code == 0, result.output
    assert "1 value and 0 texts confirmed unchanged" in result.output
    _result, findings = findings_of(next_year_copy)
    assert "patents_granted" not in {f["key"] for f in findings if f["code"] == "value-to-update"}
    with closing(sqlite3.connect(next_year_copy)) as conn:
        by, at = conn.execute("SELECT confirmed_by, confirmed_at FROM indicators WHERE "
                              "key = 'patents_granted' AND year = 2025").fetchone()
    assert by == "Li Wei" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", at)
    again = run_cli("confirm", next_year_copy, "patents_granted")
    assert again.exit_code == 0 and "was not to update" in again.output


def test_confirm_refuses_what_it_cannot_do_and_writes_nothing(next_year_copy):
    before = counts(next_year_copy)
    for args, says in ((["patents_granted", "no_such_key"], "no indicator no_such_key for 2025"),
                       (["patents_granted", "--node", "99999"], "no part of the report"),
                       ([], "Name the values"),
                       (["patents_granted", "--by", "  "], "a name is needed")):
        result = run_cli("confirm", next_year_copy, *args)
        assert result.exit_code == 2 and says in result.output, (args, result.output)
    assert counts(next_year_copy) == before
    missing = run_cli("confirm", next_year_copy.with_name("nothing.sqlite"), "x")
    assert missing.exit_code == 2


def test_to_update_lists_everything_and_exits_1_until_nothing_is_left(next_year_copy):
    result = run_cli("to-update", next_year_copy, "--format", "json")
    assert result.exit_code == 1
    items = json.loads(result.output)
    assert len(items) == 92 + 17
    assert {i["kind"] for i in items} == {"value", "text"}
    value = next(i for i in items if i["key"] == "patents_granted")
    assert value["value"] == "150800" and value["place_en"].startswith("Overview")
    text = run_cli("to-update", next_year_copy)
    assert "92 values, 17 texts to update" in text.output
    done = run_cli("confirm", next_year_copy, "--all", "--by", "editor")
    assert "92 values and 17 texts confirmed unchanged" in done.output
    assert run_cli("to-update", next_year_copy).exit_code == 0
    result, findings = findings_of(next_year_copy)
    assert not {f["code"] for f in findings} & {"value-to-update", "text-to-update"}


def test_the_next_roll_forward_marks_again_and_forgets_confirmations(next_year_copy, tmp_path):
    run_cli("confirm", next_year_copy, "--all", "--by", "editor")
    following = tmp_path / "report-2026.sqlite"
    start_next_year(next_year_copy, following)
    with ReportStore.open(following, readonly=True) as store:
        items = to_update_items(store)
        assert len([i for i in items if i.kind == "value"]) == 92
        assert not store.db.execute("SELECT count(*) FROM indicators WHERE year = 2026 AND "
                                    "confirmed_by != ''").fetchone()[0]


def test_the_sample_itself_has_nothing_to_update_and_no_stale_year(sample_copy):
    with ReportStore.open(sample_copy, readonly=True) as store:
        codes = {f.code for f in run_checks(store)}
        assert not to_update_items(store)
    assert not codes & {"value-to-update", "text-to-update", "previous-year", "stale-figure"}


def rendered(text: str, lang: str) -> RenderedText:
    return RenderedText(lang, text, text, "here")


@pytest.mark.parametrize("text, lang, flagged", [
    ("2024年，全市专利授权15.08万件。", "zh", True),
    ("截至2024年底，全市有效发明专利27.87万件。", "zh", True),
    ("召开2024年上海市知识产权工作会议。", "zh", True),
    ("比2024年增长12%。", "zh", False),
    ("与2024年相比有所增长。", "zh", False),
    ("《2024年全球创新指数》发布。", "zh", False),
    ("2021—2024年规划顺利完成。", "zh", False),
    ("2024年以来，工作稳步推进。", "zh", False),
    ("In 2024, Shanghai granted 150,800 patents.", "en", True),
    ("By the end of 2024 it had 278,700 valid patents.", "en", True),
    ("Up 12% compared with 2024.", "en", False),
    ("More than in 2024.", "en", False),
    ("The plan for 2024-2026 was adopted.", "en", False),
    ("The 2024 White Paper was released.", "en", False),
])
def test_last_year_named_as_this_years_is_a_warning(text, lang, flagged):
    findings = previous_year_findings(5, rendered(text, lang), 2025)
    assert bool(findings) == flagged, findings
    for finding in findings:
        assert finding.severity == "warning" and finding.code == "previous-year"
        assert "2024" in finding.message and finding.node_id == 5


def test_a_title_naming_last_year_is_flagged_too():
    assert previous_year_findings(1, rendered("", "en"), 2025, "Shanghai in 2024")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("2024年，比《》 in In-—0123456789abc.")),
               max_size=80))
def test_any_text_gives_findings_that_quote_last_year(text):
    for finding in previous_year_findings(None, rendered(text, "zh"), 2025) + \
            previous_year_findings(None, rendered(text, "en"), 2025):
        assert "2024" in finding.message


def test_last_years_value_typed_into_this_years_text_is_a_stale_figure(next_year_copy):
    with ReportStore.open(next_year_copy) as store:
        row = next(r for r in store.indicator_rows(2025) if r["key"] == "patents_granted")
        store.set_indicator_fields({row["id"]: {"value": "162000"}})
        values = figure_values(store.indicator_values())
    stale = stale_figure_findings(3, rendered("2025年，全市专利授权15.08万件。", "zh"), values, 2025)
    assert [(f.code, f.key) for f in stale] == [("stale-figure", "patents_granted")]
    fresh = stale_figure_findings(3, rendered("2025年，全市专利授权16.2万件。", "zh"), values, 2025)
    assert not fresh


def test_every_finding_code_is_known_and_documented():
    docs = (__import__("pathlib").Path(__file__).parents[1] / "docs" / "CHECKS.md").read_text(
        encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", docs, re.MULTILINE))
    assert documented == set(FINDING_CODES)
    with pytest.raises(ValueError):
        Finding("error", "no-such-code", "x")
    with pytest.raises(ValueError):
        Finding("fatal", "yoy", "x")


def test_rolling_forward_a_report_with_work_left_says_so(next_year_copy, tmp_path):
    result = run_cli("new-year", next_year_copy, "-o", tmp_path / "2026.sqlite")
    assert result.exit_code == 0
    assert "109 values and texts were still to update in 2025" in result.output
    run_cli("confirm", tmp_path / "2026.sqlite", "--all", "--by", "x")
    clean = run_cli("new-year", tmp_path / "2026.sqlite", "-o", tmp_path / "2027.sqlite")
    assert "still to update" not in clean.output


def test_the_issues_year_end_to_end(next_year_copy, tmp_path):
    """Roll forward, fill in only the changes: check finds each value still to update, a
    final export refuses and writes nothing, a draft is watermarked on every page, a
    confirmed value's error is gone, and the draft is not replaced without --force."""
    import subprocess

    import pypdf

    with closing(sqlite3.connect(next_year_copy)) as conn:
        conn.execute("UPDATE indicators SET yoy_pct = '0.0' WHERE year = 2025")
        conn.commit()
    result, findings = findings_of(next_year_copy)
    assert result.exit_code == 1
    assert sum(f["code"] == "value-to-update" for f in findings) == 92
    final = tmp_path / "white-paper-2025.pdf"
    refused = run_cli("export", next_year_copy, "-o", final, "--no-charts")
    assert refused.exit_code == 1 and not final.exists()
    assert "a final PDF needs none" in refused.output
    assert "carried over from 2024" in refused.output
    draft = run_cli("export", next_year_copy, "-o", final, "--draft", "--no-charts")
    assert draft.exit_code == 0, draft.output
    pages = pypdf.PdfReader(final).pages
    for number in range(1, len(pages) + 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), final, "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "草稿" in text, number
    before = final.read_bytes()
    again = run_cli("export", next_year_copy, "-o", final, "--draft", "--no-charts")
    assert again.exit_code == 2 and final.read_bytes() == before
    run_cli("confirm", next_year_copy, "patents_granted")
    _result, findings = findings_of(next_year_copy)
    assert sum(f["code"] == "value-to-update" for f in findings) == 91
    assert "patents_granted" not in {f["key"] for f in findings if f["code"] == "value-to-update"}
