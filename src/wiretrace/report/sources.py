"""The outlet-level picture: who originates stories, who reuses whom, and who credits.

An *outlet* is a document's ``source`` (names that differ only in case or spacing are one
outlet), else the domain of its ``url``, else ``"unknown"``. Every related pair with
reused text (any type but ``related``) is read from the outlets' side:

- **reuse**: the pair's direction names an origin and the two documents are of different
  outlets: text flowed from the origin's outlet into the other's. It counts for the
  reusing outlet (credited or not, characters reused, divergences its copy introduced)
  and as an edge of the who-reuses-whom graph.
- **shared**: two outlets share text but nothing says which way it flowed (direction
  ``common-source`` or ``unknown``): counted for both, never drawn as an edge.
- **internal**: both documents are of one outlet (a wire story re-sent, a site's two
  versions of one article): counted apart, never an edge.

An outlet's reuse is counted per article: an article that took one text from several
copies of it (the wire story and its republications) is one reusing article, and its
characters and the changes it made count once. Edges count pairs.

A story is *originated* by the outlet of its origin: its earliest-dated document (a tie
goes to the one nothing in the story took text into, then to the story's representative);
a story without dates takes the document its reuse pairs name as the source most often.

:func:`sources_view` and :func:`source_view` build the JSON twins of the sources pages
(``/api/sources``, ``/api/sources/{name}``); the CLI, the web UI and the static report
all render these records.
"""

from __future__ import annotations

import colorsys
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from wiretrace.dates import parse_date
from wiretrace.errors import NotFoundError
from wiretrace.model import Divergence, PairVerdict, ReuseType, Story
from wiretrace.report.records import SCHEMA_ID
from wiretrace.store.derived import pair_divergences

if TYPE_CHECKING:
    from wiretrace.store import SqliteStore

# A host name worth naming an outlet by: dotted labels (``not a url`` parses as a host).
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+")
# The outlet of a document that names no source and has no URL.
UNKNOWN_OUTLET = "unknown"
# Pair types whose documents share text (``related`` pairs share a story, not wording).
REUSE_TYPES = frozenset(t for t in ReuseType if t != ReuseType.RELATED)
# How a pair reads from one outlet's side (the ``role`` of a row of an outlet's page), in
# the order the page lists them.
ROLE_REUSED = "reused"  # this outlet's article took the other outlet's text
ROLE_REUSED_BY = "reused_by"  # another outlet's article took this outlet's text
ROLE_SHARED = "shared"  # the two outlets share text, direction unknown
ROLE_INTERNAL = "internal"  # both articles are this outlet's
ROLES = (ROLE_REUSED, ROLE_REUSED_BY, ROLE_SHARED, ROLE_INTERNAL)
# Documents whose URL is read per query (SQLite's host-parameter limit is 999 in old builds).
URL_CHUNK = 500
SECONDS_PER_DAY = 86_400

# Geometry of the who-reuses-whom picture (SVG user units): origin outlets in a column on
# the left, reusing outlets in a column on the right, one curve per pair of outlets.
MAX_GRAPH_OUTLETS = 40  # per column; past this the labels no longer fit a screen
GRAPH_WIDTH = 1100
GRAPH_LEFT_X = 300
GRAPH_RIGHT_X = 800
GRAPH_TOP = 52
GRAPH_ROW = 34
GRAPH_BOTTOM = 24
GRAPH_NODE_R = 7
GRAPH_MIN_STROKE = 1.5
GRAPH_MAX_STROKE = 10.0
# Credit-rate colours: hue 0 (red, never credited) to 120 (green, always credited), at a
# lightness dark enough for a thin line on white.
CREDIT_HUE_NONE, CREDIT_HUE_ALL = 0.0, 120.0
CREDIT_LIGHTNESS, CREDIT_SATURATION = 0.40, 0.65
SCALE_STEPS = 5


