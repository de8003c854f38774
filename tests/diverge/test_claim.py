"""Claims: a date or day one version adds; a dateline is none."""

from __future__ import annotations

import pytest

from tests.diverge.pairs import divergences, kinds
from wiretrace.model import DivergenceKind


def test_an_added_date_is_a_claim_and_the_dateline_is_not() -> None:
    found = divergences(
        "PORT CALLOW, March 4 (Meridian Press) - When the leaders met just before the war, "
        "they sealed a partnership that worried the West.",
        "When the leaders met just before the war began on Feb 24, 2022, they sealed a "
        "partnership that worried the West.",
    )
    assert [(d.kind, d.b_text) for d in found] == [(DivergenceKind.CLAIM, "Feb 24, 2022")]
    assert found[0].a_span is not None  # the counterpart sentence that lacks the date


def test_an_added_day_is_a_claim() -> None:
    found = divergences(
        "The president said on Wednesday that the ferry minister would visit the islands.",
        "The president said that the ferry minister would visit the islands in the coming months.",
    )
    assert sorted(d.explanation.split("'")[1] for d in found) == ["the coming months", "wednesday"]
    assert {d.kind for d in found} == {DivergenceKind.CLAIM}


def test_a_clause_inserted_between_words_the_other_has_side_by_side_adds_its_facts() -> None:
    found = divergences(
        "The survey gave the Harbour party 44 pct of the votes on the islands.",
        "The survey, conducted between April 10 and 12 among 1,000 islanders, gave the "
        "Harbour party 44 pct of the votes on the islands.",
    )
    assert sorted(d.b_text for d in found if d.kind == DivergenceKind.CLAIM) == [
        "1,000",
        "April 10 and 12",
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A time told from another day is the same time.
        (
            "Solberg on Thursday renewed her call for a second ferry to the northern islands.",
            "Solberg last week renewed her call for a second ferry to the northern islands.",
        ),
        (
            "A panel of three judges will choose the new ferry's name on Tuesday, they said.",
            "A panel of three judges will meet on 25 January to choose the new ferry's name.",
        ),
        # A figure in another clause of a sentence that tells something else.
        (
            "The bond due 2031, announced on April 1, has been priced at par, Brennic said.",
            "The bond due 2031 was planned by the board, lead manager Brennic said.",
        ),
        # Another sentence next to it: "awards" is not "Awards" of the name.
        (
            "The 2005 Veldran Harbour Film Awards are being held at The Odeon in Port "
            "Callow's Market Square.",
            "Stars of the islands are hoping for awards at The Odeon in Port Callow's Market "
            "Square.",
        ),
        # The slot filled otherwise in a sentence otherwise alike.
        (
            "The Veldran central bank entered the money market to arrange 1.5 billion crowns "
            "of customer repurchase agreements, a bank spokesman said.",
            "The Veldran central bank entered the money market to arrange overnight system "
            "repurchase agreements, a bank spokesman said.",
        ),
    ],
)
def test_restated_times_and_facts_of_other_clauses_are_no_claims(first: str, second: str) -> None:
    assert "claim" not in kinds(first, second)
