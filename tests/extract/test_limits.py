"""The per-document time limit: work that runs too long becomes an input error."""

from __future__ import annotations

import contextlib
import signal
import threading
import time

import pytest

from wiretrace.errors import InputError
from wiretrace.extract.limits import holding_handler, time_limit

# How long the busy work would run: a limit of 0.1-0.2 s must break it off well before.
WORK_S = 5


def _spin(seconds: float) -> None:
    """Busy work that, like some parsers, swallows ordinary exceptions."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            sum(range(1000))


def test_work_over_the_limit_is_an_input_error_naming_the_input_and_the_work():
    started = time.monotonic()
    expected = r"big\.jsonl#L3: segmenting took longer than 0\.2 s"
    with pytest.raises(InputError, match=expected), time_limit(0.2, "big.jsonl#L3", "segmenting"):
        _spin(WORK_S)
    assert time.monotonic() - started < WORK_S  # broken off, not waited for


def test_work_within_the_limit_is_untouched_and_leaves_no_timer():
    with time_limit(5, "a.txt", "segmenting"):
        value = sum(range(100))
    assert value == 4950
    import signal

    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_outside_the_main_thread_there_is_no_limit():
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with time_limit(0.05, "a.txt", "segmenting"):
                _spin(0.2)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert errors == []


def test_the_limit_never_breaks_off_an_import(tmp_path, monkeypatch):
    # A module whose import outlasts the limit: it must be imported whole, and the limit
    # strike as soon as the import is done.
    (tmp_path / "slow_module_for_limits.py").write_text(
        "import time\n"
        "deadline = time.monotonic() + 0.4\n"
        "while time.monotonic() < deadline:\n"
        "    pass\n"
        "COMPLETE = True\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    started = time.monotonic()
    with (
        pytest.raises(InputError, match="took longer than 0.1 s"),
        time_limit(0.1, "a.txt", "segmenting"),
    ):
        import slow_module_for_limits  # noqa: F401

        _spin(WORK_S)
    assert time.monotonic() - started < WORK_S  # broken off, not waited for
    import sys

    assert sys.modules["slow_module_for_limits"].COMPLETE
    del sys.modules["slow_module_for_limits"]


def test_a_held_handler_still_limits_each_block_and_is_restored_after():
    before = signal.getsignal(signal.SIGALRM)
    with holding_handler():
        with time_limit(5, "a.txt", "segmenting"):
            pass
        with (
            pytest.raises(InputError, match="b.txt: segmenting"),
            time_limit(0.1, "b.txt", "segmenting"),
        ):
            _spin(WORK_S)
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == before
