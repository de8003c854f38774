"""Precision and recall of the divergences on the seeds and the example corpus.

The true divergences are labelled in ``tests/data/divergences.json`` (short key strings
per side, no article text). Both corpora are analyzed from scratch; every divergence
wiretrace reports on any related pair counts: one that matches no label is a false alarm.

Figures: ``divergence_precision`` (reported divergences that are labelled true),
``divergence_recall`` (labelled divergences reported), and both per corpus.

Run: ``python -m bench.divergence`` (prints every reported and every missed divergence).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.table import REPO, cli
from wiretrace.diverge import find_divergences
from wiretrace.engines.ingest import ingest
from wiretrace.engines.local import detect
from wiretrace.model import Divergence
from wiretrace.store import SqliteStore, open_store

LABELS = REPO / "tests" / "data" / "divergences.json"
SEEDS = Path("corpus") / "seeds"
EXAMPLES = REPO / "examples" / "corpus"


@dataclass(frozen=True, slots=True)
class Label:
    """One true divergence between two documents."""

    corpus: str
    a: str
    b: str
    kind: str
    a_key: str
    b_key: str


@dataclass(frozen=True, slots=True)
class Scored:
    """The divergences of one corpus, the labels, and which of each matched."""

    corpus: str
    reported: tuple[Divergence, ...]
    labels: tuple[Label, ...]
    true_reported: tuple[bool, ...]
    found_labels: tuple[bool, ...]


def _same_doc(doc_id: str, label_id: str) -> bool:
    """Seeds are labelled by their prefix ("001" for "001_2db8fd4b41d54bad")."""
    return doc_id == label_id or doc_id.startswith(label_id + "_")


def read_labels(path: Path = LABELS) -> list[Label]:
    """Every labelled divergence, each entry expanded to its (a, b) pairs."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Label(e["corpus"], a, b, e["kind"], e["a_key"], e["b_key"])
        for e in data["divergences"]
        for a in e["a"]
        for b in e["b"]
    ]


def matches(divergence: Divergence, label: Label) -> bool:
    """Whether a reported divergence is this labelled one (either orientation)."""
    if str(divergence.kind) != label.kind:
        return False
    for x_id, x_text, y_id, y_text in (
        (divergence.a, divergence.a_text, divergence.b, divergence.b_text),
        (divergence.b, divergence.b_text, divergence.a, divergence.a_text),
    ):
        if (
            _same_doc(x_id, label.a)
            and _same_doc(y_id, label.b)
            and label.a_key.casefold() in x_text.casefold()
            and label.b_key.casefold() in y_text.casefold()
        ):
            return True
    return False


def store_divergences(store: SqliteStore) -> tuple[Divergence, ...]:
    """Every divergence of every related pair of an analyzed store."""
    found: list[Divergence] = []
    for verdict in store.iter_pairs():
        docs = store.get_documents([verdict.a, verdict.b])
        found += find_divergences(docs[verdict.a], docs[verdict.b], verdict)
    return tuple(found)


def report_divergences(paths: list[Path]) -> tuple[Divergence, ...]:
    """Analyze ``paths`` in a fresh store; every divergence of every related pair."""
    with tempfile.TemporaryDirectory(prefix="wiretrace-divergence-") as tmp:
        store = open_store(Path(tmp) / "divergence.sqlite")
        try:
            ingest(store, [str(p) for p in paths], workers=1)
            detect(store, workers=1)
            return store_divergences(store)
        finally:
            store.close()


def score(corpus: str, reported: tuple[Divergence, ...], labels: list[Label]) -> Scored:
    """Match reported divergences against the labels of one corpus."""
    mine = tuple(label for label in labels if label.corpus == corpus)
    return Scored(
        corpus,
        reported,
        mine,
        tuple(any(matches(d, label) for label in mine) for d in reported),
        tuple(any(matches(d, label) for d in reported) for label in mine),
    )


def evaluate(shared: Path) -> list[Scored]:
    """Both corpora, scored."""
    labels = read_labels()
    return [
        score("seeds", report_divergences([shared / SEEDS]), labels),
        score("examples", report_divergences([EXAMPLES]), labels),
    ]


def _ratio(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 1.0


def figures_of(scored: list[Scored]) -> dict[str, float]:
    """Precision and recall overall and per corpus, with the counts behind them."""
    figures: dict[str, float] = {}
    for s in scored:
        figures[f"divergence_{s.corpus}_precision"] = _ratio(sum(s.true_reported), len(s.reported))
        figures[f"divergence_{s.corpus}_recall"] = _ratio(sum(s.found_labels), len(s.labels))
    reported = [t for s in scored for t in s.true_reported]
    found = [f for s in scored for f in s.found_labels]
    figures["divergence_precision"] = _ratio(sum(reported), len(reported))
    figures["divergence_recall"] = _ratio(sum(found), len(found))
    figures["divergence_num_reported"] = float(len(reported))
    figures["divergence_num_labels"] = float(len(found))
    return figures


def run(shared: Path, limit: int | None = None) -> dict[str, float]:
    """The figures (``limit`` is accepted and ignored: the corpora are small)."""
    del limit
    return figures_of(evaluate(shared))


def main() -> None:
    """Print every reported divergence (true or FALSE) and every missed label."""
    from bench.table import default_shared

    for s in evaluate(default_shared()):
        for divergence, ok in zip(s.reported, s.true_reported, strict=True):
            mark = "true " if ok else "FALSE"
            print(
                f"{mark} {s.corpus:8} {divergence.a[:20]:20} {divergence.b[:20]:20} "
                f"{divergence.kind:8} {divergence.a_text[:40]!r} | {divergence.b_text[:40]!r}"
            )
        for label, ok in zip(s.labels, s.found_labels, strict=True):
            if not ok:
                print(
                    f"MISSED {s.corpus:8} {label.a:20} {label.b:20} {label.kind:8} "
                    f"{label.a_key!r} | {label.b_key!r}"
                )
    cli(run, "Divergences: seeds and example corpus", [])


if __name__ == "__main__":
    main()
