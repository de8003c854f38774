"""An ASGI guard in front of the app: body limits, rate limit, load shedding, headers.

It answers before the application runs, so an oversized upload is refused from its
``Content-Length`` (413) without reading a byte of it, a flood gets 429 once the token
bucket is empty, and more requests in flight than the server can serve get 503 instead of
queueing without bound. API requests get the one JSON error shape of the API; pages get a
short HTML page saying the same, so a browser never shows raw JSON.
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
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
        rate_per_s: sustained requests per second from all clients together (the server
            binds to one machine's loopback by default, so one bucket is enough).
        burst: requests accepted at once above the sustained rate.
        retry_after_s: what 429 and 503 tell a client to wait.
    """

    max_body_bytes: int = 2_000_000
    max_in_flight: int = 32
    rate_per_s: float = 200.0
    burst: int = 400
    retry_after_s: int = 1


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


class TokenBucket:
    """A thread-safe token bucket: ``rate_per_s`` tokens a second, at most ``burst`` saved."""

    def __init__(self, rate_per_s: float, burst: int) -> None:
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._tokens = float(burst)
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Spend one token if there is one."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate_per_s)
            self._last = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True


class Guard:
    """ASGI middleware enforcing :class:`GuardLimits` and adding security headers."""

    def __init__(self, app: ASGIApp, limits: GuardLimits) -> None:
        self.app = app
        self.limits = limits
        self.bucket = TokenBucket(limits.rate_per_s, limits.burst)
        self.in_flight = 0

    async def _refuse(self, scope: Scope, send: Send, status: int, title: str, detail: str) -> None:
        if is_api_path(scope.get("path", "")):
            content_type, body = b"application/json", error_body(status, title, detail)
        else:
            content_type, body = b"text/html; charset=utf-8", error_page(status, title, detail)
        headers = [(b"content-type", content_type), *SECURITY_HEADERS]
        if status in (429, 503):
            headers.append((b"retry-after", str(self.limits.retry_after_s).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the limits, then pass the request on with security headers added."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self.bucket.take():
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
