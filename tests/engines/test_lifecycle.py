"""Delete, update and expire keep documents, pairs and stories consistent.

A Hypothesis state machine adds, updates, deletes and expires small articles in a real
store and checks it after every step against a simple model: which documents exist, and
from which base story each one's text comes. Copies of one base story must be paired and
form one story; articles of different base stories must not be paired.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from wiretrace.engines.ingest import ingest
from wiretrace.engines.lifecycle import delete_documents, expire_documents, expired_ids
from wiretrace.engines.local import detect
from wiretrace.errors import ConfigError, NotFoundError
from wiretrace.store import open_store

# Three fictional wire stories written for this test, with distinct names and figures.
BASES = (
    [
        "The harbour authority of Lindqvist Bay approved a 310 million euro plan on Monday "
        "to deepen the main shipping channel by four metres.",
        "Chair Orsolya Vantongeren said dredging would begin in March and last 22 months.",
        "Fishing cooperatives warned that the work could disturb the spawning grounds of "
        "the bay's herring during the two winters it runs.",
        "The authority promised a 12 million euro compensation fund for crews who lose "
        "income while the dredgers are at work.",
        "Shipping lines have asked for the deeper channel since the new 18,000-container "
        "vessels began calling at northern ports.",
    ],
    [
        "A rare copy of the 1764 Kestrel Atlas sold for 2.7 million dollars at an auction "
        "in Marrowgate on Thursday, far above its estimate.",
        "The buyer, bidding by telephone, was not named by the auction house Pellwick & Sons.",
        "Only nine complete copies of the atlas are known, and this one still has its "
        "original hand-coloured maps of the southern coast.",
        "Specialist Ignatius Morrow-Felde said the bidding lasted eleven minutes and drew "
        "offers from four continents.",
        "The seller, a family trust from Ardent Vale, had kept the atlas in a library since 1891.",
    ],
    [
        "Engineers in Quillon reopened the Saltmarsh railway tunnel on Saturday after a "
        "repair that cost 48 million pounds and took seven months.",
        "The tunnel was closed in spring when water broke through a section of the "
        "Victorian brick lining during heavy rain.",
        "Operator Brindle Rail said 140 trains a day would run through the tunnel again "
        "from Monday morning.",
        "Commuters from Hollowfield had faced bus replacements that added an hour to each "
        "journey throughout the closure.",
        "The company said new drainage would stop water from reaching the lining again.",
    ],
)
EXTRA = "Readers can send questions about this report to the newsroom of the Tessaly Courier."
IDS = ("alpha", "bravo", "charlie", "delta", "echo")
DAYS = 6


def article(base: int, variant: int) -> str:
    """A copy of one base story: verbatim, trimmed of its last sentence, or extended."""
    sentences = list(BASES[base])
    if variant == 1:
        sentences = sentences[:-1]
    elif variant == 2:
        sentences = [*sentences, EXTRA]
    return "\n\n".join(sentences)


def date_of(day: int) -> str:
    return f"2026-03-{day + 1:02d}T12:00:00Z"


class LifecycleMachine(RuleBasedStateMachine):
    """Random sequences of add/update, delete and expire against a dict of base stories."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="wiretrace-lifecycle-"))
        self.store = open_store(self.folder / "store.sqlite")
        self.model: dict[str, tuple[int, int]] = {}  # id -> (base story, day)
        self.steps = itertools.count()

    def teardown(self) -> None:
        self.store.close()
        for path in self.folder.iterdir():
            path.unlink()
        self.folder.rmdir()

    @rule(
        doc_id=st.sampled_from(IDS),
        base=st.integers(0, len(BASES) - 1),
        variant=st.integers(0, 2),
        day=st.integers(0, DAYS - 1),
    )
    def add_or_update(self, doc_id: str, base: int, variant: int, day: int) -> None:
        path = self.folder / f"batch{next(self.steps)}.jsonl"
        record = {"id": doc_id, "text": article(base, variant), "date": date_of(day)}
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        summary = ingest(self.store, [str(path)], workers=1)
        assert summary.rejected == 0, summary.reasons
        detect(self.store, workers=1)
        self.model[doc_id] = (base, day)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        doc_id = data.draw(st.sampled_from(sorted(self.model)))
        delete_documents(self.store, [doc_id])
        del self.model[doc_id]

    @rule(day=st.integers(0, DAYS))
    def expire(self, day: int) -> None:
        expire_documents(self.store, before=date_of(day))
        self.model = {k: v for k, v in self.model.items() if v[1] >= day}

    @invariant()
    def documents_match_the_model(self) -> None:
        stored = {d["id"] for d in self.store.document_summaries()}
        assert stored == set(self.model)
        for doc_id, (base, _) in self.model.items():
            assert self.store.get_document(doc_id).text.startswith(BASES[base][0][:40])

    @invariant()
    def nothing_is_left_pending(self) -> None:
        assert self.store.documents_without_fingerprint() == []
        assert self.store.documents_pending_detection() == []
        fingerprinted = {f.doc_id for f in self.store.iter_fingerprints()}
        assert fingerprinted == set(self.model)

    @invariant()
    def pairs_join_exactly_the_copies_of_one_story(self) -> None:
        found = {frozenset((v.a, v.b)) for v in self.store.iter_pairs(with_passages=False)}
        expected = {
            frozenset((a, b))
            for a, b in itertools.combinations(sorted(self.model), 2)
            if self.model[a][0] == self.model[b][0]
        }
        assert found == expected

    @invariant()
    def stories_partition_the_documents_by_base_story(self) -> None:
        stories = [frozenset(s.documents) for s in self.store.iter_stories()]
        members = [d for story in stories for d in story]
        assert len(members) == len(set(members)), "a document is in two stories"
        by_base: dict[int, set[str]] = {}
        for doc_id, (base, _) in self.model.items():
            by_base.setdefault(base, set()).add(doc_id)
        expected = {frozenset(group) for group in by_base.values() if len(group) >= 2}
        assert set(stories) == expected


LifecycleMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
test_lifecycle_state_machine = pytest.mark.slow(LifecycleMachine.TestCase)


def test_deleting_an_unknown_id_deletes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"id": i, "text": article(0, i % 3), "date": date_of(i)}) for i in range(3)
        )
        + "\n",
        encoding="utf-8",
    )
    with open_store(tmp_path / "s.sqlite") as store:
        ingest(store, [str(path)], workers=1)
        detect(store, workers=1)
        with pytest.raises(NotFoundError, match="'nope'.*nothing was deleted"):
            delete_documents(store, ["0", "nope"])
        assert store.num_documents() == 3
        assert len(list(store.iter_pairs())) == 3


def test_expiry_by_window_counts_back_from_the_newest_document(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": f"d{i}", "text": article(i % 3, 0), "date": date_of(i)}) for i in range(5)
    ]
    lines.append(json.dumps({"id": "undated", "text": article(1, 1)}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open_store(tmp_path / "s.sqlite") as store:
        ingest(store, [str(path)], workers=1)
        detect(store, workers=1)
        # The window ends at the newest date, d4's; the undated document counts from its
        # ingest time, today, so it stays.
        assert expired_ids(store, keep_days=0) == ["d0", "d1", "d2", "d3"]
        assert expired_ids(store, keep_days=2) == ["d0", "d1"]
        summary = expire_documents(store, before=date_of(3))
        assert summary.deleted == ("d0", "d1", "d2")
        assert {d["id"] for d in store.document_summaries()} == {"d3", "d4", "undated"}
        assert all({v.a, v.b} <= {"d3", "d4", "undated"} for v in store.iter_pairs())


@pytest.mark.parametrize(
    ("before", "keep_days", "match"),
    [
        (None, None, "exactly one"),
        ("2026-01-01", 3, "exactly one"),
        ("next tuesday", None, "cannot read the date"),
    ],
)
def test_expiry_needs_one_readable_limit(tmp_path: Path, before, keep_days, match) -> None:
    with open_store(tmp_path / "s.sqlite") as store, pytest.raises(ConfigError, match=match):
        expired_ids(store, before=before, keep_days=keep_days)


def test_cli_delete_and_expire(tmp_path: Path, examples: Path) -> None:
    from click.testing import CliRunner

    from wiretrace.cli import main

    db = str(tmp_path / "s.sqlite")
    runner = CliRunner()
    assert runner.invoke(main, ["analyze", str(examples), "--db", db]).exit_code == 0
    missing = runner.invoke(main, ["delete", "wire_original", "nope", "--db", db])
    assert missing.exit_code == 1
    assert "'nope'" in missing.output and "nothing was deleted" in missing.output
    deleted = runner.invoke(main, ["delete", "wire_original", "republish_verbatim", "--db", db])
    assert deleted.exit_code == 0, deleted.output
    assert "deleted 2 documents" in deleted.output
    with open_store(db) as store:
        assert store.num_documents() == 15
        assert all("wire_original" not in (v.a, v.b) for v in store.iter_pairs())
        assert all("wire_original" not in s.documents for s in store.iter_stories())
    dry = runner.invoke(main, ["expire", "--before", "2026-03-09", "--dry-run", "--db", db])
    assert dry.exit_code == 0 and "would be deleted (dry run)" in dry.output
    doomed = [line for line in dry.output.splitlines() if line and " " not in line]
    assert doomed and "market_report_tue" not in doomed
    expired = runner.invoke(main, ["expire", "--before", "2026-03-09", "--db", db])
    assert f"expired {len(doomed)} documents" in expired.output
    with open_store(db) as store:
        assert store.num_documents() == 15 - len(doomed)
    usage = runner.invoke(main, ["expire", "--db", db])
    assert usage.exit_code == 2
