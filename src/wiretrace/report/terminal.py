"""Terminal views: a side-by-side comparison with aligned passages highlighted."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from wiretrace.model import Document, PairVerdict, PassageKind

KIND_STYLE = {
    PassageKind.VERBATIM: "black on green3",
    PassageKind.EDITED: "black on yellow3",
    PassageKind.PARAPHRASE: "black on orchid",
    PassageKind.TRANSLATION: "black on sky_blue2",
}
EDIT_STYLE = "bold red"


def _highlighted(doc: Document, verdict: PairVerdict, side: str) -> Text:
    text = Text(doc.text)
    for passage in verdict.passages:
        span = getattr(passage, side)
        text.stylize(KIND_STYLE[passage.kind], span.start, span.end)
        for pair in passage.sentence_pairs:
            for edit in pair.edits:
                start, end = (
                    (edit.a_start, edit.a_end) if side == "a" else (edit.b_start, edit.b_end)
                )
                if end > start:
                    text.stylize(EDIT_STYLE, start, end)
    return text


def comparison(doc_a: Document, doc_b: Document, verdict: PairVerdict | None) -> RenderableType:
    """Two documents side by side, passages coloured by kind, changed words in red."""
    header = Table.grid(padding=(0, 2))
    header.add_column()
    if verdict is None:
        header.add_row(
            Text(f"{doc_a.id} and {doc_b.id}: no reuse or relation detected", style="bold")
        )
        return header
    swap = verdict.a != doc_a.id
    if swap:
        doc_a, doc_b = doc_b, doc_a
    header.add_row(
        Text(
            f"{verdict.a} ~ {verdict.b}: {verdict.type}, direction {verdict.direction}, "
            f"credited {'yes' if verdict.credited else 'no'}, coverage "
            f"{verdict.coverage_a:.0%} / {verdict.coverage_b:.0%}, "
            f"similarity {verdict.similarity:.2f}",
            style="bold",
        )
    )
    for reason in verdict.reasons:
        header.add_row(Text(f"  {reason}", style="dim"))
    legend = Text("  ")
    for kind, style in KIND_STYLE.items():
        legend.append(f" {kind} ", style=style)
        legend.append(" ")
    legend.append(" changed words ", style=EDIT_STYLE)
    header.add_row(legend)

    side_by_side = Table(show_lines=False, expand=True)
    side_by_side.add_column(f"{doc_a.id}  ({doc_a.source or doc_a.source_path})", ratio=1)
    side_by_side.add_column(f"{doc_b.id}  ({doc_b.source or doc_b.source_path})", ratio=1)
    side_by_side.add_row(_highlighted(doc_a, verdict, "a"), _highlighted(doc_b, verdict, "b"))

    passages = Table(
        "#", "kind", "sim", f"{doc_a.id} [start, end)", f"{doc_b.id} [start, end)", "text", box=None
    )
    for number, p in enumerate(verdict.passages, 1):
        snippet = " ".join(doc_a.text[p.a.start : p.a.end].split())
        passages.add_row(
            str(number),
            str(p.kind),
            f"{p.similarity:.2f}",
            f"[{p.a.start}, {p.a.end})",
            f"[{p.b.start}, {p.b.end})",
            snippet[:70] + ("…" if len(snippet) > 70 else ""),
        )
    return Group(header, side_by_side, passages)
