"""The embedded engine: detection over the SQLite store, incremental by default.

``detect`` fingerprints what is new, finds candidate pairs that involve a new document,
aligns and classifies only those, then rebuilds stories from all stored verdicts (cheap:
the graph has one edge per related pair).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from wiretrace.align import AlignConfig, align_documents, sentence_view
from wiretrace.align.sentences import SentenceView
from wiretrace.candidates import CandidateConfig, CorpusIndex
from wiretrace.candidates.stats import CorpusStatistics
from wiretrace.classify import ClassifyConfig, PairEvidence, classify_pair
from wiretrace.cluster import ClusterConfig, DocInfo, build_stories
from wiretrace.engines.workers import WorkerPool
from wiretrace.fingerprint import (
    AnchorKind,
    Fingerprint,
    FingerprintConfig,
    fingerprint_document,
)
from wiretrace.model import CandidatePair, Document, PairVerdict
from wiretrace.store import SqliteStore, open_store

# Documents kept in memory while aligning (sentence views are reused across pairs).
VIEW_CACHE_SIZE = 4096
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DetectConfig:
    """The configuration of every detection stage."""

    fingerprint: FingerprintConfig = field(default_factory=FingerprintConfig)
    candidates: CandidateConfig = field(default_factory=CandidateConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    classify: ClassifyConfig = field(default_factory=ClassifyConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)


@dataclass
class DetectSummary:
    """What one detection run did."""

    new_documents: int = 0
    candidates: int = 0
    pairs: int = 0
    types: Counter[str] = field(default_factory=Counter)
    stories: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        """A JSON-ready form."""
        data = asdict(self)
        data["types"] = dict(sorted(self.types.items()))
        return data


class _Views:
    """A bounded cache of sentence views, loading documents from the store in batches."""

    def __init__(self, store: SqliteStore) -> None:
        self._store = store
        self._cache: dict[str, SentenceView] = {}

    def prefetch(self, ids: Iterable[str]) -> None:
        missing = [i for i in ids if i not in self._cache]
        if len(self._cache) + len(missing) > VIEW_CACHE_SIZE:
            self._cache.clear()
        for doc_id, doc in self._store.get_documents(missing).items():
            self._cache[doc_id] = sentence_view(doc)

    def get(self, doc_id: str) -> SentenceView:
        if doc_id not in self._cache:
            self.prefetch([doc_id])
        return self._cache[doc_id]


def evaluate_pair(
    index: CorpusStatistics, va: SentenceView, vb: SentenceView, config: DetectConfig
) -> PairVerdict | None:
    """Align and classify one pair of documents (the per-pair work of every engine).

    ``index`` answers the corpus-wide questions: the whole :class:`CorpusIndex` here,
    the :class:`~wiretrace.candidates.stats.PairStats` of the pair in the Spark engine.
    """
    # Aligned whatever the detected languages: a misdetected language (a short English
    # text taken for Spanish) must not hide a copy, and truly different languages share
    # no bigrams, so the attempt costs little.
    passages = align_documents(va, vb, config.align)
    max_df = config.candidates.max_anchor_df
    shared = index.shared_anchor_kinds(va.doc.id, vb.doc.id, max_df)
    numbers = set().union(*va.numbers, *vb.numbers)
    names = set().union(*va.names, *vb.names)
    evidence = PairEvidence(
        a=va,
        b=vb,
        passages=passages,
        vocabulary_cosine=index.vocabulary_cosine(va.doc.id, vb.doc.id),
        shared_names=shared["name"],
        shared_numbers=shared["number"],
        shared_quotes=shared["quote"],
        rare_numbers=index.rare_anchor_keys(AnchorKind.NUMBER, numbers, max_df),
        rare_names=index.rare_anchor_keys(AnchorKind.NAME, names, max_df),
    )
    return classify_pair(evidence, config.classify)


# State that forked workers inherit: the store's path, the index and the configuration.
# Set in the parent right before its pool starts; each worker opens its own connection.
_worker_state: dict[str, Any] = {}
# Candidate pairs per worker task: pairs are sorted, so a chunk shares its documents.
PAIRS_PER_TASK = 64
DOCS_PER_TASK = 64


def _worker_store() -> SqliteStore:
    """The parent's store in the parent; in a forked worker, a connection of its own."""
    if os.getpid() == _worker_state["parent_pid"]:
        return _worker_state["parent_store"]
    store = _worker_state.get("child_store")
    if store is None:
        store = open_store(_worker_state["path"])
        _worker_state["child_store"] = store
    return store


def _fingerprint_task(doc_ids: list[str]) -> list[tuple[str, int, tuple[bytes, bytes, bytes]]]:
    """Fingerprint some documents (runs in a worker, or in the parent without a pool)."""
    store, config = _worker_store(), _worker_state["config"]
    docs = store.get_documents(doc_ids)
    return [
        (
            doc_id,
            docs[doc_id].version,
            fingerprint_document(docs[doc_id], config.fingerprint).to_blobs(),
        )
        for doc_id in doc_ids
        if doc_id in docs
    ]


