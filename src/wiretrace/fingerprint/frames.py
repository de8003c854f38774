"""Formula frames: the wording of each sentence with its figures and names masked.

A template (a dividend notice, a eurobond new issue, the Fed's daily repurchase report, a
company's crude-posting raise) is one text filled again and again with other figures and
names. The frames of its sentences — their words with every number and name replaced by
one slot — recur across many documents of a wire archive, while the frames of a story's
own sentences occur in that story and its copies — filled the same way every time. So a
window of words is formula where its frame is in many documents, and in many more than its
words are: a syndicated story's frames are in as many documents as its words.

Word n-grams of the frames and of the words are kept with a document's anchors (kind bits
``3``), so the corpus index counts how many documents hold each, and the classify stage
asks how much of an aligned text is formula.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wiretrace.fingerprint.anchors import Anchor, AnchorKind
from wiretrace.fingerprint.hashing import hash_tokens, shingle_hashes
from wiretrace.model import Document, Span
from wiretrace.segment import tokenize

# The two low bits of an anchor hash hold its kind: 0 name, 1 number, 2 quote, 3 frame.
FRAME_KIND_BITS = np.uint64(3)
_KIND_MASK = np.uint64(3)
# Words per frame gram, fixed: the grams stored with fingerprints must be those classify
# computes from the sentences (five, like the default shingle).
FRAME_WORDS = 5
# Stands for a figure or a name.
SLOT = "\x00slot"


def _slot_intervals(anchors: Sequence[Anchor]) -> tuple[list[int], list[int]]:
    """Starts of the name and number anchors, sorted, and the furthest end reached so far."""
    spans = sorted(
        (a.start, a.end) for a in anchors if a.kind in (AnchorKind.NAME, AnchorKind.NUMBER)
    )
    reach, furthest = [], 0
    for _, end in spans:
        furthest = max(furthest, end)
        reach.append(furthest)
    return [s for s, _ in spans], reach


def _in_slot(start: int, end: int, starts: list[int], reach: list[int]) -> bool:
    """Whether the token at ``start..end`` overlaps a name or number anchor."""
    # Of the anchors that start before the token ends, one overlaps it if the furthest
    # end among them lies after the token's start.
    i = bisect_right(starts, end - 1) - 1
    return i >= 0 and reach[i] > start


def sentence_frames(doc: Document, anchors: Sequence[Anchor]) -> list[tuple[list[str], list[str]]]:
    """Each sentence of ``doc`` as its frame and its words, aligned word for word.

    In the frame, every token inside a name or number anchor (or holding a digit) is a
    slot; in the words it is itself. Both lists have one entry per token.

    Args:
        doc: the document (its clean text and sentence spans).
        anchors: the document's anchors (:func:`~wiretrace.fingerprint.anchors.find_anchors`).
    """
    starts, reach = _slot_intervals(anchors)
    spans = doc.sentences or (Span(0, len(doc.text)),)
    out = []
    for span in spans:
        frame: list[str] = []
        words: list[str] = []
        for token in tokenize(doc.text, span.start, span.end):
            norm = token.norm
            # Most tokens are words of letters only, which hold no digit (isalpha is one
            # C call; the digit scan was a tenth of lexical fingerprinting).
            slot = (not norm.isalpha() and any(c.isdigit() for c in norm)) or _in_slot(
                token.start, token.end, starts, reach
            )
            frame.append(SLOT if slot else norm)
            words.append(norm)
        out.append((frame, words))
    return out


def _grams(tokens: list[str], words: int) -> np.ndarray:
    return (shingle_hashes(hash_tokens(tokens), words) & ~_KIND_MASK) | FRAME_KIND_BITS


@dataclass(frozen=True, slots=True)
class SentenceGrams:
    """The frame grams of one sentence and, window by window, the grams of its words.

    Where a window holds no slot the two hashes are equal.
    """

    frames: np.ndarray
    words: np.ndarray


def document_frame_grams(doc: Document, anchors: Sequence[Anchor]) -> tuple[SentenceGrams, ...]:
    """The frame and word grams of every sentence of ``doc``, in sentence order."""
    return tuple(
        SentenceGrams(_grams(frame, FRAME_WORDS), _grams(words, FRAME_WORDS))
        for frame, words in sentence_frames(doc, anchors)
    )


def fingerprint_grams(grams: Sequence[SentenceGrams]) -> np.ndarray:
    """What a fingerprint keeps: every frame and word gram once, sorted."""
    parts = [np.zeros(0, dtype=np.uint64)]
    for sentence in grams:
        parts += [sentence.frames, sentence.words]
    return np.unique(np.concatenate(parts))


def is_frame(hashes: np.ndarray) -> np.ndarray:
    """Which of ``hashes`` (anchor hashes) are frame or word grams."""
    return (hashes & _KIND_MASK) == FRAME_KIND_BITS