def outlet_name(source: str | None, url: str | None) -> str:
    """The outlet a document is from: its source, else its URL's domain, else unknown.

    The domain drops a ``www.`` prefix and any port (``https://www.example.org:8080/a``
    → ``example.org``).
    """
    name = " ".join((source or "").split())
    if name:
        return name
    if url and url.strip():
        text = url.strip()
        try:
            host = urlsplit(text if "://" in text else "//" + text).hostname
        except ValueError:
            host = None
        if host and _HOST.fullmatch(host):
            return host.removeprefix("www.")
    return UNKNOWN_OUTLET


def outlet_key(name: str) -> str:
    """What the spellings of one outlet share: ``Reuters``, ``REUTERS``, `` reuters``."""
    return " ".join(name.split()).casefold()


Stretch = tuple[int, int]


def covered_chars(stretches: Iterable[Stretch]) -> int:
    """Characters inside the union of half-open ``(start, end)`` stretches."""
    total, reach = 0, 0
    for start, end in sorted(stretches):
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total


@dataclass(frozen=True, slots=True)
class Change:
    """A divergence of a pair, reduced to what tells it apart: kind and where on each side."""

    kind: str
    a: Stretch | None
    b: Stretch | None


@dataclass(frozen=True, slots=True)
class Flow:
    """One related pair with reused text, seen from the outlets of its two documents.

    ``passages_a``/``passages_b`` are the stretches of each side's aligned passages;
    ``changes`` the pair's divergences (sides as the verdict's).
    """

    verdict: PairVerdict
    outlet_a: str
    outlet_b: str
    passages_a: tuple[Stretch, ...]
    passages_b: tuple[Stretch, ...]
    changes: tuple[Change, ...]

    @property
    def internal(self) -> bool:
        """Whether both documents are of one outlet."""
        return self.outlet_a == self.outlet_b

    @property
    def origin(self) -> str | None:
        """The document the text flowed from (``None``: no known direction)."""
        return self.verdict.origin

    @property
    def reuser(self) -> str | None:
        """The document the text flowed into (``None``: no known direction)."""
        origin = self.verdict.origin
        if origin is None:
            return None
        return self.verdict.b if origin == self.verdict.a else self.verdict.a

    def passages(self, doc_id: str) -> tuple[Stretch, ...]:
        """The aligned stretches of one of the pair's documents."""
        return self.passages_a if doc_id == self.verdict.a else self.passages_b

    @property
    def reused_chars(self) -> int:
        """Characters of the reusing side's passages; undirected: the smaller side's."""
        if self.reuser is None:
            return min(covered_chars(self.passages_a), covered_chars(self.passages_b))
        return covered_chars(self.passages(self.reuser))

    @property
    def num_divergences(self) -> int:
        """How many divergences the pair has."""
        return len(self.changes)

    @property
    def divergence_kinds(self) -> dict[str, int]:
        """How many divergences of each kind the pair has."""
        return dict(sorted(Counter(c.kind for c in self.changes).items()))

    def changes_in(self, doc_id: str) -> set[tuple]:
        """The pair's divergences as made by ``doc_id``: one key per change.

        A document that took one text from several copies makes each change once, and its
        divergences against every copy name the same stretch of it: that is the key.
        """
        keys = set()
        for c in self.changes:
            own, other = (c.a, c.b) if doc_id == self.verdict.a else (c.b, c.a)
            keys.add((doc_id, c.kind, own, None if own else other))
        return keys

    def outlet(self, doc_id: str) -> str:
        """The outlet (key) of one of the pair's documents."""
        return self.outlet_a if doc_id == self.verdict.a else self.outlet_b


@dataclass(frozen=True, slots=True)
class Outlets:
    """Which outlet each document is from: ``key_of`` by document id, display names by key."""

    key_of: Mapping[str, str]
    name_of: Mapping[str, str]
    summaries: Mapping[str, dict]

    def name(self, doc_id: str) -> str:
        """The display name of a document's outlet."""
        return self.name_of[self.key_of[doc_id]]


