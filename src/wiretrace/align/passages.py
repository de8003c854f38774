"""Align the sentences of two documents and merge aligned runs into passages.

1. Sentence pairs that share a content-word bigram are scored with rapidfuzz's Indel
   similarity on token sequences (and the containment of the shorter one, for sentences
   that were merged or extended); good pairs are chosen greedily, best first, so any
   order of reuse is found.
2. Pairs that follow each other in both documents (gaps of up to ``max_gap_sentences``)
   merge into one passage; passage edges are trimmed to the first and last matching token.
3. Inside each sentence pair, a token-level diff (rapidfuzz Levenshtein opcodes) records
   what was replaced, inserted or deleted, with character offsets in both documents.

With a :class:`SentenceSimilarity` (sentence-embedding cosines, see
:mod:`wiretrace.semantic`), sentences that no lexical pair took are paired by meaning
too: rewrites ("spun" copies) as ``paraphrase`` and, across languages, ``translation``.
Lexical pairs are chosen first: they are the stronger evidence.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Indel, Levenshtein

from wiretrace.align.sentences import SentenceView
from wiretrace.extract.offsets import OffsetMap
from wiretrace.model import Passage, PassageKind, SentencePair, Span, TokenEdit
from wiretrace.segment import tokenize


@dataclass(frozen=True, slots=True)
class AlignConfig:
    """Thresholds of the lexical aligner.

    ``min_sentence_similarity`` 0.5 is the Indel similarity of a sentence with about a
    third of its words changed; ``min_containment`` lets a sentence that was cut out of a
    longer one (or extended) align with it.
    """

    min_sentence_similarity: float = 0.5
    min_containment: float = 0.8
    min_containment_tokens: int = 8
    min_sentence_tokens: int = 4
    # Aligned sentences this far apart still form one passage (PAN 2013: 1 → 2 lowers
    # granularity; 3 bridges dropped sentences too eagerly on the planted copies).
    max_gap_sentences: int = 2
    verbatim_similarity: float = 0.98
    # Below this a sentence pair is a rewrite (about a third of the words changed).
    edited_similarity: float = 0.7
    # A passage shorter than this (tokens of its shorter side) is a stock line shared by
    # pages on one topic, unless all aligned sentences together cover
    # ``short_passage_min_coverage`` of a document (two one-sentence texts that match are
    # a real pair; so are the pieces of a reordered copy).
    min_passage_tokens: int = 16
    short_passage_min_coverage: float = 0.5
    # Sentence-embedding pairs (only with a SentenceSimilarity). all-MiniLM-L6-v2 puts a
    # spun rewrite of a sentence at 0.8-0.95 and another sentence of the same story at
    # 0.5-0.75; USE multilingual puts a translation at ~0.8 and unrelated sentences at
    # 0.1-0.3 (measured on the example corpus; MRPC reports the resulting precision).
    min_paraphrase_cosine: float = 0.8
    min_translation_cosine: float = 0.7
    # Next to an aligned sentence pair, a mutual best match joins the run at this cosine.
    min_extend_cosine: float = 0.6
    # Short sentences ("He declined to comment.") match too many others by meaning.
    min_semantic_tokens: int = 6


@dataclass(frozen=True, slots=True)
class SentenceSimilarity:
    """Cosine similarity of every sentence of A with every sentence of B.

    ``matrix[i, j]`` compares sentence ``i`` of A with sentence ``j`` of B (the order of
    :attr:`SentenceView.spans`); ``cross_language`` says the two documents are in
    different languages, so a pair found by meaning is a translation.
    """

    matrix: np.ndarray
    cross_language: bool = False


@dataclass(frozen=True, slots=True)
class _Scored:
    i: int
    j: int
    similarity: float
    containment: float
    # Found by sentence embeddings (its similarity is a cosine), not by shared words.
    semantic: bool = False


def _score(a: tuple[str, ...], b: tuple[str, ...], config: AlignConfig) -> _Scored | None:
    shorter = min(len(a), len(b))
    if shorter < config.min_sentence_tokens:
        return None
    distance = Indel.distance(a, b)
    total = len(a) + len(b)
    similarity = 1.0 - distance / total
    common = (total - distance) // 2
    containment = common / shorter
    if similarity >= config.min_sentence_similarity or (
        containment >= config.min_containment and shorter >= config.min_containment_tokens
    ):
        return _Scored(-1, -1, similarity, containment)
    return None


def _candidate_pairs(va: SentenceView, vb: SentenceView, config: AlignConfig) -> list[_Scored]:
    by_key: dict[str, list[int]] = defaultdict(list)
    for j, keys in enumerate(vb.keys):
        for key in keys:
            by_key[key].append(j)
    scored = []
    for i, keys in enumerate(va.keys):
        seen: set[int] = set()
        for key in keys:
            seen.update(by_key.get(key, ()))
        for j in sorted(seen):
            result = _score(va.norms[i], vb.norms[j], config)
            if result is not None:
                scored.append(_Scored(i, j, result.similarity, result.containment))
    return scored


def _select(scored: list[_Scored], config: AlignConfig) -> list[_Scored]:
    """Best pairs first, each sentence once; then sentences contained in a chosen partner."""
    # Ties go to pairs near the diagonal, which keeps the choice the same whichever
    # document is "a" (only exact mirror ties remain order-dependent).
    order = sorted(
        scored, key=lambda s: (-s.similarity, -s.containment, abs(s.i - s.j), s.i + s.j, s.i)
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    chosen = []
    for s in order:
        if s.i not in used_a and s.j not in used_b:
            chosen.append(s)
            used_a.add(s.i)
            used_b.add(s.j)
    # A sentence split in two on one side: the second half aligns with the same partner.
    for s in sorted(scored, key=lambda s: (-s.containment, s.i, s.j)):
        if s.similarity >= config.min_sentence_similarity or s.containment < config.min_containment:
            continue
        if (s.i in used_a) != (s.j in used_b):
            chosen.append(s)
            used_a.add(s.i)
            used_b.add(s.j)
    return chosen


def _select_semantic(
    va: SentenceView,
    vb: SentenceView,
    similarity: SentenceSimilarity,
    chosen: list[_Scored],
    config: AlignConfig,
) -> list[_Scored]:
    """Pairs by meaning among the sentences no lexical pair took: seed, then extend.

    Seeds are pairs above the high cosine threshold, best first, each sentence once. Then
    runs grow: a sentence pair next to an aligned pair in both documents (within
    ``max_gap_sentences``) joins at the lower ``min_extend_cosine`` if each sentence is
    the other's best remaining match. A rewrite or a translation keeps the order of its
    source, so its weaker sentence pairs sit next to strong ones; two reports of one
    event match here and there, out of order, and do not grow (seed-and-extend, as
    passage aligners do with words).
    """
    matrix = similarity.matrix
    if matrix.shape != (len(va.spans), len(vb.spans)):
        raise ValueError(
            f"sentence similarity matrix has shape {matrix.shape}, expected "
            f"({len(va.spans)}, {len(vb.spans)}): one row per sentence of A, one column per "
            "sentence of B"
        )
    threshold = (
        config.min_translation_cosine if similarity.cross_language else config.min_paraphrase_cosine
    )
    long_a = [len(n) >= config.min_semantic_tokens for n in va.norms]
    long_b = [len(n) >= config.min_semantic_tokens for n in vb.norms]
    used_a = {s.i for s in chosen}
    used_b = {s.j for s in chosen}
    rows, cols = np.nonzero(matrix >= threshold)
    seeds = [
        _Scored(int(i), int(j), float(matrix[i, j]), 0.0, semantic=True)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
        if i not in used_a and j not in used_b and long_a[i] and long_b[j]
    ]
    seeds.sort(key=lambda s: (-s.similarity, abs(s.i - s.j), s.i + s.j, s.i))
    added: list[_Scored] = []
    for s in seeds:
        if s.i not in used_a and s.j not in used_b:
            added.append(s)
            used_a.add(s.i)
            used_b.add(s.j)
    if not added:
        return added
    step = config.max_gap_sentences + 1
    grown = True
    while grown:
        grown = False
        anchors = sorted({(s.i, s.j) for s in chosen} | {(s.i, s.j) for s in added})
        for ai, aj in anchors:
            best: _Scored | None = None
            for i in range(max(0, ai - step), min(len(va.spans), ai + step + 1)):
                if i in used_a or not long_a[i]:
                    continue
                for j in range(max(0, aj - step), min(len(vb.spans), aj + step + 1)):
                    if j in used_b or not long_b[j] or (i - ai) * (j - aj) < 0:
                        continue
                    cosine = float(matrix[i, j])
                    if cosine < config.min_extend_cosine:
                        continue
                    if best is None or cosine > best.similarity:
                        best = _Scored(i, j, cosine, 0.0, semantic=True)
            if best is None or not _mutual_best(matrix, best, used_a, used_b):
                continue
            added.append(best)
            used_a.add(best.i)
            used_b.add(best.j)
            grown = True
    return added


def _mutual_best(matrix: np.ndarray, s: _Scored, used_a: set[int], used_b: set[int]) -> bool:
    """Whether ``s.j`` is the best free partner of ``s.i`` and vice versa."""
    row = [float(v) for j, v in enumerate(matrix[s.i]) if j not in used_b]
    col = [float(v) for i, v in enumerate(matrix[:, s.j]) if i not in used_a]
    return s.similarity >= max(row) and s.similarity >= max(col)


_MIRRORED_TAG = {"insert": "delete", "delete": "insert"}


def _opcodes(a: tuple[str, ...], b: tuple[str, ...]) -> list[tuple[str, int, int, int, int]]:
    """Levenshtein opcodes of ``a`` → ``b``, the same (mirrored) whichever side comes first.

    Levenshtein breaks ties between a substitution and an insertion plus a deletion by
    argument order, which would trim a passage differently for ``align(a, b)`` and
    ``align(b, a)``; computing them in one canonical order keeps alignment symmetric.
    """
    if b < a:
        return [
            (
                _MIRRORED_TAG.get(op.tag, op.tag),
                op.dest_start,
                op.dest_end,
                op.src_start,
                op.src_end,
            )
            for op in Levenshtein.opcodes(b, a)
        ]
    return [
        (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Levenshtein.opcodes(a, b)
    ]


def _edits(
    va: SentenceView, vb: SentenceView, i: int, j: int
) -> tuple[tuple[TokenEdit, ...], Span, Span]:
    """Token edits of one sentence pair, and the spans from first to last matching token."""
    ta, tb = va.sentence_tokens(i), vb.sentence_tokens(j)
    sa, sb = va.spans[i], vb.spans[j]
    edits = []
    first_a = first_b = None
    last_a = last_b = None
    for tag, src_start, src_end, dest_start, dest_end in _opcodes(va.norms[i], vb.norms[j]):
        if tag == "equal":
            if first_a is None:
                first_a, first_b = ta[src_start].start, tb[dest_start].start
            last_a, last_b = ta[src_end - 1].end, tb[dest_end - 1].end
            continue
        a_start = ta[src_start].start if src_start < len(ta) else sa.end
        a_end = ta[src_end - 1].end if src_end > src_start else a_start
        b_start = tb[dest_start].start if dest_start < len(tb) else sb.end
        b_end = tb[dest_end - 1].end if dest_end > dest_start else b_start
        edits.append(TokenEdit(tag, a_start, a_end, b_start, b_end))
    if first_a is None or last_a is None or first_b is None or last_b is None:
        return tuple(edits), sa, sb
    return tuple(edits), Span(first_a, last_a), Span(first_b, last_b)


def _kind(similarity: float, config: AlignConfig) -> PassageKind:
    """The kind of a lexical sentence pair (or passage) from its Indel similarity."""
    if similarity >= config.verbatim_similarity:
        return PassageKind.VERBATIM
    if similarity >= config.edited_similarity:
        return PassageKind.EDITED
    return PassageKind.PARAPHRASE


def _runs(chosen: list[_Scored], max_gap: int) -> list[list[_Scored]]:
    """Group sentence pairs into passages.

    A passage holds pairs connected by following each other, within ``max_gap``
    sentences, in both documents. The relation is the same whichever document is "a",
    so the passages are too.
    """
    step = max_gap + 1
    from scipy.cluster.hierarchy import DisjointSet  # on use: ~0.5 s to import

    linked: DisjointSet = DisjointSet(range(len(chosen)))
    for x, p in enumerate(chosen):
        for y in range(x + 1, len(chosen)):
            q = chosen[y]
            di, dj = q.i - p.i, q.j - p.j
            if (0 <= di <= step and 0 <= dj <= step) or (0 <= -di <= step and 0 <= -dj <= step):
                linked.merge(x, y)
    # In the order of each group's first pair in ``chosen``, as callers expect.
    groups = sorted(linked.subsets(), key=min)
    return [sorted((chosen[x] for x in g), key=lambda s: (s.i, s.j)) for g in groups]


# Characters of text read at a time when a passage edge is extended.
_EXTEND_WINDOW_CHARS = 160


def _extend(va: SentenceView, vb: SentenceView, a: Span, b: Span) -> tuple[Span, Span]:
    """Move both edges of a passage outwards while the two texts agree token by token.

    A reused passage often starts or ends inside a sentence that is otherwise new.
    """
    text_a, text_b = va.doc.text, vb.doc.text
    a_start, b_start = a.start, b.start
    while a_start > 0 and b_start > 0:
        left_a = tokenize(text_a, max(0, a_start - _EXTEND_WINDOW_CHARS), a_start)
        left_b = tokenize(text_b, max(0, b_start - _EXTEND_WINDOW_CHARS), b_start)
        # A window that does not reach the text's start may cut its first token.
        if a_start > _EXTEND_WINDOW_CHARS:
            left_a = left_a[1:]
        if b_start > _EXTEND_WINDOW_CHARS:
            left_b = left_b[1:]
        same = 0
        while (
            same < min(len(left_a), len(left_b))
            and left_a[-1 - same].norm == left_b[-1 - same].norm
        ):
            same += 1
        if same == 0:
            break
        a_start, b_start = left_a[-same].start, left_b[-same].start
        if same < min(len(left_a), len(left_b)) or not left_a or not left_b:
            break
    a_end, b_end = a.end, b.end
    while a_end < len(text_a) and b_end < len(text_b):
        right_a = tokenize(text_a, a_end, min(len(text_a), a_end + _EXTEND_WINDOW_CHARS))
        right_b = tokenize(text_b, b_end, min(len(text_b), b_end + _EXTEND_WINDOW_CHARS))
        if a_end + _EXTEND_WINDOW_CHARS < len(text_a):
            right_a = right_a[:-1]
        if b_end + _EXTEND_WINDOW_CHARS < len(text_b):
            right_b = right_b[:-1]
        same = 0
        while same < min(len(right_a), len(right_b)) and right_a[same].norm == right_b[same].norm:
            same += 1
        if same == 0:
            break
        a_end, b_end = right_a[same - 1].end, right_b[same - 1].end
        if same < min(len(right_a), len(right_b)):
            break
    return Span(a_start, a_end), Span(b_start, b_end)


def _sentence_chars(view: SentenceView) -> int:
    return sum(s.length for s in view.spans) or 1


def _pair_kind(s: _Scored, cross_language: bool, config: AlignConfig) -> PassageKind:
    if not s.semantic:
        return _kind(s.similarity, config)
    return PassageKind.TRANSLATION if cross_language else PassageKind.PARAPHRASE


def _passage_kind(pairs: list[SentencePair], similarity: float, config: AlignConfig) -> PassageKind:
    """Translation if any pair is one; then verbatim, edited or paraphrase."""
    kinds = {p.kind for p in pairs}
    if PassageKind.TRANSLATION in kinds:
        return PassageKind.TRANSLATION
    if kinds == {PassageKind.VERBATIM}:
        return PassageKind.VERBATIM
    if PassageKind.PARAPHRASE in kinds and all(
        p.kind == PassageKind.PARAPHRASE for p in pairs if p.kind != PassageKind.VERBATIM
    ):
        return PassageKind.PARAPHRASE
    return _kind(min(similarity, config.verbatim_similarity - 1e-9), config)


def align_documents(
    va: SentenceView,
    vb: SentenceView,
    config: AlignConfig | None = None,
    similarity: SentenceSimilarity | None = None,
) -> tuple[Passage, ...]:
    """Aligned passages between two documents, ordered by their position in ``va``.

    Args:
        va: sentence view of document A.
        vb: sentence view of document B.
        config: thresholds.
        similarity: sentence-embedding cosines; without it the alignment is lexical only.
    """
    config = config or AlignConfig()
    cross_language = similarity is not None and similarity.cross_language
    # Lexical pairs even across languages: a misdetected language must not hide a copy,
    # and a real translation shares too few words for a lexical pair.
    chosen = _select(_candidate_pairs(va, vb, config), config)
    if similarity is not None:
        chosen += _select_semantic(va, vb, similarity, chosen, config)
    if not chosen:
        return ()
    runs = _runs(chosen, config.max_gap_sentences)
    # Short passages are kept when the reuse as a whole covers much of a document (a
    # reordered copy splits into short passages).
    covered = max(
        sum(va.spans[s.i].length for s in chosen) / _sentence_chars(va),
        sum(vb.spans[s.j].length for s in chosen) / _sentence_chars(vb),
    )
    map_a, map_b = OffsetMap(va.doc.kept), OffsetMap(vb.doc.kept)
    passages = []
    for run in runs:
        pairs = []
        trimmed: list[tuple[Span, Span]] = []
        for s in run:
            edits: tuple[TokenEdit, ...]
            if s.semantic and cross_language:
                # A translation shares no tokens to diff or to trim at.
                edits, ta, tb = (), va.spans[s.i], vb.spans[s.j]
            else:
                edits, ta, tb = _edits(va, vb, s.i, s.j)
            trimmed.append((ta, tb))
            kind = _pair_kind(s, cross_language, config)
            pairs.append(SentencePair(va.spans[s.i], vb.spans[s.j], s.similarity, kind, edits))
        a_span = Span(min(t[0].start for t in trimmed), max(t[0].end for t in trimmed))
        b_span = Span(min(t[1].start for t in trimmed), max(t[1].end for t in trimmed))
        tokens = sum(min(len(va.norms[s.i]), len(vb.norms[s.j])) for s in run)
        if tokens < config.min_passage_tokens and covered < config.short_passage_min_coverage:
            continue
        if not cross_language:
            a_span, b_span = _extend(va, vb, a_span, b_span)
        # Weighted by both sides, so the similarity is the same whichever document is "a".
        weight = sum(p.a.length + p.b.length for p in pairs) or 1
        mean = sum(p.similarity * (p.a.length + p.b.length) for p in pairs) / weight
        kind = _passage_kind(pairs, mean, config)
        passages.append(
            Passage(
                a=a_span,
                b=b_span,
                kind=kind,
                similarity=mean,
                sentence_pairs=tuple(pairs),
                a_source=Span(*map_a.span_to_original(a_span.start, a_span.end)),
                b_source=Span(*map_b.span_to_original(b_span.start, b_span.end)),
            )
        )
    passages.sort(key=lambda p: (p.a.start, p.b.start))
    return tuple(passages)
