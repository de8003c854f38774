"""PAN character-level measures of passage alignment (Potthast et al. 2010).

"An Evaluation Framework for Plagiarism Detection" (COLING 2010) scores detections
against reuse cases on characters, not on counts of passages:

* a case ``s`` and a detection ``r`` are each a pair of character ranges, one in the
  suspicious (reusing) document and one in the source document;
* ``r`` *detects* ``s`` when both name the same two documents and their ranges overlap
  in the suspicious document *and* in the source document;
* ``s ⊓ r`` is the set of characters they share (both sides) if ``r`` detects ``s``,
  else nothing;
* macro recall = mean over cases of ``|∪_r (s ⊓ r)| / |s|``; macro precision = mean over
  detections of ``|∪_s (s ⊓ r)| / |r|``;
* granularity = mean number of detections per *detected* case (1 is perfect; a case
  found as two pieces counts 2);
* PlagDet = F1(precision, recall) / log2(1 + granularity).

Edge cases follow the measures script PAN published with the paper
(``pan09-plagiarism-detection-performance-measures.py``): with no cases and no
detections precision and recall are 1; with only one of them empty both are 0;
granularity without a detected case is 1; PlagDet is 0 when precision and recall are 0.

The micro-averaged variants pool characters over all cases instead of averaging per
case: micro recall = ``|∪_s ∪_r (s ⊓ r)| / |∪_s s|``, micro precision the same over
detections. The planted-copy benchmark reports them, since its cases differ in length
by two orders of magnitude.

Spans are half-open ``[start, end)`` offsets into the original texts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Annotation:
    """One reuse case or one detection: a range in the suspicious and in the source text."""

    susp: str
    susp_start: int
    susp_end: int
    src: str
    src_start: int
    src_end: int

    def __post_init__(self) -> None:
        if not (0 <= self.susp_start <= self.susp_end and 0 <= self.src_start <= self.src_end):
            raise ValueError(
                f"an annotation needs 0 <= start <= end on both sides, got "
                f"susp [{self.susp_start}, {self.susp_end}) src [{self.src_start}, {self.src_end})"
            )

    @property
    def length(self) -> int:
        """Characters covered on both sides together (``|s|`` in the paper)."""
        return (self.susp_end - self.susp_start) + (self.src_end - self.src_start)


@dataclass(frozen=True, slots=True)
class PanScores:
    """Macro (the PAN standard) and micro precision/recall, granularity and PlagDet."""

    precision: float
    recall: float
    granularity: float
    plagdet: float
    micro_precision: float
    micro_recall: float
    micro_plagdet: float
    num_cases: int
    num_detections: int
    num_detected_cases: int


def detects(case: Annotation, detection: Annotation) -> bool:
    """Whether ``detection`` detects ``case``: same documents, overlap on both sides."""
    # Shared characters on both sides: an empty range detects nothing, even inside a case.
    return (
        case.susp == detection.susp
        and case.src == detection.src
        and max(case.susp_start, detection.susp_start) < min(case.susp_end, detection.susp_end)
        and max(case.src_start, detection.src_start) < min(case.src_end, detection.src_end)
    )


def _covered(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> int:
    """Characters of ``[start, end)`` covered by the union of ``ranges``."""
    clipped = sorted((max(s, start), min(e, end)) for s, e in ranges if s < end and e > start)
    total = 0
    cursor = start
    for s, e in clipped:
        s = max(s, cursor)
        if e > s:
            total += e - s
            cursor = e
    return total


def _overlap_chars(ann: Annotation, others: Sequence[Annotation]) -> int:
    """``|∪_o (ann ⊓ o)|`` over the annotations ``others`` that overlap ``ann``."""
    return _covered(ann.susp_start, ann.susp_end, [(o.susp_start, o.susp_end) for o in others]) + (
        _covered(ann.src_start, ann.src_end, [(o.src_start, o.src_end) for o in others])
    )


def _by_pair(annotations: Iterable[Annotation]) -> dict[tuple[str, str], list[Annotation]]:
    groups: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    for ann in annotations:
        groups[(ann.susp, ann.src)].append(ann)
    return groups


def _matches(
    annotations: Sequence[Annotation], references: Sequence[Annotation]
) -> list[list[Annotation]]:
    """For each annotation, the references it overlaps in the sense of :func:`detects`."""
    index = _by_pair(references)
    return [[r for r in index.get((a.susp, a.src), ()) if detects(a, r)] for a in annotations]


def macro_recall(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Mean over cases of the share of the case's characters that detections cover."""
    if not cases and not detections:
        return 1.0
    if not cases or not detections:
        return 0.0
    total = 0.0
    for case, hits in zip(cases, _matches(cases, detections), strict=True):
        if hits and case.length:
            total += _overlap_chars(case, hits) / case.length
    return total / len(cases)


