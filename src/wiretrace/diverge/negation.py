"""``negation``: one sentence negates what the other affirms.

By a negating word ("would close" / "would not close"), or by a word's opposite made with
an affix in a sentence otherwise unchanged: a negating prefix ("able" / "unable",
"voting" / "nonvoting") or the opposite prefix on a root where the two make antonyms
("includes" / "excludes", "increase" / "decrease", "imports" / "exports", "upgraded" /
"downgraded"; not "impose" / "expose").
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import Indel

from wiretrace.diverge.base import (
    NEGATIONS,
    DivergeConfig,
    Side,
    changed_chunks,
    divergence,
    span_tokens,
)
from wiretrace.model import Divergence, DivergenceKind, SentencePair, Span
from wiretrace.segment import Token

# Prefixes that negate the word they open ("unable", "nonvoting"). Not "dis-" ("discover",
# "dismiss", "discount" are no negations of "cover", "miss", "count"), nor "in-"/"im-"
# ("inform", "invest", "impose"); "unless" and "unveil" are no negations either.
_NEGATING_PREFIXES = ("un", "non")
_NOT_NEGATED = frozenset({"unless", "unveil", "unveiled", "unveils", "unveiling"})
# Opposite prefixes and the roots on which they make antonyms ("in-clude" / "ex-clude",
# "up-grade" / "down-grade"); on other roots the two words are merely other words
# ("impose"/"expose", "overtake"/"undertake", "incline"/"decline").
_OPPOSITE_ROOTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("in", "ex"): ("clud", "ternal", "plicit", "hal", "flow"),
    ("im", "ex"): ("port", "plicit"),
    ("in", "de"): ("creas",),
    ("in", "out"): ("flow", "bound", "ward", "side"),
    ("up", "down"): ("grad", "turn", "side", "ward", "swing", "stream", "hill"),
    ("over", "under"): ("valu", "weight", "stat", "estimat", "perform", "pa", "suppl", "spen"),
}
# Letters a negated word keeps at least: "un-do" / "do" is too short a root to tell.
_MIN_ROOT_CHARS = 4


def opposite_by_affix(x: str, y: str) -> bool:
    """Whether one word is the other's opposite by a prefix ("includes" / "excludes")."""
    for short, long in ((x, y), (y, x)):
        for prefix in _NEGATING_PREFIXES:
            root = long.removeprefix(prefix)
            if (
                root != long
                and root == short
                and len(root) >= _MIN_ROOT_CHARS
                and long not in _NOT_NEGATED
            ):
                return True
    for (one, other), roots in _OPPOSITE_ROOTS.items():
        for u, v in ((x, y), (y, x)):
            if u.startswith(one) and v.startswith(other):
                root_u, root_v = u[len(one) :], v[len(other) :]
                if root_u == root_v and root_u.startswith(roots):
                    return True
    return False


def _is_negation(tokens: Sequence[Token], i: int, text: str) -> bool:
    """A negation word, or the "t" of a garbled "don"t".

    Not a word in capitals inside a sentence in lower case: "Noranda Inc <NOR>" is a
    ticker, not "nor".
    """
    norm = tokens[i].norm
    written = text[tokens[i].start : tokens[i].end]
    if len(written) > 1 and written.isupper() and i > 0 and not _in_capitals(tokens, text):
        return False
    return norm in NEGATIONS or (norm == "t" and i > 0 and tokens[i - 1].norm.endswith("n"))


def _in_capitals(tokens: Sequence[Token], text: str) -> bool:
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
    ta = span_tokens(a.doc.text, pair.a.start, pair.a.end)
    tb = span_tokens(b.doc.text, pair.b.start, pair.b.end)
    norms_a, norms_b = [t.norm for t in ta], [t.norm for t in tb]
    if Indel.normalized_similarity(norms_a, norms_b) < config.negation_min_similarity:
        return []
    negations_a = sum(_is_negation(ta, i, a.doc.text) for i in range(len(ta)))
    if negations_a == sum(_is_negation(tb, j, b.doc.text) for j in range(len(tb))):
        return _opposites(a, b, pair, ta, tb)
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


def _opposites(
    a: Side, b: Side, pair: SentencePair, ta: Sequence[Token], tb: Sequence[Token]
) -> list[Divergence]:
    """One word replaced by its opposite by affix, in a sentence otherwise unchanged.

    Figures are masked: a correction may change the figure next to the word ("includes
    13,000" / "excludes 131,000"), which the number check reports.
    """
    norms_a = ["#" if t.norm[:1].isdigit() else t.norm for t in ta]
    norms_b = ["#" if t.norm[:1].isdigit() else t.norm for t in tb]
    found = []
    for a_start, a_end, b_start, b_end in changed_chunks(norms_a, norms_b):
        if a_end - a_start != 1 or b_end - b_start != 1:
            continue
        wa, wb = ta[a_start], tb[b_start]
        if opposite_by_affix(wa.norm, wb.norm):
            found.append(
                divergence(
                    a,
                    b,
                    DivergenceKind.NEGATION,
                    Span(wa.start, wa.end),
                    Span(wb.start, wb.end),
                    f"{a.doc.text[wa.start : wa.end]!r} in {a.doc.id} is "
                    f"{b.doc.text[wb.start : wb.end]!r} in {b.doc.id}: the opposite",
                )
            )
    return found
