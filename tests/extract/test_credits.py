"""Wire credits, datelines and bylines."""

from __future__ import annotations

import pytest

from wiretrace.extract.credits import canonical_agency, find_byline, find_credits

FILLER = "Officials said the work would begin in September and last three years. " * 12


@pytest.mark.parametrize(
    ("text", "credits"),
    [
        ("MOSCOW (Reuters) - Putin said on Wednesday.\n" + FILLER, ("Reuters",)),
        ("MOSCOW (Reuters) -- Putin said on Wednesday.\n" + FILLER, ("Reuters",)),
        ("MOSCOW/WASHINGTON, February 22 (Reuters) –\nPutin said.\n" + FILLER, ("Reuters",)),
        (
            "PORT CALLOW, March 4 (Meridian Press) - The board voted.\n" + FILLER,
            ("Meridian Press",),
        ),
        ("PARIS (AFP) - Le conseil a voté.\n" + FILLER, ("AFP",)),
        (FILLER + "Russia sold Asian powers more oil. REUTERS", ("Reuters",)),
        (FILLER + "The board will meet again in May.\n\n- Meridian Press", ("Meridian Press",)),
        (FILLER + "\n(Reporting by Jane Doe; Editing by John Roe)", ()),
        (FILLER + "\n(Reportage Reuters; version française Camille Raynaud)", ("Reuters",)),
        (FILLER + "\n(Additional reporting by AP)", ("AP",)),
    ],
)
def test_credits(text, credits):
    assert find_credits(text) == credits


def test_citing_an_agency_in_prose_is_not_a_credit():
    text = (
        FILLER
        + " Tass news agency cited Wang as saying China would adhere to its position. "
        + FILLER
    )
    assert find_credits(text) == ()
    text = FILLER + " Reuters reported last week that talks had stalled, the paper said. " + FILLER
    assert find_credits(text) == ()


def test_credits_are_sorted_and_unique():
    text = "LONDON (Reuters) - x.\n" + FILLER + "\n(Additional reporting by AP)"
    assert find_credits(text) == ("AP", "Reuters")
    text = "LONDON (Reuters) - x.\n" + FILLER + "They sold more oil. REUTERS"
    assert find_credits(text) == ("Reuters",)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("REUTERS", "Reuters"),
        ("Thomson Reuters", "Reuters"),
        ("associated  press", "AP"),
        ("Agence France-Presse", "AFP"),
        ("Meridian Press", "Meridian Press"),
        ("Reuters.", "Reuters"),
    ],
)
def test_canonical_agency(written, canonical):
    assert canonical_agency(written) == canonical


@pytest.mark.parametrize(
    ("text", "line", "name"),
    [
        ("By Jane Doe\nBody text.", "By Jane Doe", "Jane Doe"),
        ("Headline\nBY JANE DOE-SMITH\nBody.", "BY JANE DOE-SMITH", "JANE DOE-SMITH"),
        ("By Jane Doe\nLondon\nBody text.", "By Jane Doe", "Jane Doe"),
        (
            "par Guy Faulconbridge et Simon Lewis\nMOSCOU",
            "par Guy Faulconbridge et Simon Lewis",
            "Guy Faulconbridge et Simon Lewis",
        ),
        ("Von Jana Reuter\nText.", "Von Jana Reuter", "Jana Reuter"),
        (
            "By Jane Doe, John Roe and Ann Poe\nText.",
            "By Jane Doe, John Roe and Ann Poe",
            "Jane Doe, John Roe and Ann Poe",
        ),
        ("Stocks fell by 2% on Monday.\nText.", None, None),
        ("Body text first.\n" + FILLER * 2 + "\nBy Late Byline\n", None, None),
    ],
)
def test_byline(text, line, name):
    byline = find_byline(text)
    if line is None:
        assert byline is None
    else:
        assert (byline.line, byline.name) == (line, name)
