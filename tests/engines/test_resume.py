"""Interrupted ingests resume without losing or duplicating anything.

A real ``wiretrace ingest`` process is killed with SIGKILL at random moments and started
again until it finishes; afterwards every input record is a document exactly once or a
rejection with a reason, and SQLite's integrity check passes.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

NUM_RECORDS = 2000
NUM_KILLS = 8


@pytest.fixture(scope="module")
def reuters_sample(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first records of Reuters-21578, written to a temporary JSONL file."""
    source = shared / "data" / "reuters21578" / "articles.jsonl"
    target = tmp_path_factory.mktemp("resume") / "sample.jsonl"
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for _, line in zip(range(NUM_RECORDS), lines, strict=False):
            out.write(line)
    return target


def _ingest_command(sample: Path, db: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "wiretrace.cli",
        "ingest",
        str(sample),
        "--text-field",
        "body",
        "--id-field",
        "newid",
        "--db",
        str(db),
        "--workers",
        "1",
    ]


@pytest.mark.slow
def test_ingest_killed_at_random_moments_resumes_without_loss_or_duplicates(
    reuters_sample: Path, tmp_path: Path
) -> None:
    db = tmp_path / "resume.sqlite"
    rng = random.Random(20230222)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    kills = 0
    for _ in range(NUM_KILLS):
        proc = subprocess.Popen(
            _ingest_command(reuters_sample, db),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 2.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    final = subprocess.run(
        _ingest_command(reuters_sample, db),
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert final.returncode in (0, 3), final.stderr
    assert kills >= 1, "every run finished before it could be killed; the test proved nothing"

    records = [json.loads(line) for line in reuters_sample.read_text(encoding="utf-8").splitlines()]
    with_text = {str(r["newid"]) for r in records if (r.get("body") or "").strip()}
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [row[0] for row in conn.execute("SELECT id FROM documents")]
        assert len(ids) == len(set(ids)), "a record was stored twice"
        # The last run settles every unit: stored or unchanged for text, rejected otherwise.
        last_run = conn.execute("SELECT max(run_id) FROM runs").fetchone()[0]
        ledger = conn.execute(
            "SELECT unit, status, doc_id, reason FROM ledger WHERE run_id = ?", (last_run,)
        ).fetchall()
    finally:
        conn.close()
    assert len(ledger) == NUM_RECORDS
    assert len({unit for unit, *_ in ledger}) == NUM_RECORDS
    rejected = [(unit, reason) for unit, status, _, reason in ledger if status == "rejected"]
    assert all(reason for _, reason in rejected)
    settled = {doc_id for _, status, doc_id, _ in ledger if status in ("stored", "unchanged")}
    # Records whose text cleans down to nothing are rejected with a reason; all others stored.
    assert settled <= with_text
    assert set(ids) == settled
    assert len(settled) + len(rejected) == NUM_RECORDS
