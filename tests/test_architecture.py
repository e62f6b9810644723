"""The house: stage packages in pipeline order, imports that only run back to earlier stages, a
language package that imports no stage, no circular import, no module over ~400 lines, and settings
that each mean something."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pipeline import runner
from pipeline.config import Config
from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"
MAX_LINES = 420  # "about 400": a module may run a little over while it says one thing
SHARED = "pipeline.lang"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str) -> set[str]:
    """The pipeline modules *name* imports (at any depth of its code)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline"):
            for alias in node.names:  # "from pipeline import ocr" imports the module pipeline.ocr
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("pipeline")}
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in runner.STAGE_NAMES else None


def test_architecture_every_stage_is_a_package_with_one_run():
    for stage in runner.STAGE_NAMES:
        init = PACKAGE / stage / "__init__.py"
        assert init.exists(), f"pipeline/{stage}/ is no package"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        public = [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
        assert "run" in public, stage
        doc = ast.get_docstring(tree) or ""
        assert "Reads:" in doc and "Writes:" in doc, f"{stage}'s docstring says what it reads and writes"


def test_architecture_no_module_is_much_over_400_lines():
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_architecture_no_circular_import():
    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in GRAPH[node]:
                if nxt == start:
                    return path + [nxt]
                if nxt not in path:
                    stack.append((nxt, path + [nxt]))
        return None

    cycles = [c for name in MODULES if (c := cycle_from(name))]
    assert cycles == []


def test_architecture_no_stage_imports_a_later_stage():
    order = {stage: i for i, stage in enumerate(runner.STAGE_NAMES)}
    wrong = [(name, dep) for name, deps in GRAPH.items() for dep in deps
             if _stage_of(name) and _stage_of(dep) and order[_stage_of(dep)] > order[_stage_of(name)]]
    assert wrong == []


def test_architecture_the_language_package_imports_no_stage():
    wrong = [(name, dep) for name, deps in GRAPH.items() if name.startswith(SHARED) for dep in deps
             if _stage_of(dep) or dep in ("pipeline.runner", "pipeline.cli")]
    assert wrong == []
    assert any(name.startswith(SHARED) for dep in GRAPH.values() for name in dep), "no stage uses it"


SETTINGS = [(section, name, field) for section, model in Config.model_fields.items()
            for name, field in model.annotation.model_fields.items()]
SOURCES = {
    path: path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py") if path.name != "config.py"
}


@pytest.mark.parametrize("section, name, field", SETTINGS, ids=[f"{s}.{n}" for s, n, _ in SETTINGS])
def test_architecture_every_setting_is_described_and_read(section, name, field):
    assert field.description and len(field.description) > 10
    read = re.compile(rf"\bcfg(?:\.{section})?\.{name}\b|\bcfg\.{section}\b.*\.{name}\b")
    assert any(read.search(text) for text in SOURCES.values()), f"{section}.{name} has no reader"
