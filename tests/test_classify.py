"""Classify: templates are not reuse; direction from credits before dates, with its evidence."""

from __future__ import annotations

from dataclasses import replace

from wiretrace.align import align_documents, sentence_view
from wiretrace.classify import (
    DirectionBasis,
    PairEvidence,
    _other_subjects,
    aligned_frame_grams,
    classify_pair,
    infer_direction,
    is_credited,
)
from wiretrace.extract.document import build_document
from wiretrace.model import (
    Direction,
    Document,
    Passage,
    PassageKind,
    RawRecord,
    ReuseType,
    SentencePair,
)

TEMPLATE = (
    "The central bank injected {a} billion crowns into the money market on {day} at an "
    "average rate of {r} percent. Banks bid for a total of {b} billion crowns in the "
    "operation, the bank said in a statement. The bank also drained {c} million crowns "
    "through its overnight deposit facility at the end of trading."
)


def doc_from(text: str, doc_id: str) -> Document:
    return build_document(RawRecord(unit=f"{doc_id}.txt", source_path="", text=text), doc_id)


def evidence(a: Document, b: Document, **facts: int) -> PairEvidence:
    va, vb = sentence_view(a), sentence_view(b)
    return PairEvidence(
        a=va,
        b=vb,
        passages=align_documents(va, vb),
        vocabulary_cosine=facts.get("cosine", 0.9),
        shared_names=facts.get("names", 0),
        shared_numbers=facts.get("numbers", 0),
        shared_quotes=facts.get("quotes", 0),
    )


def test_template_pair_with_all_numbers_different_is_not_reuse() -> None:
    mon = doc_from(TEMPLATE.format(a="1.2", day="Monday", r="3.5", b="2.4", c="300"), "mon")
    tue = doc_from(TEMPLATE.format(a="1.7", day="Tuesday", r="3.6", b="2.9", c="450"), "tue")
    ev = evidence(mon, tue)
    assert ev.passages, "the shared formula aligns sentence by sentence"
    assert classify_pair(ev) is None


def test_same_template_with_the_same_numbers_is_a_copy() -> None:
    text = TEMPLATE.format(a="1.2", day="Monday", r="3.5", b="2.4", c="300")
    verdict = classify_pair(evidence(doc_from(text, "x"), doc_from(text, "y")))
    assert verdict is not None
    assert verdict.type == ReuseType.DUPLICATE
    assert verdict.coverage_a == verdict.coverage_b == 1.0


def test_one_changed_number_is_an_edit_not_a_template() -> None:
    a = doc_from(TEMPLATE.format(a="1.2", day="Monday", r="3.5", b="2.4", c="300"), "x")
    b = doc_from(TEMPLATE.format(a="1.2", day="Monday", r="3.5", b="2.4", c="350"), "y")
    verdict = classify_pair(evidence(a, b))
    assert verdict is not None
    assert verdict.type in (ReuseType.DUPLICATE, ReuseType.EDITED)


def test_template_pair_with_most_figures_changed_is_not_reuse() -> None:
    # The day and one amount agree (two days' operations of one size happen): the other
    # figures, which carry the news, changed, so this is one formula filled twice.
    mon = doc_from(TEMPLATE.format(a="1.2", day="Monday", r="3.5", b="2.4", c="300"), "mon")
    tue = doc_from(TEMPLATE.format(a="1.7", day="Monday", r="3.6", b="2.9", c="300"), "tue")
    assert classify_pair(evidence(mon, tue)) is None


REPORT_A = (
    "The harbour board of Port Callow voted on Tuesday to raise landing fees for cargo "
    "ships by a fifth from next spring. Board chair Marguerite Solberg said the money "
    "would pay for dredging the northern channel, which silted up after the winter storms. "
    "Shipping firms called the decision a blow to a port that has lost trade to its rivals. "
    "The board last raised its fees six years ago, when the new container crane opened. "
    "Two of its members voted against the rise and asked for a study of its cost to trade."
)
REPORT_B = (
    "Cargo ships calling at Port Callow will pay a fifth more to land from next spring "
    "after its harbour board voted for the rise on Tuesday. Local fishermen, who are "
    "exempt, welcomed the plan. The ferry company said timetables would not change, and "
    "the mayor promised a public meeting on the future of the old customs hall. "
    "Tourism officials expect a record summer for the island ferries this year. "
    "The town council will publish its own budget for the harbour district next month."
)


