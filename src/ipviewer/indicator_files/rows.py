"""An indicator table's rows (each a :class:`~ipviewer.model.Indicator`) and the problems
a file can have, as reading and writing share them (no Qt). Part of
:mod:`ipviewer.indicator_files`."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..i18n import _
from ..model import FIRST_YEAR, LAST_YEAR, Indicator

#: The columns we write, in this order; reading accepts them in any order.
COLUMNS = ("key", "year", "value", "unit", "qualifier", "yoy_pct", "label_en", "label_zh",
           "source")
REQUIRED = ("key", "year", "value")
#: Other names accepted for a column when reading (``prior-years.csv`` says ``indicator``).
SYNONYMS = {"indicator": "key"}
YEAR_RANGE = (FIRST_YEAR, LAST_YEAR)

#: Larger files are refused before they are read.
MAX_BYTES = 20 * 1024 * 1024
#: An XLSX whose parts unpack to more than this is refused (a zip bomb is small on disk).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Most data rows in one file.
MAX_ROWS = 200_000
#: Problems listed in one error; the rest are counted.
MAX_PROBLEMS = 20
#: Significant digits a double holds exactly (DBL_DIG): what Excel shows and keeps.
EXCEL_DIGITS = 15
#: Longest text an Excel cell holds.
EXCEL_MAX_TEXT = 32_767

KEY_RE = re.compile(r"[a-z0-9_]+")
YEAR_RE = re.compile(r"[0-9]{1,4}")
FIXED_FORMAT_RE = re.compile(r"[#,]*0(?:\.(0+))?")
#: CSV columns that get (and lose on reading) the apostrophe guard.
GUARDED_CSV_COLUMNS = ("unit", "label_en", "label_zh", "source")
TEXT_COLUMNS = ("unit", "label_en", "label_zh", "source")
XLSX_WIDTHS = {"key": 36, "year": 8, "value": 18, "unit": 14, "qualifier": 12,
                "yoy_pct": 10, "label_en": 40, "label_zh": 30, "source": 60}
# Control characters an XLSX (XML) cell cannot hold.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class IndicatorTable(list[Indicator]):
    """The rows read from a file, plus ``warnings`` (texts naming file and place) about
    things that were read but deserve a look: ignored columns, rounded Excel numbers …

    ``columns`` names the :data:`COLUMNS` the file had (``indicator`` counts as ``key``):
    an importer updating existing rows can leave the others (labels, source …) alone.

    ``problems`` (the first :data:`MAX_PROBLEMS`) and ``problem_count`` are the bad rows'
    problems, only when the file was read for a preview (``partial=True``): the rows are
    then the good ones.
    """

    def __init__(self, rows: Iterable[Indicator] = (), warnings: list[str] | None = None,
                 columns: Iterable[str] = COLUMNS, problems: list[Problem] | None = None,
                 problem_count: int = 0):
        super().__init__(rows)
        self.warnings: list[str] = list(warnings or [])
        self.columns: tuple[str, ...] = tuple(c for c in COLUMNS if c in set(columns))
        self.problems: list[Problem] = list(problems or [])
        self.problem_count = max(problem_count, len(self.problems))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: ``line`` (CSV) or ``place`` (XLSX: sheet and cell)."""

    path: str
    message: str
    line: int | None = None
    place: str | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}: {self.message}"
        if self.place:
            return f"{self.path}: {self.place}: {self.message}"
        return f"{self.path}: {self.message}"


class IndicatorFileError(ValueError):
    """An indicator file that cannot be read or written.

    The first line of the message is a summary (the problem itself when there is only one);
    the following lines list the problems; ``problems`` holds them, ``count`` counts all of
    them (only the first :data:`MAX_PROBLEMS` are kept).
    """

    def __init__(self, problems: list[Problem], count: int | None = None,
                 summary: str | None = None) -> None:
        self.problems = problems
        self.count = max(count or 0, len(problems))
        lines = [str(p) for p in problems]
        if self.count > 1 and summary:
            lines.insert(0, summary)
        if self.count > len(problems):
            lines.append(_("(and {count} more problems)").format(count=self.count - len(problems)))
        super().__init__("\n".join(lines))

    @classmethod
    def single(cls, path: str | os.PathLike[str], message: str, line: int | None = None,
               place: str | None = None) -> IndicatorFileError:
        """An error about one file, with one message."""
        return cls([Problem(os.fspath(path), message, line, place)])


class Collector:
    """Gathers problems (keeping the first :data:`MAX_PROBLEMS`) and warnings."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.count = 0
        self.warnings: list[str] = []

    def add(self, message: str, line: int | None = None, place: str | None = None) -> None:
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.path, message, line, place))

    def warn(self, message: str, line: int | None = None, place: str | None = None) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(str(Problem(self.path, message, line, place)))

    def raise_if_any(self, summary: str) -> None:
        if self.count:
            raise IndicatorFileError(self.problems, self.count, summary)
