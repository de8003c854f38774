"""Deleting and expiring documents, with their fingerprints, pairs and story membership.

A deletion removes the documents, their fingerprints (so the candidate index of the next
detection no longer holds them), every pair that involves them, and rebuilds the stories
from the pairs that remain, all in one transaction: a crash leaves the store as it was
before the deletion or as it is after it. Updating a document is re-ingesting its id with
new text (:func:`wiretrace.engines.ingest.ingest` stores it as a new version).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from wiretrace.consolidate import ConsolidateConfig
from wiretrace.dates import parse_date
from wiretrace.engines.local import DetectConfig, rebuild_stories
from wiretrace.errors import ConfigError, NotFoundError
from wiretrace.store import SqliteStore


@dataclass(frozen=True, slots=True)
class DeleteSummary:
    """What a deletion or an expiry did."""

    deleted: tuple[str, ...]
    stories: int


def delete_documents(
    store: SqliteStore,
    doc_ids: Iterable[str],
    config: DetectConfig | None = None,
    story_config: ConsolidateConfig | None = None,
) -> DeleteSummary:
    """Delete ``doc_ids`` with their fingerprints, pairs and story membership.

    Every id is checked before anything is deleted, so an unknown id deletes nothing.

    Args:
        store: the open store.
        doc_ids: ids of stored documents.
        config: the detection configuration (its cluster settings rebuild the stories).
        story_config: the story view's configuration (the rebuilt stories' facts).

    Raises:
        NotFoundError: an id is not in the store; nothing was deleted.
    """
    ids = tuple(dict.fromkeys(doc_ids))
    missing = [doc_id for doc_id in ids if store.lookup(doc_id) is None]
    if missing:
        shown = ", ".join(repr(m) for m in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise NotFoundError(
            f"no document with id {shown}{more} in {store.path}; nothing was deleted "
            "(`wiretrace docs` lists the ids)"
        )
    for doc_id in ids:
        store.delete_document(doc_id)
    # rebuild_stories commits: the deletions and the new stories land together.
    stories = rebuild_stories(store, config or DetectConfig(), story_config)
    return DeleteSummary(deleted=ids, stories=stories)


def document_moment(date: str | None, ingested_at: str) -> datetime:
    """When a document was published: its own date, else the time it was ingested."""
    parsed = parse_date(date) or parse_date(ingested_at)
    if parsed is None:  # ingested_at is always ISO 8601, written by the store
        raise ConfigError(f"unreadable ingest time {ingested_at!r} in the store")
    return parsed.moment


def expired_ids(
    store: SqliteStore, *, before: str | None = None, keep_days: float | None = None
) -> list[str]:
    """Ids of documents older than ``before``, or than ``keep_days`` before the newest one.

    A document's age is its publication date; a document without a readable date counts
    from the moment it was ingested. ``keep_days`` counts back from the newest
    publication date (the newest ingest time if no document has a date), not from today,
    so that a corpus from the past keeps its window.

    Raises:
        ConfigError: neither or both limits given, or ``before`` is not a date.
    """
    if (before is None) == (keep_days is None):
        raise ConfigError("give exactly one of before (a date) or keep_days (a number of days)")
    parsed = parse_date(before) if before is not None else None
    if before is not None and parsed is None:
        raise ConfigError(f"cannot read the date {before!r}; expected ISO 8601 such as 2024-05-01")
    if keep_days is not None and keep_days < 0:
        raise ConfigError(f"keep_days must be 0 or more, got {keep_days}")
    rows = store.document_times()
    times = [(doc_id, document_moment(date, at)) for doc_id, date, at in rows]
    if not times:
        return []
    if parsed is not None:
        cutoff = parsed.moment
    else:
        # The window ends at the newest publication date; ingest times (of undated
        # documents) would end it today and empty the window of an old corpus.
        dated = [m for (_, date, _), (_, m) in zip(rows, times, strict=True) if parse_date(date)]
        newest = max(dated or [moment for _, moment in times])
        cutoff = newest - timedelta(days=keep_days or 0)
    return [doc_id for doc_id, moment in times if moment < cutoff]


def expire_documents(
    store: SqliteStore,
    *,
    before: str | None = None,
    keep_days: float | None = None,
    config: DetectConfig | None = None,
    story_config: ConsolidateConfig | None = None,
) -> DeleteSummary:
    """Delete every document older than a date or a window (see :func:`expired_ids`)."""
    ids = expired_ids(store, before=before, keep_days=keep_days)
    return delete_documents(store, ids, config, story_config)
