"""Glossary speed: lookups and finding terms in a text, against a 10 ms target.

    python benchmarks/bench_terms.py [ENTRIES]

Builds a synthetic glossary of 10,000 entries (English terms of 1–4 words, Chinese terms of
2–8 characters, 17 fields), writes it as a .po file and loads it, then times
``lookup`` (English and Chinese), ``find_terms`` in a 5,000-word English text and in a
5,000-character Chinese text (index already built; its one-off build is shown apart), and a
lossless save. Prints each figure with its ratio to the target (below 1.0 is within it).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ipviewer.terms import FIELDS, Glossary, Term

TARGET_S = 0.010
WORDS = [
    "patent", "trademark", "copyright", "design", "invention", "utility", "model", "pledge",
    "financing", "registration", "application", "examination", "protection", "enforcement",
    "customs", "border", "judicial", "administrative", "adjudication", "dispute",
    "infringement", "agency", "service", "center", "platform", "innovation", "technology",
    "industry", "cluster", "brand", "geographical", "indication", "plant", "variety", "trade",
    "secret", "licensing", "transfer", "commercialization", "navigation", "operation",
    "insurance", "evaluation", "arbitration", "mediation", "rights", "holder", "applicant",
    "inventor", "court", "procuratorate", "police", "international", "cooperation",
]
HANZI = ("专利商标版权设计发明实用新型质押融资注册申请审查保护执法海关边境司法行政裁决纠纷侵权"
         "代理服务中心平台创新技术产业集群品牌地理标志植物品种商业秘密许可转让转化导航运营保险"
         "评估仲裁调解权利人发明人法院检察院公安国际合作")


def best_of(fn: Callable[[], object], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic_terms(count: int, rng: random.Random) -> list[Term]:
    terms: list[Term] = []
    seen: set[tuple[str, str]] = set()
    while len(terms) < count:
        english = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
        field = rng.choice(FIELDS)
        if (field, english) in seen:
            english = f"{english} {len(terms)}"
        seen.add((field, english))
        chinese = "".join(rng.choice(HANZI) for _ in range(rng.randint(2, 8)))
        terms.append(Term(english, chinese, field, approved=rng.random() > 0.1))
    return terms


def english_text(terms: list[Term], words: int, rng: random.Random) -> str:
    out: list[str] = []
    while len(out) < words:
        if rng.random() < 0.3:
            out.extend(rng.choice(terms).english.split())
        else:
            out.append(rng.choice(("the", "and", "of", "in", "reached", "up", "2024", "year")))
    return " ".join(out[:words]) + "."


def chinese_text(terms: list[Term], chars: int, rng: random.Random) -> str:
    out = ""
    while len(out) < chars:
        out += rng.choice(terms).chinese if rng.random() < 0.5 else rng.choice("的了和在年，。")
    return out[:chars]


def report(name: str, seconds: float, note: str = "") -> None:
    print(f"{name:<48} {seconds * 1000:9.2f} ms  ×{seconds / TARGET_S:6.3f} of 10 ms  {note}")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(2024)
    terms = synthetic_terms(count, rng)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "terminology.po"
        build = Glossary.new()
        for term in terms:
            build.add(term)
        build.save(path)
        print(f"synthetic glossary: {count} entries, {path.stat().st_size / 1024:.0f} KB")

        load_s = best_of(lambda: Glossary.load(path), runs=3)
        glossary = Glossary.load(path)
        start = time.perf_counter()
        glossary.lookup("warm up", "en")
        index_s = time.perf_counter() - start

        sample = rng.sample(terms, 1000)
        lookup_en_s = best_of(lambda: [glossary.lookup(t.english.upper(), "en") for t in sample])
        lookup_zh_s = best_of(lambda: [glossary.lookup(t.chinese, "zh") for t in sample])
        translate_s = best_of(lambda: [glossary.translate(t.english, t.field) for t in sample])

        en = english_text(terms, 5000, rng)
        zh = chinese_text(terms, 5000, rng)
        find_en_s = best_of(lambda: glossary.find_terms(en, "en"))
        find_zh_s = best_of(lambda: glossary.find_terms(zh, "zh"))
        found_en = len(glossary.find_terms(en, "en"))
        found_zh = len(glossary.find_terms(zh, "zh"))
        detect_s = best_of(lambda: glossary.find_terms(en))

        unchanged_s = best_of(lambda: glossary.to_bytes(), runs=3)
        glossary.edit(terms[0].english, terms[0].field, chinese="改动")
        save_s = best_of(lambda: glossary.save(), runs=3)

    report("load + validate the .po (once)", load_s)
    report("build the indexes (once, on first use)", index_s)
    report("lookup en ×1000 (any case)", lookup_en_s,
           f"{lookup_en_s / 1000 * 1e6:.1f} µs each")
    report("lookup zh ×1000", lookup_zh_s, f"{lookup_zh_s / 1000 * 1e6:.1f} µs each")
    report("translate ×1000", translate_s, f"{translate_s / 1000 * 1e6:.1f} µs each")
    report("find_terms, 5,000-word English text", find_en_s, f"{found_en} matches")
    report("find_terms, 5,000-character Chinese text", find_zh_s, f"{found_zh} matches")
    report("find_terms, English, language detected", detect_s)
    report("to_bytes, unchanged (lossless)", unchanged_s)
    report("save after one edit (validate + atomic write)", save_s)


if __name__ == "__main__":
    main()
