"""The sources pages in a real browser: the example corpus's outlets, and hostile names.

Drives Debian's chromium through Playwright against a live server on 127.0.0.1; a failure
saves a screenshot into the test's tmp folder and names it in the message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.browser import screenshot_on_failure
from tests.server.conftest import analyze_into
from tests.server.test_xss import SCRIPT, _assert_inert, _hostile_records
from wiretrace.server.app import create_app
from wiretrace.server.background import serve_in_thread

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def examples_server(analyzed_examples: Path) -> Iterator[str]:
    with serve_in_thread(create_app(analyzed_examples)) as base:
        yield base


def test_sources_page_to_outlet_to_comparison(
    examples_server: str, page: Any, tmp_path: Path
) -> None:
    with screenshot_on_failure(page, tmp_path, "sources"):
        page.goto(examples_server + "/")
        page.locator("header nav a", has_text="Sources").click()
        page.wait_for_url("**/sources")
        view = json.loads(page.request.get(examples_server + "/api/sources").text())
        graph = page.locator("svg.sources-graph")
        assert graph.is_visible()
        assert graph.locator("path.flow").count() == len(view["edges"]) > 0
        assert graph.locator("circle.node").count() == len(view["graph"]["nodes"])
        # Width and colour are the curve's own: the wire's credited republications are
        # drawn green, the spin that credits nothing red.
        credited = graph.locator("path.flow").filter(has_text="Meridian Press → Harbourline")
        uncredited = graph.locator("path.flow").filter(has_text="Meridian Press → TrendPulse")
        green = credited.evaluate("p => getComputedStyle(p).stroke")
        red = uncredited.evaluate("p => getComputedStyle(p).stroke")
        assert green != red
        g, r = (tuple(int(x) for x in c[4:-1].split(",")) for c in (green, red))
        assert g[1] > g[0] and r[0] > r[1]
        rows = page.locator("#sources tbody tr")
        assert rows.count() == len(view["sources"]) == 15
        rows.filter(has_text="TrendPulse Buzz").locator("a").first.click()
    with screenshot_on_failure(page, tmp_path, "source"):
        page.wait_for_url("**/sources/TrendPulse%20Buzz")
        assert page.locator("h1").inner_text() == "TrendPulse Buzz"
        assert page.locator("#reuses tbody tr.r-reused").count() == 7
        assert page.locator("#summary").inner_text().count("1 article") >= 1
        page.locator("#reuses a[href='/compare?a=spun_rewrite&b=wire_original']").click()
    with screenshot_on_failure(page, tmp_path, "compare"):
        page.wait_for_url("**/compare?*")
        assert page.locator(".side-a mark[data-p]").count() >= 1
        assert page.locator(".verdict .badge.t-paraphrase").count() == 1


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sources-xss")
    source = folder / "hostile.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in _hostile_records()), encoding="utf-8")
    return analyze_into(folder / "hostile.sqlite", source)


def test_hostile_outlet_names_stay_text(hostile_db: Path, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    server = serve_in_thread(create_app(hostile_db))
    with server as base, screenshot_on_failure(page, tmp_path, "hostile-sources"):
        page.goto(base + "/sources")
        _assert_inert(page, dialogs, 1)
        assert SCRIPT in page.inner_text("#sources")
        links = page.locator("#sources tbody a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        assert len(links) == 2
        for link in links:
            page.goto(base + link)
            _assert_inert(page, dialogs, 1)
            assert page.locator("#reuses tbody tr").count() >= 1
    context.close()
