"""gettext catalogs: the UI's ``messages`` and the ``terminology`` glossary (.pot and .po).

Installed as the package ``ipviewer.translations`` (see pyproject.toml) so an installed
app finds them; ``.mo`` files are never committed: ``ipviewer.i18n`` compiles in memory.
"""
