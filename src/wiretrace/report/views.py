"""What each page of the web UI and the HTML report shows, as plain records.

Every function here returns the JSON twin of one page: the web server sends it as-is for
``/api/...`` and hands it to a template for the HTML page; the static report renders the
same records. Documents, pairs and stories use the export records of
:mod:`wiretrace.report.records`, so the API matches the ``--json`` schema.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from wiretrace.dates import parse_date
from wiretrace.model import (
    Direction,
    Document,
    PairVerdict,
    Passage,
    ReuseType,
    SentencePair,
    Story,
    TokenEdit,
)
from wiretrace.report.records import SCHEMA_ID
from wiretrace.store.derived import pair_divergences, story_facts

if TYPE_CHECKING:
    from wiretrace.store import SqliteStore

# Verdict types from strongest reuse to weakest: breaks ties of the dominant type.
TYPE_ORDER = tuple(ReuseType)
# Stories listed on one page of the stories list at most (the API takes ``limit``).
MAX_STORIES = 500
# Documents drawn in one story graph at most: past this a timeline picture is unreadable.
MAX_GRAPH_NODES = 60
# Geometry of the story graph (SVG user units): documents sit on a timeline, left to
# right by date, and each pair is an arc above it whose height grows with its length.
GRAPH_STEP_X = 130
GRAPH_MIN_WIDTH = 1100
GRAPH_MARGIN_X = 90
GRAPH_AXIS_Y = 190
GRAPH_ARC_RISE = 38
GRAPH_MAX_RISE = 170
GRAPH_LABEL_STAGGER = 34
GRAPH_HEIGHT = 290


def _date_key(date: str | None, doc_id: str) -> tuple[int, datetime, str]:
    """Sort key: dated documents first, by moment, then by id."""
    parsed = parse_date(date)
    if parsed is None:
        return (1, datetime.min, doc_id)
    return (0, parsed.moment.replace(tzinfo=None), doc_id)


def dominant_type(verdicts: Iterable[PairVerdict]) -> str | None:
    """The most frequent reuse type among ``verdicts`` (stronger type wins a tie)."""
    counts = Counter(v.type for v in verdicts)
    if not counts:
        return None
    return str(max(counts, key=lambda t: (counts[t], -TYPE_ORDER.index(t))))


def story_summary(story: Story, docs: dict[str, dict], verdicts: Sequence[PairVerdict]) -> dict:
    """One row of the stories list: size, sources, first/last date and dominant reuse type.

    Args:
        story: the story.
        docs: document summaries (``SqliteStore.document_summaries`` rows) by id.
        verdicts: the verdicts of pairs inside the story.
    """
    members = [docs[d] for d in story.documents if d in docs]
    dated = sorted(
        (m for m in members if parse_date(m["date"]) is not None),
        key=lambda m: _date_key(m["date"], m["id"]),
    )
    representative = docs.get(story.representative, {})
    return {
        **story.to_dict(),
        "size": len(story.documents),
        "title": representative.get("title"),
        "sources": sorted({m["source"] for m in members if m["source"]}),
        "languages": sorted({m["language"] for m in members}),
        "first_date": dated[0]["date"] if dated else None,
        "last_date": dated[-1]["date"] if dated else None,
        "dominant_type": dominant_type(verdicts),
        "type_counts": dict(sorted(Counter(str(v.type) for v in verdicts).items())),
        "num_pairs": len(verdicts),
    }


def _verdicts_by_story(store: SqliteStore, stories: Sequence[Story]) -> dict[str, list]:
    story_of = {d: s.id for s in stories for d in s.documents}
    out: dict[str, list[PairVerdict]] = {s.id: [] for s in stories}
    for verdict in store.iter_pairs(with_passages=False):
        story_id = story_of.get(verdict.a)
        if story_id is not None and story_of.get(verdict.b) == story_id:
            out[story_id].append(verdict)
    return out


def stories_view(store: SqliteStore, query: str = "", limit: int = MAX_STORIES) -> dict:
    """The stories list, optionally narrowed to stories with an article matching ``query``.

    ``matches`` lists the matching articles themselves (also those in no story).
    """
    stories = store.iter_stories()
    docs = {d["id"]: d for d in store.document_summaries()}
    matches: list[dict] = []
    if query.strip():
        hits = store.search_documents(query)
        hit_set = set(hits)
        stories = [s for s in stories if hit_set & set(s.documents)]
        story_of = {d: s.id for s in store.iter_stories() for d in s.documents}
        matches = [
            {
                "id": d,
                "title": docs[d]["title"],
                "source": docs[d]["source"],
                "date": docs[d]["date"],
                "story": story_of.get(d),
            }
            for d in hits
            if d in docs
        ]
    shown = stories[:limit]
    verdicts = _verdicts_by_story(store, shown)
    return {
        "schema": SCHEMA_ID,
        "query": query,
        "num_documents": len(docs),
        "num_stories": len(stories),
        "stories": [story_summary(s, docs, verdicts[s.id]) for s in shown],
        "matches": matches,
    }


def _arrow(verdict: PairVerdict) -> tuple[str, str, bool]:
    """``(from, to, directed)`` of the edge drawn for one verdict."""
    if verdict.direction == Direction.A_TO_B:
        return verdict.a, verdict.b, True
    if verdict.direction == Direction.B_TO_A:
        return verdict.b, verdict.a, True
    return verdict.a, verdict.b, False


def story_graph(documents: Sequence[dict], verdicts: Sequence[PairVerdict]) -> dict:
    """Layout of the story picture: documents on a dated timeline, reuse as arcs.

    Documents are placed left to right by date; an arc from the earlier to the later
    carries an arrow where the direction is known (dashed where it is not).
    """
    ordered = sorted(documents, key=lambda d: _date_key(d["date"], d["id"]))[:MAX_GRAPH_NODES]
    # A small story is spread over the minimum width, so the picture keeps its scale.
    step = max(GRAPH_STEP_X, (GRAPH_MIN_WIDTH - 2 * GRAPH_MARGIN_X) // max(1, len(ordered) - 1))
    x_of = {d["id"]: GRAPH_MARGIN_X + i * step for i, d in enumerate(ordered)}
    nodes = [
        {
            "id": d["id"],
            "x": x_of[d["id"]],
            "y": GRAPH_AXIS_Y,
            "label": d["source"] or d["id"],
            "date": (d["date"] or "")[:10],
            # Alternate label rows so neighbouring labels do not overlap.
            "label_y": GRAPH_AXIS_Y + 30 + (i % 2) * GRAPH_LABEL_STAGGER,
        }
        for i, d in enumerate(ordered)
    ]
    # Only textual reuse is drawn (``related`` pairs share no text), and a common-source
    # edge between two articles that both take from one drawn source adds nothing the
    # picture does not show already: leaving them out keeps a wire story readable.
    reuse = [v for v in verdicts if v.type != ReuseType.RELATED]
    sources_of: dict[str, set[str]] = {}
    for verdict in reuse:
        start, end, directed = _arrow(verdict)
        if directed:
            sources_of.setdefault(end, set()).add(start)
    edges = []
    for verdict in reuse:
        start, end, directed = _arrow(verdict)
        if start not in x_of or end not in x_of:
            continue
        if not directed and sources_of.get(start, set()) & sources_of.get(end, set()):
            continue
        x1, x2 = x_of[start], x_of[end]
        rise = min(GRAPH_MAX_RISE, GRAPH_ARC_RISE * max(1, abs(x2 - x1) // step))
        edges.append(
            {
                "from": start,
                "to": end,
                "type": str(verdict.type),
                "direction": str(verdict.direction),
                "credited": verdict.credited,
                "directed": directed,
                "path": f"M{x1},{GRAPH_AXIS_Y - 14} Q{(x1 + x2) // 2},"
                f"{GRAPH_AXIS_Y - 14 - 2 * rise} {x2},{GRAPH_AXIS_Y - 14}",
            }
        )
    width = GRAPH_MARGIN_X * 2 + max(0, len(ordered) - 1) * step
    return {
        "width": width,
        "height": GRAPH_HEIGHT,
        "num_hidden_edges": len(verdicts) - len(edges),
        "nodes": nodes,
        "edges": edges,
        "truncated": len(documents) > len(ordered),
    }


def story_view(store: SqliteStore, story_id: str) -> dict:
    """One story (with its consolidated facts), members in date order, graph and pairs."""
    story = store.get_story(story_id)
    documents = store.get_documents(story.documents)
    members = set(story.documents)
    verdicts = store.pairs_among(story.documents)
    summaries = {d["id"]: d for d in store.document_summaries() if d["id"] in members}
    records = sorted(
        (documents[d].to_dict(with_text=False) for d in story.documents),
        key=lambda r: _date_key(r["date"], r["id"]),
    )
    facts = story_facts(store, story)
    return {
        "schema": SCHEMA_ID,
        "story": {**story_summary(story, summaries, verdicts), **story.to_dict(facts)},
        "documents": records,
        "pairs": [v.to_dict() for v in verdicts],
        "graph": story_graph(records, verdicts),
    }


_FLIPPED_DIRECTION = {
    Direction.A_TO_B: Direction.B_TO_A,
    Direction.B_TO_A: Direction.A_TO_B,
    Direction.COMMON_SOURCE: Direction.COMMON_SOURCE,
    Direction.UNKNOWN: Direction.UNKNOWN,
}


def flip_verdict(verdict: PairVerdict) -> PairVerdict:
    """The same verdict with sides A and B swapped (spans, coverage, direction, edits)."""
    passages = tuple(
        Passage(
            a=p.b,
            b=p.a,
            kind=p.kind,
            similarity=p.similarity,
            sentence_pairs=tuple(
                SentencePair(
                    a=sp.b,
                    b=sp.a,
                    similarity=sp.similarity,
                    kind=sp.kind,
                    edits=tuple(
                        TokenEdit(e.op, e.b_start, e.b_end, e.a_start, e.a_end) for e in sp.edits
                    ),
                )
                for sp in p.sentence_pairs
            ),
            a_source=p.b_source,
            b_source=p.a_source,
        )
        for p in verdict.passages
    )
    return replace(
        verdict,
        a=verdict.b,
        b=verdict.a,
        coverage_a=verdict.coverage_b,
        coverage_b=verdict.coverage_a,
        direction=_FLIPPED_DIRECTION[verdict.direction],
        passages=passages,
    )


def compare_view(store: SqliteStore, doc_a: str, doc_b: str) -> dict:
    """Two articles, the verdict of their pair and its divergences, A and B as asked.

    ``pair`` is ``None`` when the two are not a related pair; its ``divergences`` say what
    the reuse changed.
    """
    a, b = store.get_document(doc_a), store.get_document(doc_b)
    verdict = store.get_pair(doc_a, doc_b)
    pair = None
    if verdict is not None:
        divergences = pair_divergences(store, verdict)
        if verdict.a != a.id:
            verdict = flip_verdict(verdict)
            divergences = tuple(d.flipped() for d in divergences)
        pair = verdict.to_dict(with_sentences=True, divergences=divergences)
    return {"schema": SCHEMA_ID, "a": a.to_dict(), "b": b.to_dict(), "pair": pair}


def document_view(store: SqliteStore, doc_id: str) -> dict:
    """One article: metadata, clean text, original with removed stretches, its pairs."""
    doc = store.get_document(doc_id)
    return {
        "schema": SCHEMA_ID,
        "document": {**doc.to_dict(), "original": doc.original},
        "story": store.story_of(doc_id),
        "pairs": [v.to_dict() for v in store.iter_pairs(doc_id, with_passages=False)],
    }


def trace_view(store: SqliteStore, doc: Document, verdicts: Sequence[PairVerdict]) -> dict:
    """What an unindexed article reuses: its matches, best first, with their titles."""
    others = [v.b if v.a == doc.id else v.a for v in verdicts]
    titles = {d["id"]: d for d in store.document_summaries()}
    return {
        "schema": SCHEMA_ID,
        "document": doc.to_dict(with_text=False),
        "matches": [
            {
                **v.to_dict(),
                "other": other,
                "other_title": titles.get(other, {}).get("title"),
                "other_source": titles.get(other, {}).get("source"),
            }
            for v, other in zip(verdicts, others, strict=True)
        ],
    }


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text with the marks that cover it (for highlighting).

    ``passage`` is the 1-based number of the aligned passage covering it (0: none);
    ``divergences`` the indices of the divergences covering it; ``removed`` the kind of
    a removed stretch (document view), or ``""``.
    """

    text: str
    passage: int = 0
    kind: str = ""
    divergences: tuple[int, ...] = ()
    removed: str = ""
    edited: bool = False


