"""Storage behind one interface; the embedded default is one SQLite file."""

from wiretrace.store.sqlite import SqliteStore, open_store

__all__ = ["SqliteStore", "open_store"]
