"""Planted copies: known edits of real wire and BBC articles, hidden among distractors.

Generation is deterministic (fixed seed). From Reuters-21578 (``body``) and BBC News
(``text``) it picks source articles, alternating between the two, and derives from each
one copy per kind of edit:

=====================  ====================================================================
``word_edit_5/15/30``  5/15/30 % of the words replaced by random words of the corpus vocabulary
``sentence_drop``      30 % of the sentences deleted
``sentence_reorder``   all sentences shuffled (paragraph sizes kept)
``truncation``         the first 40 % of the text (cut at the next sentence end)
``inserted_paragraph`` a paragraph of another article inserted between two paragraphs
``reused_paragraph``   one paragraph of the source inside an unrelated article
=====================  ====================================================================

Ground truth records which document derives from which and the character spans of the
reused text in both. Sources, copies and a few hundred distractors are ingested into a
temporary store and ``detect`` runs on them. Reported per kind:

* document level: recall = share of (source, copy) pairs that wiretrace relates with a
  reuse verdict (any type except ``related``); precision = share of reuse verdicts
  involving a copy of that kind whose two documents belong to one family (a source and
  everything derived from it);
* passage level: PAN-style *micro* character precision and recall of the passages of
  each (source, copy) verdict against the planted spans (:mod:`bench.pan_metrics`).

Before generation the pools are cleaned so that the ground truth is complete: Reuters
bodies are unwrapped (they are hard-wrapped at ~70 characters, and their "Reuter"
sign-off dropped), articles shorter than ``MIN_CHARS`` or with fewer than
``MIN_SENTENCES`` sentences are skipped, and an article that shares any 8-word
sequence with one already taken is skipped (natural updates, templates and duplicates
would otherwise be true reuse missing from the ground truth).

Generated files live in a temporary folder only. Run: ``python -m bench.planted [--limit N]``.
"""

from __future__ import annotations

import json
import random
import re
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.pan_metrics import Annotation, micro_precision, micro_recall
from bench.table import cli
from wiretrace.engines.ingest import ingest
from wiretrace.engines.local import DetectConfig, detect
from wiretrace.model import PairVerdict, ReuseType
from wiretrace.store import open_store

REUTERS = Path("data") / "reuters21578" / "articles.jsonl"
BBC = Path("data") / "bbc-news" / "articles.jsonl"
DATA_FILES = (REUTERS, BBC)

SEED = 20_240_601
DEFAULT_NUM_SOURCES = 300
DEFAULT_NUM_DISTRACTORS = 300
# Long enough to have paragraphs to drop, reorder and truncate; short enough to be news.
MIN_CHARS = 600
MAX_CHARS = 6000
MIN_SENTENCES = 5
# A paragraph moved into another article: at least a full sentence of substance.
MIN_PARAGRAPH_CHARS = 150
DEDUP_SHINGLE_WORDS = 8
WORD_EDIT_RATES = {"word_edit_5": 0.05, "word_edit_15": 0.15, "word_edit_30": 0.30}
SENTENCE_DROP_RATE = 0.30
TRUNCATE_SHARE = 0.40
KINDS = (
    *WORD_EDIT_RATES,
    "sentence_drop",
    "sentence_reorder",
    "truncation",
    "inserted_paragraph",
    "reused_paragraph",
)

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z]+")
_REUTERS_PARAGRAPH = re.compile(r"\n[ \t]+")
_REUTERS_SIGNOFF = re.compile(r"\s*\bReuter\s*$")

Paragraphs = list[list[str]]
# Paragraphs of (sentence, its span in the source or None for text from elsewhere).
Marked = list[list[tuple[str, tuple[int, int] | None]]]


@dataclass(frozen=True, slots=True)
class Case:
    """A reused stretch: ``[copy_start, copy_end)`` in the copy is ``[src_start, src_end)``."""

    copy_start: int
    copy_end: int
    src_start: int
    src_end: int


