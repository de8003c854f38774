"""Plain-dict records of documents, pairs and stories: the shape of every export.

These dicts are what ``--json`` and ``export`` write; ``schema/wiretrace-output.schema.json``
documents them and a test validates real output against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import TYPE_CHECKING

from wiretrace.consolidate import ConsolidateConfig, consolidate_story
from wiretrace.diverge import DivergeConfig, find_divergences
from wiretrace.model import (
    Direction,
    Divergence,
    Document,
    Fact,
    PairReport,
    PairVerdict,
    Passage,
    PassageKind,
    RemovedKind,
    RemovedSpan,
    ReuseType,
    SentencePair,
    Span,
    Story,
    StoryReport,
    TokenEdit,
)

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


def divergence_record(divergence: Divergence) -> dict:
    """One divergence: the two documents, its kind, both spans and texts, and why."""
    return divergence.to_dict()


def fact_record(fact: Fact) -> dict:
    """One fact of a story view: status, text, supporting documents, variants, divergences."""
    return fact.to_dict()


def is_uncredited_reuse(verdict: PairVerdict) -> bool:
    """Reused text (aligned passages) whose known reuser credits no source.

    Where nothing orders the pair (no credit, no date: two undated copies of one article),
    nobody can be said to have reused the other's text without credit.
    """
    known = verdict.direction in (Direction.A_TO_B, Direction.B_TO_A)
    return bool(verdict.passages) and known and not verdict.credited


def pair_record(
    verdict: PairVerdict,
    *,
    with_sentences: bool = False,
    divergences: Sequence[Divergence] | None = None,
) -> dict:
    """One pair verdict as an export record, passages (and divergences, if given) included."""
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
        "uncredited_reuse": is_uncredited_reuse(verdict),
        "reasons": list(verdict.reasons),
        "passages": passages,
        **(
            {"divergences": [divergence_record(d) for d in divergences]}
            if divergences is not None
            else {}
        ),
    }


def story_record(story: Story, facts: Sequence[Fact] | None = None) -> dict:
    """One story as an export record (with its consolidated facts, if given)."""
    record: dict[str, object] = {
        "id": story.id,
        "documents": list(story.documents),
        "representative": story.representative,
        "duplicate_groups": [list(g) for g in story.duplicate_groups],
    }
    if facts is not None:
        record["facts"] = [fact_record(f) for f in facts]
    return record


def story_facts(
    store: SqliteStore, story: Story, config: ConsolidateConfig | None = None
) -> tuple[Fact, ...]:
    """The consolidated facts of a stored story, as the last detection stored them.

    A store written before facts were stored gets them computed from its documents and
    stored verdicts.
    """
    stored = store.story_facts(story.id)
    if stored is not None:
        return stored[1]
    documents = store.get_documents(story.documents)
    return consolidate_story(story, documents, store.pairs_among(story.documents), config)


def pair_divergences(
    store: SqliteStore, verdict: PairVerdict, config: DivergeConfig | None = None
) -> tuple[Divergence, ...]:
    """The divergences of a stored pair, as its detection stored them.

    A pair stored before divergences were gets them computed from its documents and
    stored passages.
    """
    stored = store.pair_divergences(verdict.a, verdict.b)
    if stored is not None:
        return stored
    documents = store.get_documents([verdict.a, verdict.b])
    return find_divergences(documents[verdict.a], documents[verdict.b], verdict, config)


def pair_report(verdict: PairVerdict, divergences: Sequence[Divergence]) -> PairReport:
    """``verdict`` with its divergences."""
    values = {f.name: getattr(verdict, f.name) for f in fields(PairVerdict)}
    return PairReport(**values, divergences=tuple(divergences))


def story_report(story: Story, facts: Sequence[Fact]) -> StoryReport:
    """``story`` with its consolidated facts."""
    values = {f.name: getattr(story, f.name) for f in fields(Story)}
    return StoryReport(**values, facts=tuple(facts))


def read_pair_reports(
    store: SqliteStore, doc_ids: set[str] | None = None, config: DivergeConfig | None = None
) -> list[PairReport]:
    """Every stored pair (both of whose documents are in ``doc_ids``) with its divergences."""
    return [
        pair_report(v, pair_divergences(store, v, config))
        for v in store.iter_pairs()
        if doc_ids is None or (v.a in doc_ids and v.b in doc_ids)
    ]


def read_story_reports(
    store: SqliteStore, doc_ids: set[str] | None = None, config: ConsolidateConfig | None = None
) -> list[StoryReport]:
    """Every stored story (that holds one of ``doc_ids``) with its consolidated facts."""
    return [
        story_report(s, story_facts(store, s, config))
        for s in store.iter_stories()
        if doc_ids is None or set(s.documents) & doc_ids
    ]


def analysis_dict(
    documents: Sequence[Document], pairs: Sequence[PairReport], stories: Sequence[StoryReport]
) -> dict:
    """The ``--json`` output of documents (without texts), pairs and stories."""
    return {
        "schema": SCHEMA_ID,
        "documents": [document_record(d, with_text=False) for d in documents],
        "pairs": [pair_record(p, divergences=p.divergences) for p in pairs],
        "stories": [story_record(s, s.facts) for s in stories],
    }


def analysis_record(
    store: SqliteStore,
    doc_ids: set[str] | None = None,
    *,
    story_config: ConsolidateConfig | None = None,
) -> dict:
    """The ``--json`` output: documents, pairs and stories (restricted to ``doc_ids``).

    Pairs carry their divergences and stories their consolidated facts, both computed
    from the stored documents and verdicts (divergences with ``story_config.diverge``).
    """
    documents = [d for d in store.iter_documents() if doc_ids is None or d.id in doc_ids]
    diverge = story_config.diverge if story_config is not None else None
    return analysis_dict(
        documents,
        read_pair_reports(store, doc_ids, diverge),
        read_story_reports(store, doc_ids, story_config),
    )


def document_from_record(record: dict) -> Document:
    """Rebuild a document from its export record (with text, original and ``kept``)."""
    return Document(
        id=record["id"],
        version=record.get("version") or 1,
        content_hash=record.get("content_hash") or "",
        source_path=record.get("source_path") or "",
        title=record.get("title"),
        date=record.get("date"),
        url=record.get("url"),
        source=record.get("source"),
        byline=record.get("byline"),
        language=record.get("language") or "und",
        credits=tuple(record.get("credits") or ()),
        text=record["text"],
        original=record.get("original") or record["text"],
        removed=tuple(
            RemovedSpan(r["start"], r["end"], RemovedKind(r["kind"]), r["text"])
            for r in record.get("removed") or ()
        ),
        kept=tuple((k[0], k[1], k[2]) for k in record.get("kept") or ()),
        sentences=tuple(Span(s["start"], s["end"]) for s in record.get("sentences") or ()),
    )


def _optional_span(start: int, end: int, plain: Span) -> Span | None:
    """The source span of a passage, or ``None`` where the record repeats the clean span."""
    span = Span(start, end)
    return None if span == plain else span


def verdict_from_record(record: dict) -> PairVerdict:
    """Rebuild a verdict from its export record (sentence pairs included when present)."""
    passages = []
    for p in record.get("passages") or ():
        a, b = Span(p["a_start"], p["a_end"]), Span(p["b_start"], p["b_end"])
        sentence_pairs = tuple(
            SentencePair(
                a=Span(sp["a_start"], sp["a_end"]),
                b=Span(sp["b_start"], sp["b_end"]),
                similarity=sp["similarity"],
                kind=PassageKind(sp["kind"]),
                edits=tuple(
                    TokenEdit(e["op"], e["a_start"], e["a_end"], e["b_start"], e["b_end"])
                    for e in sp.get("edits") or ()
                ),
            )
            for sp in p.get("sentence_pairs") or ()
        )
        passages.append(
            Passage(
                a=a,
                b=b,
                kind=PassageKind(p["kind"]),
                similarity=p["similarity"],
                sentence_pairs=sentence_pairs,
                a_source=_optional_span(p["a_source_start"], p["a_source_end"], a),
                b_source=_optional_span(p["b_source_start"], p["b_source_end"], b),
            )
        )
    return PairVerdict(
        a=record["a"],
        b=record["b"],
        type=ReuseType(record["type"]),
        coverage_a=record["coverage_a"],
        coverage_b=record["coverage_b"],
        direction=Direction(record["direction"]),
        credited=bool(record["credited"]),
        similarity=record["similarity"],
        passages=tuple(passages),
        reasons=tuple(record.get("reasons") or ()),
    )


def story_from_record(record: dict) -> Story:
    """Rebuild a story from its export record."""
    return Story(
        id=record["id"],
        documents=tuple(record["documents"]),
        representative=record["representative"],
        duplicate_groups=tuple(tuple(g) for g in record.get("duplicate_groups") or ()),
    )
