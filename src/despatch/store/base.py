"""The one storage interface every backend implements (SQLite now; PostgreSQL next).

Interfaces (CLI, web, API), the ingest pipeline, enrichment and export talk to an `Archive` only through
these methods: nothing reaches for a backend's connection or probes for optional methods. A second
backend is a second subclass that implements the abstract methods below and passes
`tests/test_archive_contract.py`; it then gets search, facets, snippets, export selection and the
reading room with no change elsewhere, because search is implemented here once, over the change feed
(`despatch.feed.ChangeFeed`) every backend publishes. See docs/extending.md, "A storage backend".
"""

from __future__ import annotations

import abc
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..annotation_types import ENTITY_TYPES
from ..feed import VectorFeed
from ..model import Annotation, AuthorityEntry, Classification, DocDate, Document, FileInfo, Source
from ..search.counts import Counts, Match
from ..search.counts import count as run_count
from ..search.counts import matches as run_matches
from ..search.engine import matching_ids
from ..search.engine import search as run_search
from ..search.grid import Grid
from ..search.grid import grid as run_grid
from ..search.hybrid import Neighbours
from ..search.hybrid import search as run_hybrid
from ..search.index import SearchIndex
from ..search.result import SearchResult

# What `search()` accepts as filters: one "field:value" string, several, or {field: value | [values]}.
Filters = str | Sequence[str] | Mapping[str, Any] | None


@dataclass
class StoredFile:
    """An ingested file: its original bytes are kept under their SHA-256."""

    path: str
    sha256: str
    size: int
    format: str
    data: bytes
    options_key: str = ""


@dataclass
class PutResult:
    added: int = 0  # documents new to the archive
    versioned: int = 0  # documents whose content changed: a new version, the old one kept
    unchanged: int = 0


@dataclass
class VersionInfo:
    id: str
    version: int
    current: bool
    sha256: str
    path: str
    ingested_at: str
    content_hash: str


@dataclass
class DocSummary:
    id: str
    collection: str
    title: str | None
    date: str | None
    doc_type: str | None
    classification: str | None
    version: int
    chars: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class EntityRecord:
    """One person, place or organisation of the archive (derived by `despatch.enrich.records`).

    `variants`: names as written → mentions; `dates`: life or office years an authority gives
    (`{"offices": [{"post", "country", "from", "to"}]}`); `sources`: where the entity comes from
    (authority list, gazetteer, statesmen list, patterns, curation); `external_ids`: identifiers an
    authority carries (a FRUS persons-list id); `dates.names`: a renamed city's names with their years;
    `ambiguous`: a surname the archive knows several people
    by, kept apart (`candidates` names them); `years`: documents per year.
    """

    id: str
    type: str
    label: str
    mentions: int = 0
    documents: int = 0
    variants: dict[str, int] = field(default_factory=dict)
    dates: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    external_ids: dict[str, str] = field(default_factory=dict)
    ambiguous: bool = False
    candidates: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    years: dict[str, int] = field(default_factory=dict)
    kind: str = ""  # a place's type (country, historical state, region, city, state) or "org"

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class EntityMention:
    """An entity annotation of a current document, with what a record needs of its document."""

    doc_id: str
    collection: str
    date: str | None
    type: str
    start: int
    end: int
    text: str
    value: dict[str, Any]


@dataclass
class CurationOp:
    """One curation act (merge, split, rename, not-entity), kept with who did it and when."""

    action: str
    args: dict[str, Any]
    who: str
    at: str
    seq: int | None = None


@dataclass
class AnnotationRow:
    """One annotation of a current document, with the document it belongs to (`iter_annotations`)."""

    doc_id: str
    collection: str
    annotation: Annotation


# -- accounts, collection access and the audit log (what `despatch.access` keeps in the store) ---------
# Times are ISO-8601 UTC strings ("2026-12-02T07:00:00+00:00"), so they compare as text on every backend.


@dataclass
class UserRecord:
    """A person who signs in: `role` is reader, curator or admin; `password_hash` an argon2 hash."""

    name: str
    role: str
    password_hash: str
    created_at: str


@dataclass
class TokenRecord:
    """An API token: `id` is its public handle (shown and revoked by), `token_hash` the SHA-256 of the
    secret (the secret itself is shown once and never stored)."""

    id: str
    user: str
    token_hash: str
    created_at: str
    label: str = ""


