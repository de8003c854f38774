"""An ASGI guard in front of the app: body limits, rate limit, load shedding, headers.

It answers before the application runs, so an oversized upload is refused from its
``Content-Length`` (413) without reading a byte of it, a client that floods gets 429 once
its token bucket is empty, and more requests in flight than the server can serve get 503
instead of queueing without bound. API requests get the one JSON error shape of the API;
pages get a short HTML page saying the same, so a browser never shows raw JSON.

The rate limit is per client: each client address has a token bucket of its own, so one
client's flood does not lock the others out. The buckets live in a bounded LRU map: a
bucket that has refilled is dropped (it holds nothing a new bucket would not), and past
``max_clients`` the least recently seen client is forgotten. Clients are told apart by the
address of the connection: behind a reverse proxy every request comes from the proxy, so
all of them share one bucket (forwarded-for headers are not trusted: anyone can send one).
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Sent with every response: pages run only the package's own script and style, load
# nothing from elsewhere, and cannot be framed (the XSS and clickjacking backstop).
SECURITY_HEADERS = (
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


@dataclass(frozen=True, slots=True)
class GuardLimits:
    """Limits of the guard.

    Attributes:
        max_body_bytes: largest request body accepted (a pasted article or an upload);
            2 MB holds the longest article in ../shared/data many times over.
        max_in_flight: requests served at once; more get 503 (each holds a thread and a
            read connection).
        rate_per_s: sustained requests per second from one client address.
        burst: requests one client may send at once above the sustained rate.
        retry_after_s: what 429 and 503 tell a client to wait.
        max_clients: client addresses whose buckets are kept at once; past it the least
            recently seen is forgotten. A bucket is a few hundred bytes, so 10,000 of them
            cost a few MB however many addresses a flood comes from.
    """

    max_body_bytes: int = 2_000_000
    max_in_flight: int = 32
    rate_per_s: float = 200.0
    burst: int = 400
    retry_after_s: int = 1
    max_clients: int = 10_000


def error_body(status: int, title: str, detail: str) -> bytes:
    """The JSON error shape every API error shares."""
    return json.dumps({"error": {"status": status, "title": title, "detail": detail}}).encode()


def error_page(status: int, title: str, detail: str) -> bytes:
    """The same error as a minimal HTML page, for requests of the web pages."""
    title, detail = html.escape(title), html.escape(detail)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{status} {title} · wiretrace</title></head><body>"
        f"<h1>{status} {title}</h1><p>{detail}</p>"
        f'<p><a href="/">Back to the stories</a></p></body></html>'
    ).encode()


def is_api_path(path: str) -> bool:
    """Requests answered in JSON, errors included (the pages answer in HTML)."""
    return path.startswith("/api") or path.startswith("/static")


async def send_error(
    scope: Scope,
    send: Send,
    status: int,
    title: str,
    detail: str,
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    """Answer with an error: the JSON shape for the API, a short page for the pages.

    ``headers`` go with it (``retry-after``, ...); the security headers are the caller's
    to add, since inside :class:`Guard` they are added to every response.
    """
    if is_api_path(scope.get("path", "")):
        content_type, body = b"application/json", error_body(status, title, detail)
    else:
        content_type, body = b"text/html; charset=utf-8", error_page(status, title, detail)
    start_headers = [(b"content-type", content_type), *headers]
    await send({"type": "http.response.start", "status": status, "headers": start_headers})
    await send({"type": "http.response.body", "body": body})


Clock = Callable[[], float]


class TokenBucket:
    """A token bucket: ``rate_per_s`` tokens a second, at most ``burst`` saved."""

    __slots__ = ("rate_per_s", "burst", "_clock", "_tokens", "_last")

    def __init__(self, rate_per_s: float, burst: int, clock: Clock = time.monotonic) -> None:
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._last = clock()

    def take(self) -> bool:
        """Spend one token if there is one."""
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate_per_s)
        self._last = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    def is_full(self) -> bool:
        """Whether the bucket has refilled to ``burst`` (it then equals a new bucket)."""
        return self._tokens + (self._clock() - self._last) * self.rate_per_s >= self.burst


class ClientBuckets:
    """One :class:`TokenBucket` per client, in an LRU map of at most ``max_clients``.

    Thread-safe. A bucket that has refilled is dropped when it is the least recently
    seen, so the map holds the clients active in the last ``burst / rate_per_s`` seconds;
    more active clients than ``max_clients`` push out the least recently seen, which then
    starts again with a full bucket.
    """

    def __init__(
        self, rate_per_s: float, burst: int, max_clients: int, clock: Clock = time.monotonic
    ) -> None:
        self.rate_per_s = rate_per_s
        self.burst = burst
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, client: str) -> bool:
        """Spend one of ``client``'s tokens if it has one."""
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                self._evict()
                bucket = TokenBucket(self.rate_per_s, self.burst, self._clock)
                self._buckets[client] = bucket
            else:
                self._buckets.move_to_end(client)
            return bucket.take()

    def _evict(self) -> None:
        """Drop refilled buckets from the idle end, and the idlest one when full."""
        while self._buckets:
            idlest = next(iter(self._buckets.values()))
            if not idlest.is_full() and len(self._buckets) < self.max_clients:
                return
            self._buckets.popitem(last=False)


def client_key(scope: Scope) -> str:
    """The address a request came from (``""`` where the server does not know it)."""
    client = scope.get("client")
    return str(client[0]) if client else ""


class Guard:
    """ASGI middleware enforcing :class:`GuardLimits` and adding security headers."""

    def __init__(self, app: ASGIApp, limits: GuardLimits) -> None:
        self.app = app
        self.limits = limits
        self.buckets = ClientBuckets(limits.rate_per_s, limits.burst, limits.max_clients)
        self.in_flight = 0

    async def _refuse(self, scope: Scope, send: Send, status: int, title: str, detail: str) -> None:
        headers = [*SECURITY_HEADERS]
        if status in (429, 503):
            headers.append((b"retry-after", str(self.limits.retry_after_s).encode()))
        await send_error(scope, send, status, title, detail, headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the limits, then pass the request on with security headers added."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self.buckets.take(client_key(scope)):
            await self._refuse(
                scope, send, 429, "Too many requests", "The server is rate-limited; retry shortly."
            )
            return
        if self.in_flight >= self.limits.max_in_flight:
            await self._refuse(
                scope, send, 503, "Busy", "The server is serving its maximum of requests; retry."
            )
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        limit = self.limits.max_body_bytes
        too_big = f"Request bodies are limited to {limit} bytes; send a shorter text or file."
        if length is not None:
            if not length.isdigit() or int(length) > limit:
                await self._refuse(scope, send, 413, "Request too large", too_big)
                return
        elif scope.get("method") in ("POST", "PUT", "PATCH"):
            # A chunked body names no length: read it up to the limit, then replay it.
            body, over = await _read_bounded(receive, limit)
            if over:
                await self._refuse(scope, send, 413, "Request too large", too_big)
                return
            receive = _replay(body)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        self.in_flight += 1
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            self.in_flight -= 1


async def _read_bounded(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The request body, or ``(partial, True)`` as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks), False


def _replay(body: bytes) -> Receive:
    """A ``receive`` that hands the app a body already read."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
