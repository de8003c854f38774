"""Map offsets of a clean text back to the original it was cut from."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence


class OffsetMap:
    """Clean text = concatenation of kept stretches of the original.

    ``kept`` holds ``(clean_start, original_start, length)`` triples, sorted and
    non-overlapping; this is all that is needed to map in both directions.
    """

    __slots__ = ("_clean_starts", "kept")

    def __init__(self, kept: Sequence[tuple[int, int, int]]) -> None:
        self.kept = tuple(kept)
        self._clean_starts = [k[0] for k in self.kept]

    @classmethod
    def from_kept_ranges(cls, ranges: Sequence[tuple[int, int]]) -> OffsetMap:
        """Build from the original ``[start, end)`` ranges kept, in order."""
        kept = []
        clean = 0
        for start, end in ranges:
            if end > start:
                kept.append((clean, start, end - start))
                clean += end - start
        return cls(kept)

    def to_original(self, offset: int, *, is_end: bool = False) -> int:
        """The original offset of a clean offset.

        An end offset that falls on a seam between two kept stretches maps to the end of
        the earlier stretch, so a span never swallows removed text at its end.
        """
        if not self.kept:
            return offset
        probe = offset - 1 if is_end and offset > 0 else offset
        i = max(bisect_right(self._clean_starts, probe) - 1, 0)
        clean_start, original_start, length = self.kept[i]
        return original_start + min(max(offset - clean_start, 0), length)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean ``[start, end)`` span to the original text."""
        if end <= start:
            point = self.to_original(start)
            return point, point
        return self.to_original(start), self.to_original(end, is_end=True)
