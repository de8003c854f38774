"""Cutting a comparison into highlighted pieces."""

from wiretrace.server.templating import compare_segments

A = "Prices rose 5 percent. Officials blamed the weather."
B = "Prices climbed 5 percent. The weather was blamed by officials."


def _sentence(kind: str, a: tuple[int, int], b: tuple[int, int], edits: list[dict]) -> dict:
    return {
        "kind": kind,
        "a_start": a[0],
        "a_end": a[1],
        "b_start": b[0],
        "b_end": b[1],
        "edits": edits,
    }


def _view(second_kind: str) -> dict:
    rose = A.index("rose")
    climbed = B.index("climbed")
    first = _sentence(
        "edited",
        (0, 22),
        (0, 25),
        [{"a_start": rose, "a_end": rose + 4, "b_start": climbed, "b_end": climbed + 7}],
    )
    # A rewrite: the token diff of the second sentence covers almost all of it.
    second = _sentence(
        second_kind,
        (23, len(A)),
        (26, len(B)),
        [{"a_start": 23, "a_end": 51, "b_start": 26, "b_end": 61}],
    )
    return {
        "a": {"text": A},
        "b": {"text": B},
        "pair": {"passages": [{"sentence_pairs": [first, second]}], "divergences": []},
    }


def _underlined(segments: list) -> list[str]:
    return [s.text for s in segments if s.edited]


def test_changed_words_are_underlined_in_edited_sentences_only():
    a, b = compare_segments(_view("paraphrase"))
    assert _underlined(a) == ["rose"]
    assert _underlined(b) == ["climbed"]
    # Both sentences are still linked to their counterparts.
    assert {s.kind for s in a if s.passage} == {"edited", "paraphrase"}


def test_an_edited_sentence_pair_keeps_all_its_changed_words():
    a, _ = compare_segments(_view("edited"))
    assert _underlined(a) == ["rose", A[23:51]]
