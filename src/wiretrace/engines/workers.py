"""A process pool for the CPU-bound stage functions, used by the local engine.

Stage functions are pure, so they can run in worker processes; the parent keeps the
only store connection and does all writes (SQLite allows one writer). Workers are forked
so they start in milliseconds and share the parent's read-only memory (the candidate
index) copy-on-write; they never touch the parent's store connection.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many tasks in a batch, a pool costs more than it saves. Callers make tasks
# coarse (64 documents or candidate pairs each), so a few tasks are already worth it.
MIN_PARALLEL_TASKS = 4


def default_workers() -> int:
    """One worker per available core."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not on Linux
        return max(os.cpu_count() or 1, 1)


class WorkerPool:
    """Maps a function over batches, in parallel when it pays; order is kept.

    Use as a context manager; the pool starts on the first batch large enough.
    """

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers if workers > 0 else default_workers()
        self._pool: multiprocessing.pool.Pool | None = None

    def map(self, func: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``[func(x) for x in items]``, spread over the workers for large batches."""
        if self.workers <= 1 or len(items) < MIN_PARALLEL_TASKS:
            return [func(item) for item in items]
        if self._pool is None:
            context = multiprocessing.get_context("fork")
            self._pool = context.Pool(self.workers)
        # One task at a time: tasks are coarse already, and uneven ones balance out.
        return self._pool.map(func, items, chunksize=1)

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None and self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        self.close()
