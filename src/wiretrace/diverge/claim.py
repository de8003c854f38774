"""``claim``: one sentence adds a figure, date or day the other version does not state at all.

A claim says that the other version lacks a fact where it tells that part of the text, so
it needs four things:

- the fact is stated nowhere in the other document (a figure that moved is no claim);
- the other sentence tells the same thing around it: the words next to the fact in its
  clause (content words, names aside) are in the other sentence, or the whole clause
  was inserted between two words the other sentence has side by side. "The survey,
  conducted between April 10 and 12 among 1,000 adults, gave ..." against "The survey
  gave ..." adds two facts; "The 2005 Orange British Academy Film Awards are being held
  ..." against "British stars ... are hoping for awards ..." is another sentence, and so
  is "the bond due 1995, announced on April 1, has been set at par" against "a bond due
  1995, lead manager Amro said";
- in a sentence otherwise alike, the other does not say something else in its place
  ("to arrange 1.5 billion dlrs of customer repurchase agreements" / "to arrange
  overnight System repurchase agreements" fill one slot two ways);
- a day or date is not restated: "on Thursday" against "last week", "on Tuesday" against
  "on 25 January", "effective April 2" against "effective immediately" are one time told
  from two days (versions are re-sent and updated on later days), where the words next to
  the two times agree.

A sentence missing as a whole is not a pairwise claim: the story view
(:mod:`wiretrace.consolidate`) lists it as a single-source fact.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Indel

from wiretrace.diverge.base import DivergeConfig, Side, changed_chunks, divergence, find_times
from wiretrace.diverge.figures import DATELINE
from wiretrace.fingerprint.anchors import Quantity
from wiretrace.model import Divergence, DivergenceKind, SentencePair, Span
from wiretrace.segment import is_content, token_norms, tokenize

_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Month names extend a claimed date leftwards ("Feb 24, 2022", and "April 9, 1997" where
# only the year is new) or rightwards ("25 January").
_MONTH = re.compile(rf"{_MONTHS}\s+(?:\d{{1,2}},?\s+)?$", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"\s+{_MONTHS}(?![a-z])", re.IGNORECASE)
# Any time a sentence tells: a day, a date, or a time relative to the story's day.
_WHEN = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|"
    r"yesterday|tomorrow|immediately|overnight|"
    r"(?:last|next|this|coming|past|previous|earlier|later)\s+"
    r"(?:week|weekend|month|year|night|morning|afternoon|evening|day|days|weeks|months)|"
    rf"{_MONTHS}\s+\d{{1,2}}\b|\d{{1,2}}\s+{_MONTHS}(?![a-z]))",
    re.IGNORECASE,
)
# Figures joined into one fact: "Feb 24, 2022", "between April 10 and 12", "1986-87".
_JOIN = re.compile(r"[\s,]*(?:and|to|-|–|/)?[\s,]*$", re.IGNORECASE)
# Punctuation that ends a clause: a comma before a space (not "1,000"), semicolon, colon,
# brackets, dashes.
_CLAUSE_BREAK = re.compile(r",(?=\s)|[;:()\[\]–—]|\s-\s")
# Content words on each side of a claimed fact that tell which part of the sentence it
# belongs to, and (fewer: a time attaches to the next verb or noun) of a time that tells
# where a time was restated.
_CONTEXT_WORDS = 3
_TIME_CONTEXT_WORDS = 2
# Letters two inflections of one word share ("vote"/"votes", "estimate"/"estimated").
_STEM_CHARS = 4


def cover(items: list[Quantity]) -> Span:
    """The span from the first of ``items`` to the end of the last."""
    return Span(min(q.start for q in items), max(q.end for q in items))


def _restated(adder: Side, sentence: Span, span: Span, other: Side, other_sentence: Span) -> bool:
    """Whether the other sentence tells a time where ``sentence`` tells ``span``.

    "Wright Thursday renewed his call" / "Wright last week renewed his call": the words
    next to the two times agree. A time of something else ("said on Wednesday that he
    would visit the islands in the coming months") is not the same time.
    """
    near = _context(adder.doc.text, sentence, span, _TIME_CONTEXT_WORDS)
    text = other.doc.text
    for m in _WHEN.finditer(text, other_sentence.start, other_sentence.end):
        if DATELINE.match(text[other_sentence.start : m.start()]):
            continue
        there = _context(text, other_sentence, Span(m.start(), m.end()), _TIME_CONTEXT_WORDS)
        if any(_same_stem(x, y) for x in near for y in there):
            return True
    return False


def _same_stem(x: str, y: str) -> bool:
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    return len(short) >= _STEM_CHARS and long.startswith(short)


def _context(text: str, sentence: Span, fact: Span, size: int = _CONTEXT_WORDS) -> list[str]:
    """The content words next to ``fact`` in its sentence, figures aside.

    Names count only right next to the fact ("in Ukraine on Feb 24"): a story repeats its
    names in every sentence, so a name further away tells nothing about where the fact
    stands.
    """
    tokens = tokenize(text, sentence.start, sentence.end)
    words = [
        (i, t)
        for i, t in enumerate(tokens)
        if is_content(t.norm)
        and not t.norm[:1].isdigit()
        and (t.end <= fact.start or t.start >= fact.end)
    ]

    def is_name(i: int) -> bool:
        return i > 0 and text[tokens[i].start : tokens[i].start + 1].isupper()

    before = [(i, t) for i, t in words if t.end <= fact.start]
    after = [(i, t) for i, t in words if t.start >= fact.end]
    chosen = [t.norm for i, t in before if not is_name(i)][-size:]
    chosen += [t.norm for i, t in after if not is_name(i)][:size]
    chosen += [
        t.norm for t in (before[-1][1] if before else None, after[0][1] if after else None) if t
    ]
    return chosen


def _clause(text: str, sentence: Span, fact: Span) -> Span:
    """The clause of ``sentence`` that holds ``fact``: up to the punctuation around it."""
    start = max(
        (m.end() for m in _CLAUSE_BREAK.finditer(text, sentence.start, fact.start)),
        default=sentence.start,
    )
    after = _CLAUSE_BREAK.search(text, fact.end, sentence.end)
    return Span(start, after.start() if after else sentence.end)


def _content_norms(text: str, start: int, end: int) -> list[str]:
    return [w for w in token_norms(text, start, end) if is_content(w) and not w[:1].isdigit()]


def _inserted(adder: Side, sentence: Span, clause: Span, words: list[str]) -> bool:
    """Whether ``clause`` stands between two words the other sentence has side by side."""
    text = adder.doc.text
    before = _content_norms(text, sentence.start, clause.start)[-1:]
    after = _content_norms(text, clause.end, sentence.end)[:1]
    if not before or not after:
        return False
    return any(
        _same_stem(before[0], x) and _same_stem(after[0], y)
        for x, y in zip(words, words[1:], strict=False)
    )


def _said_otherwise(
    adder: Side,
    sentence: Span,
    fact: Span,
    other: Side,
    other_sentence: Span,
    config: DivergeConfig,
) -> bool:
    """Whether the other sentence, otherwise alike, says something else where the fact is.

    "to arrange 1.5 billion dlrs of customer repurchase agreements" / "to arrange
    overnight System repurchase agreements": a slot filled otherwise, not a fact left out.
    """
    ta = tokenize(adder.doc.text, sentence.start, sentence.end)
    nb = token_norms(other.doc.text, other_sentence.start, other_sentence.end)
    na = [t.norm for t in ta]
    if Indel.normalized_similarity(na, nb) < config.edit_min_similarity:
        return False
    for a_start, a_end, b_start, b_end in changed_chunks(na, nb):
        if any(t.start < fact.end and t.end > fact.start for t in ta[a_start:a_end]):
            return any(is_content(w) and not w[:1].isdigit() for w in nb[b_start:b_end])
    return False


def in_context(adder: Side, sentence: Span, fact: Span, other: Side, other_sentence: Span) -> bool:
    """Whether the other sentence tells the part of ``sentence`` that holds ``fact``."""
    other_text = other.doc.text
    words = token_norms(other_text, other_sentence.start, other_sentence.end)
    clause = _clause(adder.doc.text, sentence, fact)
    if any(_same_stem(w, o) for w in _context(adder.doc.text, clause, fact) for o in words):
        return True
    content = _content_norms(other_text, other_sentence.start, other_sentence.end)
    return clause != sentence and _inserted(adder, sentence, clause, content)


def figure_claims(
    adder: Side,
    other: Side,
    added: list[Quantity],
    other_keys: frozenset[str],
    sentences: tuple[Span, Span],
    config: DivergeConfig,
    *,
    a_adds: bool,
) -> list[Divergence]:
    """One claim per run of added figures ("Feb 24, 2022" is one date).

    A run is a claim when one of its figures is stated nowhere in the other document and
    the other sentence tells that part of the text (see the module docstring).
    ``sentences`` are the adder's sentence and the other's.
    """
    sentence, other_sentence = sentences
    groups: list[list[Quantity]] = []
    for q in added:
        if groups and (
            q.start - groups[-1][-1].end <= config.claim_join_chars
            or _JOIN.fullmatch(adder.doc.text, groups[-1][-1].end, q.start)
        ):
            groups[-1].append(q)
        else:
            groups.append([q])
    found = []
    text = adder.doc.text
    for group in groups:
        if all(q.key in other_keys for q in group):
            continue
        span = cover(group)
        month = _MONTH.search(text, max(sentence.start, span.start - 16), span.start)
        month_after = _MONTH_AFTER.match(text, span.end, sentence.end)
        if month:
            span = Span(month.start(), span.end)
        elif month_after:
            span = Span(span.start, month_after.end())
        if (month or month_after) and _restated(adder, sentence, span, other, other_sentence):
            continue  # a date told another way ("on Tuesday" / "on 25 January")
        if not in_context(adder, sentence, span, other, other_sentence) or _said_otherwise(
            adder, sentence, span, other, other_sentence, config
        ):
            continue
        why = (
            f"{adder.doc.id} states {text[span.start : span.end]!r}, which {other.doc.id} does not"
        )
        if a_adds:
            found.append(divergence(adder, other, DivergenceKind.CLAIM, span, other_sentence, why))
        else:
            found.append(divergence(other, adder, DivergenceKind.CLAIM, other_sentence, span, why))
    return found


def time_claims(a: Side, b: Side, pair: SentencePair, config: DivergeConfig) -> list[Divergence]:
    """A day or time one sentence gives and the other document never mentions.

    Not where the other sentence tells a time of its own (see the module docstring).
    """
    found = []
    for adder, other, sentence, other_sentence, a_adds in (
        (a, b, pair.a, pair.b, True),
        (b, a, pair.b, pair.a, False),
    ):
        for key, span in find_times(adder.doc.text, sentence.start, sentence.end):
            if (
                key in other.time_keys
                or not in_context(adder, sentence, span, other, other_sentence)
                or _restated(adder, sentence, span, other, other_sentence)
                or _said_otherwise(adder, sentence, span, other, other_sentence, config)
            ):
                continue
            why = f"{adder.doc.id} says {key!r}, which {other.doc.id} does not"
            if a_adds:
                found.append(divergence(a, b, DivergenceKind.CLAIM, span, pair.b, why))
            else:
                found.append(divergence(a, b, DivergenceKind.CLAIM, pair.a, span, why))
    return found
