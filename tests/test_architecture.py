"""The house rules, checked by reading the source: layers, no import cycles, no Qt below ui/,
no module past the size limit. docs/ARCHITECTURE.md draws the same layers."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ipviewer"

#: Each part of the package (a top-level module or subpackage) and its layer: a part may
#: import parts of its own layer or below, never above. A new part must be placed here.
LAYERS: dict[str, int] = {
    # foundations: what a report is made of, numbers, scripts, files, messages
    "ipviewer": 0, "i18n": 0, "script": 0, "model": 0, "numbers": 0, "indicators": 0,
    "chart_axis": 0, "safe_write": 0, "input_files": 0, "text_decoding": 0, "terminal": 0,
    "spreadsheet_cells": 0, "po_reader": 0, "i18n_marks": 0, "preferences": 0,
    # the report file, and the one reader of figures in prose
    "store": 1, "prose": 1,
    # services: the jobs, each runnable without a display
    "report_text": 2, "importing": 2, "indicator_files": 2, "terms": 2, "bind_report": 2,
    "new_year": 2, "checks": 2, "pdf": 2, "sample": 2, "compare": 2, "text_diff": 2,
    # the window
    "ui": 3,
    # the command line (launches the window)
    "cli": 4, "__main__": 4,
}
#: The most lines a module may have (issue 12's hard limit; aim for 500).
MAX_LINES = 700


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every module of the package (and every outside top-level package) that ``name``
    imports, at any depth of its code, with the line."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                full = f"{target}.{alias.name}"
                yield (full if full in MODULES else target), node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno


def _graph() -> dict[str, set[str]]:
    return {name: {target for target, _ in _imports(name, path)
                   if target in MODULES and target != name}
            for name, path in MODULES.items()}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def test_the_walk_sees_the_whole_package() -> None:
    graph = _graph()
    assert len(graph) > 80
    assert "ipviewer.prose.extract" in graph["ipviewer.importing.pipeline"]
    assert "ipviewer.store" in graph["ipviewer.bind_report"]


def test_no_import_cycles() -> None:
    graph = _graph()
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_every_part_has_a_layer() -> None:
    missing = sorted({_part(name) for name in MODULES} - set(LAYERS))
    assert not missing, f"place these in LAYERS (and docs/ARCHITECTURE.md): {missing}"


def test_each_layer_imports_only_downward() -> None:
    wrong = []
    for name, path in MODULES.items():
        for target, line in _imports(name, path):
            if target not in MODULES:
                continue
            here, there = LAYERS.get(_part(name), 99), LAYERS.get(_part(target), 99)
            if there > here:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {target}")
    assert not wrong, "imports that go up a layer:\n" + "\n".join(wrong)


def test_nothing_below_the_window_imports_qt() -> None:
    wrong = []
    for name, path in MODULES.items():
        if LAYERS.get(_part(name), 99) >= LAYERS["ui"]:
            continue
        for target, line in _imports(name, path):
            if target.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6"}:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {target}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by concern"


def test_a_cycle_and_an_upward_import_would_be_seen(tmp_path, monkeypatch) -> None:
    """The walker itself: a made-up package with a cycle and an upward import is caught."""
    pkg = tmp_path / "ipviewer"
    (pkg / "store").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "model.py").write_text("from .store import x\n")
    (pkg / "store" / "__init__.py").write_text("from ..model import y\nfrom PySide6 import QtCore\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", pkg)
    monkeypatch.setattr(__import__(__name__), "MODULES", _modules())
    with pytest.raises(AssertionError, match="ipviewer.model -> ipviewer.store -> ipviewer.model"):
        test_no_import_cycles()
    with pytest.raises(AssertionError, match="model.py:1 imports ipviewer.store"):
        test_each_layer_imports_only_downward()
    with pytest.raises(AssertionError, match="PySide6"):
        test_nothing_below_the_window_imports_qt()


def test_no_possessive_quantifier_on_a_group():
    """``(?:…)*+`` and the like match wrongly in Python 3.11.2 (Debian 12's own Python, what
    CI runs): a text diff split "2024," as one word there and not on 3.11.7. Possessive
    quantifiers on single characters or classes are fine."""
    import re as _re

    pattern = _re.compile(r"\)[*+?}]\+")
    found = [f"{path.relative_to(PACKAGE)}:{number}"
             for path in sorted(PACKAGE.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if ("re.compile" in line or 'r"' in line) and pattern.search(line)]
    assert not found, found