def test_one_reworded_sentence_in_otherwise_different_texts_is_not_reuse() -> None:
    a, b = doc_from(REPORT_A, "a"), doc_from(REPORT_B, "b")
    # The first sentences state one fact in other words (as the semantic layer pairs them).
    pair = SentencePair(a.sentences[0], b.sentences[0], 0.62, PassageKind.PARAPHRASE)
    passage = Passage(pair.a, pair.b, PassageKind.PARAPHRASE, 0.62, sentence_pairs=(pair,))
    ev = replace(evidence(a, b, names=3, numbers=1), passages=(passage,))
    verdict = classify_pair(ev)
    assert verdict is not None and verdict.type == ReuseType.RELATED
    assert not verdict.passages and "separate reporting" in " ".join(verdict.reasons)
    assert verdict.similarity >= 0.62 * 0.1  # what the reworded sentences share still counts
    # The same sentence copied word for word is a reused passage.
    copied = Passage(
        pair.a,
        pair.b,
        PassageKind.VERBATIM,
        1.0,
        sentence_pairs=(SentencePair(pair.a, pair.b, 1.0, PassageKind.VERBATIM),),
    )
    verdict = classify_pair(replace(ev, passages=(copied,)))
    assert verdict is not None and verdict.type == ReuseType.PARTIAL


def test_too_little_aligned_text_is_not_reuse_without_related_facts() -> None:
    a = doc_from("Markets rose sharply on Monday after the central bank decision.", "x")
    b = doc_from("Markets rose sharply on Monday. Farmers protested about diesel prices.", "y")
    assert classify_pair(evidence(a, b, cosine=0.1)) is None


def test_same_story_without_shared_wording_is_related() -> None:
    a = doc_from("Thieves stole the Nightingale clock from the Brassholm museum overnight.", "x")
    b = doc_from("Galdmoor curators said the jewelled automaton vanished before dawn.", "y")
    verdict = classify_pair(evidence(a, b, cosine=0.3, names=3, numbers=1))
    assert verdict is not None
    assert verdict.type == ReuseType.RELATED
    assert verdict.passages == ()
    assert classify_pair(evidence(a, b, cosine=0.3, names=2, numbers=1)) is None
    assert classify_pair(evidence(a, b, cosine=0.3, names=3, numbers=0)) is None


def doc(
    doc_id: str,
    *,
    source: str | None = None,
    credits: tuple[str, ...] = (),
    date: str | None = None,
) -> Document:
    return Document(id=doc_id, text="x", original="x", source=source, credits=credits, date=date)


WIRE = doc("wire", source="Reuters", credits=("Reuters",), date="2026-03-04T09:00:00Z")
# Coverage of a pair that reused text (a partial copy), and of a related pair that did not.
REUSED = {"coverage_a": 0.4, "coverage_b": 0.3}
NOT_REUSED = {"coverage_a": 0.0, "coverage_b": 0.0}


def direction(a: Document, b: Document, **coverage: float) -> Direction:
    return infer_direction(a, b, **(coverage or REUSED)).direction


def test_direction_from_credits_wins_over_dates() -> None:
    # The republication is dated earlier (a wrong or local time stamp), but it credits
    # the wire, so the text flowed from the wire.
    copy = doc("copy", source="Daily", credits=("REUTERS",), date="2026-03-03T09:00:00Z")
    assert direction(WIRE, copy) == Direction.A_TO_B
    assert direction(copy, WIRE) == Direction.B_TO_A
    finding = infer_direction(copy, WIRE, **REUSED)
    assert finding.basis == DirectionBasis.CREDIT
    assert finding.reason == "direction: credit — a credits b's source, Reuters"


