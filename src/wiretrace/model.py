"""Typed records that flow between the pipeline stages.

Spans are half-open character offsets ``[start, end)`` into a named text: the clean
``text`` of a document unless a field name says ``source`` (the original input text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class ReuseType(StrEnum):
    """How one article of a related pair derives from the other."""

    DUPLICATE = "duplicate"
    EDITED = "edited"
    PARTIAL = "partial"
    PARAPHRASE = "paraphrase"
    TRANSLATION = "translation"
    RELATED = "related"


class PassageKind(StrEnum):
    """How closely an aligned passage follows its counterpart."""

    VERBATIM = "verbatim"
    EDITED = "edited"
    PARAPHRASE = "paraphrase"
    TRANSLATION = "translation"


class Direction(StrEnum):
    """Which way the text flowed between the two sides of a pair."""

    A_TO_B = "a->b"
    B_TO_A = "b->a"
    COMMON_SOURCE = "common-source"
    UNKNOWN = "unknown"


class RemovedKind(StrEnum):
    """Why a stretch of the original text is not part of the clean text."""

    METADATA = "metadata"
    CHROME = "chrome"
    COUNTER = "counter"
    PROMO = "promo"
    SPONSORED = "sponsored"
    NAVIGATION = "navigation"
    CAPTION = "caption"
    BYLINE = "byline"
    CREDIT = "credit"
    CONTROL = "control"


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"a span needs 0 <= start <= end, got [{self.start}, {self.end})")

    @property
    def length(self) -> int:
        """Number of characters covered."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class RemovedSpan:
    """A stretch of the original text left out of the clean text, and why."""

    start: int
    end: int
    kind: RemovedKind
    text: str


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One input unit as read, before cleaning.

    ``unit`` names where it came from (``path``, ``path#L12``, ``path#row=3``) so the
    ledger can say what happened to it. ``notes`` say what reading had to mend (bytes that
    are not UTF-8, mojibake, a guessed legacy encoding), in sentences a user can read; the
    ledger keeps them with the unit.
    """

    unit: str
    source_path: str
    text: str
    id: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None
    is_html: bool = False
    notes: tuple[str, ...] = ()
    # The language as given by the caller (ISO 639-1); ``None``: detected from the text.
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input unit that did not become a document, with a reason a user can read."""

    unit: str
    source_path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Document:
    """A cleaned, segmented article.

    ``original`` is the text as read (for HTML: the text the extractor returned);
    ``text`` is the clean text; ``offset_map`` maps offsets of ``text`` back to
    ``original`` (see :class:`wiretrace.extract.offsets.OffsetMap`).
    """

    id: str
    text: str
    original: str
    source_path: str = ""
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    byline: str | None = None
    language: str = "und"
    credits: tuple[str, ...] = ()
    removed: tuple[RemovedSpan, ...] = ()
    kept: tuple[tuple[int, int, int], ...] = ()
    sentences: tuple[Span, ...] = ()
    content_hash: str = ""
    version: int = 1

    def to_dict(self, *, with_text: bool = True, exact: bool = False) -> dict:
        """The JSON form (the ``document`` of the output schema).

        ``with_text`` adds the clean text, removed spans and sentences; ``exact`` also the
        original text, the offset map and the content hash, so :meth:`from_dict` restores
        the document exactly (the Parquet ``documents/`` rows).
        """
        record: dict = {
            "id": self.id,
            "version": self.version,
            "source_path": self.source_path,
            "title": self.title,
            "date": self.date,
            "url": self.url,
            "source": self.source,
            "byline": self.byline,
            "language": self.language,
            "credits": list(self.credits),
        }
        if with_text or exact:
            record["text"] = self.text
            record["removed"] = [
                {"start": r.start, "end": r.end, "kind": str(r.kind), "text": r.text}
                for r in self.removed
            ]
            record["sentences"] = [{"start": s.start, "end": s.end} for s in self.sentences]
        if exact:
            record["original"] = self.original
            record["kept"] = [list(k) for k in self.kept]
            record["content_hash"] = self.content_hash
        return record

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        """Rebuild from :meth:`to_dict` (with text; exactly where it was ``exact``)."""
        return cls(
            id=data["id"],
            version=data.get("version") or 1,
            content_hash=data.get("content_hash") or "",
            source_path=data.get("source_path") or "",
            title=data.get("title"),
            date=data.get("date"),
            url=data.get("url"),
            source=data.get("source"),
            byline=data.get("byline"),
            language=data.get("language") or "und",
            credits=tuple(data.get("credits") or ()),
            text=data["text"],
            original=data.get("original") or data["text"],
            removed=tuple(
                RemovedSpan(r["start"], r["end"], RemovedKind(r["kind"]), r["text"])
                for r in data.get("removed") or ()
            ),
            kept=tuple((k[0], k[1], k[2]) for k in data.get("kept") or ()),
            sentences=tuple(Span(s["start"], s["end"]) for s in data.get("sentences") or ()),
        )


@dataclass(frozen=True, slots=True)
class CandidatePair:
    """Two documents that deserve alignment, and the evidence that brought them together."""

    a: str
    b: str
    num_shared_shingles: int = 0
    num_shared_anchors: int = 0


@dataclass(frozen=True, slots=True)
class TokenEdit:
    """One token-level edit inside an aligned sentence pair (``replace``/``insert``/``delete``)."""

    op: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int

    def to_dict(self) -> dict:
        """The JSON form."""
        return {
            "op": self.op,
            "a_start": self.a_start,
            "a_end": self.a_end,
            "b_start": self.b_start,
            "b_end": self.b_end,
        }


@dataclass(frozen=True, slots=True)
class SentencePair:
    """One sentence of A aligned with one sentence of B."""

    a: Span
    b: Span
    similarity: float
    kind: PassageKind
    edits: tuple[TokenEdit, ...] = ()

    def to_dict(self) -> dict:
        """The JSON form, with the token edits."""
        return {
            "a_start": self.a.start,
            "a_end": self.a.end,
            "b_start": self.b.start,
            "b_end": self.b.end,
            "kind": str(self.kind),
            "similarity": round(self.similarity, 4),
            "edits": [e.to_dict() for e in self.edits],
        }

    @classmethod
    def from_dict(cls, data: dict) -> SentencePair:
        """Rebuild from :meth:`to_dict`."""
        return cls(
            a=Span(data["a_start"], data["a_end"]),
            b=Span(data["b_start"], data["b_end"]),
            similarity=data["similarity"],
            kind=PassageKind(data["kind"]),
            edits=tuple(
                TokenEdit(e["op"], e["a_start"], e["a_end"], e["b_start"], e["b_end"])
                for e in data.get("edits") or ()
            ),
        )


@dataclass(frozen=True, slots=True)
class Passage:
    """A run of aligned sentences: the same text (or its rewrite) in both documents."""

    a: Span
    b: Span
    kind: PassageKind
    similarity: float
    sentence_pairs: tuple[SentencePair, ...] = ()
    a_source: Span | None = None
    b_source: Span | None = None

    def to_dict(self, *, with_sentences: bool = False) -> dict:
        """The JSON form: both spans, in the clean and in the source texts.

        ``with_sentences`` adds the sentence pairs and their token edits.
        """
        a_source, b_source = self.a_source or self.a, self.b_source or self.b
        record: dict = {
            "a_start": self.a.start,
            "a_end": self.a.end,
            "b_start": self.b.start,
            "b_end": self.b.end,
            "kind": str(self.kind),
            "similarity": round(self.similarity, 4),
            "a_source_start": a_source.start,
            "a_source_end": a_source.end,
            "b_source_start": b_source.start,
            "b_source_end": b_source.end,
            "num_sentence_pairs": len(self.sentence_pairs),
        }
        if with_sentences:
            record["sentence_pairs"] = [sp.to_dict() for sp in self.sentence_pairs]
        return record

    @classmethod
    def from_dict(cls, data: dict) -> Passage:
        """Rebuild from :meth:`to_dict` (sentence pairs included when present)."""
        a, b = Span(data["a_start"], data["a_end"]), Span(data["b_start"], data["b_end"])
        a_source = Span(data["a_source_start"], data["a_source_end"])
        b_source = Span(data["b_source_start"], data["b_source_end"])
        return cls(
            a=a,
            b=b,
            kind=PassageKind(data["kind"]),
            similarity=data["similarity"],
            sentence_pairs=tuple(
                SentencePair.from_dict(sp) for sp in data.get("sentence_pairs") or ()
            ),
            # ``None`` where the record repeats the clean span.
            a_source=None if a_source == a else a_source,
            b_source=None if b_source == b else b_source,
        )


# The reason that opens a verdict on two instances of one template (two borrowers' bond
# notices, two days' price tables): the pair is reported, but is no link of a story.
TEMPLATE_REASON = "template: "


@dataclass(frozen=True, slots=True)
class PairVerdict:
    """What wiretrace concludes about two related documents."""

    a: str
    b: str
    type: ReuseType
    coverage_a: float
    coverage_b: float
    direction: Direction
    credited: bool
    similarity: float
    passages: tuple[Passage, ...] = ()
    reasons: tuple[str, ...] = field(default=())
    # How likely the two report one event, in [0, 1], shared text or not (the story-level
    # similarity of wiretrace.semantic.story); None where it was not computed: the
    # semantic layer off or its multilingual model not installed, the Spark engine, a
    # store written before it existed. Never an input to the verdict.
    story_similarity: float | None = None

    @property
    def template(self) -> bool:
        """Two fillings of one form (reason :data:`TEMPLATE_REASON`): related, not one story."""
        return any(reason.startswith(TEMPLATE_REASON) for reason in self.reasons)

    @property
    def origin(self) -> str | None:
        """The document the text flowed from (``None``: common source or unknown)."""
        if self.direction == Direction.A_TO_B:
            return self.a
        if self.direction == Direction.B_TO_A:
            return self.b
        return None

    @property
    def uncredited_reuse(self) -> bool:
        """Reused text (aligned passages) whose known reuser credits no source.

        Where nothing orders the pair (no credit, no date: two undated copies of one
        article), nobody can be said to have reused the other's text without credit.
        """
        return bool(self.passages) and self.origin is not None and not self.credited

    def to_dict(
        self,
        *,
        with_sentences: bool = False,
        divergences: Sequence[Divergence] | None = None,
    ) -> dict:
        """The JSON form (the ``pair`` of the output schema), passages included.

        ``divergences``, if given, are added as the pair's divergences.
        """
        record: dict = {
            "a": self.a,
            "b": self.b,
            "type": str(self.type),
            "coverage_a": round(self.coverage_a, 4),
            "coverage_b": round(self.coverage_b, 4),
            "direction": str(self.direction),
            "credited": self.credited,
            "similarity": round(self.similarity, 4),
            "uncredited_reuse": self.uncredited_reuse,
            "story_similarity": (
                None if self.story_similarity is None else round(self.story_similarity, 4)
            ),
            "reasons": list(self.reasons),
            "passages": [p.to_dict(with_sentences=with_sentences) for p in self.passages],
        }
        if divergences is not None:
            record["divergences"] = [d.to_dict() for d in divergences]
        return record

    @classmethod
    def from_dict(cls, data: dict) -> PairVerdict:
        """Rebuild from :meth:`to_dict` (its divergences are read by the caller)."""
        return cls(
            a=data["a"],
            b=data["b"],
            type=ReuseType(data["type"]),
            coverage_a=data["coverage_a"],
            coverage_b=data["coverage_b"],
            direction=Direction(data["direction"]),
            credited=bool(data["credited"]),
            similarity=data["similarity"],
            passages=tuple(Passage.from_dict(p) for p in data.get("passages") or ()),
            reasons=tuple(data.get("reasons") or ()),
            story_similarity=data.get("story_similarity"),
        )


@dataclass(frozen=True, slots=True)
class Story:
    """A group of related articles, with near-duplicate groups and a representative."""

    id: str
    documents: tuple[str, ...]
    representative: str
    duplicate_groups: tuple[tuple[str, ...], ...] = ()

    def to_dict(self, facts: Sequence[Fact] | None = None) -> dict:
        """The JSON form (the ``story`` of the output schema), with its facts if given."""
        record: dict = {
            "id": self.id,
            "documents": list(self.documents),
            "representative": self.representative,
            "duplicate_groups": [list(g) for g in self.duplicate_groups],
        }
        if facts is not None:
            record["facts"] = [f.to_dict() for f in facts]
        return record

    @classmethod
    def from_dict(cls, data: dict) -> Story:
        """Rebuild from :meth:`to_dict` (its facts are read by the caller)."""
        return cls(
            id=data["id"],
            documents=tuple(data["documents"]),
            representative=data["representative"],
            duplicate_groups=tuple(tuple(g) for g in data.get("duplicate_groups") or ()),
        )


class DivergenceKind(StrEnum):
    """What an aligned passage changed between two versions of a story."""

    NUMBER = "number"
    NAME = "name"
    QUOTE = "quote"
    NEGATION = "negation"
    ROLE = "role"
    CLAIM = "claim"


class FactStatus(StrEnum):
    """How the versions of a story agree on one fact."""

    CONSENSUS = "consensus"
    CONFLICT = "conflict"
    SINGLE = "single"


@dataclass(frozen=True, slots=True)
class Divergence:
    """One typed difference between two aligned versions of a passage.

    ``a_span``/``b_span`` are offsets into the clean texts of documents ``a`` and ``b``.
    For a ``claim`` the side that lacks the fact spans its counterpart sentence; a span may
    be ``None`` where a side has no counterpart at all.
    """

    a: str
    b: str
    kind: DivergenceKind
    a_span: Span | None
    b_span: Span | None
    a_text: str
    b_text: str
    explanation: str

    def to_dict(self) -> dict:
        """The JSON form (the ``divergence`` of the output schema; also how it is stored)."""
        a_span, b_span = self.a_span, self.b_span
        return {
            "a": self.a,
            "b": self.b,
            "kind": str(self.kind),
            "a_start": a_span.start if a_span else None,
            "a_end": a_span.end if a_span else None,
            "b_start": b_span.start if b_span else None,
            "b_end": b_span.end if b_span else None,
            "a_text": self.a_text,
            "b_text": self.b_text,
            "explanation": self.explanation,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Divergence:
        """Rebuild from :meth:`to_dict`."""

        def span(side: str) -> Span | None:
            start = data[f"{side}_start"]
            return None if start is None else Span(start, data[f"{side}_end"])

        return cls(
            a=data["a"],
            b=data["b"],
            kind=DivergenceKind(data["kind"]),
            a_span=span("a"),
            b_span=span("b"),
            a_text=data["a_text"],
            b_text=data["b_text"],
            explanation=data["explanation"],
        )

    def flipped(self) -> Divergence:
        """The same divergence with sides A and B swapped."""
        return Divergence(
            a=self.b,
            b=self.a,
            kind=self.kind,
            a_span=self.b_span,
            b_span=self.a_span,
            a_text=self.b_text,
            b_text=self.a_text,
            explanation=self.explanation,
        )


@dataclass(frozen=True, slots=True)
class FactVariant:
    """One document's wording of a fact: the sentence and where it is."""

    doc_id: str
    span: Span
    text: str

    def to_dict(self) -> dict:
        """The JSON form."""
        return {
            "doc_id": self.doc_id,
            "start": self.span.start,
            "end": self.span.end,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, data: dict) -> FactVariant:
        """Rebuild from :meth:`to_dict`."""
        return cls(data["doc_id"], Span(data["start"], data["end"]), data["text"])


@dataclass(frozen=True, slots=True)
class Fact:
    """Sentences of a story's versions that state the same fact.

    ``text`` is the representative sentence; ``support`` the documents stating the fact;
    ``divergences`` what the variants disagree on (empty for a consensus fact).
    """

    id: str
    status: FactStatus
    text: str
    support: tuple[str, ...]
    variants: tuple[FactVariant, ...]
    divergences: tuple[Divergence, ...] = ()

    def to_dict(self) -> dict:
        """The JSON form (the ``fact`` of the output schema; also how it is stored)."""
        return {
            "id": self.id,
            "status": str(self.status),
            "text": self.text,
            "support": list(self.support),
            "variants": [v.to_dict() for v in self.variants],
            "divergences": [d.to_dict() for d in self.divergences],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Fact:
        """Rebuild from :meth:`to_dict`."""
        return cls(
            id=data["id"],
            status=FactStatus(data["status"]),
            text=data["text"],
            support=tuple(data["support"]),
            variants=tuple(FactVariant.from_dict(v) for v in data["variants"]),
            divergences=tuple(Divergence.from_dict(d) for d in data["divergences"]),
        )


@dataclass(frozen=True, slots=True)
class PairReport(PairVerdict):
    """A pair verdict with the divergences between its two documents (what ``--json`` holds)."""

    divergences: tuple[Divergence, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryReport(Story):
    """A story with its consolidated facts (what ``--json`` holds)."""

    facts: tuple[Fact, ...] = ()
