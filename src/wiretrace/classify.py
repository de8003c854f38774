"""Stage 7, classify: a verdict for each aligned pair, or nothing if the pair is unrelated.

The verdict says how one article derives from the other (:class:`ReuseType`), how much of
each side is reused, which way the text flowed, and whether the reuse was credited.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from rapidfuzz.distance import Indel

from wiretrace.align.sentences import SentenceView
from wiretrace.dates import earlier, parse_date
from wiretrace.diverge.base import DivergeConfig, side_of
from wiretrace.diverge.versions import lead_names_lost
from wiretrace.extract.credits import canonical_agency
from wiretrace.fingerprint.anchors import quote_spans
from wiretrace.model import (
    TEMPLATE_REASON,
    Direction,
    Document,
    PairVerdict,
    Passage,
    PassageKind,
    ReuseType,
    Span,
)
from wiretrace.segment import UNDETERMINED

# Stands for a figure or a name when template instances are compared word for word.
_SLOT = "\x00slot"


@dataclass(frozen=True, slots=True)
class ClassifyConfig:
    """Thresholds of the classifier; each moves precision against recall as commented."""

    # Both sides nearly fully covered by near-identical text.
    duplicate_min_coverage: float = 0.9
    duplicate_min_similarity: float = 0.95
    # A derived copy covers most of at least one side (a trimmed copy covers all of itself).
    edited_min_coverage: float = 0.5
    # Mean sentence similarity below which aligned text is a rewrite rather than an edit.
    paraphrase_max_similarity: float = 0.7
    paraphrase_min_coverage: float = 0.3
    # A spin maps most of the shorter text one to one. On the 30 written spins and 60
    # separate reports of bench/spin.py every spin covers at least 0.75 of the shorter
    # text and most separate reports 0.24-0.47; the seeds' spin and translation-derived
    # copy of one Reuters story (001~002) cover 0.59. Separate reports that follow one
    # press conference in order (0.65-0.77) still pass: the rule cannot see them.
    rewrite_min_shorter_coverage: float = 0.55
    # ... and, where its sentences were paired by meaning, shows it over this many
    # sentence pairs (words kept in place show a rewrite by themselves). Two reports of one short
    # announcement (a bond offering, a lawsuit, a tender) say its two or three facts
    # sentence by sentence because there is one way to say them: on the first 5,000
    # Reuters records most pairs typed paraphrase mapped two or three sentences and were
    # separate wire items (Witco's offering, Bancroft's suit, two issuers' yen bonds),
    # while every written spin maps seven or more and the seeds' rewrites fourteen or more.
    rewrite_min_sentence_pairs: int = 4
    # A pair is a paraphrase (or translation) when rewritten sentence pairs hold at least
    # this share of the aligned characters; below it, the rewrites are edits of a copy.
    rewritten_min_share: float = 0.5
    # A reused passage is a paragraph or a few sentences (the labelling guide's "about two
    # sentences or 40 words, or a paragraph"): two sentences in a row, three in all, or
    # this share of one text (two sentences of a typical 10-15 sentence wire story).
    # Below that, single sentences shared by two stories of one known outlet are
    # background lines both carry (a statistic, the history of a dispute): on the 442
    # labelled real pairs this turned 8 pairs called partial into related or unrelated, as
    # labelled, and lost one one-sentence reuse. Across outlets, or where the outlet is
    # unknown, one lifted sentence stays partial.
    partial_min_run: int = 2
    partial_min_sentences: int = 3
    partial_min_coverage: float = 0.15
    # Fewer aligned tokens than this is a stock phrase, not reuse (raise for precision).
    min_aligned_tokens: int = 12
    # Reuse carries the facts of an event: below this many aligned tokens, the two articles
    # must also share at least ``min_shared_facts`` rare names, numbers or quotes, or the
    # shared wording is boilerplate ("The bond is available in denominations of ...").
    # 25 keeps one reused paragraph found (planted benchmark: 40 lost 11% of them).
    min_tokens_without_facts: int = 25
    min_shared_facts: int = 2
    # Same story without shared wording: content-word cosine and shared rare facts.
    related_min_cosine: float = 0.15
    related_min_names: int = 3
    related_min_facts: int = 1
    # Two instances of one template (two funds' dividends, two days' repurchase reports)
    # share their wording and differ in the figures that carry the news; a re-send,
    # correction or trim keeps them. A pair whose aligned sentences state at least this
    # many figures that the other side's aligned sentences do not, and more of them than
    # they share, is one formula filled twice, not reuse.
    template_min_changed_numbers: int = 1
    template_min_changed_share: float = 0.5
    # The same for the issuer: two companies' debenture registrations or eurobonds share
    # their formula and name other firms, banks and places.
    template_min_changed_names: int = 4
    template_changed_names_ratio: float = 2.0
    # ... and agree word for word elsewhere: with figures and names masked, their aligned
    # sentences are at least this alike (token Indel similarity). A copy with words
    # replaced all over differs in ordinary words too: the planted copies with 30% of
    # their words replaced (make bench) lost 5% of their recall at 0.7, none at 0.8.
    template_min_frame_similarity: float = 0.8
    # The same for sentences paired by meaning, whose wording differs more: on the first
    # 5,000 Reuters records, the pairs with other subjects in their leads and other figures
    # in such sentences had frame similarities 0.44-0.80 when they were notices of one form
    # (bond issues, offerings, rating actions, export bonuses), 0.31-0.38 when they were
    # separate reports of one event (Ecuador's oil, Brazil's debt tour, Peru's mines).
    template_min_frame_similarity_by_meaning: float = 0.4
    # A formula is much of a text: one sentence with other figures inside two different
    # articles (WikiRef's articles on one topic) is a fact restated, at most ``related``.
    # On the 442 labelled real pairs (bench/real_pairs.py, lexical layer) these rules take
    # the templates called reuse from 31 to 15 of 124.
    template_min_coverage: float = 0.3
    # Corpus statistics: a formula is wording many documents share with other figures and
    # names. A window of five words is formula when its frame (figures and names masked,
    # fingerprint/frames.py) is in at least ``template_min_formula_df`` documents of the
    # corpus and in ``template_min_fillings_ratio`` times as many as its words (copies of
    # one story hold its frames and its words alike). An aligned text with at least
    # ``template_min_formula_share`` formula windows, whose figures or names differ
    # between the two sides (the slot rules above, without the frame similarity), is one
    # formula filled twice. A re-send keeps the slots, a correction changes a minority of
    # the figures: both stay reuse. In a corpus smaller than the df nothing is formula.
    template_min_formula_df: int = 5
    template_min_fillings_ratio: float = 2.0
    template_min_formula_share: float = 0.5
    # A document is mostly formula when this share of its sentence characters is in
    # formula sentences (a recurring report: a price table, a dividend notice, a diary).
    template_min_formula_document_share: float = 0.5
    # An aligned sentence at least this much inside quotation marks shares what a speaker
    # said; two reports of one press conference quote the same words (issue 14: shared
    # quotes alone are not reuse).
    quoted_min_share: float = 0.5
    # Across languages only facts can be compared: shared numbers and names.
    translation_min_numbers: int = 3
    translation_min_names: int = 3


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """Everything the classifier looks at for one candidate pair."""

    a: SentenceView
    b: SentenceView
    passages: tuple[Passage, ...]
    vocabulary_cosine: float
    shared_names: int
    shared_numbers: int
    shared_quotes: int
    # Numbers and names rare enough in the corpus to identify an event; ``None``: all are.
    rare_numbers: frozenset[str] | None = None
    rare_names: frozenset[str] | None = None
    # Share of the aligned sentences' frame grams that are formula (see
    # ``ClassifyConfig.template_min_formula_df``); 0 where the corpus was not asked.
    formula_share: float = 0.0
    # How many documents of the corpus hold each frame gram (the corpus index's
    # ``frame_df``), asked only for pairs that would be related without shared text;
    # ``None`` where no corpus is at hand (then no document is formula).
    frame_df: Callable[[np.ndarray], np.ndarray] | None = None


def aligned_coverage(passages: tuple[Passage, ...], doc: Document, side: str) -> float:
    """Share of the document's sentence characters inside aligned sentences.

    The gaps that a passage bridges do not count.
    """
    total = sum(s.length for s in doc.sentences) or len(doc.text) or 1
    spans = sorted(
        (getattr(pair, side).start, getattr(pair, side).end)
        for p in passages
        for pair in p.sentence_pairs
    )
    covered = 0
    cursor = -1
    for start, end in spans:
        start = max(start, cursor)
        if end > start:
            covered += end - start
            cursor = end
    return min(covered / total, 1.0)


def _sentence_chars(doc: Document) -> int:
    """Characters of a document's sentences (what coverage is a share of)."""
    return sum(s.length for s in doc.sentences) or len(doc.text)


