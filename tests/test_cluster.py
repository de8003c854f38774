"""Stories: average linkage without hub chaining, duplicate groups, representatives."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.cluster import DocInfo, StoryEdge, build_stories
from wiretrace.model import Direction, PairVerdict, ReuseType


def v(a: str, b: str, kind: ReuseType) -> PairVerdict:
    return PairVerdict(
        a=a,
        b=b,
        type=kind,
        coverage_a=0.5,
        coverage_b=0.5,
        direction=Direction.UNKNOWN,
        credited=False,
        similarity=0.5,
    )


def clique(ids: list[str], kind: ReuseType) -> list[PairVerdict]:
    return [v(x, y, kind) for i, x in enumerate(ids) for y in ids[i + 1 :]]


def story_sets(stories) -> set[frozenset[str]]:
    return {frozenset(s.documents) for s in stories}


def test_hub_linked_weakly_to_two_stories_does_not_merge_them() -> None:
    port = ["port1", "port2", "port3"]
    clock = ["clock1", "clock2", "clock3"]
    verdicts = [
        *clique(port, ReuseType.EDITED),
        *clique(clock, ReuseType.EDITED),
        v("roundup", "port1", ReuseType.PARTIAL),
        v("roundup", "clock1", ReuseType.PARTIAL),
    ]
    stories = build_stories(verdicts, {})
    for story in stories:
        members = set(story.documents)
        assert not (members & set(port) and members & set(clock)), story
    sets = story_sets(stories)
    assert any(set(port) <= s for s in sets)
    assert any(set(clock) <= s for s in sets)


def test_article_related_to_most_of_a_story_joins_it() -> None:
    verdicts = [
        *clique(["a", "b", "c"], ReuseType.EDITED),
        v("d", "a", ReuseType.RELATED),
        v("d", "b", ReuseType.RELATED),
    ]
    assert story_sets(build_stories(verdicts, {})) == {frozenset("abcd")}


def test_template_verdicts_link_no_story() -> None:
    # Two days' price tables of one market are reported (related, reason template) but
    # are two events: the third table is linked to each only through template verdicts.
    template = replace(
        v("mon", "tue", ReuseType.RELATED), reasons=("template: one form filled twice",)
    )
    assert template.template and not v("mon", "tue", ReuseType.RELATED).template
    verdicts = [v("mon", "mon-resend", ReuseType.DUPLICATE), template]
    assert story_sets(build_stories(verdicts, {})) == {frozenset({"mon", "mon-resend"})}
    edges = [StoryEdge("mon", "tue", ReuseType.RELATED, template=True)]
    assert build_stories(edges, {}) == []
    assert len(build_stories([StoryEdge("mon", "tue", ReuseType.RELATED)], {})) == 1


def test_duplicate_groups_inside_a_story() -> None:
    verdicts = [
        v("wire", "verbatim", ReuseType.DUPLICATE),
        v("verbatim", "mirror", ReuseType.DUPLICATE),
        v("wire", "edited", ReuseType.EDITED),
        v("verbatim", "edited", ReuseType.EDITED),
        v("mirror", "edited", ReuseType.EDITED),
    ]
    (story,) = build_stories(verdicts, {})
    assert set(story.documents) == {"wire", "verbatim", "mirror", "edited"}
    assert story.duplicate_groups == (("mirror", "verbatim", "wire"),)


def test_representative_is_the_earliest_dated() -> None:
    verdicts = clique(["late", "early", "undated"], ReuseType.EDITED)
    docs = {
        "late": DocInfo("2026-03-04T12:00:00Z", 5000),
        "early": DocInfo("2026-03-04T09:12:00Z", 100),
        "undated": DocInfo(None, 9000),
    }
    (story,) = build_stories(verdicts, docs)
    assert story.representative == "early"


def test_date_only_ranks_after_a_timed_date_of_the_same_day() -> None:
    verdicts = clique(["dayonly", "evening"], ReuseType.EDITED)
    docs = {
        "dayonly": DocInfo("2026-03-04", 5000),  # midnight, if read naively
        "evening": DocInfo("2026-03-04T21:00:00Z", 100),
    }
    (story,) = build_stories(verdicts, docs)
    assert story.representative == "evening"
    # A date-only of an earlier day still wins.
    docs["dayonly"] = DocInfo("2026-03-03", 5000)
    (story,) = build_stories(verdicts, docs)
    assert story.representative == "dayonly"


def test_undated_representative_is_the_best_connected_then_longest() -> None:
    verdicts = [*clique(["hub", "x", "y"], ReuseType.EDITED), v("hub", "z", ReuseType.EDITED)]
    (story,) = build_stories(verdicts, {"z": DocInfo(None, 10**6)})
    assert story.representative == "hub"


def test_singletons_are_not_stories_and_ids_are_stable() -> None:
    assert build_stories([], {}) == []
    one = build_stories([v("a", "b", ReuseType.PARTIAL)], {})
    two = build_stories([v("b", "a", ReuseType.PARTIAL)], {})
    assert one == two
    assert one[0].documents == ("a", "b")


DOC_IDS = [f"d{i}" for i in range(8)]


@st.composite
def verdict_lists(draw):
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(DOC_IDS), st.sampled_from(DOC_IDS)).filter(
                lambda p: p[0] != p[1]
            ),
            max_size=20,
        )
    )
    verdicts = [v(a, b, draw(st.sampled_from(list(ReuseType)))) for a, b in pairs]
    dates = st.one_of(
        st.none(),
        st.sampled_from(
            [
                "2026-03-04",
                "2026-03-05",
                "2026-03-04T09:00:00Z",
                "2026-03-04T23:30:00Z",
                "2026-03-05T01:00:00+02:00",
            ]
        ),
    )
    docs = {d: DocInfo(draw(dates), draw(st.integers(0, 3))) for d in DOC_IDS}
    return verdicts, docs


@settings(max_examples=150)
@given(case=verdict_lists(), data=st.data())
def test_stories_do_not_depend_on_verdict_order(case, data) -> None:
    verdicts, docs = case
    shuffled = data.draw(st.permutations(verdicts))
    # Also flip the sides of some pairs: a pair is unordered.
    flips = data.draw(st.lists(st.booleans(), min_size=len(shuffled), max_size=len(shuffled)))
    flipped = [v(x.b, x.a, x.type) if f else x for x, f in zip(shuffled, flips, strict=True)]
    docs_reordered = dict(reversed(list(docs.items())))
    # Membership, ids and near-duplicate groups; the representative has its own test below.
    assert [
        (s.id, s.documents, s.duplicate_groups) for s in build_stories(flipped, docs_reordered)
    ] == [(s.id, s.documents, s.duplicate_groups) for s in build_stories(verdicts, docs)]


def test_representative_does_not_depend_on_verdict_order() -> None:
    # b_p and a_q are equally connected (2.4 each); with a tie the id decides: a_q.
    p_edges = [
        v("b_p", "x1", ReuseType.PARTIAL),
        v("b_p", "x2", ReuseType.DUPLICATE),
        v("b_p", "x3", ReuseType.PARAPHRASE),
    ]
    q_edges = [
        v("a_q", "x1", ReuseType.EDITED),
        v("a_q", "x2", ReuseType.EDITED),
        v("a_q", "x3", ReuseType.PARTIAL),
    ]
    (forward,) = build_stories([*p_edges, *q_edges], {})
    (backward,) = build_stories([*reversed(p_edges), *q_edges], {})
    assert forward.documents == backward.documents
    assert forward.representative == backward.representative == "a_q"


@settings(max_examples=100)
@given(case=verdict_lists())
def test_stories_partition_the_linked_documents(case) -> None:
    verdicts, docs = case
    stories = build_stories(verdicts, docs)
    seen: set[str] = set()
    for story in stories:
        assert len(story.documents) >= 2
        assert list(story.documents) == sorted(story.documents)
        assert not seen & set(story.documents)
        seen |= set(story.documents)
        assert story.representative in story.documents
        for group in story.duplicate_groups:
            assert set(group) <= set(story.documents)
    linked = {x for verdict in verdicts for x in (verdict.a, verdict.b)}
    assert seen <= linked


def _components(verdicts) -> dict[str, str]:
    """Connected components by plain union-find: node → smallest node of its component."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for e in verdicts:
        ra, rb = find(e.a), find(e.b)
        parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


