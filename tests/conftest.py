"""Shared fixtures: where ../shared lives, and the example corpus.

Tests that need ``../shared`` (the seeds and the evaluation data) skip with a reason on a
machine without it, unless ``WIRETRACE_REQUIRE_SHARED=1`` (set by ``.ci/run``), where its
absence is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "corpus"


def _shared_dir() -> Path:
    return Path(os.environ.get("WIRETRACE_SHARED", REPO.parent / "shared")).resolve()


# The pytest-xdist workers start with COLUMNS=80 and LINES=24 in their environment (set
# on their way up, not by the user), which would give the CLI's piped output a terminal's
# width; each worker gets the environment of the run that started it instead.
_TERMINAL_VARIABLES = ("COLUMNS", "LINES")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist, in the run that starts the workers: pass them its terminal variables."""
    node.workerinput["terminal_environ"] = {k: os.environ.get(k) for k in _TERMINAL_VARIABLES}


def pytest_configure(config: pytest.Config) -> None:
    """In a pytest-xdist worker: the terminal variables of the run that started it, and
    its share of the cores for the sentence encoders."""
    workerinput = getattr(config, "workerinput", {})
    for key, value in workerinput.get("terminal_environ", {}).items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    if "workercount" in workerinput:
        _share_cores_among_workers(int(workerinput["workercount"]))


def _share_cores_among_workers(num_workers: int) -> None:
    """Encoder threads per worker: the cores divided among the workers, unless the run
    sets WIRETRACE_ENCODER_THREADS itself.

    By default each encoder takes every core, so two workers on two cores ran four
    threads, and torch and BLAS threads that wait on each other at every layer lose their
    turn to the other worker's: measured on a busy two-core machine with the planted
    gate's sentences, one thread encoded MiniLM 1.7x and USE 4x faster than two
    (1,500 MiniLM sentences 17.0 s against 28.6 s, 3,000 USE sentences 5.9 s against
    25.1 s), with bit-identical vectors.
    """
    from wiretrace.semantic.encoders import THREADS_ENV

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    os.environ.setdefault(THREADS_ENV, str(max(1, cores // max(num_workers, 1))))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``make test`` runs ``-n 2 --dist loadgroup``): each test module
    runs whole on one worker (its module fixtures are built once), each evaluation of the
    quality gate on its own, and the longest first, so that the two cores finish together.
    A run without xdist keeps pytest's order."""
    if not hasattr(config, "workerinput"):
        return

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("gate") is not None:
            return 0
        return 1 if item.get_closest_marker("slow") is not None else 2

    items.sort(key=rank)  # stable: the gate's groups keep their order, the rest theirs
    for item in items:
        gate = item.get_closest_marker("gate")
        group = f"gate:{gate.args[0]}" if gate is not None else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder; skips (or fails under WIRETRACE_REQUIRE_SHARED=1) if absent."""
    path = _shared_dir()
    if not (path / "corpus" / "seeds").is_dir():
        message = f"../shared not found at {path} (set WIRETRACE_SHARED to its location)"
        if os.environ.get("WIRETRACE_REQUIRE_SHARED") == "1":
            pytest.fail(message + "; WIRETRACE_REQUIRE_SHARED=1 requires it")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def seeds(shared: Path) -> Path:
    """The five seed articles."""
    return shared / "corpus" / "seeds"


@pytest.fixture(scope="session")
def examples() -> Path:
    """The project's own fictional example corpus."""
    return EXAMPLES


def _analyze(paths: list[Path], db: Path) -> Path:
    from wiretrace.engines.ingest import ingest
    from wiretrace.engines.local import detect
    from wiretrace.store import open_store

    with open_store(db) as store:
        ingest(store, [str(p) for p in paths], workers=1)
        detect(store, workers=1)
    return db


@pytest.fixture(scope="session")
def analyzed_seeds(tmp_path_factory: pytest.TempPathFactory, seeds: Path) -> Path:
    """A store of the analyzed seeds, shared by the tests that only read it.

    Analysis runs the semantic layer where its models are installed (about a minute on
    two cores for the seeds), so it runs once per session.
    """
    return _analyze([seeds], tmp_path_factory.mktemp("analyzed_seeds") / "seeds.sqlite")


@pytest.fixture(scope="session")
def analyzed_examples(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> Path:
    """A store of the analyzed example corpus, shared by the tests that only read it."""
    return _analyze([examples], tmp_path_factory.mktemp("analyzed_examples") / "ex.sqlite")


class SmallDisk:
    """A tmpfs of a few MiB, to make writes fail with ENOSPC ("No space left on device")."""

    def __init__(self, path: Path, size_kib: int) -> None:
        self.path = path
        self.size_kib = size_kib

    def resize(self, size_kib: int) -> None:
        """Grow (or shrink, down to what is used) the file system: frees space without deleting."""
        subprocess.run(
            ["mount", "-o", f"remount,size={size_kib}k", str(self.path)],
            check=True,
            capture_output=True,
        )
        self.size_kib = size_kib


SMALL_DISK_KIB = 1024


def _skip_or_fail(message: str) -> None:
    """Skip where the machine cannot do it; in CI (which runs as root) a skip would hide
    an untested guarantee, so fail there."""
    if os.environ.get("WIRETRACE_REQUIRE_SHARED") == "1":
        pytest.fail(message + "; CI (WIRETRACE_REQUIRE_SHARED=1) must run the disk-full tests")
    pytest.skip(message)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    """A 1 MiB tmpfs mounted under ``tmp_path``, unmounted afterwards.

    Mounting needs root and a system that allows it (a container may forbid it even to
    root); the test skips with the reason where it cannot be set up.
    """
    if shutil.which("mount") is None or os.geteuid() != 0:
        _skip_or_fail("a small tmpfs for disk-full tests needs root and mount(8)")
    path = tmp_path / "small-disk"
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SMALL_DISK_KIB}k", "tmpfs", str(path)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        _skip_or_fail(f"cannot mount a tmpfs here (disk-full tests): {mounted.stderr.strip()}")
    try:
        yield SmallDisk(path, SMALL_DISK_KIB)
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)
