"""``quote``: the words inside matching quotation marks differ, or another speaker says them.

Differences in spelling, inflection or function words do not count; a changed pronoun
does ("together we" → "I"). A quotation given to another named speaker ("…," Solberg
said / "…," said Okafor) is a change too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import OSA, Indel, Levenshtein

from wiretrace.diverge.base import (
    CLAUSE_BREAK,
    NEGATIONS,
    NOT_ACTORS,
    DivergeConfig,
    Side,
    changed_chunks,
    divergence,
)
from wiretrace.model import Divergence, DivergenceKind, SentencePair, Span
from wiretrace.segment import STOPWORDS, Token, normalize_token, token_norms, tokenize

# Pronouns whose change inside a quote changes who speaks for whom ("we" → "I").
PERSON_WORDS = frozenset(["i", "we", "me", "us", "my", "our", "mine", "ours", "you", "your"])
# Verbs that give a quotation to its speaker, and those whose object is the listener
# ("…," Wang told Putin: Wang speaks).
_SPEECH_VERBS = (
    "said|says|told|tells|added|adds|stated|states|declared|noted|explained|insisted|warned|"
    "wrote|writes|argued|asked|replied|announced|commented|remarked|continued|recalled"
)
_SPEECH_VERB = re.compile(rf"\b(?:{_SPEECH_VERBS})\b")
_LISTENER_VERBS = frozenset(["told", "tells", "asked"])
# A speaker: capitalized words in a row ("Marguerite Solberg", "Xi Jinping").
_PARTICLES = r"(?:da|de|di|do|dos|das|du|del|della|der|den|van|von|ter|bin|ibn|al|el|la|le)"
_NAME_RUN = re.compile(
    rf"(?<![\w'’-])[A-ZÀ-Ý][\w'’-]*\w(?:[ \t]+(?:{_PARTICLES}[ \t]+)*[A-ZÀ-Ý][\w'’-]*\w)*"
)
# Where a quotation's attribution ends: the sentence's end or another quotation.
_ATTRIBUTION_END = re.compile(r"[.!?;\n\"“”«»„]")
# Abbreviated titles, whose dot ends no sentence ("Mrs. Solberg said").
_TITLE_DOT = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Sgt|St)\.")
# Before a quotation: `Solberg told reporters: "` / `Solberg said, "`.
_LEAD_ATTRIBUTION = re.compile(
    rf"(?P<who>{_NAME_RUN.pattern})\s+(?:{_SPEECH_VERBS})(?:\s+[a-z]+){{0,2}}\s*[:,]\s*$"
)
# Capitalized titles before a name: "President Xi" and "President Putin" are two people.
_TITLES = frozenset(
    "president vice prime minister chancellor secretary general mr mrs ms dr sir dame lord "  # noqa: SIM905
    "chair chairman chairwoman chief executive spokesman spokeswoman spokesperson governor "
    "senator mayor king queen prince princess pope premier ambassador judge prof sen rep gov "
    "gen lt col sgt".split()
)
# The only function words allowed in the phrase before a speaker's name ("the harbour
# chair Marguerite Solberg said"); any other makes the name a complement ("the chair of
# X said"), and an article right before the name makes it an institution ("the Kremlin").
_ARTICLES = frozenset(["the", "a", "an"])
# An editor's aside inside a quotation.
_ASIDE = re.compile(r"\([^()]{1,60}\)|\[[^\[\]]{1,60}\]")
# Words this long or longer one edit apart are one word misspelt or its spelling fixed
# ("pay"/"play", "tyres"/"tires"), unless the edit makes or unmakes a negation ("now"/"not").
_TYPO_MIN_CHARS = 3
# How far from a quotation its attribution is looked for (characters).
_ATTRIBUTION_CHARS = 160


def _inner_tokens(text: str, quote: tuple[int, int]) -> list[Token]:
    """The words of a quotation without an editor's aside in brackets.

    "Electronic Arts (EA)", "the existing (UN) Security Council": the aside is not the
    speaker's words.
    """
    asides = [m.span() for m in _ASIDE.finditer(text, quote[0] + 1, quote[1] - 1)]
    return [
        t
        for t in tokenize(text, quote[0] + 1, quote[1] - 1)
        if not any(start <= t.start < end for start, end in asides)
    ]


def _quotes_in(side: Side, sentence: Span) -> list[tuple[int, int]]:
    return [q for q in side.quotes if q[0] < sentence.end and q[1] > sentence.start]


def _same_word(x: str, y: str, config: DivergeConfig) -> bool:
    """Spelling variants and inflections of one word."""
    if x == y:
        return True
    prefix = config.spelling_prefix_chars
    if len(x) >= prefix and len(y) >= prefix and x[:prefix] == y[:prefix]:
        return True
    shorter = min(len(x), len(y))
    if shorter >= prefix and Levenshtein.distance(x, y) <= config.spelling_max_edits:
        return True
    if (
        shorter >= _TYPO_MIN_CHARS
        and not {x, y} & (NEGATIONS | PERSON_WORDS)
        and OSA.distance(x, y) <= 1
    ):
        return True
    # "frontier"/"frontiers", "agree"/"agreed": a stem and its inflection.
    return shorter >= 4 and (x.startswith(y) or y.startswith(x)) and abs(len(x) - len(y)) <= 2


def _quote_changes(ta: list[str], tb: list[str], config: DivergeConfig) -> list[tuple[str, str]]:
    """Changed words of two versions of one quote, ignoring trivial differences.

    Returns ``(a words, b words)`` per change. Words added or cut at either end (a quote
    cut short or carried on), function words, spelling variants and inflections do not
    count; a changed pronoun ("we" → "I") and a negation always do.
    """
    changes = []
    for a_start, a_end, b_start, b_end in changed_chunks(ta, tb):
        wa, wb = ta[a_start:a_end], tb[b_start:b_end]
        at_edge = a_start == 0 and b_start == 0 or a_end == len(ta) and b_end == len(tb)
        if at_edge and (not wa or not wb):
            continue
        if max(len(wa), len(wb)) > config.max_quote_change_words:
            # A clause said another way is another statement of the speaker's, quoted
            # on another occasion: "In my parliamentary answer on March 17 2003, I
            # explained my ... view" / "As I have always made clear, I set out in the
            # answer my own ... view".
            return []
        if "".join(wa) == "".join(wb):
            # "multi-polarity" / "multipolarity".
            continue
        meaningful_a = [w for w in wa if w not in STOPWORDS or w in PERSON_WORDS | NEGATIONS]
        meaningful_b = [w for w in wb if w not in STOPWORDS or w in PERSON_WORDS | NEGATIONS]
        if not meaningful_a and not meaningful_b:
            continue
        if len(meaningful_a) == len(meaningful_b) and all(
            _same_word(x, y, config) for x, y in zip(meaningful_a, meaningful_b, strict=True)
        ):
            continue
        changes.append((" ".join(wa), " ".join(wb)))
    return changes


def changed_quotes(a: Side, b: Side, pair: SentencePair, config: DivergeConfig) -> list[Divergence]:
    """Quotations of one sentence pair whose words were changed."""
    found = []
    used_b: set[tuple[int, int]] = set()
    for qa in _quotes_in(a, pair.a):
        ta = [t.norm for t in _inner_tokens(a.doc.text, qa)]
        best: tuple[float, tuple[int, int], list[str]] | None = None
        for qb in _quotes_in(b, pair.b):
            if qb in used_b:
                continue
            tb = [t.norm for t in _inner_tokens(b.doc.text, qb)]
            similarity = Indel.normalized_similarity(ta, tb)
            if similarity >= config.min_quote_similarity and (best is None or similarity > best[0]):
                best = (similarity, qb, tb)
        if best is None:
            continue
        _, qb, tb = best
        used_b.add(qb)
        speaker_a, speaker_b = _speaker(a.doc.text, qa), _speaker(b.doc.text, qb)
        if (
            speaker_a
            and speaker_b
            and not _same_speaker(speaker_a, speaker_b, config)
            and _person(speaker_a, a.doc.text)
            and _person(speaker_b, b.doc.text)
            # "the Kremlin said" / "Kremlin spokesman Dmitry Peskov said"
            and not speaker_a.keys & set(token_norms(b.doc.text, pair.b.start, pair.b.end))
            and not speaker_b.keys & set(token_norms(a.doc.text, pair.a.start, pair.a.end))
        ):
            found.append(
                divergence(
                    a,
                    b,
                    DivergenceKind.QUOTE,
                    speaker_a.span,
                    speaker_b.span,
                    f"quotation given to {speaker_a.name} in {a.doc.id} but to "
                    f"{speaker_b.name} in {b.doc.id}",
                )
            )
        changes = _quote_changes(ta, tb, config)
        if not changes:
            continue
        shown = "; ".join(f"{x or '—'!r} → {y or '—'!r}" for x, y in changes[:3])
        found.append(
            divergence(
                a,
                b,
                DivergenceKind.QUOTE,
                Span(*qa),
                Span(*qb),
                f"quoted words changed: {shown}",
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class _Speaker:
    """Who a quotation is given to: the name as written, where, and its name keys."""

    name: str
    span: Span
    keys: frozenset[str]


def _speaker_of(name: str, start: int) -> _Speaker | None:
    """The speaker named by ``name`` (written at ``start``), unless it names nobody.

    Leading titles are not part of the name ("President Xi Jinping" is "Xi Jinping").
    """
    words = [
        (m, key)
        for m in re.finditer(r"\S+", name)
        if (key := normalize_token(m.group(0))) not in STOPWORDS
    ]
    while words and words[0][1] in _TITLES:
        words.pop(0)
    keys = frozenset(key for _, key in words if key not in NOT_ACTORS and key not in _TITLES)
    if not keys:  # "He said", "The chair said"
        return None
    first = words[0][0].start()
    return _Speaker(name[first:], Span(start + first, start + len(name)), keys)


def _speaker(text: str, quote: tuple[int, int]) -> _Speaker | None:
    """The named speaker of a quotation, or ``None`` when it names none (or not clearly).

    Three shapes are read, each with the name next to the verb, so that "the chair of
    Veldran Holdings said" gives no speaker rather than the company: after the quotation,
    ``"…," Marguerite Solberg said`` and ``"…," said Solberg`` (never the name after
    "told": the listener); before it, ``Solberg told reporters: "…"``.
    """
    start, end = quote
    after = _without_title_dots(text[end : end + _ATTRIBUTION_CHARS])
    cut = _ATTRIBUTION_END.search(after)
    after = after[: cut.start()] if cut else after
    ends_sentence = text[end - 2 : end - 1] == "."
    verb = None if ends_sentence else _SPEECH_VERB.search(after)
    if verb is not None:
        head = after[: verb.start()]
        if not CLAUSE_BREAK.search(head.rstrip().rstrip(",")):
            # The words between the quotation and the verb form one phrase: the name run
            # that ends right before the verb is the speaker.
            runs = list(_NAME_RUN.finditer(head))
            phrase = token_norms(head, 0, runs[-1].start()) if runs else []
            if (
                runs
                and not head[runs[-1].end() :].strip()
                and all(w in _ARTICLES or w not in STOPWORDS for w in phrase)
                and (not phrase or phrase[-1] not in _ARTICLES)
            ):
                return _speaker_of(runs[-1].group(0), end + runs[-1].start())
        if verb.group(0) not in _LISTENER_VERBS:
            tail = after[verb.end() :]
            clause = tail.split(",", 1)[0]
            runs = list(_NAME_RUN.finditer(clause))
            # Only title words may come before the name: "said in a statement to Reuters"
            # names who heard it.
            if (
                runs
                and not clause[runs[-1].end() :].strip()
                and not runs[-1].group(0).endswith(("'s", "’s"))
                and all(w not in STOPWORDS for w in token_norms(clause, 0, runs[-1].start()))
            ):
                return _speaker_of(runs[-1].group(0), end + verb.end() + runs[-1].start())
        return None
    before_start = max(0, start - _ATTRIBUTION_CHARS)
    before = _without_title_dots(text[before_start:start])
    cut_at = max((m.end() for m in _ATTRIBUTION_END.finditer(before)), default=0)
    before = before[cut_at:]
    lead = _LEAD_ATTRIBUTION.search(before)
    if lead is None:
        return None
    return _speaker_of(lead.group("who"), before_start + cut_at + lead.start("who"))


def _person(speaker: _Speaker, text: str) -> bool:
    """Whether the speaker is a person the document names in full somewhere.

    "Marguerite Solberg" or "Solberg" in a text that says "Marguerite Solberg" is; "China
    said" / "Beijing said" name a government, and those two are one speaker.
    """
    if len(speaker.keys) >= 2:
        return True
    for run in _NAME_RUN.finditer(text):
        found = _speaker_of(run.group(0), run.start())
        if found is not None and len(found.keys) >= 2 and found.keys & speaker.keys:
            return True
    return False


def _without_title_dots(text: str) -> str:
    """``text`` with the dots of abbreviated titles blanked (offsets unchanged)."""
    return _TITLE_DOT.sub(lambda m: m.group(0)[:-1] + " ", text)


def _same_speaker(x: _Speaker, y: _Speaker, config: DivergeConfig) -> bool:
    """One person: a name word shared ("Xi" / "Xi Jinping") or misspelt (a name check)."""
    if x.keys & y.keys:
        return True
    return any(
        min(len(kx), len(ky)) >= config.min_misspelt_name_chars
        and OSA.distance(kx, ky) <= config.max_name_edits
        for kx in x.keys
        for ky in y.keys
    )
