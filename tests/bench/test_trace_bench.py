"""The trace-latency benchmark (bench/trace.py) on a tiny store: the shape of its figures.

No figure is checked for speed (the machine is shared): only that every measurement runs
and reports what the bench table and docs/benchmarks.md read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import speed, trace

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "corpus"
HELD_OUT = 3


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example corpus's text files as Reuters-like JSONL records (newid, body)."""
    path = tmp_path_factory.mktemp("trace_source") / "examples.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for file in sorted(EXAMPLES.glob("*.txt")):
            record = {speed.ID_FIELD: file.stem, speed.TEXT_FIELD: file.read_text("utf-8")}
            handle.write(json.dumps(record) + "\n")
    return path


def test_held_out_articles_are_not_stored_and_the_split_is_stable(source: Path) -> None:
    lines, articles = trace.split_records(source, None, HELD_OUT)
    assert len(articles) == HELD_OUT
    stored = {json.loads(line)[speed.ID_FIELD] for line in lines}
    assert stored.isdisjoint(a["id"] for a in articles)
    assert len(lines) + HELD_OUT == len(source.read_text("utf-8").splitlines())
    assert trace.split_records(source, None, HELD_OUT) == (lines, articles)
    first_five = source.read_text("utf-8").splitlines(keepends=True)[:5]
    kept, held = trace.split_records(source, 5, 2)
    assert sorted([*kept, *(line for line in first_five if line not in kept)]) == sorted(first_five)
    assert {json.loads(line)[speed.ID_FIELD] for line in first_five if line not in kept} == {
        a["id"] for a in held
    }


def test_rounds_take_the_held_out_articles_in_turn() -> None:
    assert trace.round_articles(0, 9, 30) == list(range(10))
    assert trace.round_articles(2, 9, 30) == list(range(20, 30))
    assert trace.round_articles(3, 9, 30) == list(range(10))
    assert trace.round_articles(1, 2, 4) == [3, 0, 1]


@pytest.fixture(scope="module")
def figures(source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("trace_work")
    return trace.trace_latency(
        source=source, rounds=1, warm=1, semantics=("off",), work=work, held_out=HELD_OUT
    )


def _is_stat(value: Any, n: int) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"median", "min", "max", "n"}
        and (value["n"] == n and value["min"] <= value["median"] <= value["max"])
    )


@pytest.mark.slow
def test_one_round_reports_every_figure(figures: dict[str, Any]) -> None:
    assert figures["held_out"] == HELD_OUT
    assert figures["records"] == len(list(EXAMPLES.glob("*.txt"))) - HELD_OUT
    assert figures["documents"] == figures["records"]
    assert figures["rounds"] == 1
    api = figures["api_off"]
    for key in ("import_s", "app_s", "cold_s", "warm_ms", "warm_cpu_ms", "peak_rss_mib"):
        assert _is_stat(api[key], 1), key
    assert _is_stat(api["warm_all_ms"], 1)
    assert api["warm_requests"] == 1
    assert "later_model_load_request_s" not in api  # semantic off never loads a model
    assert api["cold_loaded_model"] == 0
    assert 0 <= api["warm_requests_under_target"] <= api["warm_requests"]
    assert "api_auto" not in figures
    for key in ("wall_s", "cpu_s", "peak_rss_mib"):
        assert _is_stat(figures["cli_off"][key], 1), key
    assert figures["cli_off"]["matches_per_trace"] >= 0  # the CLI said how many
    ds = figures["datasketch"]
    assert _is_stat(ds["build_s"], 1)
    assert _is_stat(ds["query_us"], 2) and _is_stat(ds["minhash_us"], 2)  # cold + 1 warm
    for key in (
        "ratio_api_off_warm_over_datasketch_query",
        "ratio_api_off_warm_over_datasketch_minhash_plus_query",
        "ratio_cli_off_over_datasketch_process",
    ):
        assert _is_stat(figures[key], 1), key
    assert figures["target_warm_s"] == trace.TARGET_WARM_S
    assert isinstance(figures["meets_target_api_off"], bool)


@pytest.mark.slow
def test_the_figures_reach_the_bench_table_and_verdicts(figures: dict[str, Any]) -> None:
    table = speed.rows({"trace": figures})
    named = {name for section, name, _, _ in table if section == "trace"}
    assert {"api_off.warm_ms", "datasketch.query_us", "meets_target_api_off"} <= named
    lines = speed.verdicts({"trace": figures})
    assert any("POST /api/trace with semantic off" in line for line in lines)
    assert any("wiretrace trace FILE" in line for line in lines)


@pytest.mark.slow
def test_a_built_store_is_reused(
    source: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Other work may edit src/ meanwhile (a new digest is a new store): hold the digest.
    monkeypatch.setattr(speed, "source_digest", lambda: "0" * 16)
    work = tmp_path / "work"
    first = trace.prepare(source, None, work, HELD_OUT)

    def no_build(*args: str) -> None:
        raise AssertionError(f"rebuilt: wiretrace {' '.join(args)}")

    monkeypatch.setattr(speed, "wiretrace_cli", no_build)
    again = trace.prepare(source, None, work, HELD_OUT)
    assert again.db == first.db and again.build["key"] == first.build["key"]
    assert again.article_file(0).read_text("utf-8") == again.article_list()[0]["text"]