def read_outlets(store: SqliteStore) -> Outlets:
    """The outlet of every stored document (URLs are read only where no source is given)."""
    summaries = {s["id"]: s for s in store.document_summaries()}
    unnamed = [d for d, s in summaries.items() if not (s["source"] or "").strip()]
    urls: dict[str, str | None] = {}
    for i in range(0, len(unnamed), URL_CHUNK):
        documents = store.get_documents(unnamed[i : i + URL_CHUNK])
        urls.update((d, doc.url) for d, doc in documents.items())
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    key_of = {}
    for doc_id, summary in summaries.items():
        name = outlet_name(summary["source"], urls.get(doc_id))
        key_of[doc_id] = outlet_key(name)
        spellings[key_of[doc_id]][name] += 1
    # The most frequent spelling names the outlet; a tie goes to the first in sorted order.
    name_of = {key: min(counts, key=lambda n: (-counts[n], n)) for key, counts in spellings.items()}
    return Outlets(key_of, name_of, summaries)


def _change(divergence: Divergence, verdict: PairVerdict) -> Change:
    """A divergence with its sides as the verdict's (A is ``verdict.a``)."""
    d = divergence if divergence.a == verdict.a else divergence.flipped()
    return Change(
        str(d.kind),
        (d.a_span.start, d.a_span.end) if d.a_span else None,
        (d.b_span.start, d.b_span.end) if d.b_span else None,
    )


def read_flows(store: SqliteStore, outlets: Outlets) -> list[Flow]:
    """Every stored pair with reused text, with its outlets, passages and divergences."""
    flows = []
    for verdict in store.iter_pairs(with_passages=True):
        if verdict.type not in REUSE_TYPES:
            continue
        if verdict.a not in outlets.key_of or verdict.b not in outlets.key_of:
            continue
        changes = tuple(_change(d, verdict) for d in pair_divergences(store, verdict))
        # The passages are kept as stretches only: a large store holds many sentence pairs.
        compact = PairVerdict(
            a=verdict.a,
            b=verdict.b,
            type=verdict.type,
            coverage_a=verdict.coverage_a,
            coverage_b=verdict.coverage_b,
            direction=verdict.direction,
            credited=verdict.credited,
            similarity=verdict.similarity,
            reasons=verdict.reasons,
            story_similarity=verdict.story_similarity,
        )
        flows.append(
            Flow(
                verdict=compact,
                outlet_a=outlets.key_of[verdict.a],
                outlet_b=outlets.key_of[verdict.b],
                passages_a=tuple((p.a.start, p.a.end) for p in verdict.passages),
                passages_b=tuple((p.b.start, p.b.end) for p in verdict.passages),
                changes=changes,
            )
        )
    return flows


def _moment(date: str | None) -> float | None:
    """When a date says a document appeared (a day without a time: at its end)."""
    parsed = parse_date(date)
    if parsed is None:
        return None
    end_of_day = 0 if parsed.has_time else SECONDS_PER_DAY - 1
    return parsed.moment.timestamp() + end_of_day


def story_origin(
    story: Story, dates: Mapping[str, str | None], flows: Sequence[Flow]
) -> str | None:
    """The document a story started from, or ``None`` when nothing says which.

    The earliest-dated document; among documents of the same moment, one nothing in the
    story took text into, then the representative. Without dates: the document the
    story's directed reuse pairs name as their source most often.
    """
    members = set(story.documents)
    directed = [f for f in flows if f.origin in members and f.reuser in members]
    took_text = {f.reuser for f in directed}
    moments = {d: m for d in story.documents if (m := _moment(dates.get(d))) is not None}
    if moments:
        first = min(moments.values())
        tied = [d for d, m in moments.items() if m == first]
        return min(tied, key=lambda d: (d in took_text, d != story.representative, d))
    sources = Counter(f.origin for f in directed if f.origin is not None)
    if not sources:
        return None
    return min(sources, key=lambda d: (d in took_text, -sources[d], d))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _new_outlet(name: str) -> dict:
    return {
        "name": name,
        "num_documents": 0,
        "num_stories": 0,
        "num_stories_originated": 0,
        "num_reusing_articles": 0,
        "num_credited": 0,
        "num_uncredited": 0,
        "credit_rate": None,
        "num_reuses": 0,
        "reused_chars": 0,
        "num_divergences": 0,
        "divergence_kinds": {},
        "num_reused_by_others": 0,
        "reused_by_chars": 0,
        "num_reusing_outlets": 0,
        "num_shared": 0,
        "num_internal": 0,
        "internal_chars": 0,
        "num_internal_divergences": 0,
    }


