"""Story-level similarity: range, symmetry, and what moves it (meaning, facts, dates).

The articles below are fictional, written for these tests. The tests that encode text
need the USE model (the semantic extra) and skip without it; the others run on
hand-made vectors.
"""

from __future__ import annotations

import math
import os
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.engines import local
from wiretrace.errors import ConfigError
from wiretrace.extract.document import build_document
from wiretrace.model import Document, RawRecord
from wiretrace.semantic.encoders import USE, Encoder, installed_encoders
from wiretrace.semantic.story import (
    DATED_MODEL,
    TEXT_MODEL,
    StoryConfig,
    StoryFeatures,
    StoryProfile,
    cached_lead_vectors,
    day_of_date,
    lead_sentences,
    lead_vector,
    profile_documents,
    story_features,
    story_probability,
    story_similarities,
    story_similarity,
)

EXTRA = "pip install 'wiretrace[semantic]'"

FERRY_WIRE = """Ferry workers in Lindqvist Harbour walked off the job on Monday, stranding about
4,000 commuters on the islands of Brenna and Oskay, the Coastal Transport Union said.
The union called the 48-hour strike after talks with the ferry operator Nordvalen Lines
broke down over a proposed cut to night-shift pay.
Union secretary Ingrid Halvorsen said crews had been offered a 6% raise spread over three
years, well below inflation.
Nordvalen Lines said it had arranged two chartered boats for hospital staff and school
pupils and urged other passengers to postpone their journeys.
The harbour master expected queues at the water-taxi piers to last until Wednesday.
"""

FERRY_OTHER_OUTLET = """Thousands of island commuters were left without a crossing on Monday as
ferry crews in Lindqvist Harbour began a two-day stoppage.
The Coastal Transport Union accused Nordvalen Lines of trying to cut night pay and said its
members rejected a pay offer of 6% over three years.
"We have been patient for eighteen months," said the union's Ingrid Halvorsen.
The company laid on two chartered vessels for nurses, doctors and schoolchildren from Brenna
and Oskay, and asked everyone else to stay at home if they could.
"""

FERRY_FRENCH = """Les employés des ferries de Lindqvist Harbour ont cessé le travail lundi, laissant
environ 4 000 navetteurs bloqués sur les îles de Brenna et d'Oskay, a indiqué le syndicat
Coastal Transport Union.
Le syndicat a lancé une grève de 48 heures après l'échec des négociations avec l'exploitant
Nordvalen Lines sur une baisse proposée de la rémunération des équipes de nuit.
La secrétaire du syndicat, Ingrid Halvorsen, a déclaré que les équipages s'étaient vu proposer
une hausse de 6 % étalée sur trois ans, bien en dessous de l'inflation.
Nordvalen Lines a indiqué avoir affrété deux bateaux pour le personnel hospitalier et les
élèves et a invité les autres passagers à reporter leurs déplacements.
Le capitaine du port s'attend à des files d'attente aux pontons des bateaux-taxis jusqu'à
mercredi.
"""

ORCHARD_STORY = """A late frost has destroyed most of the apricot blossom in the Verrine valley,
growers said on Tuesday, warning that this summer's harvest could be the smallest in twenty
years.
Temperatures fell to minus four degrees for two nights in a row just as the trees came into
flower, according to the regional weather office.
The growers' cooperative in Saint-Aubrac estimated that three quarters of the crop was lost
and asked the regional council for emergency aid.
Some orchards had lit candles and run wind machines through the night, with little effect.
"""


def require_use() -> None:
    """Skip (or, where CI requires it, fail) when the USE model is not installed."""
    if USE not in installed_encoders():
        message = f"the USE sentence encoder is not installed ({EXTRA})"
        if os.environ.get("WIRETRACE_REQUIRE_SHARED") == "1":
            pytest.fail(message + "; WIRETRACE_REQUIRE_SHARED=1 requires the semantic extra")
        pytest.skip(message)


def document(doc_id: str, text: str, date: str | None = "2026-03-02") -> Document:
    """A document as the pipeline builds it from a record."""
    raw = RawRecord(unit=doc_id, source_path=f"{doc_id}.jsonl", text=text, date=date)
    return build_document(raw, doc_id)


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    """The engine's USE encoder (loaded once per test session, shared with other tests)."""
    require_use()
    return local._encoder(USE)


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    """The four fictional articles, all dated the same day."""
    return {
        "wire": document("wire", FERRY_WIRE),
        "other": document("other", FERRY_OTHER_OUTLET),
        "french": document("french", FERRY_FRENCH),
        "orchard": document("orchard", ORCHARD_STORY),
    }


