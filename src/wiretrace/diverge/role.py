"""``role``: the two sentences say the same thing about different actors.

"China … leads in many 21st century technologies" / "Russia is now at the forefront of
many 21st century technologies" (:func:`swapped_roles`), or two actors that trade places
in a sentence otherwise unchanged, as a correction does ("an affiliate of Lifetime will
buy ... of Nippon" / "an affiliate of Nippon will buy ... of Lifetime":
:func:`replaced_actors`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz.distance import OSA, Indel

from wiretrace.diverge.base import (
    CLAUSE_BREAK,
    NOT_ACTORS,
    DivergeConfig,
    Side,
    changed_chunks,
    divergence,
    span_tokens,
)
from wiretrace.fingerprint.anchors import Anchor, find_name_spans
from wiretrace.model import Divergence, DivergenceKind, PassageKind, SentencePair, Span
from wiretrace.segment import STOPWORDS, Token

# Possessive determiners: a phrase after one is something owned, not something done.
POSSESSIVES = frozenset(["its", "their", "his", "her", "our", "my", "your"])
# Units and currencies: "20 mln dlrs" is an amount, not something an actor does.
UNITS = frozenset(
    "mln bln billion million thousand dlrs dollars pct percent yen stg marks francs cts "  # noqa: SIM905
    "tonnes tons barrels shares".split()
)
# A possessive ending: "Eddie's" names Eddie.
_POSSESSIVE = re.compile(r"['’]s?$")
# Names this close describe each other (an apposition), they do not trade roles.
_APPOSITION_TOKENS = 3
# A name replaced by another: at most this many words each ("Oak Industries").
_MAX_NAME_TOKENS = 3
# A relative ", which" continues the clause of a name (see CLAUSE_BREAK).
_RELATIVE = re.compile(r",\s+(?:which|who|that)\b")
# Words before a name that make it the object of something, not the one that acts:
# "the dispute between the government and Yukos is partly driven", "the dispute with the
# Russian authorities is partly driven", "funding for the banks, as proposed by Reagan".
_NOT_SUBJECT_BEFORE = frozenset(
    "of for with between and or in on at by to from against among into over under than as "  # noqa: SIM905
    "about after before".split()
)
_ARTICLES = frozenset(["the", "a", "an"])
# A subordinate clause between a name and the phrase has a subject of its own: "Conrow
# said he was pessimistic that funding for the banks ...", "the court ruled that the
# government ...".
_SUBORDINATE = re.compile(r"\bthat\b", re.IGNORECASE)


def _actor(
    text: str, names: list[Anchor], tokens: Sequence[Token], at: int, limit: int
) -> Anchor | None:
    """The subject of the clause that holds token ``at``: the nearest name before it.

    None when that name is more than ``limit`` tokens away, is a possessive ("Russia's
    invasion"), or sits in another clause (punctuation between, except ", which").
    """
    start = tokens[at].start
    if at > 0 and tokens[at - 1].norm in POSSESSIVES:
        # "Corp said its reorganization plan": the phrase names a thing, not an act.
        return None
    before = [n for n in names if n.end <= start and n.key not in NOT_ACTORS]
    if not before:
        return None
    actor = before[-1]
    between = sum(1 for t in tokens[:at] if t.start >= actor.end)
    gap = _RELATIVE.sub(" ", text[actor.end : start])
    if between > limit or CLAUSE_BREAK.search(gap) or gap[:1] in "'’" or _SUBORDINATE.search(gap):
        return None
    # The word before the name (and the capitalized words and article of its phrase).
    k = max((i for i, t in enumerate(tokens) if t.start < actor.start), default=-1)
    while k >= 0 and (tokens[k].norm in _ARTICLES or text[tokens[k].start].isupper()):
        k -= 1
    if k >= 0 and tokens[k].norm in _NOT_SUBJECT_BEFORE:
        return None
    return actor


def swapped_roles(a: Side, b: Side, pair: SentencePair, config: DivergeConfig) -> list[Divergence]:
    """The same predicate given to different actors that both sentences name."""
    ta = span_tokens(a.doc.text, pair.a.start, pair.a.end)
    tb = span_tokens(b.doc.text, pair.b.start, pair.b.end)
    na = find_name_spans(a.doc.text, pair.a.start, pair.a.end)
    nb = find_name_spans(b.doc.text, pair.b.start, pair.b.end)
    keys_a, keys_b = {n.key for n in na}, {n.key for n in nb}
    size = config.role_phrase_tokens
    grams_b: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(tb) - size + 1):
        grams_b.setdefault(tuple(t.norm for t in tb[j : j + size]), []).append(j)
    for i in range(len(ta) - size + 1):
        gram = tuple(t.norm for t in ta[i : i + size])
        places = grams_b.get(gram, [])
        # What an actor does: two content words that are not names or figures ("invasion of
        # Ukraine" says who was invaded, not who acts; "for 20 mln" is an amount).
        content = [
            w
            for w in gram
            if w not in STOPWORDS and w not in keys_a | keys_b and w.isalpha() and w not in UNITS
        ]
        if len(places) != 1 or len(content) < 2 or gram[0] in POSSESSIVES:
            continue
        actor_a = _actor(a.doc.text, na, ta, i, config.max_actor_tokens)
        actor_b = _actor(b.doc.text, nb, tb, places[0], config.max_actor_tokens)
        if actor_a is None or actor_b is None or actor_a.key == actor_b.key:
            continue
        # A swap, not a synonym: both actors are named on both sides.
        if {actor_a.key, actor_b.key} <= keys_a & keys_b:
            phrase = " ".join(gram)
            return [
                divergence(
                    a,
                    b,
                    DivergenceKind.ROLE,
                    Span(actor_a.start, ta[i + size - 1].end),
                    Span(actor_b.start, tb[places[0] + size - 1].end),
                    f"{a.doc.text[actor_a.start : actor_a.end]} in {a.doc.id} but "
                    f"{b.doc.text[actor_b.start : actor_b.end]} in {b.doc.id} "
                    f"is the one that ({phrase} …)",
                )
            ]
    return []


def replaced_actors(
    a: Side, b: Side, pair: SentencePair, config: DivergeConfig
) -> list[Divergence]:
    """Two names that trade places in a sentence otherwise unchanged.

    A correction that gives a purchase to the other party ("an affiliate of Lifetime will
    buy ... of Nippon" / "an affiliate of Nippon will buy ... of Lifetime") changes who
    does what. Both names must stand in both sentences: an editor writes "isolate Moscow"
    for "isolate Russia", and a name replaced by one the sentence did not have cannot be
    told from such a paraphrase. Nor may the two be one name written two ways.
    """
    if pair.kind not in (PassageKind.VERBATIM, PassageKind.EDITED):
        return []
    ta = span_tokens(a.doc.text, pair.a.start, pair.a.end)
    tb = span_tokens(b.doc.text, pair.b.start, pair.b.end)
    norms_a, norms_b = [t.norm for t in ta], [t.norm for t in tb]
    if Indel.normalized_similarity(norms_a, norms_b) < config.edit_min_similarity:
        return []
    found = []
    reported: set[tuple[str, str]] = set()
    for a_start, a_end, b_start, b_end in changed_chunks(norms_a, norms_b):
        wa, wb = ta[a_start:a_end], tb[b_start:b_end]
        if not wa or not wb or len(wa) > _MAX_NAME_TOKENS or len(wb) > _MAX_NAME_TOKENS:
            continue
        if not (_all_names(wa, a.doc.text, a_start) and _all_names(wb, b.doc.text, b_start)):
            continue
        name_a, name_b = " ".join(t.norm for t in wa), " ".join(t.norm for t in wb)
        if _one_name(name_a, name_b, config) or (name_b, name_a) in reported:
            continue  # one name written two ways, or the other half of one swap
        if not (set(norms_b) >= {t.norm for t in wa} and set(norms_a) >= {t.norm for t in wb}):
            continue  # not a swap: "isolate Moscow" / "isolate Russia" is one country
        if _apposed(norms_a, wb, a_end) or _apposed(norms_b, wa, b_end):
            continue  # "Warburg economist Ian Harwood" / "Ian Harwood, economist at Warburg"
        reported.add((name_a, name_b))
        sa, sb = Span(wa[0].start, wa[-1].end), Span(wb[0].start, wb[-1].end)
        found.append(
            divergence(
                a,
                b,
                DivergenceKind.ROLE,
                sa,
                sb,
                f"{a.doc.text[sa.start : sa.end]} in {a.doc.id} but "
                f"{b.doc.text[sb.start : sb.end]} in {b.doc.id}, in an otherwise unchanged "
                "sentence",
            )
        )
    return found


def _apposed(norms: list[str], name: Sequence[Token], end: int) -> bool:
    """Whether ``name`` follows within a few words of where the other name ends.

    The two then describe one another ("Warburg Securities economist Ian Harwood"), they
    do not act.
    """
    words = [t.norm for t in name]
    for start in range(end, min(len(norms), end + _APPOSITION_TOKENS + len(words))):
        if norms[start : start + len(words)] == words:
            return True
    return False


def _one_name(x: str, y: str, config: DivergeConfig) -> bool:
    """One name written two ways.

    Misspelt, shortened ("Crazy Eddie"/"Crazy"), or by its initials ("United
    States"/"U.S.").
    """
    wx = [_POSSESSIVE.sub("", w) for w in x.split()]
    wy = [_POSSESSIVE.sub("", w) for w in y.split()]
    x, y = " ".join(wx), " ".join(wy)
    initials = ("".join(w[0] for w in wx), "".join(w[0] for w in wy))
    return (
        OSA.distance(x, y) <= config.max_name_edits + 1
        or set(wx) <= set(wy)
        or set(wy) <= set(wx)
        or initials[0] == "".join(wy)
        or initials[1] == "".join(wx)
    )


def _all_names(tokens: Sequence[Token], text: str, first: int) -> bool:
    """Capitalized words, none opening the sentence, none a month, day or designator."""
    return first > 0 and all(
        text[t.start].isupper() and t.norm not in NOT_ACTORS and t.norm not in STOPWORDS
        for t in tokens
    )
