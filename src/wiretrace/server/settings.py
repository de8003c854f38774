"""What a server reads, accepts and whom it answers: :class:`ServerSettings`."""

from __future__ import annotations

from dataclasses import dataclass, field

from wiretrace.config import Config
from wiretrace.server.access import LOOPBACK_HOSTS, check_allowed_hosts, check_token
from wiretrace.server.guard import GuardLimits


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """How the server reads the store, what it accepts and whom it answers.

    Attributes:
        limits: body size, per-client rate and concurrency limits (see :class:`GuardLimits`).
        busy_timeout_s: how long one read waits on a lock before a retry.
        lock_retries: retries of a read that met a lock, before answering 503.
        retry_backoff_s: first wait between retries (doubles each time).
        config: the configuration traces use (``wiretrace.toml``, ``--config``, ``--set``).
        semantic: when a trace uses sentence embeddings (``auto``, ``all`` or ``off``, as
            ``analyze --semantic``); ``None``: as ``config`` says (``auto`` by default).
            The server cannot cache vectors in the store it only reads, so on a store
            analysed without them ``off`` answers far faster.
        allowed_hosts: the host names a request's ``Host`` header may name (port aside);
            others get 400, which defeats DNS rebinding. ``*.name`` allows subdomains and
            ``*`` anything. The default, the loopback names, fits a server on 127.0.0.1;
            :func:`wiretrace.server.access.allowed_hosts_for` adds the name a server binds.
        token: when set, every request must carry it (``Authorization: Bearer``, or the
            cookie a browser gets from opening a page with ``?token=``); others get 401.
            At least 16 URL-safe characters (:func:`wiretrace.server.access.new_token`).
        warm_up: load the trace index and the sentence models in the background as the
            server starts (``wiretrace serve`` does), so the first traces are not the slow
            ones; off by default, where an app is made per test.
    """

    limits: GuardLimits = field(default_factory=GuardLimits)
    busy_timeout_s: float = 2.0
    lock_retries: int = 4
    retry_backoff_s: float = 0.05
    config: Config = field(default_factory=Config)
    semantic: str | None = None
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    token: str | None = field(default=None, repr=False)
    warm_up: bool = False

    def __post_init__(self) -> None:
        check_allowed_hosts(self.allowed_hosts)
        check_token(self.token)
