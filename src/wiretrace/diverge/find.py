"""Which sentences of a pair are compared, and the checks run over them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from wiretrace.diverge.base import DivergeConfig, side_of
from wiretrace.diverge.claim import time_claims
from wiretrace.diverge.measure import changed_measures
from wiretrace.diverge.name import misspelt_names
from wiretrace.diverge.negation import negated_statements
from wiretrace.diverge.number import changed_numbers
from wiretrace.diverge.quote import changed_quotes
from wiretrace.diverge.role import replaced_actors, swapped_roles
from wiretrace.diverge.versions import (
    figures_are_slots,
    filled_anew,
    one_text,
    paired_as_versions,
    subjects_apart,
)
from wiretrace.errors import InputError
from wiretrace.model import (
    Divergence,
    DivergenceKind,
    Document,
    PairVerdict,
    PassageKind,
    ReuseType,
    SentencePair,
    Span,
)
from wiretrace.segment import UNDETERMINED, is_content, token_norms

# Verdicts whose two sides are versions of one whole text: every difference of their aligned
# sentences is a change, and so is a fact one version adds (a claim).
WHOLE_TEXT_TYPES = frozenset(
    {ReuseType.DUPLICATE, ReuseType.EDITED, ReuseType.PARAPHRASE, ReuseType.TRANSLATION}
)
# Letters of a word that stand for it when rewritten sentences are paired.
FACT_STEM_CHARS = 6


def aligned_sentence_pairs(verdict: PairVerdict) -> Iterator[SentencePair]:
    """The sentence pairs of ``verdict``'s passages, each once, in passage order."""
    seen: set[tuple[Span, Span]] = set()
    for passage in verdict.passages:
        for pair in passage.sentence_pairs:
            if (pair.a, pair.b) not in seen:
                seen.add((pair.a, pair.b))
                yield pair


def _fact_words(doc: Document, span: Span) -> frozenset[str]:
    """Content words, names and figures of a sentence: what a rewrite keeps."""
    # Word stems (the first letters) so "democratisation"/"democratization" and
    # "support"/"supported" count as shared.
    return frozenset(
        w[:FACT_STEM_CHARS] for w in token_norms(doc.text, span.start, span.end) if is_content(w)
    )


def fact_pairs(
    a: Document, b: Document, verdict: PairVerdict, config: DivergeConfig | None = None
) -> tuple[SentencePair, ...]:
    """Sentences left unaligned on both sides that state the same fact in other words.

    A spun rewrite keeps a sentence's names, figures and most content words while
    changing its word order, so lexical alignment misses it. Two unaligned sentences of a
    pair with aligned passages form a fact pair when each is the other's best match and
    they share at least ``fact_min_shared_words`` content words, covering
    ``fact_min_overlap`` of the shorter one.
    """
    config = config or DivergeConfig()
    if a.id != verdict.a:
        a, b = b, a
    if not verdict.passages:
        return ()
    aligned_a = {p.a for p in aligned_sentence_pairs(verdict)}
    aligned_b = {p.b for p in aligned_sentence_pairs(verdict)}
    words_a = {s: _fact_words(a, s) for s in a.sentences if s not in aligned_a}
    words_b = {s: _fact_words(b, s) for s in b.sentences if s not in aligned_b}

    def score(x: frozenset[str], y: frozenset[str]) -> float:
        shared = len(x & y)
        if shared < config.fact_min_shared_words:
            return 0.0
        return shared / min(len(x), len(y))

    best_a = {
        sa: max(words_b, key=lambda sb: (score(wa, words_b[sb]), -sb.start), default=None)
        for sa, wa in words_a.items()
    }
    best_b = {
        sb: max(words_a, key=lambda sa: (score(words_a[sa], wb), -sa.start), default=None)
        for sb, wb in words_b.items()
    }
    found = []
    for sa, sb in best_a.items():
        if sb is None or best_b.get(sb) != sa:
            continue
        overlap = score(words_a[sa], words_b[sb])
        if overlap >= config.fact_min_overlap:
            found.append(SentencePair(sa, sb, round(overlap, 4), PassageKind.PARAPHRASE))
    return tuple(sorted(found, key=lambda p: p.a.start))


