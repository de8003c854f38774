"""SemEval-2022 Task 8 (subset, part_a): do wiretrace's similarities track humans?

Three similarities of every pair, against the human Overall score:

- **wiretrace** (``semeval_pearson*``): both texts become documents and
  :func:`wiretrace.engines.local.evaluate_documents` gives a verdict (the semantic layer
  included, when installed); its ``similarity`` is 0 when wiretrace finds the pair
  unrelated. This is reuse, not story similarity, so most pairs score 0.
- **baseline** (``semeval_baseline_*``, needs the semantic extra): the plain cosine of
  USE document vectors, each the unweighted mean of the vectors of the document's first
  :data:`~wiretrace.semantic.story.MAX_LEAD_SENTENCES` sentences.
- **story** (``semeval_story_*``, needs the semantic extra): the calibrated
  :func:`wiretrace.semantic.story.story_similarity`, computed from the same sentence
  vectors (each document encoded once). The texts carry no publication dates, so the
  main figures use its text-only model; ``semeval_story_pearson_id_dates*`` give each
  text a proxy date from its Media Cloud story id (see :data:`IDS_PER_DAY`).

Overall runs from 1 = very similar to 4 = very dissimilar, so the figures are Pearson r
against **−Overall**: positive means "agrees with humans".

The story models were fit on one half of the pairs (``fold_of``: a hash of the pair id
without its language suffix, so a pair and its machine translations fall on one side)
and the ``_heldout`` figures are measured on the other half only; the overall figures
include the fit half. ``--fit`` refits the models on the fit half and prints their
coefficients (the constants of :mod:`wiretrace.semantic.story`).

The published anchor (winner HFL, 0.818 Pearson) is on the official evaluation set; this
subset (training data plus machine-translated augmentations, truncated texts) differs,
so it is a trend, not a comparison.

Run: ``python -m bench.semeval [--limit N] [--fit]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from bench.table import default_shared, format_table, format_value
from wiretrace.candidates import CorpusIndex
from wiretrace.engines.local import DetectConfig, evaluate_documents
from wiretrace.errors import InputError
from wiretrace.extract.document import build_document
from wiretrace.fingerprint import fingerprint_document
from wiretrace.model import Document, RawRecord
from wiretrace.segment import detect_language, split_sentences
from wiretrace.semantic import story
from wiretrace.semantic.encoders import USE, installed_encoders

DATA = Path("data") / "semeval2022-task8-subset"
DATA_FILES = ("part_a.jsonl",)
ANCHOR_WINNER_PEARSON = 0.818
# Language pairs with fewer pairs than this get no figure of their own (too noisy).
MIN_PAIRS_PER_LANGUAGE = 20
# "Same story" for fitting the story models: a mean Overall on the similar side of the
# scale's midpoint (1 very similar, 2 somewhat similar | 3 somewhat, 4 very dissimilar).
SAME_STORY_MAX_OVERALL = 2.5
FIT_FOLD, HELDOUT_FOLD = 0, 1
# Media Cloud story ids (the SemEval article ids) grow in crawl order. Dates that 53
# English texts of the subset mention put id 1,483,800,000 near 2020-01-01 and about a
# million ids a day (0.86 days per million fitted, median error 7 days): a rough proxy
# for publication dates, which the subset lacks.
ID_ORIGIN = 1_483_800_000
ID_ORIGIN_DATE = datetime(2020, 1, 1, tzinfo=UTC)
IDS_PER_DAY = 1_000_000
# Newton steps for the logistic fit of --fit (it converges in fewer than ten), and an L2
# penalty that keeps it finite on a tiny or separable sample (``--limit``); on the 643
# pairs of the fit half it moves no coefficient by more than 0.01.
FIT_ITERATIONS = 50
FIT_RIDGE = 1e-3


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


def fold_of(row: dict) -> int:
    """The half of the data a pair belongs to: :data:`FIT_FOLD` or :data:`HELDOUT_FOLD`.

    Keyed by the pair id without language suffixes (``1484039360it_1484180228it`` is a
    machine translation of ``1484039360_1484180228``), so translations stay together.
    """
    base = re.sub(r"[a-z]+", "", row["pair_id"])
    return int(hashlib.sha256(base.encode()).hexdigest(), 16) % 2


def proxy_date(article_id: str) -> str:
    """An ISO 8601 moment standing in for the publication date of a Media Cloud id."""
    number = int(re.match(r"\d+", article_id).group())  # type: ignore[union-attr]
    days = (number - ID_ORIGIN) / IDS_PER_DAY
    return (ID_ORIGIN_DATE + timedelta(days=days)).isoformat(timespec="seconds")


def story_document(pair_id: str, side: str, text: str) -> tuple[Document, bool]:
    """The document of one text, and whether cleaning kept it.

    A text that cleaning rejects (some one-line texts are taken for page chrome as a
    whole) is segmented uncleaned, so every pair gets a story similarity.
    """
    unit = f"{pair_id}#{side}"
    try:
        return build_document(RawRecord(unit=unit, source_path=pair_id, text=text), side), True
    except InputError:
        body = text.strip()
        language = detect_language(body)
        sentences = split_sentences(body, language)
        doc = Document(id=side, text=body, original=text, language=language, sentences=sentences)
        return doc, False


@dataclass(frozen=True, slots=True)
class StoryScores:
    """Per pair: the baseline cosine, the story similarity without and with proxy dates,
    and the story features (for ``--fit``)."""

    baseline: list[float]
    story: list[float]
    story_id_dates: list[float]
    features: list[story.StoryFeatures]
    features_id_dates: list[story.StoryFeatures]
    num_uncleaned: int


def story_scores(rows: Sequence[dict]) -> StoryScores:
    """Encode every text's lead once; score each pair by the baseline and the story model."""
    docs: list[Document] = []
    num_uncleaned = 0
    for row in rows:
        for side in ("1", "2"):
            doc, cleaned = story_document(row["pair_id"], side, row[f"text{side}"])
            docs.append(doc)
            num_uncleaned += not cleaned
    plain, profiles, dated = [], [], []
    for k, (doc, (lead, vectors)) in enumerate(zip(docs, story.encode_leads(docs), strict=True)):
        # The baseline: the unweighted mean of the same sentence vectors.
        mean = vectors.mean(axis=0) if len(vectors) else np.zeros(vectors.shape[1])
        plain.append(mean / max(float(np.linalg.norm(mean)), 1e-12))
        profile = story.story_profile(doc, story.lead_vector(lead, vectors))
        profiles.append(profile)
        with_date = replace(doc, date=proxy_date(rows[k // 2][f"id{k % 2 + 1}"]))
        dated.append(replace(profile, day=story.publication_day(with_date)))
    pairs = np.arange(len(docs)).reshape(-1, 2)
    index_pairs = pairs.tolist()
    return StoryScores(
        baseline=[float(plain[i] @ plain[j]) for i, j in index_pairs],
        story=story.story_similarities(profiles, pairs).tolist(),
        story_id_dates=story.story_similarities(dated, pairs).tolist(),
        features=[story.story_features(profiles[i], profiles[j]) for i, j in index_pairs],
        features_id_dates=[story.story_features(dated[i], dated[j]) for i, j in index_pairs],
        num_uncleaned=num_uncleaned,
    )


def fit_logistic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic regression by Newton's method (see :data:`FIT_RIDGE`): intercept first."""
    design = np.column_stack([np.ones(len(x)), x])
    weights = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], FIT_RIDGE)
    penalty[0] = 0.0  # the intercept is not shrunk
    for _ in range(FIT_ITERATIONS):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ weights, -700.0, 700.0)))
        gradient = design.T @ (y - p) - penalty * weights
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        weights += step
        if np.abs(step).max() < 1e-10:
            break
    return weights


