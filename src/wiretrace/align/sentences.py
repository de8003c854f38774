"""Per-document sentence tokens and n-gram keys, computed once and reused for every pair."""

from __future__ import annotations

from dataclasses import dataclass

from wiretrace.fingerprint.anchors import AnchorKind, find_anchors
from wiretrace.model import Document, Span
from wiretrace.segment import Token, is_content, tokenize

# Sentences are matched through shared word bigrams of content words: robust to inserted
# function words and light edits, yet specific enough to keep the comparison count small.
KEY_NGRAM = 2


@dataclass(frozen=True, slots=True)
class SentenceView:
    """Tokens, content-bigram keys and number anchors of every sentence of a document."""

    doc: Document
    spans: tuple[Span, ...]
    tokens: tuple[tuple[Token, ...], ...]
    norms: tuple[tuple[str, ...], ...]
    keys: tuple[frozenset[str], ...]
    numbers: tuple[frozenset[str], ...]


def sentence_view(doc: Document) -> SentenceView:
    """Tokenize every sentence of ``doc`` once."""
    spans = doc.sentences or (Span(0, len(doc.text)),)
    tokens, norms, keys, numbers = [], [], [], []
    for span in spans:
        toks = tuple(tokenize(doc.text, span.start, span.end))
        tokens.append(toks)
        words = tuple(t.norm for t in toks)
        norms.append(words)
        content = [w for w in words if is_content(w)]
        if len(content) >= KEY_NGRAM:
            keys.append(
                frozenset(
                    " ".join(content[i : i + KEY_NGRAM])
                    for i in range(len(content) - KEY_NGRAM + 1)
                )
            )
        else:
            keys.append(frozenset(content))
        numbers.append(
            frozenset(
                a.key
                for a in find_anchors(doc.text[span.start : span.end])
                if a.kind == AnchorKind.NUMBER
            )
        )
    return SentenceView(doc, tuple(spans), tuple(tokens), tuple(norms), tuple(keys), tuple(numbers))
