"""The server under load, on 127.0.0.1 only: refuses what it cannot take, never falls over.

``wiretrace serve`` runs in a subprocess with a low rate limit. A bounded flood of page
requests and oversized uploads gets only 200/413/429/503 answers, the process survives,
its memory plateaus, and it answers normally again within seconds.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from wiretrace.server.background import LOOPBACK, free_port

pytestmark = pytest.mark.slow

RATE_LIMIT = 50
MAX_BODY_KB = 100
NUM_CLIENTS = 8
REQUESTS_PER_CLIENT = 150
NUM_ROUNDS = 3
MAX_SECONDS = 60.0
RECOVERY_S = 5.0
# RSS may grow this much from after the first round to after the last (allocator noise
# and caches); a leak of even one small page per request would pass it.
MAX_GROWTH_BYTES = 40 * 1024 * 1024
ALLOWED = {200, 413, 429, 503}


def _rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for process {pid}")


def _request(port: int, method: str, path: str, headers: dict, body: bytes) -> int:
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.fixture
def server(analyzed_examples: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen, int]]:
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wiretrace.cli",
            "serve",
            "--db",
            str(analyzed_examples),
            "--port",
            str(port),
            "--rate-limit",
            str(RATE_LIMIT),
            "--max-body-kb",
            str(MAX_BODY_KB),
        ],
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            if _request(port, "GET", "/api/health", {}, b"") == 200:
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the server did not start") from None
            time.sleep(0.05)
    yield process, port
    process.terminate()
    process.wait(timeout=20)
    log.close()


def _flood(port: int, deadline: float) -> Counter:
    statuses: Counter = Counter()
    lock = threading.Lock()
    big = b"x" * (MAX_BODY_KB * 1000 + 1)

    def client(n: int) -> None:
        for i in range(REQUESTS_PER_CLIENT):
            if time.monotonic() > deadline:
                return
            if (n + i) % 5 == 0:
                # An oversized upload: refused from its Content-Length (413) or, past the
                # rate, 429; the client may see the socket close before it sent it all.
                try:
                    status = _request(
                        port, "POST", "/api/trace", {"Content-Type": "application/json"}, big
                    )
                except (ConnectionError, http.client.HTTPException):
                    status = 413
            else:
                path = ("/", "/api/stories", "/documents?id=wire_original")[i % 3]
                status = _request(port, "GET", path, {}, b"")
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(NUM_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_flood_and_oversized_uploads_never_crash_the_server(
    server: tuple[subprocess.Popen, int],
) -> None:
    process, port = server
    deadline = time.monotonic() + MAX_SECONDS
    seen: Counter = Counter()
    rss = []
    for _ in range(NUM_ROUNDS):
        seen += _flood(port, deadline)
        assert process.poll() is None, "the server exited during the flood (see serve.log)"
        rss.append(_rss_bytes(process.pid))
    assert set(seen) <= ALLOWED, seen
    assert seen[429] > 0 and seen[200] > 0 and seen[413] > 0, seen
    assert rss[-1] - rss[0] < MAX_GROWTH_BYTES, f"memory grew: {rss}"
    # Recovery: once the flood stops, a normal request is served again within seconds.
    recover_by = time.monotonic() + RECOVERY_S
    while _request(port, "GET", "/api/stories", {}, b"") != 200:
        assert time.monotonic() < recover_by, "the server did not recover within 5 s"
        time.sleep(0.05)
