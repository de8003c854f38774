"""The fingerprint of one document: winnowed shingles, typed anchors and vocabulary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from wiretrace.fingerprint.anchors import AnchorKind, find_anchors
from wiretrace.fingerprint.frames import document_frame_grams, fingerprint_grams, is_frame
from wiretrace.fingerprint.hashing import hash_tokens, shingle_hashes, winnow
from wiretrace.model import Document
from wiretrace.segment import is_content, token_norms

# The anchor kind lives in the two low bits of an anchor hash, so the candidate stage
# can tell numbers and quotes (event-specific facts) from names without a lookup.
ANCHOR_KIND_BITS = {AnchorKind.NAME: 0, AnchorKind.NUMBER: 1, AnchorKind.QUOTE: 2}
_KIND_MASK = np.uint64(3)


@dataclass(frozen=True, slots=True)
class FingerprintConfig:
    """Shingle size and winnowing window.

    With ``shingle_words=5`` and ``winnow_window=4`` any shared run of 8 words yields a
    shared fingerprint, while about 40% of the shingles are kept.
    """

    shingle_words: int = 5
    winnow_window: int = 4


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Sorted unique ``uint64`` arrays summarizing one document."""

    doc_id: str
    shingles: np.ndarray
    anchors: np.ndarray
    vocabulary: np.ndarray
    # Formula frame and word grams (:mod:`wiretrace.fingerprint.frames`): counted like
    # anchors, never a reason to pair two documents.
    frames: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))

    def to_blobs(self) -> tuple[bytes, bytes, bytes]:
        """Little-endian bytes of the arrays, for storage (frames ride with the anchors)."""
        return (
            self.shingles.astype("<u8").tobytes(),
            np.concatenate((self.anchors, self.frames)).astype("<u8").tobytes(),
            self.vocabulary.astype("<u8").tobytes(),
        )

    @classmethod
    def from_blobs(
        cls, doc_id: str, shingles: bytes, anchors: bytes, vocabulary: bytes
    ) -> Fingerprint:
        """Rebuild from :meth:`to_blobs` output."""
        stored = np.frombuffer(anchors, dtype="<u8").astype(np.uint64)
        frames = is_frame(stored)
        return cls(
            doc_id,
            np.frombuffer(shingles, dtype="<u8").astype(np.uint64),
            stored[~frames],
            np.frombuffer(vocabulary, dtype="<u8").astype(np.uint64),
            stored[frames],
        )


def anchor_kind_bits(hashes: np.ndarray) -> np.ndarray:
    """The kind bits of anchor hashes (0 name, 1 number, 2 quote)."""
    return hashes & _KIND_MASK


def count_anchor_kinds(hashes: np.ndarray) -> dict[str, int]:
    """How many of ``hashes`` are names, numbers and quotes."""
    bits = anchor_kind_bits(hashes)
    return {
        "name": int((bits == 0).sum()),
        "number": int((bits == 1).sum()),
        "quote": int((bits == 2).sum()),
    }


def anchor_hashes(kind: AnchorKind, keys: Sequence[str]) -> np.ndarray:
    """The hashes that fingerprints use for anchors of one kind with these keys."""
    hashed = hash_tokens([f"{kind}:{key}" for key in keys])
    return (hashed & ~_KIND_MASK) | np.uint64(ANCHOR_KIND_BITS[kind])


def fingerprint_document(doc: Document, config: FingerprintConfig | None = None) -> Fingerprint:
    """Compute the fingerprint of ``doc`` from its clean text."""
    config = config or FingerprintConfig()
    norms = token_norms(doc.text)
    token_hashes = hash_tokens(norms)
    shingles = winnow(shingle_hashes(token_hashes, config.shingle_words), config.winnow_window)

    starts = frozenset(s.start for s in doc.sentences)
    anchors = find_anchors(doc.text, starts)
    anchor_keys = [f"{a.kind}:{a.key}" for a in anchors]
    kinds = np.fromiter(
        (ANCHOR_KIND_BITS[a.kind] for a in anchors), dtype=np.uint64, count=len(anchors)
    )
    anchor_hashes = (hash_tokens(anchor_keys) & ~_KIND_MASK) | kinds
    vocabulary = hash_tokens([n for n in set(norms) if is_content(n)])
    return Fingerprint(
        doc.id,
        np.unique(shingles),
        np.unique(anchor_hashes),
        np.unique(vocabulary),
        fingerprint_grams(document_frame_grams(doc, anchors)),
    )
