"""What ``wiretrace sources`` prints: the outlets table, who reuses whom, one outlet's reuses.

Rendered from the records of :mod:`wiretrace.report.sources` (the ``--json`` output and
the API answer are those records as they are).
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

# Edges listed under the outlets table at most (the --json output has all).
MAX_EDGE_LINES = 30
# Stories an outlet originated listed above its reuses at most (the --json output has all).
MAX_STORY_LINES = 10
# Characters of a title shown in a row of an outlet's reuses.
MAX_TITLE_CHARS = 48
ROLE_LABEL = {
    "reused": "took text",
    "reused_by": "text taken",
    "shared": "shared",
    "internal": "internal",
}


def _rate(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.0%}"


def _count(n: int) -> str:
    return f"{n:,}" if n else "·"


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def _kinds(kinds: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {k}" for k, n in kinds.items())


def sources_table(view: Mapping) -> Table:
    """One row per outlet: articles, stories first published, text taken and given.

    ``took text`` counts its articles that reused another outlet's text (``credited``:
    those crediting their source); ``taken by`` the other outlets' articles that reused
    its text; ``shared`` pairs with no known direction; ``internal`` pairs inside it.
    """
    table = Table(box=None, pad_edge=False)
    table.add_column("source", overflow="fold")
    columns = ("docs", "stories", "originated", "took text", "credited", "no credit", "credit")
    for name in columns:
        table.add_column(name, justify="right", no_wrap=True)
    for name in ("chars", "divergences", "taken by", "shared", "internal"):
        table.add_column(name, justify="right", no_wrap=True)
    for s in view["sources"]:
        table.add_row(
            escape(s["name"]),
            f"{s['num_documents']:,}",
            _count(s["num_stories"]),
            _count(s["num_stories_originated"]),
            _count(s["num_reusing_articles"]),
            _count(s["num_credited"]),
            _count(s["num_uncredited"]),
            _rate(s["credit_rate"]),
            _count(s["reused_chars"]),
            _count(s["num_divergences"]),
            _count(s["num_reused_by_others"]),
            _count(s["num_shared"]),
            _count(s["num_internal"]),
        )
    return table


def edge_lines(view: Mapping, limit: int = MAX_EDGE_LINES) -> list[str]:
    """Who reuses whom, most characters first: one line per (origin, reusing) outlet."""
    edges = view["edges"]
    if not edges:
        return ["no outlet reused another outlet's text (in a known direction)"]
    lines = ["who reuses whom (origin -> reusing outlet):"]
    for e in edges[:limit]:
        lines.append(
            f"  {escape(e['from'])} -> {escape(e['to'])}  {_plural(e['num_reuses'], 'pair')}, "
            f"{_rate(e['credit_rate'])} credited, {e['reused_chars']:,} chars, "
            f"{_plural(e['num_divergences'], 'divergence')}"
        )
    if len(edges) > limit:
        lines.append(f"  … {len(edges) - limit} more (--json lists all)")
    return lines


def summary_lines(view: Mapping) -> list[str]:
    """What the sources view counted, in two lines."""
    return [
        f"{_plural(view['num_sources'], 'source')}, {_plural(view['num_documents'], 'article')}, "
        f"{_plural(view['num_stories'], 'story', 'stories')} "
        f"({view['num_stories_without_origin']} without a known origin)",
        f"{_plural(view['num_reusing_articles'], 'article')} took another source's text "
        f"({view['num_credited_articles']} credited it) in {_plural(view['num_reuses'], 'pair')}; "
        f"{_plural(view['num_shared'], 'pair')} of two sources share text in no known "
        f"direction; {_plural(view['num_internal'], 'pair')} within one source",
    ]


def source_lines(view: Mapping, max_stories: int = MAX_STORY_LINES) -> list[str]:
    """The heading of one outlet's view: its counts, edges and originated stories."""
    s = view["source"]
    kinds = f" ({_kinds(s['divergence_kinds'])})" if s["divergence_kinds"] else ""
    lines = [
        f"[bold]{escape(s['name'])}[/bold]: {_plural(s['num_documents'], 'article')} in "
        f"{_plural(s['num_stories'], 'story', 'stories')}, first to publish "
        f"{s['num_stories_originated']}",
        f"  took other sources' text: {_plural(s['num_reusing_articles'], 'article')} "
        f"({s['num_credited']} credited, {s['num_uncredited']} not) in "
        f"{_plural(s['num_reuses'], 'pair')}; {s['reused_chars']:,} chars; "
        f"{_plural(s['num_divergences'], 'divergence')}{kinds}",
        f"  its text taken by {_plural(s['num_reused_by_others'], 'article')} of "
        f"{_plural(s['num_reusing_outlets'], 'other source')}, {s['reused_by_chars']:,} chars",
        f"  shared without a known direction: {_plural(s['num_shared'], 'pair')}; within "
        f"the source: {_plural(s['num_internal'], 'pair')}, {s['internal_chars']:,} chars, "
        f"{_plural(s['num_internal_divergences'], 'divergence')}",
    ]
    for e in view["edges"]:
        lines.append(
            f"  {escape(e['from'])} -> {escape(e['to'])}: {_plural(e['num_reuses'], 'pair')}, "
            f"{_rate(e['credit_rate'])} credited, {e['reused_chars']:,} chars"
        )
    for story in view["stories"][:max_stories]:
        lines.append(
            f"  first in {escape(story['id'])} ({story['size']} articles): "
            f"{escape(story['origin'])}  {escape((story['title'] or '')[:MAX_TITLE_CHARS])}"
        )
    if len(view["stories"]) > max_stories:
        lines.append(
            f"  … first in {len(view['stories']) - max_stories} more stories (--json lists all)"
        )
    return lines


def reuses_table(rows: list[dict]) -> Table:
    """One row per pair with reused text that involves the outlet, from its side."""
    table = Table(box=None, pad_edge=False)
    table.add_column("role", no_wrap=True)
    table.add_column("article", overflow="fold")
    table.add_column("other", overflow="fold")
    table.add_column("other source", overflow="fold")
    table.add_column("type", no_wrap=True)
    table.add_column("credited", no_wrap=True)
    for name in ("cov", "other cov", "chars", "div"):
        table.add_column(name, justify="right", no_wrap=True)
    for r in rows:
        table.add_row(
            ROLE_LABEL[r["role"]],
            escape(r["document"]),
            escape(r["other"]),
            escape(r["other_source"]),
            r["type"],
            "yes" if r["credited"] else "NO",
            f"{r['coverage']:.0%}",
            f"{r['other_coverage']:.0%}",
            f"{r['reused_chars']:,}",
            _count(r["num_divergences"]),
        )
    return table


def source_view_renderable(view: Mapping, limit: int) -> RenderableType:
    """One outlet: its counts, edges and originated stories, then its reuses (``limit``)."""
    rows = view["reuses"] if limit == 0 else view["reuses"][:limit]
    parts: list[RenderableType] = [Text.from_markup(line) for line in source_lines(view)]
    parts.append(Text(""))
    if rows:
        parts.append(reuses_table(rows))
    else:
        parts.append(Text("no pair with reused text involves this source"))
    return Group(*parts)
