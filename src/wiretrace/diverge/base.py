"""What the checks share: thresholds, the two sides of a pair, the record they return.

Also the words and patterns more than one check reads, and the word-level diff of two token
lists that the quote and negation checks walk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from wiretrace.fingerprint.anchors import find_name_spans, find_quantities, quote_spans
from wiretrace.model import Divergence, DivergenceKind, Document, Span

# Words that turn a statement into its negation (normalized tokens).
NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "nobody",
        "nothing",
        "none",
        "neither",
        "nor",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "wont",
        "wouldnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "hasnt",
        "havent",
        "hadnt",
        "shouldnt",
        "couldnt",
        "ne",
        "pas",
        "jamais",
        "aucun",
        "nicht",
        "kein",
        "keine",
        "nie",
    ]
)
# Capitalized words that are no actors: months, days, company and court designators.
NOT_ACTORS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "inc",
        "corp",
        "co",
        "ltd",
        "plc",
        "llc",
        "ag",
        "sa",
        "nv",
        "bv",
        "group",
        "court",
    ]
)
# Days and announced times: a version that says when something happens states a fact.
_TIME = re.compile(
    r"\b(?:on\s+|in\s+|within\s+)?(?P<when>monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|the\s+coming\s+(?:days|weeks|months|years)|next\s+(?:week|month|year)|"
    r"later\s+this\s+(?:week|month|year))\b",
    re.IGNORECASE,
)
# Punctuation that ends the clause of a name (a quotation's speaker, a sentence's actor).
CLAUSE_BREAK = re.compile(r"[,;:()\"“”«»—–]")


@dataclass(frozen=True, slots=True)
class DivergeConfig:
    """Thresholds of the divergence checks; each trades recall for precision as commented."""

    # A misspelt name differs by one edit (substitution, insertion, deletion or swap of
    # two neighbours: Blinken/Brinken, Okonkwo/Okonkow); short names differ by one letter
    # too often (Wang/Wong are two people), so only names this long are compared.
    min_misspelt_name_chars: int = 5
    max_name_edits: int = 1
    # Quotes less alike than this (Indel similarity of their tokens) are different
    # quotations, not one quotation altered.
    min_quote_similarity: float = 0.45
    # Two spellings of one word ("democratisation"/"democratization", "frontier"/
    # "frontiers") share this many leading characters or are this few edits apart.
    spelling_prefix_chars: int = 6
    spelling_max_edits: int = 2
    # A negation counts only in sentences this alike (token Indel similarity): in a loose
    # paraphrase "not" may move to another clause.
    negation_min_similarity: float = 0.7
    # A polarity flip is a small edit ("not", "never", "did not"); more changed words
    # around a negation are a rewritten clause.
    max_negation_edit: int = 2
    # Role swaps: a phrase of this many tokens shared by both sentences, its actor the
    # nearest name before it, at most ``max_actor_tokens`` tokens away.
    role_phrase_tokens: int = 3
    max_actor_tokens: int = 10
    # Added figures closer than this (characters) form one claimed fact ("Feb 24, 2022").
    claim_join_chars: int = 4
    # Unaligned sentences that state one fact in other words (see :func:`fact_pairs`):
    # on the seeds, true rewrites share 8-12 content words and over 60% of the shorter
    # sentence; different sentences of one story share at most 4-5.
    fact_min_shared_words: int = 6
    fact_min_overlap: float = 0.5


@dataclass(frozen=True, slots=True)
class Side:
    """One document of the pair with the facts of its whole text, computed once."""

    doc: Document
    quantity_keys: frozenset[str]
    name_keys: frozenset[str]
    quotes: tuple[tuple[int, int], ...]
    time_keys: frozenset[str]


def find_times(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, Span]]:
    """When things happen, as words: "on Wednesday", "in the coming months"."""
    return [
        (" ".join(m.group("when").lower().split()), Span(m.start(), m.end()))
        for m in _TIME.finditer(text, start, len(text) if end is None else end)
    ]


def side_of(doc: Document) -> Side:
    """The facts of ``doc``'s whole text that the checks look up: figures, names, quotes, times."""
    quantities = find_quantities(doc.text)
    names: set[str] = set()
    for span in doc.sentences or (Span(0, len(doc.text)),):
        names.update(a.key for a in find_name_spans(doc.text, span.start, span.end))
    keys = {q.key for q in quantities}
    # The ends of a range are figures the document states, too.
    keys.update(end for q in quantities if ".." in q.key for end in q.key.split(".."))
    times = frozenset(key for key, _ in find_times(doc.text))
    return Side(doc, frozenset(keys), frozenset(names), tuple(quote_spans(doc.text)), times)


def divergence(
    a: Side, b: Side, kind: DivergenceKind, sa: Span | None, sb: Span | None, why: str
) -> Divergence:
    """A divergence of ``kind`` between spans ``sa`` of ``a`` and ``sb`` of ``b``, quoting them."""
    return Divergence(
        a=a.doc.id,
        b=b.doc.id,
        kind=kind,
        a_span=sa,
        b_span=sb,
        a_text=a.doc.text[sa.start : sa.end] if sa else "",
        b_text=b.doc.text[sb.start : sb.end] if sb else "",
        explanation=why,
    )


def changed_chunks(ta: list[str], tb: list[str]) -> list[tuple[int, int, int, int]]:
    """Changed stretches of two token lists, ``(a_start, a_end, b_start, b_end)``.

    Neighbouring edits form one stretch: "multi polarity" → "multipolarity" is a replace
    and a delete, "don t" → "dont" too.
    """
    chunks: list[tuple[int, int, int, int]] = []
    last_equal = True
    for op in Levenshtein.opcodes(ta, tb):
        if op.tag == "equal":
            last_equal = True
            continue
        if chunks and not last_equal:
            start_a, _, start_b, _ = chunks[-1]
            chunks[-1] = (start_a, op.src_end, start_b, op.dest_end)
        else:
            chunks.append((op.src_start, op.src_end, op.dest_start, op.dest_end))
        last_equal = False
    return chunks
