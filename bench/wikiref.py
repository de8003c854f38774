"""WikiRef220: do wiretrace's stories recover topic clusters?

All 220 articles are ingested into a temporary in-memory store and ``detect`` runs on
them; each story is one predicted cluster and every document outside a story is a
singleton. Gold classes are the topics of the data README: the 5 main topics and, for
the 35 noise articles, their own small topics (11 of them, 5 singletons).

WikiRef clusters are *topics*, broader than wiretrace's stories (which group articles
that reuse text or report one event), so recall is expected to be low and precision is
the figure that matters: a story that mixes topics is a real error.

Figures: adjusted Rand index (scikit-learn) over all 220 and over the 185 main-topic
articles, and BCubed precision/recall/F1 (Bagga & Baldwin 1998; Amigó et al. 2009).

Run: ``python -m bench.wikiref [--limit N]``.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from bench.table import cli
from wiretrace.engines.ingest import ingest
from wiretrace.engines.local import DetectConfig, detect
from wiretrace.store import open_store

DATA = Path("data") / "wikiref220"
DATA_FILES = ("articles.jsonl",)


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of ``predicted`` clusters against ``gold`` classes.

    For each item, precision is the share of its cluster that shares its class, recall the
    share of its class that shares its cluster; both are averaged over items.
    """
    items = list(gold)
    if not items:
        return 0.0, 0.0, 0.0
    cluster_size = Counter(predicted[i] for i in items)
    class_size = Counter(gold[i] for i in items)
    both = Counter((predicted[i], gold[i]) for i in items)
    precision = sum(both[(predicted[i], gold[i])] / cluster_size[predicted[i]] for i in items)
    recall = sum(both[(predicted[i], gold[i])] / class_size[gold[i]] for i in items)
    precision /= len(items)
    recall /= len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def cluster_labels(ids: Sequence[str], stories: Sequence[Sequence[str]]) -> dict[str, str]:
    """Story id per document; documents outside every story are their own cluster."""
    label = {doc_id: f"single:{doc_id}" for doc_id in ids}
    for n, members in enumerate(stories):
        for doc_id in members:
            label[doc_id] = f"story:{n}"
    return label


def run(shared: Path, limit: int | None = None, config: DetectConfig | None = None) -> dict:
    """ARI and BCubed of wiretrace's stories against WikiRef220 topics."""
    started = time.monotonic()
    with open(shared / DATA / "articles.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rows = rows[:limit] if limit is not None else rows
    with tempfile.TemporaryDirectory(prefix="wiretrace-wikiref-") as tmp:
        path = Path(tmp) / "wikiref.jsonl"
        with open(path, "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps({"id": str(row["id"]), "text": row["text"]}) + "\n")
        with open_store(":memory:") as store:
            summary = ingest(store, [str(path)])
            detected = detect(store, config)
            stories = [s.documents for s in store.iter_stories()]
    ids = [str(r["id"]) for r in rows]
    unknown = {d for s in stories for d in s} - set(ids)
    if unknown:
        raise ValueError(
            f"stories name {len(unknown)} ids that are not WikiRef ids (e.g. "
            f"{sorted(unknown)[0]!r}); did ingest assign its own ids instead of the 'id' field?"
        )
    gold = {str(r["id"]): r["topic"] for r in rows}
    predicted = cluster_labels(ids, stories)
    main_ids = [str(r["id"]) for r in rows if not r["is_noise"]]
    precision, recall, f1 = bcubed(gold, predicted)
    return {
        "wikiref_ari": adjusted_rand_score([gold[i] for i in ids], [predicted[i] for i in ids]),
        "wikiref_ari_main_topics": adjusted_rand_score(
            [gold[i] for i in main_ids], [predicted[i] for i in main_ids]
        ),
        "wikiref_bcubed_precision": precision,
        "wikiref_bcubed_recall": recall,
        "wikiref_bcubed_f1": f1,
        "wikiref_num_docs": len(rows),
        "wikiref_num_rejected": summary.rejected,
        "wikiref_num_pairs": detected.pairs,
        "wikiref_num_stories": len(stories),
        "wikiref_docs_in_stories": sum(len(s) for s in stories),
        "wikiref_seconds": round(time.monotonic() - started, 2),
    }


def main(argv: list[str] | None = None) -> None:
    """Print the WikiRef220 table."""
    cli(run, "WikiRef220: stories vs topic labels", argv)


if __name__ == "__main__":
    main()
