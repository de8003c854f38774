"""Interrupted runs resume without losing or duplicating anything.

Real ``wiretrace ingest``, ``analyze`` and ``export`` processes are killed with SIGKILL
at random (seeded) moments and started again until they finish; afterwards every input
record is a document exactly once or a rejection with a reason, the pairs and stories are
those of an uninterrupted run, SQLite's integrity check passes, and an export is the old
file or the new one.
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
# The kill loop over analyze: a smaller slice, so that many runs fit in a few minutes.
LOOP_RECORDS = 1000
MIN_LOOP_KILLS = 22
MIN_KILLS_PER_PHASE = 4
MAX_EPISODES = 12
# Kills land between these shares of an uninterrupted run's duration.
KILL_FROM, KILL_TO = 0.1, 1.0


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


def _analyze_command(sample: Path, db: Path) -> list[str]:
    command = _ingest_command(sample, db)
    command[3] = "analyze"
    return command


@pytest.fixture(scope="module")
def loop_sample(reuters_sample: Path) -> Path:
    """The first LOOP_RECORDS records of the sample."""
    target = reuters_sample.with_name("loop.jsonl")
    lines = reuters_sample.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text("".join(lines[:LOOP_RECORDS]), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def clean_run(loop_sample: Path) -> tuple[Path, float]:
    """A store analyzed by one uninterrupted run, and how long that run took."""
    db = loop_sample.with_name("clean.sqlite")
    started = time.monotonic()
    done = subprocess.run(
        _analyze_command(loop_sample, db),
        env={**os.environ, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode in (0, 3), done.stderr
    return db, time.monotonic() - started


def _snapshot(db: Path) -> tuple[set, set, list]:
    """Pairs (with their verdicts), stories (as sets of documents) and document ids."""
    conn = sqlite3.connect(db)
    try:
        pairs = {
            (a, b, t, d, c, round(s, 4), round(ca, 4), round(cb, 4))
            for a, b, t, d, c, s, ca, cb in conn.execute(
                "SELECT a, b, type, direction, credited, similarity, coverage_a, coverage_b "
                "FROM pairs"
            )
        }
        members: dict[str, set[str]] = {}
        for doc_id, story_id in conn.execute("SELECT doc_id, story_id FROM stories"):
            members.setdefault(story_id, set()).add(doc_id)
        stories = {frozenset(m) for m in members.values()}
        ids = [row[0] for row in conn.execute("SELECT id FROM documents")]
    finally:
        conn.close()
    return pairs, stories, ids


def _phase_of_kill(db: Path, runs_before: int) -> str:
    """Where a killed analyze was: before its run began, reading, or detecting."""
    if not db.exists():
        return "startup"
    conn = sqlite3.connect(db)
    try:
        if conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'runs'").fetchone()[0]:
            runs = conn.execute("SELECT run_id, finished_at FROM runs ORDER BY run_id").fetchall()
        else:
            runs = []
    finally:
        conn.close()
    if len(runs) <= runs_before:
        return "startup"
    return "ingest" if runs[-1][1] is None else "detect"


def _count_runs(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        exists = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'runs'").fetchone()
        return conn.execute("SELECT count(*) FROM runs").fetchone()[0] if exists[0] else 0
    finally:
        conn.close()


def _assert_reconciled(db: Path, sample: Path) -> None:
    """The last run's ledger accounts for every input line once; documents match it."""
    records = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines()]
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [row[0] for row in conn.execute("SELECT id FROM documents")]
        last_run = conn.execute("SELECT max(run_id) FROM runs").fetchone()[0]
        ledger = conn.execute(
            "SELECT unit, status, doc_id, reason FROM ledger WHERE run_id = ?", (last_run,)
        ).fetchall()
        pending = conn.execute("SELECT count(*) FROM fingerprints WHERE detected = 0").fetchone()
        unfingerprinted = conn.execute(
            "SELECT count(*) FROM documents d LEFT JOIN fingerprints f ON f.doc_key = d.key "
            "WHERE f.doc_key IS NULL"
        ).fetchone()
    finally:
        conn.close()
    assert len(ids) == len(set(ids)), "a record was stored twice"
    assert len(ledger) == len(records)
    assert len({unit for unit, *_ in ledger}) == len(records)
    statuses = {status for _, status, _, _ in ledger}
    assert statuses <= {"stored", "updated", "unchanged", "rejected"}
    rejected = [reason for _, status, _, reason in ledger if status == "rejected"]
    assert all(rejected)
    settled = {doc_id for _, status, doc_id, _ in ledger if status != "rejected"}
    assert set(ids) == settled
    assert len(settled) + len(rejected) == len(records)
    assert pending[0] == 0 and unfingerprinted[0] == 0, "detection was left unfinished"


