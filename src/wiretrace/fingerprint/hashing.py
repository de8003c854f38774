"""Deterministic 64-bit hashing of tokens and word shingles, and winnowing.

Hashes must be the same in every process and on every machine (fingerprints are stored,
and the Spark engine must agree with the local one), so Python's salted ``hash`` is never
used: tokens go through xxh64 with a fixed seed, shingles combine token hashes with
wrapping uint64 arithmetic and a splitmix64 finalizer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xxhash

_SEED = 0x77697265  # "wire"
# Odd 64-bit multiplier for the polynomial combination of token hashes (golden ratio).
_POLY = np.uint64(0x9E3779B97F4A7C15)
_TOKEN_CACHE_MAX = 1 << 20
_token_cache: dict[str, int] = {}


def _hash_token(token: str) -> int:
    value = _token_cache.get(token)
    if value is None:
        value = xxhash.xxh64_intdigest(token.encode("utf-8"), seed=_SEED)
        if len(_token_cache) < _TOKEN_CACHE_MAX:
            _token_cache[token] = value
    return value


def hash_tokens(tokens: Sequence[str]) -> np.ndarray:
    """xxh64 of each (already normalized) token, as ``uint64``."""
    cache = _token_cache
    if len(cache) >= _TOKEN_CACHE_MAX:
        return np.fromiter((_hash_token(t) for t in tokens), dtype=np.uint64, count=len(tokens))
    for token in set(tokens).difference(cache):
        cache[token] = xxhash.xxh64_intdigest(token.encode("utf-8"), seed=_SEED)
    # map() over the dict's own lookup runs without a Python frame per token.
    return np.fromiter(map(cache.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer: spreads the bits of combined hashes (wrapping arithmetic)."""
    z = values.copy()
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def shingle_hashes(token_hashes: np.ndarray, n: int) -> np.ndarray:
    """Hashes of every run of ``n`` consecutive tokens, in order.

    A text shorter than ``n`` tokens gives one hash of all its tokens (so short texts
    still have a fingerprint), and an empty text gives none.
    """
    count = len(token_hashes)
    if count == 0:
        return np.zeros(0, dtype=np.uint64)
    width = min(n, count)
    combined = np.zeros(count - width + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(width):
            combined = combined * _POLY + token_hashes[k : count - width + 1 + k]
        return _mix(combined)


def winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """The distinct minima of every window of ``window`` consecutive hashes (sorted).

    Winnowing (Schleimer, Wilkerson & Aiken 2003) guarantees that two texts sharing a run
    of ``window + n - 1`` tokens share at least one selected hash, while keeping about
    ``2 / (window + 1)`` of the shingles.
    """
    if len(hashes) <= window:
        return hashes.min(keepdims=True) if len(hashes) else hashes.copy()
    windows = np.lib.stride_tricks.sliding_window_view(hashes, window)
    return np.unique(windows.min(axis=1))
