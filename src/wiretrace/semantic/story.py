"""Story-level similarity: how likely two articles report the same event, in any language.

Reuse detection asks "was this text copied?"; this asks "is this the same news story?",
whether or not a word was shared. Three signals, each computed once per document
(:class:`StoryProfile`) and combined per pair by a small logistic model:

- **meaning**: the cosine of two *lead vectors*, the multilingual USE vectors of the
  title and the first sentences averaged with weights ``characters / (rank + 1)``, so
  the headline and the lead count most and a translation lands next to its original;
- **facts**: how many anchors (names, numbers, quotes; :mod:`wiretrace.fingerprint`)
  the two share, as ``log(1 + shared)``;
- **time**: the days between the two publication dates, as ``log(1 + days)``.

The result is the model's probability that people would rate the pair as the same story:
:data:`TEXT_MODEL` when a date is missing (a missing date neither helps nor hurts: that
model never saw one), :data:`DATED_MODEL` when both documents have one.

Calibration (reproduce with ``python -m bench.semeval --fit``): SemEval-2022 Task 8
subset, part_a (``../shared/data``), "same story" = mean human Overall < 2.5 on its
1 (very similar) … 4 (very dissimilar) scale. The pairs are split in two by a hash of the
pair id without its language suffix, so a pair and its machine translations fall on the
same side; every coefficient below was fit by maximum likelihood on the *fit* half only
(643 pairs) and checked once on the *held-out* half (640 pairs). The lead weighting
(``characters**a / (rank + 1)**b``, a and b in 0…1.5) was chosen on the fit half by the
Pearson r of the plain cosine, the features by five-fold cross-validation inside the fit
half. Tried and dropped, each lowering the cross-validated r: the first sentence's own
cosine, whole-text encoding, content-word overlap, names and numbers as two counts.
Anchors weighted by their rarity in the corpus gained 0.005: left for when a corpus's
document frequencies are at hand.

The probability assumes SemEval's mix of pairs, 39% of them one story. Among pairs
drawn another way (candidates of a corpus) the share differs, and with it the intercept:
add ``log(odds of the new share / odds of 0.39)`` to re-calibrate.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from wiretrace.dates import parse_date
from wiretrace.errors import ConfigError
from wiretrace.fingerprint import Fingerprint, fingerprint_document
from wiretrace.model import Document
from wiretrace.semantic.encoders import USE, Encoder, make_encoder

# Sentences of the lead (the title counts as one). Their weights fall as 1 / (rank + 1),
# so the 20th sentence weighs 5% of the first: on the fit half, the weighted cosine's
# Pearson r with the human score was 0.737 with 10 sentences, 0.740 with 20 and with all.
# The story model (fit with 20) scored with shorter leads, held-out half, and the share
# of lead texts encoded: 1 sentence 0.621 (12%), 3: 0.707 (36%), 5: 0.728 (59%),
# 8: 0.742 (83%), 10: 0.745 (91%), 20: 0.747. On Reuters-21578 (shorter texts) the
# leads of the documents in pairs hold 37% as many texts with 5, 70% with 10.
MAX_LEAD_SENTENCES = 20
SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class StoryModel:
    """Coefficients of one logistic model of "same story".

    ``P = 1 / (1 + exp(-logit))`` with ``logit = intercept + cosine * c +
    log_shared_anchors * log(1 + n) + log_days_apart * log(1 + days)``.
    """

    intercept: float
    cosine: float
    log_shared_anchors: float
    log_days_apart: float = 0.0


# Fit on the SemEval fit half (see the module docstring) without the dates, which the
# SemEval texts do not carry. Held-out half: Pearson r 0.747 with the human score (0.768
# across languages) against 0.692 for the plain cosine of mean sentence vectors; and
# calibrated: the pairs it scored 0.9 on average were one story 89% of the time, those
# it scored 0.07 on average, 6%.
TEXT_MODEL = StoryModel(intercept=-4.483, cosine=8.021, log_shared_anchors=0.375)
# The same fit with the days between the two articles. SemEval has no publication dates,
# so the days are a proxy: the pair's Media Cloud story ids, assigned in crawl order at
# about a million a day in 2020 (checked against the dates 53 English texts mention).
# The proxy is noisy, so the fitted time penalty is if anything too weak. Held-out half:
# Pearson r 0.766 (0.800 across languages).
DATED_MODEL = StoryModel(
    intercept=-3.950, cosine=7.836, log_shared_anchors=0.385, log_days_apart=-0.315
)


@dataclass(frozen=True, slots=True)
class StoryConfig:
    """How lead vectors are built and which coefficients combine the signals.

    The defaults are the calibrated ones; another lead length or encoder would need the
    models refit (``python -m bench.semeval --fit``).
    """

    max_lead_sentences: int = MAX_LEAD_SENTENCES
    text_model: StoryModel = TEXT_MODEL
    dated_model: StoryModel = DATED_MODEL

    def __post_init__(self) -> None:
        if self.max_lead_sentences < 1:
            raise ConfigError(
                "story.max_lead_sentences must be a whole number >= 1; got "
                f"{self.max_lead_sentences}"
            )


@dataclass(frozen=True, slots=True)
class StoryProfile:
    """What the story similarity needs of one document, computed once.

    ``vector`` is the L2-normalized lead vector (float32; zeros for a document without
    text), ``anchors`` the sorted unique anchor hashes of the document's fingerprint,
    ``day`` the publication moment in days since 1970-01-01 UTC (``None`` without a date).
    """

    doc_id: str
    vector: np.ndarray = field(repr=False)
    anchors: np.ndarray = field(repr=False)
    day: float | None = None


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """The evidence of one pair: lead-vector cosine, shared anchors, days apart."""

    cosine: float
    num_shared_anchors: int
    days_apart: float | None


def lead_sentences(doc: Document, max_sentences: int = MAX_LEAD_SENTENCES) -> list[str]:
    """The title (unless the text starts with it) and the first sentences of ``doc``.

    At most ``max_sentences`` strings in all, title first: the texts whose vectors make
    the lead vector. A document without sentence spans contributes its whole text.
    """
    title = lead_title(doc)
    texts: list[str] = [title] if title else []
    spans = doc.sentences
    if not spans:
        body = doc.text.strip()
        return (texts + [body])[:max_sentences] if body else texts
    for span in spans[: max(max_sentences - len(texts), 0)]:
        texts.append(doc.text[span.start : span.end])
    return texts


def lead_title(doc: Document) -> str | None:
    """The title as a lead sentence of its own, or ``None`` (none, or the text starts with it)."""
    title = (doc.title or "").strip()
    if title and not doc.text.lstrip().casefold().startswith(title.casefold()):
        return title
    return None


def lead_vector(sentences: Sequence[str], vectors: np.ndarray) -> np.ndarray:
    """The lead vector: sentence vectors averaged with weights ``len(s) / (rank + 1)``.

    Args:
        sentences: the lead's texts in order (:func:`lead_sentences`); only their lengths
            are read.
        vectors: one L2-normalized row per sentence (more rows are ignored), e.g. the
            cached sentence vectors of the semantic layer.

    Returns:
        An L2-normalized float32 vector, or zeros when there is nothing to average.
    """
    num = min(len(sentences), len(vectors))
    if num == 0:
        dim = vectors.shape[1] if vectors.ndim == 2 else 0
        return np.zeros(dim, dtype=np.float32)
    lengths = np.array([len(s) for s in sentences[:num]], dtype=np.float32)
    weights = lengths / np.arange(1, num + 1, dtype=np.float32)
    mean = weights @ np.asarray(vectors[:num], dtype=np.float32)
    norm = float(np.linalg.norm(mean))
    if norm == 0.0:
        return np.zeros(len(mean), dtype=np.float32)
    return (mean / norm).astype(np.float32)


def publication_day(doc: Document) -> float | None:
    """``doc.date`` in days since 1970-01-01 UTC (a date alone is its midnight)."""
    return day_of_date(doc.date)


def day_of_date(date: str | None) -> float | None:
    """A date as stored (ISO 8601 or as given) in days since 1970-01-01 UTC, if it parses."""
    parsed = parse_date(date)
    if parsed is None:
        return None
    return parsed.moment.timestamp() / SECONDS_PER_DAY


def story_profile(
    doc: Document, vector: np.ndarray, fingerprint: Fingerprint | None = None
) -> StoryProfile:
    """The profile of ``doc`` from its lead vector (and its fingerprint, if computed)."""
    found = fingerprint if fingerprint is not None else fingerprint_document(doc)
    return StoryProfile(
        doc_id=doc.id,
        vector=np.asarray(vector, dtype=np.float32),
        anchors=found.anchors,
        day=publication_day(doc),
    )


@functools.lru_cache(maxsize=1)
def _use_encoder() -> Encoder:
    """One USE encoder per process: loading the model takes seconds."""
    return make_encoder(USE)


def _checked_encoder(encoder: Encoder | None) -> Encoder:
    """``encoder``, or the process's USE encoder; the models are calibrated for USE only."""
    found = encoder if encoder is not None else _use_encoder()
    if found.name != USE:
        raise ConfigError(
            f"the story similarity is calibrated on the multilingual encoder {USE!r}; got "
            f"{found.name!r}. Pass make_encoder({USE!r}) (or no encoder)."
        )
    return found


