"""Speed of wiretrace against its peers on Reuters-21578 (``../shared/data/reuters21578``).

The benchmark machine is small and shared (2 cores, other processes running), so an
absolute time means little on its own. Every figure is therefore measured together with a
peer in the same run: the runs are interleaved (the order alternates from round to round),
repeated (``--rounds``, 3 by default) and reported as the median with min and max; a ratio
is computed inside each round, then summarized. Every measurement runs in a fresh Python
process started through a small wrapper that writes that process's own
``resource.getrusage(RUSAGE_SELF)`` (peak RSS, CPU seconds) when it exits, so peak memory
is per run (the wrapper is itself started by a tiny launcher: Linux carries the peak RSS
of a parent over into a child it spawns, so spawning from the benchmark process would
report at least the benchmark's own peak). Wall time is ``time.perf_counter`` around the
child, interpreter start-up included for both sides. Children run with one thread for
numpy/BLAS/rayon.

1. ``ingest_throughput``: ``wiretrace ingest <jsonl> --text-field body --id-field newid``
   end to end, docs/s = records read / wall seconds, against the floor of any ingest
   (``bench/peers.py store``: json.loads + one SQLite insert per record). Target: 2,000
   docs/s on one core.
2. ``minhash_throughput``: MinHash signatures (128 permutations) of the same word
   5-shingles: datasketch ``MinHash.update_batch`` (bytes), rensa ``RMinHash.update`` (str),
   wiretrace ``minhash_signature`` (uint64 shingle hashes). wiretrace hashes the tokens
   first (``hash_tokens`` + ``shingle_hashes``): that step is timed and reported apart, and
   also added to the signature time. rensa on the same uint64 hashes (its batch API) is
   reported as well, so both pre-hashed paths can be compared.
3. ``analyze_scaling``: ``wiretrace analyze`` against the datasketch MinHash-LSH pass
   (``bench/peers.py lsh``) on the first 5k, 20k and all 21,578 records. Target:
   wiretrace at most 2x the datasketch pass.
4. ``trace`` (:mod:`bench.trace`): one new article traced against a lexical store of
   Reuters (``POST /api/trace`` cold and warm, ``wiretrace trace`` as a process) against
   a datasketch MinHash-LSH query. Target: under 1 s warm.

``python -m bench.speed [--quick]``; ``--quick`` is 2 rounds and the 5k subset only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PEERS = REPO / "bench" / "peers.py"
REUTERS = Path("data") / "reuters21578" / "articles.jsonl"
TEXT_FIELD, ID_FIELD = "body", "newid"
NUM_PERM = 128
SHINGLE_WORDS = 5
LSH_THRESHOLD = 0.5
RENSA_SEED = 42

INGEST_TARGET_DOCS_S = 2000.0
ANALYZE_TARGET_RATIO = 2.0
ROUNDS, QUICK_ROUNDS = 3, 2
SIZES: tuple[int | None, ...] = (5000, 20000, None)  # None: every record
QUICK_SIZES: tuple[int | None, ...] = (5000,)
QUICK_MINHASH_DOCS = 5000
# wiretrace exits with 3 when some inputs were rejected (Reuters has ~1,800 empty bodies).
OK_CODES = (0, 3)

# One thread everywhere: the comparison is per core, and the machine has only two.
SINGLE_THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "RAYON_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
}

# Linux carries a process's peak RSS across exec: a child spawned straight from this
# (large) process would report at least our own peak. So each measured child is started
# by a tiny launcher, whose few MiB are then the floor (a bare Python is bigger anyway).
_LAUNCHER = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"
# The measured child: runs a module function or a script in this very process, then
# writes its own rusage (ru_maxrss is KiB on Linux) to the file named first, and that of
# the worker processes it started and reaped (wiretrace forks a pool of workers).
_WRAPPER = r"""
import importlib, json, resource, runpy, sys
out, target, *args = sys.argv[1:]
code = 0
try:
    if target.endswith(".py"):
        sys.argv = [target, *args]
        runpy.run_path(target, run_name="__main__")
    else:
        module, _, func = target.partition(":")
        sys.argv = [module, *args]
        getattr(importlib.import_module(module), func)()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
