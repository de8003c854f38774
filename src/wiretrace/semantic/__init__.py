"""The semantic layer: sentence embeddings for rewrites and translations.

Lexical signals (shared shingles, aligned words) decide most pairs: copies, edited copies,
partial reuse, unrelated articles. Embeddings are computed only for the pairs they cannot
decide — two articles on one event (shared rare names and numbers, similar vocabulary) with
little aligned text, or two articles in different languages sharing facts — and cached in
the store, one matrix per document and encoder. ``mode="all"`` also embeds every document
and finds candidate pairs by nearest-neighbour search over sentence vectors
(:mod:`wiretrace.semantic.neighbours`), for rewrites that share no rare fact at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wiretrace.align.passages import SentenceSimilarity
from wiretrace.errors import ConfigError
from wiretrace.model import Passage
from wiretrace.segment import UNDETERMINED
from wiretrace.semantic.encoders import (
    ENCODER_NAMES,
    MINILM,
    USE,
    USE_LANGUAGES,
    Encoder,
    installed_encoders,
    make_encoder,
    require_encoders,
)

MODES = ("off", "auto", "all")
ENGLISH = "en"


@dataclass(frozen=True, slots=True)
class SemanticConfig:
    """When and how sentence embeddings are used.

    ``mode``: ``off`` (lexical only), ``auto`` (embed only the documents of pairs the
    lexical signals cannot decide; the default when the models are installed), ``all``
    (embed every document and add nearest-neighbour candidates).
    """

    mode: str = "auto"
    english_encoder: str = MINILM
    multilingual_encoder: str = USE
    # A pair whose lexical passages already cover this share of one side is a decided copy.
    decided_coverage: float = 0.8
    # Same-language pairs worth embedding: content-word cosine and shared rare facts of
    # one event (the related-story test, relaxed: a spun rewrite swaps words).
    min_vocabulary_cosine: float = 0.1
    min_shared_facts: int = 2
    # Across languages only names and numbers are shared.
    min_shared_facts_cross_language: int = 2
    # Nearest-neighbour candidates (mode "all"): neighbours per sentence, the cosine a
    # neighbour needs, and how many sentence matches make a document pair a candidate.
    num_neighbours: int = 8
    min_neighbour_cosine: float = 0.75
    min_sentence_matches: int = 2

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConfigError(f"semantic mode must be one of {', '.join(MODES)}; got {self.mode!r}")
        for name in (self.english_encoder, self.multilingual_encoder):
            if name not in ENCODER_NAMES:
                raise ConfigError(
                    f"unknown sentence encoder {name!r}: expected one of {', '.join(ENCODER_NAMES)}"
                )


def is_cross_language(lang_a: str, lang_b: str) -> bool:
    """Two determined, different languages."""
    return lang_a != lang_b and UNDETERMINED not in (lang_a, lang_b)


def encoder_for(lang_a: str, lang_b: str, config: SemanticConfig) -> str:
    """The encoder for a pair: English pairs get the English model, others the multilingual."""
    if lang_a == ENGLISH and lang_b == ENGLISH:
        return config.english_encoder
    return config.multilingual_encoder


def wants_semantic(
    lang_a: str,
    lang_b: str,
    passages: tuple[Passage, ...],
    coverage: float,
    vocabulary_cosine: float,
    shared_facts: int,
    config: SemanticConfig,
) -> bool:
    """Whether a pair is worth embedding: same event, not already decided by words.

    Args:
        lang_a: language of A.
        lang_b: language of B.
        passages: the lexical passages.
        coverage: the larger share of one side that the lexical passages cover.
        vocabulary_cosine: content-word cosine of the two documents.
        shared_facts: rare names, numbers and quotes the two share.
        config: thresholds.
    """
    if config.mode == "off":
        return False
    if passages and coverage >= config.decided_coverage:
        return False
    # The multilingual model knows 16 languages; elsewhere its vectors mean little.
    if any(lang not in USE_LANGUAGES and lang != UNDETERMINED for lang in (lang_a, lang_b)):
        return False
    if is_cross_language(lang_a, lang_b):
        return shared_facts >= config.min_shared_facts_cross_language
    return (
        vocabulary_cosine >= config.min_vocabulary_cosine
        and shared_facts >= config.min_shared_facts
    )


def sentence_similarity(
    vectors_a: np.ndarray, vectors_b: np.ndarray, cross_language: bool
) -> SentenceSimilarity:
    """Cosines of every sentence pair from two L2-normalized vector matrices."""
    return SentenceSimilarity(matrix=vectors_a @ vectors_b.T, cross_language=cross_language)


__all__ = [
    "ENCODER_NAMES",
    "MINILM",
    "MODES",
    "USE",
    "USE_LANGUAGES",
    "Encoder",
    "SemanticConfig",
    "encoder_for",
    "installed_encoders",
    "is_cross_language",
    "make_encoder",
    "require_encoders",
    "sentence_similarity",
    "wants_semantic",
]
