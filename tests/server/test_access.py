"""Who the server answers: allowed Host names (DNS rebinding) and the access token."""

from __future__ import annotations

import asyncio
import http.client
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.server.conftest import LOCAL_URL, local_client
from wiretrace.errors import ConfigError
from wiretrace.server.access import (
    LOOPBACK_HOSTS,
    TOKEN_COOKIE,
    Access,
    allowed_hosts_for,
    host_allowed,
    host_name,
    is_loopback,
    new_token,
)
from wiretrace.server.app import ServerSettings, create_app
from wiretrace.server.background import serve_in_thread

TOKEN = "t0ken-for-the-tests_0123456789"
ERROR_KEYS = {"status", "title", "detail"}


@pytest.fixture(scope="module")
def app(analyzed_examples: Path) -> FastAPI:
    return create_app(analyzed_examples)


@pytest.fixture(scope="module")
def token_app(analyzed_examples: Path) -> FastAPI:
    return create_app(analyzed_examples, ServerSettings(token=TOKEN))


# -- host names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("attacker.example", 400),
        ("attacker.example:8000", 400),
        ("127.0.0.1.attacker.example", 400),
        ("localhost.attacker.example", 400),
        ("testserver", 400),
        ("", 400),
        ("[::1", 400),
        ("127.0.0.1", 200),
        ("127.0.0.1:8000", 200),
        ("localhost:8000", 200),
        ("LOCALHOST", 200),
        ("localhost.:8000", 200),
        ("[::1]:8000", 200),
    ],
)
def test_only_the_allowed_host_names_are_answered(app: FastAPI, host: str, status: int) -> None:
    client = local_client(app)
    response = client.get("/api/health", headers={"host": host})
    assert response.status_code == status
    if status == 400:
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
        assert body["error"]["title"] == "Host not allowed"
        assert "attacker" not in response.text


