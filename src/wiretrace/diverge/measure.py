"""``number`` again: the figure stays, what it measures changes.

A correction of a results table turns "Oper shr profit six cts" into "Oper shr loss six
cts"; an update of a notice moves "starting August six" to "starting April six"; another
turns "46,000 barrels a day" into "46,000 barrels a year". The figures agree, so
:mod:`wiretrace.diverge.number` sees nothing, yet the fact changed: its sign, its month,
its period.

Reported where one word next to a figure both sentences state is replaced or added (a
sign before "24 cts") in a sentence otherwise unchanged, the two words are not one word
written two ways ("Revs"/"Revenues", "mths"/"months", "dlrs"/"dollars": an abbreviation
keeps the letters of its word in order), and both texts use both words (a results table
says "profit" and "loss"; a copy edit brings in a synonym the other text never uses:
"rose 5%" / "gained 5%"), unless they are months or days, or two words of one kind that
exclude each other (:data:`EXCLUSIVE`: a period, the sign of a result, the session of a
rate), where the one a text never uses is still another fact ("a day"/"a year" where only
one text says "day"). Only in copies and edits, not in paraphrases, and not where the word
was only made explicit ("Net loss 578,900 vs 713,300" / "Net loss 578,900 vs loss
713,300").
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import Indel, Levenshtein

from wiretrace.diverge.base import (
    NEGATIONS,
    NOT_ACTORS,
    DivergeConfig,
    Side,
    changed_chunks,
    divergence,
    span_tokens,
)
from wiretrace.diverge.figures import word_figures
from wiretrace.model import Divergence, DivergenceKind, PassageKind, SentencePair, Span
from wiretrace.segment import STOPWORDS, Token, is_content

# How many tokens from a figure a word still tells what the figure measures: the unit
# phrase ("46,000 barrels of gasoline components a day").
_MEASURE_TOKENS = 5
# Shorter words are mostly abbreviations and signs written next to a figure ("US$200").
_MIN_LABEL_CHARS = 3

# Words of one kind that exclude each other, each with its value: what a figure is per
# (a day is not a year), the sign of a result (a profit is not a loss), the session a rate
# was taken at (an opening rate is not the closing one). Two words of one kind with other
# values state another fact; with one value ("profit"/"gain") they are a copy edit.
EXCLUSIVE: dict[str, tuple[str, str]] = {
    **{w: ("period", "day") for w in ("day", "days", "daily")},
    **{w: ("period", "week") for w in ("week", "weeks", "weekly")},
    **{w: ("period", "month") for w in ("month", "months", "monthly", "mth", "mths")},
    **{w: ("period", "quarter") for w in ("quarter", "quarters", "quarterly", "qtr", "qtrs")},
    **{w: ("period", "half") for w in ("half", "halves")},
    **{w: ("period", "year") for w in ("year", "years", "yearly", "annual", "annually")},
    **{w: ("sign", "+") for w in ("profit", "profits", "gain", "gains", "surplus", "income")},
    **{w: ("sign", "-") for w in ("loss", "losses", "deficit", "deficits")},
    **{w: ("session", "opening") for w in ("opening", "open")},
    **{w: ("session", "closing") for w in ("closing", "close")},
}


def _is_figure(token: Token, text: str) -> bool:
    return token.norm[:1].isdigit() or bool(word_figures(text, token.start, token.end))


def _abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` keeps the letters of ``long`` in order, from its first ("mths")."""
    if not short or short[0] != long[0]:
        return False
    rest = iter(long)
    return all(c in rest for c in short)


def _one_word(x: str, y: str) -> bool:
    """Spellings, inflections and abbreviations of one word."""
    short, long = sorted((x, y), key=len)
    return long.startswith(short[:4]) if len(short) >= 4 else _abbreviates(short, long)


def _label(words: Sequence[Token], text: str) -> bool:
    """One word that can say what a figure measures: a content word, no name.

    A capitalized word in mixed-case text is a name (another name is another actor: see
    :func:`wiretrace.diverge.role.replaced_actors`), unless it is a month or a day.
    """
    if len(words) != 1:
        return False
    word = words[0]
    written = text[word.start : word.end]
    name = written[:1].isupper() and not written.isupper() and word.norm not in NOT_ACTORS
    return (
        len(word.norm) >= _MIN_LABEL_CHARS
        and word.norm not in STOPWORDS
        and word.norm.isalpha()
        and not name
    )


