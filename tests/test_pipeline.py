"""Importing end to end, aligning a translation, and the bundled bilingual sample."""

from __future__ import annotations

import time

import pytest

from ipviewer.importing.pipeline import guess_year, merge_translation, parse_text
from ipviewer.sample import build_sample, ensure_sample, sample_text
from ipviewer.store import StoreError

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


def test_parse_text_finds_structure_and_figures():
    parsed = parse_text(ENGLISH)
    assert parsed.lang == "en"
    overview, part = parsed.nodes
    figure = overview.children[0].figures[0]
    assert (figure.value, str(figure.yoy_pct)) == (12500, "3.5")
    assert part.children[0].children[0].figures[0].value == 980


def test_guess_year():
    assert guess_year(parse_text(ENGLISH)) == 2031
    assert guess_year(parse_text(CHINESE)) == 2031
    assert guess_year(parse_text("Just a paragraph with 12 words in it.\n")) is None


def test_merge_translation_aligns_by_structure():
    english, chinese = parse_text(ENGLISH, "en"), parse_text(CHINESE, "zh")
    assert merge_translation(english, chinese) == []
    overview, part = english.nodes
    assert part.title_zh == "加强知识产权保护" and part.title_en == "Protect IP"
    assert overview.children[0].text_zh == "全市专利授权1.25万件，同比增长3.5%。"
    assert overview.children[0].figures[0].other_labels["zh"]


def test_merge_translation_reports_a_mismatch_and_changes_nothing():
    english = parse_text(ENGLISH, "en")
    chinese = parse_text(CHINESE + "\n**加强宣传。**举办活动12场。\n", "zh")  # a section more
    problems = merge_translation(english, chinese)
    assert problems and "does not match" in problems[0]
    assert all(not node.text_zh and not node.title_zh for node in english.walk())


def test_sample_languages_bind_the_same_figures():
    """Every paragraph of the sample binds the same indicators in English and Chinese."""
    from ipviewer.prose.bindings import find_bindings

    english, chinese = parse_text(sample_text("en"), "en"), parse_text(sample_text("zh"), "zh")
    pairs = list(zip(english.walk(), chinese.walk(), strict=True))
    for mine, theirs in pairs:
        ours = sorted(b.key for b in find_bindings(mine.text_en))
        assert ours == sorted(b.key for b in find_bindings(theirs.text_zh)), mine.text_en[:60]
    assert sum(len(find_bindings(m.text_en)) for m, _ in pairs) >= 90


def test_built_sample_is_bilingual(tmp_path):
    with build_sample(tmp_path / "s.sqlite") as store:
        info = store.report()
        assert info["title_zh"] == "2024年上海市知识产权发展状况"
        assert info["date_en"] == "April 2025" and info["date_zh"] == "2025年4月"
        for node in (n for root in store.load_tree() for n in root.walk()):
            assert (node.title_en or node.text_en) and (node.title_zh or node.text_zh) or \
                node.kind == "overview"
        pledge = next(r for r in store.indicators() if r["value"] == "2223")
        assert pledge["yoy_pct"] == "40.6" and pledge["label_zh"]


def test_ensure_sample_keeps_the_users_copy(tmp_path):
    path = ensure_sample(tmp_path)
    stamp = path.stat().st_mtime_ns
    time.sleep(0.01)
    assert ensure_sample(tmp_path) == path
    assert path.stat().st_mtime_ns == stamp


def test_ensure_sample_in_an_impossible_place(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create the data folder"):
        ensure_sample(blocker / "data")
