"""Interrupted runs resume without losing or duplicating anything.

Real ``wiretrace ingest``, ``analyze`` and ``export`` processes are killed with SIGKILL
at random (seeded) moments and started again until they finish; afterwards every input
record is a document exactly once or a rejection with a reason, the pairs and stories are
those of an uninterrupted run, SQLite's integrity check passes, and an export is the old
file or the new one.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

NUM_RECORDS = 2000
# The ingest loop goes on until this many kills have landed, each between these moments
# after the start (scaled down where runs end first, see KillWindows).
NUM_KILLS = 8
INGEST_KILL_FROM_S, INGEST_KILL_TO_S = 0.3, 2.5
MAX_INGEST_RUNS = 100
# The kill loop over analyze: a smaller slice, so that many runs fit in a few minutes.
LOOP_RECORDS = 600
# The loop goes on until this many kills have landed, so many in each phase; the kill times
# adapt to the machine (see KillWindows), so a slow or busy machine only takes longer.
MIN_LOOP_KILLS = 20
MIN_KILLS_PER_PHASE = 4
KILLS_PER_EPISODE = 7
# A safety net, not a target: with adaptive kill times about 30 runs reach the goals above
# (three to four episodes of eight); this many only if killing itself is broken.
MAX_LOOP_RUNS = 200
PHASE_POLL_S = 0.01
EXPORT_POLL_S = 0.001
EXPORT_WRITE_KILL_S = 0.03
# The export loop goes on until this many kills landed, one of them during the write.
MIN_EXPORT_KILLS = 3
MAX_EXPORT_ATTEMPTS = 100
# Kills land between these shares of an uninterrupted run's duration.
KILL_FROM, KILL_TO = 0.1, 1.0
# A kill that came too late (the run had finished, or was past the phase aimed at) halves
# the next kill time aimed there; one that landed lets it grow back, up to the full span.
MISS_SCALE, HIT_SCALE = 0.5, 1.5


class KillWindows:
    """How late a kill may come, per aim, learned from the kills so far.

    A kill time is drawn between two moments after a run's start, times a scale that starts
    at 1 and halves after each kill that came too late: a resumed run skips what is already
    stored, and a machine's speed changes under load. So the kills keep landing, and each
    loop reaches its number of kills on a fast, slow or busy machine alike.
    """

    def __init__(self) -> None:
        self._scale: dict[str, float] = {}

    def delay(self, rng: random.Random, aim: str, earliest_s: float, latest_s: float) -> float:
        """A random kill time for ``aim``: in ``[earliest_s, latest_s)``, scaled down."""
        return self._scale.get(aim, 1.0) * rng.uniform(earliest_s, latest_s)

    def landed(self, aim: str, hit: bool) -> None:
        """Record whether the kill aimed at ``aim`` hit it."""
        scale = self._scale.get(aim, 1.0) * (HIT_SCALE if hit else MISS_SCALE)
        self._scale[aim] = min(1.0, scale)


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
    windows = KillWindows()
    kills = 0
    for attempt in itertools.count():
        if kills >= NUM_KILLS:
            break
        assert attempt < MAX_INGEST_RUNS, f"only {kills} of {attempt} runs could be killed"
        proc = subprocess.Popen(
            _ingest_command(reuters_sample, db),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            proc.wait(timeout=windows.delay(rng, "run", INGEST_KILL_FROM_S, INGEST_KILL_TO_S))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            windows.landed("run", hit=True)
        else:
            windows.landed("run", hit=False)  # the run ended before the kill
    final = subprocess.run(
        _ingest_command(reuters_sample, db),
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert final.returncode in (0, 3), final.stderr

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
    # Lexical detection: every restart would otherwise load the sentence encoders again
    # (seconds each). The semantic phase runs before its documents are marked detected,
    # so a kill there leaves them pending just like a kill in the lexical phase.
    return [*command, "--semantic", "off"]


@pytest.fixture(scope="module")
def loop_sample(reuters_sample: Path) -> Path:
    """The first LOOP_RECORDS records of the sample."""
    target = reuters_sample.with_name("loop.jsonl")
    lines = reuters_sample.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text("".join(lines[:LOOP_RECORDS]), encoding="utf-8")
    return target


@dataclass(frozen=True)
class CleanRun:
    """A store analyzed by one uninterrupted run, and how long the run and its parts took."""

    db: Path
    seconds: float
    read_seconds: float
    detect_seconds: float


@pytest.fixture(scope="module")
def clean_run(loop_sample: Path) -> CleanRun:
    """The reference: ``analyze`` over the loop sample, never interrupted."""
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
    read = re.search(r"read \d+ units in ([\d.]+) s", done.stderr)
    detected = re.search(r"detected in ([\d.]+) s", done.stderr)
    assert read and detected, done.stderr
    return CleanRun(db, time.monotonic() - started, float(read.group(1)), float(detected.group(1)))


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


def _wait_for_phase(proc: subprocess.Popen, db: Path, runs_before: int, phase: str) -> bool:
    """Wait until the run has reached ``phase``; False if it ended first."""
    order = ("startup", "ingest", "detect")
    deadline = time.monotonic() + 600
    while proc.poll() is None:
        if order.index(_phase_of_kill(db, runs_before)) >= order.index(phase):
            return True
        assert time.monotonic() < deadline, f"the run never reached {phase}"
        time.sleep(PHASE_POLL_S)
    return False


@pytest.mark.slow
def test_analyze_killed_at_random_moments_ends_as_an_uninterrupted_run(
    loop_sample: Path, clean_run: CleanRun, tmp_path: Path
) -> None:
    expected = _snapshot(clean_run.db)
    assert expected[0], "the clean run found no pairs; the comparison would prove nothing"
    rng = random.Random(20260222)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    windows = KillWindows()
    phases: list[str] = []
    num_runs = 0
    # Most kills aim at a random moment inside one phase; "anywhere" (startup included)
    # usually lets a resumed run finish, so it comes last in each round.
    aims = itertools.cycle(("ingest", "detect", "detect", "ingest", "detect", "anywhere"))

    def enough() -> bool:
        return len(phases) >= MIN_LOOP_KILLS and all(
            phases.count(phase) >= MIN_KILLS_PER_PHASE for phase in ("ingest", "detect")
        )

    for episode in itertools.count():
        if enough():
            break
        db = tmp_path / f"episode{episode}.sqlite"
        for attempt in itertools.count():
            assert num_runs < MAX_LOOP_RUNS, f"{num_runs} runs, kills only in {phases}"
            num_runs += 1
            runs_before = _count_runs(db)
            proc = subprocess.Popen(
                _analyze_command(loop_sample, db),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            # A random moment inside the phase aimed at (or anywhere in the run); the
            # last attempt of an episode runs to the end, so every episode finishes.
            aim = next(aims)
            delay: float | None = None
            if attempt < KILLS_PER_EPISODE:
                if aim == "anywhere":
                    seconds = clean_run.seconds
                    delay = windows.delay(rng, aim, KILL_FROM * seconds, KILL_TO * seconds)
                elif _wait_for_phase(proc, db, runs_before, aim):
                    phase_seconds = (
                        clean_run.read_seconds if aim == "ingest" else clean_run.detect_seconds
                    )
                    delay = windows.delay(rng, aim, 0, phase_seconds)
            try:
                proc.wait(timeout=delay if delay is not None else 600)
            except subprocess.TimeoutExpired:
                if delay is None:
                    raise
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                phase = _phase_of_kill(db, runs_before)
                phases.append(phase)
                windows.landed(aim, hit=aim in ("anywhere", phase))
                continue
            finally:
                assert proc.stderr is not None
                stderr = proc.stderr.read().decode("utf-8", "replace")
                proc.stderr.close()
            assert proc.returncode in (0, 3), stderr
            if delay is not None:
                windows.landed(aim, hit=False)  # the run ended before the kill
            break
        _assert_reconciled(db, loop_sample)
        assert _snapshot(db) == expected, f"episode {episode} differs from the clean run"


@pytest.mark.slow
def test_an_export_killed_mid_write_leaves_the_old_file_or_the_new_one(
    clean_run: CleanRun, tmp_path: Path
) -> None:
    clean_db = clean_run.db
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
    windows = KillWindows()
    kills = mid_write = 0
    # Until enough kills landed, one of them during the write; the kill times adapt.
    for attempt in itertools.count():
        if kills >= MIN_EXPORT_KILLS and mid_write >= 1:
            break
        assert attempt < MAX_EXPORT_ATTEMPTS, f"{kills} kills, {mid_write} during the write"
        target.write_bytes(old)
        for part in target.parent.glob(".wiretrace-*.part"):
            part.unlink()
        proc = subprocess.Popen(
            [*command, str(target)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        if attempt % 2:
            # Half the kills aim at the write itself: a moment soon after the temporary
            # file appears (the write of a few MB lasts tens of milliseconds).
            aim = "write"
            deadline = time.monotonic() + 300
            while proc.poll() is None and not any(target.parent.glob(".wiretrace-*.part")):
                assert time.monotonic() < deadline
                time.sleep(EXPORT_POLL_S)
            delay = windows.delay(rng, aim, 0, EXPORT_WRITE_KILL_S)
        else:
            aim = "run"
            delay = windows.delay(rng, aim, 0.2 * export_seconds, export_seconds)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            # A temporary file left behind shows that the kill hit while it was written.
            hit_write = any(target.parent.glob(".wiretrace-*.part"))
            mid_write += hit_write
            windows.landed(aim, hit=hit_write or aim == "run")
        else:
            windows.landed(aim, hit=False)  # the export finished before the kill
        assert target.read_bytes() in (old, new)
    # The next export finishes the job and clears what the killed ones left.
    subprocess.run([*command, str(target)], check=True, capture_output=True, timeout=300)
    assert target.read_bytes() == new
    assert not any(target.parent.glob(".wiretrace-*.part"))


@pytest.mark.slow
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