def _kind_shares(passages: tuple[Passage, ...]) -> dict[PassageKind, float]:
    """Share of the aligned characters (both sides) in sentence pairs of each kind."""
    chars = dict.fromkeys(PassageKind, 0)
    for passage in passages:
        for pair in passage.sentence_pairs:
            chars[pair.kind] += pair.a.length + pair.b.length
    total = sum(chars.values()) or 1
    return {kind: n / total for kind, n in chars.items()}


def _sentence_indices(
    a: SentenceView, b: SentenceView, passages: tuple[Passage, ...]
) -> list[tuple[int, int]]:
    """Sentence indices ``(i, j)`` of every aligned sentence pair of ``passages``."""
    index_a = {span: i for i, span in enumerate(a.spans)}
    index_b = {span: j for j, span in enumerate(b.spans)}
    return [
        (index_a[pair.a], index_b[pair.b])
        for passage in passages
        for pair in passage.sentence_pairs
        if pair.a in index_a and pair.b in index_b
    ]


def _sentence_pairs(evidence: PairEvidence) -> list[tuple[int, int]]:
    """Sentence indices ``(i, j)`` of every aligned sentence pair."""
    return _sentence_indices(evidence.a, evidence.b, evidence.passages)


def aligned_frame_grams(
    a: SentenceView, b: SentenceView, passages: tuple[Passage, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Frame grams and word grams of the aligned sentences of both sides, window by window."""
    if not passages:
        # Most candidate pairs align nothing: their documents' grams need not be built
        # (on all of Reuters-21578 that was a quarter of the lexical detection's time).
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint64)
    grams_a, grams_b = a.frame_grams(), b.frame_grams()
    sentences = [g for i, j in _sentence_indices(a, b, passages) for g in (grams_a[i], grams_b[j])]
    frames = [np.zeros(0, dtype=np.uint64), *(g.frames for g in sentences)]
    words = [np.zeros(0, dtype=np.uint64), *(g.words for g in sentences)]
    return np.concatenate(frames), np.concatenate(words)


def formula_share(frame_df: np.ndarray, word_df: np.ndarray, config: ClassifyConfig) -> float:
    """Share of windows whose frame is formula (see ``ClassifyConfig.template_min_formula_df``)."""
    if len(frame_df) == 0:
        return 0.0
    return float(_formula_windows(frame_df, word_df, config).mean())


def _formula_windows(
    frame_df: np.ndarray, word_df: np.ndarray, config: ClassifyConfig
) -> np.ndarray:
    """Which windows are formula (see ``ClassifyConfig.template_min_formula_df``)."""
    return (frame_df >= config.template_min_formula_df) & (
        frame_df >= config.template_min_fillings_ratio * word_df
    )


def formula_sentences(
    frame_df: Callable[[np.ndarray], np.ndarray], view: SentenceView, config: ClassifyConfig
) -> frozenset[Span]:
    """The sentences of a document whose wording is formula, by the corpus's frame counts.

    A sentence is formula when its wording recurs: at least ``template_min_formula_share``
    of its five-word windows have frames in ``template_min_formula_df`` documents or
    more; and when other documents fill it otherwise: at least one window is formula
    (see ``ClassifyConfig.template_min_formula_df``). A window without a slot is its own
    frame, so a sentence with one figure among twenty words ("The Fed entered the market
    to arrange 1.5 billion dlrs of customer repurchase agreements") has few formula
    windows, all around the figure. The copies of one story recur with their fillings,
    and a story's own sentences recur in no other. The divergence stage reads figures
    that differ in formula sentences as slots filled again, not as a change.

    Args:
        frame_df: how many documents of the corpus hold each gram (the corpus index's
            ``frame_df``).
        view: the document's sentences with their frame grams.
        config: the formula thresholds.
    """
    grams = view.frame_grams()
    sizes = [len(g.frames) for g in grams]
    if not sum(sizes):
        return frozenset()
    frames = np.concatenate([g.frames for g in grams])
    words = np.concatenate([g.words for g in grams])
    frame_counts = frame_df(frames)
    recurring = frame_counts >= config.template_min_formula_df
    formula = _formula_windows(frame_counts, frame_df(words), config)
    bounds = np.cumsum([0, *sizes])
    return frozenset(
        span
        for span, start, end in zip(view.spans, bounds[:-1], bounds[1:], strict=True)
        if end > start
        and recurring[start:end].mean() >= config.template_min_formula_share
        and formula[start:end].any()
    )


def formula_of(
    frame_df: Callable[[np.ndarray], np.ndarray],
    views: Iterable[SentenceView],
    config: ClassifyConfig,
) -> dict[str, frozenset[Span]]:
    """The formula sentences (:func:`formula_sentences`) of each document, by id."""
    return {view.doc.id: formula_sentences(frame_df, view, config) for view in views}


def formula_document_share(
    frame_df: Callable[[np.ndarray], np.ndarray], view: SentenceView, config: ClassifyConfig
) -> float:
    """Share of a document's sentence characters in its formula sentences."""
    total = sum(span.length for span in view.spans)
    if not total:
        return 0.0
    return sum(span.length for span in formula_sentences(frame_df, view, config)) / total


def _mostly_other_figures(changed: int, shared: int, config: ClassifyConfig) -> bool:
    """Figures stated on one side only: enough of them, and more than both sides state."""
    return (
        changed >= config.template_min_changed_numbers
        and changed / (changed + shared) > config.template_min_changed_share
    )


def _formula_documents(evidence: PairEvidence, config: ClassifyConfig) -> bool:
    """Two documents that are each mostly one recurring form, filled with other figures.

    Two days' price tables of one market, two funds' dividend notices, two editions of a
    daily diary: most of each text is wording the corpus holds many times with other
    fillings (``template_min_formula_document_share`` of its sentence characters), and
    most of their figures differ (``template_min_changed_share``, over every figure of
    both texts). They share words, names and a few figures without reporting one event.
    A re-send of one notice keeps its figures; a correction changes a minority of them.
    """
    if evidence.frame_df is None:
        return False
    numbers_a = set().union(*evidence.a.numbers)
    numbers_b = set().union(*evidence.b.numbers)
    if not _mostly_other_figures(len(numbers_a ^ numbers_b), len(numbers_a & numbers_b), config):
        return False
    return all(
        formula_document_share(evidence.frame_df, view, config)
        >= config.template_min_formula_document_share
        for view in (evidence.a, evidence.b)
    )


def _aligned_tokens(evidence: PairEvidence) -> int:
    """Tokens of the shorter side, summed over aligned sentence pairs."""
    return sum(
        min(len(evidence.a.norms[i]), len(evidence.b.norms[j]))
        for i, j in _sentence_pairs(evidence)
    )


def _fact_agreement(evidence: PairEvidence) -> tuple[int, int]:
    """Count aligned sentence pairs whose facts agree and those whose facts conflict.

    Facts conflict when each side has a number the other lacks (an added currency
    conversion is no conflict), or when both name someone and no name is shared. They
    agree when the pair shares a rare number or name: sharing "1,000 and 10,000" (bond
    denominations) or "Securities and Exchange Commission" says nothing about the event.
    """
    agree = conflict = 0
    rare_numbers, rare_names = evidence.rare_numbers, evidence.rare_names
    for i, j in _sentence_pairs(evidence):
        na, nb = evidence.a.numbers[i], evidence.b.numbers[j]
        ma, mb = evidence.a.names[i], evidence.b.names[j]
        numbers_conflict = bool(na - nb) and bool(nb - na)
        names_conflict = bool(ma) and bool(mb) and not ma & mb
        shared_numbers = na & nb if rare_numbers is None else na & nb & rare_numbers
        shared_names = ma & mb if rare_names is None else ma & mb & rare_names
        if numbers_conflict or names_conflict:
            conflict += 1
        elif shared_numbers or shared_names:
            agree += 1
    return agree, conflict


class DirectionBasis(StrEnum):
    """The evidence a direction rests on."""

    CREDIT = "credit"
    DATE = "date"
    # Weak evidence: the direction is unknown, and the reason says what was seen.
    NONE = "none"


@dataclass(frozen=True, slots=True)
class DirectionFinding:
    """Which way text flowed, the evidence it rests on, and that evidence in words.

    ``reason`` is the line the verdict's ``reasons`` carry ("direction: credit — b credits
    Reuters, a credits nothing"); ``a`` and ``b`` are the sides of the pair.
    """

    direction: Direction
    basis: DirectionBasis
    reason: str


# A side is "inside" the other when this share of it is aligned text and the other side
# has more of its own (a duplicate covers both sides). Containment is shown, never used to
# decide: a trimmed re-send lies inside its longer source, but an extended republication
# holds its shorter source inside it (the example corpus' republish_extended holds all of
# republish_verbatim; seed 003 extends the Reuters story with its own quotes).
CONTAINED_MIN_COVERAGE = 0.9


def _source(doc: Document) -> str | None:
    """The canonical agency or outlet that published ``doc``, when the input says so."""
    return canonical_agency(doc.source) if doc.source else None


def _credits(doc: Document) -> set[str]:
    return {canonical_agency(c) for c in doc.credits}


def _names(doc: Document) -> set[str]:
    """Every name that identifies where ``doc`` comes from: its credits and its source."""
    source = _source(doc)
    return _credits(doc) | ({source} if source else set())


def _folded(keys: frozenset[str] | set[str]) -> set[str]:
    """Keys without accents: a copy that drops one ("Vennér"/"Venner") names the same."""
    return {
        "".join(c for c in unicodedata.normalize("NFKD", k) if not unicodedata.combining(c))
        for k in keys
    }


def _changed_slots(evidence: PairEvidence) -> tuple[int, int, int, int]:
    """Figures and names of the aligned sentences: stated on one side only, and by both.

    A figure or name of one side's aligned sentences that the other document states in
    any sentence moved (a rewrite reorders clauses and sentences); it did not change.
    Returns ``(changed numbers, shared numbers, changed names, shared names)``.
    """
    numbers_a: set[str] = set()
    numbers_b: set[str] = set()
    names_a: set[str] = set()
    names_b: set[str] = set()
    for i, j in _sentence_pairs(evidence):
        numbers_a |= evidence.a.numbers[i]
        numbers_b |= evidence.b.numbers[j]
        names_a |= _folded(evidence.a.names[i])
        names_b |= _folded(evidence.b.names[j])
    all_numbers_a = set().union(*evidence.a.numbers)
    all_numbers_b = set().union(*evidence.b.numbers)
    all_names_a = _folded(set().union(*evidence.a.names))
    all_names_b = _folded(set().union(*evidence.b.names))
    return (
        len(numbers_a - all_numbers_b) + len(numbers_b - all_numbers_a),
        len(numbers_a & numbers_b),
        len(names_a - all_names_b) + len(names_b - all_names_a),
        len(names_a & names_b),
    )


def _quoted_share(span: Span, quotes: list[tuple[int, int]]) -> float:
    """Share of a sentence's characters inside quotation marks."""
    inside = sum(max(0, min(end, span.end) - max(start, span.start)) for start, end in quotes)
    return inside / (span.length or 1)


def _quotes_only(evidence: PairEvidence, config: ClassifyConfig) -> bool:
    """Every aligned sentence is mostly a quotation on both sides (see ``quoted_min_share``)."""
    a, b = evidence.a.doc, evidence.b.doc
    quotes_a, quotes_b = quote_spans(a.text), quote_spans(b.text)
    pairs = [pair for passage in evidence.passages for pair in passage.sentence_pairs]
    return bool(pairs) and all(
        _quoted_share(pair.a, quotes_a) >= config.quoted_min_share
        and _quoted_share(pair.b, quotes_b) >= config.quoted_min_share
        for pair in pairs
    )


def _frame_similarity(evidence: PairEvidence) -> float:
    """How alike the aligned sentences are once their figures and names are masked.

    A template's instances differ in their slots and agree word for word elsewhere; an
    edited or reworded copy differs in ordinary words too.
    """
    total = weight = 0.0
    for i, j in _sentence_pairs(evidence):
        frames = []
        for view, k in ((evidence.a, i), (evidence.b, j)):
            slot_words = {w for name in view.names[k] for w in name.split()}
            frames.append(
                [
                    _SLOT if w in slot_words or any(c.isdigit() for c in w) else w
                    for w in view.norms[k]
                ]
            )
        size = len(frames[0]) + len(frames[1])
        total += Indel.normalized_similarity(frames[0], frames[1]) * size
        weight += size
    return total / weight if weight else 0.0


def _is_template_pair(evidence: PairEvidence, config: ClassifyConfig) -> bool:
    """One formula filled with other figures or names (see ``ClassifyConfig.template_*``).

    Not for translated passages: a translation writes figures its own way ("1,5
    milliard", "seven"), so their keys differ without any figure having changed. (The
    passages, not the detected languages, decide: price tables and all-caps wire copy are
    often detected as another language.)
    """
    if any(p.kind == PassageKind.TRANSLATION for p in evidence.passages):
        return False
    changed, shared, changed_names, shared_names = _changed_slots(evidence)
    other_figures = _mostly_other_figures(changed, shared, config)
    other_names = (
        changed_names >= config.template_min_changed_names
        and changed_names > config.template_changed_names_ratio * shared_names
    )
    return (other_figures or other_names) and (
        _frame_similarity(evidence) >= config.template_min_frame_similarity
    )


def _is_formula_pair(evidence: PairEvidence, config: ClassifyConfig) -> bool:
    """Wording the corpus holds many times, filled with other figures or names.

    See ``ClassifyConfig.template_min_formula_df``; not for translated passages (as
    :func:`_is_template_pair`).
    """
    if evidence.formula_share < config.template_min_formula_share:
        return False
    if any(p.kind == PassageKind.TRANSLATION for p in evidence.passages):
        return False
    changed, shared, changed_names, _ = _changed_slots(evidence)
    return changed_names >= config.template_min_changed_names or _mostly_other_figures(
        changed, shared, config
    )


def _one_outlet(a: Document, b: Document) -> bool:
    """Both name one outlet: a source or a credited wire (``--source`` names a collection's)."""
    return bool(_names(a) & _names(b))


def _listed(names: set[str]) -> str:
    return ", ".join(sorted(names))


def _when(doc: Document) -> str:
    """The date of ``doc`` as a finding shows it: ISO 8601 UTC, to the second if timed.

    Seconds, because wire copy is ordered by them: of the 4,911 pairs found in
    Reuters-21578, 44 are stamped in one minute with different seconds.
    """
    parsed = parse_date(doc.date)
    if parsed is None:
        return "undated"
    return parsed.moment.strftime("%Y-%m-%dT%H:%M:%SZ" if parsed.has_time else "%Y-%m-%d")


def _flow(from_a: bool) -> Direction:
    return Direction.A_TO_B if from_a else Direction.B_TO_A


def _by_source_credit(a: Document, b: Document) -> DirectionFinding | None:
    """One side credits the other's source: it took the other's text."""
    source_a, source_b = _source(a), _source(b)
    b_credits_a = source_a is not None and source_a in _credits(b)
    a_credits_b = source_b is not None and source_b in _credits(a)
    if b_credits_a == a_credits_b:
        return None
    reuser, origin, source = ("b", "a", source_a) if b_credits_a else ("a", "b", source_b)
    return DirectionFinding(
        _flow(b_credits_a),
        DirectionBasis.CREDIT,
        f"direction: credit — {reuser} credits {origin}'s source, {source}",
    )


def _by_one_sided_credit(a: Document, b: Document) -> DirectionFinding | None:
    """One side credits a wire, the other nothing: the other reused the credited text.

    Unless the uncrediting side is dated first: then it cannot have taken the text from the
    credited copy, and the evidence conflicts.
    """
    credits_a, credits_b = _credits(a), _credits(b)
    if bool(credits_a) == bool(credits_b):
        return None
    from_a = bool(credits_a)
    credited, silent = (a, b) if from_a else (b, a)
    names = ("a", "b") if from_a else ("b", "a")
    claim = f"{names[0]} credits {_listed(credits_a or credits_b)}, {names[1]} credits nothing"
    if earlier(parse_date(silent.date), parse_date(credited.date)) < 0:
        return DirectionFinding(
            Direction.UNKNOWN,
            DirectionBasis.NONE,
            f"direction: unknown — {claim}, but {names[1]} is dated {_when(silent)}, "
            f"before {names[0]} ({_when(credited)})",
        )
    return DirectionFinding(_flow(from_a), DirectionBasis.CREDIT, f"direction: credit — {claim}")


def _by_shared_credit(a: Document, b: Document) -> DirectionFinding | None:
    """Both sides credit one wire: they derive from it, or are its own copies in date order."""
    shared = _credits(a) & _credits(b)
    if not shared:
        return None
    wire = _listed(shared)
    source_a, source_b = _source(a), _source(b)
    # A side whose source is unknown may be the wire's own copy (Reuters-21578 stories sign
    # off "REUTER" and name no source): then their dates say which came first.
    if source_a is not None and source_b is not None and not shared & {source_a, source_b}:
        return DirectionFinding(
            Direction.COMMON_SOURCE,
            DirectionBasis.CREDIT,
            f"direction: common source — both credit {wire}, which neither is",
        )
    return _by_date(a, b, f"; both credit {wire}") or DirectionFinding(
        Direction.COMMON_SOURCE,
        DirectionBasis.CREDIT,
        f"direction: common source — both credit {wire}; no date orders them",
    )


def _by_date(a: Document, b: Document, note: str = "") -> DirectionFinding | None:
    """The direction the dates give, or ``None`` if they do not decide."""
    order = earlier(parse_date(a.date), parse_date(b.date))
    if order == 0:
        return None
    if order < 0:
        dates = f"a is dated {_when(a)}, b {_when(b)}"
    else:
        dates = f"b is dated {_when(b)}, a {_when(a)}"
    return DirectionFinding(
        _flow(order < 0), DirectionBasis.DATE, f"direction: date — {dates}{note}"
    )


def _containment(coverage_a: float, coverage_b: float) -> str:
    """What containment shows when nothing decides the direction (see CONTAINED_MIN_COVERAGE)."""
    for inner, outer, cov_in, cov_out in (
        ("b", "a", coverage_b, coverage_a),
        ("a", "b", coverage_a, coverage_b),
    ):
        if cov_in >= CONTAINED_MIN_COVERAGE and cov_out < cov_in:
            return (
                f"; {inner} lies inside {outer} (coverage {cov_in:.0%} vs {cov_out:.0%}), as a "
                f"trim of {outer} or an extension of {inner} would"
            )
    return ""


def infer_direction(
    a: Document, b: Document, *, coverage_a: float, coverage_b: float
) -> DirectionFinding:
    """Which way text flowed between ``a`` and ``b``, and on what evidence.

    Two copies of one outlet (same source) are ordered by their dates alone. Otherwise
    credits decide first. A side that credits the other's source copied it. When one side
    credits a wire and the other credits nothing, the text flowed from the credited copy to
    the uncrediting reuser (seeds: Reuters → 004), unless the reuser is dated before it.
    Two sides that credit one wire derive from it (``common-source``) when neither is that
    wire; when a side may be the wire's own copy (its source is the wire, or unknown), their
    dates order them, as they do when credits say nothing. Otherwise the direction is
    ``unknown``, and the reason says what was seen.

    Args:
        a: One side of the pair.
        b: The other side.
        coverage_a: Share of ``a`` inside aligned text; 0 on both sides means that no text
            was reused (a ``related`` pair), so credits cannot say who reused whom and only
            a credit of the other's source or the dates give an order.
        coverage_b: Share of ``b`` inside aligned text.

    Returns:
        The direction, its basis, and the reason line for the verdict.
    """
    source_a, source_b = _source(a), _source(b)
    if source_a is not None and source_a == source_b:
        # One outlet's own copies (a re-send, a correction, a later take): credits say
        # nothing about their order, which one carries a sign-off; the dates do.
        finding = _by_date(a, b, f"; both are {source_a}'s")
        return finding or DirectionFinding(
            Direction.UNKNOWN,
            DirectionBasis.NONE,
            f"direction: unknown — both are {source_a}'s and no date orders them"
            + _containment(coverage_a, coverage_b),
        )
    finding = _by_source_credit(a, b)
    if coverage_a > 0 or coverage_b > 0:
        finding = finding or _by_one_sided_credit(a, b) or _by_shared_credit(a, b)
        finding = finding or _by_date(a, b)
    else:
        finding = finding or _by_date(a, b, " (no text reused: the order of reporting)")
    return finding or DirectionFinding(
        Direction.UNKNOWN,
        DirectionBasis.NONE,
        "direction: unknown — no credit or date orders them" + _containment(coverage_a, coverage_b),
    )


def is_credited(a: Document, b: Document, direction: Direction) -> bool:
    """Whether the reusing side credits the source side, or a wire both derive from.

    Reusing one's own text needs no credit: a reuser whose source is the source side's
    source or credited wire (two stories of one agency) is credited.
    """
    a_names, b_names = _names(a), _names(b)
    a_credits, b_credits = _credits(a), _credits(b)
    source_a, source_b = _source(a), _source(b)
    if direction == Direction.A_TO_B:
        return bool(b_credits & a_names) or source_b in a_names
    if direction == Direction.B_TO_A:
        return bool(a_credits & b_names) or source_a in b_names
    return bool(a_credits & b_credits) or (source_a is not None and source_a == source_b)


def _related_verdict(
    evidence: PairEvidence, config: ClassifyConfig, reasons: list[str]
) -> ReuseType | None:
    a, b = evidence.a.doc, evidence.b.doc
    cross_language = a.language != b.language and UNDETERMINED not in (a.language, b.language)
    if cross_language:
        if (
            evidence.shared_numbers >= config.translation_min_numbers
            and evidence.shared_names >= config.translation_min_names
        ):
            reasons.append(
                f"different languages ({a.language}/{b.language}) sharing "
                f"{evidence.shared_numbers} numbers and {evidence.shared_names} names; "
                "no lexical alignment across languages"
            )
            return ReuseType.RELATED
        return None
    facts = evidence.shared_numbers + evidence.shared_quotes
    if (
        evidence.vocabulary_cosine >= config.related_min_cosine
        and evidence.shared_names >= config.related_min_names
        and facts >= config.related_min_facts
        # Checked last: it reads both documents' frame counts.
        and not _formula_documents(evidence, config)
    ):
        reasons.append(
            f"same story: content cosine {evidence.vocabulary_cosine:.2f}, "
            f"{evidence.shared_names} shared names, {facts} shared numbers/quotes"
        )
        return ReuseType.RELATED
    return None


# Verdicts that make two documents one text edited or rewritten.
_ONE_TEXT_TYPES = frozenset({ReuseType.EDITED, ReuseType.PARAPHRASE})


def _other_subjects(a: Document, b: Document) -> str | None:
    """The names of each lead that the other document never states, as "x / y".

    ``None`` unless both leads have one (see :func:`wiretrace.diverge.versions.subjects_apart`),
    and across languages: a translation writes names its own way.
    """
    if a.language != b.language and UNDETERMINED not in (a.language, b.language):
        return None
    lost_a, lost_b = lead_names_lost(side_of(a), side_of(b), DivergeConfig())
    if not (lost_a and lost_b):
        return None
    return f"{', '.join(sorted(lost_a))} / {', '.join(sorted(lost_b))}"


def classify_pair(
    evidence: PairEvidence, config: ClassifyConfig | None = None
) -> PairVerdict | None:
    """The verdict for one candidate pair, or ``None`` if it is not a related pair."""
    config = config or ClassifyConfig()
    a, b = evidence.a.doc, evidence.b.doc
    reasons: list[str] = []
    passages = evidence.passages
    aligned_tokens = _aligned_tokens(evidence) if passages else 0
    shared_facts = evidence.shared_names + evidence.shared_numbers + evidence.shared_quotes
    if passages and aligned_tokens < config.min_aligned_tokens:
        reasons.append("aligned text too short to count as reuse")
        passages = ()
    elif (
        passages
        and aligned_tokens < config.min_tokens_without_facts
        and shared_facts < config.min_shared_facts
    ):
        reasons.append("aligned text is boilerplate: no rare names, numbers or quotes shared")
        passages = ()
    if passages and _quotes_only(evidence, config):
        # Two reports of one press conference quote the same words; neither copied the other.
        reasons.append("only quotations shared: separate reports of what was said, not reuse")
        passages = ()
    if passages:
        agree, conflict = _fact_agreement(evidence)
        if any(p.kind == PassageKind.TRANSLATION for p in passages):
            # A translation writes figures and names its language's way ("1,4 Mio",
            # "Prozent", "Polen"): their keys differ without any fact having changed.
            conflict = 0
        other_figures = _is_template_pair(evidence, config) or _is_formula_pair(evidence, config)
        formula = max(aligned_coverage(passages, a, "a"), aligned_coverage(passages, b, "b"))
        if conflict > agree or (other_figures and formula >= config.template_min_coverage):
            # Shared formula, different facts: two events reported with one template
            # (a reused story that was updated keeps most of its figures).
            return None
        if other_figures:
            reasons.append("the shared sentences state other figures: a fact restated, not reuse")
            passages = ()
    coverage_a = aligned_coverage(passages, a, "a") if passages else 0.0
    coverage_b = aligned_coverage(passages, b, "b") if passages else 0.0
    reuse: ReuseType | None = None
    if passages:
        # Weighted by both sides, so the verdict does not depend on which id sorts first.
        weight = sum(p.a.length + p.b.length for p in passages) or 1
        mean_similarity = sum(p.similarity * (p.a.length + p.b.length) for p in passages) / weight
        top = max(coverage_a, coverage_b)
        shorter = coverage_a if _sentence_chars(a) <= _sentence_chars(b) else coverage_b
        rewritten = _kind_shares(passages)
        by_meaning = (
            rewritten[PassageKind.PARAPHRASE] + rewritten[PassageKind.TRANSLATION]
            >= config.rewritten_min_share
        )
        if (
            min(coverage_a, coverage_b) >= config.duplicate_min_coverage
            and mean_similarity >= config.duplicate_min_similarity
            # Cosines of rewritten sentences are no measure of identical wording.
            and rewritten[PassageKind.PARAPHRASE] + rewritten[PassageKind.TRANSLATION] == 0
        ):
            reuse = ReuseType.DUPLICATE
        elif (
            rewritten[PassageKind.TRANSLATION] >= config.rewritten_min_share
            and top >= config.paraphrase_min_coverage
        ):
            reuse = ReuseType.TRANSLATION
        elif (
            mean_similarity < config.paraphrase_max_similarity
            or rewritten[PassageKind.PARAPHRASE] + rewritten[PassageKind.TRANSLATION]
            >= config.rewritten_min_share
        ) and top >= config.paraphrase_min_coverage:
            # A rewrite maps most of the shorter text sentence by sentence; two reports of
            # one event share a few of its facts and quotes in their own words.
            mapped = sum(len(p.sentence_pairs) for p in passages)
            if shorter >= config.rewrite_min_shorter_coverage and (
                mapped >= config.rewrite_min_sentence_pairs or not by_meaning
            ):
                reuse = ReuseType.PARAPHRASE
        elif top >= config.edited_min_coverage:
            reuse = ReuseType.EDITED
        elif rewritten[PassageKind.PARAPHRASE] < 1 and (
            max(len(p.sentence_pairs) for p in passages) >= config.partial_min_run
            or sum(len(p.sentence_pairs) for p in passages) >= config.partial_min_sentences
            or top >= config.partial_min_coverage
            or not _one_outlet(a, b)
        ):
            # Copied, edited or translated sentences: a reused passage.
            reuse = ReuseType.PARTIAL
        elif rewritten[PassageKind.PARAPHRASE] < 1:
            # One outlet's two stories that share one or two sentences lost in longer
            # texts: a background line or a statistic both carry, not a reused passage.
            # Judged as two texts without one. (Across outlets one lifted sentence is the
            # reuse a wire agency looks for, and stays partial; so where no outlet is known.)
            reasons.append(
                "the shared sentences are background lines: single sentences, fewer than "
                f"{config.partial_min_sentences} and under "
                f"{config.partial_min_coverage:.0%} of either text"
            )
            related = _related_verdict(evidence, config, reasons)
            if related is None:
                return None
            passages = ()
            coverage_a = coverage_b = 0.0
            reuse = related
        if reuse in _ONE_TEXT_TYPES and (subjects := _other_subjects(a, b)) is not None:
            changed, _, changed_names, _ = _changed_slots(evidence)
            # A form keeps its words around the slots, or was paired by meaning; a copy
            # with many words replaced keeps neither (planted 30% word edits).
            formlike = (
                rewritten[PassageKind.PARAPHRASE] >= config.rewritten_min_share
                or _frame_similarity(evidence) >= config.template_min_frame_similarity
            )
            if changed and formlike:
                # Shared wording with other figures, in texts about other subjects: two
                # borrowers' bond notices, two companies' crude postings; or two reports
                # of one event, written apart.
                reasons.append(
                    f"{TEMPLATE_REASON}the leads name other subjects ({subjects}) and the shared "
                    "wording states other figures; one form filled twice or two reports, "
                    "not one text rewritten"
                )
                reuse = ReuseType.RELATED
                passages = ()
                coverage_a = coverage_b = 0.0
            elif reuse == ReuseType.EDITED and not changed_names:
                # No other names in the aligned sentences of stories about other subjects:
                # a passage one story took from the other (its figures agree, or it was
                # edited too freely to be a form filled again).
                reasons.append(
                    f"the leads name other subjects ({subjects}): a passage reused in "
                    "another story, not one text edited"
                )
                reuse = ReuseType.PARTIAL
            # Otherwise the figures agree and words of the lead differ: a copy edited
            # hard enough to rename them stays what its alignment says.
        similarity = max(mean_similarity * top, evidence.vocabulary_cosine)
        if reuse is None:
            # A few sentences that state the same facts in other words, in texts that are
            # otherwise different: two reports of one event, not a reused passage. How
            # much they share still says how close the two stories are. Unless their leads
            # are about other subjects and those sentences keep one form's wording around
            # other figures: one form filled for two issuers (yen bond notices,
            # credit-guarantee notices).
            # The cheap tests first: the subjects read both documents' figures and names.
            if (
                by_meaning
                and _changed_slots(evidence)[0]
                and (subjects := _other_subjects(a, b)) is not None
                and _frame_similarity(evidence) >= config.template_min_frame_similarity_by_meaning
            ):
                reasons.append(
                    f"{TEMPLATE_REASON}the leads name other subjects ({subjects}) and the "
                    "sentences paired by meaning state other figures; one form filled twice, "
                    "not one story"
                )
            elif _formula_documents(evidence, config):
                reasons.append(
                    f"{TEMPLATE_REASON}both texts are mostly wording the corpus repeats with "
                    "other figures, and most of their figures differ; one recurring report "
                    "filled twice, not one story"
                )
            else:
                reasons.append(
                    f"same story: {sum(len(p.sentence_pairs) for p in passages)} sentences "
                    "state the same facts in other words in otherwise different texts "
                    "(separate reporting, not reuse)"
                )
            reuse = ReuseType.RELATED
            passages = ()
            coverage_a = coverage_b = 0.0
        elif passages:
            reasons.append(
                f"{sum(len(p.sentence_pairs) for p in passages)} aligned sentence pairs in "
                f"{len(passages)} passages, mean similarity {mean_similarity:.2f}"
            )
    else:
        related = _related_verdict(evidence, config, reasons)
        if related is None:
            return None
        reuse = related
        similarity = evidence.vocabulary_cosine
    finding = infer_direction(a, b, coverage_a=coverage_a, coverage_b=coverage_b)
    reasons.append(finding.reason)
    direction = finding.direction
    return PairVerdict(
        a=a.id,
        b=b.id,
        type=reuse,
        coverage_a=round(coverage_a, 4),
        coverage_b=round(coverage_b, 4),
        direction=direction,
        credited=is_credited(a, b, direction),
        similarity=round(similarity, 4),
        passages=passages,
        reasons=tuple(reasons),
    )
