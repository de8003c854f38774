"""Full-text search (FTS5 migration) and read-only connections of the SQLite store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.errors import StoreError
from wiretrace.model import Document
from wiretrace.store import SqliteStore, open_store


def _doc(doc_id: str, title: str, text: str) -> Document:
    return Document(id=doc_id, text=text, original=text, title=title, content_hash=text)


def test_search_follows_inserts_updates_and_deletes(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.sqlite") as store:
        run = store.begin_run("test", {})
        store.put_document(_doc("a", "Harbour vote", "The council backed the pier."), run)
        store.put_document(_doc("b", "Wheat prices", "Wheat slipped on the exchange."), run)
        store.commit()
        assert store.search_documents("harbour") == ["a"]
        assert store.search_documents("wheat exchange") == ["b"]
        assert store.search_documents("pier wheat") == []
        store.put_document(_doc("a", "Ferry vote", "The council backed the ferry."), run)
        store.commit()
        assert store.search_documents("harbour") == []
        assert store.search_documents("ferry") == ["a"]
        store.delete_document("b")
        store.commit()
        assert store.search_documents("wheat") == []


def test_search_matches_without_diacritics(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.sqlite") as store:
        run = store.begin_run("test", {})
        store.put_document(_doc("fr", "Le port", "Le conseil a approuvé le projet."), run)
        store.commit()
        assert store.search_documents("approuve") == ["fr"]


@settings(max_examples=60, deadline=None)
@given(query=st.text(max_size=40))
def test_any_query_is_a_valid_search(query: str) -> None:
    store = SqliteStore(":memory:")
    run = store.begin_run("test", {})
    store.put_document(_doc("a", "Title", "Some words AND NOT OR NEAR here."), run)
    store.commit()
    assert isinstance(store.search_documents(query), list)
    store.close()


def test_migration_indexes_documents_stored_before_it(tmp_path: Path) -> None:
    from wiretrace.store.schema import MIGRATIONS

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    for version, script in enumerate(MIGRATIONS[:-1], 1):
        conn.executescript(script + f";PRAGMA user_version={version};")
    conn.execute(
        "INSERT INTO documents(id, version, content_hash, source_path, language, credits, text, "
        "original, removed, kept, sentences, ingested_at) VALUES "
        "('old', 1, 'h', 'p', 'en', '[]', 'An older lighthouse story', 'x', '[]', '[]', '[]', 't')"
    )
    conn.commit()
    conn.close()
    with open_store(path) as store:
        assert store.search_documents("lighthouse") == ["old"]


def test_read_only_store_never_creates_migrates_or_writes(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite"
    with pytest.raises(StoreError, match="no store at"):
        open_store(missing, read_only=True)
    assert not missing.exists()
    path = tmp_path / "s.sqlite"
    open_store(path).close()
    reader = open_store(path, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        reader.begin_run("test", {})
    reader.close()
    old = tmp_path / "old.sqlite"
    sqlite3.connect(old).execute("PRAGMA user_version=1").connection.close()
    with pytest.raises(StoreError, match="schema version 1"):
        open_store(old, read_only=True)
