"""Checks before publishing: the sample's swapped pledge-financing rates are found, and
each other kind of finding appears when the report has that fault."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ipviewer.checks import run_checks
from ipviewer.cli import cli
from ipviewer.store import ReportStore


@pytest.fixture
def sample(sample_copy):
    """The bilingual sample, a fresh copy (conftest builds it once per session)."""
    return sample_copy


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_sample_flags_only_the_swapped_pledge_rates(sample):
    with ReportStore.open(sample, readonly=True) as store:
        findings = run_checks(store)
    assert [(f.code, f.key) for f in findings] == [
        ("yoy-swapped", "pledge_financing_amount")]
    message = findings[0].message
    assert "62.3" in message and "40.6" in message and "swapped" in message
    assert findings[0].node_id is not None


def test_rounded_figures_are_not_flagged(sample):
    """278,700 against 241,400 gives 15.45%, the paper says 15.44%: both are within the
    rounding of the printed figures, so no finding."""
    with ReportStore.open(sample, readonly=True) as store:
        assert not [f for f in run_checks(store) if f.key == "valid_invention_patents"]


def test_check_command_exit_codes_and_json(sample):
    result = run("check", str(sample))
    assert result.exit_code == 1
    assert "1 error, 0 warnings" in result.output
    data = json.loads(run("check", str(sample), "--format", "json").output)
    assert data[0]["code"] == "yoy-swapped"
    with ReportStore.open(sample) as store:
        store.upsert_indicators([{"key": "pledge_financing_amount", "year": 2024,
                                  "yoy_pct": "40.6"},
                                 {"key": "pledge_financing_transactions", "year": 2024,
                                  "yoy_pct": "62.3"}])
    fixed = run("check", str(sample))
    assert fixed.exit_code == 0, fixed.output


def test_parity_untranslated_and_broken_references(sample):
    with ReportStore.open(sample) as store:
        overview = store.load_tree()[0]
        first, second, third = overview.children
        first.text_en += " The city also counted 4,321 new firms."
        second.text_zh += "另有{{no_such_indicator}}件。"
        third.text_zh = ""
        store.set_node_texts("en", [first])
        store.set_node_texts("zh", [second, third])
        findings = run_checks(store)
    codes = {(f.code, f.node_id) for f in findings}
    assert ("parity", first.id) in codes
    parity = next(f for f in findings if f.code == "parity")
    assert "4321" in parity.message and "(en)" in parity.where
    assert ("reference", second.id) in codes
    assert ("untranslated", third.id) in codes
    untranslated = next(f for f in findings if f.code == "untranslated")
    assert untranslated.severity == "warning" and "(zh)" in untranslated.where
