"""Every quality evaluation in one call, and the committed baseline the CI gate checks.

``run_all(shared, quick)`` runs PAN, MRPC, SemEval, WikiRef, the planted copies, the
expected relations, the labelled divergences, the labelled real pairs, the real
divergences, the written spins and the story-labelled articles, and returns one flat
``{figure: value}`` dict. Quick mode (what the gate in ``tests/test_eval_gate.py`` runs)
differs from the full run only in the size of the planted benchmark (100 sources instead
of 300); everything else runs whole. The gate runs each evaluation as a test of its own
(:func:`run_evaluation`, the floors of :func:`floors_of`), so that ``make test`` spreads
them over the cores; the real pairs, the real divergences and the stories share one
analysis of the whole of Reuters-21578 and BBC and run as one test (:data:`GATE_GROUPS`).

``bench/baseline.json`` pins, for every gated figure, the measured ``value`` and a
``floor``, together with the SHA-256 of every data file the evaluations read and the
``noise_margin`` the gate allows below a floor. The evaluations are deterministic (fixed
seed, pure stage functions), so the margin only absorbs floating-point noise.

Floors are only ever raised: ``python -m bench.quality --update-baseline`` writes the
quick-mode values and sets ``floor = max(old floor, value - FLOOR_MARGIN)``; a test
compares the file against its previous git version and fails if a floor went down.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from bench import (
    divergence,
    divergence_real,
    mrpc,
    pan,
    planted,
    real_pairs,
    relations,
    semeval,
    spin,
    stories,
    wikiref,
)
from bench.table import REPO, default_shared, format_table

BASELINE = REPO / "bench" / "baseline.json"
# Allowed shortfall below a floor before the gate fails (figures are fractions in [0, 1]).
NOISE_MARGIN = 0.01
# How far below the measured value --update-baseline puts a new floor: room for harmless
# changes of a few characters or pairs, not for a real regression.
FLOOR_MARGIN = 0.02
QUICK_PLANTED_SOURCES = 100

_RESERVED_KEYS = ("data_sha256", "noise_margin")
# Figures that are counts, times, speeds or "lower is better" are reported but never gated:
# a speed depends on how busy the machine is, and `make test` must pass on a slow one
# (speed is measured by `make bench`).
_UNGATED_MARKERS = ("_num_", "seconds", "_per_s", "granularity", "majority", "share_zero")

EVALUATIONS: dict[str, Callable[..., Mapping[str, object]]] = {
    "pan": pan.run,
    "mrpc": mrpc.run,
    "semeval": semeval.run_reuse,
    "semeval_story": semeval.run_story,
    "wikiref": wikiref.run,
    "planted": planted.run,
    "relations": relations.run,
    "divergence": divergence.run,
    "real_pairs": real_pairs.run,
    "divergence_real": divergence_real.run,
    "spin": spin.run,
    "stories": stories.run,
}


# SemEval per language pair: 30-150 pairs each, so a correlation moves by ±0.1 with any
# change; only the overall, monolingual and cross-lingual figures are stable enough to gate.
_SEMEVAL_LANGUAGE_PAIR = re.compile(r"^semeval_(?:baseline_|story_)?pearson_[a-z]{2}_[a-z]{2}$")


def is_gated(name: str) -> bool:
    """Whether a figure is a higher-is-better score that the gate pins with a floor."""
    if _SEMEVAL_LANGUAGE_PAIR.match(name):
        return False
    return not any(marker in name for marker in _UNGATED_MARKERS)


def data_files(shared: Path) -> list[Path]:
    """Every data file the evaluations read, relative to ``shared``."""
    files = [pan.DATA / name for name in pan.DATA_FILES]
    for folder in ("susp", "src"):
        files += sorted(p.relative_to(shared) for p in (shared / pan.DATA / folder).glob("*.txt"))
    files += [mrpc.DATA / name for name in mrpc.DATA_FILES]
    files += [semeval.DATA / name for name in semeval.DATA_FILES]
    files += [wikiref.DATA / name for name in wikiref.DATA_FILES]
    files += list(planted.DATA_FILES)  # also the articles of real_pairs and stories
    files += sorted(p.relative_to(shared) for p in (shared / relations.SEEDS).glob("*.txt"))
    return files


def _sha256(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def data_hashes(shared: Path) -> dict[str, str]:
    """SHA-256 of each data file; PAN's text folders get one digest each (name + content)."""
    hashes = {}
    for rel in data_files(shared):
        if rel.parent.name in ("susp", "src"):
            continue
        hashes[rel.as_posix()] = _sha256([shared / rel])
    for folder in ("susp", "src"):
        root = shared / pan.DATA / folder
        digest = hashlib.sha256()
        for path in sorted(root.glob("*.txt")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        hashes[(pan.DATA / folder).as_posix() + "/*.txt"] = digest.hexdigest()
    return hashes


def run_evaluation(name: str, shared: Path, quick: bool = True) -> dict[str, float]:
    """Every figure of one evaluation of :data:`EVALUATIONS` (plus ``<name>_seconds``)."""
    started = time.monotonic()
    limit = QUICK_PLANTED_SOURCES if (quick and name == "planted") else None
    result = EVALUATIONS[name](shared, limit=limit)
    figures = {k: float(v) for k, v in result.items()}  # type: ignore[arg-type]
    figures[f"{name}_seconds"] = round(time.monotonic() - started, 2)
    return figures


def run_all(shared: Path, quick: bool = True) -> dict[str, float]:
    """Every figure of every evaluation (plus ``<name>_seconds`` wall times)."""
    figures: dict[str, float] = {}
    for name in EVALUATIONS:
        figures.update(run_evaluation(name, shared, quick))
    return figures


# The evaluations in the order the gate runs them, longest first, as groups that share work
# in one process: bench.divergence_real and bench.stories reuse bench.real_pairs' analysis
# of both corpora.
GATE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("planted",),
    ("mrpc",),
    ("semeval",),
    ("semeval_story",),
    ("wikiref",),
    ("real_pairs", "divergence_real", "stories"),
    ("spin",),
    ("divergence",),
    ("relations",),
    ("pan",),
)

