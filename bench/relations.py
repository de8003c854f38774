"""The expected relations of the seeds and of the example corpus, as a pass/fail table.

Seeds (``../shared/corpus/seeds``): the checks of the detection issue — one story of all
five, 000~003 reused with at least 12 aligned sentence pairs, the four other derived
pairs reported, every pair with 004 ``related`` or ``partial``, and 004's uncredited reuse
of the escalation sentence aligned. Examples (``examples/corpus``): every relation in
``examples/expected.json`` with an accepted type, the expected credit and direction,
no ``not_reuse`` pair reported, and the expected stories.

Figures: the share of checks that pass on each corpus (the gate pins both at 1.0).

Run: ``python -m bench.relations`` (prints every check).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.table import REPO, cli
from wiretrace.engines.ingest import ingest
from wiretrace.engines.local import detect
from wiretrace.model import Direction, PairVerdict, ReuseType
from wiretrace.store import SqliteStore, open_store

SEEDS = Path("corpus") / "seeds"
EXAMPLES = REPO / "examples"
DATA_FILES: tuple[str, ...] = ()
MIN_SEED_SENTENCE_PAIRS = 12
ESCALATION = "confrontation between Russia and China"


@dataclass(frozen=True)
class Check:
    """One expected relation and whether wiretrace's output has it."""

    corpus: str
    name: str
    passed: bool
    got: str


def _analyze(paths: list[Path], store_dir: Path) -> SqliteStore:
    store = open_store(store_dir / "relations.sqlite")
    ingest(store, [str(p) for p in paths], workers=1)
    detect(store, workers=1)
    return store


def _pair(store: SqliteStore, a: str, b: str) -> PairVerdict | None:
    return store.get_pair(a, b)


def _describe(verdict: PairVerdict | None) -> str:
    if verdict is None:
        return "not reported"
    pairs = sum(len(p.sentence_pairs) for p in verdict.passages)
    return (
        f"{verdict.type}, {verdict.direction}, credited={verdict.credited}, {pairs} sentence pairs"
    )


# Aligned sentence pairs the spun rewrite (001) must share with 000 and with 003.
MIN_SPUN_SENTENCE_PAIRS = 15


def seed_checks(store: SqliteStore) -> list[Check]:
    """The seed acceptance checks of the detection issue."""
    ids = {d["id"][:3]: d["id"] for d in store.document_summaries()}
    checks = []

    def pair(a: str, b: str) -> PairVerdict | None:
        return _pair(store, ids[a], ids[b])

    def add(name: str, passed: bool, got: str) -> None:
        checks.append(Check("seeds", name, passed, got))

    stories = [set(s.documents) for s in store.iter_stories()]
    add(
        "one story holds all five",
        set(ids.values()) in stories,
        "; ".join(str(len(s)) for s in stories) or "no story",
    )
    v = pair("000", "003")
    enough = v is not None and sum(len(p.sentence_pairs) for p in v.passages) >= (
        MIN_SEED_SENTENCE_PAIRS
    )
    add(
        "000~003 edited or partial, >= 12 aligned sentences",
        enough and v is not None and v.type in (ReuseType.EDITED, ReuseType.PARTIAL),
        _describe(v),
    )
    # The semantic issue's acceptance: the spun rewrite is a paraphrase with at least 15
    # aligned sentence pairs; the translation-derived version a paraphrase or translation.
    for a, b in (("000", "001"), ("001", "003")):
        v = pair(a, b)
        add(
            f"{a}~{b} paraphrase, >= {MIN_SPUN_SENTENCE_PAIRS} aligned sentences",
            v is not None
            and v.type == ReuseType.PARAPHRASE
            and sum(len(p.sentence_pairs) for p in v.passages) >= MIN_SPUN_SENTENCE_PAIRS,
            _describe(v),
        )
    for a, b in (("000", "002"), ("002", "003")):
        v = pair(a, b)
        add(
            f"{a}~{b} paraphrase or translation",
            v is not None and v.type in (ReuseType.PARAPHRASE, ReuseType.TRANSLATION),
            _describe(v),
        )
    for other in ("000", "001", "002", "003"):
        v = pair(other, "004")
        add(
            f"{other}~004 related or partial",
            v is not None and v.type in (ReuseType.RELATED, ReuseType.PARTIAL),
            _describe(v),
        )
    v = pair("000", "004")
    aligned = False
    if v is not None:
        doc_004 = store.get_document(ids["004"])
        side = "a" if v.a == ids["004"] else "b"
        aligned = any(
            ESCALATION in doc_004.text[getattr(p, side).start : getattr(p, side).end]
            for p in v.passages
        )
    add(
        "004's escalation sentence aligned, uncredited",
        aligned and v is not None and not v.credited,
        _describe(v),
    )
    return checks


