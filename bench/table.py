"""The command line shared by the quality evaluations: ``--shared``, ``--limit``, a table."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def default_shared() -> Path:
    """``$WIRETRACE_SHARED`` or the ``shared`` folder beside the repository."""
    return Path(os.environ.get("WIRETRACE_SHARED", REPO.parent / "shared")).resolve()


def format_value(value: object, name: str = "") -> str:
    """Floats with 4 decimals; counts (``num_`` figures, whole numbers above 1) without."""
    if isinstance(value, float) and value.is_integer() and (abs(value) > 1 or "num_" in name):
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def format_table(figures: Mapping[str, object], title: str = "") -> str:
    """A two-column plain-text table of named figures."""
    width = max((len(k) for k in figures), default=6)
    lines = [title] if title else []
    lines.append(f"{'figure'.ljust(width)}  value")
    lines.append(f"{'-' * width}  {'-' * 10}")
    lines += [f"{name.ljust(width)}  {format_value(v, name)}" for name, v in figures.items()]
    return "\n".join(lines)


def cli(
    run: Callable[..., Mapping[str, object]], title: str, argv: list[str] | None = None
) -> Mapping[str, object]:
    """Parse ``--shared`` and ``--limit``, run the evaluation, print its table."""
    parser = argparse.ArgumentParser(description=title)
    parser.add_argument("--shared", type=Path, default=default_shared(), help="../shared folder")
    parser.add_argument("--limit", type=int, default=None, help="evaluate only the first N items")
    args = parser.parse_args(argv)
    figures = run(args.shared, limit=args.limit)
    print(format_table(figures, title))
    return figures
