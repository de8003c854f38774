"""The sources view: outlets, who reuses whom, credit, on a small store built by hand.

The articles (:mod:`tests.report.sources_corpus`) are a fictional wire story and its fate.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

import wiretrace
from tests.report.sources_corpus import BODY, pier_articles
from wiretrace import Article
from wiretrace.errors import NotFoundError
from wiretrace.model import Direction, PairVerdict, ReuseType, Story
from wiretrace.report.sources import (
    UNKNOWN_OUTLET,
    Flow,
    all_source_views,
    covered_chars,
    credit_colour,
    outlet_key,
    outlet_name,
    source_view,
    sources_view,
    story_origin,
)
from wiretrace.store import SqliteStore, open_store

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[2] / "src/wiretrace/schema/wiretrace-output.schema.json"
    ).read_text("utf-8")
)


def _analyzed(db: Path, articles: list[Article]) -> Path:
    wiretrace.analyze(articles, db=db, semantic="off", workers=1)
    return db


@pytest.fixture(scope="module")
def pier_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _analyzed(tmp_path_factory.mktemp("pier") / "pier.sqlite", pier_articles())


@pytest.fixture
def store(pier_db: Path) -> Iterator[SqliteStore]:
    with open_store(pier_db, read_only=True) as opened:
        yield opened


def validate(record: dict, name: str) -> None:
    """``record`` against the output schema's definition ``name``."""
    schema = {**SCHEMA, "$ref": f"#/$defs/{name}"}
    for key in ("required", "properties", "additionalProperties", "type"):
        schema.pop(key, None)
    jsonschema.validate(record, schema)


def _by_name(view: dict) -> dict[str, dict]:
    return {s["name"]: s for s in view["sources"]}


@pytest.mark.parametrize(
    ("source", "url", "expected"),
    [
        ("Ostmark Wire", None, "Ostmark Wire"),
        ("  Ostmark \n Wire ", "https://other.example/", "Ostmark Wire"),
        (None, "https://www.Mirror-Site.example:8443/a/b?c=d", "mirror-site.example"),
        ("", "news.example.org/2026/story", "news.example.org"),
        ("   ", None, UNKNOWN_OUTLET),
        (None, "http://[::1", UNKNOWN_OUTLET),
        (None, "not a url", UNKNOWN_OUTLET),
    ],
)
def test_an_outlet_is_the_source_else_the_domain_else_unknown(
    source: str | None, url: str | None, expected: str
) -> None:
    assert outlet_name(source, url) == expected


def test_spellings_of_one_outlet_share_a_key() -> None:
    assert outlet_key("Ostmark Wire") == outlet_key(" ostmark  WIRE ")
    assert outlet_key("Ostmark Wire") != outlet_key("Ostmark Wires")


def test_covered_characters_count_overlaps_once() -> None:
    assert covered_chars([]) == 0
    assert covered_chars([(0, 10), (5, 15), (20, 25), (20, 22)]) == 20
    assert covered_chars([(30, 40), (0, 5)]) == 15


def test_credit_colours_run_from_red_to_green() -> None:
    none, half, all_ = credit_colour(0.0), credit_colour(0.5), credit_colour(1.0)
    assert credit_colour(None) == none
    assert len({none, half, all_}) == 3
    red, green = int(none[1:3], 16), int(all_[3:5], 16)
    assert red > int(none[3:5], 16) and green > int(all_[1:3], 16)