def fit_story_models(rows: Sequence[dict], scores: StoryScores) -> dict[str, list[float]]:
    """Refit the text-only and the dated model on the fit half; their coefficients."""
    fit = [k for k, row in enumerate(rows) if fold_of(row) == FIT_FOLD]
    same = np.array([float(rows[k]["Overall"]) < SAME_STORY_MAX_OVERALL for k in fit], float)
    text = np.array(
        [[f.cosine, math.log1p(f.num_shared_anchors)] for f in (scores.features[k] for k in fit)]
    )
    dated = np.array(
        [
            [f.cosine, math.log1p(f.num_shared_anchors), math.log1p(f.days_apart)]
            for f in (scores.features_id_dates[k] for k in fit)
        ]
    )
    return {
        "text_model (intercept, cosine, log_shared_anchors)": fit_logistic(text, same).tolist(),
        "dated_model (intercept, cosine, log_shared_anchors, log_days_apart)": fit_logistic(
            dated, same
        ).tolist(),
    }


def _is_cross(row: dict) -> bool:
    return row["lang1"] != row["lang2"]


def _is_heldout(row: dict) -> bool:
    return fold_of(row) == HELDOUT_FOLD


def _is_heldout_cross(row: dict) -> bool:
    return _is_heldout(row) and _is_cross(row)


