"""``ipviewer compare A B``, the comparison behind it, and the plausibility findings of
``check`` (issue 13, item 5): the sample against its roll-forward, with values changed in
the file as an editor (or a hand edit) would change them."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import run_cli
from ipviewer.compare import CompareError, compare_reports
from ipviewer.store import ReportStore

#: The sample's paragraph on the courts: "… accepted {{court_ip_cases_accepted}} IP cases
#: … down {{court_ip_cases_accepted:rate}} and {{court_ip_cases_concluded:rate}} …".
COURTS = "court_ip_cases_accepted"


@pytest.fixture
def rolled(sample_copy: Path, tmp_path: Path) -> Path:
    """The sample's 2025 report, rolled forward by the real command."""
    target = tmp_path / "report-2025.sqlite"
    result = run_cli("new-year", sample_copy, "-o", target)
    assert result.exit_code == 0, result.output
    return target


def set_2025(path: Path, changes: dict[str, tuple[str | None, str | None]]) -> None:
    """Give indicators new 2025 values and stated changes (None: leave as is), as the
    window's table does (one transaction, through the store)."""
    with ReportStore.open(path) as store:
        ids = {row["key"]: row["id"] for row in store.indicator_rows(2025)}
        store.set_indicator_fields({
            ids[key]: {k: v for k, v in (("value", value), ("yoy_pct", yoy)) if v is not None}
            for key, (value, yoy) in changes.items()})


def fill_all_rates(path: Path) -> None:
    """Every 2025 indicator states +0.0 (so every text renders)."""
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE indicators SET yoy_pct = '0.0' WHERE year = 2025")
    con.close()


# -------------------------------------------------------------------------- the comparison

def test_the_roll_forward_is_plausible_and_unchanged(sample_copy, rolled):
    result = compare_reports(sample_copy, rolled)
    assert (result.a.year, result.b.year) == (2024, 2025)
    assert len(result.indicators) == 92
    assert {row.verdict for row in result.indicators} == {"not-stated"}
    assert all(row.change == 0 for row in result.indicators)
    assert result.findings == [] and result.plausible
    assert {pair.matched_by for pair in result.nodes} == {"id"}  # new-year keeps the ids
    # only the texts whose year-on-year changes 2025 does not state yet differ: the rest of
    # the text written in, each missing change shown as [?key:yoy], with the reason
    changed = [t for pair in result.nodes for t in pair.texts if t.changed]
    assert changed and all("has no year-on-year change for 2025" in t.problem
                           for t in changed)
    assert all(re.search(r"\[\?\w+:(yoy|rate)\]", t.b) and "{{" not in t.b + t.a
               for t in changed)
    differing = [seg for t in changed for seg in t.segments if seg.op != "equal"]
    assert all(seg.op == "replace" and "%" in seg.a and re.fullmatch(r"\[\?\w+:(yoy|rate)\]",
                                                                   seg.b)
               for seg in differing), "only the missing changes differ, not the figures"


def test_changed_values_show_in_rows_texts_and_findings(sample_copy, rolled):
    fill_all_rates(rolled)
    set_2025(rolled, {
        "patents_granted": ("1508000", "900.0"),   # an extra zero typed: ×10
        COURTS: ("48388", "-5.00"),                # rose, but the text says "down"
        "invention_patents_granted": ("55000", "8.48"),  # 55000/50700 = +8.48 %: agrees
        "pct_international_applications": ("6950", "9.9")})  # 6950/6822 = +1.88 %: wrong
    result = compare_reports(sample_copy, rolled)
    rows = {row.key: row for row in result.indicators}
    assert rows["invention_patents_granted"].verdict == "match"
    assert rows["invention_patents_granted"].change == Decimal(4300)
    assert rows["invention_patents_granted"].change_pct == Decimal("8.48")
    assert rows["pct_international_applications"].verdict == "mismatch"
    assert rows["pct_international_applications"].change_pct == Decimal("1.9")
    assert rows["patents_granted"].codes == ("implausible-change",)
    codes = {(f.code, f.key) for f in result.findings}
    assert ("implausible-change", "patents_granted") in codes
    assert ("yoy", "pct_international_applications") in codes
    assert ("yoy-contradicts-text", COURTS) in codes
    contradictions = [f for f in result.findings if f.code == "yoy-contradicts-text"]
    assert {f.where[-4:] for f in contradictions} == {"(en)", "(zh)"}  # both languages
    # the overview's paragraph: the two numbers, side by side, the change found
    pair = next(p for p in result.nodes if p.changed and any(
        t.lang == "zh" and "专利授权" in t.b for t in p.texts))
    zh = next(t for t in pair.texts if t.lang == "zh" and t.field == "text")
    changed = [(s.a, s.b) for s in zh.segments if s.op != "equal"]
    assert ("15.08", "150.8") in changed  # the number whole, not digit by digit
    assert "".join(s.a for s in zh.segments) == zh.a
    assert "".join(s.b for s in zh.segments) == zh.b


