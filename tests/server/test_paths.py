"""No answer of the server names a path of its disk: files are named from their input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import analyze_into, local_client
from wiretrace.server.app import create_app
from wiretrace.server.paths import InputNames, hide_server_paths


@pytest.mark.parametrize(
    ("inputs", "source_path", "shown"),
    [
        (["/home/ana/corpus"], "/home/ana/corpus/a.txt", "a.txt"),
        (["/home/ana/corpus/"], "/home/ana/corpus/sub/a.txt", "sub/a.txt"),
        (["/home/ana/corpus", "/home/ana/corpus/sub"], "/home/ana/corpus/sub/a.txt", "a.txt"),
        (["/home/ana/feed.jsonl"], "/home/ana/feed.jsonl", "feed.jsonl"),
        (["/home/ana/corpus/*.txt"], "/home/ana/corpus/a.txt", "a.txt"),
        (["/home/ana/c/2026-*/x.txt"], "/home/ana/c/2026-03/x.txt", "2026-03/x.txt"),
        (["corpus"], "corpus/sub/a.txt", "sub/a.txt"),
        (["./corpus"], "corpus/a.txt", "a.txt"),
        (["."], "sub/a.txt", "sub/a.txt"),
        (["."], "/srv/elsewhere/a.txt", "a.txt"),
        (["/home/ana/corpus"], "/home/ana/corpusX/a.txt", "a.txt"),
        ([], "/srv/data/a.txt", "a.txt"),
        (["-"], "-", "-"),
        ([], "pasted text", "pasted text"),
    ],
)
def test_a_file_is_named_relative_to_its_input(
    inputs: list[str], source_path: str, shown: str
) -> None:
    assert InputNames(inputs).name(source_path) == shown


def test_every_source_path_in_a_record_is_renamed() -> None:
    names = InputNames(["/data/in"])
    record = {
        "a": {"source_path": "/data/in/a.txt", "text": "/data/in/a.txt stays in a text"},
        "documents": [{"source_path": "/data/in/x/b.txt"}, {"id": "no path"}],
    }
    hide_server_paths(record, names)
    assert record["a"]["source_path"] == "a.txt"
    assert record["a"]["text"].startswith("/data/in/a.txt")
    assert record["documents"] == [{"source_path": "x/b.txt"}, {"id": "no path"}]


@pytest.fixture(scope="module")
def nested(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> tuple[TestClient, Path]:
    """The examples analyzed from an absolute folder with a subfolder."""
    root = tmp_path_factory.mktemp("paths") / "input"
    shutil.copytree(examples, root / "corpus")
    (root / "corpus" / "wire_original.txt").rename(root / "corpus" / "moved.txt")
    (root / "corpus" / "deeper").mkdir()
    shutil.move(root / "corpus" / "republish_edited.txt", root / "corpus" / "deeper")
    db = analyze_into(root.parent / "paths.sqlite", (root / "corpus").resolve())
    return local_client(create_app(db)), root.resolve()


def test_no_answer_names_an_absolute_path(nested: tuple[TestClient, Path]) -> None:
    client, root = nested
    stories = client.get("/api/stories").json()["stories"]
    story = next(s for s in stories if "moved" in s["documents"])
    urls = [
        "/api/stories",
        f"/api/stories/{story['id']}",
        f"/stories/{story['id']}",
        "/api/compare?a=moved&b=republish_edited",
        "/compare?a=moved&b=republish_edited",
        "/api/documents/moved",
        "/api/documents?id=republish_edited",
        "/documents?id=republish_edited",
        "/api/documents?limit=500",
        "/api/pairs?limit=500",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert str(root) not in response.text, url
        assert str(root.parent) not in response.text, url
    story_view = client.get(f"/api/stories/{story['id']}").json()
    paths = {d["id"]: d["source_path"] for d in story_view["documents"]}
    assert paths["moved"] == "moved.txt"
    assert paths["republish_edited"] == "deeper/republish_edited.txt"
    compared = client.get("/api/compare", params={"a": "moved", "b": "republish_edited"}).json()
    assert compared["a"]["source_path"] == "moved.txt"
    assert compared["b"]["source_path"] == "deeper/republish_edited.txt"
