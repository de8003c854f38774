"""Acceptance on the five seed pages (../shared/corpus/seeds): what a user must see."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiretrace.engines.ingest import ingest
from wiretrace.engines.local import detect
from wiretrace.model import Direction, Document, PairVerdict, ReuseType, Story
from wiretrace.store import open_store

pytestmark = pytest.mark.shared

REUTERS = "000_a73e34097e29851d"  # Nikkei republication of the Reuters story
SPUN = "001_2db8fd4b41d54bad"  # content-farm rewrite
FRENCH = "002_e0233033ce124939"  # French Reuters version, machine-translated back
STRAITS = "003_bc07cf1c3775fde8"  # Straits Times edit of the Reuters story
INDIA = "004_01d96e7be30289f2"  # own report with one uncredited Reuters sentence
ALL = {REUTERS, SPUN, FRENCH, STRAITS, INDIA}


@pytest.fixture(scope="module")
def result(tmp_path_factory, seeds: Path) -> tuple[dict, list[Story], dict[str, Document]]:
    db = tmp_path_factory.mktemp("seeds") / "wiretrace.sqlite"
    with open_store(db) as store:
        summary = ingest(store, [str(seeds)])
        assert summary.stored == 5 and summary.rejected == 0
        detect(store)
        pairs = {frozenset((v.a, v.b)): v for v in store.iter_pairs()}
        stories = store.iter_stories()
        docs = {doc.id: doc for doc in store.iter_documents()}
    return pairs, stories, docs


def pair(result, x: str, y: str) -> PairVerdict:
    pairs = result[0]
    key = frozenset((x, y))
    assert key in pairs, f"{x} ~ {y} not reported; reported: {sorted(map(sorted, pairs))}"
    return pairs[key]


def test_document_ids_are_file_stems(result) -> None:
    assert set(result[2]) == ALL


def test_one_story_holds_all_five(result) -> None:
    stories = result[1]
    assert [set(s.documents) for s in stories] == [ALL]


def test_reuters_and_straits_times_share_long_passages(result) -> None:
    verdict = pair(result, REUTERS, STRAITS)
    assert verdict.type in (ReuseType.EDITED, ReuseType.PARTIAL)
    assert sum(len(p.sentence_pairs) for p in verdict.passages) >= 12


@pytest.mark.parametrize(
    ("x", "y"), [(REUTERS, SPUN), (REUTERS, FRENCH), (SPUN, STRAITS), (FRENCH, STRAITS)]
)
def test_derived_versions_are_reported(result, x: str, y: str) -> None:
    verdict = pair(result, x, y)
    assert verdict.type in set(ReuseType)


@pytest.mark.parametrize("other", [REUTERS, SPUN, FRENCH, STRAITS])
def test_pairs_with_the_separate_report_are_related_or_partial(result, other: str) -> None:
    pairs = result[0]
    key = frozenset((other, INDIA))
    if key in pairs:
        assert pairs[key].type in (ReuseType.RELATED, ReuseType.PARTIAL)


def test_uncredited_reuse_of_the_escalation_sentence(result) -> None:
    verdict = pair(result, REUTERS, INDIA)
    docs = result[2]
    side = "a" if verdict.a == INDIA else "b"
    india = docs[INDIA]
    reused = [india.text[getattr(p, side).start : getattr(p, side).end] for p in verdict.passages]
    assert any("confrontation between Russia and China" in text for text in reused), reused
    assert verdict.credited is False



@pytest.mark.parametrize("reuters", [REUTERS, STRAITS])
def test_reuters_text_flows_to_the_uncrediting_report(result, reuters: str) -> None:
    # 000 and 003 credit Reuters; 004 credits nothing and lifts one Reuters sentence.
    verdict = pair(result, reuters, INDIA)
    assert verdict.origin == reuters, (str(verdict.direction), verdict.reasons)
    assert "direction: credit — " in verdict.reasons[-1]
    assert "credits Reuters" in verdict.reasons[-1]
    assert "credits nothing" in verdict.reasons[-1]


@pytest.mark.parametrize(
    ("x", "y"), [(REUTERS, SPUN), (REUTERS, FRENCH), (REUTERS, STRAITS), (FRENCH, STRAITS)]
)
def test_copies_that_credit_reuters_share_it_as_their_source(result, x: str, y: str) -> None:
    # Every one of them credits Reuters and none is dated to the minute: one common source.
    verdict = pair(result, x, y)
    assert verdict.direction == Direction.COMMON_SOURCE, verdict.reasons
    assert verdict.credited is True
