"""Recognize wire credits, datelines and bylines in article text.

A credit is a formal statement that text comes from an agency: a dateline credit
("MOSCOW (Reuters) -"), a trailing agency word ("… oil. REUTERS"), a credit line
("(Reporting by …; Editing by …)" in a Reuters story, "(Reportage Reuters; …)"). Citing an
agency in prose ("Tass news agency cited …") is *not* a credit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Canonical names of agencies, keyed by the lower-cased forms seen in credits.
AGENCY_ALIASES = {
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "bloomberg": "Bloomberg",
    "dpa": "dpa",
    "xinhua": "Xinhua",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "ansa": "ANSA",
    "efe": "EFE",
    "pti": "PTI",
    "ians": "IANS",
    "ani": "ANI",
    "upi": "UPI",
    "tass": "TASS",
    "anadolu": "Anadolu",
}
_AGENCY_NAMES = "|".join(sorted((re.escape(k) for k in AGENCY_ALIASES), key=len, reverse=True))
# "(Reuters)", "(AP)", "(Meridian Press)" right after a dateline, or any known agency in
# parentheses.
_PAREN_AGENCY = re.compile(rf"\((?P<name>{_AGENCY_NAMES})\)", re.IGNORECASE)
_DATELINE = re.compile(
    r"^[ \t]*[A-ZÀ-Ý][A-ZÀ-Ý .'/-]{1,60}"
    r"(?:,\s*(?:[A-Z][a-zé]+\.?\s+\d{1,2}|\d{1,2}\s+[A-Za-zéû]+\.?))?"
    r"\s*\((?P<name>[A-Z][A-Za-z&.' -]{1,40})\)\s*(?:[-–—]+|:)?",
    re.MULTILINE,
)
_TRAILING = re.compile(
    rf"(?:[.!?\"”’]\s+|\n\s*|[-–—]\s*)(?P<name>{_AGENCY_NAMES}|[A-Z][a-z]+ (?:Press|News|Wire))"
    r"\s*\.?\s*$",
    re.IGNORECASE,
)
_CREDIT_LINE_AGENCY = re.compile(
    rf"^\s*\(?\s*(?:reporting|reportage|additional reporting|writing|editing|compiled)\b"
    rf"[^\n]*?\b(?P<name>{_AGENCY_NAMES})\b",
    re.IGNORECASE | re.MULTILINE,
)
# Blanks, never line breaks, between the words: a byline is one line ("By Jane Doe"
# followed by a "London" line is not "Jane Doe London").
_BYLINE = re.compile(
    r"^[ \t]*(?P<prefix>By|BY|par|Par|PAR|Von|von|Por|por|Di|Door|Av)[ \t]+"
    r"(?P<name>[A-ZÀ-Ý][\w'’.-]+(?:[ \t]+[A-ZÀ-Ý][\w'’.-]+){0,3}"
    r"(?:[ \t]*(?:,|and|et|und|y|e|en|og|&)[ \t]+[A-ZÀ-Ý][\w'’.-]+"
    r"(?:[ \t]+[A-ZÀ-Ý][\w'’.-]+){0,3}){0,3})"
    r"[ \t]*$",
    re.MULTILINE,
)
MAX_BYLINE_CHARS = 120
# Only the start and end of an article carry credits; prose in between only cites.
CREDIT_WINDOW_CHARS = 400
TAIL_CHARS = 80


@dataclass(frozen=True, slots=True)
class Byline:
    """A byline line as it appears in the text, and the names in it."""

    line: str
    name: str


def canonical_agency(name: str) -> str:
    """The canonical form of an agency name ("REUTERS" → "Reuters"); others kept as written."""
    key = " ".join(name.split()).strip(" .").lower()
    return AGENCY_ALIASES.get(key, " ".join(name.split()).strip(" ."))


def find_credits(text: str) -> tuple[str, ...]:
    """Agencies or outlets that ``text`` formally credits, sorted and unique."""
    found: set[str] = set()
    head = text[: CREDIT_WINDOW_CHARS * 2]
    tail = text[-CREDIT_WINDOW_CHARS:]
    for match in _DATELINE.finditer(head):
        found.add(canonical_agency(match.group("name")))
    for match in _PAREN_AGENCY.finditer(head):
        found.add(canonical_agency(match.group("name")))
    for match in _PAREN_AGENCY.finditer(tail):
        found.add(canonical_agency(match.group("name")))
    for match in _CREDIT_LINE_AGENCY.finditer(tail):
        found.add(canonical_agency(match.group("name")))
    for match in _CREDIT_LINE_AGENCY.finditer(head):
        found.add(canonical_agency(match.group("name")))
    stripped = text.rstrip()
    # Anchored at the end: only the last words can match, so only they are searched.
    trailing = _TRAILING.search(stripped, max(0, len(stripped) - TAIL_CHARS))
    if trailing:
        found.add(canonical_agency(trailing.group("name")))
    return tuple(sorted(found))


def find_byline(text: str) -> Byline | None:
    """The first byline line ("By Jane Doe", "par Guy Faulconbridge et Simon Lewis")."""
    for match in _BYLINE.finditer(text[: CREDIT_WINDOW_CHARS * 2]):
        line = match.group(0).strip()
        if len(line) <= MAX_BYLINE_CHARS:
            return Byline(line=line, name=match.group("name").strip())
    return None