@dataclass
class SessionRecord:
    """A signed-in browser: `id_hash` is the SHA-256 of the cookie's secret, `csrf` the token every form
    of this session must send back."""

    id_hash: str
    user: str
    csrf: str
    created_at: str
    expires_at: str


@dataclass
class CollectionAccess:
    """Who may read a collection: visibility public, members (anyone signed in) or private (`allowed`
    only); before `embargo` (a date, YYYY-MM-DD) only admins and `allowed`. No record: public."""

    collection: str
    visibility: str
    embargo: str | None = None
    allowed: list[str] = field(default_factory=list)


@dataclass
class AuditEntry:
    """One audited act: who ("" for nobody signed in), what (sign-in, sign-in-failed, export, source,
    curation, user and access changes), on what, and facts beside it; `seq` is set by the store."""

    action: str
    who: str
    at: str
    target: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    seq: int | None = None


class Archive(VectorFeed):
    """A Despatch archive: documents, their spans and annotations, original files, and a search index
    derived from them.

    Abstract methods are the backend's work; search (`search`, `search_ids`, `sync_search`, `reindex`)
    is implemented here over the change feed and the directory `search_index_dir()` names.
    """

    readonly: bool = False
    _search_index: SearchIndex | None = None
    _neighbours: Any = None

    # -- writing ---------------------------------------------------------------------------------
    @abc.abstractmethod
    def file_seen(self, sha256: str, collection: str, options_key: str) -> bool:
        """True if this exact file was already ingested into the collection with the same options."""

    @abc.abstractmethod
    def put(
        self,
        file: StoredFile,
        collection: str,
        docs: list[Document],
        authorities: Iterable[AuthorityEntry] = (),
    ) -> PutResult:
        """Store a file, its documents (spans, annotations, change-feed entries) and authorities in one
        transaction. A document whose content hash equals the current version's is left unchanged; a
        changed one becomes a new version and the old one is kept. Sets `doc.version` on stored docs."""

    def claim_file(self, sha256: str, collection: str, options_key: str, wait: bool = False) -> bool:
        """Claim a file for this process's ingest before reading it: False when another process is storing
        the same file right now (this one passes it over and comes back to it with `wait`, which blocks
        until that process has stored it or died). A backend several processes write at once claims for
        real; the default claims everything (`put` is atomic and idempotent either way)."""
        return True

    def claim_new_file(self, sha256: str, collection: str, options_key: str) -> str:
        """`file_seen`, then `claim_file` (without waiting) when it was not: "stored", "claimed" or "busy".
        A backend on a server answers both in one round trip."""
        if self.file_seen(sha256, collection, options_key):
            return "stored"
        return "claimed" if self.claim_file(sha256, collection, options_key) else "busy"

    def release_file(self, sha256: str, collection: str, options_key: str) -> None:
        """Give up the claim on one file (stored, or failed)."""

    def release_files(self) -> None:
        """Give up every claim this process holds (the end of an ingest)."""

    @abc.abstractmethod
    def replace_annotations(self, doc_id: str, producers: Iterable[str], annotations: list[Annotation]) -> None:
        """Swap one current document's annotations by the given producers for new ones (other producers
        kept), with a change-feed entry; a LookupError when there is no such current document."""

    @abc.abstractmethod
    def import_authorities(self, collection: str, entries: Iterable[AuthorityEntry]) -> int:
        """Add or replace (by collection, kind, id) authority entries; returns how many were given."""

    # -- reading ---------------------------------------------------------------------------------
    @abc.abstractmethod
    def get(self, doc_id: str, version: int | None = None) -> Document | None:
        """A document with its spans and annotations: the current version, or the one asked for."""

    @abc.abstractmethod
    def versions(self, doc_id: str) -> list[VersionInfo]:
        """Every stored version of a document, oldest first (empty for an unknown id)."""

    @abc.abstractmethod
    def source(self, doc_id: str, version: int | None = None) -> tuple[str, bytes] | None:
        """(original file path, original bytes) of the file a document came from."""

    @abc.abstractmethod
    def list(self, collection: str | None = None, limit: int = 50, offset: int = 0) -> list[DocSummary]:
        """Current documents ordered by collection then id, a page at a time."""

    @abc.abstractmethod
    def iter_documents(self, collection: str | None = None, with_annotations: bool = True) -> Iterator[Document]:
        """Every current document, streamed in a stable order (the order they were stored)."""

    @abc.abstractmethod
    def iter_ids(self, collection: str | None = None) -> Iterator[str]:
        """The ids of every current document, in the same order as `iter_documents`, streamed."""

    @abc.abstractmethod
    def iter_annotations(self, types: Sequence[str], collection: str | None = None) -> Iterator[AnnotationRow]:
        """Every annotation of the given types on current documents, streamed."""

    @abc.abstractmethod
    def neighbours(self, doc_id: str) -> tuple[str | None, str | None]:
        """The previous and next current documents in the same collection, by date (undated first) then id."""

    @abc.abstractmethod
    def collections(self) -> list[dict[str, Any]]:
        """[{name, documents, first_date, last_date}] over current documents, by name."""

    @abc.abstractmethod
    def stats(self, collection: str | None = None) -> dict[str, Any]:
        """Counts of current documents, characters, dated documents, older versions, files and their
        bytes, annotations by type, the collections; `archive` names the store for its owner."""

    @abc.abstractmethod
    def volume_stats(self, collection: str) -> list[dict[str, Any]]:
        """Per volume (metadata.volume; documents without one under None): documents, with date, place,
        originator, classification, and annotations by type."""

    @abc.abstractmethod
    def authorities(self, collection: str, kind: str | None = None) -> list[AuthorityEntry]:
        """A collection's authority entries, by kind then id."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the backend; an archive that was written brings its search index up to date first."""

    # -- search: derived from the change feed, the same for every backend ---------------------------
    @abc.abstractmethod
    def search_index_dir(self) -> Path:
        """Where this archive's derived search index lives (a directory the backend names)."""

    @property
    def search_index(self) -> SearchIndex:
        """The derived search index, opened on first use."""
        if self._search_index is None:
            self._search_index = SearchIndex(self.search_index_dir(), self, readonly=self.readonly)
        return self._search_index

    def sync_search(self) -> int:
        """Bring the search index up to the store (done before every search, and when closing)."""
        return self.search_index.sync()

    def reindex(self) -> int:
        """Rebuild the search index from the stored documents; returns the number indexed."""
        return self.search_index.rebuild()

    def follow_search(self, stop: Any, commit_every: float = 1.0) -> None:
        """Keep this process's search index following the store's changes until `stop` (an Event) is set:
        what a serving node on a shared archive runs beside its readers (they see each commit). Works on
        an archive opened read-only: the store is only read; the index is this node's own."""
        SearchIndex(self.search_index_dir(), self).follow(stop, commit_every=commit_every)

    def index_status(self) -> dict[str, Any]:
        """This process's search index against the store: the change it has applied (`watermark`), the
        store's newest (`last_change`), and how many changes it lags behind (`lag`)."""
        idx = self.search_index
        fresh = idx._read_state()
        watermark = int(fresh.get("seq", idx.watermark))
        return {"watermark": watermark, "last_change": self.last_change(),
                "lag": self.count_changes_since(watermark)}

    def background_indexing(self) -> AbstractContextManager[None]:
        """While a long ingest writes, keep the search index catching up alongside (default: nothing;
        the index catches up when the archive closes or at the next search)."""
        return nullcontext()

    def search(
        self,
        query: str,
        filters: Filters = None,
        facets: str | Sequence[str] | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
        by: str = "document",
        snippets: bool = True,
        mode: str = "auto",
    ) -> SearchResult:
        """Full-text search with the query language (docs/search.md): hits of the page, facets over all
        hits, snippets; `by="paragraph"` ranks paragraphs. `mode`: "text" (words), "semantic" (meaning),
        "hybrid" (both, fused), or "auto" (hybrid where the archive has vectors, else text). Raises
        `QueryError` for a query it cannot run."""
        if mode == "auto":
            mode = "hybrid" if self.semantic_ready() else "text"
        if mode == "text":
            return run_search(self.search_index, query, filters=filters, facets=facets, sort=sort, page=page,
                              per_page=per_page, by=by, snippets=snippets)
        return run_hybrid(self.search_index, self.meaning(), query, mode=mode, filters=filters, facets=facets,
                          sort=sort, page=page, per_page=per_page, by=by, snippets=snippets)

    # -- search by meaning: a vector index derived from the stored paragraph vectors -------------------
    def vector_index_dir(self) -> Path:
        """Where the derived vector index lives: beside the search index."""
        return self.search_index_dir().with_suffix(".vectors")

    def semantic_ready(self) -> bool:
        """True when this archive has paragraph vectors and the model to compare a query with them is
        installed: then searches combine words and meaning unless told otherwise."""
        from ..semantic import model

        return self.has_vectors() and model.available()

    def has_vectors(self) -> bool:
        """Whether the archive holds paragraph vectors (asked before every search in "auto" mode: cheap)."""
        return bool(self.embedding_stats())

    def meaning(self) -> Neighbours:
        """Nearest paragraphs by meaning (the vector index brought up to date with the store first).

        Imported here, not at the top: the model and vector index are the optional `semantic` extra."""
        from ..semantic import model, vectors

        if self._neighbours is None:
            # One thread: a query is a few words, too short to share among cores, and torch's worker threads
            # spin waiting for each other on a busy machine (one query took 0.66 s on two threads at a load
            # of 6, 0.04 s on one); concurrent searches use the cores side by side instead.
            embedder = model.Embedder(threads=1)
            index = vectors.VectorIndex(self.vector_index_dir(), self, embedder.name, embedder.dim)
            self._neighbours = vectors.Neighbours(index, embedder)
        if self._neighbours.index.pending():
            self._neighbours.index.sync()
        return self._neighbours

    def search_ids(self, query: str, filters: Filters = None, chunk: int = 500) -> Iterator[str]:
        """The ids of every current document a query matches, streamed in store order with no depth limit
        (what an export of a search selects)."""
        return matching_ids(self.search_index, query, filters, chunk)

    def count(self, query: str, filters: Filters = None, by: str = "document",
              groups: Sequence[str] = ("year",)) -> Counts:
        """Documents (or paragraphs) matching a query, in total and per value of up to two groups
        (year, month, decade, or a facet such as country)."""
        return run_count(self.search_index, query, filters=filters, by=by, groups=groups)

    def count_grid(self, query: str, filters: Filters = None, by: str = "document", period: str = "year",
                   split: str | None = None) -> Grid:
        """Documents (or paragraphs) matching a query per period (year, month, decade) and per value of a
        facet (`split`), as arrays: what a trend of several queries reads."""
        return run_grid(self.search_index, query, filters=filters, by=by, period=period, split=split)

    def matches(self, query: str, filters: Filters = None, by: str = "paragraph") -> Iterator[Match]:
        """Every unit matching a query, oldest first, streamed in constant memory (the document's key,
        and a paragraph's number and offsets)."""
        return run_matches(self.search_index, query, filters=filters, by=by)

    @abc.abstractmethod
    def iter_keyed(self, keys: Iterable[int], annotation_types: Iterable[str] | None = ()) -> Iterator[
            tuple[int, Document]]:
        """The current documents with these search keys (as `matches` gives them), in the order given,
        each with its structure and only the annotations of `annotation_types` (None: all)."""

    def cache_dir(self, name: str) -> Path | None:
        """A directory for a rebuildable cache derived from this archive (None: keep it in memory)."""
        return None

    # -- entities: records derived after enrichment, and the user's curation layer ------------------
    @abc.abstractmethod
    def iter_entity_mentions(self, collection: str | None = None) -> Iterator[EntityMention]:
        """Every person, place and organisation annotation that carries an entity id, streamed."""

    @abc.abstractmethod
    def entity_mentions(self, entity_id: str, limit: int | None = None) -> list[EntityMention]:
        """The mentions of one entity, by document then offset."""

    @abc.abstractmethod
    def relink_entities(self, changes: dict[str, tuple[str, str | None]], collection: str | None = None) -> int:
        """Point every mention of entity `old` at `new` (and label, when given): {old: (new, label)}.
        Returns the mentions changed; their documents are re-indexed."""

    @abc.abstractmethod
    def relink_mention(self, doc_id: str, start: int, end: int, new_id: str, label: str | None) -> int:
        """Point the entity mention at [start, end) of a document at another entity (a split)."""

    @abc.abstractmethod
    def delete_entity_mentions(self, surface: str, types: Iterable[str] = ENTITY_TYPES) -> int:
        """Remove entity annotations whose text is `surface` (a word marked as no entity)."""

    @abc.abstractmethod
    def entity_cooccurrence(self, entity_id: str, limit: int = 30) -> list[tuple[str, int]]:
        """(other entity id, documents naming both), most first."""

    @abc.abstractmethod
    def put_entities(self, records: Iterable[EntityRecord]) -> int:
        """Replace every entity record with these."""

    @abc.abstractmethod
    def get_entity(self, entity_id: str) -> EntityRecord | None: ...

    @abc.abstractmethod
    def iter_entities(self, type: str | None = None) -> Iterator[EntityRecord]:
        """Entity records, most mentioned first."""

    @abc.abstractmethod
    def add_curation(self, op: CurationOp) -> int:
        """Append a curation act; returns its sequence number."""

    @abc.abstractmethod
    def curations(self) -> list[CurationOp]:
        """The curation layer, oldest first (the order it is applied in)."""

    @abc.abstractmethod
    def replace_curations(self, ops: Iterable[CurationOp]) -> int:
        """Replace the whole curation layer (an import)."""

    # -- accounts, collection access and the audit log (despatch.access decides; the store keeps) --------
    @abc.abstractmethod
    def add_user(self, user: UserRecord) -> None:
        """Add a user; `AlreadyExists` when the name is taken."""

    @abc.abstractmethod
    def update_user(self, name: str, role: str | None = None, password_hash: str | None = None) -> bool:
        """Change a user's role and/or password hash; False when there is no such user."""

    @abc.abstractmethod
    def get_user(self, name: str) -> UserRecord | None: ...

    @abc.abstractmethod
    def users(self) -> list[UserRecord]:
        """Every user, by name."""

    @abc.abstractmethod
    def remove_user(self, name: str) -> bool:
        """Remove a user with their tokens and sessions; False when there is no such user."""

    @abc.abstractmethod
    def add_token(self, token: TokenRecord) -> None: ...

    @abc.abstractmethod
    def token_by_hash(self, token_hash: str) -> TokenRecord | None: ...

    @abc.abstractmethod
    def tokens(self, user: str | None = None) -> list[TokenRecord]:
        """Tokens (of one user, or all), oldest first."""

    @abc.abstractmethod
    def revoke_token(self, token_id: str) -> bool:
        """Delete a token by its id; False when there is none."""

    @abc.abstractmethod
    def add_session(self, session: SessionRecord) -> None: ...

    @abc.abstractmethod
    def get_session(self, id_hash: str) -> SessionRecord | None: ...

    @abc.abstractmethod
    def delete_sessions(self, id_hash: str | None = None, user: str | None = None,
                        expired_at: str | None = None) -> int:
        """Delete one session, a user's, or those expiring at or before `expired_at`; returns how many."""

    @abc.abstractmethod
    def set_collection_access(self, access: CollectionAccess) -> None:
        """Add or replace a collection's access record."""

    @abc.abstractmethod
    def collection_access(self) -> list[CollectionAccess]:
        """Every access record, by collection (a collection without one is public)."""

    @abc.abstractmethod
    def add_audit(self, entry: AuditEntry) -> int:
        """Append an audit entry; returns its sequence number (increasing)."""

    @abc.abstractmethod
    def audit(self, action: str | None = None, who: str | None = None, since: str | None = None,
              limit: int = 100) -> list[AuditEntry]:
        """Audit entries, newest first, of one action and/or person, at or after `since`."""

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def row_to_document(r: Mapping[str, Any]) -> Document:
    """A document from a row of the documents table, by column name (the same columns on every backend)."""
    return Document(
        id=r["id"],
        collection=r["collection"],
        text=r["text"],
        title=r["title"],
        caption=r["caption"],
        doc_type=r["doc_type"],
        language=r["language"],
        date=DocDate(r["date_start"], r["date_end"], r["date_precision"], r["date_text"]) if r["date_start"] else None,
        classification=Classification(r["class_level"], r["class_text"]) if r["class_level"] else None,
        originator=r["originator"],
        recipient=r["recipient"],
        place=r["place"],
        source=Source(**json.loads(r["source_json"])) if r["source_json"] else None,
        rights=r["rights"],
        url=r["url"],
        last_updated=r["last_updated"],
        file=(FileInfo(r["file_path"], r["file_sha256"], r["file_format"], r["file_bytes"])
              if r["file_sha256"] else None),
        metadata=json.loads(r["metadata_json"]),
        version=r["version"],
    )
