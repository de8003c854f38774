"""The divergence benchmark: precision ≥ 0.9 and recall ≥ 0.7 against the labels."""

from __future__ import annotations

from pathlib import Path

from bench.divergence import Label, figures_of, matches, read_labels, score, store_divergences
from wiretrace.model import Divergence, DivergenceKind, Span
from wiretrace.store import open_store

MIN_PRECISION = 0.9
MIN_RECALL = 0.7


def test_labels_expand_and_match_either_orientation() -> None:
    labels = read_labels()
    assert {label.corpus for label in labels} == {"seeds", "examples"}
    label = Label("examples", "wire_original", "spun_rewrite", "name", "Okonkwo", "Okonkow")
    reported = Divergence(
        "spun_rewrite",
        "wire_original",
        DivergenceKind.NAME,
        Span(0, 7),
        Span(0, 7),
        "Okonkow",
        "Okonkwo",
        "",
    )
    assert matches(reported, label)
    wrong_kind = Divergence(
        "spun_rewrite",
        "wire_original",
        DivergenceKind.QUOTE,
        Span(0, 7),
        Span(0, 7),
        "Okonkow",
        "Okonkwo",
        "",
    )
    assert not matches(wrong_kind, label)


def test_precision_and_recall_on_the_seeds_and_examples(
    analyzed_seeds: Path, analyzed_examples: Path
) -> None:
    labels = read_labels()
    scored = []
    for corpus, db in (("seeds", analyzed_seeds), ("examples", analyzed_examples)):
        with open_store(db) as store:
            scored.append(score(corpus, store_divergences(store), labels))
    figures = figures_of(scored)
    assert figures["divergence_precision"] >= MIN_PRECISION, figures
    assert figures["divergence_recall"] >= MIN_RECALL, figures
