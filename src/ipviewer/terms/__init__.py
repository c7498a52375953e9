"""The terminology glossary: gettext catalogs of English ↔ Chinese terms (no Qt here)."""

from .catalog import Catalog, atomic_write
from .exchange import (
    Conflict,
    ExchangeError,
    MergeReport,
    csv_text,
    merge,
    read_csv,
    read_tbx,
    read_terms,
    tbx_bytes,
    write_csv,
    write_tbx,
    write_terms,
)
from .glossary import FIELDS, Glossary, GlossaryError, check_glossary
from .problems import MAX_BYTES, CatalogError, Problem, read_limited
from .term import Term, TermMatch
from .validation import check_bytes, check_file

__all__ = [
    "FIELDS", "MAX_BYTES", "Catalog", "CatalogError", "Conflict", "ExchangeError", "Glossary",
    "GlossaryError", "MergeReport", "Problem", "Term", "TermMatch", "atomic_write",
    "check_bytes", "check_file", "check_glossary", "csv_text", "merge",
    "read_csv", "read_limited", "read_tbx", "read_terms", "tbx_bytes", "write_csv",
    "write_tbx", "write_terms",
]
