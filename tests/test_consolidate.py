"""The story view: facts grouped across versions, ordered consensus → conflicts → single."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from wiretrace.consolidate import consolidate_story
from wiretrace.model import Document, Fact, FactStatus, PairVerdict, Story
from wiretrace.store import open_store

ORDER = [FactStatus.CONSENSUS, FactStatus.CONFLICT, FactStatus.SINGLE]


@pytest.fixture(scope="module")
def port_story(
    analyzed_examples: Path,
) -> tuple[Story, dict[str, Document], list[PairVerdict]]:
    """The Port Callow story of the example corpus, with its documents and verdicts."""
    with open_store(analyzed_examples) as store:
        story = next(s for s in store.iter_stories() if "wire_original" in s.documents)
        documents = store.get_documents(story.documents)
        verdicts = [v for v in store.iter_pairs() if v.a in documents and v.b in documents]
    return story, documents, verdicts


@pytest.fixture(scope="module")
def facts(port_story) -> tuple[Fact, ...]:
    return consolidate_story(*port_story)


def test_facts_come_consensus_first_then_conflicts_then_single_source(facts) -> None:
    ranks = [ORDER.index(f.status) for f in facts]
    assert ranks == sorted(ranks)
    assert {f.status for f in facts} == set(ORDER)
    assert [f.id for f in facts] == [
        f"{facts[0].id.rsplit('-', 1)[0]}-f{i}" for i in range(1, len(facts) + 1)
    ]


def test_status_follows_support_and_divergences(facts) -> None:
    for fact in facts:
        assert fact.support == tuple(dict.fromkeys(v.doc_id for v in fact.variants))
        if fact.status == FactStatus.SINGLE:
            assert len(fact.support) == 1
        else:
            assert len(fact.support) >= 2
        conflicting = [d for d in fact.divergences if d.kind != "claim"]
        assert bool(conflicting) == (fact.status == FactStatus.CONFLICT)


def test_every_sentence_belongs_to_at_most_one_fact_and_variants_quote_the_text(
    facts, port_story
) -> None:
    _, documents, _ = port_story
    seen = set()
    for fact in facts:
        for v in fact.variants:
            assert (v.doc_id, v.span) not in seen
            seen.add((v.doc_id, v.span))
            assert documents[v.doc_id].text[v.span.start : v.span.end] == v.text


def test_the_spins_changes_are_conflicts_and_the_wire_leads_the_consensus(facts) -> None:
    conflicts = [f for f in facts if f.status == FactStatus.CONFLICT]
    kinds = {
        (str(d.kind), d.a_text if d.a == "spun_rewrite" else d.b_text)
        for f in conflicts
        for d in f.divergences
    }
    assert ("name", "Okonkow") in kinds
    assert any(kind == "quote" and "unbeatable" in text for kind, text in kinds)
    top = facts[0]
    assert top.status == FactStatus.CONSENSUS and "wire_original" in top.support
    assert top.variants[0].doc_id == "wire_original"  # the representative's wording


def test_the_local_reporting_of_the_extended_copy_is_its_own(facts) -> None:
    local = [f for f in facts if f.support == ("republish_extended",)]
    assert any("Millrace Road" in f.text for f in local)
    assert all(f.status == FactStatus.SINGLE for f in local)


def test_the_facts_do_not_depend_on_the_order_of_the_verdicts(port_story, facts) -> None:
    story, documents, verdicts = port_story
    shuffled = list(verdicts)
    random.Random(7).shuffle(shuffled)
    again = consolidate_story(story, documents, shuffled)
    assert [(f.status, f.support, f.variants) for f in again] == [
        (f.status, f.support, f.variants) for f in facts
    ]
