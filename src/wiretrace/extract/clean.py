"""Clean plain article text: drop page chrome, keep a record of what was dropped and why.

Cleaning works line by line on the original text and only deletes whole lines (or a
trailing credit word), so the clean text is a concatenation of original stretches and
maps back exactly. Credits and bylines are read from the original before deletion.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from wiretrace.extract.credits import find_byline, find_credits
from wiretrace.extract.offsets import OffsetMap
from wiretrace.model import RemovedKind, RemovedSpan
from wiretrace.segment import is_hard_wrapped

# Keys of the optional header block of a plain-text article ("Title: …" lines, then a
# blank line). Only these keys count, so ordinary article text is never taken for one.
HEADER_KEYS = {"title", "date", "source", "url", "author"}
_HEADER_LINE = re.compile(r"^([A-Za-z]+):[ \t]*(.*?)[ \t]*$")

# A "line" shorter than this (in characters) can be page furniture; longer lines are prose.
SHORT_LINE_CHARS = 100
_COUNTER = re.compile(r"^\s*\d[\d.,]{0,6}\s*[KkMm]?\s*$")
_SOCIAL = re.compile(
    r"^\s*(?:(?:share|shares|tweet|email|e-mail|print|comments?|facebook|twitter|x|linkedin|"
    r"whatsapp|telegram|reddit|copy link|save|like|follow|pinterest|flipboard)"
    r"\s*(?:[|·/•,]\s*)?)+\s*$",
    re.IGNORECASE,
)
# Glued UI labels from icon fonts and SVG titles ("ChevronTitle ChevronIcon FacebookIcon").
_GLUED = re.compile(r"[a-z][A-Z]")
MIN_GLUED_WORDS = 3
_SPONSORED_MARK = re.compile(
    r"^\s*(?:sponsored(?: content| by .*)?|advertisement|advertising|ad|promoted(?: content)?|"
    r"partner content|paid content|paid post|anzeige|publicité|publicidad)\s*:?\s*$",
    re.IGNORECASE,
)
_PROMO = re.compile(
    r"download (?:our|the)\b.*\bapp|\bapp\b.*\b(?:store|download)|subscribe|sign up|newsletter|"
    r"follow us|click here|find out more|learn more|free access|free trial|all rights reserved|"
    r"cookie|breaking news alerts|get the app|\bsponsored\b|commissioned by|"
    r"celebrate our next chapter|now known as|join us|support our journalism",
    re.IGNORECASE,
)
_NAVIGATION = re.compile(
    r"^\s*(?:read more|related(?: articles| stories| coverage)?|recommended|more from|see also|"
    r"also read|most read|trending|more on this story)\s*[:|»›>-]"
    r"|^\s*(?:home|menu|search|skip to (?:main )?content|back to top|next article|"
    r"previous article|more stories|latest news)\s*$",
    re.IGNORECASE,
)
_BREADCRUMB_SEPARATORS = re.compile(r"\s(?:\||›|»|>|/)\s")
MIN_BREADCRUMB_SEPARATORS = 2
_BULLET = re.compile(r"^\s*(?:[•·▪◦*-]|\d+\.)\s+")
# "©" right after a letter is mojibake ("é" read as cp1252 is "Ã©"), not a credit.
_CAPTION = re.compile(
    r"(?:(?<!\w)©\s*\w|\bphoto(?:graph)?:|^\s*\(?(?:file )?photo\b|\bimage:|\bpicture:|"
    r"\bcredit:|\bgetty images\b)",
    re.IGNORECASE,
)
MAX_CAPTION_CHARS = 300
# Substrings one of the searched patterns needs; a line with none of them skips those
# searches. Most lines are prose, and plain substring tests are ~6x cheaper than one regex
# alternation here (measured on Reuters-21578 lines).
_TRIGGERS = (
    "©",
    "photo",
    "image",
    "picture",
    "credit",
    "getty",
    "download",
    "app",
    "subscri",
    "sign up",
    "newsletter",
    "follow",
    "click",
    "find out",
    "learn more",
    "free",
    "reserved",
    "cookie",
    "alerts",
    "sponsored",
    "commissioned",
    "celebrate",
    "known as",
    "join us",
    "support our",
    " | ",
    " › ",
    " » ",
    " > ",
    " / ",
    "read more",
    "related",
    "recommended",
    "more from",
    "see also",
    "most read",
    "trending",
    "also read",
    "skip to",
    "back to top",
)
_CREDIT_LINE = re.compile(
    r"^\s*\(?\s*(?:reporting|additional reporting|writing|editing|compiled|updated|"
    r"reportage|rédaction|version française|édité|bericht|redacción)\b[^\n]{0,300}\)?\s*$",
    re.IGNORECASE,
)
_TRAILING_AGENCY = re.compile(
    r"(?:\s+|\s*[-–—]\s*)(?:REUTERS|AFP|AP|BLOOMBERG|XINHUA|DPA|EFE|ANSA|KYODO|YONHAP|"
    r"Reuters|Meridian Press|[A-Z][a-z]+ (?:Press|News|Wire))\s*\.?\s*$"
)
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d-[01]\d-[0-3]\d(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d)?Z?)?)\b")
DATE_SEARCH_CHARS = 300
# A trailing credit ("… oil. REUTERS", "- Meridian Press") sits in the last few words.
TAIL_CHARS = 80


@dataclass(frozen=True, slots=True)
class CleanText:
    """The result of cleaning: text, what was removed, and what was recognized."""

    text: str
    offset_map: OffsetMap
    removed: tuple[RemovedSpan, ...]
    credits: tuple[str, ...]
    byline: str | None
    header: dict[str, str]
    date_in_text: str | None


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Lines as ``(start, end, content)``; ``end`` includes the line terminator."""
    pieces = text.splitlines(keepends=True)
    ends = list(accumulate(map(len, pieces)))
    starts = [0, *ends[:-1]] if ends else []
    return list(zip(starts, ends, [line.rstrip("\r\n") for line in pieces], strict=True))


