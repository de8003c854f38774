"""The server keeps answering while ``analyze`` writes to the same store.

``analyze`` runs in a subprocess (the one writer) on a copy of the example store while
threads hammer the server; every answer must be a 200 — never a 5xx, never "database is
locked". Bounded in requests and in time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from wiretrace.server.app import ServerSettings, create_app
from wiretrace.server.background import serve_in_thread
from wiretrace.server.guard import GuardLimits

pytestmark = pytest.mark.slow

NUM_NEW_ARTICLES = 60
NUM_CLIENTS = 4
MIN_REQUESTS = 50
MAX_SECONDS = 60.0
TOWNS = ("Arnby", "Belsk", "Corrin", "Dalmoor", "Eskvale", "Fenrow")
SUBJECTS = ("bridge repair", "school budget", "bus timetable", "harbour dredging", "library")


def _write_articles(folder: Path) -> None:
    """Fictional council reports, all different, so analyze has real writes to make."""
    folder.mkdir()
    for i in range(NUM_NEW_ARTICLES):
        town, subject = TOWNS[i % len(TOWNS)], SUBJECTS[i % len(SUBJECTS)]
        text = (
            f"Title: {town} council decides on {subject} number {i}\n\n"
            f"The council of {town} voted {i % 9 + 1} to {i % 4} on Monday to approve the "
            f"{subject}, which will cost {100 + i} thousand crowns. Councillor Mira "
            f"Halden{i} said residents had waited {i % 12 + 2} years for the decision. "
            f"Work starts in week {i % 50 + 1} and should end before the winter of {2027 + i % 3}."
        )
        (folder / f"council_{i:03d}.txt").write_text(text, encoding="utf-8")


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_server_answers_while_analyze_writes(analyzed_examples: Path, tmp_path: Path) -> None:
    db = tmp_path / "busy.sqlite"
    shutil.copy(analyzed_examples, db)
    articles = tmp_path / "new"
    _write_articles(articles)
    limits = GuardLimits(rate_per_s=1e6, burst=10**6)
    failures: list[tuple[str, int, bytes]] = []
    counts = {"requests": 0}
    lock = threading.Lock()
    with serve_in_thread(create_app(db, ServerSettings(limits=limits))) as base:
        urls = [
            base + "/api/stories",
            base + "/",
            base + "/api/documents?id=wire_original",
            base + "/api/stories?q=council",
            base + "/compare?a=wire_original&b=republish_edited",
            base + "/api/health",
        ]
        writer = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "wiretrace.cli",
                "analyze",
                str(articles),
                "--db",
                str(db),
                "--workers",
                "1",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + MAX_SECONDS

        def hammer(offset: int) -> None:
            i = offset
            while writer.poll() is None and time.monotonic() < deadline:
                url = urls[i % len(urls)]
                status, body = _get(url)
                with lock:
                    counts["requests"] += 1
                    if status != 200:
                        failures.append((url, status, body[:300]))
                i += 1

        clients = [threading.Thread(target=hammer, args=(n,)) for n in range(NUM_CLIENTS)]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        _, stderr = writer.communicate(timeout=MAX_SECONDS)
        assert writer.returncode == 0, stderr.decode()[-2000:]
        status, body = _get(base + "/api/health")
        assert status == 200
        assert json.loads(body)["documents"] == 17 + NUM_NEW_ARTICLES
    # 576 requests were served during the write when this was written (2 shared cores).
    assert counts["requests"] >= MIN_REQUESTS, f"only {counts['requests']} requests were made"
    assert not failures, failures[:5]
