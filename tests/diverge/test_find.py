"""find_divergences: which pairs and sentences are compared, and with which checks."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diverge.pairs import SHARED, doc, typed, verdict_of
from wiretrace.diverge import fact_pairs, find_divergences
from wiretrace.errors import InputError
from wiretrace.model import DivergenceKind, Passage, PassageKind, ReuseType, SentencePair


def test_rewritten_sentences_outside_passages_are_compared_as_fact_pairs() -> None:
    a = doc(
        "a",
        SHARED,
        "Transport Minister Adaeze Okonkwo said the government would cover 30% of the cost, "
        "with the remainder raised through green bonds and private equity.",
    )
    b = doc(
        "b",
        SHARED,
        "The state will pick up 30% of the bill, according to Transport Minister Adaeze "
        "Okonkow, while the rest will be raised via green bonds and private equity.",
    )
    verdict = verdict_of(a, b)
    assert len(verdict.passages) == 1
    pairs = fact_pairs(a, b, verdict)
    assert len(pairs) == 1 and pairs[0].kind == PassageKind.PARAPHRASE
    assert [d.kind for d in find_divergences(a, b, verdict)] == [DivergenceKind.NAME]


def test_documents_in_either_order_give_the_verdicts_orientation() -> None:
    a = doc("a", SHARED, "Harbour fees will rise by 14% over the next five years, the board said.")
    b = doc("b", SHARED, "Harbour fees will rise by 41% over the next five years, the board said.")
    verdict = verdict_of(a, b)
    assert find_divergences(b, a, verdict) == find_divergences(a, b, verdict)
    with pytest.raises(InputError, match="pass the two documents of that pair"):
        find_divergences(a, doc("c", SHARED), verdict)


def test_across_languages_only_figures_and_names_are_compared() -> None:
    a = doc("a", SHARED, '"Nous ne fermerons pas le port," a dit le ministre Okonkwo le 4 mars.')
    b = doc("b", SHARED, '"We will close the port," minister Okonkwo said on March 4.')
    a, b = replace(a, language="fr"), replace(b, language="en")
    pair = SentencePair(a.sentences[-1], b.sentences[-1], 0.5, PassageKind.TRANSLATION)
    passage = Passage(pair.a, pair.b, PassageKind.TRANSLATION, 0.5, (pair,))
    verdict = replace(verdict_of(a, b), passages=(passage,))
    assert find_divergences(a, b, verdict) == ()


SENTENCES = st.sampled_from(
    [
        "The harbour board approved a $2.4 billion expansion of the eastern terminal on Monday.",
        '"We will not accept a terminal built on our backs," union secretary Tomasz Lund said.',
        "Port Callow handled 4.1 million containers last year, up 6.5% from 2024.",
        "Analysts at Brennic Capital expect throughput of 7.5 million containers by 2031.",
        "Construction is due to begin in September and will run in three phases.",
        "Veldra, which already leads in many wind technologies, buys most of the timber.",
    ]
)


@settings(max_examples=25, deadline=None)
@given(st.lists(SENTENCES, min_size=1, max_size=5, unique=True))
def test_a_text_compared_with_itself_has_no_divergences(sentences: list[str]) -> None:
    a, b = doc("a", *sentences), doc("b", *sentences)
    assert find_divergences(a, b, verdict_of(a, b)) == ()


def test_separate_reports_and_templates_have_no_divergences() -> None:
    # Two instances of one formula: every figure differs, nobody changed anything.
    a = doc("a", SHARED, "Harbour fees will rise by 14% over the next five years, the board said.")
    b = doc("b", SHARED, "Harbour fees will rise by 41% over the next five years, the board said.")
    assert [d.kind for d in find_divergences(a, b, typed(a, b, ReuseType.EDITED))] == [
        DivergenceKind.NUMBER
    ]
    assert find_divergences(a, b, typed(a, b, ReuseType.RELATED)) == ()


def test_a_partial_pair_compares_its_passages_but_claims_nothing_beyond_them() -> None:
    a = doc(
        "a",
        SHARED,
        "Harbour fees will rise by 14% over the next five years, the board said.",
        "The new ferry will sail on Monday and carry 350 passengers.",
    )
    b = doc(
        "b",
        SHARED,
        "Harbour fees will rise by 41% over the next five years, the board said.",
        "The new ferry will sail from the old pier and carry 350 passengers.",
    )
    whole = {d.kind for d in find_divergences(a, b, typed(a, b, ReuseType.EDITED))}
    partial = {d.kind for d in find_divergences(a, b, typed(a, b, ReuseType.PARTIAL))}
    assert DivergenceKind.CLAIM in whole
    assert partial == {DivergenceKind.NUMBER}
