"""``claim``: one sentence adds a figure, date or day the other version does not state at all.

A sentence missing as a whole is not a pairwise claim: the story view
(:mod:`wiretrace.consolidate`) lists it as a single-source fact.
"""

from __future__ import annotations

import re

from wiretrace.diverge.base import DivergeConfig, Side, divergence, find_times
from wiretrace.fingerprint.anchors import Quantity
from wiretrace.model import Divergence, DivergenceKind, SentencePair, Span

# Month names extend a claimed date leftwards ("Feb 24, 2022").
_MONTH = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$", re.IGNORECASE
)


def cover(items: list[Quantity]) -> Span:
    """The span from the first of ``items`` to the end of the last."""
    return Span(min(q.start for q in items), max(q.end for q in items))


def figure_claims(
    adder: Side,
    other: Side,
    added: list[Quantity],
    other_keys: frozenset[str],
    other_sentence: Span,
    config: DivergeConfig,
    *,
    a_adds: bool,
) -> list[Divergence]:
    """One claim per run of added figures ("Feb 24, 2022" is one date).

    A run is a claim when one of its figures is stated nowhere in the other document.
    """
    groups: list[list[Quantity]] = []
    for q in added:
        if groups and q.start - groups[-1][-1].end <= config.claim_join_chars:
            groups[-1].append(q)
        else:
            groups.append([q])
    found = []
    for group in groups:
        if all(q.key in other_keys for q in group):
            continue
        span = cover(group)
        month = _MONTH.search(adder.doc.text, max(0, span.start - 12), span.start)
        if month:
            span = Span(month.start(), span.end)
        why = (
            f"{adder.doc.id} states {adder.doc.text[span.start : span.end]!r}, "
            f"which {other.doc.id} does not"
        )
        if a_adds:
            found.append(divergence(adder, other, DivergenceKind.CLAIM, span, other_sentence, why))
        else:
            found.append(divergence(other, adder, DivergenceKind.CLAIM, other_sentence, span, why))
    return found


def time_claims(a: Side, b: Side, pair: SentencePair, config: DivergeConfig) -> list[Divergence]:
    """A day or time one sentence gives and the other document never mentions."""
    ta = find_times(a.doc.text, pair.a.start, pair.a.end)
    tb = find_times(b.doc.text, pair.b.start, pair.b.end)
    found = []
    for key, span in ta:
        if key not in b.time_keys:
            why = f"{a.doc.id} says {key!r}, which {b.doc.id} does not"
            found.append(divergence(a, b, DivergenceKind.CLAIM, span, pair.b, why))
    for key, span in tb:
        if key not in a.time_keys:
            why = f"{b.doc.id} says {key!r}, which {a.doc.id} does not"
            found.append(divergence(a, b, DivergenceKind.CLAIM, pair.a, span, why))
    return found
