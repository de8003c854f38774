"""Whether two documents are versions of one text, and which of their figures are slots.

A divergence is a change someone made to a text, so only versions of one text have them: a
re-send, a correction, an update, a copy edit, a spin, a translation. Two instances of one
template (two borrowers' bond notices, two days' repurchase reports) or two reports of one
event share wording, yet differ in the facts that carry their news without anyone having
changed anything. The verdict types cannot tell them apart on real wire copy: in a random
sample of Reuters-21578 divergences, three in five came from template instances typed
``edited``, ``paraphrase`` or ``partial`` (issue 14).

What tells them apart is what the two documents name and count. Versions of one text keep
its facts: a correction changes one figure of a results table, a trimmed re-send keeps
every name of what it kept, a spin garbles a few. Two fillings of one form each name their
own issuer, lead manager, amount, coupon and dates. So

- :func:`one_text`: most of the names and figures of one of the two documents (the
  better contained one: a trimmed copy is contained in its original) are stated by the
  other;
- :func:`figures_are_slots`: where the compared sentences state figures, at least one of
  them is kept, or the changed ones stand in otherwise unchanged sentences. A text whose
  every compared figure differs, in sentences worded anew, is a form filled again (two
  days' Fed repurchase reports share all their names and none of their figures).
- :func:`filled_anew`: where the corpus knows the compared sentences as formula (their
  wording, figures and names masked, recurs across many documents; see
  :func:`wiretrace.classify.formula_sentences`), their slots differ more than a
  correction changes: two issues of a daily price table, two funds' dividend notices.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from rapidfuzz.distance import OSA, Indel

from wiretrace.diverge.base import NOT_ACTORS, DivergeConfig, Side
from wiretrace.diverge.figures import figures, scaled_word_figures, sentence_figures
from wiretrace.fingerprint.anchors import MIN_NAME_CHARS, find_name_spans
from wiretrace.model import PairVerdict, PassageKind, SentencePair, Span
from wiretrace.segment import STOPWORDS, normalize_token, token_norms

# Capitalized words that name no one: months, days and their abbreviations, designators.
_NOT_NAMES = NOT_ACTORS | frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec "  # noqa: SIM905
    "mon tue tues wed thu thur thurs fri sat sun".split()
)


# Passages that keep the other text's wording.
_WORDED = frozenset({PassageKind.VERBATIM, PassageKind.EDITED})

# A time of day written with a colon ("12:20", "9:05"), as a timed report's head has it.
_CLOCK = re.compile(r"(?<![\d:.,])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\d:])")
# A time of day in four digits, as a timed report's head writes it: with a time zone or
# "hrs" after it ("1000 hrs cdt", "1700 EDT"), ending the head line ("NY COMEX COPPER
# 1030") or before a dash and the date ("EURODOLLAR 0835 - APR 7"). Other four digits are
# years ("in 2019").
_CLOCK_DIGITS = re.compile(
    r"(?<![\w:.,/-])(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)"
    r"(?:\s*(?:hrs|gmt|utc|[a-z][sd]t)\b|[ \t]*$|[ \t]+-[ \t])",
    re.IGNORECASE | re.MULTILINE,
)
# The first word of a sentence, after any opening quote or bracket.
_FIRST_WORD = re.compile(r"[^\w]*(?P<word>[A-ZÀ-Ý][\w'’-]*\w)")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-zà-ÿ][\w'’-]*\w")


# Texts whose lower-case words are kept: the recent pairs' documents (see side_of and
# wiretrace.diverge.base.clear_caches).
_TEXTS_KEPT = 512


@lru_cache(maxsize=_TEXTS_KEPT)
def lower_words(text: str) -> frozenset[str]:
    """The normalized words ``text`` writes starting in lower case (no name is among them).

    Asked for each check of each pair of a document; computed once per text.
    """
    return frozenset(map(normalize_token, set(_LOWER_WORD.findall(text))))


def _names(side: Side) -> set[str]:
    """The names of a document, with the word that opens it in capitals.

    Wire copy opens with its subject ("Norway is issuing ...", "Mobil Corp filed ..."),
    which :func:`~wiretrace.fingerprint.anchors.find_name_spans` leaves out (any first
    word is capitalized); an opening word the text also writes in lower case is no name.
    """
    text = side.doc.text
    names = set(side.name_keys)
    lead = side.doc.sentences[0] if side.doc.sentences else Span(0, len(text))
    first = _FIRST_WORD.match(text, lead.start, lead.end)
    if first is not None:
        key = normalize_token(first.group("word"))
        lower = lower_words(text)
        if len(key) >= MIN_NAME_CHARS and key not in STOPWORDS and key not in lower:
            names.add(key)
    return names - _NOT_NAMES


def _kept_names(side: Side, other: Side, config: DivergeConfig) -> tuple[int, int]:
    """How many of ``side``'s names ``other`` states (any case, or misspelt), of how many."""
    names = _names(side)
    kept = 0
    for name in names:
        if name in other.words or (
            len(name) >= config.min_misspelt_name_chars
            and any(
                o[:1] == name[:1] and OSA.distance(o, name) <= config.max_name_edits
                for o in other.name_keys
            )
        ):
            kept += 1
    return kept, len(names)


