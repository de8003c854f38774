"""Reads of the store for one request, and the errors a request can end in.

Each request opens its own read-only connection, so the server keeps answering while
``analyze`` writes to the same file (WAL: readers never wait for the one writer); a read
that still meets a lock retries, then answers 503.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from wiretrace.errors import NotFoundError, StoreBusyError, StoreError
from wiretrace.server.settings import ServerSettings
from wiretrace.store import SqliteStore

T = TypeVar("T")

NOT_FOUND = "No story or article with that id in this store; the stories list links to all."


class ApiError(Exception):
    """An error answered with the shared shape; ``detail`` must not quote the request."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail


class StoreReader:
    """Runs one read against a fresh read-only connection, retrying on a lock."""

    def __init__(self, db_path: str, settings: ServerSettings) -> None:
        self.db_path = db_path
        self.settings = settings

    def __call__(self, read: Callable[[SqliteStore], T]) -> T:
        """``read(store)`` with retries; NotFound → 404, persistent lock → 503."""
        wait = self.settings.retry_backoff_s
        for attempt in range(self.settings.lock_retries + 1):
            try:
                store = SqliteStore(
                    self.db_path, read_only=True, busy_timeout_s=self.settings.busy_timeout_s
                )
                try:
                    return read(store)
                finally:
                    store.close()
            except NotFoundError:
                raise ApiError(404, "Not found", NOT_FOUND) from None
            except StoreBusyError:
                if attempt == self.settings.lock_retries:
                    break
                # Backing off lets the writer finish its transaction (commits are short).
                time.sleep(wait)
                wait *= 2
            except StoreError:
                raise ApiError(
                    503, "Store unavailable", "The store cannot be read; see the server log."
                ) from None
        raise ApiError(503, "Busy", "The store is busy with a write; retry in a moment.")
