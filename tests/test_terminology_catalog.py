"""The shipped terminology glossary: translations/terminology.pot and its zh_CN catalog.

Both files are read three ways: with Babel (what ``ipviewer.i18n`` compiles), with polib
(what the glossary editor uses) and with a small scanner of the raw text, because Babel
silently keeps only the first of two entries with the same (msgctxt, msgid).
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import polib
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
POT = ROOT / "translations" / "terminology.pot"
PO = ROOT / "translations" / "zh_CN" / "LC_MESSAGES" / "terminology.po"

#: The fields a term may belong to (its msgctxt).
FIELDS = (
    "patent", "trademark", "copyright", "geographical-indication", "plant-variety",
    "trade-secret", "enforcement", "judicial", "customs", "finance", "services",
    "institution", "programme", "document", "international", "general", "indicator",
)
MIN_APPROVED = 250
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
QUOTES = "\"'“”‘’「」"

#: English terms of the seed that the glossary must cover (case-insensitive substrings).
SEED_TERMS = (
    "invention patent", "PCT", "valid registered trademarks", "pledge financing",
    "administrative adjudication", "Shanghai Intellectual Property Administration", "Blue Sky",
    "geographical indication", "trade secret", "punitive damages", "pre-examination",
    "securitization",
)

#: Approved translations fixed by the design notes and the editors' brief.
KEY_TERMS = {
    ("patent", "invention patent"): "发明专利",
    ("patent", "PCT international application"): "PCT国际专利申请",
    ("finance", "pledge financing"): "质押融资",
    ("enforcement", "administrative adjudication"): "行政裁决",
    ("institution", "Shanghai Intellectual Property Administration"): "上海市知识产权局",
    ("institution", "Shanghai High People's Court"): "上海市高级人民法院",
    ("institution", "Shanghai Municipal People's Procuratorate"): "上海市人民检察院",
    ("institution", "municipal procuratorate"): "上海市人民检察院",
    ("institution", "Shanghai Procuratorate"): "上海市人民检察院",
    ("indicator", "patents granted"): "专利授权量",
    ("indicator", "PCT international patent filings"): "PCT国际专利申请量",
    ("indicator", "valid invention patents"): "有效发明专利",
    ("indicator", "high-value invention patents per 10,000 people"): "每万人口高价值发明专利拥有量",
    ("indicator", "trademark registrations"): "商标注册量",
    ("indicator", "valid registered trademarks"): "有效注册商标量",
    ("indicator", "copyright registrations"): "作品登记量",
    ("indicator", "patent and trademark pledge financing transactions"): "专利商标质押融资登记笔数",
    ("indicator", "pledge financing amount"): "质押融资金额",
    ("indicator", "IP cases accepted by courts"): "知识产权案件受理数",
    ("indicator", "cases concluded"): "审结",
    ("indicator", "patent agencies"): "专利代理机构",
    ("indicator", "patent agents"): "专利代理师",
    ("indicator", "trademark agencies"): "商标代理机构",
    ("indicator", "fines and confiscations"): "罚没款",
}

# -- a scanner of the raw text ------------------------------------------------------------

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def _new_entry() -> dict:
    return {"line": None, "msgctxt": None, "msgid": None, "msgstr": None,
            "flags": [], "tcomments": [], "comments": []}


def scan(path: Path) -> list[dict]:
    """Every non-obsolete entry of a .po/.pot file as written, duplicates included."""
    entries: list[dict] = []
    entry = _new_entry()
    key = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        keyword = _KEYWORD.match(line)
        starts_entry = line.startswith("#") or (
            keyword and keyword.group(1) in ("msgctxt", "msgid"))
        if starts_entry and entry["msgstr"] is not None:
            entries.append(entry)
            entry, key = _new_entry(), None
        if line.startswith("#,"):
            entry["flags"] += [f.strip() for f in line[2:].split(",") if f.strip()]
        elif line.startswith("#."):
            entry["comments"].append(line[2:].strip())
        elif line.startswith(("#:", "#|")):
            pass
        elif line.startswith("#"):
            entry["tcomments"].append(line[1:].strip())
        elif keyword:
            name = keyword.group(1)
            if name.startswith("msgstr[") and name != "msgstr[0]":
                key = None  # further plural forms: the glossary has none, the first will do
                continue
            key = "msgstr" if name.startswith("msgstr") else name
            if key in ("msgctxt", "msgid") and entry["line"] is None:
                entry["line"] = number
            entry[key] = _unescape(keyword.group(2))
        elif _CONTINUATION.match(line) and key:
            entry[key] += _unescape(_CONTINUATION.match(line).group(1))
        else:
            raise AssertionError(f"{path.name}:{number}: unexpected line {raw!r}")
    if entry["msgid"] is not None:
        entries.append(entry)
    return entries


def terms(path: Path) -> list[dict]:
    """The scanned entries without the header."""
    return [e for e in scan(path) if not (e["msgid"] == "" and e["msgctxt"] is None)]


def forbidden_variants(entry: dict) -> list[str]:
    variants = []
    for comment in entry["tcomments"]:
        if comment.startswith("forbidden:"):
            variants += [v.strip() for v in re.split(r"[;；]", comment[len("forbidden:"):])
                         if v.strip()]
    return variants


@pytest.fixture(scope="module")
def po_terms() -> list[dict]:
    return terms(PO)


@pytest.fixture(scope="module")
def pot_terms() -> list[dict]:
    return terms(POT)


def approved(entries: list[dict]) -> list[dict]:
    return [e for e in entries if e["msgstr"] and "fuzzy" not in e["flags"]]


# -- parsing ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [POT, PO], ids=["pot", "po"])
def test_babel_polib_and_the_raw_text_agree(path):
    with path.open("rb") as f:
        catalog = read_po(f, locale="zh_CN" if path == PO else None, domain="terminology")
    babel_keys = {(m.context, m.id) for m in catalog if m.id}
    po = polib.pofile(str(path), encoding="utf-8")
    polib_keys = [(e.msgctxt, e.msgid) for e in po if not e.obsolete]
    raw_keys = [(e["msgctxt"], e["msgid"]) for e in terms(path)]
    assert polib_keys == raw_keys
    assert babel_keys == set(raw_keys)


def test_po_header():
    po = polib.pofile(str(PO), encoding="utf-8")
    meta = po.metadata
    assert meta["Project-Id-Version"] == "ipviewer terminology"
    assert meta["Language"] == "zh_CN"
    assert meta["MIME-Version"] == "1.0"
    assert meta["Content-Type"] == "text/plain; charset=UTF-8"
    assert meta["Content-Transfer-Encoding"] == "8bit"
    assert meta["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "YEAR" not in meta["PO-Revision-Date"]
    assert "glossary" in po.header.lower()
    with PO.open("rb") as f:
        catalog = read_po(f, locale="zh_CN")
    assert not catalog.fuzzy, "a fuzzy header makes Babel and msgfmt ignore the catalog"
    assert catalog.num_plurals == 1


def test_pot_header():
    pot = polib.pofile(str(POT), encoding="utf-8")
    meta = pot.metadata
    assert meta["Project-Id-Version"] == "ipviewer terminology"
    assert meta["MIME-Version"] == "1.0"
    assert meta["Content-Type"] == "text/plain; charset=UTF-8"
    assert meta["Content-Transfer-Encoding"] == "8bit"
    assert "glossary" in pot.header.lower()


# -- content ------------------------------------------------------------------------------


def test_enough_approved_terms(po_terms):
    po = polib.pofile(str(PO), encoding="utf-8")
    polib_approved = [e for e in po.translated_entries() if not e.obsolete]
    with PO.open("rb") as f:
        catalog = read_po(f, locale="zh_CN")
    babel_approved = [m for m in catalog if m.id and m.string and not m.fuzzy]
    assert len(polib_approved) == len(babel_approved) == len(approved(po_terms))
    assert len(approved(po_terms)) >= MIN_APPROVED


def test_fuzzy_entries_say_why(po_terms):
    for e in po_terms:
        if "fuzzy" in e["flags"]:
            assert e["msgstr"], f"line {e['line']}: a fuzzy entry without a proposal"
            assert any(c and not c.startswith("forbidden:") for c in e["tcomments"]), (
                f"line {e['line']}: {e['msgid']!r} is fuzzy without a note saying why")


@pytest.mark.parametrize("path", [POT, PO], ids=["pot", "po"])
def test_no_duplicate_context_and_msgid(path):
    seen: dict[tuple, int] = {}
    for e in terms(path):
        key = (e["msgctxt"], e["msgid"])
        assert key not in seen, f"{path.name}:{e['line']}: {key} repeats line {seen[key]}"
        seen[key] = e["line"]


@pytest.mark.parametrize("path", [POT, PO], ids=["pot", "po"])
def test_every_context_is_a_known_field(path):
    for e in terms(path):
        assert e["msgctxt"] in FIELDS, f"{path.name}:{e['line']}: msgctxt {e['msgctxt']!r}"


def test_template_matches_catalog(pot_terms, po_terms):
    assert {(e["msgctxt"], e["msgid"]) for e in pot_terms} == \
        {(e["msgctxt"], e["msgid"]) for e in po_terms}
    po_by_key = {(e["msgctxt"], e["msgid"]): e for e in po_terms}
    for e in pot_terms:
        assert e["msgstr"] == "", f"terminology.pot:{e['line']}: a template has no msgstr"
        twin = po_by_key[(e["msgctxt"], e["msgid"])]
        assert (e["tcomments"], e["comments"]) == (twin["tcomments"], twin["comments"]), (
            f"terminology.pot:{e['line']}: comments of {e['msgid']!r} differ from the .po")


def test_approved_translations_are_chinese(po_terms):
    for e in approved(po_terms):
        assert CJK.search(e["msgstr"]), f"line {e['line']}: {e['msgid']!r} → {e['msgstr']!r}"


def test_document_titles_carry_book_title_marks(po_terms):
    documents = [e for e in po_terms if e["msgctxt"] == "document" and e["msgstr"]]
    assert documents
    for e in documents:
        assert e["msgstr"].startswith("《") and e["msgstr"].endswith("》"), (
            f"line {e['line']}: {e['msgid']!r} → {e['msgstr']!r}")
        assert not e["msgid"].lower().startswith("the "), f"line {e['line']}: leading 'the'"


def test_terms_are_trimmed_and_unquoted(po_terms):
    for e in po_terms:
        for text in (e["msgid"], e["msgstr"]):
            if not text:
                continue
            assert text == text.strip() and "\n" not in text, f"line {e['line']}: {text!r}"
            assert not (text[0] in QUOTES and text[-1] in QUOTES), (
                f"line {e['line']}: surrounding quotes in {text!r}")


def test_forbidden_variants_never_appear_in_approved_terms(po_terms):
    """Checks look for forbidden variants anywhere in Chinese text: none may be approved."""
    approved_chinese = [e["msgstr"] for e in approved(po_terms)]
    count = 0
    for e in po_terms:
        for variant in forbidden_variants(e):
            count += 1
            assert CJK.search(variant), f"line {e['line']}: forbidden {variant!r} is not Chinese"
            assert variant != e["msgstr"], f"line {e['line']}: {variant!r} is the translation"
            clash = [c for c in approved_chinese if variant in c]
            assert not clash, f"line {e['line']}: forbidden {variant!r} occurs in {clash}"
    assert count, "the glossary lists no forbidden variants at all"


def test_extracted_comments_name_sources(po_terms):
    for e in po_terms:
        for comment in e["comments"]:
            assert comment.startswith("source: ") and comment[len("source: "):].strip(), (
                f"line {e['line']}: extracted comment {comment!r}")


def test_key_terms_have_their_approved_translation(po_terms):
    by_key = {(e["msgctxt"], e["msgid"]): e for e in po_terms}
    for key, chinese in KEY_TERMS.items():
        assert key in by_key, f"missing {key}"
        entry = by_key[key]
        assert "fuzzy" not in entry["flags"], f"{key} is not approved"
        assert entry["msgstr"] == chinese, f"{key} → {entry['msgstr']!r}, expected {chinese!r}"


def test_catalog_compiles_and_leaves_fuzzy_entries_out(po_terms):
    with PO.open("rb") as f:
        catalog = read_po(f, locale="zh_CN", domain="terminology")
    mo = io.BytesIO()
    write_mo(mo, catalog, use_fuzzy=False)
    mo.seek(0)
    translations = gettext.GNUTranslations(mo)
    assert translations.pgettext("patent", "invention patent") == "发明专利"
    assert translations.pgettext("finance", "pledge financing") == "质押融资"
    fuzzy = [e for e in po_terms if "fuzzy" in e["flags"]]
    for e in fuzzy:
        assert translations.pgettext(e["msgctxt"], e["msgid"]) == e["msgid"]


def test_no_compiled_catalogs_in_the_project():
    assert not list((ROOT / "translations").rglob("*.mo")), ".mo files are never committed"


# -- coverage of the seed -----------------------------------------------------------------


def test_glossary_covers_the_seed(seed_text, po_terms):
    """The key English terms of the 2024 white paper occur in the seed and in the glossary."""
    seed = " ".join(seed_text.replace("*", " ").split()).casefold()
    msgids = [e["msgid"] for e in po_terms]
    found = sorted({m for m in msgids if m.casefold() in seed}, key=str.casefold)
    print(f"{len(found)} glossary terms occur in the seed:")
    for msgid in found:
        print("  " + msgid)
    for term in SEED_TERMS:
        assert term.casefold() in seed, f"{term!r} is not in the seed text"
        assert any(term.casefold() in m.casefold() for m in msgids), (
            f"{term!r} is not in the glossary")
    assert len(found) >= 150


def test_the_app_loads_the_glossary():
    """``ipviewer.i18n`` finds the catalog in the installed package and skips fuzzy terms."""
    from ipviewer.i18n import load_translations

    glossary = load_translations("zh_CN", "terminology")
    assert glossary.pgettext("institution", "Shanghai Intellectual Property Administration") \
        == "上海市知识产权局"
    assert glossary.pgettext("indicator", "patents granted") == "专利授权量"


def test_glossary_service_finds_the_terms_of_the_seed(seed_text):
    """The glossary service itself, run over the seed: whole words, longest match first."""
    from ipviewer.i18n import catalog_path
    from ipviewer.terms import Glossary

    glossary = Glossary.load(catalog_path("zh_CN", "terminology"))
    text = " ".join(seed_text.replace("*", " ").split())
    matches = glossary.find_terms(text, "en")
    found = sorted({t.english for m in matches for t in m.terms}, key=str.casefold)
    print(f"{len(found)} glossary terms found in the seed by find_terms:")
    for english in found:
        print("  " + english)
    # Each is found, on its own or inside a longer term (longest match first).
    wanted = {"invention patent", "PCT international patent filings",
              "valid registered trademarks", "pledge financing", "administrative adjudication",
              "Shanghai Intellectual Property Administration", "punitive damages",
              "geographical indication", "trade secret"}
    covered = " | ".join(m.text.casefold() for m in matches)
    missing = [w for w in wanted if w.casefold() not in covered]
    assert not missing, missing
    assert glossary.translate("invention patent") == "发明专利"
    assert len(found) >= 150
