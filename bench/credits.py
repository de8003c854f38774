"""Credits on a whole wire archive: every Reuters-21578 pair is one agency's own reuse.

Reuters-21578 is entirely Reuters copy, so no pair of its stories is uncredited reuse. The
archive names its outlet nowhere; what credits a story is its ``REUTER`` sign-off. This
analyses all 21,578 records twice with the lexical layer, as a user would:

- as they are: pairs credited through the sign-off, and pairs still flagged as uncredited
  reuse (one side has no sign-off: continuation takes, corrections, price tables);
- with ``--source Reuters``, which names the outlet of every story: then no pair may be
  flagged as uncredited reuse.

It takes about two minutes per run on two cores, so it is part of ``make bench`` and not of
the quality gate.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from bench.table import cli

DATA = Path("data") / "reuters21578" / "articles.jsonl"
FIELDS = ["--text-field", "body", "--id-field", "newid", "--title-field", "title"]
FIELDS += ["--date-field", "date"]


def _analyze(path: Path, extra: list[str]) -> dict:
    from click.testing import CliRunner

    from wiretrace.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        args = ["analyze", str(path), *FIELDS, "--semantic", "off"]
        args += ["--db", str(Path(tmp) / "w.sqlite"), "--json", str(out), *extra]
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        if result.exit_code not in (0, 3):
            raise RuntimeError(f"analyze failed: {result.output[-500:]}")
        return json.loads(out.read_text("utf-8"))


def run(shared: Path, limit: int | None = None) -> dict[str, float]:
    """Pair, credit and uncredited-reuse counts on the first ``limit`` records (default all)."""
    path = shared / DATA
    with tempfile.TemporaryDirectory() as tmp:
        if limit:
            lines = path.read_text("utf-8").splitlines()[:limit]
            path = Path(tmp) / "slice.jsonl"
            path.write_text("\n".join(lines) + "\n", "utf-8")
        started = time.monotonic()
        plain = _analyze(path, [])
        named = _analyze(path, ["--source", "Reuters"])
        seconds = time.monotonic() - started
    pairs = plain["pairs"]
    return {
        "credits_num_pairs": float(len(pairs)),
        "credits_num_credited": float(sum(p["credited"] for p in pairs)),
        "credits_num_uncredited_reuse": float(sum(p["uncredited_reuse"] for p in pairs)),
        "credits_num_pairs_with_source": float(len(named["pairs"])),
        "credits_num_uncredited_reuse_with_source": float(
            sum(p["uncredited_reuse"] for p in named["pairs"])
        ),
        "credits_seconds": round(seconds, 1),
    }


if __name__ == "__main__":
    cli(run, "Credits on Reuters-21578 (all records unless --limit)")
