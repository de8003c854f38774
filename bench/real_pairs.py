"""Verdicts on real wire pairs labelled by reading (bench/data/real_pairs.jsonl).

442 pairs of Reuters-21578 and BBC articles, each labelled ``duplicate``, ``edited``,
``partial`` (text reuse), ``related`` (one story, separately written), ``template`` (two
instances of one formula) or ``unrelated`` (bench/data/README.md is the labelling guide).
The texts are read from ``../shared/data``; the repository holds only ids and labels.

Each corpus is analysed whole, as a user analyses an archive (``analyze --source Reuters``
or ``--source BBC``, lexical layer unless ``--semantic`` says otherwise), and each
labelled pair is looked up:

- **reuse**: wiretrace calls the pair ``duplicate``, ``edited``, ``partial``,
  ``paraphrase`` or ``translation``; the truth is reuse for the first three labels.
  Precision, recall and F1, overall and for templates (how many are called reuse).
- **same story**: wiretrace relates the pair (any verdict) or puts both in one story; the
  truth is the four labels other than ``template`` and ``unrelated``. Accuracy.

Beside it, the near-duplicate baseline users reach for: datasketch MinHash of word
5-shingles (128 permutations), reuse and same story when the estimated Jaccard is at
least 0.5.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.peers import word_shingles
from bench.table import REPO

LABELS = REPO / "bench" / "data" / "real_pairs.jsonl"
REUSE_LABELS = frozenset({"duplicate", "edited", "partial"})
SAME_STORY_LABELS = REUSE_LABELS | {"related"}
REUSE_TYPES = frozenset({"duplicate", "edited", "partial", "paraphrase", "translation"})
CORPORA = {
    "reuters21578": ("body", "newid", "title", "date"),
    "bbc-news": ("text", "id", "title", None),
}
# The outlet of each archive, given as a user gives it (``--source``): the records name none.
SOURCES = {"reuters21578": "Reuters", "bbc-news": "BBC"}
# Articles analysed with the labelled ones: a user analyses an archive, not 400 pairs, and
# the corpus statistics (rare names, formula wording) need one. The whole of each corpus
# (19,777 Reuters records with a body, 2,225 BBC articles); about two minutes.
BACKGROUND = {"reuters21578": 30_000, "bbc-news": 3_000}
MINHASH_PERM = 128
MINHASH_THRESHOLD = 0.5
DATA = Path("data")


@dataclass(frozen=True)
class Labelled:
    """One labelled pair and what each method says of it."""

    corpus: str
    a: str
    b: str
    label: str
    reason: str
    verdict: str | None  # wiretrace's type, or None when it reports no relation
    same_story: bool  # wiretrace put both into one story
    minhash_jaccard: float


def read_labels(path: Path = LABELS) -> list[dict]:
    """The labelled pairs, one dict per line."""
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def corpus_records(shared: Path, corpus: str, ids: set[str], most: int | None = None) -> list[dict]:
    """The articles of ``corpus`` named in ``ids`` and its first ``most`` others with a text
    (``BACKGROUND``: all of them). Every evaluation that analyses a whole corpus gets the
    same records, so one analysis serves them all (:func:`analyze_records`)."""
    text_field, id_field, _, _ = CORPORA[corpus]
    most = BACKGROUND[corpus] if most is None else most
    out = []
    background = 0
    for line in (shared / DATA / corpus / "articles.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        if not record.get(text_field):
            continue
        if str(record[id_field]) in ids:
            out.append(record)
        elif background < most:
            out.append(record)
            background += 1
    return out


# The last analysis of each corpus: bench.divergence_real and bench.stories analyse the
# same whole corpus, and the quality gate runs the three in one process.
_ANALYSES: dict[str, tuple[tuple, dict]] = {}


def analyze_records(records: list[dict], corpus: str, semantic: str) -> dict:
    """``wiretrace analyze --json`` of ``records``, through the same CLI a user runs.

    The same records analysed again in one process give the first output back.
    """
    key = (semantic, tuple(str(r[CORPORA[corpus][1]]) for r in records))
    found = _ANALYSES.get(corpus)
    if found is not None and found[0] == key:
        return found[1]
    output = _run_analyze(records, corpus, semantic)
    _ANALYSES[corpus] = (key, output)
    return output


def _run_analyze(records: list[dict], corpus: str, semantic: str) -> dict:
    from click.testing import CliRunner

    from wiretrace.cli import main

    text_field, id_field, title_field, date_field = CORPORA[corpus]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
        args = [
            "analyze", str(path), "--text-field", text_field, "--id-field", id_field,
            "--title-field", title_field, "--semantic", semantic, "--source", SOURCES[corpus],
            "--db", str(Path(tmp) / "w.sqlite"), "--json", str(Path(tmp) / "out.json"),
        ]  # fmt: skip
        if date_field:
            args += ["--date-field", date_field]
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        if result.exit_code not in (0, 3):
            raise RuntimeError(f"analyze failed: {result.output[-500:]}")
        return json.loads((Path(tmp) / "out.json").read_text("utf-8"))


def _minhash(texts: dict[str, str]) -> dict[str, object]:
    from datasketch import MinHash

    signatures = {}
    for doc_id, text in texts.items():
        m = MinHash(num_perm=MINHASH_PERM, seed=1)
        m.update_batch([s.encode("utf-8") for s in word_shingles(text)])
        signatures[doc_id] = m
    return signatures


def evaluate(shared: Path, semantic: str = "off") -> list[Labelled]:
    """Every labelled pair with wiretrace's verdict and the MinHash estimate."""
    labels = read_labels()
    out: list[Labelled] = []
    for corpus in CORPORA:
        mine = [row for row in labels if row["corpus"] == corpus]
        ids = {row[k] for row in mine for k in ("a", "b")}
        records = corpus_records(shared, corpus, ids)
        text_field, id_field = CORPORA[corpus][:2]
        texts = {str(r[id_field]): r[text_field] for r in records}
        output = analyze_records(records, corpus, semantic)
        verdicts = {frozenset((p["a"], p["b"])): p["type"] for p in output["pairs"]}
        story_of = {d: s["id"] for s in output["stories"] for d in s["documents"]}
        signatures = _minhash(texts)
        for row in mine:
            a, b = row["a"], row["b"]
            together = a in story_of and story_of.get(a) == story_of.get(b)
            jaccard = signatures[a].jaccard(signatures[b])  # type: ignore[attr-defined]
            out.append(
                Labelled(
                    corpus,
                    a,
                    b,
                    row["label"],
                    row["reason"],
                    verdicts.get(frozenset((a, b))),
                    together,
                    round(jaccard, 4),
                )  # fmt: skip
            )
    return out