finally:
    usage = {}
    for name, who in (("self", resource.RUSAGE_SELF), ("children", resource.RUSAGE_CHILDREN)):
        ru = resource.getrusage(who)
        usage[name] = {"maxrss_kib": ru.ru_maxrss, "utime": ru.ru_utime, "stime": ru.ru_stime}
    with open(out, "w") as handle:
        json.dump(usage, handle)
sys.exit(code)
"""


def shared_dir() -> Path:
    """``$WIRETRACE_SHARED`` or the ``shared`` folder beside the repository."""
    return Path(os.environ.get("WIRETRACE_SHARED", REPO.parent / "shared")).resolve()


# ---------------------------------------------------------------- child processes


class ChildRun:
    """One measured child: wall seconds, CPU seconds, peak RSS, its output.

    ``cpu`` counts the child and the worker processes it reaped. ``rss_mib`` is the peak
    RSS of the child itself; ``workers_rss_mib`` the largest peak of its workers (forked
    workers share the parent's pages copy-on-write, so the two must not be added).
    """

    def __init__(self, wall: float, usage: dict, returncode: int, stdout: str, stderr: str):
        own, workers = usage["self"], usage["children"]
        self.wall = wall
        self.cpu = own["utime"] + own["stime"] + workers["utime"] + workers["stime"]
        self.workers_cpu = workers["utime"] + workers["stime"]
        self.rss_mib = own["maxrss_kib"] / 1024
        self.workers_rss_mib = workers["maxrss_kib"] / 1024
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> dict:
        """The last stdout line, parsed (children that report figures print them so)."""
        return json.loads(self.stdout.strip().splitlines()[-1])


def run_child(
    target: str,
    args: Sequence[str],
    ok: Iterable[int] = (0,),
    env: Mapping[str, str] | None = None,
) -> ChildRun:
    """Run ``target`` (``module:function`` or ``path.py``) in a fresh measured process.

    ``env`` adds to (or overrides) the single-thread environment.
    """
    env = {**os.environ, **SINGLE_THREAD_ENV, **(env or {})}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        usage_path = handle.name
    try:
        command = [sys.executable, "-c", _LAUNCHER]
        command += [sys.executable, "-c", _WRAPPER, usage_path, target, *args]
        started = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
        wall = time.perf_counter() - started
        if proc.returncode not in ok:
            raise RuntimeError(
                f"{target} {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}"
            )
        usage = json.loads(Path(usage_path).read_text())
    finally:
        Path(usage_path).unlink(missing_ok=True)
    return ChildRun(wall, usage, proc.returncode, proc.stdout, proc.stderr)


def wiretrace_cli(*args: str) -> ChildRun:
    """``wiretrace <args>`` in a measured child (rejections of empty bodies are fine)."""
    return run_child("wiretrace.cli:main", args, ok=OK_CODES)


def wiretrace_variants(command: str = "analyze") -> dict[str, list[str]]:
    """The wiretrace configurations to measure: one process, and the default.

    The peers run on one core, so ``--workers 1`` is the like-for-like comparison; the
    default (one worker process per core) is what a user gets. A wiretrace without a
    ``--workers`` option is measured once, as is. Both run with ``--semantic off`` where
    ``command`` has that option.
    """
    help_text = run_child("wiretrace.cli:main", [command, "--help"]).stdout
    # The peers compare words only, so wiretrace runs lexically too; what the semantic
    # layer adds on this corpus is measured by ``bench.semantic`` (``semantic_reuters``).
    lexical = ["--semantic", "off"] if "--semantic" in help_text else []
    if "--workers" not in help_text:
        return {"wiretrace": lexical}
    return {
        "wiretrace_1_worker": ["--workers", "1", *lexical],
        "wiretrace_default_workers": lexical,
    }


def source_digest() -> str:
    """A short digest of wiretrace's source files: which code a figure was measured on."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "src").rglob("*.py")):
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cores() -> int:
    """Cores this process may run on (wiretrace's default number of workers)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def remove_db(db: Path) -> None:
    """Delete a SQLite file and its WAL companions."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


# ---------------------------------------------------------------- statistics


def stat(values: Sequence[float]) -> dict[str, float]:
    """Median, min and max of repeated measurements."""
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


def interleaved(rounds: int, runners: Sequence[Callable[[], Any]]) -> list[list[Any]]:
    """Run every runner once per round, reversing the order every other round (ABBA...).

    Returns one list per runner, in round order.
    """
    results: list[list[Any]] = [[] for _ in runners]
    for r in range(rounds):
        order = range(len(runners)) if r % 2 == 0 else reversed(range(len(runners)))
        for i in order:
            results[i].append(runners[i]())
    return results


def ratios(numerators: Sequence[float], denominators: Sequence[float]) -> dict[str, float]:
    """Per-round ratios (same round, same conditions), summarized."""
    return stat([a / b for a, b in zip(numerators, denominators, strict=True)])


# ---------------------------------------------------------------- data


def reuters_jsonl(shared: Path) -> Path:
    path = shared / REUTERS
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found (set WIRETRACE_SHARED to ../shared)")
    return path


def subset(source: Path, size: int | None, folder: Path) -> tuple[Path, int]:
    """The first ``size`` records of ``source`` as a file in ``folder`` (None: all)."""
    with source.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip()]
    if size is None or size >= len(lines):
        return source, len(lines)
    path = folder / f"reuters_{size}.jsonl"
    path.write_text("".join(lines[:size]), encoding="utf-8")
    return path, size


