"""Stage 9, diverge: what each version of an aligned passage changed.

Every aligned sentence pair of a verdict (verbatim, edited, paraphrase or translation: the
comparison looks at the facts of the two sentences, not only at token edits), and every
"fact pair" of unaligned sentences that state one fact in other words (:func:`fact_pairs`),
is checked for these kinds of change:

- ``number``: the sentences state different quantities. Quantities are compared by value
  (currency, scale words and locale spellings normalized; "US$200 billion (S$268
  billion)" is one fact, its conversion ignored), and a range is not its two ends.
- ``name``: a name of one side is a misspelling of a name of the other (Blinken →
  Brinken). Replaced names are left alone: paraphrases swap "Beijing" for "China".
- ``quote``: the words inside matching quotation marks differ in more than spelling,
  inflection or function words (a changed pronoun counts: "together we" → "I"), or the
  quotation is given to another named speaker ("…," Solberg said / "…," said Okafor).
- ``negation``: one sentence negates what the other affirms; ``role``: the two sentences
  say the same thing about different actors ("China … leads in many 21st century
  technologies" / "Russia is now at the forefront of many 21st century technologies").
- ``claim``: one sentence adds a figure, date or day the other version does not state at
  all. A sentence missing as a whole is not a pairwise claim: the story view
  (:mod:`wiretrace.consolidate`) lists it as a single-source fact.

Precision comes first: each check needs evidence on both sides, and a fact that only
moved to another sentence of the other document is not a change. Divergences are changes
made to one text, so only versions of one text have them: copies, edits, rewrites and
translations. Two separately written reports of one event (``related``), or two instances
of one template, differ in every figure without anyone having changed anything. A
``partial`` pair shares only its reused passages: those are compared, but what one side
adds beyond them is its own reporting, not a claim missing from the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz.distance import OSA, Indel, Levenshtein

from wiretrace.errors import InputError
from wiretrace.fingerprint.anchors import (
    Anchor,
    Quantity,
    find_name_spans,
    find_quantities,
    quote_spans,
)
from wiretrace.model import (
    Divergence,
    DivergenceKind,
    Document,
    PairVerdict,
    PassageKind,
    ReuseType,
    SentencePair,
    Span,
)
from wiretrace.segment import (
    STOPWORDS,
    UNDETERMINED,
    Token,
    is_content,
    normalize_token,
    token_norms,
    tokenize,
)

# Words that turn a statement into its negation (normalized tokens).
NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "nobody",
        "nothing",
        "none",
        "neither",
        "nor",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "wont",
        "wouldnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "hasnt",
        "havent",
        "hadnt",
        "shouldnt",
        "couldnt",
        "ne",
        "pas",
        "jamais",
        "aucun",
        "nicht",
        "kein",
        "keine",
        "nie",
    ]
)
# Pronouns whose change inside a quote changes who speaks for whom ("we" → "I").
PERSON_WORDS = frozenset(["i", "we", "me", "us", "my", "our", "mine", "ours", "you", "your"])
# Possessive determiners: a phrase after one is something owned, not something done.
POSSESSIVES = frozenset(["its", "their", "his", "her", "our", "my", "your"])
# Capitalized words that are no actors: months, days, company and court designators.
NOT_ACTORS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "inc",
        "corp",
        "co",
        "ltd",
        "plc",
        "llc",
        "ag",
        "sa",
        "nv",
        "bv",
        "group",
        "court",
    ]
)
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
# How far from a quotation its attribution is looked for (characters).
_ATTRIBUTION_CHARS = 160
# Units and currencies: "20 mln dlrs" is an amount, not something an actor does.
UNITS = frozenset(
    "mln bln billion million thousand dlrs dollars pct percent yen stg marks francs cts "  # noqa: SIM905
    "tonnes tons barrels shares".split()
)
# Month names extend a claimed date leftwards ("Feb 24, 2022").
_MONTH = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$", re.IGNORECASE
)
# The place of a dateline ("PORT CALLOW, March 4 (Meridian Press) -", "PORT CALLOW, 4 mars
# (Meridian Press) -"): its date says
# when the copy was filed, not what happened.
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]{1,40},\s*(?:[A-Z][a-z]{2,8}\.?)?\s*$")
# Days and announced times: a version that says when something happens states a fact.
_TIME = re.compile(
    r"\b(?:on\s+|in\s+|within\s+)?(?P<when>monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|the\s+coming\s+(?:days|weeks|months|years)|next\s+(?:week|month|year)|"
    r"later\s+this\s+(?:week|month|year))\b",
    re.IGNORECASE,
)
# Verdicts whose two sides are versions of one whole text: every difference of their aligned
# sentences is a change, and so is a fact one version adds (a claim).
WHOLE_TEXT_TYPES = frozenset(
    {ReuseType.DUPLICATE, ReuseType.EDITED, ReuseType.PARAPHRASE, ReuseType.TRANSLATION}
)
# Letters that transliterations of one name swap (Sergey/Sergei, Dmitry/Dmitri,
# Gorbachev/Gorbachov): names that agree once each run of these is one placeholder are one
# name written in two systems, not a misspelling (Blinken/Brinken differ in a consonant,
# Okonkwo/Okonkow in where the vowel stands).
_TRANSLITERATED_VOWELS = frozenset("aeiouy")
# Letter groups that romanisations write differently (Aleksandr/Alexandr, Mikhail/Mihail).
_TRANSLITERATED_GROUPS = (("ks", "x"), ("kh", "h"), ("tch", "ch"), ("w", "v"), ("j", "i"))
# Letters of a word that stand for it when rewritten sentences are paired.
FACT_STEM_CHARS = 6
# Punctuation that ends the clause of a name; a relative ", which" continues it.
_CLAUSE_BREAK = re.compile(r"[,;:()\"“”«»—–]")
_RELATIVE = re.compile(r",\s+(?:which|who|that)\b")


@dataclass(frozen=True, slots=True)
class DivergeConfig:
    """Thresholds of the divergence checks; each trades recall for precision as commented."""

    # A misspelt name differs by one edit (substitution, insertion, deletion or swap of
    # two neighbours: Blinken/Brinken, Okonkwo/Okonkow); short names differ by one letter
    # too often (Wang/Wong are two people), so only names this long are compared.
    min_misspelt_name_chars: int = 5
    max_name_edits: int = 1
    # Quotes less alike than this (Indel similarity of their tokens) are different
    # quotations, not one quotation altered.
    min_quote_similarity: float = 0.45
    # Two spellings of one word ("democratisation"/"democratization", "frontier"/
    # "frontiers") share this many leading characters or are this few edits apart.
    spelling_prefix_chars: int = 6
    spelling_max_edits: int = 2
    # A negation counts only in sentences this alike (token Indel similarity): in a loose
    # paraphrase "not" may move to another clause.
    negation_min_similarity: float = 0.7
    # A polarity flip is a small edit ("not", "never", "did not"); more changed words
    # around a negation are a rewritten clause.
    max_negation_edit: int = 2
    # Role swaps: a phrase of this many tokens shared by both sentences, its actor the
    # nearest name before it, at most ``max_actor_tokens`` tokens away.
    role_phrase_tokens: int = 3
    max_actor_tokens: int = 10
    # Added figures closer than this (characters) form one claimed fact ("Feb 24, 2022").
    claim_join_chars: int = 4
    # Unaligned sentences that state one fact in other words (see :func:`fact_pairs`):
    # on the seeds, true rewrites share 8-12 content words and over 60% of the shorter
    # sentence; different sentences of one story share at most 4-5.
    fact_min_shared_words: int = 6
    fact_min_overlap: float = 0.5


@dataclass(frozen=True, slots=True)
class _Side:
    """One document of the pair with the facts of its whole text, computed once."""

    doc: Document
    quantity_keys: frozenset[str]
    name_keys: frozenset[str]
    quotes: tuple[tuple[int, int], ...]
    time_keys: frozenset[str]


def _times(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, Span]]:
    """When things happen, as words: "on Wednesday", "in the coming months"."""
    return [
        (" ".join(m.group("when").lower().split()), Span(m.start(), m.end()))
        for m in _TIME.finditer(text, start, len(text) if end is None else end)
    ]


def _side(doc: Document) -> _Side:
    quantities = find_quantities(doc.text)
    names: set[str] = set()
    for span in doc.sentences or (Span(0, len(doc.text)),):
        names.update(a.key for a in find_name_spans(doc.text, span.start, span.end))
    keys = {q.key for q in quantities}
    # The ends of a range are figures the document states, too.
    keys.update(end for q in quantities if ".." in q.key for end in q.key.split(".."))
    times = frozenset(key for key, _ in _times(doc.text))
    return _Side(doc, frozenset(keys), frozenset(names), tuple(quote_spans(doc.text)), times)


def _sentence_pairs(verdict: PairVerdict) -> Iterator[SentencePair]:
    seen: set[tuple[Span, Span]] = set()
    for passage in verdict.passages:
        for pair in passage.sentence_pairs:
            if (pair.a, pair.b) not in seen:
                seen.add((pair.a, pair.b))
                yield pair


def _fact_words(doc: Document, span: Span) -> frozenset[str]:
    """Content words, names and figures of a sentence: what a rewrite keeps."""
    # Word stems (the first letters) so "democratisation"/"democratization" and
    # "support"/"supported" count as shared.
    return frozenset(
        w[:FACT_STEM_CHARS] for w in token_norms(doc.text, span.start, span.end) if is_content(w)
    )


def fact_pairs(
    a: Document, b: Document, verdict: PairVerdict, config: DivergeConfig | None = None
) -> tuple[SentencePair, ...]:
    """Sentences left unaligned on both sides that state the same fact in other words.

    A spun rewrite keeps a sentence's names, figures and most content words while
    changing its word order, so lexical alignment misses it. Two unaligned sentences of a
    pair with aligned passages form a fact pair when each is the other's best match and
    they share at least ``fact_min_shared_words`` content words, covering
    ``fact_min_overlap`` of the shorter one.
    """
    config = config or DivergeConfig()
    if a.id != verdict.a:
        a, b = b, a
    if not verdict.passages:
        return ()
    aligned_a = {p.a for p in _sentence_pairs(verdict)}
    aligned_b = {p.b for p in _sentence_pairs(verdict)}
    words_a = {s: _fact_words(a, s) for s in a.sentences if s not in aligned_a}
    words_b = {s: _fact_words(b, s) for s in b.sentences if s not in aligned_b}

    def score(x: frozenset[str], y: frozenset[str]) -> float:
        shared = len(x & y)
        if shared < config.fact_min_shared_words:
            return 0.0
        return shared / min(len(x), len(y))

    best_a = {
        sa: max(words_b, key=lambda sb: (score(wa, words_b[sb]), -sb.start), default=None)
        for sa, wa in words_a.items()
    }
    best_b = {
        sb: max(words_a, key=lambda sa: (score(words_a[sa], wb), -sa.start), default=None)
        for sb, wb in words_b.items()
    }
    found = []
    for sa, sb in best_a.items():
        if sb is None or best_b.get(sb) != sa:
            continue
        overlap = score(words_a[sa], words_b[sb])
        if overlap >= config.fact_min_overlap:
            found.append(SentencePair(sa, sb, round(overlap, 4), PassageKind.PARAPHRASE))
    return tuple(sorted(found, key=lambda p: p.a.start))


def _divergence(
    a: _Side, b: _Side, kind: DivergenceKind, sa: Span | None, sb: Span | None, why: str
) -> Divergence:
    return Divergence(
        a=a.doc.id,
        b=b.doc.id,
        kind=kind,
        a_span=sa,
        b_span=sb,
        a_text=a.doc.text[sa.start : sa.end] if sa else "",
        b_text=b.doc.text[sb.start : sb.end] if sb else "",
        explanation=why,
    )


def _cover(items: list[Quantity]) -> Span:
    return Span(min(q.start for q in items), max(q.end for q in items))


def _written(text: str, items: list[Quantity]) -> str:
    return ", ".join(text[q.start : q.end] for q in items)


def _facts(text: str, sentence: Span) -> list[Quantity]:
    """Quantities of a sentence that state facts: no conversions, no dateline dates."""
    found = []
    for q in find_quantities(text, sentence.start, sentence.end):
        before = text[sentence.start : q.start]
        if q.converted or _DATELINE.match(before):
            continue
        found.append(q)
    return found


def _numbers(a: _Side, b: _Side, pair: SentencePair, config: DivergeConfig) -> list[Divergence]:
    """Number changes and added figures of one sentence pair."""
    qa = _facts(a.doc.text, pair.a)
    qb = _facts(b.doc.text, pair.b)
    keys_a, keys_b = {q.key for q in qa}, {q.key for q in qb}
    only_a = [q for q in qa if q.key not in keys_b]
    only_b = [q for q in qb if q.key not in keys_a]
    # A figure the other document states elsewhere moved; it was not changed.
    new_a = [q for q in only_a if q.key not in b.quantity_keys]
    new_b = [q for q in only_b if q.key not in a.quantity_keys]
    found = []
    if only_a and only_b and (new_a or new_b):
        sa, sb = _cover(only_a), _cover(only_b)
        found.append(
            _divergence(
                a,
                b,
                DivergenceKind.NUMBER,
                sa,
                sb,
                f"different figures: {_written(a.doc.text, only_a)} in {a.doc.id}, "
                f"{_written(b.doc.text, only_b)} in {b.doc.id}",
            )
        )
    elif new_a and not only_b:
        found += _claims(a, b, only_a, b.quantity_keys, pair.b, config, a_adds=True)
    elif new_b and not only_a:
        found += _claims(b, a, only_b, a.quantity_keys, pair.a, config, a_adds=False)
    return found


def _claims(
    adder: _Side,
    other: _Side,
    added: list[Quantity],
    other_keys: frozenset[str],
    other_sentence: Span,
    config: DivergeConfig,
    *,
    a_adds: bool,
) -> list[Divergence]:
    """One claim per run of added figures ("Feb 24, 2022" is one date).

    A run is a claim when one of its figures is stated nowhere in the other document.
    """
    groups: list[list[Quantity]] = []
    for q in added:
        if groups and q.start - groups[-1][-1].end <= config.claim_join_chars:
            groups[-1].append(q)
        else:
            groups.append([q])
    found = []
    for group in groups:
        if all(q.key in other_keys for q in group):
            continue
        span = _cover(group)
        month = _MONTH.search(adder.doc.text, max(0, span.start - 12), span.start)
        if month:
            span = Span(month.start(), span.end)
        why = (
            f"{adder.doc.id} states {adder.doc.text[span.start : span.end]!r}, "
            f"which {other.doc.id} does not"
        )
        if a_adds:
            found.append(_divergence(adder, other, DivergenceKind.CLAIM, span, other_sentence, why))
        else:
            found.append(_divergence(other, adder, DivergenceKind.CLAIM, other_sentence, span, why))
    return found


def _time_claims(a: _Side, b: _Side, pair: SentencePair, config: DivergeConfig) -> list[Divergence]:
    """A day or time one sentence gives and the other document never mentions."""
    ta = _times(a.doc.text, pair.a.start, pair.a.end)
    tb = _times(b.doc.text, pair.b.start, pair.b.end)
    found = []
    for key, span in ta:
        if key not in b.time_keys:
            why = f"{a.doc.id} says {key!r}, which {b.doc.id} does not"
            found.append(_divergence(a, b, DivergenceKind.CLAIM, span, pair.b, why))
    for key, span in tb:
        if key not in a.time_keys:
            why = f"{b.doc.id} says {key!r}, which {a.doc.id} does not"
            found.append(_divergence(a, b, DivergenceKind.CLAIM, pair.a, span, why))
    return found


def _skeleton(name: str) -> str:
    """A name with the spellings that romanisations differ in folded into one form."""
    folded = name.lower()
    for group, single in _TRANSLITERATED_GROUPS:
        folded = folded.replace(group, single)
    letters = ["*" if c in _TRANSLITERATED_VOWELS else c for c in folded]
    # A run of vowels ("ey"/"ei"/"i") and a doubled letter ("Zelenskyy", "Mohammed") are
    # spelling conventions too.
    return "".join(c for i, c in enumerate(letters) if i == 0 or c != letters[i - 1])


def _names(a: _Side, b: _Side, pair: SentencePair, config: DivergeConfig) -> list[Divergence]:
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
            if _skeleton(x.key) == _skeleton(y.key):
                continue
            reported.add((x.key, y.key))
            found.append(
                _divergence(
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


def _inner_tokens(text: str, quote: tuple[int, int]) -> list[Token]:
    return tokenize(text, quote[0] + 1, quote[1] - 1)


def _quotes_in(side: _Side, sentence: Span) -> list[tuple[int, int]]:
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
    # "frontier"/"frontiers", "agree"/"agreed": a stem and its inflection.
    return shorter >= 4 and (x.startswith(y) or y.startswith(x)) and abs(len(x) - len(y)) <= 2


def _chunks(ta: list[str], tb: list[str]) -> list[tuple[int, int, int, int]]:
    """Changed stretches of two token lists, ``(a_start, a_end, b_start, b_end)``.

    Neighbouring edits form one stretch: "multi polarity" → "multipolarity" is a replace
    and a delete, "don t" → "dont" too.
    """
    chunks: list[tuple[int, int, int, int]] = []
    last_equal = True
    for op in Levenshtein.opcodes(ta, tb):
        if op.tag == "equal":
            last_equal = True
            continue
        if chunks and not last_equal:
            start_a, _, start_b, _ = chunks[-1]
            chunks[-1] = (start_a, op.src_end, start_b, op.dest_end)
        else:
            chunks.append((op.src_start, op.src_end, op.dest_start, op.dest_end))
        last_equal = False
    return chunks


def _quote_changes(ta: list[str], tb: list[str], config: DivergeConfig) -> list[tuple[str, str]]:
    """Changed words of two versions of one quote, ignoring trivial differences.

    Returns ``(a words, b words)`` per change. Words added or cut at either end (a quote
    cut short or carried on), function words, spelling variants and inflections do not
    count; a changed pronoun ("we" → "I") and a negation always do.
    """
    changes = []
    for a_start, a_end, b_start, b_end in _chunks(ta, tb):
        wa, wb = ta[a_start:a_end], tb[b_start:b_end]
        at_edge = a_start == 0 and b_start == 0 or a_end == len(ta) and b_end == len(tb)
        if at_edge and (not wa or not wb):
            continue
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


def _quotes(a: _Side, b: _Side, pair: SentencePair, config: DivergeConfig) -> list[Divergence]:
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
                _divergence(
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
            _divergence(
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
        if not _CLAUSE_BREAK.search(head.rstrip().rstrip(",")):
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


def _is_negation(tokens: list[Token], i: int) -> bool:
    """A negation word, or the "t" of a garbled "don"t"."""
    norm = tokens[i].norm
    return norm in NEGATIONS or (norm == "t" and i > 0 and tokens[i - 1].norm.endswith("n"))


