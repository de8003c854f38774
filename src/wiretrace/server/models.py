"""The shapes of the API's answers, declared for the OpenAPI spec (``/api/openapi.json``).

They describe the records :mod:`wiretrace.report.views` builds (the ``api_*`` definitions
of ``schema/wiretrace-output.schema.json``), field for field: the server validates each
answer against its model, so the spec cannot drift from what is sent. A model accepts
fields it does not name (``extra="allow"``), as the output schema does, so a field added
to a record is passed on rather than dropped; a test holds the models to every field sent.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from wiretrace.model import (
    Direction,
    DivergenceKind,
    FactStatus,
    PassageKind,
    RemovedKind,
    ReuseType,
)

# The output shape's version (``wiretrace.report.records.SCHEMA_ID``; a test holds the two
# equal). Spelt out because a type cannot name a variable.
SchemaId = Literal["wiretrace-output/1"]


class Record(BaseModel):
    """A JSON record of the API (fields not named here are passed on as they are)."""

    model_config = ConfigDict(extra="allow")


class Versioned(Record):
    """A top-level answer: names the version of the output shape."""

    schema_: SchemaId = Field(alias="schema", description="The output shape's version.")


# -- documents --------------------------------------------------------------------------


class DocumentRecord(Record):
    """A document's metadata (the ``document`` of the output schema, without its text)."""

    id: str
    version: int = Field(ge=1, description="Increases when the same id arrives changed.")
    source_path: str = Field(
        description="The file it was read from, relative to the input given to analyze."
    )
    title: str | None
    date: str | None = Field(description="As given by the input (ISO 8601 where known).")
    url: str | None
    source: str | None = Field(description="Outlet or series.")
    byline: str | None
    language: str = Field(description="ISO 639-1 code, or 'und'.")
    credits: list[str] = Field(description="Agencies or outlets the text formally credits.")


class RemovedStretch(Record):
    """A stretch of the original text left out of the clean text, and why."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    kind: RemovedKind
    text: str


class SpanRecord(Record):
    """Half-open character offsets ``[start, end)``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class DocumentWithText(DocumentRecord):
    """A document with its clean text, removed stretches and sentences."""

    text: str
    removed: list[RemovedStretch]
    sentences: list[SpanRecord]


class DocumentWithOriginal(DocumentWithText):
    """A document with its clean and its original text."""

    original: str


class DocumentSummary(Record):
    """One row of the documents list."""

    id: str
    title: str | None
    date: str | None
    source: str | None
    language: str
    credits: list[str]
    chars: int = Field(ge=0, description="Length of the clean text in characters.")
    version: int = Field(ge=1)
    story: str | None = Field(description="The story the document belongs to, if any.")


# -- pairs ------------------------------------------------------------------------------


class EditRecord(Record):
    """A word-level change inside an aligned sentence pair."""

    op: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int


class SentencePairRecord(Record):
    """One sentence of A aligned with one sentence of B."""

    a_start: int = Field(ge=0)
    a_end: int = Field(ge=0)
    b_start: int = Field(ge=0)
    b_end: int = Field(ge=0)
    kind: PassageKind
    similarity: float
    edits: list[EditRecord]


class PassageRecord(Record):
    """An aligned passage: clean-text spans in A and B and original-text spans."""

    a_start: int = Field(ge=0)
    a_end: int = Field(ge=0)
    b_start: int = Field(ge=0)
    b_end: int = Field(ge=0)
    kind: PassageKind
    similarity: float
    a_source_start: int = Field(ge=0)
    a_source_end: int = Field(ge=0)
    b_source_start: int = Field(ge=0)
    b_source_end: int = Field(ge=0)
    num_sentence_pairs: int = Field(ge=0)


class PassageWithSentences(PassageRecord):
    """A passage with its sentence pairs and their word edits."""

    sentence_pairs: list[SentencePairRecord]


class DivergenceRecord(Record):
    """One typed difference between two versions of a sentence."""

    a: str
    b: str
    kind: DivergenceKind
    a_start: int | None
    a_end: int | None
    b_start: int | None
    b_end: int | None
    a_text: str
    b_text: str
    explanation: str


class PairRecord(Record):
    """The verdict on two related documents (the ``pair`` of the output schema)."""

    a: str
    b: str
    type: ReuseType
    coverage_a: float = Field(
        description="Share of a's sentence characters inside aligned sentences (0 to 1)."
    )
    coverage_b: float = Field(description="The same share of b's (0 to 1).")
    direction: Direction
    credited: bool = Field(
        description="Whether the reusing side credits the source or the wire both derive from."
    )
    similarity: float = Field(description="0 to 1.")
    story_similarity: float | None = Field(
        description=(
            "How likely the two report the same event, shared text or not (0 to 1, "
            "calibrated on human 'same story' ratings); null where it was not computed: "
            "the semantic layer off or its multilingual model not installed."
        )
    )
    uncredited_reuse: bool = Field(
        description="Text was reused, the direction is known and the reuser credits no source."
    )
    reasons: list[str]
    passages: list[PassageRecord]


