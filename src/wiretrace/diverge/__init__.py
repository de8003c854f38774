"""Stage 9, diverge: what each version of an aligned passage changed.

Every aligned sentence pair of a verdict (verbatim, edited, paraphrase or translation: the
comparison looks at the facts of the two sentences, not only at token edits), and every
"fact pair" of unaligned sentences that state one fact in other words (:func:`fact_pairs`),
is checked for these kinds of change:

- ``number``: the sentences state different quantities. Quantities are compared by value
  (currency, scale words, "pct", numbers in words and locale spellings normalized; "US$200
  billion (S$268 billion)" is one fact, its conversion ignored; "12.1 mln" is
  "12,141,000" rounded), and a range is not its two ends. What a figure measures counts
  too: "Oper shr profit six cts" / "Oper shr loss six cts" in a sentence otherwise
  unchanged.
- ``name``: a name of one side is a misspelling of a name of the other (Blinken →
  Brinken). Replaced names are left alone: paraphrases swap "Beijing" for "China".
- ``quote``: the words inside matching quotation marks differ in more than spelling,
  typos, inflection, function words or an editor's aside in brackets (a changed pronoun
  counts: "together we" → "I"), or the quotation is given to another named speaker
  ("…," Solberg said / "…," said Okafor). A clause of more than a few words said another
  way is another statement, not a changed quote.
- ``negation``: one sentence negates what the other affirms; ``role``: the two sentences
  say the same thing about different actors ("China … leads in many 21st century
  technologies" / "Russia is now at the forefront of many 21st century technologies"), or
  two names trade places in a sentence otherwise unchanged ("an affiliate of Lifetime will
  buy … of Nippon" / "an affiliate of Nippon will buy … of Lifetime").
- ``claim``: one sentence adds a figure, date or day the other version does not state at
  all, where the other sentence tells that part of the text (the words around the fact,
  or the words around its inserted clause, are in it) and does not tell it another way
  ("on Thursday" / "last week"). A sentence missing as a whole is not a pairwise claim:
  the story view (:mod:`wiretrace.consolidate`) lists it as a single-source fact.

Precision comes first: each check needs evidence on both sides, and a fact that only
moved to another sentence of the other document is not a change. Divergences are changes
made to one text, so only versions of one text have them: copies, edits, rewrites and
translations. Two separately written reports of one event (``related``), or two instances
of one template, differ in every figure without anyone having changed anything; since the
verdict types do not always tell them apart on real wire copy, :mod:`.versions` checks
that the two documents state each other's names and figures before any check runs. A
``partial`` pair shares only its reused passages: those are compared, but what one side
adds beyond them is its own reporting, not a claim missing from the other.

Each check has its module (``number`` and ``measure``, ``claim``, ``name``, ``quote``,
``negation``, ``role``); ``figures`` reads figures however a version writes them,
``versions`` tells versions of one text from fillings of one form, ``base`` holds what the
checks share, and ``find`` picks the sentence pairs to compare and runs the checks over
them.
"""

from wiretrace.diverge import base, versions
from wiretrace.diverge.base import NEGATIONS, NOT_ACTORS, DivergeConfig
from wiretrace.diverge.find import FACT_STEM_CHARS, WHOLE_TEXT_TYPES, fact_pairs, find_divergences
from wiretrace.diverge.quote import PERSON_WORDS
from wiretrace.diverge.role import POSSESSIVES, UNITS


def clear_caches() -> None:
    """Let go of the documents' sides, texts' words and sentences' tokens kept for reuse.

    A detection calls it when done and a trace after its answer, so a long-lived process
    (the server) keeps no text it was given.
    """
    base._kept_side_of.cache_clear()
    base.span_tokens.cache_clear()
    versions.lower_words.cache_clear()


__all__ = [
    "FACT_STEM_CHARS",
    "NEGATIONS",
    "NOT_ACTORS",
    "PERSON_WORDS",
    "POSSESSIVES",
    "UNITS",
    "WHOLE_TEXT_TYPES",
    "DivergeConfig",
    "clear_caches",
    "fact_pairs",
    "find_divergences",
]
