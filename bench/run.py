"""Every benchmark in one command (``make bench``): speed, then the quality evaluations.

``python -m bench.run [--quick]`` runs :mod:`bench.speed`, :mod:`bench.semantic`,
``bench.quality.run_all(shared, quick)`` when it is importable, and :mod:`bench.credits`;
prints one table; writes
``docs/benchmarks.md`` with that table, the machine, the date and the exact command, and the
samples of ``analyze`` output judged by reading, from ``bench/data/judged/`` (``--judged-only``
rewrites just that section of an existing report).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import sys
import time
import traceback
from importlib import metadata
from pathlib import Path

from bench import credits, semantic, speed, translations

REPO = speed.REPO
DOC = REPO / "docs" / "benchmarks.md"
JUDGED = REPO / "bench" / "data" / "judged"
JUDGED_HEADING = "## Analyze output judged by reading (issue 14)"
PACKAGES = ("wiretrace", "datasketch", "rensa", "numpy")

Row = tuple[str, str, str, str]


def machine() -> dict[str, str]:
    """nproc, RAM, CPU model, Python and package versions of this machine."""
    info = {
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"),
        "cpu": "unknown",
        "ram": "unknown",
        "os": platform.platform(),
        "python": platform.python_version(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    info["wiretrace source digest (sha256 of src/**/*.py)"] = speed.source_digest()
    for package in PACKAGES:
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = "not installed"
    with contextlib.suppress(OSError):
        info["load average (1, 5, 15 min) at start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return info


def _quality_value(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) > 1:
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def quality_rows(shared: Path, quick: bool) -> tuple[list[Row], str | None]:
    """Rows of the quality evaluations, and a failure message if they could not run."""
    try:
        from bench.quality import run_all
    except ImportError as exc:
        return [("quality", "quality evals not available", str(exc), "")], None
    try:
        figures = run_all(shared, quick)
    except Exception as exc:  # noqa: BLE001 - report it in the table, fail at the end
        traceback.print_exc()
        message = f"quality evals failed: {type(exc).__name__}: {exc}"
        return [("quality", "quality evals failed", f"{type(exc).__name__}: {exc}", "")], message
    return [("quality", name, _quality_value(v), "") for name, v in figures.items()], None


METHOD = """\
Every speed figure is measured against a peer in the same run: runs are interleaved (the
order alternates from round to round), repeated, and reported as the median with min and
max; ratios are taken inside each round. Every run is a fresh Python process started
through a small wrapper that reports, at exit, that process's own peak RSS and CPU
seconds (`resource.getrusage(RUSAGE_SELF)`) and those of the worker processes it reaped
(`RUSAGE_CHILDREN`): `cpu_s` counts both, `peak_rss_mib` is the process itself and
`workers_peak_rss_mib` its largest worker (forked workers share pages copy-on-write, so
the two are not added). The wrapper is started by a tiny launcher process, because Linux
carries a parent's peak RSS over into the children it spawns. Wall time is
`time.perf_counter` around the child, interpreter start-up included. Children run with
one numpy/BLAS/rayon thread. wiretrace is measured with `--workers 1` (like for like: the
peers use one core) and with its default (one worker per core).

The machine is shared with other work, so absolute figures move from run to run: compare
the ratios, and look at `cpu_over_wall` (CPU seconds per wall second of a timed loop; well
under 1 means the run waited for the CPU). `source_digest` identifies the wiretrace code
measured; two digests joined by `->` mean src/ changed while that benchmark ran.

Peers: `bench/peers.py lsh` is the datasketch MinHash-LSH pass (word 5-shingles, 128
permutations, `MinHashLSH(threshold=0.5)`, insert and query every document, count
candidate pairs); `bench/peers.py store` is the floor of ingest (json.loads and one SQLite
insert per record). Time ratios are wiretrace seconds / peer seconds (above 1: wiretrace
slower); speed ratios are wiretrace docs/s / peer docs/s (above 1: wiretrace faster).
The MinHash benchmark gives datasketch bytes and rensa strings of the same distinct word
5-shingles; wiretrace gets those shingles as uint64 hashes, and the hashing step is
reported apart (`wiretrace_hashing_docs_per_s`) and in the combined figure.

