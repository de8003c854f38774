"""Stage 9, diverge: what each version of an aligned passage changed."""

from wiretrace.diverge.quote import (
    FACT_STEM_CHARS,
    NEGATIONS,
    NOT_ACTORS,
    PERSON_WORDS,
    POSSESSIVES,
    UNITS,
    WHOLE_TEXT_TYPES,
    DivergeConfig,
    fact_pairs,
    find_divergences,
)

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