def test_each_outlet_counts_its_articles_stories_and_reuse(store: SqliteStore) -> None:
    view = sources_view(store)
    validate(view, "api_sources")
    outlets = _by_name(view)
    assert set(outlets) == {
        "Ostmark Wire", "Daily Lantern", "mirror-site.example", "Quickbuzz", "Unrelated Times",
    }  # fmt: skip
    assert view["num_documents"] == 6 and view["num_sources"] == 5
    wire = outlets["Ostmark Wire"]
    # Two spellings, one outlet; the agency published the story first.
    assert wire["num_documents"] == 2
    assert wire["num_stories_originated"] == 1
    assert wire["num_reusing_articles"] == 0 and wire["credit_rate"] is None
    assert wire["num_internal"] == 1 and wire["internal_chars"] > 0
    assert wire["num_reusing_outlets"] == 3
    # The republication and the mirror credit the wire; the copy does not.
    for name in ("Daily Lantern", "mirror-site.example"):
        assert outlets[name]["num_reusing_articles"] == 1
        assert outlets[name]["num_credited"] == 1 and outlets[name]["credit_rate"] == 1.0
        assert outlets[name]["num_divergences"] == 0
    blog = outlets["Quickbuzz"]
    assert blog["num_reusing_articles"] == 1 and blog["num_uncredited"] == 1
    assert blog["credit_rate"] == 0.0
    assert blog["num_stories_originated"] == 0
    assert outlets["Unrelated Times"]["num_stories"] == 0
    assert view["num_reusing_articles"] == 3 and view["num_credited_articles"] == 2


def test_a_copy_of_several_copies_counts_its_text_and_changes_once(store: SqliteStore) -> None:
    """The copy took one text that four articles hold: one article, one change, its own size."""
    blog = _by_name(sources_view(store))["Quickbuzz"]
    assert blog["num_reuses"] == 4
    assert blog["num_divergences"] == 1
    assert blog["divergence_kinds"] == {"name": 1}
    length = len(BODY)
    assert length - 40 < blog["reused_chars"] <= length


def test_edges_run_from_origin_to_reuser_with_credit_rate(store: SqliteStore) -> None:
    view = sources_view(store)
    edges = {(e["from"], e["to"]): e for e in view["edges"]}
    assert ("Ostmark Wire", "Daily Lantern") in edges
    assert ("Daily Lantern", "Ostmark Wire") not in edges
    to_blog = edges[("Ostmark Wire", "Quickbuzz")]
    # The wire and its update: two pairs, one article of the copy's.
    assert to_blog["num_reuses"] == 2 and to_blog["num_articles"] == 1
    assert to_blog["credit_rate"] == 0.0
    assert edges[("Ostmark Wire", "Daily Lantern")]["credit_rate"] == 1.0
    # Width: the sum of the reusing side's passages over the edge's pairs.
    assert to_blog["reused_chars"] > _by_name(view)["Quickbuzz"]["reused_chars"]
    assert all(frm != to for frm, to in edges), "same-outlet pairs are no edge"
    graph = view["graph"]
    drawn = {(e["from"], e["to"]): e for e in graph["edges"]}
    assert set(drawn) == set(edges)
    assert drawn[("Ostmark Wire", "Quickbuzz")]["colour"] == credit_colour(0.0)
    assert drawn[("Ostmark Wire", "Daily Lantern")]["colour"] == credit_colour(1.0)
    widest = max(drawn.values(), key=lambda e: e["reused_chars"])
    assert all(e["width"] <= widest["width"] for e in drawn.values())
    origins = [n["name"] for n in graph["nodes"] if n["side"] == "origin"]
    assert origins[0] == "Ostmark Wire"
    assert len({(n["x"], n["y"]) for n in graph["nodes"]}) == len(graph["nodes"])


def test_shared_text_in_no_known_direction_is_counted_not_drawn(store: SqliteStore) -> None:
    view = sources_view(store)
    assert view["num_shared"] == sum(s["num_shared"] for s in view["sources"]) // 2
    shared = source_view(store, "Daily Lantern")["reuses"]
    for row in shared:
        if row["role"] == "shared":
            assert row["origin"] is None
            assert (row["other_source"], "Daily Lantern") not in {
                (e["from"], e["to"]) for e in view["edges"] if row["origin"]
            }