@dataclass(frozen=True, slots=True)
class PlantedCopy:
    """One generated document and where its reused text comes from."""

    copy_id: str
    source_id: str
    kind: str
    cases: tuple[Case, ...]


@dataclass
class PlantedCorpus:
    """Every generated document's text, with the ground truth."""

    texts: dict[str, str] = field(default_factory=dict)
    copies: list[PlantedCopy] = field(default_factory=list)
    family: dict[str, str] = field(default_factory=dict)  # doc id → source id


# -- pools ------------------------------------------------------------------------------


def split_paragraph(paragraph: str) -> list[str]:
    """Sentences of one paragraph (a plain regex, independent of wiretrace's splitter)."""
    return [s.strip() for s in _SENTENCE_END.split(paragraph.strip()) if s.strip()]


def reuters_paragraphs(body: str) -> Paragraphs:
    """A Reuters body unwrapped into paragraphs of sentences, without the sign-off."""
    body = _REUTERS_SIGNOFF.sub("", body.strip())
    paragraphs = []
    for para in _REUTERS_PARAGRAPH.split(body):
        flat = " ".join(para.split())
        if flat:
            paragraphs.append(split_paragraph(flat))
    return paragraphs


def bbc_paragraphs(text: str) -> Paragraphs:
    """A BBC article (title line first) as paragraphs of sentences, title dropped."""
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text.strip())]
    return [split_paragraph(b) for b in blocks[1:] if b]


def render(paragraphs: Paragraphs) -> str:
    """Sentences joined by a space, paragraphs by a blank line."""
    return "\n\n".join(" ".join(p) for p in paragraphs)


def sentence_spans(paragraphs: Paragraphs) -> list[list[tuple[int, int]]]:
    """Character span of every sentence in :func:`render`'s output."""
    spans, cursor = [], 0
    for p, para in enumerate(paragraphs):
        if p:
            cursor += 2
        row = []
        for s, sentence in enumerate(para):
            if s:
                cursor += 1
            row.append((cursor, cursor + len(sentence)))
            cursor += len(sentence)
        spans.append(row)
    return spans


def _shingles(text: str) -> set[int]:
    words = [w.lower() for w in _WORD.findall(text)]
    n = DEDUP_SHINGLE_WORDS
    return {hash(tuple(words[i : i + n])) for i in range(len(words) - n + 1)}


def _usable(paragraphs: Paragraphs) -> bool:
    text = render(paragraphs)
    return (
        MIN_CHARS <= len(text) <= MAX_CHARS
        and sum(len(p) for p in paragraphs) >= MIN_SENTENCES
        and len(paragraphs) >= 2
    )


