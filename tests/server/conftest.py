"""Fixtures for the web server tests: a browser (the analyzed stores are in tests/conftest)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from wiretrace.engines.ingest import ingest
from wiretrace.engines.local import detect
from wiretrace.store import open_store

# The address in-process test clients send requests to. TestClient's own default host,
# ``testserver``, is not one the server answers to: the tests use a loopback name, as a
# browser on the serving machine does, so they run against the default allowed hosts.
LOCAL_URL = "http://127.0.0.1"


def local_client(app: FastAPI, **kwargs: object) -> TestClient:
    """A TestClient of ``app`` that requests it as ``http://127.0.0.1``."""
    return TestClient(app, base_url=LOCAL_URL, **kwargs)  # type: ignore[arg-type]


def analyze_into(db: Path, *paths: Path) -> Path:
    """Ingest and detect ``paths`` into a new store at ``db`` (one process: small inputs)."""
    with open_store(db) as store:
        ingest(store, [str(p) for p in paths], command="analyze", workers=1)
        detect(store, workers=1)
    return db


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


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page; the test fails on any JavaScript error it saw."""
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