_READ_LINE = re.compile(r"read (\d+) units in ([\d.]+) s")
_DETECT_LINE = re.compile(
    r"detected in ([\d.]+) s: (\d+) new documents, (\d+) candidate pairs, (\d+) related pairs"
)


def wiretrace_stages(stderr: str) -> dict[str, float]:
    """The stage figures the wiretrace CLI prints on stderr (empty where absent)."""
    stages: dict[str, float] = {}
    if m := _READ_LINE.search(stderr):
        stages["records_read"] = int(m.group(1))
        stages["read_s"] = float(m.group(2))
    flat = " ".join(stderr.split())  # rich may wrap long lines
    if m := _DETECT_LINE.search(flat):
        stages["detect_s"] = float(m.group(1))
        stages["documents"] = int(m.group(2))
        stages["candidate_pairs"] = int(m.group(3))
        stages["related_pairs"] = int(m.group(4))
    return stages


# ---------------------------------------------------------------- 1. ingest


def ingest_throughput(
    shared: Path | None = None, rounds: int = ROUNDS, size: int | None = None
) -> dict[str, Any]:
    """``wiretrace ingest`` docs/s (records read / wall s) and peak RSS, vs json+SQLite.

    Measured with one process (the target is per core) and, where wiretrace has worker
    processes, with its default number of them.
    """
    source = reuters_jsonl(shared or shared_dir())
    variants = wiretrace_variants("ingest")
    with tempfile.TemporaryDirectory(prefix="wiretrace-bench-") as tmp:
        folder = Path(tmp)
        jsonl, records = subset(source, size, folder)
        fields = ["--text-field", TEXT_FIELD, "--id-field", ID_FIELD]

        def wiretrace(extra: list[str]) -> Callable[[], ChildRun]:
            def run() -> ChildRun:
                db = folder / "ingest.sqlite"
                remove_db(db)
                try:
                    return wiretrace_cli("ingest", str(jsonl), *fields, *extra, "--db", str(db))
                finally:
                    remove_db(db)

            return run

        def floor() -> ChildRun:
            db = folder / "floor.sqlite"
            remove_db(db)
            try:
                return run_child(str(PEERS), ["store", str(jsonl), *fields, "--db", str(db)])
            finally:
                remove_db(db)

        measured = interleaved(rounds, [*(wiretrace(x) for x in variants.values()), floor])
    floor_runs = measured[-1]
    results: dict[str, Any] = {"records": records, "rounds": rounds, "cores": cores()}
    target_rate: dict[str, float] | None = None
    for name, wt_runs in zip(variants, measured, strict=False):
        stages = [wiretrace_stages(r.stderr) for r in wt_runs]
        read = int(stages[0].get("records_read", records))
        results["records"] = read
        rate = stat([read / r.wall for r in wt_runs])
        target_rate = target_rate or rate
        results[name] = {
            "docs_per_s": rate,
            "docs_per_cpu_s": stat([read / r.cpu for r in wt_runs]),
            "docs_per_s_in_cli": stat(
                [read / s["read_s"] for s in stages if s.get("read_s")] or [float("nan")]
            ),
            "wall_s": stat([r.wall for r in wt_runs]),
            "cpu_s": stat([r.cpu for r in wt_runs]),
            "peak_rss_mib": stat([r.rss_mib for r in wt_runs]),
            "workers_peak_rss_mib": stat([r.workers_rss_mib for r in wt_runs]),
            "time_ratio_over_floor": ratios(
                [r.wall for r in wt_runs], [r.wall for r in floor_runs]
            ),
        }
    results["floor"] = {
        "docs_per_s": stat([results["records"] / r.wall for r in floor_runs]),
        "peak_rss_mib": stat([r.rss_mib for r in floor_runs]),
    }
    assert target_rate is not None
    results["target_docs_per_s_one_core"] = INGEST_TARGET_DOCS_S
    results["meets_target"] = target_rate["median"] >= INGEST_TARGET_DOCS_S
    return results


