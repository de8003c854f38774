"""Only versions of one text have divergences: not two fillings of one form."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from tests.diverge.pairs import doc, verdict_of
from wiretrace.diverge import DivergeConfig, find_divergences
from wiretrace.diverge.base import side_of
from wiretrace.diverge.find import aligned_sentence_pairs
from wiretrace.diverge.versions import (
    filled_anew,
    one_text,
    paired_as_versions,
    shared_facts,
    subjects_apart,
)
from wiretrace.model import DivergenceKind, PassageKind, SentencePair


def notice(borrower: str, manager: str, amount: str, coupon: str, day: str) -> str:
    """A bond notice of the kind a wire files every day, one borrower at a time."""
    return (
        f"{borrower} is issuing a {amount} crown bond due March {day}, 2031 paying "
        f"{coupon} pct and priced at par, lead manager {manager} said.\n\n"
        "The bond is available in denominations of 1,000 and 10,000 crowns and will be "
        "listed in Veldran.\n\n"
        "Fees comprise 1-1/4 pct selling concession and 5/8 pct management and "
        "underwriting combined.\n\n"
        f"Payment date is April {day}.\n"
    )


def test_two_borrowers_notices_are_two_texts_with_no_divergences() -> None:
    a = doc("a", notice("Skarra Power", "Brennic Capital", "200 mln", "7-1/4", "23"))
    b = doc("b", notice("Lundholm Rail", "Osterby Securities", "350 mln", "6-7/8", "14"))
    config = DivergeConfig()
    assert not one_text(side_of(a), side_of(b), config)
    assert find_divergences(a, b, verdict_of(a, b)) == ()


def test_a_corrected_notice_is_one_text_and_its_change_is_reported() -> None:
    a = doc("a", notice("Skarra Power", "Brennic Capital", "200 mln", "7-1/4", "23"))
    b = doc("b", notice("Skarra Power", "Brennic Capital", "200 mln", "7-3/8", "23"))
    (kept, stated), _ = shared_facts(side_of(a), side_of(b), DivergeConfig())
    assert kept / stated > 0.9
    found = find_divergences(a, b, verdict_of(a, b))
    assert [(d.kind, d.a_text, d.b_text) for d in found] == [
        (DivergenceKind.NUMBER, "7-1/4", "7-3/8")
    ]


def test_two_days_reports_worded_anew_do_not_diverge_in_their_figures() -> None:
    # One form, two days: every figure differs and the sentences around them are
    # reworded, so the figures are slots filled again, not figures a version changed.
    a = doc(
        "a",
        "The Veldran central bank added 1.5 billion crowns to the money market through "
        "overnight repurchases, a bank spokesman said.",
        "Dealers said overnight money was trading at 6-5/16 pct when the bank began its "
        "temporary supply of reserves.",
    )
    b = doc(
        "b",
        "The Veldran central bank added 2.5 billion crowns to the money market through "
        "overnight repurchases, a bank spokesman said.",
        "Overnight money was trading at 6-3/16 pct at the time of the temporary injection "
        "of reserves.",
    )
    found = find_divergences(a, b, verdict_of(a, b))
    assert DivergenceKind.NUMBER not in {d.kind for d in found}


def test_two_issues_of_a_timed_report_are_two_texts() -> None:
    table = "HARBOUR FUTURES {time} EDT\n\nMAY7 285 {may} UP 1 3/4\n\nJUL7 280 3/4 UNCH\n"
    a = doc("a", table.format(time="12:20", may="1/4"))
    b = doc("b", table.format(time="12:30", may="3/4"))
    assert find_divergences(a, b, verdict_of(a, b)) == ()
    corrected = doc("c", table.format(time="12:20", may="3/4"))
    assert find_divergences(a, corrected, verdict_of(a, corrected)) != ()


# A price table a wire files every day: one issuer, one wording, other figures each issue.
RESERVE = (
    "The Veldran farm board reported the reserve average price through April {day} as "
    "follows.\n\n"
    "Wheat {wheat} crowns, loan rate 2.40 crowns, release 4.65 crowns.\n\n"
    "Barley {barley} crowns, loan rate 1.56 crowns, release 2.55 crowns.\n\n"
    "Oats {oats} crowns, loan rate 0.99 crowns, release 1.65 crowns.\n\n"
    "Rye 1.87 crowns, loan rate 1.42 crowns, release 2.95 crowns.\n\n"
    "Maize 1.31 crowns, loan rate 1.92 crowns, release 3.15 crowns.\n"
)


def issue(doc_id: str, day: str, wheat: str, barley: str, oats: str):
    return doc(doc_id, RESERVE.format(day=day, wheat=wheat, barley=barley, oats=oats))


def every_sentence(*docs) -> dict[str, frozenset]:
    """The corpus's verdict on a daily form: all its sentences are formula."""
    return {d.id: frozenset(d.sentences) for d in docs}


