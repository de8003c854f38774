"""The story similarity of stored pairs: computed at detect time, cached, null without USE.

The encoders are stand-ins (hashed bags of words named like the real models), so these
tests check the wiring in seconds: which pairs get a value, that it is the one the story
model gives for the documents' profiles, what is encoded and what comes from the cache.
The real model's figures are in ``tests/engines/test_semantic_engine.py`` and
``python -m bench.semeval``.
"""

from __future__ import annotations

import shutil
import zlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from wiretrace.engines import local
from wiretrace.engines.ingest import ingest
from wiretrace.engines.local import (
    STORY_CONFIG,
    STORY_LEAD_CACHE,
    DetectConfig,
    complete_story_similarities,
    detect,
    load_index,
    story_profiles,
    trace_document,
)
from wiretrace.extract.document import build_document
from wiretrace.model import PairVerdict, RawRecord
from wiretrace.semantic import MINILM, USE, SemanticConfig
from wiretrace.semantic.story import story_similarities
from wiretrace.store import open_store

USED = ("wire_original", "republish_edited", "spun_rewrite", "story_b_wire", "story_b_followup")


class BagEncoder:
    """Hashed bag of lowercase words, L2-normalized; counts the sentences it encodes."""

    def __init__(self, name: str, dim: int) -> None:
        self.name = name
        self.dim = dim
        self.encoded: list[str] = []

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        self.encoded.extend(sentences)
        out = np.zeros((len(sentences), self.dim), dtype=np.float32)
        for row, sentence in enumerate(sentences):
            for word in sentence.lower().split():
                out[row, zlib.crc32(word.encode()) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


@pytest.fixture
def encoders(monkeypatch) -> dict[str, BagEncoder]:
    """Both encoders replaced by stand-ins, and reported installed."""
    fakes = {USE: BagEncoder(USE, 512), MINILM: BagEncoder(MINILM, 384)}
    for name, fake in fakes.items():
        monkeypatch.setitem(local._encoders, name, fake)
    monkeypatch.setattr(local, "installed_encoders", lambda: (MINILM, USE))
    return fakes


@pytest.fixture
def corpus(tmp_path: Path, examples: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in USED:
        shutil.copy(examples / f"{name}.txt", folder / f"{name}.txt")
    return folder


def semantic(mode: str) -> DetectConfig:
    return replace(DetectConfig(), semantic=SemanticConfig(mode=mode))


def analyzed(path: Path, corpus: Path, mode: str = "auto") -> list[PairVerdict]:
    with open_store(path) as store:
        ingest(store, [str(corpus)], workers=1)
        detect(store, semantic(mode), workers=1)
        return list(store.iter_pairs())


def test_every_stored_pair_gets_the_story_models_value(tmp_path, corpus, encoders) -> None:
    verdicts = analyzed(tmp_path / "w.sqlite", corpus)
    assert verdicts
    assert {str(v.type) for v in verdicts} >= {"edited", "related"}
    with open_store(tmp_path / "w.sqlite") as store:
        ids = sorted({d for v in verdicts for d in (v.a, v.b)})
        profiles = story_profiles(store, load_index(store), ids)
    pairs = np.array([[ids.index(v.a), ids.index(v.b)] for v in verdicts])
    expected = story_similarities([profiles[i] for i in ids], pairs, STORY_CONFIG)
    found = [v.story_similarity for v in verdicts]
    assert all(value is not None and 0.0 <= value <= 1.0 for value in found)
    assert found == pytest.approx(expected.tolist(), abs=1e-9)


def test_the_semantic_layer_off_leaves_it_null(tmp_path, corpus, encoders) -> None:
    verdicts = analyzed(tmp_path / "off.sqlite", corpus, mode="off")
    assert verdicts
    assert all(v.story_similarity is None for v in verdicts)
    assert encoders[USE].encoded == []


def test_without_use_installed_it_is_null(tmp_path, corpus, encoders, monkeypatch) -> None:
    monkeypatch.setattr(local, "installed_encoders", lambda: (MINILM,))
    verdicts = analyzed(tmp_path / "no_use.sqlite", corpus, mode="auto")
    assert verdicts
    assert all(v.story_similarity is None for v in verdicts)


def test_only_documents_in_pairs_are_encoded_once(tmp_path, corpus, examples, encoders) -> None:
    shutil.copy(examples / "unrelated_science.txt", corpus / "unrelated_science.txt")
    path = tmp_path / "once.sqlite"
    verdicts = analyzed(path, corpus)
    paired = {d for v in verdicts for d in (v.a, v.b)}
    assert "unrelated_science" not in paired
    with open_store(path) as store:
        cached = store.get_embeddings(paired | {"unrelated_science"}, STORY_LEAD_CACHE)
    assert set(cached) == paired
    # No lead sentence of the unpaired article was encoded.
    science = (examples / "unrelated_science.txt").read_text(encoding="utf-8")
    assert not any(text in science for text in encoders[USE].encoded if len(text) > 40)
    # A full re-run takes every lead vector from the cache.
    encoders[USE].encoded.clear()
    with open_store(path) as store:
        summary = detect(store, semantic("auto"), full=True, workers=1)
        again = list(store.iter_pairs())
    assert encoders[USE].encoded == []
    assert summary.story_pairs == len(again)
    assert [v.story_similarity for v in again] == [v.story_similarity for v in verdicts]


def test_an_incremental_run_encodes_only_the_new_documents_lead(
    tmp_path, corpus, examples, encoders
) -> None:
    path = tmp_path / "inc.sqlite"
    analyzed(path, corpus)
    encoders[USE].encoded.clear()
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(examples / "republish_trimmed.txt", extra / "republish_trimmed.txt")
    with open_store(path) as store:
        ingest(store, [str(extra)], workers=1)
        summary = detect(store, semantic("auto"), workers=1)
        new = [v for v in store.iter_pairs() if "republish_trimmed" in (v.a, v.b)]
        assert all(v.story_similarity is not None for v in store.iter_pairs())
    assert new and summary.story_pairs == len(new)
    trimmed = (examples / "republish_trimmed.txt").read_text(encoding="utf-8")
    assert encoders[USE].encoded
    assert all(text in trimmed for text in encoders[USE].encoded)


def test_pairs_left_null_are_completed_by_a_later_detection(tmp_path, corpus, encoders) -> None:
    path = tmp_path / "later.sqlite"
    before = analyzed(path, corpus, mode="off")
    assert all(v.story_similarity is None for v in before)
    with open_store(path) as store:
        summary = detect(store, semantic("auto"), workers=1)
        after = list(store.iter_pairs())
    assert summary.new_documents == 0
    assert summary.story_pairs == len(after) == len(before)
    assert all(v.story_similarity is not None for v in after)
    # The verdicts themselves are those of the run without it.
    assert [replace(v, story_similarity=None) for v in after] == before


def test_completing_is_a_no_op_when_every_pair_has_one(tmp_path, corpus, encoders) -> None:
    path = tmp_path / "done.sqlite"
    analyzed(path, corpus)
    with open_store(path) as store:
        assert store.pairs_without_story_similarity() == []
        assert complete_story_similarities(store, load_index(store), semantic("auto")) == 0


def test_cached_sentence_vectors_leave_only_the_title_to_encode(tmp_path, corpus, encoders) -> None:
    with open_store(tmp_path / "cached.sqlite") as store:
        ingest(store, [str(corpus)], workers=1)
        doc = store.get_document("wire_original")
        sentences = [doc.text[s.start : s.end] for s in doc.sentences]
        store.put_embeddings(doc.id, doc.version, USE, encoders[USE].encode(sentences))
        store.commit()
        encoders[USE].encoded.clear()
        cached = story_profiles(store, fingerprinted(store), [doc.id])[doc.id]
    assert encoders[USE].encoded == [doc.title]
    with open_store(tmp_path / "fresh.sqlite") as store:
        ingest(store, [str(corpus)], workers=1)
        fresh = story_profiles(store, fingerprinted(store), [doc.id])[doc.id]
    # The same lead vector as encoding the whole lead (float16 rounding aside).
    assert float(cached.vector @ fresh.vector) == pytest.approx(1.0, abs=1e-3)


def fingerprinted(store):
    """The candidate index of a store, its documents fingerprinted (no pair judged)."""
    local.fingerprint_new(store, DetectConfig(), workers=1)
    return load_index(store)


def test_a_traced_text_gets_it_without_caching_a_lead(tmp_path, corpus, examples, encoders) -> None:
    path = tmp_path / "trace.sqlite"
    analyzed(path, corpus)
    raw = RawRecord(
        unit="t.txt",
        source_path="t.txt",
        text=(examples / "republish_trimmed.txt").read_text(encoding="utf-8"),
    )
    doc = build_document(raw, "traced")
    with open_store(path) as store:
        leads = store.num_embeddings(STORY_LEAD_CACHE)
        found = trace_document(store, doc, semantic("auto"))
        assert store.num_embeddings(STORY_LEAD_CACHE) == leads
        off = trace_document(store, doc, semantic("off"))
    assert found and all(v.story_similarity is not None for v in found)
    assert off and all(v.story_similarity is None for v in off)
    assert [replace(v, story_similarity=None) for v in found] == off


def test_compare_reports_it_for_two_texts(examples, encoders) -> None:
    import wiretrace

    a = wiretrace.Article(id="a", text=(examples / "wire_original.txt").read_text("utf-8"))
    b = wiretrace.Article(id="b", text=(examples / "republish_edited.txt").read_text("utf-8"))
    found = wiretrace.compare(a, b)
    assert found is not None and found.story_similarity is not None
    assert 0.0 <= found.story_similarity <= 1.0
    off = wiretrace.compare(a, b, semantic="off")
    assert off is not None and off.story_similarity is None