# ---------------------------------------------------------------- 2. MinHash


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def prepare_shingles(source: Path, n_docs: int | None, out: Path) -> dict[str, int]:
    """Tokens, distinct word 5-shingles (str and bytes) and the same shingles hashed by
    wiretrace, of the first ``n_docs`` non-empty Reuters bodies, pickled to ``out``."""
    import pickle

    import numpy as np

    from wiretrace.fingerprint.hashing import hash_tokens, shingle_hashes

    tokens: list[list[str]] = []
    with source.open(encoding="utf-8") as handle:
        for line in handle:
            body = json.loads(line).get(TEXT_FIELD) if line.strip() else None
            if isinstance(body, str) and (words := _words(body)):
                tokens.append(words)
                if n_docs is not None and len(tokens) >= n_docs:
                    break
    strings, hashes = [], []
    for words in tokens:
        width = min(SHINGLE_WORDS, len(words))
        runs = (" ".join(words[i : i + width]) for i in range(len(words) - width + 1))
        strings.append(list(dict.fromkeys(runs)))
        hashes.append(np.unique(shingle_hashes(hash_tokens(words), SHINGLE_WORDS)))
    n_strings = sum(len(s) for s in strings)
    n_hashes = sum(len(h) for h in hashes)
    payload = {
        "tokens": tokens,
        "strings": strings,
        "bytes": [[s.encode("utf-8") for s in doc] for doc in strings],
        "hashes": hashes,
    }
    with out.open("wb") as handle:
        pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return {
        "documents": len(tokens),
        "shingles": n_strings,
        "hash_collisions": n_strings - n_hashes,
    }


def _minhash_child() -> None:
    """Child entry point: time one library's signatures over the pickled shingles."""
    import pickle

    lib, path = sys.argv[1], sys.argv[2]
    with open(path, "rb") as handle:
        data = pickle.load(handle)
    result: dict[str, float] = {"documents": len(data["tokens"])}
    if lib == "datasketch":
        from datasketch import MinHash

        template = MinHash(num_perm=NUM_PERM)
        perms, scheme = template.permutations, template.scheme
        t0, c0 = time.perf_counter(), time.process_time()
        for items in data["bytes"]:
            m = MinHash(num_perm=NUM_PERM, permutations=perms, scheme=scheme)
            m.update_batch(items)
            m.digest()
        result["seconds"] = time.perf_counter() - t0
        result["cpu_seconds"] = time.process_time() - c0
    elif lib == "rensa":
        from rensa import RMinHash

        t0, c0 = time.perf_counter(), time.process_time()
        for items in data["strings"]:
            r = RMinHash(num_perm=NUM_PERM, seed=RENSA_SEED)
            r.update(items)
            r.digest()
        result["seconds"] = time.perf_counter() - t0
        result["cpu_seconds"] = time.process_time() - c0
    elif lib == "rensa_prehashed":
        import numpy as np
        from rensa import RMinHash

        hashes = data["hashes"]
        t0, c0 = time.perf_counter(), time.process_time()
        flat = np.concatenate(hashes)
        offsets = np.zeros(len(hashes) + 1, dtype=np.uint64)
        np.cumsum([len(h) for h in hashes], out=offsets[1:])
        matrix = RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, NUM_PERM, RENSA_SEED)
        matrix.len()
        result["seconds"] = time.perf_counter() - t0
        result["cpu_seconds"] = time.process_time() - c0
    elif lib == "wiretrace":
        import numpy as np

        from wiretrace.fingerprint.hashing import hash_tokens, shingle_hashes
        from wiretrace.fingerprint.minhash import minhash_signature, permutations

        t0, c0 = time.perf_counter(), time.process_time()
        for words in data["tokens"]:
            shingle_hashes(hash_tokens(words), SHINGLE_WORDS)
        result["hash_seconds"] = time.perf_counter() - t0
        result["hash_cpu_seconds"] = time.process_time() - c0
        # Deduplicating (what the string peers got for free, done before timing) costs:
        t0 = time.perf_counter()
        for words in data["tokens"]:
            np.unique(shingle_hashes(hash_tokens(words), SHINGLE_WORDS))
        result["hash_unique_seconds"] = time.perf_counter() - t0
        perms = permutations(NUM_PERM)
        t0, c0 = time.perf_counter(), time.process_time()
        for shingles in data["hashes"]:
            minhash_signature(shingles, perms)
        result["seconds"] = time.perf_counter() - t0
        result["cpu_seconds"] = time.process_time() - c0
    else:
        raise SystemExit(f"unknown library {lib!r}")
    print(json.dumps(result))


