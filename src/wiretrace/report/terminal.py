"""Terminal views: what the ``wiretrace`` commands print.

Aligned passages side by side, divergences and the story view as rich renderables; tables
of documents and pairs; and the summary lines of a run as rich markup (the CLI prints each
line as it always has, so piped transcripts stay byte for byte the same).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from wiretrace.config import changed_settings
from wiretrace.model import (
    Divergence,
    DivergenceKind,
    Document,
    Fact,
    FactStatus,
    PairVerdict,
    Passage,
    PassageKind,
    Story,
)

if TYPE_CHECKING:
    from wiretrace.engines.ingest import IngestSummary
    from wiretrace.engines.local import DetectSummary
    from wiretrace.engines.spark import SparkSummary

KIND_STYLE = {
    PassageKind.VERBATIM: "green",
    PassageKind.EDITED: "yellow",
    PassageKind.PARAPHRASE: "magenta",
    PassageKind.TRANSLATION: "cyan",
}
EDIT_STYLE = "bold red underline"
DIVERGENCE_STYLE = {
    DivergenceKind.NUMBER: "bold red",
    DivergenceKind.NAME: "bold red",
    DivergenceKind.QUOTE: "bold magenta",
    DivergenceKind.NEGATION: "bold red",
    DivergenceKind.ROLE: "bold red",
    DivergenceKind.CLAIM: "bold yellow",
}
STATUS_TITLE = {
    FactStatus.CONSENSUS: "Consensus: stated by several versions that agree",
    FactStatus.CONFLICT: "Conflicts: stated by several versions that disagree",
    FactStatus.SINGLE: "Single source: stated by one version only",
}
# Characters of a divergence's text shown in tables (a quote can run for a paragraph).
MAX_SHOWN_CHARS = 90


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


def _short(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def divergence_table(divergences: Sequence[Divergence], a_id: str, b_id: str) -> Table:
    """One row per divergence: kind, the two texts (with offsets), the explanation."""
    table = Table(show_lines=True, expand=True, title="divergences", title_justify="left")
    table.add_column("kind", no_wrap=True)
    table.add_column(a_id, ratio=1)
    table.add_column(b_id, ratio=1)
    table.add_column("why", ratio=1)
    for d in divergences:
        if d.a != a_id:
            d = Divergence(d.b, d.a, d.kind, d.b_span, d.a_span, d.b_text, d.a_text, d.explanation)
        cells = []
        for span, text in ((d.a_span, d.a_text), (d.b_span, d.b_text)):
            where = f"[{span.start}, {span.end})\n" if span else ""
            cells.append(Text.assemble(Text(where, style="dim"), _short(text, 3 * MAX_SHOWN_CHARS)))
        table.add_row(
            Text(str(d.kind), style=DIVERGENCE_STYLE[d.kind]),
            *cells,
            Text(d.explanation, style="dim"),
        )
    return table


def comparison(
    doc_a: Document,
    doc_b: Document,
    verdict: PairVerdict | None,
    divergences: Sequence[Divergence] = (),
) -> RenderableType:
    """The verdict of a pair, its aligned passages side by side, and its divergences.

    Words that differ inside aligned sentences are shown in [brackets] (red in colour);
    the divergences (what the versions state differently) follow in a table of their own.
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
            f"similarity {verdict.similarity:.2f}"
            + (
                ""
                if verdict.story_similarity is None
                else f", same story {verdict.story_similarity:.2f}"
            ),
            style="bold",
        )
    )
    for reason in verdict.reasons:
        header.add_row(Text(f"  {reason}", style="dim"))
    if verdict.uncredited_reuse:
        header.add_row(Text("  uncredited reuse: text was reused without a credit", style="bold"))
    if divergences:
        kinds = ", ".join(
            f"{sum(d.kind == k for d in divergences)} {k}"
            for k in DivergenceKind
            if any(d.kind == k for d in divergences)
        )
        header.add_row(Text(f"  {len(divergences)} divergences: {kinds}", style="bold"))
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
    parts: list[RenderableType] = [header]
    if verdict.passages:
        parts.append(table)
    if divergences:
        parts.append(divergence_table(divergences, doc_a.id, doc_b.id))
    return Group(*parts)


def _fact_lines(fact: Fact, num_documents: int) -> list[Text]:
    badge = f"[{len(fact.support)}/{num_documents}]"
    lines = [
        Text.assemble(
            Text(f"{fact.id} ", style="dim"),
            Text(badge + " ", style="bold"),
            _short(fact.text, 2 * MAX_SHOWN_CHARS),
        ),
        Text("    sources: " + ", ".join(fact.support), style="dim"),
    ]
    for line in _grouped_divergences(fact.divergences):
        lines.append(line)
    return lines


