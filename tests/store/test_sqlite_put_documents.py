"""Storing a batch of documents: the same store as storing them one at a time."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.model import Document
from wiretrace.store import open_store
from wiretrace.store.sqlite import SqliteStore

# A few ids and texts, so a batch meets documents already stored, ids twice, and the
# same content again.
IDS = st.sampled_from(["ferry", "harbour", "strike", "budget"])
TEXTS = st.sampled_from(
    [
        "The harbour board voted on the plan again.",
        "Ferry crews will strike on Monday, the union said.",
        "The city budget grows by 3 percent.",
    ]
)


@st.composite
def documents(draw) -> Document:
    text = draw(TEXTS)
    return Document(
        id=draw(IDS),
        text=text,
        original=text,
        title=draw(st.none() | TEXTS),
        content_hash=hashlib.md5(text.encode()).hexdigest(),
    )


def _state(store: SqliteStore) -> tuple:
    """Everything ingest writes about documents, ingest times aside."""
    conn = store._conn
    return (
        conn.execute(
            "SELECT key, id, version, content_hash, title, text FROM documents ORDER BY key"
        ).fetchall(),
        conn.execute(
            "SELECT id, version, content_hash, text FROM document_versions ORDER BY id, version"
        ).fetchall(),
        conn.execute(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'harbour OR strike' "
            "ORDER BY rowid"
        ).fetchall(),
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(documents(), max_size=6), max_size=3))
def test_a_batch_is_stored_as_its_documents_one_at_a_time(tmp_path_factory, batches):
    folder = tmp_path_factory.mktemp("stores")
    with (
        open_store(folder / "batched.sqlite") as batched,
        open_store(folder / "single.sqlite") as single,
    ):
        run_batched = batched.begin_run("test", {})
        run_single = single.begin_run("test", {})
        for batch in batches:
            statuses = batched.put_documents(batch, run_batched)
            assert statuses == [single.put_document(doc, run_single) for doc in batch]
            batched.commit()
            single.commit()
        assert _state(batched) == _state(single)


def test_a_batch_larger_than_one_statement_holds_is_stored_whole(tmp_path, monkeypatch):
    docs = [
        Document(id=f"doc-{i}", text="The harbour board voted.", original="x", content_hash="a")
        for i in range(10)
    ]
    with open_store(tmp_path / "w.sqlite") as store:
        # Room for two rows a statement (17 values each), as in a small SQLite build.
        monkeypatch.setattr(type(store._conn), "variable_limit", lambda self: 40)
        assert store.put_documents(docs, store.begin_run("test", {})) == ["stored"] * 10
        assert store.num_documents() == 10
        assert [doc_id for doc_id, _, _ in store.document_times()] == [d.id for d in docs]
