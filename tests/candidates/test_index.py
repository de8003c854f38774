"""CorpusIndex against a brute-force, all-pairs reference on small random corpora.

The reference counts, for every pair, the shared shingles and anchors whose document
frequency lies in [2, cap], and adds pairs that share a MinHash-LSH band (identical
signature rows, in a bucket of at most ``max_bucket_size`` documents), computing the
signatures with Python integers.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.candidates.index import CandidateConfig, CorpusIndex, find_candidates
from wiretrace.fingerprint.doc import Fingerprint
from wiretrace.fingerprint.minhash import permutations
from wiretrace.model import CandidatePair

# Small pools make features shared by many documents; the large values check that uint64
# features near 2**64 sort and compare correctly.
POOL = [*range(12), 2**63 - 1, 2**63, 2**63 + 1, 2**64 - 2, 2**64 - 1]
feature_sets = st.sets(st.sampled_from(POOL), max_size=10)


def as_array(values: set[int]) -> np.ndarray:
    return np.array(sorted(values), dtype=np.uint64)


@st.composite
def corpora(draw):
    n = draw(st.integers(0, 8))
    ids = draw(
        st.lists(st.text("abcxyz_019", min_size=1, max_size=4), min_size=n, max_size=n, unique=True)
    )
    fingerprints = [
        Fingerprint(
            doc_id,
            as_array(draw(feature_sets)),
            as_array(draw(feature_sets)),
            as_array(draw(st.sets(st.sampled_from(POOL), max_size=8))),
        )
        for doc_id in ids
    ]
    num_perm = draw(st.integers(1, 12))
    config = CandidateConfig(
        max_shingle_df=draw(st.integers(1, 7)),
        min_shared_shingles=draw(st.integers(1, 4)),
        max_anchor_df=draw(st.integers(1, 7)),
        min_shared_anchors=draw(st.integers(1, 4)),
        num_perm=num_perm,
        num_bands=draw(st.integers(1, num_perm)),
        max_bucket_size=draw(st.integers(1, 7)),
    )
    new_ids = draw(st.one_of(st.none(), st.sets(st.sampled_from(ids)) if ids else st.just(set())))
    return fingerprints, config, new_ids


def reference_signature(shingles: list[int], num_perm: int) -> list[int]:
    """MinHash with multiply-shift permutations ((a*x + b) mod 2**64) >> 32, plain ints."""
    a, b = permutations(num_perm)
    if not shingles:
        return [0xFFFFFFFF] * num_perm
    return [
        min((((int(ak) * x + int(bk)) % 2**64) >> 32) for x in shingles)
        for ak, bk in zip(a.tolist(), b.tolist(), strict=True)
    ]


def reference_lsh_pairs(fingerprints: list[Fingerprint], config: CandidateConfig) -> set:
    """Pairs of documents with an identical band in a bucket of 2..max_bucket_size docs."""
    rows = config.num_perm // config.num_bands
    buckets: dict[tuple, list[str]] = {}
    for fp in fingerprints:
        if not len(fp.shingles):
            continue
        signature = reference_signature(fp.shingles.tolist(), config.num_perm)
        for band in range(config.num_bands):
            key = (band, tuple(signature[band * rows : (band + 1) * rows]))
            buckets.setdefault(key, []).append(fp.doc_id)
    pairs = set()
    for members in buckets.values():
        if 2 <= len(members) <= config.max_bucket_size:
            pairs.update(tuple(sorted(p)) for p in itertools.combinations(members, 2))
    return pairs


def reference_candidates(
    fingerprints: list[Fingerprint], config: CandidateConfig, new_ids: set[str] | None
) -> list[CandidatePair]:
    """All pairs, counting shared features whose document frequency is in [2, cap]."""
    lsh = reference_lsh_pairs(fingerprints, config)
    shingle_df: dict[int, int] = {}
    anchor_df: dict[int, int] = {}
    for fp in fingerprints:
        for value in fp.shingles.tolist():
            shingle_df[value] = shingle_df.get(value, 0) + 1
        for value in fp.anchors.tolist():
            anchor_df[value] = anchor_df.get(value, 0) + 1
    pairs = []
    for x, y in itertools.combinations(fingerprints, 2):
        if new_ids is not None and x.doc_id not in new_ids and y.doc_id not in new_ids:
            continue
        shared_shingles = sum(
            1
            for v in set(x.shingles.tolist()) & set(y.shingles.tolist())
            if 2 <= shingle_df[v] <= config.max_shingle_df
        )
        shared_anchors = sum(
            1
            for v in set(x.anchors.tolist()) & set(y.anchors.tolist())
            if 2 <= anchor_df[v] <= config.max_anchor_df
        )
        a, b = sorted((x.doc_id, y.doc_id))
        if (
            shared_shingles >= config.min_shared_shingles
            or shared_anchors >= config.min_shared_anchors
            or (a, b) in lsh
        ):
            pairs.append(CandidatePair(a, b, shared_shingles, shared_anchors))
    return sorted(pairs, key=lambda p: (p.a, p.b))


@settings(max_examples=200)
@given(case=corpora())
def test_candidates_match_brute_force(case) -> None:
    fingerprints, config, new_ids = case
    got = CorpusIndex(fingerprints).candidates(new_ids, config)
    assert sorted(got, key=lambda p: (p.a, p.b)) == reference_candidates(
        fingerprints, config, new_ids
    )
    assert len({(p.a, p.b) for p in got}) == len(got)
    for p in got:
        assert p.a < p.b


@settings(max_examples=50)
@given(case=corpora())
def test_incremental_candidates_are_the_full_ones_that_touch_a_new_document(case) -> None:
    fingerprints, config, new_ids = case
    full = CorpusIndex(fingerprints).candidates(None, config)
    new = set(new_ids or ())
    incremental = find_candidates(fingerprints, sorted(new), config)
    assert sorted(incremental, key=lambda p: (p.a, p.b)) == sorted(
        (p for p in full if p.a in new or p.b in new), key=lambda p: (p.a, p.b)
    )


@settings(max_examples=50)
@given(case=corpora(), max_df=st.integers(1, 7))
def test_shared_anchor_kinds_match_brute_force(case, max_df: int) -> None:
    fingerprints, _config, _new = case
    if len(fingerprints) < 2:
        return
    index = CorpusIndex(fingerprints)
    df: dict[int, int] = {}
    for fp in fingerprints:
        for v in fp.anchors.tolist():
            df[v] = df.get(v, 0) + 1
    for x, y in itertools.combinations(fingerprints, 2):
        shared = [v for v in set(x.anchors.tolist()) & set(y.anchors.tolist()) if df[v] <= max_df]
        expected = {
            "name": sum(1 for v in shared if v & 3 == 0),
            "number": sum(1 for v in shared if v & 3 == 1),
            "quote": sum(1 for v in shared if v & 3 == 2),
        }
        assert index.shared_anchor_kinds(x.doc_id, y.doc_id, max_df) == expected


@settings(max_examples=50)
@given(case=corpora())
def test_vocabulary_cosine_is_symmetric_and_bounded(case) -> None:
    fingerprints, _config, _new = case
    index = CorpusIndex(fingerprints)
    for x, y in itertools.combinations(fingerprints, 2):
        forward = index.vocabulary_cosine(x.doc_id, y.doc_id)
        assert math.isclose(forward, index.vocabulary_cosine(y.doc_id, x.doc_id))
        assert -1e-9 <= forward <= 1 + 1e-9
        if not set(x.vocabulary.tolist()) & set(y.vocabulary.tolist()):
            assert forward == 0.0
    for x in fingerprints:
        if len(x.vocabulary):
            assert math.isclose(index.vocabulary_cosine(x.doc_id, x.doc_id), 1.0)


def fp(doc_id: str, shingles: list[int], anchors: list[int] = ()) -> Fingerprint:
    return Fingerprint(
        doc_id, as_array(set(shingles)), as_array(set(anchors)), np.zeros(0, dtype=np.uint64)
    )


def test_boilerplate_above_the_df_cap_is_no_evidence() -> None:
    # Feature 1 is in all four documents: with a cap of 3 it links nobody.
    corpus = [fp("a", [1, 2, 3]), fp("b", [1, 2, 3]), fp("c", [1, 40]), fp("d", [1, 50])]
    config = CandidateConfig(max_shingle_df=3, min_shared_shingles=2)
    assert CorpusIndex(corpus).candidates(None, config) == [CandidatePair("a", "b", 2, 0)]


def test_no_new_documents_means_no_candidates() -> None:
    corpus = [fp("a", [1, 2]), fp("b", [1, 2])]
    index = CorpusIndex(corpus)
    assert index.candidates([], CandidateConfig()) == []
    assert index.candidates(["not-indexed"], CandidateConfig()) == []
    assert CorpusIndex([]).candidates(None, CandidateConfig()) == []


def test_anchors_alone_can_make_a_candidate() -> None:
    corpus = [fp("x", [100], [1, 5, 9, 13]), fp("y", [200], [1, 5, 9, 13])]
    assert CorpusIndex(corpus).candidates(None, CandidateConfig()) == [
        CandidatePair("x", "y", 0, 4)
    ]


def test_lsh_finds_near_duplicates_whose_shingles_are_all_too_common() -> None:
    # A stock text sent five times: every shingle is above the df cap of 3.
    corpus = [fp(f"notice{i}", list(range(1, 30))) for i in range(5)]
    config = CandidateConfig(max_shingle_df=3)
    pairs = CorpusIndex(corpus).candidates(None, config)
    assert {(p.a, p.b) for p in pairs} == {
        (f"notice{i}", f"notice{j}") for i in range(5) for j in range(i + 1, 5)
    }
    assert all(p.num_shared_shingles == 0 for p in pairs)
    # ...unless the bucket itself is too crowded to mean anything.
    crowded = CandidateConfig(max_shingle_df=3, max_bucket_size=4)
    assert CorpusIndex(corpus).candidates(None, crowded) == []


@settings(max_examples=100)
@given(case=corpora())
def test_the_pass_over_every_posting_counts_as_the_lookup_of_few_new_documents(case) -> None:
    # Candidates of a few new documents are counted by looking their features up; the
    # pass over every posting group (many new documents) must agree with it.
    import wiretrace.candidates.index as index_module

    fingerprints, config, new_ids = case
    few = CorpusIndex(fingerprints).candidates(new_ids, config)
    saved = index_module.FEW_NEW
    index_module.FEW_NEW = -1
    try:
        assert CorpusIndex(fingerprints).candidates(new_ids, config) == few
    finally:
        index_module.FEW_NEW = saved


@st.composite
def extensions(draw):
    fingerprints, config, _ = draw(corpora())
    doc_id = draw(st.text("ABC", min_size=1, max_size=3))  # never an id of the corpus
    frames = as_array(draw(feature_sets))
    added = Fingerprint(
        doc_id,
        as_array(draw(feature_sets)),
        as_array(draw(feature_sets)),
        as_array(draw(st.sets(st.sampled_from(POOL), max_size=8))),
        frames,
    )
    warm = draw(st.booleans())  # whether the base index computed its LSH keys first
    return fingerprints, added, config, warm


@settings(max_examples=200)
@given(case=extensions())
def test_an_extended_index_answers_as_one_built_with_the_document(case) -> None:
    fingerprints, added, config, warm = case
    base = CorpusIndex(fingerprints)
    if warm:
        base.candidates(None, config)
    extended = base.extended(added)
    rebuilt = CorpusIndex([*fingerprints, added])
    assert extended.candidates([added.doc_id], config) == rebuilt.candidates(
        [added.doc_id], config
    )
    assert extended.candidates(None, config) == rebuilt.candidates(None, config)
    probe = np.array(POOL, dtype=np.uint64)
    assert np.allclose(extended.idf(probe), rebuilt.idf(probe))
    assert (extended.frame_df(probe) == rebuilt.frame_df(probe)).all()
    for fp in fingerprints:
        assert math.isclose(
            extended.vocabulary_cosine(fp.doc_id, added.doc_id),
            rebuilt.vocabulary_cosine(fp.doc_id, added.doc_id),
            abs_tol=1e-12,
        ) or (
            math.isnan(extended.vocabulary_cosine(fp.doc_id, added.doc_id))
            and math.isnan(rebuilt.vocabulary_cosine(fp.doc_id, added.doc_id))
        )
    # The base index is left as it was.
    assert base.ids == [f.doc_id for f in fingerprints]
