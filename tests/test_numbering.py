"""Part and section numbers follow the order of the report (issue 13, item 4): derived from
position wherever they are shown, never from the stored ``number``; cross-references to a
part or section print its current number."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import outline_titles, run_cli
from ipviewer.model import Node, display_title, number_tree, numbered, numeral
from ipviewer.prose.bindings import BindingError, find_bindings, render, render_spans
from ipviewer.prose.cross_refs import (
    MISSING,
    NodeNumbers,
    cross_ref,
    find_cross_refs,
    is_cross_ref,
)
from ipviewer.prose.extract import extract_figures
from ipviewer.store import ReportStore

# -------------------------------------------------------------------- the rule (model.py)


def test_numerals_in_both_languages() -> None:
    assert [numeral(n, "part", "en") for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV",
                                                                    "XL"]
    assert [numeral(n, "part", "zh") for n in (1, 10, 11, 20, 23, 99)] == [
        "一", "十", "十一", "二十", "二十三", "九十九"]
    assert numeral(100, "part", "zh") == "100" and numeral(4000, "part", "en") == "4000"
    assert numeral(3, "section", "en") == "3" and numeral(3, "section", "zh") == "三"


def test_numbered_titles_keep_todays_look() -> None:
    assert numbered("Protection", 3, "part", "en") == "III. Protection"
    assert numbered("加强保护", 3, "part", "zh") == "三、加强保护"
    assert numbered("专利", 2, "section", "zh") == "（二）专利"
    assert numbered("Patents", 2, "section", "en") == "2. Patents"
    assert numbered("Patents", 0, "section", "en") == "Patents"
    assert numbered("综述", 1, "overview", "zh") == "综述"


def _part(title: str, number: str = "I", children: list[Node] | None = None) -> Node:
    return Node("part", title_en=title, title_zh=title, number=number,
                children=children or [])


def test_position_gives_the_number_and_the_stored_one_is_never_shown() -> None:
    # numbers a hand-edited or older file holds: stale, repeated, nonsense
    roots = [Node("overview"), _part("A", "III"), _part("B", "III"), _part("C", "甲"),
             _part("D", "")]
    number_tree(roots)
    assert [display_title(n, "en") for n in roots] == [
        "Overview", "I. A", "II. B", "III. C", "IV. D"]
    assert [display_title(n, "zh") for n in roots[1:]] == ["一、A", "二、B", "三、C", "四、D"]


def test_sections_count_among_their_own_siblings_only() -> None:
    sections = [Node("section", title_zh=t, number="一") for t in ("甲", "乙")]
    paragraph = Node("paragraph", text_zh="一段。")
    roots = [_part("A", children=[sections[0], paragraph, sections[1]]),
             _part("B", children=[Node("section", title_zh="丙")])]
    number_tree(roots)
    assert [display_title(s, "zh") for s in sections] == ["（一）甲", "（二）乙"]
    assert display_title(roots[1].children[0], "zh") == "（一）丙"
    assert paragraph.ordinal == 0


def test_a_report_without_numbers_stays_without() -> None:
    """Parts from unnumbered headings ("## Patents") and bold lead-in sections (the sample's)
    are shown as the source had them: without numbers, however they move."""
    roots = [_part("Patents", ""), _part("Trademarks", "", [Node("section", title_en="Lead.")])]
    number_tree(roots)
    assert [display_title(n, "en") for n in roots] == ["Patents", "Trademarks"]
    assert display_title(roots[1].children[0], "en") == "Lead."


def test_number_tree_says_which_numbers_changed() -> None:
    roots = [_part("A"), _part("B"), _part("C")]
    assert number_tree(roots) == roots  # all new
    assert number_tree(roots) == []
    roots.insert(0, roots.pop(2))
    assert [n.title_en for n in number_tree(roots)] == ["C", "A", "B"]
    roots.pop(0)
    assert [n.title_en for n in number_tree(roots)] == ["A", "B"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["overview", "part", "section-in-part"]), max_size=12),
       st.randoms(use_true_random=False))
def test_any_order_numbers_one_to_n(kinds, rng) -> None:
    roots: list[Node] = []
    for kind in kinds:
        if kind == "section-in-part" and roots and roots[-1].kind == "part":
            roots[-1].children.append(Node("section", title_zh="节", number="一"))
        elif kind != "section-in-part":
            roots.append(Node(kind, title_zh="部", number="一" if kind == "part" else ""))
    rng.shuffle(roots)
    number_tree(roots)
    parts = [n for n in roots if n.kind == "part"]
    assert [p.ordinal for p in parts] == list(range(1, len(parts) + 1))
    for part in parts:
        assert [s.ordinal for s in part.children] == list(range(1, len(part.children) + 1))
    assert all(n.ordinal == 0 for n in roots if n.kind == "overview")


# -------------------------------------------------------------- cross-references (prose/)


def _numbers() -> tuple[NodeNumbers, list[Node]]:
    roots = [Node("overview", id=1), _part("Patents"), _part("Protection")]
    roots[1].id, roots[2].id = 5, 9
    roots[2].children.append(Node("section", title_en="Courts", title_zh="法院", id=12,
                                  number="（一）"))
    return NodeNumbers.from_tree(roots), roots


def test_a_cross_reference_is_never_a_figure_reference() -> None:
    assert cross_ref(9) == "{{§9}}" and cross_ref(9, "title") == "{{§9:title}}"
    assert is_cross_ref("§9") and is_cross_ref("§9:title") and not is_cross_ref("key")
    text = "See Part {{§9}} and {{patents_granted}}."
    assert [b.key for b in find_bindings(text)] == ["patents_granted"]
    assert [(r.node_id, r.form) for r in find_cross_refs(text)] == [(9, "number")]
    assert extract_figures("见第{{§12}}部分，共{{§345}}项。", "zh") == []
    for bad in ("{{§}}", "{{§x}}", "{{§9:yoy}}", "{{§ 9}}", "{{§-1}}", "{{§9:Title}}",
                "{{§" + "9" * 19 + "}}"):
        with pytest.raises(BindingError):
            find_bindings(f"see {bad}")
    with pytest.raises(ValueError):
        cross_ref(9, "yoy")


def test_references_print_the_current_number_in_the_texts_language() -> None:
    refs, roots = _numbers()
    text = "见第{{§9}}部分第{{§12}}项（{{§9:title}}）；{{§1}}。"
    assert render(text, "zh", {}, 2024, refs=refs) == "见第二部分第一项（二、Protection）；综述。"
    english = render("See Part {{§9}}, section {{§12}}: {{§12:title}}.", "en", {}, 2024,
                     refs=refs)
    assert english == "See Part II, section 1: 1. Courts."
    roots.insert(1, roots.pop(2))  # "Protection" moves up
    number_tree(roots)
    assert render(text, "zh", {}, 2024, refs=refs).startswith("见第一部分第一项（一、")
    assert render("{{§9}}", "zh", {}, 2024) == "{{§9}}"  # without the numbers: as written


def test_a_reference_to_a_deleted_node_prints_a_mark_not_a_crash() -> None:
    refs, _roots = _numbers()
    values = {}
    text, spans = render_spans("Part {{§404}} and {{§" + "9" * 18 + ":title}}", "en",
                               values, 2024, refs=refs)
    assert text == f"Part {MISSING} and {MISSING}" and spans == []


def test_a_title_that_refers_to_itself_cannot_loop() -> None:
    refs, roots = _numbers()
    roots[2].title_en = "Protection (see {{§9:title}}, {{§5}} and {{§1}})"
    assert render("{{§9:title}}", "en", {}, 2024, refs=refs) == (
        f"II. Protection (see II, I and {MISSING})")


def test_references_and_figures_keep_their_spans() -> None:
    from decimal import Decimal

    from ipviewer.model import Indicator

    refs, _roots = _numbers()
    values = {("cases", 2024): Indicator("cases", 2024, Decimal(1200))}
    text, spans = render_spans("Part {{§9}}: {{cases}} cases, see {{§12:title}}.", "en",
                               values, 2024, refs=refs)
    assert text == "Part II: 1,200 cases, see 1. Courts."
    (start, end, binding), = spans
    assert text[start:end] == "1,200" and binding.key == "cases"


def test_many_references_render_in_linear_time() -> None:
    refs, _roots = _numbers()
    text = "{{§9}}，" * 20_000
    assert render(text, "zh", {}, 2024, refs=refs) == "二，" * 20_000


# ------------------------------------------------------------ a report: store, CLI, PDF

PROTECTION_EN, PROTECTION_ZH = "Strengthening IP Protection", "加强知识产权保护"
RELEASE_EN, RELEASE_ZH = "Accelerate the Release of IP Utilization Benefits", "加快释放知识产权运用效益"


def _parts(path: Path) -> dict[str, int]:
    """The sample's part ids by English title."""
    with sqlite3.connect(path) as db:
        return {title: id_ for id_, title in db.execute(
            "SELECT id, title_en FROM nodes WHERE kind = 'part'")}


def _move_three_above_two(path: Path) -> None:
    """Part III above part II, straight in the database (as another program would)."""
    parts = _parts(path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE nodes SET position = 2 WHERE id = ?", [parts[PROTECTION_EN]])
        db.execute("UPDATE nodes SET position = 3 WHERE id = ?", [parts[RELEASE_EN]])


def _refer_to_protection(path: Path) -> int:
    """The overview's first paragraph refers to the part on protection; its id."""
    part = _parts(path)[PROTECTION_EN]
    with sqlite3.connect(path) as db:
        db.execute("UPDATE nodes SET text_zh = text_zh || ?, text_en = text_en || ? "
                   "WHERE id = (SELECT id FROM nodes WHERE kind = 'paragraph' ORDER BY id "
                   "LIMIT 1)", [f"详见第{cross_ref(part)}部分。", f" See Part {cross_ref(part)}."])
    return part


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def _export(report: Path, out: Path, lang: str) -> str:
    """A draft: the sample keeps the published report's own error, which stops a final."""
    result = run_cli("export", report, "-o", out, "--lang", lang, "--draft")
    assert result.exit_code == 0, result.output
    return _pdf_text(out)


def test_moving_part_three_above_two_in_the_database_renumbers_the_pdf(sample_copy, tmp_path):
    _refer_to_protection(sample_copy)
    _move_three_above_two(sample_copy)
    chinese = _export(sample_copy, tmp_path / "zh.pdf", "zh")
    pages = chinese.split("\f")
    at = next(n for n, page in enumerate(pages) if "目录" in page)  # after cover and imprint
    contents = re.findall(r"^\s*([一二三四五六七八九十]+)、(\S+) \.", pages[at], re.MULTILINE)
    assert contents == [("一", "强化知识产权制度保障"), ("二", PROTECTION_ZH), ("三", RELEASE_ZH),
                        ("四", "优化知识产权服务"), ("五", "夯实知识产权发展基础")]
    body = "\f".join(pages[at + 1:])
    heads = re.findall(r"^\s*([一二三四五六七八九十]+)、(\S+)\s*$", body, re.MULTILINE)
    assert heads == contents
    assert "详见第二部分。" in re.sub(r"\s", "", body)
    outline = outline_titles(tmp_path / "zh.pdf")
    parts = [t for t in outline if re.match(r"[一二三四五]、", t)]
    assert parts[1:3] == [f"二、{PROTECTION_ZH}", f"三、{RELEASE_ZH}"]

    english = _export(sample_copy, tmp_path / "en.pdf", "en")
    heads = re.findall(r"^\s*([IVX]+)\. (.+?)(?: \. \.|\s*$)", english, re.MULTILINE)
    assert [n for n, _t in heads] == ["I", "II", "III", "IV", "V"] * 2
    assert heads[1][1].startswith(PROTECTION_EN) and heads[2][1].startswith(RELEASE_EN)
    assert "See Part II." in " ".join(english.split())
    assert f"II. {PROTECTION_EN}" in outline_titles(tmp_path / "en.pdf")


def test_tree_and_render_follow_the_order(sample_copy):
    part = _refer_to_protection(sample_copy)
    _move_three_above_two(sample_copy)
    tree = run_cli("tree", sample_copy).output
    assert f"II. {PROTECTION_EN} | 二、{PROTECTION_ZH}" in tree
    assert f"III. {RELEASE_EN} | 三、{RELEASE_ZH}" in tree
    markdown = run_cli("render", sample_copy, "--lang", "zh").output
    assert f"## 二、{PROTECTION_ZH}" in markdown and "详见第二部分。" in markdown
    assert "{{§" not in markdown
    with ReportStore.open(sample_copy) as store:  # the stored numbers are left as they were
        assert store.node_row(part)["number"] == "III"


def test_adding_and_deleting_a_part_renumbers(sample_copy):
    part = _refer_to_protection(sample_copy)
    with ReportStore.open(sample_copy) as store:
        new = store.insert_node(None, 1, {"kind": "part", "title_en": "New", "title_zh": "新"})
    tree = run_cli("tree", sample_copy, "--lang", "zh").output
    assert re.findall(r"^  ([一二三四五六])、", tree, re.MULTILINE) == list("一二三四五六")
    assert "  一、新" in tree and f"  四、{PROTECTION_ZH}" in tree
    assert "详见第四部分。" in run_cli("render", sample_copy, "--lang", "zh").output
    with ReportStore.open(sample_copy) as store:
        store.delete_node(new)
        store.delete_node(next(i for t, i in _parts(sample_copy).items()
                               if t.startswith("Strengthen IP")))
    tree = run_cli("tree", sample_copy, "--lang", "en").output
    assert re.findall(r"^  ([IVX]+)\. ", tree, re.MULTILINE) == ["I", "II", "III", "IV"]
    assert f"  II. {PROTECTION_EN}" in tree
    assert "See Part II." in run_cli("render", sample_copy, "--lang", "en").output
    assert part in _parts(sample_copy).values()


def test_check_reports_a_reference_to_a_deleted_part(sample_copy, tmp_path):
    part = _refer_to_protection(sample_copy)
    with ReportStore.open(sample_copy) as store:
        store.delete_node(part)
    result = run_cli("check", sample_copy, "--format", "json")
    assert result.exit_code == 1
    findings = [f for f in json.loads(result.output)
                if f["code"] == "cross-reference"]
    assert [(f["severity"], f["where"].endswith(f"({lang})")) for f, lang in
            zip(findings, ("en", "zh"))] == [("error", True), ("error", True)]
    assert cross_ref(part) in findings[0]["message"]
    rendered = run_cli("render", sample_copy, "--lang", "en")
    assert rendered.exit_code == 0 and f"See Part {MISSING}." in rendered.output
    # a draft can still be printed: the mark shows where the reference was
    text = _export(sample_copy, tmp_path / "draft.pdf", "en")
    assert f"See Part {MISSING}." in " ".join(text.split())


def test_check_warns_of_a_reference_to_a_node_without_a_number(sample_copy):
    with sqlite3.connect(sample_copy) as db:
        overview = db.execute("SELECT id FROM nodes WHERE kind = 'overview'").fetchone()[0]
        db.execute("UPDATE nodes SET text_en = text_en || ? WHERE id = (SELECT id FROM nodes "
                   "WHERE kind = 'paragraph' ORDER BY id DESC LIMIT 1)",
                   [f" As the {cross_ref(overview)} said."])
    result = run_cli("check", sample_copy, "--format", "json")
    findings = [f for f in json.loads(result.output)
                if f["code"] == "cross-reference"]
    assert [f["severity"] for f in findings] == ["warning"]
    assert "As the Overview said." in run_cli("render", sample_copy, "--lang", "en").output


def test_old_stored_numbers_never_show(sample_copy):
    with sqlite3.connect(sample_copy) as db:
        db.execute("UPDATE nodes SET number = 'XIV' WHERE kind = 'part'")
        db.execute("UPDATE nodes SET number = '甲' WHERE kind = 'section'")
    tree = run_cli("tree", sample_copy, "--lang", "zh").output
    assert "XIV" not in tree and "甲" not in tree
    assert re.findall(r"^  ([一二三四五])、", tree, re.MULTILINE) == list("一二三四五")
    # marked sections (a source that numbered them) count from one in each part
    assert re.findall(r"^    （([一二三四五])）", tree, re.MULTILINE)[:5] == list("一二三四一")


def test_an_unnumbered_source_is_shown_without_numbers(tmp_path):
    source = tmp_path / "plain.md"
    source.write_text("# Report 2024\n\n## Patents\n\nPatents rose.\n\n## Trademarks\n\n"
                      "Trademarks rose.\n", encoding="utf-8")
    report = tmp_path / "plain.sqlite"
    assert run_cli("import", source, "-o", report, "--lang", "en").exit_code == 0
    with ReportStore.open(report) as store:
        store.insert_node(None, 0, {"kind": "part", "title_en": "Added"})
    tree = run_cli("tree", report, "--lang", "en").output
    assert re.findall(r"^  (\S+)", tree, re.MULTILINE) == ["Added", "Patents", "Trademarks"]


# ----------------------------------------------------------------------------- the window


def _top_titles(model, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_moving_a_part_in_the_window_renumbers_and_undo_restores(open_editor, sample_copy,
                                                                tmp_path):
    part = _refer_to_protection(sample_copy)
    window = open_editor()
    model = window.tree_model
    before = (_top_titles(model, 0), _top_titles(model, 1))
    assert before[1][2:4] == [f"二、{RELEASE_ZH}", f"三、{PROTECTION_ZH}"]
    window.select_node(part)
    window.move_current(-1)  # the tree's Move Up action
    assert _top_titles(model, 1)[2:4] == [f"二、{PROTECTION_ZH}", f"三、{RELEASE_ZH}"]
    assert _top_titles(model, 0)[2:4] == [f"II. {PROTECTION_EN}", f"III. {RELEASE_EN}"]
    window.text_tabs.setCurrentIndex(1)  # the reading view: the reference follows
    window.select_node(model.roots()[0].id)
    assert "See Part II." in window.text_view.toPlainText()
    assert "详见第二部分。" in window.text_view.toPlainText()
    first = model.index(0, 1, model.index(0, 0))
    assert "详见第二部分" in model.data(first, 3)  # the tooltip, written out in full

    window.undo_stack.undo()
    assert (_top_titles(model, 0), _top_titles(model, 1)) == before
    window.undo_stack.redo()
    window.select_node(part)
    window.add_node("part")  # after the current one, untitled: counted, shown when named
    assert [t.split("、")[0] for t in _top_titles(model, 1)[1:] if "、" in t] == list(
        "一二四五六")
    window.undo_stack.undo()
    assert [t.split("、")[0] for t in _top_titles(model, 1)[1:]] == list("一二三四五")


def test_the_window_exports_the_moved_order(open_editor, sample_copy, tmp_path):
    window = open_editor()
    window.select_node(_parts(sample_copy)[PROTECTION_EN])
    window.move_current(-1)
    from ipviewer.pdf.content import Heading, build_content

    content = build_content(window.document.store, "zh")
    heads = [b.texts["zh"] for b in content.blocks if isinstance(b, Heading) and b.level == 0]
    assert heads[1:4] == ["一、强化知识产权制度保障", f"二、{PROTECTION_ZH}", f"三、{RELEASE_ZH}"]


def test_copy_reference_and_paste_it_into_a_text(open_editor, sample_copy):
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QGuiApplication

    window = open_editor()
    part = _parts(sample_copy)[PROTECTION_EN]
    window.select_node(window.tree_model.roots()[0].id)
    window.registry["copy_reference"].trigger()  # the overview has no number to refer to
    assert "Select a part or section" in window.statusBar().currentMessage()
    window.select_node(part)
    window.registry["copy_reference"].trigger()
    assert QGuiApplication.clipboard().text() == cross_ref(part)
    assert cross_ref(part) in window.tree_model.data(window.tree_model.find(part), 3)

    window.select_node(window.tree_model.roots()[0].children[0].id)  # a paragraph
    for lang, shown in (("en", "III"), ("zh", "三")):
        edit = window.editor.texts[lang]
        edit.moveCursor(edit.textCursor().MoveOperation.End)
        mime = QMimeData()
        mime.setText(f" {QGuiApplication.clipboard().text()}")
        edit.insertFromMimeData(mime)
        chips = [c for c in edit.chips() if c.kind == "reference"]
        assert [(c.source, c.text) for c in chips] == [(cross_ref(part), shown)]
    assert cross_ref(part) in window.tree_model.roots()[0].children[0].text_zh  # stored
    window.select_node(part)
    window.move_current(-1)
    window.select_node(window.tree_model.roots()[0].children[0].id)
    assert [c.text for c in window.editor.texts["zh"].chips() if c.kind == "reference"] == ["二"]
    window.select_node(part)
    window.delete_current()
    window.select_node(window.tree_model.roots()[0].children[0].id)
    chip = window.editor.texts["en"].chips()[-1]
    assert chip.kind == "broken" and "no longer in the report" in chip.error
    window.undo_stack.undo()  # the part comes back with its id: the reference works again
    window.select_node(window.tree_model.roots()[0].children[0].id)
    assert [c.text for c in window.editor.texts["zh"].chips() if c.kind == "reference"] == ["二"]
