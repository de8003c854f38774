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

Each check has its module (``number``, ``claim``, ``name``, ``quote``, ``negation``,
``role``); ``base`` holds what they share, and ``find`` picks the sentence pairs to compare
and runs the checks over them.
"""

from wiretrace.diverge.base import NEGATIONS, NOT_ACTORS, DivergeConfig
from wiretrace.diverge.find import FACT_STEM_CHARS, WHOLE_TEXT_TYPES, fact_pairs, find_divergences
from wiretrace.diverge.quote import PERSON_WORDS
from wiretrace.diverge.role import POSSESSIVES, UNITS

__all__ = [
    "FACT_STEM_CHARS",
    "NEGATIONS",
    "NOT_ACTORS",
    "PERSON_WORDS",
    "POSSESSIVES",
    "UNITS",
    "WHOLE_TEXT_TYPES",
    "DivergeConfig",
    "fact_pairs",
    "find_divergences",
]