def encode_leads(
    docs: Sequence[Document],
    encoder: Encoder | None = None,
    config: StoryConfig | None = None,
) -> list[tuple[list[str], np.ndarray]]:
    """Each document's lead (:func:`lead_sentences`) and its sentence vectors.

    All leads are encoded in one batch. ``encoder`` defaults to one USE encoder shared
    per process; another model raises :class:`ConfigError` (the models are fit on USE).
    """
    config = config or StoryConfig()
    leads = [lead_sentences(doc, config.max_lead_sentences) for doc in docs]
    found = _checked_encoder(encoder)
    texts = [text for lead in leads for text in lead]
    vectors = found.encode(texts) if texts else np.zeros((0, found.dim), dtype=np.float32)
    encoded = []
    start = 0
    for lead in leads:
        encoded.append((lead, vectors[start : start + len(lead)]))
        start += len(lead)
    return encoded


def cached_lead_vectors(
    docs: Sequence[Document],
    encoder: Encoder | None = None,
    config: StoryConfig | None = None,
    sentence_vectors: Mapping[str, np.ndarray] | None = None,
) -> list[np.ndarray]:
    """Lead vectors of ``docs`` (:func:`lead_vector`), encoding only what is not cached.

    Args:
        docs: the documents.
        encoder: the USE encoder (default: one shared per process).
        config: lead length.
        sentence_vectors: USE vectors of every sentence of some documents, by id (the
            semantic layer's cache: one row per ``doc.sentences`` span, in order). A
            document found there has only its title encoded (when the title is a lead
            sentence of its own); the others have their whole lead encoded.

    Returns:
        One L2-normalized float32 vector per document, in order; every text to encode
        goes to the encoder in one batch.
    """
    config = config or StoryConfig()
    cached = sentence_vectors or {}
    found = _checked_encoder(encoder)
    leads = [lead_sentences(doc, config.max_lead_sentences) for doc in docs]
    texts: list[str] = []
    # Per document: where its encoded texts start, how many, and its cached rows.
    plans: list[tuple[int, int, np.ndarray | None]] = []
    for doc, lead in zip(docs, leads, strict=True):
        rows = cached.get(doc.id)
        if rows is not None and doc.sentences and len(rows) == len(doc.sentences):
            # The lead is the title (if one of its own), then the first sentences.
            num_titles = 1 if lead_title(doc) else 0
            plans.append((len(texts), num_titles, rows[: len(lead) - num_titles]))
            texts.extend(lead[:num_titles])
        else:
            plans.append((len(texts), len(lead), None))
            texts.extend(lead)
    vectors = found.encode(texts) if texts else np.zeros((0, found.dim), dtype=np.float32)
    out = []
    for lead, (start, count, rows) in zip(leads, plans, strict=True):
        encoded = np.asarray(vectors[start : start + count], dtype=np.float32)
        if rows is not None:
            encoded = np.vstack([encoded, np.asarray(rows, dtype=np.float32)])
        out.append(lead_vector(lead, encoded))
    return out


