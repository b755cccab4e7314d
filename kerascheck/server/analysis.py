"""Checking documents off the server's event loop, the newest version of each document winning.

Every decision is taken on the event loop; each check runs in a thread of its own, one at a time
(the machine's cores are the user's, and the GIL would serialise them anyway). A newer version of
the document being checked cancels the running check: its thread gets an asynchronous exception
(`Cancelled`, a BaseException, so the engine's `except Exception` does not catch it) at its next
Python instruction. Native code (LibCST's parser) finishes its call first, a few tens of
milliseconds at most. The thread runs nothing but the check, so the exception cannot land in a
lock or in the server's own state; the loop learns that the thread ended by joining it from a
helper thread, and if a check ends without a result while it is still the newest version, it
runs again.
"""

from __future__ import annotations

import asyncio
import ctypes
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from kerascheck.engine import FileResult


class Cancelled(BaseException):
    """Raised inside a check's thread when a newer version of its document arrives."""


@dataclass
class Analysis:
    """One version of one document (a file, or a notebook as one program), checked.

    `texts` and `uris` are per unit: the key is None for a plain file and, in a notebook, the
    1-based index of the cell among all the notebook's cells (as the JSON contract counts them).
    """

    key: str  # the document's or the notebook's URI
    version: int
    path: str  # the name kerascheck checked it under
    result: FileResult
    texts: dict[int | None, str] = field(default_factory=dict)
    uris: dict[int | None, str] = field(default_factory=dict)
    seconds: float = 0.0  # how long the check itself took

    def unit_of(self, uri: str) -> tuple[bool, int | None]:
        """(True, unit) for the unit a document URI shows (None for a plain file), else (False, None)."""
        for unit, known in self.uris.items():
            if known == uri:
                return True, unit
        return False, None


@dataclass(eq=False)
class Job:
    key: str
    version: int
    run: Callable[[], Analysis]
    analysis: Analysis | None = None
    cancelled: bool = False
    error: BaseException | None = None


def _body(job: Job) -> None:
    try:
        job.analysis = job.run()
    except Cancelled:
        job.cancelled = True
    except BaseException as e:  # noqa: BLE001  reported by the scheduler, never into the loop
        job.error = e


class Scheduler:
    """At most one check running; one pending job per document, the newest."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        on_result: Callable[[Job], None],
    ) -> None:
        self.loop = loop
        self.on_result = on_result  # called on the loop with a job that has an analysis or an error
        self.pending: dict[str, Job] = {}
        self.running: Job | None = None
        self._thread: threading.Thread | None = None
        self._joiner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kerascheck-join")
        self.cancelled = 0  # checks interrupted by a newer version

    def submit(self, job: Job) -> None:
        old = self.pending.pop(job.key, None)
        if old is not None and old.version > job.version:
            self.pending[job.key] = old
            return
        self.pending[job.key] = job
        running = self.running
        if running is not None and running.key == job.key and running.version < job.version:
            self._interrupt()
        self._start_next()

    def busy_with(self, key: str) -> bool:
        return key in self.pending or (self.running is not None and self.running.key == key)

    def _interrupt(self) -> None:
        thread = self._thread
        if thread is None or not thread.is_alive() or thread.ident is None:
            return
        # CPython's way to raise in another thread: it is raised there at the thread's next instruction.
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(Cancelled))
        self.cancelled += 1

    def _start_next(self) -> None:
        if self.running is not None or not self.pending:
            return
        key = next(iter(self.pending))
        job = self.pending.pop(key)
        self.running = job
        thread = threading.Thread(target=_body, args=(job,), name="kerascheck-check", daemon=True)
        self._thread = thread
        thread.start()
        joined = self.loop.run_in_executor(self._joiner, thread.join)
        joined.add_done_callback(lambda _: self._finished(job))

    def _finished(self, job: Job) -> None:
        self.running = None
        self._thread = None
        newer = self.pending.get(job.key)
        if job.analysis is not None or job.error is not None:
            if newer is None:
                self.on_result(job)
        elif newer is None:
            # Interrupted although no newer version came (the exception outlived its target): run again.
            self.pending[job.key] = Job(job.key, job.version, job.run)
        self._start_next()

    def close(self) -> None:
        self.pending.clear()
        self._interrupt()
        self._joiner.shutdown(wait=False)
