"""The semantic layer's cost: sentences per second of each encoder, seconds for the seeds.

- ``encoders``: each backend encodes the sentences of the five seeds and the example corpus
  in a fresh process, with one and with two threads (``WIRETRACE_ENCODER_THREADS``);
  model loading is timed apart from encoding.
- ``seeds``: ``wiretrace analyze`` of the five seeds into a new store (cold: models load
  and every needed sentence is encoded), then ``wiretrace detect --full`` on that store
  (warm: vectors come from the store's cache, no model loads), and ``analyze --semantic
  off`` (lexical only) for reference. Rounds are interleaved; medians with min and max.
- ``reuters``: ``wiretrace analyze`` of the first 5,000 Reuters-21578 records with the
  default ``--semantic auto`` against ``--semantic off``: what the layer costs on a real
  wire corpus, where it embeds only the pairs words cannot decide (one round by default:
  a cold run takes minutes on two cores).

Run: ``python -m bench.semantic [--rounds N]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import speed

SEEDS = Path("corpus") / "seeds"
EXAMPLES = speed.REPO / "examples" / "corpus"
ROUNDS = 3
THREADS = (1, 2)
# The Reuters slice of ``reuters_speed``, and its rounds (a cold run takes minutes).
REUTERS_RECORDS = 5000
REUTERS_ROUNDS = 1
# What ``analyze`` prints about the semantic layer.
_ENCODED = re.compile(
    r"semantic layer \(\w+\): (?P<pairs>\d+) pairs aligned by meaning; "
    r"(?P<sentences>\d+) sentences encoded"
)


def _sentences(folders: list[Path]) -> list[str]:
    from wiretrace.extract.document import build_document
    from wiretrace.read import ReadOptions, scan_inputs

    texts = []
    for item in scan_inputs([str(f) for f in folders], ReadOptions()):
        if hasattr(item, "text"):
            doc = build_document(item, Path(item.unit).name)
            texts += [doc.text[s.start : s.end] for s in doc.sentences]
    return texts


def encoder_child() -> None:
    """Child process (``NAME FOLDER...`` in argv): load one encoder, encode the sentences
    of the folders, print JSON figures."""
    from wiretrace.semantic import make_encoder

    name, *folders = sys.argv[1:]
    texts = _sentences([Path(f) for f in folders])
    encoder = make_encoder(name)
    started = time.perf_counter()
    encoder.encode(texts[:2])
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    encoder.encode(texts)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "load_s": loaded,
                "sentences": len(texts),
                "encode_s": seconds,
                "sentences_per_s": len(texts) / seconds,
            }
        )
    )


def encoder_speed(shared: Path, rounds: int) -> dict[str, Any]:
    """Sentences/s and load seconds of each backend at 1 and 2 threads."""
    folders = [str(shared / SEEDS), str(EXAMPLES)]
    runners = []
    labels = []
    for name in ("minilm", "use"):
        for threads in THREADS:
            labels.append(f"{name}_{threads}_thread")

            def run(name: str = name, threads: int = threads) -> dict:
                env = {"WIRETRACE_ENCODER_THREADS": str(threads)}
                child = speed.run_child("bench.semantic:encoder_child", [name, *folders], env=env)
                return child.json()

            runners.append(run)
    results = speed.interleaved(rounds, runners)
    out: dict[str, Any] = {}
    for label, runs in zip(labels, results, strict=True):
        out[label] = {
            "sentences_per_s": speed.stat([r["sentences_per_s"] for r in runs]),
            "load_s": speed.stat([r["load_s"] for r in runs]),
        }
        out["num_sentences"] = runs[0]["sentences"]
    return out


def seeds_speed(shared: Path, rounds: int) -> dict[str, Any]:
    """Seconds for the five seeds: cold (new store), warm (cached vectors), lexical only."""
    seeds = str(shared / SEEDS)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seeds.sqlite"
        lexical_db = Path(tmp) / "lexical.sqlite"

        def cold() -> speed.ChildRun:
            speed.remove_db(db)
            return speed.wiretrace_cli("analyze", seeds, "--db", str(db))

        def warm() -> speed.ChildRun:
            return speed.wiretrace_cli("detect", "--full", "--db", str(db))

        def lexical() -> speed.ChildRun:
            speed.remove_db(lexical_db)
            return speed.wiretrace_cli(
                "analyze", seeds, "--db", str(lexical_db), "--semantic", "off"
            )

        cold_runs, warm_runs, lexical_runs = [], [], []
        for _ in range(rounds):
            cold_runs.append(cold())
            warm_runs.append(warm())
            lexical_runs.append(lexical())
    return {
        "cold_s": speed.stat([r.wall for r in cold_runs]),
        "warm_s": speed.stat([r.wall for r in warm_runs]),
        "lexical_only_s": speed.stat([r.wall for r in lexical_runs]),
        "cold_over_lexical": speed.ratios(
            [r.wall for r in cold_runs], [r.wall for r in lexical_runs]
        ),
        "warm_over_lexical": speed.ratios(
            [r.wall for r in warm_runs], [r.wall for r in lexical_runs]
        ),
        "cold_peak_rss_mib": speed.stat([r.rss_mib for r in cold_runs]),
    }


def reuters_speed(shared: Path, rounds: int = REUTERS_ROUNDS) -> dict[str, Any]:
    """``analyze`` of a Reuters slice with the semantic layer (auto) and without it."""
    source = speed.reuters_jsonl(shared)
    fields = ["--text-field", speed.TEXT_FIELD, "--id-field", speed.ID_FIELD]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jsonl, records = speed.subset(source, REUTERS_RECORDS, folder)

        def analyze(mode: str) -> speed.ChildRun:
            db = folder / f"{mode}.sqlite"
            speed.remove_db(db)
            try:
                return speed.wiretrace_cli(
                    "analyze", str(jsonl), *fields, "--semantic", mode, "--db", str(db)
                )
            finally:
                speed.remove_db(db)

        auto_runs, off_runs = [], []
        for _ in range(rounds):
            auto_runs.append(analyze("auto"))
            off_runs.append(analyze("off"))
    auto_stages = [speed.wiretrace_stages(r.stderr) for r in auto_runs]
    off_stages = [speed.wiretrace_stages(r.stderr) for r in off_runs]
    # Detection is deterministic: the first round's counts are every round's.
    encoded = [_ENCODED.search(" ".join(r.stderr.split())) for r in auto_runs]
    return {
        "records": records,
        "auto_s": speed.stat([r.wall for r in auto_runs]),
        "off_s": speed.stat([r.wall for r in off_runs]),
        "auto_over_off": speed.ratios([r.wall for r in auto_runs], [r.wall for r in off_runs]),
        "auto_peak_rss_mib": speed.stat([r.rss_mib for r in auto_runs]),
        "auto_related_pairs": auto_stages[0].get("related_pairs", float("nan")),
        "off_related_pairs": off_stages[0].get("related_pairs", float("nan")),
        "auto_pairs_aligned_by_meaning": int(encoded[0]["pairs"]) if encoded[0] else -1,
        "auto_sentences_encoded": int(encoded[0]["sentences"]) if encoded[0] else -1,
    }


def run_all(shared: Path, rounds: int = ROUNDS) -> dict[str, dict[str, Any]]:
    """The three benchmarks, keyed like :func:`bench.speed.run_all` results."""
    return {
        "semantic_encoders": encoder_speed(shared, rounds),
        "semantic_seeds": seeds_speed(shared, rounds),
        "semantic_reuters": reuters_speed(shared),
    }


def main(argv: list[str] | None = None) -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=speed.shared_dir(), help="../shared")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="interleaved rounds")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    print(speed.format_rows(speed.rows(run_all(args.shared, args.rounds))))


if __name__ == "__main__":
    main()