def _grouped_divergences(divergences: Sequence[Divergence]) -> list[Text]:
    """One line per distinct change, naming every document on each side.

    Near-duplicate versions repeat one change pair by pair ("Okonkwo" in six copies,
    "Okonkow" in the spin); the view says it once.
    """
    groups: dict[tuple, dict[str, list[str]]] = {}
    explanations: dict[tuple, tuple[str, str]] = {}
    for d in divergences:
        sides = [(d.a, " ".join(d.a_text.split())), (d.b, " ".join(d.b_text.split()))]
        if d.kind == DivergenceKind.CLAIM:
            # The stating side holds the short claimed text; the other its whole sentence.
            sides.sort(key=lambda side: len(side[1]))
            key: tuple = (d.kind, sides[0][1])
            docs = groups.setdefault(key, {"in": [], "not in": []})
            docs["in"].append(sides[0][0])
            docs["not in"].append(sides[1][0])
            continue
        sides.sort(key=lambda side: side[1])
        key = (d.kind, sides[0][1], sides[1][1])
        explanations.setdefault(key, (d.explanation, " ".join(d.a_text.split())))
        docs = groups.setdefault(key, {sides[0][1]: [], sides[1][1]: []})
        for doc_id, text in sides:
            docs[text].append(doc_id)
    lines = []
    for key, docs in groups.items():
        kind = key[0]
        label = Text(f"    {kind:<8} ", style=DIVERGENCE_STYLE[kind])
        if kind == DivergenceKind.CLAIM:
            body = (
                f"{_short(key[1], 60)!r} in {', '.join(dict.fromkeys(docs['in']))}; "
                f"not in {', '.join(dict.fromkeys(docs['not in']))}"
            )
        elif kind == DivergenceKind.QUOTE:
            # Two long quotes differ in a few words: the explanation names them.
            why, a_text = explanations[key]
            first, second = (
                ", ".join(dict.fromkeys(docs[text]))
                for text in sorted(docs, key=lambda text: text != a_text)
            )
            body = f"{why} ({first} → {second})"
        else:
            first, second = (
                f"{_short(text, 60)!r} ({', '.join(dict.fromkeys(ids))})"
                for text, ids in docs.items()
            )
            body = f"{first}  ≠  {second}"
        lines.append(Text.assemble(label, body))
    return lines


def story_view(
    story: Story,
    facts: Sequence[Fact],
    documents: Mapping[str, Document],
    max_single_per_source: int = 3,
) -> RenderableType:
    """The consolidated story: consensus facts, conflicts, then what each source adds.

    Each fact shows its support (documents stating it, out of the story's) and, for a
    conflict, its divergences. Single-source facts are listed per source, at most
    ``max_single_per_source`` each (0: all).
    """
    num = len(story.documents)
    rep = documents.get(story.representative)
    title = rep.title if rep is not None and rep.title else ""
    lines: list[Text] = [
        Text(f"{story.id}: {num} articles, representative {story.representative}", style="bold"),
    ]
    if title:
        lines.append(Text(f"  {_short(title)}", style="dim"))
    for status in FactStatus:
        mine = [f for f in facts if f.status == status]
        lines.append(Text(""))
        lines.append(Text(f"{STATUS_TITLE[status]} ({len(mine)})", style="bold underline"))
        if status != FactStatus.SINGLE:
            for fact in mine:
                lines += _fact_lines(fact, num)
            continue
        for doc_id in story.documents:
            own = [f for f in mine if f.support == (doc_id,)]
            if not own:
                continue
            shown = own if max_single_per_source <= 0 else own[:max_single_per_source]
            more = len(own) - len(shown)
            lines.append(
                Text(f"  {doc_id}: {len(own)} facts" + (f" ({more} not shown)" if more else ""))
            )
            for fact in shown:
                lines.append(Text.assemble(Text(f"    {fact.id} ", style="dim"), _short(fact.text)))
    return Group(*lines)


# Rejection reasons listed under a run's summary (the ledger has them all).
MAX_SHOWN_REASONS = 10
# Characters of a title in the document list, and in the story list.
MAX_TITLE_CHARS = 60
# An id column keeps its longest id's width up to this; longer ids fold (never cut).
MAX_ID_WIDTH = 24
MAX_STORY_TITLE_CHARS = 70


