"""Only versions of one text have divergences: not two fillings of one form."""

from __future__ import annotations

from tests.diverge.pairs import doc, verdict_of
from wiretrace.diverge import DivergeConfig, find_divergences
from wiretrace.diverge.base import side_of
from wiretrace.diverge.versions import one_text, shared_facts
from wiretrace.model import DivergenceKind


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