def test_a_falling_value_under_a_worded_rise_is_questioned(sample_copy, rolled):
    fill_all_rates(rolled)
    # "up {{pledge_financing_transactions:rate}}": the value falls, the word says up
    set_2025(rolled, {"pledge_financing_transactions": ("2000", "-10.03")})
    result = compare_reports(sample_copy, rolled)
    found = [f for f in result.findings if f.key == "pledge_financing_transactions"]
    assert [f.code for f in found] == ["yoy-contradicts-text"] * 2
    assert "rose" in found[0].message and "2,223" in found[0].message


def test_a_rate_written_from_the_stored_change_is_left_to_the_yoy_rule(sample_copy, rolled):
    fill_all_rates(rolled)
    # "{{patents_granted:yoy}}"-style: the word comes from the stored rate, not the text
    set_2025(rolled, {"invention_patents_granted": ("40000", "-21.1")})
    result = compare_reports(sample_copy, rolled)
    assert not [f for f in result.findings if f.code == "yoy-contradicts-text"]


def test_the_factor_is_an_option(sample_copy, rolled):
    set_2025(rolled, {"patents_granted": ("200000", None)})  # ×1.33
    assert compare_reports(sample_copy, rolled).plausible
    strict = compare_reports(sample_copy, rolled, Decimal("1.2"))
    assert [f.code for f in strict.findings] == ["implausible-change"]
    set_2025(rolled, {"patents_granted": ("0", None)})  # to nothing: always questioned
    assert [f.code for f in compare_reports(sample_copy, rolled).findings] == [
        "implausible-change"]


def test_keys_only_in_one_year_and_a_revised_prior_value(sample_copy, rolled):
    con = sqlite3.connect(rolled)
    with con:
        con.execute("DELETE FROM indicators WHERE key = 'acpaa_directors' AND year = 2025")
        con.execute("INSERT INTO indicators (key, year, value, label_en) "
                    "VALUES ('new_thing', 2025, '7', 'new thing')")
        con.execute("UPDATE indicators SET value = '150900' "
                    "WHERE key = 'patents_granted' AND year = 2024")
    con.close()
    result = compare_reports(sample_copy, rolled)
    data = result.as_dict()
    assert data["only_in_a"] == ["acpaa_directors"] and data["only_in_b"] == ["new_thing"]
    assert [f.code for f in result.findings] == ["prior-differs"]
    assert "150,900" in result.findings[0].message


def test_nodes_are_matched_by_title_and_position_without_shared_ids(sample_copy, rolled,
                                                                    tmp_path):
    # a report imported afresh from the rendered text has ids of its own
    text = tmp_path / "2025.md"
    text.write_text(run_cli("render", sample_copy, "--lang", "en").output, encoding="utf-8")
    fresh = tmp_path / "fresh.sqlite"
    assert run_cli("import", text, "-o", fresh, "--year", "2025").exit_code == 0
    con = sqlite3.connect(fresh)
    with con:  # shift the ids so that none matches by chance
        con.execute("UPDATE nodes SET id = id + 1000, parent_id = parent_id + 1000")
    con.close()
    result = compare_reports(sample_copy, fresh)
    kinds = {pair.matched_by for pair in result.nodes if pair.a and pair.b}
    assert "id" not in kinds and kinds <= {"title", "position"}
    english = [t for p in result.nodes for t in p.texts if t.lang == "en"]
    assert english and not any(t.changed for t in english if t.field == "text")


# ------------------------------------------------------------------------------ the CLI

