"""Quote divergences: changed quoted words and quotations given to another speaker."""

from __future__ import annotations

import pytest

from tests.diverge.pairs import SHARED, divergences, doc, kinds, verdict_of
from wiretrace.diverge import find_divergences
from wiretrace.model import DivergenceKind


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


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A letter fixed: a typo, not another word of the speaker's.
        (
            '"They will probably pay an increasing role in the ferry trade," he said.',
            '"They will probably play an increasing role in the ferry trade," he said.',
        ),
        # An editor's aside in brackets.
        (
            '"We compete with firms like Brennic Holdings (BH), which cost a lot," he said.',
            '"We compete with firms like Brennic Holdings, which cost a lot," he said.',
        ),
        # Two statements of one speaker that share a clause: another quotation.
        (
            '"In my answer to the harbour board on March 17 2003, I explained my own view '
            'that the ferry was lawful under the charter," she said.',
            '"As I have always made clear, I set out in the answer to them my own view that '
            'the ferry was lawful under the charter," she said.',
        ),
    ],
)
def test_typos_asides_and_other_statements_are_no_changed_quote(first: str, second: str) -> None:
    assert "quote" not in kinds(first, second)