def _parse_header(lines: list[tuple[int, int, str]]) -> tuple[dict[str, str], int]:
    """Read a leading ``Key: value`` block followed by a blank line; return it and its size."""
    header: dict[str, str] = {}
    for i, (_, _, content) in enumerate(lines):
        if not content.strip():
            return (header, i + 1) if header else ({}, 0)
        match = _HEADER_LINE.match(content)
        if not match or match.group(1).lower() not in HEADER_KEYS:
            return {}, 0
        header[match.group(1).lower()] = match.group(2)
    return {}, 0


# Words a furniture line starts with (social buttons, credit lines, navigation, sponsored
# markers): a line that starts with none of them needs no closer look.
_START_WORDS = (
    "share|shares|tweet|email|e-mail|print|comment|facebook|twitter|x\\b|linkedin|whatsapp|"
    "telegram|reddit|copy link|save|like|follow|pinterest|flipboard|reporting|additional|"
    "writing|editing|compiled|updated|reportage|rédaction|version|édité|bericht|redacción|"
    "read more|related|recommended|more|see also|also read|most read|trending|home|menu|"
    "search|skip to|back to top|next article|previous article|latest news|sponsored|"
    "advertis|ad\\b|promoted|partner content|paid|anzeige|publicité|publicidad"
)
_LINE_START_WORDS = re.compile(rf"^[ \t]*\(?[ \t]*(?:{_START_WORDS})", re.IGNORECASE | re.MULTILINE)
# The same words as plain prefixes ("x" and "ad" without their word boundary), tested with
# one ``str.startswith`` on the lower-cased text: it rejects a prose line ~4x faster than
# the pattern's alternation (measured on Reuters-21578), which then confirms the few lines
# it lets through.
_START_PREFIXES = tuple(word.removesuffix("\\b") for word in _START_WORDS.split("|"))
# What may stand before the first word: blanks and one opening parenthesis.
_LINE_LEAD = re.compile(r"[ \t]*\(?[ \t]*")
_LEAD_CHARS = frozenset(" \t(")
# The characters that match a letter of those words case-insensitively but that
# ``str.lower`` leaves alone (found by testing every code point against ``re.IGNORECASE``):
# folded too, so the prefix test lets through every line the pattern would match.
_IGNORECASE_EXTRA = str.maketrans({"ı": "i", "ſ": "s"})
# A line this short may be a share counter or a lone button label.
SHORT_FURNITURE_CHARS = 12


