"""Spin or separate report: paraphrase verdicts on 30 written events (bench/data/spin).

Each event has three articles our own engineers wrote (bench/data/spin/README.md): an
``original`` wire story, a ``spin`` rewritten from it as a content farm would, and a
``report`` of the same event written separately by another outlet. The 90 articles are
analysed together with ``wiretrace analyze --semantic auto`` through the CLI a user runs,
and three pairs of each event are looked up:

- **positive**: original~spin, the truth is ``paraphrase``;
- **negatives**: original~report and spin~report, the truth is not reuse (``related`` or
  no relation).

Figures: paraphrase precision, recall and F1 (predicted positive = type ``paraphrase``),
and how many spins and reports come out as each type (``none`` = not reported).

Run: ``python -m bench.spin`` (prints every pair, then the figures).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.table import REPO, format_table

ARTICLES = REPO / "bench" / "data" / "spin" / "articles.jsonl"
POSITIVE = "paraphrase"
TYPES = ("duplicate", "edited", "partial", "paraphrase", "translation", "related", "none")
# (kind, first article, second article): the spin is the positive, both reports negatives.
PAIRS = (
    ("spin", "original", "spin"),
    ("report", "original", "report"),
    ("report", "spin", "report"),
)


@dataclass(frozen=True)
class Judged:
    """One pair of an event, its truth and wiretrace's verdict."""

    event: str
    a: str
    b: str
    kind: str  # "spin" (truth: paraphrase) or "report" (truth: not reuse)
    verdict: str  # wiretrace's type, or "none" when it reports no relation


def read_articles(path: Path = ARTICLES) -> list[dict]:
    """The articles, one dict per line."""
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _analyze(path: Path, semantic: str) -> dict:
    """``wiretrace analyze --json`` of the articles file, in a temporary store."""
    from click.testing import CliRunner

    from wiretrace.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        args = [
            "analyze", str(path), "--semantic", semantic,
            "--db", str(Path(tmp) / "spin.sqlite"), "--json", str(out),
        ]  # fmt: skip
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        if result.exit_code not in (0, 3):
            raise RuntimeError(f"analyze failed (exit {result.exit_code}): {result.output[-500:]}")
        return json.loads(out.read_text("utf-8"))


def evaluate(semantic: str = "auto", limit: int | None = None) -> list[Judged]:
    """The three pairs of every event (the first ``limit`` events) with their verdicts."""
    articles = read_articles()
    events = sorted({a["id"].split("_")[0] for a in articles})[:limit]
    chosen = [a for a in articles if a["id"].split("_")[0] in events]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_text("".join(json.dumps(a) + "\n" for a in chosen), "utf-8")
        output = _analyze(path, semantic)
    verdicts = {frozenset((p["a"], p["b"])): p["type"] for p in output["pairs"]}
    rows = []
    for event in events:
        for kind, first, second in PAIRS:
            a, b = f"{event}_{first}", f"{event}_{second}"
            rows.append(Judged(event, a, b, kind, verdicts.get(frozenset((a, b)), "none")))
    return rows


def figures_of(rows: list[Judged]) -> dict[str, float]:
    """Paraphrase precision, recall and F1, and the verdict counts of spins and reports."""
    tp = sum(r.kind == "spin" and r.verdict == POSITIVE for r in rows)
    fp = sum(r.kind == "report" and r.verdict == POSITIVE for r in rows)
    fn = sum(r.kind == "spin" and r.verdict != POSITIVE for r in rows)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    figures: dict[str, float] = {
        "spin_num_spin_pairs": float(sum(r.kind == "spin" for r in rows)),
        "spin_num_report_pairs": float(sum(r.kind == "report" for r in rows)),
        "spin_paraphrase_precision": round(precision, 4),
        "spin_paraphrase_recall": round(recall, 4),
        "spin_paraphrase_f1": round(f1, 4),
    }
    counts = Counter((r.kind, r.verdict) for r in rows)
    for kind in ("spin", "report"):
        for verdict in TYPES:
            figures[f"spin_num_{kind}s_{verdict}"] = float(counts[kind, verdict])
    return figures


def run(shared: Path, limit: int | None = None, semantic: str = "auto") -> dict[str, float]:
    """The figures of the written spin set (``shared`` is accepted and unused)."""
    del shared
    return figures_of(evaluate(semantic, limit))


def confusion(rows: list[Judged]) -> str:
    """Truth (rows: spin, report) against wiretrace's verdict (columns), as plain text."""
    counts = Counter((r.kind, r.verdict) for r in rows)
    lines = ["truth \\ verdict".ljust(16) + "".join(t[:10].rjust(11) for t in TYPES)]
    for kind in ("spin", "report"):
        lines.append(kind.ljust(16) + "".join(str(counts[kind, t]).rjust(11) for t in TYPES))
    return "\n".join(lines)


def main() -> None:
    """Print every pair, the confusion table, then the figures."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--semantic", choices=("off", "auto", "all"), default="auto")
    parser.add_argument("--limit", type=int, default=None, help="only the first N events")
    args = parser.parse_args()
    rows = evaluate(args.semantic, args.limit)
    for r in rows:
        wrong = (r.verdict == POSITIVE) != (r.kind == "spin")
        print(f"{'WRONG' if wrong else 'ok   '} {r.a}~{r.b}: {r.kind} called {r.verdict}")
    print()
    print(confusion(rows))
    print()
    print(format_table(figures_of(rows), f"Spin vs separate report (semantic {args.semantic})"))


if __name__ == "__main__":
    main()