def test_direction_from_dates_when_credits_say_nothing() -> None:
    early = doc("early", source="Courier", date="2026-03-04T09:00:00Z")
    late = doc("late", source="Post", date="2026-03-04T11:00:00Z")
    assert direction(early, late) == Direction.A_TO_B
    assert direction(late, early) == Direction.B_TO_A
    finding = infer_direction(late, early, **REUSED)
    assert finding.basis == DirectionBasis.DATE
    assert (
        finding.reason
        == "direction: date — b is dated 2026-03-04T09:00:00Z, a 2026-03-04T11:00:00Z"
    )


def test_direction_unknown_without_dates_or_on_the_same_day_without_times() -> None:
    assert direction(doc("x"), doc("y")) == Direction.UNKNOWN
    day = doc("day", date="2026-03-04")
    timed = doc("timed", date="2026-03-04T08:00:00Z")
    assert direction(day, timed) == Direction.UNKNOWN
    assert direction(timed, day) == Direction.UNKNOWN
    finding = infer_direction(day, timed, **REUSED)
    assert finding.basis == DirectionBasis.NONE
    assert finding.reason == "direction: unknown — no credit or date orders them"


def test_containment_is_shown_but_decides_nothing() -> None:
    # A trim lies inside its source, and a source inside its extension: the same shape.
    finding = infer_direction(doc("long"), doc("short"), coverage_a=0.45, coverage_b=1.0)
    assert finding.direction == Direction.UNKNOWN
    assert "b lies inside a (coverage 100% vs 45%)" in finding.reason
    duplicate = infer_direction(doc("x"), doc("y"), coverage_a=1.0, coverage_b=1.0)
    assert duplicate.reason == "direction: unknown — no credit or date orders them"


def test_two_republications_of_one_wire_are_common_source() -> None:
    x = doc("x", source="Daily", credits=("Reuters",), date="2026-03-04T09:00:00Z")
    y = doc("y", source="Post", credits=("Reuters",), date="2026-03-04T12:00:00Z")
    finding = infer_direction(x, y, **REUSED)
    assert finding.direction == Direction.COMMON_SOURCE
    assert finding.reason == "direction: common source — both credit Reuters, which neither is"
    assert is_credited(x, y, Direction.COMMON_SOURCE)


def test_credited_copy_flows_to_the_uncrediting_reuser() -> None:
    # Seeds 000 (Nikkei carrying Reuters) and 004 (own report lifting one Reuters sentence).
    republication = doc("rep", credits=("Reuters",))
    reuser = doc("own")
    finding = infer_direction(republication, reuser, **REUSED)
    assert finding.direction == Direction.A_TO_B
    assert finding.reason == "direction: credit — a credits Reuters, b credits nothing"
    assert direction(reuser, republication) == Direction.B_TO_A
    assert not is_credited(republication, reuser, Direction.A_TO_B)
    # Known publishers, dated in the order of copying (the example corpus' spun rewrite).
    dated = doc("rep", source="Daily", credits=("Reuters",), date="2026-03-04T10:00:00Z")
    spun = doc("spun", source="Blog", date="2026-03-05T07:45:00Z")
    assert direction(dated, spun) == Direction.A_TO_B


def test_uncrediting_side_dated_first_did_not_copy_the_credited_one() -> None:
    republication = doc("rep", source="Daily", credits=("Reuters",), date="2026-03-05T10:00:00Z")
    earlier_report = doc("own", source="Blog", date="2026-03-04T07:45:00Z")
    finding = infer_direction(republication, earlier_report, **REUSED)
    assert finding.direction == Direction.UNKNOWN
    assert finding.reason == (
        "direction: unknown — a credits Reuters, b credits nothing, "
        "but b is dated 2026-03-04T07:45:00Z, before a (2026-03-05T10:00:00Z)"
    )


def test_related_pair_is_ordered_by_date_not_by_credit() -> None:
    # No text was reused, so nobody is an uncrediting reuser (seeds 002 ~ 004).
    wire_copy = doc("rep", credits=("Reuters",))
    own = doc("own")
    finding = infer_direction(wire_copy, own, **NOT_REUSED)
    assert finding.direction == Direction.UNKNOWN
    dated_copy = doc("rep", credits=("Reuters",), date="2026-03-04T09:00:00Z")
    dated_own = doc("own", date="2026-03-04T11:00:00Z")
    finding = infer_direction(dated_copy, dated_own, **NOT_REUSED)
    assert finding.direction == Direction.A_TO_B
    assert finding.reason.endswith("(no text reused: the order of reporting)")


