"""Divergences: each kind found where a version changed a fact, and nothing where it did not."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.align import align_documents, sentence_view
from wiretrace.diverge import fact_pairs, find_divergences
from wiretrace.errors import InputError
from wiretrace.extract.document import build_document
from wiretrace.model import (
    Direction,
    Divergence,
    DivergenceKind,
    Document,
    PairVerdict,
    Passage,
    PassageKind,
    RawRecord,
    ReuseType,
    SentencePair,
)

# A sentence both versions share word for word, so every test pair has a passage.
SHARED = (
    "The Veldran harbour board met in the old customs hall to discuss the new ferry "
    "timetable for the northern islands."
)


def doc(doc_id: str, *sentences: str) -> Document:
    text = "\n\n".join(sentences) + "\n"
    return build_document(RawRecord(unit=f"{doc_id}.txt", source_path="", text=text), doc_id)


def verdict_of(a: Document, b: Document) -> PairVerdict:
    passages = align_documents(sentence_view(a), sentence_view(b))
    return PairVerdict(
        a=a.id,
        b=b.id,
        type=ReuseType.EDITED,
        coverage_a=1.0,
        coverage_b=1.0,
        direction=Direction.UNKNOWN,
        credited=True,
        similarity=1.0,
        passages=passages,
    )


def divergences(first: str, second: str) -> tuple[Divergence, ...]:
    a, b = doc("a", SHARED, first), doc("b", SHARED, second)
    return find_divergences(a, b, verdict_of(a, b))


def kinds(first: str, second: str) -> list[str]:
    return [str(d.kind) for d in divergences(first, second)]


def test_a_changed_figure_is_a_number_divergence_with_both_spans() -> None:
    found = divergences(
        "Harbour fees will rise by 14% over the next five years, the board said on the day.",
        "Harbour fees will rise by 41% over the next five years, the board said on the day.",
    )
    assert [d.kind for d in found] == [DivergenceKind.NUMBER]
    (d,) = found
    assert (d.a_text, d.b_text) == ("14%", "41%")
    assert d.a_span is not None and d.b_span is not None
    assert d.a_span.length == 3 and d.b_span.length == 3


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A conversion in parentheses restates the figure.
        (
            "The ferry operator will invest US$200 billion (S$268 billion) a year in new boats.",
            "The ferry operator will invest $200 billion a year in new boats, the board said.",
        ),
        # Locale spellings and scale words.
        (
            "Le ferry coûtera 2,4 milliards de dollars et transportera 1 800 passagers par jour.",
            "Le ferry coûtera $2.4 billion et transportera 1,800 passagers par jour.",
        ),
        # The same two figures in another order are the same facts.
        (
            "Trade could reach $200 billion a year, up from $185 billion in 2022, he said.",
            "Trade could reach 200 billion this year, after 185 billion in 2022, he said.",
        ),
    ],
)
def test_equal_figures_written_differently_do_not_diverge(first: str, second: str) -> None:
    assert "number" not in kinds(first, second)


def test_a_range_does_not_agree_with_its_two_ends_stated_apart() -> None:
    found = divergences(
        "Trade was better than expected and could soon reach $200 billion a year, up from "
        "$185 billion in 2022.",
        "Trade was better than expected and could reach $185 billion to $200 billion a year "
        "in 2022.",
    )
    assert [d.kind for d in found] == [DivergenceKind.NUMBER]
    assert found[0].b_text == "$185 billion to $200 billion"


def test_a_figure_moved_to_another_sentence_is_not_a_change() -> None:
    a = doc(
        "a",
        SHARED,
        "The new ferry will carry 450 passengers on each crossing to the islands, officials said.",
        "Tickets will cost 12 crowns.",
    )
    b = doc(
        "b",
        SHARED,
        "The new ferry will carry 12 crowns worth of passengers on each crossing to the islands.",
        "It seats 450 passengers.",
    )
    assert not [d for d in find_divergences(a, b, verdict_of(a, b)) if d.kind == "number"]


def test_a_misspelt_name_is_a_name_divergence() -> None:
    found = divergences(
        "Transport minister Adaeze Okonkwo said the government would cover most of the cost.",
        "Transport minister Adaeze Okonkow said the government would cover most of the cost.",
    )
    assert [(d.kind, d.a_text, d.b_text) for d in found] == [
        (DivergenceKind.NAME, "Okonkwo", "Okonkow")
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A demonym is not a misspelling.
        (
            "The harbour board said the Veldran ferry would sail from the island every morning.",
            "The harbour board said the Veldrans ferry would sail from the island every morning.",
        ),
        # A replaced name (a paraphrase's "Moscow" for "Russia") is not reported as one.
        (
            "Analysts said Beijing would keep buying timber from the northern islands next year.",
            "Analysts said China would keep buying timber from the northern islands next year.",
        ),
        # A possessive is the same name.
        (
            "After Blinken's remarks the minister said the ferry plan would still go ahead.",
            "After Blinken remarked on it the minister said the ferry plan would still go ahead.",
        ),
    ],
)
def test_other_name_differences_are_not_misspellings(first: str, second: str) -> None:
    assert "name" not in kinds(first, second)


def test_changed_words_inside_a_quote_are_a_quote_divergence() -> None:
    found = divergences(
        '"This is the largest investment since the port was founded, and it keeps us '
        'competitive for forty years," the chair said.',
        '"This is the largest investment since the port was founded, and it makes us '
        'unbeatable for forty years," the chair said.',
    )
    assert [d.kind for d in found] == [DivergenceKind.QUOTE]
    assert found[0].a_text.startswith('"This is') and found[0].b_text.endswith('years,"')
    assert "competitive" in found[0].explanation and "unbeatable" in found[0].explanation


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Spelling variants and hyphenation.
        (
            '"Together we support multi-polarity and democratization in relations," he said.',
            '"Together we support multipolarity and democratisation in relations," he said.',
        ),
        # A quote cut short.
        (
            '"We are reaching new frontiers in trade and in the ferry service," he told them.',
            '"We are reaching new frontiers in trade," he told them after the meeting.',
        ),
    ],
)
def test_trivial_quote_differences_are_ignored(first: str, second: str) -> None:
    assert "quote" not in kinds(first, second)


def test_a_changed_pronoun_in_a_quote_counts() -> None:
    found = kinds(
        '"Together we support multi-polarity and democratization in relations," Wang told Putin.',
        '"I support both multipolarization and democratization in relations," Wang told Putin.',
    )
    assert found == ["quote"]


def test_a_quotation_given_to_another_speaker_is_a_quote_divergence() -> None:
    found = divergences(
        '"We will not raise the fares this winter," harbour chair Marguerite Solberg said.',
        '"We will not raise the fares this winter," said Tomas Okafor, the ferry operator.',
    )
    assert [d.kind for d in found] == [DivergenceKind.QUOTE]
    assert (found[0].a_text, found[0].b_text) == ("Marguerite Solberg", "Tomas Okafor")
    assert "given to Marguerite Solberg in a but to Tomas Okafor in b" in found[0].explanation


def test_an_abbreviated_title_does_not_end_the_attribution() -> None:
    found = divergences(
        '"We will not raise the fares this winter," Mrs. Marguerite Solberg said.',
        '"We will not raise the fares this winter," Dr. Tomas Okafor said.',
    )
    assert [(d.a_text, d.b_text) for d in found] == [("Marguerite Solberg", "Tomas Okafor")]


def test_a_quotation_introduced_before_it_is_attributed_too() -> None:
    # Speakers named by surname alone count when the text names them in full elsewhere.
    a = doc(
        "a",
        SHARED,
        "The harbour chair, Marguerite Solberg, opened the meeting.",
        'Solberg told reporters: "We will not raise the fares this winter."',
    )
    b = doc(
        "b",
        SHARED,
        "The ferry operator, Tomas Okafor, opened the meeting.",
        'Okafor told reporters: "We will not raise the fares this winter."',
    )
    found = find_divergences(a, b, verdict_of(a, b))
    assert [(d.kind, d.a_text, d.b_text) for d in found] == [
        (DivergenceKind.QUOTE, "Solberg", "Okafor")
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # One speaker, named more or less fully, with or without a title.
        (
            '"We will not raise the fares this winter," Marguerite Solberg said.',
            '"We will not raise the fares this winter," said Chair Solberg.',
        ),
        (
            '"We will not raise the fares this winter," President Xi Jinping said.',
            '"We will not raise the fares this winter," Xi said on Monday.',
        ),
        (
            '"We will not raise the fares this winter," Mrs. Solberg said.',
            '"We will not raise the fares this winter," said Marguerite Solberg.',
        ),
        # The listener is not the speaker.
        (
            '"We will not raise the fares this winter," Solberg told Okafor.',
            '"We will not raise the fares this winter," Solberg said.',
        ),
        # A side that names no speaker, or not clearly, says nothing about who spoke.
        (
            '"We will not raise the fares this winter," Solberg said.',
            '"We will not raise the fares this winter," she said.',
        ),
        (
            '"We will not raise the fares this winter," Solberg said.',
            '"We will not raise the fares this winter," the chair of Veldran Ferries said.',
        ),
        (
            '"We will not raise the fares this winter," Solberg said.',
            '"We will not raise the fares this winter," the board said in a note to Okafor.',
        ),
        # An institution and its spokesperson; a country and its capital.
        (
            '"We will not raise the fares this winter," the Kremlin said.',
            '"We will not raise the fares this winter," Kremlin spokesman Dmitry Peskov said.',
        ),
        (
            '"We will not raise the fares this winter," China said.',
            '"We will not raise the fares this winter," Beijing said.',
        ),
        # "States" is no speech verb.
        (
            '"We will not raise the fares this winter," the United States said.',
            '"We will not raise the fares this winter," Washington said.',
        ),
        # The name after "said" must end the clause and not be a possessive.
        (
            '"We will not raise the fares this winter," said Norway\'s premier, Jonas Store.',
            '"We will not raise the fares this winter," Jonas Store said.',
        ),
        # Lowercase particles belong to the name.
        (
            '"We will not raise the fares this winter," said Luiz Inacio Lula da Silva.',
            '"We will not raise the fares this winter," Lula da Silva said.',
        ),
        # The next sentence's speaker is not this quotation's.
        (
            'Solberg said: "We will not raise the fares this winter." Okafor said no more.',
            'Solberg said: "We will not raise the fares this winter." The board met again.',
        ),
        # The speaker of one version is mentioned in the other's sentence.
        (
            '"We will not raise the fares this winter," Tomas Okafor said Solberg told him.',
            '"We will not raise the fares this winter," Marguerite Solberg said.',
        ),
        # A misspelt speaker is a name divergence, not another speaker.
        (
            '"We will not raise the fares this winter," Marguerite Solberg said.',
            '"We will not raise the fares this winter," Marguerite Solbreg said.',
        ),
    ],
)
def test_the_same_or_an_unnamed_speaker_is_no_quote_divergence(first: str, second: str) -> None:
    assert "quote" not in kinds(first, second)


def test_a_negated_statement_is_a_negation_divergence() -> None:
    found = divergences(
        "The board said the northern ferry route would close before the winter storms arrive.",
        "The board said the northern ferry route would not close before the winter storms arrive.",
    )
    assert [d.kind for d in found] == [DivergenceKind.NEGATION]
    assert found[0].b_text == "not"


def test_the_same_predicate_given_to_the_other_actor_is_a_role_divergence() -> None:
    found = divergences(
        "Once a rival, Norland is now a junior partner to a resurgent Veldra which already "
        "leads in many offshore wind technologies.",
        "Once a rival, Norland is now at the forefront of many offshore wind technologies and "
        "a junior partner of a resurgent Veldra.",
    )
    assert [d.kind for d in found] == [DivergenceKind.ROLE]
    assert found[0].a_text.startswith("Veldra") and found[0].b_text.startswith("Norland")


def test_a_possessive_is_not_an_actor() -> None:
    found = kinds(
        "Washington fears Beijing could support Russia's invasion of the northern islands.",
        "Washington fears Beijing could provide support to the invasion of the northern islands.",
    )
    assert "role" not in found


def test_an_added_date_is_a_claim_and_the_dateline_is_not() -> None:
    found = divergences(
        "PORT CALLOW, March 4 (Meridian Press) - When the leaders met just before the war, "
        "they sealed a partnership that worried the West.",
        "When the leaders met just before the war began on Feb 24, 2022, they sealed a "
        "partnership that worried the West.",
    )
    assert [(d.kind, d.b_text) for d in found] == [(DivergenceKind.CLAIM, "Feb 24, 2022")]
    assert found[0].a_span is not None  # the counterpart sentence that lacks the date


def test_an_added_day_is_a_claim() -> None:
    found = divergences(
        "The president said on Wednesday that the ferry minister would visit the islands.",
        "The president said that the ferry minister would visit the islands in the coming months.",
    )
    assert sorted(d.explanation.split("'")[1] for d in found) == ["the coming months", "wednesday"]
    assert {d.kind for d in found} == {DivergenceKind.CLAIM}


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


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A negation in a clause only one version has.
        (
            "He did not say where the money would come from, but the board expects the ferry "
            "to sail in May.",
            "The board expects the ferry to sail in May, the harbour master said on the quay.",
        ),
        # A reworded phrase that happens to hold "no".
        (
            "The two ports sealed a no limits partnership that worried the northern islands.",
            "The two ports struck up a cross-border partnership that worried the northern islands.",
        ),
        # A garbled apostrophe is the same negation.
        (
            'The minister said "we don"t expect a problem with the ferry accounts" on the quay.',
            'The minister said "we don\'t expect a problem with the ferry accounts" on the quay.',
        ),
    ],
)
def test_negation_words_outside_a_polarity_flip_are_ignored(first: str, second: str) -> None:
    assert "negation" not in kinds(first, second)


def test_a_thing_owned_is_not_a_role() -> None:
    assert "role" not in kinds(
        "Officials said Norland and Veldra met, and Veldra confirmed its reorganization plan "
        "on the quay.",
        "Officials said Norland and Veldra met, and Norland said its reorganization plan was "
        "ready.",
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Sergey", "Sergei"),
        ("Dmitry", "Dmitri"),
        ("Gorbachev", "Gorbachov"),
        ("Aleksandr", "Alexandr"),
        ("Mikhail", "Mihail"),
    ],
)
def test_two_transliterations_of_one_name_are_no_name_divergence(first: str, second: str) -> None:
    sentence = "Foreign minister {} Petrov said the talks would resume in the spring."
    assert kinds(sentence.format(first), sentence.format(second)) == []


def _typed(a: Document, b: Document, reuse: ReuseType) -> PairVerdict:
    return replace(verdict_of(a, b), type=reuse)


def test_separate_reports_and_templates_have_no_divergences() -> None:
    # Two instances of one formula: every figure differs, nobody changed anything.
    a = doc("a", SHARED, "Harbour fees will rise by 14% over the next five years, the board said.")
    b = doc("b", SHARED, "Harbour fees will rise by 41% over the next five years, the board said.")
    assert [d.kind for d in find_divergences(a, b, _typed(a, b, ReuseType.EDITED))] == [
        DivergenceKind.NUMBER
    ]
    assert find_divergences(a, b, _typed(a, b, ReuseType.RELATED)) == ()


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
    whole = {d.kind for d in find_divergences(a, b, _typed(a, b, ReuseType.EDITED))}
    partial = {d.kind for d in find_divergences(a, b, _typed(a, b, ReuseType.PARTIAL))}
    assert DivergenceKind.CLAIM in whole
    assert partial == {DivergenceKind.NUMBER}