def _figure_keys(side: Side) -> set[str]:
    """The figures a document states as amounts: in digits, or in words with a scale."""
    text = side.doc.text
    keys = {q.key for q in figures(text) if not q.converted}
    return keys | {q.key for q in scaled_word_figures(text)}


def _kept_figures(side: Side, other: Side) -> tuple[int, int]:
    """How many of ``side``'s figures ``other`` states, of how many."""
    keys = _figure_keys(side)
    return len(keys & _figure_keys(other)), len(keys)


def shared_facts(
    a: Side, b: Side, config: DivergeConfig, *, with_figures: bool = True
) -> tuple[tuple[int, int], int]:
    """The names and figures the documents share.

    Returns ``(kept, stated)`` of the better contained side (the other states ``kept`` of
    its ``stated`` facts) and the fewest facts either side states that the other does
    not. ``with_figures=False`` counts names only (a translation writes its figures its
    own way: "2,4 milliards").
    """
    best = (0, 0)
    fewest_lost = None
    for side, other in ((a, b), (b, a)):
        kept_names, names = _kept_names(side, other, config)
        kept_figures, stated_figures = _kept_figures(side, other) if with_figures else (0, 0)
        kept, stated = kept_names + kept_figures, names + stated_figures
        lost = stated - kept
        fewest_lost = lost if fewest_lost is None else min(fewest_lost, lost)
        if stated and (not best[1] or kept / stated > best[0] / best[1]):
            best = (kept, stated)
    return best, fewest_lost or 0


def _lexical_coverage(verdict: PairVerdict) -> tuple[float, float]:
    """The coverage of each side by verbatim and edited passages only.

    A side's coverage scaled by the share of its aligned characters in passages that keep
    the wording: a rewrite pairs sentences by meaning, which shows less of where a text
    came from than its words do.
    """
    shares = []
    for side in ("a", "b"):
        spans = [(getattr(p, side).length, p.kind) for p in verdict.passages]
        total = sum(length for length, _ in spans)
        worded = sum(length for length, kind in spans if kind in _WORDED)
        shares.append(worded / total if total else 0.0)
    return verdict.coverage_a * shares[0], verdict.coverage_b * shares[1]


def paired_as_versions(verdict: PairVerdict, config: DivergeConfig) -> bool:
    """Whether the alignment pairs enough of the two texts for them to be versions of one.

    A version keeps the text it was made from: the shorter one stands word for word in
    the longer (a copy, a trimmed re-send, a corrected or edited one: one side at least
    ``version_min_contained`` covered by verbatim or edited passages), or the two are
    paired over a large part of each (a spin or translation rewrites the whole text
    sentence by sentence: both sides at least ``version_min_paired`` covered). Two
    separate reports of one event share a few sentences of each, which the semantic
    layer may pair; what they say differently is reporting, not a change to a text.
    """
    if min(verdict.coverage_a, verdict.coverage_b) >= config.version_min_paired:
        return True
    return max(_lexical_coverage(verdict)) >= config.version_min_contained


def subjects_apart(a: Side, b: Side, config: DivergeConfig) -> bool:
    """Whether each document's lead names someone the other never states.

    The lead says whom a story is about ("Caisse Centrale Desjardins is issuing ...",
    "Sun Co said it raised its crude postings ..."): two fillings of one form each lead
    with their own issuer, while every version of a text keeps its subject (a correction
    may fix its spelling, which :func:`_lost_names` allows). One language only: a
    translation writes names its own way ("Poutine").
    """
    lost_a, lost_b = lead_names_lost(a, b, config)
    return bool(lost_a) and bool(lost_b)


