"""The package graph follows the floors of the house plan (docs/layout.md).

Every module of ``harmbench``, ``cdtnet`` and ``baselines`` is parsed with ``ast``; every import statement counts,
top-level and inside functions (lazy imports) alike. The rules:

- no import cycles;
- a method file (``baselines/*``, ``cdtnet/*``, anything in ``BUILTIN_MODULES``) never imports another method
  family's module, and of harmbench only the layers, the contract, the registry and checkpoints;
- a floor-1 module (layers, contract, registry, checkpoints, data readers, metrics, result schema) never imports a
  module of floors 2-3 (methods, runner, train, efficiency, study, tables, figures, cli).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import torch

from harmbench.contract import HarmonizationMethod
from harmbench.factory import create_method
from harmbench.registry import BUILTIN_MODULES, get_method, list_methods

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("harmbench", "cdtnet", "baselines")

FLOOR_1 = ("harmbench.layers", "harmbench.contract", "harmbench.registry", "harmbench.checkpoints", "harmbench.data",
           "harmbench.metrics", "harmbench.results", "harmbench.weights", "harmbench.factory", "harmbench.devices",
           "harmbench.distributed")
JOBS = ("harmbench.runner", "harmbench.train", "harmbench.efficiency", "harmbench.study", "harmbench.report",
        "harmbench.tables", "harmbench.stats", "harmbench.figures", "harmbench.demo", "harmbench.progress",
        "harmbench.cli")
METHOD_MAY_IMPORT = ("harmbench.layers", "harmbench.contract", "harmbench.registry", "harmbench.checkpoints")

def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """module -> the modules of ``packages`` it imports anywhere in its body (``from a import b`` counts as
    ``a.b`` when that is a module, else as ``a``; relative imports are resolved)."""
    files = {module_name(path, root): path for package in packages for path in (root / package).rglob("*.py")}
    graph = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    anchor = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                else:
                    base = node.module
                targets.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                               for alias in node.names)
        graph[name] = {t for t in targets if t in files and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (``[a, b, ..., a]``) per strongly connected component with more than one module (Tarjan)."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [_cycle_through(graph, component) for component in components]


def _cycle_through(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest cycle inside ``component`` through its first module (breadth-first back to the start)."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & component):
                if target == start:
                    return paths[node] + [start]
                if target not in paths:
                    paths[target] = paths[node] + [target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle in component {sorted(component)}")


def within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def method_family(module: str) -> str:
    """Each ``baselines`` file is its own family; any other method package (``cdtnet``) is one family."""
    return module if module.startswith("baselines.") else module.split(".")[0]


def method_modules(graph: dict[str, set[str]]) -> set[str]:
    listed = set(BUILTIN_MODULES)
    return {m for m in graph if within(m, ("baselines", "cdtnet")) and m not in ("baselines", "cdtnet")} | listed


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    found = import_graph(ROOT, PACKAGES)
    # the parse must see the modules and edges these rules are about, or every check below passes vacuously
    assert {"harmbench.registry", "harmbench.layers.gan", "cdtnet.model", "baselines.dovenet"} <= set(found)
    assert "harmbench.layers.gan" in found["baselines.dovenet"] and "cdtnet.model" in found["cdtnet.ablations"]
    return found


def test_no_import_cycles(graph):
    found = cycles(graph)
    assert not found, "import cycles: " + "; ".join(" -> ".join(c) for c in found)


def test_method_files_import_no_other_method_family(graph):
    methods = method_modules(graph)
    crossing = sorted(f"{m} imports {t}" for m in methods for t in graph[m]
                      if t in methods and method_family(t) != method_family(m))
    assert not crossing, "; ".join(crossing)


def test_method_files_import_only_layers_contract_registry(graph):
    methods = method_modules(graph)
    outside = sorted(f"{m} imports {t}" for m in methods for t in graph[m]
                     if within(t, ("harmbench",)) and t != "harmbench" and not within(t, METHOD_MAY_IMPORT))
    assert not outside, "; ".join(outside)


def test_floor_one_imports_no_higher_floor(graph):
    higher = JOBS + ("baselines", "cdtnet")
    upward = sorted(f"{m} imports {t}" for m in graph if within(m, FLOOR_1) for t in graph[m] if within(t, higher))
    assert not upward, "; ".join(upward)


@pytest.mark.parametrize("name", list_methods())
def test_every_method_model_is_a_harmonization_method(name):
    torch.manual_seed(0)
    model = create_method(name, tiny=True)
    assert isinstance(model, HarmonizationMethod)
    assert model.config is not None and model.trainable == get_method(name).trainable


def test_graph_sees_lazy_and_relative_imports_and_reports_cycles(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text("def later():\n    from .sub import c\n")
    (package / "sub" / "__init__.py").write_text("from . import c\n")
    (package / "sub" / "c.py").write_text("import pkg.a\nfrom ..b import later\n")
    found = import_graph(tmp_path, ("pkg",))
    assert found == {"pkg": set(), "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.sub.c"}, "pkg.sub": {"pkg.sub.c"},
                     "pkg.sub.c": {"pkg.a", "pkg.b"}}
    assert cycles(found) == [["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]]
    assert method_family("cdtnet.lut") == method_family("cdtnet.model") != method_family("baselines.s2am")