def test_two_stories_of_one_wire_are_ordered_by_date() -> None:
    # Reuters-21578: both sign off "REUTER" and name no source; either may be Reuters' own.
    first = doc("1", credits=("Reuters",), date="26-FEB-1987 15:01:01.79")
    update = doc("2", credits=("Reuters",), date="26-FEB-1987 15:40:12.00")
    finding = infer_direction(update, first, **REUSED)
    assert finding.direction == Direction.B_TO_A
    assert finding.reason == (
        "direction: date — b is dated 1987-02-26T15:01:01Z, a 1987-02-26T15:40:12Z; "
        "both credit Reuters"
    )
    assert is_credited(update, first, finding.direction)
    # Seeds 000 ~ 003: two copies of the Reuters story that no date orders.
    same_day = infer_direction(
        doc("x", credits=("Reuters",)), doc("y", credits=("Reuters",)), **REUSED
    )
    assert same_day.direction == Direction.COMMON_SOURCE
    # The agency's own sources: dates decide, and no credit is missing.
    own = doc("1", source="Reuters", date="1987-02-26T15:01:00Z")
    own_later = doc("2", source="REUTER", date="1987-02-26T16:01:00Z")
    assert direction(own, own_later) == Direction.A_TO_B
    assert is_credited(own, own_later, Direction.A_TO_B)
    assert is_credited(own, own_later, Direction.UNKNOWN)


def test_credited_when_the_reusing_side_credits_the_source() -> None:
    copy = doc("copy", source="Daily", credits=("Reuters",))
    assert is_credited(WIRE, copy, Direction.A_TO_B)
    assert is_credited(copy, WIRE, Direction.B_TO_A)


def test_not_credited_when_the_reusing_side_credits_nobody_or_someone_else() -> None:
    silent = doc("silent", source="Blog")
    other = doc("other", source="Daily", credits=("AP",))
    assert not is_credited(WIRE, silent, Direction.A_TO_B)
    assert not is_credited(silent, WIRE, Direction.B_TO_A)
    assert not is_credited(WIRE, other, Direction.A_TO_B)
    # Unknown direction: credited only if both credit a common wire.
    assert not is_credited(WIRE, silent, Direction.UNKNOWN)
    assert is_credited(WIRE, doc("c", credits=("Reuters",)), Direction.UNKNOWN)


def test_verdict_carries_direction_credit_and_its_evidence() -> None:
    body = TEMPLATE.format(a="1.2", day="Monday", r="3.5", b="2.4", c="300")
    wire = build_document(
        RawRecord(
            unit="w", source_path="", text=body, source="Reuters", date="2026-03-04T09:00:00Z"
        ),
        "w",
    )
    blog = build_document(
        RawRecord(unit="b", source_path="", text=body, source="Blog", date="2026-03-05T09:00:00Z"),
        "b",
    )
    verdict = classify_pair(evidence(wire, blog))
    assert verdict is not None
    assert verdict.direction == Direction.A_TO_B
    assert verdict.credited is False
    assert verdict.reasons[-1] == (
        "direction: date — a is dated 2026-03-04T09:00:00Z, b 2026-03-05T09:00:00Z"
    )


def test_two_copies_of_one_outlet_are_ordered_by_date_not_by_a_sign_off() -> None:
    # A correction re-sent without the sign-off, before-dated copy signed: one agency's own
    # copies, so the dates order them whichever carries the credit.
    signed = doc("signed", source="Reuters", credits=("Reuters",), date="1987-03-04T12:00:00Z")
    correction = doc("correction", source="Reuters", date="1987-03-04T10:00:00Z")
    finding = infer_direction(signed, correction, coverage_a=0.9, coverage_b=0.9)
    assert finding.direction == Direction.B_TO_A
    assert finding.basis == DirectionBasis.DATE