@pytest.mark.slow
def test_analyze_killed_at_random_moments_ends_as_an_uninterrupted_run(
    loop_sample: Path, clean_run: tuple[Path, float], tmp_path: Path
) -> None:
    clean_db, clean_seconds = clean_run
    expected = _snapshot(clean_db)
    assert expected[0], "the clean run found no pairs; the comparison would prove nothing"
    rng = random.Random(20260222)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    phases: list[str] = []
    for episode in range(MAX_EPISODES):
        enough = len(phases) >= MIN_LOOP_KILLS and all(
            phases.count(phase) >= MIN_KILLS_PER_PHASE for phase in ("ingest", "detect")
        )
        if enough:
            break
        db = tmp_path / f"episode{episode}.sqlite"
        while True:
            runs_before = _count_runs(db)
            proc = subprocess.Popen(
                _analyze_command(loop_sample, db),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            try:
                proc.wait(timeout=rng.uniform(KILL_FROM, KILL_TO) * clean_seconds)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                phases.append(_phase_of_kill(db, runs_before))
                continue
            finally:
                assert proc.stderr is not None
                stderr = proc.stderr.read().decode("utf-8", "replace")
                proc.stderr.close()
            assert proc.returncode in (0, 3), stderr
            break
        _assert_reconciled(db, loop_sample)
        assert _snapshot(db) == expected, f"episode {episode} differs from the clean run"
    assert len(phases) >= MIN_LOOP_KILLS, phases
    assert phases.count("ingest") >= MIN_KILLS_PER_PHASE, phases
    assert phases.count("detect") >= MIN_KILLS_PER_PHASE, phases


@pytest.mark.slow
def test_an_export_killed_mid_write_leaves_the_old_file_or_the_new_one(
    clean_run: tuple[Path, float], tmp_path: Path
) -> None:
    clean_db, _ = clean_run
    command = [sys.executable, "-m", "wiretrace.cli", "export", "--db", str(clean_db), "-o"]
    reference = tmp_path / "reference.jsonl"
    started = time.monotonic()
    subprocess.run([*command, str(reference)], check=True, capture_output=True, timeout=300)
    export_seconds = time.monotonic() - started
    new = reference.read_bytes()
    old = b'{"id": "the old export"}\n'
    target = tmp_path / "out" / "documents.jsonl"
    target.parent.mkdir()
    rng = random.Random(7)
    kills = mid_write = 0
    for _ in range(12):
        target.write_bytes(old)
        for part in target.parent.glob(".wiretrace-*.part"):
            part.unlink()
        proc = subprocess.Popen(
            [*command, str(target)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            proc.wait(timeout=rng.uniform(0.5, 1.0) * export_seconds)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            # A temporary file left behind shows that the kill hit while it was written.
            mid_write += any(target.parent.glob(".wiretrace-*.part"))
        assert target.read_bytes() in (old, new)
    assert kills >= 3, "the exports finished before they could be killed"
    assert mid_write >= 1, "no kill hit an export while it was writing"


def test_a_detection_that_dies_after_fingerprinting_is_finished_by_the_next_one(
    examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wiretrace.engines import local
    from wiretrace.engines.ingest import ingest
    from wiretrace.store import open_store

    clean = tmp_path / "clean.sqlite"
    with open_store(clean) as store:
        ingest(store, [str(examples)], workers=1)
        local.detect(store, workers=1)
    interrupted = tmp_path / "interrupted.sqlite"
    with open_store(interrupted) as store:
        ingest(store, [str(examples)], workers=1)

        def dies(*args: object) -> None:
            raise KeyboardInterrupt  # stands in for a kill after the fingerprints' commit

        with monkeypatch.context() as patch:
            patch.setattr(local, "evaluate_pair", dies)
            with pytest.raises(KeyboardInterrupt):
                local.detect(store, workers=1)
        assert store.documents_without_fingerprint() == []
        assert store.documents_pending_detection()
        summary = local.detect(store, workers=1)
        assert summary.new_documents == store.num_documents()
        assert store.documents_pending_detection() == []
    assert _snapshot(interrupted)[:2] == _snapshot(clean)[:2]
