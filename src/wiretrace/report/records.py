"""Plain-dict records of documents, pairs and stories: the shape of every export.

These dicts are what ``--json`` and ``export`` write; ``schema/wiretrace-output.schema.json``
documents them and a test validates real output against it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wiretrace.extract.offsets import OffsetMap
from wiretrace.model import Document, PairVerdict, Story

if TYPE_CHECKING:
    from wiretrace.store import SqliteStore

# Names the version of the output shape; bump with any incompatible change.
SCHEMA_ID = "wiretrace-output/1"


def document_record(doc: Document, *, with_text: bool = True) -> dict:
    """One document as an export record."""
    record = {
        "id": doc.id,
        "version": doc.version,
        "source_path": doc.source_path,
        "title": doc.title,
        "date": doc.date,
        "url": doc.url,
        "source": doc.source,
        "byline": doc.byline,
        "language": doc.language,
        "credits": list(doc.credits),
    }
    if with_text:
        record["text"] = doc.text
        record["removed"] = [
            {"start": r.start, "end": r.end, "kind": str(r.kind), "text": r.text}
            for r in doc.removed
        ]
        record["sentences"] = [{"start": s.start, "end": s.end} for s in doc.sentences]
    return record


def pair_record(verdict: PairVerdict, *, with_sentences: bool = False) -> dict:
    """One pair verdict as an export record, passages included."""
    passages = []
    for p in verdict.passages:
        item = {
            "a_start": p.a.start,
            "a_end": p.a.end,
            "b_start": p.b.start,
            "b_end": p.b.end,
            "kind": str(p.kind),
            "similarity": round(p.similarity, 4),
            "a_source_start": p.a_source.start if p.a_source else p.a.start,
            "a_source_end": p.a_source.end if p.a_source else p.a.end,
            "b_source_start": p.b_source.start if p.b_source else p.b.start,
            "b_source_end": p.b_source.end if p.b_source else p.b.end,
            "num_sentence_pairs": len(p.sentence_pairs),
        }
        if with_sentences:
            item["sentence_pairs"] = [
                {
                    "a_start": sp.a.start,
                    "a_end": sp.a.end,
                    "b_start": sp.b.start,
                    "b_end": sp.b.end,
                    "kind": str(sp.kind),
                    "similarity": round(sp.similarity, 4),
                    "edits": [
                        {
                            "op": e.op,
                            "a_start": e.a_start,
                            "a_end": e.a_end,
                            "b_start": e.b_start,
                            "b_end": e.b_end,
                        }
                        for e in sp.edits
                    ],
                }
                for sp in p.sentence_pairs
            ]
        passages.append(item)
    return {
        "a": verdict.a,
        "b": verdict.b,
        "type": str(verdict.type),
        "coverage_a": round(verdict.coverage_a, 4),
        "coverage_b": round(verdict.coverage_b, 4),
        "direction": str(verdict.direction),
        "credited": verdict.credited,
        "similarity": round(verdict.similarity, 4),
        "reasons": list(verdict.reasons),
        "passages": passages,
    }


def story_record(story: Story) -> dict:
    """One story as an export record."""
    return {
        "id": story.id,
        "documents": list(story.documents),
        "representative": story.representative,
        "duplicate_groups": [list(g) for g in story.duplicate_groups],
    }


def offset_map_of(doc: Document) -> OffsetMap:
    """The clean→original offset map of a stored document."""
    return OffsetMap(doc.kept)


def analysis_record(store: SqliteStore, doc_ids: set[str] | None = None) -> dict:
    """The ``--json`` output: documents, pairs and stories (restricted to ``doc_ids``)."""
    documents = [
        document_record(d, with_text=False)
        for d in store.iter_documents()
        if doc_ids is None or d.id in doc_ids
    ]
    pairs = [
        pair_record(v)
        for v in store.iter_pairs()
        if doc_ids is None or (v.a in doc_ids and v.b in doc_ids)
    ]
    stories = [
        story_record(s)
        for s in store.iter_stories()
        if doc_ids is None or set(s.documents) & doc_ids
    ]
    return {
        "schema": SCHEMA_ID,
        "documents": documents,
        "pairs": pairs,
        "stories": stories,
    }
