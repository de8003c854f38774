"""Inverted indexes over fingerprints, and candidate pairs from shared rare features."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from wiretrace.fingerprint.anchors import AnchorKind
from wiretrace.fingerprint.doc import Fingerprint, anchor_hashes, count_anchor_kinds
from wiretrace.fingerprint.minhash import band_keys, minhash_signature, permutations
from wiretrace.model import CandidatePair


@dataclass(frozen=True, slots=True)
class CandidateConfig:
    """Thresholds of the candidate stage.

    ``max_shingle_df`` follows passim's ``maxDF`` default of 100: a shingle in more
    documents than that is boilerplate or a formula, not evidence of reuse.
    """

    max_shingle_df: int = 100
    min_shared_shingles: int = 2
    max_anchor_df: int = 50
    min_shared_anchors: int = 4
    # MinHash-LSH for near-duplicates whose shingles are all too common for the index:
    # 16 bands of 8 rows put the 50% detection point near Jaccard 0.7.
    num_perm: int = 128
    num_bands: int = 16
    # A bucket holding more documents than this is a stock text sent many times a day;
    # its pairs say nothing the story view would not show better.
    max_bucket_size: int = 200


@dataclass(frozen=True, slots=True)
class _Postings:
    """Feature → documents, as parallel arrays sorted by feature."""

    features: np.ndarray
    docs: np.ndarray


def _postings(arrays: Sequence[np.ndarray]) -> _Postings:
    lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
    features = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.uint64)
    docs = np.repeat(np.arange(len(arrays), dtype=np.int64), lengths)
    order = np.argsort(features, kind="stable")
    return _Postings(features[order], docs[order])


@lru_cache(maxsize=256)
def _upper_pairs(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs ``i < j`` of a group of ``size``.

    np.triu_indices, cached: most posting groups are small and their sizes repeat.
    """
    return np.triu_indices(size, k=1)


def _pair_counts(
    postings: _Postings, max_df: int, is_new: np.ndarray, weights: np.ndarray | None = None
) -> dict[int, float]:
    """Count, for each document pair, the features they share (df between 2 and max_df).

    Only pairs with at least one new document are counted. Keys are ``i * n + j``
    with ``i < j``.
    """
    n = len(is_new)
    features, docs = postings.features, postings.docs
    if len(features) == 0:
        return {}
    boundaries = np.flatnonzero(np.diff(features)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(features)]))
    sizes = ends - starts
    keep = (sizes >= 2) & (sizes <= max_df)
    keys: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for start, end in zip(starts[keep], ends[keep], strict=True):
        members = docs[start:end]
        if not is_new[members].any():
            continue
        left, right = _upper_pairs(len(members))
        a, b = members[left], members[right]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        mask = (lo != hi) & (is_new[lo] | is_new[hi])
        keys.append(lo[mask] * n + hi[mask])
        w = 1.0 if weights is None else weights[start]
        values.append(np.full(int(mask.sum()), w))
    if not keys:
        return {}
    all_keys = np.concatenate(keys)
    all_values = np.concatenate(values)
    unique, inverse = np.unique(all_keys, return_inverse=True)
    sums = np.bincount(inverse, weights=all_values)
    return dict(zip(unique.tolist(), sums.tolist(), strict=True))


