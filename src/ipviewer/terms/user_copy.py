"""The user's own copy of the shipped glossary, which the app edits (the installed one never)."""

from __future__ import annotations

import os
from pathlib import Path

from ..i18n import catalog_path
from .catalog import atomic_write

USER_GLOSSARY_NAME = "terminology.zh_CN.po"


def shipped_glossary_bytes() -> bytes:
    """The bytes of the glossary that ships with ipviewer."""
    return catalog_path("zh_CN", "terminology").read_bytes()


def ensure_user_glossary(folder: str | os.PathLike[str]) -> Path:
    """The editable glossary in ``folder``, copied from the shipped one on first use."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / USER_GLOSSARY_NAME
    if not path.exists():
        atomic_write(path, shipped_glossary_bytes())
    return path
