"""Stage 4, fingerprint: compact, deterministic summaries of a document for candidate search."""

from wiretrace.fingerprint.anchors import Anchor, AnchorKind, find_anchors
from wiretrace.fingerprint.doc import Fingerprint, FingerprintConfig, fingerprint_document
from wiretrace.fingerprint.hashing import hash_tokens, shingle_hashes, winnow

__all__ = [
    "Anchor",
    "AnchorKind",
    "Fingerprint",
    "FingerprintConfig",
    "find_anchors",
    "fingerprint_document",
    "hash_tokens",
    "shingle_hashes",
    "winnow",
]