def _claimed_fact(claim: Divergence) -> tuple[bool, Span]:
    """Which side states a claim's fact, and where.

    The fact is the shorter span: the other side's is the sentence that lacks it.
    """
    a, b = claim.a_span or Span(0, 0), claim.b_span or Span(0, 0)
    return (True, a) if a.length <= b.length else (False, b)


def find_divergences(
    a: Document,
    b: Document,
    verdict: PairVerdict,
    config: DivergeConfig | None = None,
    formula: Mapping[str, frozenset[Span]] | None = None,
) -> tuple[Divergence, ...]:
    """Typed differences between the aligned sentences of two documents.

    Args:
        a: one document of the pair (either order; the result follows ``verdict``'s).
        b: the other document.
        verdict: the pair's verdict with its passages and sentence pairs.
        config: thresholds.
        formula: for each document id, its sentences whose wording the corpus knows as
            formula (:func:`wiretrace.classify.formula_sentences`); without it, no
            sentence is.

    Returns:
        The divergences, ordered by their position in ``verdict.a``.
    """
    config = config or DivergeConfig()
    if a.id != verdict.a:
        a, b = b, a
    if (a.id, b.id) != (verdict.a, verdict.b):
        raise InputError(
            f"find_divergences got documents {a.id!r} and {b.id!r} for the verdict of "
            f"{verdict.a!r} ~ {verdict.b!r}; pass the two documents of that pair"
        )
    whole_text = verdict.type in WHOLE_TEXT_TYPES
    if not whole_text and verdict.type != ReuseType.PARTIAL:
        return ()
    if not paired_as_versions(verdict, config):
        # A few sentences of each paired: two reports of one event, not two versions.
        return ()
    side_a, side_b = side_of(a), side_of(b)
    one_language = a.language == b.language or UNDETERMINED in (a.language, b.language)
    if not one_text(side_a, side_b, config, with_figures=one_language) or (
        one_language and subjects_apart(side_a, side_b, config)
    ):
        # Two fillings of one form, or two reports of one event: nobody changed a text.
        return ()
    checks = [
        changed_numbers,
        changed_measures,
        time_claims,
        misspelt_names,
        changed_quotes,
        negated_statements,
        swapped_roles,
        replaced_actors,
    ]
    if not one_language:
        # Across languages only figures and names can be compared word for word.
        checks = [changed_numbers, misspelt_names]
    if not whole_text:
        checks = [c for c in checks if c is not time_claims]
    aligned = list(aligned_sentence_pairs(verdict))
    # Sentences outside the reused passages of a partial pair are separate reporting: only
    # versions of one text have rewritten sentences to pair beyond the alignment.
    loose = list(fact_pairs(a, b, verdict, config)) if whole_text else []
    if formula is not None and filled_anew(
        side_a,
        side_b,
        [*aligned, *loose],
        (formula.get(a.id, frozenset()), formula.get(b.id, frozenset())),
        config,
    ):
        # Formula wording with other slots: two issues of one form, not a changed text.
        return ()
    if figures_are_slots(side_a, side_b, [*aligned, *loose], config):
        # Every compared figure differs: a form filled twice, not figures one version changed.
        checks = [c for c in checks if c not in (changed_numbers, changed_measures)]
    found: list[Divergence] = []
    seen: set[tuple[DivergenceKind, Span | None, Span | None]] = set()
    claimed: set[tuple[bool, Span]] = set()
    for pair in (*aligned, *loose):
        # A claim says the other version lacks a fact where it covers that part of the
        # text: only an aligned sentence shows that; a sentence paired by shared content
        # words may be about something else (real Reuters pairs: most such claims set a
        # lone weekday or figure against another sentence).
        claims = whole_text and pair in aligned
        for check in checks:
            for divergence in check(side_a, side_b, pair, config):
                if divergence.kind == DivergenceKind.CLAIM and not claims:
                    continue
                key = (divergence.kind, divergence.a_span, divergence.b_span)
                if key in seen:
                    continue
                if divergence.kind == DivergenceKind.CLAIM:
                    # One added fact is one claim, even where its sentence was aligned
                    # with two sentences of the other version.
                    fact = _claimed_fact(divergence)
                    if fact in claimed:
                        continue
                    claimed.add(fact)
                seen.add(key)
                found.append(divergence)
    found.sort(key=lambda d: (d.a_span.start if d.a_span else -1, str(d.kind)))
    return tuple(found)
