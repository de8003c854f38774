"""Stage 8, cluster: stories from the graph of related pairs, without hub chaining.

Plain connected components chain unrelated stories together through one hub (a news
roundup that reuses a paragraph of each). Stories are built instead by average-linkage
merging: edges are visited strongest first, and two groups merge only if the mean edge
weight between all their members (missing edges count 0) reaches ``min_mean_weight``.
One weak link from a hub cannot outweigh the many missing links between two stories.
Edges are visited in a canonical order, so the result does not depend on input order.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from wiretrace.dates import ParsedDate, parse_date
from wiretrace.model import PairVerdict, ReuseType, Story

# How strongly each verdict type ties two articles to one story.
TYPE_WEIGHT = {
    ReuseType.DUPLICATE: 1.0,
    ReuseType.EDITED: 0.9,
    ReuseType.PARAPHRASE: 0.8,
    ReuseType.TRANSLATION: 0.8,
    ReuseType.PARTIAL: 0.6,
    ReuseType.RELATED: 0.5,
}


SECONDS_PER_DAY = 86400


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Average-linkage threshold.

    0.2 lets a story of five join an article that is related to two of them, but not one
    that is linked to a single member.
    """

    min_mean_weight: float = 0.2


@dataclass(frozen=True, slots=True)
class DocInfo:
    """What the representative choice needs to know about a document."""

    date: str | None
    chars: int


@dataclass(frozen=True, slots=True)
class StoryEdge:
    """The part of a verdict that stories depend on: its two documents and its type.

    :func:`build_stories` accepts these or whole verdicts; an engine that clusters far from
    its verdicts (Spark, per connected component) sends only these.
    """

    a: str
    b: str
    type: ReuseType
    # Two instances of one template (``PairVerdict.template``): no link of a story.
    template: bool = False


def _story_id(members: Iterable[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(members)).encode("utf-8")).hexdigest()
    return f"s{digest[:10]}"


def build_stories(
    verdicts: Iterable[PairVerdict | StoryEdge],
    docs: Mapping[str, DocInfo],
    config: ClusterConfig | None = None,
) -> list[Story]:
    """Group related documents into stories (groups of two or more), largest first.

    A verdict on two instances of one template (two days' price tables, two borrowers'
    bond notices) links no story: a form filled twice is two events.
    """
    config = config or ClusterConfig()
    weight: dict[tuple[str, str], float] = {}
    for v in verdicts:
        if v.template:
            continue
        key = (v.a, v.b) if v.a < v.b else (v.b, v.a)
        weight[key] = max(weight.get(key, 0.0), TYPE_WEIGHT[v.type])
    cluster_of: dict[str, str] = {}
    members: dict[str, set[str]] = {}
    # links[c1][c2]: summed edge weight between clusters c1 and c2.
    links: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, b), w in weight.items():
        for node in (a, b):
            if node not in cluster_of:
                cluster_of[node] = node
                members[node] = {node}
        links[a][b] = links[a].get(b, 0.0) + w
        links[b][a] = links[b].get(a, 0.0) + w
    for (a, b), _w in sorted(weight.items(), key=lambda item: (-item[1], item[0])):
        ca, cb = cluster_of[a], cluster_of[b]
        if ca == cb:
            continue
        total = links[ca].get(cb, 0.0)
        if total / (len(members[ca]) * len(members[cb])) < config.min_mean_weight:
            continue
        keep, gone = (ca, cb) if (len(members[ca]), cb) >= (len(members[cb]), ca) else (cb, ca)
        for node in members[gone]:
            cluster_of[node] = keep
        members[keep] |= members.pop(gone)
        for other, w in links.pop(gone).items():
            links[other].pop(gone, None)
            if other == keep:
                continue
            links[keep][other] = links[keep].get(other, 0.0) + w
            links[other][keep] = links[keep][other]
        links[keep].pop(keep, None)
    edges_of: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
    for (a, b), w in weight.items():
        if cluster_of[a] == cluster_of[b]:
            edges_of[cluster_of[a]][(a, b)] = w
    stories = []
    for root, group in members.items():
        if len(group) < 2:
            continue
        stories.append(_story(group, edges_of[root], docs))
    stories.sort(key=lambda s: (-len(s.documents), s.id))
    return stories


