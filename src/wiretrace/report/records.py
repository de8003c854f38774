"""The ``--json`` output: documents, pairs with their divergences, stories with their facts.

Each record's dict form is its own (``to_dict`` of :mod:`wiretrace.model`); these dicts are
what ``--json`` and ``export`` write; ``schema/wiretrace-output.schema.json``
documents them and a test validates real output against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import TYPE_CHECKING

from wiretrace.consolidate import ConsolidateConfig
from wiretrace.diverge import DivergeConfig
from wiretrace.model import Divergence, Document, Fact, PairReport, PairVerdict, Story, StoryReport
from wiretrace.store.derived import pair_divergences, story_facts

if TYPE_CHECKING:
    from wiretrace.store import SqliteStore

# Names the version of the output shape; bump with any incompatible change.
SCHEMA_ID = "wiretrace-output/1"


def pair_report(verdict: PairVerdict, divergences: Sequence[Divergence]) -> PairReport:
    """``verdict`` with its divergences."""
    values = {f.name: getattr(verdict, f.name) for f in fields(PairVerdict)}
    return PairReport(**values, divergences=tuple(divergences))


def story_report(story: Story, facts: Sequence[Fact]) -> StoryReport:
    """``story`` with its consolidated facts."""
    values = {f.name: getattr(story, f.name) for f in fields(Story)}
    return StoryReport(**values, facts=tuple(facts))


def read_pair_reports(
    store: SqliteStore, doc_ids: set[str] | None = None, config: DivergeConfig | None = None
) -> list[PairReport]:
    """Every stored pair (both of whose documents are in ``doc_ids``) with its divergences."""
    return [
        pair_report(v, pair_divergences(store, v, config))
        for v in store.iter_pairs()
        if doc_ids is None or (v.a in doc_ids and v.b in doc_ids)
    ]


def read_story_reports(
    store: SqliteStore, doc_ids: set[str] | None = None, config: ConsolidateConfig | None = None
) -> list[StoryReport]:
    """Every stored story (that holds one of ``doc_ids``) with its consolidated facts."""
    return [
        story_report(s, story_facts(store, s, config))
        for s in store.iter_stories()
        if doc_ids is None or set(s.documents) & doc_ids
    ]


def analysis_dict(
    documents: Sequence[Document], pairs: Sequence[PairReport], stories: Sequence[StoryReport]
) -> dict:
    """The ``--json`` output of documents (without texts), pairs and stories."""
    return {
        "schema": SCHEMA_ID,
        "documents": [d.to_dict(with_text=False) for d in documents],
        "pairs": [p.to_dict(divergences=p.divergences) for p in pairs],
        "stories": [s.to_dict(s.facts) for s in stories],
    }


def analysis_record(
    store: SqliteStore,
    doc_ids: set[str] | None = None,
    *,
    story_config: ConsolidateConfig | None = None,
) -> dict:
    """The ``--json`` output: documents, pairs and stories (restricted to ``doc_ids``).

    Pairs carry their divergences and stories their consolidated facts, both computed
    from the stored documents and verdicts (divergences with ``story_config.diverge``).
    """
    documents = [d for d in store.iter_documents() if doc_ids is None or d.id in doc_ids]
    diverge = story_config.diverge if story_config is not None else None
    return analysis_dict(
        documents,
        read_pair_reports(store, doc_ids, diverge),
        read_story_reports(store, doc_ids, story_config),
    )
