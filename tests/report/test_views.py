"""Page records: text segmentation, verdict flipping, the story graph."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wiretrace.model import (
    Direction,
    PairVerdict,
    Passage,
    PassageKind,
    ReuseType,
    SentencePair,
    Span,
    TokenEdit,
)
from wiretrace.report.views import dominant_type, flip_verdict, segment_text, story_graph

KINDS = [str(k) for k in PassageKind]


@st.composite
def marked_texts(draw: st.DrawFn) -> tuple[str, list, list, list]:
    text = draw(st.text(min_size=0, max_size=80))
    n = len(text)
    spans = st.tuples(st.integers(0, n), st.integers(0, n)).map(sorted)
    passages = [(s, e, draw(st.sampled_from(KINDS))) for s, e in draw(st.lists(spans, max_size=4))]
    divergences = [tuple(s) for s in draw(st.lists(spans, max_size=4))]
    edits = [tuple(s) for s in draw(st.lists(spans, max_size=4))]
    return text, passages, divergences, edits


@given(marked_texts())
def test_segments_rebuild_the_text_and_carry_the_marks_that_cover_them(case: tuple) -> None:
    text, passages, divergences, edits = case
    segments = segment_text(text, passages, divergences, edits=edits)
    assert "".join(s.text for s in segments) == text
    offset = 0
    for segment in segments:
        start, end = offset, offset + len(segment.text)
        assert start < end
        if segment.passage:
            p_start, p_end, kind = passages[segment.passage - 1]
            assert p_start <= start and end <= p_end and kind == segment.kind
        for i in segment.divergences:
            assert divergences[i][0] <= start and end <= divergences[i][1]
        assert segment.edited == any(s <= start and end <= e for s, e in edits)
        offset = end


def _verdict() -> PairVerdict:
    pair = SentencePair(
        a=Span(0, 10),
        b=Span(5, 17),
        similarity=0.8,
        kind=PassageKind.EDITED,
        edits=(TokenEdit("replace", 2, 4, 7, 9),),
    )
    passage = Passage(
        a=Span(0, 10), b=Span(5, 17), kind=PassageKind.EDITED, similarity=0.8,
        sentence_pairs=(pair,), a_source=Span(3, 13), b_source=None,
    )
    return PairVerdict(
        a="x", b="y", type=ReuseType.EDITED, coverage_a=0.5, coverage_b=0.25,
        direction=Direction.A_TO_B, credited=True, similarity=0.8, passages=(passage,),
    )


def test_flipping_a_verdict_swaps_every_side_and_twice_is_identity() -> None:
    verdict = _verdict()
    flipped = flip_verdict(verdict)
    assert (flipped.a, flipped.b) == ("y", "x")
    assert (flipped.coverage_a, flipped.coverage_b) == (0.25, 0.5)
    assert flipped.direction == Direction.B_TO_A
    passage = flipped.passages[0]
    assert (passage.a, passage.b, passage.a_source, passage.b_source) == (
        Span(5, 17), Span(0, 10), None, Span(3, 13)
    )
    assert passage.sentence_pairs[0].edits[0] == TokenEdit("replace", 7, 9, 2, 4)
    assert flip_verdict(flipped) == verdict


def test_dominant_type_breaks_ties_towards_stronger_reuse() -> None:
    verdict = _verdict()
    partial = PairVerdict(**{**{f: getattr(verdict, f) for f in verdict.__slots__},
                             "type": ReuseType.PARTIAL})
    assert dominant_type([partial, verdict]) == "edited"
    assert dominant_type([partial, partial, verdict]) == "partial"
    assert dominant_type([]) is None


def test_story_graph_orders_by_date_and_points_from_source_to_reuser() -> None:
    docs = [
        {"id": "y", "date": "2026-03-05", "source": "Later"},
        {"id": "x", "date": "2026-03-04", "source": "Earlier"},
    ]
    graph = story_graph(docs, [_verdict()])
    assert [n["id"] for n in graph["nodes"]] == ["x", "y"]
    assert graph["nodes"][0]["x"] < graph["nodes"][1]["x"]
    (edge,) = graph["edges"]
    assert (edge["from"], edge["to"], edge["directed"]) == ("x", "y", True)
