"""The store's cache of sentence vectors: round trip, versions and deletion."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from wiretrace.extract.document import build_document
from wiretrace.model import Document, RawRecord
from wiretrace.store import open_store

# float16 keeps about three significant digits: unit-vector components move by < 1e-3.
HALF_PRECISION = 1e-3
DIM = 16

TEXT = (
    "The ferry to Brannock Island resumed service on Monday after a two-week repair. "
    "Operators said the crossing would run four times a day until the summer timetable."
)


def doc(doc_id: str, text: str = TEXT) -> Document:
    return build_document(RawRecord(unit=f"{doc_id}.txt", source_path="", text=text), doc_id)


def unit_rows(rows: int, seed: int = 0) -> np.ndarray:
    matrix = np.random.default_rng(seed).normal(size=(rows, DIM)).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "wiretrace.sqlite") as opened:
        run = opened.begin_run("test", {})
        for doc_id in ("ferry", "other"):
            opened.put_document(doc(doc_id), run)
        opened.commit()
        yield opened


def version(store, doc_id: str) -> int:
    found = store.lookup(doc_id)
    assert found is not None
    return found[1]


@settings(max_examples=30, deadline=None)
@given(
    matrix=arrays(
        np.float32,
        st.tuples(st.integers(0, 6), st.integers(1, 32)),
        elements=st.floats(-1, 1, width=32),
    )
)
def test_vectors_round_trip_within_half_precision(tmp_path_factory, matrix) -> None:
    path = tmp_path_factory.mktemp("round") / "wiretrace.sqlite"
    with open_store(path) as store:
        store.put_document(doc("ferry"), store.begin_run("test", {}))
        store.put_embeddings("ferry", version(store, "ferry"), "minilm", matrix)
        store.commit()
        got = store.get_embeddings(["ferry"], "minilm")["ferry"]
    assert got.dtype == np.float32
    assert got.shape == matrix.shape
    np.testing.assert_allclose(got, matrix, atol=HALF_PRECISION)


def test_vectors_are_kept_per_encoder_and_counted(store) -> None:
    assert store.num_embeddings() == 0
    store.put_embeddings("ferry", version(store, "ferry"), "minilm", unit_rows(2, seed=1))
    store.put_embeddings("ferry", version(store, "ferry"), "use", unit_rows(2, seed=2))
    store.put_embeddings("other", version(store, "other"), "use", unit_rows(2, seed=3))
    store.commit()
    assert store.num_embeddings() == 3
    assert store.num_embeddings("use") == 2
    assert store.num_embeddings("minilm") == 1
    by_use = store.get_embeddings(["ferry", "other", "missing"], "use")
    assert sorted(by_use) == ["ferry", "other"]
    np.testing.assert_allclose(by_use["ferry"], unit_rows(2, seed=2), atol=HALF_PRECISION)
    assert sorted(store.get_embeddings(["ferry", "other"], "minilm")) == ["ferry"]


def test_writing_vectors_again_replaces_them(store) -> None:
    current = version(store, "ferry")
    store.put_embeddings("ferry", current, "minilm", unit_rows(2, seed=1))
    store.put_embeddings("ferry", current, "minilm", unit_rows(3, seed=4))
    store.commit()
    assert store.num_embeddings() == 1
    got = store.get_embeddings(["ferry"], "minilm")["ferry"]
    np.testing.assert_allclose(got, unit_rows(3, seed=4), atol=HALF_PRECISION)


def test_a_new_document_version_invalidates_its_cached_vectors(store) -> None:
    store.put_embeddings("ferry", version(store, "ferry"), "minilm", unit_rows(2))
    store.put_embeddings("other", version(store, "other"), "minilm", unit_rows(2))
    store.commit()
    changed = TEXT + " A second vessel will join the route in August."
    assert store.put_document(doc("ferry", changed), store.begin_run("test", {})) == "updated"
    store.commit()
    assert sorted(store.get_embeddings(["ferry", "other"], "minilm")) == ["other"]
    # Vectors of the new version are cached again.
    store.put_embeddings("ferry", version(store, "ferry"), "minilm", unit_rows(3))
    store.commit()
    assert store.get_embeddings(["ferry"], "minilm")["ferry"].shape == (3, DIM)


def test_an_unchanged_document_keeps_its_vectors(store) -> None:
    store.put_embeddings("ferry", version(store, "ferry"), "minilm", unit_rows(2))
    store.commit()
    assert store.put_document(doc("ferry"), store.begin_run("test", {})) == "unchanged"
    store.commit()
    assert "ferry" in store.get_embeddings(["ferry"], "minilm")


def test_deleting_a_document_removes_its_vectors(store) -> None:
    store.put_embeddings("ferry", version(store, "ferry"), "minilm", unit_rows(2))
    store.put_embeddings("ferry", version(store, "ferry"), "use", unit_rows(2))
    store.put_embeddings("other", version(store, "other"), "use", unit_rows(2))
    store.commit()
    store.delete_document("ferry")
    store.commit()
    assert store.num_embeddings() == 1
    assert store.get_embeddings(["ferry"], "use") == {}
    # A new document under the same id starts without vectors.
    store.put_document(doc("ferry"), store.begin_run("test", {}))
    store.commit()
    assert store.get_embeddings(["ferry"], "use") == {}


def test_vectors_of_an_unknown_document_are_not_stored(store) -> None:
    store.put_embeddings("nobody", 1, "minilm", unit_rows(2))
    store.commit()
    assert store.num_embeddings() == 0
    assert store.get_embeddings(["nobody"], "minilm") == {}