@dataclass(frozen=True, slots=True)
class Picture:
    """Everything the sources pages show, computed once from the store."""

    outlets: Outlets
    flows: list[Flow]
    stories: list[Story]
    origins: dict[str, str | None]


def read_picture(store: SqliteStore) -> Picture:
    """Outlets, reuse flows, stories and each story's origin document."""
    outlets = read_outlets(store)
    flows = read_flows(store, outlets)
    stories = store.iter_stories()
    dates = {d: s["date"] for d, s in outlets.summaries.items()}
    flows_of: dict[str, list[Flow]] = defaultdict(list)
    story_of = {d: s.id for s in stories for d in s.documents}
    for flow in flows:
        story_id = story_of.get(flow.verdict.a)
        if story_id is not None and story_of.get(flow.verdict.b) == story_id:
            flows_of[story_id].append(flow)
    origins = {s.id: story_origin(s, dates, flows_of[s.id]) for s in stories}
    return Picture(outlets, flows, stories, origins)


def _kinds(changes: Iterable[tuple]) -> dict[str, int]:
    """How many of the change keys (:meth:`Flow.changes_in`) are of each kind."""
    return dict(sorted(Counter(key[1] for key in changes).items()))


def outlet_records(picture: Picture) -> dict[str, dict]:
    """One record per outlet (by key): documents, stories, reuse in and out, credit.

    Reuse is counted per article: one that took a text from several copies of it (a wire
    story and its republications) is one reusing article, its characters are counted
    once (the union of its passages in those pairs) and so is each change it made.
    """
    outlets = picture.outlets
    records = {key: _new_outlet(name) for key, name in outlets.name_of.items()}
    for key in outlets.key_of.values():
        records[key]["num_documents"] += 1
    for story in picture.stories:
        for key in {outlets.key_of[d] for d in story.documents if d in outlets.key_of}:
            records[key]["num_stories"] += 1
        origin = picture.origins[story.id]
        if origin is not None and origin in outlets.key_of:
            records[outlets.key_of[origin]]["num_stories_originated"] += 1
    # Per outlet, per article of another outlet: the flows between the two.
    taken: dict[str, dict[str, list[Flow]]] = defaultdict(lambda: defaultdict(list))
    given: dict[str, dict[str, list[Flow]]] = defaultdict(lambda: defaultdict(list))
    internal: dict[str, set[tuple]] = defaultdict(set)
    for flow in picture.flows:
        if flow.internal:
            record = records[flow.outlet_a]
            record["num_internal"] += 1
            record["internal_chars"] += flow.reused_chars
            internal[flow.outlet_a] |= flow.changes_in(flow.reuser or flow.verdict.a)
        elif flow.origin is None or flow.reuser is None:
            records[flow.outlet_a]["num_shared"] += 1
            records[flow.outlet_b]["num_shared"] += 1
        else:
            taken[flow.outlet(flow.reuser)][flow.reuser].append(flow)
            given[flow.outlet(flow.origin)][flow.reuser].append(flow)
    for key, record in records.items():
        articles = taken[key]
        credited = sum(all(f.verdict.credited for f in fs) for fs in articles.values())
        changes = {c for doc, fs in articles.items() for f in fs for c in f.changes_in(doc)}
        record.update(
            num_reusing_articles=len(articles),
            num_credited=credited,
            num_uncredited=len(articles) - credited,
            credit_rate=_rate(credited, len(articles)),
            num_reuses=sum(len(fs) for fs in articles.values()),
            reused_chars=sum(_union(doc, fs) for doc, fs in articles.items()),
            num_divergences=len(changes),
            divergence_kinds=_kinds(changes),
            num_reused_by_others=len(given[key]),
            reused_by_chars=sum(_union(doc, fs) for doc, fs in given[key].items()),
            num_reusing_outlets=len({outlets.key_of[doc] for doc in given[key]}),
            num_internal_divergences=len(internal[key]),
        )
    return records


