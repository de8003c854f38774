"""The pipeline, engine-neutral: the stage configuration and the work on one record and one pair.

Both engines run these and only these: the embedded one (:mod:`wiretrace.engines.local`)
over a SQLite store and worker processes, the distributed one
(:mod:`wiretrace.engines.spark`) over Spark partitions. What a document becomes and how a
pair is judged therefore cannot differ between them.

- :func:`extract_record`: read → extract → segment for one input unit (a document, or the
  rejection that says why not).
- :func:`evaluate_pair`: align → classify for one candidate pair, with the corpus
  statistics the engine provides (:class:`~wiretrace.candidates.stats.CorpusStatistics`);
  :func:`screen_pair` is its lexical half and says whether the semantic layer should look.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from wiretrace.align import AlignConfig, align_documents
from wiretrace.align.passages import SentenceSimilarity
from wiretrace.align.sentences import SentenceView
from wiretrace.candidates import CandidateConfig
from wiretrace.candidates.stats import CorpusStatistics
from wiretrace.classify import (
    ClassifyConfig,
    PairEvidence,
    aligned_coverage,
    aligned_frame_grams,
    classify_pair,
    formula_share,
)
from wiretrace.cluster import ClusterConfig
from wiretrace.errors import InputError
from wiretrace.extract.document import ExtractOptions, build_document
from wiretrace.fingerprint import AnchorKind, FingerprintConfig
from wiretrace.model import Document, PairVerdict, RawRecord, Rejection
from wiretrace.semantic import SemanticConfig, wants_semantic

# A rejection reason in a summary is at most this long (the ledger keeps every reason whole).
MAX_REASON_CHARS = 200


@dataclass(frozen=True, slots=True)
class DetectConfig:
    """The configuration of every detection stage."""

    fingerprint: FingerprintConfig = field(default_factory=FingerprintConfig)
    candidates: CandidateConfig = field(default_factory=CandidateConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    classify: ClassifyConfig = field(default_factory=ClassifyConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    semantic: SemanticConfig = field(default_factory=SemanticConfig)


def extract_record(task: tuple[RawRecord, str, ExtractOptions]) -> Document | Rejection:
    """Build one document, or the rejection saying why not (runs in a worker)."""
    raw, doc_id, extract_options = task
    try:
        return build_document(raw, doc_id, extract_options)
    except InputError as exc:
        return Rejection(raw.unit, raw.source_path, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad document must never lose the batch
        reason = f"{raw.unit}: internal error while extracting ({type(exc).__name__}: {exc})"
        return Rejection(raw.unit, raw.source_path, reason)


def reason_class(reason: str) -> str:
    """The reason without the input's name and particulars, so equal reasons count together.

    What went wrong and the hint that says what to do are kept, and never cut mid-word.

    >>> reason_class("a.jsonl#L2: no text: field 'text' is empty (fields present: id, "
    ...              "story); name the text field with --text-field")
    "no text: field 'text' is empty; name the text field with --text-field"
    """
    head, sep, tail = reason.partition(": ")
    text = tail if sep and (os.sep in head or "#" in head or "." in head) else reason
    # Parentheses hold the particulars of one unit (fields present, an exception's text).
    text = re.sub(r"\s*\([^()]*\)", "", text)
    if len(text) <= MAX_REASON_CHARS:
        return text
    return text[:MAX_REASON_CHARS].rsplit(" ", 1)[0] + " …"


def _evidence(
    index: CorpusStatistics,
    va: SentenceView,
    vb: SentenceView,
    config: DetectConfig,
    similarity: SentenceSimilarity | None,
) -> PairEvidence:
    # Aligned whatever the detected languages: a misdetected language (a short English
    # text taken for Spanish) must not hide a copy, and truly different languages share
    # no bigrams, so the attempt costs little.
    passages = align_documents(va, vb, config.align, similarity)
    max_df = config.candidates.max_anchor_df
    shared = index.shared_anchor_kinds(va.doc.id, vb.doc.id, max_df)
    numbers = set().union(*va.numbers, *vb.numbers)
    names = set().union(*va.names, *vb.names)
    frames, words = aligned_frame_grams(va, vb, passages)
    formula = formula_share(index.frame_df(frames), index.frame_df(words), config.classify)
    return PairEvidence(
        a=va,
        b=vb,
        passages=passages,
        vocabulary_cosine=index.vocabulary_cosine(va.doc.id, vb.doc.id),
        shared_names=shared["name"],
        shared_numbers=shared["number"],
        shared_quotes=shared["quote"],
        rare_numbers=index.rare_anchor_keys(AnchorKind.NUMBER, numbers, max_df),
        rare_names=index.rare_anchor_keys(AnchorKind.NAME, names, max_df),
        formula_share=formula,
        frame_df=index.frame_df,
    )


def evaluate_pair(
    index: CorpusStatistics,
    va: SentenceView,
    vb: SentenceView,
    config: DetectConfig,
    similarity: SentenceSimilarity | None = None,
) -> PairVerdict | None:
    """Align and classify one pair of documents (the per-pair work of every engine).

    ``index`` answers the corpus-wide questions: the whole :class:`CorpusIndex` here,
    the :class:`~wiretrace.candidates.stats.PairStats` of the pair in the Spark engine.
    """
    return classify_pair(_evidence(index, va, vb, config, similarity), config.classify)


def screen_pair(
    index: CorpusStatistics, va: SentenceView, vb: SentenceView, config: DetectConfig
) -> tuple[PairVerdict | None, bool]:
    """The lexical verdict of a pair, and whether the semantic layer should look again.

    When the second value is true the first is what lexical signals alone say; the caller
    replaces it with :func:`evaluate_pair` given sentence similarities.
    """
    evidence = _evidence(index, va, vb, config, None)
    verdict = classify_pair(evidence, config.classify)
    if config.semantic.mode == "off":
        return verdict, False
    coverage = max(
        aligned_coverage(evidence.passages, va.doc, "a"),
        aligned_coverage(evidence.passages, vb.doc, "b"),
    )
    shared = evidence.shared_names + evidence.shared_numbers + evidence.shared_quotes
    worth = wants_semantic(
        va.doc.language,
        vb.doc.language,
        evidence.passages,
        coverage,
        evidence.vocabulary_cosine,
        shared,
        config.semantic,
    )
    return verdict, worth
