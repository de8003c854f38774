"""The SQLite store: one file, WAL mode, one writer, created and migrated on first use."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from wiretrace.errors import NotFoundError, StoreBusyError, StoreError
from wiretrace.model import (
    Direction,
    Divergence,
    Document,
    Fact,
    PairVerdict,
    Passage,
    PassageKind,
    RemovedKind,
    RemovedSpan,
    ReuseType,
    SentencePair,
    Span,
    Story,
    TokenEdit,
)
from wiretrace.store.schema import MIGRATIONS, SCHEMA_VERSION

# Sentence vectors are cached at half precision: cosines move by under 1e-3, the cache
# by half.
EMBEDDING_DTYPE = np.float16
# How long a connection waits for another writer before "database is locked" (seconds).
BUSY_TIMEOUT_S = 30.0
# A search query is cut to this many words: each is one FTS5 term, all must match.
MAX_SEARCH_TERMS = 16
_SEARCH_WORD = re.compile(r"\w+")
_DOC_COLUMNS = (
    "id, version, content_hash, source_path, title, date, url, source, byline, language, "
    "credits, text, original, removed, kept, sentences"
)


def _is_lock(exc: sqlite3.Error) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def write_failure(exc: sqlite3.Error, path: str) -> StoreError:
    """A :class:`StoreError` that says why SQLite could not go on and how to resume.

    Disk full and I/O errors reach here; what was committed before them is in the file.
    Another process's lock is a :class:`StoreBusyError`, which a caller may retry.
    """
    message = str(exc)
    error: type[StoreError] = StoreError
    if _is_lock(exc):
        error = StoreBusyError
        cause, fix = "another process holds the store", "wait for it to finish"
    elif "full" in message:
        cause, fix = "the disk is full", "free some space"
    elif "readonly" in message or "read-only" in message:
        cause, fix = "the store is read-only", "make it writable"
    elif "unable to open" in message:
        return error(
            f"cannot open the store {path!r} for writing ({message}): is its folder "
            "writable? Name a writable place with --db"
        )
    else:
        cause, fix = "the disk reported an error", "check the disk"
    return error(
        f"cannot write the store {path!r}: {cause} ({message}). Everything committed "
        f"before this point is kept; {fix}, then run the same command again: it resumes "
        "where it stopped"
    )


class _Connection:
    """A SQLite connection whose operational errors (disk full, I/O) are :class:`StoreError`."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self._conn = conn
        self._path = path

    @property
    def in_transaction(self) -> bool:
        """Whether SQLite has a transaction open."""
        return self._conn.in_transaction

    def execute(self, sql: str, args: Iterable = ()) -> sqlite3.Cursor:
        """Run one statement."""
        try:
            return self._conn.execute(sql, tuple(args))
        except sqlite3.OperationalError as exc:
            raise write_failure(exc, self._path) from exc

    def executemany(self, sql: str, rows: Iterable[tuple]) -> sqlite3.Cursor:
        """Run one statement for each row of arguments."""
        try:
            return self._conn.executemany(sql, rows)
        except sqlite3.OperationalError as exc:
            raise write_failure(exc, self._path) from exc

    def variable_limit(self) -> int:
        """How many ``?`` one statement may hold (999 in old SQLite builds, 32,766 since 3.32)."""
        return self._conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


# Ids listed when a prefix names several.
AMBIGUOUS_SHOWN = 5


def _alive(pid: int, host: str, this_host: str) -> bool:
    """Whether the process ``pid`` of ``host`` still runs (another host's: assumed so)."""
    if host != this_host:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed process its parent has not reaped yet (a zombie) still answers the signal.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class StoredFingerprint:
    """The fingerprint blobs of one document as stored (decoded by the fingerprint stage)."""

    doc_id: str
    version: int
    shingles: bytes
    anchors: bytes
    vocabulary: bytes


def _doc_from_row(row: sqlite3.Row | tuple) -> Document:
    (
        doc_id,
        version,
        content_hash,
        source_path,
        title,
        date,
        url,
        source,
        byline,
        language,
        credits,
        text,
        original,
        removed,
        kept,
        sentences,
    ) = row
    flat = json.loads(sentences)
    return Document(
        id=doc_id,
        version=version,
        content_hash=content_hash,
        source_path=source_path,
        title=title,
        date=date,
        url=url,
        source=source,
        byline=byline,
        language=language,
        credits=tuple(json.loads(credits)),
        text=text,
        original=original,
        removed=tuple(RemovedSpan(s, e, RemovedKind(k), t) for s, e, k, t in json.loads(removed)),
        kept=tuple((k[0], k[1], k[2]) for k in json.loads(kept)),
        sentences=tuple(Span(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)),
    )


def _notes_json(notes: tuple[str, ...]) -> str | None:
    """Ledger notes as stored: a JSON list, or NULL for none (most rows)."""
    return json.dumps(list(notes), ensure_ascii=False) if notes else None