# A wire notice: figures and names every few words, the way real dividend notices read.
DIVIDEND = (
    "Qtly div {cts} cts vs {prior} cts prior. Pay April {pay}. Record March {rec}. "
    "NOTE: {firm} Corp of Ohio."
)
FIRMS = ["Harlow Mills", "Denmoor Steel", "Carrick Foods", "Penvale Water", "Osgood Rail",
         "Tamsin Bank"]  # fmt: skip


def verdict_in(corpus: list[Document], a: str, b: str):
    from wiretrace.candidates import CorpusIndex
    from wiretrace.engines.local import DetectConfig, evaluate_pair
    from wiretrace.fingerprint import fingerprint_document

    index = CorpusIndex([fingerprint_document(d) for d in corpus])
    docs = {d.id: d for d in corpus}
    return evaluate_pair(index, sentence_view(docs[a]), sentence_view(docs[b]), DetectConfig())


def test_one_formula_filled_for_other_firms_is_no_reuse_in_a_corpus_of_them() -> None:
    # Two firms' notices with the same figures: only the firm differs. As a pair alone
    # they are related (a copy would need more than two short sentences paired); among six
    # notices of other figures the wording is a formula, and the pair is nothing.
    notices = [
        doc_from(
            DIVIDEND.format(
                firm=f,
                cts=7 if k < 2 else 10 + k,
                prior=6 if k < 2 else 9 + k,
                pay=1 if k < 2 else 2 + k,
                rec=16 if k < 2 else 20 + k,
            ),
            f"n{k}",
        )  # fmt: skip
        for k, f in enumerate(FIRMS)
    ]
    alone = verdict_in(notices[:2], "n0", "n1")
    assert alone is not None and alone.type == ReuseType.RELATED
    assert verdict_in(notices, "n0", "n1") is None


def no_text_shared(corpus: list[Document], a: str, b: str, **facts: int) -> PairEvidence:
    """Evidence of a pair related by its words and facts alone, with the corpus's frame counts."""
    from wiretrace.candidates import CorpusIndex
    from wiretrace.fingerprint import fingerprint_document

    index = CorpusIndex([fingerprint_document(d) for d in corpus])
    docs = {d.id: d for d in corpus}
    return replace(
        evidence(docs[a], docs[b], cosine=0.6, names=3, numbers=1, **facts),
        passages=(),
        frame_df=index.frame_df,
    )


def test_two_fillings_of_a_recurring_form_are_not_one_story() -> None:
    # Six firms' dividend notices, each with its own figures: two of them share words,
    # names and a figure, but each is mostly wording the corpus repeats with other
    # figures, and most of their figures differ. Not related; without the corpus, related.
    notices = [
        doc_from(DIVIDEND.format(firm=f, cts=7 + k, prior=6 + k, pay=1 + k, rec=16 + k), f"n{k}")
        for k, f in enumerate(FIRMS)
    ]
    ev = no_text_shared(notices, "n0", "n1")
    assert classify_pair(ev) is None
    alone = classify_pair(replace(ev, frame_df=None))
    assert alone is not None and alone.type == ReuseType.RELATED


def test_a_recurring_form_with_the_same_figures_stays_related() -> None:
    # A re-send of one notice (the same figures) among other firms' notices: the form is
    # formula, but nothing in it was filled otherwise.
    notices = [
        doc_from(DIVIDEND.format(firm=f, cts=7 + k, prior=6 + k, pay=1 + k, rec=16 + k), f"n{k}")
        for k, f in enumerate(FIRMS)
    ]
    resent = doc_from(DIVIDEND.format(firm=FIRMS[0], cts=7, prior=6, pay=1, rec=16), "again")
    verdict = classify_pair(no_text_shared([*notices, resent], "n0", "again"))
    assert verdict is not None and verdict.type == ReuseType.RELATED


def test_a_formula_sentence_in_a_story_of_its_own_does_not_make_a_template() -> None:
    # One notice sentence inside a longer narrative: the narrative is no formula document.
    notices = [
        doc_from(DIVIDEND.format(firm=f, cts=7 + k, prior=6 + k, pay=1 + k, rec=16 + k), f"n{k}")
        for k, f in enumerate(FIRMS)
    ]
    story = doc_from(
        f"{DIVIDEND.format(firm=FIRMS[1], cts=12, prior=9, pay=3, rec=20)} {LONG_STORY}", "story"
    )
    verdict = classify_pair(no_text_shared([*notices, story], "n0", "story"))
    assert verdict is not None and verdict.type == ReuseType.RELATED


