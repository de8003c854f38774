"""The static HTML report: every page written, every link resolves, only our scripts allowed."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from click.testing import CliRunner

from wiretrace.cli import main
from wiretrace.server.templating import asset, csp_hash


def test_report_links_resolve_and_csp_allows_only_the_inlined_assets(
    analyzed_examples: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    args = ["report", "--db", str(analyzed_examples), "--html", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "2 stories" in result.output
    pages = {p.name for p in out.glob("*.html")}
    assert "index.html" in pages and len(pages) > 30
    for page in out.glob("*.html"):
        html = page.read_text("utf-8")
        for href in re.findall(r'href="([^"]+)"', html):
            if href.startswith(("http://", "https://")):
                continue
            assert href in pages, f"{page.name} links to missing {href}"
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert csp is not None
        policy = html_lib.unescape(csp.group(1))
        assert csp_hash(asset("wiretrace.css")) in policy
        assert csp_hash(asset("wiretrace.js")) in policy
        assert "unsafe-inline" not in policy
        assert "/static/" not in html


def test_report_into_a_file_path_is_a_usage_error(analyzed_examples: Path, tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("x")
    args = ["report", "--db", str(analyzed_examples), "--html", str(target)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "expected a folder" in result.output
