"""``negation``: one sentence negates what the other affirms."""

from __future__ import annotations

from rapidfuzz.distance import Indel

from wiretrace.diverge.base import NEGATIONS, DivergeConfig, Side, changed_chunks, divergence
from wiretrace.model import Divergence, DivergenceKind, SentencePair, Span
from wiretrace.segment import Token, tokenize


def _is_negation(tokens: list[Token], i: int, text: str) -> bool:
    """A negation word, or the "t" of a garbled "don"t".

    Not a word in capitals inside a sentence in lower case: "Noranda Inc <NOR>" is a
    ticker, not "nor".
    """
    norm = tokens[i].norm
    written = text[tokens[i].start : tokens[i].end]
    if len(written) > 1 and written.isupper() and i > 0 and not _in_capitals(tokens, text):
        return False
    return norm in NEGATIONS or (norm == "t" and i > 0 and tokens[i - 1].norm.endswith("n"))


def _in_capitals(tokens: list[Token], text: str) -> bool:
    """Whether a sentence is written in capitals (a headline, a table)."""
    return all(text[t.start : t.end].upper() == text[t.start : t.end] for t in tokens)


def negated_statements(
    a: Side, b: Side, pair: SentencePair, config: DivergeConfig
) -> list[Divergence]:
    """A sentence that negates its counterpart.

    The negation must be a small edit between words both sentences share ("would close" /
    "would not close"), not part of a clause only one of them has ("He did not say where
    the money would come from, but …"). Two sentences that negate as often are one
    statement negated in two ways ("has issued no instructions" / "has not issued any
    instructions").
    """
    ta = tokenize(a.doc.text, pair.a.start, pair.a.end)
    tb = tokenize(b.doc.text, pair.b.start, pair.b.end)
    norms_a, norms_b = [t.norm for t in ta], [t.norm for t in tb]
    if Indel.normalized_similarity(norms_a, norms_b) < config.negation_min_similarity:
        return []
    negations_a = sum(_is_negation(ta, i, a.doc.text) for i in range(len(ta)))
    if negations_a == sum(_is_negation(tb, j, b.doc.text) for j in range(len(tb))):
        return []
    for a_start, a_end, b_start, b_end in changed_chunks(norms_a, norms_b):
        if a_start == 0 and b_start == 0 or a_end == len(ta) and b_end == len(tb):
            # Words added or cut at an end: a clause one side does not have.
            continue
        in_a = [i for i in range(a_start, a_end) if _is_negation(ta, i, a.doc.text)]
        in_b = [j for j in range(b_start, b_end) if _is_negation(tb, j, b.doc.text)]
        # The negating side adds the negation and at most one word ("did not close" for
        # "closed"); the other side changes at most one word. "no limits" for
        # "cross-border" is a rewording.
        added = (a_end - a_start) if in_a else (b_end - b_start)
        replaced = (b_end - b_start) if in_a else (a_end - a_start)
        if added > config.max_negation_edit or replaced > 1:
            continue
        if bool(in_a) == bool(in_b):
            continue
        if in_a:
            sa, sb, negated = Span(ta[in_a[0]].start, ta[in_a[0]].end), pair.b, a.doc.id
        else:
            sa, sb, negated = pair.a, Span(tb[in_b[0]].start, tb[in_b[0]].end), b.doc.id
        return [
            divergence(
                a, b, DivergenceKind.NEGATION, sa, sb, f"{negated} negates what the other states"
            )
        ]
    return []
