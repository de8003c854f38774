"""PAN 2013 verbatim text alignment: wiretrace's passages scored with PAN's measures.

For every pair of ``pairs.tsv`` whose cases were all re-anchored (see the data README),
the suspicious and the source text are built into documents and aligned with
:func:`wiretrace.align.align_documents`; each passage's ``a_source``/``b_source`` spans
(offsets into the file texts) are one detection, scored against the ``*_fixed`` offsets
of ``truth.jsonl`` with :mod:`bench.pan_metrics`.

Run: ``python -m bench.pan [--limit N]``.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.pan_metrics import Annotation, evaluate
from bench.table import cli
from wiretrace.align import AlignConfig, SentenceView, align_documents, sentence_view
from wiretrace.extract.document import build_document
from wiretrace.model import Document, Passage, RawRecord

DATA = Path("data") / "pan13-verbatim"
DATA_FILES = ("pairs.tsv", "truth.jsonl")


@dataclass(frozen=True, slots=True)
class PanPair:
    """One evaluated document pair: its cases and wiretrace's detections."""

    susp: str
    src: str
    cases: tuple[Annotation, ...]
    detections: tuple[Annotation, ...]
    passages: tuple[Passage, ...]


def read_pairs(shared: Path, limit: int | None = None) -> list[tuple[str, str]]:
    """The (susp, src) pairs whose cases were all re-anchored, in file order."""
    with open(shared / DATA / "pairs.tsv", encoding="utf-8", newline="") as f:
        rows = [
            (row["susp"], row["src"])
            for row in csv.DictReader(f, delimiter="\t")
            if row["all_cases_reanchored"] == "1"
        ]
    return rows[:limit] if limit is not None else rows


def read_cases(shared: Path) -> dict[tuple[str, str], list[Annotation]]:
    """Ground-truth cases by (susp, src), with the re-anchored ``*_fixed`` offsets."""
    cases: dict[tuple[str, str], list[Annotation]] = {}
    with open(shared / DATA / "truth.jsonl", encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)
            cases.setdefault((t["susp"], t["src"]), []).append(
                Annotation(
                    t["susp"],
                    t["this_offset_fixed"],
                    t["this_offset_fixed"] + t["this_length_fixed"],
                    t["src"],
                    t["source_offset_fixed"],
                    t["source_offset_fixed"] + t["source_length_fixed"],
                )
            )
    return cases


def load_document(path: Path) -> Document:
    """A wiretrace document of one PAN text file (offsets of ``a_source`` = file offsets)."""
    text = path.read_text(encoding="utf-8")
    return build_document(RawRecord(unit=str(path), source_path=str(path), text=text), path.stem)


def detections_of(susp: str, src: str, passages: tuple[Passage, ...]) -> tuple[Annotation, ...]:
    """One PAN detection per passage, from its spans in the original texts."""
    out = []
    for p in passages:
        a, b = p.a_source or p.a, p.b_source or p.b
        out.append(Annotation(susp, a.start, a.end, src, b.start, b.end))
    return tuple(out)


def scan_pairs(
    shared: Path, limit: int | None = None, config: AlignConfig | None = None
) -> Iterator[PanPair]:
    """Align every evaluated pair; documents are built once and reused across pairs."""
    root = shared / DATA
    truth = read_cases(shared)
    docs: dict[Path, Document] = {}

    def doc(path: Path) -> Document:
        if path not in docs:
            docs[path] = load_document(path)
        return docs[path]

    views: dict[Path, SentenceView] = {}

    def view(path: Path) -> SentenceView:
        if path not in views:
            views[path] = sentence_view(doc(path))
        return views[path]

    for susp, src in read_pairs(shared, limit):
        passages = align_documents(view(root / "susp" / susp), view(root / "src" / src), config)
        yield PanPair(
            susp,
            src,
            tuple(truth.get((susp, src), ())),
            detections_of(susp, src, passages),
            passages,
        )


def run(shared: Path, limit: int | None = None, config: AlignConfig | None = None) -> dict:
    """PAN macro precision, recall, granularity and PlagDet (plus micro) over the pairs."""
    started = time.monotonic()
    pairs = list(scan_pairs(shared, limit, config))
    cases = [c for p in pairs for c in p.cases]
    detections = [d for p in pairs for d in p.detections]
    scores = evaluate(cases, detections)
    return {
        "pan_precision": scores.precision,
        "pan_recall": scores.recall,
        "pan_granularity": scores.granularity,
        "pan_plagdet": scores.plagdet,
        "pan_micro_precision": scores.micro_precision,
        "pan_micro_recall": scores.micro_recall,
        "pan_cases_detected": scores.num_detected_cases / max(scores.num_cases, 1),
        "pan_num_pairs": len(pairs),
        "pan_num_cases": scores.num_cases,
        "pan_num_detections": scores.num_detections,
        "pan_seconds": round(time.monotonic() - started, 2),
    }


def main(argv: list[str] | None = None) -> None:
    """Print the PAN table."""
    cli(run, "PAN 2013 text alignment, no-obfuscation (re-anchored pairs)", argv)


if __name__ == "__main__":
    main()