def _union(doc_id: str, flows: Iterable[Flow]) -> int:
    """Characters of ``doc_id`` inside its passages of any of ``flows``."""
    return covered_chars(s for f in flows for s in f.passages(doc_id))


def _activity(record: dict) -> tuple:
    """Sort key of the outlets list: most reuse in or out first, then most documents."""
    moved = record["num_reuses"] + record["num_reused_by_others"]
    other = record["num_shared"] + record["num_internal"]
    return (-moved, -record["num_stories_originated"], -other, -record["num_documents"],
            record["name"].casefold(), record["name"])  # fmt: skip


def edge_records(picture: Picture) -> list[dict]:
    """One edge per (origin outlet, reusing outlet): reuses, credit rate, characters.

    ``reused_chars`` sums the reusing side's passages over the edge's pairs; ``credit_rate``
    is the share of those pairs whose reusing side credits its source.
    """
    outlets = picture.outlets
    grouped: dict[tuple[str, str], list[Flow]] = defaultdict(list)
    for flow in picture.flows:
        if flow.internal or flow.origin is None or flow.reuser is None:
            continue
        grouped[(flow.outlet(flow.origin), flow.outlet(flow.reuser))].append(flow)
    edges: list[dict] = []
    for (giver, taker), flows in grouped.items():
        credited = sum(f.verdict.credited for f in flows)
        changes = {c for f in flows if f.reuser for c in f.changes_in(f.reuser)}
        edges.append(
            {
                "from": outlets.name_of[giver],
                "to": outlets.name_of[taker],
                "num_reuses": len(flows),
                "num_articles": len({f.reuser for f in flows}),
                "num_credited": credited,
                "credit_rate": _rate(credited, len(flows)),
                "reused_chars": sum(f.reused_chars for f in flows),
                "num_divergences": len(changes),
            }
        )
    edges.sort(key=lambda e: (-e["reused_chars"], -e["num_reuses"], e["from"], e["to"]))
    return edges


def credit_colour(rate: float | None) -> str:
    """The colour of an edge: red where nothing was credited, green where all was."""
    share = 0.0 if rate is None else min(1.0, max(0.0, rate))
    hue = CREDIT_HUE_NONE + share * (CREDIT_HUE_ALL - CREDIT_HUE_NONE)
    r, g, b = colorsys.hls_to_rgb(hue / 360, CREDIT_LIGHTNESS, CREDIT_SATURATION)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _column(names: Iterable[str], rows: int) -> dict[str, int]:
    """The y of each outlet of a column, the shorter column centred against the longer."""
    listed = list(names)
    shift = (rows - len(listed)) * GRAPH_ROW // 2
    return {n: GRAPH_TOP + shift + i * GRAPH_ROW for i, n in enumerate(listed)}