def _pearson_where(
    sims: Sequence[float],
    targets: Sequence[float],
    rows: Sequence[dict],
    keep: Callable[[dict], bool],
) -> float:
    """Pearson r over the pairs whose row ``keep`` accepts."""
    chosen = [(s, t) for s, t, r in zip(sims, targets, rows, strict=True) if keep(r)]
    return pearson([s for s, _ in chosen], [t for _, t in chosen])


def _correlations(
    prefix: str, sims: Sequence[float], targets: Sequence[float], rows: Sequence[dict]
) -> dict[str, float]:
    """Pearson r overall, monolingual, cross-lingual, per language pair; share of zeros."""
    figures = {
        f"{prefix}pearson": pearson(sims, targets),
        f"{prefix}pearson_monolingual": _pearson_where(
            sims, targets, rows, lambda r: not _is_cross(r)
        ),
        f"{prefix}pearson_crosslingual": _pearson_where(sims, targets, rows, _is_cross),
    }
    by_lang: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for sim, target, row in zip(sims, targets, rows, strict=True):
        by_lang[f"{row['lang1']}_{row['lang2']}"].append((sim, target))
    for lang, values in sorted(by_lang.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(values) >= MIN_PAIRS_PER_LANGUAGE:
            figures[f"{prefix}pearson_{lang}"] = pearson(
                [s for s, _ in values], [t for _, t in values]
            )
    figures[f"{prefix}share_zero_similarity"] = sum(1 for s in sims if s == 0) / max(len(sims), 1)
    return figures


def _story_figures(
    rows: Sequence[dict], targets: Sequence[float], scores: StoryScores
) -> dict[str, float]:
    """The baseline and story figures: overall, per language, on the held-out half."""
    figures = _correlations("semeval_baseline_", scores.baseline, targets, rows)
    figures.update(_correlations("semeval_story_", scores.story, targets, rows))
    figures["semeval_story_id_dates_pearson"] = pearson(scores.story_id_dates, targets)
    figures["semeval_story_id_dates_pearson_crosslingual"] = _pearson_where(
        scores.story_id_dates, targets, rows, _is_cross
    )
    for prefix, sims in (
        ("semeval_baseline_", scores.baseline),
        ("semeval_story_", scores.story),
        ("semeval_story_id_dates_", scores.story_id_dates),
    ):
        figures[f"{prefix}pearson_heldout"] = _pearson_where(sims, targets, rows, _is_heldout)
        figures[f"{prefix}pearson_heldout_crosslingual"] = _pearson_where(
            sims, targets, rows, _is_heldout_cross
        )
    figures["semeval_story_num_heldout_pairs"] = sum(1 for r in rows if _is_heldout(r))
    figures["semeval_story_num_texts_uncleaned"] = scores.num_uncleaned
    return figures


def _rows(shared: Path, limit: int | None) -> list[dict]:
    with open(shared / DATA / "part_a.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return rows[:limit] if limit is not None else rows


def run_reuse(shared: Path, limit: int | None = None, config: DetectConfig | None = None) -> dict:
    """Pearson r of wiretrace's verdict similarity with −Overall, overall and per language
    pair (``semeval_pearson*``)."""
    config = config or DetectConfig()
    started = time.monotonic()
    rows = _rows(shared, limit)
    sims, cosines, targets = [], [], []
    for row in rows:
        sim, cosine = pair_similarity(row["pair_id"], row["text1"], row["text2"], config)
        sims.append(sim)
        cosines.append(cosine)
        targets.append(-float(row["Overall"]))
    figures: dict = _correlations("semeval_", sims, targets, rows)
    # Diagnostic: the content-word cosine before the classifier zeroes unrelated pairs.
    figures["semeval_pearson_vocabulary_cosine"] = pearson(cosines, targets)
    figures["semeval_num_pairs"] = len(rows)
    figures["semeval_seconds"] = round(time.monotonic() - started, 2)
    return figures


def run_story(shared: Path, limit: int | None = None, fit: bool = False) -> dict:
    """Pearson r of the baseline and the story similarity with −Overall
    (``semeval_baseline_*``, ``semeval_story_*``); nothing without the semantic extra (USE).
    ``fit`` also prints the story-model coefficients refitted on the fit half."""
    if USE not in installed_encoders():
        return {}
    started = time.monotonic()
    rows = _rows(shared, limit)
    targets = [-float(row["Overall"]) for row in rows]
    scores = story_scores(rows)
    figures = _story_figures(rows, targets, scores)
    figures["semeval_story_seconds"] = round(time.monotonic() - started, 2)
    if fit:
        for name, values in fit_story_models(rows, scores).items():
            print(f"fit on the fit half: {name} = {', '.join(f'{v:.3f}' for v in values)}")
    return figures


def run(
    shared: Path,
    limit: int | None = None,
    config: DetectConfig | None = None,
    fit: bool = False,
) -> dict:
    """Pearson r of each similarity with −Overall, overall and per language pair: the
    figures of :func:`run_reuse` and :func:`run_story` (the quality gate runs the two
    apart, on two cores)."""
    return run_reuse(shared, limit, config) | run_story(shared, limit, fit)


_LANGUAGE_FIGURE = re.compile(r"^semeval_(?:(baseline|story)_)?pearson_([a-z]{2}_[a-z]{2})$")


def language_table(figures: dict) -> str:
    """Per language pair: the three similarities' Pearson r side by side."""
    columns = {"": "wiretrace", "baseline": "baseline", "story": "story"}
    table: dict[str, dict[str, float]] = defaultdict(dict)
    for name, value in figures.items():
        match = _LANGUAGE_FIGURE.match(name)
        if match:
            table[match.group(2).replace("_", "-")][columns[match.group(1) or ""]] = value
    header = f"{'pair':6}" + "".join(f"{c:>11}" for c in columns.values())
    lines = [f"Pearson r per language pair (pairs >= {MIN_PAIRS_PER_LANGUAGE})", header]
    for lang, values in table.items():
        cells = "".join(
            f"{format_value(values[c]) if c in values else '-':>11}" for c in columns.values()
        )
        lines.append(f"{lang:6}{cells}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Print the SemEval figures, a per-language table and the published anchor."""
    title = "SemEval-2022 Task 8 subset (part_a): Pearson r of similarity vs -Overall"
    parser = argparse.ArgumentParser(description=title)
    parser.add_argument("--shared", type=Path, default=default_shared(), help="../shared folder")
    parser.add_argument("--limit", type=int, default=None, help="evaluate only the first N pairs")
    parser.add_argument(
        "--fit", action="store_true", help="refit the story models on the fit half and print them"
    )
    args = parser.parse_args(argv)
    figures = run(args.shared, limit=args.limit, fit=args.fit)
    overall = {k: v for k, v in figures.items() if not _LANGUAGE_FIGURE.match(k)}
    print(format_table(overall, title))
    print()
    print(language_table(figures))
    print(
        f"published anchor: winner {ANCHOR_WINNER_PEARSON} Pearson on the official evaluation "
        "set (not this subset); sign: positive r = higher similarity for pairs humans rated "
        "more similar; _heldout = the half of the pairs the story models were not fit on"
    )


if __name__ == "__main__":
    main()