Trace (`bench/trace.py`): a store of the Reuters records less 30 held-out bodies (a seeded
sample of bodies of at least 20 words), analysed with `--semantic off` and cached by a
digest of its input and of src/. Each round runs, in fresh processes: `POST /api/trace`
through FastAPI's `TestClient` (semantic `off` and `auto`; the first request is `cold_s`,
the next ones, each a different held-out article, give `warm_ms`, the round's median; a
later request that loads a sentence encoder is reported apart, not as warm),
`wiretrace trace FILE --semantic off` as a whole process, and the peer, a datasketch
`MinHashLSH(threshold=0.5)` over the same records' word 5-shingles (`build_s`), timing
each article's MinHash (`minhash_us`) and one `query` (`query_us`). Ratios are warm trace
÷ datasketch query, same round."""


def judged_section(folder: Path = JUDGED) -> str:
    """The samples of analyze output judged by reading (issue 14), from ``folder`` as committed:
    the README's figure table and commit line, then every judged item in one line."""
    readme = (folder / "README.md").read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(readme) if line.startswith("|"))
    end = next((i for i in range(first, len(readme)) if not readme[i].startswith("|")), len(readme))
    said = [line for line in readme if line.startswith(("Commit judged", "Previous sample"))]
    lines = [JUDGED_HEADING, "", *readme[first:end], ""]
    for line in said:
        lines += [line, ""]
    lines += [
        "Every item, as read (details, error tables and the protocol in "
        "`bench/data/judged/README.md`):",
        "",
    ]
    for name, a, b, verdict, label in (
        ("pairs", "a", "b", ("wiretrace_type",), "my_label"),
        ("divergences", "pair_a", "pair_b", ("pair_type", "kind"), "error"),
        ("divergences_census", "pair_a", "pair_b", ("pair_type", "kind"), "error"),
        ("pairs_2", "a", "b", ("wiretrace_type",), "my_label"),
        ("divergences_census_2", "pair_a", "pair_b", ("pair_type", "kind"), "error"),
        ("pairs_3", "a", "b", ("wiretrace_type",), "my_label"),
    ):
        lines += [
            f"| {name} draw | corpus | pair | wiretrace | judgement | reason |",
            "|---:|---|---|---|---|---|",
        ]
        for raw in (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            item = json.loads(raw)
            judged = " ".join(filter(None, [item["judgement"], item.get(label)]))
            reason = item["reason"].replace("|", "/")
            lines.append(
                f"| {item['draw']} | {item['corpus']} | {item[a]} ~ {item[b]} "
                f"| {' '.join(item[key] for key in verdict)} | {judged} | {reason} |"
            )
        lines.append("")
    return "\n".join(lines)


def replace_judged(path: Path, folder: Path = JUDGED) -> None:
    """Put :func:`judged_section` into a written report: over the old one, or before Method."""
    text = path.read_text(encoding="utf-8")
    start = text.find(JUDGED_HEADING)
    if start < 0:
        start = end = text.index("## Method")
    else:
        end = text.index("\n## ", start + 1) + 1
    path.write_text(text[:start] + judged_section(folder) + "\n" + text[end:], encoding="utf-8")


def write_doc(
    path: Path,
    table: list[Row],
    info: dict[str, str],
    command: str,
    started: dt.datetime,
    seconds: float,
    summary: list[str],
) -> None:
    """Write docs/benchmarks.md."""
    machine_lines = [f"- {key}: {value}" for key, value in info.items()]
    text = "\n".join(
        [
            "# Benchmarks",
            "",
            "Generated by `make bench` (`python -m bench.run`); do not edit by hand.",
            "",
            f"- command: `{command}`",
            f"- date: {started.strftime('%Y-%m-%d %H:%M UTC')} ({seconds:.0f} s)",
            *machine_lines,
            "",
            "## Against the targets",
            "",
            *[f"- {line}" for line in summary],
            "",
            "## Results",
            "",
            speed.format_rows(table, markdown=True),
            "",
            judged_section(),
            "## Method",
            "",
            METHOD,
            "",
        ]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description="every wiretrace benchmark; writes " + str(DOC))
    parser.add_argument("--quick", action="store_true", help="a few minutes: 2 rounds, 5k records")
    parser.add_argument("--shared", type=Path, default=speed.shared_dir(), help="../shared folder")
    parser.add_argument("--doc", type=Path, default=DOC, help="where to write the report")
    parser.add_argument(
        "--judged-only",
        action="store_true",
        help="run nothing: rewrite only the judged-samples section of --doc",
    )
    args = parser.parse_args(argv)
    if args.judged_only:
        replace_judged(args.doc)
        print(f"wrote the judged samples into {args.doc}")
        return
    command = " ".join(["python -m bench.run", *argv])
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    info = machine()

    results = speed.run_all(args.shared, quick=args.quick)
    print("[run] semantic layer ...", file=sys.stderr, flush=True)
    results.update(semantic.run_all(args.shared, rounds=1 if args.quick else semantic.ROUNDS))
    table = speed.rows(results)
    print("[run] quality evaluations ...", file=sys.stderr, flush=True)
    extra, failure = quality_rows(args.shared, args.quick)
    table += extra
    print("[run] credits on all of Reuters-21578 ...", file=sys.stderr, flush=True)
    counted = credits.run(args.shared, limit=5000 if args.quick else None)
    table += [("credits", name, _quality_value(v), "") for name, v in counted.items()]
    print("[run] translations hidden among Reuters-21578 ...", file=sys.stderr, flush=True)
    found = translations.run(args.shared, limit=500 if args.quick else None)
    table += [("translations", name, _quality_value(v), "") for name, v in found.items()]
    summary = speed.verdicts(results)
    summary.append(
        f"Translations hidden among Reuters-21578: recall of `translation` "
        f"{found['translations_recall']:.2f}, target 0.90: **"
        f"{'met' if found['translations_recall'] >= 0.9 else 'not met'}**."
    )
    summary.append(
        f"Credits on Reuters-21578 ({'5,000 records' if args.quick else 'all records'}): "
        f"{counted['credits_num_credited']:,.0f} of {counted['credits_num_pairs']:,.0f} pairs "
        f"credited by the REUTER sign-off; {counted['credits_num_uncredited_reuse']:,.0f} "
        "flagged as uncredited reuse (a side without sign-off); with --source Reuters: "
        f"{counted['credits_num_uncredited_reuse_with_source']:,.0f}, target 0: **"
        f"{'met' if counted['credits_num_uncredited_reuse_with_source'] == 0 else 'not met'}**."
    )
    if failure:
        summary.append(failure)

    print(speed.format_rows(table))
    print()
    for line in summary:
        print(line.replace("**", ""))
    write_doc(args.doc, table, info, command, started, time.perf_counter() - clock, summary)
    print(f"wrote {args.doc}")
    if failure:
        sys.exit(1)


if __name__ == "__main__":
    main()
