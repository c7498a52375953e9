"""Traditional-Chinese sources: read as simplified for the figures, stored as written; and
the English names (and keys) of a Chinese-only source's indicators from the glossary."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_cli
from ipviewer import script
from ipviewer.cli.shared import default_catalog
from ipviewer.prose.extract import extract_figures
from ipviewer.script import language_of, to_simplified
from ipviewer.terms import Glossary
from ipviewer.terms.labels import english_label

SIMPLIFIED = ("2023年，全市专利授权15.08万件，同比增长14.28%；商标注册申请量达到50.2万件，"
              "同比下降3.5%。专利商标质押融资登记金额达到227.6亿元。")
TRADITIONAL = ("2023年，全市專利授權15.08萬件，同比增長14.28%；商標註冊申請量達到50.2萬件，"
               "同比下降3.5%。專利商標質押融資登記金額達到227.6億元。")

TRADITIONAL_REPORT = """# 2023年測試市知識產權發展狀況

## 綜述

2023年，全市專利授權15.08萬件，同比增長14.28%；商標註冊申請量達到50.2萬件。

## 一、加強知識產權保護

全市法院共受理知識產權案件4.1萬件，審結3.9萬件。
"""


def test_traditional_figures_are_the_simplified_ones_with_spans_in_the_original():
    simple = extract_figures(SIMPLIFIED, "zh")
    trad = extract_figures(TRADITIONAL, "zh")
    assert [(f.value, f.unit, f.yoy_pct) for f in trad] == \
        [(f.value, f.unit, f.yoy_pct) for f in simple]
    assert len(trad) == 3
    assert (trad[0].yoy_pct, trad[1].yoy_pct) == (Decimal("14.28"), Decimal("-3.5"))
    for figure in trad:
        assert TRADITIONAL[figure.start:figure.end] == figure.text
    assert [f.text for f in trad] == ["15.08萬", "50.2萬", "227.6億元"]
    assert [f.label for f in trad] == [f.label for f in simple]  # simplified labels


def test_traditional_text_is_chinese():
    assert language_of(TRADITIONAL) == "zh"
    assert language_of("據統計，2023年專利授權15.08萬件 (PCT)") == "zh"


def test_to_simplified_keeps_length_when_a_conversion_would_not(monkeypatch):
    real = script._t2s()

    def stretching(text: str) -> str:  # a conversion that writes 萬 as two characters
        return real(text.replace("萬", "一万"))

    monkeypatch.setattr(script, "_t2s", lambda: stretching)
    out = to_simplified(TRADITIONAL)
    assert len(out) == len(TRADITIONAL)
    assert "億" not in out and "萬" in out  # the stretching character stays as written
    assert "同比增长" in out and "同比增長" not in out  # the rest is converted
    figures = extract_figures(TRADITIONAL, "zh")
    assert [f.text for f in figures] == ["15.08萬", "50.2萬", "227.6億元"]


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("萬億專利授權增長達到了，。\n 0123456789%a𠀋乾著後臺")
                                        + ["\ud800", "\udfff"]),
               max_size=60))
def test_to_simplified_never_moves_a_character(text):
    assert len(to_simplified(text)) == len(text)
    for figure in extract_figures(text, "zh"):
        assert text[figure.start:figure.end] == figure.text


def test_a_lone_surrogate_is_read_around():
    text = "專利授權15.08萬件\ud800，增長5%。"
    assert len(to_simplified(text)) == len(text)
    assert [f.text for f in extract_figures(text, "zh")] == ["15.08萬"]


def test_a_traditional_source_is_imported_as_written(tmp_path):
    source = tmp_path / "trad.md"
    source.write_text(TRADITIONAL_REPORT, encoding="utf-8")
    out = tmp_path / "r.sqlite"
    result = run_cli("import", source, "-o", out)
    assert result.exit_code == 0, result.output
    assert "(zh, 2023)" in result.output
    with sqlite3.connect(out) as db:
        values = sorted(int(v) for (v,) in db.execute("SELECT value FROM indicators"))
        texts = " ".join(t for (t,) in db.execute("SELECT text_zh FROM nodes"))
        kinds = [k for (k,) in db.execute("SELECT kind FROM nodes WHERE parent_id IS NULL "
                                          "ORDER BY position")]
    assert values == [39000, 41000, 150800, 502000]
    assert "專利授權" in texts and "同比增長14.28%" in texts  # the original words are kept
    assert kinds == ["overview", "part"]  # 綜述 is the overview's name
    rendered = run_cli("render", out, "--lang", "zh").output
    assert "全市專利授權15.08萬件，同比增長14.28%" in rendered


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load(default_catalog())


@pytest.mark.parametrize("label, english", [
    ("专利授权", "patent grant"),                       # the whole label is a term
    ("高价值发明专利拥有量", "high-value invention patents"),
    ("审结", "cases concluded"),                         # the indicator field's term
    ("新增市级专利示范企业", "municipal level patent demonstration enterprise"),
    ("纳入国家可转化专利资源库并在上海", ""),              # only 专利 is a term: no name
    ("受理纠纷", ""),
    ("", ""),
])
def test_english_label_from_the_glossary(glossary, label, english):
    assert english_label(glossary, label) == english


CHINESE_ONLY = """# 2023年测试市知识产权发展状况

2023年，全市专利授权15.08万件，同比增长14.28%。全市法院审结知识产权案件3.9万件。
全市新建小型茶歇角12个。
"""


def test_a_chinese_only_source_gets_english_names_and_keys(tmp_path):
    source = tmp_path / "zh.md"
    source.write_text(CHINESE_ONLY, encoding="utf-8")
    out = tmp_path / "r.sqlite"
    assert run_cli("import", source, "-o", out).exit_code == 0
    with sqlite3.connect(out) as db:
        found = db.execute("SELECT key, label_en, label_zh FROM indicators ORDER BY id").fetchall()
    assert found[0] == ("patent_grant", "patent grant", "专利授权")
    assert found[1][:2] == ("cases_concluded_ip_case", "cases concluded IP case")
    assert found[2][0] == "figure" and found[2][1] == ""  # not in the glossary: as before
    listed = run_cli("indicators", out, "--format", "csv").output
    assert "patent_grant" in listed