# Figures are named after their evaluation, except these prefixes.
_FIGURE_PREFIXES = {
    "real_divergence_": "divergence_real",
    "semeval_baseline_": "semeval_story",
}


def evaluation_of(figure: str) -> str | None:
    """The evaluation of :data:`EVALUATIONS` that reports ``figure`` (by its name's prefix;
    the longest matching prefix wins, so ``real_pairs_*`` is not ``real_*``)."""
    prefixes = {f"{name}_": name for name in EVALUATIONS} | _FIGURE_PREFIXES
    matches = [p for p in prefixes if figure.startswith(p)]
    return prefixes[max(matches, key=len)] if matches else None


def floors_of(baseline: Mapping, evaluation: str) -> dict:
    """The part of ``baseline`` one evaluation's figures are gated by (with its margin)."""
    return {
        **{k: v for k, v in baseline_figures(baseline).items() if evaluation_of(k) == evaluation},
        "noise_margin": baseline.get("noise_margin", NOISE_MARGIN),
    }


def baseline_figures(baseline: Mapping) -> dict[str, dict[str, float]]:
    """The gated ``{figure: {"value", "floor"}}`` entries of a baseline (its other keys are
    ``data_sha256`` and ``noise_margin``; an older baseline may pin a figure, such as a
    speed, that is no longer gated)."""
    return {k: v for k, v in baseline.items() if k not in _RESERVED_KEYS and is_gated(k)}


def read_baseline(path: Path = BASELINE) -> dict:
    """The committed baseline (an empty one if the file does not exist)."""
    if not path.exists():
        return {"data_sha256": {}, "noise_margin": NOISE_MARGIN}
    return dict(json.loads(path.read_text(encoding="utf-8")))


def updated_baseline(old: Mapping, figures: Mapping[str, float], hashes: Mapping[str, str]) -> dict:
    """A new baseline: measured values, floors raised (never lowered) to value - margin."""
    old_figures = baseline_figures(old)
    new_figures = {}
    for name in sorted(figures):
        if not is_gated(name):
            continue
        value = round(figures[name], 4)
        floor = round(value - FLOOR_MARGIN, 4)
        if name in old_figures:
            floor = max(floor, old_figures[name]["floor"])
        new_figures[name] = {"value": value, "floor": floor}
    # A figure that no evaluation reports any more keeps its floor: the gate then fails
    # loudly until it is restored or its removal is argued for in review.
    for name, entry in old_figures.items():
        new_figures.setdefault(name, dict(entry))
    return {
        **dict(sorted(new_figures.items())),
        "data_sha256": dict(hashes),
        "noise_margin": old.get("noise_margin", NOISE_MARGIN),
    }


def gate_failures(baseline: Mapping, figures: Mapping[str, float]) -> list[str]:
    """One message per gated figure below ``floor - noise_margin`` (or missing)."""
    margin = baseline.get("noise_margin", NOISE_MARGIN)
    failures = []
    for name, entry in baseline_figures(baseline).items():
        if name not in figures:
            failures.append(f"{name}: not reported by run_all any more (floor {entry['floor']})")
        elif figures[name] < entry["floor"] - margin:
            failures.append(
                f"{name}: {figures[name]:.4f} < floor {entry['floor']:.4f} - margin {margin} "
                f"(baseline value {entry['value']:.4f})"
            )
    return failures


def lowered_floors(previous: Mapping, current: Mapping) -> list[str]:
    """Floors of ``previous`` that ``current`` lowers or drops."""
    problems = []
    now = baseline_figures(current)
    for name, entry in baseline_figures(previous).items():
        if name not in now:
            problems.append(f"{name}: floor {entry['floor']} removed")
        elif now[name]["floor"] < entry["floor"]:
            problems.append(f"{name}: floor lowered from {entry['floor']} to {now[name]['floor']}")
    return problems


def main(argv: list[str] | None = None) -> None:
    """Run every evaluation and print one table; optionally update the baseline."""
    parser = argparse.ArgumentParser(description="wiretrace quality evaluations")
    parser.add_argument("--shared", type=Path, default=default_shared(), help="../shared folder")
    parser.add_argument("--full", action="store_true", help="full sizes (planted N=300)")
    parser.add_argument(
        "--update-baseline",
        action="store_true",
        help="write quick-mode values to bench/baseline.json, raising floors (never lowering)",
    )
    args = parser.parse_args(argv)
    quick = not args.full or args.update_baseline
    figures = run_all(args.shared, quick=quick)
    print(format_table(figures, f"wiretrace quality ({'quick' if quick else 'full'} mode)"))
    if args.update_baseline:
        old = read_baseline()
        new = updated_baseline(old, figures, data_hashes(args.shared))
        BASELINE.write_text(json.dumps(new, indent=2) + "\n", encoding="utf-8")
        below = gate_failures(new, figures)
        print(f"wrote {BASELINE} ({len(baseline_figures(new))} gated figures)")
        for line in below:
            print(f"warning: below its (kept) floor: {line}")


if __name__ == "__main__":
    main()
