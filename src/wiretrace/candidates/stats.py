"""Corpus statistics of one pair, carried with the pair instead of a whole-corpus index.

Classifying a pair needs three things from the corpus: the inverse document frequency of
the content words the two documents share (the related-pair cosine), the document
frequency of their anchors (rare names and numbers are evidence, common ones are not), and
that of their formula frame grams (wording shared by many documents is a template).
The embedded engine answers from :class:`~wiretrace.candidates.CorpusIndex`, which holds
every fingerprint. A distributed engine cannot: it computes, once per document, the
document frequency of each of that document's features (a join with the corpus-wide
counts) and sends the two :class:`DocStats` along with the pair. :class:`PairStats` then
answers the same questions with the same arithmetic, so both engines reach the same
verdicts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from wiretrace.align.sentences import SentenceView
from wiretrace.fingerprint.anchors import AnchorKind
from wiretrace.fingerprint.doc import Fingerprint, anchor_hashes, count_anchor_kinds


class CorpusStatistics(Protocol):
    """What the classify stage asks of the corpus about one pair of documents."""

    def vocabulary_cosine(self, a: str, b: str) -> float:
        """Idf-weighted cosine of the content-word sets of two documents."""
        ...

    def shared_anchor_kinds(self, a: str, b: str, max_df: int) -> dict[str, int]:
        """How many rare anchors of each kind two documents share."""
        ...

    def rare_anchor_keys(
        self, kind: AnchorKind, keys: Iterable[str], max_df: int
    ) -> frozenset[str]:
        """The keys among ``keys`` whose anchors occur in at most ``max_df`` documents."""
        ...

    def frame_df(self, hashes: np.ndarray) -> np.ndarray:
        """How many documents hold each frame gram of ``hashes`` (the pair's own)."""
        ...


def vocabulary_idf(df: np.ndarray, num_docs: int) -> np.ndarray:
    """Smoothed inverse document frequency (the formula of :class:`CorpusIndex`)."""
    return np.log((1 + num_docs) / (1 + df)) + 1.0


def anchor_probes(fingerprint: Fingerprint, view: SentenceView) -> np.ndarray:
    """Every anchor hash a pair with this document may look up, sorted and unique.

    The document's own anchors and frame grams, plus the hashes of the names and numbers
    of its sentences (the classify stage asks whether those are rare).
    """
    numbers = sorted(set().union(*view.numbers))
    names = sorted(set().union(*view.names))
    parts = [fingerprint.anchors, fingerprint.frames]
    if numbers:
        parts.append(anchor_hashes(AnchorKind.NUMBER, numbers))
    if names:
        parts.append(anchor_hashes(AnchorKind.NAME, names))
    return np.unique(np.concatenate(parts)).astype(np.uint64)


@dataclass(frozen=True, slots=True)
class DocStats:
    """One document's features with their corpus-wide document frequencies.

    Arrays are aligned: ``vocabulary_df[i]`` is the number of documents holding
    ``vocabulary[i]``; ``probe_df[i]`` the number whose anchors include ``probes[i]``
    (0 when none does).
    """

    doc_id: str
    num_docs: int
    vocabulary: np.ndarray
    vocabulary_df: np.ndarray
    anchors: np.ndarray
    probes: np.ndarray
    probe_df: np.ndarray


class PairStats:
    """:class:`CorpusStatistics` for one pair, from the :class:`DocStats` of its documents."""

    def __init__(self, a: DocStats, b: DocStats) -> None:
        self._docs = {a.doc_id: a, b.doc_id: b}
        self._num_docs = a.num_docs
        probes = np.concatenate((a.probes, b.probes))
        probe_df = np.concatenate((a.probe_df, b.probe_df))
        self._probes, first = np.unique(probes, return_index=True)
        self._probe_df = probe_df[first]

    def _anchor_df(self, hashes: np.ndarray) -> np.ndarray:
        pos = np.clip(np.searchsorted(self._probes, hashes), 0, max(len(self._probes) - 1, 0))
        if len(self._probes) == 0:
            return np.zeros(len(hashes), dtype=np.int64)
        found = self._probes[pos] == hashes
        return np.where(found, self._probe_df[pos], 0)

    def _norm(self, stats: DocStats) -> float:
        return float((vocabulary_idf(stats.vocabulary_df, self._num_docs) ** 2).sum())

    def vocabulary_cosine(self, a: str, b: str) -> float:
        """Idf-weighted cosine of the content-word sets of two documents."""
        sa, sb = self._docs[a], self._docs[b]
        if len(sa.vocabulary) == 0 or len(sb.vocabulary) == 0:
            return 0.0
        _, ia, _ = np.intersect1d(
            sa.vocabulary, sb.vocabulary, assume_unique=True, return_indices=True
        )
        shared_idf = vocabulary_idf(sa.vocabulary_df[ia], self._num_docs)
        return float((shared_idf**2).sum() / np.sqrt(self._norm(sa) * self._norm(sb)))

    def frame_df(self, hashes: np.ndarray) -> np.ndarray:
        """How many documents hold each frame gram of ``hashes`` (the pair's own)."""
        return self._anchor_df(hashes)

    def shared_anchor_kinds(self, a: str, b: str, max_df: int) -> dict[str, int]:
        """How many rare anchors of each kind two documents share."""
        shared = np.intersect1d(self._docs[a].anchors, self._docs[b].anchors, assume_unique=True)
        if len(shared):
            shared = shared[self._anchor_df(shared) <= max_df]
        return count_anchor_kinds(shared)

    def rare_anchor_keys(
        self, kind: AnchorKind, keys: Iterable[str], max_df: int
    ) -> frozenset[str]:
        """The keys among ``keys`` whose anchors occur in at most ``max_df`` documents."""
        ordered = sorted(set(keys))
        if not ordered:
            return frozenset()
        df = self._anchor_df(anchor_hashes(kind, ordered))
        return frozenset(k for k, n in zip(ordered, df.tolist(), strict=True) if n <= max_df)
