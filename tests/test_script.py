"""The writing systems, in one place: ideographs, wide characters, language, full-width folding."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ipviewer.script import (
    HAN,
    fold_for_number,
    fold_width,
    has_han,
    is_han,
    is_wide,
    language_of,
)


def test_language_of() -> None:
    assert language_of("Patents granted in Shanghai totaled 150,800.") == "en"
    assert language_of("2019年杭州市知识产权发展状况\n\n全年专利授权量达到61,200件。") == "zh"
    assert language_of("PCT国际专利申请量达到6,822件") == "zh"
    assert language_of("The term 发明专利 means invention patent in this report.") == "en"
    assert language_of("") == "en"
    assert language_of("2024 — 150,800") == "en"


def test_language_reads_the_beginning_of_a_long_text() -> None:
    assert language_of("专利" * 3000 + " word" * 10000) == "zh"


def test_ideographs_include_the_rare_ones_in_names() -> None:
    for ch in "中㐀豈\U00020000\U0002a6d6":
        assert is_han(ch) and HAN.fullmatch(ch) and has_han(f"x{ch}y")
    for ch in "a1，。ア한":
        assert not is_han(ch)
    assert not has_han("Patent Cooperation Treaty")


def test_wide_characters_are_set_in_an_em_box() -> None:
    for ch in "中，。「ア１Ａ\U00020000":
        assert is_wide(ch)
    for ch in "a1,. é":
        assert not is_wide(ch)


def test_fold_for_number() -> None:
    assert fold_for_number("１５０，８００") == "150,800"
    assert fold_for_number("１４．２８％") == "14.28%"
    assert fold_for_number("\u22123.5") == "-3.5"
    assert fold_for_number("\uff0d3.5") == "-3.5"


def test_fold_width_keeps_prose_commas_and_folds_digit_groups() -> None:
    assert fold_width("１５０，８００件，同比") == "150,800件，同比"
    assert fold_width("\u22123.5\u3000％") == "-3.5 %"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fold_width_keeps_every_position(text: str) -> None:
    folded = fold_width(text)
    assert len(folded) == len(text)
    for before, after in zip(text, folded):
        assert before == after or re.fullmatch(r"[\x20-\x7e]", after)
