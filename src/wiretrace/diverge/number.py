"""``number``: the two sentences state different quantities.

Quantities are compared by value (currency, scale words and locale spellings normalized;
"US$200 billion (S$268 billion)" is one fact, its conversion ignored; "five mln" is "5.0
mln", "12.1 mln" is "12,141,000" rounded, see :mod:`wiretrace.diverge.figures`), and a
range is not its two ends ("$185 billion to $200 billion" / "$200 billion, up from $185
billion"), unless the two sentences write the same numbers in the same order ("up $2.80
to $51.15" / "up $2.80 at $51.15": no figure changed, only a word between them). A figure
only one sentence has is a claim (:mod:`wiretrace.diverge.claim`).
"""

from __future__ import annotations

import re

from wiretrace.diverge.base import DivergeConfig, Side, divergence
from wiretrace.diverge.claim import cover, figure_claims
from wiretrace.diverge.figures import rounds_to, sentence_figures, word_figures
from wiretrace.diverge.versions import frame_similarity
from wiretrace.fingerprint.anchors import Quantity, find_numbers
from wiretrace.model import Divergence, DivergenceKind, SentencePair, Span


def _written(text: str, items: list[Quantity]) -> str:
    return ", ".join(text[q.start : q.end] for q in items)


# The digits of a written number ("42.7" of "42.7 trillion").
_DIGITS = re.compile(r"[\d.,/-]*\d")


def _written_numbers(text: str, sentence: Span) -> list[tuple[str, str]]:
    """The numbers of a sentence in order, each read alone: ``(digits, scale word)``."""
    found = []
    for n in find_numbers(text[sentence.start : sentence.end]):
        written = text[sentence.start + n.start : sentence.start + n.end]
        digits = _DIGITS.match(written)
        number = digits.group(0) if digits else written
        found.append((number, written[len(number) :].strip().lower()))
    return found


def _same_numbers(text_a: str, a: Span, text_b: str, b: Span) -> bool:
    """Whether two sentences write the same numbers in the same order.

    Then no figure changed, only a word between them ("up $2.80 to $51.15" / "up $2.80 at
    $51.15"), or a scale went into a unit ("42.7 trillion calculations per second
    (teraflops)" / "42.7 teraflops"); two scale words that differ are a change.
    """
    numbers_a, numbers_b = _written_numbers(text_a, a), _written_numbers(text_b, b)
    return len(numbers_a) == len(numbers_b) and all(
        x == y and (sx == sy or not sx or not sy)
        for (x, sx), (y, sy) in zip(numbers_a, numbers_b, strict=True)
    )


def _unchanged(
    only: list[Quantity], text: str, others: list[Quantity], other_text: str, other: Span
) -> list[Quantity]:
    """The figures of ``only`` that the other sentence states another way.

    In words ("April Nine" for "April 9"), rounded ("12.1 mln" for "12,141,000"), or with
    the unit left to the reader ("to 7-3/4 pct from 7-1/2" / "from 7-1/2 pct").
    """
    words = {q.key for q in word_figures(other_text, other.start, other.end)}
    bare = {o.key.replace("%", "") for o in others}
    digits = {_digits_of(other_text, o) for o in others} - {None}
    unscaled = {_unscaled(other_text, o) for o in others} - {None}
    values = {_fraction_value(o.key) for o in others} - {None}
    return [
        q
        for q in only
        if q.key in words
        or q.key.replace("%", "") in bare
        or any(rounds_to(text, q, other_text, o) for o in others)
        or _unscaled(text, q) in digits
        or _digits_of(text, q) in unscaled
        or _fraction_value(q.key) in values
    ]


# A figure in the wire's fractions: "5-1/2", "7-3/4%", "5/8".
_FRACTION = re.compile(r"(?:(?P<whole>\d+)-)?(?P<num>\d+)/(?P<den>[1-9]\d*)(?P<pct>%?)")


def _fraction_value(key: str) -> tuple[float, bool] | None:
    """The value of a figure's key and whether it is a percentage.

    A fraction is read as a number: "5-1/2" is 5.5, as "5.50" is. ``None`` for a key that
    is no number (a range, a date).
    """
    match = _FRACTION.fullmatch(key)
    if match is not None:
        whole = int(match.group("whole") or 0)
        value = whole + int(match.group("num")) / int(match.group("den"))
        return round(value, 6), bool(match.group("pct"))
    try:
        return round(float(key.rstrip("%")), 6), key.endswith("%")
    except ValueError:
        return None


