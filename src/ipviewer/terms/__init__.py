"""The terminology glossary: gettext catalogs of English ↔ Chinese terms (no Qt here)."""