def _starts_like_furniture(original: str, folded: str, start: int) -> bool:
    """Whether the line at ``start`` begins with one of the furniture words.

    The same answer as ``_LINE_START_WORDS`` finding a match at that line's start (a line
    start after a bare ``\\r`` is none for that pattern's ``^``), reached cheaply.
    """
    if start and original[start - 1] != "\n":
        return False
    pos = start
    if original[start : start + 1] in _LEAD_CHARS:
        lead = _LINE_LEAD.match(original, start)
        pos = lead.end() if lead else start
    return folded.startswith(_START_PREFIXES, pos) and bool(
        _LINE_START_WORDS.match(original, start)
    )


def _suspect_lines(original: str, lines: list[tuple[int, int, str]]) -> set[int] | None:
    """Indices of the lines that may be furniture, found with cheap tests.

    Checking each line with every pattern cost 60% of ingest time on Reuters-21578, where
    nearly every line is prose; these tests cost a fraction of that. They find the lines
    that one multi-line pattern pass and substring finds over the whole text found before
    (a property test holds them to that reference). ``None`` means "check every line"
    (when lower-casing changes the text's length, offsets would drift).
    """
    lowered = original.lower()
    if len(lowered) != len(original):
        return None
    folded = lowered if lowered.isascii() else lowered.translate(_IGNORECASE_EXTRA)
    suspects = {
        i
        for i, (start, _, content) in enumerate(lines)
        if len(content.strip()) <= SHORT_FURNITURE_CHARS
        or _starts_like_furniture(original, folded, start)
    }
    starts = [start for start, _, _ in lines]
    for trigger in _TRIGGERS:
        found = lowered.find(trigger)
        while found != -1:
            suspects.add(bisect_right(starts, found) - 1)
            found = lowered.find(trigger, found + 1)
    glued: dict[int, int] = {}
    for match in _GLUED.finditer(original):
        line = bisect_right(starts, match.start()) - 1
        glued[line] = glued.get(line, 0) + 1
    suspects.update(line for line, count in glued.items() if count >= MIN_GLUED_WORDS)
    return suspects


def _is_chrome(content: str) -> RemovedKind | None:
    """Classify one line of page furniture, or ``None`` for article text."""
    stripped = content.strip()
    if not stripped:
        return None
    if _COUNTER.match(stripped):
        return RemovedKind.COUNTER
    if _SOCIAL.match(stripped):
        return RemovedKind.CHROME
    ends_like_prose = stripped[-1] in ".!?\"'”’»)"
    if (
        not ends_like_prose
        and _GLUED.search(stripped)
        and len(_GLUED.findall(stripped)) >= MIN_GLUED_WORDS
    ):
        return RemovedKind.CHROME
    if len(stripped) <= SHORT_LINE_CHARS * 2 and _CREDIT_LINE.match(stripped):
        return RemovedKind.CREDIT
    if len(stripped) <= SHORT_LINE_CHARS * 2 and _NAVIGATION.match(stripped):
        return RemovedKind.NAVIGATION
    if len(stripped) > MAX_CAPTION_CHARS:
        return None
    lowered = stripped.lower()
    if not any(trigger in lowered for trigger in _TRIGGERS):
        return None
    if len(stripped) <= SHORT_LINE_CHARS * 2 and (
        len(_BREADCRUMB_SEPARATORS.findall(stripped)) >= MIN_BREADCRUMB_SEPARATORS
        and not ends_like_prose
    ):
        return RemovedKind.NAVIGATION
    if len(stripped) <= SHORT_LINE_CHARS and _PROMO.search(stripped):
        return RemovedKind.PROMO
    if len(stripped) <= MAX_CAPTION_CHARS and _CAPTION.search(stripped):
        return RemovedKind.CAPTION
    return None


def _ends_wrapped_sentence(original: str, lines: list[tuple[int, int, str]], i: int) -> bool:
    """Whether line ``i``, a lone figure, goes on from the line above it.

    Wire copy wraps its lines wherever the width runs out: "… had not happened since
    August" / "1984." and "… to holders of record March" / "12." (368 of the 421 lone
    figure lines of Reuters-21578), and a table's last column can wrap onto a line of its
    own. Such a line follows text that leaves its sentence open, and ends the sentence
    itself or stands in hard-wrapped text. A share count ("2.1K") is none; nor is one
    under a blank line, under another count or under its label ("Share"), or under a
    headline in text with one paragraph per line.
    """
    if i == 0:
        return False
    above = lines[i - 1][2].rstrip()
    figure = lines[i][2].strip()
    if not above or not (above[-1].isalnum() or above[-1] in ",-") or figure[-1:] in "KkMm":
        return False
    if _is_chrome(above) is not None:
        return False
    return figure.endswith((".", ",", ";")) or is_hard_wrapped(original)


