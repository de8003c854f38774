"""The web app in-process: pages, JSON twins, the error shape, limits and headers."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import local_client
from wiretrace.server.app import ApiError, ServerSettings, StoreReader, create_app
from wiretrace.server.guard import Guard, GuardLimits
from wiretrace.store.sqlite import write_failure

EXAMPLES_STORY_SIZE = 9


@pytest.fixture(scope="module")
def client(analyzed_examples: Path) -> TestClient:
    return local_client(create_app(analyzed_examples))


def _story_id(client: TestClient) -> str:
    stories = client.get("/api/stories").json()["stories"]
    return next(s["id"] for s in stories if s["size"] == EXAMPLES_STORY_SIZE)


def test_every_page_has_a_json_twin_linked_from_it(client: TestClient) -> None:
    story = _story_id(client)
    pages = [
        "/",
        f"/stories/{story}",
        "/compare?a=wire_original&b=republish_edited",
        "/documents?id=republish_edited",
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.headers["content-type"].startswith("text/html")
        twin = "/api" + url if url != "/" else "/api/stories"
        assert f'href="{twin.replace("&", "&amp;")}"' in page.text, url
        data = client.get(twin)
        assert data.status_code == 200
        assert data.json()["schema"] == "wiretrace-output/1"


def test_stories_list_summarises_each_story(client: TestClient) -> None:
    story = next(s for s in client.get("/api/stories").json()["stories"] if s["size"] == 9)
    assert story["representative"] == "wire_original"
    assert story["first_date"].startswith("2026-03-04")
    assert story["last_date"].startswith("2026-03-07")
    assert story["dominant_type"] == "edited"
    assert "Meridian Press" in story["sources"]
    assert sum(story["type_counts"].values()) == story["num_pairs"]


def test_search_narrows_stories_and_lists_matching_articles(client: TestClient) -> None:
    found = client.get("/api/stories", params={"q": "Brassholm clock"}).json()
    assert [s["size"] for s in found["stories"]] == [2]
    assert {m["id"] for m in found["matches"]} == {"story_b_wire", "story_b_followup"}
    # FTS5 syntax in a query is read as words, never as an error.
    odd = client.get("/api/stories", params={"q": 'NEAR( "unclosed * OR'})
    assert odd.status_code == 200


def test_compare_is_oriented_as_asked(client: TestClient) -> None:
    forward = client.get("/api/compare", params={"a": "wire_original", "b": "republish_edited"})
    backward = client.get("/api/compare", params={"a": "republish_edited", "b": "wire_original"})
    f, b = forward.json(), backward.json()
    assert f["a"]["id"] == b["b"]["id"] == "wire_original"
    assert f["pair"]["coverage_a"] == b["pair"]["coverage_b"]
    assert {f["pair"]["direction"], b["pair"]["direction"]} == {"a->b", "b->a"}
    first_f, first_b = f["pair"]["passages"][0], b["pair"]["passages"][0]
    assert (first_f["a_start"], first_f["a_end"]) == (first_b["b_start"], first_b["b_end"])
    text = f["a"]["text"]
    assert text[first_f["a_start"] : first_f["a_end"]].strip()


def test_document_view_shows_removed_boilerplate_greyed(client: TestClient) -> None:
    data = client.get("/api/documents", params={"id": "republish_edited"}).json()
    removed = data["document"]["removed"]
    assert {r["kind"] for r in removed} >= {"navigation", "promo"}
    page = client.get("/documents", params={"id": "republish_edited"}).text
    assert page.count('class="removed"') >= len(removed)


def test_trace_finds_the_reused_articles(client: TestClient, examples: Path) -> None:
    text = (examples / "republish_trimmed.txt").read_text("utf-8")
    data = client.post("/api/trace", json={"text": text}).json()
    others = [m["other"] for m in data["matches"]]
    assert "wire_original" in others
    upload = client.post("/trace", files={"file": ("article.txt", text.encode())})
    assert upload.status_code == 200
    assert "wire_original" in upload.text


ERROR_KEYS = {"status", "title", "detail"}


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status"),
    [
        ("get", "/api/documents", {"params": {"id": "MARKER-no-such-id"}}, 404),
        ("get", "/api/stories/MARKER-story", {}, 404),
        ("get", "/api/compare", {"params": {"a": "MARKER-x"}}, 422),
        ("get", "/api/stories", {"params": {"limit": "MARKER"}}, 422),
        ("post", "/api/trace", {"json": {"text": "MARKER"}}, 422),
        ("post", "/api/trace", {"content": b"MARKER{", "headers": {"content-type": "x/y"}}, 422),
        ("delete", "/api/stories", {}, 405),
        ("get", "/api/MARKER", {}, 404),
    ],
)
def test_every_json_error_has_one_shape_and_echoes_nothing(
    client: TestClient, method: str, url: str, kwargs: dict, status: int
) -> None:
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    assert body["error"]["status"] == status
    assert "MARKER" not in response.text


def test_html_errors_echo_nothing(client: TestClient) -> None:
    response = client.get("/documents", params={"id": "<b>MARKER</b>"})
    assert response.status_code == 404
    assert "MARKER" not in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_security_headers_and_static_files_only_from_the_package(client: TestClient) -> None:
    response = client.get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/wiretrace.css").status_code == 200
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/%2e%2e/app.py").status_code == 404


def test_openapi_spec_lists_the_api_and_no_cdn_docs(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/compare", "/api/documents"} <= set(
        spec["paths"]
    )
    assert "/api/trace" in spec["paths"]
    assert client.get("/docs").status_code == 404


def _call_guard(
    guard: Guard, headers: list, body_chunks: list[bytes], path: str = "/api/trace"
) -> tuple[int, bytes, int]:
    """Run one request through the guard; return (status, body, chunks the app read)."""
    sent: list[dict] = []
    reads = {"n": 0}
    chunks = list(body_chunks)

    async def receive() -> dict:
        reads["n"] += 1
        chunk = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
    # A thread of its own: the browser tests' Playwright loop may own this thread's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, guard(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body, reads["n"]


async def _app_ok(scope: dict, receive: object, send: object) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
    await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]


def test_oversized_body_is_refused_from_its_length_before_any_read() -> None:
    guard = Guard(_app_ok, GuardLimits(max_body_bytes=100))
    status, body, reads = _call_guard(guard, [(b"content-length", b"101")], [b"x" * 101])
    assert (status, reads) == (413, 0)
    assert json.loads(body)["error"]["status"] == 413


def test_a_page_request_is_refused_with_a_page_not_json() -> None:
    guard = Guard(_app_ok, GuardLimits(max_body_bytes=100))
    status, body, _ = _call_guard(guard, [(b"content-length", b"101")], [], path="/trace")
    assert status == 413
    page = body.decode()
    assert page.startswith("<!doctype html>") and "413 Request too large" in page
    assert "limited to 100 bytes" in page


def test_chunked_body_is_cut_off_at_the_limit() -> None:
    guard = Guard(_app_ok, GuardLimits(max_body_bytes=100))
    status, _, reads = _call_guard(guard, [], [b"x" * 60, b"x" * 60, b"x" * 60])
    assert (status, reads) == (413, 2)
    status, _, _ = _call_guard(guard, [], [b"x" * 50, b"x" * 50])
    assert status == 200


def test_rate_limit_answers_429_with_retry_after(analyzed_examples: Path) -> None:
    limits = GuardLimits(rate_per_s=0.001, burst=3)
    client = local_client(create_app(analyzed_examples, ServerSettings(limits=limits)))
    statuses = [client.get("/api/health").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = client.get("/api/health")
    assert refused.headers["retry-after"] == "1"
    assert set(refused.json()["error"]) == ERROR_KEYS


SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[2]
        / "src"
        / "wiretrace"
        / "schema"
        / "wiretrace-output.schema.json"
    ).read_text("utf-8")
)


def _validate(record: dict, name: str) -> None:
    import jsonschema

    schema = {**SCHEMA, "$ref": f"#/$defs/{name}"}
    for key in ("required", "properties", "additionalProperties", "type"):
        schema.pop(key, None)
    jsonschema.validate(record, schema)


def test_json_twins_match_the_output_schema(client: TestClient, examples: Path) -> None:
    story = _story_id(client)
    _validate(client.get("/api/stories").json(), "api_stories")
    _validate(client.get("/api/stories", params={"q": "harbour"}).json(), "api_stories")
    _validate(client.get(f"/api/stories/{story}").json(), "api_story")
    for a, b in (("wire_original", "spun_rewrite"), ("wire_original", "unrelated_sports")):
        _validate(client.get("/api/compare", params={"a": a, "b": b}).json(), "api_compare")
    _validate(client.get("/api/documents", params={"id": "wire_original"}).json(), "api_document")
    _validate(client.get("/api/documents/wire_original").json(), "api_document")
    _validate(client.get("/api/documents", params={"limit": 3}).json(), "api_documents")
    _validate(client.get("/api/pairs", params={"type": "edited", "limit": 2}).json(), "api_pairs")
    text = (examples / "republish_trimmed.txt").read_text("utf-8")
    _validate(client.post("/api/trace", json={"text": text}).json(), "api_trace")
    _validate(client.get("/api/documents", params={"id": "nope"}).json(), "api_error")


def test_requests_past_the_in_flight_limit_get_503() -> None:
    async def scenario() -> list[int]:
        release = asyncio.Event()
        started = asyncio.Event()

        async def slow_app(scope: dict, receive: object, send: object) -> None:
            started.set()
            await release.wait()
            await _app_ok(scope, receive, send)

        guard = Guard(slow_app, GuardLimits(max_in_flight=1))
        statuses: list[int] = []

        async def call() -> None:
            async def receive() -> dict:
                return {"type": "http.request", "body": b"", "more_body": False}

            async def send(message: dict) -> None:
                if message["type"] == "http.response.start":
                    statuses.append(message["status"])

            scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
            await guard(scope, receive, send)

        first = asyncio.create_task(call())
        await started.wait()
        await call()  # refused at once while the first is in flight
        release.set()
        await first
        await call()  # served again once the first has finished
        return statuses

    with ThreadPoolExecutor(max_workers=1) as pool:
        statuses = pool.submit(asyncio.run, scenario()).result()
    assert statuses == [503, 200, 200]


def _lock() -> None:
    # What the store raises when SQLite meets another process's lock.
    raise write_failure(sqlite3.OperationalError("database is locked"), "w.sqlite")


def test_a_read_that_meets_a_lock_retries_then_answers_503(analyzed_examples: Path) -> None:
    """A lock is retried; a store that cannot be read at all is refused at once."""
    settings = ServerSettings(lock_retries=3, retry_backoff_s=0.001)
    reader = StoreReader(str(analyzed_examples), settings)
    attempts = {"n": 0}

    def locked_twice(store: object) -> str:
        attempts["n"] += 1
        if attempts["n"] <= 2:
            _lock()
        return "read"

    assert reader(locked_twice) == "read"
    assert attempts["n"] == 3

    def always_locked(store: object) -> str:
        _lock()
        return "never"

    with pytest.raises(ApiError) as refused:
        reader(always_locked)
    # Retried until the retries ran out, not refused at once as an unreadable store.
    assert (refused.value.status, refused.value.title) == (503, "Busy")
    assert "locked" not in refused.value.detail
