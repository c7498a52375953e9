"""The user's preferences: one small JSON file in the user's configuration folder (no Qt).

Both the command line and the window read it; the window's Edit → Preferences… writes it.
What it holds:

- ``editor_name``: who is editing, recorded on confirmations (``store.to_update.editor_name``:
  the ``IPVIEWER_EDITOR`` variable still wins, the login name is the last resort);
- ``export_lang``, ``export_paper``, ``export_draft``: the export dialog's defaults, read
  with :func:`export_defaults`;
- ``cjk_font``: a font file for the PDF's Chinese (and Latin) text instead of the bundled
  Noto fonts (``ipviewer export --font`` wins over it);
- ``autosave_minutes``: how often the window saves a changed report (0: never).

The UI language is not here: it lives in Qt's settings (``ui/language.py``), where
View → Language keeps it. A file that cannot be read, or a value of the wrong kind, gives
the default for that value and a problem naming the file (:func:`read`); nothing is lost
until the user saves preferences again. Writes go through :func:`safe_write.atomic_write`.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from .i18n import _
from .input_files import InputError, read_input
from .safe_write import atomic_write

#: The file's name in the configuration folder.
FILE_NAME = "preferences.json"
#: A preferences file is small; anything bigger is not ours.
MAX_BYTES = 1 << 20
#: The languages and papers an export can have (as ``ExportOptions`` spells them).
EXPORT_LANGUAGES = ("zh", "en", "both")
EXPORT_PAPERS = ("A4", "letter")
#: The longest autosave interval offered, in minutes.
MAX_AUTOSAVE_MINUTES = 240


@dataclass(frozen=True)
class Preferences:
    """What the user chose; the defaults are what ipviewer does without a file."""

    editor_name: str = ""
    export_lang: str = "zh"
    export_paper: str = "A4"
    export_draft: bool = False
    cjk_font: str = ""  #: '' = the bundled Noto fonts
    autosave_minutes: int = 0  #: 0 = off

    def changed(self, **values: Any) -> Preferences:
        """A copy with these values changed."""
        return replace(self, **values)


def config_folder() -> Path:
    """The user's configuration folder for ipviewer, as the platform keeps them."""
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "ipviewer"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "ipviewer"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "ipviewer"


def preferences_path() -> Path:
    """Where the preferences are kept."""
    return config_folder() / FILE_NAME


def read(path: Path | None = None) -> tuple[Preferences, list[str]]:
    """The saved preferences and the problems met reading them (each naming the file);
    a missing file is no problem: the defaults."""
    path = path or preferences_path()
    if not path.exists():
        return Preferences(), []
    try:
        data = json.loads(read_input(path, MAX_BYTES).decode("utf-8"))
    except InputError as exc:
        return Preferences(), [str(exc)]
    except (UnicodeDecodeError, ValueError) as exc:
        return Preferences(), [_("{path}: not a preferences file ({reason}); the defaults "
                                 "are used").format(path=path, reason=exc)]
    if not isinstance(data, dict):
        return Preferences(), [_("{path}: not a preferences file; the defaults are used")
                               .format(path=path)]
    values, problems = {}, []
    for field in fields(Preferences):
        if field.name not in data:
            continue
        value = data[field.name]
        reason = _problem(field.name, value)
        if reason:
            problems.append(_("{path}: “{name}”: {reason}; the default is used").format(
                path=path, name=field.name, reason=reason))
        else:
            values[field.name] = value
    return Preferences(**values), problems


def load(path: Path | None = None) -> Preferences:
    """The saved preferences (the defaults where they cannot be read)."""
    return read(path)[0]


def save(preferences: Preferences, path: Path | None = None) -> Path:
    """Write the preferences (the folder is made if needed); raises ``OSError`` and
    ``ValueError`` (a value that could not be read back)."""
    path = path or preferences_path()
    for name, value in asdict(preferences).items():
        reason = _problem(name, value)
        if reason:
            raise ValueError(f"{name}: {reason}")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(asdict(preferences), ensure_ascii=False, indent=2, sort_keys=True)
    atomic_write(path, (text + "\n").encode("utf-8"))
    return path


def export_defaults(preferences: Preferences | None = None) -> dict[str, Any]:
    """The export's defaults, named as ``pdf.export.ExportOptions`` names them:
    ``lang`` ('zh' | 'en' | 'both'), ``paper`` ('A4' | 'letter'), ``draft`` (bool) and
    ``font_path`` (a font file, or None for the bundled fonts)."""
    chosen = preferences or load()
    return {"lang": chosen.export_lang, "paper": chosen.export_paper,
            "draft": chosen.export_draft, "font_path": chosen.cjk_font or None}


def _problem(name: str, value: Any) -> str:
    """Why ``value`` cannot be the preference ``name`` ('' when it can)."""
    if name in ("editor_name", "cjk_font"):
        return "" if isinstance(value, str) and "\n" not in value else _("not a line of text")
    if name == "export_lang":
        return "" if value in EXPORT_LANGUAGES else _("not one of {choices}").format(
            choices=", ".join(EXPORT_LANGUAGES))
    if name == "export_paper":
        return "" if value in EXPORT_PAPERS else _("not one of {choices}").format(
            choices=", ".join(EXPORT_PAPERS))
    if name == "export_draft":
        return "" if isinstance(value, bool) else _("not true or false")
    if name == "autosave_minutes":
        ok = isinstance(value, int) and not isinstance(value, bool) \
            and 0 <= value <= MAX_AUTOSAVE_MINUTES
        return "" if ok else _("not a number of minutes from 0 to {most}").format(
            most=MAX_AUTOSAVE_MINUTES)
    return _("unknown")