def _digits_of(text: str, q: Quantity) -> str | None:
    """The digits a figure is written with ("181" of "181 mln dlrs")."""
    digits = _DIGITS.search(text, q.start, q.end)
    return digits.group(0) if digits else None


def _unscaled(text: str, q: Quantity) -> str | None:
    """The digits of a figure written with no scale word or unit after them, else ``None``.

    "181" where the other sentence has "181 mln" lost or misspelt its scale ("181 miln
    dlrs", a real Reuters re-send): the same figure.
    """
    digits = _DIGITS.search(text, q.start, q.end)
    if digits is None or any(c.isalpha() for c in text[digits.end() : q.end]):
        return None
    return digits.group(0)


# A figure at least this large, or with a fraction, is rarely stated twice by chance.
_TELLING_VALUE = 1000


def _telling(q: Quantity) -> bool:
    """Whether a figure is one a text would not state again by chance.

    "17 mln", "6.01" and "4,403,852" are; "19" and "14%" may be.
    """
    try:
        value = float(q.key.rstrip("%"))
    except ValueError:
        return True  # a range or a date
    return abs(value) >= _TELLING_VALUE or not value.is_integer()


def _range_of(items: list[Quantity]) -> bool:
    """Whether any of ``items`` is a range ("$185 billion to $200 billion")."""
    return any(".." in q.key for q in items)


def changed_numbers(
    a: Side, b: Side, pair: SentencePair, config: DivergeConfig
) -> list[Divergence]:
    """Number changes and added figures of one sentence pair."""
    if _same_numbers(a.doc.text, pair.a, b.doc.text, pair.b):
        return []
    qa = sentence_figures(a.doc.text, pair.a)
    qb = sentence_figures(b.doc.text, pair.b)
    keys_a, keys_b = {q.key for q in qa}, {q.key for q in qb}
    only_a = [q for q in qa if q.key not in keys_b]
    only_b = [q for q in qb if q.key not in keys_a]
    same_a = _unchanged(only_a, a.doc.text, only_b, b.doc.text, pair.b)
    same_b = _unchanged(only_b, b.doc.text, only_a, a.doc.text, pair.a)
    only_a = [q for q in only_a if q not in same_a]
    only_b = [q for q in only_b if q not in same_b]
    # A figure the other document states elsewhere moved; it was not changed.
    new_a = [q for q in only_a if q.key not in b.quantity_keys]
    new_b = [q for q in only_b if q.key not in a.quantity_keys]
    found = []
    if only_a and only_b and max(len(only_a), len(only_b)) > config.max_changed_figures:
        # A block filled anew (another day's price table, another borrower's terms), or
        # rows paired wrongly: a correction changes a figure or two of a sentence.
        return []
    # The changed figures of a side, where the other document states each of them elsewhere.
    moved = only_a if not new_a else only_b if not new_b else []
    if (
        moved
        and all(_telling(q) for q in moved)
        and not _range_of(new_a + new_b)
        and frame_similarity(a, b, pair) < config.edit_min_similarity
    ):
        # One side's figures all stand elsewhere in the other document, in a sentence
        # worded anew: they moved, and the other side's new figure is news told in their
        # place ("provided just 17 mln stg" / "provided a further 20 mln stg", where the
        # later report still has the 17 mln), not a figure changed. Unless the sentences
        # are otherwise alike (a table row corrected to a value another row has), the
        # new figure is those figures made a range ("$200 billion, up from $185 billion"
        # / "$185 billion to $200 billion"), or a moved figure is a small whole number,
        # which a text states again by chance ("19 cts" corrected to "13 cts" in a note
        # of a results table whose rows have "loss 19 cts").
        return []
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
        found += figure_claims(a, b, only_a, b.quantity_keys, (pair.a, pair.b), config, a_adds=True)
    elif new_b and not only_a:
        found += figure_claims(
            b, a, only_b, a.quantity_keys, (pair.b, pair.a), config, a_adds=False
        )
    return found
