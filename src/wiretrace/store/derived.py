"""What a detection derives and stores beside its verdicts: divergences and story facts.

Views and exports read them from here. A store written before they were stored gets them
computed from its documents and verdicts, so an old store still answers.
"""

from __future__ import annotations

from collections.abc import Iterable

from wiretrace.consolidate import ConsolidateConfig, consolidate_story
from wiretrace.diverge import DivergeConfig, find_divergences
from wiretrace.model import Divergence, Fact, PairVerdict, Story
from wiretrace.store.sqlite import SqliteStore


def story_facts(
    store: SqliteStore, story: Story, config: ConsolidateConfig | None = None
) -> tuple[Fact, ...]:
    """The consolidated facts of a stored story, as the last detection stored them.

    A store written before facts were stored gets them computed from its documents and
    stored verdicts, with each pair's stored divergences (``config.diverge`` then applies
    only to pairs stored without them, as in :func:`pair_divergences`).
    """
    stored = store.story_facts(story.id)
    if stored is not None:
        return stored[1]
    documents = store.get_documents(story.documents)
    pairs = store.pairs_among(story.documents)
    return consolidate_story(story, documents, pairs, config, stored_divergences(store, pairs))


def stored_divergences(
    store: SqliteStore, verdicts: Iterable[PairVerdict]
) -> dict[tuple[str, str], tuple[Divergence, ...]]:
    """The stored divergences of ``verdicts``, by ``(a, b)``.

    Pairs stored without divergences are left out:
    :func:`~wiretrace.consolidate.consolidate_story` finds theirs.
    """
    found = {}
    for verdict in verdicts:
        divergences = store.pair_divergences(verdict.a, verdict.b)
        if divergences is not None:
            found[verdict.a, verdict.b] = divergences
    return found


def pair_divergences(
    store: SqliteStore, verdict: PairVerdict, config: DivergeConfig | None = None
) -> tuple[Divergence, ...]:
    """The divergences of a stored pair, as its detection stored them.

    A pair stored before divergences were gets them computed from its documents and
    stored passages.
    """
    stored = store.pair_divergences(verdict.a, verdict.b)
    if stored is not None:
        return stored
    documents = store.get_documents([verdict.a, verdict.b])
    return find_divergences(documents[verdict.a], documents[verdict.b], verdict, config)
