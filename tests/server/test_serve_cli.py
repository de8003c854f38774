"""`wiretrace serve` from the command line: who may bind what, tokens, hosts, --set."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiretrace.cli import main
from wiretrace.server.background import LOOPBACK, free_port

TOKEN = "a-test-token-of-enough-length"


def test_binding_every_interface_needs_allow_remote(analyzed_examples: Path) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--db", str(analyzed_examples), "--host", "0.0.0.0"]
    )
    assert result.exit_code == 2
    assert "--allow-remote" in result.output


def test_an_unknown_setting_is_a_usage_error_listing_the_valid_keys(
    analyzed_examples: Path,
) -> None:
    result = CliRunner().invoke(
        main, ["--set", "align.nope=1", "serve", "--db", str(analyzed_examples)]
    )
    assert result.exit_code == 2
    assert "align." in result.output and "nope" in result.output


def _status(port: int, path: str, headers: dict[str, str]) -> int:
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.fixture
def served(analyzed_examples: Path, tmp_path: Path) -> Iterator[int]:
    port = free_port()
    command = [sys.executable, "-m", "wiretrace.cli", "serve", "--db", str(analyzed_examples)]
    with (tmp_path / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--token", TOKEN, "--semantic", "off"],
            stdout=log,
            stderr=log,
        )
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _status(port, "/api/health", bearer) == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_token_is_required_and_foreign_host_names_are_refused(served: int) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert _status(served, "/api/stories", bearer) == 200
    assert _status(served, "/api/stories", {}) == 401
    assert _status(served, "/api/stories", {"Authorization": "Bearer wrong-token-xxxxxxx"}) == 401
    # DNS rebinding: a page of attacker.example that resolves to 127.0.0.1.
    assert _status(served, "/api/stories", {**bearer, "Host": "attacker.example"}) == 400
    assert _status(served, "/api/stories", {**bearer, "Host": f"localhost:{served}"}) == 200


def test_serve_loads_the_trace_index_before_the_first_trace(analyzed_examples: Path) -> None:
    from wiretrace.engines import local
    from wiretrace.server.app import ServerSettings, create_app

    local._stored_indexes.clear()
    create_app(analyzed_examples, ServerSettings(semantic="off", warm_up=True))
    deadline = time.monotonic() + 60
    while str(analyzed_examples.resolve()) not in local._stored_indexes:
        assert time.monotonic() < deadline, "the index was not loaded in the background"
        time.sleep(0.1)
    local._stored_indexes.clear()
