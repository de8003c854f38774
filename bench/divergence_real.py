"""Precision and recall of the divergences on real versions of one Reuters text.

The true divergences of 67 Reuters-21578 pairs (corrected re-sends, copy-edited, trimmed
and updated versions, pure re-sends) are labelled in ``bench/data/real_divergences.json``
(ids and short keys, no article text; its ``about`` says what counts). The corpus is
analysed whole, as :mod:`bench.real_pairs` analyses it (``analyze --source Reuters``,
lexical layer), and every divergence reported on a labelled pair is scored with the
matching rule of :mod:`bench.divergence`. Every pair read is listed, also those without
a divergence, so a reported divergence that matches no label is a false alarm.

Figures: ``real_divergence_precision`` (reported divergences that are labelled true),
``real_divergence_recall`` (labelled divergences reported), the counts behind them, and
``real_divergence_num_pairs_found`` (labelled pairs wiretrace relates at all).

Run: ``python -m bench.divergence_real`` (prints every reported and every missed
divergence; about four minutes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bench.divergence import Label, Scored, read_labels, score
from bench.real_pairs import analyze_records, corpus_records
from bench.table import REPO
from wiretrace.model import Divergence, DivergenceKind, Span

LABELS = REPO / "bench" / "data" / "real_divergences.json"
CORPUS = "reuters21578"


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The scored divergences of the labelled pairs, and how many pairs were related."""

    scored: Scored
    num_pairs: int
    num_pairs_found: int


def read_pairs(path: Path = LABELS) -> list[tuple[str, str]]:
    """Every pair read for the labels, ``(a, b)`` as listed (earlier version first)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(p["a"], p["b"]) for p in data["pairs"]]


def _span(start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else Span(start, end)


def _divergence(row: dict) -> Divergence:
    """A divergence of ``analyze --json``; line breaks inside a span read as one space,
    so a key ("housing estates") matches across the wire's hard-wrapped lines."""
    return Divergence(
        row["a"],
        row["b"],
        DivergenceKind(row["kind"]),
        _span(row["a_start"], row["a_end"]),
        _span(row["b_start"], row["b_end"]),
        " ".join(row["a_text"].split()),
        " ".join(row["b_text"].split()),
        row["explanation"],
    )


def evaluate(
    shared: Path, pairs: list[tuple[str, str]] | None = None, num_background: int | None = None
) -> Evaluation:
    """Analyse the corpus and score the divergences of ``pairs`` (default: all labelled).

    ``num_background`` keeps only that many unlabelled records beside the labelled ones (a
    quick run for tests); by default the whole corpus is analysed, as a user analyses it.
    """
    pairs = read_pairs() if pairs is None else pairs
    wanted = {frozenset(p) for p in pairs}
    labels: list[Label] = [
        label for label in read_labels(LABELS) if frozenset((label.a, label.b)) in wanted
    ]
    ids = {doc_id for pair in pairs for doc_id in pair}
    records = corpus_records(shared, CORPUS, ids)
    if num_background is not None:
        others = [r for r in records if str(r["newid"]) not in ids][:num_background]
        records = [r for r in records if str(r["newid"]) in ids] + others
    output = analyze_records(records, CORPUS, "off")
    related = [p for p in output["pairs"] if frozenset((p["a"], p["b"])) in wanted]
    reported = tuple(_divergence(d) for p in related for d in p.get("divergences", []))
    return Evaluation(score(CORPUS, reported, labels), len(wanted), len(related))


def _ratio(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 1.0


def figures_of(evaluation: Evaluation) -> dict[str, float]:
    """Precision and recall with the counts behind them."""
    s = evaluation.scored
    return {
        "real_divergence_precision": _ratio(sum(s.true_reported), len(s.reported)),
        "real_divergence_recall": _ratio(sum(s.found_labels), len(s.labels)),
        "real_divergence_num_labels": float(len(s.labels)),
        "real_divergence_num_reported": float(len(s.reported)),
        "real_divergence_num_pairs": float(evaluation.num_pairs),
        "real_divergence_num_pairs_found": float(evaluation.num_pairs_found),
    }


def run(shared: Path, limit: int | None = None) -> dict[str, float]:
    """The figures (``limit`` is accepted and ignored: the corpus is analysed whole)."""
    del limit
    return figures_of(evaluate(shared))


def main() -> None:
    """Print every reported divergence (true or FALSE), every missed label, the figures."""
    import argparse

    from bench.table import default_shared, format_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared(), help="../shared folder")
    args = parser.parse_args()
    evaluation = evaluate(args.shared)
    s = evaluation.scored
    for divergence, ok in zip(s.reported, s.true_reported, strict=True):
        print(
            f"{'true ' if ok else 'FALSE'} {divergence.a:>6} {divergence.b:>6} "
            f"{divergence.kind:8} {divergence.a_text[:50]!r} | {divergence.b_text[:50]!r}"
        )
    for label, ok in zip(s.labels, s.found_labels, strict=True):
        if not ok:
            print(
                f"MISSED {label.a:>6} {label.b:>6} {label.kind:8} {label.a_key!r} | {label.b_key!r}"
            )
    print()
    print(format_table(figures_of(evaluation), "Divergences: real Reuters versions"))


if __name__ == "__main__":
    main()