def _negation(a: _Side, b: _Side, pair: SentencePair, config: DivergeConfig) -> list[Divergence]:
    """A sentence that negates its counterpart.

    The negation must be a small edit between words both sentences share ("would close" /
    "would not close"), not part of a clause only one of them has ("He did not say where
    the money would come from, but …").
    """
    ta = tokenize(a.doc.text, pair.a.start, pair.a.end)
    tb = tokenize(b.doc.text, pair.b.start, pair.b.end)
    norms_a, norms_b = [t.norm for t in ta], [t.norm for t in tb]
    if Indel.normalized_similarity(norms_a, norms_b) < config.negation_min_similarity:
        return []
    for a_start, a_end, b_start, b_end in _chunks(norms_a, norms_b):
        if a_start == 0 and b_start == 0 or a_end == len(ta) and b_end == len(tb):
            # Words added or cut at an end: a clause one side does not have.
            continue
        in_a = [i for i in range(a_start, a_end) if _is_negation(ta, i)]
        in_b = [j for j in range(b_start, b_end) if _is_negation(tb, j)]
        # The negating side adds the negation and at most one word ("did not close" for
        # "closed"); the other side changes at most one word. "no limits" for
        # "cross-border" is a rewording.
        added = (a_end - a_start) if in_a else (b_end - b_start)
        replaced = (b_end - b_start) if in_a else (a_end - a_start)
        if added > config.max_negation_edit or replaced > 1:
            continue
        if bool(in_a) == bool(in_b):
            continue
        if in_a:
            sa, sb, negated = Span(ta[in_a[0]].start, ta[in_a[0]].end), pair.b, a.doc.id
        else:
            sa, sb, negated = pair.a, Span(tb[in_b[0]].start, tb[in_b[0]].end), b.doc.id
        return [
            _divergence(
                a, b, DivergenceKind.NEGATION, sa, sb, f"{negated} negates what the other states"
            )
        ]
    return []


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
    if between > limit or _CLAUSE_BREAK.search(gap) or gap[:1] in "'’":
        return None
    return actor


