"""Imports only point backwards along the pipeline (STYLE.md): a test that reads every module's imports."""

from __future__ import annotations

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "kerascheck"

# What each place may import from kerascheck itself, and which third-party modules.
ALLOWED: dict[str, tuple[set[str], set[str]]] = {
    "diagnostics": (set(), set()),
    "shapes": ({"shapes"}, set()),
    "layers": ({"layers", "shapes"}, set()),
    "model": ({"diagnostics", "shapes", "layers"}, set()),  # layers only for type hints
    "source": ({"diagnostics"}, {"libcst"}),
    "extract": ({"extract", "model", "layers", "shapes", "diagnostics", "source"}, {"libcst"}),
    "infer": ({"model", "layers", "shapes"}, set()),
    "rules": ({"rules", "model", "diagnostics", "fixes", "shapes"}, set()),
    "fixes": ({"fixes", "model", "diagnostics", "source"}, {"libcst"}),
    "execute": ({"execute", "model", "layers", "shapes"}, {"numpy"}),
    "engine": ({"diagnostics", "model", "source", "extract", "infer", "rules", "suppress", "execute"}, set()),
    "suppress": ({"diagnostics"}, set()),
    "config": ({"diagnostics"}, set()),
    "walk": (set(), set()),
    "explain": ({"explain", "model", "layers", "shapes", "diagnostics"}, set()),
    "results_io": ({"diagnostics", "engine", "model", "shapes", "explain"}, set()),
    "runner": ({"engine", "source", "results_io"}, set()),
    "report": ({"report", "diagnostics", "model", "engine", "shapes", "explain"}, set()),
    "cli": ({"*"}, {"click"}),
    # The Python API, the language server and the IPython extension: front ends, like the command line.
    "api": ({"config", "diagnostics", "engine", "report", "rules", "runner", "walk", "fixes"}, set()),
    "server": ({"server", "api", "config", "diagnostics", "engine", "report", "rules", "fixes", "explain", "model",
                "shapes", "source", "suppress", "runner"}, set()),
    "ipython": ({"api", "diagnostics", "engine", "report"}, set()),
    "__init__": ({"api", "ipython"}, set()),
    "__main__": ({"cli"}, set()),
}


def _place(path: pathlib.Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if node.module == "kerascheck":
                names.update(f"kerascheck.{a.name}" for a in node.names)
    return names


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_what_its_place_allows(path):
    place = _place(path)
    assert place in ALLOWED, f"{place} has no entry in the layering table"
    internal, external = ALLOWED[place]
    for name in _imports(path):
        root = name.split(".")[0]
        if root == "kerascheck":
            parts = name.split(".")
            if len(parts) == 1 or parts[1] == "__version__":
                continue
            target = parts[1]
            assert "*" in internal or target in internal or target == place, f"{place} imports {name}"
        elif root in {"libcst", "numpy", "click"}:
            assert root in external or place == "cli", f"{place} imports {name}"


def test_numpy_and_libcst_are_not_imported_by_the_cli_start_up():
    import subprocess
    import sys

    code = (
        "import sys, kerascheck.cli, kerascheck.engine;"
        "print('libcst' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
