"""`[tool.kerascheck]` in pyproject.toml, found by walking up from each checked file.

    [tool.kerascheck]
    select = ["KC"]                 # rule codes or prefixes to enable (default: all but KC401, KC601;
                                    # the name `learn` stands for those two)
    extend-select = []              # added to select
    ignore = ["KC401"]              # codes or prefixes to disable
    per-file-ignores = { "notebooks/*.ipynb" = ["KC601"] }
    fail-on = "warning"             # error | warning | info
    exclude = []                    # glob patterns of paths to skip when walking directories
    extend-exclude = []
"""

from __future__ import annotations

import fnmatch
import os
import sys
from dataclasses import dataclass, field
from typing import Any

from kerascheck.diagnostics import Severity

KNOWN_KEYS = {"select", "extend-select", "ignore", "per-file-ignores", "fail-on", "exclude", "extend-exclude"}


class ConfigError(Exception):
    """A configuration problem: reported in one line, exit status 2."""


@dataclass
class Config:
    path: str | None = None  # the pyproject.toml it came from
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fail_on: Severity | None = None
    exclude: tuple[str, ...] = ()

    @property
    def root(self) -> str:
        return os.path.dirname(self.path) if self.path else os.getcwd()

    def ignores_for(self, path: str) -> tuple[str, ...]:
        rel = os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")
        found: list[str] = []
        for pattern, codes in self.per_file_ignores.items():
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(os.path.basename(path), pattern):
                found.extend(codes)
        return tuple(found)

    def excluded(self, path: str) -> bool:
        rel = os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")
        parts = rel.split("/")
        for pattern in self.exclude:
            if fnmatch.fnmatch(rel, pattern) or any(fnmatch.fnmatch(p, pattern) for p in parts):
                return True
        return False


def _load_toml(path: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror or e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to read") from None


def _codes(path: str, key: str, value: Any, valid: set[str], presets: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: [tool.kerascheck] {key} must be a list of rule codes")
    codes: tuple[str, ...] = ()
    for v in value:
        codes += presets.get(v.strip().lower(), (v.strip().upper(),))
    for code in codes:
        if not any(known.startswith(code) for known in valid):
            raise ConfigError(f"{path}: [tool.kerascheck] {key}: unknown rule code or prefix {code!r}")
    return codes


def parse(path: str, table: dict[str, Any], valid_codes: set[str],
          presets: dict[str, tuple[str, ...]] | None = None) -> Config:
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key [tool.kerascheck] {unknown[0]!r} (known: {', '.join(sorted(KNOWN_KEYS))})")
    config = Config(path)
    if "select" in table:
        config.select = _codes(path, "select", table["select"], valid_codes, presets or {})
    config.extend_select = _codes(path, "extend-select", table.get("extend-select", []), valid_codes, presets or {})
    config.ignore = _codes(path, "ignore", table.get("ignore", []), valid_codes, presets or {})
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(f"{path}: [tool.kerascheck] per-file-ignores must be a table of pattern = [codes]")
    config.per_file_ignores = {k: _codes(path, f"per-file-ignores.{k}", v, valid_codes, presets or {}) for k, v in pfi.items()}
    if "fail-on" in table:
        try:
            config.fail_on = Severity.parse(str(table["fail-on"]))
        except ValueError as e:
            raise ConfigError(f"{path}: [tool.kerascheck] fail-on: {e}") from None
    for key in ("exclude", "extend-exclude"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: [tool.kerascheck] {key} must be a list of glob patterns")
        config.exclude += tuple(value)
    return config


class ConfigFinder:
    """Finds the pyproject.toml that applies to a path, once per directory."""

    def __init__(self, valid_codes: set[str], presets: dict[str, tuple[str, ...]] | None = None) -> None:
        self.valid_codes = valid_codes
        self.presets = presets or {}  # named sets of codes (`learn`), from the rules
        self._forced: Config | None = None
        self._by_dir: dict[str, Config] = {}

    def use_file(self, path: str) -> None:
        """`--config PATH`: this pyproject.toml applies to every file, whatever folder it is in."""
        if not os.path.isfile(path):
            raise ConfigError(f"{path}: no such configuration file")
        config = self._read(path)
        if config is None:
            config = Config(os.path.abspath(path))
        self._forced = config

    def for_path(self, path: str) -> Config:
        if self._forced is not None:
            return self._forced
        directory = os.path.dirname(os.path.abspath(path)) if not os.path.isdir(path) else os.path.abspath(path)
        return self._for_dir(directory)

    def _for_dir(self, directory: str) -> Config:
        # Upwards one folder at a time (no recursion: any depth of folders is fine), remembering the
        # answer for every folder passed on the way.
        passed: list[str] = []
        config: Config | None = None
        while True:
            cached = self._by_dir.get(directory)
            if cached is not None:
                config = cached
                break
            passed.append(directory)
            config = self._read(os.path.join(directory, "pyproject.toml"))
            if config is not None:
                break
            parent = os.path.dirname(directory)
            if parent == directory:
                config = Config()
                break
            directory = parent
        for folder in passed:
            self._by_dir[folder] = config
        return config

    def _read(self, candidate: str) -> Config | None:
        """The `[tool.kerascheck]` settings of one pyproject.toml, or None where it has none."""
        if not os.path.isfile(candidate):
            return None
        data = _load_toml(candidate)
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{candidate}: `tool` must be a table")
        table = tool.get("kerascheck")
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{candidate}: [tool.kerascheck] must be a table")
        return parse(candidate, table, self.valid_codes, self.presets)
