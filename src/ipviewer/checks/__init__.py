"""Checks before publishing (no Qt): figures that disagree, sides left untranslated."""

from .report_checks import Finding, run_checks

__all__ = ["Finding", "run_checks"]
