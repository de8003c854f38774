"""Stage 6, align: sentence-to-sentence alignment (reordering allowed) merged into passages."""

from wiretrace.align.passages import AlignConfig, align_documents
from wiretrace.align.sentences import SentenceView, sentence_view

__all__ = ["AlignConfig", "SentenceView", "align_documents", "sentence_view"]
