"""PAN measures on hand-computed examples, plus invariants."""

import math

from hypothesis import given
from hypothesis import strategies as st

from bench.pan_metrics import (
    Annotation,
    evaluate,
    granularity,
    macro_precision,
    macro_recall,
    micro_precision,
    micro_recall,
    plagdet,
)


def ann(s0: int, s1: int, r0: int, r1: int, susp: str = "s", src: str = "r") -> Annotation:
    return Annotation(susp, s0, s1, src, r0, r1)


def test_perfect_detection_scores_one():
    case = ann(100, 200, 0, 100)
    scores = evaluate([case], [case])
    assert (scores.precision, scores.recall, scores.granularity, scores.plagdet) == (1, 1, 1, 1)


def test_half_overlap():
    # Case: 100 chars in each document (|s| = 200). The detection covers the second half
    # of the case and as much text after it, on both sides (|r| = 200).
    case = ann(0, 100, 0, 100)
    detection = ann(50, 150, 50, 150)
    assert macro_recall([case], [detection]) == 0.5  # 100 of 200 case chars
    assert macro_precision([case], [detection]) == 0.5  # 100 of 200 detected chars
    assert granularity([case], [detection]) == 1
    assert evaluate([case], [detection]).plagdet == 0.5


def test_overlap_on_one_side_only_is_no_detection():
    # PAN requires overlap in the suspicious *and* the source document.
    case = ann(0, 100, 0, 100)
    detection = ann(0, 100, 500, 600)
    assert macro_recall([case], [detection]) == 0
    assert macro_precision([case], [detection]) == 0


def test_other_document_pair_is_no_detection():
    case = ann(0, 100, 0, 100)
    assert macro_recall([case], [ann(0, 100, 0, 100, src="other")]) == 0


def test_split_detection_has_granularity_two():
    case = ann(0, 100, 0, 100)
    halves = [ann(0, 50, 0, 50), ann(50, 100, 50, 100)]
    scores = evaluate([case], halves)
    assert scores.recall == 1
    assert scores.precision == 1
    assert scores.granularity == 2
    assert math.isclose(scores.plagdet, 1 / math.log2(3))


def test_granularity_counts_only_detected_cases():
    cases = [ann(0, 100, 0, 100), ann(500, 600, 500, 600)]
    dets = [ann(0, 30, 0, 30), ann(30, 60, 30, 60), ann(60, 100, 60, 100)]
    assert granularity(cases, dets) == 3  # the undetected second case does not count
    assert macro_recall(cases, dets) == 0.5  # mean of 1.0 and 0.0


def test_precision_is_macro_averaged_over_detections():
    case = ann(0, 100, 0, 100)
    exact = ann(0, 100, 0, 100)
    false_alarm = ann(1000, 1100, 1000, 1100)
    assert macro_precision([case], [exact, false_alarm]) == 0.5
    assert macro_recall([case], [exact, false_alarm]) == 1


def test_no_detections():
    case = ann(0, 100, 0, 100)
    scores = evaluate([case], [])
    # As in PAN's published measures script: a run without detections has recall 0 and
    # precision 0 (precision is undefined in the formula's 1/|R|; PAN scores it 0),
    # granularity 1 and PlagDet 0.
    assert scores.recall == 0
    assert scores.precision == 0
    assert scores.granularity == 1
    assert scores.plagdet == 0


def test_nothing_to_find_and_nothing_found_is_perfect():
    scores = evaluate([], [])
    assert (scores.precision, scores.recall) == (1, 1)


def test_micro_pools_characters():
    # A long case found entirely and a short case missed: macro recall is the mean of
    # 1 and 0, micro recall weighs by characters.
    cases = [ann(0, 300, 0, 300), ann(1000, 1100, 1000, 1100)]
    dets = [ann(0, 300, 0, 300)]
    assert macro_recall(cases, dets) == 0.5
    assert micro_recall(cases, dets) == 600 / 800
    assert micro_precision(cases, dets) == 1


def test_plagdet_formula():
    assert plagdet(0, 0, 1) == 0
    assert math.isclose(plagdet(0.8, 0.6, 1), 2 * 0.8 * 0.6 / 1.4)


spans = st.tuples(st.integers(0, 500), st.integers(0, 200)).map(lambda t: (t[0], t[0] + t[1]))
annotations = st.builds(
    lambda s, r, doc: ann(s[0], s[1], r[0], r[1], src=doc),
    spans,
    spans,
    st.sampled_from(["r1", "r2"]),
)


@given(st.lists(annotations, max_size=6), st.lists(annotations, max_size=6))
def test_scores_are_bounded(cases, detections):
    scores = evaluate(cases, detections)
    for value in (
        scores.precision,
        scores.recall,
        scores.micro_precision,
        scores.micro_recall,
        scores.plagdet,
    ):
        assert 0 <= value <= 1
    assert scores.granularity >= 1


nonempty = annotations.filter(lambda a: a.susp_end > a.susp_start and a.src_end > a.src_start)


@given(st.lists(nonempty, min_size=1, max_size=6))
def test_self_match_recall_and_precision_are_one(cases):
    # Cases that overlap one another may detect each other, which raises granularity but
    # never lowers precision or recall below 1.
    scores = evaluate(cases, cases)
    assert math.isclose(scores.recall, 1)
    assert math.isclose(scores.precision, 1)
    assert math.isclose(scores.micro_recall, 1)
    assert math.isclose(scores.micro_precision, 1)


@given(spans.filter(lambda s: s[1] > s[0]), spans.filter(lambda s: s[1] > s[0]))
def test_single_perfect_self_match_scores_one(s, r):
    case = ann(s[0], s[1], r[0], r[1])
    assert evaluate([case], [case]).plagdet == 1


def _chars(a: Annotation) -> set[tuple[str, str, int]]:
    return {("s", a.susp, i) for i in range(a.susp_start, a.susp_end)} | {
        ("r", a.src, i) for i in range(a.src_start, a.src_end)
    }


def reference_macro_recall(cases, detections) -> float:
    """The paper's formula on explicit character sets (slow, obviously right)."""
    if not cases and not detections:
        return 1.0
    if not cases or not detections:
        return 0.0
    total = 0.0
    for s in cases:
        found: set = set()
        for r in detections:
            if (
                s.susp == r.susp
                and s.src == r.src
                and _chars(s) & _chars(r) & {c for c in _chars(s) if c[0] == "s"}
                and _chars(s) & _chars(r) & {c for c in _chars(s) if c[0] == "r"}
            ):
                found |= _chars(s) & _chars(r)
        total += len(found) / len(_chars(s)) if _chars(s) else 0.0
    return total / len(cases)


@given(st.lists(annotations, max_size=4), st.lists(annotations, max_size=4))
def test_macro_measures_match_character_set_reference(cases, detections):
    assert math.isclose(macro_recall(cases, detections), reference_macro_recall(cases, detections))
    assert math.isclose(
        macro_precision(cases, detections), reference_macro_recall(detections, cases)
    )
