"""Claims: a date or day one version adds; a dateline is none."""

from __future__ import annotations

from tests.diverge.pairs import divergences
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