def lead_names_lost(a: Side, b: Side, config: DivergeConfig) -> tuple[set[str], set[str]]:
    """The names of each lead that the other document never states (see :func:`subjects_apart`)."""
    return _unstated(_lead_subjects(a), b, config), _unstated(_lead_subjects(b), a, config)


_WORD = re.compile(r"\w+")


def _lead_subjects(side: Side) -> set[str]:
    """The names a document's lead tells its story about.

    Its names (:func:`find_name_spans`), and the word that opens it where the document
    names it so elsewhere: in its title ("WITCO <WIT> SELLS ..." over "Witco Corp is
    raising ...") or capitalized inside a sentence. An ordinary word opening a rewritten
    lead ("Right in the middle of ...", "Miner Aldmark said ...") is none. Not the outlet
    a dateline credits ("VELDRA, July 21 (Meridian Press) -"): a copy drops its credit.
    A lead in capitals only has none (every word of it reads as a name).
    """
    doc = side.doc
    if not doc.sentences:
        return set()
    lead = doc.sentences[0]
    text = doc.text
    if not any(c.islower() for c in text[lead.start : lead.end]):
        return set()
    names = {n.key for n in find_name_spans(text, lead.start, lead.end)}
    lower = lower_words(text)
    opening = _opening_name(text, lead, lower)
    titled = {normalize_token(w) for w in _WORD.findall(doc.title or "")}
    if opening is not None and (opening in titled or opening in side.name_keys):
        names.add(opening)
    credits = (*doc.credits, doc.source or "")
    credited = {normalize_token(w) for credit in credits for w in _WORD.findall(credit)}
    return names - credited - _NOT_NAMES


def _unstated(names: set[str], other: Side, config: DivergeConfig) -> set[str]:
    """The ``names`` that ``other`` states nowhere, not even misspelt."""
    other_names = _names(other)
    return {
        name
        for name in names
        if name not in other.words
        and not any(
            o[:1] == name[:1] and OSA.distance(o, name) <= config.max_name_edits
            for o in other_names
        )
    }


def _clock_times(side: Side) -> set[tuple[int, int]]:
    """The times of day a document's title and head state ("CBT 12:20 EDT", "1000 hrs").

    The head is the first sentence; four-digit times count in the title and the first
    line only (a sentence of a table may run on for lines).
    """
    lead = side.doc.sentences[0] if side.doc.sentences else Span(0, len(side.doc.text))
    head = f"{side.doc.title or ''}\n{side.doc.text[lead.start : lead.end]}"
    first_line = f"{side.doc.title or ''}\n{side.doc.text.lstrip().split(chr(10), 1)[0]}"
    times = [*_CLOCK.finditer(head), *_CLOCK_DIGITS.finditer(first_line)]
    return {(int(m.group("h")), int(m.group("m"))) for m in times}


def _stamped_apart(a: Side, b: Side) -> bool:
    """Whether the two are issues of a report stamped with other times of day.

    "CBT 12:20 EDT" / "CBT 12:30 EDT": each is the market at its time, neither a version
    of the other.
    """
    times_a, times_b = _clock_times(a), _clock_times(b)
    return bool(times_a and times_b) and not times_a & times_b


def one_text(a: Side, b: Side, config: DivergeConfig, *, with_figures: bool = True) -> bool:
    """Whether ``a`` and ``b`` are versions of one text, judged by the facts they share.

    Two versions: the better contained one keeps ``identity_min_shared`` of its names and
    figures, or one of them states fewer than ``identity_min_lost`` facts the other does
    not (a correction of a short item changes its one figure; two fillings of a form each
    have at least their own name and amount). Never two issues of a report that their
    heads stamp with other times of day.
    """
    if _stamped_apart(a, b):
        return False
    (kept, stated), fewest_lost = shared_facts(a, b, config, with_figures=with_figures)
    if fewest_lost < config.identity_min_lost:
        return True
    return kept >= config.identity_min_shared * stated


def _sentence_figures(side: Side, sentence: Span) -> set[str]:
    return {q.key for q in sentence_figures(side.doc.text, sentence)}


