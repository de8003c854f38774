"""``role``: the two sentences say the same thing about different actors.

"China … leads in many 21st century technologies" / "Russia is now at the forefront of
many 21st century technologies".
"""

from __future__ import annotations

import re

from wiretrace.diverge.base import CLAUSE_BREAK, NOT_ACTORS, DivergeConfig, Side, divergence
from wiretrace.fingerprint.anchors import Anchor, find_name_spans
from wiretrace.model import Divergence, DivergenceKind, SentencePair, Span
from wiretrace.segment import STOPWORDS, Token, tokenize

# Possessive determiners: a phrase after one is something owned, not something done.
POSSESSIVES = frozenset(["its", "their", "his", "her", "our", "my", "your"])
# Units and currencies: "20 mln dlrs" is an amount, not something an actor does.
UNITS = frozenset(
    "mln bln billion million thousand dlrs dollars pct percent yen stg marks francs cts "  # noqa: SIM905
    "tonnes tons barrels shares".split()
)
# A relative ", which" continues the clause of a name (see CLAUSE_BREAK).
_RELATIVE = re.compile(r",\s+(?:which|who|that)\b")


def _actor(
    text: str, names: list[Anchor], tokens: list[Token], at: int, limit: int
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
    if between > limit or CLAUSE_BREAK.search(gap) or gap[:1] in "'’":
        return None
    return actor


def swapped_roles(a: Side, b: Side, pair: SentencePair, config: DivergeConfig) -> list[Divergence]:
    """The same predicate given to different actors that both sentences name."""
    ta = tokenize(a.doc.text, pair.a.start, pair.a.end)
    tb = tokenize(b.doc.text, pair.b.start, pair.b.end)
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
