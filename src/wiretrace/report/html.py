"""The static HTML report: the web UI's pages as files that open from disk.

Same templates and records as the server (:mod:`wiretrace.server.templating`,
:mod:`wiretrace.report.views`); CSS and JavaScript are inlined, and a Content-Security-Policy
allows exactly those two inline blocks (by hash), so no other script can run even if an
article smuggled one past the escaping.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from wiretrace.errors import ConfigError
from wiretrace.report import sources, views
from wiretrace.server.templating import (
    Page,
    ReportLinks,
    asset,
    compare_segments,
    csp_hash,
    document_segments,
    make_environment,
)

if TYPE_CHECKING:
    from wiretrace.store import SqliteStore


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What :func:`write_html_report` wrote."""

    num_pages: int
    num_stories: int
    num_comparisons: int
    num_documents: int
    num_sources: int = 0


def write_html_report(store: SqliteStore, out_dir: str | Path) -> ReportSummary:
    """Write ``index.html``, ``sources.html`` and one page per story, outlet, pair and article.

    The report holds a page for every pair and article a story or an outlet's page lists.

    Args:
        store: the store to report on.
        out_dir: folder to write into (created; existing report files are overwritten).
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--html {out}: expected a folder, got a file; name a folder")
    out.mkdir(parents=True, exist_ok=True)
    css, js = asset("wiretrace.css"), asset("wiretrace.js")
    csp = (
        f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(js)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    links = ReportLinks()
    page = Page(links=links, inline_css=Markup(css), inline_js=Markup(js))
    env = make_environment()

    def write(name: str, template: str, **context: object) -> None:
        html = env.get_template(template).render(page=page, csp=csp, **context)
        (out / name).write_text(html, encoding="utf-8")

    listing = views.stories_view(store)
    write(links.stories(), "stories.html", view=listing)
    pages = 1
    compared: set[frozenset[str]] = set()
    members: set[str] = set()

    def write_compare(a: str, b: str) -> None:
        compare = views.compare_view(store, a, b)
        a_segments, b_segments = compare_segments(compare)
        write(
            links.compare(a, b),
            "compare.html",
            view=compare,
            a_segments=a_segments,
            b_segments=b_segments,
        )
        compared.add(frozenset((a, b)))

    def write_story(story_id: str) -> None:
        view = views.story_view(store, story_id)
        write(links.story(story_id), "story.html", view=view)
        members.update(view["story"]["documents"])
        for pair in view["pairs"]:
            write_compare(pair["a"], pair["b"])

    for story in listing["stories"]:
        write_story(story["id"])
    written = {story["id"] for story in listing["stories"]}
    outlets, outlet_pages = sources.all_source_views(store)
    write(links.sources(), "sources.html", view=outlets)
    for outlet in outlet_pages:
        write(links.source(outlet["source"]["name"]), "source.html", view=outlet)
        # A story past the stories list's limit still gets the page its outlet links to.
        for story in outlet["stories"]:
            if story["id"] not in written:
                write_story(story["id"])
                written.add(story["id"])
        for row in outlet["reuses"]:
            members.update((row["a"], row["b"]))
            if frozenset((row["a"], row["b"])) not in compared:
                write_compare(row["a"], row["b"])
    pages += len(written) + 1 + len(outlet_pages) + len(compared)
    for doc_id in sorted(members):
        view = views.document_view(store, doc_id)
        # Pairs with articles that have no page would link to pages the report lacks.
        view["pairs"] = [p for p in view["pairs"] if frozenset((p["a"], p["b"])) in compared]
        write(links.document(doc_id), "document.html", view=view, segments=document_segments(view))
        pages += 1
    return ReportSummary(
        pages, len(listing["stories"]), len(compared), len(members), len(outlet_pages)
    )