class ComparedPair(PairRecord):
    """A pair oriented as asked, with sentence pairs and divergences."""

    passages: list[PassageWithSentences]  # type: ignore[assignment]
    divergences: list[DivergenceRecord]


class TraceMatch(PairRecord):
    """A match of a traced text: the pair plus the other article's id, title and source."""

    other: str
    other_title: str | None
    other_source: str | None


# -- stories ----------------------------------------------------------------------------


class FactVariantRecord(Record):
    """One document's wording of a fact."""

    doc_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class FactRecord(Record):
    """Sentences of a story's versions that state the same fact."""

    id: str
    status: FactStatus
    text: str
    support: list[str]
    variants: list[FactVariantRecord]
    divergences: list[DivergenceRecord]


class StorySummary(Record):
    """A row of the stories list: the story record with its summary."""

    id: str
    documents: list[str]
    representative: str
    duplicate_groups: list[list[str]]
    size: int = Field(ge=0)
    title: str | None = Field(description="Title of the representative.")
    sources: list[str]
    languages: list[str]
    first_date: str | None
    last_date: str | None
    dominant_type: ReuseType | None
    type_counts: dict[str, int]
    num_pairs: int = Field(ge=0)


class StoryDetail(StorySummary):
    """A story with its consolidated facts."""

    facts: list[FactRecord]


class GraphNode(Record):
    """A document on the story's timeline picture."""

    id: str
    x: int
    y: int
    label: str
    date: str
    label_y: int


class GraphEdge(Record):
    """A reuse arc of the story picture."""

    from_: str = Field(alias="from")
    to: str
    type: ReuseType
    direction: Direction
    credited: bool
    directed: bool
    path: str = Field(description="SVG path data of the arc.")


class StoryGraph(Record):
    """Layout of the story picture."""

    width: int
    height: int
    num_hidden_edges: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool


class SearchMatch(Record):
    """An article that holds every word of the search."""

    id: str
    title: str | None
    source: str | None
    date: str | None
    story: str | None


# -- sources ----------------------------------------------------------------------------


class SourceRecord(Record):
    """One outlet: its articles, the stories it originated, its reuse in and out, credit.

    Reuse is counted per article: one that took a text from several copies of it is one
    reusing article, and its characters and changes are counted once.
    """

    name: str = Field(description="The source field, else the URL's domain, else 'unknown'.")
    num_documents: int = Field(ge=0)
    num_stories: int = Field(ge=0, description="Stories holding one of its articles.")
    num_stories_originated: int = Field(
        ge=0, description="Stories whose origin (earliest-dated article) is its."
    )
    num_reusing_articles: int = Field(
        ge=0, description="Its articles that took another outlet's text."
    )
    num_credited: int = Field(ge=0, description="Of those, the ones that credit every source.")
    num_uncredited: int = Field(ge=0, description="Of those, the ones that do not.")
    credit_rate: float | None = Field(
        ge=0, le=1, description="num_credited / num_reusing_articles; null without any."
    )
    num_reuses: int = Field(ge=0, description="Pairs whose text flowed into it from another.")
    reused_chars: int = Field(
        ge=0, description="Characters of its articles inside passages taken from others."
    )
    num_divergences: int = Field(ge=0, description="Changes its articles made to that text.")
    divergence_kinds: dict[DivergenceKind, int]
    num_reused_by_others: int = Field(ge=0, description="Other outlets' articles taking its text.")
    reused_by_chars: int = Field(ge=0, description="Characters of theirs taken from it.")
    num_reusing_outlets: int = Field(ge=0, description="Other outlets that took its text.")
    num_shared: int = Field(
        ge=0, description="Pairs with another outlet sharing text in no known direction."
    )
    num_internal: int = Field(ge=0, description="Pairs with reused text inside the outlet.")
    internal_chars: int = Field(ge=0)
    num_internal_divergences: int = Field(ge=0)


class SourceEdge(Record):
    """Text flowing from one outlet (``from``) into another (``to``)."""

    from_: str = Field(alias="from", description="The origin outlet.")
    to: str = Field(description="The reusing outlet.")
    num_reuses: int = Field(ge=1, description="Pairs whose text flowed this way.")
    num_articles: int = Field(ge=1, description="The reusing outlet's articles among them.")
    num_credited: int = Field(ge=0, description="Pairs whose reusing side credits its source.")
    credit_rate: float | None = Field(ge=0, le=1)
    reused_chars: int = Field(ge=0, description="Characters of the reusing side's passages.")
    num_divergences: int = Field(ge=0)


class SourceGraphNode(Record):
    """An outlet in one column of the picture: origins left, reusers right."""

    name: str
    side: Literal["origin", "reuser"]
    x: int
    y: int
    reused_chars: int = Field(ge=0)


class SourceGraphEdge(SourceEdge):
    """An edge of the picture with its drawing."""

    width: float = Field(description="Stroke width, by reused characters.")
    colour: str = Field(description="Stroke colour, by credit rate: red none, green all.")
    path: str = Field(description="SVG path data of the curve.")