def example_checks(store: SqliteStore) -> list[Check]:
    """The relations of ``examples/expected.json``."""
    expected = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))
    checks = []
    for rel in expected["pairs"]:
        v = _pair(store, rel["a"], rel["b"])
        name = f"{rel['a']}~{rel['b']} {'/'.join(rel['types'])}"
        ok = v is not None and str(v.type) in rel["types"] and v.credited == rel["credited"]
        wanted = rel.get("direction")
        if ok and v is not None and wanted in ("a->b", "b->a"):
            ok = v.origin == (rel["a"] if wanted == "a->b" else rel["b"])
        elif ok and v is not None and wanted == "common-source":
            # As tests/test_acceptance_examples.py: a note may allow one source besides
            # common-source ("may also infer x->y").
            alternative = re.search(r"infer (\w+)->(\w+)", rel["note"])
            ok = v.direction == Direction.COMMON_SOURCE or (
                alternative is not None and v.origin == alternative.group(1)
            )
        checks.append(Check("examples", name, ok, _describe(v)))
    for a, b in expected["not_reuse"]:
        v = _pair(store, a, b)
        checks.append(Check("examples", f"{a}~{b} not reported", v is None, _describe(v)))
    stories = sorted(sorted(s.documents) for s in store.iter_stories())
    for group in expected["stories"]:
        checks.append(
            Check(
                "examples",
                f"story of {len(group)}: {group[0]}…",
                sorted(group) in stories,
                f"{len(stories)} stories",
            )
        )
    return checks


def all_checks(shared: Path) -> list[Check]:
    """Every check on both corpora."""
    checks = []
    corpora: list[tuple[list[Path], Callable[[SqliteStore], list[Check]]]] = [
        ([shared / SEEDS], seed_checks),
        ([EXAMPLES / "corpus"], example_checks),
    ]
    for paths, run_checks in corpora:
        with tempfile.TemporaryDirectory(prefix="wiretrace-relations-") as tmp:
            store = _analyze(paths, Path(tmp))
            try:
                checks += run_checks(store)
            finally:
                store.close()
    return checks


def run(shared: Path, limit: int | None = None) -> dict[str, float]:
    """Share of passing checks per corpus (``limit`` is accepted and ignored)."""
    del limit
    checks = all_checks(shared)
    figures: dict[str, float] = {}
    for corpus in ("seeds", "examples"):
        mine = [c for c in checks if c.corpus == corpus]
        figures[f"relations_{corpus}_pass"] = round(sum(c.passed for c in mine) / len(mine), 4)
        figures[f"relations_{corpus}_num_checks"] = float(len(mine))
    return figures


def main() -> None:
    """Print every check, then the figures."""
    from bench.table import default_shared

    for check in all_checks(default_shared()):
        mark = "pass" if check.passed else "FAIL"
        print(f"{mark}  {check.corpus:8}  {check.name:60}  {check.got}")
    cli(run, "Expected relations: seeds and example corpus", [])


if __name__ == "__main__":
    main()
