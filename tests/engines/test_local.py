"""The embedded engine: incremental detection, updates, and tracing without storing."""

from __future__ import annotations

import gc
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from wiretrace.engines import local
from wiretrace.engines.ingest import ingest
from wiretrace.engines.local import detect, trace_document
from wiretrace.extract.document import build_document
from wiretrace.model import RawRecord, ReuseType
from wiretrace.store import open_store


@pytest.fixture(scope="module")
def analyzed_db(tmp_path_factory, examples: Path) -> Path:
    """A store with the example corpus ingested and detected (copy it before changing it)."""
    path = tmp_path_factory.mktemp("examples") / "wiretrace.sqlite"
    with open_store(path) as store:
        ingest(store, [str(examples)])
        detect(store)
    return path


@pytest.fixture
def db(analyzed_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "wiretrace.sqlite"
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{analyzed_db}{suffix}")
        if source.exists():
            shutil.copy(source, f"{copy}{suffix}")
    return copy


@pytest.fixture
def evaluated(monkeypatch) -> list[tuple[str, str]]:
    """Every candidate pair the engine aligns and classifies, in order."""
    calls: list[tuple[str, str]] = []
    real = local.screen_pair

    def spy(index, va, vb, config):
        calls.append((va.doc.id, vb.doc.id))
        return real(index, va, vb, config)

    monkeypatch.setattr(local, "screen_pair", spy)
    return calls


def records(store, with_sentences: bool = True) -> dict[tuple[str, str], dict]:
    return {(v.a, v.b): v.to_dict(with_sentences=with_sentences) for v in store.iter_pairs()}


BY_MEANING = ("paraphrase", "translation")


def _meaning_cosines(rs: dict[tuple[str, str], dict]) -> dict[tuple[str, str], dict]:
    """``rs`` with the cosine of each sentence pair paired by meaning left out."""
    out = {}
    for key, r in rs.items():
        passages = [
            {
                **p,
                "sentence_pairs": [
                    {
                        f: x
                        for f, x in sp.items()
                        if f != "similarity" or sp["kind"] not in BY_MEANING
                    }
                    for sp in p.get("sentence_pairs", [])
                ],
            }
            for p in r.get("passages", [])
        ]
        out[key] = {**r, "passages": passages}
    return out


def _cosines_of(rs: dict[tuple[str, str], dict]) -> list[float]:
    """The cosines of the sentence pairs paired by meaning, in pair and passage order."""
    return [
        sp["similarity"]
        for key in sorted(rs)
        for p in rs[key].get("passages", [])
        for sp in p.get("sentence_pairs", [])
        if sp["kind"] in BY_MEANING
    ]


def paragraph(path: Path, starts_with: str) -> str:
    text = path.read_text(encoding="utf-8")
    return next(p for p in text.split("\n\n") if p.startswith(starts_with))


NEW_TEXT = (
    "Residents of the eastern docks packed a community hall on Thursday to ask what the "
    "terminal plan means for traffic on the harbour road. Several shop owners said they "
    "welcomed the investment but feared years of construction noise.\n\n"
    "{reused}\n\n"
    "Local councillor Imogen Brask said she would ask the authority to publish its traffic "
    "study before construction starts in September."
)


def write_new_article(folder: Path, examples: Path) -> Path:
    folder.mkdir()
    reused = paragraph(examples / "wire_original.txt", "The plan, backed by a consortium")
    path = folder / "docks_meeting.txt"
    path.write_text(NEW_TEXT.format(reused=reused), encoding="utf-8")
    return path


def test_adding_one_article_only_examines_its_pairs(
    db: Path, tmp_path: Path, examples: Path, evaluated: list
) -> None:
    new_file = write_new_article(tmp_path / "new", examples)
    with open_store(db) as store:
        before = records(store)
        assert ingest(store, [str(new_file)]).stored == 1
        summary = detect(store)
        after = records(store)
    assert summary.new_documents == 1
    assert summary.candidates == len(evaluated) > 0
    assert all("docks_meeting" in pair for pair in evaluated)
    # Every pair from the first run is still there, unchanged.
    assert {k: v for k, v in after.items() if "docks_meeting" not in k} == before
    new_pairs = {k: v for k, v in after.items() if "docks_meeting" in k}
    assert summary.pairs == len(new_pairs)
    wire = after[("docks_meeting", "wire_original")]
    assert wire["type"] in (ReuseType.PARTIAL, ReuseType.EDITED)
    assert any(p["num_sentence_pairs"] >= 2 for p in wire["passages"])


def test_detect_without_new_documents_does_no_candidate_work(
    db: Path, evaluated: list, monkeypatch
) -> None:
    def no_candidates(*args, **kwargs):
        raise AssertionError("candidate search ran without new documents")

    monkeypatch.setattr(local.CorpusIndex, "candidates", no_candidates)
    with open_store(db) as store:
        before = records(store)
        stories = store.iter_stories()
        summary = detect(store)
        assert records(store) == before
        assert store.iter_stories() == stories
    assert summary.new_documents == 0
    assert summary.candidates == 0
    assert summary.pairs == 0
    assert evaluated == []
    assert summary.stories == len(stories)


def test_reingesting_the_same_files_changes_nothing(db: Path, examples: Path, evaluated) -> None:
    with open_store(db) as store:
        before = records(store)
        result = ingest(store, [str(examples)])
        summary = detect(store)
        assert records(store) == before
    assert result.stored == result.updated == 0
    assert summary.new_documents == summary.candidates == 0
    assert evaluated == []


def test_updated_document_gets_its_pairs_redetected(
    db: Path, tmp_path: Path, examples: Path, evaluated: list
) -> None:
    # paragraph_reuse now reuses the Okonkwo paragraph instead of the union paragraph.
    union = paragraph(examples / "paragraph_reuse.txt", "The Callow Dockworkers' Union")
    okonkwo = paragraph(examples / "wire_original.txt", "Transport Minister Adaeze Okonkwo")
    text = (examples / "paragraph_reuse.txt").read_text(encoding="utf-8").replace(union, okonkwo)
    folder = tmp_path / "v2"
    folder.mkdir()
    (folder / "paragraph_reuse.txt").write_text(text, encoding="utf-8")
    with open_store(db) as store:
        before = records(store)
        old_wire_pair = store.get_pair("paragraph_reuse", "wire_original")
        result = ingest(store, [str(folder)])
        summary = detect(store)
        after = records(store)
        new_wire_pair = store.get_pair("paragraph_reuse", "wire_original")
        assert store.get_document("paragraph_reuse").version == 2
        wire = store.get_document("wire_original")
        reuse = store.get_document("paragraph_reuse")
    assert result.updated == 1
    assert result.new_ids == ["paragraph_reuse"]
    assert summary.new_documents == 1
    assert evaluated and all("paragraph_reuse" in pair for pair in evaluated)
    assert {k: v for k, v in after.items() if "paragraph_reuse" not in k} == {
        k: v for k, v in before.items() if "paragraph_reuse" not in k
    }

    def reused_text(verdict) -> str:
        assert verdict.a == "paragraph_reuse"
        return " ".join(reuse_doc.text[p.a.start : p.a.end] for p in verdict.passages)

    reuse_doc = reuse
    assert old_wire_pair is not None and new_wire_pair is not None
    assert new_wire_pair != old_wire_pair
    assert "Okonkwo" in reused_text(new_wire_pair)
    assert "Dockworkers" not in reused_text(new_wire_pair)
    assert any("Okonkwo" in wire.text[p.b.start : p.b.end] for p in new_wire_pair.passages)


@pytest.mark.slow
def test_incremental_batches_give_the_full_run_verdicts(tmp_path: Path, examples: Path) -> None:
    files = sorted(str(p) for p in examples.iterdir())
    with open_store(tmp_path / "full.sqlite") as store:
        ingest(store, files)
        detect(store)
        full = records(store, with_sentences=True)
        full_stories = store.iter_stories()
    with open_store(tmp_path / "incremental.sqlite") as store:
        ids_seen: list[dict[str, str]] = []
        for batch in (files[:8], files[8:12], files[12:]):
            ingest(store, batch)
            detect(store)
            ids_seen.append({d: s.id for s in store.iter_stories() for d in s.documents})
        incremental = records(store, with_sentences=True)
        incremental_stories = store.iter_stories()
    # Similarity blends in an idf-weighted cosine whose idf is that of the corpus at the
    # time a pair was examined, so only it may drift between the two; the story similarity
    # and the cosines of sentences paired by meaning come from vectors encoded in other
    # batches (other padding), equal to float noise.
    drifting = ("similarity", "story_similarity")
    strip = lambda rs: {k: {f: x for f, x in r.items() if f not in drifting} for k, r in rs.items()}  # noqa: E731
    assert strip(_meaning_cosines(incremental)) == strip(_meaning_cosines(full))
    assert _cosines_of(incremental) == pytest.approx(_cosines_of(full), abs=1e-3)
    for key, record in full.items():
        if record["story_similarity"] is None:
            assert incremental[key]["story_similarity"] is None
        else:
            assert incremental[key]["story_similarity"] == pytest.approx(
                record["story_similarity"], abs=0.002
            )
    # The same stories; a story that grew over the batches kept the id it was first given.
    without_id = lambda stories: [replace(s, id="") for s in stories]  # noqa: E731
    assert without_id(incremental_stories) == without_id(full_stories)
    first, last = ids_seen[0], ids_seen[-1]
    assert first, "the first batch already makes a story"
    assert all(last[d] == story_id for d, story_id in first.items())
    grown = {s.id for s in incremental_stories} - {s.id for s in full_stories}
    assert grown <= set(first.values())


def test_full_detection_reexamines_every_pair(db: Path, evaluated: list) -> None:
    with open_store(db) as store:
        before = records(store)
        summary = detect(store, full=True)
        after = records(store)
    assert summary.new_documents == 0
    assert summary.candidates == len(evaluated) > 0
    assert summary.pairs == len(after)
    assert {k: {f: v for f, v in r.items() if f != "similarity"} for k, r in after.items()} == {
        k: {f: v for f, v in r.items() if f != "similarity"} for k, r in before.items()
    }


def test_trace_finds_the_source_of_a_copy_without_storing_it(db: Path, examples: Path) -> None:
    text = (examples / "republish_trimmed.txt").read_text(encoding="utf-8")
    doc = build_document(
        RawRecord(unit="incoming.txt", source_path="incoming.txt", text=text), "incoming"
    )
    with open_store(db) as store:
        documents = store.num_documents()
        fingerprints = len(list(store.iter_fingerprints()))
        pairs = records(store)
        verdicts = trace_document(store, doc)
        assert store.num_documents() == documents
        assert len(list(store.iter_fingerprints())) == fingerprints
        assert records(store) == pairs
    by_other = {(v.b if v.a == "incoming" else v.a): v for v in verdicts}
    assert all("incoming" in (v.a, v.b) for v in verdicts)
    assert "wire_original" in by_other
    wire = by_other["wire_original"]
    assert wire.type in (ReuseType.EDITED, ReuseType.PARTIAL, ReuseType.DUPLICATE)
    # The whole copy is covered by the wire text.
    assert (wire.coverage_a if wire.a == "incoming" else wire.coverage_b) >= 0.95
    assert "market_report_mon" not in by_other
    assert verdicts == sorted(verdicts, key=lambda v: -v.similarity)


def test_trace_answers_from_a_kept_index_until_the_store_changes(
    db: Path, examples: Path
) -> None:
    def traced(name: str, doc_id: str) -> list:
        text = (examples / f"{name}.txt").read_text(encoding="utf-8")
        raw = RawRecord(unit=f"{doc_id}.txt", source_path=f"{doc_id}.txt", text=text)
        return trace_document(store, build_document(raw, doc_id))

    local._stored_indexes.clear()
    with open_store(db) as store:
        cold = traced("republish_trimmed", "incoming")
        kept = local._stored_indexes[str(db.resolve())][1]
        assert traced("republish_trimmed", "incoming") == cold
        assert local._stored_indexes[str(db.resolve())][1] is kept
        # Written by another connection (another process, as for a server): read again.
        with open_store(db) as writer:
            writer.delete_document("wire_original")
        after = traced("republish_trimmed", "incoming")
        assert local._stored_indexes[str(db.resolve())][1] is not kept
        assert "wire_original" not in {v.a for v in after} | {v.b for v in after}
        # A stored document traced again is matched as if it were not stored.
        again = traced("republish_edited", "republish_edited")
        assert all(v.a != v.b for v in again) and again
    local._stored_indexes.clear()


def test_detect_on_an_empty_store(tmp_path: Path) -> None:
    with open_store(tmp_path / "empty.sqlite") as store:
        summary = detect(store)
        assert list(store.iter_pairs()) == []
    assert (summary.new_documents, summary.candidates, summary.pairs, summary.stories) == (
        0,
        0,
        0,
        0,
    )


def test_detect_leaves_no_connection_open_after_the_store_closes(
    tmp_path: Path, examples: Path
) -> None:
    path = tmp_path / "wiretrace.sqlite"
    gc.disable()  # the leaked connection would otherwise close whenever the GC runs
    try:
        with open_store(path) as store:
            ingest(store, [str(examples)])
            detect(store)
        # Closing the last connection checkpoints the WAL into the file and removes it.
        assert not Path(f"{path}-wal").exists()
    finally:
        gc.enable()
        gc.collect()


def test_divergences_and_facts_are_stored_by_detection_and_read_by_the_views(
    db: Path, monkeypatch
) -> None:
    from wiretrace import consolidate, diverge
    from wiretrace.report import views
    from wiretrace.store import derived

    with open_store(db) as store:
        verdicts = list(store.iter_pairs())
        stories = store.iter_stories()
        assert all(store.pair_divergences(v.a, v.b) is not None for v in verdicts)
        assert any(store.pair_divergences(v.a, v.b) for v in verdicts)
        assert all(store.story_facts(s.id) is not None for s in stories)
        expected = {s.id: derived.story_facts(store, s) for s in stories}

        # The views only read: computing a divergence or a fact now would fail.
        def refuse(*args, **kwargs):
            raise AssertionError("recomputed in a view")

        monkeypatch.setattr(derived, "find_divergences", refuse)
        monkeypatch.setattr(derived, "consolidate_story", refuse)
        for story in stories:
            view = views.story_view(store, story.id)
            facts = [f["id"] for f in view["story"]["facts"]]
            assert facts == [f.id for f in expected[story.id]]
        pair = next(v for v in verdicts if store.pair_divergences(v.a, v.b))
        forward = views.compare_view(store, pair.a, pair.b)["pair"]["divergences"]
        backward = views.compare_view(store, pair.b, pair.a)["pair"]["divergences"]
        assert [(d["a"], d["a_start"]) for d in forward] == [
            (d["b"], d["b_start"]) for d in backward
        ]
    # A detection that changes nothing recomputes no story's facts.
    monkeypatch.setattr(local, "consolidate_story", refuse)
    monkeypatch.setattr(diverge, "find_divergences", refuse)
    monkeypatch.setattr(consolidate, "consolidate_story", refuse)
    with open_store(db) as store:
        detect(store, workers=1)


class _Killed(Exception):
    """Stands for a kill between two committed batches of a detection."""


def test_a_killed_detection_is_resumed_without_judging_its_committed_pairs_again(
    analyzed_db: Path, examples: Path, tmp_path: Path, evaluated, monkeypatch
) -> None:
    with open_store(analyzed_db) as store:
        expected = records(store)
    monkeypatch.setattr(local, "PAIRS_PER_TASK", 1)  # batches of 32 pairs: two of them
    db = tmp_path / "killed.sqlite"
    with open_store(db) as store:
        ingest(store, [str(examples)])

        def kill_after_the_first_batch(phase: str, done: int, total: int | None) -> None:
            if phase == "aligning":
                raise _Killed

        with pytest.raises(_Killed):
            detect(store, workers=1, on_progress=kill_after_the_first_batch)
        judged = store.judged_pairs()
        # The first batch of 32, less the pairs it left to the semantic layer (not run).
        assert len(evaluated) == 32 and judged and judged <= set(evaluated)
        evaluated.clear()
        summary = detect(store, workers=1)
        # Only the pairs the killed run had not committed are judged again.
        assert not judged & set(evaluated) and evaluated
        assert any("resumed" in note for note in summary.notes)
        assert records(store) == expected
        assert store.judged_pairs() == set()


def test_a_second_detection_waits_for_the_live_one(db: Path, examples: Path) -> None:
    import socket
    import subprocess
    import sys
    import threading

    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with open_store(db) as store:
            assert store.take_detect_lease(holder.pid, socket.gethostname()) is None
        # The holder dies (or finishes) a moment later; the waiting detection goes on.
        threading.Timer(1.0, holder.kill).start()
        with open_store(db) as store:
            ingest(store, [str(examples / "republish_trimmed.txt")])
            summary = detect(store, workers=1)
        assert any("waited" in note and str(holder.pid) in note for note in summary.notes)
    finally:
        holder.kill()
        holder.wait()
    # A lease whose process is gone is taken at once.
    with open_store(db) as store:
        assert store.take_detect_lease(holder.pid, socket.gethostname()) is None
        assert not any("waited" in n for n in detect(store, workers=1).notes)


class _CountingEncoder:
    """An encoder that records what it was asked to encode (one vector per distinct text)."""

    name = "counting"
    dim = 4

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, sentences):  # type: ignore[no-untyped-def]
        import numpy as np

        self.calls.append(list(sentences))
        rows = [[len(s), s.count("e"), s.count(" "), 1.0] for s in sentences]
        vectors = np.asarray(rows, dtype=np.float32).reshape(-1, self.dim)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_a_sentence_repeated_across_documents_is_encoded_once(monkeypatch) -> None:
    from wiretrace.align.sentences import sentence_view
    from wiretrace.engines.local import DetectSummary, embed_documents

    shared = "The ferry line said the new route to the northern islands opens in the spring."
    texts = {
        "a": f"{shared} Tickets go on sale next week at the harbour office.",
        "b": f"{shared} The crossing takes two hours in calm weather.",
    }
    views = {
        doc_id: sentence_view(
            build_document(RawRecord(unit=doc_id, source_path=doc_id, text=text), doc_id)
        )
        for doc_id, text in texts.items()
    }
    encoder = _CountingEncoder()
    monkeypatch.setitem(local._encoders, encoder.name, encoder)
    summary = DetectSummary()
    vectors = embed_documents(None, views, encoder.name, summary)
    (asked,) = encoder.calls
    assert sorted(asked) == sorted(set(asked)) and len(asked) == 3
    assert summary.sentences_encoded == 3
    assert [len(vectors[doc_id]) for doc_id in texts] == [2, 2]
    assert (vectors["a"][0] == vectors["b"][0]).all()
    assert not (vectors["a"][1] == vectors["b"][1]).all()


def test_story_facts_follow_the_divergences_stored_for_their_pairs(db: Path) -> None:
    # A story's facts show its pairs' stored divergences, and are made again when those
    # change (a pair judged again against another corpus may lose one).
    from dataclasses import replace

    from wiretrace.pipeline import DetectConfig
    from wiretrace.store import derived

    with open_store(db) as store:
        story_of = {d: s for s in store.iter_stories() for d in s.documents}
        pair = next(
            v
            for v in store.iter_pairs()
            if store.pair_divergences(v.a, v.b)
            and v.a in story_of
            and story_of.get(v.a) is story_of.get(v.b)
        )
        first = store.pair_divergences(pair.a, pair.b)[0]
        sentinel = replace(first, explanation="as the pair's detection stored it")
        store.put_pair(pair, [sentinel])
        store.commit()
        local.rebuild_stories(store, DetectConfig())
        facts = derived.story_facts(store, story_of[pair.a])
        shown = [d for f in facts for d in f.divergences if (d.a, d.b) == (pair.a, pair.b)]
        assert [d.explanation for d in shown] == ["as the pair's detection stored it"]
