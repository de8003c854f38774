"""Stories as events: wiretrace's stories against articles grouped into events by reading.

``bench/data/stories/labels.jsonl`` names Reuters-21578 and BBC articles, each with the
event it reports (``bench/data/stories/README.md`` is the labelling guide). The texts are
read from ``../shared/data``; the repository holds only ids, event slugs and reasons.

Each corpus is analysed whole, as a user analyses an archive, through the CLI (``wiretrace
analyze --json``, ``--source Reuters`` or ``--source BBC``): the analysis of
:mod:`bench.real_pairs`, which the quality gate runs once for the real pairs, the real
divergences and these stories. wiretrace's
stories are then restricted to the labelled articles (an article in no story is a
singleton) and scored with BCubed (``bench.wikiref.bcubed``) against the events.

Figures: BCubed precision, recall and F1 over all labelled articles, the counts, and the
time. ``python -m bench.stories`` also prints the figures per stratum and the errors: events
wiretrace merges (one predicted story over several events) and events it splits.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.real_pairs import CORPORA, analyze_records, corpus_records
from bench.table import REPO
from bench.wikiref import bcubed

LABELS = REPO / "bench" / "data" / "stories" / "labels.jsonl"


@dataclass(frozen=True)
class Article:
    """One labelled article: its key (``corpus:id``), event and stratum tags."""

    key: str
    corpus: str
    doc_id: str
    event: str
    strata: tuple[str, ...]
    reason: str


def read_labels(path: Path = LABELS) -> list[Article]:
    """The labelled articles, one per line of ``path``."""
    out = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        key = f"{row['corpus']}:{row['id']}"
        out.append(
            Article(key, row["corpus"], str(row["id"]), row["event"],
                    tuple(row.get("strata", ())), row["reason"])
        )  # fmt: skip
    return out


def predicted_clusters(keys: Sequence[str], stories: Sequence[Sequence[str]]) -> dict[str, str]:
    """Story per labelled article, restricted to ``keys``; an article in no story is alone.

    Stories name documents by ``corpus:id`` keys; members outside ``keys`` (background
    articles) are dropped, so a story counts only through the labelled articles it holds.
    """
    label = {key: f"single:{key}" for key in keys}
    for n, members in enumerate(stories):
        for key in members:
            if key in label:
                label[key] = f"story:{n}"
    return label


def per_item_bcubed(
    gold: Mapping[str, str], predicted: Mapping[str, str]
) -> dict[str, tuple[float, float]]:
    """BCubed precision and recall of each item, so that strata can average a subset."""
    cluster_size = Counter(predicted[i] for i in gold)
    class_size = Counter(gold.values())
    both = Counter((predicted[i], gold[i]) for i in gold)
    return {
        i: (
            both[predicted[i], gold[i]] / cluster_size[predicted[i]],
            both[predicted[i], gold[i]] / class_size[gold[i]],
        )
        for i in gold
    }


def by_stratum(
    articles: Sequence[Article], predicted: Mapping[str, str]
) -> dict[str, tuple[int, float, float, float]]:
    """Per stratum tag: articles, mean BCubed precision, recall, and their F1.

    Each item's precision and recall are computed in the whole labelled set (a stratum's
    article merged with another stratum's event still costs it precision).
    """
    gold = {a.key: a.event for a in articles}
    scores = per_item_bcubed(gold, predicted)
    tagged: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        for tag in a.strata:
            tagged[tag].append(a.key)
    out = {}
    for tag, keys in sorted(tagged.items()):
        p = sum(scores[k][0] for k in keys) / len(keys)
        r = sum(scores[k][1] for k in keys) / len(keys)
        out[tag] = (len(keys), p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def merged_events(gold: Mapping[str, str], predicted: Mapping[str, str]) -> list[list[str]]:
    """Predicted stories that hold articles of more than one event: their event labels."""
    events: dict[str, set[str]] = defaultdict(set)
    for key, cluster in predicted.items():
        events[cluster].add(gold[key])
    return sorted(sorted(e) for e in events.values() if len(e) > 1)


def split_events(gold: Mapping[str, str], predicted: Mapping[str, str]) -> dict[str, list[int]]:
    """Events whose articles lie in more than one predicted story: the part sizes."""
    parts: dict[str, Counter[str]] = defaultdict(Counter)
    for key, event in gold.items():
        parts[event][predicted[key]] += 1
    return {
        event: sorted(counts.values(), reverse=True)
        for event, counts in sorted(parts.items())
        if len(counts) > 1
    }


def evaluate(
    shared: Path, limit: int | None = None, semantic: str = "off"
) -> tuple[list[Article], dict[str, str], dict[str, int]]:
    """The labelled articles, wiretrace's story for each, and per-corpus record counts."""
    articles = read_labels()
    articles = articles[:limit] if limit is not None else articles
    predicted: dict[str, str] = {}
    counts: dict[str, int] = {}
    for corpus in CORPORA:
        mine = [a for a in articles if a.corpus == corpus]
        if not mine:
            continue
        records = corpus_records(shared, corpus, {a.doc_id for a in mine})
        counts[corpus] = len(records)
        output = analyze_records(records, corpus, semantic)
        stories = [[f"{corpus}:{d}" for d in s["documents"]] for s in output["stories"]]
        story_of = predicted_clusters([a.key for a in mine], stories)
        predicted.update({k: f"{corpus}:{v}" for k, v in story_of.items()})
    return articles, predicted, counts


