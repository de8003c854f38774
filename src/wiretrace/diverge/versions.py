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
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA, Indel

from wiretrace.diverge.base import NOT_ACTORS, DivergeConfig, Side
from wiretrace.diverge.figures import figures, scaled_word_figures, sentence_figures
from wiretrace.fingerprint.anchors import MIN_NAME_CHARS
from wiretrace.model import SentencePair, Span
from wiretrace.segment import STOPWORDS, normalize_token, token_norms

# Capitalized words that name no one: months, days and their abbreviations, designators.
_NOT_NAMES = NOT_ACTORS | frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec "  # noqa: SIM905
    "mon tue tues wed thu thur thurs fri sat sun".split()
)


# A time of day written with a colon ("12:20", "9:05"), as a timed report's head has it.
_CLOCK = re.compile(r"(?<![\d:.,])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\d:])")
# The first word of a sentence, after any opening quote or bracket.
_FIRST_WORD = re.compile(r"[^\w]*(?P<word>[A-ZÀ-Ý][\w'’-]*\w)")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-zà-ÿ][\w'’-]*\w")


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
        lower = {normalize_token(w) for w in _LOWER_WORD.findall(text)}
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


def _clock_times(side: Side) -> set[tuple[int, int]]:
    """The times of day a document's title and first sentence state ("CBT 12:20 EDT")."""
    lead = side.doc.sentences[0] if side.doc.sentences else Span(0, len(side.doc.text))
    head = f"{side.doc.title or ''}\n{side.doc.text[lead.start : lead.end]}"
    return {(int(m.group("h")), int(m.group("m"))) for m in _CLOCK.finditer(head)}


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
            similarity = Indel.normalized_similarity(_frame(a, pair.a), _frame(b, pair.b))
            rewritten = rewritten or similarity < config.slot_max_frame_similarity
    return rewritten and kept == 0
