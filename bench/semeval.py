"""SemEval-2022 Task 8 (subset, part_a): does wiretrace's pair similarity track humans?

For each pair, both texts become documents and
:func:`wiretrace.engines.local.evaluate_documents` gives a verdict (the semantic layer
included, when installed: USE multilingual for the cross-lingual pairs);
its ``similarity`` (0 when wiretrace finds the pair unrelated) is correlated with the
human Overall score. Overall runs from 1 = very similar to 4 = very dissimilar, so the
figures are Pearson r against **−Overall**: positive means "agrees with humans".

The published anchor (winner HFL, 0.818 Pearson) is on the official evaluation set; this
subset (training data plus machine-translated augmentations, truncated texts) differs,
so it is a trend, not a comparison.

Run: ``python -m bench.semeval [--limit N]``.
"""

from __future__ import annotations

import json
import math
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from bench.table import cli
from wiretrace.candidates import CorpusIndex
from wiretrace.engines.local import DetectConfig, evaluate_documents
from wiretrace.errors import InputError
from wiretrace.extract.document import build_document
from wiretrace.fingerprint import fingerprint_document
from wiretrace.model import RawRecord

DATA = Path("data") / "semeval2022-task8-subset"
DATA_FILES = ("part_a.jsonl",)
ANCHOR_WINNER_PEARSON = 0.818
# Language pairs with fewer pairs than this get no figure of their own (too noisy).
MIN_PAIRS_PER_LANGUAGE = 20


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson correlation; 0.0 when either side is constant."""
    n = len(x)
    if n < 2:
        return 0.0
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return 0.0
    return sxy / math.sqrt(sxx * syy)


def pair_similarity(
    pair_id: str, text1: str, text2: str, config: DetectConfig
) -> tuple[float, float]:
    """wiretrace's verdict similarity of two texts (0.0 if unrelated or a text is
    rejected), and the raw content-word cosine the classifier sees."""
    try:
        a = build_document(RawRecord(unit=f"{pair_id}#1", source_path=pair_id, text=text1), "a")
        b = build_document(RawRecord(unit=f"{pair_id}#2", source_path=pair_id, text=text2), "b")
    except InputError:
        return 0.0, 0.0
    index = CorpusIndex(
        [fingerprint_document(a, config.fingerprint), fingerprint_document(b, config.fingerprint)]
    )
    verdict = evaluate_documents(a, b, config)
    similarity = verdict.similarity if verdict is not None else 0.0
    return similarity, index.vocabulary_cosine("a", "b")


def run(shared: Path, limit: int | None = None, config: DetectConfig | None = None) -> dict:
    """Pearson r of similarity with −Overall, overall and per language pair."""
    config = config or DetectConfig()
    started = time.monotonic()
    with open(shared / DATA / "part_a.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rows = rows[:limit] if limit is not None else rows
    sims, cosines, targets = [], [], []
    by_lang: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in rows:
        sim, cosine = pair_similarity(row["pair_id"], row["text1"], row["text2"], config)
        sims.append(sim)
        cosines.append(cosine)
        targets.append(-float(row["Overall"]))
        by_lang[f"{row['lang1']}-{row['lang2']}"].append((sim, -float(row["Overall"])))
    figures: dict = {"semeval_pearson": pearson(sims, targets)}
    # Diagnostic: the content-word cosine before the classifier zeroes unrelated pairs.
    figures["semeval_pearson_vocabulary_cosine"] = pearson(cosines, targets)
    scored = list(zip(sims, targets, rows, strict=True))
    mono = [(s, t) for s, t, r in scored if r["lang1"] == r["lang2"]]
    cross = [(s, t) for s, t, r in scored if r["lang1"] != r["lang2"]]
    figures["semeval_pearson_monolingual"] = pearson([s for s, _ in mono], [t for _, t in mono])
    figures["semeval_pearson_crosslingual"] = pearson([s for s, _ in cross], [t for _, t in cross])
    for lang, values in sorted(by_lang.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(values) >= MIN_PAIRS_PER_LANGUAGE:
            key = f"semeval_pearson_{lang.replace('-', '_')}"
            figures[key] = pearson([s for s, _ in values], [t for _, t in values])
    figures["semeval_share_zero_similarity"] = sum(1 for s in sims if s == 0) / max(len(sims), 1)
    figures["semeval_num_pairs"] = len(rows)
    figures["semeval_seconds"] = round(time.monotonic() - started, 2)
    return figures


def main(argv: list[str] | None = None) -> None:
    """Print the SemEval table with the published anchor."""
    cli(run, "SemEval-2022 Task 8 subset (part_a): Pearson r of similarity vs -Overall", argv)
    print(
        f"published anchor: winner {ANCHOR_WINNER_PEARSON} Pearson on the official evaluation "
        "set (not this subset); sign: positive r = higher wiretrace similarity for pairs "
        "humans rated more similar"
    )


if __name__ == "__main__":
    main()
