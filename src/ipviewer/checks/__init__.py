"""Checks before publishing (no Qt): figures that disagree, sides left untranslated,
figures and indicators left unbound, parts beyond their total, terminology. A run can be
cancelled, and :class:`CheckState` re-runs only what an edit touched."""

from .check_state import ChecksCancelled, CheckState, run_checks
from .finding import Finding
from .terminology import TermChecker

__all__ = ["CheckState", "ChecksCancelled", "Finding", "TermChecker", "run_checks"]