def test_two_issues_of_a_formula_table_have_no_divergences() -> None:
    a = issue("a", "6", "2.64", "1.49", "1.57")
    b = issue("b", "7", "2.63", "1.52", "1.58")
    verdict = verdict_of(a, b)
    assert find_divergences(a, b, verdict) != ()  # figures alone cannot tell
    assert find_divergences(a, b, verdict, formula=every_sentence(a, b)) == ()


def test_a_corrected_issue_of_a_formula_table_keeps_its_divergence() -> None:
    a = issue("a", "6", "2.64", "1.49", "1.57")
    fixed = issue("b", "6", "2.64", "1.52", "1.57")
    verdict = verdict_of(a, fixed)
    found = find_divergences(a, fixed, verdict, formula=every_sentence(a, fixed))
    assert [(d.kind, d.a_text, d.b_text) for d in found] == [
        (DivergenceKind.NUMBER, "1.49", "1.52")
    ]
    # Sentences the corpus does not know as formula are never vetoed.
    other = issue("c", "7", "2.63", "1.52", "1.58")
    assert find_divergences(a, other, verdict_of(a, other), formula={}) != ()


def test_filled_anew_counts_changed_and_kept_slots_of_formula_sentences_only() -> None:
    a = issue("a", "6", "2.64", "1.49", "1.57")
    b = issue("b", "7", "2.63", "1.52", "1.58")
    pairs = list(aligned_sentence_pairs(verdict_of(a, b)))
    config = DivergeConfig()
    sa, sb = side_of(a), side_of(b)
    assert filled_anew(sa, sb, pairs, (frozenset(a.sentences), frozenset()), config)
    assert not filled_anew(sa, sb, pairs, (frozenset(), frozenset()), config)


def test_issues_stamped_with_four_digit_times_are_two_texts() -> None:
    table = "HARBOUR COPPER {time}\n\nMAY7 6270 UP {may}\n\nJUL7 6245 UP 10\n\nSEP7 6265 UP 15\n"
    a = doc("a", table.format(time="1030", may="5"))
    b = doc("b", table.format(time="1130", may="15"))
    assert find_divergences(a, b, verdict_of(a, b)) == ()
    corrected = doc("c", table.format(time="1030", may="15"))
    assert find_divergences(a, corrected, verdict_of(a, corrected)) != ()
    dated = "HARBOUR EURODOLLAR {time} - APR 7\n\nJUN 9333 {jun}\n\nSEP 9330 9326\n"
    a, b = (
        doc("a", dated.format(time="0835", jun="9333")),
        doc("b", dated.format(time="1610", jun="9334")),
    )
    assert find_divergences(a, b, verdict_of(a, b)) == ()


def test_a_year_in_the_head_is_no_time_stamp() -> None:
    head = "The Veldran ferry line carried {n} passengers in 2019, the harbour board said."
    a = doc("a", head.format(n="4,200"), "The Skarra route carried most of them.")
    b = doc("b", head.format(n="4,300"), "The Skarra route carried most of them.")
    assert find_divergences(a, b, verdict_of(a, b)) != ()


def offering(firm: str, amount: str) -> str:
    return (
        f"{firm} Corp said it filed with the Veldran securities board a registration "
        f"statement covering a {amount} mln crown issue of convertible debentures.\n\n"
        "Proceeds will be used to repay debt and for general corporate purposes.\n"
    )


def test_a_formula_filled_for_another_firm_has_no_divergences() -> None:
    # Each lead opens with its own subject, which the other notice never names.
    a, b = doc("a", offering("Skarra", "75")), doc("b", offering("Lundholm", "80"))
    verdict = verdict_of(a, b)
    assert filled_anew(
        side_of(a),
        side_of(b),
        list(aligned_sentence_pairs(verdict)),
        (frozenset(a.sentences), frozenset(b.sentences)),
        DivergeConfig(),
    )
    assert find_divergences(a, b, verdict, formula=every_sentence(a, b)) == ()
    fixed = doc("c", offering("Skarra", "80"))
    found = find_divergences(a, fixed, verdict_of(a, fixed), formula=every_sentence(a, fixed))
    assert [(d.a_text, d.b_text) for d in found] == [("75 mln", "80 mln")]


def test_table_lines_opening_with_other_items_are_no_other_names() -> None:
    # A results table re-sent with "Revs" for "Sales" and one figure corrected.
    table = "Shr 13 cts vs 9 cts.\n\n{item} 41.1 mln vs 20.3 mln.\n\nNet 853,000 vs {net}.\n"
    a = doc("a", table.format(item="Sales", net="22,000"))
    b = doc("b", table.format(item="Revs", net="23,000"))
    found = find_divergences(a, b, verdict_of(a, b), formula=every_sentence(a, b))
    assert [(d.a_text, d.b_text) for d in found] == [("22,000", "23,000")]


