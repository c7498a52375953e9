"""The bundled sample report's sources, one Markdown file per language.

Installed as the package ``ipviewer.sample_data`` (see pyproject.toml); ``ipviewer.sample``
builds the SQLite report from them.
"""