def segment_text(
    text: str,
    passages: Sequence[tuple[int, int, str]] = (),
    divergences: Sequence[tuple[int, int]] = (),
    removed: Sequence[tuple[int, int, str]] = (),
    edits: Sequence[tuple[int, int]] = (),
) -> list[Segment]:
    """Cut ``text`` at every mark boundary; each piece knows which marks cover it.

    Args:
        text: the text to cut.
        passages: ``(start, end, kind)`` of aligned stretches (numbered from 1 in order).
        divergences: ``(start, end)`` of divergences (numbered from 0 in order).
        removed: ``(start, end, kind)`` of removed stretches.
        edits: ``(start, end)`` of words changed inside aligned sentences.
    """
    n = len(text)
    bounds = {0, n}
    edges = [(int(m[0]), int(m[1])) for m in (*passages, *divergences, *removed, *edits)]
    for start, end in edges:
        bounds.update((min(max(start, 0), n), min(max(end, 0), n)))
    cuts = sorted(bounds)
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start == end:
            continue
        passage, kind = 0, ""
        for number, (p_start, p_end, p_kind) in enumerate(passages, 1):
            if p_start <= start and end <= p_end:
                passage, kind = number, p_kind
                break
        covering = tuple(
            i for i, (d_start, d_end) in enumerate(divergences) if d_start <= start and end <= d_end
        )
        why = next((k for r_start, r_end, k in removed if r_start <= start and end <= r_end), "")
        edited = any(e_start <= start and end <= e_end for e_start, e_end in edits)
        segments.append(Segment(text[start:end], passage, kind, covering, why, edited))
    return segments