@settings(max_examples=150)
@given(case=verdict_lists())
def test_clustering_each_component_alone_equals_clustering_the_whole_graph(case) -> None:
    # The Spark engine clusters every connected component on its own: exact only because
    # average linkage never merges across components.
    verdicts, docs = case
    component = _components(verdicts)
    groups: dict[str, list[StoryEdge]] = {}
    for e in verdicts:
        groups.setdefault(component[e.a], []).append(StoryEdge(e.a, e.b, e.type))
    per_component = [s for edges in groups.values() for s in build_stories(edges, docs)]
    per_component.sort(key=lambda s: (-len(s.documents), s.id))
    assert per_component == build_stories(verdicts, docs)


def stories_of(*groups: str) -> list:
    """Stories of cliques of edited pairs: "abc" is a story of a, b and c."""
    return build_stories([x for g in groups for x in clique(list(g), ReuseType.EDITED)], {})


def ids_by_members(stories) -> dict[frozenset[str], str]:
    return {frozenset(s.documents): s.id for s in stories}


def test_a_story_keeps_its_id_as_articles_join_and_leave() -> None:
    from wiretrace.cluster import keep_story_ids

    before = ids_by_members(stories_of("abc", "xy"))
    grown = ids_by_members(keep_story_ids(stories_of("abcd", "xy"), stories_of("abc", "xy")))
    assert grown[frozenset("abcd")] == before[frozenset("abc")]
    assert grown[frozenset("xy")] == before[frozenset("xy")]
    shrunk = ids_by_members(keep_story_ids(stories_of("ab", "xy"), stories_of("abc", "xy")))
    assert shrunk[frozenset("ab")] == before[frozenset("abc")]
    # Without a previous run, the ids are those of the members.
    assert ids_by_members(keep_story_ids(stories_of("abcd"), [])) == ids_by_members(
        stories_of("abcd")
    )