def test_a_rebinding_page_gets_an_html_400_for_pages_too(app: FastAPI) -> None:
    response = local_client(app).get("/", headers={"host": "attacker.example"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "400 Host not allowed" in response.text
    # The refusal still carries the security headers.
    assert response.headers["x-frame-options"] == "DENY"


def test_the_default_host_of_the_test_client_is_refused(app: FastAPI) -> None:
    """The default is not weakened for tests: ``testserver`` must be allowed explicitly."""
    assert TestClient(app).get("/api/health").status_code == 400


def test_rebinding_is_refused_by_a_live_server(analyzed_examples: Path) -> None:
    with serve_in_thread(create_app(analyzed_examples)) as base:
        host, port = base.removeprefix("http://").split(":")
        for header, status in (("attacker.example", 400), (f"{host}:{port}", 200)):
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
            try:
                conn.request("GET", "/api/stories", headers={"Host": header})
                assert conn.getresponse().status == status
            finally:
                conn.close()


def test_allowed_hosts_widen_only_by_settings(analyzed_examples: Path) -> None:
    settings = ServerSettings(allowed_hosts=(*LOOPBACK_HOSTS, "*.example.org", "news.lan"))
    client = local_client(create_app(analyzed_examples, settings))
    for host, status in (
        ("wiretrace.example.org", 200),
        ("example.org", 400),
        ("news.lan:8000", 200),
        ("attacker.example", 400),
    ):
        assert client.get("/api/health", headers={"host": host}).status_code == status, host


def test_host_header_parsing() -> None:
    assert host_name("Example.ORG:8080") == "example.org"
    assert host_name("[::1]:80") == "::1"
    assert host_name("[::1]x") is None
    assert host_name("a b") is None
    assert host_name("") is None
    assert host_allowed("a.example.org", ["*.example.org"])
    assert not host_allowed("badexample.org", ["*.example.org"])
    assert host_allowed("anything", ["*"])


def test_allowed_hosts_for_a_bind_address() -> None:
    assert allowed_hosts_for("127.0.0.1") == LOOPBACK_HOSTS
    assert allowed_hosts_for("192.168.1.20") == (*LOOPBACK_HOSTS, "192.168.1.20")
    assert allowed_hosts_for("[::1]") == LOOPBACK_HOSTS
    # Binding every interface names no host: the names clients use must be given.
    assert allowed_hosts_for("0.0.0.0", ["news.lan"]) == (*LOOPBACK_HOSTS, "news.lan")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("localhost", True),
        ("LocalHost.", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("192.168.1.20", False),
        ("10.0.0.1", False),
        ("example.org", False),
        ("localhost.example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    "kwargs",
    [
        {"allowed_hosts": ()},
        {"allowed_hosts": ("http://example.org",)},
        {"allowed_hosts": ("example.org:8000",)},
        {"allowed_hosts": ("a.*.org",)},
        {"token": "short"},
        {"token": "has spaces in it but long"},
        {"token": "semi;colon;in;a;long;token"},
        {"token": ""},
    ],
)
def test_settings_refuse_unusable_hosts_and_tokens(kwargs: dict) -> None:
    with pytest.raises(ConfigError):
        ServerSettings(**kwargs)


def test_the_token_stays_out_of_the_settings_repr() -> None:
    assert TOKEN not in repr(ServerSettings(token=TOKEN))


def test_new_tokens_are_usable_and_differ() -> None:
    first, second = new_token(), new_token()
    assert first != second
    ServerSettings(token=first)


# -- the token ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/health",
        "/api/stories",
        "/api/openapi.json",
        "/api/documents?id=wire_original",
        "/",
        "/documents?id=wire_original",
        "/static/wiretrace.css",
    ],
)
def test_without_the_token_every_request_gets_401(token_app: FastAPI, url: str) -> None:
    response = local_client(token_app).get(url, follow_redirects=False)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    if url.startswith(("/api", "/static")):
        assert set(response.json()["error"]) == ERROR_KEYS
    else:
        assert "401 Token required" in response.text


def test_the_api_takes_the_token_as_a_bearer_header(token_app: FastAPI) -> None:
    client = local_client(token_app)
    ok = client.get("/api/stories", headers={"authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200
    lower = client.get("/api/health", headers={"authorization": f"bearer {TOKEN}"})
    assert lower.status_code == 200
    wrong = client.get("/api/stories", headers={"authorization": f"Bearer {TOKEN}x"})
    assert wrong.status_code == 401
    assert TOKEN not in wrong.text
    basic = client.get("/api/stories", headers={"authorization": f"Basic {TOKEN}"})
    assert basic.status_code == 401
    posted = client.post(
        "/api/trace",
        json={"text": "Nothing to find here at all, just a sentence."},
        headers={"authorization": f"Bearer {TOKEN}"},
    )
    assert posted.status_code in (200, 422)


def test_a_browser_exchanges_the_query_token_for_a_strict_cookie(token_app: FastAPI) -> None:
    client = local_client(token_app)
    first = client.get("/documents?id=wire_original&token=" + TOKEN, follow_redirects=False)
    assert first.status_code == 303
    # The token leaves the address: the redirect keeps every other parameter.
    assert first.headers["location"] == "/documents?id=wire_original"
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{TOKEN_COOKIE}={TOKEN};")
    assert {"HttpOnly", "SameSite=Strict", "Path=/"} <= {p.strip() for p in cookie.split(";")}
    # The client keeps the cookie; pages and their JSON twins are served with it.
    assert client.get("/documents?id=wire_original").status_code == 200
    assert client.get("/api/documents?id=wire_original").status_code == 200
    assert client.get("/").status_code == 200


def test_a_wrong_query_token_sets_nothing(token_app: FastAPI) -> None:
    client = local_client(token_app)
    response = client.get("/?token=" + TOKEN[:-1] + "X", follow_redirects=False)
    assert response.status_code == 401
    assert "set-cookie" not in response.headers
    assert TOKEN[:-1] not in response.text


def test_a_wrong_cookie_is_refused(token_app: FastAPI) -> None:
    client = TestClient(token_app, base_url=LOCAL_URL, cookies={TOKEN_COOKIE: "x" * 30})
    assert client.get("/").status_code == 401


def _redirect_of(raw_path: bytes, query: bytes) -> tuple[int, dict[bytes, bytes]]:
    """Status and headers of the Access middleware's answer to one GET (the app: 200)."""
    sent: list[dict] = []

    async def app_ok(scope: dict, receive: object, send: object) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b""})  # type: ignore[operator]

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": raw_path.decode(),
        "raw_path": raw_path,
        "query_string": query,
        "headers": [(b"host", b"127.0.0.1:8000")],
    }
    access = Access(app_ok, LOOPBACK_HOSTS, TOKEN)
    # A thread of its own: the browser tests' Playwright loop may own this thread's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, access(scope, receive, send)).result()
    start = sent[0]
    return start["status"], dict(start["headers"])


def test_the_query_token_redirect_stays_on_this_site() -> None:
    status, headers = _redirect_of(b"//evil.example/x", b"a=1&token=" + TOKEN.encode())
    assert status == 303
    assert headers[b"location"] == b"/evil.example/x?a=1"
    # Percent-encoded paths are sent back as they came.
    status, headers = _redirect_of(b"/documents/a%2Fb", b"token=" + TOKEN.encode())
    assert headers[b"location"] == b"/documents/a%2Fb"


def test_the_spec_declares_the_bearer_scheme_when_there_is_a_token(
    token_app: FastAPI, app: FastAPI
) -> None:
    headers = {"authorization": f"Bearer {TOKEN}"}
    spec = local_client(token_app).get("/api/openapi.json", headers=headers).json()
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert spec["security"] == [{"bearer": []}]
    plain = local_client(app).get("/api/openapi.json").json()
    assert "security" not in plain
