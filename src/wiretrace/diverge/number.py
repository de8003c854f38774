"""``number``: the two sentences state different quantities.

Quantities are compared by value (currency, scale words and locale spellings normalized;
"US$200 billion (S$268 billion)" is one fact, its conversion ignored), and a range is not
its two ends. A figure only one sentence has is a claim (:mod:`wiretrace.diverge.claim`).
"""

from __future__ import annotations

import re

from wiretrace.diverge.base import DivergeConfig, Side, divergence
from wiretrace.diverge.claim import cover, figure_claims
from wiretrace.fingerprint.anchors import Quantity, find_quantities
from wiretrace.model import Divergence, DivergenceKind, SentencePair, Span

# The place of a dateline ("PORT CALLOW, March 4 (Meridian Press) -", "PORT CALLOW, 4 mars
# (Meridian Press) -"): its date says
# when the copy was filed, not what happened.
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]{1,40},\s*(?:[A-Z][a-z]{2,8}\.?)?\s*$")


def _written(text: str, items: list[Quantity]) -> str:
    return ", ".join(text[q.start : q.end] for q in items)


def _facts(text: str, sentence: Span) -> list[Quantity]:
    """Quantities of a sentence that state facts: no conversions, no dateline dates."""
    found = []
    for q in find_quantities(text, sentence.start, sentence.end):
        before = text[sentence.start : q.start]
        if q.converted or _DATELINE.match(before):
            continue
        found.append(q)
    return found


def changed_numbers(
    a: Side, b: Side, pair: SentencePair, config: DivergeConfig
) -> list[Divergence]:
    """Number changes and added figures of one sentence pair."""
    qa = _facts(a.doc.text, pair.a)
    qb = _facts(b.doc.text, pair.b)
    keys_a, keys_b = {q.key for q in qa}, {q.key for q in qb}
    only_a = [q for q in qa if q.key not in keys_b]
    only_b = [q for q in qb if q.key not in keys_a]
    # A figure the other document states elsewhere moved; it was not changed.
    new_a = [q for q in only_a if q.key not in b.quantity_keys]
    new_b = [q for q in only_b if q.key not in a.quantity_keys]
    found = []
    if only_a and only_b and (new_a or new_b):
        sa, sb = cover(only_a), cover(only_b)
        found.append(
            divergence(
                a,
                b,
                DivergenceKind.NUMBER,
                sa,
                sb,
                f"different figures: {_written(a.doc.text, only_a)} in {a.doc.id}, "
                f"{_written(b.doc.text, only_b)} in {b.doc.id}",
            )
        )
    elif new_a and not only_b:
        found += figure_claims(a, b, only_a, b.quantity_keys, pair.b, config, a_adds=True)
    elif new_b and not only_a:
        found += figure_claims(b, a, only_b, a.quantity_keys, pair.a, config, a_adds=False)
    return found
