"""Stage 5, candidates: which document pairs deserve alignment, never all pairs.

Two inverted indexes over the fingerprints, each with a document-frequency cap so that
boilerplate and hub phrases cannot explode the pair count:

* winnowed word-5-shingles: any shared run of 8 words between two articles (a reused
  sentence inside otherwise different text, a trimmed or heavily edited copy) makes them
  share a fingerprint. Near-duplicates share most of them, so this also covers what a
  document-level MinHash-LSH would find, without its blind spot for partial reuse.
* typed anchors (rare names, numbers, quotes): articles about one event that share no
  wording still share its facts; these pairs become candidates for ``related``.
"""

from wiretrace.candidates.index import CandidateConfig, CorpusIndex, find_candidates

__all__ = ["CandidateConfig", "CorpusIndex", "find_candidates"]