MINHASH_LIBS = ("datasketch", "rensa", "rensa_prehashed", "wiretrace")


def minhash_throughput(
    shared: Path | None = None, rounds: int = ROUNDS, n_docs: int | None = None
) -> dict[str, Any]:
    """MinHash signature docs/s of datasketch, rensa and wiretrace on the same shingles."""
    source = reuters_jsonl(shared or shared_dir())
    with tempfile.TemporaryDirectory(prefix="wiretrace-bench-") as tmp:
        pickled = Path(tmp) / "shingles.pickle"
        corpus = prepare_shingles(source, n_docs, pickled)

        def runner(lib: str) -> Callable[[], dict]:
            return lambda: run_child("bench.speed:_minhash_child", [lib, str(pickled)]).json()

        measured = interleaved(rounds, [runner(lib) for lib in MINHASH_LIBS])
        runs = dict(zip(MINHASH_LIBS, measured, strict=True))
    docs = corpus["documents"]

    def rate(lib: str, key: str = "seconds") -> list[float]:
        return [docs / r[key] for r in runs[lib]]

    wt_sig = rate("wiretrace")
    wt_hash = rate("wiretrace", "hash_seconds")
    wt_total = [docs / (r["seconds"] + r["hash_seconds"]) for r in runs["wiretrace"]]
    ds, rs, rs_pre = rate("datasketch"), rate("rensa"), rate("rensa_prehashed")
    cpu_rate = {lib: [docs / r["cpu_seconds"] for r in runs[lib]] for lib in MINHASH_LIBS}
    cpu_share = {
        lib: stat([r["cpu_seconds"] / r["seconds"] for r in runs[lib]]) for lib in MINHASH_LIBS
    }
    return {
        **corpus,
        "rounds": rounds,
        "num_perm": NUM_PERM,
        "datasketch_docs_per_s": stat(ds),
        "rensa_docs_per_s": stat(rs),
        "rensa_prehashed_docs_per_s": stat(rs_pre),
        "wiretrace_signature_docs_per_s": stat(wt_sig),
        "wiretrace_hashing_docs_per_s": stat(wt_hash),
        "wiretrace_hashing_plus_unique_docs_per_s": stat(
            [docs / r["hash_unique_seconds"] for r in runs["wiretrace"]]
        ),
        "wiretrace_hash_plus_signature_docs_per_s": stat(wt_total),
        # docs/s of wiretrace / docs/s of the peer, same round: > 1 means wiretrace faster.
        "speed_ratio_wiretrace_signature_over_datasketch": ratios(wt_sig, ds),
        "speed_ratio_wiretrace_signature_over_rensa": ratios(wt_sig, rs),
        "speed_ratio_wiretrace_hash_plus_signature_over_datasketch": ratios(wt_total, ds),
        "speed_ratio_wiretrace_hash_plus_signature_over_rensa": ratios(wt_total, rs),
        "speed_ratio_wiretrace_signature_over_rensa_prehashed": ratios(wt_sig, rs_pre),
        # The same on CPU seconds, which other processes on the machine disturb less.
        "docs_per_cpu_s": {lib: stat(cpu_rate[lib]) for lib in MINHASH_LIBS},
        "cpu_speed_ratio_wiretrace_signature_over_datasketch": ratios(
            cpu_rate["wiretrace"], cpu_rate["datasketch"]
        ),
        "cpu_speed_ratio_wiretrace_signature_over_rensa": ratios(
            cpu_rate["wiretrace"], cpu_rate["rensa"]
        ),
        # CPU seconds / wall seconds of the timed loop: well under 1 = a busy machine.
        "cpu_over_wall": cpu_share,
    }


