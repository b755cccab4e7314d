"""Checking many files: the content-keyed cache and worker processes (`--jobs`)."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from kerascheck import __version__
from kerascheck.engine import FileResult, Settings, check_text
from kerascheck.source import SourceError, mentions_keras, read_text

CACHE_DIR = ".kerascheck_cache"
# Below this many files to check (files that mention Keras: the others are skipped here, before
# any worker), starting worker processes costs more than it saves. A forked worker starts in a few
# milliseconds; a spawned one imports Python, kerascheck and LibCST again (about 0.4 s here), which
# checking about a hundred files in one process takes.
PARALLEL_THRESHOLD = {"fork": 16, "spawn": 128}
# Files per task sent to a worker: fewer round trips than one file per task, small enough that the
# workers finish together.
BATCH = 8


class Cache:
    """Results of unchanged files, keyed by content, kerascheck version and settings (JSON, never pickle)."""

    def __init__(self, root: str) -> None:
        self.dir = os.path.join(root, CACHE_DIR, __version__)
        self.hits = 0
        self._ready = False

    def key(self, path: str, text: str, settings: Settings) -> str:
        import hashlib  # here, not at start-up: `--no-cache` runs never load OpenSSL

        h = hashlib.sha256()
        for part in (__version__, _code_stamp(), path, repr(settings.select), repr(settings.ignore), text):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        """A cached result, or None for a miss or an entry that is not one (damaged, or not a file)."""
        import json
        import stat

        path = os.path.join(self.dir, key[:2], key + ".json")
        try:
            # O_NONBLOCK: a FIFO planted in the cache must not hang the run; only regular files are read.
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            with open(fd, encoding="utf-8", closefd=False) as f:
                data = json.load(f)
        except (OSError, ValueError, RecursionError):
            return None
        finally:
            os.close(fd)
        if not isinstance(data, dict):
            return None
        self.hits += 1
        return data

    def put(self, key: str, data: dict[str, Any]) -> None:
        import json

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


# Parsing a file makes tens of thousands of small objects (LibCST nodes) that live until the file is
# done. With Python's default thresholds (a young collection every 700 allocations) the cyclic
# collector runs thousands of times a second over them and finds nothing; with these it runs a few
# times a second. Measured over the fixture corpus: about a fifth of the time of a check.
_GC_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def batch_gc() -> Iterator[None]:
    """Collect garbage less often while checking files; the caller's settings are back afterwards."""
    saved = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(saved, _GC_THRESHOLDS)))
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def _work(batch: list[tuple[str, str, Settings]]) -> list[dict[str, Any]]:
    from kerascheck import results_io

    with batch_gc():
        return [results_io.dump(check_text(path, text, settings)) for path, text, settings in batch]


def start_method(fork: bool) -> str:
    """How worker processes start: "fork" when the caller allows it and it is safe, else "spawn".

    A forked worker shares the parent's imported modules and starts at once; a spawned one pays
    kerascheck's whole start-up again. But forking a process that has other threads can deadlock
    the child (a lock held by a thread that does not exist there), and the threads that matter are
    often native ones Python does not list: OpenBLAS's after `import numpy`, XLA's in a JAX
    notebook kernel, an editor host's. So fork only on Linux (macOS's system libraries are not
    fork-safe), only when the caller says its process is its own (the command line does; a library
    caller gets spawn unless it asks), and only while the process has exactly one OS thread.
    Not "forkserver": its server imports kerascheck once, serially, before any worker starts, which
    on a machine with a core per worker costs the same wall time as spawning them all at once.
    """
    if not fork or not sys.platform.startswith("linux"):
        return "spawn"
    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError:
        return "spawn"
    return "fork" if threads == 1 else "spawn"


def _batches(pending: list[tuple[int, str, str, Settings, str | None]], workers: int) -> list[list[int]]:
    """Positions in `pending`, largest files first, dealt into batches of about BATCH files, so that
    the long files start early and the short ones fill the gaps at the end."""
    order = sorted(range(len(pending)), key=lambda j: -len(pending[j][2]))
    size = max(1, min(BATCH, len(order) // (workers * 4)))
    return [order[k : k + size] for k in range(0, len(order), size)]


def check_many(
    files: list[str],
    settings_for: Callable[[str], Settings],
    *,
    jobs: int = 0,
    cache: Cache | None = None,
    keep_sources: bool = False,
    progress: Callable[[int, int], None] | None = None,
    fork: bool = False,
) -> list[FileResult]:
    """Check `files` in order. With `keep_sources` (fixes, full format) results keep their CST and
    source and everything runs here; otherwise results may come from the cache or from workers.
    `fork`: this process is the caller's own and workers may be forked from it (see start_method)."""
    with batch_gc():
        return _check_many(files, settings_for, jobs=jobs, cache=cache, keep_sources=keep_sources,
                           progress=progress, fork=fork)


def _check_many(
    files: list[str],
    settings_for: Callable[[str], Settings],
    *,
    jobs: int = 0,
    cache: Cache | None = None,
    keep_sources: bool = False,
    progress: Callable[[int, int], None] | None = None,
    fork: bool = False,
) -> list[FileResult]:
    from kerascheck import results_io

    results: list[FileResult | None] = [None] * len(files)
    pending: list[tuple[int, str, str, Settings, str | None]] = []
    done = 0
    for i, path in enumerate(files):
        settings = settings_for(path)
        try:
            text = read_text(path)
        except SourceError as e:
            results[i] = FileResult(path, read_error=str(e))
            done += 1
            continue
        if not mentions_keras(text):  # the pre-filter: cheaper than a cache look-up or a worker
            results[i] = check_text(path, text, settings)
            done += 1
            continue
        key = cache.key(path, text, settings) if cache is not None and not keep_sources else None
        cached = cache.get(key) if cache is not None and key is not None else None
        if cached is not None:
            try:
                results[i] = results_io.load_checked(cached)
            except ValueError:  # a damaged entry (wrong keys or types): check the file afresh
                cached = None
            else:
                done += 1
                continue
        pending.append((i, path, text, settings, key))

    workers = jobs if jobs > 0 else min(os.cpu_count() or 1, 4)
    method = start_method(fork)
    parallel = (not keep_sources and jobs != 1 and workers > 1
                and len(pending) >= PARALLEL_THRESHOLD[method])
    if parallel and method == "fork":
        # Import everything checking needs (LibCST, the extractor, the catalogue, the rules) once, here,
        # so every forked worker starts with it; then look again: that must not have started a thread.
        check_text("<preload>", "import keras\nkeras.Sequential([keras.layers.Dense(1)])\n")
        method = start_method(fork)
        parallel = len(pending) >= PARALLEL_THRESHOLD[method]
    if parallel:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        batches = _batches(pending, workers)
        workers = min(workers, len(batches))
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
            futures = {pool.submit(_work, [pending[j][1:4] for j in batch]): batch for batch in batches}
            for future in as_completed(futures):
                for j, data in zip(futures[future], future.result()):
                    i, _path, _text, _settings, key = pending[j]
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