class CorpusIndex:
    """All fingerprints of a corpus, indexed for candidate search."""

    def __init__(self, fingerprints: Iterable[Fingerprint]) -> None:
        self.fingerprints = list(fingerprints)
        self.ids = [f.doc_id for f in self.fingerprints]
        self.position = {doc_id: i for i, doc_id in enumerate(self.ids)}
        self._shingles = _postings([f.shingles for f in self.fingerprints])
        self._anchors = _postings([f.anchors for f in self.fingerprints])
        frames = [f.frames for f in self.fingerprints]
        self._frames = np.sort(np.concatenate([np.zeros(0, dtype=np.uint64), *frames]))
        vocab = _postings([f.vocabulary for f in self.fingerprints])
        unique, counts = np.unique(vocab.features, return_counts=True)
        self._vocab_features = unique
        # Smoothed inverse document frequency of content words, for the related-pair cosine.
        self._vocab_idf = np.log((1 + len(self.ids)) / (1 + counts)) + 1.0
        self._norms: dict[int, float] = {}

    def idf(self, features: np.ndarray) -> np.ndarray:
        """Inverse document frequency of content-word hashes (unknown words: the maximum)."""
        if len(self._vocab_features) == 0:
            return np.ones(len(features))
        pos = np.searchsorted(self._vocab_features, features)
        pos = np.clip(pos, 0, len(self._vocab_features) - 1)
        found = self._vocab_features[pos] == features
        top = float(np.log(1 + len(self.ids))) + 1.0
        return np.where(found, self._vocab_idf[pos], top)

    def vocabulary_cosine(self, a: str, b: str) -> float:
        """Idf-weighted cosine of the content-word sets of two documents."""
        ia, ib = self.position[a], self.position[b]
        va, vb = self.fingerprints[ia].vocabulary, self.fingerprints[ib].vocabulary
        if len(va) == 0 or len(vb) == 0:
            return 0.0
        shared = np.intersect1d(va, vb, assume_unique=True)
        return float((self.idf(shared) ** 2).sum() / np.sqrt(self._norm(ia) * self._norm(ib)))

    def _norm(self, i: int) -> float:
        """Squared idf norm of one document's vocabulary (computed once)."""
        norm = self._norms.get(i)
        if norm is None:
            norm = float((self.idf(self.fingerprints[i].vocabulary) ** 2).sum())
            self._norms[i] = norm
        return norm

    def rare_anchor_keys(
        self, kind: AnchorKind, keys: Iterable[str], max_df: int
    ) -> frozenset[str]:
        """The keys among ``keys`` whose anchors occur in at most ``max_df`` documents."""
        ordered = sorted(set(keys))
        if not ordered:
            return frozenset()
        hashed = anchor_hashes(kind, ordered)
        left = np.searchsorted(self._anchors.features, hashed)
        right = np.searchsorted(self._anchors.features, hashed, side="right")
        return frozenset(
            k for k, df in zip(ordered, (right - left).tolist(), strict=True) if df <= max_df
        )

    def frame_df(self, hashes: np.ndarray) -> np.ndarray:
        """How many documents hold each frame gram of ``hashes``."""
        left = np.searchsorted(self._frames, hashes)
        return np.searchsorted(self._frames, hashes, side="right") - left

    def shared_anchor_kinds(self, a: str, b: str, max_df: int) -> dict[str, int]:
        """How many rare anchors of each kind two documents share."""
        fa = self.fingerprints[self.position[a]].anchors
        fb = self.fingerprints[self.position[b]].anchors
        shared = np.intersect1d(fa, fb, assume_unique=True)
        if len(shared):
            pos = np.searchsorted(self._anchors.features, shared)
            right = np.searchsorted(self._anchors.features, shared, side="right")
            shared = shared[(right - pos) <= max_df]
        return count_anchor_kinds(shared)

    def candidates(
        self, new_ids: Iterable[str] | None, config: CandidateConfig
    ) -> list[CandidatePair]:
        """Pairs with at least one document of ``new_ids`` (all documents if ``None``)."""
        is_new = np.zeros(len(self.ids), dtype=bool)
        if new_ids is None:
            is_new[:] = True
        else:
            for doc_id in new_ids:
                if doc_id in self.position:
                    is_new[self.position[doc_id]] = True
        if not is_new.any():
            return []
        n = len(self.ids)
        shingle_counts = _pair_counts(self._shingles, config.max_shingle_df, is_new)
        anchor_counts = _pair_counts(self._anchors, config.max_anchor_df, is_new)
        lsh_keys = self._lsh_pairs(is_new, config)
        pairs = []
        for key in sorted(set(shingle_counts) | set(anchor_counts) | lsh_keys):
            shared_shingles = int(shingle_counts.get(key, 0))
            shared_anchors = int(anchor_counts.get(key, 0))
            if (
                shared_shingles >= config.min_shared_shingles
                or shared_anchors >= config.min_shared_anchors
                or key in lsh_keys
            ):
                i, j = divmod(key, n)
                a, b = sorted((self.ids[i], self.ids[j]))
                pairs.append(CandidatePair(a, b, shared_shingles, shared_anchors))
        return pairs

    def _lsh_pairs(self, is_new: np.ndarray, config: CandidateConfig) -> set[int]:
        """Pair keys of documents that share an LSH band bucket of their MinHash signatures."""
        perms = permutations(config.num_perm)
        keys = [
            band_keys(minhash_signature(f.shingles, perms), config.num_bands)
            if len(f.shingles)
            else np.zeros(0, dtype=np.uint64)
            for f in self.fingerprints
        ]
        counts = _pair_counts(_postings(keys), config.max_bucket_size, is_new)
        return set(counts)


def find_candidates(
    fingerprints: Iterable[Fingerprint],
    new_ids: Iterable[str] | None = None,
    config: CandidateConfig | None = None,
) -> list[CandidatePair]:
    """Candidate pairs among ``fingerprints`` that involve at least one of ``new_ids``."""
    return CorpusIndex(fingerprints).candidates(new_ids, config or CandidateConfig())
