"""What changed in a text (``text_diff``): words in English, characters in Chinese, numbers
whole; both sides given back exactly, whatever the text."""

from __future__ import annotations

import difflib
from decimal import Decimal, localcontext
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from ipviewer import text_diff
from ipviewer.checks.plausibility import change_factor, implausible_change
from ipviewer.compare import _indicator_rows, shown_number
from ipviewer.model import Indicator
from ipviewer.text_diff import Segment, diff_text


def changes(a: str, b: str, lang: str) -> list[tuple[str, str]]:
    return [(s.a, s.b) for s in diff_text(a, b, lang) if s.op != "equal"]


def test_english_changes_are_whole_words_and_numbers():
    a = "Shanghai granted 150,800 patents in 2024, up 14.28% year-on-year."
    b = "Shanghai granted 162,000 patents in 2025, down 2.5% year-on-year."
    assert changes(a, b, "en") == [("150,800", "162,000"), ("2024", "2025"),
                                   ("up 14.28%", "down 2.5%")]


def test_chinese_changes_are_characters_with_numbers_whole():
    a = "2024年，全市专利授权15.08万件，同比增长14.28%。"
    b = "2025年，全市专利授权16.2万件，同比下降2.5%。"
    assert changes(a, b, "zh") == [("2024", "2025"), ("15.08", "16.2"),
                                   ("增长14.28%", "下降2.5%")]


def test_added_and_removed_sentences():
    a = "One. Two. Three."
    b = "One. Three. Four."
    found = diff_text(a, b, "en")
    assert [s.op for s in found if s.op != "equal"] == ["delete", "insert"]
    assert diff_text("", "New text.", "en") == [Segment("insert", "", "New text.")]
    assert diff_text("Same.", "Same.", "en") == [Segment("equal", "Same.", "Same.")]
    assert diff_text("", "", "zh") == []


def test_a_long_changed_passage_is_replaced_whole_not_compared_forever(monkeypatch):
    calls = []
    real = difflib.SequenceMatcher

    class Counting(real):
        def __init__(self, *args, **kwargs):
            calls.append(len(args[1]) * len(args[2]))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(text_diff, "SequenceMatcher", Counting)
    a = "字" * 5000  # one "sentence" of 5,000 tokens, changed throughout
    b = "文" * 5000
    found = diff_text(a, b, "zh")
    assert found == [Segment("replace", a, b)]
    assert max(calls) <= text_diff.MAX_TOKEN_PAIRS  # never 25 million token pairs


TEXT = st.lists(st.sampled_from([*"ab 1.,%。增长下降\n\t", "15.08", "2024", ". "]),
                max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXT, TEXT, st.sampled_from(["en", "zh"]))
def test_both_sides_come_back_exactly(a, b, lang):
    found = diff_text(a, b, lang)
    assert "".join(s.a for s in found) == a
    assert "".join(s.b for s in found) == b
    for seg in found:
        assert seg.op in ("equal", "replace", "delete", "insert")
        assert (seg.a == seg.b) == (seg.op == "equal")
    assert all(x.op != "equal" or y.op != "equal" for x, y in pairwise(found))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["en", "zh"]))
def test_tokens_join_back(text, lang):
    assert "".join(text_diff.tokens(text, lang)) == text


# ------------------------------------------------ the figures of a comparison, any value

#: Stored values: up to 30 digits on each side of the point, either sign.
VALUES = st.decimals(min_value=Decimal("-1e30"), max_value=Decimal("1e30"), places=None,
                     allow_nan=False, allow_infinity=False).filter(
    lambda d: abs(d.as_tuple().exponent) <= 30)


@settings(max_examples=200, deadline=None)
@given(VALUES, VALUES, st.none() | VALUES.filter(lambda d: abs(d) < 10**6))
def test_any_two_stored_values_compare_without_error(old, new, stated):
    a = Indicator("k", 2024, old)
    b = Indicator("k", 2025, new, yoy_pct=stated)
    rows, findings = _indicator_rows([a], [b], 2024, 2025, Decimal(3))
    with localcontext() as ctx:
        ctx.prec = 100
        assert len(rows) == 1 and rows[0].change == new - old  # exact
    assert rows[0].verdict in ("match", "mismatch", "not-stated", "no-base")
    times = change_factor(new, old)
    flagged = any(f.code == "implausible-change" for f in findings)
    assert flagged == (times is not None and times > 3)
    for value in (rows[0].change, rows[0].change_pct):
        assert shown_number(value)
    assert all(f.message for f in findings)


def test_a_zero_and_a_negative_value():
    assert implausible_change(Indicator("k", 2025, Decimal(0)),
                              Indicator("k", 2024, Decimal(5))) is not None
    assert implausible_change(Indicator("k", 2025, Decimal(-50)),
                              Indicator("k", 2024, Decimal(5))) is None  # no factor
    assert implausible_change(Indicator("k", 2025, Decimal(15)),
                              Indicator("k", 2024, Decimal(5))) is None  # exactly ×3


def test_matching_nodes_without_shared_ids_is_linear():
    """Two reports that share no ids (imported separately): thousands of paragraphs in one
    section are paired in order, each once, not each against all the others."""
    from ipviewer.compare import _node_pairs
    from ipviewer.model import Node
    from test_safety_linear_time import LIMIT, growth

    def make(n: int) -> tuple[list[Node], list[Node]]:
        def tree(first_id: int) -> list[Node]:
            paragraphs = [Node("paragraph", text_en=f"p{i}", id=first_id + i) for i in range(n)]
            return [Node("section", title_en="S", id=first_id - 1, children=paragraphs)]
        return tree(10), tree(10 * n + 100)

    pairs = list(_node_pairs(*make(50)))
    assert [p.matched_by for p in pairs] == ["title"] + ["position"] * 50
    assert all(p.a.text_en == p.b.text_en for p in pairs[1:])
    assert growth(lambda trees: list(_node_pairs(*trees)), make, size=200) < LIMIT
