"""Indicator names in either language, taken from the glossary where it has approved terms."""

from __future__ import annotations

from .glossary import Glossary

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
