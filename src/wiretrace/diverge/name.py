"""``name``: a name of one side is a misspelling of a name of the other (Blinken → Brinken).

Replaced names are left alone: paraphrases swap "Beijing" for "China".
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from wiretrace.diverge.base import NOT_ACTORS, DivergeConfig, Side, divergence
from wiretrace.fingerprint.anchors import find_name_spans
from wiretrace.model import Divergence, DivergenceKind, SentencePair, Span

# Letters that transliterations of one name swap (Sergey/Sergei, Dmitry/Dmitri,
# Gorbachev/Gorbachov): names that agree once each run of these is one placeholder are one
# name written in two systems, not a misspelling (Blinken/Brinken differ in a consonant,
# Okonkwo/Okonkow in where the vowel stands).
_TRANSLITERATED_VOWELS = frozenset("aeiouy")
# Letter groups that romanisations write differently (Aleksandr/Alexandr, Mikhail/Mihail).
_TRANSLITERATED_GROUPS = (("ks", "x"), ("kh", "h"), ("tch", "ch"), ("w", "v"), ("j", "i"))


def _skeleton(name: str) -> str:
    """A name with the spellings that romanisations differ in folded into one form."""
    folded = name.lower()
    for group, single in _TRANSLITERATED_GROUPS:
        folded = folded.replace(group, single)
    letters = ["*" if c in _TRANSLITERATED_VOWELS else c for c in folded]
    # A run of vowels ("ey"/"ei"/"i") and a doubled letter ("Zelenskyy", "Mohammed") are
    # spelling conventions too.
    return "".join(c for i, c in enumerate(letters) if i == 0 or c != letters[i - 1])


# A word written in lower case: an ordinary word, wherever else it is capitalized.
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-zà-ÿ][\w'’-]*\w")


def _common_word(key: str, a: Side, b: Side) -> bool:
    """Whether either document writes ``key`` (or its singular) as an ordinary word.

    "Capital" of "Foothill Capital Corp" and "Acquisitions" of "Mergers and Acquisitions
    Department" are words of the language inside a name; one letter slipped in them is a
    typo a copy edit fixes, not a name changed (real Reuters re-sends: "Captial",
    "Aquisitions"). A person's name is no such word ("Blinken", "Okonkwo").
    """
    stem = key.removesuffix("s")
    return any(
        word.lower().removesuffix("s") == stem
        for side in (a, b)
        for word in _LOWER_WORD.findall(side.doc.text)
    )


def misspelt_names(a: Side, b: Side, pair: SentencePair, config: DivergeConfig) -> list[Divergence]:
    """Misspelt names: one edit apart, each spelling absent from the other document.

    Two transliterations of one name (Sergey/Sergei) are not a misspelling.
    """
    na = find_name_spans(a.doc.text, pair.a.start, pair.a.end)
    nb = find_name_spans(b.doc.text, pair.b.start, pair.b.end)
    keys_a, keys_b = {n.key for n in na}, {n.key for n in nb}
    found = []
    reported: set[tuple[str, str]] = set()
    for x in na:
        if x.key in keys_b or x.key in b.name_keys or len(x.key) < config.min_misspelt_name_chars:
            continue
        for y in nb:
            if y.key in keys_a or y.key in a.name_keys or (x.key, y.key) in reported:
                continue
            if x.key.startswith(y.key) or y.key.startswith(x.key):
                # "Russia"/"Russian", "China"/"Chinese": a demonym, not a misspelling.
                continue
            if x.key[0] != y.key[0] or OSA.distance(x.key, y.key) > config.max_name_edits:
                continue
            if x.key in NOT_ACTORS or y.key in NOT_ACTORS:
                continue  # a month or a day misspelt ("Sepember"): a typo, not a name
            if _skeleton(x.key) == _skeleton(y.key):
                continue
            if _common_word(x.key, a, b) or _common_word(y.key, a, b):
                continue  # "Aquisitions"/"Acquisitions": a word of a name mistyped
            reported.add((x.key, y.key))
            found.append(
                divergence(
                    a,
                    b,
                    DivergenceKind.NAME,
                    Span(x.start, x.end),
                    Span(y.start, y.end),
                    f"name spelt {a.doc.text[x.start : x.end]!r} in {a.doc.id} and "
                    f"{b.doc.text[y.start : y.end]!r} in {b.doc.id}",
                )
            )
    return found
