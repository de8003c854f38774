"""The semantic layer's configuration and gate: when a pair is worth embedding (no models)."""

from __future__ import annotations

import numpy as np
import pytest

from wiretrace.errors import ConfigError
from wiretrace.model import Passage, PassageKind, Span
from wiretrace.segment import UNDETERMINED
from wiretrace.semantic import (
    MINILM,
    USE,
    SemanticConfig,
    encoder_for,
    is_cross_language,
    require_encoders,
    sentence_similarity,
    wants_semantic,
)
from wiretrace.semantic import encoders as encoders_module

CONFIG = SemanticConfig()
PASSAGE = Passage(a=Span(0, 40), b=Span(0, 42), kind=PassageKind.EDITED, similarity=0.8)


def gate(
    lang_a: str = "en",
    lang_b: str = "en",
    passages: tuple[Passage, ...] = (),
    coverage: float = 0.0,
    cosine: float = 0.3,
    facts: int = 5,
    config: SemanticConfig = CONFIG,
) -> bool:
    return wants_semantic(lang_a, lang_b, passages, coverage, cosine, facts, config)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mode": "sometimes"},
        {"mode": "ALL"},
        {"english_encoder": "bert"},
        {"multilingual_encoder": "labse"},
    ],
)
def test_a_bad_mode_or_encoder_is_a_config_error_naming_the_choices(kwargs) -> None:
    with pytest.raises(ConfigError, match="one of") as caught:
        SemanticConfig(**kwargs)
    assert repr(next(iter(kwargs.values()))) in str(caught.value)


def test_the_default_config_is_auto_with_minilm_for_english_and_use_otherwise() -> None:
    assert (CONFIG.mode, CONFIG.english_encoder, CONFIG.multilingual_encoder) == (
        "auto",
        MINILM,
        USE,
    )


def installed(monkeypatch, names: tuple[str, ...]) -> None:
    """Pretend only ``names`` are importable (require_encoders asks this)."""
    monkeypatch.setattr(encoders_module, "installed_encoders", lambda: names)
    monkeypatch.setattr("wiretrace.semantic.installed_encoders", lambda: names)


def test_require_encoders_names_the_extra_for_a_missing_model(monkeypatch) -> None:
    installed(monkeypatch, (USE,))
    require_encoders([USE])
    with pytest.raises(ConfigError, match=r"wiretrace\[semantic\]"):
        require_encoders([MINILM, USE])


@pytest.mark.parametrize(
    ("lang_a", "lang_b", "expected"),
    [
        ("en", "fr", True),
        ("fr", "de", True),
        ("en", "en", False),
        ("en", UNDETERMINED, False),
        (UNDETERMINED, "fr", False),
        (UNDETERMINED, UNDETERMINED, False),
    ],
)
def test_cross_language_needs_two_determined_different_languages(lang_a, lang_b, expected) -> None:
    assert is_cross_language(lang_a, lang_b) is expected


@pytest.mark.parametrize(
    ("lang_a", "lang_b", "expected"),
    [("en", "en", MINILM), ("en", "fr", USE), ("fr", "en", USE), ("fr", "fr", USE)],
)
def test_english_pairs_get_the_english_encoder_and_others_the_multilingual(
    lang_a, lang_b, expected
) -> None:
    assert encoder_for(lang_a, lang_b, CONFIG) == expected


def test_encoder_for_follows_the_configured_names() -> None:
    config = SemanticConfig(english_encoder=USE, multilingual_encoder=USE)
    assert encoder_for("en", "en", config) == USE


def test_an_undecided_same_language_pair_of_one_event_is_embedded() -> None:
    assert gate()
    assert gate("en", UNDETERMINED)
    # Lexical passages that cover little of either side do not decide the pair.
    assert gate(passages=(PASSAGE,), coverage=CONFIG.decided_coverage - 0.01)


def test_mode_off_never_embeds() -> None:
    assert not gate(config=SemanticConfig(mode="off"))
    assert not gate("en", "fr", config=SemanticConfig(mode="off"))


def test_a_pair_mostly_covered_by_lexical_passages_is_decided() -> None:
    assert not gate(passages=(PASSAGE,), coverage=CONFIG.decided_coverage)
    assert not gate("en", "fr", passages=(PASSAGE,), coverage=1.0)
    # Coverage without any passage is no decision (nothing was aligned).
    assert gate(passages=(), coverage=1.0)


@pytest.mark.parametrize(("lang_a", "lang_b"), [("en", "sw"), ("hi", "en"), ("fi", "fi")])
def test_languages_the_multilingual_model_does_not_know_are_not_embedded(lang_a, lang_b) -> None:
    assert not gate(lang_a, lang_b)


def test_cross_language_pairs_need_shared_facts_only() -> None:
    least = CONFIG.min_shared_facts_cross_language
    assert gate("en", "fr", cosine=0.0, facts=least)
    assert not gate("en", "fr", cosine=0.9, facts=least - 1)


def test_same_language_pairs_need_both_vocabulary_cosine_and_shared_facts() -> None:
    cosine, facts = CONFIG.min_vocabulary_cosine, CONFIG.min_shared_facts
    assert gate(cosine=cosine, facts=facts)
    assert not gate(cosine=cosine - 0.01, facts=facts + 10)
    assert not gate(cosine=0.9, facts=facts - 1)
    assert gate("fr", "fr", cosine=cosine, facts=facts)


def test_sentence_similarity_is_the_cosine_matrix_of_normalized_vectors() -> None:
    rng = np.random.default_rng(7)
    a = rng.normal(size=(3, 8)).astype(np.float32)
    b = rng.normal(size=(5, 8)).astype(np.float32)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    similarity = sentence_similarity(a, b, cross_language=True)
    assert similarity.cross_language
    assert similarity.matrix.shape == (3, 5)
    expected = [[float(x @ y) for y in b] for x in a]
    np.testing.assert_allclose(similarity.matrix, expected, atol=1e-6)
    itself = sentence_similarity(a, a, cross_language=False)
    assert not itself.cross_language
    np.testing.assert_allclose(np.diag(itself.matrix), 1.0, atol=1e-6)
