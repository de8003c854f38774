"""Every output on real wire archives: a Reuters slice, BBC articles and PAN pairs.

The example corpus and the seeds are small and were written (or chosen) with the rules in
mind; real archives hold what nobody planned for (a story whose two sentences become one
fact crashed the story view on every Reuters slice). This test sends real corpora from
``../shared/data`` through every output a user reaches: ``analyze --json`` against the
schema, ``story`` for every story, ``compare``, ``trace``, ``report --html``, ``export`` in
every format, and every page and API endpoint of ``serve``. It asserts only that each answers
without an error: the verdicts themselves are measured by ``make bench``.

The corpora are analysed with the lexical layer (``--semantic off``): the semantic layer
adds verdicts but no new output path, and would take minutes on 3,600 documents.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from wiretrace.cli import main
from wiretrace.report.files import EXPORT_FORMATS
from wiretrace.server.app import ServerSettings, create_app
from wiretrace.server.guard import GuardLimits

pytestmark = [pytest.mark.shared, pytest.mark.slow]

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[1]
        / "src"
        / "wiretrace"
        / "schema"
        / "wiretrace-output.schema.json"
    ).read_text(encoding="utf-8")
)
NUM_REUTERS = 3000
NUM_BBC = 500
NUM_PAN_PAIRS = 100
# Pairs shown through `compare` and the compare page/endpoint per corpus.
NUM_COMPARED = 100
REUTERS_FIELDS = (
    "--text-field",
    "body",
    "--id-field",
    "newid",
    "--title-field",
    "title",
    "--date-field",
    "date",
)


@dataclass(frozen=True)
class Analyzed:
    """One real corpus analysed into a store, with its JSON output."""

    name: str
    db: Path
    output: dict
    trace_file: Path


def _invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"wiretrace {' '.join(args)} raised") from result.exception
    return result


def _ok(*args: str) -> Result:
    result = _invoke(*args)
    assert result.exit_code == 0, f"wiretrace {' '.join(args)}: {result.output[-500:]}"
    return result


def _jsonl_slice(out: Path, lines: list[str]) -> Path:
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return out


def _reuters(shared: Path, work: Path) -> tuple[list[str], Path]:
    lines = (shared / "data" / "reuters21578" / "articles.jsonl").read_text("utf-8").splitlines()
    path = _jsonl_slice(work / "reuters.jsonl", lines[:NUM_REUTERS])
    # A later story, not in the slice, to trace against it.
    later = json.loads(next(line for line in lines[NUM_REUTERS:] if json.loads(line)["body"]))
    trace = work / "trace.txt"
    trace.write_text(f"{later['title']}\n\n{later['body']}", encoding="utf-8")
    return [path.name, *REUTERS_FIELDS], trace


def _bbc(shared: Path, work: Path) -> tuple[list[str], Path]:
    lines = (shared / "data" / "bbc-news" / "articles.jsonl").read_text("utf-8").splitlines()
    # Every fourth article: all five categories, and the duplicate groups that sit together.
    step = len(lines) // NUM_BBC
    chosen = lines[::step][:NUM_BBC]
    path = _jsonl_slice(work / "bbc.jsonl", chosen)
    other = json.loads(lines[1])
    trace = work / "trace.txt"
    trace.write_text(f"{other['title']}\n\n{other['text']}", encoding="utf-8")
    return [path.name], trace


def _pan(shared: Path, work: Path) -> tuple[list[str], Path]:
    pan = shared / "data" / "pan13-verbatim"
    rows = (pan / "pairs.tsv").read_text("utf-8").splitlines()[1 : NUM_PAN_PAIRS + 1]
    folder = work / "pan"
    folder.mkdir()
    for row in rows:
        susp, src = row.split("\t")[:2]
        for name, sub in ((susp, "susp"), (src, "src")):
            (folder / name).write_bytes((pan / sub / name).read_bytes())
    trace = work / "trace.txt"
    trace.write_bytes((pan / "susp" / rows[-1].split("\t")[0]).read_bytes())
    return [folder.name], trace


CORPORA = {"reuters": _reuters, "bbc": _bbc, "pan": _pan}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def analyzed(request: pytest.FixtureRequest, shared: Path, tmp_path_factory) -> Analyzed:
    work = tmp_path_factory.mktemp(request.param)
    args, trace_file = CORPORA[request.param](shared, work)
    db, out = work / "w.sqlite", work / "out.json"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(work)
        result = _invoke("analyze", *args, "--semantic", "off", "--db", str(db), "--json", str(out))
    # 3: some records were rejected (Reuters items without a body), which is not a failure.
    assert result.exit_code in (0, 3), result.output[-800:]
    return Analyzed(request.param, db, json.loads(out.read_text("utf-8")), trace_file)


def test_analyze_json_is_valid_and_found_reuse(analyzed: Analyzed) -> None:
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    errors = list(validator.iter_errors(analyzed.output))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    # Each of these corpora holds reuse (Reuters re-sends, BBC duplicates, PAN by design).
    assert analyzed.output["pairs"], analyzed.name
    assert analyzed.output["stories"], analyzed.name


def test_every_story_shows_in_the_cli(analyzed: Analyzed) -> None:
    for story in analyzed.output["stories"]:
        shown = _ok("story", story["id"], "--db", str(analyzed.db))
        assert story["id"] in shown.output
        data = json.loads(_ok("story", story["id"], "--db", str(analyzed.db), "--json").output)
        assert data["story"]["id"] == story["id"]


def _sample_pairs(analyzed: Analyzed) -> list[dict]:
    pairs = analyzed.output["pairs"]
    return random.Random(13).sample(pairs, min(NUM_COMPARED, len(pairs)))


def test_compare_pairs_list_and_show(analyzed: Analyzed) -> None:
    db = str(analyzed.db)
    for pair in _sample_pairs(analyzed)[:20]:
        _ok("compare", pair["a"], pair["b"], "--db", db)
    commands = [("pairs",), ("stories",), ("docs",), ("rejections",), ("runs",)]
    for command in commands:
        _ok(*command, "--db", db)
        # Every listing's machine output: one document, and one record per line.
        json.loads(_ok(*command, "--db", db, "--json").output)
        for line in _ok(*command, "--db", db, "--jsonl").output.splitlines():
            json.loads(line)
    for doc in analyzed.output["documents"][:10]:
        _ok("show", doc["id"], "--db", db)


def test_trace_report_and_export(analyzed: Analyzed, tmp_path: Path) -> None:
    db = str(analyzed.db)
    _ok("trace", str(analyzed.trace_file), "--db", db, "--semantic", "off")
    _ok("report", "--db", db, "--html", str(tmp_path / "report"))
    pages = list((tmp_path / "report").rglob("*.html"))
    # The index and one page per story at least.
    assert len(pages) > len(analyzed.output["stories"])
    for fmt in EXPORT_FORMATS:
        out = tmp_path / f"docs.{fmt}"
        _ok("export", "--db", db, "--format", fmt, "-o", str(out))
        assert out.stat().st_size > 0


@pytest.fixture(scope="module")
def client(analyzed: Analyzed) -> TestClient:
    # Limits well above what the test sends: it checks answers, not the rate limiter.
    limits = GuardLimits(rate_per_s=1e6, burst=1_000_000)
    # BBC traces through the semantic layer on a store that holds no vectors and that the
    # server only reads (it once answered 503 there); a PAN document is book-length and
    # its semantic trace takes a minute, so the others trace lexically.
    semantic = "auto" if analyzed.name == "bbc" else "off"
    settings = ServerSettings(limits=limits, semantic=semantic)
    return TestClient(create_app(analyzed.db, settings), base_url="http://127.0.0.1")


def _assert_ok(client: TestClient, method: str, url: str, **kwargs: object) -> None:
    response = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    status = response.status_code
    assert status == 200, f"{method} {url}: {status} {response.text[:300]}"


def test_every_page_and_endpoint_answers(analyzed: Analyzed, client: TestClient) -> None:
    _assert_ok(client, "GET", "/")
    _assert_ok(client, "GET", "/api/stories")
    _assert_ok(client, "GET", "/api/health")
    for story in analyzed.output["stories"]:
        _assert_ok(client, "GET", f"/stories/{story['id']}")
        _assert_ok(client, "GET", f"/api/stories/{story['id']}")
    for pair in _sample_pairs(analyzed):
        query = {"a": pair["a"], "b": pair["b"]}
        _assert_ok(client, "GET", "/compare", params=query)
        _assert_ok(client, "GET", "/api/compare", params=query)
    for doc in analyzed.output["documents"][:NUM_COMPARED]:
        _assert_ok(client, "GET", "/documents", params={"id": doc["id"]})
        _assert_ok(client, "GET", "/api/documents", params={"id": doc["id"]})
    text = analyzed.trace_file.read_text("utf-8")
    _assert_ok(client, "GET", "/trace")
    _assert_ok(client, "POST", "/trace", data={"text": text})
    _assert_ok(client, "POST", "/api/trace", json={"text": text})
