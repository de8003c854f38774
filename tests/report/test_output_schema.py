"""Real output against the JSON schema, and passage offsets against the texts they index."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from wiretrace.engines.ingest import ingest
from wiretrace.engines.local import detect
from wiretrace.model import Direction, Document, PairVerdict, ReuseType
from wiretrace.report.records import analysis_record
from wiretrace.semantic import USE, installed_encoders
from wiretrace.store import open_store

SCHEMA_PATH = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "wiretrace"
    / "schema"
    / "wiretrace-output.schema.json"
)
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def normalized(text: str) -> str:
    return " ".join(text.split())


def analyze(folder: Path, db: Path) -> tuple[dict, dict[str, Document]]:
    with open_store(db) as store:
        ingest(store, [str(folder)])
        detect(store)
        record = analysis_record(store)
        docs = {d["id"]: store.get_document(d["id"]) for d in record["documents"]}
    return record, docs


@pytest.fixture(scope="module")
def example_output(tmp_path_factory, examples: Path):
    return analyze(examples, tmp_path_factory.mktemp("schema") / "wiretrace.sqlite")


@pytest.fixture(scope="module")
def seed_output(tmp_path_factory, seeds: Path):
    return analyze(seeds, tmp_path_factory.mktemp("schema_seeds") / "wiretrace.sqlite")


def check_schema(record: dict, docs: dict[str, Document]) -> None:
    validator_class = jsonschema.validators.validator_for(SCHEMA)
    validator_class.check_schema(SCHEMA)
    validator = validator_class(SCHEMA)
    errors = list(validator.iter_errors(record))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    # Documents exported with their text validate too.
    with_text = {**record, "documents": [d.to_dict() for d in docs.values()]}
    errors = list(validator.iter_errors(with_text))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def without_removed(doc: Document, start: int, end: int) -> str:
    """The original text of [start, end) with the parts extraction removed left out."""
    keep = [True] * (end - start)
    for r in doc.removed:
        for i in range(max(r.start, start), min(r.end, end)):
            keep[i - start] = False
    return "".join(ch for ch, k in zip(doc.original[start:end], keep, strict=True) if k)


def check_offsets(record: dict, docs: dict[str, Document]) -> int:
    """Check every passage; return how many verbatim passage sides were compared."""
    verbatim = 0
    for pair in record["pairs"]:
        for passage in pair["passages"]:
            for side in ("a", "b"):
                doc = docs[pair[side]]
                start, end = passage[f"{side}_start"], passage[f"{side}_end"]
                src_start, src_end = passage[f"{side}_source_start"], passage[f"{side}_source_end"]
                assert 0 <= start < end <= len(doc.text), (pair[side], start, end)
                assert 0 <= src_start < src_end <= len(doc.original), (pair[side], src_start)
                clean = normalized(doc.text[start:end])
                if passage["kind"] == "verbatim":
                    verbatim += 1
                    assert normalized(doc.original[src_start:src_end]) == clean
                # For every passage, the original span minus removed chrome is the clean span.
                assert normalized(without_removed(doc, src_start, src_end)) == clean
    return verbatim


def test_example_output_validates(example_output) -> None:
    check_schema(*example_output)


def test_every_example_pair_carries_a_story_similarity(example_output) -> None:
    record, _ = example_output
    values = [pair["story_similarity"] for pair in record["pairs"]]
    assert values
    if USE not in installed_encoders():
        # The default semantic mode turns itself off without the models: null throughout.
        assert values == [None] * len(values)
        return
    assert all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in values)
    by_pair = {frozenset((p["a"], p["b"])): p for p in record["pairs"]}
    # One event told twice (a wire and its follow-up, no shared text) is one story.
    followup = by_pair[frozenset(("story_b_wire", "story_b_followup"))]
    assert followup["type"] == "related"
    assert followup["story_similarity"] >= 0.5


def _one_pair_record(**pair: object) -> dict:
    verdict = PairVerdict(
        a="a", b="b", type=ReuseType.RELATED, coverage_a=0.0, coverage_b=0.0,
        direction=Direction.UNKNOWN, credited=False, similarity=0.3,
    )  # fmt: skip
    return {
        "schema": "wiretrace-output/1",
        "documents": [],
        "pairs": [{**verdict.to_dict(), **pair}],
        "stories": [],
    }


@pytest.mark.parametrize(
    ("value", "valid"),
    [(None, True), (0.0, True), (0.7312, True), (1.0, True), (1.01, False), (-0.2, False),
     ("0.5", False)],
)  # fmt: skip
def test_the_schema_takes_a_story_similarity_or_null(value: object, valid: bool) -> None:
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    assert validator.is_valid(_one_pair_record(story_similarity=value)) is valid


def test_the_schema_requires_the_story_similarity() -> None:
    record = _one_pair_record()
    del record["pairs"][0]["story_similarity"]
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    assert not validator.is_valid(record)


def test_example_passage_offsets_index_clean_and_original_text(example_output) -> None:
    assert check_offsets(*example_output) > 0


def test_passages_of_the_html_page_map_back_to_the_extracted_text(example_output) -> None:
    record, docs = example_output
    page_pairs = [p for p in record["pairs"] if "wire_original_page" in (p["a"], p["b"])]
    assert page_pairs and any(p["passages"] for p in page_pairs)


@pytest.mark.shared
def test_seed_output_validates(seed_output) -> None:
    check_schema(*seed_output)


@pytest.mark.shared
def test_seed_passage_offsets_survive_page_chrome(seed_output) -> None:
    # The seeds carry chrome, counters and promos inside the text: the source spans of
    # passages that straddle them must still map back exactly.
    record, docs = seed_output
    check_offsets(record, docs)
    assert any(doc.removed for doc in docs.values())
