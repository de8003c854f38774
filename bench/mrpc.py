"""MRPC (train split): is this sentence a rewrite of that one?

Each sentence becomes a tiny document; a pair counts as "paraphrase" when
:func:`wiretrace.align.align_documents` returns at least one passage. That is the
sentence-level decision wiretrace makes inside every document pair: lexically, and with
the semantic layer's sentence cosines (all-MiniLM-L6-v2) when it is installed.

Two diagnostics put the figure in context: the lexical decision alone, and the best F1
any single cosine threshold reaches on this split (an oracle: the threshold is chosen
on the data it is scored on, so it is a ceiling for cosine-only decisions, not a result).

The published anchors are on the *test* split (majority class 79.9 F1, Madnani et al.
2012 84.1, BERT-large 89.3); this evaluation reads the train split, whose label balance
is the same (67.5 % positive vs 66.5 % in test), so they are indicative only.

Run: ``python -m bench.mrpc [--limit N]``.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np

from bench.table import cli
from wiretrace.align import AlignConfig, SentenceView, align_documents, sentence_view
from wiretrace.align.passages import SentenceSimilarity
from wiretrace.errors import InputError
from wiretrace.extract.document import build_document
from wiretrace.model import Document, RawRecord
from wiretrace.semantic import MINILM, installed_encoders, make_encoder

DATA = Path("data") / "mrpc"
DATA_FILES = ("train.tsv",)
# Published F1 (%) on the MRPC test split (see ../shared/data/mrpc/README.md).
ANCHORS_TEST_F1 = {"majority": 79.9, "madnani2012": 84.1, "bert_large": 89.3}


def read_pairs(shared: Path, limit: int | None = None) -> list[tuple[int, str, str, str, str]]:
    """(label, id1, id2, sentence1, sentence2) rows of the train split."""
    rows = []
    with open(shared / DATA / "train.tsv", encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for label, id1, id2, s1, s2 in reader:
            rows.append((int(label), id1, id2, s1, s2))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def sentence_document(doc_id: str, text: str) -> Document | None:
    """A one-sentence document, or ``None`` if wiretrace rejects it as too short."""
    try:
        raw = RawRecord(unit=f"mrpc#{doc_id}", source_path="mrpc", text=text)
        return build_document(raw, doc_id)
    except InputError:
        return None


def is_paraphrase(
    a: SentenceView | None,
    b: SentenceView | None,
    config: AlignConfig | None,
    similarity: SentenceSimilarity | None = None,
) -> bool:
    """wiretrace's decision: at least one aligned passage."""
    if a is None or b is None:
        return False
    return bool(align_documents(a, b, config, similarity))


def embed_views(views: dict[str, SentenceView | None]) -> tuple[dict[str, np.ndarray], float]:
    """MiniLM vectors of every sentence of every view, and sentences encoded per second."""
    texts: list[str] = []
    bounds: list[tuple[str, int, int]] = []
    for doc_id, view in views.items():
        if view is None:
            continue
        sentences = [view.doc.text[s.start : s.end] for s in view.spans]
        bounds.append((doc_id, len(texts), len(texts) + len(sentences)))
        texts.extend(sentences)
    encoder = make_encoder(MINILM)
    encoder.encode(texts[:8])  # load the model outside the timing
    started = time.monotonic()
    vectors = encoder.encode(texts)
    rate = len(texts) / max(time.monotonic() - started, 1e-9)
    return {doc_id: vectors[s:e] for doc_id, s, e in bounds}, rate


def best_threshold_f1(gold: list[int], scores: list[float]) -> tuple[float, float]:
    """The best F1 over cosine thresholds 0.30-0.95 (an oracle ceiling), and its threshold."""
    best = (0.0, 0.0)
    for threshold in np.arange(0.30, 0.951, 0.01):
        predicted = [int(s >= threshold) for s in scores]
        f1 = classification_figures("x", gold, predicted)["x_f1"]
        best = max(best, (f1, float(threshold)))
    return best


def classification_figures(prefix: str, gold: list[int], predicted: list[int]) -> dict:
    """Accuracy, precision, recall and F1 (fractions in [0, 1]) of the positive class."""
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted, strict=True) if not g and p)
    fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g and not p)
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        f"{prefix}_accuracy": correct / max(len(gold), 1),
        f"{prefix}_precision": precision,
        f"{prefix}_recall": recall,
        f"{prefix}_f1": f1,
    }


def run(shared: Path, limit: int | None = None, config: AlignConfig | None = None) -> dict:
    """Accuracy, precision, recall and F1 of the paraphrase decision on train (fractions)."""
    started = time.monotonic()
    rows = read_pairs(shared, limit)
    views: dict[str, SentenceView | None] = {}
    for _, id1, id2, s1, s2 in rows:
        for doc_id, text in ((id1, s1), (id2, s2)):
            if doc_id not in views:
                doc = sentence_document(doc_id, text)
                views[doc_id] = sentence_view(doc) if doc is not None else None
    gold = [label for label, *_ in rows]
    lexical = [int(is_paraphrase(views[i1], views[i2], config)) for _, i1, i2, _, _ in rows]
    figures: dict = {}
    if MINILM in installed_encoders():
        vectors, rate = embed_views(views)
        predicted, cosines = [], []
        for _, id1, id2, _, _ in rows:
            va, vb = views[id1], views[id2]
            if va is None or vb is None:
                predicted.append(0)
                cosines.append(0.0)
                continue
            matrix = vectors[id1] @ vectors[id2].T
            cosines.append(float(matrix.max()) if matrix.size else 0.0)
            predicted.append(int(is_paraphrase(va, vb, config, SentenceSimilarity(matrix))))
        figures.update(classification_figures("mrpc", gold, predicted))
        oracle_f1, oracle_threshold = best_threshold_f1(gold, cosines)
        figures["mrpc_cosine_oracle_f1"] = oracle_f1
        figures["mrpc_cosine_oracle_threshold"] = round(oracle_threshold, 2)
        figures["mrpc_minilm_sentences_per_s"] = round(rate, 1)
    else:
        figures.update(classification_figures("mrpc", gold, lexical))
    figures["mrpc_lexical_f1"] = classification_figures("x", gold, lexical)["x_f1"]
    figures["mrpc_majority_f1"] = classification_figures("m", gold, [1] * len(gold))["m_f1"]
    figures["mrpc_num_pairs"] = len(rows)
    figures["mrpc_num_rejected_sentences"] = sum(1 for v in views.values() if v is None)
    figures["mrpc_seconds"] = round(time.monotonic() - started, 2)
    return figures


def main(argv: list[str] | None = None) -> None:
    """Print the MRPC table with the published anchors."""
    cli(run, "MRPC train split: paraphrase = at least one aligned passage", argv)
    print(
        "published anchors (test split, F1 %): "
        + ", ".join(f"{k} {v}" for k, v in ANCHORS_TEST_F1.items())
        + "; ours is the train split (figures above are fractions: 0.797 = 79.7 %)"
    )


if __name__ == "__main__":
    main()