def test_cli_text_and_json_on_the_roll_forward(sample_copy, rolled):
    result = run_cli("compare", sample_copy, rolled)
    assert result.exit_code == 0, result.output
    assert "patents granted" in result.output and "150,800" in result.output
    assert "not stated" in result.output
    result = run_cli("compare", sample_copy, rolled, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["format"] == "ipviewer-compare" and data["version"] == 1
    assert (data["a"]["year"], data["b"]["year"]) == (2024, 2025)
    row = next(r for r in data["indicators"] if r["key"] == "patents_granted")
    assert row == {"key": "patents_granted", "label_en": "patents granted",
                   "label_zh": row["label_zh"], "unit": "", "a": "150800", "b": "150800",
                   "b_prior": "150800", "change": "0", "change_pct": "0.00",
                   "stated_yoy": None, "verdict": "not-stated", "findings": []}
    assert data["summary"]["warnings"] == 0 and data["findings"] == []


def test_cli_exit_1_with_the_changes_marked(sample_copy, rolled):
    fill_all_rates(rolled)
    set_2025(rolled, {"patents_granted": ("1508000", "900.0"), COURTS: ("48388", "-5.00")})
    result = run_cli("compare", sample_copy, rolled, "--lang", "zh")
    assert result.exit_code == 1
    assert "[-15.08-]{+150.8+}万件" in result.output
    assert "[-47388-]{+48388+}" in result.output
    assert "implausible" not in result.output  # codes are not shown, messages are
    assert "10 times the 150,800 of 2024" in result.output
    assert " (en)\n" not in result.output  # --lang zh: the Chinese texts only
    data = json.loads(run_cli("compare", sample_copy, rolled, "--format", "json",
                              "--lang", "en").output)
    assert {t["lang"] for n in data["nodes"] for t in n["texts"]} == {"en"}
    codes = {f["code"] for f in data["findings"]}
    assert codes == {"yoy", "implausible-change", "yoy-contradicts-text"}
    assert run_cli("compare", sample_copy, rolled, "--factor", "20").exit_code == 1  # yoy


@pytest.mark.parametrize("case", ["missing", "not-a-report", "same-file", "reversed",
                                  "same-year", "damaged", "folder", "factor"])
def test_cli_refuses_in_one_line(case, sample_copy, rolled, tmp_path):
    a, b, extra = sample_copy, rolled, []
    if case == "missing":
        b = tmp_path / "nothing.sqlite"
        expected = "nothing.sqlite"
    elif case == "not-a-report":
        b = tmp_path / "notes.sqlite"
        b.write_text("hello", encoding="utf-8")
        expected = "notes.sqlite"
    elif case == "same-file":
        b = sample_copy
        expected = "the same file"
    elif case == "reversed":
        a, b = rolled, sample_copy
        expected = "give the earlier year first"
    elif case == "same-year":
        b = tmp_path / "copy.sqlite"
        shutil.copy(sample_copy, b)
        expected = "are both for 2024"
    elif case == "damaged":
        con = sqlite3.connect(rolled)
        with con:
            con.execute("UPDATE indicators SET value = 'lots' "
                        "WHERE key = 'patents_granted' AND year = 2025")
        con.close()
        expected = "lots"
    elif case == "folder":
        b = tmp_path
        expected = str(tmp_path)
    else:
        extra = ["--factor", "nan"]
        expected = "--factor"
    result = run_cli("compare", a, b, *extra)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0]
    assert "Traceback" not in result.output


def test_cli_text_cannot_drive_the_terminal(sample_copy, rolled):
    con = sqlite3.connect(rolled)
    with con:
        con.execute("UPDATE nodes SET text_en = text_en || ' \x1b]0;owned\x07' "
                    "WHERE id = (SELECT min(id) FROM nodes WHERE kind = 'paragraph')")
    con.close()
    result = run_cli("compare", sample_copy, rolled, "--lang", "en")
    assert "\x1b" not in result.output and "\\u001b]0;owned\\u0007" in result.output


def test_compare_error_is_a_message(sample_copy, rolled):
    with pytest.raises(CompareError, match="same file"):
        compare_reports(sample_copy, sample_copy)


# ------------------------------------------------------------ the plausibility in check

def test_check_questions_a_report_against_its_own_prior_year(rolled):
    fill_all_rates(rolled)
    set_2025(rolled, {"patents_granted": ("1508000", "900.0"), COURTS: ("48388", "2.11")})
    data = json.loads(run_cli("check", rolled, "--no-terms", "--format", "json").output)
    plausibility = sorted((f["code"], f["key"], f["severity"]) for f in data
                          if f["code"] in ("implausible-change", "yoy-contradicts-text"))
    assert plausibility == [("implausible-change", "patents_granted", "warning"),
                            ("yoy-contradicts-text", COURTS, "warning"),
                            ("yoy-contradicts-text", COURTS, "warning")]
    text = run_cli("check", rolled, "--no-terms").output
    assert "the text says it fell" in text and "47,388 in 2024 to 48,388" in text


def test_check_on_the_sample_has_no_plausibility_findings(sample_copy):
    data = json.loads(run_cli("check", sample_copy, "--no-terms", "--format", "json").output)
    assert not [f for f in data if f["code"] in ("implausible-change", "yoy-contradicts-text")]
