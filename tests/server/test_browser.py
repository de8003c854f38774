"""Acceptance in a real browser: the seeds' story and its 000 vs 003 comparison.

Drives Debian's chromium through Playwright against a live server on 127.0.0.1; a failure
saves a screenshot into the test's tmp folder and names it in the message.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.browser import screenshot_on_failure
from wiretrace.server.app import create_app
from wiretrace.server.background import serve_in_thread

pytestmark = [pytest.mark.slow, pytest.mark.shared]

REUTERS_NIKKEI = "000_a73e34097e29851d"
REUTERS_STRAITS = "003_bc07cf1c3775fde8"


@pytest.fixture(scope="module")
def seeds_server(analyzed_seeds: Path) -> Iterator[str]:
    with serve_in_thread(create_app(analyzed_seeds)) as base:
        yield base


def test_stories_to_story_to_comparison(seeds_server: str, page: Any, tmp_path: Path) -> None:
    with screenshot_on_failure(page, tmp_path, "stories"):
        page.goto(seeds_server + "/")
        rows = page.locator("#stories tbody tr")
        assert rows.count() == 1
        assert rows.first.locator("td.num").inner_text() == "5"
        rows.first.locator("a").first.click()
    with screenshot_on_failure(page, tmp_path, "story"):
        page.wait_for_url("**/stories/*")
        assert page.locator("svg.graph circle.node").count() == 5
        assert page.locator("#timeline tbody tr").count() == 5
        page.locator("#pairs tbody tr", has_text=REUTERS_STRAITS).filter(
            has_text=REUTERS_NIKKEI
        ).locator("a", has_text="compare").click()
    with screenshot_on_failure(page, tmp_path, "compare"):
        page.wait_for_url("**/compare?*")
        left = page.locator(".side-a mark[data-p]")
        right = page.locator(".side-b mark[data-p]")
        assert left.count() >= 7 and right.count() >= 7
        assert page.locator(".side-a mark.k-verbatim").count() >= 1
        # Pointing at a sentence on the left lights up its counterpart on the right.
        number = left.first.get_attribute("data-p")
        left.first.hover()
        counterpart = page.locator(f".side-b mark[data-p='{number}']")
        assert "hot" in (counterpart.first.get_attribute("class") or "")
        assert page.locator(".verdict .badge.t-edited").count() == 1
        badges = page.locator(".divergences .badge.div")
        assert badges.count() >= 1, "no divergence badge on 000 vs 003"
        assert page.locator(".side .dv[data-d]").count() >= 1
