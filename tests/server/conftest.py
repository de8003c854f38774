"""Fixtures for the web server tests: analyzed stores, a live server, a browser."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import analyze_into


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory, seeds: Path) -> Path:
    """The five seed articles, analyzed."""
    return analyze_into(tmp_path_factory.mktemp("seeds") / "seeds.sqlite", seeds)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium (the Makefile installs it); a missing browser fails, never skips."""
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("chromium not found on PATH: run `make test` (it apt-installs chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    """One headless chromium for the session, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path)
        yield browser
        browser.close()