def sources_graph(edges: Sequence[dict]) -> dict:
    """Layout of the who-reuses-whom picture: origins left, reusers right, one curve each.

    Outlets are ordered by the characters they gave (left) or took (right), most first;
    an edge's width grows with the square root of its characters (so a large flow does
    not drown the rest) and its colour goes from red (no reuse credited) to green (all).
    """
    given: Counter[str] = Counter()
    taken: Counter[str] = Counter()
    for e in edges:
        given[e["from"]] += e["reused_chars"]
        taken[e["to"]] += e["reused_chars"]

    def ranked(counts: Counter[str]) -> list[str]:
        return sorted(counts, key=lambda n: (-counts[n], n))[:MAX_GRAPH_OUTLETS]

    left, right = ranked(given), ranked(taken)
    rows = max(len(left), len(right), 1)
    y_left, y_right = _column(left, rows), _column(right, rows)
    nodes = [
        {"name": n, "side": "origin", "x": GRAPH_LEFT_X, "y": y, "reused_chars": given[n]}
        for n, y in y_left.items()
    ] + [
        {"name": n, "side": "reuser", "x": GRAPH_RIGHT_X, "y": y, "reused_chars": taken[n]}
        for n, y in y_right.items()
    ]
    shown = [e for e in edges if e["from"] in y_left and e["to"] in y_right]
    most = max((e["reused_chars"] for e in shown), default=0)
    drawn = []
    x1, x2 = GRAPH_LEFT_X + GRAPH_NODE_R, GRAPH_RIGHT_X - GRAPH_NODE_R
    middle = (x1 + x2) // 2
    # Widest first, so the thin edges are drawn on top and stay visible.
    for e in sorted(shown, key=lambda e: (-e["reused_chars"], e["from"], e["to"])):
        y1, y2 = y_left[e["from"]], y_right[e["to"]]
        share = math.sqrt(e["reused_chars"] / most) if most else 0.0
        width = max(GRAPH_MIN_STROKE, round(share * GRAPH_MAX_STROKE, 1))
        drawn.append(
            {
                **e,
                "width": width,
                "colour": credit_colour(e["credit_rate"]),
                "path": f"M{x1},{y1} C{middle},{y1} {middle},{y2} {x2},{y2}",
            }
        )
    return {
        "width": GRAPH_WIDTH,
        "height": GRAPH_TOP + (rows - 1) * GRAPH_ROW + GRAPH_BOTTOM + GRAPH_ROW // 2,
        "left_x": GRAPH_LEFT_X,
        "right_x": GRAPH_RIGHT_X,
        # The colours of credit rates 0, 25, 50, 75 and 100%, for the legend.
        "scale": [credit_colour(i / (SCALE_STEPS - 1)) for i in range(SCALE_STEPS)],
        "nodes": nodes,
        "edges": drawn,
        "num_hidden_edges": len(edges) - len(drawn),
        "truncated": len(given) > len(left) or len(taken) > len(right),
    }


def picture_view(picture: Picture) -> dict:
    """The sources page of a :class:`Picture` (see :func:`sources_view`)."""
    records = outlet_records(picture)
    edges = edge_records(picture)
    flows = picture.flows
    directed = [f for f in flows if not f.internal and f.origin is not None]
    return {
        "schema": SCHEMA_ID,
        "num_documents": len(picture.outlets.key_of),
        "num_sources": len(records),
        "num_stories": len(picture.stories),
        "num_stories_without_origin": sum(o is None for o in picture.origins.values()),
        "num_reusing_articles": sum(r["num_reusing_articles"] for r in records.values()),
        "num_credited_articles": sum(r["num_credited"] for r in records.values()),
        "num_reuses": len(directed),
        "num_shared": sum(not f.internal and f.origin is None for f in flows),
        "num_internal": sum(f.internal for f in flows),
        "sources": sorted(records.values(), key=_activity),
        "edges": edges,
        "graph": sources_graph(edges),
    }


def sources_view(store: SqliteStore) -> dict:
    """The sources page: every outlet with its reuse and credit, and the reuse graph.

    ``sources`` lists the outlets, most reuse in or out first; ``edges`` every (origin
    outlet, reusing outlet) with reuses, credit rate, characters and divergences;
    ``graph`` the layout of the picture of those edges.
    """
    return picture_view(read_picture(store))