def profile_documents(
    docs: Sequence[Document],
    encoder: Encoder | None = None,
    config: StoryConfig | None = None,
    fingerprints: Sequence[Fingerprint] | None = None,
) -> list[StoryProfile]:
    """Profiles of ``docs``, their leads encoded in one batch (each document once).

    Args:
        docs: the documents.
        encoder: the USE encoder (default: one shared per process).
        config: lead length.
        fingerprints: the documents' fingerprints, in the same order, when already
            computed (the pipeline stores them); computed here otherwise.
    """
    if fingerprints is not None and len(fingerprints) != len(docs):
        raise ConfigError(
            f"profile_documents needs one fingerprint per document: got {len(fingerprints)} "
            f"fingerprints for {len(docs)} documents"
        )
    profiles = []
    encoded = encode_leads(docs, encoder, config)
    for k, (doc, (lead, vectors)) in enumerate(zip(docs, encoded, strict=True)):
        fingerprint = fingerprints[k] if fingerprints is not None else None
        profiles.append(story_profile(doc, lead_vector(lead, vectors), fingerprint))
    return profiles


def story_features(a: StoryProfile, b: StoryProfile) -> StoryFeatures:
    """The evidence that ``a`` and ``b`` report one story (symmetric in ``a``, ``b``)."""
    cosine = float(a.vector @ b.vector) if len(a.vector) and len(b.vector) else 0.0
    shared = len(np.intersect1d(a.anchors, b.anchors, assume_unique=True))
    days = abs(a.day - b.day) if a.day is not None and b.day is not None else None
    return StoryFeatures(cosine=cosine, num_shared_anchors=shared, days_apart=days)


