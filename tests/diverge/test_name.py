"""Name divergences: misspellings, not other names or transliterations."""

from __future__ import annotations

import pytest

from tests.diverge.pairs import divergences, kinds
from wiretrace.model import DivergenceKind


def test_a_misspelt_name_is_a_name_divergence() -> None:
    found = divergences(
        "Transport minister Adaeze Okonkwo said the government would cover most of the cost.",
        "Transport minister Adaeze Okonkow said the government would cover most of the cost.",
    )
    assert [(d.kind, d.a_text, d.b_text) for d in found] == [
        (DivergenceKind.NAME, "Okonkwo", "Okonkow")
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A demonym is not a misspelling.
        (
            "The harbour board said the Veldran ferry would sail from the island every morning.",
            "The harbour board said the Veldrans ferry would sail from the island every morning.",
        ),
        # A replaced name (a paraphrase's "Moscow" for "Russia") is not reported as one.
        (
            "Analysts said Beijing would keep buying timber from the northern islands next year.",
            "Analysts said China would keep buying timber from the northern islands next year.",
        ),
        # A possessive is the same name.
        (
            "After Blinken's remarks the minister said the ferry plan would still go ahead.",
            "After Blinken remarked on it the minister said the ferry plan would still go ahead.",
        ),
    ],
)
def test_other_name_differences_are_not_misspellings(first: str, second: str) -> None:
    assert "name" not in kinds(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Sergey", "Sergei"),
        ("Dmitry", "Dmitri"),
        ("Gorbachev", "Gorbachov"),
        ("Aleksandr", "Alexandr"),
        ("Mikhail", "Mihail"),
    ],
)
def test_two_transliterations_of_one_name_are_no_name_divergence(first: str, second: str) -> None:
    sentence = "Foreign minister {} Petrov said the talks would resume in the spring."
    assert kinds(sentence.format(first), sentence.format(second)) == []


def test_a_misspelt_month_is_a_typo_not_a_name() -> None:
    assert "name" not in kinds(
        "The ministers met on the quay to review the ferry talks held last Sepember.",
        "The ministers met on the quay to review the ferry talks held last September.",
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Foothill Captial Corp", "Foothill Capital Corp"),
        ("the Mergers and Aquisitions Department", "the Mergers and Acquisitions Department"),
    ],
)
def test_a_mistyped_word_of_a_name_is_a_typo_not_a_name(first: str, second: str) -> None:
    # The word is an ordinary one: the text writes it in lower case elsewhere.
    tail = " raised its capital and made two acquisitions in the year, the quay office said."
    assert "name" not in kinds(f"Veldran said {first}{tail}", f"Veldran said {second}{tail}")


def test_a_misspelt_name_is_still_one_beside_lower_case_words() -> None:
    tail = " said the capital would cover most of the cost of the acquisitions."
    assert "name" in kinds(f"Minister Adaeze Okonkwo{tail}", f"Minister Adaeze Okonkow{tail}")
