"""The sources pages of the web UI, their JSON twins and the static report's sources pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import jsonschema
import pytest
from fastapi.testclient import TestClient

import wiretrace
from tests.report.sources_corpus import BODY, DATELINE, pier_articles
from tests.server.conftest import local_client
from wiretrace import Article
from wiretrace.report.html import write_html_report
from wiretrace.server.app import create_app
from wiretrace.store import open_store

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[2] / "src/wiretrace/schema/wiretrace-output.schema.json"
    ).read_text("utf-8")
)
# An outlet whose name needs encoding in a URL: a slash, a space and a non-ASCII letter.
SLASHED = "Nord/Süd Rundschau"


def validate(record: dict, name: str) -> None:
    schema = {**SCHEMA, "$ref": f"#/$defs/{name}"}
    for key in ("required", "properties", "additionalProperties", "type"):
        schema.pop(key, None)
    jsonschema.validate(record, schema)


@pytest.fixture(scope="module")
def pier_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("server-sources") / "pier.sqlite"
    slashed = Article(
        "nordsued", DATELINE + BODY, title="Pier", source=SLASHED, date="2026-05-02T11:00Z"
    )
    wiretrace.analyze([*pier_articles(), slashed], db=db, semantic="off", workers=1)
    return db


@pytest.fixture(scope="module")
def client(pier_db: Path) -> TestClient:
    return local_client(create_app(pier_db))


def _names(client: TestClient) -> list[str]:
    return [s["name"] for s in client.get("/api/sources").json()["sources"]]


def test_the_sources_list_is_in_the_schema_with_every_outlet(client: TestClient) -> None:
    response = client.get("/api/sources")
    assert response.status_code == 200
    view = response.json()
    validate(view, "api_sources")
    assert set(_names(client)) == {
        "Ostmark Wire", "Daily Lantern", "mirror-site.example", "Quickbuzz",
        "Unrelated Times", SLASHED,
    }  # fmt: skip
    assert view["next"] is None
    edges = {(e["from"], e["to"]) for e in view["edges"]}
    assert ("Ostmark Wire", SLASHED) in edges
    assert len(view["graph"]["edges"]) == len(view["edges"])


def test_the_sources_list_pages_with_a_next_link(client: TestClient) -> None:
    names, url = [], "/api/sources?limit=2"
    for _ in range(10):
        page = client.get(url).json()
        validate(page, "api_sources")
        assert len(page["sources"]) <= 2
        names += [s["name"] for s in page["sources"]]
        # Every page carries the whole graph, whatever its slice of the outlets.
        assert page["num_sources"] == 6 and page["edges"]
        if page["next"] is None:
            break
        url = page["next"]
    assert names == _names(client)


@pytest.mark.parametrize("spelling", ["Ostmark Wire", "ostmark wire", " OSTMARK  WIRE "])
def test_one_outlet_answers_to_any_spelling(client: TestClient, spelling: str) -> None:
    response = client.get("/api/sources/" + quote(spelling, safe=""))
    assert response.status_code == 200
    view = response.json()
    validate(view, "api_source")
    assert view["source"]["name"] == "Ostmark Wire"
    assert view["num_reuse_rows"] == len(view["reuses"]) > 0


def test_an_outlet_named_with_a_slash_has_its_own_page(client: TestClient) -> None:
    view = client.get("/api/sources/" + quote(SLASHED, safe="")).json()
    assert view["source"]["name"] == SLASHED
    assert view["source"]["num_reusing_articles"] == 1
    page = client.get("/sources/" + quote(SLASHED, safe=""))
    assert page.status_code == 200
    assert "Nord/Süd Rundschau" in page.text


def test_an_outlets_reuses_page_with_a_next_link_that_works(client: TestClient) -> None:
    first = client.get("/api/sources/Ostmark%20Wire", params={"limit": 1}).json()
    assert len(first["reuses"]) == 1
    assert first["next"] == "/api/sources/Ostmark%20Wire?limit=1&offset=1"
    rows = [first["reuses"][0]]
    url = first["next"]
    while url:
        page = client.get(url).json()
        rows += page["reuses"]
        url = page["next"]
    assert rows == client.get("/api/sources/Ostmark%20Wire").json()["reuses"]


def test_an_unknown_outlet_is_a_404_in_the_error_shape(client: TestClient) -> None:
    response = client.get("/api/sources/Nobody%20Gazette")
    assert response.status_code == 404
    body = response.json()
    validate(body, "api_error")
    assert "/sources" in body["error"]["detail"]
    page = client.get("/sources/Nobody%20Gazette")
    assert page.status_code == 404 and "Not found" in page.text


def test_the_answers_name_no_path_of_the_servers_disk(client: TestClient, pier_db: Path) -> None:
    for url in ("/api/sources", "/api/sources/Quickbuzz", "/sources", "/sources/Quickbuzz"):
        text = client.get(url).text
        assert str(pier_db.parent) not in text and "source_path" not in text


def test_a_foreign_host_gets_400(client: TestClient) -> None:
    response = client.get("/api/sources", headers={"Host": "attacker.example"})
    assert response.status_code == 400


def _links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]


def test_the_sources_page_links_every_outlet_and_draws_every_edge(client: TestClient) -> None:
    home = client.get("/").text
    assert 'href="/sources"' in home
    page = client.get("/sources")
    assert page.status_code == 200
    html = page.text
    view = client.get("/api/sources").json()
    assert html.count('<path class="flow"') == len(view["edges"])
    assert 'href="/api/sources"' in html
    for name in _names(client):
        assert f'href="/sources/{quote(name, safe="")}"' in html
    for link in {h for h in _links(html) if h.startswith("/sources/")}:
        assert client.get(link).status_code == 200, link


def test_an_outlets_page_links_resolve(client: TestClient) -> None:
    html = client.get("/sources/Quickbuzz").text
    links = set(_links(html))
    compares = [h for h in links if h.startswith("/compare?")]
    # Four copies it took from, and the later credited copy that dates and credits
    # disagree on: shared, in no known direction.
    assert len(compares) == 5
    assert html.count('class="r-reused"') == 4 and html.count('class="r-shared"') == 1
    assert 'href="/api/sources/Quickbuzz"' in html
    for link in links:
        if link.startswith(("/compare", "/documents", "/sources", "/stories")):
            assert client.get(link).status_code == 200, link
    # The document page names its outlet and links to it.
    document = client.get("/documents", params={"id": "mirror"}).text
    assert 'href="/sources/mirror-site.example"' in document


def test_the_static_report_has_a_page_per_outlet(pier_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    with open_store(pier_db, read_only=True) as store:
        summary = write_html_report(store, out)
    assert summary.num_sources == 6
    pages = {p.name for p in out.glob("*.html")}
    assert len(pages) == summary.num_pages
    index = (out / "index.html").read_text("utf-8")
    assert 'href="sources.html"' in index
    sources = (out / "sources.html").read_text("utf-8")
    outlet_pages = [h for h in _links(sources) if h.startswith("source-")]
    assert len(set(outlet_pages)) == 6
    for page in out.glob("*.html"):
        for href in _links(page.read_text("utf-8")):
            if not href.startswith(("http://", "https://")):
                assert href in pages, f"{page.name} links to missing {href}"