# ---------------------------------------------------------------- 3. analyze vs LSH


def analyze_scaling(
    shared: Path | None = None, rounds: int = ROUNDS, sizes: Sequence[int | None] = SIZES
) -> dict[str, Any]:
    """``wiretrace analyze`` against the datasketch MinHash-LSH pass at several sizes."""
    source = reuters_jsonl(shared or shared_dir())
    fields = ["--text-field", TEXT_FIELD, "--id-field", ID_FIELD]
    variants = wiretrace_variants()
    results: dict[str, Any] = {
        "rounds": rounds,
        "cores": cores(),
        "target_time_ratio": ANALYZE_TARGET_RATIO,
    }
    with tempfile.TemporaryDirectory(prefix="wiretrace-bench-") as tmp:
        folder = Path(tmp)
        inputs = [subset(source, size, folder) for size in sizes]

        def wiretrace(jsonl: Path, extra: list[str]) -> Callable[[], ChildRun]:
            def run() -> ChildRun:
                db = folder / "analyze.sqlite"
                remove_db(db)
                try:
                    return wiretrace_cli("analyze", str(jsonl), *fields, *extra, "--db", str(db))
                finally:
                    remove_db(db)

            return run

        def datasketch(jsonl: Path) -> Callable[[], ChildRun]:
            args = ["lsh", str(jsonl), *fields, "--threshold", str(LSH_THRESHOLD)]
            return lambda: run_child(str(PEERS), [*args, "--num-perm", str(NUM_PERM)])

        runners = []
        for jsonl, _ in inputs:
            runners += [datasketch(jsonl), *(wiretrace(jsonl, x) for x in variants.values())]
        runs = interleaved(rounds, runners)
    width = 1 + len(variants)

    def median_of(rows: list[dict], key: str) -> float:
        values = [row[key] for row in rows if key in row]
        return statistics.median(values) if values else float("nan")

    for k, (_, records) in enumerate(inputs):
        ds_runs = runs[k * width]
        per_k = records / 1000
        peer = [r.json() for r in ds_runs]
        figures: dict[str, Any] = {
            "records": records,
            "datasketch": {
                "wall_s": stat([r.wall for r in ds_runs]),
                "cpu_s": stat([r.cpu for r in ds_runs]),
                "s_per_1k_records": stat([r.wall / per_k for r in ds_runs]),
                "peak_rss_mib": stat([r.rss_mib for r in ds_runs]),
                "stages": {
                    key: median_of(peer, key)
                    for key in (
                        "read_s",
                        "shingle_s",
                        "minhash_s",
                        "insert_s",
                        "query_s",
                        "total_s",
                        "documents",
                        "candidate_pairs",
                    )
                },
            },
        }
        for v, name in enumerate(variants):
            wt_runs = runs[k * width + 1 + v]
            stages = [wiretrace_stages(r.stderr) for r in wt_runs]
            time_ratio = ratios([r.wall for r in wt_runs], [r.wall for r in ds_runs])
            figures[name] = {
                "wall_s": stat([r.wall for r in wt_runs]),
                "cpu_s": stat([r.cpu for r in wt_runs]),
                "time_ratio_over_datasketch": time_ratio,
                "cpu_ratio_over_datasketch": ratios(
                    [r.cpu for r in wt_runs], [r.cpu for r in ds_runs]
                ),
                "meets_target": time_ratio["median"] <= ANALYZE_TARGET_RATIO,
                "s_per_1k_records": stat([r.wall / per_k for r in wt_runs]),
                "peak_rss_mib": stat([r.rss_mib for r in wt_runs]),
                "workers_peak_rss_mib": stat([r.workers_rss_mib for r in wt_runs]),
                "stages": {
                    key: median_of(stages, key)
                    for key in (
                        "read_s",
                        "detect_s",
                        "documents",
                        "candidate_pairs",
                        "related_pairs",
                    )
                },
            }
        results[str(records)] = figures
    return results


