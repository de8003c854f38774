"""Terminal views: aligned passages side by side, with the changed words marked."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from wiretrace.model import Document, PairVerdict, Passage, PassageKind

KIND_STYLE = {
    PassageKind.VERBATIM: "green",
    PassageKind.EDITED: "yellow",
    PassageKind.PARAPHRASE: "magenta",
    PassageKind.TRANSLATION: "cyan",
}
EDIT_STYLE = "bold red underline"


def _passage_text(doc: Document, passage: Passage, side: str) -> Text:
    """The passage's text on one side, changed words styled (and bracketed for plain output)."""
    span = getattr(passage, side)
    edits = sorted(
        (e.a_start, e.a_end) if side == "a" else (e.b_start, e.b_end)
        for pair in passage.sentence_pairs
        for e in pair.edits
    )
    text = Text(style=KIND_STYLE[passage.kind])
    cursor = span.start
    for start, end in edits:
        start, end = max(start, cursor), min(end, span.end)
        if end <= start:
            continue
        text.append(doc.text[cursor:start])
        text.append("[" + doc.text[start:end] + "]", style=EDIT_STYLE)
        cursor = end
    text.append(doc.text[cursor : span.end])
    return text


def comparison(doc_a: Document, doc_b: Document, verdict: PairVerdict | None) -> RenderableType:
    """The verdict of a pair and its aligned passages side by side.

    Words that differ inside aligned sentences are shown in [brackets] (red in colour).
    """
    header = Table.grid(padding=(0, 1))
    header.add_column()
    if verdict is None:
        header.add_row(
            Text(f"{doc_a.id} and {doc_b.id}: no reuse or relation detected", style="bold")
        )
        return header
    if verdict.a != doc_a.id:
        doc_a, doc_b = doc_b, doc_a
    header.add_row(
        Text(
            f"{verdict.a} ~ {verdict.b}: {verdict.type}, direction {verdict.direction}, "
            f"credited {'yes' if verdict.credited else 'NO'}, coverage "
            f"{verdict.coverage_a:.0%} / {verdict.coverage_b:.0%}, "
            f"similarity {verdict.similarity:.2f}",
            style="bold",
        )
    )
    for reason in verdict.reasons:
        header.add_row(Text(f"  {reason}", style="dim"))
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("kind / sim", no_wrap=True)
    table.add_column(f"{doc_a.id} ({doc_a.source or doc_a.language})", ratio=1)
    table.add_column(f"{doc_b.id} ({doc_b.source or doc_b.language})", ratio=1)
    for number, p in enumerate(verdict.passages, 1):
        table.add_row(
            str(number),
            Text(f"{p.kind}\n{p.similarity:.2f}", style=KIND_STYLE[p.kind]),
            Text.assemble(
                Text(f"[{p.a.start}, {p.a.end})\n", style="dim"), _passage_text(doc_a, p, "a")
            ),
            Text.assemble(
                Text(f"[{p.b.start}, {p.b.end})\n", style="dim"), _passage_text(doc_b, p, "b")
            ),
        )
    if not verdict.passages:
        return header
    return Group(header, table)