def _evaluate_task(pairs: list[CandidatePair]) -> list[PairVerdict]:
    """Align and classify some candidate pairs (runs in a worker, or in the parent)."""
    views = _worker_state.get("views")
    if views is None:
        views = _worker_state["views"] = _Views(_worker_store())
    views.prefetch([p.a for p in pairs] + [p.b for p in pairs])
    index, config = _worker_state["index"], _worker_state["config"]
    verdicts = []
    for pair in pairs:
        verdict = evaluate_pair(index, views.get(pair.a), views.get(pair.b), config)
        if verdict is not None:
            verdicts.append(verdict)
    return verdicts


def _chunks(items: list[T], size: int) -> list[list[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _parallel_workers(store: SqliteStore, workers: int) -> int:
    # Workers open the store by path: an in-memory store has no path to open.
    return 1 if store.path == ":memory:" else workers


def fingerprint_new(store: SqliteStore, config: DetectConfig, workers: int = 1) -> list[str]:
    """Fingerprint every document whose current version has none; return their ids."""
    new_ids = store.documents_without_fingerprint()
    store.commit()
    _worker_state.clear()
    _worker_state.update(path=store.path, config=config, parent_pid=os.getpid(), parent_store=store)
    with WorkerPool(_parallel_workers(store, workers)) as pool:
        for group in _chunks(_chunks(new_ids, DOCS_PER_TASK), 16):
            for results in pool.map(_fingerprint_task, group):
                for doc_id, version, blobs in results:
                    store.put_fingerprint(doc_id, version, *blobs)
            store.commit()
    _worker_state.clear()
    return new_ids


def load_index(store: SqliteStore) -> CorpusIndex:
    """The candidate index over every stored fingerprint."""
    return CorpusIndex(
        Fingerprint.from_blobs(f.doc_id, f.shingles, f.anchors, f.vocabulary)
        for f in store.iter_fingerprints()
    )


def rebuild_stories(store: SqliteStore, config: DetectConfig) -> int:
    """Recompute stories from every stored verdict; return how many there are."""
    summaries = store.document_summaries()
    docs = {d["id"]: DocInfo(d["date"], d["chars"]) for d in summaries}
    stories = build_stories(store.iter_pairs(with_passages=False), docs, config.cluster)
    store.replace_stories(stories)
    store.commit()
    return len(stories)


def detect(
    store: SqliteStore,
    config: DetectConfig | None = None,
    *,
    full: bool = False,
    workers: int = 0,
    on_progress: Callable[[int, int], None] | None = None,
) -> DetectSummary:
    """Detect reuse among stored documents, doing only the work new documents need.

    Args:
        store: the open store.
        config: stage configuration.
        full: re-examine every pair, not only those with a new document.
        workers: processes for fingerprinting and alignment (0: one per core; 1: none).
        on_progress: called with (pairs done, pairs total).
    """
    config = config or DetectConfig()
    started = time.monotonic()
    summary = DetectSummary()
    new_ids = fingerprint_new(store, config, workers)
    summary.new_documents = len(new_ids)
    index = load_index(store)
    scope = None if full else new_ids
    candidates = index.candidates(scope, config.candidates) if (full or new_ids) else []
    summary.candidates = len(candidates)
    if full:
        store.delete_pairs_of(index.ids)
    else:
        store.delete_pairs_of(new_ids)
    store.commit()
    workers = _parallel_workers(store, workers)
    _worker_state.clear()
    _worker_state.update(
        path=store.path, config=config, index=index, parent_pid=os.getpid(), parent_store=store
    )
    done = 0
    with WorkerPool(workers) as pool:
        for group in _chunks(_chunks(candidates, PAIRS_PER_TASK), 32):
            for verdicts in pool.map(_evaluate_task, group):
                for verdict in verdicts:
                    store.put_pair(verdict)
                    summary.pairs += 1
                    summary.types[str(verdict.type)] += 1
            store.commit()
            done += sum(len(chunk) for chunk in group)
            if on_progress is not None:
                on_progress(done, len(candidates))
    _worker_state.clear()
    summary.stories = rebuild_stories(store, config)
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def trace_document(
    store: SqliteStore, doc: Document, config: DetectConfig | None = None
) -> list[PairVerdict]:
    """Match one document against everything indexed, without storing it."""
    config = config or DetectConfig()
    fp = fingerprint_document(doc, config.fingerprint)
    stored = [
        Fingerprint.from_blobs(f.doc_id, f.shingles, f.anchors, f.vocabulary)
        for f in store.iter_fingerprints()
        if f.doc_id != doc.id
    ]
    index = CorpusIndex([*stored, fp])
    candidates: list[CandidatePair] = index.candidates([doc.id], config.candidates)
    view = sentence_view(doc)
    views = _Views(store)
    verdicts = []
    for pair in candidates:
        other = pair.b if pair.a == doc.id else pair.a
        va, vb = (view, views.get(other)) if pair.a == doc.id else (views.get(other), view)
        verdict = evaluate_pair(index, va, vb, config)
        if verdict is not None:
            verdicts.append(verdict)
    verdicts.sort(key=lambda v: -v.similarity)
    return verdicts