def keep_story_ids(stories: Iterable[Story], previous: Iterable[Story]) -> list[Story]:
    """``stories`` with the ids of the earlier stories they continue, largest first.

    An incremental run adds articles to a story, a deletion takes one out, two stories
    merge or one splits; a story followed by its id (a bookmarked page, ``wiretrace story
    ID``) must not vanish because its members changed. Each story continues the earlier
    story it shares most documents with, matched greedily over all pairs from the largest
    overlap down (ties: the larger earlier story, then its id, then the story's first
    document), each earlier id given once: the larger part of a split keeps the id, and a
    merge keeps the id of the earlier story it holds most of. A story that continues none
    is named after its members (:func:`build_stories`), unless an earlier story held that
    name (a story keeps its first name as it changes): then after its members and a count.
    """
    stories = list(stories)
    previous = list(previous)
    size = {old.id: len(old.documents) for old in previous}
    story_of = {doc_id: k for k, story in enumerate(stories) for doc_id in story.documents}
    overlaps: dict[tuple[int, str], int] = defaultdict(int)
    for old in previous:
        for doc_id in old.documents:
            if doc_id in story_of:
                overlaps[story_of[doc_id], old.id] += 1
    ranked = sorted(
        overlaps.items(),
        key=lambda item: (
            -item[1],
            -size[item[0][1]],
            item[0][1],
            stories[item[0][0]].documents[0],
        ),
    )
    ids: dict[int, str] = {}
    taken: set[str] = set()
    for (k, old_id), _count in ranked:
        if k not in ids and old_id not in taken:
            ids[k] = old_id
            taken.add(old_id)
    # Names an unmatched story may not take: every earlier story's and every kept one.
    reserved = set(size) | taken
    for k, story in enumerate(stories):
        if k in ids:
            continue
        name, count = story.id, 0
        while name in reserved:
            count += 1
            name = _story_id([*story.documents, f"#{count}"])
        ids[k] = name
        reserved.add(name)
    kept = [replace(story, id=ids[k]) for k, story in enumerate(stories)]
    kept.sort(key=lambda s: (-len(s.documents), s.id))
    return kept


def _story(
    group: set[str], weight: Mapping[tuple[str, str], float], docs: Mapping[str, DocInfo]
) -> Story:
    # Imported on use: scipy.cluster takes about half a second to import, which every
    # command would pay at start-up otherwise.
    from scipy.cluster.hierarchy import DisjointSet

    ordered = tuple(sorted(group))
    strength: dict[str, float] = defaultdict(float)
    duplicates: DisjointSet = DisjointSet(ordered)
    for (a, b), w in weight.items():
        strength[a] += w
        strength[b] += w
        if w >= TYPE_WEIGHT[ReuseType.DUPLICATE]:
            duplicates.merge(a, b)
    groups = tuple(sorted(tuple(sorted(g)) for g in duplicates.subsets() if len(g) > 1))

    def rank(doc_id: str) -> tuple:
        info = docs.get(doc_id, DocInfo(None, 0))
        parsed: ParsedDate | None = parse_date(info.date)
        # Earliest dated first; undated after dated; then best connected, longest, by id.
        # A date without a time of day may be any moment of that day: rank it at its end.
        when = float("inf")
        if parsed is not None:
            when = parsed.moment.timestamp() + (0 if parsed.has_time else SECONDS_PER_DAY - 1)
        # Rounded: float sums depend on the order of the edges, the ranking must not.
        return (when, -round(strength[doc_id], 6), -info.chars, doc_id)

    representative = min(ordered, key=rank)
    return Story(
        id=_story_id(ordered),
        documents=ordered,
        representative=representative,
        duplicate_groups=groups,
    )
