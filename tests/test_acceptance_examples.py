"""Acceptance on the example corpus against its ground truth (examples/expected.json).

Pairs in ``pairs`` must be reported with an accepted type, direction and credit; pairs in
``not_reuse`` must not be reported; stories must match as sets. Pairs in neither list are
"don't care".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from wiretrace.engines.ingest import ingest
from wiretrace.engines.local import detect
from wiretrace.model import Direction, PairVerdict
from wiretrace.store import open_store

EXPECTED = json.loads(
    (Path(__file__).resolve().parent.parent / "examples" / "expected.json").read_text(
        encoding="utf-8"
    )
)
PAIRS = EXPECTED["pairs"]


def pair_id(item: dict) -> str:
    return f"{item['a']}~{item['b']}"


@pytest.fixture(scope="module")
def result(tmp_path_factory, examples: Path):
    db = tmp_path_factory.mktemp("examples") / "wiretrace.sqlite"
    with open_store(db) as store:
        summary = ingest(store, [str(examples)])
        assert summary.rejected == 0
        detect(store)
        pairs = {frozenset((v.a, v.b)): v for v in store.iter_pairs()}
        stories = store.iter_stories()
        ids = {d["id"] for d in store.document_summaries()}
    return pairs, stories, ids


def reported(result, a: str, b: str) -> PairVerdict:
    pairs = result[0]
    key = frozenset((a, b))
    assert key in pairs, f"{a} ~ {b} is not reported"
    return pairs[key]



def test_every_expected_document_is_stored(result) -> None:
    named = {x for p in PAIRS for x in (p["a"], p["b"])} | {
        x for p in EXPECTED["not_reuse"] for x in p
    }
    assert named <= result[2]


@pytest.mark.parametrize("expected", PAIRS, ids=pair_id)
def test_expected_pair_is_reported_with_an_accepted_type(result, expected: dict) -> None:
    verdict = reported(result, expected["a"], expected["b"])
    assert str(verdict.type) in expected["types"], expected["note"]


@pytest.mark.parametrize("expected", PAIRS, ids=pair_id)
def test_expected_pair_credit(result, expected: dict) -> None:
    verdict = reported(result, expected["a"], expected["b"])
    assert verdict.credited is expected["credited"], expected["note"]


def documented_alternative(expected: dict) -> str | None:
    """A source the note explicitly allows besides common-source ("may also infer x->y")."""
    match = re.search(r"infer (\w+)->(\w+)", expected["note"])
    return match.group(1) if match else None


def direction_cases():
    for expected in PAIRS:
        yield pytest.param(expected, id=pair_id(expected))


@pytest.mark.parametrize("expected", list(direction_cases()))
def test_expected_pair_direction(result, expected: dict) -> None:
    verdict = reported(result, expected["a"], expected["b"])
    wanted = expected["direction"]
    if wanted is None:
        # No copying (a `related` pair): the ground truth makes no claim.
        return
    if wanted == "a->b":
        assert verdict.origin == expected["a"], (verdict.a, verdict.b, verdict.direction)
    elif wanted == "b->a":
        assert verdict.origin == expected["b"], (verdict.a, verdict.b, verdict.direction)
    else:
        assert wanted == "common-source"
        allowed = {None} if verdict.direction == Direction.COMMON_SOURCE else set()
        alternative = documented_alternative(expected)
        if alternative is not None:
            allowed.add(alternative)
        assert verdict.direction in (Direction.COMMON_SOURCE, Direction.A_TO_B, Direction.B_TO_A)
        assert verdict.origin in allowed, (
            verdict.a,
            verdict.b,
            str(verdict.direction),
            expected["note"],
        )


@pytest.mark.parametrize("not_reuse", EXPECTED["not_reuse"], ids=lambda p: "~".join(p))
def test_not_reuse_pair_is_not_reported(result, not_reuse: list[str]) -> None:
    verdict = result[0].get(frozenset(not_reuse))
    assert verdict is None, (str(verdict.type), verdict.reasons)


def test_stories_match(result) -> None:
    stories = result[1]
    assert {frozenset(s.documents) for s in stories} == {frozenset(s) for s in EXPECTED["stories"]}


def test_story_representatives_are_the_wires(result) -> None:
    # The earliest dated member of each story is its wire original.
    reps = {frozenset(s.documents): s.representative for s in result[1]}
    for story in EXPECTED["stories"]:
        if "wire_original" in story:
            assert reps[frozenset(story)] == "wire_original"
        if "story_b_wire" in story:
            assert reps[frozenset(story)] == "story_b_wire"


def test_credits_match(tmp_path: Path, examples: Path) -> None:
    with open_store(tmp_path / "w.sqlite") as store:
        ingest(store, [str(examples)])
        credits = {d["id"]: sorted(d["credits"]) for d in store.document_summaries()}
    assert credits == {k: sorted(v) for k, v in EXPECTED["credits"].items()}
