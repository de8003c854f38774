"""The Jinja2 environment and the link scheme shared by the web UI and the static report.

Autoescaping is on for every template: article titles, texts, bylines, URLs and ids are
untrusted input and reach the page only escaped. URLs from articles are shown as text and
linked only when they are plain ``http(s)``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Protocol
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from wiretrace.report.sources import outlet_key, outlet_name
from wiretrace.report.views import segment_text

# File names in the static report: this many characters of the id, then a hash of all of it.
SLUG_CHARS = 40
SLUG_HASH_CHARS = 10
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")


class Links(Protocol):
    """Where each page lives: server routes or files of the static report."""

    def stories(self) -> str:
        """The stories list."""

    def story(self, story_id: str) -> str:
        """One story."""

    def compare(self, a: str, b: str) -> str:
        """Two articles side by side."""

    def document(self, doc_id: str) -> str:
        """One article."""

    def sources(self) -> str:
        """The outlets and who reuses whom."""

    def source(self, name: str) -> str:
        """One outlet."""

    def trace(self) -> str | None:
        """The trace form (``None`` where there is none, as in the static report)."""

    def static(self, name: str) -> str | None:
        """A packaged asset (``None`` where assets are inlined)."""


class ServerLinks:
    """Links of the web server; ids are percent-encoded so any id makes a valid URL."""

    def stories(self) -> str:
        """The stories list."""
        return "/"

    def story(self, story_id: str) -> str:
        """One story."""
        return "/stories/" + quote(story_id, safe="")

    def compare(self, a: str, b: str) -> str:
        """Two articles side by side."""
        return "/compare?" + urlencode({"a": a, "b": b})

    def document(self, doc_id: str) -> str:
        """One article."""
        return "/documents?" + urlencode({"id": doc_id})

    def sources(self) -> str:
        """The outlets and who reuses whom."""
        return "/sources"

    def source(self, name: str) -> str:
        """One outlet (a name of dots alone is encoded, or a browser would resolve it)."""
        quoted = quote(name, safe="")
        return "/sources/" + (quoted.replace(".", "%2E") if quoted in (".", "..") else quoted)

    def trace(self) -> str | None:
        """The trace form."""
        return "/trace"

    def static(self, name: str) -> str | None:
        """A packaged asset under ``/static``."""
        return "/static/" + name


def slug(kind: str, *ids: str) -> str:
    """A safe, unique file name for a report page about ``ids``."""
    joined = "\x1f".join(ids)
    digest = hashlib.sha256(joined.encode("utf-8")).hexdigest()[:SLUG_HASH_CHARS]
    readable = _UNSAFE_FILE_CHARS.sub("_", "~".join(ids))[:SLUG_CHARS].strip("._")
    return f"{kind}-{readable}-{digest}.html" if readable else f"{kind}-{digest}.html"


class ReportLinks:
    """Links between the files of the static report (all in one folder)."""

    def stories(self) -> str:
        """The stories list."""
        return "index.html"

    def story(self, story_id: str) -> str:
        """One story."""
        return slug("story", story_id)

    def compare(self, a: str, b: str) -> str:
        """Two articles side by side (one file per pair, in stored order)."""
        return slug("compare", *sorted((a, b)))

    def document(self, doc_id: str) -> str:
        """One article."""
        return slug("doc", doc_id)

    def sources(self) -> str:
        """The outlets and who reuses whom."""
        return "sources.html"

    def source(self, name: str) -> str:
        """One outlet (every spelling of its name links to one file)."""
        return slug("source", outlet_key(name))

    def trace(self) -> str | None:
        """No trace form in a static report."""
        return None

    def static(self, name: str) -> str | None:
        """Assets are inlined in the report."""
        return None


def safe_href(url: str | None) -> str | None:
    """``url`` if it is a plain http(s) address, else ``None`` (never a ``javascript:`` link)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def asset(name: str) -> str:
    """The text of one packaged asset (CSS or JS) of ``wiretrace.server.static``."""
    return resources.files("wiretrace.server").joinpath("static", name).read_text("utf-8")


def csp_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    import base64

    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _day(value: str | None) -> str:
    return (value or "")[:10]


@dataclass(frozen=True, slots=True)
class Page:
    """Everything a template needs besides its own record."""

    links: Links
    inline_css: str = ""
    inline_js: str = ""
    json_url: str | None = None


def make_environment() -> Environment:
    """The Jinja2 environment: package templates, autoescape on, undefined names fail."""
    env = Environment(
        loader=PackageLoader("wiretrace.server", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters: dict[str, Callable] = {"pct": _percent, "day": _day, "href": safe_href}
    env.filters.update(filters)
    env.globals["segment_text"] = segment_text
    env.globals["outlet_name"] = outlet_name
    return env


# Changed words are underlined only where the sentences share most of their wording: in a
# paraphrase nearly every word differs, and underlining all of them hides the divergences.
WORD_DIFF_KINDS = frozenset({"verbatim", "edited"})


def compare_segments(view: dict) -> tuple[list, list]:
    """The texts of a comparison cut into highlighted pieces, side A and side B.

    Aligned sentences are numbered alike on both sides (``data-p``), and so are divergences
    (``data-d``), which is what links a stretch of A to its counterpart in B.
    """
    pair = view["pair"] or {"passages": [], "divergences": []}
    divergences = pair["divergences"]
    sides = []
    for side in ("a", "b"):
        # Sentence pairs are the linked units (finer than passages); a passage without
        # them is one unit. Both sides number them alike.
        passages: list[tuple[int, int, str]] = []
        edits: list[tuple[int, int]] = []
        for p in pair["passages"]:
            pairs = p.get("sentence_pairs") or [p]
            for sp in pairs:
                passages.append((sp[f"{side}_start"], sp[f"{side}_end"], sp["kind"]))
                if sp["kind"] in WORD_DIFF_KINDS:
                    changed = sp.get("edits", ())
                    edits.extend((e[f"{side}_start"], e[f"{side}_end"]) for e in changed)
        # A divergence absent on one side (a claim only the other makes) marks nothing there.
        marks = [
            (d[f"{side}_start"], d[f"{side}_end"]) if d[f"{side}_start"] is not None else (0, 0)
            for d in divergences
        ]
        sides.append(segment_text(view[side]["text"], passages, marks, edits=edits))
    return sides[0], sides[1]


def document_segments(view: dict) -> list:
    """The original text of a document cut into kept and removed (greyed) pieces."""
    doc = view["document"]
    removed = [(r["start"], r["end"], r["kind"]) for r in doc["removed"]]
    return segment_text(doc["original"], removed=removed)