def ingest_summary_lines(summary: IngestSummary) -> list[str]:
    """What an ingest did: units read, stored, updated and rejected, the top reasons, notes."""
    rate = summary.read / summary.seconds if summary.seconds else 0.0
    lines = [
        f"read {summary.read} units in {summary.seconds:.2f} s ({rate:,.0f}/s): "
        f"{summary.stored} stored, {summary.updated} updated, {summary.unchanged} unchanged, "
        f"{summary.rejected} rejected"
    ]
    lines += _rejected_reasons(summary.reasons)
    if summary.rejected:
        lines.append("  (every rejection with its input is listed by `wiretrace rejections`)")
    lines += [f"  note: {escape(note)}" for note in summary.notes]
    return lines


def _rejected_reasons(reasons: Counter[str]) -> list[str]:
    """The most common rejection reasons, one line each."""
    return [
        f"  rejected {count}×: {escape(reason)}"
        for reason, count in reasons.most_common(MAX_SHOWN_REASONS)
    ]


def detect_summary_lines(summary: DetectSummary) -> list[str]:
    """What a detection did: new documents, candidate and related pairs by type, stories."""
    types = ", ".join(f"{n} {t}" for t, n in sorted(summary.types.items())) or "none"
    lines = [
        f"detected in {summary.seconds:.2f} s: {summary.new_documents} new documents, "
        f"{summary.candidates} candidate pairs, {summary.pairs} related pairs ({types}), "
        f"{summary.stories} stories"
    ]
    if summary.semantic_mode != "off":
        lines.append(
            f"semantic layer ({summary.semantic_mode}): {summary.semantic_pairs} pairs aligned "
            f"by meaning; {summary.sentences_encoded} sentences encoded in "
            f"{summary.encode_seconds:.2f} s (the rest from the cache)"
        )
    if summary.story_pairs:
        lines.append(
            f"story similarity: {summary.story_pairs} pairs scored in {summary.story_seconds:.2f} s"
        )
    lines += [f"note: {note}" for note in summary.notes]
    return lines


def spark_summary_lines(summary: SparkSummary) -> list[str]:
    """What a Spark analysis did, with the top rejection reasons."""
    types = ", ".join(f"{n} {t}" for t, n in sorted(summary.types.items())) or "none"
    return [
        f"spark: {summary.documents} documents, {summary.rejected} rejected, "
        f"{summary.candidates} candidate pairs, {summary.pairs} related pairs ({types}), "
        f"{summary.stories} stories in {summary.seconds:.2f} s",
        *_rejected_reasons(summary.reasons),
    ]


def _id_width(ids: Iterable[str]) -> int:
    """The width an id column keeps: its longest id, up to :data:`MAX_ID_WIDTH`."""
    return min(max((len(i) for i in ids), default=2), MAX_ID_WIDTH)


def documents_table(rows: Sequence[Mapping[str, Any]]) -> Table:
    """One row per document summary (of ``document_summaries``): id, metadata, size."""
    table = Table(box=None)
    # Ids are never cut (a cut id cannot be told apart or copied).
    table.add_column("id", overflow="fold", min_width=_id_width(row["id"] for row in rows))
    table.add_column("title", overflow="ellipsis", ratio=1)
    for name in ("date", "source", "lang", "credits", "chars"):
        table.add_column(name)
    for row in rows:
        table.add_row(
            escape(row["id"]),
            escape((row["title"] or "")[:MAX_TITLE_CHARS]),
            escape(row["date"] or ""),
            escape(row["source"] or ""),
            row["language"],
            escape(", ".join(row["credits"])),
            str(row["chars"]),
        )
    return table


def document_view(doc: Document) -> Iterator[tuple[str, str]]:
    """One document with its removed parts struck through and labelled, as markup pieces.

    Yields ``(markup, end)`` to print one by one: the original text is printed in pieces
    around its removed spans, each wrapped on its own, as the command always has.
    """
    yield f"[bold]{escape(doc.id)}[/bold]  v{doc.version}  {escape(doc.source_path)}", "\n"
    for label, value in (
        ("title", doc.title),
        ("date", doc.date),
        ("source", doc.source),
        ("byline", doc.byline),
        ("url", doc.url),
    ):
        if value:
            yield f"[dim]{label}:[/dim] {escape(value)}", "\n"
    yield (
        (
            f"[dim]language:[/dim] {doc.language}   [dim]credits:[/dim] "
            f"{escape(', '.join(doc.credits) or 'none')}   [dim]sentences:[/dim] "
            f"{len(doc.sentences)}"
        ),
        "\n",
    )
    yield "", "\n"
    pos = 0
    for span in doc.removed:
        yield escape(doc.original[pos : span.start]), ""
        # The label goes first, so a removed line reads "[counter]177" on plain output too.
        yield (
            (
                f"[yellow]{escape(f'[{span.kind}]')}[/yellow]"
                f"[strike dim]{escape(doc.original[span.start : span.end])}[/strike dim]"
            ),
            "",
        )
        pos = span.end
    yield escape(doc.original[pos:]), "\n"


