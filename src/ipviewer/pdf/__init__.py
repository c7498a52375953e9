"""PDF export of the white paper with reportlab (no Qt here)."""
