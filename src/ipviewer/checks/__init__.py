"""Checks before publishing (no Qt): figures that disagree, sides left untranslated,
figures and indicators left unbound, parts beyond their total, terminology."""

from .finding import Finding
from .report_checks import run_checks
from .terminology import TermChecker

__all__ = ["Finding", "TermChecker", "run_checks"]
