"""Translations hidden among Reuters records: are they found, and typed ``translation``?

The set (``bench/data/translations/articles.jsonl``, described in its README) is 30
Reuters-style English stories of our own, each with our own translation into French,
German or Spanish (10 each). The 60 texts are mixed into the first ``limit`` Reuters-21578
records (default 3,000; empty bodies skipped; read from ``../shared/data``, never copied),
and the whole file is analysed through the same CLI a user runs (``wiretrace analyze
--semantic auto``; ``--semantic all`` with the option of the same name).

Figures:

- ``translations_recall``: share of the 30 English~translation pairs typed ``translation``.
- ``translations_found_any``: share of them reported with any verdict.
- ``translations_num_false_cross_language``: reported pairs of two languages that are not
  one of the 30 (Reuters records count as English, the set's texts as their ``lang``).
- ``translations_num_false_translation``: pairs typed ``translation`` that are not one of
  the 30, whatever their languages.
- ``translations_seconds``: wall time of the analysis.

With ``--semantic all`` the names read ``translations_all_…``.

Run: ``python -m bench.translations [--limit 3000] [--semantic auto|all]`` (also prints
every pair of the set and every false cross-language pair).
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.table import REPO

SET = REPO / "bench" / "data" / "translations" / "articles.jsonl"
REUTERS = Path("data") / "reuters21578" / "articles.jsonl"
# "A few thousand Reuters records" (issue 14); the first ones, as the other samples.
DEFAULT_LIMIT = 3000
# The Reuters records keep their ``newid`` as id; the set's ids (``t01_en``) cannot clash.
REUTERS_LANGUAGE = "en"


@dataclass(frozen=True)
class Outcome:
    """What ``analyze`` made of the records, the set's pairs and the false pairs."""

    pairs: dict[str, str | None]  # set pair (``t01``) -> verdict type, None when not reported
    detail: dict[str, str]  # set pair -> a one-line description of the verdict
    false_pairs: list[tuple[str, str, str]]  # (a, b, type): cross-language, not of the set
    num_false_translation: int
    num_documents: int
    seconds: float


def read_set(path: Path = SET) -> list[dict]:
    """The 60 texts of the set, one dict per line."""
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def read_reuters(shared: Path, limit: int) -> list[dict]:
    """The first ``limit`` Reuters records with a body, in the set's field names."""
    out = []
    with (shared / REUTERS).open(encoding="utf-8") as lines:
        for line in lines:
            if len(out) >= limit:
                break
            record = json.loads(line)
            if not (record.get("body") or "").strip():
                continue
            out.append(
                {
                    "id": str(record["newid"]),
                    "title": record.get("title") or "",
                    "date": record.get("date") or "",
                    "text": record["body"],
                }
            )
    return out


def _analyze(records: list[dict], semantic: str) -> tuple[dict, float]:
    """``wiretrace analyze --json`` of ``records`` and its wall time in seconds."""
    from click.testing import CliRunner

    from wiretrace.cli import main

    with tempfile.TemporaryDirectory(prefix="wiretrace-translations-") as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
        args = [
            "analyze", str(path), "--text-field", "text", "--id-field", "id",
            "--title-field", "title", "--date-field", "date", "--semantic", semantic,
            "--workers", "1",
            "--db", str(Path(tmp) / "w.sqlite"), "--json", str(Path(tmp) / "out.json"),
        ]  # fmt: skip
        started = time.monotonic()
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        seconds = time.monotonic() - started
        if result.exit_code not in (0, 3):
            raise RuntimeError(f"analyze failed: {result.output[-500:]}")
        return json.loads((Path(tmp) / "out.json").read_text("utf-8")), seconds


def _describe(pair: dict | None, languages: str) -> str:
    """Verdict, passages and detected languages of one pair, on one line."""
    if pair is None:
        return f"not reported; detected {languages}"
    passages = pair.get("passages") or []
    kinds = sorted({str(p.get("kind")) for p in passages})
    reasons = "; ".join(pair.get("reasons") or [])
    return (
        f"{pair['type']}, {len(passages)} passages ({', '.join(kinds) or 'none'}); "
        f"detected {languages}; {reasons}"
    )


def evaluate(shared: Path, limit: int | None = None, semantic: str = "auto") -> Outcome:
    """Analyse the Reuters records with the set hidden among them."""
    texts = read_set()
    records = read_reuters(shared, DEFAULT_LIMIT if limit is None else limit) + texts
    language = {r["id"]: REUTERS_LANGUAGE for r in records}
    language.update({t["id"]: t["lang"] for t in texts})
    expected = {
        frozenset(t["id"] for t in texts if t["pair"] == name): name
        for name in sorted({t["pair"] for t in texts})
    }
    output, seconds = _analyze(records, semantic)
    reported = {frozenset((p["a"], p["b"])): p for p in output["pairs"]}
    detected = {d["id"]: d.get("language") for d in output["documents"]}
    pairs: dict[str, str | None] = {}
    detail = {}
    for key, name in expected.items():
        found = reported.get(key)
        pairs[name] = found["type"] if found else None
        detail[name] = _describe(found, "/".join(str(detected.get(i)) for i in sorted(key)))
    false_pairs = []
    num_false_translation = 0
    for key, p in reported.items():
        if key in expected:
            continue
        num_false_translation += p["type"] == "translation"
        if language[p["a"]] != language[p["b"]]:
            false_pairs.append((p["a"], p["b"], p["type"]))
    return Outcome(pairs, detail, sorted(false_pairs), num_false_translation, len(records), seconds)


def figures_of(outcome: Outcome, semantic: str = "auto") -> dict[str, float]:
    """The flat figures of one run."""
    prefix = "translations" if semantic == "auto" else f"translations_{semantic}"
    total = len(outcome.pairs)
    typed = sum(t == "translation" for t in outcome.pairs.values())
    found = sum(t is not None for t in outcome.pairs.values())
    return {
        f"{prefix}_num_pairs": float(total),
        f"{prefix}_num_documents": float(outcome.num_documents),
        f"{prefix}_recall": round(typed / total, 4),
        f"{prefix}_found_any": round(found / total, 4),
        f"{prefix}_num_false_cross_language": float(len(outcome.false_pairs)),
        f"{prefix}_num_false_translation": float(outcome.num_false_translation),
        f"{prefix}_seconds": round(outcome.seconds, 1),
    }


def run(shared: Path, limit: int | None = None, semantic: str = "auto") -> dict[str, float]:
    """The figures of the set hidden among the first ``limit`` Reuters records."""
    return figures_of(evaluate(shared, limit, semantic), semantic)


def main() -> None:
    """Print every pair of the set, the false cross-language pairs, then the figures."""
    import argparse

    from bench.table import default_shared, format_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared(), help="../shared folder")
    parser.add_argument("--limit", type=int, default=None, help="Reuters records (3000)")
    parser.add_argument("--semantic", choices=("auto", "all"), default="auto")
    args = parser.parse_args()
    outcome = evaluate(args.shared, args.limit, args.semantic)
    languages = {t["pair"]: t["lang"] for t in read_set() if t["lang"] != "en"}
    for name, verdict in outcome.pairs.items():
        mark = "pass" if verdict == "translation" else "MISS"
        print(f"{mark}  {name} en~{languages[name]}  {outcome.detail[name]}")
    for a, b, kind in outcome.false_pairs:
        print(f"false cross-language pair  {a}~{b}  {kind}")
    print()
    title = f"Translations among Reuters records (semantic {args.semantic})"
    print(format_table(figures_of(outcome, args.semantic), title))


if __name__ == "__main__":
    main()
