"""The per-client rate limit: one token bucket per client address, in a bounded map."""

from __future__ import annotations

from pathlib import Path

from tests.server.conftest import local_client
from wiretrace.server.app import ServerSettings, create_app
from wiretrace.server.guard import ClientBuckets, GuardLimits, client_key


class FakeClock:
    """A clock the test moves by hand: no sleeping, no timing in the assertions."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _taken(buckets: ClientBuckets, client: str, times: int) -> list[bool]:
    return [buckets.take(client) for _ in range(times)]


def test_each_client_has_a_bucket_of_its_own() -> None:
    buckets = ClientBuckets(rate_per_s=1.0, burst=2, max_clients=10, clock=FakeClock())
    assert _taken(buckets, "10.0.0.1", 3) == [True, True, False]
    # Another client is not held back by the first one's flood.
    assert _taken(buckets, "10.0.0.2", 3) == [True, True, False]


def test_a_bucket_refills_at_the_rate() -> None:
    clock = FakeClock()
    buckets = ClientBuckets(rate_per_s=2.0, burst=2, max_clients=10, clock=clock)
    assert _taken(buckets, "a", 3) == [True, True, False]
    clock.now += 0.5  # one token at 2 per second
    assert _taken(buckets, "a", 2) == [True, False]
    clock.now += 100.0  # never more than the burst
    assert _taken(buckets, "a", 3) == [True, True, False]


def test_the_map_never_holds_more_than_max_clients() -> None:
    clock = FakeClock()
    buckets = ClientBuckets(rate_per_s=1.0, burst=5, max_clients=100, clock=clock)
    for i in range(10_000):
        buckets.take(f"10.{i // 65536}.{i // 256 % 256}.{i % 256}")
        assert len(buckets) <= 100
    assert len(buckets) == 100


def test_refilled_buckets_are_dropped_as_new_clients_come() -> None:
    clock = FakeClock()
    buckets = ClientBuckets(rate_per_s=1.0, burst=2, max_clients=100, clock=clock)
    for i in range(50):
        buckets.take(f"client-{i}")
    assert len(buckets) == 50
    clock.now += 2.0  # every bucket has refilled: they hold nothing a new one would not
    buckets.take("newcomer")
    assert len(buckets) == 1


def test_a_client_pushed_out_while_active_keeps_the_busy_ones() -> None:
    """Past max_clients the least recently seen goes; a recently seen one stays."""
    clock = FakeClock()
    buckets = ClientBuckets(rate_per_s=0.001, burst=1, max_clients=2, clock=clock)
    assert _taken(buckets, "a", 2) == [True, False]
    assert buckets.take("b")
    assert not buckets.take("a")  # a is now the most recently seen
    assert buckets.take("c")  # pushes out b, the least recently seen
    assert not buckets.take("a")
    assert len(buckets) == 2


def test_client_key_is_the_connection_address() -> None:
    assert client_key({"client": ("192.0.2.7", 51000)}) == "192.0.2.7"
    assert client_key({"client": None}) == ""
    assert client_key({}) == ""


def test_the_server_limits_each_client_separately(analyzed_examples: Path) -> None:
    limits = GuardLimits(rate_per_s=0.001, burst=2)
    app = create_app(analyzed_examples, ServerSettings(limits=limits))
    first = local_client(app, client=("192.0.2.1", 50000))
    second = local_client(app, client=("192.0.2.2", 50000))
    assert [first.get("/api/health").status_code for _ in range(3)] == [200, 200, 429]
    assert [second.get("/api/health").status_code for _ in range(3)] == [200, 200, 429]
    # The same address on another connection shares its bucket.
    again = local_client(app, client=("192.0.2.1", 50001))
    assert again.get("/api/health").status_code == 429