def story_probability(features: StoryFeatures, config: StoryConfig | None = None) -> float:
    """The calibrated probability, in [0, 1], that a pair with ``features`` is one story."""
    config = config or StoryConfig()
    dated = features.days_apart is not None
    model = config.dated_model if dated else config.text_model
    logit = (
        model.intercept
        + model.cosine * features.cosine
        + model.log_shared_anchors * math.log1p(features.num_shared_anchors)
    )
    if features.days_apart is not None:
        logit += model.log_days_apart * math.log1p(features.days_apart)
    # A logit beyond ±700 overflows exp(); the probability is 0 or 1 there anyway.
    return 1.0 / (1.0 + math.exp(-min(max(logit, -700.0), 700.0)))


def story_similarities(
    profiles: Sequence[StoryProfile], pairs: np.ndarray, config: StoryConfig | None = None
) -> np.ndarray:
    """The story similarity of many pairs of precomputed profiles.

    Args:
        profiles: document profiles (:func:`profile_documents`), each computed once.
        pairs: an integer array of shape ``(n, 2)``; row ``[i, j]`` asks for
            ``profiles[i]`` against ``profiles[j]``.
        config: the models.

    Returns:
        A float64 array of ``n`` similarities in [0, 1].
    """
    pairs = np.asarray(pairs, dtype=np.int64)
    if pairs.size == 0:
        return np.zeros(0, dtype=np.float64)
    if pairs.ndim != 2 or pairs.shape[1] != 2:
        raise ConfigError(
            f"pairs must be an integer array of shape (n, 2); got shape {pairs.shape}"
        )
    return np.array(
        [
            story_probability(story_features(profiles[i], profiles[j]), config)
            for i, j in pairs.tolist()
        ],
        dtype=np.float64,
    )


def story_similarity(
    a: Document,
    b: Document,
    encoder: Encoder | None = None,
    config: StoryConfig | None = None,
) -> float:
    """How likely ``a`` and ``b`` report the same event, in [0, 1] (symmetric).

    Encodes both leads; to score many pairs, build the profiles once with
    :func:`profile_documents` and call :func:`story_similarities`.

    Args:
        a: one document.
        b: the other, in any of USE's 16 languages.
        encoder: the USE encoder (default: one shared per process).
        config: lead length and models.
    """
    first, second = profile_documents([a, b], encoder, config)
    return story_probability(story_features(first, second), config)


__all__ = [
    "DATED_MODEL",
    "MAX_LEAD_SENTENCES",
    "TEXT_MODEL",
    "StoryConfig",
    "StoryFeatures",
    "StoryModel",
    "StoryProfile",
    "cached_lead_vectors",
    "day_of_date",
    "encode_leads",
    "lead_sentences",
    "lead_title",
    "lead_vector",
    "profile_documents",
    "publication_day",
    "story_features",
    "story_probability",
    "story_profile",
    "story_similarities",
    "story_similarity",
]