@pytest.fixture(scope="module")
def similarity(encoder: Encoder, docs: dict[str, Document]) -> dict[tuple[str, str], float]:
    """Story similarity of every ordered pair, from profiles computed once."""
    names = list(docs)
    profiles = profile_documents([docs[n] for n in names], encoder)
    pairs = np.array([(i, j) for i in range(len(names)) for j in range(len(names)) if i != j])
    values = story_similarities(profiles, pairs)
    return {(names[i], names[j]): float(v) for (i, j), v in zip(pairs, values, strict=True)}


def test_similarities_are_probabilities_and_symmetric(similarity) -> None:
    for (a, b), value in similarity.items():
        assert 0.0 <= value <= 1.0
        assert value == similarity[(b, a)]


def test_same_event_in_other_words_beats_a_different_event(similarity) -> None:
    same_event = similarity[("wire", "other")]
    assert same_event > 0.5
    # Published the same day, which the dated model counts for something: still far apart.
    assert similarity[("wire", "orchard")] < 0.2
    assert similarity[("other", "orchard")] < 0.2
    assert same_event > 4 * max(similarity[("wire", "orchard")], similarity[("other", "orchard")])


def test_a_translation_scores_high(similarity) -> None:
    assert similarity[("wire", "french")] > 0.9
    assert similarity[("wire", "french")] > similarity[("wire", "other")]
    assert similarity[("french", "orchard")] < 0.2


def test_days_between_publications_lower_the_score(encoder, docs) -> None:
    dates = ("2026-03-02", "2026-03-05", "2026-04-11", "2027-04-06")  # 0, 3, 40, 400 days
    scores = [
        story_similarity(docs["wire"], replace(docs["other"], date=date), encoder) for date in dates
    ]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)


def test_a_missing_date_is_neutral(encoder, docs) -> None:
    undated = replace(docs["other"], date=None)
    profiles = profile_documents([docs["wire"], undated, docs["other"]], encoder)
    features = story_features(profiles[0], profiles[1])
    assert features.days_apart is None
    # Without a date the text-only model decides: the dated model is never consulted.
    absurd = replace(DATED_MODEL, intercept=-1e6)
    assert story_probability(features) == story_probability(
        features, StoryConfig(dated_model=absurd)
    )
    same_day = story_features(profiles[0], profiles[2])
    assert same_day.days_apart == 0.0
    assert same_day.cosine == pytest.approx(features.cosine)


def test_single_pair_agrees_with_the_batch(encoder, docs, similarity) -> None:
    single = story_similarity(docs["wire"], docs["french"], encoder)
    assert single == pytest.approx(similarity[("wire", "french")], abs=1e-6)


def test_only_the_calibrated_encoder_is_accepted(docs) -> None:
    class Other:
        name = "minilm"
        dim = 3

        def encode(self, sentences):
            return np.ones((len(sentences), 3), dtype=np.float32) / math.sqrt(3)

    with pytest.raises(ConfigError, match="calibrated"):
        story_similarity(docs["wire"], docs["other"], Other())


# Hand-made vectors: no model needed.


def profile(vector, anchors=(), day=None) -> StoryProfile:
    unit = np.asarray(vector, dtype=np.float32)
    unit = unit / np.linalg.norm(unit)
    return StoryProfile("d", unit, np.array(sorted(set(anchors)), dtype=np.uint64), day)


@given(
    cosine=st.floats(-1.0, 1.0),
    shared=st.integers(0, 10_000),
    days=st.one_of(st.none(), st.floats(0.0, 1e6)),
)
def test_probability_is_in_unit_interval(cosine: float, shared: int, days: float | None) -> None:
    value = story_probability(StoryFeatures(cosine, shared, days))
    assert 0.0 <= value <= 1.0


@given(
    a=st.lists(st.floats(-1, 1), min_size=4, max_size=4).filter(
        lambda v: any(abs(x) > 0.1 for x in v)
    ),
    b=st.lists(st.floats(-1, 1), min_size=4, max_size=4).filter(
        lambda v: any(abs(x) > 0.1 for x in v)
    ),
    anchors_a=st.sets(st.integers(0, 20)),
    anchors_b=st.sets(st.integers(0, 20)),
    day_a=st.one_of(st.none(), st.floats(0, 1e5)),
    day_b=st.one_of(st.none(), st.floats(0, 1e5)),
)
def test_features_are_symmetric(a, b, anchors_a, anchors_b, day_a, day_b) -> None:
    first, second = profile(a, anchors_a, day_a), profile(b, anchors_b, day_b)
    assert story_features(first, second) == story_features(second, first)