# ---------------------------------------------------------------- table


def _fmt(value: float) -> str:
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, int):
        return f"{value:,}"
    if value != value:  # nan
        return "n/a"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _row(section: str, name: str, value: Any) -> tuple[str, str, str, str]:
    if isinstance(value, dict) and "median" in value:
        spread = f"{_fmt(value['min'])} – {_fmt(value['max'])}" if value["n"] > 1 else ""
        return section, name, _fmt(value["median"]), spread
    return section, name, _fmt(value) if isinstance(value, int | float) else str(value), ""


def rows(results: dict[str, dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """Table rows ``(benchmark, figure, median or value, min – max)`` of speed results.

    Nested figures are named by their path (``wiretrace_1_worker.wall_s``); a record
    count in the path (the analyze sizes) goes into the benchmark column.
    """
    out: list[tuple[str, str, str, str]] = []

    def walk(section: str, path: list[str], value: Any) -> None:
        if isinstance(value, dict) and "median" not in value:
            for key, sub in value.items():
                if key.isdigit():
                    walk(f"{section} {int(key):,} records", path, sub)
                else:
                    walk(section, [*path, key], sub)
        else:
            out.append(_row(section, ".".join(path), value))

    for section, figures in results.items():
        walk(section, [], figures)
    return out


def format_rows(table: Sequence[tuple[str, str, str, str]], markdown: bool = False) -> str:
    """A plain or Markdown table of rows."""
    header = ("benchmark", "figure", "median / value", "min – max")
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|---|---|--:|--:|"]
        lines += ["| " + " | ".join(row) + " |" for row in table]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *table]) for i in range(4)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in table:
        pairs = enumerate(zip(row, widths, strict=True))
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in pairs]
        lines.append("  ".join(cells))
    return "\n".join(lines)


def _wiretrace_variants(figures: dict[str, Any]) -> list[str]:
    return [name for name in figures if name.startswith("wiretrace")]


def _label(variant: str, cores: int) -> str:
    return {
        "wiretrace_1_worker": "wiretrace --workers 1",
        "wiretrace_default_workers": f"wiretrace with its default {cores} workers",
    }.get(variant, variant)


def _no_pool_note(variant: str, figures: dict[str, Any]) -> str:
    """Says so when the default configuration (workers) never started a worker process."""
    rss = figures.get("workers_peak_rss_mib")
    if variant != "wiretrace_default_workers" or rss is None or rss["max"] > 0:
        return ""
    return " (no worker process was started in any round)"


