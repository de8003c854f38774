"""Who may talk to the server: the ``Host`` names it answers, and its access token.

**Host names (DNS rebinding).** A page on ``attacker.example`` can point its own name at
127.0.0.1 and then read the server's answers as if they came from its own site. The
browser still sends ``Host: attacker.example``, so the server answers only requests whose
``Host`` (without its port) is one of ``allowed_hosts``: by default the loopback names
(``localhost``, ``127.0.0.1``, ``::1``), to which :func:`allowed_hosts_for` adds the name
the server binds. Any other host, or none, gets 400. A pattern ``*.example.org`` allows
the subdomains of a name, and ``*`` any host (never the default).

**Token.** A server bound beyond loopback is open to the network, so it can require a
token (``ServerSettings.token``; :func:`new_token` makes one). Every request must then
carry it, pages and API alike:

- an API client sends ``Authorization: Bearer <token>``;
- a browser opens any page once as ``...?token=<token>``: the server answers 303 to the
  same address without the token (so it leaves the address bar and the history) and sets
  the cookie ``wiretrace_token`` (``HttpOnly``: no script reads it; ``SameSite=Strict``: no
  other site's page makes the browser send it; ``Path=/``). Later pages, their JSON twins
  and the static files carry the cookie. Open that address typed, pasted or bookmarked:
  after a link from another site the browser withholds a Strict cookie from the redirect.

Anything else gets 401 (``WWW-Authenticate: Bearer``) with the one error shape: JSON for
the API, a short page for the pages. Tokens are compared in constant time, and a wrong
one is never echoed. The cookie has no ``Secure`` flag because the server speaks plain
HTTP; behind a TLS proxy, the proxy should add it.

Nothing here imports the web framework: the CLI asks :func:`is_loopback` before binding.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
from collections.abc import Iterable, Sequence
from enum import Enum
from urllib.parse import parse_qsl, quote, urlencode

from wiretrace.errors import ConfigError
from wiretrace.server.guard import ASGIApp, Receive, Scope, Send, send_error

# The names of this machine's loopback interface, as a browser on it writes them.
LOOPBACK_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
# Addresses that bind every interface: no request names them in its Host header.
WILDCARD_ADDRESSES = frozenset({"", "0.0.0.0", "::"})
TOKEN_COOKIE = "wiretrace_token"
TOKEN_PARAM = "token"
# A token goes into headers, cookies and query strings unescaped, so it is restricted to
# URL-safe characters; 16 is the least that resists guessing at the rate limit
# (``new_token`` gives 43: 256 random bits).
MIN_TOKEN_CHARS = 16
_TOKEN = re.compile(r"[A-Za-z0-9._~-]+")
_HOST_NAME = re.compile(r"[a-z0-9._-]+|[0-9a-f:.]+")
_HOST_PATTERN = re.compile(r"\*|(\*\.)?[a-z0-9._-]+")
TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh random token (43 URL-safe characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def _bare(host: str) -> str:
    """``host`` lower-cased, without IPv6 brackets and without a final dot."""
    name = host.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    return name.rstrip(".") if name != "." else name


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server on this machine.

    True for ``localhost``, 127.0.0.0/8 and ``::1`` (also written ``[::1]`` or as an
    IPv4-mapped address); false for everything else, ``0.0.0.0`` and ``::`` included,
    which bind every interface.
    """
    name = _bare(host)
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def allowed_hosts_for(bind_host: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The ``allowed_hosts`` of a server bound to ``bind_host``.

    The loopback names, ``bind_host`` itself (unless it binds every interface, which no
    ``Host`` header names: then list the names clients use in ``extra``) and ``extra``.
    """
    names = [*LOOPBACK_HOSTS]
    if _bare(bind_host) not in WILDCARD_ADDRESSES:
        names.append(_bare(bind_host))
    names.extend(_bare(name) for name in extra)
    return tuple(dict.fromkeys(names))


def check_allowed_hosts(patterns: Sequence[str]) -> None:
    """Raise :class:`ConfigError` unless every pattern is a name, ``*.name`` or ``*``."""
    if not patterns:
        raise ConfigError(
            "allowed_hosts is empty: the server would refuse every request; "
            f"allow at least the loopback names {LOOPBACK_HOSTS}"
        )
    for pattern in patterns:
        if not (_HOST_PATTERN.fullmatch(_bare(pattern)) or _is_address(_bare(pattern))):
            raise ConfigError(
                f"allowed host {pattern!r} is not a host name, an address, '*.name' or '*'; "
                "write it without scheme, port or path (e.g. 'wiretrace.example.org')"
            )


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def check_token(token: str | None) -> None:
    """Raise :class:`ConfigError` unless ``token`` is ``None`` or a usable token."""
    if token is None:
        return
    if len(token) < MIN_TOKEN_CHARS or not _TOKEN.fullmatch(token):
        raise ConfigError(
            f"the access token must be at least {MIN_TOKEN_CHARS} characters of A-Z, a-z, "
            f"0-9, '.', '_', '~' or '-'; got {len(token)} characters. "
            "wiretrace.server.access.new_token() makes one"
        )


def host_name(header: str) -> str | None:
    """The host of a ``Host`` header without its port, or ``None`` if it is malformed."""
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0 or (value[end + 1 :] and not value[end + 1 :].startswith(":")):
            return None
        name = value[1:end]
    else:
        name = value.split(":", 1)[0]
    name = name.rstrip(".") if name != "." else name
    return name if name and _HOST_NAME.fullmatch(name) else None


def host_allowed(name: str, patterns: Sequence[str]) -> bool:
    """Whether the host ``name`` matches one of ``patterns`` (exact, ``*.suffix``, ``*``)."""
    for pattern in patterns:
        bare = _bare(pattern)
        if bare == "*" or name == bare:
            return True
        if bare.startswith("*.") and name.endswith(bare[1:]):
            return True
    return False


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def _cookie(header: str, name: str) -> str | None:
    """The value of cookie ``name`` in a ``Cookie`` header, or ``None``."""
    for part in header.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            return value.strip().strip('"')
    return None


class _Verdict(Enum):
    """What to do with a request of a server that has a token."""

    PASS = "pass"
    EXCHANGE = "exchange"  # a right ?token= on a GET: set the cookie, redirect
    REFUSE = "refuse"


class Access:
    """ASGI middleware: refuses unknown ``Host`` names (400) and missing tokens (401).

    With a token, a GET carrying the right ``?token=`` is answered 303 with the cookie.
    It runs inside :class:`~wiretrace.server.guard.Guard`, which adds the security
    headers to its answers as to all others.
    """

    def __init__(
        self, app: ASGIApp, allowed_hosts: Sequence[str], token: str | None = None
    ) -> None:
        check_allowed_hosts(allowed_hosts)
        check_token(token)
        self.app = app
        self.allowed_hosts = tuple(allowed_hosts)
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the host and the token, then pass the request on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in reversed(scope.get("headers") or [])}
        name = host_name(headers.get(b"host", b"").decode("latin-1"))
        if name is None or not host_allowed(name, self.allowed_hosts):
            await send_error(
                scope,
                send,
                400,
                "Host not allowed",
                "This server answers only to the host names it was started for; "
                "open it by one of those (e.g. http://127.0.0.1:PORT/).",
            )
            return
        if self.token is None:
            await self.app(scope, receive, send)
            return
        verdict = self._authenticate(scope, headers, self.token)
        if verdict is _Verdict.PASS:
            await self.app(scope, receive, send)
        elif verdict is _Verdict.EXCHANGE:
            await self._set_cookie(scope, send, self.token)
        else:
            await send_error(
                scope,
                send,
                401,
                "Token required",
                "This server needs its access token: send 'Authorization: Bearer TOKEN', "
                "or open a page once as /?token=TOKEN.",
                [(b"www-authenticate", b'Bearer realm="wiretrace"')],
            )

    @staticmethod
    def _authenticate(scope: Scope, headers: dict[bytes, bytes], token: str) -> _Verdict:
        """Pass a right bearer token or cookie, exchange a right ``?token=``, else refuse."""
        authorization = headers.get(b"authorization", b"").decode("latin-1").strip()
        if authorization:
            scheme, _, given = authorization.partition(" ")
            ok = scheme.lower() == "bearer" and _same(given.strip(), token)
            return _Verdict.PASS if ok else _Verdict.REFUSE
        cookie = _cookie(headers.get(b"cookie", b"").decode("latin-1"), TOKEN_COOKIE)
        if cookie is not None and _same(cookie, token):
            return _Verdict.PASS
        if scope.get("method") in ("GET", "HEAD"):
            query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
            offered = [v for k, v in query if k == TOKEN_PARAM]
            if offered and _same(offered[0], token):
                return _Verdict.EXCHANGE
        return _Verdict.REFUSE

    @staticmethod
    async def _set_cookie(scope: Scope, send: Send, token: str) -> None:
        """303 to the same address without ``?token=``, setting the token cookie."""
        raw_path = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else quote(scope.get("path", "/"))
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), True)
        rest = urlencode([(k, v) for k, v in query if k != TOKEN_PARAM])
        # "//host/..." would send the browser to another site: keep the path on this one.
        location = "/" + path.lstrip("/") + ("?" + rest if rest else "")
        cookie = f"{TOKEN_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
        headers = [
            (b"location", location.encode("latin-1")),
            (b"set-cookie", cookie.encode("latin-1")),
            (b"cache-control", b"no-store"),
            (b"content-length", b"0"),
        ]
        await send({"type": "http.response.start", "status": 303, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
