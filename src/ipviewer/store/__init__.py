"""The report store: one SQLite file per report (no Qt here)."""

from .report_store import INDICATOR_SORT_COLUMNS, ReportStore, StoreError, unique_key

__all__ = ["INDICATOR_SORT_COLUMNS", "ReportStore", "StoreError", "unique_key"]