def _prf(pairs: Iterable[tuple[bool, bool]]) -> tuple[float, float, float]:
    """Precision, recall, F1 of ``(predicted, true)`` decisions."""
    tp = fp = fn = 0
    for predicted, true in pairs:
        tp += predicted and true
        fp += predicted and not true
        fn += true and not predicted
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def figures_of(rows: list[Labelled]) -> dict[str, float]:
    """Reuse precision/recall/F1 and same-story accuracy, wiretrace and MinHash."""
    figures: dict[str, float] = {"real_pairs_num_pairs": float(len(rows))}
    methods = {
        "wiretrace": (
            lambda r: r.verdict in REUSE_TYPES,
            lambda r: r.verdict is not None or r.same_story,
        ),
        "minhash": (
            lambda r: r.minhash_jaccard >= MINHASH_THRESHOLD,
            lambda r: r.minhash_jaccard >= MINHASH_THRESHOLD,
        ),
    }
    for name, (reuse, story) in methods.items():
        p, r, f = _prf((reuse(x), x.label in REUSE_LABELS) for x in rows)
        prefix = "real_pairs" if name == "wiretrace" else "real_pairs_minhash"
        figures[f"{prefix}_reuse_precision"] = round(p, 4)
        figures[f"{prefix}_reuse_recall"] = round(r, 4)
        figures[f"{prefix}_reuse_f1"] = round(f, 4)
        correct = sum(story(x) == (x.label in SAME_STORY_LABELS) for x in rows)
        figures[f"{prefix}_same_story_accuracy"] = round(correct / len(rows), 4)
        templates = [x for x in rows if x.label == "template"]
        figures[f"{prefix}_num_templates_called_reuse"] = float(sum(reuse(x) for x in templates))
    return figures


def run(shared: Path, limit: int | None = None, semantic: str = "off") -> dict[str, float]:
    """The figures of the labelled real pairs (``limit`` is accepted and ignored)."""
    del limit
    return figures_of(evaluate(shared, semantic))


def confusion(rows: list[Labelled]) -> str:
    """Label (rows) against wiretrace's verdict (columns), as plain text."""
    columns = ["none", "duplicate", "edited", "partial", "paraphrase", "translation", "related"]
    counts = Counter((r.label, r.verdict or "none") for r in rows)
    lines = ["label \\ verdict".ljust(16) + "".join(c[:10].rjust(11) for c in columns)]
    for label in ("duplicate", "edited", "partial", "related", "template", "unrelated"):
        lines.append(label.ljust(16) + "".join(str(counts[label, c]).rjust(11) for c in columns))
    return "\n".join(lines)


def main() -> None:
    """Print the confusion table, the errors, then the figures."""
    import argparse

    from bench.table import default_shared, format_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--semantic", choices=("off", "auto", "all"), default="off")
    parser.add_argument("--errors", action="store_true", help="list every wrong reuse call")
    args = parser.parse_args()
    rows = evaluate(args.shared, args.semantic)
    print(confusion(rows))
    if args.errors:
        for r in rows:
            if (r.verdict in REUSE_TYPES) != (r.label in REUSE_LABELS):
                print(f"{r.corpus} {r.a}~{r.b}: {r.label} called {r.verdict} — {r.reason}")
    print()
    print(format_table(figures_of(rows), f"Real labelled pairs (semantic {args.semantic})"))


if __name__ == "__main__":
    main()
