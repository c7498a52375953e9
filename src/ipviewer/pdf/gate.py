"""The export gate: a final PDF is printed only from a report that ``check`` finds no error in.

::

    verdict = export_gate(store, glossary)
    if verdict.closed:
        print("\\n".join(verdict.lines(report_path)))   # or export with draft=True

The command line (``ipviewer export``, exit 1 unless ``--draft``) and the window (which
offers "Export as Draft" / "Cancel") both ask this one function, so the rule is the same
everywhere: errors stop a final export; warnings never do. A draft is printed anyway,
marked DRAFT / 草稿 on every page and in its metadata (:mod:`.layout`). No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from os import PathLike
from typing import Any

from ..checks import Finding, run_checks
from ..i18n import ngettext
from ..store import ReportStore

__all__ = ["SHOWN_ERRORS", "GateVerdict", "export_gate"]

#: How many errors a refused export names (the rest are counted).
SHOWN_ERRORS = 5


@dataclass(frozen=True)
class GateVerdict:
    """What the checks found, as far as an export is concerned."""

    errors: list[Finding] = field(default_factory=list)
    warnings: int = 0

    @property
    def closed(self) -> bool:
        """True when a final export must be refused (the checks found an error)."""
        return bool(self.errors)

    def first(self, count: int = SHOWN_ERRORS) -> list[str]:
        """The first ``count`` errors, each as ``check`` prints it."""
        return [str(finding) for finding in self.errors[:count]]

    def summary(self, report: str | PathLike[str]) -> str:
        """One line: the report is not exported, and how many errors stop it."""
        count = len(self.errors)
        return ngettext(
            "{path}: not exported: the checks find {count} error; a final PDF needs none",
            "{path}: not exported: the checks find {count} errors; a final PDF needs none",
            count).format(path=report, count=count)

    def advice(self, report: str | PathLike[str], shown: int = SHOWN_ERRORS) -> str:
        """What to do next: how many errors are not shown, the check command, ``--draft``."""
        more = len(self.errors) - min(shown, len(self.errors))
        if more > 0:
            # L10N: {path} is the report file; keep `ipviewer check` and --draft as they are
            return ngettext(
                "… and {count} more; run `ipviewer check {path}` for all, or export with --draft",
                "… and {count} more; run `ipviewer check {path}` for all, or export with --draft",
                more).format(count=more, path=report)
        # L10N: keep --draft as it is
        return ngettext(
            "Correct it, or export with --draft (every page is then marked DRAFT)",
            "Correct them, or export with --draft (every page is then marked DRAFT)",
            len(self.errors))

    def lines(self, report: str | PathLike[str], shown: int = SHOWN_ERRORS) -> list[str]:
        """The refusal as the command line prints it: summary, first errors, advice."""
        return [self.summary(report), *self.first(shown), self.advice(report, shown)]


def export_gate(store: ReportStore, glossary: Any = None) -> GateVerdict:
    """Run the checks on ``store`` (with ``glossary``, a ``terms.Glossary``, the terminology
    too, as ``ipviewer check`` does by default) and say whether a final export may go on."""
    findings = run_checks(store, glossary)
    errors = [f for f in findings if f.severity == "error"]
    return GateVerdict(errors, len(findings) - len(errors))
