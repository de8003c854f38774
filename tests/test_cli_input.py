"""Input seen from the CLI: what `rejections` lists, and `--source` for outlets named nowhere."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from wiretrace.cli import main

ARTICLE = "Le président a parlé aujourd'hui de la réforme des retraites devant les députés."


def test_a_stored_text_with_a_stray_byte_is_listed_with_its_note(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    damaged = articles / "damaged.txt"
    damaged.write_bytes(ARTICLE.encode("utf-8").replace(b" de la", b" \xff de la"))
    (articles / "clean.txt").write_text(ARTICLE.replace("retraites", "pensions"), "utf-8")
    db = str(tmp_path / "w.sqlite")
    runner = CliRunner()
    ingest = runner.invoke(main, ["ingest", str(articles), "--db", db])
    assert ingest.exit_code == 0, ingest.output
    assert "1 document stored with repaired text" in " ".join(ingest.output.split())
    listed = runner.invoke(main, ["rejections", "--db", db])
    assert listed.exit_code == 0
    assert "damaged.txt (stored)" in listed.output and "not UTF-8" in listed.output
    assert "clean.txt" not in listed.output
    assert "1 units stored with repaired text" in listed.output


WIRE = (
    "The harbour board of Port Callow voted on Tuesday to raise landing fees for cargo ships "
    "by a fifth from next spring, its chair Marguerite Solberg told reporters after the "
    "meeting. The money will pay for dredging the northern channel, which silted up after "
    "the winter storms, and for a new pier for the island ferries, she said."
)


def test_source_names_the_outlet_of_articles_that_name_none(tmp_path: Path) -> None:
    # Two re-sends of one wire story with no credit in them: reuse within one outlet.
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "first.txt").write_text(WIRE, "utf-8")
    (articles / "resent.txt").write_text(WIRE.replace("told reporters", "said"), "utf-8")
    (articles / "named.txt").write_text("Source: Harbour Gazette\n\n" + WIRE, "utf-8")
    db = str(tmp_path / "w.sqlite")
    args = ["analyze", str(articles), "--db", db, "--semantic", "off", "--source", "Wire"]
    result = CliRunner().invoke(main, [*args, "--json", str(tmp_path / "out.json")])
    assert result.exit_code == 0, result.output
    output = json.loads((tmp_path / "out.json").read_text("utf-8"))
    sources = {d["id"]: d["source"] for d in output["documents"]}
    assert sources == {"first": "Wire", "resent": "Wire", "named": "Harbour Gazette"}
    pair = next(p for p in output["pairs"] if {p["a"], p["b"]} == {"first", "resent"})
    assert pair["credited"] is True and pair["uncredited_reuse"] is False


def test_a_missing_input_path_is_a_usage_error_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite"
    empty = tmp_path / "empty"
    empty.mkdir()
    for path, message in ((tmp_path / "no-such", "no such file"), (empty, "holds no files")):
        result = CliRunner().invoke(main, ["analyze", str(path), "--db", str(db)])
        assert result.exit_code == 2 and message in result.output
        assert not db.exists()


def test_read_commands_refuse_a_store_that_does_not_exist(tmp_path: Path) -> None:
    db = tmp_path / "typo.sqlite"
    for command in (["pairs"], ["stories"], ["docs"], ["serve"]):
        result = CliRunner().invoke(main, [*command, "--db", str(db)])
        assert result.exit_code == 2 and "no store at" in result.output, command
        assert not db.exists()


def test_the_summary_of_rejections_keeps_the_hint_whole(tmp_path: Path) -> None:
    records = tmp_path / "a.jsonl"
    rows = [{"id": str(i), "headline": "x", "story": WIRE} for i in range(2)]
    records.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(records), "--db", str(tmp_path / "w.db")])
    assert result.exit_code == 3
    summary = next(line for line in result.output.splitlines() if "rejected 2×" in line)
    assert summary.endswith("name the text field with --text-field")


def test_a_text_far_beyond_an_article_is_rejected_with_the_setting_to_raise(
    tmp_path: Path,
) -> None:
    (tmp_path / "dump.txt").write_text(WIRE * 20, encoding="utf-8")
    (tmp_path / "article.txt").write_text(WIRE, encoding="utf-8")
    db = str(tmp_path / "w.db")
    args = ["--set", "extract.max_chars=2000", "ingest", str(tmp_path), "--db", db]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3, result.output
    assert "1 stored" in result.output
    listed = CliRunner().invoke(main, ["rejections", "--db", db])
    assert "dump.txt" in listed.output and "far beyond a news article" in listed.output
    assert "--set extract.max_chars" in " ".join(listed.output.split())


def test_an_output_the_system_refuses_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    # A folder under a regular file cannot be made, by root either (chmod would not stop
    # root, who runs CI): the same OSError a read-only folder gives.
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    (tmp_path / "article.txt").write_text(WIRE, encoding="utf-8")
    runner = CliRunner()
    store = runner.invoke(
        main, ["ingest", str(tmp_path / "article.txt"), "--db", str(blocker / "w.db")]
    )
    assert store.exit_code == 1, store.output
    assert "cannot write" in store.output and "Traceback" not in store.output
    db = str(tmp_path / "w.db")
    assert runner.invoke(main, ["ingest", str(tmp_path / "article.txt"), "--db", db]).exit_code == 0
    report = runner.invoke(main, ["report", "--db", db, "--html", str(blocker / "report")])
    assert report.exit_code == 1, report.output
    assert "cannot write" in report.output and str(blocker) in report.output
    assert len(report.output.strip().splitlines()) == 1