def _row(flow: Flow, key: str, outlets: Outlets) -> dict:
    """One pair on an outlet's page, from that outlet's side."""
    verdict = flow.verdict
    if flow.internal:
        # The copy is the outlet's article of the row, as for a reuse between outlets.
        role, own = ROLE_INTERNAL, flow.reuser or verdict.a
    elif flow.origin is None:
        role = ROLE_SHARED
        own = verdict.a if flow.outlet_a == key else verdict.b
    elif flow.outlet(flow.origin) == key:
        role, own = ROLE_REUSED_BY, flow.origin
    else:
        role, own = ROLE_REUSED, flow.reuser or verdict.a
    other = verdict.b if own == verdict.a else verdict.a
    summaries = outlets.summaries
    return {
        "a": verdict.a,
        "b": verdict.b,
        "role": role,
        "document": own,
        "title": summaries[own]["title"],
        "other": other,
        "other_title": summaries[other]["title"],
        "other_source": outlets.name(other),
        "origin": flow.origin,
        "type": str(verdict.type),
        "direction": str(verdict.direction),
        "credited": verdict.credited,
        "coverage": round(verdict.coverage_a if own == verdict.a else verdict.coverage_b, 4),
        "other_coverage": round(verdict.coverage_b if own == verdict.a else verdict.coverage_a, 4),
        "reused_chars": flow.reused_chars,
        "num_divergences": flow.num_divergences,
        "divergence_kinds": flow.divergence_kinds,
    }


def _find(outlets: Outlets, name: str) -> str:
    """The key of the outlet ``name`` names (any case); :class:`NotFoundError` if none."""
    key = outlet_key(name)
    if key not in outlets.name_of:
        raise NotFoundError(
            f"no outlet {name!r} in this store; `wiretrace sources` lists the outlets"
        )
    return key


def outlet_view(
    picture: Picture,
    key: str,
    records: Mapping[str, dict] | None = None,
    edges: Sequence[dict] | None = None,
) -> dict:
    """The page of the outlet ``key`` of a :class:`Picture` (see :func:`source_view`).

    ``records`` and ``edges`` (:func:`outlet_records`, :func:`edge_records` of the same
    picture) save computing them again for each outlet.
    """
    outlets = picture.outlets
    records = records if records is not None else outlet_records(picture)
    edges = edges if edges is not None else edge_records(picture)
    shown = outlets.name_of[key]
    rows = [_row(f, key, outlets) for f in picture.flows if key in (f.outlet_a, f.outlet_b)]
    rows.sort(key=lambda r: (ROLES.index(r["role"]), -r["reused_chars"], r["a"], r["b"]))
    originated = [
        {
            "id": story.id,
            "size": len(story.documents),
            "origin": origin,
            "title": outlets.summaries[origin]["title"],
        }
        for story in picture.stories
        if (origin := picture.origins[story.id]) is not None and outlets.key_of[origin] == key
    ]
    return {
        "schema": SCHEMA_ID,
        "source": records[key],
        "edges": [e for e in edges if shown in (e["from"], e["to"])],
        "stories": originated,
        "num_reuse_rows": len(rows),
        "reuses": rows,
    }


def source_view(store: SqliteStore, name: str) -> dict:
    """One outlet's page: its record, its edges, the stories it originated, its reuses.

    ``name`` is matched without regard to case or spacing. ``reuses`` lists every pair
    with reused text that involves the outlet, seen from its side (``role``: ``reused``,
    ``reused_by``, ``shared`` or ``internal``), in that order, most characters first.

    Raises:
        NotFoundError: no outlet of that name.
    """
    picture = read_picture(store)
    return outlet_view(picture, _find(picture.outlets, name))


def all_source_views(store: SqliteStore) -> tuple[dict, list[dict]]:
    """The sources page and every outlet's page, from one reading of the store."""
    picture = read_picture(store)
    records, edges = outlet_records(picture), edge_records(picture)
    listing = picture_view(picture)
    keys = [outlet_key(r["name"]) for r in listing["sources"]]
    return listing, [outlet_view(picture, k, records, edges) for k in keys]
