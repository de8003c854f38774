"""The labelled divergences of real Reuters versions: the label file, and a quick run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.divergence_real import LABELS, evaluate, figures_of, read_pairs
from wiretrace.model import DivergenceKind

ENTRY_FIELDS = {"corpus", "a", "b", "kind", "a_key", "b_key", "note"}
# A few corrected re-sends (a changed figure, a changed pay date) and a body re-sent
# unchanged: small enough to analyse in seconds without the rest of the corpus.
QUICK_PAIRS = [("9364", "9405"), ("9330", "9390"), ("6324", "6739"), ("5168", "5192")]


def _data() -> dict:
    return json.loads(LABELS.read_text(encoding="utf-8"))


def test_every_label_is_on_a_listed_pair_with_a_known_kind() -> None:
    data = _data()
    pairs = read_pairs()
    assert len(pairs) == len(set(map(frozenset, pairs))), "a pair is listed twice"
    listed = set(map(frozenset, pairs))
    for entry in data["divergences"]:
        assert set(entry) == ENTRY_FIELDS, entry
        assert entry["corpus"] == "reuters21578", entry
        assert entry["kind"] in set(DivergenceKind), entry
        assert entry["a_key"] or entry["b_key"], entry
        for a in entry["a"]:
            for b in entry["b"]:
                assert frozenset((a, b)) in listed, f"{a}~{b} is labelled but not listed"


@pytest.mark.shared
def test_labelled_ids_exist_and_keys_occur_in_their_texts(shared: Path) -> None:
    bodies = {}
    path = shared / "data" / "reuters21578" / "articles.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        bodies[str(record["newid"])] = " ".join((record.get("body") or "").split()).casefold()
    for a, b in read_pairs():
        assert bodies.get(a) and bodies.get(b), f"{a}~{b}: no such Reuters body"
    for entry in _data()["divergences"]:
        for a in entry["a"]:
            for b in entry["b"]:
                assert entry["a_key"].casefold() in bodies[a], (a, entry)
                assert entry["b_key"].casefold() in bodies[b], (b, entry)


@pytest.mark.shared
def test_a_quick_run_scores_the_divergences_of_the_chosen_pairs(shared: Path) -> None:
    evaluation = evaluate(shared, QUICK_PAIRS, num_background=0)
    figures = figures_of(evaluation)
    wanted = set(map(frozenset, QUICK_PAIRS))
    assert all(frozenset((d.a, d.b)) in wanted for d in evaluation.scored.reported)
    assert figures["real_divergence_num_pairs"] == len(QUICK_PAIRS)
    assert figures["real_divergence_num_labels"] == 3
    assert 0.0 <= figures["real_divergence_precision"] <= 1.0
    assert 0.0 <= figures["real_divergence_recall"] <= 1.0
