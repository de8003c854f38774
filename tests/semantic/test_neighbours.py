"""Nearest-neighbour candidates: exact and approximate search against a slow reference."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.errors import ConfigError
from wiretrace.model import CandidatePair
from wiretrace.semantic import neighbours
from wiretrace.semantic.neighbours import neighbour_candidates


def unit_rows(rng: np.random.Generator, n: int, dim: int = 16) -> np.ndarray:
    rows = rng.normal(size=(n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def reference(vectors, scope, k, min_cosine, min_matches) -> list[CandidatePair]:
    """Every sentence against every other document's sentences, one at a time."""
    owned = [(doc, i, v) for doc, m in sorted(vectors.items()) for i, v in enumerate(m)]
    found: dict[tuple[str, str], set[tuple[tuple[str, int], tuple[str, int]]]] = {}
    for doc, i, v in owned:
        if scope is not None and doc not in scope:
            continue
        others = [(float(v @ w), (d, j)) for d, j, w in owned if d != doc]
        others.sort(key=lambda x: -x[0])
        for cosine, (d, j) in others[:k]:
            if cosine < min_cosine:
                continue
            a, b = sorted(((doc, i), (d, j)))
            found.setdefault((a[0], b[0]), set()).add((a, b))
    pairs = []
    for (a, b), matches in found.items():
        distinct = min(len({x for x, _ in matches}), len({y for _, y in matches}))
        if distinct >= min_matches:
            pairs.append(CandidatePair(a, b))
    return sorted(pairs, key=lambda p: (p.a, p.b))


def planted_corpus(seed: int) -> dict[str, np.ndarray]:
    """Six random documents; doc1 rewrites three sentences of doc0 (small perturbations)."""
    rng = np.random.default_rng(seed)
    docs = {f"doc{k}": unit_rows(rng, 5) for k in range(6)}
    noisy = docs["doc0"][:3] + 0.05 * rng.normal(size=(3, 16)).astype(np.float32)
    docs["doc1"][:3] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    return docs


def test_a_rewritten_document_is_found() -> None:
    pairs = neighbour_candidates(planted_corpus(1), None, 4, 0.9, 2)
    assert pairs == [CandidatePair("doc0", "doc1")]


def test_scope_limits_pairs_to_new_documents() -> None:
    docs = planted_corpus(2)
    assert neighbour_candidates(docs, ["doc3"], 4, 0.9, 2) == []
    assert neighbour_candidates(docs, ["doc1"], 4, 0.9, 2) == [CandidatePair("doc0", "doc1")]


def test_one_stock_sentence_matching_many_counts_once() -> None:
    rng = np.random.default_rng(3)
    a = unit_rows(rng, 3)
    b = np.repeat(a[:1], 3, axis=0)  # three copies of a's first sentence
    assert neighbour_candidates({"a": a, "b": b}, None, 4, 0.9, 2) == []
    assert neighbour_candidates({"a": a, "b": b}, None, 4, 0.9, 1) == [CandidatePair("a", "b")]


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ConfigError, match="num_neighbours"):
        neighbour_candidates(planted_corpus(4), None, 0, 0.9, 2)


def test_empty_and_single_documents_give_nothing() -> None:
    rng = np.random.default_rng(5)
    assert neighbour_candidates({}, None, 4, 0.5, 1) == []
    assert neighbour_candidates({"a": unit_rows(rng, 3)}, None, 4, 0.5, 1) == []
    assert neighbour_candidates({"a": np.zeros((0, 16), np.float32)}, None, 4, 0.5, 1) == []


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    k=st.integers(1, 6),
    min_cosine=st.sampled_from([0.0, 0.3, 0.6]),
    min_matches=st.integers(1, 3),
    scoped=st.booleans(),
)
def test_exact_search_matches_the_reference(seed, k, min_cosine, min_matches, scoped) -> None:
    rng = np.random.default_rng(seed)
    vectors = {f"d{n}": unit_rows(rng, int(rng.integers(1, 5)), dim=4) for n in range(5)}
    scope = ["d0", "d3"] if scoped else None
    got = neighbour_candidates(vectors, scope, k, min_cosine, min_matches)
    # Ties in cosine may pick different neighbours: random floats make them vanishingly rare.
    assert got == reference(vectors, scope, k, min_cosine, min_matches)


def test_approximate_search_finds_the_planted_pairs(monkeypatch) -> None:
    """Above the exact limit the HNSW index takes over and finds the same rewrites."""
    rng = np.random.default_rng(7)
    docs = {f"doc{k:02d}": unit_rows(rng, 8, dim=32) for k in range(40)}
    for source, copy in itertools.pairwise(["doc00", "doc01", "doc02"]):
        noisy = docs[source][:4] + 0.05 * rng.normal(size=(4, 32)).astype(np.float32)
        docs[copy][:4] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    exact = neighbour_candidates(docs, None, 4, 0.9, 2)
    monkeypatch.setattr(neighbours, "EXACT_MAX_VECTORS", 10)
    approximate = neighbour_candidates(docs, None, 4, 0.9, 2)
    assert approximate == exact
    assert CandidatePair("doc00", "doc01") in exact
