"""Ingest: read → extract → segment → store, with a ledger entry for every input unit."""

from __future__ import annotations

import itertools
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from wiretrace.engines.workers import WorkerPool
from wiretrace.extract.document import ExtractOptions, content_hash, default_id
from wiretrace.extract.limits import holding_handler
from wiretrace.model import RawRecord, Rejection
from wiretrace.pipeline import extract_record, reason_class
from wiretrace.read import ReadOptions, scan_inputs
from wiretrace.store import SqliteStore

# Units per transaction: large enough that commits cost little, small enough that a kill
# loses seconds of work at most (the rerun redoes it, idempotently).
COMMIT_EVERY = 500


@dataclass
class IngestSummary:
    """What one ingest did: counts by outcome, rejection reasons, time.

    ``mended`` counts the units kept whose text reading had to mend (their ledger rows
    carry the notes); ``notes`` are lines for the user about the run as a whole.
    """

    run_id: int = 0
    read: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    mended: int = 0
    notes: list[str] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """A JSON-ready form (reason counts keep their most common first)."""
        data = asdict(self)
        data["reasons"] = dict(self.reasons.most_common())
        data.pop("new_ids")
        return data


class _IdAllocator:
    """Gives each record of a run an id; two different files with one name get distinct ids.

    The second file is named by its path inside the input folder it was found in
    (``2024/03/wire``), never by where that folder sits on this machine.
    """

    def __init__(self, roots: Iterable[str] = ()) -> None:
        self._owner: dict[str, str] = {}
        self._roots = [os.path.abspath(r) for r in roots if os.path.isdir(r)]

    def _relative(self, unit: str) -> str:
        path = os.path.abspath(unit)
        for root in self._roots:
            if path.startswith(root.rstrip(os.sep) + os.sep):
                return os.path.relpath(path, root)
        return unit

    def id_for(self, raw: RawRecord) -> str:
        doc_id = default_id(raw)
        owner = self._owner.setdefault(doc_id, raw.unit)
        if owner == raw.unit or raw.id:
            return doc_id
        # Same file name in another folder: use the path, which is unique within a run.
        relative = self._relative(raw.unit)
        alt = os.path.splitext(relative)[0].lstrip("./").replace(os.sep, "/")
        self._owner.setdefault(alt, raw.unit)
        return alt


# Records handed to the workers at once; the parent writes each batch before the next.
BATCH_RECORDS = 256


def ingest(
    store: SqliteStore,
    paths: Iterable[str],
    read_options: ReadOptions | None = None,
    extract_options: ExtractOptions | None = None,
    *,
    command: str = "ingest",
    workers: int = 0,
    on_unit: Callable[[int], None] | None = None,
    records: Iterable[RawRecord] = (),
    settings: Mapping[str, Any] | None = None,
) -> IngestSummary:
    """Read every unit under ``paths`` into ``store``; nothing read goes unrecorded.

    Args:
        store: the open store.
        paths: files, folders, globs or ``-``.
        read_options: field names and limits of the read stage.
        extract_options: options of the extract stage.
        command: the command name recorded with the run.
        workers: processes for extraction (0: one per core; 1: no pool).
        on_unit: called with the number of units done so far (progress display).
        records: units already read (texts given in Python), stored after ``paths``.
        settings: the run's effective configuration, recorded with it as ``config``.
    """
    read_options = read_options or ReadOptions()
    extract_options = extract_options or ExtractOptions()
    started = time.monotonic()
    paths = list(paths)
    config: dict[str, Any] = {
        "paths": paths,
        "read": asdict(read_options),
        "extract": asdict(extract_options),
    }
    if settings is not None:
        config["config"] = dict(settings)
    summary = IngestSummary(run_id=store.begin_run(command, config))
    ids = _IdAllocator(paths)
    batch: list[tuple[RawRecord, str, ExtractOptions]] = []
    units = scan_inputs(paths, read_options) if paths else iter(())
    with WorkerPool(workers) as pool:
        for item in itertools.chain(units, records):
            summary.read += 1
            if isinstance(item, Rejection):
                _reject(store, summary, item)
            else:
                doc_id = ids.id_for(item)
                known = store.lookup(doc_id)
                if known is not None and known[0] == content_hash(item):
                    # Fast path for reruns and resumed runs: nothing to extract.
                    store.log(
                        summary.run_id,
                        item.unit,
                        item.source_path,
                        "unchanged",
                        doc_id,
                        notes=item.notes,
                    )
                    summary.unchanged += 1
                    summary.mended += bool(item.notes)
                else:
                    batch.append((item, doc_id, extract_options))
            if len(batch) >= BATCH_RECORDS:
                _store_batch(store, summary, batch, pool)
                batch = []
            elif summary.read % COMMIT_EVERY == 0:
                # Ledger rows of rejected and unchanged units; batched records have none yet.
                store.commit()
            if on_unit is not None:
                on_unit(summary.read)
        _store_batch(store, summary, batch, pool)
    store.commit()
    if summary.mended:
        plural = "s" if summary.mended > 1 else ""
        summary.notes.append(
            f"{summary.mended} document{plural} stored with repaired text (bytes that are not "
            "UTF-8 replaced, mojibake repaired or a legacy encoding guessed; see "
            "`wiretrace rejections`)"
        )
    summary.seconds = round(time.monotonic() - started, 3)
    store.finish_run(summary.run_id, summary.as_dict())
    return summary


def _store_batch(
    store: SqliteStore,
    summary: IngestSummary,
    batch: list[tuple[RawRecord, str, ExtractOptions]],
    pool: WorkerPool,
) -> None:
    """Extract a batch and store it in one transaction.

    Plain text is cleaned faster than a document can be sent back from a worker (measured
    on Reuters-21578: 2 workers ran at 0.8x the speed of 1), so only batches with HTML,
    whose extraction costs milliseconds a page, go to the pool.
    """
    if any(raw.is_html for raw, _, _ in batch):
        results = pool.map(extract_record, batch)
    else:
        # Cleaning takes ~0.3 ms a document: one time-limit handler serves the batch.
        with holding_handler():
            results = [extract_record(task) for task in batch]
    documents = [result for result in results if not isinstance(result, Rejection)]
    statuses = iter(store.put_documents(documents, summary.run_id))
    for (raw, doc_id, _), result in zip(batch, results, strict=True):
        if isinstance(result, Rejection):
            _reject(store, summary, result)
            continue
        status = next(statuses)
        store.log(summary.run_id, raw.unit, raw.source_path, status, doc_id, notes=raw.notes)
        summary.mended += bool(raw.notes)
        if status == "stored":
            summary.stored += 1
        elif status == "updated":
            summary.updated += 1
        else:
            summary.unchanged += 1
        if status != "unchanged":
            summary.new_ids.append(doc_id)
    store.commit()


def _reject(store: SqliteStore, summary: IngestSummary, rejection: Rejection) -> None:
    store.log(
        summary.run_id, rejection.unit, rejection.source_path, "rejected", reason=rejection.reason
    )
    summary.rejected += 1
    summary.reasons[reason_class(rejection.reason)] += 1
