"""The headline of a plain-text article that has no header: its first line, if it reads as one.

A scraped or pasted article usually starts with its headline on a line of its own. Taking
that line as the title gives lists and reports a name instead of a bare id; the line stays
in the text (a title is metadata, not a removal), so offsets are untouched.
"""

from __future__ import annotations

import re

# Headlines run to about 70 characters (news style guides; the BBC set's longest is 61,
# Reuters-21578's 110 in capitals); past this a line is a sentence or a standfirst.
MAX_HEADLINE_CHARS = 150
MIN_HEADLINE_WORDS = 2
# A section label above the headline ("International relations", "Markets") has at most
# this many words; one such line is skipped.
MAX_KICKER_WORDS = 3
# A headline ends on a word, a quote, "?" or "!"; these end sentences, clauses or lists.
_NOT_A_HEADLINE_END = ".,;:-–—"
# Editor's notes and bylines are not headlines: "(Updated …)", "By …", "par …".
_NOTE_OR_BYLINE = re.compile(r"^(?:[(\[]|(?:by|par|von|por|di)\s)", re.IGNORECASE)
# Nor is a dateline opening the body: "MOSCOW (Reuters) -", "PORT CALLOW, March 4".
_DATELINE = re.compile(r"^[A-Z][A-Z .'/-]{2,}(?:,|\s*\(|\s+[-–—])")
# A line of wrapped prose ends where the line width ran out: the next line goes on with
# the sentence, so it starts in lower case (or ends without a full stop of its own).
_SENTENCE_END = ".!?\"'”’»)"


def headline_of(text: str) -> str | None:
    """The headline of ``text``: its first line if it reads as one, else ``None``.

    A headline is a short line (at most :data:`MAX_HEADLINE_CHARS`, at least
    :data:`MIN_HEADLINE_WORDS` words) without a final full stop, followed by a blank line
    or by a paragraph of body text. One short section label above it is skipped.

    Args:
        text: the clean text of a plain-text article.
    """
    lines = [line.strip() for line in text.splitlines()]
    first = _next_filled(lines, 0)
    if first is None:
        return None
    if _is_kicker(lines, first):
        second = _next_filled(lines, first + 1)
        below = _headline_at(lines, second) if second is not None else None
        if below is not None:
            return below
    return _headline_at(lines, first)


def _next_filled(lines: list[str], start: int) -> int | None:
    """The index of the first non-blank line at or after ``start``."""
    return next((i for i in range(start, len(lines)) if lines[i]), None)


def _is_kicker(lines: list[str], index: int) -> bool:
    """A section label: a few words on a line of their own, a blank line after them."""
    line = lines[index]
    return (
        len(line.split()) <= MAX_KICKER_WORDS
        and index + 1 < len(lines)
        and not lines[index + 1]
        and line[-1] not in _NOT_A_HEADLINE_END
        and not _not_a_title(line)
    )


def _not_a_title(line: str) -> bool:
    """An editor's note, a byline or a dateline."""
    return bool(_NOTE_OR_BYLINE.match(line) or _DATELINE.match(line))


def _headline_at(lines: list[str], index: int) -> str | None:
    """``lines[index]`` if it reads as a headline with body text after it."""
    line = lines[index]
    if (
        len(line) > MAX_HEADLINE_CHARS
        or len(line.split()) < MIN_HEADLINE_WORDS
        or line[-1] in _NOT_A_HEADLINE_END
        or _not_a_title(line)
        or not any(ch.isalpha() for ch in line)
    ):
        return None
    after = _next_filled(lines, index + 1)
    if after is None:
        return None  # a line alone is the whole text, not its title
    if after == index + 1:
        # No blank line between: the next line must open a paragraph of its own, not
        # carry on a sentence that was wrapped at the line's width.
        body = lines[after]
        if not (body[0].isupper() or body[0].isdigit() or body[0] in "\"“‘'«"):
            return None
        if body[-1] not in _SENTENCE_END and after + 1 < len(lines) and lines[after + 1]:
            return None
    return line