def _roles(a: _Side, b: _Side, pair: SentencePair, config: DivergeConfig) -> list[Divergence]:
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
                _divergence(
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


def find_divergences(
    a: Document, b: Document, verdict: PairVerdict, config: DivergeConfig | None = None
) -> tuple[Divergence, ...]:
    """Typed differences between the aligned sentences of two documents.

    Args:
        a: one document of the pair (either order; the result follows ``verdict``'s).
        b: the other document.
        verdict: the pair's verdict with its passages and sentence pairs.
        config: thresholds.

    Returns:
        The divergences, ordered by their position in ``verdict.a``.
    """
    config = config or DivergeConfig()
    if a.id != verdict.a:
        a, b = b, a
    if (a.id, b.id) != (verdict.a, verdict.b):
        raise InputError(
            f"find_divergences got documents {a.id!r} and {b.id!r} for the verdict of "
            f"{verdict.a!r} ~ {verdict.b!r}; pass the two documents of that pair"
        )
    whole_text = verdict.type in WHOLE_TEXT_TYPES
    if not whole_text and verdict.type != ReuseType.PARTIAL:
        return ()
    side_a, side_b = _side(a), _side(b)
    checks = [_numbers, _time_claims, _names, _quotes, _negation, _roles]
    if a.language != b.language and UNDETERMINED not in (a.language, b.language):
        # Across languages only figures and names can be compared word for word.
        checks = [_numbers, _names]
    if not whole_text:
        checks = [c for c in checks if c is not _time_claims]
    aligned = list(_sentence_pairs(verdict))
    # Sentences outside the reused passages of a partial pair are separate reporting: only
    # versions of one text have rewritten sentences to pair beyond the alignment.
    loose = list(fact_pairs(a, b, verdict, config)) if whole_text else []
    found: list[Divergence] = []
    seen: set[tuple[DivergenceKind, Span | None, Span | None]] = set()
    for pair in (*aligned, *loose):
        # A claim says the other version lacks a fact where it covers that part of the
        # text: only an aligned sentence shows that; a sentence paired by shared content
        # words may be about something else (real Reuters pairs: most such claims set a
        # lone weekday or figure against another sentence).
        claims = whole_text and pair in aligned
        for check in checks:
            for divergence in check(side_a, side_b, pair, config):
                if divergence.kind == DivergenceKind.CLAIM and not claims:
                    continue
                key = (divergence.kind, divergence.a_span, divergence.b_span)
                if key not in seen:
                    seen.add(key)
                    found.append(divergence)
    found.sort(key=lambda d: (d.a_span.start if d.a_span else -1, str(d.kind)))
    return tuple(found)
