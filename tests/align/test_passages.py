"""Alignment: self-alignment, symmetry, reordering, edits and offsets."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from wiretrace.align import align_documents, sentence_view
from wiretrace.extract.document import build_document
from wiretrace.model import Document, Passage, PassageKind, RawRecord
from wiretrace.segment import tokenize

VOCABULARY = [
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
    "valley",
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
    "glacier",
    "satellite",
    "launch",
    "orbit",
    "vaccine",
    "clinic",
    "patient",
    "tunnel",
]

words = st.sampled_from(VOCABULARY)
sentences = st.lists(words, min_size=5, max_size=12).map(
    lambda ws: " ".join([ws[0].capitalize(), *ws[1:]])
)


H5 = "Harbour harbour harbour harbour harbour"
H6 = "Harbour harbour harbour harbour harbour harbour"
S0 = "Harbour cranes lifted forty containers onto the northern quay today"
S1 = "Engineers inspected the damaged railway bridge near the old market"
S2 = "Farmers gathered outside the council building demanding cheaper diesel fuel"


def make_doc(sents: list[str], doc_id: str) -> Document:
    text = ". ".join(sents) + "."
    return build_document(RawRecord(unit=f"{doc_id}.txt", source_path="", text=text), doc_id)


def _span(s) -> tuple[int, int]:
    return (s.start, s.end)


def swapped(p: Passage) -> tuple:
    """A passage of align(b, a) as align(a, b) would report it."""
    return (
        _span(p.b),
        _span(p.a),
        str(p.kind),
        round(p.similarity, 9),
        tuple(
            sorted(
                (_span(sp.b), _span(sp.a), str(sp.kind), round(sp.similarity, 9))
                for sp in p.sentence_pairs
            )
        ),
    )


def plain(p: Passage) -> tuple:
    return (
        _span(p.a),
        _span(p.b),
        str(p.kind),
        round(p.similarity, 9),
        tuple(
            sorted(
                (_span(sp.a), _span(sp.b), str(sp.kind), round(sp.similarity, 9))
                for sp in p.sentence_pairs
            )
        ),
    )


def assert_symmetric(a: Document, b: Document) -> None:
    """align(b, a) is align(a, b) with the sides swapped, similarities and kinds included."""
    forward = align_documents(sentence_view(a), sentence_view(b))
    backward = align_documents(sentence_view(b), sentence_view(a))
    assert sorted(plain(p) for p in forward) == sorted(swapped(p) for p in backward)


def assert_same_spans(a: Document, b: Document) -> None:
    """Both ways give the same passages (spans) made of the same sentence pairs."""
    forward = align_documents(sentence_view(a), sentence_view(b))
    backward = align_documents(sentence_view(b), sentence_view(a))
    assert sorted((x[0], x[1], x[4]) for x in map(plain, forward)) == sorted(
        (x[0], x[1], x[4]) for x in map(swapped, backward)
    )


@settings(max_examples=60, deadline=None)
@given(sents=st.lists(sentences, min_size=1, max_size=10))
def test_a_text_aligned_with_itself_is_one_verbatim_passage(sents: list[str]) -> None:
    doc = make_doc(sents, "self")
    view = sentence_view(doc)
    passages = align_documents(view, view)
    assert len(passages) == 1
    (p,) = passages
    first = tokenize(doc.text, doc.sentences[0].start, doc.sentences[0].end)[0]
    last = tokenize(doc.text, doc.sentences[-1].start, doc.sentences[-1].end)[-1]
    assert p.a == p.b
    assert (p.a.start, p.a.end) == (first.start, last.end)
    assert p.kind == PassageKind.VERBATIM
    assert p.similarity == pytest.approx(1.0)
    assert [(sp.a, sp.b) for sp in p.sentence_pairs] == [(s, s) for s in doc.sentences]
    assert (
        p.a_source is not None
        and doc.original[p.a_source.start : p.a_source.end] == (doc.text[p.a.start : p.a.end])
    )


@st.composite
def derived_pair(draw, reorder: bool, distinct: bool = True):
    """A text and a copy of it: sentences dropped, words replaced, text inserted."""
    original = draw(st.lists(sentences, min_size=1, max_size=8, unique=distinct))
    copy = []
    for sentence in original:
        action = draw(st.sampled_from(["keep", "keep", "drop", "edit"]))
        if action == "drop":
            continue
        if action == "edit":
            ws = sentence.split()
            i = draw(st.integers(0, len(ws) - 1))
            ws[i] = draw(words)
            sentence = " ".join([ws[0].capitalize(), *ws[1:]])
        copy.append(sentence)
        if draw(st.booleans()) and draw(st.booleans()):
            copy.append(draw(sentences))
    if not copy:
        copy = [draw(sentences)]
    if reorder:
        copy = draw(st.permutations(copy))
    return make_doc(original, "a"), make_doc(copy, "b")


@settings(max_examples=80, deadline=None)
@given(pair=derived_pair(reorder=False))
def test_aligned_passages_and_sentence_pairs_are_symmetric(pair) -> None:
    assert_same_spans(*pair)


@settings(max_examples=80, deadline=None)
@given(pair=derived_pair(reorder=False))
@example(
    pair=(
        make_doc([H5, H6], "a"),
        make_doc([H5, "Crane harbour harbour harbour harbour harbour"], "b"),
    )
)
def test_alignment_is_symmetric(pair: tuple[Document, Document]) -> None:
    assert_symmetric(*pair)


@settings(max_examples=60, deadline=None)
@given(pair=derived_pair(reorder=True, distinct=False))
@example(pair=(make_doc([S0, S1, S2], "a"), make_doc([S0, S2, S1], "b")))
@example(pair=(make_doc([H5, H5, H5, H6, H5], "a"), make_doc([H5, H5, H5, H5, H6, H5], "b")))
def test_alignment_is_symmetric_when_sentences_are_reordered_or_repeated(pair) -> None:
    assert_same_spans(*pair)


def spans_disjoint(spans) -> bool:
    ordered = sorted((s.start, s.end) for s in spans)
    return all(e1 <= s2 for (_s1, e1), (s2, _e2) in zip(ordered, ordered[1:], strict=False))


def test_reordered_sentences_are_all_found() -> None:
    a = make_doc([S0, S1, S2], "a")
    b = make_doc([S2, S0, S1], "b")
    passages = align_documents(sentence_view(a), sentence_view(b))
    pairs = {(sp.a, sp.b) for p in passages for sp in p.sentence_pairs}
    assert pairs == {
        (a.sentences[0], b.sentences[1]),
        (a.sentences[1], b.sentences[2]),
        (a.sentences[2], b.sentences[0]),
    }
    assert all(p.kind == PassageKind.VERBATIM for p in passages)
    assert spans_disjoint(p.a for p in passages)
    assert spans_disjoint(p.b for p in passages)


def test_edited_sentence_records_the_replaced_word() -> None:
    a = make_doc([S0, S1], "a")
    b = make_doc([S0.replace("forty", "fifty"), S1], "b")
    (p,) = align_documents(sentence_view(a), sentence_view(b))
    assert p.kind == PassageKind.EDITED
    first = p.sentence_pairs[0]
    assert first.kind == PassageKind.EDITED
    assert [
        (e.op, a.text[e.a_start : e.a_end], b.text[e.b_start : e.b_end]) for e in first.edits
    ] == [("replace", "forty", "fifty")]
    assert p.sentence_pairs[1].kind == PassageKind.VERBATIM
    assert p.sentence_pairs[1].edits == ()


def test_unrelated_texts_do_not_align() -> None:
    a = make_doc([S0, S1], "a")
    b = make_doc(["Museum curators restored a painting of the famous lighthouse keeper"], "b")
    assert align_documents(sentence_view(a), sentence_view(b)) == ()


def test_short_shared_sentences_are_not_aligned() -> None:
    # Fewer than four tokens: a stock phrase, not evidence.
    a = make_doc(["Markets rallied", S0], "a")
    b = make_doc(["Markets rallied", S2], "b")
    assert align_documents(sentence_view(a), sentence_view(b)) == ()


def test_passage_source_spans_skip_removed_chrome() -> None:
    wire = f"{S0}.\n\n{S1}.\n\n{S2}."
    page = f"{S0}.\n\nShare\nTweet\n\n{S1}.\n\n{S2}."
    a = build_document(RawRecord(unit="w.txt", source_path="", text=wire), "w")
    b = build_document(RawRecord(unit="p.txt", source_path="", text=page), "p")
    passages = align_documents(sentence_view(a), sentence_view(b))
    assert len(passages) == 1
    (p,) = passages
    assert p.kind == PassageKind.VERBATIM
    assert b.original[p.b_source.start : p.b_source.end].startswith(S0)
    assert b.original[p.b_source.start : p.b_source.end].rstrip(".").endswith(S2)
    assert " ".join(b.text[p.b.start : p.b.end].split()) == " ".join(
        a.text[p.a.start : p.a.end].split()
    )
