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
