"""The story-labelled bench (bench/stories.py): scoring on toy clusterings, and the labels file.

The scoring tests need no data: a hand-made gold of events and a predicted clustering whose
BCubed figures are worked out by hand. The ``shared`` test checks that every labelled id
exists in ``../shared/data`` and that the file keeps its promises (size, reasons, no text).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench import stories
from bench.stories import (
    Article,
    by_stratum,
    figures_of,
    merged_events,
    predicted_clusters,
    split_events,
)

MIN_ARTICLES = 500
# A reason is one line in our own words: long enough to say something, short enough not to
# be a copied lead (the longest we wrote is under 100 characters).
MAX_REASON_CHARS = 140


def _articles(
    gold: dict[str, str], strata: Mapping[str, tuple[str, ...]] | None = None
) -> list[Article]:
    """Toy labelled articles: the key is the id, the corpus and reason are placeholders."""
    return [
        Article(key, "toy", key, event, (strata or {}).get(key, ()), "toy")
        for key, event in gold.items()
    ]


def test_a_story_of_background_articles_only_leaves_the_labelled_ones_alone() -> None:
    keys = ["a", "b", "c"]
    predicted = predicted_clusters(keys, [["a", "x"], ["y", "z"], ["b", "c", "w"]])
    assert predicted["a"] == "story:0"
    assert predicted["b"] == predicted["c"] == "story:2"
    assert set(predicted) == set(keys)
    assert predicted_clusters(keys, [])["a"] == "single:a"


def test_toy_clustering_scores_as_worked_out_by_hand() -> None:
    # Events: e1 = {a, b, c}, e2 = {d, e}, e3 = {f}. Predicted: {a, b}, {c, d, e}, {f}.
    gold = {"a": "e1", "b": "e1", "c": "e1", "d": "e2", "e": "e2", "f": "e3"}
    predicted = predicted_clusters(list(gold), [["a", "b"], ["c", "d", "e"]])
    figures = figures_of(_articles(gold), predicted)
    # Precision per item: a, b 1; c 1/3; d, e 2/3; f 1 -> (1+1+1/3+2/3+2/3+1)/6 = 14/18.
    assert figures["stories_bcubed_precision"] == round(14 / 18, 4)
    # Recall per item: a, b 2/3; c 1/3; d, e 1; f 1 -> (2/3+2/3+1/3+1+1+1)/6 = 14/18.
    assert figures["stories_bcubed_recall"] == round(14 / 18, 4)
    assert figures["stories_num_events"] == 3
    assert figures["stories_num_multi_article_events"] == 2
    assert figures["stories_num_predicted_clusters"] == 3
    assert merged_events(gold, predicted) == [["e1", "e2"]]
    assert split_events(gold, predicted) == {"e1": [2, 1]}


def test_strata_average_the_items_they_tag() -> None:
    gold = {"a": "e1", "b": "e1", "c": "e2"}
    strata = {"a": ("multi-day",), "b": ("multi-day",), "c": ("singleton",)}
    # Everything merged: a, b precision 2/3 recall 1; c precision 1/3 recall 1.
    predicted = predicted_clusters(list(gold), [["a", "b", "c"]])
    table = by_stratum(_articles(gold, strata), predicted)
    assert table["multi-day"][:3] == (2, pytest.approx(2 / 3), 1.0)
    assert table["singleton"][:3] == (1, pytest.approx(1 / 3), 1.0)


@given(
    st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3), st.sampled_from("xyz"), min_size=1)
)
def test_the_gold_clustering_scores_one_and_has_no_errors(gold: dict[str, str]) -> None:
    members: dict[str, list[str]] = {}
    for key, event in gold.items():
        members.setdefault(event, []).append(key)
    predicted = predicted_clusters(list(gold), list(members.values()))
    figures = figures_of(_articles(gold), predicted)
    assert figures["stories_bcubed_precision"] == figures["stories_bcubed_recall"] == 1.0
    assert merged_events(gold, predicted) == []
    assert split_events(gold, predicted) == {}


@pytest.mark.shared
def test_labels_name_real_articles_with_a_reason_each(shared: Path) -> None:
    rows = [json.loads(line) for line in stories.LABELS.read_text("utf-8").splitlines()]
    assert len(rows) >= MIN_ARTICLES
    ids = {
        corpus: {
            str(json.loads(line)[id_field])
            for line in (shared / "data" / corpus / "articles.jsonl")
            .read_text("utf-8")
            .splitlines()
        }
        for corpus, id_field in (("reuters21578", "newid"), ("bbc-news", "id"))
    }
    keys = Counter((row["corpus"], row["id"]) for row in rows)
    assert max(keys.values()) == 1, "an article is labelled twice"
    for row in rows:
        assert set(row) == {"corpus", "id", "event", "strata", "reason"}, row
        assert row["id"] in ids[row["corpus"]], row
        assert row["event"] and row["event"] == row["event"].lower() and " " not in row["event"]
        assert 0 < len(row["reason"]) <= MAX_REASON_CHARS and "\n" not in row["reason"], row
    events = Counter((row["corpus"], row["event"]) for row in rows)
    assert sum(n for n in events.values() if n > 1) > len(rows) / 2, "most articles share an event"
    assert any(n == 1 for n in events.values()), "deliberate singletons are part of the set"
