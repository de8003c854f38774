"""The README's "Use from Python" examples run, and print what the README shows."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```(python|text)\n(.*?)```", re.DOTALL)


def section(title: str) -> str:
    """The README text from the heading ``## title`` to the next ``## `` heading."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def examples(title: str) -> list[tuple[str, str | None]]:
    """Each ``python`` block of a section with the ``text`` block right after it (its output)."""
    blocks = BLOCK.findall(section(title))
    pairs = []
    for i, (kind, code) in enumerate(blocks):
        if kind != "python":
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        pairs.append((code, following[1] if following and following[0] == "text" else None))
    return pairs


def test_the_python_section_has_examples_with_their_output() -> None:
    found = examples("Use from Python")
    assert len(found) >= 3
    assert all(output is not None for _, output in found)


def test_the_python_examples_run_and_print_what_the_readme_shows(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "readme"}
    for code, expected in examples("Use from Python"):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, str(README), "exec"), namespace)  # our own README's code
        if expected is not None:
            assert printed.getvalue() == expected, code


@pytest.mark.parametrize("key", ["align.nope", "classify.edited_min_coverage"])
def test_the_configuration_section_names_real_keys(key: str) -> None:
    from wiretrace.config import valid_keys

    text = section("Configuration")
    assert key in text
    if key != "align.nope":
        assert key in valid_keys()
