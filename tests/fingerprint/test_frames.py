"""Formula frames: figures and names masked, word for word beside the words themselves."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from wiretrace.extract.document import build_document
from wiretrace.fingerprint import fingerprint_document
from wiretrace.fingerprint.anchors import find_anchors
from wiretrace.fingerprint.doc import Fingerprint
from wiretrace.fingerprint.frames import SLOT, document_frame_grams, is_frame, sentence_frames
from wiretrace.model import RawRecord

NOTICE = (
    "{firm} said its board declared a quarterly dividend of {cts} cts a share, payable "
    "on May {day} to shareholders of record on April 20. The company paid {prior} cts in "
    "the previous quarter."
)


def doc(text: str, doc_id: str = "d"):
    return build_document(RawRecord(unit=f"{doc_id}.txt", source_path="", text=text), doc_id)


def frames_of(text: str):
    d = doc(text)
    return sentence_frames(d, find_anchors(d.text, frozenset(s.start for s in d.sentences)))


def test_figures_and_names_are_slots_and_other_words_stay() -> None:
    (frame, words), _ = frames_of(NOTICE.format(firm="Harlow Mills", cts="12", day="4", prior="11"))
    assert len(frame) == len(words)
    # A capital at a sentence start is no name; the second word of the firm is.
    assert words[:2] == ["harlow", "mills"] and frame[:2] == ["harlow", SLOT]
    assert frame[words.index("12")] == SLOT
    assert "quarterly" in frame and "dividend" in frame


def test_two_fillings_of_one_formula_share_frames_not_words() -> None:
    one = doc(NOTICE.format(firm="Harlow Mills", cts="12", day="4", prior="11"), "one")
    two = doc(NOTICE.format(firm="Denmoor Steel", cts="30", day="9", prior="28"), "two")
    grams = []
    for d in (one, two):
        anchors = find_anchors(d.text, frozenset(s.start for s in d.sentences))
        grams.append(document_frame_grams(d, anchors))
    frames = [set(np.concatenate([g.frames for g in doc_grams]).tolist()) for doc_grams in grams]
    words = [set(np.concatenate([g.words for g in doc_grams]).tolist()) for doc_grams in grams]
    assert len(frames[0] & frames[1]) > 0.8 * len(frames[0])
    assert len(words[0] & words[1]) < 0.5 * len(words[0])


def test_frames_ride_with_the_anchors_blob_and_come_back_apart() -> None:
    fp = fingerprint_document(
        doc(NOTICE.format(firm="Harlow Mills", cts="12", day="4", prior="11"))
    )
    assert len(fp.frames) and is_frame(fp.frames).all()
    assert not is_frame(fp.anchors).any()
    back = Fingerprint.from_blobs(fp.doc_id, *fp.to_blobs())
    assert back.anchors.tolist() == fp.anchors.tolist()
    assert back.frames.tolist() == fp.frames.tolist()


@given(
    st.lists(
        st.sampled_from(["the", "bank", "Oslo", "rose", "4.5", "pct", "Kari", "said"]),
        min_size=1,
        max_size=30,
    )
)
def test_a_frame_differs_from_its_words_only_in_slots(tokens: list[str]) -> None:
    for frame, words in frames_of("Traders in the market said that " + " ".join(tokens) + "."):
        assert len(frame) == len(words)
        assert all(f in (w, SLOT) for f, w in zip(frame, words, strict=True))
        assert all(
            f == SLOT for f, w in zip(frame, words, strict=True) if any(c.isdigit() for c in w)
        )
