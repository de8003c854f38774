"""Per-document sentence tokens and n-gram keys, computed once and reused for every pair."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from wiretrace.fingerprint.anchors import find_anchors, find_names, find_numbers
from wiretrace.fingerprint.frames import SentenceGrams, document_frame_grams
from wiretrace.model import Document, Span
from wiretrace.segment import STOPWORDS, Token, token_norms, tokenize

# Sentences are matched through shared word bigrams of content words: robust to inserted
# function words and light edits, yet specific enough to keep the comparison count small.
KEY_NGRAM = 2


@dataclass(frozen=True, slots=True)
class SentenceView:
    """Normalized tokens, content-bigram keys, numbers and names of every sentence.

    Token offsets are only needed for the sentences that end up aligned, so they are
    computed on first use (:meth:`sentence_tokens`).
    """

    doc: Document
    spans: tuple[Span, ...]
    norms: tuple[tuple[str, ...], ...]
    keys: tuple[frozenset[str], ...]
    numbers: tuple[frozenset[str], ...]
    names: tuple[frozenset[str], ...]
    _tokens: dict[int, tuple[Token, ...]] = field(default_factory=dict, compare=False, repr=False)
    _frames: list[tuple[SentenceGrams, ...]] = field(
        default_factory=list, compare=False, repr=False
    )

    def sentence_tokens(self, i: int) -> tuple[Token, ...]:
        """Tokens of sentence ``i`` with their offsets in the document's clean text."""
        found = self._tokens.get(i)
        if found is None:
            span = self.spans[i]
            found = tuple(tokenize(self.doc.text, span.start, span.end))
            self._tokens[i] = found
        return found

    def frame_grams(self) -> tuple[SentenceGrams, ...]:
        """Frame and word grams of every sentence (:mod:`wiretrace.fingerprint.frames`)."""
        if not self._frames:
            starts = frozenset(s.start for s in self.doc.sentences)
            anchors = find_anchors(self.doc.text, starts)
            self._frames.append(document_frame_grams(self.doc, anchors))
        return self._frames[0]

    @property
    def tokens(self) -> tuple[tuple[Token, ...], ...]:
        """Tokens of every sentence (computes all offsets; prefer :meth:`sentence_tokens`)."""
        return tuple(self.sentence_tokens(i) for i in range(len(self.spans)))


def _keys(words: tuple[str, ...]) -> frozenset[str]:
    # is_content() inlined: this runs for every token of every aligned document.
    content = [w for w in words if (len(w) > 1 and w not in STOPWORDS) or w[:1].isdigit()]
    if len(content) < KEY_NGRAM:
        return frozenset(content)
    return frozenset(
        " ".join(content[i : i + KEY_NGRAM]) for i in range(len(content) - KEY_NGRAM + 1)
    )


def sentence_view(doc: Document) -> SentenceView:
    """Tokenize every sentence of ``doc`` once."""
    spans = doc.sentences or (Span(0, len(doc.text)),)
    numbers: list[set[str]] = [set() for _ in spans]
    starts = [s.start for s in spans]
    for anchor in find_numbers(doc.text):
        i = bisect_right(starts, anchor.start) - 1
        if i >= 0 and anchor.end <= spans[i].end:
            numbers[i].add(anchor.key)
    norms = tuple(tuple(token_norms(doc.text, s.start, s.end)) for s in spans)
    return SentenceView(
        doc=doc,
        spans=tuple(spans),
        norms=norms,
        keys=tuple(_keys(words) for words in norms),
        numbers=tuple(frozenset(n) for n in numbers),
        names=tuple(frozenset(find_names(doc.text, s.start, s.end)) for s in spans),
    )
