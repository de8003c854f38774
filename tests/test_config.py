"""One configuration: wiretrace.toml, --config, --set and config= over the stage defaults."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiretrace.classify import ClassifyConfig
from wiretrace.cli import main
from wiretrace.config import (
    SECTIONS,
    Config,
    apply_mapping,
    apply_overrides,
    as_config,
    changed_settings,
    config_dict,
    load_config,
    valid_keys,
)
from wiretrace.engines.local import DetectConfig
from wiretrace.errors import ConfigError


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_every_field_of_every_stage_config_is_a_key() -> None:
    keys = set(valid_keys())
    for stage in fields(DetectConfig):
        stage_config = getattr(DetectConfig(), stage.name)
        for f in fields(stage_config):
            assert f"{stage.name}.{f.name}" in keys
    assert {"diverge.min_quote_similarity", "consolidate.min_sentence_tokens"} <= keys
    assert {"read.max_record_bytes", "extract.default_source"} <= keys
    # A nested config is a section of its own, not a key.
    assert "consolidate.diverge" not in keys
    assert all(
        not is_dataclass(v) for values in config_dict(Config()).values() for v in values.values()
    )


def test_overrides_reach_their_stage_and_are_coerced_to_the_field_type() -> None:
    config = apply_overrides(
        Config(),
        [
            "classify.edited_min_coverage=0.6",
            "align.max_gap_sentences=3",
            "semantic.mode=off",
            "read.text_field=body",
            "diverge.min_quote_similarity=1",
        ],
    )
    assert config.detect.classify.edited_min_coverage == 0.6
    assert config.detect.align.max_gap_sentences == 3
    assert config.detect.semantic.mode == "off"
    assert config.read.text_field == "body"
    assert config.diverge.min_quote_similarity == 1.0
    assert isinstance(config.diverge.min_quote_similarity, float)
    # The story view uses the tree's divergence checks.
    assert config.story.diverge == config.diverge
    # Everything else keeps its default.
    assert config.detect.classify.duplicate_min_coverage == ClassifyConfig().duplicate_min_coverage


def test_the_last_override_wins() -> None:
    config = apply_overrides(
        Config(), ["cluster.min_mean_weight=0.3", "cluster.min_mean_weight=0.4"]
    )
    assert config.detect.cluster.min_mean_weight == 0.4


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("align.nope=1", "unknown configuration key 'align.nope'.*align.min_sentence_similarity"),
        ("alin.min_containment=1", "Did you mean 'align'.*Valid sections: fingerprint"),
        ("align.max_gap_sentences=2.5", "must be int; got '2.5'"),
        ("classify.edited_min_coverage=lots", "must be float; got 'lots'"),
        ("classify", "expects section.key=value"),
        ("semantic.mode=sometimes", "semantic mode must be one of"),
    ],
)
def test_bad_overrides_are_config_errors_that_say_what_is_valid(override, message) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        apply_overrides(Config(), [override])
    assert isinstance(caught.value, ValueError)


def test_toml_values_keep_their_types_and_wrong_ones_are_refused() -> None:
    config = apply_mapping(Config(), {"align": {"min_containment": 1, "max_gap_sentences": 3}})
    assert config.detect.align.min_containment == 1.0
    with pytest.raises(ConfigError, match="max_gap_sentences.*must be int; got 2.5"):
        apply_mapping(Config(), {"align": {"max_gap_sentences": 2.5}})
    with pytest.raises(ConfigError, match="must be int; got True"):
        apply_mapping(Config(), {"align": {"max_gap_sentences": True}})
    with pytest.raises(ConfigError, match="must be a table"):
        apply_mapping(Config(), {"align": 3})


def test_a_file_then_overrides(tmp_path: Path) -> None:
    path = tmp_path / "strict.toml"
    path.write_text(
        "[classify]\nedited_min_coverage = 0.6\n\n[cluster]\nmin_mean_weight = 0.3\n",
        encoding="utf-8",
    )
    config = load_config(path, ["cluster.min_mean_weight=0.5"])
    assert config.detect.classify.edited_min_coverage == 0.6
    assert config.detect.cluster.min_mean_weight == 0.5


def test_wiretrace_toml_is_found_in_the_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("WIRETRACE_CONFIG", raising=False)
    assert load_config(directory=tmp_path) == Config()
    (tmp_path / "wiretrace.toml").write_text("[semantic]\nmode = 'off'\n", encoding="utf-8")
    assert load_config(directory=tmp_path).detect.semantic.mode == "off"


def test_a_broken_file_says_where(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[classify\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.toml' is not valid TOML"):
        load_config(path)
    path.write_text("[classify]\nedited_coverage = 0.6\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="in .*bad.toml.*edited_min_coverage"):
        load_config(path)
    with pytest.raises(ConfigError, match="cannot read the configuration file"):
        load_config(tmp_path / "missing.toml")


def test_the_python_config_argument_takes_a_tree_a_detect_config_or_a_mapping() -> None:
    assert as_config(None) == Config()
    detect = DetectConfig(classify=ClassifyConfig(edited_min_coverage=0.6))
    assert as_config(detect).detect == detect
    assert as_config({"classify": {"edited_min_coverage": 0.6}}).detect == detect
    with pytest.raises(ConfigError, match="config= takes"):
        as_config(0.6)  # type: ignore[arg-type]


def test_changed_settings_are_the_values_that_differ_from_the_defaults() -> None:
    config = apply_overrides(Config(), ["classify.edited_min_coverage=0.6", "semantic.mode=off"])
    recorded = json.loads(json.dumps(config_dict(config)))
    assert changed_settings(recorded) == {
        "classify": {"edited_min_coverage": 0.6},
        "semantic": {"mode": "off"},
    }
    assert changed_settings(config_dict(Config())) == {}
    assert set(config_dict(Config())) == set(SECTIONS)


# -- the command line ---------------------------------------------------------------------


def test_an_unknown_key_on_the_command_line_is_a_usage_error(tmp_path: Path, examples) -> None:
    db = tmp_path / "w.sqlite"
    result = run("--set", "align.nope=1", "analyze", str(examples), "--db", str(db))
    assert result.exit_code == 2
    assert "unknown configuration key 'align.nope'" in result.output
    assert "align.min_sentence_similarity" in result.output
    assert not db.exists()


def test_set_and_config_file_reach_the_run_and_runs_shows_them(
    tmp_path: Path, examples, monkeypatch
) -> None:
    monkeypatch.delenv("WIRETRACE_CONFIG", raising=False)
    db = tmp_path / "w.sqlite"
    path = tmp_path / "strict.toml"
    path.write_text("[classify]\nedited_min_coverage = 1.01\n", encoding="utf-8")
    args = ["--config", str(path), "--set", "semantic.mode=off", "analyze", str(examples)]
    result = run(*args, "--db", str(db), "--json", str(tmp_path / "out.json"))
    assert result.exit_code == 0, result.output
    # Nothing covers 101% of a side, so nothing is an edited copy.
    pairs = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["pairs"]
    assert pairs and not [p for p in pairs if p["type"] == "edited"]
    result = run("detect", "--db", str(db), "--semantic", "off")
    assert result.exit_code == 0, result.output
    listing = run("runs", "--db", str(db))
    assert listing.exit_code == 0, listing.output
    lines = [line for line in listing.output.splitlines() if line.startswith("run ")]
    assert len(lines) == 2
    assert "analyze" in lines[0] and '"edited_min_coverage": 1.01' in lines[0]
    assert "detect" in lines[1] and '{"semantic": {"mode": "off"}}' in lines[1]
    records = [
        json.loads(line) for line in run("runs", "--db", str(db), "--jsonl").output.splitlines()
    ]
    assert json.loads(run("runs", "--db", str(db), "--json").output)["runs"] == records
    assert records[0]["config"]["config"]["classify"]["edited_min_coverage"] == 1.01
    assert records[0]["summary"]["detect"]["pairs"] == len(pairs)


def test_wiretrace_toml_in_the_working_directory_is_read(
    tmp_path: Path, examples, monkeypatch
) -> None:
    monkeypatch.delenv("WIRETRACE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    Path("wiretrace.toml").write_text("[classify]\nedited_coverage = 0.6\n", encoding="utf-8")
    result = run("analyze", str(examples), "--db", "w.sqlite")
    assert result.exit_code == 2
    assert "wiretrace.toml" in result.output and "classify.edited_min_coverage" in result.output


def test_runs_of_a_store_written_before_configs_were_recorded(tmp_path: Path) -> None:
    from wiretrace.store import open_store

    db = tmp_path / "old.sqlite"
    with open_store(db) as store:
        store.finish_run(store.begin_run("ingest", {"paths": ["a.txt"], "read": {}}), {})
    result = run("runs", "--db", str(db))
    assert result.exit_code == 0 and "config: not recorded" in result.output
