"""Screenshots of the web UI for the README: `make screenshots`.

Analyzes the bundled fictional corpus (examples/corpus) into a temporary store, serves it
on 127.0.0.1 and saves PNGs of each page type into docs/screenshots/, using Debian's
chromium (never a browser download).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from wiretrace.engines.ingest import ingest
from wiretrace.engines.local import detect
from wiretrace.server.app import create_app
from wiretrace.server.background import serve_in_thread
from wiretrace.store import open_store

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
VIEWPORT = {"width": 1360, "height": 900}


def analyze(db: Path) -> None:
    """Ingest and detect the example corpus into the store at ``db``."""
    with open_store(db) as store:
        ingest(store, [str(REPO / "examples" / "corpus")], command="analyze", workers=1)
        detect(store, workers=1)


def main() -> int:
    """Save one PNG per page type; exit 1 when chromium is missing."""
    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium not found: apt-get install chromium", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "examples.sqlite"
        analyze(db)
        with serve_in_thread(create_app(db)) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium)
            page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
            page.goto(base + "/")
            page.screenshot(path=OUT / "stories.png")
            page.click("#stories tbody tr:first-child a")
            page.screenshot(path=OUT / "story.png")
            page.locator("#facts").screenshot(path=OUT / "facts.png")
            page.goto(base + "/compare?a=wire_original&b=spun_rewrite")
            page.hover(".side-a .dv")
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=OUT / "compare.png")
            page.goto(base + "/documents?id=republish_edited")
            page.screenshot(path=OUT / "document.png", full_page=True)
            page.goto(base + "/trace")
            text = (REPO / "examples" / "corpus" / "republish_trimmed.txt").read_text("utf-8")
            page.fill("textarea[name=text]", text)
            page.click("form button[type=submit]")
            page.screenshot(path=OUT / "trace.png")
            browser.close()
    for png in sorted(OUT.glob("*.png")):
        print(f"wrote {png.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