def test_a_split_leaves_the_id_with_the_larger_part_and_a_merge_with_the_larger_story() -> None:
    from wiretrace.cluster import keep_story_ids

    before = ids_by_members(stories_of("abcde", "xy"))
    split = ids_by_members(keep_story_ids(stories_of("abc", "de", "xy"), stories_of("abcde", "xy")))
    assert split[frozenset("abc")] == before[frozenset("abcde")]
    assert split[frozenset("de")] == ids_by_members(stories_of("de"))[frozenset("de")]
    merged = ids_by_members(keep_story_ids(stories_of("abcdexy"), stories_of("abcde", "xy")))
    assert merged == {frozenset("abcdexy"): before[frozenset("abcde")]}


@settings(max_examples=100)
@given(before=verdict_lists(), after=verdict_lists(), data=st.data())
def test_kept_story_ids_are_unique_and_follow_unchanged_stories(before, after, data) -> None:
    from wiretrace.cluster import keep_story_ids

    previous = build_stories(*before)
    current = build_stories(*after)
    kept = keep_story_ids(current, data.draw(st.permutations(previous)))
    assert len({s.id for s in kept}) == len(kept)
    assert sorted(s.documents for s in kept) == sorted(s.documents for s in current)
    assert kept == keep_story_ids(current, previous)
    old = ids_by_members(previous)
    for members, story_id in ids_by_members(kept).items():
        if members in old:
            assert story_id == old[members]


def test_a_story_named_by_its_first_members_does_not_lend_that_name_twice() -> None:
    from wiretrace.cluster import keep_story_ids

    # {a, b} is named after its members; it grows into {a..e} and keeps the name; then
    # it splits: the larger part keeps the name, and {a, b}, which continues nothing it
    # is the larger part of, must take another name.
    first = keep_story_ids(stories_of("ab"), [])
    grown = keep_story_ids(stories_of("abcde"), first)
    split = keep_story_ids(stories_of("ab", "cde"), grown)
    assert ids_by_members(grown)[frozenset("abcde")] == first[0].id
    assert ids_by_members(split)[frozenset("cde")] == first[0].id
    assert ids_by_members(split)[frozenset("ab")] != first[0].id
    assert len({s.id for s in split}) == 2


def test_a_merge_of_equal_shares_keeps_the_id_of_the_larger_story() -> None:
    from wiretrace.cluster import keep_story_ids

    # The merged story holds two articles of each earlier story: the larger one's id wins
    # (here the smaller story's id sorts first).
    before = keep_story_ids(stories_of("abcde", "jk"), [])
    assert ids_by_members(before)[frozenset("jk")] < ids_by_members(before)[frozenset("abcde")]
    merged = keep_story_ids(stories_of("abjk"), before)
    assert merged[0].id == ids_by_members(before)[frozenset("abcde")]


@settings(max_examples=60)
@given(runs=st.lists(verdict_lists(), min_size=2, max_size=4))
def test_story_ids_stay_unique_over_many_incremental_runs(runs) -> None:
    from wiretrace.cluster import keep_story_ids

    kept: list = []
    for verdicts, docs in runs:
        kept = keep_story_ids(build_stories(verdicts, docs), kept)
        assert len({s.id for s in kept}) == len(kept)