def _in_sponsored_block(content: str) -> bool:
    """Whether a line after a "Sponsored" marker still belongs to the sponsored block."""
    stripped = content.strip()
    return (
        not stripped
        or len(stripped) < SHORT_LINE_CHARS
        or bool(_BULLET.match(stripped))
        or bool(_PROMO.search(stripped))
    )


def clean_text(original: str, *, parse_header: bool = False) -> CleanText:
    """Clean one article's plain text.

    Args:
        original: the text as read (or as extracted from HTML).
        parse_header: read a leading ``Title:/Date:/Source:/URL:/Author:`` block (plain
            text files only; record formats carry their metadata in fields).
    """
    lines = _lines(original)
    removed: list[RemovedSpan] = []
    header: dict[str, str] = {}
    first = 0
    if parse_header:
        header, first = _parse_header(lines)
        if first:
            end = lines[first - 1][1]
            removed.append(RemovedSpan(0, end, RemovedKind.METADATA, original[:end]))

    byline = find_byline(original)
    suspects = _suspect_lines(original, lines)
    # Without a byline to look for, a line that is no suspect is kept as it is: only the
    # suspects need a visit.
    if suspects is None or byline is not None:
        visits: Iterable[int] = range(first, len(lines))
    else:
        visits = sorted(i for i in suspects if i >= first)
    next_line = first
    for i in visits:
        if i < next_line:  # inside a sponsored block already removed
            continue
        start, end, content = lines[i]
        suspect = suspects is None or i in suspects
        if suspect and _SPONSORED_MARK.match(content):
            j = i + 1
            while j < len(lines) and _in_sponsored_block(lines[j][2]):
                j += 1
            # Give back trailing blank lines: they separate the block from what follows.
            while j > i + 1 and not lines[j - 1][2].strip():
                j -= 1
            block_end = lines[j - 1][1]
            removed.append(
                RemovedSpan(start, block_end, RemovedKind.SPONSORED, original[start:block_end])
            )
            next_line = j
            continue
        kind = _is_chrome(content) if suspect else None
        if kind == RemovedKind.COUNTER and _ends_wrapped_sentence(original, lines, i):
            kind = None
        if kind is None and byline is not None and content.strip() == byline.line:
            kind = RemovedKind.BYLINE
        if kind is not None:
            removed.append(RemovedSpan(start, end, kind, original[start:end]))

    kept_end = len(original)
    # A credit word glued to the end of the last paragraph ("… oil. REUTERS").
    last_kept = _last_kept_line_end(lines, removed)
    if last_kept is not None:
        tail = original[:last_kept].rstrip()
        # The pattern is anchored at the end; searching only the tail keeps it O(1) per
        # document instead of trying every position of the text.
        match = _TRAILING_AGENCY.search(tail, max(0, len(tail) - TAIL_CHARS))
        if match and match.start() > 0 and tail[: match.start()].rstrip()[-1:] in '.!?"”’':
            removed.append(
                RemovedSpan(match.start(), len(tail), RemovedKind.CREDIT, tail[match.start() :])
            )
    removed.sort(key=lambda r: r.start)
    ranges = []
    pos = 0
    for span in removed:
        if span.start > pos:
            ranges.append((pos, span.start))
        pos = max(pos, span.end)
    if kept_end > pos:
        ranges.append((pos, kept_end))
    offset_map = OffsetMap.from_kept_ranges(ranges)
    text = "".join(original[s:e] for s, e in ranges)
    date_match = _ISO_DATE.search(text[:DATE_SEARCH_CHARS])
    return CleanText(
        text=text,
        offset_map=offset_map,
        removed=tuple(removed),
        credits=find_credits(original),
        byline=byline.name if byline else None,
        header=header,
        date_in_text=date_match.group(1) if date_match else None,
    )


def _last_kept_line_end(
    lines: list[tuple[int, int, str]], removed: list[RemovedSpan]
) -> int | None:
    """End offset (without terminator) of the last non-blank line that was not removed."""
    removed_starts = {r.start for r in removed}
    covered = [(r.start, r.end) for r in removed]
    for start, _end, content in reversed(lines):
        if not content.strip() or start in removed_starts:
            continue
        if any(s <= start < e for s, e in covered):
            continue
        return start + len(content)
    return None
