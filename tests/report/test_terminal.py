"""Terminal views of the CLI: what they show, checked on records built in memory."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from wiretrace.config import Config, config_dict
from wiretrace.extract.document import build_document
from wiretrace.model import Direction, PairVerdict, RawRecord, ReuseType
from wiretrace.report.terminal import (
    document_view,
    mended_lines,
    pairs_table,
    rejected_lines,
    run_lines,
)

ARTICLE = (
    "Title: Ferry fees\nSource: Meridian Press\n\n"
    "Harbour fees will rise by 14% over the next five years, the board said on Monday.\n\n"
    "(Reporting by Ines Calloway-Roth; Editing by Peter Adeyemi)\n"
)


def plain(markup: str) -> str:
    return Text.from_markup(markup).plain


def test_the_document_view_shows_the_whole_original_with_removed_parts_labelled() -> None:
    doc = build_document(RawRecord(unit="a.txt", source_path="a.txt", text=ARTICLE), "a")
    pieces = list(document_view(doc))
    shown = "".join(plain(markup) + end for markup, end in pieces)
    assert shown.startswith("a  v1  a.txt\n")
    assert doc.removed, "the header and the credit line are removed"
    expected, pos = "", 0
    for span in doc.removed:
        expected += doc.original[pos : span.start] + f"[{span.kind}]"
        expected += doc.original[span.start : span.end]
        pos = span.end
    assert shown.split("\n\n", 1)[1] == expected + doc.original[pos:] + "\n"


def test_the_document_view_escapes_markup_in_the_text() -> None:
    text = "The [bold]board[/bold] said fees will rise by 14% over the next five years.\n"
    doc = build_document(RawRecord(unit="a.txt", source_path="a.txt", text=text), "a")
    console = Console(width=150, record=True, file=io.StringIO())
    for markup, end in document_view(doc):
        console.print(markup, end=end)
    assert "[bold]board[/bold]" in console.export_text()


def test_rejected_and_mended_units_are_listed_apart() -> None:
    ledger = [
        {"run_id": 1, "unit": "a.jsonl#L2", "status": "rejected", "reason": "invalid JSON"},
        {"run_id": 1, "unit": "b.txt", "status": "stored", "reason": None, "notes": ["cp1252"]},
        {"run_id": 2, "unit": "c.txt", "status": "stored", "reason": None, "notes": []},
    ]
    assert rejected_lines(ledger) == ["run 1  a.jsonl#L2: invalid JSON"]
    assert mended_lines(ledger) == ["run 1  b.txt (stored): cp1252"]


def test_a_run_line_shows_only_the_settings_that_differ_from_the_defaults() -> None:
    defaults = config_dict(Config())
    changed = {**defaults, "diverge": {**defaults["diverge"], "min_quote_similarity": 1.0}}
    runs = [
        {"run_id": 1, "command": "analyze", "started_at": "T1", "config": {"paths": ["x"]}},
        {"run_id": 2, "command": "detect", "started_at": "T2", "config": {"config": defaults}},
        {"run_id": 3, "command": "analyze", "started_at": "T3", "config": {"config": changed}},
    ]
    assert run_lines(runs) == [
        "run 1  analyze  T1  x  config: not recorded",
        "run 2  detect  T2  -  config: defaults",
        'run 3  analyze  T3  -  config: {"diverge": {"min_quote_similarity": 1.0}}',
    ]


def _verdict(a: str, b: str, story: float | None) -> PairVerdict:
    return PairVerdict(
        a=a, b=b, type=ReuseType.RELATED, coverage_a=0.0, coverage_b=0.0,
        direction=Direction.UNKNOWN, credited=False, similarity=0.21, story_similarity=story,
    )  # fmt: skip


def _table_text(verdicts: list[PairVerdict]) -> str:
    console = Console(file=io.StringIO(), width=160)
    console.print(pairs_table(verdicts))
    return console.file.getvalue()


def test_the_pair_listing_shows_the_story_similarity_when_there_is_one() -> None:
    shown = _table_text([_verdict("wire", "followup", 0.8734), _verdict("old", "older", None)])
    header = next(line for line in shown.splitlines() if "type" in line)
    assert header.split() == [
        "a", "b", "type", "cov", "a", "cov", "b", "direction", "credited", "sim", "story",
        "passages",
    ]  # fmt: skip
    assert "0.87" in shown
    older = next(line for line in shown.splitlines() if line.split()[:1] == ["old"])
    assert older.split()[-2] == "-"


def test_the_pair_listing_has_no_story_column_when_none_was_computed() -> None:
    shown = _table_text([_verdict("wire", "followup", None)])
    assert "story" not in shown