def scan_pool(shared: Path) -> Iterator[tuple[str, Paragraphs]]:
    """Usable articles of both corpora, as (id, paragraphs), Reuters and BBC interleaved."""
    reuters, bbc = [], []
    with open(shared / REUTERS, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("body"):
                paras = reuters_paragraphs(row["body"])
                if _usable(paras):
                    reuters.append((f"r{row['newid']}", paras))
    with open(shared / BBC, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            paras = bbc_paragraphs(row["text"])
            if _usable(paras):
                bbc.append((f"b{row['id'].replace('/', '-')}", paras))
    rng = random.Random(SEED)
    rng.shuffle(reuters)
    rng.shuffle(bbc)
    for i in range(max(len(reuters), len(bbc))):
        if i < len(reuters):
            yield reuters[i]
        if i < len(bbc):
            yield bbc[i]


def take_distinct(
    pool: Iterator[tuple[str, Paragraphs]], count: int
) -> list[tuple[str, Paragraphs]]:
    """The first ``count`` articles that share no 8-word sequence with one taken before."""
    seen: set[int] = set()
    taken = []
    for doc_id, paras in pool:
        shingles = _shingles(render(paras))
        if shingles & seen:
            continue
        seen |= shingles
        taken.append((doc_id, paras))
        if len(taken) == count:
            break
    return taken


# -- edits ------------------------------------------------------------------------------


class _Builder:
    """Concatenates pieces of text, remembering which came from the source and where."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.cases: list[Case] = []

    def add(self, text: str, source: tuple[int, int] | None = None) -> None:
        if source is not None:
            case = Case(self.length, self.length + len(text), *source)
            last = self.cases[-1] if self.cases else None
            # Adjacent in both texts (only a separator between): one reused stretch.
            if (
                last is not None
                and 0 <= case.copy_start - last.copy_end <= 2
                and 0 <= case.src_start - last.src_end <= 2
            ):
                case = Case(last.copy_start, case.copy_end, last.src_start, case.src_end)
                self.cases[-1] = case
            else:
                self.cases.append(case)
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)


def _emit(paragraphs: Marked) -> _Builder:
    """Render paragraphs of (sentence, source span or None) into a builder."""
    out = _Builder()
    for p, para in enumerate(paragraphs):
        if p:
            out.add("\n\n")
        for s, (sentence, span) in enumerate(para):
            if s:
                out.add(" ")
            out.add(sentence, span)
    return out


def edit_words(sentence: str, rate: float, vocabulary: Sequence[str], rng: random.Random) -> str:
    """Replace ``rate`` of the words of ``sentence`` with random vocabulary words."""
    words = list(_WORD.finditer(sentence))
    if not words:
        return sentence
    chosen = sorted(rng.sample(range(len(words)), round(rate * len(words))))
    parts, cursor = [], 0
    for i in chosen:
        match = words[i]
        new = rng.choice(vocabulary)
        while new.lower() == match.group(0).lower():
            new = rng.choice(vocabulary)
        if match.group(0)[0].isupper():
            new = new[0].upper() + new[1:]
        parts += [sentence[cursor : match.start()], new]
        cursor = match.end()
    parts.append(sentence[cursor:])
    return "".join(parts)


def make_copy(
    kind: str,
    paragraphs: Paragraphs,
    rng: random.Random,
    vocabulary: Sequence[str],
    other: Paragraphs,
) -> _Builder:
    """The copy of one kind; ``other`` is the donor (inserted) or host (reused) article."""
    spans = sentence_spans(paragraphs)
    marked: Marked = [
        [(s, spans[p][i]) for i, s in enumerate(para)] for p, para in enumerate(paragraphs)
    ]
    if kind in WORD_EDIT_RATES:
        rate = WORD_EDIT_RATES[kind]
        return _emit([[(edit_words(s, rate, vocabulary, rng), sp) for s, sp in p] for p in marked])
    if kind == "sentence_drop":
        positions = [(p, i) for p, para in enumerate(marked) for i in range(len(para))]
        drop = set(rng.sample(positions, max(1, round(SENTENCE_DROP_RATE * len(positions)))))
        kept = [
            [x for i, x in enumerate(para) if (p, i) not in drop] for p, para in enumerate(marked)
        ]
        return _emit([para for para in kept if para])
    if kind == "sentence_reorder":
        flat = [x for para in marked for x in para]
        order = flat[:]
        while order == flat:
            rng.shuffle(order)
        shuffled: Marked = []
        cursor = 0
        for para in marked:
            shuffled.append(order[cursor : cursor + len(para)])
            cursor += len(para)
        return _emit(shuffled)
    if kind == "truncation":
        cutoff = TRUNCATE_SHARE * len(render(paragraphs))
        kept_paras: Marked = []
        for p, para in enumerate(marked):
            # Keep sentences up to and including the one that crosses the cutoff.
            ends = [end for _, end in spans[p]]
            n = next((i + 1 for i, end in enumerate(ends) if end >= cutoff), len(para))
            kept_paras.append(para[:n])
            if n < len(para) or ends[-1] >= cutoff:
                break
        return _emit(kept_paras)
    if kind == "inserted_paragraph":
        donor = _long_paragraph(other, rng)
        at = rng.randrange(1, len(marked))
        new_para: list[tuple[str, tuple[int, int] | None]] = [(s, None) for s in donor]
        return _emit([*marked[:at], new_para, *marked[at:]])
    if kind == "reused_paragraph":
        choice = [
            p for p, para in enumerate(paragraphs) if len(" ".join(para)) >= MIN_PARAGRAPH_CHARS
        ]
        p = (
            rng.choice(choice)
            if choice
            else max(range(len(paragraphs)), key=lambda k: len(" ".join(paragraphs[k])))
        )
        host: Marked = [[(s, None) for s in para] for para in other]
        at = rng.randrange(1, len(host))
        return _emit([*host[:at], marked[p], *host[at:]])
    raise ValueError(f"unknown kind of copy {kind!r}; expected one of {', '.join(KINDS)}")


def _long_paragraph(paragraphs: Paragraphs, rng: random.Random) -> list[str]:
    long = [p for p in paragraphs if len(" ".join(p)) >= MIN_PARAGRAPH_CHARS]
    return rng.choice(long) if long else max(paragraphs, key=lambda p: len(" ".join(p)))


def generate(
    shared: Path,
    num_sources: int = DEFAULT_NUM_SOURCES,
    num_distractors: int = DEFAULT_NUM_DISTRACTORS,
) -> PlantedCorpus:
    """Sources, copies, hosts and distractors with their ground truth (deterministic)."""
    # Per source: itself, a donor paragraph's article and a host article; then distractors.
    taken = take_distinct(scan_pool(shared), 3 * num_sources + num_distractors)
    sources = taken[:num_sources]
    donors = taken[num_sources : 2 * num_sources]
    hosts = taken[2 * num_sources : 3 * num_sources]
    distractors = taken[3 * num_sources :]
    vocabulary = sorted({w.lower() for _, paras in taken for w in _WORD.findall(render(paras))})
    rng = random.Random(SEED)
    corpus = PlantedCorpus()
    for (source_id, paras), (_, donor), (host_id, host) in zip(sources, donors, hosts, strict=True):
        corpus.texts[source_id] = render(paras)
        corpus.family[source_id] = source_id
        for kind in KINDS:
            other = host if kind == "reused_paragraph" else donor
            built = make_copy(kind, paras, rng, vocabulary, other)
            copy_id = (
                f"{host_id}+{source_id}" if kind == "reused_paragraph" else f"{source_id}~{kind}"
            )
            corpus.texts[copy_id] = built.text()
            corpus.family[copy_id] = source_id
            corpus.copies.append(PlantedCopy(copy_id, source_id, kind, tuple(built.cases)))
    for doc_id, paras in distractors:
        corpus.texts[doc_id] = render(paras)
    return corpus


# -- scoring ----------------------------------------------------------------------------


def _detections(verdict: PairVerdict, copy_id: str, source_id: str) -> list[Annotation]:
    out = []
    for p in verdict.passages:
        a, b = p.a_source or p.a, p.b_source or p.b
        copy_span, src_span = (a, b) if verdict.a == copy_id else (b, a)
        out.append(
            Annotation(
                copy_id, copy_span.start, copy_span.end, source_id, src_span.start, src_span.end
            )
        )
    return out


def score(corpus: PlantedCorpus, verdicts: Sequence[PairVerdict]) -> dict:
    """Document- and passage-level figures per kind, from the verdicts of a detect run."""
    reuse = {frozenset((v.a, v.b)): v for v in verdicts if v.type != ReuseType.RELATED}
    kind_of = {c.copy_id: c.kind for c in corpus.copies}
    figures: dict = {}
    found_all = total_all = 0
    cases_all: list[Annotation] = []
    dets_all: list[Annotation] = []
    for kind in KINDS:
        copies = [c for c in corpus.copies if c.kind == kind]
        found = 0
        cases: list[Annotation] = []
        dets: list[Annotation] = []
        for c in copies:
            cases += [
                Annotation(c.copy_id, x.copy_start, x.copy_end, c.source_id, x.src_start, x.src_end)
                for x in c.cases
            ]
            verdict = reuse.get(frozenset((c.copy_id, c.source_id)))
            if verdict is not None:
                found += 1
                dets += _detections(verdict, c.copy_id, c.source_id)
        involved = [v for pair, v in reuse.items() if any(kind_of.get(d) == kind for d in pair)]
        correct = sum(
            1 for v in involved if corpus.family.get(v.a, v.a) == corpus.family.get(v.b, v.b)
        )
        figures[f"planted_{kind}_doc_recall"] = found / max(len(copies), 1)
        figures[f"planted_{kind}_doc_precision"] = correct / len(involved) if involved else 1.0
        figures[f"planted_{kind}_char_recall"] = micro_recall(cases, dets)
        figures[f"planted_{kind}_char_precision"] = micro_precision(cases, dets) if dets else 1.0
        found_all += found
        total_all += len(copies)
        cases_all += cases
        dets_all += dets
    involved_all = [v for pair, v in reuse.items() if any(d in corpus.family for d in pair)]
    correct_all = sum(
        1 for v in involved_all if corpus.family.get(v.a, v.a) == corpus.family.get(v.b, v.b)
    )
    figures["planted_doc_recall"] = found_all / max(total_all, 1)
    figures["planted_doc_precision"] = correct_all / len(involved_all) if involved_all else 1.0
    figures["planted_char_recall"] = micro_recall(cases_all, dets_all)
    figures["planted_char_precision"] = micro_precision(cases_all, dets_all)
    # Reuse verdicts between two documents outside every family (distractors).
    figures["planted_num_distractor_pairs"] = sum(
        1 for pair in reuse if not any(d in corpus.family for d in pair)
    )
    figures["planted_num_related_verdicts"] = sum(
        1 for v in verdicts if v.type == ReuseType.RELATED
    )
    return figures


def run(
    shared: Path,
    limit: int | None = None,
    config: DetectConfig | None = None,
    num_distractors: int = DEFAULT_NUM_DISTRACTORS,
) -> dict:
    """Generate (``limit`` sources, default 300), detect, and score per kind of edit."""
    started = time.monotonic()
    corpus = generate(shared, limit or DEFAULT_NUM_SOURCES, num_distractors)
    generated = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wiretrace-planted-") as tmp:
        path = Path(tmp) / "planted.jsonl"
        with open(path, "w", encoding="utf-8") as out:
            for doc_id, text in corpus.texts.items():
                out.write(json.dumps({"id": doc_id, "text": text}) + "\n")
        with open_store(Path(tmp) / "planted.sqlite") as store:
            summary = ingest(store, [str(path)])
            detected = detect(store, config)
            verdicts = list(store.iter_pairs())
            stored = store.get_documents(list(corpus.texts))
    # Offsets are only valid if the stored original text is the generated text.
    mismatched = sum(
        1 for d, t in corpus.texts.items() if d not in stored or stored[d].original != t
    )
    figures = score(corpus, verdicts)
    figures["planted_num_sources"] = len({c.source_id for c in corpus.copies})
    figures["planted_num_documents"] = len(corpus.texts)
    figures["planted_num_rejected"] = summary.rejected
    figures["planted_num_text_mismatch"] = mismatched
    figures["planted_num_candidates"] = detected.candidates
    figures["planted_generate_seconds"] = round(generated - started, 2)
    figures["planted_seconds"] = round(time.monotonic() - started, 2)
    return figures


def main(argv: list[str] | None = None) -> None:
    """Print the planted-copy table."""
    cli(run, "Planted copies (Reuters-21578 + BBC News), per kind of edit", argv)


if __name__ == "__main__":
    main()
