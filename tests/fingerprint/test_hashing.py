"""Hashing and winnowing: deterministic everywhere, and winnow() equal to a plain reference."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.extract.document import build_document
from wiretrace.fingerprint import hashing
from wiretrace.fingerprint.anchors import AnchorKind
from wiretrace.fingerprint.doc import (
    ANCHOR_KIND_BITS,
    Fingerprint,
    anchor_kind_bits,
    fingerprint_document,
)
from wiretrace.fingerprint.hashing import hash_tokens, shingle_hashes, winnow
from wiretrace.model import RawRecord

U64 = 2**64 - 1
# Values from a tiny pool collide and tie often; values from the full range exercise the
# top bit of uint64 (where a signed conversion would go wrong).
hash_values = st.one_of(
    st.integers(0, 6),
    st.sampled_from([2**63 - 1, 2**63, U64 - 1, U64]),
    st.integers(0, U64),
)
tokens = st.lists(st.text(min_size=1, max_size=8), max_size=30)


def winnow_reference(values: list[int], window: int) -> list[int]:
    """The obviously correct winnowing: the minimum of every window, distinct, sorted."""
    if not values:
        return []
    if len(values) <= window:
        return [min(values)]
    selected = set()
    for start in range(len(values) - window + 1):
        selected.add(min(values[start : start + window]))
    return sorted(selected)


@settings(max_examples=300)
@given(values=st.lists(hash_values, max_size=40), window=st.integers(1, 9))
def test_winnow_matches_reference(values: list[int], window: int) -> None:
    got = winnow(np.array(values, dtype=np.uint64), window)
    assert got.dtype == np.uint64
    assert got.tolist() == winnow_reference(values, window)


@given(
    left=st.lists(hash_values, max_size=12),
    shared=st.lists(hash_values, min_size=1, max_size=20),
    right=st.lists(hash_values, max_size=12),
    other_left=st.lists(hash_values, max_size=12),
    other_right=st.lists(hash_values, max_size=12),
    window=st.integers(1, 6),
)
def test_winnow_guarantee_shared_run_shares_a_hash(
    left, shared, right, other_left, other_right, window
) -> None:
    # Schleimer et al.: a shared run of at least `window` hashes yields a shared selection.
    shared = (shared * window)[: max(window, len(shared))]
    x = winnow(np.array(left + shared + right, dtype=np.uint64), window)
    y = winnow(np.array(other_left + shared + other_right, dtype=np.uint64), window)
    assert len(np.intersect1d(x, y)) >= 1


def test_winnow_edge_cases() -> None:
    empty = winnow(np.zeros(0, dtype=np.uint64), 4)
    assert empty.tolist() == []
    assert winnow(np.array([9, 3, 7], dtype=np.uint64), 4).tolist() == [3]
    assert winnow(np.array([5, 1, 5, 1, 5], dtype=np.uint64), 2).tolist() == [1]


@given(toks=tokens)
def test_hash_tokens_is_deterministic_and_cache_free(toks: list[str]) -> None:
    first = hash_tokens(toks)
    hashing._token_cache.clear()
    second = hash_tokens(toks)
    assert first.dtype == np.uint64
    assert first.tolist() == second.tolist()
    for token, value in zip(toks, first.tolist(), strict=True):
        assert value == hash_tokens([token])[0]


def test_hash_values_are_pinned() -> None:
    # Stored fingerprints and the Spark engine depend on these exact values.
    h = hash_tokens(["reuters", "port", "callow", "2.4e+09", "été"])
    assert h.tolist() == [
        1646210590175398456,
        727017708474174637,
        7472026199999439745,
        10041620072722068717,
        15474893619983413899,
    ]
    assert shingle_hashes(h, 3).tolist() == [
        3499083040692043740,
        4230257302819826353,
        3269740901785414126,
    ]


@given(
    toks=st.lists(st.sampled_from(["a", "b", "c", "port", "été"]), max_size=25), n=st.integers(1, 6)
)
def test_shingle_hash_depends_only_on_its_tokens(toks: list[str], n: int) -> None:
    h = hash_tokens(toks)
    shingles = shingle_hashes(h, n)
    if not toks:
        assert len(shingles) == 0
        return
    if len(toks) < n:
        assert shingles.tolist() == shingle_hashes(h, len(toks)).tolist()
        assert len(shingles) == 1
        return
    assert len(shingles) == len(toks) - n + 1
    for i in range(len(shingles)):
        assert shingles[i] == shingle_hashes(h[i : i + n], n)[0]
        # Same words → same shingle, wherever they sit.
        for j in range(len(shingles)):
            if toks[i : i + n] == toks[j : j + n]:
                assert shingles[i] == shingles[j]


def test_shingle_hash_depends_on_word_order() -> None:
    a = shingle_hashes(hash_tokens(["port", "callow", "approves"]), 3)
    b = shingle_hashes(hash_tokens(["callow", "port", "approves"]), 3)
    assert a.tolist() != b.tolist()


_SUBPROCESS_CODE = """
import json, sys
from wiretrace.fingerprint.hashing import hash_tokens, shingle_hashes, winnow
out = []
for toks in json.loads(sys.stdin.read()):
    h = hash_tokens(toks)
    s = shingle_hashes(h, 5)
    out.append([h.tolist(), s.tolist(), winnow(s, 4).tolist()])
print(json.dumps(out))
"""


def _hashes_here(token_lists: list[list[str]]) -> list:
    out = []
    for toks in token_lists:
        h = hash_tokens(toks)
        s = shingle_hashes(h, 5)
        out.append([h.tolist(), s.tolist(), winnow(s, 4).tolist()])
    return out


def test_hashes_are_the_same_in_another_process_with_another_hash_seed() -> None:
    token_lists = [
        ["the", "port", "callow", "harbour", "authority", "on", "wednesday", "approved"],
        ["a", "2.4e+09", "expansion", "a", "2.4e+09", "expansion", "a", "2.4e+09"],
        ["été", "milliards", "ünïcödé", "数字", "2e+11", "14%", "quote:we are not against"],
        [],
        ["one"],
        [f"w{i}" for i in range(60)],
    ]
    expected = _hashes_here(token_lists)
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", _SUBPROCESS_CODE],
            input=json.dumps(token_lists),
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        assert json.loads(result.stdout) == expected


def test_fingerprint_round_trips_through_blobs() -> None:
    text = (
        "The Port Callow Harbour Authority approved a $2.4 billion expansion on Wednesday. "
        'Chair Marguerite Solberg said "this is the largest single investment in the port". '
        "Handling fees will rise by 14% over five years."
    )
    doc = build_document(RawRecord(unit="t.txt", source_path="t.txt", text=text), "t")
    fp = fingerprint_document(doc)
    back = Fingerprint.from_blobs(fp.doc_id, *fp.to_blobs())
    for field in ("shingles", "anchors", "vocabulary"):
        original, restored = getattr(fp, field), getattr(back, field)
        assert restored.dtype == np.uint64
        assert restored.tolist() == original.tolist()
        assert original.tolist() == sorted(set(original.tolist()))
    # Every kind of anchor is present and told apart by its low bits.
    kinds = set(anchor_kind_bits(fp.anchors).tolist())
    assert kinds == {
        ANCHOR_KIND_BITS[AnchorKind.NAME],
        ANCHOR_KIND_BITS[AnchorKind.NUMBER],
        ANCHOR_KIND_BITS[AnchorKind.QUOTE],
    }
    assert fingerprint_document(doc).shingles.tolist() == fp.shingles.tolist()