prices = st.sampled_from(["1.49", "1.52", "1.57", "1.58", "2.63", "2.64"])


@given(st.lists(prices, min_size=6, max_size=6))
def test_filled_anew_does_not_depend_on_which_side_is_first(figures: list[str]) -> None:
    a = issue("a", "6", *figures[:3])
    b = issue("b", "6", *figures[3:])
    pairs = list(aligned_sentence_pairs(verdict_of(a, b)))
    swapped = [SentencePair(p.b, p.a, p.similarity, p.kind) for p in pairs]
    sa, sb = side_of(a), side_of(b)
    forms = (frozenset(a.sentences), frozenset(b.sentences))
    config = DivergeConfig()
    assert filled_anew(sa, sb, pairs, forms, config) == filled_anew(
        sb, sa, swapped, forms[::-1], config
    )


def _as(verdict, coverage_a: float, coverage_b: float, kind: PassageKind | None = None):
    """``verdict`` with other coverages (and its passages of another kind)."""
    passages = verdict.passages
    if kind is not None:
        passages = tuple(replace(p, kind=kind) for p in passages)
    return replace(verdict, coverage_a=coverage_a, coverage_b=coverage_b, passages=passages)


def _corrected_notice():
    a = doc("a", notice("Skarra Power", "Brennic Capital", "200 mln", "7-1/4", "23"))
    b = doc("b", notice("Skarra Power", "Brennic Capital", "200 mln", "7-3/8", "23"))
    return a, b, verdict_of(a, b)


def test_two_reports_that_pair_a_few_sentences_of_each_have_no_divergences() -> None:
    # Two separate reports of one event: the semantic layer pairs a few sentences of
    # each (a fifth of one, half of the other); what they say differently is reporting.
    a, b, verdict = _corrected_notice()
    assert find_divergences(a, b, verdict) != ()
    apart = _as(verdict, 0.2, 0.5, PassageKind.PARAPHRASE)
    assert not paired_as_versions(apart, DivergeConfig())
    assert find_divergences(a, b, apart) == ()


def test_a_text_contained_word_for_word_in_a_longer_one_is_a_version() -> None:
    # A trimmed re-send: all of it stands in the original, a third of which it kept.
    a, b, verdict = _corrected_notice()
    trimmed = _as(verdict, 0.3, 0.95)
    assert paired_as_versions(trimmed, DivergeConfig())
    assert [d.b_text for d in find_divergences(a, b, trimmed)] == ["7-3/8"]
    # Paired by meaning only, a short item inside a long feature is no version of it.
    assert not paired_as_versions(_as(verdict, 0.3, 0.95, PassageKind.PARAPHRASE), DivergeConfig())


@given(
    st.floats(0, 1),
    st.floats(0, 1),
    st.sampled_from(list(PassageKind)),
)
def test_pairing_more_of_the_texts_never_unmakes_versions(
    low: float, extra: float, kind: PassageKind
) -> None:
    a, b, verdict = _corrected_notice()
    config = DivergeConfig()
    before = _as(verdict, low, low, kind)
    after = _as(verdict, min(1.0, low + extra), low, kind)
    assert paired_as_versions(before, config) <= paired_as_versions(after, config)
    if low >= config.version_min_paired:
        assert paired_as_versions(before, config)


def posting(company: str, first: str, price: str = "17.50") -> str:
    """A crude-posting notice: each company files its own, worded alike."""
    return (
        f"{company} said it raised the contract prices it will pay for all grades of "
        f"crude oil by 50 cts a barrel, effective {first}.\n\n"
        f"The increase brings {company.split()[0]}'s posted price for West Veldran "
        f"Intermediate to {price} dlrs a barrel.\n\n"
        "The Light Skarra Sweet grade was also raised 50 cts to 17.85 dlrs a barrel.\n"
    )


def test_two_companies_notices_of_one_form_are_two_texts() -> None:
    # Every figure is shared, so the facts alone make them one text; the leads name two
    # companies, each of which the other notice never mentions.
    a = doc("a", posting("Brennic Oil Corp", "today"))
    b = doc("b", posting("Osterby Petroleum", "March 4"))
    config = DivergeConfig()
    sa, sb = side_of(a), side_of(b)
    assert one_text(sa, sb, config)
    assert subjects_apart(sa, sb, config)
    assert find_divergences(a, b, verdict_of(a, b)) == ()


def test_a_correction_that_fixes_the_subjects_spelling_keeps_its_subject() -> None:
    a = doc("a", posting("Brenic Oil Corp", "today"))
    b = doc("b", posting("Brennic Oil Corp", "today", price="17.60"))
    assert not subjects_apart(side_of(a), side_of(b), DivergeConfig())
    found = find_divergences(a, b, verdict_of(a, b))
    assert [(d.a_text, d.b_text) for d in found] == [("17.50", "17.60")]
