"""The year of an imported text: from --year, the title, year headings or the text; the
figures under a year heading stored as that year's values; asked for only when unclear."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_cli
from ipviewer.importing.pipeline import parse_text
from ipviewer.importing.years import heading_year, infer_year, named_years

# A statistical bulletin as a department sends it: no year in the title, one section a year.
BULLETIN_EN = """# Patent Statistics of Testville

## 2022

Testville granted 36,800 invention patents, up 11.98% year-on-year. PCT international
applications reached 5,591.

## 2023

Testville granted 41,200 invention patents, up 11.96% year-on-year. PCT international
applications reached 6,185.
"""

BULLETIN_ZH = """# 测试市专利统计

## 2022年

全市发明专利授权3.68万件，同比增长11.98%。

## 2023年

全市发明专利授权4.12万件，同比增长11.96%。
"""

NEWS_ZH = """市知识产权局发布年度数据

2023年，全市有效发明专利拥有量达到24.14万件。2023年全市PCT国际专利申请6185件。
据统计，2022年该指标为5591件。本文发布于2024年4月26日，规划期为2021—2035年。
"""

TIE_EN = """Notes from the office

In 2022 the office trained 120 examiners; in 2023 it trained 135.
"""

NO_YEAR = """Notes from the office

The office trained 120 examiners and opened 4 new service centres.
"""


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(report) -> list[tuple]:
    with sqlite3.connect(report) as db:
        return db.execute("SELECT key, year, value, yoy_pct FROM indicators "
                          "ORDER BY year, id").fetchall()


@pytest.mark.parametrize("title, year", [
    ("2013", 2013), ("2013年", 2013), ("２０１３年", 2013), ("2013年度", 2013),
    ("Year 2013", 2013), ("2013.", 2013),
    ("2013 in review", None), ("1850", None), ("Patents", None), ("2013年专利", None),
])
def test_heading_year(title, year):
    assert heading_year(title) == year


def test_named_years_skips_dates_and_ranges():
    counts = named_years(["2023年，全市……2024年4月26日发布；2021—2035年规划；In 2022 and in 2023-2025"])
    assert counts == {2023: 1, 2022: 1}


def test_named_years_skips_the_base_of_a_comparison():
    counts = named_years(["比2011年的9200件增长1.6倍，较2019年增加；自2015年以来；2020年全市",
                          "By the end of 2023 it held 241,400; during 2022 it grew."])
    assert counts == {2020: 1, 2023: 1, 2022: 1}


def test_a_tie_is_broken_by_the_paragraphs_that_state_figures():
    text = ("Office news\n\nIn 2022 the city authorized 36,800 invention patents.\n\n"
            "Officials said three centres would open in 2023.\n")
    choice = infer_year(parse_text(text))
    assert (choice.year, choice.how) == (2022, "text")
    assert "2022, 2023" in choice.reason


def test_year_headings_store_each_sections_figures_as_that_year(tmp_path):
    source = write(tmp_path, "bulletin.md", BULLETIN_EN)
    out = tmp_path / "r.sqlite"
    result = run_cli("import", source, "-o", out)
    assert result.exit_code == 0, result.output
    assert "year 2023" in result.output and "2022, 2023" in result.output
    assert "2022" in result.output.splitlines()[1]  # the other year's figures are named
    stored = rows(out)
    assert [(y, int(v)) for _k, y, v, _p in stored] == [
        (2022, 36800), (2022, 5591), (2023, 41200), (2023, 6185)]
    # one indicator over two years: the same key in both sections
    assert stored[0][0] == stored[2][0] and stored[1][0] == stored[3][0]
    rendered = run_cli("render", out, "--lang", "en").output
    assert "36,800 invention patents, up 11.98%" in rendered
    assert "41,200 invention patents, up 11.96%" in rendered
    with sqlite3.connect(out) as db:
        texts = [t for (t,) in db.execute("SELECT text_en FROM nodes WHERE text_en LIKE '%{{%'")]
    assert any("@2022}}" in t for t in texts) and not any("@2023" in t for t in texts)


def test_chinese_year_headings(tmp_path):
    source = write(tmp_path, "bulletin.zh.md", BULLETIN_ZH)
    out = tmp_path / "r.sqlite"
    result = run_cli("import", source, "-o", out)
    assert result.exit_code == 0, result.output
    assert [(y, int(v)) for _k, y, v, _p in rows(out)] == [(2022, 36800), (2023, 41200)]
    assert "3.68万件" in run_cli("render", out, "--lang", "zh").output


def test_given_year_wins_and_headings_still_place_their_figures(tmp_path):
    parsed = parse_text(BULLETIN_EN)
    choice = infer_year(parsed, 2030)
    assert (choice.year, choice.how) == (2030, "given")
    assert sorted(set(choice.node_years.values())) == [2022, 2023]


def test_title_year_wins_over_the_text():
    parsed = parse_text("# IP in Testville in the Year 2031\n\nIn 2030 and in 2030 it grew.\n")
    choice = infer_year(parsed)
    assert (choice.year, choice.how) == (2031, "title")
    assert "Year 2031" in choice.reason


def test_most_named_year_of_the_text(tmp_path):
    choice = infer_year(parse_text(NEWS_ZH))
    assert (choice.year, choice.how) == (2023, "text")
    assert "2023" in choice.reason
    out = tmp_path / "r.sqlite"
    result = run_cli("import", write(tmp_path, "news.md", NEWS_ZH), "-o", out)
    assert result.exit_code == 0, result.output
    assert "year 2023" in result.output
    assert {y for _k, y, _v, _p in rows(out)} == {2023}


@pytest.mark.parametrize("text, words", [
    (TIE_EN, ["2022, 2023", "--year"]),
    (NO_YEAR, ["no year", "--year"]),
])
def test_asks_for_the_year_only_when_it_cannot_tell(tmp_path, text, words):
    out = tmp_path / "r.sqlite"
    result = run_cli("import", write(tmp_path, "notes.md", text), "-o", out)
    assert result.exit_code == 2
    assert all(word in result.output for word in words), result.output
    assert "notes.md" in result.output and "Traceback" not in result.output
    assert not out.exists()
    again = run_cli("import", write(tmp_path, "notes.md", text), "-o", out, "--year", "2023")
    assert again.exit_code == 0 and "given with --year" in again.output


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="#\n 0123456789年度Year in，。2019202", max_size=80))
def test_inference_never_fails_on_odd_text(text):
    parsed = parse_text(text or "x", "en")
    choice = infer_year(parsed)
    assert choice.reason
    assert choice.year is None or 1900 <= choice.year <= 2099


def test_the_other_language_and_bind_follow_the_year_headings(tmp_path):
    out = tmp_path / "r.sqlite"
    assert run_cli("import", write(tmp_path, "en.md", BULLETIN_EN), "-o", out).exit_code == 0
    added = run_cli("import", write(tmp_path, "zh.md", BULLETIN_ZH), "--into", out)
    assert added.exit_code == 0, added.output
    with sqlite3.connect(out) as db:
        zh = [t for (t,) in db.execute("SELECT text_zh FROM nodes WHERE kind = 'paragraph' "
                                       "ORDER BY id")]
    assert "@2022}}" in zh[0] and "@20" not in zh[1] and "{{" in zh[1]
    assert "全市发明专利授权3.68万件，同比增长11.98%" in run_cli("render", out, "--lang", "zh").output
    # typed in later, literally, under the 2022 heading: bound to 2022's value
    with sqlite3.connect(out) as db:
        db.execute("UPDATE nodes SET text_zh = '全市发明专利授权3.68万件。' WHERE id = "
                   "(SELECT MIN(id) FROM nodes WHERE kind = 'paragraph')")
    result = run_cli("bind", out)
    assert result.exit_code == 0 and "1 figures bound" in result.output, result.output
    with sqlite3.connect(out) as db:
        (text,) = db.execute("SELECT text_zh FROM nodes WHERE kind = 'paragraph' "
                             "ORDER BY id").fetchone()
    assert "@2022}}" in text