def formula_in(corpus: list[Document], doc_id: str) -> frozenset:
    from wiretrace.candidates import CorpusIndex
    from wiretrace.classify import ClassifyConfig, formula_sentences
    from wiretrace.fingerprint import fingerprint_document

    index = CorpusIndex([fingerprint_document(d) for d in corpus])
    view = sentence_view({d.id: d for d in corpus}[doc_id])
    return formula_sentences(index.frame_df, view, ClassifyConfig())


def test_the_sentences_of_one_formula_filled_for_other_firms_are_formula() -> None:
    # What the divergence stage is told: these sentences' figures are slots.
    notices = [
        doc_from(DIVIDEND.format(firm=f, cts=7 + k, prior=6 + k, pay=1 + k, rec=16 + k), f"n{k}")
        for k, f in enumerate(FIRMS)
    ]
    formula = formula_in(notices, "n0")
    assert notices[0].sentences[0] in formula
    # In a corpus too small to show the formula, nothing is.
    assert formula_in(notices[:2], "n0") == frozenset()


def test_the_sentences_of_copies_of_one_story_are_no_formula() -> None:
    story = [doc_from(TEMPLATE.format(a="1.2", day="Monday", r="3.5", b="2.4", c="300"), f"c{k}")
             for k in range(6)]  # fmt: skip
    assert formula_in(story, "c0") == frozenset()


def test_copies_of_one_story_are_no_formula_and_a_corrected_figure_stays_reuse() -> None:
    # Six outlets carry one story (its frames are in six documents, and so are its words);
    # one of them corrects a figure.
    story = [doc_from(TEMPLATE.format(a="1.2", day="Monday", r="3.5", b="2.4", c="300"), f"c{k}")
             for k in range(5)]  # fmt: skip
    fixed = doc_from(TEMPLATE.format(a="1.2", day="Monday", r="3.5", b="2.4", c="350"), "fix")
    verdict = verdict_in([*story, fixed], "c0", "fix")
    assert verdict is not None and verdict.type in (ReuseType.DUPLICATE, ReuseType.EDITED)


LONG_STORY = " ".join(
    f"Dredgers working berth {k} removed silt the winter storms had left in the channel."
    for k in range(1, 12)
)
OTHER_STORY = " ".join(
    f"Ferry crews on route {k} will train on new vessels before summer timetables begin."
    for k in range(1, 12)
)
BACKGROUND_LINE = (
    "The port handled 4.2 million tonnes of cargo last year, according to figures from "
    "the Callow harbour board."
)


def background_pair(source_a: str | None, source_b: str | None) -> PairEvidence:
    a = replace(doc_from(f"{REPORT_A} {BACKGROUND_LINE} {LONG_STORY}", "a"), source=source_a)
    b = replace(doc_from(f"{REPORT_B} {BACKGROUND_LINE} {OTHER_STORY}", "b"), source=source_b)
    return evidence(a, b, names=3, numbers=1)


def test_one_shared_background_line_of_one_outlet_is_not_a_reused_passage() -> None:
    ev = background_pair("Callow Post", "Callow Post")
    assert [len(p.sentence_pairs) for p in ev.passages] == [1]
    verdict = classify_pair(ev)
    assert verdict is None or verdict.type == ReuseType.RELATED
    assert verdict is None or "background line" in " ".join(verdict.reasons)


def test_one_sentence_lifted_across_outlets_or_of_unknown_outlets_stays_partial() -> None:
    for sources in (("Callow Post", "Harbour Times"), (None, None), ("Callow Post", None)):
        verdict = classify_pair(background_pair(*sources))
        assert verdict is not None and verdict.type == ReuseType.PARTIAL, sources


