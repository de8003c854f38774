"""A browser on a server with a token: one visit with ``?token=``, then the cookie.

Drives Debian's chromium through Playwright against a live server on 127.0.0.1; a failure
saves a screenshot into the test's tmp folder and names it in the message.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.browser import screenshot_on_failure
from wiretrace.server.access import TOKEN_COOKIE, new_token
from wiretrace.server.app import ServerSettings, create_app
from wiretrace.server.background import serve_in_thread

pytestmark = pytest.mark.slow

TOKEN = new_token()


@pytest.fixture(scope="module")
def token_server(analyzed_examples: Path) -> Iterator[str]:
    with serve_in_thread(create_app(analyzed_examples, ServerSettings(token=TOKEN))) as base:
        yield base


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    yield context
    context.close()


def test_the_token_link_opens_the_ui_and_leaves_the_address(
    token_server: str, context: Any, tmp_path: Path
) -> None:
    page = context.new_page()
    with screenshot_on_failure(page, tmp_path, "token-visit"):
        page.goto(f"{token_server}/?token={TOKEN}")
        assert page.url == token_server + "/"
        assert page.locator("#stories tbody tr").count() >= 2
        # The cookie is there for the server, and out of reach of any script.
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies[TOKEN_COOKIE]["httpOnly"] is True
        assert cookies[TOKEN_COOKIE]["sameSite"] == "Strict"
        assert TOKEN not in page.evaluate("document.cookie")
        page.locator("#stories tbody a").first.click()
        page.wait_for_url("**/stories/*")
        assert page.locator("svg.graph circle.node").count() >= 2
        # The JSON twin opens with the same cookie.
        json_url = page.locator("a.json").get_attribute("href")
        response = page.goto(token_server + json_url)
        assert response is not None and response.status == 200


def test_without_the_token_the_browser_gets_the_401_page(
    token_server: str, context: Any, tmp_path: Path
) -> None:
    page = context.new_page()
    with screenshot_on_failure(page, tmp_path, "no-token"):
        response = page.goto(token_server + "/")
        assert response is not None and response.status == 401
        assert "Token required" in page.inner_text("h1")
        response = page.goto(f"{token_server}/?token=wrong-{TOKEN}")
        assert response is not None and response.status == 401
        assert context.cookies() == []
