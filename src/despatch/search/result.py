"""The search result object: what `Archive.search` returns and what every interface shows.

`SearchResult.to_dict()` is the public JSON contract (`despatch search --format json`, the web reading
room, the API). Offsets are Python str offsets into the document's text, half-open, like every span.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Highlight:
    """One highlighted match inside a snippet: offsets into the snippet's `text`, and into the document."""

    start: int
    end: int
    doc_start: int
    doc_end: int


@dataclass
class Snippet:
    """A fragment of the document with the matches marked; `doc_start`/`doc_end` locate it in the document."""

    text: str
    doc_start: int
    doc_end: int
    highlights: list[Highlight] = field(default_factory=list)
    meaning: bool = False  # a passage found by meaning (search by meaning): nothing in it is marked

    def marked(self, before: str = "[", after: str = "]") -> str:
        """The fragment with each match wrapped (plain text; escape before rendering as HTML)."""
        out, pos = [], 0
        for h in self.highlights:
            out += [self.text[pos : h.start], before, self.text[h.start : h.end], after]
            pos = h.end
        out.append(self.text[pos:])
        return "".join(out)


@dataclass
class Paragraph:
    """Where a paragraph-level hit lies in its document."""

    number: int  # 1-based position among the document's paragraphs
    start: int
    end: int
    type: str = "paragraph"


@dataclass
class Hit:
    """One result: a document, or (by="paragraph") one paragraph pointing into its document."""

    rank: int  # 1-based position in the whole result list
    id: str
    version: int
    collection: str
    title: str | None
    date: str | None  # the date as written, else its ISO start
    date_start: str | None
    date_end: str | None
    date_precision: str | None
    doc_type: str | None
    language: str | None
    classification: str | None
    score: float | None
    matches: int  # matches of the query's words in the document (or paragraph)
    snippets: list[Snippet] = field(default_factory=list)
    paragraph: Paragraph | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    matched_by: list[str] = field(default_factory=list)  # "words", "meaning" (hybrid and semantic search)
    similarity: float | None = None  # cosine similarity of the nearest passage, where found by meaning


@dataclass
class FacetValue:
    value: str
    count: int
    label: str | None = None  # display name (e.g. a person's name when `value` is an id)
    filter: str = ""  # the filter string that narrows the results to this value, e.g. "year:1953"
    selected: bool = False


@dataclass
class Facet:
    """Counts of hits per value. `exact` is False when counts were bounded (see `note`)."""

    name: str
    values: list[FacetValue] = field(default_factory=list)
    other: int = 0  # hits whose value is not among `values` (beyond the top N shown)
    missing: int = 0  # hits with no value for this facet
    exact: bool = True
    note: str | None = None


@dataclass
class SearchResult:
    query: str
    parsed: str  # the query as understood, in canonical form (what --explain prints)
    by: str  # "document" | "paragraph"
    sort: str
    total: int  # exact number of matching documents (or paragraphs)
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)  # applied filters; drop one to remove it
    warnings: list[str] = field(default_factory=list)
    took_ms: float = 0.0
    index: dict[str, Any] = field(default_factory=dict)  # index state: watermark, lag, engine

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page)) if self.per_page else 1

    def to_dict(self) -> dict[str, Any]:
        d = _plain(self)
        d["pages"] = self.pages
        return d


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(v: Any) -> Any:
    """What `dataclasses.asdict` gives, at a fraction of its cost: it looked up every object's fields
    and deep-copied every value, which took a quarter of an /api/search request."""
    t = type(v)
    if v is None or t is str or t is int or t is float or t is bool:
        return v
    names = _FIELDS.get(t)
    if names is None and dataclasses.is_dataclass(v):
        names = _FIELDS[t] = tuple(f.name for f in dataclasses.fields(v))
    if names is not None:
        return {n: _plain(getattr(v, n)) for n in names}
    if t is list or t is tuple:
        return t(_plain(x) for x in v)
    if t is dict:
        return {_plain(k): _plain(x) for k, x in v.items()}
    return copy.deepcopy(v)
