"""Finding the files to check: directories walked for `*.py` and `*.ipynb`, honouring `.gitignore`."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "node_modules", ".tox", ".nox",
             ".mypy_cache", ".ruff_cache", ".pytest_cache", ".kerascheck_cache", "site-packages",
             ".ipynb_checkpoints"}
SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class IgnoreRule:
    base: str  # the directory holding the .gitignore
    regex: re.Pattern[str]
    negated: bool
    dir_only: bool


def _compile(pattern: str) -> re.Pattern[str]:
    """A gitignore glob as a regex over a '/'-separated path relative to the .gitignore's folder."""
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.strip("/")
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.find("]", i)
            if end < 0:
                out.append(re.escape(pattern[i]))
                i += 1
            else:
                out.append(fnmatch.translate(pattern[i:end + 1])[4:-3])
                i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"^{prefix}{body}(?:/.*)?$")


def read_gitignore(directory: str) -> list[IgnoreRule]:
    path = os.path.join(directory, ".gitignore")
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    rules = []
    for line in lines:
        line = line.rstrip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        if line.startswith("\\"):
            line = line[1:]
        rules.append(IgnoreRule(directory, _compile(line), negated, line.endswith("/")))
    return rules


def ignored(path: str, is_dir: bool, rules: list[IgnoreRule]) -> bool:
    result = False
    for rule in rules:
        if rule.dir_only and not is_dir:
            # `build/` ignores the folder and so everything below it, which the walk never enters.
            continue
        rel = os.path.relpath(path, rule.base).replace(os.sep, "/")
        if rel.startswith(".."):
            continue
        if rule.regex.match(rel):
            result = not rule.negated
    return result


def _parent_rules(directory: str) -> list[IgnoreRule]:
    """The .gitignore files above a walked folder, up to the repository's top."""
    chain = []
    current = os.path.abspath(directory)
    while True:
        parent = os.path.dirname(current)
        if os.path.isdir(os.path.join(current, ".git")) or parent == current:
            break
        current = parent
        chain.append(current)
    rules: list[IgnoreRule] = []
    for d in reversed(chain):
        rules.extend(read_gitignore(d))
    return rules


def walk(root: str) -> list[str]:
    """The `*.py` and `*.ipynb` regular files under `root`, in sorted order, honouring .gitignore.

    Special files (FIFOs, sockets, devices, symlinks to them) are never listed: reading one would
    block forever or never end. The walk keeps its own stack, so any depth of folders is fine.
    """
    files: list[str] = []
    stack: list[tuple[Iterator[os.DirEntry[str]], list[IgnoreRule]]] = []

    def enter(directory: str, rules: list[IgnoreRule]) -> None:
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            return
        stack.append((iter(entries), rules + read_gitignore(directory)))

    enter(root, _parent_rules(root))
    while stack:
        entries, rules = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name in SKIP_DIRS or entry.name.startswith("."):
                    continue
                if not ignored(os.path.abspath(entry.path), True, rules):
                    enter(entry.path, rules)
            elif (entry.name.endswith(SUFFIXES) and entry.is_file()
                  and not ignored(os.path.abspath(entry.path), False, rules)):
                files.append(entry.path)
        except OSError:
            continue  # vanished, or a symlink loop
    return files
