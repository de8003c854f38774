"""What the checks share: thresholds, the two sides of a pair, the record they return.

Also the words and patterns more than one check reads, and the word-level diff of two token
lists that the quote and negation checks walk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from wiretrace.diverge.figures import digit_keys, figures, word_figures
from wiretrace.fingerprint.anchors import find_name_spans, quote_spans
from wiretrace.model import Divergence, DivergenceKind, Document, Span
from wiretrace.segment import Token, token_norms, tokenize

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
    # A stretch of more changed words than this is another statement, not an edit of one:
    # the seeds' spun quotes change 1-4 words a stretch ("remains committed" / "is
    # determined"); two statements of one minister on two days share a clause and differ
    # in a 10-word one.
    max_quote_change_words: int = 6
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
    # A sentence pair with more changed figures than this on one side was filled anew, not
    # corrected: the real corrections of bench/data/real_divergences.json change one or
    # two figures a sentence; two days' price tables change a row's every figure.
    max_changed_figures: int = 2
    # Added figures closer than this (characters) form one claimed fact ("Feb 24, 2022").
    claim_join_chars: int = 4
    # Unaligned sentences that state one fact in other words (see :func:`fact_pairs`):
    # on the seeds, true rewrites share 8-12 content words and over 60% of the shorter
    # sentence; different sentences of one story share at most 4-5.
    fact_min_shared_words: int = 6
    fact_min_overlap: float = 0.5
    # What a figure measures changed ("profit six cts" / "loss six cts"), or an actor
    # replaced ("to Banner Industries" / "to Oak Industries"), only counts in a sentence
    # otherwise this alike (token Indel; figures masked for the first): re-sent results
    # tables and corrected notices score 0.85-1.00.
    edit_min_similarity: float = 0.8
    # Versions of one text state each other's facts (see :mod:`wiretrace.diverge.versions`):
    # on the 61 real Reuters re-sends and corrections of bench/data/real_divergences.json
    # that wiretrace relates, the better contained side keeps 0.83-1.00 of its names and
    # figures; on the template pairs of random Reuters slices (bond notices of different
    # borrowers, two companies' shelf filings, two banks' prime rates) it keeps 0.17-0.60.
    # Unless one side states fewer than ``identity_min_lost`` facts the other lacks: a
    # short item corrected changes one figure, two fillings of a form differ in at least
    # a name and an amount each.
    identity_min_shared: float = 0.7
    identity_min_lost: int = 2
    # A sentence whose figures all changed is a correction when its other words stay (a
    # Fed report re-sent corrected); below this similarity (token Indel, figures masked)
    # it was written anew around them: two days' reports of one form score 0.5-0.7.
    slot_max_frame_similarity: float = 0.85
    # Compared sentences whose wording the corpus knows as formula are one form filled
    # twice when more of their figures differ than this (the real corrections of
    # bench/data/real_divergences.json change one or two), or when at least
    # ``formula_min_changed_slots`` differ and fewer are kept (see
    # :func:`~wiretrace.diverge.versions.filled_anew`).
    formula_max_changed_slots: int = 2
    formula_min_changed_slots: int = 2
    # How much of the two texts the alignment must pair for them to be versions of one
    # text (see :func:`~wiretrace.diverge.versions.paired_as_versions`): one contained
    # word for word in the other (copy, trimmed re-send, edit), or both paired over a
    # large part (spin, translation, re-edit). On the divergences of the first 5,000
    # Reuters-21578 records, read one by one: the true ones (corrections, updates,
    # trims) come from pairs with one side 0.83-1.00 covered by verbatim or edited
    # passages, or both sides 0.49-0.99 covered; 25 of the 42 false ones come from
    # separate reports of one event, typed paraphrase or edited, that pair a few
    # sentences of each (0.06-0.46 of the less covered side, outside containment). The
    # five seed versions pair 0.50-0.78 of their less covered side.
    version_min_contained: float = 0.8
    version_min_paired: float = 0.45


@dataclass(frozen=True, slots=True)
class Side:
    """One document of the pair with the facts of its whole text, computed once.

    ``quantity_keys`` holds every figure the text states, in digits or in words;
    ``words`` its normalized tokens (a name the other side writes in lower case is still
    stated).
    """

    doc: Document
    quantity_keys: frozenset[str]
    name_keys: frozenset[str]
    quotes: tuple[tuple[int, int], ...]
    time_keys: frozenset[str]
    words: frozenset[str] = frozenset()


def find_times(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, Span]]:
    """When things happen, as words: "on Wednesday", "in the coming months"."""
    return [
        (" ".join(m.group("when").lower().split()), Span(m.start(), m.end()))
        for m in _TIME.finditer(text, start, len(text) if end is None else end)
    ]


# Documents whose sides are kept: the recent pairs' (pairs are judged in id order, so a
# document's pairs as their first side follow one another; a planted copy's source is in
# eight pairs). See clear_caches.
SIDES_KEPT = 512


def side_of(doc: Document) -> Side:
    """The facts of ``doc``'s whole text that the checks look up: figures, names, quotes, times.

    Computed once per document (a :class:`Side` is immutable): the classify stage and
    every divergence check of every pair of a document ask for it. A document built with
    lists where tuples belong (unhashable) is read afresh each time.
    """
    try:
        hash(doc)
    except TypeError:
        return _side_of(doc)
    return _kept_side_of(doc)


def _side_of(doc: Document) -> Side:
    quantities = figures(doc.text)
    names: set[str] = set()
    for span in doc.sentences or (Span(0, len(doc.text)),):
        names.update(a.key for a in find_name_spans(doc.text, span.start, span.end))
    keys = {q.key for q in quantities} | {q.key for q in word_figures(doc.text)}
    # Digits the figure reader skips ("1000 EDT/1400 GMT") are still stated.
    keys |= digit_keys(doc.text)
    # The ends of a range are figures the document states, too.
    keys.update(end for q in quantities if ".." in q.key for end in q.key.split(".."))
    times = frozenset(key for key, _ in find_times(doc.text))
    return Side(
        doc,
        frozenset(keys),
        frozenset(names),
        tuple(quote_spans(doc.text)),
        times,
        frozenset(token_norms(doc.text)),
    )


_kept_side_of = lru_cache(maxsize=SIDES_KEPT)(_side_of)

# Aligned sentences whose tokens are kept: each is read by four checks (numbers in their
# units, negations, swapped roles, replaced actors) and again for each pair it is in.
SENTENCES_KEPT = 4096


@lru_cache(maxsize=SENTENCES_KEPT)
def span_tokens(text: str, start: int, end: int) -> tuple[Token, ...]:
    """The tokens of ``text[start:end]`` (:func:`~wiretrace.segment.tokenize`), read once."""
    return tuple(tokenize(text, start, end))


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
