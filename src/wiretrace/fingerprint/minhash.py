"""MinHash signatures of shingle sets and LSH band keys, vectorized with numpy.

Used for document-level near-duplicate candidates: the shingle index drops shingles
found in more than ``max_shingle_df`` documents, so a text repeated very often (a stock
notice sent every day) would have no fingerprint left to meet its copies with. LSH bands
over MinHash signatures find those near-duplicates whatever their frequency.

The permutations are multiply-shift hashes (Dietzfelbinger et al. 1997):
``((a * x + b) mod 2**64) >> 32`` with odd 64-bit ``a``. Wrapping uint64 arithmetic is
native to numpy, so no modulo by a prime is needed; measured here, this is about 5x
faster than the ``mod (2**61 - 1)`` permutations of datasketch.
"""

from __future__ import annotations

import numpy as np

_SHIFT = np.uint64(32)
_SEED = 20230222
DEFAULT_NUM_PERM = 128
# Shingles per step. The (num_perm x chunk) work matrix stays near 128 KiB, under glibc's
# mmap threshold: larger temporaries cost a page-faulting mmap each (measured 5x slower).
_CHUNK = 128


def permutations(
    num_perm: int = DEFAULT_NUM_PERM, seed: int = _SEED
) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` coefficients of ``num_perm`` hash permutations (deterministic)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    a = rng.integers(0, np.iinfo(np.uint64).max, size=num_perm, dtype=np.uint64, endpoint=True)
    b = rng.integers(0, np.iinfo(np.uint64).max, size=num_perm, dtype=np.uint64, endpoint=True)
    return a | np.uint64(1), b


def minhash_signature(shingles: np.ndarray, perms: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The MinHash signature (``uint32`` per permutation) of a set of 64-bit shingle hashes.

    An empty set gets the all-ones signature, which matches no other set's bands except
    other empty sets.
    """
    a, b = perms
    signature = np.full(len(a), 0xFFFFFFFF, dtype=np.uint64)
    values = np.asarray(shingles, dtype=np.uint64)
    buffer = np.empty((len(a), min(len(values), _CHUNK)), dtype=np.uint64)
    a_col, b_col = a[:, None], b[:, None]
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        work = buffer[:, : len(chunk)]
        np.multiply(a_col, chunk[None, :], out=work)
        work += b_col
        work >>= _SHIFT
        np.minimum(signature, work.min(axis=1), out=signature)
    return signature.astype(np.uint32)


def band_keys(signature: np.ndarray, num_bands: int) -> np.ndarray:
    """One 64-bit key per band of ``len(signature) // num_bands`` rows (the LSH buckets)."""
    rows = len(signature) // num_bands
    if rows == 0:
        raise ValueError(f"num_bands must be at most num_perm ({len(signature)}), got {num_bands}")
    banded = signature[: rows * num_bands].astype(np.uint64).reshape(num_bands, rows)
    keys: np.ndarray = np.zeros(num_bands, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(rows):
            keys = keys * np.uint64(0x100000001B3) + banded[:, r]
        keys = keys * np.uint64(num_bands) + np.arange(num_bands, dtype=np.uint64)
    return keys
