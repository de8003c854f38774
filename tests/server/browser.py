"""Helpers for the browser tests: a live server on 127.0.0.1 and screenshots on failure."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def screenshot_on_failure(page: Any, folder: Path, name: str) -> Iterator[None]:
    """Re-raise any failure inside the block with a screenshot of ``page`` saved first."""
    try:
        yield
    except Exception as exc:
        folder.mkdir(parents=True, exist_ok=True)
        shot = folder / f"{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        raise AssertionError(f"{exc} (screenshot of {page.url}: {shot})") from exc
