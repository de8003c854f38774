"""Candidate pairs from sentence vectors: documents whose sentences are each other's neighbours.

Every sentence looks up its ``num_neighbours`` nearest sentences of other documents; a
document pair with at least ``min_sentence_matches`` sentence pairs above
``min_neighbour_cosine`` becomes a candidate. Small corpora are searched exactly (blocked
matrix products); above :data:`EXACT_MAX_VECTORS` sentences an approximate HNSW index
(usearch) keeps the search sub-quadratic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

import numpy as np

from wiretrace.errors import ConfigError
from wiretrace.model import CandidatePair

# Exact search costs N^2 * dim multiply-adds: 50,000 sentences of 512 floats is ~1.3e12,
# about ten seconds on two cores; beyond that the HNSW index wins.
EXACT_MAX_VECTORS = 50_000
# Rows per block of the exact search: a 1024 x N float32 block stays under 200 MB at N=50k.
EXACT_BLOCK_ROWS = 1024
# Extra neighbours fetched from the approximate index, since a document's own sentences
# come back first and are discarded.
APPROXIMATE_OVERFETCH = 4


def _stack(
    vectors: Mapping[str, np.ndarray],
) -> tuple[list[str], np.ndarray, np.ndarray]:
    ids = sorted(doc_id for doc_id, m in vectors.items() if len(m))
    if not ids:
        return ids, np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.int64)
    matrix = np.concatenate([vectors[doc_id] for doc_id in ids]).astype(np.float32, copy=False)
    owner = np.concatenate([np.full(len(vectors[d]), k, dtype=np.int64) for k, d in enumerate(ids)])
    return ids, matrix, owner


def _exact(
    matrix: np.ndarray, owner: np.ndarray, rows: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` other-document neighbours (indices, cosines) of each row in ``rows``."""
    k = min(k, len(matrix))
    keys = np.empty((len(rows), k), dtype=np.int64)
    cosines = np.empty((len(rows), k), dtype=np.float32)
    for start in range(0, len(rows), EXACT_BLOCK_ROWS):
        block = rows[start : start + EXACT_BLOCK_ROWS]
        sims = matrix[block] @ matrix.T
        sims[owner[block][:, None] == owner[None, :]] = -np.inf
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        keys[start : start + len(block)] = top
        cosines[start : start + len(block)] = np.take_along_axis(sims, top, axis=1)
    return keys, cosines


def _approximate(
    matrix: np.ndarray, owner: np.ndarray, rows: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`_exact`, from an HNSW index (usearch; cosine = 1 - distance)."""
    try:
        from usearch.index import Index
    except ImportError as error:
        raise ConfigError(
            f"searching {len(matrix)} sentence vectors needs the package 'usearch' (an "
            f"approximate index; exact search stops at {EXACT_MAX_VECTORS}): "
            "pip install 'wiretrace[semantic]'"
        ) from error
    index = Index(ndim=matrix.shape[1], metric="cos", dtype="f32")
    # One thread: the graph, and so the neighbours, are the same on every run.
    index.add(np.arange(len(matrix)), matrix, threads=1)
    found = index.search(matrix[rows], k * APPROXIMATE_OVERFETCH, threads=1)
    keys = np.asarray(found.keys, dtype=np.int64)
    cosines = 1.0 - np.asarray(found.distances, dtype=np.float32)
    same = owner[keys] == owner[rows][:, None]
    cosines[same] = -np.inf
    return keys, cosines


def neighbour_candidates(
    vectors: Mapping[str, np.ndarray],
    scope: Collection[str] | None,
    num_neighbours: int,
    min_cosine: float,
    min_sentence_matches: int,
) -> list[CandidatePair]:
    """Document pairs that share enough neighbouring sentences, sorted by ids.

    Args:
        vectors: L2-normalized sentence vectors per document (one encoder).
        scope: only pairs that involve one of these documents (``None``: all pairs).
        num_neighbours: neighbours looked up per sentence.
        min_cosine: cosine a neighbour needs to count.
        min_sentence_matches: distinct sentence pairs a document pair needs.
    """
    if num_neighbours < 1 or min_sentence_matches < 1:
        raise ConfigError(
            "num_neighbours and min_sentence_matches must be >= 1; got "
            f"{num_neighbours} and {min_sentence_matches}"
        )
    ids, matrix, owner = _stack(vectors)
    if len(ids) < 2:
        return []
    wanted = None if scope is None else set(scope)
    in_scope = np.array([wanted is None or d in wanted for d in ids], dtype=bool)
    rows = np.nonzero(in_scope[owner])[0]
    search = _exact if len(matrix) <= EXACT_MAX_VECTORS else _approximate
    keys, cosines = search(matrix, owner, rows, num_neighbours)
    matches: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)
    for row, neighbours, scores in zip(rows.tolist(), keys, cosines, strict=True):
        for other, cosine in zip(neighbours.tolist(), scores.tolist(), strict=True):
            if cosine < min_cosine or other < 0:
                continue
            a, b = int(owner[row]), int(owner[other])
            pair = (a, b) if a < b else (b, a)
            matches[pair].add((row, other) if a < b else (other, row))
    pairs = []
    for (a, b), found in matches.items():
        # Distinct sentences on the side with fewer of them: one sentence that matches many
        # (a stock line) counts once.
        distinct = min(len({r for r, _ in found}), len({o for _, o in found}))
        if distinct >= min_sentence_matches:
            pairs.append(CandidatePair(ids[a], ids[b]))
    return sorted(pairs, key=lambda p: (p.a, p.b))
