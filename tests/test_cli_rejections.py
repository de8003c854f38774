"""`wiretrace rejections` lists rejected units and the stored units whose text was mended."""

from __future__ import annotations

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
