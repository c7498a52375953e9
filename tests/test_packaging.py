"""The package as installed: every module shipped, the sample sources inside it."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT / "src").parts)
        for init in (ROOT / "src" / "ipviewer").rglob("__init__.py")
    }
    assert found | {"ipviewer.sample_data", "ipviewer.translations"} == listed
    assert (ROOT / "db" / "__init__.py").exists()


def test_sample_sources_are_package_data():
    files = {p.name for p in resources.files("ipviewer.sample_data").iterdir()}
    assert {"sample-2024.en.md", "sample-2024.zh.md"} <= files


def test_wheel_ships_catalogs_and_sample(tmp_path):
    """An installed app (not only this checkout) finds its catalogs and the sample."""
    import subprocess
    import sys
    import zipfile

    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("ipviewer-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "ipviewer/translations/messages.pot",
        "ipviewer/translations/zh_CN/LC_MESSAGES/messages.po",
        "ipviewer/translations/terminology.pot",
        "ipviewer/translations/zh_CN/LC_MESSAGES/terminology.po",
        "ipviewer/sample_data/sample-2024.en.md",
        "ipviewer/sample_data/sample-2024.zh.md",
        "ipviewer/sample_data/sample-2024.indicators.csv",
        "ipviewer/manual/en/index.html",
        "ipviewer/manual/zh_CN/index.html",
        "ipviewer/pdf/icc/FOGRA39L-coated.icc",
        "ipviewer/pdf/icc/LICENSE.txt",
    } <= names
    assert not [n for n in names if n.endswith(".mo")], ".mo files are built in memory"
