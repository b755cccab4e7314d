"""kerascheck: a static analyzer for Keras model code.

It reads Python files and notebooks, finds every Keras model, computes the shape that flows out
of every layer and its parameter count as real Keras 3 would, and reports the faults Keras only
reveals at `fit()` time. It never imports, executes or evaluates the code it reads.

The Python API (`kerascheck.api`): `check(source, path=None, *, settings=None)`, `check_paths(paths)`,
`summary(source)` and `fix(source)`. In IPython and Jupyter, `%load_ext kerascheck` checks every cell.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

# The API is loaded on first use, so that `import kerascheck` (and the command line's start-up) stays cheap.
_API = {"check", "check_paths", "summary", "fix", "FileReport", "ModelInfo", "LayerInfo", "Settings"}
__all__ = sorted(_API) + ["__version__", "load_ipython_extension", "unload_ipython_extension"]


def __getattr__(name: str) -> Any:
    if name in _API:
        from kerascheck import api

        return getattr(api, name)
    raise AttributeError(f"module 'kerascheck' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext kerascheck`: check every cell before it runs (see kerascheck.ipython)."""
    from kerascheck.ipython import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from kerascheck.ipython import unload_ipython_extension as unload

    unload(ipython)