def figures_of(
    articles: Sequence[Article], predicted: Mapping[str, str], seconds: float = 0.0
) -> dict[str, float]:
    """BCubed precision, recall and F1 of ``predicted`` against the labelled events."""
    gold = {a.key: a.event for a in articles}
    precision, recall, f1 = bcubed(gold, predicted)
    events = Counter(gold.values())
    return {
        "stories_bcubed_precision": round(precision, 4),
        "stories_bcubed_recall": round(recall, 4),
        "stories_bcubed_f1": round(f1, 4),
        "stories_num_articles": float(len(gold)),
        "stories_num_events": float(len(events)),
        "stories_num_multi_article_events": float(sum(n > 1 for n in events.values())),
        "stories_num_predicted_clusters": float(len(set(predicted[k] for k in gold))),
        "stories_seconds": round(seconds, 2),
    }


def run(shared: Path, limit: int | None = None, semantic: str = "off") -> dict[str, float]:
    """The figures of wiretrace's stories on the story-labelled articles."""
    started = time.monotonic()
    articles, predicted, _ = evaluate(shared, limit, semantic)
    return figures_of(articles, predicted, time.monotonic() - started)


def report(articles: Sequence[Article], predicted: Mapping[str, str]) -> str:
    """Per-stratum figures, then the merged and the split events, as plain text."""
    gold = {a.key: a.event for a in articles}
    lines = [f"{'stratum'.ljust(22)}{'n':>5}{'P':>8}{'R':>8}{'F1':>8}"]
    for tag, (n, p, r, f) in by_stratum(articles, predicted).items():
        lines.append(f"{tag.ljust(22)}{n:>5}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    merged = merged_events(gold, predicted)
    lines += ["", f"merged: {len(merged)} predicted stories hold several events"]
    lines += ["  " + " + ".join(events) for events in merged]
    split = split_events(gold, predicted)
    lines += ["", f"split: {len(split)} events lie in several predicted stories"]
    lines += [f"  {event}: parts {parts}" for event, parts in split.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Print the per-stratum figures, the errors, then the figures."""
    import argparse

    from bench.table import default_shared, format_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--limit", type=int, default=None, help="only the first N labels")
    parser.add_argument("--semantic", choices=("off", "auto", "all"), default="off")
    args = parser.parse_args(argv)
    started = time.monotonic()
    articles, predicted, counts = evaluate(args.shared, args.limit, args.semantic)
    seconds = time.monotonic() - started
    print(report(articles, predicted))
    print()
    figures = figures_of(articles, predicted, seconds)
    figures.update({f"stories_num_records_{c}": float(n) for c, n in counts.items()})
    print(format_table(figures, f"Story-labelled articles (semantic {args.semantic})"))


if __name__ == "__main__":
    main()
