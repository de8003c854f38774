"""Role divergences: one predicate given to another actor."""

from __future__ import annotations

import pytest

from tests.diverge.pairs import divergences, kinds
from wiretrace.model import DivergenceKind


def test_the_same_predicate_given_to_the_other_actor_is_a_role_divergence() -> None:
    found = divergences(
        "Once a rival, Norland is now a junior partner to a resurgent Veldra which already "
        "leads in many offshore wind technologies.",
        "Once a rival, Norland is now at the forefront of many offshore wind technologies and "
        "a junior partner of a resurgent Veldra.",
    )
    assert [d.kind for d in found] == [DivergenceKind.ROLE]
    assert found[0].a_text.startswith("Veldra") and found[0].b_text.startswith("Norland")


def test_a_possessive_is_not_an_actor() -> None:
    found = kinds(
        "Washington fears Beijing could support Russia's invasion of the northern islands.",
        "Washington fears Beijing could provide support to the invasion of the northern islands.",
    )
    assert "role" not in found


def test_a_thing_owned_is_not_a_role() -> None:
    assert "role" not in kinds(
        "Officials said Norland and Veldra met, and Veldra confirmed its reorganization plan "
        "on the quay.",
        "Officials said Norland and Veldra met, and Norland said its reorganization plan was "
        "ready.",
    )


def test_two_names_that_trade_places_in_an_unchanged_sentence_are_a_role_divergence() -> None:
    found = divergences(
        "In addition, Brennic Holdings, an affiliate of Skarra, will buy four mln shares of "
        "Lundholm for 20 mln crowns.",
        "In addition, Brennic Holdings, an affiliate of Lundholm, will buy four mln shares of "
        "Skarra for 20 mln crowns.",
    )
    assert [(d.kind, d.a_text, d.b_text) for d in found] == [
        (DivergenceKind.ROLE, "Skarra", "Lundholm")
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A capital for its country, in a sentence that names only one of them.
        (
            "Veldra has stood by Norland in the dispute, resisting pressure to isolate Osterby.",
            "Veldra has stood by Norland in the dispute, resisting pressure to isolate Norlandia.",
        ),
        # One name written two ways.
        (
            "Officials of the United States said the ferry deal with Skarra was close.",
            "Officials of the U.S. said the ferry deal with Skarra was close, officials said.",
        ),
    ],
)
def test_a_name_replaced_without_a_swap_is_no_role(first: str, second: str) -> None:
    assert "role" not in kinds(first, second)


def test_a_name_after_a_preposition_or_before_that_is_no_actor() -> None:
    assert "role" not in kinds(
        "Solberg said she was pessimistic that funding for the northern ferry route, as "
        "proposed by Okafor, will pass.",
        "Solberg said she was pessimistic that the board will pass Okafor's proposed funding "
        "for the northern ferry route.",
    )


def test_an_apposition_reordered_is_no_role() -> None:
    assert "role" not in kinds(
        "However, Brennic Capital economist Tomas Okafor said his firm was revising its "
        "forecast for the harbour in the light of the latest data.",
        "However, Tomas Okafor, economist at Brennic Capital, said his firm was revising its "
        "forecast for the harbour in the light of the latest data.",
    )