def rejected_lines(ledger: Sequence[Mapping[str, Any]]) -> list[str]:
    """One line per rejected input unit of the ledger: run, unit, reason."""
    return [
        f"run {row['run_id']}  {escape(row['unit'])}: {escape(row['reason'] or '')}"
        for row in ledger
        if row["status"] == "rejected"
    ]


def mended_lines(ledger: Sequence[Mapping[str, Any]]) -> list[str]:
    """One line per stored unit whose text was repaired: run, unit, status, what was done."""
    return [
        f"run {row['run_id']}  {escape(row['unit'])} ({row['status']}): "
        f"{escape('; '.join(row['notes']))}"
        for row in ledger
        if row["status"] != "rejected" and row["notes"]
    ]


def pairs_table(verdicts: Sequence[PairVerdict]) -> Table:
    """One row per verdict: ids, type, coverage, direction, credit, similarity, passages.

    A ``story`` column (the story-level similarity) follows ``sim`` when some verdict
    has one; ``-`` marks a verdict without.
    """
    table = Table(box=None)
    # Ids are never cut (a cut id cannot be told apart or copied): they fold onto a
    # second line only where even their own width does not fit.
    width = _id_width(id_ for v in verdicts for id_ in (v.a, v.b))
    for side in ("a", "b"):
        table.add_column(side, overflow="fold", min_width=width)
    with_story = any(v.story_similarity is not None for v in verdicts)
    names = ["type", "cov a", "cov b", "direction", "credited", "sim"]
    names += ["story", "passages"] if with_story else ["passages"]
    for name in names:
        table.add_column(name)
    for v in verdicts:
        story = [_story_cell(v.story_similarity)] if with_story else []
        table.add_row(
            escape(v.a),
            escape(v.b),
            str(v.type),
            f"{v.coverage_a:.0%}",
            f"{v.coverage_b:.0%}",
            str(v.direction),
            "yes" if v.credited else "NO",
            f"{v.similarity:.2f}",
            *story,
            str(len(v.passages)),
        )
    return table


def _story_cell(value: float | None) -> str:
    """A story similarity in a table: two decimals, or ``-`` when not computed."""
    return "-" if value is None else f"{value:.2f}"


def story_list_lines(stories: Sequence[Story], titles: Mapping[str, str | None]) -> list[str]:
    """Each story with its size and representative, then its documents and their titles.

    Documents of one near-duplicate group are marked with the group's number.
    """
    lines = []
    for story in stories:
        rep_title = titles.get(story.representative) or ""
        lines.append(
            f"[bold]{story.id}[/bold]  {len(story.documents)} articles  "
            f"representative: {escape(story.representative)}  "
            f"{escape(rep_title[:MAX_TITLE_CHARS])}"
        )
        dup_of = {d: i for i, g in enumerate(story.duplicate_groups, 1) for d in g}
        for doc_id in story.documents:
            mark = (
                f"  [dim](near-duplicate group {dup_of[doc_id]})[/dim]" if doc_id in dup_of else ""
            )
            title = (titles.get(doc_id) or "")[:MAX_STORY_TITLE_CHARS]
            lines.append(f"  {escape(doc_id)}  {escape(title)}{mark}")
    return lines


def run_lines(runs: Sequence[Mapping[str, Any]]) -> list[str]:
    """One plain line per recorded run: id, command, start, inputs, settings changed.

    Plain text, never wrapped: the settings are JSON a reader may copy.
    """
    lines = []
    for run in runs:
        recorded = run["config"]
        settings = recorded.get("config")
        changed = changed_settings(settings) if settings is not None else None
        paths = " ".join(recorded.get("paths") or ()) or recorded.get("directory") or "-"
        shown = (
            "config: not recorded"
            if changed is None
            else "config: " + json.dumps(changed, ensure_ascii=False, sort_keys=True)
            if changed
            else "config: defaults"
        )
        lines.append(
            f"run {run['run_id']}  {run['command']}  {run['started_at']}  {paths}  {shown}"
        )
    return lines
