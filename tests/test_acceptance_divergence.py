"""The divergence issue's acceptance checks on the seeds, on the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiretrace.diverge import find_divergences
from wiretrace.model import Divergence
from wiretrace.store import SqliteStore, open_store


@pytest.fixture(scope="module")
def store(analyzed_seeds: Path):
    with open_store(analyzed_seeds) as store:
        yield store


def ids(store: SqliteStore) -> dict[str, str]:
    return {d["id"][:3]: d["id"] for d in store.document_summaries()}


def between(store: SqliteStore, x: str, y: str) -> tuple[Divergence, ...]:
    a, b = ids(store)[x], ids(store)[y]
    verdict = store.get_pair(a, b)
    assert verdict is not None, f"{x}~{y} not reported"
    docs = store.get_documents([a, b])
    return find_divergences(docs[a], docs[b], verdict)


def texts(divergences: tuple[Divergence, ...], kind: str) -> list[str]:
    return [f"{d.a_text} | {d.b_text}" for d in divergences if d.kind == kind]


@pytest.mark.parametrize("other", ["000", "003"])
def test_brinken_is_a_name_divergence_of_001(store, other: str) -> None:
    names = texts(between(store, other, "001"), "name")
    assert any("Blinken" in t and "Brinken" in t for t in names), names


@pytest.mark.parametrize("other", ["000", "003"])
def test_the_scrambled_trade_figures_of_001_are_a_number_divergence(store, other) -> None:
    numbers = texts(between(store, other, "001"), "number")
    assert any("185 billion to $200 billion" in t for t in numbers), numbers


def test_the_changed_multipolarity_quote_of_001_is_a_quote_divergence(store) -> None:
    quotes = texts(between(store, "000", "001"), "quote")
    assert any("Together we support" in t and "I support both" in t for t in quotes), quotes


def test_who_leads_in_technologies_flipped_in_001_is_a_role_divergence(store) -> None:
    roles = texts(between(store, "001", "003"), "role")
    assert any("forefront" in t and "already leads" in t for t in roles), roles


@pytest.mark.parametrize(("x", "y"), [("000", "003"), ("000", "002"), ("002", "003")])
def test_converted_and_reworded_trade_figures_are_not_number_divergences(store, x, y) -> None:
    assert texts(between(store, x, y), "number") == []


def test_the_uncredited_reuse_of_004_is_reported(store) -> None:
    verdict = store.get_pair(ids(store)["000"], ids(store)["004"])
    assert verdict is not None
    record = verdict.to_dict()
    assert record["uncredited_reuse"] is True
    credited = store.get_pair(ids(store)["000"], ids(store)["003"])
    assert credited is not None and credited.to_dict()["uncredited_reuse"] is False
