"""Stage 7, classify: a verdict for each aligned pair, or nothing if the pair is unrelated.

The verdict says how one article derives from the other (:class:`ReuseType`), how much of
each side is reused, which way the text flowed, and whether the reuse was credited.
"""

from __future__ import annotations

from dataclasses import dataclass

from wiretrace.align.sentences import SentenceView
from wiretrace.dates import earlier, parse_date
from wiretrace.extract.credits import canonical_agency
from wiretrace.model import Direction, Document, PairVerdict, Passage, PassageKind, ReuseType
from wiretrace.segment import UNDETERMINED


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
    # A pair is a paraphrase (or translation) when rewritten sentence pairs hold at least
    # this share of the aligned characters; below it, the rewrites are edits of a copy.
    rewritten_min_share: float = 0.5
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


def _kind_shares(passages: tuple[Passage, ...]) -> dict[PassageKind, float]:
    """Share of the aligned characters (both sides) in sentence pairs of each kind."""
    chars = dict.fromkeys(PassageKind, 0)
    for passage in passages:
        for pair in passage.sentence_pairs:
            chars[pair.kind] += pair.a.length + pair.b.length
    total = sum(chars.values()) or 1
    return {kind: n / total for kind, n in chars.items()}


def _sentence_pairs(evidence: PairEvidence) -> list[tuple[int, int]]:
    """Sentence indices ``(i, j)`` of every aligned sentence pair."""
    index_a = {span: i for i, span in enumerate(evidence.a.spans)}
    index_b = {span: j for j, span in enumerate(evidence.b.spans)}
    return [
        (index_a[pair.a], index_b[pair.b])
        for passage in evidence.passages
        for pair in passage.sentence_pairs
        if pair.a in index_a and pair.b in index_b
    ]


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


def _names(doc: Document) -> set[str]:
    names = {canonical_agency(c) for c in doc.credits}
    if doc.source:
        names.add(canonical_agency(doc.source))
    return names


def infer_direction(a: Document, b: Document) -> Direction:
    """Which way text flowed: from credits first, then from dates."""
    a_source = canonical_agency(a.source) if a.source else None
    b_source = canonical_agency(b.source) if b.source else None
    a_credits = {canonical_agency(c) for c in a.credits}
    b_credits = {canonical_agency(c) for c in b.credits}
    b_credits_a = a_source is not None and a_source in b_credits
    a_credits_b = b_source is not None and b_source in a_credits
    if b_credits_a and not a_credits_b:
        return Direction.A_TO_B
    if a_credits_b and not b_credits_a:
        return Direction.B_TO_A
    # A credited wire that is neither side: both copies derive from it, even when only one
    # of them says so (the other reused the wire's text or the credited copy's).
    wires = (a_credits | b_credits) - {a_source, b_source}
    if wires:
        return Direction.COMMON_SOURCE
    order = earlier(parse_date(a.date), parse_date(b.date))
    if order < 0:
        return Direction.A_TO_B
    if order > 0:
        return Direction.B_TO_A
    return Direction.UNKNOWN


def is_credited(a: Document, b: Document, direction: Direction) -> bool:
    """Whether the reusing side credits the source side, or a wire both derive from."""
    a_names, b_names = _names(a), _names(b)
    a_credits = {canonical_agency(c) for c in a.credits}
    b_credits = {canonical_agency(c) for c in b.credits}
    if direction == Direction.A_TO_B:
        return bool(b_credits & a_names)
    if direction == Direction.B_TO_A:
        return bool(a_credits & b_names)
    return bool(a_credits & b_credits) and bool(a_credits) and bool(b_credits)


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
    ):
        reasons.append(
            f"same story: content cosine {evidence.vocabulary_cosine:.2f}, "
            f"{evidence.shared_names} shared names, {facts} shared numbers/quotes"
        )
        return ReuseType.RELATED
    return None


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
    if passages:
        agree, conflict = _fact_agreement(evidence)
        if conflict > agree:
            # Shared formula, different facts: two events reported with one template
            # (a reused story that was updated keeps most of its figures).
            return None
    coverage_a = aligned_coverage(passages, a, "a") if passages else 0.0
    coverage_b = aligned_coverage(passages, b, "b") if passages else 0.0
    if passages:
        # Weighted by both sides, so the verdict does not depend on which id sorts first.
        weight = sum(p.a.length + p.b.length for p in passages) or 1
        mean_similarity = sum(p.similarity * (p.a.length + p.b.length) for p in passages) / weight
        top = max(coverage_a, coverage_b)
        rewritten = _kind_shares(passages)
        if (
            min(coverage_a, coverage_b) >= config.duplicate_min_coverage
            and mean_similarity >= config.duplicate_min_similarity
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
            reuse = ReuseType.PARAPHRASE
        elif top >= config.edited_min_coverage:
            reuse = ReuseType.EDITED
        else:
            reuse = ReuseType.PARTIAL
        similarity = max(mean_similarity * top, evidence.vocabulary_cosine)
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
    direction = infer_direction(a, b)
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
