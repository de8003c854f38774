"""The embedded engine: detection over the SQLite store, incremental by default.

``detect`` fingerprints what is new, finds candidate pairs that involve a new document,
aligns and classifies only those, then rebuilds stories from all stored verdicts (cheap:
the graph has one edge per related pair).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from wiretrace.align import AlignConfig, align_documents, sentence_view
from wiretrace.align.sentences import SentenceView
from wiretrace.candidates import CandidateConfig, CorpusIndex
from wiretrace.classify import ClassifyConfig, PairEvidence, classify_pair
from wiretrace.cluster import ClusterConfig, DocInfo, build_stories
from wiretrace.fingerprint import (
    AnchorKind,
    Fingerprint,
    FingerprintConfig,
    fingerprint_document,
)
from wiretrace.model import CandidatePair, Document, PairVerdict, Passage
from wiretrace.store import SqliteStore

# Documents kept in memory while aligning (sentence views are reused across pairs).
VIEW_CACHE_SIZE = 4096
COMMIT_EVERY_PAIRS = 2000


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
    index: CorpusIndex, va: SentenceView, vb: SentenceView, config: DetectConfig
) -> PairVerdict | None:
    """Align and classify one pair of documents (the per-pair work of every engine)."""
    passages: tuple[Passage, ...] = ()
    if va.doc.language == vb.doc.language or "und" in (va.doc.language, vb.doc.language):
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


def fingerprint_new(store: SqliteStore, config: DetectConfig) -> list[str]:
    """Fingerprint every document whose current version has none; return their ids."""
    new_ids = store.documents_without_fingerprint()
    for start in range(0, len(new_ids), 500):
        batch = store.get_documents(new_ids[start : start + 500])
        for doc_id in new_ids[start : start + 500]:
            doc = batch[doc_id]
            fp = fingerprint_document(doc, config.fingerprint)
            store.put_fingerprint(doc_id, doc.version, *fp.to_blobs())
        store.commit()
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
    on_progress: Callable[[int, int], None] | None = None,
) -> DetectSummary:
    """Detect reuse among stored documents, doing only the work new documents need.

    Args:
        store: the open store.
        config: stage configuration.
        full: re-examine every pair, not only those with a new document.
        on_progress: called with (pairs done, pairs total).
    """
    config = config or DetectConfig()
    started = time.monotonic()
    summary = DetectSummary()
    new_ids = fingerprint_new(store, config)
    summary.new_documents = len(new_ids)
    index = load_index(store)
    scope = None if full else new_ids
    candidates = index.candidates(scope, config.candidates) if (full or new_ids) else []
    summary.candidates = len(candidates)
    if full:
        store.delete_pairs_of(index.ids)
    else:
        store.delete_pairs_of(new_ids)
    views = _Views(store)
    for n, pair in enumerate(candidates):
        if n % 256 == 0:
            chunk = candidates[n : n + 256]
            views.prefetch([c.a for c in chunk] + [c.b for c in chunk])
        verdict = evaluate_pair(index, views.get(pair.a), views.get(pair.b), config)
        if verdict is not None:
            store.put_pair(verdict)
            summary.pairs += 1
            summary.types[str(verdict.type)] += 1
        if n % COMMIT_EVERY_PAIRS == COMMIT_EVERY_PAIRS - 1:
            store.commit()
        if on_progress is not None:
            on_progress(n + 1, len(candidates))
    store.commit()
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
