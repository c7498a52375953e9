"""`import` and `bind` agree on what is a figure: the same paragraph imported, and typed
literally into a report then bound, gives the same figures (word numbers, "respectively"
lists, ranges, traditional Chinese)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import run_cli
from ipviewer.importing.pipeline import create_report, parse_text
from ipviewer.prose.bindings import bind_literals, bindable, find_bindings, render
from ipviewer.prose.extract import extract_figures
from ipviewer.report_text import stored_figure_values
from ipviewer.store import ReportStore

YEAR = 2031
TITLES = {"en": "# IP in Testville in the Year 2031\n\n", "zh": "# 2031年测试市知识产权发展状况\n\n"}

# (paragraph, language, the figures both must find: (value, unit, yoy))
CASES = [
    ("The office held three meetings and trained 120 examiners.", "en",
     [("120", "", None)]),
    ("Testville granted three patents and two million yuan of loans.", "en", []),
    (("Patent and trademark applications reached 12,000 and 8,500, up 5.2% and 6.1% "
     "respectively."), "en", [("12000", "", "5.2"), ("8500", "", "6.1")]),
    (("Patent and trademark applications reached 12,000 and 8,500, respectively, up 5.2% "
     "and 6.1%."), "en", [("12000", "", "5.2"), ("8500", "", "6.1")]),
    (("Invention and utility patents reached 12,000 and 8,500, up 5.2%, down 6.1% "
     "respectively."), "en", [("12000", "", "5.2"), ("8500", "", "-6.1")]),
    ("Applications grew by 5–8% to 12,000.", "en", [("12000", "", None)]),
    ("The rate was 5%-8% and 1,200 cases were heard.", "en", [("1200", "", None)]),
    ("It granted 1,200 patents (up 5%) and 300 trademarks (down 2%).", "en",
     [("1200", "", "5"), ("300", "", "-2")]),
    ("Grants totalled 12,000, an increase of 5.2% year-on-year.", "en",
     [("12000", "", "5.2")]),
    ("全市召开三次常务会议，培训审查员120人。", "zh", [("120", "", None)]),
    ("专利和商标申请量分别达到1.2万件和8500件，同比分别增长5.2%和6.1%。", "zh",
     [("12000", "", "5.2"), ("8500", "", "6.1")]),
    ("发明专利和实用新型专利授权分别为1200件、300件，分别增长5%、下降2%。", "zh",
     [("1200", "", "5"), ("300", "", "-2")]),
    ("增长率为5%至8%，受理案件3至5万件，审结1200件。", "zh", [("1200", "", None)]),
    ("受理案件3万至5万件，审结1200件。", "zh", [("1200", "", None)]),
    ("全市專利授權15.08萬件，同比增長14.28%。", "zh", [("150800", "", "14.28")]),
    ("It granted 6,822 patents (+10.3%) and 300 designs (-2.0%); 12 firms (45%) joined.",
     "en", [("6822", "", "10.3"), ("300", "", "-2.0"), ("12", "", None), ("45", "%", None)]),
    ("PCT申请6822件（+10.3%），商标300件（-2%）。", "zh",
     [("6822", "", "10.3"), ("300", "", "-2")]),
    ("Grants rose 5% to 1,200 and loans of 2,000 RMB were made, up 3 percent.", "en",
     [("1200", "", "5"), ("2000", "RMB", "3")]),
]


def _shape(value, unit, yoy) -> tuple:
    return (Decimal(value), unit, None if yoy is None else Decimal(yoy))


def _imported(tmp_path, paragraph: str, lang: str):
    parsed = parse_text(TITLES[lang] + paragraph + "\n", lang)
    store = create_report(tmp_path / "r.sqlite", parsed, YEAR)
    values = stored_figure_values(store)
    texts = [node.text(lang) for top in store.load_tree() for node in top.walk()
             if node.text(lang)]
    store.close()
    return values, texts[-1]


@pytest.mark.parametrize("paragraph, lang, expected", CASES,
                         ids=[case[0][:30] for case in CASES])
def test_import_and_bind_find_the_same_figures(tmp_path, paragraph, lang, expected):
    values, imported = _imported(tmp_path, paragraph, lang)
    wanted = sorted(_shape(*figure) for figure in expected)
    # import: one indicator per figure, and its text renders back to the paragraph
    made = sorted((v.value, v.unit, v.yoy_pct) for v in values.values())
    assert made == wanted
    assert render(imported, lang, values, YEAR) == paragraph
    # bind, on the same paragraph typed literally into that report
    bound, left = bind_literals(paragraph, lang, values, YEAR)
    keys = {b.key for b in find_bindings(bound)}
    seen = sorted([(values[(k, YEAR)].value, values[(k, YEAR)].unit,
                    values[(k, YEAR)].yoy_pct) for k in keys]
                  + [(f.value, f.unit, f.yoy_pct) for f in left if bindable(f)])
    assert seen == wanted
    # and the engine's one reading agrees with both
    read = sorted((f.value, f.unit, f.yoy_pct) for f in extract_figures(paragraph, lang)
                  if bindable(f))
    assert read == wanted


def test_bind_does_not_report_numbers_in_words_as_unmatched(tmp_path):
    source = tmp_path / "s.md"
    source.write_text(TITLES["en"] + "The office held three meetings and trained 120 "
                      "examiners.\n", encoding="utf-8")
    report = tmp_path / "r.sqlite"
    assert run_cli("import", source, "-o", report).exit_code == 0
    with ReportStore.open(report) as store:
        node = next(n for top in store.load_tree() for n in top.walk() if n.text_en)
        node.text_en = "Typed later: four meetings, 120 examiners and 77 visitors."
        store.set_node_texts("en", [node])
    result = run_cli("bind", report)
    assert result.exit_code == 0
    assert "“77”" in result.output and "four" not in result.output
