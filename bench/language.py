"""Language detection: how often the bundled lite model misreads a text, cased and lowercased.

- ``reuters``: the first 5,000 Reuters-21578 records whose sample has 100+ letters; all
  are English, so anything else (``und`` included) is a misread.
- ``semeval``: both texts of every SemEval-2022 Task 8 subset pair, against the pair's
  language labels (16 languages).

wiretrace reads the sample lowercased (:func:`wiretrace.segment.detect_language`); the
cased figures show what that changes.

Run: ``python -m bench.language [--limit N]`` (N records of each set).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from bench.table import cli
from wiretrace.segment import detect_language, language_sample

REUTERS = Path("data") / "reuters21578" / "articles.jsonl"
SEMEVAL = Path("data") / "semeval2022-task8-subset" / "part_a.jsonl"
REUTERS_RECORDS = 5000
MIN_LETTERS = 100


def reuters_texts(shared: Path, limit: int) -> Iterator[tuple[str, str]]:
    """(text, "en") of the first ``limit`` Reuters records with a sample of 100+ letters."""
    with open(shared / REUTERS, encoding="utf-8") as lines:
        for line in islice(lines, limit):
            text = json.loads(line).get("body") or ""
            if sum(ch.isalpha() for ch in language_sample(text)) >= MIN_LETTERS:
                yield text, "en"


def semeval_texts(shared: Path, limit: int | None) -> Iterator[tuple[str, str]]:
    """(text, language label) of both sides of each SemEval pair with text."""
    with open(shared / SEMEVAL, encoding="utf-8") as lines:
        for line in islice(lines, limit):
            pair = json.loads(line)
            for side in ("1", "2"):
                if pair[f"text{side}"].strip():
                    yield pair[f"text{side}"], pair[f"lang{side}"]


def run(shared: Path, limit: int | None = None) -> dict:
    """Misread texts per set, cased and lowercased."""
    started = time.monotonic()
    sets = {
        "reuters": list(reuters_texts(shared, limit or REUTERS_RECORDS)),
        "semeval": list(semeval_texts(shared, limit)),
    }
    figures: dict = {}
    for name, texts in sets.items():
        figures[f"language_{name}_texts"] = len(texts)
        for label, lowercase in (("cased", False), ("lowercased", True)):
            wrong = sum(detect_language(t, lowercase) != lang for t, lang in texts)
            figures[f"language_{name}_misread_{label}"] = wrong
    figures["language_seconds"] = round(time.monotonic() - started, 2)
    return figures


if __name__ == "__main__":
    cli(run, "Language detection: misread texts, cased and lowercased")
