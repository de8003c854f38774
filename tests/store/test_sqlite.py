"""The SQLite store through its public API: round-trips, schema versions, document versions."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.errors import NotFoundError, StoreError
from wiretrace.extract.document import build_document
from wiretrace.model import Document, RawRecord, RemovedKind, RemovedSpan, Span
from wiretrace.store import open_store
from wiretrace.store.schema import MIGRATIONS, SCHEMA_VERSION

# Text the read stage can hand on: no lone surrogates (sanitized away before storing).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
OPTIONAL = st.none() | TEXT


@st.composite
def documents(draw, doc_id=None) -> Document:
    text = draw(TEXT)
    original = draw(TEXT)
    spans = st.builds(
        lambda a, b: Span(min(a, b), max(a, b)), st.integers(0, 500), st.integers(0, 500)
    )
    return Document(
        id=doc_id if doc_id is not None else draw(TEXT.filter(bool)),
        text=text,
        original=original,
        source_path=draw(TEXT),
        title=draw(OPTIONAL),
        date=draw(OPTIONAL),
        url=draw(OPTIONAL),
        source=draw(OPTIONAL),
        byline=draw(OPTIONAL),
        language=draw(st.sampled_from(["en", "fr", "de", "und"])),
        credits=tuple(draw(st.lists(TEXT, max_size=3))),
        removed=tuple(
            draw(
                st.lists(
                    st.builds(
                        RemovedSpan,
                        st.integers(0, 500),
                        st.integers(0, 500),
                        st.sampled_from(list(RemovedKind)),
                        TEXT,
                    ),
                    max_size=4,
                )
            )
        ),
        kept=tuple(
            draw(
                st.lists(
                    st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(1, 10**6)),
                    max_size=4,
                )
            )
        ),
        sentences=tuple(draw(st.lists(spans, max_size=6))),
        content_hash=draw(st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)),
    )


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "wiretrace.sqlite") as opened:
        yield opened


def _run(store) -> int:
    return store.begin_run("test", {"why": "tests"})


@settings(max_examples=60)
@given(documents())
def test_every_document_round_trips(doc):
    with open_store(":memory:") as store:
        assert store.put_document(doc, _run(store)) == "stored"
        store.commit()
        assert store.get_document(doc.id) == doc
        assert store.get_documents([doc.id, "absent"]) == {doc.id: doc}
        assert list(store.iter_documents()) == [doc]


def test_documents_survive_closing_and_reopening(tmp_path, example_doc):
    path = tmp_path / "w.sqlite"
    with open_store(path) as store:
        store.put_document(example_doc, _run(store))
    with open_store(path) as store:
        assert store.get_document(example_doc.id) == example_doc
        assert store.num_documents() == 1
        assert store.integrity_check() == "ok"


@pytest.fixture
def example_doc() -> Document:
    return Document(
        id="wire_original",
        text="PORT CALLOW (Meridian Press) - The board voted.\nIt was 7 to 2.",
        original="Share\nPORT CALLOW (Meridian Press) - The board voted.\nIt was 7 to 2.",
        source_path="examples/corpus/wire_original.txt",
        title="Port Callow approves expansion",
        date="2026-03-04T09:12:00Z",
        source="Meridian Press",
        byline="Ines Calloway-Roth",
        language="en",
        credits=("Meridian Press",),
        removed=(RemovedSpan(0, 6, RemovedKind.CHROME, "Share\n"),),
        kept=((0, 6, 63),),
        sentences=(Span(0, 48), Span(49, 63)),
        content_hash="a" * 32,
    )


def test_a_new_store_has_the_latest_schema(store):
    assert store.schema_version == SCHEMA_VERSION == len(MIGRATIONS)


def test_an_old_store_is_migrated_in_place(tmp_path, example_doc):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + ";PRAGMA user_version=1;")
    conn.close()
    with open_store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        store.put_document(example_doc, _run(store))
        assert store.get_document(example_doc.id) == example_doc


def test_a_store_from_a_newer_wiretrace_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer") as info:
        open_store(path)
    assert str(SCHEMA_VERSION + 1) in str(info.value)


def test_a_file_that_is_not_sqlite_is_a_store_error(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        open_store(path)
    assert isinstance(StoreError("x"), RuntimeError)


def test_opening_twice_is_idempotent(tmp_path):
    path = tmp_path / "w.sqlite"
    for _ in range(3):
        with open_store(path) as store:
            assert store.schema_version == SCHEMA_VERSION


def test_the_store_uses_write_ahead_logging(tmp_path, example_doc):
    path = tmp_path / "w.sqlite"
    with open_store(path) as store:
        store.put_document(example_doc, _run(store))
        store.commit()
        assert (tmp_path / "w.sqlite-wal").exists()


def test_the_same_content_twice_is_unchanged(store, example_doc):
    run = _run(store)
    assert store.put_document(example_doc, run) == "stored"
    assert store.put_document(example_doc, run) == "unchanged"
    assert store.num_documents() == 1
    assert store.lookup(example_doc.id) == (example_doc.content_hash, 1)


def test_new_content_under_a_known_id_is_a_new_version(store, example_doc):
    run = _run(store)
    store.put_document(example_doc, run)
    newer = Document(**{**_fields(example_doc), "text": "Changed text.", "content_hash": "b" * 32})
    assert store.put_document(newer, run) == "updated"
    assert store.lookup(example_doc.id) == ("b" * 32, 2)
    stored = store.get_document(example_doc.id)
    assert (stored.text, stored.version) == ("Changed text.", 2)
    assert store.num_documents() == 1
    # Back to the first content: a third version, not a silent revert.
    assert store.put_document(example_doc, run) == "updated"
    assert store.lookup(example_doc.id) == (example_doc.content_hash, 3)


def _fields(doc: Document) -> dict:
    return {name: getattr(doc, name) for name in Document.__slots__}


def test_an_unknown_id_is_not_found_naming_the_id(store):
    with pytest.raises(NotFoundError) as info:
        store.get_document("no-such-doc")
    assert "no-such-doc" in str(info.value)
    assert isinstance(info.value, KeyError)


def test_delete_document(store, example_doc):
    store.put_document(example_doc, _run(store))
    store.delete_document(example_doc.id)
    assert store.lookup(example_doc.id) is None
    with pytest.raises(NotFoundError):
        store.delete_document(example_doc.id)


def test_runs_and_ledger(store):
    run = _run(store)
    store.log(run, "a.jsonl#L1", "a.jsonl", "stored", "d1")
    store.log(run, "a.jsonl#L2", "a.jsonl", "rejected", reason="invalid JSON")
    store.finish_run(run, {"read": 2})
    other = _run(store)
    store.log(other, "b.txt", "b.txt", "unchanged", "b")
    store.commit()
    assert other != run
    assert [r["unit"] for r in store.ledger(run)] == ["a.jsonl#L1", "a.jsonl#L2"]
    assert store.ledger(run)[1] == {
        "run_id": run,
        "unit": "a.jsonl#L2",
        "source_path": "a.jsonl",
        "status": "rejected",
        "doc_id": None,
        "reason": "invalid JSON",
        "notes": (),
    }
    assert len(store.ledger()) == 3


def test_ledger_notes_round_trip(store):
    run = _run(store)
    notes = ("1 byte sequence that is not UTF-8 replaced with U+FFFD", "mojibake repaired ('é')")
    store.log(run, "a.txt", "a.txt", "stored", "a", notes=notes)
    store.log(run, "b.txt", "b.txt", "stored", "b")
    store.commit()
    assert [row["notes"] for row in store.ledger(run)] == [notes, ()]


def test_ledger_rows_from_before_notes_read_as_no_notes(tmp_path):
    path = tmp_path / "v5.sqlite"
    conn = sqlite3.connect(path)
    for version, script in enumerate(MIGRATIONS[:5], 1):
        conn.executescript(script + f";PRAGMA user_version={version};")
    conn.execute("INSERT INTO runs(command, config, started_at) VALUES ('ingest', '{}', 't')")
    conn.execute(
        "INSERT INTO ledger(run_id, unit, source_path, status, doc_id) "
        "VALUES (1, 'old.txt', 'old.txt', 'stored', 'old')"
    )
    conn.commit()
    conn.close()
    with open_store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        (row,) = store.ledger()
    assert row["unit"] == "old.txt"
    assert row["notes"] == ()


def test_the_ledger_accepts_only_known_statuses(store):
    run = _run(store)
    with pytest.raises((sqlite3.IntegrityError, StoreError)):
        store.log(run, "x", "x", "lost")


def test_rollback_drops_the_open_transaction(store, example_doc):
    run = _run(store)
    store.put_document(example_doc, run)
    store.rollback()
    assert store.lookup(example_doc.id) is None


def test_document_summaries(store, example_doc):
    store.put_document(example_doc, _run(store))
    (summary,) = store.document_summaries()
    assert summary["id"] == example_doc.id
    assert summary["credits"] == ["Meridian Press"]
    assert summary["chars"] == len(example_doc.text)
    assert summary["version"] == 1


@pytest.mark.parametrize(
    ("message", "cause"),
    [
        ("database or disk is full", "the disk is full"),
        ("disk I/O error", "the disk reported an error"),
        ("database is locked", "another process holds the store"),
    ],
)
def test_write_failures_say_what_is_kept_and_how_to_resume(message, cause):
    from wiretrace.store.sqlite import write_failure

    error = write_failure(sqlite3.OperationalError(message), "w.sqlite")
    assert isinstance(error, StoreError)
    text = str(error)
    assert "'w.sqlite'" in text and cause in text and message in text
    assert "committed before this point is kept" in text and "run the same command again" in text


@pytest.mark.slow
def test_a_full_disk_stops_analyze_clearly_and_the_rerun_completes(shared, small_disk, tmp_path):
    import json
    import os
    import subprocess
    import sys

    source = shared / "data" / "reuters21578" / "articles.jsonl"
    sample = tmp_path / "sample.jsonl"
    with source.open(encoding="utf-8") as lines:
        sample.write_text("".join(next(lines) for _ in range(1000)), encoding="utf-8")
    # Room for the first batches of 500 records (text, full-text index, fingerprints) and
    # not for the whole sample, so the disk fills after some work was acknowledged.
    small_disk.resize(3 * 1024)
    db = small_disk.path / "w.sqlite"
    command = [sys.executable, "-m", "wiretrace.cli", "analyze", str(sample), "--db", str(db)]
    # The lexical layer: the store is under test, and sentence encoding would only add a
    # minute of model time to the run that completes.
    command += ["--text-field", "body", "--id-field", "newid", "--workers", "1"]
    command += ["--semantic", "off"]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    failed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert failed.returncode == 1, failed.stderr
    assert "the disk is full" in failed.stderr and "run the same command again" in failed.stderr
    assert "Traceback" not in failed.stderr

    def state() -> tuple[set, list, str]:
        conn = sqlite3.connect(db)
        try:
            docs = {row[0] for row in conn.execute("SELECT id FROM documents")}
            rows = conn.execute("SELECT run_id, unit, status, doc_id FROM ledger").fetchall()
            return docs, rows, conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()

    docs, ledger, integrity = state()
    assert integrity == "ok"
    # What was acknowledged (a committed ledger row) is stored; nothing else is.
    acknowledged = {doc_id for _, _, status, doc_id in ledger if status == "stored"}
    assert acknowledged and docs == acknowledged
    assert len(docs) < 1000, "the disk was big enough; the test proved nothing"

    small_disk.resize(64 * 1024)
    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert resumed.returncode in (0, 3), resumed.stderr
    docs, ledger, integrity = state()
    assert integrity == "ok"
    last_run = max(run for run, *_ in ledger)
    final = [(unit, status, doc_id) for run, unit, status, doc_id in ledger if run == last_run]
    assert len(final) == len({unit for unit, _, _ in final}) == 1000
    assert docs == {doc_id for _, status, doc_id in final if status != "rejected"}
    lines = sample.read_text(encoding="utf-8").splitlines()
    with_text = sum(1 for line in lines if (json.loads(line).get("body") or "").strip())
    assert len(docs) <= with_text


@pytest.mark.slow
def test_an_io_error_mid_run_stops_ingest_clearly_and_the_rerun_completes(shared, tmp_path):
    """libfiu makes every pwrite fail with EIO once part of the input is committed."""
    import os
    import shutil
    import subprocess
    import sys
    import time

    if shutil.which("fiu-run") is None or shutil.which("fiu-ctrl") is None:
        message = (
            "fiu-run/fiu-ctrl not found (Debian package fiu-utils, installed by `make fiu`, "
            "which `make test` runs)"
        )
        if os.environ.get("WIRETRACE_REQUIRE_SHARED") == "1":
            pytest.fail(message + "; CI installs it, so its absence is a failure there")
        pytest.skip(message)
    source = shared / "data" / "reuters21578" / "articles.jsonl"
    sample = tmp_path / "sample.jsonl"
    with source.open(encoding="utf-8") as lines:
        sample.write_text("".join(next(lines) for _ in range(1500)), encoding="utf-8")
    db = tmp_path / "w.sqlite"
    command = [sys.executable, "-m", "wiretrace.cli", "ingest", str(sample), "--db", str(db)]
    command += ["--text-field", "body", "--id-field", "newid", "--workers", "1"]
    # No BLAS thread pool: threads that start while libraries load can deadlock against
    # libfiu's malloc wrapper (seen with pyarrow's allocator thread, which the CLI no
    # longer loads for ingest).
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.Popen(["fiu-run", "-x", *command], stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 300
        committed = 0
        while committed == 0 and proc.poll() is None:
            assert time.monotonic() < deadline, "ingest stored nothing in 300 s under fiu-run"
            time.sleep(0.01)
            if db.exists():
                conn = sqlite3.connect(db)
                try:
                    committed = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                except sqlite3.OperationalError:
                    committed = 0  # the schema is not there yet
                finally:
                    conn.close()
        eio = "enable name=posix/io/rw/pwrite,failinfo=5"
        subprocess.run(["fiu-ctrl", "-c", eio, str(proc.pid)], check=True, capture_output=True)
        _, stderr = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:  # a failed check above must not leave the ingest running
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1, stderr
    assert "the disk reported an error (disk I/O error)" in stderr
    assert "run the same command again" in stderr and "Traceback" not in stderr

    def state() -> tuple[set, list, str]:
        conn = sqlite3.connect(db)
        try:
            docs = {row[0] for row in conn.execute("SELECT id FROM documents")}
            rows = conn.execute("SELECT run_id, unit, status, doc_id FROM ledger").fetchall()
            return docs, rows, conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()

    docs, ledger, integrity = state()
    assert integrity == "ok"
    assert docs and docs == {doc_id for _, _, status, doc_id in ledger if status == "stored"}
    assert len(ledger) < 1500, "the run ended before the fault; the test proved nothing"
    resumed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert resumed.returncode in (0, 3), resumed.stderr
    docs, ledger, integrity = state()
    assert integrity == "ok"
    last_run = max(run for run, *_ in ledger)
    final = [(unit, status, doc_id) for run, unit, status, doc_id in ledger if run == last_run]
    assert len(final) == len({unit for unit, _, _ in final}) == 1500
    assert docs == {doc_id for _, status, doc_id in final if status != "rejected"}


def test_fingerprints_from_before_frame_grams_are_redone_by_the_next_detection(tmp_path):
    from wiretrace.engines.local import detect
    from wiretrace.fingerprint.frames import is_frame

    path = tmp_path / "v6.sqlite"
    with open_store(path) as store:
        run = _run(store)
        for doc_id in ("a", "b"):
            text = f"Story {doc_id}: the harbour board of Port Callow raised its landing fees."
            store.put_document(
                build_document(RawRecord(unit=doc_id, source_path="", text=text), doc_id), run
            )
        store.commit()
        detect(store)
    # Back to schema 6, as a store written before frame grams (and stored facts) was.
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE pairs DROP COLUMN divergences")
    conn.execute("ALTER TABLE pairs DROP COLUMN story_similarity")
    conn.execute("DROP TABLE story_facts")
    conn.execute("DROP TABLE judged_pairs")
    conn.execute("DROP TABLE detect_lease")
    conn.execute("PRAGMA user_version=6")
    conn.commit()
    conn.close()
    with open_store(path) as store:
        assert store.documents_without_fingerprint() == ["a", "b"]
        detect(store)
        fingerprints = list(store.iter_fingerprints())
    assert len(fingerprints) == 2
    assert all(any(is_frame(np.frombuffer(f.anchors, "<u8"))) for f in fingerprints)


def test_a_lock_is_a_busy_error_the_caller_may_retry():
    from wiretrace.errors import StoreBusyError
    from wiretrace.store.sqlite import write_failure

    assert isinstance(
        write_failure(sqlite3.OperationalError("database is locked"), "w"), StoreBusyError
    )
    assert not isinstance(
        write_failure(sqlite3.OperationalError("disk I/O error"), "w"), StoreBusyError
    )
