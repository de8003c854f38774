"""The divergence benchmark: precision ≥ 0.9 and recall ≥ 0.7 against the labels."""

from __future__ import annotations

from pathlib import Path

from bench.divergence import Label, evaluate, figures_of, matches, read_labels
from wiretrace.model import Divergence, DivergenceKind, Span

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


def test_precision_and_recall_on_the_seeds_and_examples(shared: Path) -> None:
    figures = figures_of(evaluate(shared))
    assert figures["divergence_precision"] >= MIN_PRECISION, figures
    assert figures["divergence_recall"] >= MIN_RECALL, figures
