"""Inverted indexes over fingerprints, and candidate pairs from shared rare features."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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


# Up to this many new documents, pairs are counted from the new documents' own features
# (a lookup each) instead of a pass over every posting group of the corpus.
FEW_NEW = 64


def _pair_counts(
    postings: _Postings,
    max_df: int,
    is_new: np.ndarray,
    features_of: Callable[[int], np.ndarray] | None = None,
) -> dict[int, float]:
    """Count, for each document pair, the features they share (df between 2 and max_df).

    Only pairs with at least one new document are counted. Keys are ``i * n + j``
    with ``i < j``. ``features_of(i)`` gives document ``i``'s features (sorted, unique):
    with it, a few new documents are counted by looking their features up.
    """
    new = np.flatnonzero(is_new)
    if features_of is not None and len(new) <= FEW_NEW:
        return _pair_counts_of_few(postings, max_df, is_new, new, features_of)
    return _pair_counts_of_all(postings, max_df, is_new)


def _pair_counts_of_few(
    postings: _Postings,
    max_df: int,
    is_new: np.ndarray,
    new: np.ndarray,
    features_of: Callable[[int], np.ndarray],
) -> dict[int, float]:
    """:func:`_pair_counts` by looking up each new document's features."""
    n = len(is_new)
    features, docs = postings.features, postings.docs
    keys: list[np.ndarray] = []
    for i in new.tolist():
        own = features_of(i)
        left = np.searchsorted(features, own)
        right = np.searchsorted(features, own, side="right")
        sizes = right - left
        keep = (sizes >= 2) & (sizes <= max_df)
        left, sizes = left[keep], sizes[keep]
        if not len(left):
            continue
        # Every posting of the kept features, as one index array.
        offsets = np.repeat(left - np.cumsum(np.concatenate(([0], sizes[:-1]))), sizes)
        others = docs[offsets + np.arange(int(sizes.sum()))]
        # A pair of two new documents is counted from its smaller side only.
        others = others[(others != i) & ~(is_new[others] & (others < i))]
        lo, hi = np.minimum(others, i), np.maximum(others, i)
        keys.append(lo * n + hi)
    if not keys:
        return {}
    unique, counts = np.unique(np.concatenate(keys), return_counts=True)
    return dict(zip(unique.tolist(), counts.astype(float).tolist(), strict=True))