def test_more_meaning_facts_and_closeness_each_raise_the_score() -> None:
    base = StoryFeatures(cosine=0.5, num_shared_anchors=2, days_apart=5.0)
    for better in (
        replace(base, cosine=0.7),
        replace(base, num_shared_anchors=6),
        replace(base, days_apart=1.0),
    ):
        assert story_probability(better) > story_probability(base)
    assert TEXT_MODEL.log_days_apart == 0.0
    assert DATED_MODEL.log_days_apart < 0.0


def test_lead_vector_weights_the_first_and_longer_sentences() -> None:
    vectors = np.eye(3, dtype=np.float32)
    lead = lead_vector(["x" * 30, "x" * 30, "x" * 60], vectors)
    # Weights 30/1, 30/2, 60/3: the first sentence counts most.
    expected = np.array([30.0, 15.0, 20.0]) / np.linalg.norm([30.0, 15.0, 20.0])
    np.testing.assert_allclose(lead, expected, rtol=1e-6)
    assert lead.dtype == np.float32
    assert not lead_vector([], np.zeros((0, 3), dtype=np.float32)).any()


def test_lead_has_the_title_once_and_at_most_max_sentences() -> None:
    doc = document("d", FERRY_WIRE, date=None)
    assert lead_sentences(doc, 2) == [doc.text[s.start : s.end] for s in doc.sentences[:2]]
    titled = replace(doc, title="Ferry strike strands island commuters")
    assert lead_sentences(titled, 3)[0] == "Ferry strike strands island commuters"
    assert len(lead_sentences(titled, 3)) == 3
    # A title the text already starts with is not counted twice.
    first = doc.text[doc.sentences[0].start : doc.sentences[0].end]
    assert lead_sentences(replace(doc, title=first), 2) == lead_sentences(doc, 2)


def test_bad_arguments_say_what_was_expected() -> None:
    with pytest.raises(ConfigError, match=">= 1"):
        StoryConfig(max_lead_sentences=0)
    with pytest.raises(ConfigError, match=r"shape \(n, 2\)"):
        story_similarities([profile([1, 0])], np.array([0, 0, 0]))
    assert story_similarities([], np.zeros((0, 2))).shape == (0,)


class _Hashed:
    """A stand-in USE: a fixed pseudo-random unit vector per text (no model)."""

    name = USE
    dim = 16

    def encode(self, sentences):
        rows = [
            np.random.default_rng(abs(hash(s)) % 2**32).standard_normal(self.dim) for s in sentences
        ]
        matrix = np.array(rows, dtype=np.float32).reshape(len(sentences), self.dim)
        return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


@settings(deadline=None)
@given(
    max_sentences=st.integers(min_value=1, max_value=8),
    titled=st.booleans(),
    cached=st.booleans(),
)
def test_cached_sentence_vectors_give_the_encoded_lead(
    max_sentences: int, titled: bool, cached: bool
) -> None:
    doc = document("d", FERRY_WIRE, date=None)
    if titled:
        doc = replace(doc, title="Ferry strike strands island commuters")
    fake, config = _Hashed(), StoryConfig(max_lead_sentences=max_sentences)
    sentences = fake.encode([doc.text[s.start : s.end] for s in doc.sentences])
    (fresh,) = cached_lead_vectors([doc], fake, config)
    (found,) = cached_lead_vectors([doc], fake, config, {"d": sentences} if cached else None)
    np.testing.assert_allclose(found, fresh, atol=1e-6)
    lead = lead_sentences(doc, max_sentences)
    np.testing.assert_allclose(fresh, lead_vector(lead, fake.encode(lead)), atol=1e-6)


def test_a_cache_of_another_length_is_not_trusted() -> None:
    doc = document("d", FERRY_WIRE, date=None)
    fake = _Hashed()
    (fresh,) = cached_lead_vectors([doc], fake)
    (found,) = cached_lead_vectors([doc], fake, sentence_vectors={"d": np.ones((1, 16))})
    np.testing.assert_allclose(found, fresh, atol=1e-6)


def test_a_date_string_becomes_days_since_the_epoch() -> None:
    assert day_of_date("1970-01-02") == pytest.approx(1.0)
    assert day_of_date(None) is None
    assert day_of_date("not a date") is None
