"""XSS probe: hostile titles, texts, bylines, URLs and ids on every page and in the report.

Articles carry script tags, event handlers, ``javascript:`` links and template syntax. Every
page type of the server and every file of the static report is opened in chromium: no
script of theirs runs (no dialog, no global set) and no element of theirs exists.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.browser import screenshot_on_failure
from tests.server.conftest import analyze_into
from wiretrace.report.html import write_html_report
from wiretrace.server.app import create_app
from wiretrace.server.background import serve_in_thread
from wiretrace.store import open_store

pytestmark = pytest.mark.slow

SCRIPT = "<script>window.__xss = 1; alert('xss')</script>"
HANDLER = '<img src=x onerror="window.__xss = 2; alert(2)">'
SVG = '<svg onload="window.__xss = 3"></svg>'
BREAKOUT = '"><script>window.__xss = 4</script><a href="javascript:window.__xss=5">'
TEMPLATE = "{{ 7*7 }} {% for x in range(3) %}loop{% endfor %} ${7*7}"
JS_URL = "javascript:window.__xss=6//http://example.org"
# A fictional report long enough for detection to pair the two hostile copies.
BODY = (
    "The harbour council of Tessvik voted on Thursday to rebuild the old grain pier, "
    "a project the mayor said would cost 14 million crowns and take three years. "
    "Engineers from the Tessvik Port Authority told the council that the pier's oak "
    "piles had rotted below the waterline and that two cranes had been withdrawn. "
    "The plan adds a ferry berth, a cold store for the fishing fleet and a cycle path. "
    "Opponents said the money should go to the flood wall on the north shore instead. "
    "The council will publish the tender in May, and work is due to start in autumn."
)


def _hostile_records() -> list[dict]:
    payloads = f"{SCRIPT} {HANDLER} {SVG} {BREAKOUT} {TEMPLATE}"
    first = {
        "id": f"x1{HANDLER}",
        "title": f"Pier vote {SCRIPT}{TEMPLATE}",
        "text": f"{BODY}\n\n{payloads}\n\n{BODY}",
        "author": f"Reporter {BREAKOUT}",
        "url": JS_URL,
        "source": f"Tessvik {SVG}",
        "date": "2026-04-02",
    }
    second = {
        "id": 'x2"><script>window.__xss=7</script>',
        "title": f"{BREAKOUT} Pier rebuild approved",
        "text": f"{BODY} {SCRIPT}\n\n{BODY.replace('Thursday', 'Friday')} {TEMPLATE}",
        "author": HANDLER,
        "url": f"https://example.org/{BREAKOUT}",
        "source": SCRIPT,
        "date": "2026-04-03",
    }
    return [first, second]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xss")
    source = folder / "hostile.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in _hostile_records()), encoding="utf-8")
    db = analyze_into(folder / "hostile.sqlite", source)
    with open_store(db) as store:
        assert store.num_documents() == 2
        assert len(store.iter_stories()) == 1, "the hostile copies must form a story"
    return db


def _assert_inert(page: Any, dialogs: list[str], own_scripts: int) -> None:
    assert not dialogs, f"a dialog opened: {dialogs}"
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("script").count() == own_scripts
    injected = "img, iframe, object, embed, [onerror], [onload], [onclick], [onmouseover]"
    assert page.locator(injected).count() == 0
    assert page.locator("main svg[onload], main svg:not(.graph)").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0


def _visit(page: Any, url: str, dialogs: list[str], own_scripts: int, shots: Path) -> None:
    with screenshot_on_failure(page, shots, f"xss-{len(dialogs)}-{abs(hash(url))}"):
        page.goto(url)
        _assert_inert(page, dialogs, own_scripts)


@pytest.fixture
def watched_page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    yield page, dialogs
    context.close()


def test_no_page_of_the_server_runs_article_script(
    hostile_db: Path, watched_page: tuple[Any, list[str]], tmp_path: Path
) -> None:
    page, dialogs = watched_page
    with serve_in_thread(create_app(hostile_db)) as base:
        page.goto(base + "/")
        story_url = page.locator("#stories tbody a").first.get_attribute("href")
        urls = [base + "/", base + "/?q=pier+script", base + story_url]
        page.goto(base + story_url)
        urls += [
            base + h
            for h in page.locator("#pairs a").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
        ]
        urls += [
            base + h
            for h in page.locator("#timeline a").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
        ]
        assert any("/compare?" in u for u in urls) and any("/documents?" in u for u in urls)
        for url in urls:
            _visit(page, url, dialogs, 1, tmp_path)
        # The template syntax is shown as text, never evaluated.
        page.goto(base + "/documents?" + urls[-1].split("?", 1)[1])
        assert "{{ 7*7 }}" in page.inner_text("main")
        assert SCRIPT in page.inner_text("main")
        # The trace page renders hostile pasted text and results inertly too.
        page.goto(base + "/trace")
        page.fill("textarea[name=text]", _hostile_records()[0]["text"])
        page.fill("input[name=title]", SCRIPT)
        page.click("form button[type=submit]")
        _assert_inert(page, dialogs, 1)
        assert page.locator("#matches tbody tr").count() >= 1


def test_no_page_of_the_static_report_runs_article_script(
    hostile_db: Path, watched_page: tuple[Any, list[str]], tmp_path: Path
) -> None:
    page, dialogs = watched_page
    out = tmp_path / "report"
    with open_store(hostile_db) as store:
        summary = write_html_report(store, out)
    files = sorted(out.glob("*.html"))
    assert len(files) == summary.num_pages >= 5
    for file in files:
        _visit(page, file.as_uri(), dialogs, 1, tmp_path)
