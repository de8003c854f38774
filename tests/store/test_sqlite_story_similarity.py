"""The story similarity of stored pairs: round-trips, migration of older stores, updates."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.model import Direction, PairVerdict, ReuseType
from wiretrace.store import open_store
from wiretrace.store.schema import MIGRATIONS, SCHEMA_VERSION

VERDICT = PairVerdict(
    a="a",
    b="b",
    type=ReuseType.RELATED,
    coverage_a=0.0,
    coverage_b=0.0,
    direction=Direction.UNKNOWN,
    credited=False,
    similarity=0.2,
    reasons=("same story",),
)


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "s.sqlite") as opened:
        yield opened


@settings(max_examples=30, deadline=None)
@given(value=st.none() | st.floats(min_value=0.0, max_value=1.0))
def test_the_story_similarity_round_trips(tmp_path_factory, value) -> None:
    path = tmp_path_factory.mktemp("round") / "s.sqlite"
    with open_store(path) as store:
        store.put_pair(replace(VERDICT, story_similarity=value))
        store.commit()
        (found,) = store.iter_pairs()
    assert found.story_similarity == value
    assert found == replace(VERDICT, story_similarity=value)


def test_pairs_without_one_are_listed_then_set(store) -> None:
    store.put_pair(VERDICT)
    store.put_pair(replace(VERDICT, a="c", b="d", story_similarity=0.5))
    store.commit()
    assert store.pairs_without_story_similarity() == [("a", "b")]
    store.put_story_similarities([("a", "b", 0.25), ("x", "y", 0.9)])  # x~y is no pair
    store.commit()
    assert store.pairs_without_story_similarity() == []
    assert {(v.a, v.b): v.story_similarity for v in store.iter_pairs()} == {
        ("a", "b"): 0.25,
        ("c", "d"): 0.5,
    }
    # Without passages too (the story rebuild reads them so).
    assert [v.story_similarity for v in store.iter_pairs(with_passages=False)] == [0.25, 0.5]


def test_a_store_of_schema_9_opens_with_its_pairs_null(tmp_path) -> None:
    path = tmp_path / "v9.sqlite"
    conn = sqlite3.connect(path)
    for version, script in enumerate(MIGRATIONS[:9], 1):
        conn.executescript(script + f";PRAGMA user_version={version};")
    conn.execute(
        "INSERT INTO pairs(a, b, type, coverage_a, coverage_b, direction, credited, "
        "similarity, passages, reasons) VALUES ('old_a', 'old_b', 'edited', 0.9, 0.8, "
        "'a->b', 1, 0.85, '[]', ?)",
        (json.dumps(["an old verdict"]),),
    )
    conn.commit()
    conn.close()
    with open_store(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 10
        (verdict,) = store.iter_pairs()
        assert verdict.story_similarity is None
        assert verdict.type == ReuseType.EDITED
        assert verdict.to_dict()["story_similarity"] is None
        assert store.pairs_without_story_similarity() == [("old_a", "old_b")]
