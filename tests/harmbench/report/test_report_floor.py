"""The report is a floor-3 job (docs/layout.md): it reads result folders and never imports a method, the factory
that builds one, or the command line above it; lazy imports inside functions count too."""

import ast
from pathlib import Path

import harmbench.report

FORBIDDEN = ("baselines", "cdtnet", "harmbench.cli", "harmbench.factory", "harmbench.registry", "harmbench.runner",
             "harmbench.train")


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return modules


def test_report_imports_no_method_factory_or_cli():
    files = sorted(Path(harmbench.report.__file__).parent.glob("*.py"))
    assert len(files) >= 5
    upward = [f"{path.name} imports {module}" for path in files for module in imported_modules(path)
              if any(module == name or module.startswith(name + ".") for name in FORBIDDEN)]
    assert not upward, "; ".join(upward)
