"""The semantic layer's cost: sentences per second of each encoder, seconds for the seeds.

- ``encoders``: each backend encodes the sentences of the five seeds and the example corpus
  in a fresh process, with one and with two threads (``WIRETRACE_ENCODER_THREADS``);
  model loading is timed apart from encoding.
- ``seeds``: ``wiretrace analyze`` of the five seeds into a new store (cold: models load
  and every needed sentence is encoded), then ``wiretrace detect --full`` on that store
  (warm: vectors come from the store's cache, no model loads), and ``analyze --semantic
  off`` (lexical only) for reference. Rounds are interleaved; medians with min and max.

Run: ``python -m bench.semantic [--rounds N]``.
"""

from __future__ import annotations

import argparse
import json
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


def run_all(shared: Path, rounds: int = ROUNDS) -> dict[str, dict[str, Any]]:
    """Both benchmarks, keyed like :func:`bench.speed.run_all` results."""
    return {
        "semantic_encoders": encoder_speed(shared, rounds),
        "semantic_seeds": seeds_speed(shared, rounds),
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
