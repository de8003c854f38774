"""Negation divergences: a polarity flip, not any negation word."""

from __future__ import annotations

import pytest

from tests.diverge.pairs import divergences, kinds
from wiretrace.model import DivergenceKind


def test_a_negated_statement_is_a_negation_divergence() -> None:
    found = divergences(
        "The board said the northern ferry route would close before the winter storms arrive.",
        "The board said the northern ferry route would not close before the winter storms arrive.",
    )
    assert [d.kind for d in found] == [DivergenceKind.NEGATION]
    assert found[0].b_text == "not"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A negation in a clause only one version has.
        (
            "He did not say where the money would come from, but the board expects the ferry "
            "to sail in May.",
            "The board expects the ferry to sail in May, the harbour master said on the quay.",
        ),
        # A reworded phrase that happens to hold "no".
        (
            "The two ports sealed a no limits partnership that worried the northern islands.",
            "The two ports struck up a cross-border partnership that worried the northern islands.",
        ),
        # A garbled apostrophe is the same negation.
        (
            'The minister said "we don"t expect a problem with the ferry accounts" on the quay.',
            'The minister said "we don\'t expect a problem with the ferry accounts" on the quay.',
        ),
    ],
)
def test_negation_words_outside_a_polarity_flip_are_ignored(first: str, second: str) -> None:
    assert "negation" not in kinds(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # One statement negated in two ways.
        (
            "The harbour master has so far issued no instructions to the ferry crews on the quay.",
            "The harbour master has so far not issued any instructions to the ferry crews on the "
            "quay.",
        ),
        # A ticker in capitals is no "nor".
        (
            "The ferry owner, Brennic Inc <NOR>, said one crew member was hurt in the fire.",
            "The ferry owner, Brennic Inc, said one crew member was hurt in the fire.",
        ),
    ],
)
def test_negations_as_often_on_both_sides_and_tickers_are_no_flip(first: str, second: str) -> None:
    assert "negation" not in kinds(first, second)


@pytest.mark.parametrize(
    ("first", "second", "words"),
    [
        (
            "NOTE: 1985 net includes 13,000 dlr tax credit.",
            "NOTE: 1985 net excludes 13,000 dlr tax credit.",
            ("includes", "excludes"),
        ),
        # The figure next to it corrected too: the number check reports that one.
        (
            "NOTE: 1985 net includes 13,000 dlr tax credit.",
            "NOTE: 1985 net excludes 131,000 dlr tax credit.",
            ("includes", "excludes"),
        ),
        (
            "The board said the ferry crews were able to reach the northern islands in time.",
            "The board said the ferry crews were unable to reach the northern islands in time.",
            ("able", "unable"),
        ),
        (
            "Port fees will increase next year, the harbour board said in its annual letter.",
            "Port fees will decrease next year, the harbour board said in its annual letter.",
            ("increase", "decrease"),
        ),
    ],
)
def test_a_word_replaced_by_its_opposite_by_affix_is_a_negation(
    first: str, second: str, words: tuple[str, str]
) -> None:
    found = [d for d in divergences(first, second) if d.kind == DivergenceKind.NEGATION]
    assert [(d.a_text, d.b_text) for d in found] == [words]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # "in-" on a root is no negation: "inform" is not "not form".
        (
            "The harbour board will form a committee on the ferry fees, its chairman said.",
            "The harbour board will inform a committee on the ferry fees, its chairman said.",
        ),
        # Roots too short to be one word ("exit"/"init").
        (
            "The ferry crews will exit the port at dawn, the harbour master said on Monday.",
            "The ferry crews will init the port at dawn, the harbour master said on Monday.",
        ),
        # Opposite prefixes on a root where they make no antonyms: a correction of a word.
        (
            "The harbour board had overtaken a review of the ferry fees, its chairman said.",
            "The harbour board had undertaken a review of the ferry fees, its chairman said.",
        ),
        (
            "The new rules impose the ferry crews to long shifts, the union said on the quay.",
            "The new rules expose the ferry crews to long shifts, the union said on the quay.",
        ),
        # "dis-" and "un-" words that negate nothing.
        (
            "Divers will cover the wreck of the ferry this week, the harbour master said.",
            "Divers will discover the wreck of the ferry this week, the harbour master said.",
        ),
        (
            "The ferry will sail less often in winter, the harbour board said on Monday.",
            "The ferry will sail unless often in winter, the harbour board said on Monday.",
        ),
    ],
)
def test_words_sharing_letters_are_not_opposites(first: str, second: str) -> None:
    assert "negation" not in kinds(first, second)