def _notes_from_json(data: str | None) -> tuple[str, ...]:
    return tuple(json.loads(data)) if data else ()


def _span_json(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def _passages_to_json(passages: Iterable[Passage]) -> str:
    out = []
    for p in passages:
        out.append(
            {
                "a": _span_json(p.a),
                "b": _span_json(p.b),
                "kind": str(p.kind),
                "similarity": round(p.similarity, 4),
                "a_source": _span_json(p.a_source),
                "b_source": _span_json(p.b_source),
                "sentences": [
                    [
                        sp.a.start,
                        sp.a.end,
                        sp.b.start,
                        sp.b.end,
                        round(sp.similarity, 4),
                        str(sp.kind),
                        [[e.op, e.a_start, e.a_end, e.b_start, e.b_end] for e in sp.edits],
                    ]
                    for sp in p.sentence_pairs
                ],
            }
        )
    return json.dumps(out, separators=(",", ":"))


def _passages_from_json(data: str) -> tuple[Passage, ...]:
    out = []
    for p in json.loads(data):
        pairs = tuple(
            SentencePair(
                a=Span(s[0], s[1]),
                b=Span(s[2], s[3]),
                similarity=s[4],
                kind=PassageKind(s[5]),
                edits=tuple(TokenEdit(*e) for e in s[6]),
            )
            for s in p["sentences"]
        )
        out.append(
            Passage(
                a=Span(*p["a"]),
                b=Span(*p["b"]),
                kind=PassageKind(p["kind"]),
                similarity=p["similarity"],
                sentence_pairs=pairs,
                a_source=Span(*p["a_source"]) if p["a_source"] else None,
                b_source=Span(*p["b_source"]) if p["b_source"] else None,
            )
        )
    return tuple(out)


_INSERT_DOCUMENTS = (
    "INSERT INTO documents(id, version, content_hash, source_path, title, date, url, source, "
    "byline, language, credits, text, original, removed, kept, sentences, run_id, ingested_at) "
    "VALUES "
)
# One row of that statement: ``version`` is 1 for a new document.
_DOCUMENT_PLACEHOLDERS = "(?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def _document_values(doc: Document, run_id: int, now: str) -> tuple:
    """The stored columns of ``doc`` from ``content_hash`` on (no id, no version)."""
    return (
        doc.content_hash,
        doc.source_path,
        doc.title,
        doc.date,
        doc.url,
        doc.source,
        doc.byline,
        doc.language,
        json.dumps(list(doc.credits)),
        doc.text,
        doc.original,
        json.dumps([[r.start, r.end, str(r.kind), r.text] for r in doc.removed]),
        json.dumps([list(k) for k in doc.kept]),
        json.dumps([x for s in doc.sentences for x in (s.start, s.end)]),
        run_id,
        now,
    )


class SqliteStore:
    """Documents, ledger, fingerprints, pairs and stories in one SQLite file.

    Writes are grouped into transactions by the caller (:meth:`commit`); a crash loses at
    most the open transaction, and every operation is idempotent so a rerun completes it.
    """

    def __init__(
        self, path: str | Path, *, read_only: bool = False, busy_timeout_s: float = BUSY_TIMEOUT_S
    ) -> None:
        self.path = str(path)
        self.read_only = read_only
        try:
            if read_only:
                # A reader never migrates or writes: the web server opens one per request
                # while `analyze` may be writing (WAL lets readers and one writer coexist).
                if not Path(self.path).is_file():
                    raise StoreError(
                        f"no store at {self.path!r}; run `wiretrace analyze FILES --db "
                        f"{self.path}` first"
                    )
                conn = sqlite3.connect(
                    Path(self.path).resolve().as_uri() + "?mode=ro",
                    uri=True,
                    timeout=busy_timeout_s,
                    isolation_level=None,
                    check_same_thread=False,
                )
                self._check_version(conn)
            else:
                if self.path != ":memory:":
                    Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(
                    self.path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
                )
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=ON")
                self._migrate(conn)
        except sqlite3.OperationalError as exc:
            # A lock (StoreBusyError: the web layer retries a reader that met a writer),
            # disk full or an I/O error while creating or migrating: not a wrong file.
            raise write_failure(exc, self.path) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open the store {self.path!r}: {exc}; is it a wiretrace SQLite file?"
            ) from None
        self._conn = _Connection(conn, self.path)
        self._in_tx = False

    def _check_version(self, conn: sqlite3.Connection) -> None:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current != SCHEMA_VERSION:
            raise StoreError(
                f"the store {self.path!r} has schema version {current}, this wiretrace reads "
                f"version {SCHEMA_VERSION}; open it once for writing (e.g. `wiretrace detect "
                f"--db {self.path}`) to migrate it, or upgrade wiretrace"
            )

    # -- schema ---------------------------------------------------------------------------

    def _migrate(self, conn: sqlite3.Connection) -> None:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"the store {self.path!r} has schema version {current}, newer than this "
                f"wiretrace knows ({SCHEMA_VERSION}); upgrade wiretrace"
            )
        for version in range(current, SCHEMA_VERSION):
            # executescript commits first, so the transaction lives inside the script.
            try:
                conn.executescript(
                    "BEGIN IMMEDIATE;"
                    + MIGRATIONS[version]
                    + f";PRAGMA user_version={version + 1};COMMIT;"
                )
            except sqlite3.DatabaseError:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> int:
        """The schema version of the open file."""
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # -- transactions ---------------------------------------------------------------------

    def begin(self) -> None:
        """Open a write transaction if none is open."""
        if not self._in_tx:
            self._conn.execute("BEGIN IMMEDIATE")
            self._in_tx = True

    def commit(self) -> None:
        """Commit the open write transaction, if any."""
        if self._in_tx:
            self._conn.execute("COMMIT")
            self._in_tx = False

    def rollback(self) -> None:
        """Drop the open write transaction, if any (SQLite may have dropped it already)."""
        if self._in_tx:
            self._in_tx = False
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")

    def close(self) -> None:
        """Commit what is open and close the file."""
        self.commit()
        self._conn.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            self.rollback()
        self.close()

    # -- runs and ledger ------------------------------------------------------------------

    def begin_run(self, command: str, config: dict) -> int:
        """Record the start of a run with its effective configuration; return its id."""
        self.begin()
        cur = self._conn.execute(
            "INSERT INTO runs(command, config, started_at) VALUES (?, ?, ?)",
            (command, json.dumps(config, sort_keys=True, default=str), _now()),
        )
        self.commit()
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, summary: dict) -> None:
        """Record the end of a run and what it did."""
        self.begin()
        self._conn.execute(
            "UPDATE runs SET finished_at = ?, summary = ? WHERE run_id = ?",
            (_now(), json.dumps(summary, sort_keys=True), run_id),
        )
        self.commit()

    def runs(self) -> list[dict]:
        """Every recorded run, oldest first: id, command, configuration, times, summary.

        ``config`` and ``summary`` are the recorded JSON objects (``summary`` is ``None``
        for a run that did not finish).
        """
        rows = self._conn.execute(
            "SELECT run_id, command, config, started_at, finished_at, summary FROM runs "
            "ORDER BY run_id"
        )
        return [
            {
                "run_id": run_id,
                "command": command,
                "config": json.loads(config),
                "started_at": started_at,
                "finished_at": finished_at,
                "summary": json.loads(summary) if summary is not None else None,
            }
            for run_id, command, config, started_at, finished_at, summary in rows
        ]

    def log(
        self,
        run_id: int,
        unit: str,
        source_path: str,
        status: str,
        doc_id: str | None = None,
        reason: str | None = None,
        notes: tuple[str, ...] = (),
    ) -> None:
        """Append one ledger row: what happened to one input unit, and what was mended."""
        self.begin()
        self._conn.execute(
            "INSERT INTO ledger(run_id, unit, source_path, status, doc_id, reason, notes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (run_id, unit, source_path, status, doc_id, reason, _notes_json(notes)),
        )

    def ledger(self, run_id: int | None = None) -> list[dict]:
        """Ledger rows, of one run or of all runs, in the order units were settled.

        Records extracted in a batch come after the rejections met while reading them.
        ``notes`` is a tuple of what reading mended in the unit (empty when nothing).
        """
        sql = "SELECT run_id, unit, source_path, status, doc_id, reason, notes FROM ledger"
        args: tuple = ()
        if run_id is not None:
            sql += " WHERE run_id = ?"
            args = (run_id,)
        cols = ("run_id", "unit", "source_path", "status", "doc_id", "reason")
        return [
            {**dict(zip(cols, row[:-1], strict=True)), "notes": _notes_from_json(row[-1])}
            for row in self._conn.execute(sql + " ORDER BY seq", args)
        ]

    # -- documents ------------------------------------------------------------------------

    def lookup(self, doc_id: str) -> tuple[str, int] | None:
        """``(content_hash, version)`` of a stored document, or ``None``."""
        row = self._conn.execute(
            "SELECT content_hash, version FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def put_document(self, doc: Document, run_id: int) -> str:
        """Store ``doc``; say ``"stored"``, ``"updated"`` (old version kept) or ``"unchanged"``."""
        self.begin()
        existing = self._conn.execute(
            "SELECT key, version, content_hash, title, date, text, original "
            "FROM documents WHERE id = ?",
            (doc.id,),
        ).fetchone()
        values = _document_values(doc, run_id, _now())
        if existing is None:
            self._conn.execute(_INSERT_DOCUMENTS + _DOCUMENT_PLACEHOLDERS, (doc.id, *values))
            return "stored"
        key, version, old_hash, old_title, old_date, old_text, old_original = existing
        if old_hash == doc.content_hash:
            return "unchanged"
        self._conn.execute(
            "INSERT OR IGNORE INTO document_versions(id, version, content_hash, title, date, text, "
            "original, replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.id, version, old_hash, old_title, old_date, old_text, old_original, _now()),
        )
        self._conn.execute(
            "UPDATE documents SET version = ?, content_hash = ?, source_path = ?, title = ?, "
            "date = ?, url = ?, source = ?, byline = ?, language = ?, credits = ?, text = ?, "
            "original = ?, removed = ?, kept = ?, sentences = ?, run_id = ?, ingested_at = ? "
            "WHERE key = ?",
            (version + 1, *values, key),
        )
        self._conn.execute("DELETE FROM fingerprints WHERE doc_key = ?", (key,))
        return "updated"

    def put_documents(self, docs: Sequence[Document], run_id: int) -> list[str]:
        """Store ``docs`` in order; say of each what :meth:`put_document` would have said.

        Documents new to the store go in with one INSERT for many rows. Each statement on
        the documents table makes the full-text index write out its pending terms (FTS5
        does at every savepoint), so one statement a document wrote one index segment a
        document, to be merged later: on Reuters-21578 that was half of the store's time.
        A document already stored, or met twice in ``docs``, takes :meth:`put_document`
        after the rows before it are in, so the outcome is that of storing one at a time.
        """
        self.begin()
        stored = self._stored_ids([doc.id for doc in docs])
        now = _now()
        statuses: list[str] = []
        pending: dict[str, tuple] = {}
        for doc in docs:
            if doc.id in pending:
                self._insert_documents(list(pending.values()))
                stored.update(pending)
                pending.clear()
            if doc.id in stored:
                statuses.append(self.put_document(doc, run_id))
            else:
                pending[doc.id] = (doc.id, *_document_values(doc, run_id, now))
                statuses.append("stored")
        self._insert_documents(list(pending.values()))
        return statuses

    def _stored_ids(self, doc_ids: Sequence[str]) -> set[str]:
        """Which of ``doc_ids`` the store holds."""
        found: set[str] = set()
        step = self._conn.variable_limit()
        for i in range(0, len(doc_ids), step):
            chunk = doc_ids[i : i + step]
            marks = ", ".join("?" * len(chunk))
            rows = self._conn.execute(f"SELECT id FROM documents WHERE id IN ({marks})", chunk)
            found.update(row[0] for row in rows)
        return found

    def _insert_documents(self, rows: Sequence[tuple]) -> None:
        """Insert document rows (id first, then :func:`_document_values`), many a statement."""
        if not rows:
            return
        step = max(1, self._conn.variable_limit() // len(rows[0]))
        for i in range(0, len(rows), step):
            chunk = rows[i : i + step]
            sql = _INSERT_DOCUMENTS + ", ".join([_DOCUMENT_PLACEHOLDERS] * len(chunk))
            self._conn.execute(sql, [value for row in chunk for value in row])

    def delete_document(self, doc_id: str) -> None:
        """Remove a document with its fingerprints and pairs (its versions stay on record)."""
        self.begin()
        found = self._conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount
        if not found:
            raise NotFoundError(
                f"no document with id {doc_id!r} in {self.path}; `wiretrace docs` lists the ids"
            )
        self._conn.execute("DELETE FROM pairs WHERE a = ? OR b = ?", (doc_id, doc_id))
        self._conn.execute("DELETE FROM judged_pairs WHERE a = ? OR b = ?", (doc_id, doc_id))
        self._conn.execute("DELETE FROM stories WHERE doc_id = ?", (doc_id,))

    def document_times(self) -> list[tuple[str, str | None, str]]:
        """``(id, date as given, ingest time)`` of every document, in insertion order."""
        rows = self._conn.execute("SELECT id, date, ingested_at FROM documents ORDER BY key")
        return [(r[0], r[1], r[2]) for r in rows]

    def change_stamp(self) -> tuple[int, ...] | None:
        """A value that changes whenever any connection writes the store; ``None`` in memory.

        The sizes and modification times of the file and its write-ahead log: a commit
        appends to the log, a checkpoint rewrites the file. Caches of what the store
        holds (the trace index of a server) compare it to know they are stale.
        """
        if self.path == ":memory:":
            return None
        stamp: list[int] = []
        for name in (self.path, self.path + "-wal"):
            try:
                status = os.stat(name)
            except FileNotFoundError:
                stamp += [-1, -1]
            else:
                stamp += [status.st_size, status.st_mtime_ns]
        return tuple(stamp)

    def resolve_id(self, prefix: str, kind: str = "document") -> str:
        """The one stored id that is ``prefix`` or starts with it, as git resolves hashes.

        ``kind`` is ``document`` or ``story``. An id equal to ``prefix`` wins over longer
        ones that start with it.

        Raises:
            NotFoundError: no id starts with ``prefix``, or several do (listed).
        """
        table, column = ("documents", "id") if kind == "document" else ("stories", "story_id")
        # A range on the indexed column (byte order, as git): case-sensitive, no scan.
        rows = self._conn.execute(
            f"SELECT DISTINCT {column} FROM {table} WHERE {column} >= ? AND {column} < ? "
            f"ORDER BY {column} LIMIT {AMBIGUOUS_SHOWN + 1}",
            (prefix, prefix + "\U0010ffff"),
        ).fetchall()
        ids = [r[0] for r in rows]
        if prefix in ids or len(ids) == 1:
            return prefix if prefix in ids else ids[0]
        if not ids:
            raise NotFoundError(
                f"no {kind} id starts with {prefix!r} in {self.path}; "
                f"`wiretrace {'docs' if kind == 'document' else 'stories'}` lists the ids"
            )
        shown = ", ".join(ids[:AMBIGUOUS_SHOWN])
        more = " …" if len(ids) > AMBIGUOUS_SHOWN else ""
        raise NotFoundError(
            f"{prefix!r} is the start of several {kind} ids ({shown}{more}); give more of it"
        )

    def get_document(self, doc_id: str) -> Document:
        """One stored document; :class:`NotFoundError` names the id if it is absent."""
        row = self._conn.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(
                f"no document with id {doc_id!r} in {self.path}; `wiretrace docs` lists the ids"
            )
        return _doc_from_row(row)

    def get_documents(self, doc_ids: Iterable[str]) -> dict[str, Document]:
        """Several documents by id (absent ids are left out)."""
        ids = list(dict.fromkeys(doc_ids))
        out: dict[str, Document] = {}
        chunk = 500  # SQLite's default limit on host parameters is 999 in old builds
        for i in range(0, len(ids), chunk):
            part = ids[i : i + chunk]
            marks = ",".join("?" * len(part))
            for row in self._conn.execute(
                f"SELECT {_DOC_COLUMNS} FROM documents WHERE id IN ({marks})", part
            ):
                out[row[0]] = _doc_from_row(row)
        return out

    def iter_documents(self) -> Iterator[Document]:
        """All documents in insertion order."""
        for row in self._conn.execute(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY key"):
            yield _doc_from_row(row)

    def document_summaries(self) -> list[dict]:
        """Id, title, date, source, language, credits and size of every document."""
        rows = self._conn.execute(
            "SELECT id, title, date, source, language, credits, length(text), version "
            "FROM documents ORDER BY key"
        )
        cols = ("id", "title", "date", "source", "language", "credits", "chars", "version")
        out = []
        for row in rows:
            item = dict(zip(cols, row, strict=True))
            item["credits"] = json.loads(item["credits"])
            out.append(item)
        return out

    def search_documents(self, query: str, limit: int = 200) -> list[str]:
        """Ids of documents whose title or text holds every word of ``query``, best first.

        The query is read as plain words (FTS5 syntax characters are ignored), so any user
        input is a valid search; a query without words finds nothing.
        """
        words = _SEARCH_WORD.findall(query)[:MAX_SEARCH_TERMS]
        if not words:
            return []
        match = " AND ".join('"' + w + '"' for w in words)
        rows = self._conn.execute(
            "SELECT d.id FROM documents_fts f JOIN documents d ON d.key = f.rowid "
            "WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        )
        return [r[0] for r in rows]

    def story_of(self, doc_id: str) -> str | None:
        """The id of the story ``doc_id`` belongs to, or ``None``."""
        row = self._conn.execute(
            "SELECT story_id FROM stories WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return row[0] if row else None

    def num_documents(self) -> int:
        """How many documents the store holds."""
        return int(self._conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    # -- fingerprints ---------------------------------------------------------------------

    def documents_without_fingerprint(self) -> list[str]:
        """Ids of documents whose current version has no fingerprint yet (new work)."""
        rows = self._conn.execute(
            "SELECT d.id FROM documents d LEFT JOIN fingerprints f ON f.doc_key = d.key "
            "WHERE f.doc_key IS NULL OR f.version != d.version ORDER BY d.key"
        )
        return [r[0] for r in rows]

    def put_fingerprint(
        self, doc_id: str, version: int, shingles: bytes, anchors: bytes, vocabulary: bytes
    ) -> None:
        """Store the fingerprint of one document version."""
        self.begin()
        self._conn.execute(
            "INSERT OR REPLACE INTO fingerprints(doc_key, version, shingles, anchors, vocabulary, "
            "detected) SELECT key, ?, ?, ?, ?, 0 FROM documents WHERE id = ?",
            (version, shingles, anchors, vocabulary, doc_id),
        )
        # A new version: what an unfinished detection judged of the old one is void.
        self._conn.execute("DELETE FROM judged_pairs WHERE a = ? OR b = ?", (doc_id, doc_id))

    def documents_pending_detection(self) -> list[str]:
        """Ids of fingerprinted documents whose pairs are not all detected yet.

        A detection killed after fingerprinting leaves these behind; the next detection
        takes them up again with the new documents.
        """
        rows = self._conn.execute(
            "SELECT d.id FROM fingerprints f JOIN documents d ON d.key = f.doc_key "
            "WHERE f.detected = 0 ORDER BY d.key"
        )
        return [r[0] for r in rows]

    def mark_detected(self, doc_ids: Iterable[str]) -> None:
        """Record that every pair of ``doc_ids`` is detected (their fingerprints are settled).

        The pairs judged on the way (:meth:`mark_judged`) are forgotten with it.
        """
        self.begin()
        self._conn.executemany(
            "UPDATE fingerprints SET detected = 1 "
            "WHERE doc_key = (SELECT key FROM documents WHERE id = ?)",
            [(doc_id,) for doc_id in doc_ids],
        )
        self._conn.execute("DELETE FROM judged_pairs")

    def mark_judged(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Record candidate pairs as judged by the unfinished detection (in its transaction).

        Commit with the verdicts they gave: a detection killed after the commit does not
        judge them again (:meth:`judged_pairs`).
        """
        self.begin()
        self._conn.executemany("INSERT OR IGNORE INTO judged_pairs(a, b) VALUES (?, ?)", pairs)

    def judged_pairs(self) -> set[tuple[str, str]]:
        """The candidate pairs an unfinished detection judged and committed."""
        return {(a, b) for a, b in self._conn.execute("SELECT a, b FROM judged_pairs")}

    def forget_judged(self) -> None:
        """Forget every judged pair (a full detection judges them all again)."""
        self.begin()
        self._conn.execute("DELETE FROM judged_pairs")

    def take_detect_lease(self, pid: int, host: str) -> tuple[int, str, str] | None:
        """Become the store's one detecting process, unless a live one is.

        Returns ``None`` when the lease is taken, else the holder's ``(pid, host,
        started_at)``. A holder on this host whose process is gone (killed) loses it.
        """
        self.begin()
        row = self._conn.execute("SELECT pid, host, started_at FROM detect_lease").fetchone()
        if row is not None and (row[0], row[1]) != (pid, host) and _alive(row[0], row[1], host):
            self.commit()
            return (int(row[0]), str(row[1]), str(row[2]))
        self._conn.execute(
            "INSERT OR REPLACE INTO detect_lease(id, pid, host, started_at) VALUES (1, ?, ?, ?)",
            (pid, host, _now()),
        )
        self.commit()
        return None

    def release_detect_lease(self, pid: int, host: str) -> None:
        """Give the lease up (only its holder can)."""
        self.begin()
        self._conn.execute("DELETE FROM detect_lease WHERE pid = ? AND host = ?", (pid, host))
        self.commit()

    def iter_fingerprints(self) -> Iterator[StoredFingerprint]:
        """Fingerprints of every document, in insertion order."""
        rows = self._conn.execute(
            "SELECT d.id, f.version, f.shingles, f.anchors, f.vocabulary FROM fingerprints f "
            "JOIN documents d ON d.key = f.doc_key ORDER BY d.key"
        )
        for row in rows:
            yield StoredFingerprint(*row)

    # -- sentence embeddings --------------------------------------------------------------

    def get_embeddings(self, doc_ids: Iterable[str], encoder: str) -> dict[str, np.ndarray]:
        """Cached sentence vectors (float32, one row per sentence) of the current versions.

        A document whose text changed since its vectors were computed is left out, so its
        vectors are computed again.
        """
        ids = list(dict.fromkeys(doc_ids))
        out: dict[str, np.ndarray] = {}
        chunk = 500
        for i in range(0, len(ids), chunk):
            part = ids[i : i + chunk]
            marks = ",".join("?" * len(part))
            rows = self._conn.execute(
                "SELECT d.id, e.num_sentences, e.dim, e.vectors FROM embeddings e "
                "JOIN documents d ON d.key = e.doc_key "
                f"WHERE e.encoder = ? AND e.version = d.version AND d.id IN ({marks})",
                [encoder, *part],
            )
            for doc_id, rows_n, dim, blob in rows:
                vectors = np.frombuffer(blob, dtype=EMBEDDING_DTYPE).reshape(rows_n, dim)
                out[doc_id] = vectors.astype(np.float32)
        return out

    def put_embeddings(self, doc_id: str, version: int, encoder: str, vectors: np.ndarray) -> None:
        """Cache the sentence vectors of one document version (stored as float16)."""
        self.begin()
        matrix = np.ascontiguousarray(vectors, dtype=EMBEDDING_DTYPE)
        rows_n, dim = matrix.shape
        self._conn.execute(
            "INSERT OR REPLACE INTO embeddings(doc_key, encoder, version, num_sentences, dim, "
            "vectors) SELECT key, ?, ?, ?, ?, ? FROM documents WHERE id = ?",
            (encoder, version, rows_n, dim, matrix.tobytes(), doc_id),
        )

    def num_embeddings(self, encoder: str | None = None) -> int:
        """How many document-encoder matrices are cached."""
        if encoder is None:
            return int(self._conn.execute("SELECT count(*) FROM embeddings").fetchone()[0])
        return int(
            self._conn.execute(
                "SELECT count(*) FROM embeddings WHERE encoder = ?", (encoder,)
            ).fetchone()[0]
        )

    # -- pairs and stories ----------------------------------------------------------------

    def delete_pairs_of(self, doc_ids: Iterable[str], *, keep_judged: bool = False) -> None:
        """Forget every pair that involves one of ``doc_ids`` (before re-detecting them).

        ``keep_judged`` keeps the pairs an unfinished detection judged (it resumes).
        """
        self.begin()
        unjudged = (
            " AND NOT EXISTS (SELECT 1 FROM judged_pairs j WHERE j.a = pairs.a AND j.b = pairs.b)"
            if keep_judged
            else ""
        )
        for doc_id in doc_ids:
            self._conn.execute(
                f"DELETE FROM pairs WHERE (a = ? OR b = ?){unjudged}", (doc_id, doc_id)
            )

    def put_pair(
        self, verdict: PairVerdict, divergences: Sequence[Divergence] | None = None
    ) -> None:
        """Store (or replace) the verdict of one pair, with its divergences if known."""
        self.begin()
        self._conn.execute(
            "INSERT OR REPLACE INTO pairs(a, b, type, coverage_a, coverage_b, direction, "
            "credited, similarity, passages, reasons, divergences, story_similarity) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                verdict.a,
                verdict.b,
                str(verdict.type),
                verdict.coverage_a,
                verdict.coverage_b,
                str(verdict.direction),
                int(verdict.credited),
                verdict.similarity,
                _passages_to_json(verdict.passages),
                json.dumps(list(verdict.reasons)),
                None
                if divergences is None
                else json.dumps([d.to_dict() for d in divergences], ensure_ascii=False),
                verdict.story_similarity,
            ),
        )

    def pairs_without_story_similarity(self) -> list[tuple[str, str]]:
        """The stored pairs whose story similarity is not computed yet, ordered by ids."""
        return [
            (a, b)
            for a, b in self._conn.execute(
                "SELECT a, b FROM pairs WHERE story_similarity IS NULL ORDER BY a, b"
            )
        ]

    def put_story_similarities(self, rows: Iterable[tuple[str, str, float]]) -> None:
        """Set the story similarity of stored pairs: rows of ``(a, b, similarity)``."""
        self.begin()
        self._conn.executemany(
            "UPDATE pairs SET story_similarity = ? WHERE a = ? AND b = ?",
            ((value, a, b) for a, b, value in rows),
        )

    def pair_divergences(self, a: str, b: str) -> tuple[Divergence, ...] | None:
        """The stored divergences of the pair ``a``~``b`` as stored (``None``: not computed)."""
        row = self._conn.execute(
            "SELECT divergences FROM pairs WHERE a = ? AND b = ?", (a, b)
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return tuple(Divergence.from_dict(d) for d in json.loads(row[0]))

    def pair_divergence_texts(self) -> dict[tuple[str, str], str | None]:
        """Every pair's divergences as stored, by ``(a, b)``.

        Unparsed JSON text (``None``: not computed): what
        :func:`~wiretrace.consolidate.facts_key` keys stored facts by.
        """
        rows = self._conn.execute("SELECT a, b, divergences FROM pairs")
        return {(a, b): text for a, b, text in rows}

    def put_story_facts(self, story_id: str, key: str, facts: Sequence[Fact]) -> None:
        """Store the facts of one story, computed from what ``key`` names."""
        self.begin()
        self._conn.execute(
            "INSERT OR REPLACE INTO story_facts(story_id, key, facts) VALUES (?, ?, ?)",
            (story_id, key, json.dumps([f.to_dict() for f in facts], ensure_ascii=False)),
        )

    def story_facts_keys(self) -> dict[str, str]:
        """The key of every story's stored facts (what they were computed from), by story."""
        return dict(self._conn.execute("SELECT story_id, key FROM story_facts").fetchall())

    def story_facts(self, story_id: str) -> tuple[str, tuple[Fact, ...]] | None:
        """The stored facts of one story with their key (``None``: none stored)."""
        row = self._conn.execute(
            "SELECT key, facts FROM story_facts WHERE story_id = ?", (story_id,)
        ).fetchone()
        if row is None:
            return None
        return row[0], tuple(Fact.from_dict(f) for f in json.loads(row[1]))

    def iter_pairs(
        self, doc_id: str | None = None, *, with_passages: bool = True
    ) -> Iterator[PairVerdict]:
        """Stored verdicts, all or those involving ``doc_id``, ordered by ids."""
        passages_column = "passages" if with_passages else "'[]'"
        sql = (
            "SELECT a, b, type, coverage_a, coverage_b, direction, credited, similarity, "
            f"{passages_column}, reasons, story_similarity FROM pairs"
        )
        args: tuple = ()
        if doc_id is not None:
            sql += " WHERE a = ? OR b = ?"
            args = (doc_id, doc_id)
        for row in self._conn.execute(sql + " ORDER BY a, b", args):
            a, b, type_, cov_a, cov_b, direction, credited, sim, passages, reasons, story = row
            yield PairVerdict(
                a=a,
                b=b,
                type=ReuseType(type_),
                coverage_a=cov_a,
                coverage_b=cov_b,
                direction=Direction(direction),
                credited=bool(credited),
                similarity=sim,
                passages=_passages_from_json(passages),
                reasons=tuple(json.loads(reasons)),
                story_similarity=story,
            )

    def pairs_among(self, doc_ids: Iterable[str]) -> list[PairVerdict]:
        """Stored verdicts (with passages) of pairs inside ``doc_ids``, ordered by ids."""
        members = set(doc_ids)
        return [
            v for doc_id in sorted(members) for v in self.iter_pairs(doc_id)
            if v.a == doc_id and v.b in members
        ]  # fmt: skip

    def get_pair(self, a: str, b: str) -> PairVerdict | None:
        """The verdict of one pair in either order, oriented as stored."""
        for verdict in self.iter_pairs(a):
            if {verdict.a, verdict.b} == {a, b}:
                return verdict
        return None

    def replace_stories(self, stories: Iterable[Story]) -> None:
        """Replace story membership with ``stories`` (facts of stories gone are dropped)."""
        stories = list(stories)
        self.begin()
        self._conn.execute("DELETE FROM stories")
        kept = [s.id for s in stories]
        self._conn.execute(
            "DELETE FROM story_facts WHERE story_id NOT IN (SELECT value FROM json_each(?))",
            (json.dumps(kept),),
        )
        for story in stories:
            group_of = {d: i for i, g in enumerate(story.duplicate_groups) for d in g}
            self._conn.executemany(
                "INSERT INTO stories(doc_id, story_id, representative, duplicate_group) "
                "VALUES (?, ?, ?, ?)",
                [(d, story.id, story.representative, group_of.get(d)) for d in story.documents],
            )

    def iter_stories(self) -> list[Story]:
        """Stories with their members, largest first."""
        groups: dict[str, list[tuple[str, str, int | None]]] = {}
        for doc_id, story_id, rep, dup in self._conn.execute(
            "SELECT doc_id, story_id, representative, duplicate_group FROM stories "
            "ORDER BY story_id, doc_id"
        ):
            groups.setdefault(story_id, []).append((doc_id, rep, dup))
        stories = [_story(story_id, members) for story_id, members in groups.items()]
        stories.sort(key=lambda s: (-len(s.documents), s.id))
        return stories

    def get_story(self, story_or_doc_id: str) -> Story:
        """The story with this id, or the story that holds the document of this id."""
        for column in ("story_id", "doc_id"):
            row = self._conn.execute(
                f"SELECT story_id FROM stories WHERE {column} = ? LIMIT 1", (story_or_doc_id,)
            ).fetchone()
            if row is not None:
                members = self._conn.execute(
                    "SELECT doc_id, representative, duplicate_group FROM stories "
                    "WHERE story_id = ? ORDER BY doc_id",
                    (row[0],),
                ).fetchall()
                return _story(row[0], members)
        raise NotFoundError(
            f"no story {story_or_doc_id!r} in {self.path}, and no story holds a document of "
            "that id; `wiretrace stories` lists the story ids"
        )

    def integrity_check(self) -> str:
        """SQLite's own integrity check ("ok" when the file is sound)."""
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])


def _story(story_id: str, members: list[tuple[str, str, int | None]]) -> Story:
    """A story from its rows ``(doc_id, representative, duplicate_group)``, by doc id."""
    dups: dict[int, list[str]] = {}
    for doc_id, _, dup in members:
        if dup is not None:
            dups.setdefault(dup, []).append(doc_id)
    return Story(
        id=story_id,
        documents=tuple(m[0] for m in members),
        representative=members[0][1],
        duplicate_groups=tuple(tuple(g) for _, g in sorted(dups.items())),
    )


def open_store(path: str | Path, *, read_only: bool = False) -> SqliteStore:
    """Open (creating and migrating on first use) the SQLite store at ``path``.

    With ``read_only`` the file must exist at the current schema version; nothing is
    created, migrated or written.
    """
    return SqliteStore(path, read_only=read_only)