def verdicts(results: dict[str, dict[str, Any]]) -> list[str]:
    """One sentence per issue target (and per wiretrace configuration), from the figures."""
    lines = [
        f"Warning: wiretrace's src/ changed while the {name} benchmark ran "
        f"({figures['source_digest']}); its rounds measured different code."
        for name, figures in results.items()
        if "->" in str(figures.get("source_digest", ""))
    ]
    ingest = results.get("ingest")
    if ingest:
        target = ingest["target_docs_per_s_one_core"]
        for k, name in enumerate(_wiretrace_variants(ingest)):
            rate = ingest[name]["docs_per_s"]
            cpu = ingest[name]["docs_per_cpu_s"]["median"]
            verdict = ""
            if k == 0:
                verdict = f"; target {target:,.0f} docs/s on one core: **" + (
                    "met**" if ingest["meets_target"] else "not met**"
                )
            verdict += _no_pool_note(name, ingest[name])
            lines.append(
                f"Ingest, {_label(name, ingest['cores'])}: {rate['median']:,.0f} docs/s wall "
                f"(min {rate['min']:,.0f}, max {rate['max']:,.0f}; {cpu:,.0f} docs per CPU "
                f"second) on {ingest['records']:,} JSONL records{verdict}."
            )
    analyze = results.get("analyze")
    if analyze:
        for key, figures in analyze.items():
            if not key.isdigit():
                continue
            for name in _wiretrace_variants(figures):
                ratio = figures[name]["time_ratio_over_datasketch"]
                cpu = figures[name]["cpu_ratio_over_datasketch"]["median"]
                lines.append(
                    f"Analyze, {figures['records']:,} records, {_label(name, analyze['cores'])}: "
                    f"{ratio['median']:.2f}x the wall time of the datasketch MinHash-LSH pass "
                    f"(min {ratio['min']:.2f}, max {ratio['max']:.2f}; {cpu:.2f}x its CPU "
                    f"time); target at most {analyze['target_time_ratio']:.0f}x: "
                    f"**{'met' if figures[name]['meets_target'] else 'not met'}**"
                    f"{_no_pool_note(name, figures[name])}."
                )
    minhash = results.get("minhash")
    if minhash:
        ds = minhash["speed_ratio_wiretrace_signature_over_datasketch"]["median"]
        rs = minhash["speed_ratio_wiretrace_signature_over_rensa"]["median"]
        total = minhash["speed_ratio_wiretrace_hash_plus_signature_over_datasketch"]["median"]
        total_rs = minhash["speed_ratio_wiretrace_hash_plus_signature_over_rensa"]["median"]
        lines.append(
            f"MinHash signatures: wiretrace on pre-hashed shingles runs at {ds:.2f}x "
            f"datasketch's docs/s and {rs:.2f}x rensa's; counting its own token hashing, at "
            f"{total:.2f}x datasketch's and {total_rs:.2f}x rensa's."
        )
    if results.get("trace"):
        from bench.trace import verdicts as trace_verdicts

        lines += trace_verdicts(results["trace"])
    return lines


def _trace_latency(shared: Path, rounds: int, size: int | None) -> dict[str, Any]:
    """Trace latency against a store of ``size`` Reuters records (``bench.trace``)."""
    from bench.trace import trace_latency

    return trace_latency(shared, rounds, size)


def run_all(shared: Path | None = None, quick: bool = False, rounds: int | None = None) -> dict:
    """Every speed benchmark; ``quick``: fewer rounds, the 5k subset only (trace: a
    store of 5,000 records)."""
    shared = shared or shared_dir()
    rounds = rounds or (QUICK_ROUNDS if quick else ROUNDS)
    results: dict[str, dict[str, Any]] = {}
    for name, call in (
        ("ingest", lambda: ingest_throughput(shared, rounds, 5000 if quick else None)),
        (
            "minhash",
            lambda: minhash_throughput(shared, rounds, QUICK_MINHASH_DOCS if quick else None),
        ),
        ("analyze", lambda: analyze_scaling(shared, rounds, QUICK_SIZES if quick else SIZES)),
        ("trace", lambda: _trace_latency(shared, rounds, 5000 if quick else None)),
    ):
        started = time.perf_counter()
        print(f"[speed] {name} ...", file=sys.stderr, flush=True)
        before = source_digest()
        results[name] = call()
        after = source_digest()
        # src/ may be edited while a benchmark runs; then its rounds measured mixed code.
        results[name]["source_digest"] = before if before == after else f"{before} -> {after}"
        print(
            f"[speed] {name} done in {time.perf_counter() - started:.0f} s"
            + ("" if before == after else f" (src/ CHANGED during it: {before} -> {after})"),
            file=sys.stderr,
            flush=True,
        )
    return results


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="wiretrace speed against its peers")
    parser.add_argument("--shared", type=Path, default=shared_dir(), help="../shared folder")
    parser.add_argument("--quick", action="store_true", help="2 rounds, 5k records only")
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default 3; quick 2)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    results = run_all(args.shared, args.quick, args.rounds)
    print_results(rows(results), source_digest(), verdicts(results), args.json, results)
    return results


def print_results(
    table: list, digest: str, lines: list[str], json_path: Path | None, results: dict
) -> None:
    """Print a benchmark's table, the source digest and its verdicts; keep them as JSON."""
    print(format_rows(table))
    print()
    print(f"wiretrace source digest: {digest}")
    for line in lines:
        print(line.replace("**", ""))
    if json_path:
        json_path.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