def crude_posting(company: str, wvi: str = "17.50", skarra: str = "17.85") -> str:
    """A crude-posting notice: each company files its own, in the same words."""
    return (
        f"{company} said it raised the contract prices it will pay for all grades of crude "
        f"oil by 50 cts a barrel, effective today. The increase brings {company.split()[0]}'s "
        f"posted price for West Veldran Intermediate to {wvi} dlrs a barrel. The Light Skarra "
        f"Sweet grade was also raised 50 cts to {skarra} dlrs a barrel. The last rise, of "
        "1.50 dlrs on March 4, took the West Veldran price to 16.90 dlrs and Light Skarra "
        "Sweet to 17.35 dlrs."
    )


def test_two_companies_notices_in_one_wording_are_related_as_a_template() -> None:
    # The same wording but for the lead's subject and one price: two companies each
    # filing their notice, not one text edited.
    a = doc_from(crude_posting("Brennic Oil Corp"), "brennic")
    b = doc_from(crude_posting("Osterby Petroleum Co", "17.40"), "osterby")
    verdict = classify_pair(evidence(a, b, names=2, numbers=3))
    assert verdict is not None
    assert verdict.type == ReuseType.RELATED and not verdict.passages
    assert any(r.startswith("template: the leads name other subjects") for r in verdict.reasons)
    assert "brennic" in " ".join(verdict.reasons) and "osterby" in " ".join(verdict.reasons)


def test_a_notice_re_sent_with_its_subjects_name_corrected_stays_reuse() -> None:
    a = doc_from(crude_posting("Brenic Oil Corp"), "first")
    b = doc_from(crude_posting("Brennic Oil Corp", "17.60"), "corrected")
    verdict = classify_pair(evidence(a, b, names=2, numbers=3))
    assert verdict is not None
    assert verdict.type in (ReuseType.DUPLICATE, ReuseType.EDITED)


def test_a_paragraph_reused_in_a_story_about_another_subject_stays_partial() -> None:
    # Two stories about other companies, one lifting a paragraph of the other word for
    # word: the same facts in the same words are a reused passage, not a template.
    shared = (
        "The Veldran port authority said container traffic rose 12 pct to 440,700 boxes "
        "last year. It expects another rise of 8 pct this year as the new quay opens. "
        "Ferry traffic to Skarra and Lundholm fell for a third year running."
    )
    a = doc_from(
        "Brennic Shipping said on Monday it would order three new feeder vessels for its "
        "Port Callow service. " + shared + " Brennic did not say what the ships would cost.",
        "brennic",
    )
    b = doc_from(
        "Osterby Logistics plans to open a warehouse beside the container terminal in the "
        "spring, Osterby's chief executive told reporters. " + shared,
        "osterby",
    )
    verdict = classify_pair(evidence(a, b, names=3, numbers=3))
    assert verdict is not None
    assert verdict.type == ReuseType.PARTIAL and verdict.passages
    assert any("a passage reused in another story" in r for r in verdict.reasons)


def test_a_copy_edited_hard_enough_to_rename_words_of_its_lead_keeps_its_type() -> None:
    # Every figure kept; a place of each lead replaced by a word the other never uses (as
    # a copy with 15-30% of its words replaced has it).
    text = crude_posting("Brennic Oil Corp").replace("all grades of", "all grades of Veldran")
    a = doc_from(text, "brennic")
    b = doc_from(text.replace("Veldran", "Marsh"), "edited")
    assert _other_subjects(a, b) == "veldran / marsh"
    verdict = classify_pair(evidence(a, b, names=2, numbers=3))
    assert verdict is not None and verdict.type != ReuseType.RELATED
    assert not any("template: the leads" in r for r in verdict.reasons)


def test_a_pair_that_aligns_nothing_builds_no_frame_grams():
    a = doc_from(TEMPLATE.format(a=1, day="Monday", r=2, b=3, c=4), "a")
    b = doc_from(TEMPLATE.format(a=5, day="Friday", r=6, b=7, c=8), "b")
    va, vb = sentence_view(a), sentence_view(b)
    frames, words = aligned_frame_grams(va, vb, ())
    assert len(frames) == len(words) == 0
    # The grams are built lazily, per document, and only for pairs with aligned sentences.
    assert not va._frames and not vb._frames
    passages = align_documents(va, vb)
    frames, words = aligned_frame_grams(va, vb, passages)
    assert passages and len(frames) == len(words) > 0 and va._frames and vb._frames
