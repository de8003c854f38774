"""Test pairs built from sentences, aligned and judged as the pipeline would."""

from __future__ import annotations

from dataclasses import replace

from wiretrace.align import align_documents, sentence_view
from wiretrace.diverge import find_divergences
from wiretrace.extract.document import build_document
from wiretrace.model import Direction, Divergence, Document, PairVerdict, RawRecord, ReuseType

# A sentence both versions share word for word, so every test pair has a passage. It
# names places and figures, as two versions of one story share them: divergences are only
# looked for between versions of one text (wiretrace.diverge.versions).
SHARED = (
    "The Veldran harbour board met in the old customs hall in Port Callow to discuss the "
    "new ferry timetable for Skarra, Lundholm and Osterby, whose 4,200 islanders rely on "
    "the 1962 ferry Ingrid."
)


def doc(doc_id: str, *sentences: str) -> Document:
    text = "\n\n".join(sentences) + "\n"
    return build_document(RawRecord(unit=f"{doc_id}.txt", source_path="", text=text), doc_id)


def verdict_of(a: Document, b: Document) -> PairVerdict:
    passages = align_documents(sentence_view(a), sentence_view(b))
    return PairVerdict(
        a=a.id,
        b=b.id,
        type=ReuseType.EDITED,
        coverage_a=1.0,
        coverage_b=1.0,
        direction=Direction.UNKNOWN,
        credited=True,
        similarity=1.0,
        passages=passages,
    )


def divergences(first: str, second: str) -> tuple[Divergence, ...]:
    a, b = doc("a", SHARED, first), doc("b", SHARED, second)
    return find_divergences(a, b, verdict_of(a, b))


def kinds(first: str, second: str) -> list[str]:
    return [str(d.kind) for d in divergences(first, second)]


def typed(a: Document, b: Document, reuse: ReuseType) -> PairVerdict:
    return replace(verdict_of(a, b), type=reuse)
