"""Role divergences: one predicate given to another actor."""

from __future__ import annotations

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