def _equal_map(x: list[str], y: list[str]) -> dict[int, int]:
    """Each token of ``x`` that the diff keeps, and its place in ``y``."""
    mapping = {}
    for op in Levenshtein.opcodes(x, y):
        if op.tag == "equal":
            for k in range(op.src_end - op.src_start):
                mapping[op.src_start + k] = op.dest_start + k
    return mapping


def changed_measures(
    a: Side, b: Side, pair: SentencePair, config: DivergeConfig
) -> list[Divergence]:
    """Words next to an unchanged figure that were replaced, or added before it."""
    if pair.kind not in (PassageKind.VERBATIM, PassageKind.EDITED):
        return []
    ta = span_tokens(a.doc.text, pair.a.start, pair.a.end)
    tb = span_tokens(b.doc.text, pair.b.start, pair.b.end)
    # Figures masked for the likeness of the sentences, kept for the diff: a figure that
    # changed is the number check's.
    masked_a = ["#" if _is_figure(t, a.doc.text) else t.norm for t in ta]
    masked_b = ["#" if _is_figure(t, b.doc.text) else t.norm for t in tb]
    if Indel.normalized_similarity(masked_a, masked_b) < config.edit_min_similarity:
        return []
    norms_a, norms_b = [t.norm for t in ta], [t.norm for t in tb]
    kept = _equal_map(norms_a, norms_b)
    figures = [i for i in kept if masked_a[i] == "#"]
    found = []
    for a_start, a_end, b_start, b_end in changed_chunks(norms_a, norms_b):
        wa, wb = ta[a_start:a_end], tb[b_start:b_end]
        if (
            not (wa or wb)
            or (wa and not _label(wa, a.doc.text))
            or (wb and not _label(wb, b.doc.text))
        ):
            continue
        if wa and wb and _one_word(wa[0].norm, wb[0].norm):
            continue
        if {t.norm for t in wa + wb} & NEGATIONS:
            continue  # the negation check's
        kinds = [EXCLUSIVE[t.norm] for t in wa + wb if t.norm in EXCLUSIVE]
        one_kind = len(wa) == len(wb) == 1 and len(kinds) == 2 and kinds[0][0] == kinds[1][0]
        if one_kind and kinds[0] == kinds[1]:
            continue  # one value written two ways ("profit"/"gain"): a copy edit
        if not one_kind and any(
            t.norm not in NOT_ACTORS and (t.norm not in a.words or t.norm not in b.words)
            for t in wa + wb
        ):
            # A word one text never uses: a copy edit's synonym ("rose"/"gained"). A
            # month or a day is a date changed whatever else the texts say.
            continue
        if not (wa and wb) and a_start not in figures:
            continue  # a word added or dropped counts right before a figure ("loss 24 cts")
        if not (wa and wb) and {t.norm for t in wa + wb} & set(norms_a) & set(norms_b):
            continue  # made explicit: "Net loss 578,900 vs 713,300" / "... vs loss 713,300"
        glued = [t for t in wa + wb if _glued(a.doc.text if t in wa else b.doc.text, t)]
        if glued:
            continue  # part of how the figure is written ("US$200", "DM50")
        # A period ends its unit phrase, so its distance counts content words and figures
        # only ("46,000 barrels of gasoline components a day", "one tonne of boards a day");
        # any other word stands next to its figure.
        period = one_kind and kinds[0][0] == "period"
        counted = [
            i
            for i, norm in enumerate(norms_a)
            if not period or is_content(norm) or masked_a[i] == "#" or i == a_start
        ]
        place = {i: k for k, i in enumerate(counted)}
        near = [
            i for i in figures if i in place and abs(place[i] - place[a_start]) <= _MEASURE_TOKENS
        ]
        if not near:
            continue
        figure = min(near, key=lambda i: abs(i - a_start))
        fa, fb = ta[figure], tb[kept[figure]]
        what = a.doc.text[fa.start : fa.end]
        found.append(
            divergence(
                a,
                b,
                DivergenceKind.NUMBER,
                _cover([*wa, fa]),
                _cover([*wb, fb]),
                f"what {what} measures changed: {' '.join(t.norm for t in wa) or '—'!r} in "
                f"{a.doc.id}, {' '.join(t.norm for t in wb) or '—'!r} in {b.doc.id}",
            )
        )
    return found


def _glued(text: str, token: Token) -> bool:
    """Whether a word is written against a figure, with no space ("US$200")."""
    after = text[token.end : token.end + 2]
    return bool(after) and not after[0].isspace() and any(c.isdigit() for c in after)


def _cover(tokens: Sequence[Token]) -> Span:
    return Span(min(t.start for t in tokens), max(t.end for t in tokens))
