"""Indicator names in either language, taken from the glossary where it has approved terms."""

from __future__ import annotations

from .glossary import Glossary
from .term import Term

INDICATOR_FIELD = "indicator"


def indicator_name(glossary: Glossary | None, label_en: str, label_zh: str,
                   lang: str) -> tuple[str, bool]:
    """The name of an indicator in ``lang`` ('en' or 'zh') and whether it is approved.

    Chinese comes from the glossary's approved translation of the English label (the
    ``indicator`` field first); English, for a label found only in Chinese, from the
    approved term with that Chinese. Otherwise the label as extracted is returned,
    unapproved, so the caller can mark it.
    """
    if glossary is not None:
        if lang == "zh" and label_en:
            chinese = (glossary.translate(label_en, INDICATOR_FIELD)
                       or glossary.translate(label_en))
            if chinese:
                return chinese, True
        if lang == "en" and not label_en and label_zh:
            approved = [t for t in glossary.lookup(label_zh, "zh") if t.approved]
            if approved:
                return approved[0].english, True
    if lang == "en":
        return label_en, bool(label_en)
    return label_zh, False


#: How much of a Chinese label the glossary's terms must cover to name it in English.
MIN_COVERED = 0.5


def english_label(glossary: Glossary, label_zh: str) -> str:
    """The English name of an indicator found only in Chinese, from the glossary's
    approved terms ("" when it has none to give).

    The term that is the whole label first (in the ``indicator`` field first); else the
    approved terms found in the label, in order, when they cover at least half of it
    (新增市级专利示范企业 -> "municipal level patent demonstration enterprise"; a long
    clause in which only 专利 is a term gets no name rather than a wrong one).
    """
    label_zh = label_zh.strip()
    if not label_zh:
        return ""
    whole = _best([t for t in glossary.lookup(label_zh, "zh") if t.approved])
    if whole is not None:
        return whole.english
    words: list[str] = []
    covered = 0
    for match in glossary.find_terms(label_zh, "zh"):
        term = _best([t for t in match.terms if t.approved])
        if term is None:
            continue
        covered += match.end - match.start
        if term.english not in words:
            words.append(term.english)
    if words and covered >= MIN_COVERED * len(label_zh):
        return " ".join(words)
    return ""


def _best(terms: list[Term]) -> Term | None:
    """The term to name an indicator by: the ``indicator`` field's first, else the first."""
    return next((t for t in terms if t.field == INDICATOR_FIELD), terms[0] if terms else None)