class SourcesGraph(Record):
    """Layout of the who-reuses-whom picture."""

    width: int
    height: int
    left_x: int = Field(description="x of the origins' column.")
    right_x: int = Field(description="x of the reusers' column.")
    scale: list[str] = Field(description="Colours of credit rates 0, 25, 50, 75 and 100%.")
    nodes: list[SourceGraphNode]
    edges: list[SourceGraphEdge]
    num_hidden_edges: int = Field(ge=0)
    truncated: bool


class SourceReuse(Record):
    """A pair with reused text, seen from one outlet (``document`` is its article)."""

    a: str
    b: str
    role: Literal["reused", "reused_by", "shared", "internal"]
    document: str
    title: str | None
    other: str
    other_title: str | None
    other_source: str
    origin: str | None = Field(description="The article the text flowed from, if known.")
    type: ReuseType
    direction: Direction
    credited: bool
    coverage: float = Field(description="Share of its article inside aligned sentences.")
    other_coverage: float
    reused_chars: int = Field(ge=0)
    num_divergences: int = Field(ge=0)
    divergence_kinds: dict[DivergenceKind, int]


class OriginatedStory(Record):
    """A story an outlet originated."""

    id: str
    size: int = Field(ge=2)
    origin: str = Field(description="The outlet's article the story started from.")
    title: str | None


# -- answers ----------------------------------------------------------------------------


class Paged(Record):
    """Where a page of a list starts and how to get the next one."""

    limit: int = Field(description="Items asked for (at most this many are listed).")
    offset: int = Field(description="Items skipped before the first one listed.")
    next: str | None = Field(
        description="Path and query of the next page, or null on the last page."
    )


class Health(Record):
    """Liveness and the number of indexed documents."""

    status: Literal["ok"]
    documents: int = Field(ge=0)


class StoriesPage(Paged, Versioned):
    """GET /api/stories: the stories list (a page of it), narrowed by the search ``q``."""

    query: str
    num_documents: int = Field(ge=0)
    num_stories: int = Field(ge=0, description="Stories in the whole list, all pages.")
    stories: list[StorySummary]
    matches: list[SearchMatch]


class StoryView(Versioned):
    """GET /api/stories/{story_id}: the story, members by date, pairs and graph layout."""

    story: StoryDetail
    documents: list[DocumentRecord]
    pairs: list[PairRecord]
    graph: StoryGraph


class CompareView(Versioned):
    """GET /api/compare: both documents and their pair oriented as asked (or null)."""

    a: DocumentWithText
    b: DocumentWithText
    pair: ComparedPair | None


class DocumentView(Versioned):
    """GET /api/documents/{doc_id}: one document with both texts, its story and pairs."""

    document: DocumentWithOriginal
    story: str | None
    pairs: list[PairRecord]


class DocumentsPage(Paged, Versioned):
    """GET /api/documents: the documents list (a page of it), filtered."""

    num_documents: int = Field(ge=0, description="Documents that pass the filters, all pages.")
    documents: list[DocumentSummary]


class PairsPage(Paged, Versioned):
    """GET /api/pairs: related pairs (a page of them), filtered, ordered by ids."""

    pairs: list[PairRecord]


class SourcesPage(Paged, Versioned):
    """GET /api/sources: the outlets (a page of them), who reuses whom and its picture."""

    num_documents: int = Field(ge=0)
    num_sources: int = Field(ge=0, description="Outlets in the whole list, all pages.")
    num_stories: int = Field(ge=0)
    num_stories_without_origin: int = Field(ge=0)
    num_reusing_articles: int = Field(ge=0, description="Articles that took another's text.")
    num_credited_articles: int = Field(ge=0, description="Of those, the ones that credit it.")
    num_reuses: int = Field(ge=0, description="Pairs whose text flowed between two outlets.")
    num_shared: int = Field(ge=0, description="Pairs of two outlets in no known direction.")
    num_internal: int = Field(ge=0, description="Pairs with reused text inside one outlet.")
    sources: list[SourceRecord]
    edges: list[SourceEdge]
    graph: SourcesGraph


class SourceView(Paged, Versioned):
    """GET /api/sources/{name}: one outlet, its edges, stories it originated, its reuses."""

    source: SourceRecord
    edges: list[SourceEdge]
    stories: list[OriginatedStory]
    num_reuse_rows: int = Field(ge=0, description="Rows of reuses, all pages.")
    reuses: list[SourceReuse]


class TraceView(Versioned):
    """POST /api/trace: the matches of a text that is not stored, best first."""

    document: DocumentRecord
    matches: list[TraceMatch]


class ErrorDetail(BaseModel):
    """The body of every error."""

    status: int
    title: str
    detail: str


class ErrorResponse(BaseModel):
    """Every JSON error: ``{"error": {"status", "title", "detail"}}``."""

    error: ErrorDetail