def macro_precision(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Mean over detections of the share of the detection's characters inside cases."""
    # The paper's definition is recall with the roles of cases and detections swapped.
    return macro_recall(detections, cases)


def _micro(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Pooled characters of ``cases`` covered by detections that detect them."""
    if not cases and not detections:
        return 1.0
    if not cases or not detections:
        return 0.0
    # Characters are identified by (document, side, offset): overlapping cases in one
    # document count once, as in PAN's micro-averaged script.
    covered: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    whole: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for case, hits in zip(cases, _matches(cases, detections), strict=True):
        whole[("susp", case.susp)].append((case.susp_start, case.susp_end))
        whole[("src", case.src)].append((case.src_start, case.src_end))
        for r in hits:
            covered[("susp", case.susp)].append(
                (max(case.susp_start, r.susp_start), min(case.susp_end, r.susp_end))
            )
            covered[("src", case.src)].append(
                (max(case.src_start, r.src_start), min(case.src_end, r.src_end))
            )
    total = sum(_union_length(ranges) for ranges in whole.values())
    if total == 0:
        return 0.0
    return sum(_union_length(ranges) for ranges in covered.values()) / total


def _union_length(ranges: Iterable[tuple[int, int]]) -> int:
    total = 0
    cursor = -1
    for s, e in sorted(ranges):
        s = max(s, cursor)
        if e > s:
            total += e - s
            cursor = e
    return total


def micro_recall(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Share of all case characters (pooled) covered by detections that detect their case."""
    return _micro(cases, detections)


def micro_precision(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Share of all detected characters (pooled) that lie inside a case they detect."""
    return _micro(detections, cases)


def granularity(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Mean number of detections per detected case; 1 when no case is detected."""
    counts = [len(hits) for hits in _matches(cases, detections) if hits]
    if not counts:
        return 1.0
    return sum(counts) / len(counts)


def f1(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall (0 when both are 0)."""
    if precision <= 0 and recall <= 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def plagdet(precision: float, recall: float, gran: float) -> float:
    """PlagDet = F1 / log2(1 + granularity); 0 when precision and recall are 0."""
    if (precision == 0 and recall == 0) or precision < 0 or recall < 0 or gran < 1:
        return 0.0
    return f1(precision, recall) / math.log2(1 + gran)


def evaluate(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> PanScores:
    """Every PAN measure of ``detections`` against ``cases``."""
    cases, detections = list(cases), list(detections)
    precision = macro_precision(cases, detections)
    recall = macro_recall(cases, detections)
    gran = granularity(cases, detections)
    micro_p = micro_precision(cases, detections)
    micro_r = micro_recall(cases, detections)
    return PanScores(
        precision=precision,
        recall=recall,
        granularity=gran,
        plagdet=plagdet(precision, recall, gran),
        micro_precision=micro_p,
        micro_recall=micro_r,
        micro_plagdet=plagdet(micro_p, micro_r, gran),
        num_cases=len(cases),
        num_detections=len(detections),
        num_detected_cases=sum(1 for hits in _matches(cases, detections) if hits),
    )
