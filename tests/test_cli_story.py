"""`wiretrace story` and the divergences of `wiretrace compare`, on the example corpus."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from wiretrace.cli import main

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(
    (REPO / "src" / "wiretrace" / "schema" / "wiretrace-output.schema.json").read_text()
)


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def db(analyzed_examples: Path) -> str:
    return str(analyzed_examples)


def test_story_by_document_id_prints_the_three_groups_in_order(db: str) -> None:
    result = run("story", "wire_original", "--db", db)
    assert result.exit_code == 0, result.output
    text = result.output
    consensus, conflicts, single = (
        text.index("Consensus"),
        text.index("Conflicts"),
        text.index("Single source"),
    )
    assert consensus < conflicts < single
    assert "'Okonkow' (spun_rewrite)" in text
    assert "[7/9]" in text


def test_story_json_validates_against_the_story_schema(db: str) -> None:
    result = run("story", "wire_original", "--json", "--db", db)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)["story"]
    validator_class = jsonschema.validators.validator_for(SCHEMA)
    story_schema = {**SCHEMA["$defs"]["story"], "$defs": SCHEMA["$defs"]}
    validator_class(story_schema).validate(record)
    statuses = [f["status"] for f in record["facts"]]
    assert statuses[0] == "consensus" and statuses[-1] == "single"
    by_story_id = json.loads(run("story", record["id"], "--json", "--db", db).output)["story"]
    assert by_story_id == record
    # Any unique start of a story id (or of a member's id) names it, as git does.
    prefix = json.loads(run("story", record["id"][:4], "--json", "--db", db).output)["story"]
    assert prefix == record


def test_an_unknown_story_is_an_error_that_says_where_to_look(db: str) -> None:
    result = run("story", "no-such-story", "--db", db)
    assert result.exit_code == 1
    assert "wiretrace stories" in result.output


def test_compare_lists_the_divergences(db: str) -> None:
    result = run("compare", "wire_original", "spun_rewrite", "--db", db)
    assert result.exit_code == 0, result.output
    assert "divergences" in result.output
    assert "Okonkow" in result.output and "uncredited reuse" in result.output