def _frame(side: Side, sentence: Span) -> list[str]:
    """The words of a sentence with its figures masked."""
    return [
        "#" if w[:1].isdigit() else w
        for w in token_norms(side.doc.text, sentence.start, sentence.end)
    ]


def frame_similarity(a: Side, b: Side, pair: SentencePair) -> float:
    """How alike two sentences are with their figures masked (token Indel similarity)."""
    return Indel.normalized_similarity(_frame(a, pair.a), _frame(b, pair.b))


def figures_are_slots(a: Side, b: Side, pairs: list[SentencePair], config: DivergeConfig) -> bool:
    """Whether the compared figures all differ in sentences written anew around them.

    Then the figures are the slots of one form filled again (two days' Fed repurchase
    reports share all their names and none of their figures, and are worded afresh each
    day), not figures one version changed: a correction keeps the figures it did not
    correct, or changes the only one in an otherwise unchanged sentence.
    """
    kept = 0
    rewritten = False
    for pair in pairs:
        fa = _sentence_figures(a, pair.a)
        fb = _sentence_figures(b, pair.b)
        kept += len(fa & fb)
        if fa - fb and fb - fa:
            similarity = frame_similarity(a, b, pair)
            rewritten = rewritten or similarity < config.slot_max_frame_similarity
    return rewritten and kept == 0


def _opening_name(text: str, sentence: Span, lower: Collection[str]) -> str | None:
    """The word that opens a lead sentence, when it names its subject ("AVX Corp said").

    Any first word is capitalized, so :func:`find_name_spans` leaves it out; a word the
    text also writes in lower case is no name. Only the lead: the lines of a results
    table open with their item ("Sales 41.1 mln", "Revs 41.1 mln").
    """
    first = _FIRST_WORD.match(text, sentence.start, sentence.end)
    if first is None:
        return None
    key = normalize_token(first.group("word"))
    if len(key) < MIN_NAME_CHARS or key in STOPWORDS or key in lower:
        return None
    return key


def _lost_names(side: Side, other: Side, sentences: list[Span], config: DivergeConfig) -> set[str]:
    """Names of ``sentences``, the lead's opening word too, that ``other`` never states.

    Not even misspelt: a correction fixes a misspelt name. Sentences in capitals only are
    left out: in a table every word of them reads as a name ("CORRECTED SINGAPORE").
    """
    text = side.doc.text
    mixed = [s for s in sentences if any(c.islower() for c in text[s.start : s.end])]
    lower = lower_words(text)
    names = {n.key for s in mixed for n in find_name_spans(text, s.start, s.end)}
    lead = side.doc.sentences[:1]
    names |= {key for s in mixed if s in lead and (key := _opening_name(text, s, lower))}
    return _unstated(names - _NOT_NAMES, other, config)


def filled_anew(
    a: Side,
    b: Side,
    pairs: list[SentencePair],
    formula: tuple[Collection[Span], Collection[Span]],
    config: DivergeConfig,
) -> bool:
    """Whether the compared formula sentences are one form filled twice.

    ``formula`` holds the sentences of ``a`` and of ``b`` whose wording the corpus knows
    as formula. Over the compared pairs with a formula sentence, a figure of one side that
    the other document states nowhere changed. A correction re-sends the same notice and
    changes one or two of its figures, keeping the rest; two issues of a form (two days'
    farm reserve prices, the morning and the closing money rates) change more than
    ``formula_max_changed_slots``, or more than they keep. A form filled for another
    name (two funds' dividend notices) has a name on each side the other lacks; a
    correction fixes a misspelt name, which :func:`_lost_names` does not count.
    """
    formula_a, formula_b = formula
    compared = [p for p in pairs if p.a in formula_a or p.b in formula_b]
    slots_a: set[str] = set()
    slots_b: set[str] = set()
    for pair in compared:
        slots_a |= _sentence_figures(a, pair.a)
        slots_b |= _sentence_figures(b, pair.b)
    changed = max(len(slots_a - b.quantity_keys), len(slots_b - a.quantity_keys))
    kept = len(slots_a & slots_b)
    renamed = bool(_lost_names(a, b, [p.a for p in compared], config)) and bool(
        _lost_names(b, a, [p.b for p in compared], config)
    )
    return (
        renamed
        or changed > config.formula_max_changed_slots
        or (changed >= config.formula_min_changed_slots and changed > kept)
    )
