"""Stage 2, extract: HTML to article text, plain text to clean text, credits and bylines.

Cleaning only ever deletes stretches of the original, so every clean offset maps back to
the original exactly (:class:`~wiretrace.extract.offsets.OffsetMap`).
"""

from wiretrace.extract.clean import CleanText, clean_text
from wiretrace.extract.offsets import OffsetMap

__all__ = ["CleanText", "OffsetMap", "clean_text"]
