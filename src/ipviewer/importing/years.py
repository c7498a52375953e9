"""Which year an imported text reports on, and which year each of its parts states (no Qt).

The choice, in order: the year the user gives (``--year``); the year in the title
("… in the Year 2024", "2024年…"); the latest heading that is a year ("## 2013", "2013年");
the year the text names most often ("2013年", "in 2013"; between years named equally
often, the one the paragraphs stating figures name most). When none of these decides (no
year at all, or still a tie) the year is ``None`` and the reason says what was found, so
the caller can ask for one.

Apart from the report's year, a heading that is a year starts that year: the figures of
the nodes below it (its subtree) belong to it (:attr:`YearChoice.node_years`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..i18n import _, ngettext
from ..model import Node, ParsedReport
from ..prose.bindings import bindable
from ..script import fold_width

_YEAR = r"(?:19|20)\d\d"
#: A title or heading that is only a year: "2013", "2013年", "2013年度", "Year 2013".
_YEAR_HEADING = re.compile(rf"(?:(?:the\s+)?year\s+)?(?P<y>{_YEAR})\s*(?:年度?)?[.:：。]?",
                           re.IGNORECASE)
#: A year in a title.
_TITLE_YEAR = re.compile(rf"(?<!\d)({_YEAR})(?!\d)")
#: "2013年" that is not a date (2024年4月), the end of a range (2021-2025年) nor the base
#: of a comparison (比2011年, 较2019年, 自2015年以来).
_ZH_YEAR = re.compile(rf"(?<![\d\-–—~～至到比较自从])({_YEAR})\s*年"
                      rf"(?!\s*[\d一二三四五六七八九十]{{1,2}}\s*月)")
#: "in 2013", "in the year 2013", "during 2013", "(by) the end of 2013" (not "in 2013-2015").
_EN_YEAR = re.compile(rf"\b(?:in|during|end\s+of)\s+(?:the\s+year\s+)?({_YEAR})(?![\d\-–—])",
                      re.IGNORECASE)


@dataclass(frozen=True)
class YearChoice:
    """The year of an imported report and why (``year`` None: it cannot tell).

    ``how`` is one of ``given``, ``title``, ``headings``, ``text``, ``tie``, ``none``;
    ``reason`` says it in words for the user. ``node_years`` maps ``id(node)`` of every
    node under a year heading to that year; ``found`` counts the years the text names.
    """

    year: int | None
    how: str
    reason: str
    node_years: dict[int, int] = field(default_factory=dict)
    found: tuple[tuple[int, int], ...] = ()

    def year_of(self, node: Node) -> int | None:
        """The year the figures of ``node`` belong to."""
        return self.node_years.get(id(node), self.year)


def heading_year(title: str) -> int | None:
    """The year a heading is, when it is only a year ("2013", "2013年", "Year 2013")."""
    match = _YEAR_HEADING.fullmatch(fold_width(title).strip())
    return int(match["y"]) if match else None


def heading_years(nodes: Iterable[Node], lang: str) -> dict[int, int]:
    """``id(node)`` -> year for every node at or below a heading that is a year (the
    nearest such heading wins)."""
    years: dict[int, int] = {}

    def visit(node: Node, year: int | None) -> None:
        own = heading_year(node.title(lang)) if node.kind != "paragraph" else None
        year = own or year
        if year is not None:
            years[id(node)] = year
        for child in node.children:
            visit(child, year)

    for node in nodes:
        visit(node, None)
    return years


def title_year(title: str) -> int | None:
    """The (last) year named in a report title, if any."""
    years = _TITLE_YEAR.findall(fold_width(title))
    return int(years[-1]) if years else None


def named_years(texts: Iterable[str]) -> Counter[int]:
    """How often each year is named as "2013年" or "in 2013" in ``texts``."""
    counts: Counter[int] = Counter()
    for text in texts:
        folded = fold_width(text)
        counts.update(int(y) for y in _ZH_YEAR.findall(folded))
        counts.update(int(y) for y in _EN_YEAR.findall(folded))
    return counts


def infer_year(parsed: ParsedReport, given: int | None = None) -> YearChoice:
    """The report year of ``parsed`` and the reason for it (see the module's docstring)."""
    lang = parsed.lang
    node_years = heading_years(parsed.nodes, lang)
    texts = [parsed.title] + [piece for node in parsed.walk()
                              for piece in (node.title(lang), node.text(lang))]
    counts = named_years(texts)
    found = tuple(sorted(counts.items(), key=lambda item: (-item[1], -item[0])))

    def choice(year: int | None, how: str, reason: str) -> YearChoice:
        return YearChoice(year, how, reason, node_years, found)

    if given is not None:
        return choice(given, "given", _("given with --year"))
    if (year := title_year(parsed.title)) is not None:
        return choice(year, "title", _("the title “{title}” names it").format(
            title=parsed.title))
    headed = sorted(set(node_years.values()))
    if headed:
        shown = "、".join(str(y) for y in headed) if lang == "zh" else ", ".join(map(str, headed))
        return choice(headed[-1], "headings", _(
            "the latest of the year headings ({years})").format(years=shown))
    if not found:
        return choice(None, "none", _("the title names no year, no heading is a year and the "
                                      "text names none as “2024年” or “in 2024”"))
    (top, times), rest = found[0], found[1:]
    if rest and rest[0][1] == times:  # a tie: the paragraphs that state figures decide
        tied = {y for y, n in found if n == times}
        stating = named_years(node.text(lang) for node in parsed.walk()
                              if any(bindable(f) for f in node.figures))
        best = sorted(((stating[y], y) for y in tied), reverse=True)
        if best[0][0] > best[1][0]:
            return choice(best[0][1], "text", _(
                "the title names no year; the text names {years} equally often, and "
                "{year} in the paragraphs that state figures").format(
                years=", ".join(map(str, sorted(tied))), year=best[0][1]))
        tied = sorted(str(y) for y, n in found if n == times)
        return choice(None, "tie", ngettext(
            "the title names no year and the text names {years} equally often ({times} "
            "time each)",
            "the title names no year and the text names {years} equally often ({times} "
            "times each)", times).format(years=", ".join(tied), times=times))
    total = sum(counts.values())
    return choice(top, "text", ngettext(
        "the title names no year; the text names {year} most often ({times} of {total} "
        "year named)",
        "the title names no year; the text names {year} most often ({times} of {total} "
        "years named)", total).format(year=top, times=times, total=total))