def test_one_outlet_lists_its_reuses_from_its_side(store: SqliteStore) -> None:
    view = source_view(store, "  OSTMARK wire")
    validate(view, "api_source")
    assert view["source"]["name"] == "Ostmark Wire"
    assert [s["origin"] for s in view["stories"]] == ["wire"]
    roles = [r["role"] for r in view["reuses"]]
    assert roles == sorted(roles, key=["reused", "reused_by", "shared", "internal"].index)
    assert view["num_reuse_rows"] == len(view["reuses"])
    internal = [r for r in view["reuses"] if r["role"] == "internal"]
    assert len(internal) == 1
    # The outlet's article of an internal row is the copy: its update.
    assert internal[0]["document"] == "wire_update" and internal[0]["other"] == "wire"
    taken = [r for r in view["reuses"] if r["role"] == "reused_by"]
    assert {r["other_source"] for r in taken} == {
        "Daily Lantern",
        "mirror-site.example",
        "Quickbuzz",
    }
    for row in view["reuses"]:
        assert {row["document"], row["other"]} == {row["a"], row["b"]}
        assert row["type"] != "related"
    blog = source_view(store, "quickbuzz")
    assert {r["role"] for r in blog["reuses"]} == {"reused"}
    assert all(r["document"] == "blog" and not r["credited"] for r in blog["reuses"])
    assert all(r["divergence_kinds"] == {"name": 1} for r in blog["reuses"])


def test_an_unknown_outlet_is_not_found(store: SqliteStore) -> None:
    with pytest.raises(NotFoundError, match="wiretrace sources"):
        source_view(store, "Nobody Gazette")


def test_the_report_reads_every_outlet_once(store: SqliteStore) -> None:
    listing, pages = all_source_views(store)
    assert listing == sources_view(store)
    assert [p["source"]["name"] for p in pages] == [s["name"] for s in listing["sources"]]
    assert pages[0] == source_view(store, pages[0]["source"]["name"])


def test_the_view_does_not_depend_on_the_order_articles_arrived(
    store: SqliteStore, tmp_path: Path
) -> None:
    reverse = _analyzed(tmp_path / "reverse.sqlite", pier_articles()[::-1])
    with open_store(reverse, read_only=True) as other:
        assert sources_view(other) == sources_view(store)


def test_an_empty_store_has_no_outlets(tmp_path: Path) -> None:
    with open_store(tmp_path / "empty.sqlite") as empty:
        view = sources_view(empty)
    validate(view, "api_sources")
    assert view["sources"] == [] and view["edges"] == [] and view["graph"]["nodes"] == []


def _flow(a: str, b: str, direction: Direction) -> Flow:
    verdict = PairVerdict(a, b, ReuseType.EDITED, 0.9, 0.9, direction, False, 0.9)
    return Flow(verdict, "x", "y", ((0, 10),), ((0, 10),), ())


def test_the_origin_of_a_story_is_its_earliest_article() -> None:
    story = Story("s1", ("a", "b", "c"), representative="c")
    dates = {"a": "2026-05-02T09:00Z", "b": "2026-05-02T08:00Z", "c": None}
    assert story_origin(story, dates, [_flow("a", "b", Direction.A_TO_B)]) == "b"
    # A day without a time may be any moment of it: a timed article that day is earlier.
    dates = {"a": "2026-05-02", "b": "2026-05-02T23:00Z", "c": None}
    assert story_origin(story, dates, []) == "b"


def test_a_tie_at_the_earliest_moment_goes_to_the_article_that_took_no_text() -> None:
    story = Story("s1", ("a", "b"), representative="a")
    same = {"a": "2026-05-02T08:00Z", "b": "2026-05-02T08:00Z"}
    assert story_origin(story, same, [_flow("a", "b", Direction.B_TO_A)]) == "b"
    assert story_origin(story, same, []) == "a"


def test_an_undated_story_starts_where_its_pairs_say_text_came_from() -> None:
    story = Story("s1", ("a", "b", "c"), representative="a")
    undated: dict[str, str | None] = {"a": None, "b": None, "c": None}
    flows = [_flow("a", "c", Direction.B_TO_A), _flow("b", "c", Direction.B_TO_A)]
    assert story_origin(story, undated, flows) == "c"
    unknown = [_flow("a", "b", Direction.UNKNOWN)]
    assert story_origin(story, undated, unknown) is None
