"""`wiretrace sources`: the outlets table, one outlet's reuses, and their JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from wiretrace.cli import main

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(
    (REPO / "src" / "wiretrace" / "schema" / "wiretrace-output.schema.json").read_text()
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def validate(record: dict, name: str) -> None:
    schema = {**SCHEMA, "$ref": f"#/$defs/{name}"}
    for key in ("required", "properties", "additionalProperties", "type"):
        schema.pop(key, None)
    jsonschema.validate(record, schema)


@pytest.fixture(scope="module")
def db(analyzed_examples: Path) -> str:
    return str(analyzed_examples)


def _row(text: str, name: str) -> list[str]:
    """The cells of the table row that starts with ``name`` (cells split on 2+ spaces)."""
    line = next(line for line in text.splitlines() if line.startswith(name + " "))
    return [cell for cell in line[len(name) :].split() if cell]


def test_the_table_lists_every_outlet_and_who_reuses_whom(db: str) -> None:
    result = run("sources", "--db", db)
    assert result.exit_code == 0, result.output
    text = result.stdout
    header = text.splitlines()[0].split()
    assert header[:4] == ["source", "docs", "stories", "originated"]
    # The wire agency published the port story first; seven outlets credit its text.
    wire = _row(text, "Meridian Press")
    assert wire[:3] == ["3", "1", "1"]
    spin = _row(text, "TrendPulse Buzz")
    # docs, stories, originated, took text, credited, no credit, credit rate
    assert spin[:7] == ["1", "1", "·", "1", "·", "1", "0%"]
    assert "Meridian Press -> Harbourline" in text
    assert "who reuses whom" in text
    assert "17 articles" in result.stderr


def test_one_outlet_shows_its_reuses(db: str) -> None:
    result = run("sources", "trendpulse buzz", "--db", db)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("TrendPulse Buzz: 1 article in 1 story")
    assert "took other sources' text: 1 article (0 credited, 1 not)" in text
    row = r"took text\s+spun_rewrite\s+wire_original\s+Meridian Press\s+paraphrase\s+NO\s"
    assert re.search(row, text)
    assert re.search(r"text taken\s+spun_rewrite\s+paragraph_reuse\s", text)


def test_the_limit_cuts_the_rows_and_says_how_many_are_left(db: str) -> None:
    result = run("sources", "Meridian Press", "--db", db, "--limit", "2")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("text taken")]
    assert len(rows) == 2
    assert "6 more; --limit 0 shows all" in result.stderr


def test_json_is_one_document_on_stdout_in_the_schema(db: str) -> None:
    result = run("sources", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    validate(view, "api_sources")
    assert {s["name"] for s in view["sources"]} >= {"Meridian Press", "TrendPulse Buzz"}
    one = json.loads(run("sources", "Meridian Press", "--db", db, "--json").stdout)
    validate(one, "api_source")
    assert len(one["reuses"]) == one["num_reuse_rows"] == 8


def test_an_unknown_outlet_fails_naming_the_list(db: str) -> None:
    result = run("sources", "Nobody Gazette", "--db", db)
    assert result.exit_code == 1
    assert "no outlet 'Nobody Gazette'" in result.output
    assert "wiretrace sources" in result.output


def test_a_missing_store_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite"
    result = run("sources", "--db", str(missing))
    assert result.exit_code == 2
    assert not missing.exists()


def test_a_store_without_reuse_says_so(tmp_path: Path) -> None:
    import wiretrace

    db = tmp_path / "one.sqlite"
    article = wiretrace.Article(
        "only", "A single article about the harbour council's vote on the pier.", source="X"
    )
    wiretrace.analyze([article], db=db, semantic="off", workers=1)
    result = run("sources", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "no outlet reused another outlet's text" in result.stdout
    assert "1 source, 1 article, 0 stories" in result.stderr
