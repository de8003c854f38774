"""Per-pair corpus statistics answer exactly as the whole-corpus index does."""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from wiretrace.align import sentence_view
from wiretrace.candidates import CorpusIndex
from wiretrace.candidates.stats import DocStats, PairStats, anchor_probes
from wiretrace.extract.document import build_document, default_id
from wiretrace.fingerprint import fingerprint_document
from wiretrace.fingerprint.anchors import AnchorKind
from wiretrace.model import RawRecord
from wiretrace.read import scan_inputs

MAX_DF = 3


@pytest.fixture(scope="module")
def corpus(examples: Path) -> tuple[CorpusIndex, dict[str, DocStats], dict]:
    docs = [
        build_document(raw, default_id(raw))
        for raw in scan_inputs([str(examples)])
        if isinstance(raw, RawRecord)
    ]
    views = {d.id: sentence_view(d) for d in docs}
    fps = [fingerprint_document(d) for d in docs]
    # The reference: document frequencies by plain counting over every fingerprint.
    vocab_df = Counter(int(h) for f in fps for h in f.vocabulary)
    # Anchors and frame grams are counted together, as the Spark engine counts them.
    anchor_df = Counter(int(h) for f in fps for h in (*f.anchors, *f.frames))
    stats = {}
    for f in fps:
        probes = anchor_probes(f, views[f.doc_id])
        stats[f.doc_id] = DocStats(
            doc_id=f.doc_id,
            num_docs=len(fps),
            vocabulary=f.vocabulary,
            vocabulary_df=np.array([vocab_df[int(h)] for h in f.vocabulary], dtype=np.int64),
            anchors=f.anchors,
            probes=probes,
            probe_df=np.array([anchor_df[int(h)] for h in probes], dtype=np.int64),
        )
    return CorpusIndex(fps), stats, views


def test_pair_stats_equal_the_corpus_index_on_every_pair(corpus) -> None:
    index, stats, views = corpus
    for a, b in combinations(sorted(stats), 2):
        pair = PairStats(stats[a], stats[b])
        assert pair.vocabulary_cosine(a, b) == index.vocabulary_cosine(a, b)
        grams = np.concatenate([g.frames for v in (views[a], views[b]) for g in v.frame_grams()])
        assert pair.frame_df(grams).tolist() == index.frame_df(grams).tolist()
        for max_df in (1, MAX_DF, 50):
            assert pair.shared_anchor_kinds(a, b, max_df) == index.shared_anchor_kinds(a, b, max_df)
            for kind, keys in (
                (AnchorKind.NUMBER, set().union(*views[a].numbers, *views[b].numbers)),
                (AnchorKind.NAME, set().union(*views[a].names, *views[b].names)),
            ):
                assert pair.rare_anchor_keys(kind, keys, max_df) == index.rare_anchor_keys(
                    kind, keys, max_df
                )


def test_unknown_anchor_keys_count_as_rare(corpus) -> None:
    _, stats, _ = corpus
    a, b = sorted(stats)[:2]
    pair = PairStats(stats[a], stats[b])
    assert pair.rare_anchor_keys(AnchorKind.NUMBER, ["no-such-number-9"], 0) == {"no-such-number-9"}
    assert pair.rare_anchor_keys(AnchorKind.NAME, [], 0) == frozenset()


def test_empty_vocabulary_has_zero_cosine() -> None:
    empty = np.zeros(0, dtype=np.uint64)
    none = np.zeros(0, dtype=np.int64)
    a = DocStats("a", 2, empty, none, empty, empty, none)
    b = DocStats("b", 2, np.array([7], dtype=np.uint64), np.array([1]), empty, empty, none)
    assert PairStats(a, b).vocabulary_cosine("a", "b") == 0.0
    assert PairStats(a, b).shared_anchor_kinds("a", "b", 5) == {"name": 0, "number": 0, "quote": 0}
