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
    REPO,
    data_hashes,
    gate_failures,
    lowered_floors,
    read_baseline,
    run_all,
    updated_baseline,
)

BASELINE_IN_REPO = BASELINE.relative_to(REPO).as_posix()
# How far back in the file's history to look for its previous version.
MAX_HISTORY = 50


@pytest.mark.slow
@pytest.mark.shared
def test_quality_figures_stay_above_floors(shared: Path):
    assert BASELINE.exists(), (
        f"{BASELINE} is missing; create it with `python -m bench.quality --update-baseline`"
    )
    baseline = read_baseline()
    expected = baseline["data_sha256"]
    actual = data_hashes(shared)
    changed = sorted(k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))
    assert not changed, (
        f"evaluation data changed since the baseline was measured ({', '.join(changed)}); "
        "figures are not comparable: regenerate the baseline with "
        "`python -m bench.quality --update-baseline` and commit it with the data change"
    )
    figures = run_all(shared, quick=True)
    failures = gate_failures(baseline, figures)
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