def _pair_counts_of_all(postings: _Postings, max_df: int, is_new: np.ndarray) -> dict[int, float]:
    """:func:`_pair_counts` by one pass over every posting group (many new documents)."""
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
    for start, end in zip(starts[keep], ends[keep], strict=True):
        members = docs[start:end]
        if not is_new[members].any():
            continue
        left, right = _upper_pairs(len(members))
        a, b = members[left], members[right]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        mask = (lo != hi) & (is_new[lo] | is_new[hi])
        keys.append(lo[mask] * n + hi[mask])
    if not keys:
        return {}
    unique, counts = np.unique(np.concatenate(keys), return_counts=True)
    return dict(zip(unique.tolist(), counts.astype(float).tolist(), strict=True))


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
        self._vocab_features, self._vocab_counts = np.unique(vocab.features, return_counts=True)
        self._set_idf()
        # LSH band keys of every document and their postings, per (num_perm, num_bands).
        self._lsh: dict[tuple[int, int], tuple[list[np.ndarray], _Postings]] = {}

    def _set_idf(self) -> None:
        # Smoothed inverse document frequency of content words, for the related-pair cosine.
        self._vocab_idf = np.log((1 + len(self.ids)) / (1 + self._vocab_counts)) + 1.0
        self._norms: dict[int, float] = {}

    def extended(self, fingerprint: Fingerprint) -> CorpusIndex:
        """The index with one more document, sharing what it can (a traced text).

        Equal to ``CorpusIndex([*self.fingerprints, fingerprint])`` in everything it
        answers, in milliseconds rather than seconds on a large corpus: each sorted array
        gets the new document's entries inserted instead of being built again.

        Raises:
            ValueError: the index already holds a document of that id.
        """
        if fingerprint.doc_id in self.position:
            raise ValueError(f"the index already holds {fingerprint.doc_id!r}")
        n = len(self.ids)
        index = CorpusIndex.__new__(CorpusIndex)
        index.fingerprints = [*self.fingerprints, fingerprint]
        index.ids = [*self.ids, fingerprint.doc_id]
        index.position = {**self.position, fingerprint.doc_id: n}
        index._shingles = _with_document(self._shingles, fingerprint.shingles, n)
        index._anchors = _with_document(self._anchors, fingerprint.anchors, n)
        index._frames = _insert_sorted(self._frames, fingerprint.frames)
        vocab = fingerprint.vocabulary
        pos = np.searchsorted(self._vocab_features, vocab)
        found = pos < len(self._vocab_features)
        found[found] = self._vocab_features[pos[found]] == vocab[found]
        counts = self._vocab_counts.copy()
        counts[pos[found]] += 1
        fresh = vocab[~found]
        index._vocab_features = _insert_sorted(self._vocab_features, fresh)
        index._vocab_counts = np.insert(
            counts, np.searchsorted(self._vocab_features, fresh), np.ones(len(fresh), np.int64)
        )
        index._set_idf()
        index._lsh = {}
        for (num_perm, num_bands), (keys, postings) in self._lsh.items():
            own = _band_keys(fingerprint, permutations(num_perm), num_bands)
            index._lsh[num_perm, num_bands] = ([*keys, own], _with_document(postings, own, n))
        return index

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
        if len(hashes) == 0:
            return np.zeros(0, dtype=np.int64)
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
        shingle_counts = _pair_counts(
            self._shingles, config.max_shingle_df, is_new, lambda i: self.fingerprints[i].shingles
        )
        anchor_counts = _pair_counts(
            self._anchors, config.max_anchor_df, is_new, lambda i: self.fingerprints[i].anchors
        )
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
        """Pair keys of documents that share an LSH band bucket of their MinHash signatures.

        The band keys of every document are computed once per index (and carried over by
        :meth:`extended`).
        """
        keys, postings = self._lsh_keys(config)
        counts = _pair_counts(postings, config.max_bucket_size, is_new, keys.__getitem__)
        return set(counts)

    def _lsh_keys(self, config: CandidateConfig) -> tuple[list[np.ndarray], _Postings]:
        """Every document's LSH band keys and their postings, computed once per index."""
        params = (config.num_perm, config.num_bands)
        found = self._lsh.get(params)
        if found is None:
            perms = permutations(config.num_perm)
            keys = [_band_keys(f, perms, config.num_bands) for f in self.fingerprints]
            found = self._lsh[params] = (keys, _postings(keys))
        return found

    def prepare(self, config: CandidateConfig) -> None:
        """Compute now what candidate search with ``config`` needs (once).

        Every index :meth:`extended` from this one then shares it instead of computing it.
        """
        self._lsh_keys(config)


def _band_keys(
    fingerprint: Fingerprint, perms: tuple[np.ndarray, np.ndarray], num_bands: int
) -> np.ndarray:
    """The sorted LSH band keys of one document's MinHash signature (none without shingles)."""
    if not len(fingerprint.shingles):
        return np.zeros(0, dtype=np.uint64)
    signature = minhash_signature(fingerprint.shingles, perms)
    return np.unique(band_keys(signature, num_bands))


def _insert_sorted(values: np.ndarray, new: np.ndarray) -> np.ndarray:
    """``values`` (sorted) with ``new`` inserted in order."""
    return np.insert(values, np.searchsorted(values, np.sort(new), side="right"), np.sort(new))


def _with_document(postings: _Postings, features: np.ndarray, doc: int) -> _Postings:
    """``postings`` with document ``doc`` (a larger index than any there) holding ``features``.

    Equal features keep their documents in ascending order, as :func:`_postings` sorts them.
    """
    new = np.sort(features)
    where = np.searchsorted(postings.features, new, side="right")
    return _Postings(
        np.insert(postings.features, where, new),
        np.insert(postings.docs, where, np.full(len(new), doc, dtype=postings.docs.dtype)),
    )


def find_candidates(
    fingerprints: Iterable[Fingerprint],
    new_ids: Iterable[str] | None = None,
    config: CandidateConfig | None = None,
) -> list[CandidatePair]:
    """Candidate pairs among ``fingerprints`` that involve at least one of ``new_ids``."""
    return CorpusIndex(fingerprints).candidates(new_ids, config or CandidateConfig())
