"""Alignment by meaning with synthetic cosine matrices (no model), and the verdicts it feeds.

Documents A and B are built from disjoint vocabularies, so they share no word bigram and
every sentence pair comes from the matrix, unless a test copies a sentence on purpose.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.align import AlignConfig, align_documents, sentence_view
from wiretrace.align.passages import SentenceSimilarity
from wiretrace.align.sentences import SentenceView
from wiretrace.classify import PairEvidence, _kind_shares, classify_pair
from wiretrace.extract.document import build_document
from wiretrace.model import Document, Passage, PassageKind, RawRecord, ReuseType

A_WORDS = [
    "harbour",
    "crane",
    "vessel",
    "cargo",
    "tariff",
    "council",
    "railway",
    "bridge",
    "market",
    "farmer",
    "diesel",
    "museum",
    "painting",
    "lighthouse",
    "keeper",
    "engineer",
    "minister",
    "budget",
    "storm",
    "river",
]
B_WORDS = [
    "glacier",
    "satellite",
    "orbit",
    "vaccine",
    "clinic",
    "patient",
    "tunnel",
    "orchard",
    "copper",
    "mining",
    "strike",
    "union",
    "wages",
    "ferry",
    "timber",
    "village",
    "festival",
    "valley",
    "launch",
    "quarry",
]
SENTENCE_WORDS = 8
NUM_SENTENCES = 10
CONFIG = AlignConfig()
# Keeps one-sentence passages, so a test can watch single sentence pairs being chosen.
KEEP_SHORT = AlignConfig(min_passage_tokens=0)


def sentence(words: list[str], k: int, length: int = SENTENCE_WORDS) -> str:
    chosen = [words[(k * 3 + t) % len(words)] for t in range(length)]
    return " ".join([chosen[0].capitalize(), *chosen[1:]])


def make_doc(sents: list[str], doc_id: str) -> Document:
    text = ". ".join(sents) + "."
    return build_document(RawRecord(unit=f"{doc_id}.txt", source_path="", text=text), doc_id)


def view(sents: list[str], doc_id: str) -> SentenceView:
    result = sentence_view(make_doc(sents, doc_id))
    assert len(result.spans) == len(sents), "test sentences must segment one to one"
    return result


A_SENTS = [sentence(A_WORDS, k) for k in range(NUM_SENTENCES)]
B_SENTS = [sentence(B_WORDS, k) for k in range(NUM_SENTENCES)]
VA = view(A_SENTS, "a")
VB = view(B_SENTS, "b")


def matrix(cells: dict[tuple[int, int], float], shape=(NUM_SENTENCES, NUM_SENTENCES)):
    m = np.full(shape, 0.05, dtype=np.float32)
    for (i, j), value in cells.items():
        m[i, j] = value
    return m


def index_pairs(passages, va: SentenceView = VA, vb: SentenceView = VB) -> set[tuple[int, int]]:
    """Sentence indices of every aligned sentence pair."""
    ia = {span: i for i, span in enumerate(va.spans)}
    ib = {span: j for j, span in enumerate(vb.spans)}
    return {(ia[sp.a], ib[sp.b]) for p in passages for sp in p.sentence_pairs}


def align(cells, cross_language: bool = False, config: AlignConfig = KEEP_SHORT, va=VA, vb=VB):
    shape = (len(va.spans), len(vb.spans))
    similarity = SentenceSimilarity(matrix(cells, shape), cross_language)
    return align_documents(va, vb, config, similarity=similarity)


def test_without_a_similarity_the_two_vocabularies_share_nothing() -> None:
    assert align_documents(VA, VB, KEEP_SHORT) == ()
    assert align({}) == ()


def test_pairs_above_the_paraphrase_cosine_are_seeds_and_others_are_not() -> None:
    cosine = CONFIG.min_paraphrase_cosine
    found = align({(0, 0): cosine + 0.05, (8, 4): cosine, (4, 9): cosine - 0.01})
    assert index_pairs(found) == {(0, 0), (8, 4)}


def test_each_sentence_is_paired_once_best_seed_first() -> None:
    found = align({(1, 1): 0.85, (1, 6): 0.95, (6, 6): 0.9})
    assert index_pairs(found) == {(1, 6)}


def test_translations_seed_at_the_lower_translation_cosine() -> None:
    cosine = (CONFIG.min_translation_cosine + CONFIG.min_paraphrase_cosine) / 2
    assert index_pairs(align({(5, 5): cosine}, cross_language=True)) == {(5, 5)}
    assert index_pairs(align({(5, 5): cosine}, cross_language=False)) == set()


def test_a_run_grows_from_a_seed_through_mutual_best_matches() -> None:
    extend = CONFIG.min_extend_cosine
    found = align(
        {
            (2, 2): 0.9,
            (3, 3): extend + 0.05,
            # Joins once (3, 3) is aligned: two sentences past the seed, one past (3, 3).
            (4, 4): extend,
            # Below the extension cosine, next to the seed.
            (1, 1): extend - 0.01,
        },
        config=CONFIG,
    )
    assert index_pairs(found) == {(2, 2), (3, 3), (4, 4)}
    assert len(found) == 1
    assert found[0].kind == PassageKind.PARAPHRASE


def test_a_run_grows_backwards_and_across_a_gap() -> None:
    extend = CONFIG.min_extend_cosine
    found = align({(5, 5): 0.9, (3, 2): extend + 0.1, (7, 8): extend + 0.1}, config=CONFIG)
    assert index_pairs(found) == {(5, 5), (3, 2), (7, 8)}


def test_a_neighbour_that_prefers_another_sentence_does_not_join() -> None:
    extend = CONFIG.min_extend_cosine
    # Sentence 3 of A matches sentence 8 of B better (still below the seed cosine).
    found = align({(2, 2): 0.9, (3, 3): extend + 0.05, (3, 8): extend + 0.1})
    assert index_pairs(found) == {(2, 2)}
    # And sentence 3 of B matches sentence 9 of A better.
    found = align({(2, 2): 0.9, (3, 3): extend + 0.05, (9, 3): extend + 0.1})
    assert index_pairs(found) == {(2, 2)}


def test_mid_cosine_pairs_far_from_any_aligned_pair_do_not_grow() -> None:
    extend = CONFIG.min_extend_cosine
    found = align({(0, 0): 0.9, (6, 6): extend + 0.15, (8, 9): extend + 0.1})
    assert index_pairs(found) == {(0, 0)}
    # Crossing the anchor (before it in A, after it in B) is no continuation either.
    found = align({(4, 4): 0.9, (3, 5): extend + 0.15})
    assert index_pairs(found) == {(4, 4)}


def test_mid_cosine_pairs_alone_give_nothing() -> None:
    found = align({(i, i): CONFIG.min_paraphrase_cosine - 0.05 for i in range(NUM_SENTENCES)})
    assert found == ()


def test_short_sentences_are_never_paired_by_meaning() -> None:
    short = CONFIG.min_semantic_tokens - 1
    sents = list(A_SENTS)
    sents[3] = sentence(A_WORDS, 3, length=short)
    sents[6] = sentence(A_WORDS, 6, length=short)
    va = view(sents, "a_short")
    assert len(va.norms[3]) == short
    found = align({(3, 3): 0.99, (5, 5): 0.9, (6, 6): 0.85, (6, 7): 0.2}, va=va)
    assert index_pairs(found, va=va) == {(5, 5)}


def test_lexical_pairs_come_first_and_keep_their_sentences() -> None:
    sents = list(B_SENTS)
    sents[1] = A_SENTS[0]
    vb = view(sents, "b_copy")
    # The matrix says A0 means B4 more than its word-for-word copy B1.
    found = align({(0, 4): 0.99, (0, 1): 0.5, (6, 6): 0.9}, vb=vb)
    pairs = {
        (i, j): sp
        for (i, j), sp in zip(
            sorted(index_pairs(found, vb=vb)),
            sorted((sp for p in found for sp in p.sentence_pairs), key=lambda s: s.a.start),
            strict=True,
        )
    }
    assert set(pairs) == {(0, 1), (6, 6)}
    assert pairs[(0, 1)].kind == PassageKind.VERBATIM
    assert pairs[(6, 6)].kind == PassageKind.PARAPHRASE


RUN = {(1, 1): 0.92, (2, 2): 0.75, (3, 3): 0.8, (4, 4): 0.88, (5, 6): 0.7}


def test_across_languages_pairs_are_translations_of_whole_sentences() -> None:
    (passage,) = align(RUN, cross_language=True, config=CONFIG)
    assert passage.kind == PassageKind.TRANSLATION
    assert index_pairs([passage]) == set(RUN)
    for sp in passage.sentence_pairs:
        assert sp.kind == PassageKind.TRANSLATION
        assert sp.edits == ()
        assert sp.a in VA.spans and sp.b in VB.spans
    assert (passage.a.start, passage.a.end) == (VA.spans[1].start, VA.spans[5].end)
    assert (passage.b.start, passage.b.end) == (VB.spans[1].start, VB.spans[6].end)
    similarities = sorted(round(sp.similarity, 5) for sp in passage.sentence_pairs)
    assert similarities == sorted(round(v, 5) for v in RUN.values())
    assert passage.a_source is not None
    original = VA.doc.original[passage.a_source.start : passage.a_source.end]
    assert original == VA.doc.text[passage.a.start : passage.a.end]


def test_in_one_language_pairs_by_meaning_are_paraphrases() -> None:
    (passage,) = align(RUN, cross_language=False, config=CONFIG)
    assert passage.kind == PassageKind.PARAPHRASE
    assert index_pairs([passage]) == set(RUN)
    assert {sp.kind for sp in passage.sentence_pairs} == {PassageKind.PARAPHRASE}
    # Rewritten words are diffed token by token (nothing matches in these vocabularies).
    assert all(sp.edits for sp in passage.sentence_pairs)


@pytest.mark.parametrize("shape", [(NUM_SENTENCES, NUM_SENTENCES - 1), (NUM_SENTENCES - 1, 3)])
def test_a_matrix_of_the_wrong_shape_names_the_expected_one(shape) -> None:
    similarity = SentenceSimilarity(np.zeros(shape, dtype=np.float32))
    with pytest.raises(ValueError, match=rf"\({NUM_SENTENCES}, {NUM_SENTENCES}\)"):
        align_documents(VA, VB, CONFIG, similarity=similarity)


def test_the_transposed_matrix_of_the_wrong_shape_is_rejected_too() -> None:
    va = view(A_SENTS[:4], "a4")
    similarity = SentenceSimilarity(np.zeros((NUM_SENTENCES, 4), dtype=np.float32))
    with pytest.raises(ValueError, match=r"\(4, 10\)"):
        align_documents(va, VB, CONFIG, similarity=similarity)


# -- symmetry ---------------------------------------------------------------------------

COSINES = st.one_of(
    st.floats(0.0, 1.0, allow_nan=False, width=32),
    # Values at and around the thresholds, where choices flip.
    st.sampled_from([0.55, 0.6, 0.62, 0.68, 0.7, 0.72, 0.78, 0.8, 0.83, 0.9, 0.97]),
)


def _span(s) -> tuple[int, int]:
    return (s.start, s.end)


def plain(p: Passage) -> tuple:
    """A passage as its kind, similarity and sentence pairs (spans, kind, cosine)."""
    return (
        str(p.kind),
        round(p.similarity, 6),
        tuple(
            sorted(
                (_span(sp.a), _span(sp.b), str(sp.kind), round(sp.similarity, 6))
                for sp in p.sentence_pairs
            )
        ),
    )


def mirrored(p: Passage) -> tuple:
    """A passage of align(b, a) as align(a, b) would report it."""
    return (
        str(p.kind),
        round(p.similarity, 6),
        tuple(
            sorted(
                (_span(sp.b), _span(sp.a), str(sp.kind), round(sp.similarity, 6))
                for sp in p.sentence_pairs
            )
        ),
    )


@st.composite
def document_pairs(draw):
    """Two documents (B copies some of A's sentences) and a cosine matrix between them."""
    n_a = draw(st.integers(1, 7))
    n_b = draw(st.integers(1, 7))
    a_sents = [sentence(A_WORDS, k, draw(st.integers(4, 9))) for k in range(n_a)]
    b_sents = []
    for k in range(n_b):
        if draw(st.integers(0, 4)) == 0:
            b_sents.append(a_sents[draw(st.integers(0, n_a - 1))])
        else:
            b_sents.append(sentence(B_WORDS, k, draw(st.integers(4, 9))))
    cells = draw(st.lists(COSINES, min_size=n_a * n_b, max_size=n_a * n_b))
    m = np.array(cells, dtype=np.float32).reshape(n_a, n_b)
    return a_sents, b_sents, m, draw(st.booleans())


@settings(max_examples=150, deadline=None)
@given(case=document_pairs())
def test_swapping_the_documents_and_transposing_the_matrix_mirrors_the_passages(case) -> None:
    a_sents, b_sents, m, cross_language = case
    va, vb = view(a_sents, "a"), view(b_sents, "b")
    forward = align_documents(va, vb, CONFIG, SentenceSimilarity(m, cross_language))
    backward = align_documents(
        vb, va, CONFIG, SentenceSimilarity(np.ascontiguousarray(m.T), cross_language)
    )
    assert sorted(map(plain, forward)) == sorted(map(mirrored, backward))


def test_swapped_documents_give_mirrored_passage_spans() -> None:
    # Found by the property above when it compared passage spans too (lexical only: the
    # matrix is all zeros, and the same happens without one).
    va = view([sentence(A_WORDS, 0, 6), sentence(A_WORDS, 1, 6)], "a")
    vb = view([sentence(A_WORDS, 0, 6), sentence(A_WORDS, 0, 6)], "b")
    zeros = np.zeros((2, 2), dtype=np.float32)
    forward = align_documents(va, vb, CONFIG, SentenceSimilarity(zeros))
    backward = align_documents(vb, va, CONFIG, SentenceSimilarity(zeros))
    assert [(_span(p.a), _span(p.b)) for p in forward] == [
        (_span(p.b), _span(p.a)) for p in backward
    ]


# -- verdicts ---------------------------------------------------------------------------


def evidence(passages, va: SentenceView = VA, vb: SentenceView = VB) -> PairEvidence:
    return PairEvidence(
        a=va,
        b=vb,
        passages=passages,
        vocabulary_cosine=0.0,
        shared_names=0,
        shared_numbers=0,
        shared_quotes=0,
    )


WHOLE = {(i, i): 0.85 for i in range(NUM_SENTENCES)}


def test_kind_shares_weigh_sentence_pairs_by_their_characters() -> None:
    passages = align(WHOLE, cross_language=True)
    shares = _kind_shares(passages)
    assert shares[PassageKind.TRANSLATION] == pytest.approx(1.0)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert _kind_shares(()) == dict.fromkeys(PassageKind, 0.0)


def test_pairs_aligned_by_meaning_across_languages_are_translations() -> None:
    verdict = classify_pair(evidence(align(WHOLE, cross_language=True, config=CONFIG)))
    assert verdict is not None
    assert verdict.type == ReuseType.TRANSLATION
    assert verdict.coverage_a == verdict.coverage_b == 1.0


def test_pairs_aligned_by_meaning_in_one_language_are_paraphrases() -> None:
    verdict = classify_pair(evidence(align(WHOLE, cross_language=False, config=CONFIG)))
    assert verdict is not None
    assert verdict.type == ReuseType.PARAPHRASE


def test_a_copy_with_a_few_rewritten_sentences_stays_an_edited_copy() -> None:
    # B copies A word for word except for three sentences rewritten beyond recognition.
    rewritten = {2, 5, 8}
    sents = [B_SENTS[k] if k in rewritten else A_SENTS[k] for k in range(NUM_SENTENCES)]
    vb = view(sents, "b_mixed")
    passages = align({(k, k): 0.85 for k in rewritten}, config=CONFIG, vb=vb)
    shares = _kind_shares(passages)
    assert shares[PassageKind.PARAPHRASE] == pytest.approx(0.3, abs=0.05)
    assert shares[PassageKind.PARAPHRASE] < 0.5
    verdict = classify_pair(evidence(passages, vb=vb))
    assert verdict is not None
    assert verdict.type == ReuseType.EDITED


def test_a_rewrite_with_a_few_copied_sentences_is_a_paraphrase() -> None:
    copied = {2, 5, 8}
    sents = [A_SENTS[k] if k in copied else B_SENTS[k] for k in range(NUM_SENTENCES)]
    vb = view(sents, "b_mostly_new")
    cells = {(k, k): 0.85 for k in range(NUM_SENTENCES) if k not in copied}
    passages = align(cells, config=CONFIG, vb=vb)
    assert _kind_shares(passages)[PassageKind.PARAPHRASE] > 0.5
    verdict = classify_pair(evidence(passages, vb=vb))
    assert verdict is not None
    assert verdict.type == ReuseType.PARAPHRASE


@pytest.mark.parametrize(
    ("sentences", "expected"), [(3, ReuseType.RELATED), (4, ReuseType.PARAPHRASE)]
)
def test_a_short_text_paired_by_meaning_is_a_paraphrase_only_from_four_sentence_pairs(
    sentences: int, expected: ReuseType
) -> None:
    # Two reports of one short announcement say its few facts sentence by sentence, as a
    # rewrite would: three sentences paired by meaning do not tell them apart.
    va = view(A_SENTS[:sentences], f"a{sentences}")
    vb = view(B_SENTS[:sentences], f"b{sentences}")
    cells = {(i, i): 0.85 for i in range(sentences)}
    passages = align(cells, config=CONFIG, va=va, vb=vb)
    assert sum(len(p.sentence_pairs) for p in passages) == sentences
    # The two share the announcement's names and figures, as such reports do.
    facts = PairEvidence(va, vb, passages, 0.0, shared_names=3, shared_numbers=2, shared_quotes=0)
    verdict = classify_pair(facts)
    assert verdict is not None
    assert verdict.type == expected


def _half_form(k: int) -> str:
    """A sentence that keeps the first half of A's sentence ``k`` and words its rest anew."""
    half = SENTENCE_WORDS // 2
    return " ".join([*A_SENTS[k].split()[:half], *B_SENTS[k].split()[half:]])


@pytest.mark.parametrize(("form", "reason"), [(True, "template"), (False, "same story")])
def test_two_subjects_paired_by_meaning_are_a_template_only_in_one_form_s_wording(
    form: bool, reason: str
) -> None:
    # Each lead names a subject the other never mentions, and the sentences paired by
    # meaning state other figures (one figure, a fee, is the same in both). Where the
    # sentences keep one form's wording around the figures, two issuers' notices; where
    # they are worded apart, two reports of one event that name different actors first.
    fee = "with fees of 1-1/4 pct"
    leads = ("Tovra Construct is issuing 12 mln", "Brennic Orchards is issuing 14 mln")
    other = [_half_form(k) if form else B_SENTS[k] for k in range(3)]
    va = view([f"{leads[0]} {A_SENTS[0].lower()}", A_SENTS[1], f"{A_SENTS[2]} {fee}"], "form_a")
    vb = view([f"{leads[1]} {other[0].lower()}", other[1], f"{other[2]} {fee}"], f"form_b{form}")
    passages = align({(i, i): 0.85 for i in range(3)}, config=CONFIG, va=va, vb=vb)
    assert _kind_shares(passages)[PassageKind.PARAPHRASE] > 0.5
    facts = PairEvidence(va, vb, passages, 0.0, shared_names=3, shared_numbers=2, shared_quotes=0)
    verdict = classify_pair(facts)
    assert verdict is not None
    assert verdict.type == ReuseType.RELATED
    assert verdict.reasons[0].startswith(reason)
