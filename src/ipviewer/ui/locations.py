"""Where a finding is, in the UI language: "一、强化… › 第2段（英文）" in Chinese,
"I. Strengthen… › ¶2 (English)" in English.

The checks name a place in English words (``Finding.where``, which scripts read in the
JSON); the window shows the same place again from its tree, with the titles in the report
language that matches the UI language and the words around them translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import i18n
from ..checks.finding import SEVERITIES, Finding
from ..i18n import N_, _
from ..model import Node, display_title

#: The text a place is about, as the checks mark it at the end of ``where``.
_LANG_MARK = re.compile(r" \((en|zh|zh/en)\)$")
#: The languages a place may name.
LANGUAGE_NAMES = {"en": N_("English"), "zh": N_("Chinese"), "zh/en": N_("both languages")}
#: The longest title a place shows before it is cut short.
LONGEST = 40


def _short(name: str) -> str:
    return name if len(name) <= LONGEST else name[:LONGEST - 1] + "…"


def node_place(path: list[Node], node: Node, row: int | None) -> str:
    """``node`` below the nodes ``path``, as a place: titles in the report language of
    the UI (the other language's where one is missing), a paragraph by its number."""
    lang = i18n.report_language()
    other = "zh" if lang == "en" else "en"

    def name(n: Node) -> str:
        return display_title(n, lang) or display_title(n, other)

    names = [name(p) for p in path]
    if node.kind == "paragraph":
        # L10N: a paragraph in a place ("Part I › ¶2"), by its number in its section
        names.append(_("¶{number}").format(number=row + 1) if row is not None else "¶")
    else:
        names.append(name(node))
    return " › ".join(_short(n) for n in names if n)


def path_place(path: list[Node], node: Node) -> str:
    """:func:`node_place`, the paragraph's number found among the children of ``path[-1]``
    (or of nothing: a top-level node)."""
    siblings = path[-1].children if path else []
    row = next((i for i, sibling in enumerate(siblings) if sibling is node), None)
    return node_place(path, node, row)


def finding_language(finding: Finding) -> str:
    """The text a finding is about (``en``, ``zh``, ``zh/en``), or "" when it names none."""
    match = _LANG_MARK.search(finding.where)
    return match.group(1) if match else ""


def finding_place(finding: Finding, place_of: Callable[[int], str] | None = None) -> str:
    """The finding's place in the UI language (its node found by ``place_of``), with the
    language of the text it is about; its own ``where`` when the node is not known."""
    place = place_of(finding.node_id) if place_of and finding.node_id is not None else ""
    if not place:
        return finding.where
    lang = finding_language(finding)
    if not lang:
        return place
    # L10N: a place and the language of the text there: "Part I › ¶2 (English)"
    return _("{place} ({language})").format(place=place, language=_(LANGUAGE_NAMES[lang]))


def finding_text(finding: Finding, place_of: Callable[[int], str] | None = None) -> str:
    """One line of the Issues panel: severity, place, message."""
    severity = _(SEVERITIES[finding.severity])
    place = finding_place(finding, place_of)
    if not place:
        # L10N: a line of the Issues panel: "error: message"
        return _("{severity}: {message}").format(severity=severity, message=finding.message)
    # L10N: a line of the Issues panel: "error: place: message"
    return _("{severity}: {place}: {message}").format(severity=severity, place=place,
                                                      message=finding.message)
