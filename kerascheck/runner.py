"""Checking many files: the content-keyed cache and worker processes (`--jobs`)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from kerascheck import __version__
from kerascheck.engine import FileResult, Settings, check_text
from kerascheck.source import SourceError, read_text

CACHE_DIR = ".kerascheck_cache"
# Below this many files to check, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 16


class Cache:
    """Results of unchanged files, keyed by content, kerascheck version and settings (JSON, never pickle)."""

    def __init__(self, root: str) -> None:
        self.dir = os.path.join(root, CACHE_DIR, __version__)
        self.hits = 0
        self._ready = False

    def key(self, path: str, text: str, settings: Settings) -> str:
        h = hashlib.sha256()
        for part in (__version__, _code_stamp(), path, repr(settings.select), repr(settings.ignore), text):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            with open(os.path.join(self.dir, key[:2], key + ".json"), encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            return None
        self.hits += 1
        return data if isinstance(data, dict) else None

    def put(self, key: str, data: dict[str, Any]) -> None:
        try:
            if not self._ready:
                top = os.path.dirname(self.dir)
                os.makedirs(top, exist_ok=True)
                marker = os.path.join(top, "CACHEDIR.TAG")
                if not os.path.exists(marker):
                    with open(marker, "w") as f:
                        f.write("Signature: 8a477f597d28d172789f06886806bc55\n# kerascheck's cache\n")
                    with open(os.path.join(top, ".gitignore"), "w") as f:
                        f.write("*\n")
                self._ready = True
            folder = os.path.join(self.dir, key[:2])
            os.makedirs(folder, exist_ok=True)
            tmp = os.path.join(folder, f".{key}.{os.getpid()}.tmp")
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(data, f)
            os.replace(tmp, os.path.join(folder, key + ".json"))
        except OSError:
            pass  # a read-only tree: run uncached


_STAMP: str | None = None


def _code_stamp() -> str:
    """When kerascheck's own files last changed: an editable install's edits must not reuse old results."""
    global _STAMP
    if _STAMP is None:
        package = os.path.dirname(os.path.abspath(__file__))
        latest = 0.0
        for root, _, names in os.walk(package):
            for name in names:
                if name.endswith(".py"):
                    try:
                        latest = max(latest, os.stat(os.path.join(root, name)).st_mtime)
                    except OSError:
                        pass
        _STAMP = repr(latest)
    return _STAMP


def _work(job: tuple[str, str, Settings]) -> dict[str, Any]:
    from kerascheck import results_io

    path, text, settings = job
    return results_io.dump(check_text(path, text, settings))


def check_many(
    files: list[str],
    settings_for: Callable[[str], Settings],
    *,
    jobs: int = 0,
    cache: Cache | None = None,
    keep_sources: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[FileResult]:
    """Check `files` in order. With `keep_sources` (fixes, full format) results keep their CST and
    source and everything runs here; otherwise results may come from the cache or from workers."""
    from kerascheck import results_io

    results: list[FileResult | None] = [None] * len(files)
    pending: list[tuple[int, str, str, Settings, str | None]] = []
    for i, path in enumerate(files):
        settings = settings_for(path)
        try:
            text = read_text(path)
        except SourceError as e:
            results[i] = FileResult(path, read_error=str(e))
            continue
        key = cache.key(path, text, settings) if cache is not None and not keep_sources else None
        cached = cache.get(key) if cache is not None and key is not None else None
        if cached is not None:
            results[i] = results_io.load(cached)
            continue
        pending.append((i, path, text, settings, key))

    workers = jobs if jobs > 0 else min(os.cpu_count() or 1, 4)
    parallel = not keep_sources and workers > 1 and len(pending) >= PARALLEL_THRESHOLD and jobs != 1
    done = len(files) - len(pending)
    if parallel:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # "spawn", not fork: forking a process that has threads (an editor host, a notebook kernel with
        # JAX loaded) can deadlock; workers start clean and import only kerascheck.
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            chunk = max(1, len(pending) // (workers * 8))
            for (i, _path, _text, _settings, key), data in zip(
                pending, pool.map(_work, [(p, t, s) for _, p, t, s, _ in pending], chunksize=chunk)
            ):
                results[i] = results_io.load(data)
                if cache is not None and key is not None and not data["internal_error"]:
                    cache.put(key, data)
                done += 1
                if progress:
                    progress(done, len(files))
    else:
        for i, path, text, settings, key in pending:
            result = check_text(path, text, settings)
            if cache is not None and key is not None and not result.internal_error:
                data = results_io.dump(result)
                cache.put(key, data)
                if not keep_sources:
                    result = results_io.load(data)  # the same form a cached run gives
            results[i] = result
            done += 1
            if progress:
                progress(done, len(files))
    return [r for r in results if r is not None]


def terminal_progress(total_threshold: int = 50) -> Callable[[int, int], None] | None:
    """A progress line on stderr for long runs on a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total < total_threshold:
            return
        end = "\n" if done == total else ""
        if done == total or done % 10 == 0:
            sys.stderr.write(f"\rkerascheck: {done}/{total} files{end}")
            sys.stderr.flush()

    return show
