"""Stage 10, consolidate: one story view built from all its versions.

The sentences of a story's documents are grouped into facts: two sentences state the same
fact when alignment paired them (any passage kind) or when :func:`fact_pairs` finds them
to be rewrites of each other; groups are closed transitively. Each fact lists the
documents that support it, each document's wording, and the divergences among them.

Facts come in three groups, in this order:

1. consensus: stated by several documents that agree;
2. conflicts: stated by several documents that disagree (a number, name, quote,
   negation or role divergence between two of its variants);
3. single-source: stated by one document only (what that source alone adds).

Within a group, facts with more support come first, then by position in the story's
representative document. The top consensus facts, each with its sources, read as an
extractive summary of the story with citations.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from wiretrace.diverge import DivergeConfig, fact_pairs, find_divergences
from wiretrace.model import (
    Divergence,
    DivergenceKind,
    Document,
    Fact,
    FactStatus,
    FactVariant,
    PairVerdict,
    Span,
    Story,
)
from wiretrace.segment import token_norms

# Divergences that make a fact a conflict; an added claim only says one version is richer.
CONFLICT_KINDS = frozenset(
    {
        DivergenceKind.NUMBER,
        DivergenceKind.NAME,
        DivergenceKind.QUOTE,
        DivergenceKind.NEGATION,
        DivergenceKind.ROLE,
    }
)
_STATUS_ORDER = {FactStatus.CONSENSUS: 0, FactStatus.CONFLICT: 1, FactStatus.SINGLE: 2}

_Node = tuple[str, Span]


@dataclass(frozen=True, slots=True)
class ConsolidateConfig:
    """Parameters of the story view."""

    # Shorter sentences (headings, share counters, bylines) state no fact of their own.
    min_sentence_tokens: int = 5
    diverge: DivergeConfig = field(default_factory=DivergeConfig)


def _sentence_of(doc: Document, offset: int) -> Span | None:
    for span in doc.sentences:
        if span.start <= offset < span.end:
            return span
    return None


def _doc_order(story: Story, documents: Mapping[str, Document]) -> list[str]:
    """The representative first, then the other documents by date and id."""
    others = sorted(
        (d for d in story.documents if d != story.representative and d in documents),
        key=lambda d: (documents[d].date or "", d),
    )
    first = [story.representative] if story.representative in documents else []
    return first + others


def facts_key(
    story: Story,
    versions: Mapping[str, int],
    pairs: Sequence[PairVerdict],
    divergences: Mapping[tuple[str, str], str | None] | None = None,
) -> str:
    """What a story's facts are computed from: versions, pairs and the pairs' divergences.

    ``divergences`` holds each pair's stored divergences as the store keeps them, by
    ``(a, b)``. Stored facts whose key still matches the story need not be computed again. A pair
    judged again keeps its type and coverage but may lose a divergence (another corpus
    holds other formula sentences), so the divergences are part of the key.
    """
    found = divergences or {}
    parts: list[list[object]] = [[d, versions.get(d)] for d in sorted(story.documents)]
    parts += [
        [p.a, p.b, str(p.type), p.coverage_a, p.coverage_b, found.get((p.a, p.b))]
        for p in pairs
    ]
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:32]


def consolidate_story(
    story: Story,
    documents: Mapping[str, Document],
    verdicts: Sequence[PairVerdict],
    config: ConsolidateConfig | None = None,
    divergences: Mapping[tuple[str, str], Sequence[Divergence]] | None = None,
) -> tuple[Fact, ...]:
    """The facts of one story: consensus first, then conflicts, then single-source facts.

    Args:
        story: the story (its document ids and representative).
        documents: the story's documents by id (others are ignored; missing ones skipped).
        verdicts: verdicts of pairs of the story's documents (others are ignored).
        config: parameters.
        divergences: the divergences detection found for each verdict, by its ``(a, b)``.
            A fact then shows what its pair shows (detection also knows which sentences
            the corpus holds as formula), and nothing is found twice: finding them again
            was most of the time of rebuilding stories. A verdict not in it has its
            divergences found here, without formula sentences.
    """
    # Imported on use: scipy.cluster takes about half a second to import, which every
    # command would pay at start-up otherwise.
    from scipy.cluster.hierarchy import DisjointSet

    config = config or ConsolidateConfig()
    order = _doc_order(story, documents)
    rank = {doc_id: i for i, doc_id in enumerate(order)}
    nodes: list[_Node] = [
        (doc_id, span)
        for doc_id in order
        for span in documents[doc_id].sentences
        if len(token_norms(documents[doc_id].text, span.start, span.end))
        >= config.min_sentence_tokens
    ]
    # A kept union-find: sentences are (doc id, span) pairs, which need not be orderable.
    groups: DisjointSet = DisjointSet(nodes)
    found_by_pair = divergences or {}
    found_here: list[Divergence] = []
    for verdict in verdicts:
        if verdict.a not in rank or verdict.b not in rank:
            continue
        a, b = documents[verdict.a], documents[verdict.b]
        pairs = [p for passage in verdict.passages for p in passage.sentence_pairs]
        pairs += fact_pairs(a, b, verdict, config.diverge)
        for pair in pairs:
            x, y = (a.id, pair.a), (b.id, pair.b)
            if x in groups and y in groups:
                groups.merge(x, y)
        known = found_by_pair.get((verdict.a, verdict.b))
        if known is None:
            known = find_divergences(a, b, verdict, config.diverge)
        found_here += known
    by_group: dict[_Node, list[Divergence]] = {}
    for divergence in found_here:
        for doc_id, span in ((divergence.a, divergence.a_span), (divergence.b, divergence.b_span)):
            sentence = _sentence_of(documents[doc_id], span.start) if span else None
            if sentence is not None and (doc_id, sentence) in groups:
                by_group.setdefault(groups[(doc_id, sentence)], []).append(divergence)
                break
    facts: list[tuple[tuple[int, int, int, int], Fact]] = []
    for subset in groups.subsets():
        members = sorted(subset, key=lambda n: (rank[n[0]], n[1].start))
        root = groups[members[0]]
        variants = tuple(
            FactVariant(doc_id, span, documents[doc_id].text[span.start : span.end])
            for doc_id, span in members
        )
        support = tuple(dict.fromkeys(v.doc_id for v in variants))
        found = tuple(by_group.get(root, ()))
        if len(support) == 1:
            status = FactStatus.SINGLE
        elif any(d.kind in CONFLICT_KINDS for d in found):
            status = FactStatus.CONFLICT
        else:
            status = FactStatus.CONSENSUS
        head = variants[0]
        key = (_STATUS_ORDER[status], -len(support), rank[head.doc_id], head.span.start)
        facts.append((key, Fact("", status, head.text.strip(), support, variants, found)))
    facts.sort(key=lambda item: item[0])
    return tuple(
        Fact(
            id=f"{story.id}-f{number}",
            status=fact.status,
            text=fact.text,
            support=fact.support,
            variants=fact.variants,
            divergences=fact.divergences,
        )
        for number, (_, fact) in enumerate(facts, 1)
    )
