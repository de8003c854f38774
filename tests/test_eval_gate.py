"""Quality gate: every evaluation figure stays at or above its committed floor.

Modelled on adbar/trafilatura's ``tests/eval_gate.py``: ``bench/baseline.json`` pins a
floor per figure together with the SHA-256 of the evaluation data; the gate fails if the
data changed (the figures would not be comparable) or if a figure drops more than the
noise margin below its floor. Floors are only raised (``python -m bench.quality
--update-baseline``), and a second test checks that against git history.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.quality import (
    BASELINE,
    EVALUATIONS,
    GATE_GROUPS,
    REPO,
    baseline_figures,
    data_hashes,
    evaluation_of,
    floors_of,
    gate_failures,
    lowered_floors,
    read_baseline,
    run_evaluation,
    updated_baseline,
)

BASELINE_IN_REPO = BASELINE.relative_to(REPO).as_posix()
# How far back in the file's history to look for its previous version.
MAX_HISTORY = 50


@pytest.mark.shared
def test_the_evaluation_data_is_what_the_baseline_was_measured_on(shared: Path):
    assert BASELINE.exists(), (
        f"{BASELINE} is missing; create it with `python -m bench.quality --update-baseline`"
    )
    expected = read_baseline()["data_sha256"]
    actual = data_hashes(shared)
    changed = sorted(k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))
    assert not changed, (
        f"evaluation data changed since the baseline was measured ({', '.join(changed)}); "
        "figures are not comparable: regenerate the baseline with "
        "`python -m bench.quality --update-baseline` and commit it with the data change"
    )


def test_a_figure_belongs_to_the_evaluation_of_its_longest_prefix():
    assert evaluation_of("real_pairs_reuse_f1") == "real_pairs"
    assert evaluation_of("real_divergence_precision") == "divergence_real"
    assert evaluation_of("divergence_seeds_recall") == "divergence"
    assert evaluation_of("semeval_story_pearson_heldout") == "semeval_story"
    assert evaluation_of("semeval_baseline_pearson") == "semeval_story"
    assert evaluation_of("semeval_pearson_crosslingual") == "semeval"
    assert evaluation_of("nobody_knows_this") is None
    baseline = {"pan_recall": {"value": 0.9, "floor": 0.88}, "mrpc_f1": {"value": 1, "floor": 1}}
    assert floors_of(baseline, "pan") == {
        "pan_recall": {"value": 0.9, "floor": 0.88},
        "noise_margin": 0.01,
    }


def test_every_gated_figure_belongs_to_a_gated_evaluation():
    gated = {name for group in GATE_GROUPS for name in group}
    assert gated == set(EVALUATIONS)
    orphans = [k for k in baseline_figures(read_baseline()) if evaluation_of(k) not in gated]
    assert not orphans, f"figures no evaluation of the gate reports: {orphans}"


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize(
    "group",
    [pytest.param(g, marks=pytest.mark.gate("+".join(g)), id="+".join(g)) for g in GATE_GROUPS],
)
def test_quality_figures_stay_above_floors(shared: Path, group: tuple[str, ...]):
    baseline = read_baseline()
    failures = []
    for evaluation in group:
        figures = run_evaluation(evaluation, shared, quick=True)
        failures += gate_failures(floors_of(baseline, evaluation), figures)
    assert not failures, "quality below floor:\n" + "\n".join(failures)


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=REPO, capture_output=True, text=True, check=False, timeout=60
    )


def _previous_baseline(current_text: str) -> dict | None:
    """The most recent committed version of the baseline that differs from the file now."""
    log = _git("log", f"-n{MAX_HISTORY}", "--format=%H", "--", BASELINE_IN_REPO)
    commits = log.stdout.split() if log.returncode == 0 else []
    head = _git("show", f"HEAD:{BASELINE_IN_REPO}")
    versions = ([head.stdout] if head.returncode == 0 else []) + [
        r.stdout for c in commits if (r := _git("show", f"{c}:{BASELINE_IN_REPO}")).returncode == 0
    ]
    for text in versions:
        if text != current_text:
            return json.loads(text)
    return None


def test_baseline_floors_are_never_lowered():
    if shutil.which("git") is None:
        pytest.skip("git is not installed: cannot read the previous baseline")
    if _git("rev-parse", "--is-inside-work-tree").stdout.strip() != "true":
        pytest.skip(f"{REPO} is not a git work tree: no previous baseline to compare with")
    if not BASELINE.exists():
        pytest.skip(f"{BASELINE} does not exist yet")
    current_text = BASELINE.read_text(encoding="utf-8")
    previous = _previous_baseline(current_text)
    if previous is None:
        pytest.skip(f"no earlier committed version of {BASELINE_IN_REPO} differs from the file")
    current = json.loads(current_text)
    if previous.get("data_sha256") != current.get("data_sha256"):
        pytest.skip("the evaluation data changed with this baseline: floors were re-measured")
    problems = lowered_floors(previous, current)
    assert not problems, (
        "floors may only be raised (bench/baseline.json vs its previous git version):\n"
        + "\n".join(problems)
    )


def test_update_keeps_floors_and_raises_them():
    old = {
        "a_recall": {"value": 0.9, "floor": 0.88},
        "b_f1": {"value": 0.5, "floor": 0.48},
        "data_sha256": {"x": "1"},
        "noise_margin": 0.01,
    }
    new = updated_baseline(old, {"a_recall": 0.95, "b_f1": 0.40, "c_num_docs": 7.0}, {"x": "2"})
    assert new["a_recall"] == {"value": 0.95, "floor": 0.93}  # raised
    assert new["b_f1"] == {"value": 0.4, "floor": 0.48}  # kept, never lowered
    assert "c_num_docs" not in new  # counts are not gated
    assert new["data_sha256"] == {"x": "2"}
    assert lowered_floors(old, new) == []
    assert gate_failures(new, {"a_recall": 0.95, "b_f1": 0.40}) == [
        "b_f1: 0.4000 < floor 0.4800 - margin 0.01 (baseline value 0.4000)"
    ]
    assert lowered_floors(new, old) == ["a_recall: floor lowered from 0.93 to 0.88"]
