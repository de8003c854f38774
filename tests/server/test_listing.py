"""The list endpoints: documents and pairs with filters, stories, and paging by ``next``."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import analyze_into, local_client
from wiretrace.dates import parse_date
from wiretrace.server.app import create_app
from wiretrace.server.listing import next_link
from wiretrace.store import open_store

NUM_EXAMPLES = 17


@pytest.fixture(scope="module")
def client(analyzed_examples: Path) -> TestClient:
    return local_client(create_app(analyzed_examples))


def _walk(client: TestClient, url: str, key: str) -> tuple[list[dict], list[dict]]:
    """Every item of a list, following ``next``; and every page answered."""
    items, pages = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        page = response.json()
        pages.append(page)
        items.extend(page[key])
        url = page["next"]
        assert len(pages) <= 100, "next never ends"
    return items, pages


def test_documents_pages_list_every_document_once(client: TestClient) -> None:
    documents, pages = _walk(client, "/api/documents?limit=5", "documents")
    assert len(documents) == NUM_EXAMPLES
    assert len({d["id"] for d in documents}) == NUM_EXAMPLES
    assert [len(p["documents"]) for p in pages] == [5, 5, 5, 2]
    assert [p["offset"] for p in pages] == [0, 5, 10, 15]
    assert all(p["num_documents"] == NUM_EXAMPLES for p in pages)
    assert pages[-1]["next"] is None
    # A list row has the metadata and the story, never the text.
    row = next(d for d in documents if d["id"] == "wire_original")
    assert row["source"] == "Meridian Press" and row["story"] is not None
    assert "text" not in row and "source_path" not in row


def test_an_exact_page_end_has_no_next(client: TestClient) -> None:
    page = client.get("/api/documents", params={"limit": NUM_EXAMPLES}).json()
    assert len(page["documents"]) == NUM_EXAMPLES and page["next"] is None
    past = client.get("/api/documents", params={"offset": 1000}).json()
    assert past["documents"] == [] and past["next"] is None


def test_documents_filter_by_source_language_and_dates(client: TestClient) -> None:
    every = client.get("/api/documents", params={"limit": 500}).json()["documents"]
    meridian = client.get("/api/documents", params={"source": "MERIDIAN press"}).json()
    assert meridian["num_documents"] == sum(d["source"] == "Meridian Press" for d in every) > 0
    assert {d["source"] for d in meridian["documents"]} == {"Meridian Press"}
    french = client.get("/api/documents", params={"language": "fr"}).json()["documents"]
    assert [d["id"] for d in french] == ["translation_fr"]
    since, until = date(2026, 3, 5), date(2026, 3, 7)
    dated = client.get("/api/documents", params={"since": "2026-03-05", "until": "2026-03-07"})
    expected = set()
    for d in every:
        parsed = parse_date(d["date"])
        if parsed is not None and since <= parsed.moment.date() <= until:
            expected.add(d["id"])
    assert {d["id"] for d in dated.json()["documents"]} == expected
    assert 0 < len(expected) < NUM_EXAMPLES


def test_filters_are_kept_in_the_next_link(client: TestClient) -> None:
    documents, pages = _walk(
        client, "/api/documents?source=Meridian+Press&limit=1&since=2026-01-01", "documents"
    )
    assert len(pages) == len(documents) > 1
    assert all("source=Meridian+Press" in p["next"] for p in pages[:-1])
    assert {d["source"] for d in documents} == {"Meridian Press"}


def test_pairs_pages_list_every_pair_once(client: TestClient, analyzed_examples: Path) -> None:
    with open_store(analyzed_examples) as store:
        stored = {(v.a, v.b) for v in store.iter_pairs(with_passages=False)}
    pairs, pages = _walk(client, "/api/pairs?limit=7", "pairs")
    assert [(p["a"], p["b"]) for p in pairs] == sorted(stored)
    assert all(len(p["pairs"]) == 7 for p in pages[:-1])
    # Pairs carry their passages, so uncredited reuse is told as in the story view.
    assert any(p["passages"] for p in pairs)
    assert any(p["uncredited_reuse"] for p in pairs)


def test_pairs_filter_by_type_credit_source_and_document(client: TestClient) -> None:
    every = client.get("/api/pairs", params={"limit": 500}).json()["pairs"]
    types = client.get("/api/pairs", params={"type": ["paraphrase", "translation"]}).json()
    assert [p["type"] for p in types["pairs"]] == [
        p["type"] for p in every if p["type"] in ("paraphrase", "translation")
    ]
    uncredited = client.get("/api/pairs", params={"credited": "false"}).json()["pairs"]
    assert uncredited == [p for p in every if not p["credited"]]
    mine = client.get("/api/pairs", params={"doc": "wire_original", "limit": 500}).json()
    assert mine["pairs"] == [p for p in every if "wire_original" in (p["a"], p["b"])]
    sources = {
        d["id"]: d["source"]
        for d in client.get("/api/documents", params={"limit": 500}).json()["documents"]
    }
    harbour = client.get("/api/pairs", params={"source": "harbourline"}).json()["pairs"]
    assert harbour == [p for p in every if "Harbourline" in (sources[p["a"]], sources[p["b"]])]
    assert harbour


def test_an_unknown_pair_type_is_a_422(client: TestClient) -> None:
    response = client.get("/api/pairs", params={"type": "MARKER"})
    assert response.status_code == 422
    assert "MARKER" not in response.text


def test_stories_pages_follow_the_whole_list(client: TestClient) -> None:
    whole = client.get("/api/stories").json()
    assert whole["next"] is None and whole["offset"] == 0
    stories, pages = _walk(client, "/api/stories?limit=1", "stories")
    assert [s["id"] for s in stories] == [s["id"] for s in whole["stories"]]
    assert all(p["num_stories"] == whole["num_stories"] for p in pages)


def test_the_stories_page_links_the_next_page(client: TestClient) -> None:
    """The page takes the paging of its JSON twin and links the page after it."""
    num_stories = client.get("/api/stories").json()["num_stories"]
    assert num_stories >= 2
    url, seen = "/?limit=1", []
    while url:
        page = client.get(url)
        assert page.status_code == 200
        seen.append(page.text.count("<tr data-search"))
        twin = "/api/stories?" + url.split("?", 1)[1]
        assert f'href="{twin.replace("&", "&amp;")}"' in page.text
        match = re.search(r'<a href="([^"]+)" rel="next">', page.text)
        url = html.unescape(match.group(1)) if match else ""
    assert seen == [1] * num_stories
    assert 'rel="next"' not in client.get("/").text


def test_single_document_by_path_and_by_the_old_query(client: TestClient) -> None:
    by_path = client.get("/api/documents/wire_original")
    by_query = client.get("/api/documents", params={"id": "wire_original"})
    assert by_path.status_code == by_query.status_code == 200
    assert by_path.json() == by_query.json()
    missing = client.get("/api/documents/MARKER-none")
    assert missing.status_code == 404 and "MARKER" not in missing.text


def test_an_id_with_a_slash_is_found_by_path(tmp_path: Path) -> None:
    source = tmp_path / "records.jsonl"
    text = "A record whose id holds a slash, as ids made from paths do. " * 3
    source.write_text(json.dumps({"id": "sub/dir/article", "text": text}), encoding="utf-8")
    client = local_client(create_app(analyze_into(tmp_path / "slash.sqlite", source)))
    response = client.get("/api/documents/sub%2Fdir%2Farticle")
    assert response.status_code == 200
    assert response.json()["document"]["id"] == "sub/dir/article"
    assert client.get("/api/documents/sub/dir/article").json()["document"]["id"] == (
        "sub/dir/article"
    )


def test_next_link_keeps_filters_and_replaces_paging() -> None:
    query = [("type", "edited"), ("type", "partial"), ("limit", "2"), ("offset", "4")]
    link = next_link("/api/pairs", query, 2, 4, True)
    assert link == "/api/pairs?type=edited&type=partial&limit=2&offset=6"
    assert next_link("/api/pairs", query, 2, 4, False) is None
